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
import {JSONParser} from '@streamparser/json';
import {parse as parseCsv, CsvError, type Options as CsvOptions} from 'csv-parse';
import type {ExportsClient} from '../api/client.js';
import {abortError} from '../api/errors.js';
import type {ExportRecord} from '../api/types.js';
import {formatNumber} from '../text/numbers.js';
import {
	AttachmentError,
	failedPrefix,
	freshAttachment,
	idleTimer,
	isGzipError,
	openAttachment,
	transferFailure,
	type AttachmentFetch,
} from './attachment.js';

/** One record of the file: an object of the JSON array, or a CSV line keyed by the header. */
export type PeekRecord = Record<string, unknown>;

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
		if (error instanceof FileFormatError) {
			return new AttachmentError(error.kind, `${failed}: ${error.message}`);
		}

		if (error instanceof CsvError) {
			return csvFailure(error, context.maxRecordBytes);
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

/** ` (after 37 records)`, or nothing before the first. */
function after(records: number): string {
	return records === 0 ? '' : ` (after ${formatNumber(records)} record${records === 1 ? '' : 's'})`;
}

function megabytes(bytes: number): string {
	const mib = bytes / (1024 * 1024);
	return mib >= 1 ? `${Number.isInteger(mib) ? mib : mib.toFixed(1)} MB` : `${formatNumber(bytes)} bytes`;
}

/** What the file holds does not read as its format. */
class FileFormatError extends Error {
	override readonly name = 'FileFormatError';
	constructor(
		readonly kind: 'format' | 'too_large',
		message: string,
	) {
		super(message);
	}
}

const bom = [0xef, 0xbb, 0xbf];

function isJsonSpace(byte: number): boolean {
	return byte === 0x20 || byte === 0x09 || byte === 0x0a || byte === 0x0d;
}

/** `"x"` for a printable character, `U+0001` for the others. */
function describeCharacter(text: string): string {
	const code = text.codePointAt(0);
	if (code === undefined) {
		return 'the end';
	}

	if (code < 0x20 || (code >= 0x7f && code <= 0x9f) || code === 0x2028 || code === 0x2029) {
		return `U+${code.toString(16).toUpperCase().padStart(4, '0')}`;
	}

	return `"${String.fromCodePoint(code)}"`;
}

/** The records of a JSON array, one object at a time, as the bytes arrive. */
function jsonRecords(): Transform {
	const parser = new JSONParser({paths: ['$.*'], keepStack: false});
	let seen = 0;
	let started = false;
	let failure: Error | undefined;
	let records = 0;
	const stream = new Transform({
		readableObjectMode: true,
		transform(chunk: Buffer, _encoding, callback) {
			if (!started) {
				// Only an array of records is a file of records; BOM and spaces before it are fine.
				let index = seen === 0 && bom.every((byte, at) => chunk[at] === byte) ? bom.length : 0;
				while (index < chunk.length && isJsonSpace(chunk[index] ?? 0)) {
					index++;
				}

				if (index < chunk.length) {
					started = true;
					if (chunk[index] !== 0x5b) {
						const first = describeCharacter(chunk.subarray(index, index + 4).toString('utf8'));
						const what = chunk[index] === 0x7b ? 'a JSON object, not an array of records' : `not JSON (it starts with ${first})`;
						callback(new FileFormatError('format', `the file is ${what}`));
						return;
					}
				}
			}

			seen += chunk.length;
			try {
				parser.write(chunk);
			} catch (error: unknown) {
				failure ??= error instanceof Error ? error : new Error(String(error));
			}

			callback(failure ? jsonError(failure, records) : null);
		},
		flush(callback) {
			if (!started) {
				callback(new FileFormatError('format', 'the file is empty'));
				return;
			}

			if (!parser.isEnded) {
				try {
					parser.end();
				} catch (error: unknown) {
					failure ??= error instanceof Error ? error : new Error(String(error));
				}
			}

			callback(failure ? jsonError(failure, records) : null);
		},
	});
	parser.onValue = ({value}) => {
		records++;
		if (typeof value !== 'object' || value === null || Array.isArray(value)) {
			const type = value === null ? 'null' : Array.isArray(value) ? 'an array' : `a ${typeof value}`;
			failure ??= new FileFormatError('format', `record ${formatNumber(records)} of the file is ${type}, not an object`);
			return;
		}

		stream.push(value);
	};

	parser.onError = error => {
		failure ??= error;
	};

	return stream;
}

/** @streamparser/json's message as a line about the file, after `records` whole records. */
function jsonError(error: Error, records: number): Error {
	if (error instanceof FileFormatError) {
		return error;
	}

	const unexpected = /^Unexpected "([\s\S]*)" at chunk position "\d+" \(absolute position "(\d+)"\) in state (\w+)/.exec(error.message);
	if (unexpected) {
		const [, character = '', position = '0', state] = unexpected;
		if (state === 'ENDED') {
			return new FileFormatError('format', `the file goes on after the end of its JSON array (byte ${formatNumber(Number(position))})${after(records)}`);
		}

		return new FileFormatError('format', `the file is not valid JSON: unexpected ${describeCharacter(character)} at byte ${formatNumber(Number(position))}${after(records)}`);
	}

	if (/ended in (the )?mid/i.test(error.message)) {
		return new FileFormatError('format', `the file ends before its JSON array is closed${after(records)}`);
	}

	return new FileFormatError('format', `the file is not valid JSON${after(records)}`);
}

/** The records of a CSV file keyed by its header line (handed to `onHeader`), as the bytes arrive. */
function csvRecords(maxRecordBytes: number, onHeader: (columns: string[]) => void): Transform {
	let columns: string[] | undefined;
	const options: CsvOptions<PeekRecord, string[]> = {
		bom: true,
		// Data as it is: a stray quote inside a value is part of the value.
		relax_quotes: true,
		skip_empty_lines: true,
		max_record_size: maxRecordBytes,
		on_record(fields) {
			if (columns === undefined) {
				columns = uniqueColumns(fields);
				onHeader(columns);
				return null;
			}

			// Own properties whatever the names (`__proto__` included).
			const names = columns;
			return Object.fromEntries(fields.map((value, index) => [names[index] ?? `column_${index + 1}`, value]));
		},
	};
	// Its typings tie a record reshaped by on_record to the `columns` option, which is not used here.
	return parseCsv(options as unknown as CsvOptions);
}

/** Header names as keys: an empty one gets its position, a repeated one a suffix. */
function uniqueColumns(fields: readonly string[]): string[] {
	const taken = new Set<string>();
	return fields.map((field, index) => {
		const base = field === '' ? `column_${index + 1}` : field;
		let name = base;
		for (let suffix = 2; taken.has(name); suffix++) {
			name = `${base}_${suffix}`;
		}

		taken.add(name);
		return name;
	});
}

function csvFailure(error: CsvError, maxRecordBytes: number): AttachmentError {
	const failed = failedPrefix('peek');
	const line = typeof error.lines === 'number' && error.lines > 0 ? `line ${formatNumber(error.lines)}` : undefined;
	switch (error.code) {
		case 'CSV_QUOTE_NOT_CLOSED': {
			// Its line is where the file ended, not where the quote opened.
			return new AttachmentError('format', `${failed}: the file ends inside a quoted value`);
		}

		case 'CSV_RECORD_INCONSISTENT_FIELDS_LENGTH': {
			return new AttachmentError('format', `${failed}: the file is not valid CSV: ${line ?? 'a line'} does not have as many values as the header`);
		}

		case 'CSV_MAX_RECORD_SIZE': {
			return new AttachmentError('too_large', `${failed}: a record${line ? ` on ${line}` : ''} is larger than ${megabytes(maxRecordBytes)}`);
		}

		default: {
			return new AttachmentError('format', `${failed}: the file is not valid CSV${line ? ` (${line})` : ''}`);
		}
	}
}
