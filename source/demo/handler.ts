// One HTTP request to the demo server, from the log entry to the answer.
import {STATUS_CODES, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse} from 'node:http';
import {serveAttachment} from './attachments.js';
import type {DemoContext, DemoRequest} from './context.js';
import {lastingFault, takeFault} from './faults.js';
import {acceptsJsonApi, apiError, defaultErrorBody, HttpError, internalError, invalidToken, jsonApi} from './jsonapi.js';
import {countRequest} from './read-limit.js';
import {routeApi} from './routes.js';
import {grant, grantFields} from './tokens.js';
import {readBody} from './write-body.js';

const maxLoggedRequests = 10_000;

function statusText(status: number): string {
	return STATUS_CODES[status] ?? 'Unknown';
}

function delay(ms: number, timers: Set<NodeJS.Timeout>): Promise<void> {
	return new Promise(resolve => {
		const timer = setTimeout(() => {
			timers.delete(timer);
			resolve();
		}, ms);
		timers.add(timer);
	});
}

/** Drops the connection with a TCP reset where Node can (a "connection reset by peer" for the client). */
function resetConnection(request: IncomingMessage): void {
	const socket = request.socket as typeof request.socket & {resetAndDestroy?: () => void};
	if (typeof socket.resetAndDestroy === 'function') {
		socket.resetAndDestroy();
	} else {
		socket.destroy();
	}
}

/** Answers one request: an injected or lasting fault first, else the token endpoint, an attachment or the API. */
export async function handle(ctx: DemoContext, request: IncomingMessage, response: ServerResponse): Promise<void> {
	const method = (request.method ?? 'GET').toUpperCase();
	const url = new URL(request.url ?? '/', 'http://demo.invalid');
	const path = url.pathname;
	const entry: DemoRequest = {
		method,
		path,
		search: url.search.replace(/^\?/, ''),
		query: Object.fromEntries(url.searchParams),
		authorization: request.headers.authorization,
		headers: {...(request.headers as IncomingHttpHeaders)},
		status: 0,
		at: ctx.now(),
	};

	const log = () => {
		// Bounded, for a demo server left running in watch mode for days.
		if (ctx.requests.length >= maxLoggedRequests) {
			ctx.requests.splice(0, ctx.requests.length - maxLoggedRequests + 1);
		}

		ctx.requests.push(entry);
	};

	// Logged as the answer goes out, so a test that has its response also finds the entry.
	const send = (status: number, body: string | Buffer | undefined, headers: Record<string, string | number> = {}) => {
		entry.status = status;
		log();
		const payload = body === undefined ? undefined : typeof body === 'string' ? Buffer.from(body) : body;
		response.writeHead(status, {...(payload ? {'Content-Length': payload.length} : {}), ...headers});
		response.end(method === 'HEAD' ? undefined : payload);
	};

	const sendJson = (status: number, body: unknown, headers: Record<string, string | number> = {}, contentType = jsonApi) => {
		send(status, body === undefined ? undefined : JSON.stringify(body), body === undefined ? headers : {'Content-Type': contentType, ...headers});
	};

	const fault = takeFault(ctx, method, path, url.search);
	if (fault) {
		switch (fault.kind) {
			case 'status': {
				const body = fault.body === undefined ? defaultErrorBody(fault.status) : fault.body;
				if (typeof body === 'string') {
					send(fault.status, body, {'Content-Type': 'text/plain; charset=utf-8', ...fault.headers});
				} else {
					sendJson(fault.status, body, fault.headers);
				}

				return;
			}

			case 'malformed': {
				send(200, '{"data":[{"id":"XAyRWNUzyN","type":"exports","attributes":{"status":"compl', {'Content-Type': jsonApi});
				return;
			}

			case 'html': {
				const title = `${fault.status} ${statusText(fault.status)}`;
				send(fault.status, `<html>\r\n<head><title>${title}</title></head>\r\n<body>\r\n<center><h1>${title}</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n`, {
					'Content-Type': 'text/html',
				});
				return;
			}

			case 'reset': {
				log();
				resetConnection(request);
				return;
			}

			case 'hang': {
				log();
				return;
			}
		}
	}

	const lasting = lastingFault(ctx, method, path);
	if (lasting) {
		if (lasting.kind === 'reset') {
			log();
			resetConnection(request);
			return;
		}

		sendJson(lasting.status, defaultErrorBody(lasting.status), lasting.headers, path === '/oauth/token' ? 'application/json; charset=utf-8' : jsonApi);
		return;
	}

	try {
		if (path === '/oauth/token') {
			if (method !== 'POST') {
				throw apiError(405, 'METHOD_NOT_ALLOWED', 'Method not allowed', `${method} is not allowed on ${path}`);
			}

			const fields = grantFields(await readBody(request), request.headers['content-type'] ?? '', request.headers.authorization);
			const {status, body} = grant(fields, ctx.tokens, ctx.tokenTtlSeconds, ctx.now());
			sendJson(status, body, {'Cache-Control': 'no-store'}, 'application/json; charset=utf-8');
			return;
		}

		if (path.startsWith('/attachments/') && (method === 'GET' || method === 'HEAD')) {
			const {status, body, headers} = serveAttachment(ctx, path.slice('/attachments/'.length), url.searchParams);
			send(status, body, headers);
			return;
		}

		if (path !== '/api' && !path.startsWith('/api/')) {
			throw apiError(404, 'NOT_FOUND', 'Not found', `The requested resource could not be found: ${method} ${path}`);
		}

		if (ctx.latencyMs > 0) {
			await delay(ctx.latencyMs, ctx.timers);
		}

		// Reads and writes are limited apart (each its own window).
		const headers = countRequest(ctx, method);
		try {
			if (!ctx.tokens.accepts(request.headers.authorization)) {
				throw new HttpError(401, invalidToken.errors);
			}

			if (!acceptsJsonApi(request.headers.accept)) {
				throw apiError(
					406,
					'NOT_ACCEPTABLE',
					'Not acceptable',
					`All requests must use the '${jsonApi}' Accept without media type parameters. This request specified '${request.headers.accept ?? ''}'.`,
				);
			}

			const {status, body} = await routeApi(ctx, request, method, path, url.searchParams);
			sendJson(status, body, headers);
		} catch (error) {
			if (error instanceof HttpError) {
				Object.assign(error.headers, {...headers, ...error.headers});
			}

			throw error;
		}
	} catch (error) {
		if (response.headersSent || response.destroyed) {
			return;
		}

		if (error instanceof HttpError) {
			sendJson(error.status, {errors: error.errors}, error.headers);
			return;
		}

		sendJson(500, internalError);
	}
}
