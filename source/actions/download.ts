// `D`: saves an export's file. The attachment_url of a listed row may be minutes old and the
// storage links expire 5 minutes after they are issued (commercelayer.md §7.4), so the export is
// retrieved again first. The link is presigned: it goes out with no Authorization header. The body
// is streamed into a temporary file next to the destination and moved into place only when it is
// complete (and, as a .gz, verified), so a failed or cancelled download leaves nothing behind and
// an existing file is never overwritten. Redirects are followed here, one by one, and only to
// https (or http on a loopback host, as the demo serves), never from https down to http.
import {randomBytes} from 'node:crypto';
import {createReadStream, createWriteStream, type WriteStream} from 'node:fs';
import {link, lstat, open, rm, rename, stat} from 'node:fs/promises';
import http from 'node:http';
import https from 'node:https';
import path from 'node:path';
import {Readable, Transform, Writable} from 'node:stream';
import {pipeline} from 'node:stream/promises';
import type {ReadableStream as WebReadableStream} from 'node:stream/web';
import {createGunzip} from 'node:zlib';
import nodeFetch from 'node-fetch';
import type {ExportsClient} from '../api/client.js';
import {ApiError, abortError, formatDuration, isAbortError, networkError, oneLine} from '../api/errors.js';
import type {ExportRecord} from '../api/types.js';
import {isLoopback} from '../connection/urls.js';
import {sanitize} from '../text/sanitize.js';
import {userAgent} from '../version.js';

export type DownloadProgress = {received: number; total?: number};

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

export type DownloadOptions = {
	client: Pick<ExportsClient, 'getExport'>;
	id: string;
	/** Used when the retrieved export does not say its format; default json. */
	format?: string | null;
	/** Destination folder (must exist). */
	dir: string;
	/** Save the decompressed `<id>.<format>` instead of `<id>.<format>.gz`. */
	gunzip?: boolean;
	signal?: AbortSignal;
	/** At the start, at most every progressIntervalMs while receiving, and once at the end. */
	onProgress?: (progress: DownloadProgress) => void;
	fetch?: DownloadFetch;
	/** Longest wait for the response and between two chunks of the body. Default 30 000. */
	idleTimeoutMs?: number;
	/** Default 100. */
	progressIntervalMs?: number;
	now?: () => number;
};

export type DownloadResult = {
	/** Absolute path of the saved file. */
	path: string;
	/** Its size on disk. */
	bytes: number;
	/** Its file name. */
	name: string;
	/** The export as retrieved just before the download. */
	record: ExportRecord;
};

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

/** `<id>.<format>.gz`, or `<id>.<format>` when decompressed; the id reduced to characters safe in a file name. */
export function downloadFileName(id: string, format: string | null | undefined, gunzip: boolean): string {
	const base =
		id
			.replace(/[^\w-]+/g, '_')
			.replace(/^[_-]+|_+$/g, '')
			.slice(0, 100) || 'export';
	const extension = fileFormat(format);
	return gunzip ? `${base}.${extension}` : `${base}.${extension}.gz`;
}

function fileFormat(format: string | null | undefined): string {
	const clean = (format ?? '').toLowerCase().replace(/[^a-z\d]+/g, '');
	return clean.slice(0, 16) || 'json';
}

const errorBodyLimit = 16 * 1024;

