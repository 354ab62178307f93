// One HTTP exchange (node-fetch over keep-alive agents, with a timeout that covers the body) and
// the retry policy around it (429 always; 5xx and network failures only for GET; nothing for a
// request that asks for no retries, such as a status count or a watch refresh).
import http from 'node:http';
import https from 'node:https';
import nodeFetch from 'node-fetch';
import {ApiError, abortError, isAbortError, networkError, timeoutError} from './errors.js';

export type FetchInit = {
	method: string;
	headers: Record<string, string>;
	body?: string;
	signal?: AbortSignal;
	redirect?: 'manual' | 'follow' | 'error';
};

export type FetchResponseLike = {
	status: number;
	statusText: string;
	headers: {get(name: string): string | null};
	text(): Promise<string>;
};

/** What the client needs from fetch; node-fetch 3 and the global fetch both fit. */
export type FetchLike = (url: string, init: FetchInit) => Promise<FetchResponseLike>;

const httpAgent = new http.Agent({keepAlive: true});
const httpsAgent = new https.Agent({keepAlive: true});

/** node-fetch with one keep-alive agent per protocol, shared by every client of this process. */
export const keepAliveFetch: FetchLike = async (url, init) =>
	nodeFetch(url, {
		...init,
		agent: (parsed: URL) => (parsed.protocol === 'http:' ? httpAgent : httpsAgent),
	});

/** Waits ms milliseconds; rejects with the abort error as soon as the signal aborts. */
export async function sleep(ms: number, signal?: AbortSignal): Promise<void> {
	if (signal?.aborted) {
		throw abortError(signal);
	}

	await new Promise<void>((resolve, reject) => {
		const onAbort = () => {
			clearTimeout(timer);
			reject(abortError(signal));
		};

		const timer = setTimeout(() => {
			signal?.removeEventListener('abort', onAbort);
			resolve();
		}, Math.max(0, ms));
		signal?.addEventListener('abort', onAbort, {once: true});
	});
}

/** The promise's outcome, or the abort error as soon as the signal aborts. */
export async function raceAbort<T>(promise: Promise<T>, signal?: AbortSignal): Promise<T> {
	if (!signal) {
		return promise;
	}

	if (signal.aborted) {
		throw abortError(signal);
	}

	return new Promise<T>((resolve, reject) => {
		const onAbort = () => {
			reject(abortError(signal));
		};

		signal.addEventListener('abort', onAbort, {once: true});
		promise.then(
			value => {
				signal.removeEventListener('abort', onAbort);
				resolve(value);
			},
			(error: unknown) => {
				signal.removeEventListener('abort', onAbort);
				reject(error as Error);
			},
		);
	});
}

export type RawResponse = {
	status: number;
	statusText: string;
	headers: {get(name: string): string | null};
	body: string;
};

/** host[:port] of a URL, for messages (never the path or query). */
export function hostOf(url: string): string {
	try {
		return new URL(url).host;
	} catch {
		return 'the server';
	}
}

/**
 * Sends one request and reads the whole body. Rejects with the caller's abort error when the
 * caller aborts, an ApiError of kind 'timeout' after timeoutMs, or kind 'network' otherwise.
 */
export async function send(
	fetch: FetchLike,
	url: string,
	init: Omit<FetchInit, 'signal'>,
	options: {signal?: AbortSignal; timeoutMs: number},
): Promise<RawResponse> {
	const {signal, timeoutMs} = options;
	if (signal?.aborted) {
		throw abortError(signal);
	}

	const controller = new AbortController();
	let timedOut = false;
	const timer = setTimeout(() => {
		timedOut = true;
		controller.abort();
	}, timeoutMs);
	const onAbort = () => {
		controller.abort();
	};

	signal?.addEventListener('abort', onAbort, {once: true});
	try {
		const response = await fetch(url, {...init, signal: controller.signal});
		const body = await response.text();
		return {status: response.status, statusText: response.statusText, headers: response.headers, body};
	} catch (error: unknown) {
		if (signal?.aborted) {
			throw abortError(signal);
		}

		if (timedOut) {
			throw timeoutError(hostOf(url), timeoutMs);
		}

		if (error instanceof ApiError || isAbortError(error)) {
			throw error;
		}

		throw networkError(error, hostOf(url));
	} finally {
		clearTimeout(timer);
		signal?.removeEventListener('abort', onAbort);
	}
}

/** Retry-After in ms: delta-seconds or an HTTP date; undefined when absent or unreadable. */
export function parseRetryAfter(value: string | null | undefined, now: number): number | undefined {
	if (value === null || value === undefined) {
		return undefined;
	}

	const text = value.trim();
	if (/^\d+(\.\d+)?$/.test(text)) {
		return Math.round(Number(text) * 1000);
	}

	const date = Date.parse(text);
	if (Number.isNaN(date)) {
		return undefined;
	}

	return Math.max(0, date - now);
}

