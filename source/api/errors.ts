// Errors of the Commerce Layer client. Every failure the client reports is an ApiError whose
// message is one line a person can read: the UI and --json mode print `message` and nothing else.
import {STATUS_CODES} from 'node:http';

export type ApiErrorKind = 'http' | 'network' | 'timeout' | 'invalid_response' | 'auth';

/** One entry of a JSON:API `errors` array; the auth endpoint sends `status` as a number. */
export type ApiErrorEntry = {
	title?: string;
	detail?: string;
	code?: string;
	status?: string | number;
	source?: unknown;
	meta?: unknown;
};

export type ApiErrorInit = {
	kind: ApiErrorKind;
	title: string;
	detail?: string;
	status?: number;
	code?: string;
	retryAfterMs?: number;
	errors?: ApiErrorEntry[];
};

export class ApiError extends Error {
	override readonly name = 'ApiError';
	readonly kind: ApiErrorKind;
	readonly status?: number;
	readonly code?: string;
	readonly title: string;
	readonly detail?: string;
	readonly retryAfterMs?: number;
	readonly errors: ApiErrorEntry[];

	constructor(init: ApiErrorInit) {
		const title = oneLine(init.title) || 'Request failed';
		const detail = init.detail === undefined ? undefined : oneLine(init.detail) || undefined;
		super(detail ? `${title}: ${detail}` : title);
		this.kind = init.kind;
		this.title = title;
		this.detail = detail;
		this.status = init.status;
		this.code = init.code;
		this.retryAfterMs = init.retryAfterMs;
		this.errors = init.errors ?? [];
	}
}

/** True for the rejection of a cancelled request (node-fetch's AbortError or a DOMException). */
export function isAbortError(error: unknown): boolean {
	return typeof error === 'object' && error !== null && (error as {name?: unknown}).name === 'AbortError';
}

/** The error a cancelled operation rejects with: the signal's reason when it is an AbortError. */
export function abortError(signal?: AbortSignal): Error {
	const reason: unknown = signal?.reason;
	if (reason instanceof Error && isAbortError(reason)) {
		return reason;
	}

	return new DOMException('The operation was aborted.', 'AbortError');
}

/** One line for anything thrown, fit for a status line. Never a stack trace. */
export function describeError(error: unknown): string {
	if (error instanceof ApiError) {
		return error.message;
	}

	if (isAbortError(error)) {
		return 'Request cancelled';
	}

	if (error instanceof Error) {
		return oneLine(error.message) || error.name || 'Unexpected error';
	}

	if (typeof error === 'string') {
		return oneLine(error) || 'Unexpected error';
	}

	return 'Unexpected error';
}

/** Collapses whitespace (including newlines) and drops control characters. */
export function oneLine(text: string): string {
	return text.replace(/[\u0000-\u001F\u007F-\u009F]+/g, ' ').replace(/\s+/g, ' ').trim();
}

/** `errors` as an array of entries: js-auth wraps a single non-array value, so do we. */
export function normalizeErrors(value: unknown): ApiErrorEntry[] {
	const list = Array.isArray(value) ? value : value === undefined || value === null ? [] : [value];
	const entries: ApiErrorEntry[] = [];
	for (const item of list) {
		if (typeof item === 'string') {
			entries.push({title: item});
			continue;
		}

		if (typeof item !== 'object' || item === null) {
			continue;
		}

		const record = item as Record<string, unknown>;
		const entry: ApiErrorEntry = {};
		if (typeof record['title'] === 'string') {
			entry.title = record['title'];
		}

		if (typeof record['detail'] === 'string') {
			entry.detail = record['detail'];
		}

		if (typeof record['code'] === 'string') {
			entry.code = record['code'];
		}

		if (typeof record['status'] === 'string' || typeof record['status'] === 'number') {
			entry.status = record['status'];
		}

		if ('source' in record) {
			entry.source = record['source'];
		}

		if ('meta' in record) {
			entry.meta = record['meta'];
		}

		entries.push(entry);
	}

	return entries;
}

