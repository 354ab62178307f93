// The text of every cell of an export's row, every server string sanitized and capped: the
// status with its symbol and colour, the id, type and format, the records (or how far a running
// export got), the creation time, the reference; and short forms for narrow layouts.
import type {ExportRecord} from '../api/types.js';
import {formatCompact, type DateOptions} from '../text/dates.js';
import {countOrDash} from '../text/numbers.js';
import {sanitize} from '../text/sanitize.js';
import {statusStyle, type Theme} from './theme.js';

export type ColumnId = 'status' | 'id' | 'type' | 'format' | 'records' | 'created' | 'reference';

/** The cell texts a row has: one per column, plus short forms of the date and records for narrow layouts. */
export type CellKey = ColumnId | 'createdShort' | 'recordsShort';

/** The text of one row's cells, already sanitized, plus the status colour. */
export type RowCells = Record<CellKey, string> & {statusColor?: string};

/** The records column's width: `1,234/5,000` fits, and the column never cuts a count. */
export const recordsWidth = 13;

function orDash(text: string): string {
	return text === '' ? '—' : text;
}

/**
 * The records cell: the count, or for a running export how far it got, `1,234/5,000` (or `42%`
 * when the counts are missing or too wide for the column).
 */
export function recordsCell(attributes: ExportRecord['attributes']): string {
	const total = countOrDash(attributes.records_count);
	if (attributes.status !== 'in_progress') {
		return total;
	}

	const processed = attributes.processed_count;
	if (typeof processed === 'number' && Number.isFinite(processed) && total !== '—') {
		const both = `${countOrDash(processed)}/${total}`;
		if (both.length <= recordsWidth) {
			return both;
		}
	}

	const percent = progressPercent(attributes);
	return percent === undefined ? total : `${percent}%`;
}

/** How far a running export got, `42%` (from `progress`, else the counts), or undefined. */
function progressPercent(attributes: ExportRecord['attributes']): number | undefined {
	const {progress, processed_count: processed, records_count: total} = attributes;
	let percent: number | undefined;
	if (typeof progress === 'number' && Number.isFinite(progress)) {
		percent = progress;
	} else if (typeof processed === 'number' && typeof total === 'number' && Number.isFinite(processed) && Number.isFinite(total) && total > 0) {
		percent = (processed / total) * 100;
	}

	return percent === undefined ? undefined : Math.max(0, Math.min(100, Math.floor(percent)));
}

/** The records cell of narrow layouts: the count, or `42%` for a running export. */
export function recordsShortCell(attributes: ExportRecord['attributes']): string {
	const percent = attributes.status === 'in_progress' ? progressPercent(attributes) : undefined;
	return percent === undefined ? countOrDash(attributes.records_count) : `${percent}%`;
}

/** More than any column shows: a cell keeps this much of a server string (a megabyte would be measured on every redraw). */
export const cellChars = 1000;

/** `value` sanitized, at most `cellChars` of it. */
function cellText(value: unknown): string {
	const text = typeof value === 'string' && value.length > cellChars ? value.slice(0, cellChars) : value;
	const safe = sanitize(text);
	return safe.length > cellChars ? safe.slice(0, cellChars) : safe;
}

/** The cells of one export, every server string sanitized. */
export function rowCells(record: ExportRecord, theme: Theme, dates?: DateOptions): RowCells {
	const attributes = record.attributes ?? {};
	const status = statusStyle(theme, attributes.status);
	return {
		status: `${status.symbol} ${status.word}`.slice(0, cellChars),
		statusColor: status.color,
		id: orDash(cellText(record.id)),
		type: orDash(cellText(attributes.resource_type)),
		format: orDash(cellText(attributes.format)),
		records: recordsCell(attributes),
		recordsShort: recordsShortCell(attributes),
		created: formatCompact(attributes.created_at, dates),
		createdShort: formatCompact(attributes.created_at, {...dates, short: true}),
		reference: orDash(cellText(attributes.reference)),
	};
}
