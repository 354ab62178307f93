// The Commerce Layer exports client: JSON:API over node-fetch with the headers, token handling,
// pacing, retries and error messages docs/commerce-layer-api.md describes. Every method takes an AbortSignal so a
// React effect can cancel a request it no longer needs.
import {userAgent} from '../version.js';
import type {TokenSource} from './auth.js';
import {ApiError, abortError, errorFromResponse, looksLikeHtml, redactError} from './errors.js';
import {
	defaultRetryPolicy,
	hostOf,
	keepAliveFetch,
	parseRetryAfter,
	send,
	sleep as defaultSleep,
	withRetries,
	type FetchLike,
	type RawResponse,
	type RetryNotice,
	type RetryPolicy,
} from './http.js';
import {collectionUrl, exportUrl, listUrl, normalizeBaseUrl} from './query-string.js';
import {backgroundShare, createRateLimiter, type RateLimiter} from './rate-limit.js';
import type {ExportCreate, ExportPage, ExportRecord, ExportUpdate, Filters, ListRequest, PageLinks} from './types.js';

export type {FetchLike, RetryNotice} from './http.js';

export type RequestOptions = {
	signal?: AbortSignal;
	onRetry?: (notice: RetryNotice) => void;
	/** False: report the first failure (whoever asked will ask again: a watch refresh, a prefetch). Default true. */
	retry?: boolean;
	/** Work the user did not ask for just now (watch, prefetch): it leaves part of the rate limit free for what they do. */
	background?: boolean;
	/** The pacer holds the request until this time; `undefined` once it goes. */
	onHeld?: (until: number | undefined) => void;
	/** Called as each attempt goes on the wire (after the pacer): from then on the server may act on it. */
	onSend?: () => void;
};

export type ClientOptions = {
	/** Origin, e.g. https://acme.commercelayer.io or http://127.0.0.1:4567. */
	baseUrl: string;
	auth: TokenSource;
	/** Per attempt, body included. Default 15 000. */
	timeoutMs?: number;
	/** Defaults: 4 retries after 429, 3 after 5xx/network (GET only), 500 ms base, 30 s cap. */
	retries?: {rateLimited?: number; serverError?: number; baseDelayMs?: number; maxDelayMs?: number};
	/** Default: node-fetch with a keep-alive agent. */
	fetch?: FetchLike;
	sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
	/** Jitter source in [0, 1). */
	random?: () => number;
	/** Default: a limiter with the test-mode limits, switched to live ones when responses say so. */
	rateLimit?: RateLimiter | false;
	/**
	 * Writes (POST, PATCH, DELETE) are a rate-limit class of their own, with the same numbers:
	 * their own pacer by default, so a bulk action does not wait for the reads' room. When
	 * `rateLimit` is given and this is not, writes share that one.
	 */
	writeRateLimit?: RateLimiter | false;
	/** Called for every request sent (retries and replays included); the url holds no secret. */
	onRequest?: (info: {method: string; url: string}) => void;
};

export interface ExportsClient {
	listExports(query: ListRequest, signal?: AbortSignal, options?: RequestOptions): Promise<ExportPage>;
	getExport(id: string, signal?: AbortSignal, options?: RequestOptions): Promise<ExportRecord>;
	updateExport(id: string, attributes: ExportUpdate, signal?: AbortSignal, options?: RequestOptions): Promise<ExportRecord>;
	deleteExport(id: string, signal?: AbortSignal, options?: RequestOptions): Promise<void>;
	/** `POST /api/exports`: a new export (201), pending until the API starts it. */
	createExport(attributes: ExportCreate, signal?: AbortSignal, options?: RequestOptions): Promise<ExportRecord>;
	/**
	 * Counts under filters: page[size]=1, reads meta.record_count (the status overview). Never
	 * retried, and background work by default: the counts are asked for again soon enough.
	 */
	countExports(filters: Filters, signal?: AbortSignal, options?: RequestOptions): Promise<number>;
	readonly baseUrl: string;
}

type Call = {
	method: 'GET' | 'POST' | 'PATCH' | 'DELETE';
	url: string;
	body?: unknown;
	signal?: AbortSignal;
} & Omit<RequestOptions, 'signal'>;

