// The failures of reading an export's file, each one line fit for the footer that never carries
// the signed query of the link: what storage answered, what the transfer met (a reset, a stall, bytes
// that are not gzip), and, for the callers, what their own side met (a full disk, a file that is
// not JSON). The words depend on what the file is read for.
import {ApiError, abortError, formatDuration, isAbortError, networkError, oneLine} from '../api/errors.js';

export type AttachmentErrorKind =
	| 'not_ready'
	| 'no_attachment'
	| 'http'
	| 'network'
	| 'timeout'
	| 'incomplete'
	| 'gzip'
	| 'redirect'
	// Saving it.
	| 'exists'
	| 'folder'
	| 'disk'
	// Reading what is in it.
	| 'format'
	| 'too_large';

/** Reading an export's file failed; `message` is one line fit for the footer (no token, no signed query). */
export class AttachmentError extends Error {
	override readonly name = 'AttachmentError';
	readonly kind: AttachmentErrorKind;
	/** The destination, for kind 'exists'. */
	readonly path?: string;
	readonly status?: number;

	constructor(kind: AttachmentErrorKind, message: string, details: {path?: string; status?: number} = {}) {
		super(oneLine(message));
		this.kind = kind;
		this.path = details.path;
		this.status = details.status;
	}
}

/** What the file is being read for, which the messages say. */
export type AttachmentPurpose = 'download' | 'peek';

export type Words = {failed: string; noFile: string; noAttachment: string; expired: string};

export const words: Record<AttachmentPurpose, Words> = {
	download: {
		failed: 'Download failed',
		noFile: 'No file to download',
		noAttachment: 'has no attachment to download',
		expired: 'the download link expired, try again',
	},
	peek: {
		failed: 'Cannot read the file',
		noFile: 'No file to look into',
		noAttachment: 'has no attachment to look into',
		expired: 'the link expired, try again',
	},
};

/** `Download failed` / `Cannot read the file`: the start of a transfer failure's message. */
export function failedPrefix(purpose: AttachmentPurpose): string {
	return words[purpose].failed;
}

export type TransferContext = {
	purpose: AttachmentPurpose;
	/** The caller's signal: when it aborted, the failure is its abort error. */
	signal?: AbortSignal;
	timedOut: boolean;
	idleTimeoutMs: number;
	host: string;
	url: URL;
	/** Names failures only the caller knows (a full disk); undefined for the others. */
	local?: (error: unknown, code: string | undefined) => AttachmentError | undefined;
};

/** One AttachmentError (or the abort error, or the client's ApiError) for anything a transfer threw. */
export function transferFailure(error: unknown, context: TransferContext): Error {
	const failed = words[context.purpose].failed;
	if (context.signal?.aborted) {
		return abortError(context.signal);
	}

	if (error instanceof AttachmentError) {
		return scrub(error, context.url);
	}

	if (error instanceof ApiError) {
		return error;
	}

	if (context.timedOut) {
		return new AttachmentError('timeout', `${failed}: ${context.host} sent nothing for ${formatDuration(context.idleTimeoutMs)}`);
	}

	if (isAbortError(error)) {
		return error as Error;
	}

	const code = errorCode(error);
	if (isGzipError(error)) {
		return new AttachmentError('gzip', `${failed}: the file from ${context.host} is not valid gzip (${zlibReason(error)})`);
	}

	const local = context.local?.(error, code);
	if (local) {
		return scrub(local, context.url);
	}

	const detail = networkError(error, context.host).detail ?? `request to ${context.host} failed`;
	return scrub(new AttachmentError('network', `${failed}: ${detail}`), context.url);
}

/** zlib's complaints: a body that is not gzip, or a gzip stream cut short. */
export function isGzipError(error: unknown): boolean {
	return (
		errorCode(error)?.startsWith('Z_') === true ||
		/incorrect header check|unexpected end of file|invalid (block type|distance|stored block)/i.test(messageOf(error))
	);
}

/** Last line of defence: no message carries the signed query string. */
function scrub(error: AttachmentError, url: URL): AttachmentError {
	const secrets = [url.href, url.search].filter(value => value.length > 1);
	if (!secrets.some(secret => error.message.includes(secret))) {
		return error;
	}

	let message = error.message;
	for (const secret of secrets) {
		message = message.split(secret).join(secret === url.search ? '' : `${url.origin}${url.pathname}`);
	}

	return new AttachmentError(error.kind, message, {path: error.path, status: error.status});
}

export function errorCode(error: unknown): string | undefined {
	const code = typeof error === 'object' && error !== null ? (error as {code?: unknown}).code : undefined;
	return typeof code === 'string' ? code : undefined;
}

function messageOf(error: unknown): string {
	return error instanceof Error ? error.message : '';
}

export function zlibReason(error: unknown): string {
	const message = oneLine(messageOf(error));
	return message === '' ? (errorCode(error) ?? 'corrupt data') : message;
}
