import type {ServerResponse} from 'node:http';
import {afterEach, describe, expect, it} from 'vitest';
import {clientCredentials, refreshMarginMs, staticToken} from '../source/api/auth.js';
import {createClient} from '../source/api/client.js';
import {ApiError, describeError, isAbortError} from '../source/api/errors.js';
import {exportRecord, pageBody, sendJson, startServer, waitFor, type LoopbackServer, type ReceivedRequest} from './helpers/api-loopback.js';
import {failure} from './helpers/failure.js';

const clientId = 'cid_integration_1';
const clientSecret = 'csecret_4f3e2d1c0b9a';

const invalidToken = {
	errors: [{title: 'Invalid token', detail: 'The access token you provided is invalid.', code: 'INVALID_TOKEN', status: '401'}],
};

let server: LoopbackServer | undefined;
afterEach(async () => {
	await server?.close();
	server = undefined;
});

type OrgOptions = {
	expiresIn?: number;
	/** Tokens the API refuses with 401 INVALID_TOKEN. */
	rejected?: Set<string>;
	tokenResponse?: (response: ServerResponse, request: ReceivedRequest) => boolean;
	/** Hold token answers until released. */
	holdTokens?: {release?: () => void; held: Array<() => void>};
};

/** A tiny organization: POST /oauth/token hands out tok-1, tok-2, …; /api/exports checks them. */
async function startOrg(options: OrgOptions = {}) {
	let issued = 0;
	const tokenRequests: ReceivedRequest[] = [];
	const apiRequests: ReceivedRequest[] = [];
	server = await startServer((request, response) => {
		if (request.path === '/oauth/token') {
			tokenRequests.push(request);
			if (options.tokenResponse?.(response, request)) {
				return;
			}

			const answer = () => {
				issued++;
				response.writeHead(200, {'Content-Type': 'application/json'});
				response.end(JSON.stringify({access_token: `tok-${issued}`, token_type: 'bearer', expires_in: options.expiresIn ?? 7200, scope: 'market:all', created_at: 0}));
			};

			if (options.holdTokens) {
				options.holdTokens.held.push(answer);
			} else {
				answer();
			}

			return;
		}

		apiRequests.push(request);
		const bearer = (request.headers.authorization ?? '').replace(/^Bearer /, '');
		if (!bearer.startsWith('tok-') || options.rejected?.has(bearer)) {
			sendJson(response, 401, invalidToken);
			return;
		}

		if (request.path === '/api/exports') {
			sendJson(response, 200, pageBody([exportRecord('a')]));
		} else {
			sendJson(response, 200, {data: exportRecord(decodeURIComponent(request.path.slice('/api/exports/'.length)))});
		}
	});
	return {server, tokenRequests, apiRequests};
}

function credentials(url: string, extra: {now?: () => number; scope?: string} = {}) {
	return clientCredentials({authUrl: `${url}/oauth/token`, clientId, clientSecret, ...extra});
}

const query = {page: 1, size: 25};

