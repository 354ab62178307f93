// The exports table: box-drawn, one <Text> per line (a nested one only for the coloured status
// cell), only the rows that fit, and memoised rows so that moving the selection re-renders two
// of them. Every cell comes from rowCells(), which sanitizes server strings.
import React, {memo, useMemo, useRef} from 'react';
import {Box, Text} from 'ink';
import type {ExportRecord} from '../api/types.js';
import {formatSort, type SortKey} from '../api/sort.js';
import type {WindowRow} from '../state/types.js';
import {formatNumber} from '../text/numbers.js';
import {truncate} from '../text/width.js';
import {markSymbol} from './charset.js';
import {useTheme, type Theme} from './theme.js';
import {rowCells, type RowCells} from './table-cells.js';
import {
	bottomBorder,
	contentWidths,
	headerLine,
	headerSeparator,
	layoutTable,
	messageLine,
	rowParts,
	topBorder,
	visibleRowCount,
	widthsSignature,
	type Column,
	type ContentWidths,
} from './table-layout.js';

export type TableProps = {
	/** The visible part of the list: exports, dimmed exports of what was shown before, placeholders. */
	rows: readonly WindowRow[];
	/** The list position of the first row. */
	start?: number;
	/** The list position of the selection. */
	selectedIndex: number;
	/** How many exports the list has (for the border's `15-28 of 140`), when known. */
	total?: number;
	sort: SortKey[];
	width: number;
	/** Lines for the whole table, borders and header included. */
	height: number;
	/** Ids that changed since the previous refresh (watch mode): marked `*` in the gutter. */
	changedIds?: ReadonlySet<string>;
	/** Marked exports (Space): a check mark in the gutter, the row in bold. */
	marks?: ReadonlyMap<string, unknown>;
	emptyText?: string;
	/**
	 * The list: while it stays the same, columns only ever widen, so moving down the list does not
	 * reshape the table (and redraw its borders). Without it, each window is laid out on its own.
	 */
	layoutKey?: string;
	/** The local day the dates are written for (`14:05` is today): a new day redraws the rows. */
	day?: string;
};

type Measured = {key?: string; cells?: readonly RowCells[]; widths: ContentWidths};

type RowProps = {cells: RowCells; columns: readonly Column[]; selected: boolean; changed: boolean; marked: boolean; dim: boolean; width: number};

/**
 * The gutter, one cell: a marked row's mark (the selection still shows, in inverse), else `>` on
 * the selection, else `*` on a row that changed at the last refresh.
 */
function gutterOf(selected: boolean, changed: boolean, marked: boolean): string {
	return marked ? markSymbol : selected ? '>' : changed ? '*' : ' ';
}

const Row = memo(function Row({cells, columns, selected, changed, marked, dim, width}: RowProps) {
	const theme = useTheme();
	const {prefix, status, rest} = rowParts(columns, cells, gutterOf(selected, changed, marked));
	if (prefix === '') {
		return <Text dimColor={dim}>{truncate(cells.status, width)}</Text>;
	}

	// Dimmed: a row of what was shown before, or a placeholder: not the list as it is now. Bold: marked.
	return (
		<Text inverse={selected} dimColor={dim} bold={marked} wrap="truncate-end">
			{prefix.slice(0, -1)}
			{marked ? <Text color={theme.accent}>{prefix.slice(-1)}</Text> : prefix.slice(-1)}
			<Text color={dim ? undefined : cells.statusColor}>{status}</Text>
			{rest}
		</Text>
	);
});

const blankCells: Omit<RowCells, 'status'> = {id: '', type: '', format: '', records: '', recordsShort: '', created: '', createdShort: '', reference: ''};
const loadingCells: RowCells = {...blankCells, status: '⋯ loading'};
const failedCells: RowCells = {...blankCells, status: '✖ not loaded', id: 'r retries'};