export type ErrorResponse = {
	status: number;
	statusText?: string;
	contentType?: string | null;
	body: string;
	/** host[:port] named in messages. */
	host: string;
	location?: string | null;
	retryAfterMs?: number;
	kind?: ApiErrorKind;
};

/** Turns a non-2xx answer into an ApiError, whatever its body is. */
export function errorFromResponse(response: ErrorResponse): ApiError {
	const {status, body, host} = response;
	const kind = response.kind ?? 'http';
	const reason = statusReason(status, response.statusText);
	const base = {kind, status, retryAfterMs: response.retryAfterMs};
	const trimmed = body.trim();

	if (trimmed === '') {
		return new ApiError({...base, title: reason, detail: `${host} answered ${status} with an empty body`});
	}

	if (looksLikeHtml(trimmed, response.contentType)) {
		return new ApiError({...base, title: reason, detail: `${host} answered ${status} with an HTML page instead of JSON`});
	}

	let parsed: unknown;
	try {
		parsed = JSON.parse(trimmed);
	} catch {
		if (status >= 300 && status < 400 && response.location) {
			return new ApiError({...base, title: reason, detail: `${host} answered ${status}, redirecting to ${response.location}`});
		}

		return new ApiError({...base, title: reason, detail: `${host} answered ${status} with a body that is not JSON: "${snippet(trimmed)}"`});
	}

	const errors = typeof parsed === 'object' && parsed !== null ? normalizeErrors((parsed as {errors?: unknown}).errors) : [];
	const first = errors[0];
	if (!first) {
		// Some servers answer {"error": "...", "error_description": "..."} (plain OAuth2).
		const record = typeof parsed === 'object' && parsed !== null ? (parsed as Record<string, unknown>) : {};
		const error = typeof record['error'] === 'string' ? record['error'] : undefined;
		const description = typeof record['error_description'] === 'string' ? record['error_description'] : undefined;
		return new ApiError({
			...base,
			title: error ?? reason,
			detail: description ?? (error ? undefined : `${host} answered ${status} without an error description`),
			code: error,
		});
	}

	return new ApiError({
		...base,
		title: first.title ?? first.code ?? reason,
		detail: first.detail,
		code: first.code,
		errors,
	});
}

type SystemError = {code?: unknown; errno?: unknown; cause?: unknown; message?: unknown; type?: unknown};

function errorCode(error: unknown): string | undefined {
	let current: unknown = error;
	for (let depth = 0; depth < 4 && typeof current === 'object' && current !== null; depth++) {
		const candidate = current as SystemError;
		if (typeof candidate.code === 'string' && candidate.code !== '') {
			return candidate.code;
		}

		if (typeof candidate.errno === 'string' && candidate.errno !== '') {
			return candidate.errno;
		}

		current = candidate.cause;
	}

	return undefined;
}

const tlsCodes = new Set([
	'CERT_HAS_EXPIRED',
	'DEPTH_ZERO_SELF_SIGNED_CERT',
	'SELF_SIGNED_CERT_IN_CHAIN',
	'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
	'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
	'ERR_TLS_CERT_ALTNAME_INVALID',
	'EPROTO',
]);