describe('client_credentials', () => {
	it('posts the grant as JSON and uses the token it gets', async () => {
		const {server, tokenRequests, apiRequests} = await startOrg();
		const client = createClient({baseUrl: server.url, auth: credentials(server.url, {scope: 'market:code:europe'}), rateLimit: false});
		await client.listExports(query);
		expect(tokenRequests).toHaveLength(1);
		const sent = tokenRequests[0];
		expect(sent?.method).toBe('POST');
		expect(sent?.headers.accept).toBe('application/json');
		expect(sent?.headers['content-type']).toBe('application/json');
		expect(sent?.headers['user-agent']).toMatch(/^cl-exports\//);
		expect(JSON.parse(sent?.body ?? '')).toEqual({
			grant_type: 'client_credentials',
			client_id: clientId,
			client_secret: clientSecret,
			scope: 'market:code:europe',
		});
		expect(apiRequests[0]?.headers.authorization).toBe('Bearer tok-1');
	});

	it('leaves scope out when none is given', async () => {
		const {server, tokenRequests} = await startOrg();
		await credentials(server.url).getToken();
		expect(JSON.parse(tokenRequests[0]?.body ?? '')).toEqual({grant_type: 'client_credentials', client_id: clientId, client_secret: clientSecret});
	});

	it('caches the token while it is valid', async () => {
		const {server, tokenRequests, apiRequests} = await startOrg();
		const client = createClient({baseUrl: server.url, auth: credentials(server.url), rateLimit: false});
		await client.listExports(query);
		await client.listExports({page: 2, size: 25});
		await client.getExport('a');
		expect(tokenRequests).toHaveLength(1);
		expect(apiRequests).toHaveLength(3);
	});

	it('fetches a new token shortly before expires_in runs out', async () => {
		let clock = 1_000_000;
		const {server, tokenRequests, apiRequests} = await startOrg({expiresIn: 100});
		const client = createClient({baseUrl: server.url, auth: credentials(server.url, {now: () => clock}), rateLimit: false});
		await client.listExports(query);
		// 100 s lifetime: refreshed when less than min(60 s, 10 s) is left.
		expect(refreshMarginMs(100_000)).toBe(10_000);
		clock += 89_000;
		await client.listExports(query);
		expect(tokenRequests).toHaveLength(1);
		clock += 2000;
		await client.listExports(query);
		expect(tokenRequests).toHaveLength(2);
		expect(apiRequests.map(request => request.headers.authorization)).toEqual(['Bearer tok-1', 'Bearer tok-1', 'Bearer tok-2']);
	});

	it('on 401 INVALID_TOKEN gets exactly one new token and replays exactly once', async () => {
		const rejected = new Set<string>();
		const {server, tokenRequests, apiRequests} = await startOrg({rejected});
		const client = createClient({baseUrl: server.url, auth: credentials(server.url), rateLimit: false});
		await client.listExports(query);
		// The server expires tok-1 before the client expected it.
		rejected.add('tok-1');
		tokenRequests.length = 0;
		apiRequests.length = 0;
		const page = await client.listExports(query);
		expect(page.data[0]?.id).toBe('a');
		expect(tokenRequests).toHaveLength(1);
		expect(apiRequests.map(request => request.headers.authorization)).toEqual(['Bearer tok-1', 'Bearer tok-2']);
	});

	it('gives up with "Token rejected" when the new token is refused too', async () => {
		const rejected = new Set(['tok-1', 'tok-2', 'tok-3']);
		const {server, tokenRequests, apiRequests} = await startOrg({rejected});
		const client = createClient({baseUrl: server.url, auth: credentials(server.url), rateLimit: false});
		const error = await failure(client.listExports(query));
		expect(error.kind).toBe('auth');
		expect(error.status).toBe(401);
		expect(error.message).toBe('Token rejected: The access token you provided is invalid. Check the client id, secret and scope.');
		expect(tokenRequests).toHaveLength(2);
		expect(apiRequests).toHaveLength(2);
	});

	it('shares one token request among concurrent callers', async () => {
		const holdTokens: {held: Array<() => void>} = {held: []};
		const {server, tokenRequests, apiRequests} = await startOrg({holdTokens});
		const client = createClient({baseUrl: server.url, auth: credentials(server.url), rateLimit: false});
		const calls = Array.from({length: 5}, async (_, index) => client.listExports({page: index + 1, size: 25}));
		await waitFor(() => holdTokens.held.length === 1);
		for (const answer of holdTokens.held) {
			answer();
		}

		await Promise.all(calls);
		expect(tokenRequests).toHaveLength(1);
		expect(apiRequests).toHaveLength(5);
		expect(new Set(apiRequests.map(request => request.headers.authorization))).toEqual(new Set(['Bearer tok-1']));
	});

	it('refreshes once for concurrent requests refused with the same expired token', async () => {
		const rejected = new Set<string>();
		const {server, tokenRequests, apiRequests} = await startOrg({rejected});
		const client = createClient({baseUrl: server.url, auth: credentials(server.url), rateLimit: false});
		await client.listExports(query);
		rejected.add('tok-1');
		tokenRequests.length = 0;
		apiRequests.length = 0;
		await Promise.all(Array.from({length: 4}, async (_, index) => client.listExports({page: index + 1, size: 25})));
		expect(tokenRequests).toHaveLength(1);
		expect(apiRequests.filter(request => request.headers.authorization === 'Bearer tok-1')).toHaveLength(4);
		expect(apiRequests.filter(request => request.headers.authorization === 'Bearer tok-2')).toHaveLength(4);
	});

	it('lets one caller abort while another still gets the shared token', async () => {
		const holdTokens: {held: Array<() => void>} = {held: []};
		const {server, tokenRequests} = await startOrg({holdTokens});
		const auth = credentials(server.url);
		const controller = new AbortController();
		const first = auth.getToken(controller.signal).catch((error: unknown) => error);
		const second = auth.getToken();
		await waitFor(() => holdTokens.held.length === 1);
		controller.abort();
		expect(isAbortError(await first)).toBe(true);
		holdTokens.held[0]?.();
		await expect(second).resolves.toBe('tok-1');
		expect(tokenRequests).toHaveLength(1);
	});

	it('reports auth endpoint errors with their numeric status', async () => {
		const {server} = await startOrg({
			tokenResponse(response) {
				response.writeHead(401, {'Content-Type': 'application/json'});
				response.end(
					JSON.stringify({
						errors: [
							{
								code: 'UNAUTHORIZED',
								title: 'invalid_client',
								status: 401,
								detail: 'Client authentication failed due to unknown client, no client authentication included, or unsupported authentication method.',
							},
						],
					}),
				);
				return true;
			},
		});
		const client = createClient({baseUrl: server.url, auth: credentials(server.url), rateLimit: false});
		const error = await failure(client.listExports(query));
		expect(error.kind).toBe('auth');
		expect(error.status).toBe(401);
		expect(error.code).toBe('UNAUTHORIZED');
		expect(error.errors[0]?.status).toBe(401);
		expect(error.message).toBe(
			'Authentication failed (invalid_client): Client authentication failed due to unknown client, no client authentication included, or unsupported authentication method.',
		);
	});

	it('leaves a failing token endpoint alone for 1, 2, 4 … 30 s after each failure, reporting the last failure meanwhile', async () => {
		let failing = true;
		const {server, tokenRequests, apiRequests} = await startOrg({
			tokenResponse(response) {
				if (!failing) {
					return false;
				}

				sendJson(response, 500, {errors: [{code: 'INTERNAL_SERVER_ERROR', title: 'Internal Server Error', status: 500}]});
				return true;
			},
		});
		let now = 0;
		const client = createClient({baseUrl: server.url, auth: credentials(server.url, {now: () => now}), rateLimit: false, retries: {baseDelayMs: 1}});
		// Watch mode at 2 s for two minutes: a request every 2 s.
		const sentAt: number[] = [];
		let last: ApiError | undefined;
		for (now = 0; now < 120_000; now += 2000) {
			const before = tokenRequests.length;
			last = await failure(client.listExports(query));
			if (tokenRequests.length > before) {
				sentAt.push(now);
			}
		}

		// One request per failure (the client does not retry them), then 1, 2, 4, 8, 16, 30, 30 s apart.
		expect(sentAt).toEqual([0, 2000, 4000, 8000, 16_000, 32_000, 62_000, 92_000]);
		expect(tokenRequests).toHaveLength(8);
		expect(apiRequests).toHaveLength(0);
		// Said once, not "Internal Server Error: Internal Server Error"; and when the next try comes.
		expect(last?.message).toBe('Authentication failed (Internal Server Error): next token request in 4 s');
		expect(last?.status).toBe(500);
		// Back: the next request after the wait gets a token.
		failing = false;
		now = 122_000;
		await expect(client.listExports(query)).resolves.toMatchObject({data: [{id: 'a'}]});
		expect(tokenRequests).toHaveLength(9);
	});

	it('wraps a single non-array errors value like js-auth does', async () => {
		const {server} = await startOrg({
			tokenResponse(response) {
				response.writeHead(400, {'Content-Type': 'application/json'});
				response.end(JSON.stringify({errors: {code: 'BAD_REQUEST', title: 'invalid_assertion', status: 400, detail: 'The assertion is invalid.'}}));
				return true;
			},
		});
		const error = await failure(credentials(server.url).getToken());
		expect(error.errors).toHaveLength(1);
		expect(error.status).toBe(400);
		expect(error.code).toBe('BAD_REQUEST');
		expect(error.message).toBe('Authentication failed (invalid_assertion): The assertion is invalid.');
	});

	it('reports a token response without access_token as unexpected', async () => {
		const {server} = await startOrg({
			tokenResponse(response) {
				response.writeHead(200, {'Content-Type': 'application/json'});
				response.end('{"token_type":"bearer"}');
				return true;
			},
		});
		const error = await failure(credentials(server.url).getToken());
		expect(error.kind).toBe('invalid_response');
		expect(error.message).toBe(`Unexpected response from ${server.host}: the token response has no access_token`);
	});

	it('never shows the client secret, even when the auth server echoes it', async () => {
		const {server} = await startOrg({
			tokenResponse(response, request) {
				const body = JSON.parse(request.body) as {client_secret: string};
				response.writeHead(401, {'Content-Type': 'application/json'});
				response.end(JSON.stringify({errors: [{code: 'UNAUTHORIZED', title: 'invalid_client', status: 401, detail: `secret ${body.client_secret} is wrong`}]}));
				return true;
			},
		});
		const auth = credentials(server.url);
		const client = createClient({baseUrl: server.url, auth, rateLimit: false});
		const error = await failure(client.listExports(query));
		expect(error.message).toBe('Authentication failed (invalid_client): secret [redacted] is wrong');
		expect(JSON.stringify(error.errors)).not.toContain(clientSecret);
		expect(describeError(error)).not.toContain(clientSecret);
		expect(auth.secrets).toContain(clientSecret);
	});

	it('never shows an issued token, even when the API echoes it', async () => {
		let issued = 0;
		const echo = await startServer((request, response) => {
			if (request.path === '/oauth/token') {
				issued++;
				sendJson(response, 200, {access_token: `tok-secret-${issued}`, expires_in: 7200});
				return;
			}

			sendJson(response, 401, {errors: [{title: 'Invalid token', detail: `${request.headers.authorization ?? ''} is invalid`, code: 'INVALID_TOKEN', status: '401'}]});
		});
		server = echo;
		const client = createClient({baseUrl: echo.url, auth: credentials(echo.url), rateLimit: false});
		const error = await failure(client.listExports(query));
		expect(error.message).toBe('Token rejected: Bearer [redacted] is invalid Check the client id, secret and scope.');
		expect(error.message).not.toMatch(/tok-secret/);
		expect(JSON.stringify(error.errors)).not.toMatch(/tok-secret/);
	});
});

describe('static token', () => {
	it('says the token was rejected, without replaying', async () => {
		const {server, apiRequests, tokenRequests} = await startOrg();
		const client = createClient({baseUrl: server.url, auth: staticToken('not-a-valid-token'), rateLimit: false});
		const error = await failure(client.listExports(query));
		expect(error.kind).toBe('auth');
		expect(error.status).toBe(401);
		expect(error.code).toBe('INVALID_TOKEN');
		expect(error.message).toBe('Token rejected: The access token you provided is invalid. Check CL_ACCESS_TOKEN.');
		expect(apiRequests).toHaveLength(1);
		expect(tokenRequests).toHaveLength(0);
	});

	it('takes a hint naming where the token came from', async () => {
		const {server} = await startOrg();
		const client = createClient({baseUrl: server.url, auth: staticToken('bad-token', {hint: 'Run cl login again.'}), rateLimit: false});
		const error = await failure(client.listExports(query));
		expect(error.message).toBe('Token rejected: The access token you provided is invalid. Run cl login again.');
	});

	it('passes a 401 that is not about the token through as is', async () => {
		const loopback = await startServer((_request, response) => {
			sendJson(response, 401, {
				errors: [{title: 'Access denied', detail: 'You are not authorized to perform this action on the requested resource.', code: 'UNAUTHORIZED', status: '401'}],
			});
		});
		server = loopback;
		const client = createClient({baseUrl: loopback.url, auth: staticToken('tok-ok'), rateLimit: false});
		const error = await failure(client.deleteExport('a'));
		expect(error.kind).toBe('auth');
		expect(error.message).toBe('Access denied: You are not authorized to perform this action on the requested resource.');
		expect(loopback.requests).toHaveLength(1);
	});
});
