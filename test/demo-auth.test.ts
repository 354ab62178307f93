import {afterEach, describe, expect, it} from 'vitest';
import {demoClientId, demoClientSecret, startDemoServer, type DemoServer} from '../source/demo/server.js';
import {api, createClock, errorOf, jsonApi} from './helpers/demo.js';

let server: DemoServer | undefined;
afterEach(async () => {
	await server?.close();
	server = undefined;
});

const invalidTokenBody = {
	errors: [{title: 'Invalid token', detail: 'The access token you provided is invalid.', code: 'INVALID_TOKEN', status: '401'}],
};

async function grant(target: DemoServer, body: string, contentType = 'application/json', headers: Record<string, string> = {}) {
	const response = await fetch(`${target.url}/oauth/token`, {
		method: 'POST',
		headers: {'content-type': contentType, accept: 'application/json', ...headers},
		body,
	});
	// eslint-disable-next-line @typescript-eslint/no-explicit-any -- a test reads whatever JSON came back
	return {status: response.status, headers: response.headers, body: (await response.json()) as Record<string, any>};
}

describe('demo API: POST /oauth/token', () => {
	it('issues an expiring bearer token for the demo client credentials (JSON body)', async () => {
		const clock = createClock();
		server = await startDemoServer({now: clock.now, tokenTtlSeconds: 600, rateLimit: false});
		expect(server.clientId).toBe(demoClientId);
		expect(server.clientSecret).toBe(demoClientSecret);
		const reply = await grant(
			server,
			JSON.stringify({grant_type: 'client_credentials', client_id: server.clientId, client_secret: server.clientSecret, scope: 'market:code:europe'}),
		);
		expect(reply.status).toBe(200);
		expect(reply.headers.get('content-type')).toMatch(/^application\/json/);
		expect(reply.body).toEqual({
			access_token: expect.stringMatching(/^[\w-]+\.[\w-]+\.[\w-]+$/),
			token_type: 'bearer',
			expires_in: 600,
			scope: 'market:code:europe',
			created_at: Math.floor(clock.now() / 1000),
		});
		// JWT-shaped like the real ones, with the expiry in the payload.
		const payload = JSON.parse(Buffer.from(String(reply.body['access_token']).split('.')[1]!, 'base64url').toString('utf8')) as {exp: number; test: boolean};
		expect(payload.exp).toBe(Math.floor(clock.now() / 1000) + 600);
		expect(payload.test).toBe(true);

		const token = String(reply.body['access_token']);
		const ok = await api(server, '/api/exports?page%5Bsize%5D=1', {token});
		expect(ok.status).toBe(200);
		expect(ok.body.meta.record_count).toBe(300);
	});

	it('accepts a form-encoded body and HTTP Basic client authentication, and issues distinct random tokens', async () => {
		server = await startDemoServer({rateLimit: false});
		const form = await grant(
			server,
			new URLSearchParams({grant_type: 'client_credentials', client_id: server.clientId, client_secret: server.clientSecret}).toString(),
			'application/x-www-form-urlencoded',
		);
		expect(form.status).toBe(200);
		expect(form.body['scope']).toBe('market:all');
		const basic = await grant(server, JSON.stringify({grant_type: 'client_credentials'}), 'application/json', {
			authorization: `Basic ${Buffer.from(`${server.clientId}:${server.clientSecret}`).toString('base64')}`,
		});
		expect(basic.status).toBe(200);
		expect(basic.body['access_token']).not.toBe(form.body['access_token']);
		expect(form.body['access_token']).not.toBe(server.token);
	});

	it('answers bad credentials with 401 invalid_client (numeric status) and an unknown grant with 400', async () => {
		server = await startDemoServer({rateLimit: false});
		const wrong = await grant(server, JSON.stringify({grant_type: 'client_credentials', client_id: server.clientId, client_secret: 'nope'}));
		expect(wrong.status).toBe(401);
		expect(wrong.body).toEqual({
			errors: [
				{
					code: 'UNAUTHORIZED',
					title: 'invalid_client',
					status: 401,
					detail: 'Client authentication failed due to unknown client, no client authentication included, or unsupported authentication method.',
				},
			],
		});
		const missing = await grant(server, JSON.stringify({grant_type: 'client_credentials'}));
		expect(missing.status).toBe(401);
		expect(missing.body['errors'][0].title).toBe('invalid_client');
		const password = await grant(server, JSON.stringify({grant_type: 'password', username: 'a', password: 'b'}));
		expect(password.status).toBe(400);
		expect(password.body['errors'][0]).toMatchObject({code: 'BAD_REQUEST', title: 'unsupported_grant_type', status: 400});
		const get = await fetch(`${server.url}/oauth/token`);
		expect(get.status).toBe(405);
	});

	it('expires tokens after tokenTtlSeconds by the injected clock; the pre-issued token lives on', async () => {
		const clock = createClock();
		server = await startDemoServer({now: clock.now, tokenTtlSeconds: 60, rateLimit: false});
		const reply = await grant(server, JSON.stringify({grant_type: 'client_credentials', client_id: server.clientId, client_secret: server.clientSecret}));
		const token = String(reply.body['access_token']);
		clock.advance(59_999);
		expect((await api(server, '/api/exports?page%5Bsize%5D=1', {token})).status).toBe(200);
		clock.advance(1);
		const expired = await api(server, '/api/exports?page%5Bsize%5D=1', {token});
		expect(expired.status).toBe(401);
		expect(expired.body).toEqual(invalidTokenBody);
		clock.advance(365 * 24 * 3600 * 1000);
		expect((await api(server, '/api/exports?page%5Bsize%5D=1')).status).toBe(200);
	});
});

