import React from 'react';
import {describe, expect, test, vi} from 'vitest';
import {Box, renderToString} from 'ink';
import {render} from 'ink-testing-library';
import {Table, type TableProps} from '../source/ui/Table.js';
import {rowCells} from '../source/ui/table-cells.js';
import {ThemeContext, createTheme} from '../source/ui/theme.js';
import type {SortKey} from '../source/api/sort.js';
import type {ExportRecord} from '../source/api/types.js';
import type {WindowRow} from '../source/state/types.js';
import {exportRecord, exportRows, lines, plain, widths} from './helpers/ui-fixtures.js';

// Colour on, as in a terminal (vitest's stdout is not a TTY): checked in the raw frames below.
vi.hoisted(() => {
	process.env.FORCE_COLOR = '1';
});

// Count row renders: Row is the only caller of rowParts outside table-layout.ts.
const rowRenders = vi.hoisted(() => ({count: 0}));
vi.mock('../source/ui/table-layout.js', async importOriginal => {
	const original = await importOriginal<typeof import('../source/ui/table-layout.js')>();
	return {
		...original,
		rowParts(...args: Parameters<typeof original.rowParts>) {
			rowRenders.count++;
			return original.rowParts(...args);
		},
	};
});

const newest: SortKey[] = [{field: 'created_at', descending: true}];
const noColor = createTheme({NO_COLOR: '1'});
const colour = createTheme({});

/** Rows as the tests write them: exports (of the list as it is), or any window row. */
type Rows = ReadonlyArray<ExportRecord | WindowRow>;
type Props = Omit<Partial<TableProps>, 'rows'> & {rows: Rows};

function windowRows(rows: Rows): WindowRow[] {
	return rows.map(row => ('kind' in row ? row : {kind: 'record', record: row}));
}

function table({rows, ...props}: Props, theme = colour) {
	return (
		<ThemeContext.Provider value={theme}>
			<Table selectedIndex={0} sort={newest} width={100} height={30} {...props} rows={windowRows(rows)} />
		</ThemeContext.Provider>
	);
}

function at(width: number, props: Props, theme = colour): string {
	return renderToString(table({width, ...props}, theme), {columns: width});
}

function headerTitles(frame: string): string[] {
	const header = lines(frame)[1] ?? '';
	return header.split('│').map(cell => cell.trim()).filter(cell => cell !== '');
}

