// Which columns the exports table shows at a given width, how wide each is, and the text of
// every border and row line (the cells' texts: table-cells.ts). Pure, so the widths can be tested
// at every terminal width.
//
// Drawn as `│>cell │ cell │ cell │`: one border cell per column plus one, a space either side of
// every cell, except that the first cell's left space is the gutter (`>` selected, `*` changed).
// So n columns cost 3n + 1 cells of chrome. Where the terminal is not UTF-8 the lines are ASCII
// (charset.ts), with the same widths.
import {statuses} from '../api/types.js';
import type {SortKey} from '../api/sort.js';
import {displayWidth, fit, type Align} from '../text/width.js';
import {box, type BoxChars} from './charset.js';
import {recordsWidth, type CellKey, type ColumnId, type RowCells} from './table-cells.js';

/** `cell` says which text fills the column (created and records use their short forms when narrow). */
export type Column = {id: ColumnId; title: string; width: number; align: Align; cell: CellKey};

export type TableLayout = {columns: Column[]; /** Drawn width of every line, never above the width asked for. */ width: number};

/** The widest text of each cell kind over some rows (a page, or every page of a query so far). */
export type ContentWidths = Partial<Record<CellKey, number>>;

const cellKeys: readonly CellKey[] = ['status', 'id', 'type', 'format', 'records', 'recordsShort', 'created', 'createdShort', 'reference'];

/**
 * What a column's kind can always show, whatever the page: every known status (`◐ in_progress`),
 * a full date (`Nov 28 14:05`, short `Nov 28`). Laid out at least this wide, the table does not
 * change shape (and redraw its borders) from one page to the next.
 */
const knownWidths: ContentWidths = {
	status: 2 + Math.max(...statuses.map(status => status.length)),
	created: 12,
	createdShort: 6,
};

type Spec = {
	title: string;
	align: Align;
	/** Width below which the column is not worth showing in a comfortable layout. */
	comfortable: number;
	/** The least it may shrink to when the terminal is too narrow for the comfortable layout. */
	tight: number;
	/** Natural width cap: longer values are truncated with `…`. */
	max: number;
};

const specs: Record<ColumnId, Spec> = {
	// Every known status word stays whole (`◐ in_progress`): triage reads it at a glance.
	status: {title: 'status', align: 'left', comfortable: 13, tight: 13, max: 16},
	// Ids and counts are never cut to make room: a truncated number or id misleads.
	id: {title: 'id', align: 'left', comfortable: 14, tight: 14, max: 14},
	type: {title: 'type', align: 'left', comfortable: 9, tight: 8, max: 24},
	format: {title: 'format', align: 'left', comfortable: 6, tight: 6, max: 8},
	records: {title: 'records', align: 'right', comfortable: recordsWidth, tight: recordsWidth, max: recordsWidth},
	created: {title: 'created', align: 'right', comfortable: 12, tight: 12, max: 12},
	reference: {title: 'reference', align: 'left', comfortable: 10, tight: 10, max: Number.POSITIVE_INFINITY},
};

/** Display order. */
const order: ColumnId[] = ['status', 'id', 'type', 'format', 'records', 'created', 'reference'];

/**
 * Column sets from widest to narrowest. Format is the first to go, then the reference (which never
 * takes cells the type needs); below that the essentials shrink to their tight widths (records
 * shows a running export's progress as a percentage, the date loses its time), and only then
 * drop: records (the detail pane has them), type, created. Status and id always stay, and so does
 * the column the list is sorted by, in place of the first of the others to give way.
 */
const essentials: ColumnId[] = ['status', 'id', 'type', 'records', 'created'];
const tightSets: ColumnId[][] = [
	['status', 'id', 'type', 'records', 'created'],
	['status', 'id', 'type', 'created'],
	['status', 'id', 'created'],
	['status', 'id'],
];
/** The order columns give way in, first to last (status and id never do). */
const dropOrder: ColumnId[] = ['format', 'reference', 'records', 'type', 'created'];
/** How wide the type may be before format is worth a column of its own. */
const typeBeforeFormat = 16;

/** Which columns get spare cells first (up to their natural width); the rest goes to the flexible one. */
const growOrder: ColumnId[] = ['status', 'id', 'created', 'records', 'type', 'format', 'reference'];

/** The sort field each column shows. */
export const columnSortField: Record<ColumnId, string> = {
	status: 'status',
	id: 'id',
	type: 'resource_type',
	format: 'format',
	records: 'records_count',
	created: 'created_at',
	reference: 'reference',
};

export function chromeWidth(columnCount: number): number {
	return columnCount === 0 ? 0 : 3 * columnCount + 1;
}

/** The column showing the first sort key, if one does. */
export function sortColumn(sort: readonly SortKey[] | undefined): ColumnId | undefined {
	const field = sort?.[0]?.field;
	return field === undefined ? undefined : order.find(id => columnSortField[id] === field);
}