describe('demo API: authentication and content negotiation on /api', () => {
	it('answers a missing, unknown or malformed token with 401 INVALID_TOKEN (string status)', async () => {
		server = await startDemoServer({rateLimit: false});
		for (const authorization of [undefined, 'Bearer not-a-token', `Token ${server.token}`, 'Bearer ']) {
			const headers: Record<string, string> = {accept: jsonApi};
			if (authorization !== undefined) {
				headers['authorization'] = authorization;
			}

			const response = await fetch(`${server.url}/api/exports`, {headers});
			expect(response.status).toBe(401);
			expect(response.headers.get('content-type')).toBe(jsonApi);
			expect(await response.json()).toEqual(invalidTokenBody);
		}

		for (const path of ['/api/exports/abc', '/api/exports/abc/events', '/api/skus']) {
			expect((await api(server, path, {token: null})).status).toBe(401);
		}

		const patch = await api(server, '/api/exports/abc', {method: 'PATCH', token: 'nope', headers: {'content-type': jsonApi}, body: '{}'});
		expect(patch.status).toBe(401);
	});

	it('needs Accept: application/vnd.api+json (406 NOT_ACCEPTABLE otherwise)', async () => {
		server = await startDemoServer({rateLimit: false});
		for (const accept of ['application/json', '*/*', 'text/html']) {
			const reply = await api(server, '/api/exports', {headers: {accept}});
			expect(reply.status).toBe(406);
			expect(errorOf(reply.body)).toMatchObject({code: 'NOT_ACCEPTABLE', title: 'Not acceptable', status: '406'});
			expect(errorOf(reply.body)?.detail).toContain(accept);
		}

		expect((await api(server, '/api/exports', {headers: {accept: `text/html, ${jsonApi}`}})).status).toBe(200);
	});

	it('answers unknown routes with a JSON:API 404', async () => {
		server = await startDemoServer({rateLimit: false});
		const apiRoute = await api(server, '/api/skus');
		expect(apiRoute.status).toBe(404);
		expect(errorOf(apiRoute.body)).toMatchObject({code: 'NOT_FOUND', status: '404'});
		const other = await api(server, '/nothing/here');
		expect(other.status).toBe(404);
		expect(errorOf(other.body)?.code).toBe('NOT_FOUND');
		const nested = await api(server, '/api/exports/abc/events/more');
		expect(nested.status).toBe(404);
		const method = await api(server, '/api/exports', {method: 'PUT'});
		expect(method.status).toBe(405);
		expect(errorOf(method.body)?.code).toBe('METHOD_NOT_ALLOWED');
	});
});