export type RetryReason = 'rate_limited' | 'server_error' | 'network';

/**
 * `message` says what failed and when the retry comes; `cause` only what failed (for a line that
 * shows the wait itself); `status` is the HTTP status that failed, if any.
 */
export type RetryNotice = {reason: RetryReason; attempt: number; delayMs: number; message: string; cause: string; status?: number};

export type RetryPolicy = {
	/** Retries after 429 (any method). */
	rateLimited: number;
	/** Retries after 5xx or a network failure (GET only). */
	serverError: number;
	baseDelayMs: number;
	maxDelayMs: number;
	/** A Retry-After longer than this is not waited for: the 429 is reported instead. */
	maxRetryAfterMs: number;
};

export const defaultRetryPolicy: RetryPolicy = {
	rateLimited: 4,
	// Two: a failing API is asked at most three times for one thing the user did.
	serverError: 2,
	baseDelayMs: 500,
	maxDelayMs: 30_000,
	maxRetryAfterMs: 60_000,
};

/**
 * Full jitter: a random delay between 0 and min(max, base * 2^attempt). 429s start four times
 * higher than other failures, because Commerce Layer's windows are 10 s and 60 s long.
 */
export function backoffDelay(reason: RetryReason, attempt: number, policy: RetryPolicy, random: () => number): number {
	const base = reason === 'rate_limited' ? policy.baseDelayMs * 4 : policy.baseDelayMs;
	const ceiling = Math.min(policy.maxDelayMs, base * 2 ** attempt);
	return Math.floor(Math.min(1, Math.max(0, random())) * ceiling);
}

export type RetryOptions = {
	method: string;
	policy: RetryPolicy;
	signal?: AbortSignal;
	sleep: (ms: number, signal?: AbortSignal) => Promise<void>;
	random: () => number;
	onRetry?: (notice: RetryNotice) => void;
	/** False: the first failure is reported (the caller will ask again anyway). Default true. */
	retry?: boolean;
	/** Failures the caller handles itself (e.g. the token source's own back-off): never retried here. */
	final?: (error: unknown) => boolean;
};

/** Runs attempt() until it succeeds, fails for good, or the caller aborts. */
export async function withRetries<T>(attempt: () => Promise<T>, options: RetryOptions): Promise<T> {
	const {method, policy, signal} = options;
	const idempotent = method.toUpperCase() === 'GET';
	let rateLimitedRetries = 0;
	let failureRetries = 0;
	for (;;) {
		if (signal?.aborted) {
			throw abortError(signal);
		}

		try {
			return await attempt();
		} catch (error: unknown) {
			if (signal?.aborted || isAbortError(error) || !(error instanceof ApiError)) {
				throw signal?.aborted ? abortError(signal) : error;
			}

			if (options.retry === false || options.final?.(error)) {
				throw error;
			}

			let reason: RetryReason;
			let delayMs: number;
			let retryNumber: number;
			if (error.status === 429) {
				if (rateLimitedRetries >= policy.rateLimited) {
					throw error;
				}

				if (error.retryAfterMs !== undefined && error.retryAfterMs > policy.maxRetryAfterMs) {
					throw error;
				}

				reason = 'rate_limited';
				retryNumber = rateLimitedRetries++;
				delayMs = error.retryAfterMs ?? backoffDelay(reason, retryNumber, policy, options.random);
			} else if (idempotent && ((error.status !== undefined && error.status >= 500) || error.kind === 'network')) {
				if (failureRetries >= policy.serverError) {
					throw error;
				}

				reason = error.kind === 'network' ? 'network' : 'server_error';
				retryNumber = failureRetries++;
				delayMs = backoffDelay(reason, retryNumber, policy, options.random);
			} else {
				// 4xx, timeouts (the user already waited timeoutMs), invalid responses: reported at once.
				throw error;
			}

			const cause = retryCause(reason, error);
			const message = `${cause}, retrying in ${Math.ceil(delayMs / 1000)} s`;
			options.onRetry?.({reason, attempt: retryNumber + 1, delayMs, message, cause, ...(error.status === undefined ? {} : {status: error.status})});
			await options.sleep(delayMs, signal);
		}
	}
}

function retryCause(reason: RetryReason, error: ApiError): string {
	switch (reason) {
		case 'rate_limited': {
			return 'rate limited';
		}

		case 'server_error': {
			return error.status === undefined ? 'server error' : `server error ${error.status}`;
		}

		case 'network': {
			return error.detail ?? 'network error';
		}
	}
}
