import {afterEach, describe, expect, it} from 'vitest';
import {staticToken} from '../source/api/auth.js';
import {createClient, type ClientOptions, type RetryNotice} from '../source/api/client.js';
import {ApiError, isAbortError} from '../source/api/errors.js';
import {parseRetryAfter} from '../source/api/http.js';
import {exportRecord, pageBody, sendJson, startServer, waitFor, type Handler, type LoopbackServer} from './helpers/api-loopback.js';
import {failure} from './helpers/failure.js';

const token = 'tok_retry_7c6b5a';
const query = {page: 1, size: 25};
const tooMany = {errors: [{title: 'Too many requests', detail: 'Rate limit exceeded', code: 'TOO_MANY_REQUESTS', status: '429'}]};
const serverError = {errors: [{title: 'Internal Server Error', detail: 'Internal Server Error', code: 'INTERNAL_SERVER_ERROR', status: '500'}]};

let server: LoopbackServer | undefined;
afterEach(async () => {
	await server?.close();
	server = undefined;
});

/** A client whose sleep records each wait (and the order of events) instead of waiting. */
async function setup(handler: Handler, options: Partial<ClientOptions> = {}) {
	server = await startServer(handler);
	const events: string[] = [];
	const delays: number[] = [];
	const notices: RetryNotice[] = [];
	const client = createClient({
		baseUrl: server.url,
		auth: staticToken(token),
		rateLimit: false,
		random: () => 0.5,
		async sleep(ms) {
			events.push(`sleep ${ms}`);
			delays.push(ms);
		},
		...options,
	});
	const onRetry = (notice: RetryNotice) => {
		events.push(`notice ${notice.message}`);
		notices.push(notice);
	};

	return {server, client, delays, notices, events, onRetry};
}

describe('429', () => {
	it('waits Retry-After seconds, tells onRetry first, then succeeds', async () => {
		const {server, client, delays, notices, events, onRetry} = await setup((_request, response, index) => {
			if (index === 0) {
				sendJson(response, 429, tooMany, {'Retry-After': '3'});
			} else {
				sendJson(response, 200, pageBody([exportRecord('a')]));
			}
		});
		const page = await client.listExports(query, undefined, {onRetry});
		expect(page.data.map(record => record.id)).toEqual(['a']);
		expect(server.requests).toHaveLength(2);
		expect(delays).toEqual([3000]);
		expect(notices).toEqual([{reason: 'rate_limited', attempt: 1, delayMs: 3000, message: 'rate limited, retrying in 3 s', cause: 'rate limited', status: 429}]);
		expect(events).toEqual(['notice rate limited, retrying in 3 s', 'sleep 3000']);
	});

	it('really waits when no sleep is injected', async () => {
		const {server, client, notices, onRetry} = await setup(
			(_request, response, index) => {
				if (index === 0) {
					sendJson(response, 429, tooMany, {'Retry-After': '1'});
				} else {
					sendJson(response, 200, pageBody([]));
				}
			},
			{sleep: undefined},
		);
		const started = Date.now();
		await client.listExports(query, undefined, {onRetry});
		expect(Date.now() - started).toBeGreaterThanOrEqual(950);
		expect(server.requests).toHaveLength(2);
		expect(notices[0]?.message).toBe('rate limited, retrying in 1 s');
	});

	it('reads Retry-After given as an HTTP date', async () => {
		const {client, delays} = await setup((_request, response, index) => {
			if (index === 0) {
				sendJson(response, 429, tooMany, {'Retry-After': new Date(Date.now() + 5000).toUTCString()});
			} else {
				sendJson(response, 200, pageBody([]));
			}
		});
		await client.listExports(query);
		expect(delays).toHaveLength(1);
		expect(delays[0]).toBeGreaterThan(3000);
		expect(delays[0]).toBeLessThanOrEqual(5000);
		expect(parseRetryAfter('Wed, 21 Oct 2015 07:28:00 GMT', Date.parse('Wed, 21 Oct 2015 07:27:50 GMT'))).toBe(10_000);
		expect(parseRetryAfter('soon', 0)).toBeUndefined();
		expect(parseRetryAfter(null, 0)).toBeUndefined();
	});

	it('without Retry-After backs off exponentially with full jitter, capped, a bounded number of times', async () => {
		const randoms = [0.999, 0.25, 0.999, 0.999, 0.999];
		const {server, client, delays, notices, onRetry} = await setup(
			(_request, response) => {
				sendJson(response, 429, tooMany);
			},
			{random: () => randoms.shift() ?? 0.5, retries: {maxDelayMs: 10_000}},
		);
		const error = await failure(client.listExports(query, undefined, {onRetry}));
		// Base for 429s is 4 × 500 ms: ceilings 2 s, 4 s, 8 s, then the 10 s cap.
		expect(delays).toEqual([1998, 1000, 7992, 9990]);
		expect(notices.map(notice => notice.attempt)).toEqual([1, 2, 3, 4]);
		expect(notices.map(notice => notice.message)).toEqual([
			'rate limited, retrying in 2 s',
			'rate limited, retrying in 1 s',
			'rate limited, retrying in 8 s',
			'rate limited, retrying in 10 s',
		]);
		expect(server.requests).toHaveLength(5);
		expect(error.status).toBe(429);
		expect(error.message).toBe('Too many requests: Rate limit exceeded');
	});

	it('never waits more than 30 s by default', async () => {
		const {client, delays} = await setup(
			(_request, response) => {
				sendJson(response, 429, tooMany);
			},
			{random: () => 0.9999, retries: {rateLimited: 8}},
		);
		await failure(client.listExports(query));
		expect(delays).toHaveLength(8);
		expect(Math.max(...delays)).toBeLessThanOrEqual(30_000);
		expect(delays.at(-1)).toBe(29_997);
	});

	it('reports at once when Retry-After asks for more than a minute', async () => {
		const {server, client, delays} = await setup((_request, response) => {
			sendJson(response, 429, tooMany, {'Retry-After': '600'});
		});
		const error = await failure(client.listExports(query));
		expect(error.status).toBe(429);
		expect(error.retryAfterMs).toBe(600_000);
		expect(delays).toEqual([]);
		expect(server.requests).toHaveLength(1);
	});

	it('retries a PATCH after 429 (the request was not processed)', async () => {
		const {server, client} = await setup((_request, response, index) => {
			if (index === 0) {
				sendJson(response, 429, tooMany, {'Retry-After': '1'});
			} else {
				sendJson(response, 200, {data: exportRecord('a', {status: 'interrupted'})});
			}
		});
		const record = await client.updateExport('a', {_interrupt: true});
		expect(record.attributes.status).toBe('interrupted');
		expect(server.requests.map(request => request.method)).toEqual(['PATCH', 'PATCH']);
	});
});