export function createClient(options: ClientOptions): ExportsClient {
	const baseUrl = normalizeBaseUrl(options.baseUrl);
	const host = hostOf(baseUrl);
	const {auth} = options;
	const fetch = options.fetch ?? keepAliveFetch;
	const timeoutMs = options.timeoutMs ?? 15_000;
	const sleep = options.sleep ?? defaultSleep;
	const random = options.random ?? Math.random;
	const limiter = options.rateLimit === false ? undefined : (options.rateLimit ?? createRateLimiter());
	const writeLimiter =
		options.writeRateLimit === false ? undefined : (options.writeRateLimit ?? (options.rateLimit === undefined ? createRateLimiter() : limiter));
	const limiters = [...new Set([limiter, writeLimiter])].filter((one): one is RateLimiter => one !== undefined);
	const policy: RetryPolicy = {
		...defaultRetryPolicy,
		...definedOnly({
			rateLimited: options.retries?.rateLimited,
			serverError: options.retries?.serverError,
			baseDelayMs: options.retries?.baseDelayMs,
			maxDelayMs: options.retries?.maxDelayMs,
		}),
	};

	const invalid = (detail: string) => new ApiError({kind: 'invalid_response', title: `Unexpected response from ${host}`, detail});

	// Failures of the token source: it backs off by itself, so they are not retried here.
	const tokenFailures = new WeakSet<object>();

	/** One logical call: token, pacing, retries and the single replay after an expired token. */
	async function call(request: Call): Promise<RawResponse & {json: unknown}> {
		const {method, url, signal} = request;
		const pacer = method === 'GET' ? limiter : writeLimiter;
		let replayed = false;
		let sent = 0;
		const attempt = async (): Promise<RawResponse & {json: unknown}> => {
			for (;;) {
				let token: string;
				try {
					token = await auth.getToken(signal);
				} catch (error: unknown) {
					if (typeof error === 'object' && error !== null) {
						tokenFailures.add(error);
					}

					throw error;
				}

				// After the token, so that the pacer's grant is followed by the request at once. A retry
				// is background work: failures never take the room a key press needs.
				const share = request.background || sent > 0 ? backgroundShare : 1;
				const release = await pacer?.acquire(signal, {share, onWait: request.onHeld});
				sent++;
				const headers: Record<string, string> = {
					Accept: 'application/vnd.api+json',
					Authorization: `Bearer ${token}`,
					'User-Agent': userAgent,
				};
				let body: string | undefined;
				if (request.body !== undefined) {
					headers['Content-Type'] = 'application/vnd.api+json';
					body = JSON.stringify(request.body);
				}

				options.onRequest?.({method, url});
				request.onSend?.();
				let response: RawResponse;
				try {
					response = await send(fetch, url, {method, headers, body, redirect: 'manual'}, {signal, timeoutMs});
				} finally {
					release?.();
				}

				if (response.status >= 200 && response.status < 300) {
					return {...response, json: parseBody(response)};
				}

				const error = errorFromResponse({
					status: response.status,
					statusText: response.statusText,
					contentType: response.headers.get('content-type'),
					body: response.body,
					host,
					location: response.headers.get('location'),
					retryAfterMs: parseRetryAfter(response.headers.get('retry-after'), Date.now()),
				});
				if (response.status === 429 && error.retryAfterMs !== undefined && error.retryAfterMs <= policy.maxRetryAfterMs) {
					// The server's window of this class is full for everyone on this connection: hold every
					// request of the class, not only this one.
					pacer?.pauseFor(error.retryAfterMs);
				}

				if (response.status === 401) {
					if (error.code === 'INVALID_TOKEN' && !replayed && auth.invalidate(token)) {
						replayed = true;
						continue;
					}

					throw authError(error);
				}

				throw error;
			}
		};

		try {
			return await withRetries(attempt, {
				method,
				policy,
				signal,
				sleep,
				random,
				onRetry: request.onRetry,
				retry: request.retry,
				final: error => typeof error === 'object' && error !== null && tokenFailures.has(error),
			});
		} catch (error: unknown) {
			if (signal?.aborted) {
				throw abortError(signal);
			}

			throw error instanceof ApiError ? redactError(error, auth.secrets) : error;
		}
	}

	function parseBody(response: RawResponse): unknown {
		if (response.status === 204 || response.body.trim() === '') {
			return undefined;
		}

		try {
			return JSON.parse(response.body) as unknown;
		} catch {
			if (looksLikeHtml(response.body.trim(), response.headers.get('content-type'))) {
				throw invalid(`an HTML page instead of JSON (status ${response.status})`);
			}

			throw invalid(`the body of a ${response.status} answer is not valid JSON`);
		}
	}

	/** A 401: "Token rejected" when the token itself is refused, else the server's words. */
	function authError(error: ApiError): ApiError {
		const code = error.code;
		if (code === 'INVALID_TOKEN' || code === undefined) {
			const hint = auth.rejectionHint;
			const detail = [error.detail ?? error.title, hint].filter(Boolean).join(' ');
			return new ApiError({kind: 'auth', title: 'Token rejected', detail, status: 401, code, errors: error.errors});
		}

		return new ApiError({kind: 'auth', title: error.title, detail: error.detail, status: 401, code, errors: error.errors});
	}

	/**
	 * One export's URL. The id is percent-encoded as one path segment, but `.` and `..` stay path
	 * steps however they are written (URL parsers read `%2e` as a dot too): `/api/exports/..` is
	 * `/api`. No export has such an id, so none is asked for (nor an empty one: that is the list).
	 */
	function singleUrl(id: string): string {
		if (id === '' || id === '.' || id === '..') {
			throw invalid(`an export id of ${JSON.stringify(id)} cannot be asked for (no request sent)`);
		}

		return exportUrl(baseUrl, id);
	}

	function noteMode(records: ExportRecord[]) {
		if (limiters.some(one => one.mode !== 'live') && records.some(record => record.meta?.mode === 'live')) {
			for (const one of limiters) {
				one.setMode('live');
			}
		}
	}

	function readRecord(value: unknown, where: string): ExportRecord {
		if (typeof value !== 'object' || value === null || Array.isArray(value)) {
			throw invalid(`${where} is not an object`);
		}

		const record = value as Record<string, unknown>;
		if (typeof record['id'] !== 'string' || record['id'] === '') {
			throw invalid(`${where} has no string id`);
		}

		const attributes = record['attributes'];
		if (attributes !== undefined && attributes !== null && (typeof attributes !== 'object' || Array.isArray(attributes))) {
			throw invalid(`${where} has attributes that are not an object`);
		}

		return {
			...(record as Partial<ExportRecord>),
			id: record['id'],
			type: typeof record['type'] === 'string' ? record['type'] : 'exports',
			attributes: (attributes ?? {}) as ExportRecord['attributes'],
		};
	}

	function readSingle(json: unknown): ExportRecord {
		const data = isObject(json) ? json['data'] : undefined;
		const record = readRecord(data, 'data');
		noteMode([record]);
		return record;
	}

	function readPage(json: unknown): ExportPage {
		if (!isObject(json)) {
			throw invalid('the body is not a JSON:API document');
		}

		const data = json['data'];
		if (!Array.isArray(data)) {
			throw invalid('data is not a list');
		}

		const records = data.map((item, index) => readRecord(item, `data[${index}]`));
		const meta = json['meta'];
		const recordCount = isObject(meta) ? meta['record_count'] : undefined;
		const pageCount = isObject(meta) ? meta['page_count'] : undefined;
		if (!isCount(recordCount) || !isCount(pageCount)) {
			throw invalid('meta.record_count or meta.page_count is missing');
		}

		const links: PageLinks = {};
		const rawLinks = json['links'];
		if (isObject(rawLinks)) {
			for (const key of ['first', 'prev', 'next', 'last', 'self'] as const) {
				const link = rawLinks[key];
				if (typeof link === 'string') {
					links[key] = link;
				}
			}
		}

		noteMode(records);
		return {data: records, meta: {record_count: recordCount, page_count: pageCount}, links};
	}

	async function listExports(query: ListRequest, signal?: AbortSignal, requestOptions?: RequestOptions): Promise<ExportPage> {
		const url = listUrl(baseUrl, query);
		const response = await call({...requestOptions, method: 'GET', url, signal: signal ?? requestOptions?.signal});
		return readPage(response.json);
	}

	return {
		baseUrl,
		listExports,
		async getExport(id, signal, requestOptions) {
			const response = await call({...requestOptions, method: 'GET', url: singleUrl(id), signal: signal ?? requestOptions?.signal});
			return readSingle(response.json);
		},
		async updateExport(id, attributes, signal, requestOptions) {
			const response = await call({
				...requestOptions,
				method: 'PATCH',
				url: singleUrl(id),
				body: {data: {type: 'exports', id, attributes}},
				signal: signal ?? requestOptions?.signal,
			});
			return readSingle(response.json);
		},
		async deleteExport(id, signal, requestOptions) {
			await call({...requestOptions, method: 'DELETE', url: singleUrl(id), signal: signal ?? requestOptions?.signal});
		},
		async createExport(attributes, signal, requestOptions) {
			const response = await call({
				...requestOptions,
				method: 'POST',
				url: collectionUrl(baseUrl),
				body: {data: {type: 'exports', attributes}},
				signal: signal ?? requestOptions?.signal,
			});
			return readSingle(response.json);
		},
		async countExports(filters, signal, requestOptions) {
			const page = await listExports({page: 1, size: 1, filters}, signal, {background: true, ...requestOptions, retry: false});
			return page.meta.record_count;
		},
	};
}

function isObject(value: unknown): value is Record<string, unknown> {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isCount(value: unknown): value is number {
	return typeof value === 'number' && Number.isInteger(value) && value >= 0;
}

function definedOnly<T extends Record<string, number | undefined>>(values: T): Partial<Record<keyof T, number>> {
	const result: Partial<Record<keyof T, number>> = {};
	for (const [key, value] of Object.entries(values)) {
		if (value !== undefined) {
			result[key as keyof T] = value;
		}
	}

	return result;
}
