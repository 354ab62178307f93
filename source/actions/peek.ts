// `v`: the first records of an export's file, read as it arrives and never written anywhere. The
// body goes through gunzip into a streaming parser (JSON: the file is one array of objects; CSV: a
// header line, then one record a line), and reading stops as soon as enough is in: the request is
// aborted and every stream destroyed. So memory stays bounded whatever the file is: at most `limit`
// records are kept, and at most `maxBytes` are read, before or after gunzip (a gzip bomb, a record
// that never ends, a stream of empty gzip members). What the file holds is kept as data: values may
// carry control characters, and the view sanitizes them when it draws them.
import {Transform} from 'node:stream';
import {pipeline} from 'node:stream/promises';
import {createGunzip} from 'node:zlib';
import type {ExportsClient} from '../api/client.js';
import {abortError} from '../api/errors.js';
import type {ExportRecord} from '../api/types.js';
import {formatNumber} from '../text/numbers.js';
import {AttachmentError, failedPrefix, isGzipError, transferFailure} from './attachment-errors.js';
import {freshAttachment, idleTimer, openAttachment, type AttachmentFetch} from './attachment.js';
import {after, csvRecords, fileFormatFailure, jsonRecords, megabytes, type FileRecord} from './file-records.js';

/** One record of the file: an object of the JSON array, or a CSV line keyed by the header. */
export type PeekRecord = FileRecord;

export type PeekFormat = 'json' | 'csv';

export type PeekProgress = {
	/** Records parsed so far. */
	records: number;
	/** Bytes of the (compressed) file received so far. */
	received: number;
	/** The file's size, when storage said it. */
	total?: number;
};

export type PeekFileOptions = {
	/** A fresh link to the file (see freshAttachment). */
	url: URL;
	format: PeekFormat;
	/** Records to keep. Default 200. */
	limit?: number;
	/** Bytes to read at most, compressed and decompressed alike. Default 8 MiB. */
	maxBytes?: number;
	/** A CSV record larger than this is refused. Default 1 MiB. */
	maxRecordBytes?: number;
	signal?: AbortSignal;
	/** At the start, at most every progressIntervalMs while reading, and once at the end. */
	onProgress?: (progress: PeekProgress) => void;
	fetch?: AttachmentFetch;
	/** Longest wait for the answer and between two chunks of the body. Default 30 000. */
	idleTimeoutMs?: number;
	/** Default 100. */
	progressIntervalMs?: number;
	now?: () => number;
};

export type PeekFileResult = {
	format: PeekFormat;
	/** The first records of the file, at most `limit`. */
	records: PeekRecord[];
	/** The CSV header, or the keys of the JSON records in the order they first appear. */
	columns: string[];
	/** True when the whole file was read (`records` is all of it). */
	complete: boolean;
	/** Why reading stopped before the end: `limit` records were read, or `maxBytes`. */
	stopped?: 'limit' | 'bytes';
	/** Bytes of the (compressed) file received. */
	received: number;
	/** Bytes of data read from it, after gunzip. */
	read: number;
	/** The file's size, when storage said it. */
	total?: number;
};

export type PeekOptions = Omit<PeekFileOptions, 'url' | 'format'> & {
	client: Pick<ExportsClient, 'getExport'>;
	id: string;
	/** Used when the retrieved export does not say its format; default json. */
	format?: string | null;
};

export type PeekResult = PeekFileResult & {
	/** The export as retrieved just before (with the link that was read). */
	record: ExportRecord;
};

export const defaultPeekLimit = 200;
export const defaultPeekBytes = 8 * 1024 * 1024;
const defaultRecordBytes = 1024 * 1024;

/** `csv` for CSV, JSON for anything else (the API's default format). */
export function peekFormat(format: string | null | undefined): PeekFormat {
	return typeof format === 'string' && format.trim().toLowerCase() === 'csv' ? 'csv' : 'json';
}

/**
 * Retrieves the export for a fresh link (as `y` and `D` do), then reads the first records of its
 * file. Throws an AttachmentError (one line), the client's ApiError, or the abort error.
 */
export async function peekExport(options: PeekOptions): Promise<PeekResult> {
	const {client, id, signal} = options;
	const {record, url} = await freshAttachment(client, id, 'peek', signal);
	const format = peekFormat(record.attributes.format ?? options.format);
	const result = await peekFile({...options, url, format});
	return {...result, record};
}