/** One line for a failure below HTTP (DNS, TCP, TLS), naming the host and never the URL. */
export function networkError(error: unknown, host: string): ApiError {
	const code = errorCode(error);
	const message = typeof (error as SystemError | undefined)?.message === 'string' ? String((error as SystemError).message) : '';
	let detail: string;
	switch (code) {
		case 'ENOTFOUND':
		case 'EAI_AGAIN':
		case 'EAI_NONAME':
		case 'EAI_FAIL': {
			detail = `cannot resolve host ${hostname(host)}`;
			break;
		}

		case 'ECONNREFUSED': {
			detail = `connection refused by ${host}`;
			break;
		}

		case 'ECONNRESET':
		case 'EPIPE':
		case 'UND_ERR_SOCKET': {
			detail = `connection reset by ${host}`;
			break;
		}

		case 'ERR_STREAM_PREMATURE_CLOSE': {
			detail = `${host} closed the connection before the response was complete`;
			break;
		}

		case 'ETIMEDOUT':
		case 'UND_ERR_CONNECT_TIMEOUT': {
			detail = `connection to ${host} timed out`;
			break;
		}

		case 'EHOSTUNREACH':
		case 'ENETUNREACH':
		case 'ENETDOWN': {
			detail = `${host} is unreachable (${code})`;
			break;
		}

		default: {
			if (code && tlsCodes.has(code)) {
				detail = `TLS problem with ${host} (${code})`;
			} else if (/premature close/i.test(message)) {
				detail = `${host} closed the connection before the response was complete`;
			} else if (/socket hang up/i.test(message)) {
				detail = `connection reset by ${host}`;
			} else {
				detail = `request to ${host} failed${code ? ` (${code})` : ''}`;
			}
		}
	}

	return new ApiError({kind: 'network', title: 'Network error', detail, code});
}

export function timeoutError(host: string, timeoutMs: number): ApiError {
	return new ApiError({kind: 'timeout', title: `Request timed out after ${formatDuration(timeoutMs)}`, detail: `${host} did not answer`});
}

/** `15 s`, `1.5 s`, `200 ms`. */
export function formatDuration(ms: number): string {
	if (ms < 1000) {
		return `${Math.round(ms)} ms`;
	}

	const seconds = ms / 1000;
	return `${Number.isInteger(seconds) ? seconds : seconds.toFixed(1)} s`;
}

/** Replaces every secret (token, client secret) in the error's texts. */
export function redactError(error: ApiError, secrets: readonly string[]): ApiError {
	const usable = secrets.filter(secret => secret.length >= 4);
	if (usable.length === 0) {
		return error;
	}

	const hasSecret = (text: string | undefined) => text !== undefined && usable.some(secret => text.includes(secret));
	const errorsText = JSON.stringify(error.errors);
	if (!hasSecret(error.message) && !hasSecret(errorsText) && !hasSecret(error.code)) {
		return error;
	}

	const clean = (text: string) => redact(text, usable);
	return new ApiError({
		kind: error.kind,
		title: clean(error.title),
		detail: error.detail === undefined ? undefined : clean(error.detail),
		status: error.status,
		code: error.code === undefined ? undefined : clean(error.code),
		retryAfterMs: error.retryAfterMs,
		errors: JSON.parse(clean(errorsText)) as ApiErrorEntry[],
	});
}

export function redact(text: string, secrets: readonly string[]): string {
	let result = text;
	for (const secret of secrets) {
		if (secret.length >= 4) {
			result = result.split(secret).join('[redacted]');
			// JSON-escaped forms of the secret (e.g. inside a stringified errors array).
			const escaped = JSON.stringify(secret).slice(1, -1);
			if (escaped !== secret) {
				result = result.split(escaped).join('[redacted]');
			}
		}
	}

	return result;
}

function statusReason(status: number, statusText?: string): string {
	const text = statusText && statusText.trim() !== '' ? statusText.trim() : STATUS_CODES[status];
	return text ?? `HTTP ${status}`;
}

export function looksLikeHtml(body: string, contentType?: string | null): boolean {
	if (contentType && /\btext\/html\b/i.test(contentType)) {
		return true;
	}

	return /^<(!doctype\s+html|html|head|body)\b/i.test(body);
}

function snippet(text: string): string {
	const line = oneLine(text);
	return line.length > 80 ? `${line.slice(0, 79)}…` : line;
}

function hostname(host: string): string {
	// host may be "name:port" or "[::1]:port"; DNS failures are about the name alone.
	const match = /^(\[[^\]]+\]|[^:]+)(:\d+)?$/.exec(host);
	return match?.[1] ?? host;
}
