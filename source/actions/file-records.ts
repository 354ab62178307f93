// The records of an export's file as its bytes arrive, each parser a Node Transform that takes the
// decompressed bytes and gives objects: a JSON array of objects (@streamparser/json: each element as
// soon as it is whole, none kept once handed on) or CSV keyed by its header line (csv-parse). What
// does not read as the format becomes one line naming where; values stay data as they are (control
// characters included).
import {Transform} from 'node:stream';
import {JSONParser} from '@streamparser/json';
import {parse as parseCsv, CsvError, type Options as CsvOptions} from 'csv-parse';
import {formatNumber} from '../text/numbers.js';
import {sanitize} from '../text/sanitize.js';
import {AttachmentError, failedPrefix} from './attachment-errors.js';

/** One record of the file: an object of the JSON array, or a CSV line keyed by the header. */
export type FileRecord = Record<string, unknown>;

/** ` (after 37 records)`, or nothing before the first. */
export function after(records: number): string {
	return records === 0 ? '' : ` (after ${formatNumber(records)} record${records === 1 ? '' : 's'})`;
}

export function megabytes(bytes: number): string {
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

/** `"x"` for a character the terminal may show, `U+0001` for the others (controls, bidi overrides). */
function describeCharacter(text: string): string {
	const code = text.codePointAt(0);
	if (code === undefined) {
		return 'the end';
	}

	const character = String.fromCodePoint(code);
	if (sanitize(character) !== character || code === 0x2028 || code === 0x2029) {
		return `U+${code.toString(16).toUpperCase().padStart(4, '0')}`;
	}

	return `"${character}"`;
}

/** The records of a JSON array, one object at a time, as the bytes arrive. */
export function jsonRecords(): Transform {
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
export function csvRecords(maxRecordBytes: number, onHeader: (columns: string[]) => void): Transform {
	let columns: string[] | undefined;
	const options: CsvOptions<FileRecord, string[]> = {
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

/** The line for a file whose content does not read as its format, or undefined for other failures. */
export function fileFormatFailure(error: unknown, maxRecordBytes: number): AttachmentError | undefined {
	if (error instanceof FileFormatError) {
		return new AttachmentError(error.kind, `${failedPrefix('peek')}: ${error.message}`);
	}

	if (error instanceof CsvError) {
		return csvFailure(error, maxRecordBytes);
	}

	return undefined;
}
