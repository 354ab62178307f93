// How a download fails, in one line fit for the footer: what went wrong (the link, the network, a
// timeout, the disk, a file that is not gzip) and never the signed query string of the link.
import http from 'node:http';
import {ApiError, abortError, formatDuration, isAbortError, networkError, oneLine} from '../api/errors.js';
import {sanitize} from '../text/sanitize.js';

export type DownloadErrorKind =
	| 'not_ready'
	| 'no_attachment'
	| 'exists'
	| 'folder'
	| 'http'
	| 'network'
	| 'timeout'
	| 'incomplete'
	| 'gzip'
	| 'disk'
	| 'redirect';

/** A download that did not happen; `message` is one line fit for the footer (no token, no signed query). */
export class DownloadError extends Error {
	override readonly name = 'DownloadError';
	readonly kind: DownloadErrorKind;
	/** The destination, for kind 'exists'. */
	readonly path?: string;
	readonly status?: number;

	constructor(kind: DownloadErrorKind, message: string, details: {path?: string; status?: number} = {}) {
		super(oneLine(message));
		this.kind = kind;
		this.path = details.path;
		this.status = details.status;
	}
}

export type Context = {
	signal?: AbortSignal;
	timedOut: boolean;
	idleTimeoutMs: number;
	host: string;
	dir: string;
	destination: string;
	url: URL;
};

/** Whatever a download threw, as what the user is told. */
export function classify(error: unknown, context: Context): Error {
	if (context.signal?.aborted) {
		return abortError(context.signal);
	}

	if (error instanceof DownloadError) {
		return scrub(error, context.url);
	}

	if (error instanceof ApiError) {
		return error;
	}

	if (context.timedOut) {
		return new DownloadError('timeout', `Download failed: ${context.host} sent nothing for ${formatDuration(context.idleTimeoutMs)}`);
	}

	if (isAbortError(error)) {
		return error as Error;
	}

	const code = errorCode(error);
	if (code?.startsWith('Z_') || /incorrect header check|unexpected end of file|invalid (block type|distance|stored block)/i.test(messageOf(error))) {
		return new DownloadError('gzip', `Download failed: the file from ${context.host} is not valid gzip (${zlibReason(error)})`);
	}

	if (isFileError(error) || (code !== undefined && diskOnlyCodes.has(code))) {
		return scrub(diskError(code, context), context.url);
	}

	const detail = networkError(error, context.host).detail ?? `request to ${context.host} failed`;
	return scrub(new DownloadError('network', `Download failed: ${detail}`), context.url);
}

/** Last line of defence: no message carries the signed query string. */
function scrub(error: DownloadError, url: URL): DownloadError {
	const secrets = [url.href, url.search].filter(value => value.length > 1);
	if (!secrets.some(secret => error.message.includes(secret))) {
		return error;
	}

	let message = error.message;
	for (const secret of secrets) {
		message = message.split(secret).join(secret === url.search ? '' : `${url.origin}${url.pathname}`);
	}

	return new DownloadError(error.kind, message, {path: error.path, status: error.status});
}

function diskError(code: string | undefined, context: Context): DownloadError {
	switch (code) {
		case 'ENOSPC': {
			return new DownloadError('disk', `Download failed: the disk is full (no space left in ${context.dir})`);
		}

		case 'EDQUOT': {
			return new DownloadError('disk', `Download failed: your disk quota is used up (no space left in ${context.dir})`);
		}

		case 'EFBIG': {
			return new DownloadError('disk', `Download failed: the file is too large for the file system of ${context.dir}`);
		}

		case 'EACCES':
		case 'EPERM': {
			return new DownloadError('disk', `Download failed: no permission to write in ${context.dir}`);
		}

		case 'EROFS': {
			return new DownloadError('disk', `Download failed: ${context.dir} is on a read-only file system`);
		}

		case 'ENOENT':
		case 'ENOTDIR': {
			return new DownloadError('disk', `Download failed: the folder ${context.dir} went away`);
		}

		default: {
			return new DownloadError('disk', `Download failed: cannot write in ${context.dir}${code ? ` (${code})` : ''}`);
		}
	}
}

export function httpError(status: number, statusText: string, body: string, host: string): DownloadError {
	const reason = oneLine(statusText) || http.STATUS_CODES[status] || 'error';
	// S3's XML error: only Code and Message are shown (other elements may echo the signed request).
	const code = /<Code>([^<]{1,100})<\/Code>/.exec(body)?.[1];
	const message = /<Message>([^<]{1,200})<\/Message>/.exec(body)?.[1];
	const said = code ? ` (${sanitize(code)}${message ? `: ${sanitize(message)}` : ''})` : '';
	const expired = status === 403 && /expired/i.test(message ?? '');
	const hint = expired ? ': the download link expired, try again' : '';
	return new DownloadError('http', `Download failed: ${host} answered ${status} ${reason}${said}${hint}`, {status});
}

export function existsError(destination: string): DownloadError {
	return new DownloadError('exists', `${destination} already exists, not overwritten`, {path: destination});
}

export function errorCode(error: unknown): string | undefined {
	const code = typeof error === 'object' && error !== null ? (error as {code?: unknown}).code : undefined;
	return typeof code === 'string' ? code : undefined;
}

function messageOf(error: unknown): string {
	return error instanceof Error ? error.message : '';
}

function zlibReason(error: unknown): string {
	const message = oneLine(messageOf(error));
	return message === '' ? (errorCode(error) ?? 'corrupt data') : message;
}

/**
 * Errors only a file system raises. A write to an open file (the download's body) fails without
 * naming its path, so these codes are what tells a full disk from a network failure.
 */
const diskOnlyCodes = new Set(['ENOSPC', 'EDQUOT', 'EFBIG', 'EROFS']);

/** fs errors name their path; socket errors do not. */
function isFileError(error: unknown): boolean {
	return typeof error === 'object' && error !== null && typeof (error as {path?: unknown}).path === 'string';
}
