// The continuous list: the keys move the selection over every export of the list, a screenful
// at a time or to either end, and the window of rows follows; `s` / `S` change the sort, `r`
// reloads. Switching to another list (a new sort or filter) shows its pages at once when they
// are in the cache, and what the screen showed, dimmed, until they come. Positions are 0-based
// indexes into the whole list; the API's pages are only how rows are fetched (list.ts).
import type {SortableField} from '../api/fields.js';
import type {ExportRecord} from '../api/types.js';
import {fitTop, screenful} from './list.js';
import {listKey, pageKey, parsePageKey, sortBy} from './list-key.js';
import {askOverview} from './overview.js';
import {take} from './page-answers.js';
import {cacheClear, cacheGet, cacheTouch} from './page-cache.js';
import {clampIndex, following, followingOrTop, noIds, recordAt, selectedRecord, visiblePages} from './selectors.js';
import type {Handlers, PageCache, Position, Query, Selection, State} from './types.js';
import {refreshPage} from './watch.js';

/** The table's sortable columns, in the order `s` cycles through them. */
export const sortColumns: readonly SortableField[] = [
	'status',
	'id',
	'resource_type',
	'format',
	'records_count',
	'created_at',
	'reference',
];

export const pagingHandlers = {
	selectUp(state) {
		return select(state, state.selection.index - 1, -1);
	},

	selectDown(state) {
		return select(state, state.selection.index + 1, 1);
	},

	nextPage: screenfulMove,
	previousPage: screenfulMove,

	firstPage(state) {
		return state.total === undefined ? state : moveTo(state, 0, 0, -1);
	},

	lastPage(state) {
		if (state.total === undefined) {
			return state;
		}

		const last = Math.max(0, state.total - 1);
		return moveTo(state, last, Math.max(0, state.total - state.viewport), 1);
	},

	sortNextColumn(state) {
		const current = state.query.sort[0]?.field;
		const index = current === undefined ? -1 : sortColumns.indexOf(current);
		const field = sortColumns[(index + 1) % sortColumns.length] ?? 'created_at';
		return withQuery(state, {...state.query, sort: sortBy(field)}, followingOrTop(state));
	},

	sortReverse(state) {
		const [primary, ...rest] = state.query.sort;
		if (primary === undefined) {
			return state;
		}

		const sort = [{field: primary.field, descending: !primary.descending}, ...rest];
		return withQuery(state, {...state.query, sort}, followingOrTop(state));
	},

	reload(state) {
		return {
			...state,
			pages: cacheClear(state.pages),
			failed: noIds,
			stale: snapshot(state),
			refreshing: undefined,
			fetchSeq: state.fetchSeq + 1,
			selection: following(state),
			overview: askOverview(state.overview),
			watch: {...state.watch, sinceOverview: 0},
		};
	},

	refresh(state, action) {
		return refreshPage(state, action.page);
	},

	viewportMeasured(state, action) {
		const viewport = Math.max(1, Math.floor(action.rows));
		if (viewport === state.viewport) {
			return state;
		}

		const top = fitTop(state.top, state.selection.index, viewport, state.total ?? 0);
		return {...state, viewport, top, pages: withRoomFor(state.pages, viewport, state.query.size)};
	},
} satisfies Partial<Handlers>;

/** PgDn / PgUp: the window moves by its height, the selection with it. */
function screenfulMove(state: State, action: {type: 'nextPage' | 'previousPage'}): State {
	if (state.total === undefined) {
		// Nothing known about the bounds until the first answer arrives.
		return state;
	}

	const direction = action.type === 'nextPage' ? 1 : -1;
	const {cursor, top} = screenful({cursor: state.selection.index, top: state.top}, direction, state.viewport, state.total);
	return moveTo(state, cursor, top, direction);
}

/** Moves the selection to a position of the list (within what is known of it). */
function select(state: State, index: number, direction: 1 | -1): State {
	const count = state.total ?? 0;
	const cursor = clampIndex(index, count);
	return moveTo(state, cursor, fitTop(state.top, cursor, state.viewport, count), direction);
}

function moveTo(state: State, cursor: number, top: number, direction: 1 | -1): State {
	const id = recordAt(state, cursor)?.id;
	if (cursor === state.selection.index && top === state.top && id === state.selection.id) {
		return state;
	}

	const detail = id !== undefined && id === selectedRecord(state)?.id ? state.detail : {...state.detail, scroll: 0};
	const moved: State = {...state, selection: {id, index: cursor}, top, direction, detail};
	return state.failed.size === 0 ? moved : {...moved, failed: stillVisible(moved)};
}

/** The failed pages still in view: one that left it is asked for again when it comes back. */
function stillVisible(state: State): ReadonlySet<string> {
	const visible = new Set(visiblePages(state).map(page => pageKey(state.key, page)));
	const kept = [...state.failed].filter(key => visible.has(key));
	return kept.length === state.failed.size ? state.failed : new Set(kept);
}

/** Switches to another list: from the top (or the export the selection follows, when it is there). */
export function withQuery(state: State, query: Query, selection: Selection, position?: Position): State {
	const key = listKey(query);
	if (key === state.key) {
		return {...state, query};
	}

	const next: State = {
		...state,
		query,
		key,
		total: undefined,
		failed: noIds,
		error: undefined,
		refreshing: undefined,
		changedIds: noIds,
		stale: displayed(state) ? {top: 0, rows: windowRecords(state)} : state.stale && {top: 0, rows: state.stale.rows},
		selection: {id: selection.id, index: position?.index ?? 0, follow: selection.id !== undefined},
		top: position?.top ?? 0,
		direction: 1,
		detail: {...state.detail, scroll: 0},
	};
	// Pages of this list answered before (going back to a filter, a sort reversed twice): at once.
	const cachedPages = [...state.pages.entries.keys()].filter(entry => parsePageKey(entry).list === key);
	let shown = next;
	for (const entryKey of cachedPages) {
		const entry = cacheGet(state.pages, entryKey);
		if (entry !== undefined) {
			shown = take(shown, entryKey, entry, undefined);
		}
	}

	return {...shown, pages: touchVisible(shown)};
}

/** Whether the rows on screen are the current list's (not a previous one's, dimmed). */
function displayed(state: State): boolean {
	return state.total !== undefined;
}

/** The rows the window shows now, for a snapshot. */
function windowRecords(state: State): Array<ExportRecord | undefined> {
	const rows: Array<ExportRecord | undefined> = [];
	const count = Math.min(state.viewport, Math.max(0, (state.total ?? 0) - state.top));
	for (let offset = 0; offset < count; offset++) {
		const index = state.top + offset;
		rows.push(recordAt(state, index) ?? state.stale?.rows[index - state.stale.top]);
	}

	return rows;
}

function snapshot(state: State): State['stale'] {
	return displayed(state) ? {top: state.top, rows: windowRecords(state)} : state.stale;
}

/** The visible pages as the most recently used: paging far away evicts other pages first. */
function touchVisible(state: State): PageCache {
	let {pages} = state;
	for (const page of visiblePages(state)) {
		pages = cacheTouch(pages, pageKey(state.key, page));
	}

	return pages;
}

/** A cache that can hold at least every visible page three times over (tiny page sizes, tall terminals). */
function withRoomFor(pages: PageCache, viewport: number, size: number): PageCache {
	const needed = 3 * (Math.ceil(viewport / Math.max(1, size)) + 1);
	return needed <= pages.limit ? pages : {...pages, limit: needed};
}
