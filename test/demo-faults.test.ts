import {afterEach, describe, expect, it} from 'vitest';
import {startDemoServer, type DemoServer} from '../source/demo/server.js';
import {api, createClock, errorOf, jsonApi, query, waitFor} from './helpers/demo.js';

let server: DemoServer | undefined;
afterEach(async () => {
	await server?.close();
	server = undefined;
});

const onePage = `/api/exports?${query({'page[size]': 1})}`;

describe('demo API: rate limit', () => {
	it('allows 25 reads per 10 s by default, then answers 429 with Retry-After until the window slides', async () => {
		const clock = createClock();
		server = await startDemoServer({now: clock.now});
		for (let index = 0; index < 25; index++) {
			const reply = await api(server, onePage);
			expect(reply.status).toBe(200);
			expect(reply.headers.get('x-ratelimit-limit')).toBe('25');
			expect(reply.headers.get('x-ratelimit-interval')).toBe('10');
			expect(reply.headers.get('x-ratelimit-remaining')).toBe(String(24 - index));
		}

		const limited = await api(server, onePage);
		expect(limited.status).toBe(429);
		expect(limited.headers.get('retry-after')).toBe('10');
		expect(errorOf(limited.body)).toMatchObject({code: 'TOO_MANY_REQUESTS', status: '429', title: 'Too many requests'});
		expect(errorOf(limited.body)?.detail).toContain('25 requests per 10 seconds');

		clock.advance(4000);
		const still = await api(server, onePage);
		expect(still.status).toBe(429);
		expect(still.headers.get('retry-after')).toBe('6');

		// Writes are another class: not limited here.
		const write = await api(server, '/api/exports/XxYyZzKkJj', {method: 'DELETE'});
		expect(write.status).toBe(404);

		clock.advance(6000);
		const again = await api(server, onePage);
		expect(again.status).toBe(200);
		expect(again.headers.get('x-ratelimit-remaining')).toBe('24');
	});

	it('slides the window request by request, and takes a custom limit', async () => {
		const clock = createClock();
		server = await startDemoServer({now: clock.now, rateLimit: {limit: 3, windowMs: 5000}});
		expect((await api(server, onePage)).status).toBe(200);
		clock.advance(2000);
		expect((await api(server, onePage)).status).toBe(200);
		expect((await api(server, onePage)).headers.get('x-ratelimit-remaining')).toBe('0');
		const limited = await api(server, onePage);
		expect(limited.status).toBe(429);
		expect(limited.headers.get('retry-after')).toBe('3');
		clock.advance(3000);
		// The first request left the window; the two at +2 s are still in it.
		const one = await api(server, onePage);
		expect(one.status).toBe(200);
		expect(one.headers.get('x-ratelimit-remaining')).toBe('0');
		expect((await api(server, onePage)).status).toBe(429);
	});

	it('can be turned off', async () => {
		server = await startDemoServer({now: createClock().now, rateLimit: false});
		for (let index = 0; index < 40; index++) {
			const reply = await api(server, onePage);
			expect(reply.status).toBe(200);
			expect(reply.headers.get('x-ratelimit-limit')).toBeNull();
		}
	});
});

