import {afterEach, describe, expect, it} from 'vitest';
import {staticToken} from '../source/api/auth.js';
import {createClient, type ClientOptions} from '../source/api/client.js';
import {ApiError, describeError, isAbortError} from '../source/api/errors.js';
import {version} from '../source/version.js';
import {exportRecord, pageBody, recordingSleep, sendJson, startServer, waitFor, type Handler, type LoopbackServer} from './helpers/api-loopback.js';
import {failure} from './helpers/failure.js';

const token = 'tok_9f8e7d6c5b4a';

let server: LoopbackServer | undefined;
afterEach(async () => {
	await server?.close();
	server = undefined;
});

async function setup(handler: Handler, options: Partial<ClientOptions> = {}) {
	server = await startServer(handler);
	const {sleep, delays} = recordingSleep();
	const client = createClient({baseUrl: server.url, auth: staticToken(token), rateLimit: false, sleep, random: () => 0.5, ...options});
	return {server, client, delays};
}

function expectOneLine(error: ApiError) {
	expect(error.message).not.toMatch(/\n/);
	expect(error.message).not.toMatch(/\bat .*\(.*:\d+:\d+\)/);
	expect(describeError(error)).toBe(error.message);
}

describe('requests', () => {
	it('sends Accept, the bearer token and a User-Agent naming cl-exports and its version', async () => {
		const {server, client} = await setup((_request, response) => {
			sendJson(response, 200, pageBody([exportRecord('a')]));
		});
		await client.listExports({page: 1, size: 25});
		const headers = server.requests[0]?.headers;
		expect(headers?.accept).toBe('application/vnd.api+json');
		expect(headers?.authorization).toBe(`Bearer ${token}`);
		expect(headers?.['user-agent']).toContain(`cl-exports/${version}`);
		expect(headers?.['content-type']).toBeUndefined();
		expect(server.requests[0]?.url).not.toContain(token);
	});

	it('sends Content-Type and the JSON:API body on PATCH, and reads the updated record', async () => {
		const {server, client} = await setup((request, response) => {
			sendJson(response, 200, {data: exportRecord('abc', {status: 'interrupted'})});
		});
		const record = await client.updateExport('abc', {_interrupt: true});
		const sent = server.requests[0];
		expect(sent?.method).toBe('PATCH');
		expect(sent?.path).toBe('/api/exports/abc');
		expect(sent?.headers['content-type']).toBe('application/vnd.api+json');
		expect(sent?.headers.accept).toBe('application/vnd.api+json');
		expect(JSON.parse(sent?.body ?? '')).toEqual({data: {type: 'exports', id: 'abc', attributes: {_interrupt: true}}});
		expect(record.attributes.status).toBe('interrupted');
	});

	it('deletes with DELETE and accepts 204 No Content', async () => {
		const {server, client} = await setup((_request, response) => {
			response.writeHead(204);
			response.end();
		});
		await expect(client.deleteExport('xyz')).resolves.toBeUndefined();
		expect(server.requests[0]?.method).toBe('DELETE');
		expect(server.requests[0]?.path).toBe('/api/exports/xyz');
		expect(server.requests[0]?.headers['content-type']).toBeUndefined();
	});

	it('percent-encodes the id of getExport', async () => {
		const {server, client} = await setup((_request, response) => {
			sendJson(response, 200, {data: exportRecord('a/b?c')});
		});
		const record = await client.getExport('a/b?c d');
		expect(server.requests[0]?.url).toBe('/api/exports/a%2Fb%3Fc%20d');
		expect(record.id).toBe('a/b?c');
	});

	it('never asks for an export whose id is a path step (".", "..") or empty: /api/exports/.. would be /api', async () => {
		const {server, client} = await setup((_request, response) => {
			sendJson(response, 200, {data: exportRecord('x')});
		});
		for (const id of ['..', '.', '']) {
			for (const request of [async () => client.getExport(id), async () => client.updateExport(id, {_interrupt: true}), async () => client.deleteExport(id)]) {
				const error = await failure(request());
				expect(error.message).toBe(`Unexpected response from ${server.host}: an export id of ${JSON.stringify(id)} cannot be asked for (no request sent)`);
			}
		}

		expect(server.requests).toEqual([]);
		// Dots inside an id are only characters.
		await client.getExport('..a');
		await client.getExport('%2e%2e');
		expect(server.requests.map(request => request.url)).toEqual(['/api/exports/..a', '/api/exports/%252e%252e']);
	});

	it('returns data, meta and links of a page', async () => {
		const {client} = await setup((_request, response) => {
			sendJson(response, 200, {
				data: [exportRecord('a'), exportRecord('b', {records_count: 7})],
				meta: {record_count: 30, page_count: 2},
				links: {first: 'f', next: 'n', last: 'l', bogus: 3},
			});
		});
		const page = await client.listExports({page: 1, size: 25, sort: ['-created_at']});
		expect(page.data.map(record => record.id)).toEqual(['a', 'b']);
		expect(page.data[1]?.attributes.records_count).toBe(7);
		expect(page.meta).toEqual({record_count: 30, page_count: 2});
		expect(page.links).toEqual({first: 'f', next: 'n', last: 'l'});
	});

	it('keeps the connection alive across requests', async () => {
		const {server, client} = await setup((_request, response) => {
			sendJson(response, 200, pageBody([]));
		});
		for (let index = 0; index < 3; index++) {
			await client.listExports({page: index + 1, size: 25});
		}

		expect(server.requests).toHaveLength(3);
		expect(server.connections).toBe(1);
		expect(server.requests[0]?.headers.connection).toBe('keep-alive');
	});

	it('reports each request through onRequest, without secrets', async () => {
		const seen: Array<{method: string; url: string}> = [];
		const {client} = await setup(
			(_request, response) => {
				sendJson(response, 200, pageBody([]));
			},
			{onRequest: info => seen.push(info)},
		);
		await client.listExports({page: 2, size: 10});
		expect(seen).toHaveLength(1);
		expect(seen[0]?.method).toBe('GET');
		expect(seen[0]?.url).toMatch(/\/api\/exports\?page%5Bnumber%5D=2&page%5Bsize%5D=10$/);
		expect(seen[0]?.url).not.toContain(token);
	});
});

