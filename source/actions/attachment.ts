// Opening an export's file, for everything that reads it (saving it with `D`, peeking into it with
// `v`). The attachment_url of a listed row may be minutes old and the storage links expire 5 minutes
// after they are issued, so the export is retrieved again first. The link is presigned: it goes out
// with no Authorization header. Redirects are followed here, one by one, and only to https (or
// http on a loopback host, as the demo serves), never from https down to http. Every failure
// becomes an AttachmentError whose message is one line that never carries the signed query.
import http from 'node:http';
import https from 'node:https';
import {Readable} from 'node:stream';
import type {ReadableStream as WebReadableStream} from 'node:stream/web';
import nodeFetch from 'node-fetch';
import type {ExportsClient} from '../api/client.js';
import {abortError, oneLine} from '../api/errors.js';
import type {ExportRecord} from '../api/types.js';
import {isLoopback} from '../connection/urls.js';
import {sanitize} from '../text/sanitize.js';
import {userAgent} from '../version.js';
import {AttachmentError, words, type AttachmentPurpose, type Words} from './attachment-errors.js';

export type AttachmentResponse = {
	status: number;
	statusText: string;
	headers: {get(name: string): string | null};
	/** node-fetch's Node stream, or the web stream of the global fetch. */
	body: NodeJS.ReadableStream | WebReadableStream<Uint8Array> | null;
};

export type AttachmentFetch = (
	url: string,
	init: {method: 'GET'; headers: Record<string, string>; signal: AbortSignal; redirect: 'manual'},
) => Promise<AttachmentResponse>;

const httpAgent = new http.Agent({keepAlive: true});
const httpsAgent = new https.Agent({keepAlive: true});

/**
 * node-fetch over keep-alive agents, with `compress: false`: the file is gzip, and if storage labels
 * it `Content-Encoding: gzip` node-fetch would otherwise hand us decompressed bytes for a .gz name.
 */
export const defaultAttachmentFetch: AttachmentFetch = async (url, init) =>
	nodeFetch(url, {
		...init,
		compress: false,
		agent: (parsed: URL) => (parsed.protocol === 'http:' ? httpAgent : httpsAgent),
	});

export type FreshAttachment = {
	/** The export as retrieved just now. */
	record: ExportRecord;
	/** Its fresh link (presigned: never shown in a message). */
	url: URL;
	/** host[:port] of the link, for messages. */
	host: string;
};

/**
 * Retrieves the export for a fresh link and checks it can be read: the export is completed, and its
 * link is https (or http on a loopback host). API failures come back as the client's ApiError.
 */
export async function freshAttachment(
	client: Pick<ExportsClient, 'getExport'>,
	id: string,
	purpose: AttachmentPurpose,
	signal?: AbortSignal,
): Promise<FreshAttachment> {
	if (signal?.aborted) {
		throw abortError(signal);
	}

	const said = words[purpose];
	const record = await client.getExport(id, signal);
	const shownId = sanitize(id);
	const status = record.attributes.status;
	if (status !== 'completed') {
		const state = typeof status === 'string' && status !== '' ? sanitize(status) : 'not completed';
		throw new AttachmentError('not_ready', `${said.noFile}: export ${shownId} is ${state}, not completed`);
	}

	const link = record.attributes.attachment_url;
	if (typeof link !== 'string' || link.trim() === '') {
		throw new AttachmentError('no_attachment', `Export ${shownId} ${said.noAttachment}`);
	}

	let url: URL;
	try {
		url = new URL(link);
	} catch {
		throw new AttachmentError('no_attachment', `Export ${shownId} has an attachment URL that cannot be read`);
	}

	if (url.protocol !== 'https:' && url.protocol !== 'http:') {
		throw new AttachmentError('no_attachment', `Export ${shownId} has an attachment URL that is not http(s)`);
	}

	if (url.protocol === 'http:' && !isLoopback(url.hostname)) {
		throw new AttachmentError('no_attachment', `Export ${shownId} has an attachment URL over plain http to ${url.host}: only https is used`);
	}

	return {record, url, host: url.host};
}

export const maxRedirects = 5;
const errorBodyLimit = 16 * 1024;

export type OpenedAttachment = {
	response: AttachmentResponse;
	/** The body, as a Node stream. */
	body: Readable;
	/** Content-Length, when the answer gave one. */
	total?: number;
};

/**
 * GETs the file at `url`, following redirects one by one, and hands back a 2xx answer's body to
 * read. `signal` aborts the request (and the body). Anything else than a 2xx with a body throws an
 * AttachmentError; failures of the transfer itself are for `transferFailure` to name.
 */