describe('5xx and network failures', () => {
	it('retries a GET after 500 and succeeds', async () => {
		const {server, client, delays, notices, onRetry} = await setup((_request, response, index) => {
			if (index === 0) {
				sendJson(response, 500, serverError);
			} else {
				sendJson(response, 200, {data: exportRecord('a')});
			}
		});
		const record = await client.getExport('a', undefined, {onRetry});
		expect(record.id).toBe('a');
		expect(server.requests).toHaveLength(2);
		expect(delays).toEqual([250]);
		expect(notices).toEqual([{reason: 'server_error', attempt: 1, delayMs: 250, message: 'server error 500, retrying in 1 s', cause: 'server error 500', status: 500}]);
	});

	it('gives up after two retries with the last error', async () => {
		const {server, client, delays} = await setup((_request, response) => {
			response.writeHead(503, {'Content-Type': 'text/html'});
			response.end('<html><body>Service Unavailable</body></html>');
		});
		const error = await failure(client.listExports(query));
		expect(server.requests).toHaveLength(3);
		expect(delays).toEqual([250, 500]);
		expect(error.status).toBe(503);
		expect(error.message).toBe(`Service Unavailable: ${server.host} answered 503 with an HTML page instead of JSON`);
	});

	it('retries a GET after a connection reset', async () => {
		const {server, client, notices, onRetry} = await setup((_request, response, index) => {
			if (index === 0) {
				response.socket?.destroy();
			} else {
				sendJson(response, 200, pageBody([exportRecord('a')]));
			}
		});
		const page = await client.listExports(query, undefined, {onRetry});
		expect(page.data).toHaveLength(1);
		expect(server.requests).toHaveLength(2);
		expect(notices[0]?.reason).toBe('network');
		expect(notices[0]?.message).toBe(`connection reset by ${server.host}, retrying in 1 s`);
	});

	it('never retries a PATCH or DELETE after 500 or a reset', async () => {
		const {server, client, delays} = await setup((request, response) => {
			if (request.method === 'PATCH') {
				sendJson(response, 500, serverError);
			} else {
				response.socket?.destroy();
			}
		});
		const patch = await failure(client.updateExport('a', {_start: true}));
		expect(patch.status).toBe(500);
		const remove = await failure(client.deleteExport('a'));
		expect(remove.kind).toBe('network');
		expect(server.requests.map(request => request.method)).toEqual(['PATCH', 'DELETE']);
		expect(delays).toEqual([]);
	});

	it('does not retry a timeout (the user already waited)', async () => {
		const {server, client, delays} = await setup(() => undefined, {timeoutMs: 100});
		const error = await failure(client.listExports(query));
		expect(error.kind).toBe('timeout');
		expect(server.requests).toHaveLength(1);
		expect(delays).toEqual([]);
	});
});

describe('aborts', () => {
	it('rejects as abort during a backoff sleep, with no further request', async () => {
		const {server, client, notices, onRetry} = await setup(
			(_request, response) => {
				sendJson(response, 429, tooMany, {'Retry-After': '30'});
			},
			{sleep: undefined},
		);
		const controller = new AbortController();
		const pending = client.listExports(query, controller.signal, {onRetry}).catch((error: unknown) => error);
		await waitFor(() => notices.length === 1);
		controller.abort();
		const error = await pending;
		expect(isAbortError(error)).toBe(true);
		expect(error).not.toBeInstanceOf(ApiError);
		expect(server.requests).toHaveLength(1);
	});

	it('rejects as abort mid-request, with no retry and no notice', async () => {
		const {server, client, notices, delays, onRetry} = await setup(() => undefined);
		const controller = new AbortController();
		const pending = client.getExport('a', controller.signal, {onRetry}).catch((error: unknown) => error);
		await waitFor(() => server.requests.length === 1);
		controller.abort();
		expect(isAbortError(await pending)).toBe(true);
		expect(notices).toEqual([]);
		expect(delays).toEqual([]);
		expect(server.requests).toHaveLength(1);
	});
});
