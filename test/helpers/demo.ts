// Shared by the demo API tests (test/demo-*.test.ts): a controllable clock and small fetch helpers;
// and, for any test against the demo, the order the app lists its exports in.
import type {ExportRecord} from '../../source/api/types.js';
import type {DemoServer} from '../../source/demo/server.js';

/** 2026-11-15T12:00:00Z: the demo's data then spans 2026-10-16 .. 2026-11-15. */
export const anchor = Date.UTC(2026, 10, 15, 12, 0, 0);

export type Clock = {now: () => number; advance(ms: number): void; set(ms: number): void};

export function createClock(start = anchor): Clock {
	let time = start;
	return {
		now: () => time,
		advance(ms) {
			time += ms;
		},
		set(ms) {
			time = ms;
		},
	};
}

/** Newest first, as the app sorts by default. */
export function newestFirst(records: ExportRecord[]): ExportRecord[] {
	return [...records].sort((a, b) => String(b.attributes.created_at).localeCompare(String(a.attributes.created_at)));
}

export const jsonApi = 'application/vnd.api+json';

export type Reply<T = unknown> = {status: number; headers: Headers; body: T; text: string};

/** A request with a valid token and the JSON:API Accept header unless `headers` say otherwise. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- a test reads whatever JSON came back
export async function api<T = any>(server: DemoServer, path: string, init: RequestInit & {token?: string | null} = {}): Promise<Reply<T>> {
	const headers = new Headers(init.headers);
	if (!headers.has('accept')) {
		headers.set('accept', jsonApi);
	}

	const token = init.token === undefined ? server.token : init.token;
	if (token !== null && !headers.has('authorization')) {
		headers.set('authorization', `Bearer ${token}`);
	}

	const response = await fetch(`${server.url}${path}`, {...init, headers});
	const text = await response.text();
	let body: unknown = text;
	try {
		body = JSON.parse(text) as unknown;
	} catch {
		// Not JSON: the body is the text.
	}

	return {status: response.status, headers: response.headers, body: body as T, text};
}

/** A query string the way the SDK builds one (URLSearchParams.append, so brackets are encoded). */
export function query(pairs: Record<string, string | number>): string {
	const params = new URLSearchParams();
	for (const [key, value] of Object.entries(pairs)) {
		params.append(key, String(value));
	}

	return params.toString();
}

export type ListBody = {data: ExportRecord[]; meta: {record_count: number; page_count: number}; links: Record<string, string>; included?: unknown[]};

/** Walks every page of a filtered, sorted list and returns the ids in order. */
export async function listIds(server: DemoServer, params: Record<string, string | number> = {}): Promise<string[]> {
	const ids: string[] = [];
	for (let page = 1; ; page++) {
		const reply = await api<ListBody>(server, `/api/exports?${query({...params, 'page[number]': page, 'page[size]': 25})}`);
		if (reply.status !== 200) {
			throw new Error(`HTTP ${reply.status}: ${reply.text}`);
		}

		ids.push(...reply.body.data.map(record => record.id));
		if (!reply.body.links['next']) {
			return ids;
		}
	}
}

/** Filters as `filter[q][key]` pairs. */
export function filters(values: Record<string, string>): Record<string, string> {
	return Object.fromEntries(Object.entries(values).map(([key, value]) => [`filter[q][${key}]`, value]));
}

export function errorOf(body: unknown): {title?: string; detail?: string; code?: string; status?: string | number} | undefined {
	return (body as {errors?: Array<{title?: string; detail?: string; code?: string; status?: string | number}>}).errors?.[0];
}

export async function waitFor(check: () => boolean, timeoutMs = 5000): Promise<void> {
	const started = Date.now();
	while (!check()) {
		if (Date.now() - started > timeoutMs) {
			throw new Error('condition not met in time');
		}

		await new Promise(resolve => setTimeout(resolve, 10));
	}
}