export async function openAttachment(
	url: URL,
	options: {purpose: AttachmentPurpose; signal: AbortSignal; fetch?: AttachmentFetch},
): Promise<OpenedAttachment> {
	const fetch = options.fetch ?? defaultAttachmentFetch;
	const failed = words[options.purpose].failed;
	const host = url.host;
	let response: AttachmentResponse;
	let from = url;
	for (let hops = 0; ; hops++) {
		response = await fetch(from.href, {
			method: 'GET',
			// No Authorization: the URL is presigned, and the token must never reach the storage host.
			headers: {'User-Agent': userAgent, Accept: '*/*', 'Accept-Encoding': 'identity'},
			signal: options.signal,
			redirect: 'manual',
		});
		const target = redirectTarget(response);
		if (target === undefined) {
			break;
		}

		if (response.body) {
			toReadable(response.body).resume();
		}

		if (hops >= maxRedirects) {
			throw new AttachmentError('redirect', `${failed}: ${host} redirected more than ${maxRedirects} times`);
		}

		from = checkRedirect(from, target, host, failed);
	}

	if (response.status < 200 || response.status >= 300) {
		const body = response.body ? await readSome(toReadable(response.body), errorBodyLimit) : '';
		throw httpError(response.status, response.statusText, body, host, words[options.purpose]);
	}

	if (!response.body) {
		throw new AttachmentError('incomplete', `${failed}: ${host} answered ${response.status} without a body`);
	}

	const total = contentLength(response.headers.get('content-length'));
	return {response, body: toReadable(response.body), ...(total === undefined ? {} : {total})};
}

/** Where a 3xx answer sends the request, or undefined when it is not a redirect. */
function redirectTarget(response: AttachmentResponse): string | undefined {
	if (![301, 302, 303, 307, 308].includes(response.status)) {
		return undefined;
	}

	return response.headers.get('location') ?? undefined;
}

/** The next URL, if it may be followed: https, or http on a loopback host, and never https -> http. */
function checkRedirect(from: URL, location: string, host: string, failed: string): URL {
	let next: URL;
	try {
		next = new URL(location, from);
	} catch {
		throw new AttachmentError('redirect', `${failed}: ${host} redirected to an address that cannot be read`);
	}

	if (next.protocol !== 'https:' && next.protocol !== 'http:') {
		throw new AttachmentError('redirect', `${failed}: ${host} redirected to ${sanitize(next.protocol)} (only https is followed)`);
	}

	if (next.protocol === 'http:' && from.protocol === 'https:') {
		throw new AttachmentError('redirect', `${failed}: ${host} redirected from https to plain http (${next.host}): not followed`);
	}

	if (next.protocol === 'http:' && !isLoopback(next.hostname)) {
		throw new AttachmentError('redirect', `${failed}: ${host} redirected to plain http (${next.host}): not followed`);
	}

	return next;
}

function httpError(status: number, statusText: string, body: string, host: string, said: Words): AttachmentError {
	const reason = oneLine(statusText) || http.STATUS_CODES[status] || 'error';
	// S3's XML error: only Code and Message are shown (other elements may echo the signed request).
	const code = /<Code>([^<]{1,100})<\/Code>/.exec(body)?.[1];
	const message = /<Message>([^<]{1,200})<\/Message>/.exec(body)?.[1];
	const details = code ? ` (${sanitize(code)}${message ? `: ${sanitize(message)}` : ''})` : '';
	const expired = status === 403 && /expired/i.test(message ?? '');
	const hint = expired ? `: ${said.expired}` : '';
	return new AttachmentError('http', `${said.failed}: ${host} answered ${status} ${reason}${details}${hint}`, {status});
}

/**
 * Aborts `controller` when `ms` pass without `arm()`: the longest wait for the answer and between
 * two chunks of the body.
 */
export function idleTimer(controller: AbortController, ms: number): {arm(): void; clear(): void; readonly timedOut: boolean} {
	let timer: NodeJS.Timeout | undefined;
	let timedOut = false;
	return {
		arm() {
			clearTimeout(timer);
			timer = setTimeout(() => {
				timedOut = true;
				controller.abort();
			}, ms);
		},
		clear() {
			clearTimeout(timer);
		},
		get timedOut() {
			return timedOut;
		},
	};
}

export function toReadable(body: NodeJS.ReadableStream | WebReadableStream<Uint8Array>): Readable {
	if (body instanceof Readable) {
		return body;
	}

	if (typeof (body as WebReadableStream<Uint8Array>).getReader === 'function') {
		return Readable.fromWeb(body as WebReadableStream<Uint8Array>);
	}

	return Readable.from(body as AsyncIterable<Uint8Array>);
}

async function readSome(stream: Readable, limit: number): Promise<string> {
	const chunks: Buffer[] = [];
	let length = 0;
	try {
		for await (const chunk of stream) {
			const buffer = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as Uint8Array);
			chunks.push(buffer);
			length += buffer.length;
			if (length >= limit) {
				break;
			}
		}
	} catch {
		// The status line says enough.
	}

	stream.destroy();
	return Buffer.concat(chunks).subarray(0, limit).toString('utf8');
}

function contentLength(value: string | null): number | undefined {
	return value !== null && /^\d+$/.test(value.trim()) ? Number(value.trim()) : undefined;
}

