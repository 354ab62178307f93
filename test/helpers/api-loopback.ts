// A real HTTP server on 127.0.0.1 (port 0) for the API client tests: records what it receives and
// answers with whatever the test's handler decides.
import http, {type IncomingHttpHeaders, type ServerResponse} from 'node:http';
import type {AddressInfo} from 'node:net';

export type ReceivedRequest = {
	method: string;
	/** Path and query exactly as sent on the wire. */
	url: string;
	path: string;
	search: string;
	headers: IncomingHttpHeaders;
	body: string;
	/** The client port, to tell connections apart. */
	remotePort: number;
};

export type Handler = (request: ReceivedRequest, response: ServerResponse, index: number) => void | Promise<void>;

export type LoopbackServer = {
	url: string;
	host: string;
	requests: ReceivedRequest[];
	connections: number;
	close(): Promise<void>;
};

export async function startServer(handler: Handler): Promise<LoopbackServer> {
	const requests: ReceivedRequest[] = [];
	let connections = 0;
	const server = http.createServer((incoming, response) => {
		const chunks: Buffer[] = [];
		incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
		incoming.on('end', () => {
			const raw = incoming.url ?? '/';
			const queryAt = raw.indexOf('?');
			const request: ReceivedRequest = {
				method: incoming.method ?? 'GET',
				url: raw,
				path: queryAt === -1 ? raw : raw.slice(0, queryAt),
				search: queryAt === -1 ? '' : raw.slice(queryAt + 1),
				headers: incoming.headers,
				body: Buffer.concat(chunks).toString('utf8'),
				remotePort: incoming.socket.remotePort ?? 0,
			};
			const index = requests.push(request) - 1;
			Promise.resolve(handler(request, response, index)).catch((error: unknown) => {
				response.statusCode = 599;
				response.end(String(error));
			});
		});
	});
	server.on('connection', () => {
		connections++;
	});
	await new Promise<void>(resolve => {
		server.listen(0, '127.0.0.1', resolve);
	});
	const {port} = server.address() as AddressInfo;
	return {
		url: `http://127.0.0.1:${port}`,
		host: `127.0.0.1:${port}`,
		requests,
		get connections() {
			return connections;
		},
		async close() {
			server.closeAllConnections();
			await new Promise<void>(resolve => {
				server.close(() => {
					resolve();
				});
			});
		},
	};
}

export function sendJson(response: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) {
	const text = JSON.stringify(body);
	response.writeHead(status, {'Content-Type': 'application/vnd.api+json', ...headers});
	response.end(text);
}

export function exportRecord(id: string, attributes: Record<string, unknown> = {}, mode = 'test') {
	return {
		id,
		type: 'exports',
		links: {self: `/api/exports/${id}`},
		attributes: {resource_type: 'skus', format: 'json', status: 'completed', ...attributes},
		meta: {mode, organization_id: 'org'},
	};
}

export function pageBody(records: unknown[], recordCount = records.length, pageCount = 1) {
	return {data: records, meta: {record_count: recordCount, page_count: pageCount}, links: {first: '/api/exports?page%5Bnumber%5D=1'}};
}

/** Waits until the condition holds, polling every few ms (never a fixed sleep). */
export async function waitFor(condition: () => boolean, timeoutMs = 5000): Promise<void> {
	const started = Date.now();
	while (!condition()) {
		if (Date.now() - started > timeoutMs) {
			throw new Error('condition not met in time');
		}

		await new Promise(resolve => {
			setTimeout(resolve, 5);
		});
	}
}

/** A sleep for the client that returns at once and records what it was asked to wait. */
export function recordingSleep() {
	const delays: number[] = [];
	const sleep = async (ms: number, signal?: AbortSignal) => {
		delays.push(ms);
		if (signal?.aborted) {
			throw signal.reason as Error;
		}
	};

	return {delays, sleep};
}
