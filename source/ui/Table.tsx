// The exports table: box-drawn, one <Text> per line (a nested one only for the coloured status
// cell), only the rows that fit, and memoised rows so that moving the selection re-renders two
// of them. Every cell comes from rowCells(), which sanitizes server strings.
import React, {memo, useMemo, useRef} from 'react';
import {Box, Text} from 'ink';
import type {ExportRecord} from '../api/types.js';
import {formatSort, type SortKey} from '../api/sort.js';
import {truncate} from '../text/width.js';
import {useTheme, type Theme} from './theme.js';
import {
	bottomBorder,
	contentWidths,
	headerLine,
	headerSeparator,
	layoutTable,
	messageLine,
	rowCells,
	rowParts,
	topBorder,
	visibleRowCount,
	widthsSignature,
	windowStart,
	type Column,
	type ContentWidths,
	type RowCells,
} from './table-layout.js';

export type TableProps = {
	rows: ExportRecord[];
	selectedIndex: number;
	sort: SortKey[];
	width: number;
	/** Lines for the whole table, borders and header included. */
	height: number;
	/** Ids that changed since the previous refresh (watch mode): marked `*` in the gutter. */
	changedIds?: ReadonlySet<string>;
	emptyText?: string;
	/**
	 * The query without its page: while it stays the same, columns only ever widen, so paging does
	 * not reshape the table (and redraw its borders). Without it, each page is laid out on its own.
	 */
	layoutKey?: string;
	/** The local day the dates are written for (`14:05` is today): a new day redraws the rows. */
	day?: string;
};

type Measured = {key?: string; cells?: readonly RowCells[]; widths: ContentWidths};

type RowProps = {cells: RowCells; columns: readonly Column[]; selected: boolean; changed: boolean; width: number};

const Row = memo(function Row({cells, columns, selected, changed, width}: RowProps) {
	const {prefix, status, rest} = rowParts(columns, cells, selected ? '>' : changed ? '*' : ' ');
	if (prefix === '') {
		return <Text>{truncate(cells.status, width)}</Text>;
	}

	return (
		<Text inverse={selected} wrap="truncate-end">
			{prefix}
			<Text color={cells.statusColor}>{status}</Text>
			{rest}
		</Text>
	);
});

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
export const Table = memo(function Table({rows, selectedIndex, sort, width, height, changedIds, emptyText = 'No exports match.', layoutKey, day}: TableProps) {
	const theme = useTheme();
	const today = day ?? new Date().toDateString();
	const cells = useMemo(() => rows.map(record => cellsOf(record, theme, today)), [rows, theme, today]);
	const measured = useRef<Measured>({widths: {}});
	if (measured.current.cells !== cells || measured.current.key !== layoutKey) {
		const previous = layoutKey !== undefined && measured.current.key === layoutKey ? measured.current.widths : {};
		measured.current = {key: layoutKey, cells, widths: contentWidths(cells, previous)};
	}

	const {widths} = measured.current;
	// The App may pass a new sort array on every render; key the layout on its text so rows stay memoised.
	const sortKey = formatSort(sort);
	const widthsKey = widthsSignature(widths);
	const layout = useMemo(() => layoutTable(width, {widths, sort}), [width, widthsKey, sortKey]);
	const visible = visibleRowCount(height);
	const startRef = useRef(0);
	const start = windowStart(startRef.current, selectedIndex, visible, rows.length);
	startRef.current = start;
	const end = Math.min(rows.length, start + visible);
	const label = rows.length > visible ? `${start + 1}-${end} of ${rows.length}` : undefined;
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
				cells.slice(start, end).map((row, offset) => {
					const index = start + offset;
					const id = rows[index]?.id ?? String(index);
					return (
						<Row
							key={id}
							cells={row}
							columns={layout.columns}
							selected={index === selectedIndex}
							changed={changedIds?.has(id) ?? false}
							width={width}
						/>
					);
				})
			)}
			<Text color={theme.border}>{bottom}</Text>
		</Box>
	);
});
