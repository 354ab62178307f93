// The App over the real demo API (real HTTP on loopback), rendered by ink-testing-library: what
// the app-*.test.tsx files share. The terminal is 100x30 there (no rows: the App's default), or
// the size a test asks for (`size: {columns: 80, rows: 24}`).
import React from 'react';
import {render} from 'ink-testing-library';
import {afterEach} from 'vitest';
import {staticToken} from '../../source/api/auth.js';
import {createClient, type ExportsClient} from '../../source/api/client.js';
import {keepAliveFetch} from '../../source/api/http.js';
import type {RateLimiter} from '../../source/api/rate-limit.js';
import type {SortKey} from '../../source/api/sort.js';
import type {ExportRecord} from '../../source/api/types.js';
import {startDemoServer, type DemoRequest, type DemoServer, type DemoServerOptions} from '../../source/demo/server.js';
import type {DownloadFetch} from '../../source/actions/download.js';
import {parseFilter} from '../../source/filter/parse.js';
import {requestFirstPage} from '../../source/hooks/page-requests.js';
import type {ClipboardTarget} from '../../source/hooks/use-jobs.js';
import type {WatchTimers} from '../../source/hooks/use-watch.js';
import type {PagerConfig} from '../../source/hooks/use-pager.js';
import {App} from '../../source/ui/App.js';
import {newestFirst} from './demo.js';
import {plain, waitFor, waitForFrame, type FrameMatcher, type WaitOptions} from './wait-for-frame.js';

export type HarnessOptions = {
	server?: DemoServerOptions;
	pageSize?: number;
	sort?: SortKey[];
	prefetch?: boolean;
	debounceMs?: number;
	retries?: {rateLimited?: number; serverError?: number; baseDelayMs?: number; maxDelayMs?: number};
	/** Wraps the client (to hold or inspect requests). */
	wrapClient?: (client: ExportsClient) => ExportsClient;
	/** The initial filter, in the prompt's syntax. */
	filterText?: string;
	/** The triage settings: watchSeconds, readOnly, downloadDir, gunzip. */
	config?: Partial<Pick<PagerConfig, 'watchSeconds' | 'readOnly' | 'downloadDir' | 'gunzip'>>;
	/** The App's clock (refresh times); pass the same function as `server.now` to share a fake clock. */
	now?: () => number;
	timers?: WatchTimers;
	clipboard?: Partial<ClipboardTarget>;
	downloadFetch?: DownloadFetch;
	/** The client's own limiter (default off, so tests see what the app itself asks for), or the one to use. */
	rateLimit?: boolean | RateLimiter;
	/**
	 * Page 1 asked for before the App mounts, as cli.tsx does: `sent` renders at once, `answered`
	 * once the answer (or the failure) is in.
	 */
	firstPage?: 'sent' | 'answered';
	/** The terminal's size (default 100x30). */
	size?: {columns: number; rows: number};
};

/** The status overview's counts: `page[size]=1` (the pages of these tests are larger). */
export function isCountRequest(query: Record<string, string> | URLSearchParams): boolean {
	const size = query instanceof URLSearchParams ? query.get('page[size]') : query['page[size]'];
	return size === '1';
}

/** A demo fault path for the page requests only (not the overview's counts). */
export const pageRequestPath = /^\/api\/exports\?(?!.*page%5Bsize%5D=1(&|$))/;

export type Harness = Awaited<ReturnType<typeof startApp>>;

/** One turn of the event loop (React schedules passive effects with setImmediate in Node). */
export async function nextTurn(): Promise<void> {
	await new Promise<void>(resolve => {
		setImmediate(resolve);
	});
}