export async function downloadExport(options: DownloadOptions): Promise<DownloadResult> {
	const {client, id, signal} = options;
	const gunzip = options.gunzip ?? false;
	const fetch = options.fetch ?? defaultDownloadFetch;
	const idleTimeoutMs = options.idleTimeoutMs ?? 30_000;
	const progressIntervalMs = options.progressIntervalMs ?? 100;
	const now = options.now ?? Date.now;
	if (signal?.aborted) {
		throw abortError(signal);
	}

	// A fresh attachment_url: the one in the table may have expired already.
	const record = await client.getExport(id, signal);
	const shownId = sanitize(id);
	const status = record.attributes.status;
	if (status !== 'completed') {
		const state = typeof status === 'string' && status !== '' ? sanitize(status) : 'not completed';
		throw new DownloadError('not_ready', `No file to download: export ${shownId} is ${state}, not completed`);
	}

	const url = record.attributes.attachment_url;
	if (typeof url !== 'string' || url.trim() === '') {
		throw new DownloadError('no_attachment', `Export ${shownId} has no attachment to download`);
	}

	let location: URL;
	try {
		location = new URL(url);
	} catch {
		throw new DownloadError('no_attachment', `Export ${shownId} has an attachment URL that cannot be read`);
	}

	if (location.protocol !== 'https:' && location.protocol !== 'http:') {
		throw new DownloadError('no_attachment', `Export ${shownId} has an attachment URL that is not http(s)`);
	}

	if (location.protocol === 'http:' && !isLoopback(location.hostname)) {
		throw new DownloadError('no_attachment', `Export ${shownId} has an attachment URL over plain http to ${location.host}: only https is used`);
	}

	const host = location.host;
	const name = downloadFileName(id, record.attributes.format ?? options.format, gunzip);
	const dir = path.resolve(options.dir);
	const destination = path.join(dir, name);
	await checkFolder(dir);
	if (await exists(destination)) {
		throw existsError(destination);
	}

	const controller = new AbortController();
	const onAbort = () => {
		controller.abort();
	};

	signal?.addEventListener('abort', onAbort, {once: true});
	let timedOut = false;
	let timer: NodeJS.Timeout | undefined;
	const arm = () => {
		clearTimeout(timer);
		timer = setTimeout(() => {
			timedOut = true;
			controller.abort();
		}, idleTimeoutMs);
	};

	let received = 0;
	let total: number | undefined;
	let lastReport = Number.NEGATIVE_INFINITY;
	let lastReported: number | undefined;
	const report = (force: boolean) => {
		const at = now();
		if (!options.onProgress || (!force && at - lastReport < progressIntervalMs) || (force && lastReported === received)) {
			return;
		}

		lastReport = at;
		lastReported = received;
		try {
			options.onProgress(total === undefined ? {received} : {received, total});
		} catch {
			// A failing progress display must not fail the download.
		}
	};

	let temporary: string | undefined;
	try {
		arm();
		let response: DownloadResponse;
		let from = location;
		for (let hops = 0; ; hops++) {
			response = await fetch(from.href, {
				method: 'GET',
				// No Authorization: the URL is presigned, and the token must never reach the storage host.
				headers: {'User-Agent': userAgent, Accept: '*/*', 'Accept-Encoding': 'identity'},
				signal: controller.signal,
				redirect: 'manual',
			});
			const target = redirectTarget(response, from);
			if (target === undefined) {
				break;
			}

			if (response.body) {
				toReadable(response.body).resume();
			}

			if (hops >= maxRedirects) {
				throw new DownloadError('redirect', `Download failed: ${host} redirected more than ${maxRedirects} times`);
			}

			from = checkRedirect(from, target, host);
		}

		if (response.status < 200 || response.status >= 300) {
			const body = response.body ? await readSome(toReadable(response.body), errorBodyLimit) : '';
			throw httpError(response.status, response.statusText, body, host);
		}

		if (!response.body) {
			throw new DownloadError('incomplete', `Download failed: ${host} answered ${response.status} without a body`);
		}

		total = contentLength(response.headers.get('content-length'));
		report(true);
		temporary = path.join(dir, `.${name}.part-${randomBytes(6).toString('hex')}`);
		const output = createWriteStream(temporary, {flags: 'wx'});
		const counter = new Transform({
			transform(chunk: Buffer, _encoding, callback) {
				received += chunk.length;
				arm();
				report(false);
				callback(null, chunk);
			},
		});
		try {
			await (gunzip
				? pipeline(toReadable(response.body), counter, createGunzip(), output, {signal: controller.signal})
				: pipeline(toReadable(response.body), counter, output, {signal: controller.signal}));
		} finally {
			await closed(output);
		}

		clearTimeout(timer);
		if (total !== undefined && received !== total) {
			throw new DownloadError('incomplete', `Download failed: received ${formatBytes(received)} of ${formatBytes(total)} from ${host}`);
		}

		if (received === 0) {
			throw new DownloadError('incomplete', `Download failed: ${host} sent an empty file`);
		}

		if (!gunzip) {
			// The .gz is kept as is, but only if it is whole: a proxy's HTML page or a cut file fails here.
			await pipeline(createReadStream(temporary), createGunzip(), discard(), {signal: controller.signal});
		}

		report(true);
		await placeFile(temporary, destination);
		const {size} = await stat(destination);
		return {path: destination, bytes: size, name, record};
	} catch (error: unknown) {
		throw classify(error, {signal, timedOut, idleTimeoutMs, host, dir, destination, url: location});
	} finally {
		clearTimeout(timer);
		signal?.removeEventListener('abort', onAbort);
		if (temporary !== undefined) {
			// After a link the temporary name is still there; after a failure it is a partial file.
			await rm(temporary, {force: true}).catch(() => undefined);
		}
	}
}

