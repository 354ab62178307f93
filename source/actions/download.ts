// `D`: saves an export's file. The attachment_url of a listed row may be minutes old and the
// storage links expire 5 minutes after they are issued, so the export is retrieved again first.
// The link is presigned: it goes out with no Authorization header. The body is streamed into a
// temporary file next to the destination and moved into place only when it is complete (and, as a
// .gz, verified), so a failed or cancelled download leaves nothing behind and an existing file is
// never overwritten (download-destination.ts). Redirects are followed one by one, and only to
// https (or http on a loopback host, as the demo serves), never from https down to http
// (download-http.ts).
import {randomBytes} from 'node:crypto';
import {createReadStream, createWriteStream, type WriteStream} from 'node:fs';
import {rm, stat} from 'node:fs/promises';
import path from 'node:path';
import {Transform, Writable} from 'node:stream';
import {pipeline} from 'node:stream/promises';
import {createGunzip} from 'node:zlib';
import type {ExportsClient} from '../api/client.js';
import {abortError} from '../api/errors.js';
import type {ExportRecord} from '../api/types.js';
import {isLoopback} from '../connection/urls.js';
import {sanitize} from '../text/sanitize.js';
import {userAgent} from '../version.js';
import {checkFolder, exists, placeFile} from './download-destination.js';
import {classify, DownloadError, existsError, httpError} from './download-errors.js';
import {checkRedirect, contentLength, defaultDownloadFetch, maxRedirects, readSome, redirectTarget, toReadable, type DownloadFetch, type DownloadResponse} from './download-http.js';
import {formatBytes, type DownloadProgress} from './download-progress.js';

// What the download hook loads on demand: the download, and how to tell of its progress and its failures.
export {DownloadError, type DownloadErrorKind} from './download-errors.js';
export {defaultDownloadFetch, type DownloadFetch, type DownloadResponse} from './download-http.js';
export {describeProgress, formatBytes, type DownloadProgress} from './download-progress.js';

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
			const target = redirectTarget(response);
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