describe('demo API: latency and fault injection', () => {
	it('adds latencyMs to /api responses only', async () => {
		server = await startDemoServer({latencyMs: 150, rateLimit: false});
		const started = performance.now();
		expect((await api(server, onePage)).status).toBe(200);
		expect(performance.now() - started).toBeGreaterThanOrEqual(140);
		const tokenStarted = performance.now();
		await fetch(`${server.url}/oauth/token`, {method: 'POST', headers: {'content-type': 'application/json'}, body: '{}'});
		expect(performance.now() - tokenStarted).toBeLessThan(140);
	});

	it('answers the next request with an injected status, with the default error body for that status, then recovers', async () => {
		server = await startDemoServer({rateLimit: false});
		server.injectFault({kind: 'status', status: 500});
		const failed = await api(server, onePage);
		expect(failed.status).toBe(500);
		expect(failed.body).toEqual({
			errors: [{title: 'Internal Server Error', detail: 'Internal Server Error', code: 'INTERNAL_SERVER_ERROR', status: '500'}],
		});
		expect((await api(server, onePage)).status).toBe(200);
	});

	it('repeats a fault `times` times, with custom headers and body', async () => {
		server = await startDemoServer({rateLimit: false});
		server.injectFault({kind: 'status', status: 429, times: 2, headers: {'Retry-After': '2'}, body: {errors: [{title: 'slow down', status: '429'}]}});
		for (let index = 0; index < 2; index++) {
			const reply = await api(server, onePage);
			expect(reply.status).toBe(429);
			expect(reply.headers.get('retry-after')).toBe('2');
			expect(reply.body).toEqual({errors: [{title: 'slow down', status: '429'}]});
		}

		expect((await api(server, onePage)).status).toBe(200);
		server.injectFault({kind: 'status', status: 503, body: 'upstream unavailable'});
		const text = await api(server, onePage);
		expect(text.status).toBe(503);
		expect(text.text).toBe('upstream unavailable');
	});

	it('matches faults by method and path (a string or a RegExp, also tried on the query)', async () => {
		server = await startDemoServer({rateLimit: false});
		server.injectFault({kind: 'status', status: 502, method: 'PATCH', path: '/api/exports/abc'});
		server.injectFault({kind: 'status', status: 504, path: /page%5Bnumber%5D=2/});
		expect((await api(server, onePage)).status).toBe(200);
		expect((await api(server, '/api/exports/abc')).status).toBe(404);
		expect((await api(server, `/api/exports?${query({'page[number]': 2})}`)).status).toBe(504);
		expect((await api(server, `/api/exports?${query({'page[number]': 2})}`)).status).toBe(200);
		const patched = await api(server, '/api/exports/abc', {method: 'PATCH', headers: {'content-type': jsonApi}, body: '{}'});
		expect(patched.status).toBe(502);
		expect(errorOf(patched.body)).toMatchObject({status: '502', title: 'Bad Gateway'});
	});

	it('resets the connection', async () => {
		server = await startDemoServer({rateLimit: false});
		server.injectFault({kind: 'reset', path: '/api/exports'});
		const error = await fetch(`${server.url}${onePage}`, {headers: {accept: jsonApi, authorization: `Bearer ${server.token}`}}).then(
			() => undefined,
			(error_: unknown) => error_,
		);
		expect(error).toBeInstanceOf(TypeError);
		expect(server.requests.at(-1)).toMatchObject({path: '/api/exports', status: 0});
		expect((await api(server, onePage)).status).toBe(200);
	});

	it('hangs without answering (the client has to time out), and still closes promptly', async () => {
		server = await startDemoServer({rateLimit: false});
		server.injectFault({kind: 'hang'});
		const outcome = await fetch(`${server.url}${onePage}`, {headers: {accept: jsonApi, authorization: `Bearer ${server.token}`}, signal: AbortSignal.timeout(300)}).then(
			() => 'answered',
			(error: unknown) => (error as Error).name,
		);
		expect(outcome).toBe('TimeoutError');
		// A second hang that nobody abandons: close() must still end it.
		server.injectFault({kind: 'hang'});
		const pending = fetch(`${server.url}${onePage}`, {headers: {accept: jsonApi, authorization: `Bearer ${server.token}`}}).catch((error: unknown) => error);
		await waitFor(() => server!.requests.length === 2);
		const closing = performance.now();
		await server.close();
		expect(performance.now() - closing).toBeLessThan(1000);
		expect(await pending).toBeInstanceOf(TypeError);
		server = undefined;
	});

	it('sends a 200 with malformed JSON', async () => {
		server = await startDemoServer({rateLimit: false});
		server.injectFault({kind: 'malformed'});
		const reply = await api(server, onePage);
		expect(reply.status).toBe(200);
		expect(reply.headers.get('content-type')).toBe(jsonApi);
		expect(() => JSON.parse(reply.text) as unknown).toThrow(SyntaxError);
		expect(Number(reply.headers.get('content-length'))).toBe(Buffer.byteLength(reply.text));
	});

	it('sends an HTML error page like a proxy would', async () => {
		server = await startDemoServer({rateLimit: false});
		server.injectFault({kind: 'html', status: 502});
		const reply = await api(server, onePage);
		expect(reply.status).toBe(502);
		expect(reply.headers.get('content-type')).toBe('text/html');
		expect(reply.text).toContain('<title>502 Bad Gateway</title>');
		expect(reply.text).toContain('<h1>502 Bad Gateway</h1>');
	});

	it('injects faults on the token endpoint too', async () => {
		server = await startDemoServer({rateLimit: false});
		server.injectFault({kind: 'status', status: 401, path: '/oauth/token', body: {errors: [{code: 'UNAUTHORIZED', title: 'invalid_client', status: 401}]}});
		const response = await fetch(`${server.url}/oauth/token`, {
			method: 'POST',
			headers: {'content-type': 'application/json'},
			body: JSON.stringify({grant_type: 'client_credentials', client_id: server.clientId, client_secret: server.clientSecret}),
		});
		expect(response.status).toBe(401);
		expect(((await response.json()) as {errors: Array<{title: string}>}).errors[0]?.title).toBe('invalid_client');
	});
});