describe('errors', () => {
	it('carries status, code, title and detail of a JSON:API error', async () => {
		const {client} = await setup((_request, response) => {
			sendJson(response, 404, {
				errors: [{title: 'Record not found', detail: 'The requested resource was not found. Please double-check the resource id.', code: 'RECORD_NOT_FOUND', status: '404'}],
			});
		});
		const error = await failure(client.getExport('nope'));
		expect(error.kind).toBe('http');
		expect(error.status).toBe(404);
		expect(error.code).toBe('RECORD_NOT_FOUND');
		expect(error.title).toBe('Record not found');
		expect(error.detail).toBe('The requested resource was not found. Please double-check the resource id.');
		expect(error.message).toBe('Record not found: The requested resource was not found. Please double-check the resource id.');
		expect(error.errors[0]?.status).toBe('404');
		expectOneLine(error);
	});

	it('does not retry a 400', async () => {
		const {server, client, delays} = await setup((_request, response) => {
			sendJson(response, 400, {errors: [{title: 'Invalid sort criteria', detail: 'foo is not a valid sort criteria for exports', code: 'INVALID_SORT_CRITERIA', status: '400'}]});
		});
		const error = await failure(client.listExports({page: 1, size: 25, sort: ['foo']}));
		expect(error.message).toBe('Invalid sort criteria: foo is not a valid sort criteria for exports');
		expect(server.requests).toHaveLength(1);
		expect(delays).toEqual([]);
	});

	it('reports malformed JSON on a 200 as an unexpected response', async () => {
		const {client} = await setup((_request, response) => {
			response.writeHead(200, {'Content-Type': 'application/vnd.api+json'});
			response.end('{"data": [ {"id": "a", ');
		});
		const error = await failure(client.listExports({page: 1, size: 25}));
		expect(error.kind).toBe('invalid_response');
		expect(error.message).toBe(`Unexpected response from ${server?.host}: the body of a 200 answer is not valid JSON`);
		expectOneLine(error);
	});

	it('reports an HTML page answered with 200 (a captive portal or proxy)', async () => {
		const {client} = await setup((_request, response) => {
			response.writeHead(200, {'Content-Type': 'text/html; charset=utf-8'});
			response.end('<html><body>Please log in to the Wi-Fi</body></html>');
		});
		const error = await failure(client.listExports({page: 1, size: 25}));
		expect(error.kind).toBe('invalid_response');
		expect(error.message).toBe(`Unexpected response from ${server?.host}: an HTML page instead of JSON (status 200)`);
	});

	it('reports a body of the wrong shape as an unexpected response', async () => {
		const bodies: unknown[] = [
			{data: {id: 'a'}, meta: {record_count: 1, page_count: 1}},
			{data: [{id: 5}], meta: {record_count: 1, page_count: 1}},
			{data: ['a'], meta: {record_count: 1, page_count: 1}},
			{data: [], meta: {}},
			[1, 2],
		];
		const {client} = await setup((_request, response, index) => {
			sendJson(response, 200, bodies[index]);
		});
		const messages: string[] = [];
		for (const _body of bodies) {
			const error = await failure(client.listExports({page: 1, size: 25}));
			expect(error.kind).toBe('invalid_response');
			messages.push(error.message);
		}

		expect(messages).toEqual([
			`Unexpected response from ${server?.host}: data is not a list`,
			`Unexpected response from ${server?.host}: data[0] has no string id`,
			`Unexpected response from ${server?.host}: data[0] is not an object`,
			`Unexpected response from ${server?.host}: meta.record_count or meta.page_count is missing`,
			`Unexpected response from ${server?.host}: the body is not a JSON:API document`,
		]);
	});

	it('reports an HTML error page in one line', async () => {
		const {client} = await setup((_request, response) => {
			response.writeHead(502, {'Content-Type': 'text/html'});
			response.end('<!DOCTYPE html>\n<html><head><title>502 Bad Gateway</title></head>\n<body><h1>Bad Gateway</h1></body></html>');
		});
		const error = await failure(client.getExport('a'));
		expect(error.status).toBe(502);
		expect(error.message).toBe(`Bad Gateway: ${server?.host} answered 502 with an HTML page instead of JSON`);
		expectOneLine(error);
	});

	it('reports a non-JSON error body with a short excerpt', async () => {
		const {client} = await setup((_request, response) => {
			response.writeHead(418, {'Content-Type': 'text/plain'});
			response.end('I am a teapot\nand this is line two');
		});
		const error = await failure(client.getExport('a'));
		expect(error.message).toBe(`I'm a Teapot: ${server?.host} answered 418 with a body that is not JSON: "I am a teapot and this is line two"`);
		expectOneLine(error);
	});

	it('reports a connection reset', async () => {
		const {server, client} = await setup(
			(_request, response) => {
				// The server drops the connection without answering.
				response.socket?.destroy();
			},
			{retries: {serverError: 0}},
		);
		const error = await failure(client.listExports({page: 1, size: 25}));
		expect(error.kind).toBe('network');
		expect(error.message).toBe(`Network error: connection reset by ${server.host}`);
		expect(server.requests).toHaveLength(1);
		expectOneLine(error);
	});

	it('reports a connection closed in the middle of the body', async () => {
		const {client} = await setup(
			(_request, response) => {
				response.writeHead(200, {'Content-Type': 'application/vnd.api+json', 'Content-Length': '1000'});
				response.write('{"data": [');
				setTimeout(() => response.socket?.destroy(), 20);
			},
			{retries: {serverError: 0}},
		);
		const error = await failure(client.listExports({page: 1, size: 25}));
		expect(error.kind).toBe('network');
		expect(error.message).toMatch(new RegExp(`^Network error: (connection reset by|${server?.host} closed the connection)`));
		expectOneLine(error);
	});

	it('times out when the server never answers', async () => {
		const {client} = await setup(
			() => {
				// Never answers.
			},
			{timeoutMs: 150},
		);
		const started = Date.now();
		const error = await failure(client.listExports({page: 1, size: 25}));
		expect(Date.now() - started).toBeGreaterThanOrEqual(140);
		expect(error.kind).toBe('timeout');
		expect(error.message).toBe(`Request timed out after 150 ms: ${server?.host} did not answer`);
		expect(server?.requests).toHaveLength(1);
		expectOneLine(error);
	});

	it('says so when the host cannot be resolved', async () => {
		const client = createClient({
			baseUrl: 'https://nonexistent.invalid',
			auth: staticToken(token),
			rateLimit: false,
			retries: {serverError: 0},
		});
		const error = await failure(client.listExports({page: 1, size: 25}));
		expect(error.kind).toBe('network');
		expect(error.message).toBe('Network error: cannot resolve host nonexistent.invalid');
		expectOneLine(error);
	});

	it('says so when the connection is refused', async () => {
		const {server: closed} = await setup(() => undefined);
		const url = closed.url;
		await closed.close();
		server = undefined;
		const client = createClient({baseUrl: url, auth: staticToken(token), rateLimit: false, retries: {serverError: 0}});
		const error = await failure(client.listExports({page: 1, size: 25}));
		expect(error.message).toBe(`Network error: connection refused by ${url.slice('http://'.length)}`);
	});
});

