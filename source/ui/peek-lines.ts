// What the peek overlay shows of a file's first records, worked out apart from drawing it: a table
// when every record is flat (CSV, and JSON records whose values are strings, numbers, booleans or
// null), else the records as pretty JSON; every value sanitized and measured in cells; and the
// part of it that fits `width` × `height` from a row and a column. Pure, for PeekOverlay.tsx.
import type {PeekContent} from '../state/types.js';
import {formatNumber} from '../text/numbers.js';
import {sanitize} from '../text/sanitize.js';
import {displayWidth, dropCells, fit, truncate} from '../text/width.js';
import {box} from './charset.js';

/** The widest a table column gets (a longer value is cut with `…`). */
export const peekColumnCap = 40;
/** Characters of a value (or of a JSON line) kept before it is sanitized and measured. */
const valueChars = 1000;
/** Cells a sideways step moves pretty JSON. */
export const jsonStep = 8;

export type PreparedPeek =
	| {kind: 'table'; count: number; titles: string[]; cells: string[][]; widths: number[]}
	| {kind: 'json'; count: number; lines: string[]; widest: number};

export type PeekView = {
	/** The body's lines, each exactly `width` cells; `header` is the table's title line, if any. */
	lines: string[];
	header?: number;
	maxRow: number;
	maxColumn: number;
	/** Rows a page turn moves. */
	pageRows: number;
	/** `rows 1-14 of 200 · cols 2-5 of 12`: what is in view, when not everything is. */
	position: string;
};

/** A value a table cell shows whole: text, a number, true/false, null, or an empty `{}` / `[]`. */
function isFlatValue(value: unknown): boolean {
	if (typeof value === 'object' && value !== null) {
		return Object.keys(value).length === 0;
	}

	return value === null || value === undefined || typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean';
}

/** A value as one safe line: null as `null`, text cut to `valueChars` before it is sanitized. */
function cellText(value: unknown): string {
	if (value === null) {
		return 'null';
	}

	if (typeof value === 'string') {
		return sanitize(value.length > valueChars ? value.slice(0, valueChars) : value);
	}

	return sanitize(value);
}

/** The records in the form the overlay shows them, measured once per content. */
export function preparePeek(content: PeekContent): PreparedPeek {
	const {records} = content;
	const flat = records.every(record => Object.values(record).every(value => isFlatValue(value)));
	if (flat) {
		const titles = content.columns.map(name => cellText(name));
		const cells = records.map(record => content.columns.map(name => (Object.hasOwn(record, name) ? cellText(record[name]) : '')));
		const widths = titles.map((title, index) => Math.min(peekColumnCap, Math.max(1, displayWidth(title), ...cells.map(row => displayWidth(row[index] ?? '')))));
		return {kind: 'table', count: records.length, titles, cells, widths};
	}

	const lines: string[] = [];
	for (const record of records) {
		for (const line of JSON.stringify(record, null, 2).split('\n')) {
			lines.push(sanitize(line.length > valueChars ? `${line.slice(0, valueChars)}…` : line));
		}
	}

	return {kind: 'json', count: records.length, lines, widest: Math.max(0, ...lines.map(line => displayWidth(line)))};
}

function range(first: number, shown: number, total: number, what: string): string | undefined {
	return shown >= total ? undefined : `${what} ${formatNumber(first + 1)}-${formatNumber(first + shown)} of ${formatNumber(total)}`;
}

/** The part of the records in view at `row`, `column`, in `width` × `height` cells. */
export function peekView(prepared: PreparedPeek, width: number, height: number, row: number, column: number): PeekView {
	const rows = Math.max(1, height);
	if (prepared.kind === 'json') {
		const maxRow = Math.max(0, prepared.lines.length - rows);
		const maxColumn = Math.ceil(Math.max(0, prepared.widest - width) / jsonStep);
		const top = Math.min(row, maxRow);
		const left = Math.min(column, maxColumn);
		const shown = prepared.lines.slice(top, top + rows);
		const lines = shown.map(line => fit(dropCells(line, left * jsonStep), width));
		const parts = [range(top, shown.length, prepared.lines.length, 'lines'), left > 0 || maxColumn > 0 ? `→ ${formatNumber(left * jsonStep)} cells` : undefined];
		return {lines, maxRow, maxColumn, pageRows: rows, position: parts.filter(Boolean).join(' · ')};
	}

	const {titles, cells, widths} = prepared;
	const bodyRows = Math.max(1, rows - 2);
	const indexWidth = String(Math.max(1, cells.length)).length;
	const gap = ` ${box.vertical} `;
	const room = Math.max(1, width - indexWidth - gap.length);
	const fits = (from: number, to: number) => widths.slice(from, to).reduce((sum, cell) => sum + cell, 0) + gap.length * Math.max(0, to - from - 1) <= room;
	// The last start from which every remaining column is in view: scrolling stops there.
	let maxColumn = Math.max(0, widths.length - 1);
	while (maxColumn > 0 && fits(maxColumn - 1, widths.length)) {
		maxColumn--;
	}

	const left = Math.min(column, maxColumn);
	let end = left + 1;
	while (end < widths.length && fits(left, end + 1)) {
		end++;
	}

	const line = (index: string, texts: readonly string[]) => {
		const parts = texts.slice(left, end).map((text, offset) => fit(text, widths[left + offset] ?? 1));
		return fit(`${fit(index, indexWidth, 'right')}${gap}${truncate(parts.join(gap), room)}`, width);
	};

	const maxRow = Math.max(0, cells.length - bodyRows);
	const top = Math.min(row, maxRow);
	const shown = cells.slice(top, top + bodyRows);
	const separator = (box.horizontal.repeat(indexWidth + 1) + box.cross + box.horizontal.repeat(Math.max(0, width - indexWidth - 2))).slice(0, width);
	const lines = [line('#', titles), separator, ...shown.map((cellsOf, offset) => line(String(top + offset + 1), cellsOf))];
	const position = [range(top, shown.length, cells.length, 'rows'), range(left, end - left, widths.length, 'cols')].filter(Boolean).join(' · ');
	return {lines, header: 0, maxRow, maxColumn, pageRows: bodyRows, position};
}
