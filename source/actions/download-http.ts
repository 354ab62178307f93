// Fetching the file: node-fetch over keep-alive agents, redirects followed one by one under the
// same rules as the link itself, and the body as a Node stream whichever fetch gave it.
import http from 'node:http';
import https from 'node:https';
import {Readable} from 'node:stream';
import type {ReadableStream as WebReadableStream} from 'node:stream/web';
import nodeFetch from 'node-fetch';
import {isLoopback} from '../connection/urls.js';
import {sanitize} from '../text/sanitize.js';
import {DownloadError} from './download-errors.js';

export type DownloadResponse = {
	status: number;
	statusText: string;
	headers: {get(name: string): string | null};
	/** node-fetch's Node stream, or the web stream of the global fetch. */
	body: NodeJS.ReadableStream | WebReadableStream<Uint8Array> | null;
};

export type DownloadFetch = (
	url: string,
	init: {method: 'GET'; headers: Record<string, string>; signal: AbortSignal; redirect: 'manual'},
) => Promise<DownloadResponse>;

const httpAgent = new http.Agent({keepAlive: true});
const httpsAgent = new https.Agent({keepAlive: true});

/**
 * node-fetch over keep-alive agents, with `compress: false`: the file is gzip, and if storage labels
 * it `Content-Encoding: gzip` node-fetch would otherwise hand us decompressed bytes for a .gz name.
 */
export const defaultDownloadFetch: DownloadFetch = async (url, init) =>
	nodeFetch(url, {
		...init,
		compress: false,
		agent: (parsed: URL) => (parsed.protocol === 'http:' ? httpAgent : httpsAgent),
	});

export const maxRedirects = 5;

/** Where a 3xx answer sends the download, or undefined when it is not a redirect. */
export function redirectTarget(response: DownloadResponse): string | undefined {
	if (![301, 302, 303, 307, 308].includes(response.status)) {
		return undefined;
	}

	return response.headers.get('location') ?? undefined;
}

/** The next URL, if it may be followed: https, or http on a loopback host, and never https -> http. */
export function checkRedirect(from: URL, location: string, host: string): URL {
	let next: URL;
	try {
		next = new URL(location, from);
	} catch {
		throw new DownloadError('redirect', `Download failed: ${host} redirected to an address that cannot be read`);
	}

	if (next.protocol !== 'https:' && next.protocol !== 'http:') {
		throw new DownloadError('redirect', `Download failed: ${host} redirected to ${sanitize(next.protocol)} (only https is followed)`);
	}

	if (next.protocol === 'http:' && from.protocol === 'https:') {
		throw new DownloadError('redirect', `Download failed: ${host} redirected from https to plain http (${next.host}): not followed`);
	}

	if (next.protocol === 'http:' && !isLoopback(next.hostname)) {
		throw new DownloadError('redirect', `Download failed: ${host} redirected to plain http (${next.host}): not followed`);
	}

	return next;
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

export async function readSome(stream: Readable, limit: number): Promise<string> {
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

export function contentLength(value: string | null): number | undefined {
	return value !== null && /^\d+$/.test(value.trim()) ? Number(value.trim()) : undefined;
}