describe('demo API: lasting faults', () => {
	const token = async (demo: DemoServer) =>
		fetch(`${demo.url}/oauth/token`, {
			method: 'POST',
			headers: {'content-type': 'application/json'},
			body: JSON.stringify({grant_type: 'client_credentials', client_id: demo.clientId, client_secret: demo.clientSecret}),
		});

	it('a 5xx storm answers every /api request until switched off; the token endpoint still works', async () => {
		server = await startDemoServer({rateLimit: false, faults: {storm: 503}});
		for (let index = 0; index < 5; index++) {
			const reply = await api(server, onePage);
			expect(reply.status).toBe(503);
			expect(errorOf(reply.body)).toMatchObject({status: '503', title: 'Service Unavailable'});
		}

		expect((await api(server, '/api/exports/abc', {method: 'DELETE'})).status).toBe(503);
		expect((await token(server)).status).toBe(200);
		expect(server.faults).toEqual({storm: 503});
		server.setFaults({});
		expect((await api(server, onePage)).status).toBe(200);
	});

	it('a storm of connection resets', async () => {
		server = await startDemoServer({rateLimit: false});
		server.setFaults({storm: 'reset'});
		const headers = {accept: jsonApi, authorization: `Bearer ${server.token}`};
		for (let index = 0; index < 3; index++) {
			await expect(fetch(`${server.url}${onePage}`, {headers})).rejects.toBeInstanceOf(TypeError);
		}

		server.setFaults({});
		expect((await api(server, onePage)).status).toBe(200);
	});

	it('answers a share of the reads with 429 and Retry-After, at random but the same for a seed', async () => {
		const statuses = async (seed: number) => {
			const demo = await startDemoServer({rateLimit: false, seed, count: 5, faults: {rateLimitedShare: 0.3}});
			try {
				const seen: number[] = [];
				for (let index = 0; index < 120; index++) {
					const reply = await api(demo, onePage);
					if (reply.status === 429) {
						expect(reply.headers.get('retry-after')).toBe('2');
					}

					seen.push(reply.status);
				}

				return seen;
			} finally {
				await demo.close();
			}
		};

		const first = await statuses(7);
		const refused = first.filter(status => status === 429).length;
		// 30 % of 120: 36, give or take what a seed does.
		expect(refused).toBeGreaterThan(20);
		expect(refused).toBeLessThan(55);
		expect(first.filter(status => status !== 429).every(status => status === 200)).toBe(true);
		expect(await statuses(7)).toEqual(first);
	});

	it('a failing token endpoint leaves /api alone', async () => {
		server = await startDemoServer({rateLimit: false, faults: {tokenStatus: 500}});
		const failed = await token(server);
		expect(failed.status).toBe(500);
		expect(((await failed.json()) as {errors: Array<{title: string}>}).errors[0]?.title).toBe('Internal Server Error');
		expect((await api(server, onePage)).status).toBe(200);
		server.setFaults({});
		expect((await token(server)).status).toBe(200);
	});
});

describe('demo API: request log', () => {
	it('records each request with its decoded query, headers, status and time', async () => {
		const clock = createClock();
		server = await startDemoServer({now: clock.now, rateLimit: false});
		const search = query({sort: '-created_at', 'page[number]': 1, 'page[size]': 5, 'filter[q][metadata_jcont]': '{"a":"b"}'});
		await api(server, `/api/exports?${search}`);
		clock.advance(1000);
		await api(server, '/api/exports/nope', {token: null});
		expect(server.requests).toHaveLength(2);
		expect(server.requests[0]).toMatchObject({
			method: 'GET',
			path: '/api/exports',
			search,
			query: {sort: '-created_at', 'page[number]': '1', 'page[size]': '5', 'filter[q][metadata_jcont]': '{"a":"b"}'},
			authorization: `Bearer ${server.token}`,
			status: 200,
			at: clock.now() - 1000,
		});
		expect(server.requests[0]?.headers['accept']).toBe(jsonApi);
		expect(server.requests[1]).toMatchObject({path: '/api/exports/nope', search: '', query: {}, status: 401, at: clock.now()});
		expect(server.requests[1]?.authorization).toBeUndefined();
		server.clearRequests();
		expect(server.requests).toHaveLength(0);
	});
});