/** Column title with the sort arrow when the first sort key is this column. */
export function columnTitle(id: ColumnId, sort: readonly SortKey[] | undefined): string {
	const first = sort?.[0];
	const title = specs[id].title;
	if (first && columnSortField[id] === first.field) {
		return `${title} ${first.descending ? '↓' : '↑'}`;
	}

	return title;
}

/** The widest cell of each kind in `cells`, never less than in `previous` (the pages before). */
export function contentWidths(cells: readonly RowCells[], previous: ContentWidths = {}): ContentWidths {
	const widths: ContentWidths = {...previous};
	for (const row of cells) {
		for (const key of cellKeys) {
			const cells = displayWidth(row[key]);
			if (cells > (widths[key] ?? 0)) {
				widths[key] = cells;
			}
		}
	}

	return widths;
}

/** A string that changes exactly when the widths do (for memoising a layout on them). */
export function widthsSignature(widths: ContentWidths): string {
	return cellKeys.map(key => widths[key] ?? 0).join(',');
}

/**
 * Lays the table out in `width` cells: which columns show and how wide each is. Natural widths
 * come from the titles, what each column's kind can show (`knownWidths`) and the cells: the
 * page's (`cells`), or widths measured over several pages (`widths`). The result is never wider
 * than `width` unless even the two last columns (status, id) cannot fit at one cell each.
 */
export function layoutTable(
	width: number,
	options: {cells?: readonly RowCells[]; widths?: ContentWidths; sort?: readonly SortKey[]} = {},
): TableLayout {
	const content = options.widths ?? contentWidths(options.cells ?? []);
	const titles = Object.fromEntries(order.map(id => [id, columnTitle(id, options.sort)])) as Record<ColumnId, string>;
	const natural = {} as Record<ColumnId, number>;
	for (const id of order) {
		const widest = Math.max(displayWidth(titles[id]), knownWidths[id] ?? 0, content[id] ?? 0);
		natural[id] = Math.min(widest, specs[id].max);
	}

	// Narrow layouts show records short (`42%` rather than `1,234/5,000`), then the date too
	// (`Nov 28` rather than `Nov 28 14:05`).
	const short: Partial<Record<ColumnId, number>> = {
		created: Math.min(natural.created, Math.max(displayWidth(titles.created), knownWidths.createdShort ?? 0, content.createdShort ?? 0)),
		records: Math.min(natural.records, Math.max(displayWidth(titles.records), content.recordsShort ?? 0)),
	};

	const naturalOf = (id: ColumnId, isShort: boolean) => (isShort ? short[id] ?? natural[id] : natural[id]);

	// A tier of the layout: its columns, which of them show their short form, whether the
	// essentials may shrink to their tight widths, and the cells each needs to be worth showing.
	type Tier = {set: readonly ColumnId[]; short: ReadonlySet<ColumnId>; tight: boolean; cells: (id: ColumnId) => number};
	// The sort column keeps its whole title: the arrow says which way the list is sorted.
	const sorted = sortColumn(options.sort);
	const minimum = (id: ColumnId, tier: Pick<Tier, 'short' | 'tight'>) =>
		Math.min(naturalOf(id, tier.short.has(id)), Math.max(tier.tight ? specs[id].tight : specs[id].comfortable, id === sorted ? displayWidth(titles[id]) : 0));
	const total = (set: readonly ColumnId[], cells: (id: ColumnId) => number) =>
		chromeWidth(set.length) + set.reduce((sum, id) => sum + cells(id), 0);
	// Format only when the essentials are close to their natural width (a long type is better
	// than a format column); the reference too: it never takes cells the type needs. Then records
	// turn into `42%` before the type is cut, and only then the date loses its time.
	const noShort = new Set<ColumnId>();
	const recordsShort = new Set<ColumnId>(['records']);
	const bothShort = new Set<ColumnId>(['records', 'created']);
	const wanted = (id: ColumnId, isShort = false) => (id === 'type' ? Math.min(natural[id], typeBeforeFormat) : naturalOf(id, isShort));
	const asWanted = (short: ReadonlySet<ColumnId>) => (id: ColumnId) => (essentials.includes(id) ? wanted(id, short.has(id)) : minimum(id, {short, tight: false}));
	const tiers: Tier[] = [
		{set: [...essentials, 'format', 'reference'], short: noShort, tight: false, cells: asWanted(noShort)},
		{set: [...essentials, 'reference'], short: noShort, tight: false, cells: asWanted(noShort)},
		{set: essentials, short: noShort, tight: false, cells: asWanted(noShort)},
		{set: essentials, short: recordsShort, tight: false, cells: asWanted(recordsShort)},
		{set: essentials, short: recordsShort, tight: false, cells: id => minimum(id, {short: recordsShort, tight: false})},
		...tightSets.map(set => ({set, short: bothShort, tight: true, cells: (id: ColumnId) => minimum(id, {short: bothShort, tight: true})})),
	];
	// The column the list is sorted by is always shown: where a tier leaves it out, it takes the
	// place of that tier's first column to give way.
	const withSorted = (set: readonly ColumnId[]): readonly ColumnId[] => {
		if (sorted === undefined || set.includes(sorted)) {
			return set;
		}

		const giving = dropOrder.find(id => set.includes(id));
		return giving === undefined ? set : [...set.filter(id => id !== giving), sorted];
	};

	let chosen: readonly ColumnId[] = ['status', 'id'];
	let tier: Tier = tiers.at(-1)!;
	for (const candidate of tiers) {
		const set = withSorted(candidate.set);
		if (total(set, candidate.cells) <= width) {
			chosen = set;
			tier = candidate;
			break;
		}
	}

	const widths = {} as Record<ColumnId, number>;
	for (const id of chosen) {
		widths[id] = minimum(id, tier);
	}

	let spare = width - chromeWidth(chosen.length) - chosen.reduce((sum, id) => sum + widths[id], 0);
	if (spare < 0) {
		// Narrower than even the tight minimum of status and id: squeeze them (never below 1).
		for (const id of ['id', 'status'] as const) {
			const cut = Math.min(-spare, widths[id] - 1);
			widths[id] -= cut;
			spare += cut;
		}
	}

	for (const id of growOrder) {
		if (spare <= 0 || !chosen.includes(id)) {
			continue;
		}

		const grow = Math.min(spare, naturalOf(id, tier.short.has(id)) - widths[id]);
		if (grow > 0) {
			widths[id] += grow;
			spare -= grow;
		}
	}

	if (spare > 0) {
		// Fill the line: the reference takes what is left, else the type, else the last column.
		const flexible = chosen.includes('reference') ? 'reference' : chosen.includes('type') ? 'type' : chosen.at(-1);
		if (flexible) {
			widths[flexible] += spare;
		}
	}

	const shown = chosen;
	const columns = order
		.filter(id => shown.includes(id))
		.map((id): Column => ({id, title: titles[id], width: widths[id], align: specs[id].align, cell: tier.short.has(id) && widths[id] < natural[id] ? shortCell(id) : id}));
	return {columns, width: chromeWidth(columns.length) + columns.reduce((sum, column) => sum + column.width, 0)};
}