/** Reads the first records of the gzipped file at `url`. */
export async function peekFile(options: PeekFileOptions): Promise<PeekFileResult> {
	const {url, format, signal} = options;
	const limit = Math.max(1, Math.floor(options.limit ?? defaultPeekLimit));
	const maxBytes = Math.max(1, options.maxBytes ?? defaultPeekBytes);
	const maxRecordBytes = Math.max(1, options.maxRecordBytes ?? defaultRecordBytes);
	const idleTimeoutMs = options.idleTimeoutMs ?? 30_000;
	const progressIntervalMs = options.progressIntervalMs ?? 100;
	const now = options.now ?? Date.now;
	const host = url.host;
	if (signal?.aborted) {
		throw abortError(signal);
	}

	const controller = new AbortController();
	const onAbort = () => {
		controller.abort();
	};

	signal?.addEventListener('abort', onAbort, {once: true});
	const idle = idleTimer(controller, idleTimeoutMs);

	const records: PeekRecord[] = [];
	let received = 0;
	let inflated = 0;
	let total: number | undefined;
	let stopped: 'limit' | 'bytes' | undefined;
	let header: string[] | undefined;
	let lastReport = Number.NEGATIVE_INFINITY;
	let lastReported: string | undefined;
	const report = (force: boolean) => {
		const at = now();
		const progress: PeekProgress = total === undefined ? {records: records.length, received} : {records: records.length, received, total};
		const key = `${progress.records}:${progress.received}`;
		if (!options.onProgress || (!force && at - lastReport < progressIntervalMs) || (force && lastReported === key)) {
			return;
		}

		lastReport = at;
		lastReported = key;
		try {
			options.onProgress(progress);
		} catch {
			// A failing progress display must not fail the reading.
		}
	};

	/** Enough is read: the request and every stream stop here. */
	const stop = (why: 'limit' | 'bytes') => {
		stopped ??= why;
		controller.abort();
	};

	try {
		idle.arm();
		const opened = await openAttachment(url, {purpose: 'peek', signal: controller.signal, fetch: options.fetch});
		total = opened.total;
		report(true);
		const meter = new Transform({
			transform(chunk: Buffer, _encoding, callback) {
				received += chunk.length;
				idle.arm();
				report(false);
				if (received > maxBytes) {
					stop('bytes');
					callback();
					return;
				}

				callback(null, chunk);
			},
		});
		const budget = new Transform({
			transform(chunk: Buffer, _encoding, callback) {
				inflated += chunk.length;
				if (inflated > maxBytes) {
					stop('bytes');
					callback();
					return;
				}

				callback(null, chunk);
			},
		});
		const parser = format === 'csv' ? csvRecords(maxRecordBytes, names => (header = names)) : jsonRecords();
		await pipeline(
			opened.body,
			meter,
			createGunzip(),
			budget,
			parser,
			async (source: AsyncIterable<PeekRecord>) => {
				for await (const row of source) {
					if (records.length >= limit) {
						// One record more than kept: the file goes on.
						stop('limit');
						return;
					}

					records.push(row);
					report(false);
				}
			},
			{signal: controller.signal},
		);
		idle.clear();
		if (total !== undefined && received < total) {
			throw new AttachmentError(
				'incomplete',
				`${failedPrefix('peek')}: received ${formatNumber(received)} of ${formatNumber(total)} bytes from ${host}${after(records.length)}`,
			);
		}
	} catch (error: unknown) {
		if (signal?.aborted || stopped === undefined) {
			throw peekFailure(error, {signal, timedOut: idle.timedOut, idleTimeoutMs, host, url, records: records.length, maxRecordBytes});
		}

		if (records.length === 0) {
			throw new AttachmentError('too_large', `${failedPrefix('peek')}: no whole record in the first ${megabytes(maxBytes)} of the file`);
		}
	} finally {
		idle.clear();
		signal?.removeEventListener('abort', onAbort);
	}

	report(true);
	return {
		format,
		records,
		columns: header ?? keysOf(records),
		complete: stopped === undefined,
		...(stopped === undefined ? {} : {stopped}),
		received,
		read: inflated,
		...(total === undefined ? {} : {total}),
	};
}

/** Every key of the records, in the order they first appear. */
function keysOf(records: readonly PeekRecord[]): string[] {
	const seen = new Set<string>();
	for (const record of records) {
		for (const key of Object.keys(record)) {
			seen.add(key);
		}
	}

	return [...seen];
}

type PeekFailureContext = {
	signal?: AbortSignal;
	timedOut: boolean;
	idleTimeoutMs: number;
	host: string;
	url: URL;
	records: number;
	maxRecordBytes: number;
};

/** One line for what stopped the reading: the file's content first, then the transfer. */
function peekFailure(error: unknown, context: PeekFailureContext): Error {
	const failed = failedPrefix('peek');
	if (!context.signal?.aborted && !context.timedOut) {
		const format = fileFormatFailure(error, context.maxRecordBytes);
		if (format) {
			return format;
		}

		if (isGzipError(error) && /unexpected end of file/i.test(error instanceof Error ? error.message : '')) {
			return new AttachmentError('gzip', `${failed}: the file from ${context.host} is cut short (its gzip data ends early)${after(context.records)}`);
		}
	}

	return transferFailure(error, {
		purpose: 'peek',
		signal: context.signal,
		timedOut: context.timedOut,
		idleTimeoutMs: context.idleTimeoutMs,
		host: context.host,
		url: context.url,
	});
}

