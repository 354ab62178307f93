// Where the bearer token comes from: a token given as is, or the OAuth2 client_credentials grant
// (docs/commerce-layer-api.md, Authentication) with the token cached until shortly before it
// expires. A token endpoint that fails is not asked again at once (it allows 30 requests a minute,
// and every request of the client needs a token): after a failure the next try waits 1 s, then
// 2, 4 … 30 s, or the Retry-After when longer, and until then the last failure is reported
// without a request.
import {userAgent} from '../version.js';
import {ApiError, abortError, errorFromResponse, redactError} from './errors.js';
import {hostOf, keepAliveFetch, parseRetryAfter, raceAbort, send, type FetchLike, type RawResponse} from './http.js';

export type {FetchLike} from './http.js';

export interface TokenSource {
	getToken(signal?: AbortSignal): Promise<string>;
	/** Called after a 401 INVALID_TOKEN; returns true if a new token may be fetched (once). */
	invalidate(token: string): boolean;
	/** Values that must be redacted from any message. */
	readonly secrets: string[];
	/** Appended to "Token rejected: …" when the API refuses this source's token. */
	readonly rejectionHint?: string;
}

export function staticToken(token: string, options: {hint?: string} = {}): TokenSource {
	return {
		async getToken(signal?: AbortSignal) {
			if (signal?.aborted) {
				throw abortError(signal);
			}

			return token;
		},
		// A token given as is cannot be renewed: a rejection is final.
		invalidate: () => false,
		secrets: [token],
		rejectionHint: options.hint ?? 'Check CL_ACCESS_TOKEN.',
	};
}

export type ClientCredentialsOptions = {
	authUrl: string;
	clientId: string;
	clientSecret: string;
	scope?: string;
	fetch?: FetchLike;
	now?: () => number;
	timeoutMs?: number;
};

/** The wait before the next token request after `failures` failed ones in a row. */
export function tokenBackoffMs(failures: number, retryAfterMs?: number): number {
	const backoff = Math.min(30_000, 1000 * 2 ** Math.max(0, failures - 1));
	return Math.min(60_000, Math.max(backoff, retryAfterMs ?? 0));
}

/** Tokens whose lifetime the server leaves out are assumed to last this long (integration default). */
const defaultLifetimeSeconds = 7200;

/** How long before expiry a cached token is replaced: min(60 s, 10% of its lifetime). */
export function refreshMarginMs(lifetimeMs: number): number {
	return Math.min(60_000, lifetimeMs * 0.1);
}

export function clientCredentials(options: ClientCredentialsOptions): TokenSource {
	const fetch = options.fetch ?? keepAliveFetch;
	const now = options.now ?? Date.now;
	const timeoutMs = options.timeoutMs ?? 15_000;
	const host = hostOf(options.authUrl);
	let cached: {token: string; refreshAt: number} | undefined;
	let inflight: Promise<string> | undefined;
	// The last failed token request, while the endpoint is left alone.
	let failed: {error: ApiError; count: number; until: number} | undefined;
	// Tokens handed out so far (the last few), so they can be redacted like the secret.
	const issued: string[] = [];
	const secrets = () => [options.clientSecret, ...issued];

	const fail = (init: ConstructorParameters<typeof ApiError>[0]) => redactError(new ApiError(init), secrets());

	async function requestToken(): Promise<string> {
		const startedAt = now();
		const body: Record<string, string> = {
			grant_type: 'client_credentials',
			client_id: options.clientId,
			client_secret: options.clientSecret,
		};
		if (options.scope) {
			body['scope'] = options.scope;
		}

		let response: RawResponse;
		try {
			response = await send(
				fetch,
				options.authUrl,
				{
					method: 'POST',
					headers: {Accept: 'application/json', 'Content-Type': 'application/json', 'User-Agent': userAgent},
					body: JSON.stringify(body),
					redirect: 'manual',
				},
				{timeoutMs},
			);
		} catch (error: unknown) {
			throw error instanceof ApiError ? redactError(error, secrets()) : error;
		}

		if (response.status < 200 || response.status >= 300) {
			const retryable = response.status === 429 || response.status >= 500;
			const error = errorFromResponse({
				status: response.status,
				statusText: response.statusText,
				contentType: response.headers.get('content-type'),
				body: response.body,
				host,
				location: response.headers.get('location'),
				retryAfterMs: parseRetryAfter(response.headers.get('retry-after'), now()),
				kind: retryable ? 'http' : 'auth',
			});
			throw fail({
				kind: error.kind,
				title: `Authentication failed (${error.title})`,
				// `Authentication failed (Internal Server Error)`, not `…: Internal Server Error` again.
				detail: error.detail === error.title ? undefined : error.detail,
				status: error.status,
				code: error.code,
				retryAfterMs: error.retryAfterMs,
				errors: error.errors,
			});
		}

		let parsed: unknown;
		try {
			parsed = JSON.parse(response.body);
		} catch {
			throw fail({kind: 'invalid_response', title: `Unexpected response from ${host}`, detail: 'the token response is not valid JSON'});
		}

		const record = typeof parsed === 'object' && parsed !== null ? (parsed as Record<string, unknown>) : {};
		const token = record['access_token'];
		if (typeof token !== 'string' || token === '') {
			throw fail({kind: 'invalid_response', title: `Unexpected response from ${host}`, detail: 'the token response has no access_token'});
		}

		const expiresIn = Number(record['expires_in']);
		const lifetimeMs = (Number.isFinite(expiresIn) && expiresIn > 0 ? expiresIn : defaultLifetimeSeconds) * 1000;
		issued.push(token);
		if (issued.length > 5) {
			issued.shift();
		}

		cached = {token, refreshAt: startedAt + lifetimeMs - refreshMarginMs(lifetimeMs)};
		return token;
	}

	return {
		async getToken(signal?: AbortSignal) {
			if (signal?.aborted) {
				throw abortError(signal);
			}

			if (cached && now() < cached.refreshAt) {
				return cached.token;
			}

			// Concurrent callers share one token request; one caller aborting does not cancel it
			// for the others (it is bounded by timeoutMs anyway).
			if (!inflight) {
				const at = now();
				if (failed && at < failed.until) {
					throw backingOff(failed.error, failed.until - at);
				}

				const request = requestToken();
				inflight = request;
				request.then(
					() => {
						inflight = undefined;
						failed = undefined;
					},
					(error: unknown) => {
						inflight = undefined;
						if (error instanceof ApiError) {
							const count = (failed?.count ?? 0) + 1;
							failed = {error, count, until: now() + tokenBackoffMs(count, error.retryAfterMs)};
						}
					},
				);
			}

			return raceAbort(inflight, signal);
		},
		invalidate(token: string) {
			if (cached?.token === token) {
				cached = undefined;
			}

			return true;
		},
		get secrets() {
			return secrets();
		},
		rejectionHint: 'Check the client id, secret and scope.',
	};
}

/** The last token failure again, saying when the endpoint will be asked next. */
function backingOff(error: ApiError, waitMs: number): ApiError {
	const next = `next token request in ${Math.max(1, Math.ceil(waitMs / 1000))} s`;
	return new ApiError({
		kind: error.kind,
		title: error.title,
		detail: error.detail === undefined ? next : `${error.detail} · ${next}`,
		status: error.status,
		code: error.code,
		retryAfterMs: waitMs,
		errors: error.errors,
	});
}