const maxRedirects = 5;

/** Where a 3xx answer sends the download, or undefined when it is not a redirect. */
function redirectTarget(response: DownloadResponse, from: URL): string | undefined {
	if (![301, 302, 303, 307, 308].includes(response.status)) {
		return undefined;
	}

	return response.headers.get('location') ?? undefined;
}

/** The next URL, if it may be followed: https, or http on a loopback host, and never https -> http. */
function checkRedirect(from: URL, location: string, host: string): URL {
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

type Context = {
	signal?: AbortSignal;
	timedOut: boolean;
	idleTimeoutMs: number;
	host: string;
	dir: string;
	destination: string;
	url: URL;
};

function classify(error: unknown, context: Context): Error {
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

function httpError(status: number, statusText: string, body: string, host: string): DownloadError {
	const reason = oneLine(statusText) || http.STATUS_CODES[status] || 'error';
	// S3's XML error: only Code and Message are shown (other elements may echo the signed request).
	const code = /<Code>([^<]{1,100})<\/Code>/.exec(body)?.[1];
	const message = /<Message>([^<]{1,200})<\/Message>/.exec(body)?.[1];
	const said = code ? ` (${sanitize(code)}${message ? `: ${sanitize(message)}` : ''})` : '';
	const expired = status === 403 && /expired/i.test(message ?? '');
	const hint = expired ? ': the download link expired, try again' : '';
	return new DownloadError('http', `Download failed: ${host} answered ${status} ${reason}${said}${hint}`, {status});
}

function existsError(destination: string): DownloadError {
	return new DownloadError('exists', `${destination} already exists, not overwritten`, {path: destination});
}

async function checkFolder(dir: string): Promise<void> {
	let info;
	try {
		info = await stat(dir);
	} catch (error: unknown) {
		const code = errorCode(error);
		throw new DownloadError(
			'folder',
			code === 'ENOENT' ? `Download folder ${dir} does not exist` : `Download folder ${dir} cannot be read${code ? ` (${code})` : ''}`,
		);
	}

	if (!info.isDirectory()) {
		throw new DownloadError('folder', `Download folder ${dir} is not a folder`);
	}
}

async function exists(file: string): Promise<boolean> {
	try {
		await lstat(file);
		return true;
	} catch (error: unknown) {
		const code = errorCode(error);
		if (code === 'ENOENT') {
			return false;
		}

		throw new DownloadError('folder', `Cannot check whether ${file} exists${code ? ` (${code})` : ''}`);
	}
}

/** Errors of link() that mean "no hard links on this file system", not "cannot write". */
const noHardLinks = new Set(['EPERM', 'ENOTSUP', 'EOPNOTSUPP', 'ENOSYS', 'EXDEV', 'EMLINK']);

/**
 * Gives the complete temporary file its final name without ever replacing a file: link() fails
 * with EEXIST when the name is taken (atomically). Where hard links are not supported, the name
 * is first reserved with an exclusive create, then the file is moved over that reservation.
 * The temporary name is left for the caller to remove.
 */
export async function placeFile(
	temporary: string,
	destination: string,
	fs: {link: (from: string, to: string) => Promise<void>} = {link},
): Promise<void> {
	try {
		await fs.link(temporary, destination);
		return;
	} catch (error: unknown) {
		const code = errorCode(error);
		if (code === 'EEXIST') {
			throw existsError(destination);
		}

		if (code === undefined || !noHardLinks.has(code)) {
			throw error;
		}
	}

	let reservation;
	try {
		reservation = await open(destination, 'wx');
	} catch (error: unknown) {
		if (errorCode(error) === 'EEXIST') {
			throw existsError(destination);
		}

		throw error;
	}

	await reservation.close();
	try {
		await rename(temporary, destination);
	} catch (error: unknown) {
		await rm(destination, {force: true}).catch(() => undefined);
		throw error;
	}
}

function toReadable(body: NodeJS.ReadableStream | WebReadableStream<Uint8Array>): Readable {
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

async function closed(stream: WriteStream): Promise<void> {
	if (stream.closed) {
		return;
	}

	await new Promise<void>(resolve => {
		stream.once('close', () => {
			resolve();
		});
		if (!stream.destroyed && !stream.writableFinished) {
			stream.destroy();
		}
	});
}

function discard(): Writable {
	return new Writable({
		write(_chunk, _encoding, callback) {
			callback();
		},
	});
}

function contentLength(value: string | null): number | undefined {
	return value !== null && /^\d+$/.test(value.trim()) ? Number(value.trim()) : undefined;
}

function errorCode(error: unknown): string | undefined {
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

const byteUnits = ['kB', 'MB', 'GB', 'TB', 'PB'] as const;

/** `512 B`, `1.2 kB`, `34.5 MB`, `123 MB` (powers of 1000). */
export function formatBytes(bytes: number): string {
	if (!Number.isFinite(bytes) || bytes < 1000) {
		return `${Number.isFinite(bytes) ? Math.max(0, Math.round(bytes)) : 0} B`;
	}

	for (const [index, unit] of byteUnits.entries()) {
		const value = bytes / 1000 ** (index + 1);
		const text = value < 99.95 ? value.toFixed(1) : value.toFixed(0);
		if (Number(text) < 1000 || index === byteUnits.length - 1) {
			return `${text} ${unit}`;
		}
	}

	return `${bytes} B`;
}

/** A bar of exactly `width` cells, e.g. `█████░░░░░` for 0.5 and width 10; full only when done. */
export function progressBar(fraction: number, width: number): string {
	const cells = Number.isFinite(width) ? Math.max(0, Math.floor(width)) : 0;
	const part = Number.isFinite(fraction) ? Math.min(1, Math.max(0, fraction)) : 0;
	const filled = Math.min(cells, Math.floor(part * cells));
	return '█'.repeat(filled) + '░'.repeat(cells - filled);
}

/** `████░░░░░░  42% 1.2 MB of 2.9 MB`, or `1.2 MB` when the size is unknown. */
export function describeProgress(progress: DownloadProgress, barWidth = 10): string {
	const {received, total} = progress;
	if (total === undefined || total <= 0) {
		return formatBytes(received);
	}

	const fraction = Math.min(1, received / total);
	const percent = `${Math.floor(fraction * 100)}%`.padStart(4);
	return `${progressBar(fraction, barWidth)} ${percent} ${formatBytes(received)} of ${formatBytes(total)}`;
}
