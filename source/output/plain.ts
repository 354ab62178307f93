// The plain table printed when stdout is not a terminal, or is one with TERM=dumb: aligned columns,
// no colour, every server string sanitized. Column widths are fixed before the first row so that
// pages streamed with --all line up with each other.
import type {ExportRecord} from '../api/types.js';
import {sanitize} from '../text/sanitize.js';
import {displayWidth, fit} from '../text/width.js';

type Column = {
	title: string;
	width: number;
	align: 'left' | 'right';
	value: (record: ExportRecord) => string;
};

const missing = '-';

function text(value: unknown): string {
	const clean = sanitize(value).trim();
	return clean === '' ? missing : clean;
}

function pad2(value: number): string {
	return String(value).padStart(2, '0');
}

/** `2026-11-15 12:34` in local time; `-` when missing or invalid. */
export function plainDate(value: unknown): string {
	if (typeof value !== 'string' && typeof value !== 'number') {
		return missing;
	}

	const date = new Date(value);
	if (Number.isNaN(date.getTime())) {
		return missing;
	}

	return `${date.getFullYear()}-${pad2(date.getMonth() + 1)}-${pad2(date.getDate())} ${pad2(date.getHours())}:${pad2(date.getMinutes())}`;
}

function count(value: unknown): string {
	return typeof value === 'number' && Number.isFinite(value) ? String(value) : missing;
}

function progress(record: ExportRecord): string {
	const {status, records_count: total, processed_count: done} = record.attributes;
	if (status === 'in_progress' && typeof done === 'number' && typeof total === 'number') {
		return `${done}/${total}`;
	}

	return count(total);
}

const columns: Column[] = [
	{title: 'STATUS', width: 11, align: 'left', value: record => text(record.attributes.status)},
	{title: 'ID', width: 10, align: 'left', value: record => text(record.id)},
	{title: 'TYPE', width: 20, align: 'left', value: record => text(record.attributes.resource_type)},
	{title: 'FORMAT', width: 6, align: 'left', value: record => text(record.attributes.format)},
	{title: 'RECORDS', width: 11, align: 'right', value: progress},
	{title: 'CREATED', width: 16, align: 'left', value: record => plainDate(record.attributes.created_at)},
	{title: 'REFERENCE', width: 0, align: 'left', value: record => text(record.attributes.reference)},
];

export type PlainTable = {
	/** The header line, newline included. */
	header(): string;
	/** The rows of some records, newline included. */
	rows(records: readonly ExportRecord[]): string;
};

/**
 * A table whose id and type columns are sized from the first page (`sample`), within limits;
 * later values that do not fit are cut with `…`. The last column (reference) is never cut.
 */
export function plainTable(sample: readonly ExportRecord[]): PlainTable {
	const sized = columns.map(column => {
		if (column.title !== 'ID' && column.title !== 'TYPE') {
			return column;
		}

		const widest = Math.max(column.title.length, ...sample.map(record => displayWidth(column.value(record))));
		return {...column, width: Math.min(widest, column.title === 'ID' ? 24 : 28)};
	});

	const line = (cells: string[]) => `${cells.join('  ').replace(/\s+$/, '')}\n`;
	const cell = (column: Column, value: string) => (column.width === 0 ? value : fit(value, column.width, column.align));
	return {
		header: () => line(sized.map(column => cell(column, column.title))),
		rows: records => records.map(record => line(sized.map(column => cell(column, column.value(record))))).join(''),
	};
}