describe('Table', () => {
	test('draws a box with a header, one line per export, and the sort arrow', () => {
		const rows = exportRows(5);
		const {lastFrame, unmount} = render(table({rows}));
		const shown = lines(lastFrame());
		expect(shown[0]).toMatch(/^┌─+┬/);
		expect(shown[2]).toMatch(/^├─+┼/);
		expect(shown.at(-1)).toMatch(/^└─+┴.*┘$/);
		expect(headerTitles(lastFrame() ?? '')).toEqual(['status', 'id', 'type', 'format', 'records', 'created ↓', 'reference']);
		expect(shown).toHaveLength(5 + 4);
		expect(shown[3]).toContain('✔ completed'.slice(0, 0) + '○ pending');
		expect(shown[4]).toContain('◐ in_progress');
		expect(shown[5]).toContain('■ interrupted');
		expect(shown[6]).toContain('✖ failed');
		expect(shown[7]).toContain('✔ completed');
		expect(shown[4]).toContain('98,765');
		expect(shown[4]).toContain('Exp0000001');
		expect(shown[4]).toContain('customer_addresses');
		unmount();
	});

	test('every line has the same display width, with CJK, emoji, flags and combining marks', () => {
		const rows = exportRows(14);
		for (const width of [60, 80, 100, 120, 160, 200]) {
			const frame = at(width, {rows});
			const measured = widths(frame);
			expect(new Set(measured).size, `width ${width}:\n${plain(frame)}`).toBe(1);
			expect(measured[0]).toBeLessThanOrEqual(width);
		}
	});

	test('no line is ever wider than the width, from 40 to 200 columns', () => {
		const rows = exportRows(7);
		for (let width = 40; width <= 200; width++) {
			const frame = at(width, {rows, height: 12});
			for (const cells of widths(frame)) {
				expect(cells, `width ${width}`).toBeLessThanOrEqual(width);
			}
		}
	});

	test('columns drop by priority as the terminal narrows', () => {
		const rows = exportRows(5);
		expect(headerTitles(at(160, {rows}))).toEqual(['status', 'id', 'type', 'format', 'records', 'created ↓', 'reference']);
		// Format goes first, then the reference (before the type is cut for it); status, id, type,
		// records and created stay.
		expect(headerTitles(at(88, {rows}))).toEqual(['status', 'id', 'type', 'records', 'created ↓', 'reference']);
		expect(headerTitles(at(80, {rows}))).toEqual(['status', 'id', 'type', 'records', 'created ↓']);
		expect(headerTitles(at(70, {rows}))).toEqual(['status', 'id', 'type', 'records', 'created ↓']);
		expect(headerTitles(at(64, {rows}))).toEqual(['status', 'id', 'type', 'records', 'created ↓']);
		// Then records (the detail pane has them), then the type.
		expect(headerTitles(at(60, {rows}))).toEqual(['status', 'id', 'type', 'created ↓']);
		expect(headerTitles(at(50, {rows}))).toEqual(['status', 'id', 'created ↓']);
		expect(headerTitles(at(40, {rows}))).toEqual(['status', 'id']);
		// Status words and ids are never cut, down to 40 columns; counts are whole where they show.
		for (const width of [40, 50, 60, 64, 80]) {
			const frame = plain(at(width, {rows}));
			for (const word of ['○ pending', '◐ in_progress', '■ interrupted', '✖ failed', '✔ completed', 'Exp0000004']) {
				expect(frame, `width ${width}`).toContain(word);
			}

			if (width >= 64) {
				expect(frame).toContain('395,060');
			}
		}
	});

	test('the reference never takes cells the type needs (the drop order holds with any filter)', () => {
		// Failed exports as the demo has them: short counts leave room for a reference only by
		// cutting the type.
		const failed = ['orders', 'prices', 'customers', 'line_items', 'sku_lists'].map((type, index) =>
			exportRecord(`Failed000${index}`, {status: 'failed', resource_type: type, records_count: 836 + index * 1900, reference: index < 3 ? 'google-shopping-feed' : null}));
		const frame = plain(at(80, {rows: failed}));
		expect(headerTitles(frame)).toEqual(['status', 'id', 'type', 'records', 'created ↓']);
		expect(frame).toContain('line_items');
		expect(frame).not.toContain('…');
	});

	test('the column the list is sorted by is always shown, in place of the first to give way', () => {
		const rows = exportRows(7);
		const by = (field: SortKey['field'], width: number) => headerTitles(at(width, {rows, sort: [{field, descending: false}, {field: 'created_at', descending: true}]}));
		// At 80 columns: the reference or the format takes the place of records (the first to give
		// way of those shown); everything else stays.
		expect(by('reference', 80)).toEqual(['status', 'id', 'type', 'created', 'reference ↑']);
		expect(by('format', 80)).toEqual(['status', 'id', 'type', 'format ↑', 'created']);
		// Where the reference shows anyway, the format takes its place.
		expect(by('format', 88)).toEqual(['status', 'id', 'type', 'format ↑', 'records', 'created']);
		// Narrower: records in place of the type, the type in place of the date.
		expect(by('records_count', 60)).toEqual(['status', 'id', 'records ↑', 'created']);
		expect(by('resource_type', 50)).toEqual(['status', 'id', 'type ↑']);
		for (const width of [50, 60, 70, 80, 100]) {
			for (const field of ['reference', 'format', 'records_count', 'resource_type', 'created_at', 'status', 'id'] as const) {
				expect(by(field, width).join(' '), `${field} at ${width}`).toMatch(/[↑↓]/);
				for (const cells of widths(at(width, {rows, sort: [{field, descending: false}]}))) {
					expect(cells).toBeLessThanOrEqual(width);
				}
			}
		}

		// At 40 columns only status and id fit: a sort by anything else cannot show.
		expect(by('reference', 40)).toEqual(['status', 'id']);
	});

	test('records turn into a percentage before the type is cut', () => {
		const running = ['stock_items', 'payment_methods', 'authorizations'].map((type, index) =>
			exportRecord(`Running00${index}`, {status: 'in_progress', resource_type: type, records_count: 4269 + index, processed_count: 1541}));
		const frame = plain(at(76, {rows: running}));
		expect(headerTitles(frame)).toEqual(['status', 'id', 'type', 'records', 'created ↓']);
		expect(frame).toMatch(/Running001 │ payment_methods +│ +36% │/);
		expect(frame).not.toContain('…');
		// With room for both, both whole.
		expect(plain(at(77, {rows: running}))).toMatch(/payment_methods +│ 1,541\/4,270 │/);
	});

	test('a narrow table shows a running export as a percentage; a wide one as processed/records', () => {
		const running = exportRecord('RunRunRun1', {status: 'in_progress', records_count: 12_000, processed_count: 3000, resource_type: 'skus'});
		const done = exportRecord('DoneDone01', {status: 'completed', records_count: 12_000, resource_type: 'skus'});
		const wide = plain(at(100, {rows: [running, done]}));
		expect(wide).toMatch(/RunRunRun1.*3,000\/12,000/);
		const narrow = plain(at(64, {rows: [running, done]}));
		expect(narrow).toMatch(/RunRunRun1.* 25% /);
		expect(narrow).toMatch(/DoneDone01.*12,000/);
	});

	test('the header marks the first sort key and its direction', () => {
		const rows = exportRows(3);
		expect(headerTitles(at(160, {rows, sort: [{field: 'status', descending: false}, {field: 'created_at', descending: true}]}))).toContain('status ↑');
		expect(headerTitles(at(160, {rows, sort: [{field: 'records_count', descending: true}]}))).toContain('records ↓');
		expect(headerTitles(at(160, {rows, sort: [{field: 'resource_type', descending: false}]}))).toContain('type ↑');
		const unsorted = headerTitles(at(160, {rows, sort: [{field: 'updated_at', descending: true}]}));
		expect(unsorted.join(' ')).not.toMatch(/[↑↓]/);
	});

	test('the selected row has the > marker and is drawn inverse', () => {
		const rows = exportRows(6);
		const {lastFrame, unmount} = render(table({rows, selectedIndex: 2}));
		const raw = (lastFrame() ?? '').split('\n');
		const shown = lines(lastFrame());
		expect(shown[5]).toMatch(/^│>/);
		expect(shown.filter(line => line.startsWith('│>'))).toHaveLength(1);
		expect(raw[5]).toContain('\u001B[7m');
		for (const [index, line] of raw.entries()) {
			if (index !== 5) {
				expect(line).not.toContain('\u001B[7m');
			}
		}

		unmount();
	});

	test('statuses have colours; NO_COLOR removes every colour but keeps inverse and the marker', () => {
		const rows = exportRows(5);
		const coloured = at(100, {rows, selectedIndex: 1});
		expect(coloured).toMatch(/\u001B\[3[1-7]m○ pending/);
		expect(coloured).toMatch(/\u001B\[32m✔ completed/);

		const plainFrame = at(100, {rows, selectedIndex: 1}, noColor);
		expect(plainFrame).not.toMatch(/\u001B\[(3|9)\dm/);
		expect(plainFrame).toContain('\u001B[7m');
		expect(lines(plainFrame)[4]).toMatch(/^│>◐ in_progress/);
		// Inverse (selection) and bold (header) are the only escapes left.
		expect(plainFrame.replaceAll(/\u001B\[(1|7|22|27)m/g, '')).not.toContain('\u001B');
	});

	test('unknown statuses are shown plainly with a ?', () => {
		const rows = [exportRecord('A1', {status: 'archived'}), exportRecord('A2', {status: null})];
		const frame = at(100, {rows, selectedIndex: -1});
		expect(lines(frame)[3]).toContain('? archived');
		expect(lines(frame)[4]).toContain('? —');
		expect(lines(frame)[3]).not.toMatch(/\u001B\[3\dm/);
	});

	test('changed exports get a * in the gutter', () => {
		const rows = exportRows(4);
		const frame = lines(at(100, {rows, selectedIndex: 0, changedIds: new Set(['Exp0000002'])}));
		expect(frame[5]).toMatch(/^│\*/);
		expect(frame[3]).toMatch(/^│>/);
		expect(frame[4]).toMatch(/^│ /);
	});

	test('marked exports get a check mark in the gutter, over the selection\'s > (still inverse) and a change\'s *; bold, also without colour', () => {
		const rows = exportRows(4);
		const marks = new Map([['Exp0000000', rows[0]], ['Exp0000001', rows[1]]]);
		for (const theme of [colour, noColor]) {
			const raw = at(80, {rows, selectedIndex: 0, marks, changedIds: new Set(['Exp0000001', 'Exp0000002'])}, theme);
			const frame = lines(raw);
			expect(frame[3]).toMatch(/^│✓/);
			expect(frame[4]).toMatch(/^│✓/);
			expect(frame[5]).toMatch(/^│\*/);
			expect(frame[6]).toMatch(/^│ /);
			expect(frame.every(line => line.length <= 80)).toBe(true);
			const rawRows = raw.split('\n');
			// The selected marked row is still inverse; marked rows are bold.
			expect(rawRows[3]).toContain('\u001B[7m');
			expect(rawRows[4]).toContain('\u001B[1m');
			expect(rawRows[6]).not.toContain('\u001B[1m');
		}
	});

	test('shows the rows of the window it is given, and where they are in the whole list', () => {
		const all = exportRows(25);
		// height 10: top, header, separator, bottom -> 6 rows; the window from position 15.
		const {lastFrame, rerender, unmount} = render(table({rows: all.slice(15, 21), start: 15, total: 25, height: 10, selectedIndex: 17}));
		const shown = lines(lastFrame());
		expect(shown).toHaveLength(10);
		expect(shown[3]).toContain('Exp0000015');
		expect(shown.at(-2)).toContain('Exp0000020');
		expect(shown.find(line => line.startsWith('│>'))).toContain('Exp0000017');
		expect(plain(lastFrame())).toContain(' 16-21 of 25 ');
		// More rows than fit: only those that fit.
		rerender(table({rows: all, start: 0, total: 25, height: 10, selectedIndex: 0}));
		expect(lines(lastFrame())).toHaveLength(10);
		expect(plain(lastFrame())).toContain('Exp0000005');
		expect(plain(lastFrame())).not.toContain('Exp0000006');
		expect(plain(lastFrame())).toContain(' 1-6 of 25 ');
		// The whole list on screen: no position to give.
		rerender(table({rows: all.slice(0, 5), start: 0, total: 5, height: 10}));
		expect(plain(lastFrame())).not.toContain(' of 5 ');
		// Thousands are grouped.
		rerender(table({rows: all.slice(0, 6), start: 1199, total: 12_345, height: 10}));
		expect(plain(lastFrame())).toContain(' 1,200-1,205 of 12,345 ');
		unmount();
	});

	test('rows still on their way say so, dimmed; rows of what was shown before are dimmed; failed pages say how to retry', () => {
		const [first, second] = exportRows(2);
		const rows: WindowRow[] = [{kind: 'record', record: first!}, {kind: 'stale', record: second!}, {kind: 'loading'}, {kind: 'failed'}];
		const {lastFrame, unmount} = render(table({rows, start: 0, total: 40, height: 10, selectedIndex: 2}));
		const shown = lines(lastFrame());
		expect(shown[3]).toContain(first!.id);
		expect(shown[4]).toContain(second!.id);
		expect(shown[5]).toMatch(/^│>⋯ loading/);
		expect(shown[6]).toContain('✖ not loaded');
		expect(shown[6]).toContain('r retries');
		const raw = (lastFrame() ?? '').split('\n');
		// Dim (SGR 2) on the stale row and the placeholders, not on the export of the list.
		expect(raw[3]).not.toContain('\u001B[2m');
		for (const line of raw.slice(4, 7)) {
			expect(line).toContain('\u001B[2m');
		}

		unmount();
	});

	test('the status and created columns are as wide as their widest possible value on every page', () => {
		const completed = exportRows(10).filter(record => record.attributes.status === 'completed');
		const mixed = exportRows(10);
		// The width of each column, by title.
		const columns = (rows: Rows) => {
			const frame = at(100, {rows});
			const cells = (lines(frame)[0] ?? '').slice(1, -1).split('┬').map(cell => cell.length);
			return Object.fromEntries(headerTitles(frame).map((title, index) => [title, cells[index]]));
		};

		expect(columns(completed)['status']).toBe(columns(mixed)['status']);
		expect(columns(completed)['status']).toBe('◐ in_progress'.length + 2);
		expect(columns(completed)['created ↓']).toBe(columns(mixed)['created ↓']);
	});

	test('pages of one query share their column widths, which only ever widen', () => {
		const narrow = [exportRecord('Exp0000001', {resource_type: 'skus', reference: 'a'}), exportRecord('Exp0000002', {resource_type: 'skus', reference: 'b'})];
		const wide = [exportRecord('Exp0000003', {resource_type: 'customer_addresses', reference: 'c'})];
		const {lastFrame, rerender, unmount} = render(table({rows: narrow, layoutKey: 'q1'}));
		const first = lines(lastFrame())[0];
		rerender(table({rows: wide, layoutKey: 'q1'}));
		const second = lines(lastFrame())[0];
		expect(second).not.toBe(first);
		// Back to the narrow page: the type column stays as wide.
		rerender(table({rows: narrow, layoutKey: 'q1'}));
		expect(lines(lastFrame())[0]).toBe(second);
		expect(lines(lastFrame())[2]).toBe(lines(at(100, {rows: wide}))[2]);
		// Another query (a new filter) lays out afresh.
		rerender(table({rows: narrow, layoutKey: 'q2'}));
		expect(lines(lastFrame())[0]).toBe(first);
		unmount();
	});

	test('the same export objects in a new rows array re-render no row', () => {
		const rows = exportRows(10);
		const {lastFrame, rerender, unmount} = render(table({rows, selectedIndex: 3}));
		const before = lastFrame();
		rowRenders.count = 0;
		rerender(table({rows: [...rows], selectedIndex: 3}));
		expect(rowRenders.count).toBe(0);
		expect(lastFrame()).toBe(before);
		// One export changed: only its row.
		rerender(table({rows: rows.with(5, {...rows[5]!, attributes: {...rows[5]!.attributes, status: 'failed'}}), selectedIndex: 3}));
		expect(rowRenders.count).toBe(1);
		unmount();
	});

	test('moving the selection re-renders only the two rows involved', () => {
		const rows = exportRows(10);
		const {lastFrame, rerender, unmount} = render(table({rows, selectedIndex: 3}));
		expect(lines(lastFrame())[6]).toMatch(/^│>/);
		rowRenders.count = 0;
		rerender(table({rows, selectedIndex: 4, sort: [...newest]}));
		expect(lines(lastFrame())[7]).toMatch(/^│>/);
		expect(rowRenders.count).toBe(2);
		unmount();
	});

	test('a huge server string keeps only what a column could show', () => {
		const huge = exportRecord('HugeHuge01', {reference: '注'.repeat(500_000), status: 'x'.repeat(500_000), resource_type: 'y'.repeat(500_000)});
		const cells = rowCells(huge, noColor);
		for (const key of ['reference', 'status', 'type'] as const) {
			expect(cells[key].length).toBeLessThanOrEqual(1000);
		}

		const frame = plain(at(120, {rows: [huge, ...exportRows(3)]}));
		expect(frame).toContain('注注注');
		for (const cells of widths(frame)) {
			expect(cells).toBeLessThanOrEqual(120);
		}
	});

	test('escape sequences in the data never reach the frame', () => {
		const ESC = '\u001B';
		const evil = exportRecord(`X${ESC}[2J1`, {
			status: `completed${ESC}[31m`,
			resource_type: `orders${ESC}]0;pwned\u0007`,
			format: `csv${ESC}[?1049l`,
			reference: `ref${ESC}]52;c;aGFja2Vk\u0007 ${ESC}]8;;https://evil.example${ESC}\\click${ESC}]8;;${ESC}\\\r\nnext\u202Egnp.exe\u009B31m`,
		});
		const rows = [exportRecord('ok1'), evil];
		const frame = at(200, {rows, selectedIndex: 0}, noColor);
		const evilLine = frame.split('\n')[4] ?? '';
		expect(evilLine).not.toContain(ESC);
		expect(evilLine).not.toMatch(/[\u0000-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069]/);
		expect(evilLine).toContain('X1');
		expect(evilLine).toContain('✔ completed');
		expect(evilLine).toContain('ref click next');
		expect(evilLine).not.toContain('pwned');
		expect(evilLine).not.toContain('52;c');
		// The only escapes in the whole frame are Ink's: inverse (selected row) and bold (header).
		expect(frame.replaceAll(/\u001B\[(1|7|22|27)m/g, '')).not.toContain(ESC);
	});

	test('an empty page shows the empty text inside the box', () => {
		const {lastFrame, unmount} = render(table({rows: [], emptyText: 'No exports match status:failed.'}));
		const shown = lines(lastFrame());
		expect(shown).toHaveLength(5);
		expect(shown[3]).toMatch(/^│ No exports match status:failed\. +│$/);
		expect(new Set(widths(lastFrame())).size).toBe(1);
		unmount();
	});

	test('fits a narrower box inside a wider terminal', () => {
		const rows = exportRows(4);
		const {lastFrame, unmount} = render(
			<Box width={70}>
				{table({rows, width: 70})}
			</Box>,
		);
		expect(Math.max(...widths(lastFrame()))).toBeLessThanOrEqual(70);
		expect(new Set(widths(lastFrame())).size).toBe(1);
		unmount();
	});
});