function shortCell(id: ColumnId): CellKey {
	return id === 'created' ? 'createdShort' : id === 'records' ? 'recordsShort' : id;
}

function border(columns: readonly Column[], chars: BoxChars, left: string, junction: string, right: string): string {
	return left + columns.map(column => chars.horizontal.repeat(column.width + 2)).join(junction) + right;
}

export function topBorder(columns: readonly Column[], chars: BoxChars = box): string {
	return border(columns, chars, chars.topLeft, chars.topJunction, chars.topRight);
}

export function headerSeparator(columns: readonly Column[], chars: BoxChars = box): string {
	return border(columns, chars, chars.left, chars.cross, chars.right);
}

/** The bottom border, with `label` (e.g. `5-12 of 25`) set into its right end when it fits. */
export function bottomBorder(columns: readonly Column[], label?: string, chars: BoxChars = box): string {
	const line = border(columns, chars, chars.bottomLeft, chars.bottomJunction, chars.bottomRight);
	if (!label) {
		return line;
	}

	const text = ` ${label} `;
	const room = line.length - 3; // keep `└`, one `─` before `┘`, and `┘`
	if (text.length > room) {
		return line;
	}

	const start = line.length - 2 - text.length;
	return line.slice(0, start) + text + line.slice(start + text.length);
}

/**
 * One row split in three for styling: `prefix` (left border and gutter), `status` (the coloured
 * cell) and `rest`. Together they are exactly the layout's width.
 */
export function rowParts(
	columns: readonly Column[],
	cells: Readonly<Record<CellKey, string>>,
	gutter: string,
	chars: BoxChars = box,
): {prefix: string; status: string; rest: string} {
	const [first, ...others] = columns;
	if (!first) {
		return {prefix: '', status: '', rest: ''};
	}

	const {vertical} = chars;
	const rest = others.map(column => ` ${vertical} ` + fit(cells[column.cell], column.width, column.align)).join('') + ` ${vertical}`;
	return {prefix: vertical + gutter, status: fit(cells[first.cell], first.width, first.align), rest};
}

export function headerLine(columns: readonly Column[], chars: BoxChars = box): string {
	const titles = Object.fromEntries(columns.map(column => [column.cell, column.title])) as Record<CellKey, string>;
	const {prefix, status, rest} = rowParts(columns, titles, ' ', chars);
	return prefix + status + rest;
}

/** A full-width line inside the box, for the empty-page text. */
export function messageLine(layout: TableLayout, text: string, chars: BoxChars = box): string {
	const inner = layout.width - 4;
	return inner > 0 ? `${chars.vertical} ` + fit(text, inner) + ` ${chars.vertical}` : fit(text, layout.width);
}

/** Rows that fit in `height` lines of table (top border, header, separator and bottom border take 4). */
export function visibleRowCount(height: number): number {
	return Math.max(1, height - 4);
}