describe('aborts', () => {
	it('rejects with the abort error when the caller aborts mid-request, and does not retry', async () => {
		const notices: unknown[] = [];
		const {server, client, delays} = await setup(() => {
			// Hangs until the client gives up.
		});
		const controller = new AbortController();
		const pending = client.listExports({page: 1, size: 25}, controller.signal, {onRetry: notice => notices.push(notice)});
		await waitFor(() => server.requests.length === 1);
		controller.abort();
		const error: unknown = await pending.catch((error_: unknown) => error_);
		expect(isAbortError(error)).toBe(true);
		expect(error).not.toBeInstanceOf(ApiError);
		expect(describeError(error)).toBe('Request cancelled');
		expect(server.requests).toHaveLength(1);
		expect(notices).toEqual([]);
		expect(delays).toEqual([]);
	});

	it('rejects at once when the signal is already aborted, sending nothing', async () => {
		const {server, client} = await setup((_request, response) => {
			sendJson(response, 200, pageBody([]));
		});
		const controller = new AbortController();
		controller.abort();
		const error: unknown = await client.getExport('a', controller.signal).catch((error_: unknown) => error_);
		expect(isAbortError(error)).toBe(true);
		expect(server.requests).toHaveLength(0);
	});
});

describe('secrets', () => {
	it('never puts the token in an error, even when the server echoes it', async () => {
		const {client} = await setup((request, response, index) => {
			const echoed = request.headers.authorization ?? '';
			if (index === 0) {
				sendJson(response, 422, {errors: [{title: `bad ${echoed}`, detail: `token ${token} is not allowed here`, code: 'VALIDATION_ERROR', status: '422', meta: {token}}]});
			} else {
				response.writeHead(400, {'Content-Type': 'text/plain'});
				response.end(`you sent ${echoed}`);
			}
		});
		const first = await failure(client.getExport('a'));
		const second = await failure(client.getExport('b'));
		for (const error of [first, second]) {
			expect(error.message).not.toContain(token);
			expect(JSON.stringify(error.errors)).not.toContain(token);
			expect(error.message).toContain('[redacted]');
			expect(describeError(error)).not.toContain(token);
		}

		expect(first.message).toBe('bad Bearer [redacted]: token [redacted] is not allowed here');
	});
});

describe('describeError', () => {
	it('gives one line for anything', () => {
		expect(describeError(new Error('first\nsecond'))).toBe('first second');
		expect(describeError('plain')).toBe('plain');
		expect(describeError(undefined)).toBe('Unexpected error');
		expect(describeError({weird: true})).toBe('Unexpected error');
		expect(describeError(new RangeError('page size must be a whole number from 1 to 25, got 30'))).toBe(
			'page size must be a whole number from 1 to 25, got 30',
		);
	});
});