// The cells of each export object, per theme and day: after a refresh, the exports that did not
// change (the reducer keeps their objects) keep their cells, so their memoised rows do not redraw.
let cellCache: {theme?: Theme; day?: string; cells: WeakMap<ExportRecord, RowCells>} = {cells: new WeakMap()};

function cellsOf(record: ExportRecord, theme: Theme, day: string): RowCells {
	if (cellCache.theme !== theme || cellCache.day !== day) {
		cellCache = {theme, day, cells: new WeakMap()};
	}

	let cells = cellCache.cells.get(record);
	if (cells === undefined) {
		cells = rowCells(record, theme);
		cellCache.cells.set(record, cells);
	}

	return cells;
}

/** Memoised: only a change of its own props (rows, selection, size, sort) redraws the table. */
export const Table = memo(function Table({
	rows,
	start = 0,
	selectedIndex,
	total,
	sort,
	width,
	height,
	changedIds,
	marks,
	emptyText = 'No exports match.',
	layoutKey,
	day,
}: TableProps) {
	const theme = useTheme();
	const today = day ?? new Date().toDateString();
	const cells = useMemo(
		() => rows.map(row => (row.kind === 'loading' ? loadingCells : row.kind === 'failed' ? failedCells : cellsOf(row.record, theme, today))),
		[rows, theme, today],
	);
	const measured = useRef<Measured>({widths: {}});
	if (measured.current.cells !== cells || measured.current.key !== layoutKey) {
		const previous = layoutKey !== undefined && measured.current.key === layoutKey ? measured.current.widths : {};
		const exports = cells.filter((_, index) => rows[index]?.kind === 'record' || rows[index]?.kind === 'stale');
		measured.current = {key: layoutKey, cells, widths: contentWidths(exports, previous)};
	}

	const {widths} = measured.current;
	// The App may pass a new sort array on every render; key the layout on its text so rows stay memoised.
	const sortKey = formatSort(sort);
	const widthsKey = widthsSignature(widths);
	// eslint-disable-next-line react-hooks/exhaustive-deps -- keyed on the texts of sort and widths, as said above
	const layout = useMemo(() => layoutTable(width, {widths, sort}), [width, widthsKey, sortKey]);
	const visible = Math.min(rows.length, visibleRowCount(height));
	const end = start + visible;
	// Where the window is in the whole list, when it is not all on screen.
	const label = total !== undefined && total > visible && visible > 0 ? `${formatNumber(start + 1)}-${formatNumber(end)} of ${formatNumber(total)}` : undefined;
	const lines = useMemo(
		() => ({
			top: truncate(topBorder(layout.columns), width),
			header: truncate(headerLine(layout.columns), width),
			separator: truncate(headerSeparator(layout.columns), width),
		}),
		[layout, width],
	);
	const bottom = useMemo(() => truncate(bottomBorder(layout.columns, label), width), [layout, label, width]);

	return (
		<Box flexDirection="column" width={width} flexShrink={0}>
			<Text color={theme.border}>{lines.top}</Text>
			<Text bold>{lines.header}</Text>
			<Text color={theme.border}>{lines.separator}</Text>
			{rows.length === 0 ? (
				<Text dimColor>{truncate(messageLine(layout, emptyText), width)}</Text>
			) : (
				cells.slice(0, visible).map((row, offset) => {
					const index = start + offset;
					const shown = rows[offset];
					const record = shown?.kind === 'record' || shown?.kind === 'stale' ? shown.record : undefined;
					const id = record?.id ?? `#${index}`;
					return (
						<Row
							key={id}
							cells={row}
							columns={layout.columns}
							selected={index === selectedIndex}
							changed={shown?.kind === 'record' && (changedIds?.has(id) ?? false)}
							marked={record !== undefined && (marks?.has(record.id) ?? false)}
							dim={shown?.kind !== 'record'}
							width={width}
						/>
					);
				})
			)}
			<Text color={theme.border}>{bottom}</Text>
		</Box>
	);
});
