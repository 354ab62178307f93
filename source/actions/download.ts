// `D`: saves an export's file. The export is retrieved again for a fresh link and the file opened
// as every reader of it does. The body is streamed into a temporary file next to
// the destination and moved into place only when it is complete (and, as a .gz, verified), so a
// failed or cancelled download leaves nothing behind and an existing file is never overwritten.
import {randomBytes} from 'node:crypto';
import {createReadStream, createWriteStream, type WriteStream} from 'node:fs';
import {link, lstat, open, rm, rename, stat} from 'node:fs/promises';
import path from 'node:path';
import {Transform, Writable} from 'node:stream';
import {pipeline} from 'node:stream/promises';
import {createGunzip} from 'node:zlib';
import type {ExportsClient} from '../api/client.js';
import type {ExportRecord} from '../api/types.js';
import {AttachmentError as DownloadError, errorCode, transferFailure, type AttachmentErrorKind} from './attachment-errors.js';
import {freshAttachment, idleTimer, openAttachment, type AttachmentFetch, type AttachmentResponse} from './attachment.js';

export {DownloadError};
export {defaultAttachmentFetch as defaultDownloadFetch} from './attachment.js';
export type DownloadResponse = AttachmentResponse;
export type DownloadFetch = AttachmentFetch;
export type DownloadErrorKind = AttachmentErrorKind;

export type DownloadProgress = {received: number; total?: number};

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
			local: (failure, code) => (isFileError(failure) || (code !== undefined && diskOnlyCodes.has(code)) ? diskError(code, dir) : undefined),
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

function diskError(code: string | undefined, dir: string): DownloadError {
	switch (code) {
		case 'ENOSPC': {
			return new DownloadError('disk', `Download failed: the disk is full (no space left in ${dir})`);
		}

		case 'EDQUOT': {
			return new DownloadError('disk', `Download failed: your disk quota is used up (no space left in ${dir})`);
		}

		case 'EFBIG': {
			return new DownloadError('disk', `Download failed: the file is too large for the file system of ${dir}`);
		}

		case 'EACCES':
		case 'EPERM': {
			return new DownloadError('disk', `Download failed: no permission to write in ${dir}`);
		}

		case 'EROFS': {
			return new DownloadError('disk', `Download failed: ${dir} is on a read-only file system`);
		}

		case 'ENOENT':
		case 'ENOTDIR': {
			return new DownloadError('disk', `Download failed: the folder ${dir} went away`);
		}

		default: {
			return new DownloadError('disk', `Download failed: cannot write in ${dir}${code ? ` (${code})` : ''}`);
		}
	}
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