export async function startApp(options: HarnessOptions = {}) {
	const server: DemoServer = await startDemoServer({rateLimit: false, ...options.server});
	// Requests as the client sends them (the demo logs a request when it answers it).
	const sent: string[] = [];
	/** Every request's method, url and body as it left the client. */
	const wire: Array<{method: string; url: string; body?: string}> = [];
	const base = createClient({
		async fetch(url, init) {
			wire.push({method: init.method ?? 'GET', url, ...(typeof init.body === 'string' ? {body: init.body} : {})});
			return keepAliveFetch(url, init);
		},
		baseUrl: server.url,
		auth: staticToken(server.token),
		...(options.rateLimit === true ? {} : {rateLimit: options.rateLimit ?? (false as const)}),
		retries: {serverError: 0, rateLimited: 0, baseDelayMs: 1, maxDelayMs: 1, ...options.retries},
		onRequest(info) {
			sent.push(info.url);
		},
	});
	// Calls in flight, counted around the client the App uses (so "settled" means the App has its answer).
	let inFlight = 0;
	let calls = 0;
	const track = <T,>(promise: Promise<T>): Promise<T> => {
		inFlight++;
		calls++;
		promise.then(
			() => inFlight--,
			() => inFlight--,
		);
		return promise;
	};

	const wrapped = options.wrapClient ? options.wrapClient(base) : base;
	const client: ExportsClient = {
		baseUrl: wrapped.baseUrl,
		listExports: async (...args) => track(wrapped.listExports(...args)),
		getExport: async (...args) => track(wrapped.getExport(...args)),
		updateExport: async (...args) => track(wrapped.updateExport(...args)),
		deleteExport: async (...args) => track(wrapped.deleteExport(...args)),
		createExport: async (...args) => track(wrapped.createExport(...args)),
		countExports: async (...args) => track(wrapped.countExports(...args)),
	};
	const pageSize = options.pageSize ?? 10;
	const filterText = options.filterText ?? '';
	const parsed = parseFilter(filterText);
	if (!parsed.ok) {
		throw new Error(`bad filterText: ${parsed.error}`);
	}

	const config = {pageSize, sort: options.sort ?? [{field: 'created_at', descending: true}], filterText, filters: parsed.filters, ...options.config};
	const first = options.firstPage === undefined ? undefined : requestFirstPage(client, config, options.now);
	if (options.firstPage === 'answered') {
		await first?.promise.catch(() => {});
	}

	const app = render(
		<App
			client={client}
			config={config}
			first={first}
			source="demo-store"
			demo
			prefetch={options.prefetch ?? true}
			debounceMs={options.debounceMs}
			now={options.now}
			timers={options.timers}
			clipboard={options.clipboard}
			downloadFetch={options.downloadFetch}
		/>,
	);

	if (options.size !== undefined) {
		// ink-testing-library's stdout is always 100 columns wide and has no rows: give this one a
		// size, before the App's effects read it.
		Object.defineProperty(app.stdout, 'columns', {value: options.size.columns, configurable: true});
		Object.defineProperty(app.stdout, 'rows', {value: options.size.rows, configurable: true});
		app.stdout.emit('resize');
	}

	const frame = () => plain(app.lastFrame());
	const isList = (request: DemoRequest) => request.method === 'GET' && request.path === '/api/exports';
	/** Page requests the server has answered (not the overview's counts). */
	const listRequests = (): DemoRequest[] => server.requests.filter(request => isList(request) && !isCountRequest(request.query));
	/** The overview's count requests the server has answered. */
	const countRequests = (): DemoRequest[] => server.requests.filter(request => isList(request) && isCountRequest(request.query));
	/** Page requests the client has sent (decoded), answered or not. */
	const sentLists = (): URLSearchParams[] =>
		sent
			.filter(url => new URL(url).pathname === '/api/exports')
			.map(url => new URL(url).searchParams)
			.filter(query => !isCountRequest(query));

	return {
		server,
		client,
		app,
		pageSize,
		frame,
		listRequests,
		countRequests,
		sentLists,
		wire,
		/** Client calls so far (lists, counts, retrieves, updates, deletes). */
		calls: () => calls,
		/** Resolves once no client call is on its way and the App has taken the answers. */
		async settled(message = 'the requests in flight') {
			// Effects that send requests run a turn or two after the action that asks for them.
			await nextTurn();
			await nextTurn();
			await waitFor(() => inFlight === 0, {message});
			await nextTurn();
			await nextTurn();
		},
		/**
		 * Writes each key as its own read, then lets the event loop turn once, as a terminal would
		 * between two reads (React runs the effects that subscribe the new mode's key handlers).
		 */
		async press(...input: string[]) {
			for (const text of input) {
				app.stdin.write(text);
				await nextTurn();
			}
		},
		/**
		 * Types text one key per read, as fast as the app takes them (no wait for frames). Returns
		 * the longest pause between two keys (a loaded machine can stall the typist too).
		 */
		async typeFast(text: string): Promise<number> {
			let longest = 0;
			let last: number | undefined;
			for (const char of text) {
				const now = performance.now();
				longest = last === undefined ? 0 : Math.max(longest, now - last);
				last = now;
				app.stdin.write(char);
				await nextTurn();
			}

			return longest;
		},
		/** Types text one key at a time, waiting for the frame to show each key's effect. */
		async type(text: string, shown: (typed: string) => FrameMatcher = typed => typed) {
			for (let index = 0; index < text.length; index++) {
				app.stdin.write(text[index]!);
				await nextTurn();
				await waitForFrame(app.lastFrame, shown(text.slice(0, index + 1)));
			}
		},
		async waitForFrame(matcher: FrameMatcher, wait?: WaitOptions) {
			return waitForFrame(app.lastFrame, matcher, wait);
		},
		/** The list is on screen: its size is known and no row is waiting for its page. */
		async waitForRows(wait?: WaitOptions) {
			return waitForFrame(app.lastFrame, frame => /\d exports?\b/.test(frame) && !frame.includes('⋯ loading'), {message: 'the rows on screen', ...wait});
		},
		waitFor,
		/** The expected rows of a page under the default sort. */
		page(number: number, records = server.allExports()): ExportRecord[] {
			return newestFirst(records).slice((number - 1) * pageSize, number * pageSize);
		},
		/** The line of the frame that shows an export. */
		rowOf(id: string): string | undefined {
			return frame()
				.split('\n')
				.find(line => line.includes(id));
		},
		async close() {
			app.unmount();
			await server.close();
		},
	};
}

/**
 * `open(options)` for a test file: starts the App like startApp, and closes the last one after
 * each test.
 */
export function appPerTest(): (options?: HarnessOptions) => Promise<Harness> {
	let harness: Harness | undefined;
	afterEach(async () => {
		await harness?.close();
		harness = undefined;
	});
	return async (options = {}) => {
		harness = await startApp(options);
		return harness;
	};
}
