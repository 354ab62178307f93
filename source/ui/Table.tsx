// The exports table: box-drawn, one <Text> per line (a nested one only for the coloured status
// cell), only the rows that fit, and memoised rows so that moving the selection re-renders two
// of them. Every cell comes from rowCells(), which sanitizes server strings.
import React, {memo, useMemo, useRef} from 'react';
import {Box, Text} from 'ink';
import type {ExportRecord} from '../api/types.js';
import {formatSort, type SortKey} from '../api/sort.js';
import {truncate} from '../text/width.js';
import {useTheme} from './theme.js';
import {
	bottomBorder,
	headerLine,
	headerSeparator,
	layoutTable,
	messageLine,
	rowCells,
	rowParts,
	topBorder,
	visibleRowCount,
	windowStart,
	type Column,
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
};

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

export function Table({rows, selectedIndex, sort, width, height, changedIds, emptyText = 'No exports match.'}: TableProps) {
	const theme = useTheme();
	const cells = useMemo(() => rows.map(record => rowCells(record, theme)), [rows, theme]);
	// The App may pass a new sort array on every render; key the layout on its text so rows stay memoised.
	const sortKey = formatSort(sort);
	const layout = useMemo(() => layoutTable(width, {cells, sort}), [width, cells, sortKey]);
	const visible = visibleRowCount(height);
	const startRef = useRef(0);
	const start = windowStart(startRef.current, selectedIndex, visible, rows.length);
	startRef.current = start;
	const end = Math.min(rows.length, start + visible);
	const label = rows.length > visible ? `${start + 1}-${end} of ${rows.length}` : undefined;
	const lines = {
		top: truncate(topBorder(layout.columns), width),
		header: truncate(headerLine(layout.columns), width),
		separator: truncate(headerSeparator(layout.columns), width),
		bottom: truncate(bottomBorder(layout.columns, label), width),
	};

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
			<Text color={theme.border}>{lines.bottom}</Text>
		</Box>
	);
}
