// `D`: saves an export's file. The export is retrieved again for a fresh link and the file opened
// as every reader of it does (attachment.ts: presigned, no Authorization, redirects checked one by
// one). The body is streamed into a temporary file next to the destination and moved into place
// only when it is complete (and, as a .gz, verified), so a failed or cancelled download leaves
// nothing behind and an existing file is never overwritten (download-destination.ts).
import {randomBytes} from 'node:crypto';
import {createReadStream, createWriteStream, type WriteStream} from 'node:fs';
import {rm, stat} from 'node:fs/promises';
import path from 'node:path';
import {Transform, Writable} from 'node:stream';
import {pipeline} from 'node:stream/promises';
import {createGunzip} from 'node:zlib';
import type {ExportsClient} from '../api/client.js';
import type {ExportRecord} from '../api/types.js';
import {transferFailure} from './attachment-errors.js';
import {freshAttachment, idleTimer, openAttachment, type AttachmentFetch} from './attachment.js';
import {checkFolder, exists, placeFile} from './download-destination.js';
import {DownloadError, existsError, localFailure} from './download-errors.js';
import {formatBytes, type DownloadProgress} from './download-progress.js';

// What the download hook loads on demand: the download, and how to tell of its progress and its failures.
export {DownloadError, type DownloadErrorKind} from './download-errors.js';
export {defaultAttachmentFetch as defaultDownloadFetch} from './attachment.js';
export {describeProgress, formatBytes, type DownloadProgress} from './download-progress.js';
export type DownloadFetch = AttachmentFetch;

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

export async function downloadExport(options: DownloadOptions): Promise<DownloadResult> {
	const {client, id, signal} = options;
	const gunzip = options.gunzip ?? false;
	const idleTimeoutMs = options.idleTimeoutMs ?? 30_000;
	const progressIntervalMs = options.progressIntervalMs ?? 100;
	const now = options.now ?? Date.now;
	const {record, url: location, host} = await freshAttachment(client, id, 'download', signal);
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
	const idle = idleTimer(controller, idleTimeoutMs);

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
		idle.arm();
		const opened = await openAttachment(location, {purpose: 'download', signal: controller.signal, fetch: options.fetch});
		total = opened.total;
		report(true);
		temporary = path.join(dir, `.${name}.part-${randomBytes(6).toString('hex')}`);
		const output = createWriteStream(temporary, {flags: 'wx'});
		const counter = new Transform({
			transform(chunk: Buffer, _encoding, callback) {
				received += chunk.length;
				idle.arm();
				report(false);
				callback(null, chunk);
			},
		});
		try {
			await (gunzip
				? pipeline(opened.body, counter, createGunzip(), output, {signal: controller.signal})
				: pipeline(opened.body, counter, output, {signal: controller.signal}));
		} finally {
			await closed(output);
		}

		idle.clear();
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
		throw transferFailure(error, {
			purpose: 'download',
			signal,
			timedOut: idle.timedOut,
			idleTimeoutMs,
			host,
			url: location,
			local: (failure, code) => localFailure(failure, code, dir),
		});
	} finally {
		idle.clear();
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
