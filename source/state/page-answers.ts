// The API's answers for pages of the list: an answer is filed in the page cache whatever list it
// is for (its list may come back), and shown when it is the current list's: the list's size, the
// selection put back on the export it follows, the rows that changed since the page's previous
// answer. Failures, retries and the client's pacer holding a request say so in the state.
import type {ExportRecord} from '../api/types.js';
import {fitTop, pageStart} from './list.js';
import {parsePageKey} from './list-key.js';
import {cacheGet, cachePut} from './page-cache.js';
import {clampIndex, missingPages, noIds, recordAt, visiblePages} from './selectors.js';
import type {Action, CachedPage, Handlers, Selection, State} from './types.js';
import {changedRows} from './watch.js';
import {backOffOf, cleanRefresh, slowDown} from './watch-budget.js';

export const pageAnswerHandlers = {
	pageLoaded,

	pageFailed(state, action) {
		const slowed = slowDown(state, backOffOf(action));
		const {list, page} = parsePageKey(action.key);
		// A prefetch that failed says nothing: its page is asked for again when it is needed.
		if (list !== state.key || !visiblePages(state).includes(page)) {
			return slowed;
		}

		const failed = new Set(state.failed).add(action.key);
		const refreshing = state.refreshing === action.key ? undefined : state.refreshing;
		// A page that fails behind rows already on screen leaves them there: only the error says so.
		const behind = state.refreshing === action.key && cacheGet(state.pages, action.key) !== undefined;
		// Rows of this list shown dimmed (a reload) stay; another list's (a new filter) go.
		const stale = state.total === undefined ? undefined : state.stale;
		return {...slowed, refreshing, failed: behind ? state.failed : failed, error: action.error, stale};
	},

	requestRetrying(state, action) {
		const slowed = slowDown(state, backOffOf(action));
		return parsePageKey(action.key).list === state.key ? {...slowed, error: action.error} : slowed;
	},

	requestHeld(state, action) {
		if (action.until === undefined) {
			return state.held === undefined ? state : {...state, held: undefined};
		}

		return parsePageKey(action.key).list === state.key ? {...state, held: {key: action.key, until: action.until}} : state;
	},
} satisfies Partial<Handlers>;

function pageLoaded(state: State, action: Extract<Action, {type: 'pageLoaded'}>): State {
	const {list} = parsePageKey(action.key);
	const answered = Math.max(state.answered, action.seq ?? 0);
	const before = cacheGet(state.pages, action.key);
	// A refresh that finds the page as it was keeps the very same objects: nothing to redraw.
	const data = before === undefined ? action.page.data : sameRecords(before.page.data, action.page.data);
	const entry: CachedPage = {page: data === action.page.data ? action.page : {...action.page, data}, at: action.at};
	// Every answer is worth keeping for when its list comes back; only the current one is shown.
	const pages = cachePut(state.pages, action.key, entry);
	if (list !== state.key) {
		return {...state, pages, answered};
	}

	const refreshed = state.refreshing === action.key;
	const taken = take({...state, pages, answered, refreshing: refreshed ? undefined : state.refreshing}, action.key, entry, before?.page.data);
	const failed = taken.failed.has(action.key) ? new Set([...taken.failed].filter(key => key !== action.key)) : taken.failed;
	const shown: State = {...taken, failed, error: undefined};
	// Every visible page is in: what is dimmed has been replaced, and an export the selection was
	// looking for and did not find is gone: the selection stays at its position.
	const done = missingPages(shown).length === 0 ? settle(shown) : shown;
	// Any answer for the rows on screen says the API is back (a reload too, not only watch's own refreshes).
	return state.watch.on ? cleanRefresh(done) : done;
}

function settle(state: State): State {
	const {selection} = state;
	const id = selection.follow === true ? recordAt(state, selection.index)?.id : selection.id;
	const settled = selection.follow === true ? {id, index: selection.index} : selection;
	return state.stale === undefined && settled === selection ? state : {...state, stale: undefined, selection: settled};
}

/**
 * A page of the current list in the cache: the list's size, the selection put back on the export
 * it follows, the rows that changed since the page's previous answer.
 */
export function take(state: State, key: string, entry: CachedPage, previous: readonly ExportRecord[] | undefined): State {
	const {page: number} = parsePageKey(key);
	const {data, meta} = entry.page;
	const total = recordCount(meta.record_count, state.query.size, number, data.length);
	const offset = pageStart(number, state.query.size);
	let {index, id, follow} = state.selection;
	const found = id === undefined ? -1 : data.findIndex(record => record.id === id);
	const onThisPage = index >= offset && index < offset + state.query.size;
	if (found !== -1 && (follow === true || onThisPage)) {
		index = offset + found;
		follow = undefined;
	} else if (number === 1) {
		// The first answer of a new list decides: the export followed is not at the top.
		follow = undefined;
	}

	index = clampIndex(index, total);
	const top = fitTop(state.top, index, state.viewport, total);
	const atCursor = recordAt({...state, total}, index);
	if (follow === undefined && (atCursor !== undefined || onThisPage)) {
		id = atCursor?.id;
	}

	const changed = previous === undefined ? undefined : changedRows(previous, data);
	let {changedIds} = state;
	if (changed !== undefined) {
		const others = [...changedIds].filter(changedId => !previous!.some(record => record.id === changedId));
		changedIds = others.length === 0 && changed.size === 0 ? (changedIds.size === 0 ? changedIds : noIds) : new Set([...others, ...changed]);
	}

	const mode = typeof data[0]?.meta?.mode === 'string' ? data[0].meta.mode : state.apiMode;
	const selection: Selection = follow === true ? {id, index, follow} : {id, index};
	const detail = id === state.selection.id ? state.detail : {...state.detail, scroll: 0};
	return {...state, total, selection, top, changedIds, apiMode: mode, detail};
}

/**
 * The list's size as the API says, checked: a count that is not a sane whole number (a broken
 * server, 1e300) is replaced by what the answer itself proves.
 */
function recordCount(value: unknown, size: number, page: number, length: number): number {
	const offset = pageStart(page, size);
	const sane = typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;
	if (length === 0) {
		// Past the end (exports deleted since): the list is shorter than this page's start.
		return sane ? Math.min(value, offset) : offset;
	}

	// A short page is the last one, whatever the count says.
	if (length < size || !sane) {
		return offset + length;
	}

	return Math.max(value, offset + length);
}

/**
 * `next` with every export that has not changed since `previous` replaced by its previous object,
 * and `previous` itself when nothing changed: the table's memoised rows then see the same props.
 */
export function sameRecords(previous: readonly ExportRecord[], next: ExportRecord[]): ExportRecord[] {
	const before = new Map(previous.map(record => [record.id, record]));
	let same = previous.length === next.length;
	const merged = next.map((record, index) => {
		const old = before.get(record.id);
		if (old !== undefined && old !== record && JSON.stringify(old) === JSON.stringify(record)) {
			same &&= previous[index] === old;
			return old;
		}

		same &&= previous[index] === record;
		return record;
	});
	return same ? (previous as ExportRecord[]) : merged;
}
