// Small read-only questions about the state, shared by the reducer's parts, the effects hooks and
// the view. The rows on screen are not stored: they are read from the page cache, so what the
// screen shows and what the state knows cannot disagree.
import type {ExportRecord} from '../api/types.js';
import {cacheGet} from './page-cache.js';
import {clamp, pageOf, pagesOf} from './list.js';
import {pageKey} from './list-key.js';
import type {Mode, Selection, State, WindowRow} from './types.js';

/** No ids (one shared empty set, so that an unchanged refresh does not re-render the table). */
export const noIds: ReadonlySet<string> = new Set();

/** No marks (one shared empty map). */
export const noMarks: ReadonlyMap<string, ExportRecord> = new Map();

/** The mode to return to when the prompt, the help overlay or a question closes. */
export function baseMode(state: State): Mode {
	return state.detailOpen ? 'detail' : 'browse';
}

/** The export at a position of the current list, when its page is in. */
export function recordAt(state: Pick<State, 'pages' | 'key' | 'query' | 'total'>, index: number): ExportRecord | undefined {
	if (state.total === undefined || index < 0 || index >= state.total) {
		return undefined;
	}

	const size = state.query.size;
	const entry = cacheGet(state.pages, pageKey(state.key, pageOf(index, size)));
	return entry?.page.data[index % size];
}

/**
 * The export under the selection, if the screen shows it as current: never a row of another list
 * (dimmed while the new one loads), never a row whose page is still on its way.
 */
export function selectedRecord(state: State): ExportRecord | undefined {
	return recordAt(state, state.selection.index);
}

/** How many rows the window shows. */
function windowLength(state: State): number {
	if (state.total !== undefined) {
		return Math.max(0, Math.min(state.viewport, state.total - state.top));
	}

	return state.stale ? Math.min(state.viewport, state.stale.rows.length) : 0;
}

/** The pages the window (and the selection) needs: only the first one until the list's size is known. */
export function visiblePages(state: State): number[] {
	const size = state.query.size;
	if (state.total === undefined) {
		return [pageOf(state.selection.index, size)];
	}

	const pages = pagesOf(state.top, windowLength(state), size);
	const selected = pageOf(state.selection.index, size);
	if (!pages.includes(selected) && state.selection.index < state.total) {
		pages.push(selected);
	}

	return pages.length === 0 ? [1] : pages;
}

/** Visible pages the cache lacks and that have not failed: what must be asked for. */
export function missingPages(state: State): number[] {
	return visiblePages(state).filter(page => {
		const key = pageKey(state.key, page);
		return cacheGet(state.pages, key) === undefined && !state.failed.has(key);
	});
}

/** Something the screen needs is on its way. */
export function isLoading(state: State): boolean {
	return missingPages(state).length > 0;
}

/** Why there is no export to act on: nothing there, or its row is not loaded yet (or dimmed). */
export function noRecord(state: State): string {
	return isLoading(state) || state.total === undefined ? 'Wait: the selected export is still loading' : 'No export selected';
}

/** When the selected export's page was fetched (ms). */
export function refreshedAt(state: State): number | undefined {
	const entry = cacheGet(state.pages, pageKey(state.key, pageOf(state.selection.index, state.query.size)));
	return entry?.at ?? cacheGet(state.pages, pageKey(state.key, visiblePages(state)[0] ?? 1))?.at;
}

/** The rows the table shows, from the position `top`. */
export function windowRows(state: State): WindowRow[] {
	const rows: WindowRow[] = [];
	const length = windowLength(state);
	for (let offset = 0; offset < length; offset++) {
		const index = state.top + offset;
		const record = recordAt(state, index);
		if (record !== undefined) {
			rows.push({kind: 'record', record});
			continue;
		}

		const old = state.stale?.rows[index - state.stale.top];
		if (old !== undefined) {
			rows.push({kind: 'stale', record: old});
			continue;
		}

		const failed = state.failed.has(pageKey(state.key, pageOf(index, state.query.size)));
		rows.push(failed ? {kind: 'failed'} : {kind: 'loading'});
	}

	return rows;
}

/** Watch waits while the user is typing a filter or answering a question. */
export function watchPaused(state: State): boolean {
	return state.mode === 'filter' || state.mode === 'confirm';
}

/** The period watch actually uses (longer after 429s). */
export function watchPeriodMs(state: State): number {
	return state.watch.periodMs * state.watch.slowdown;
}

export function clampIndex(index: number, length: number): number {
	return length === 0 ? 0 : clamp(index, 0, length - 1);
}

/** The selection to keep when the rows are about to change under it: the same export. */
export function following(state: State): Selection {
	const {id, index} = state.selection;
	const current = id ?? selectedRecord(state)?.id;
	return current === undefined ? {index} : {id: current, index, follow: true};
}

/**
 * The selection for a new filter or sort: the same export when it is on the new list's first
 * page, else the first row (the top of the new list), never whichever row happens to sit at the
 * old position.
 */
export function followingOrTop(state: State): Selection {
	const {id} = following(state);
	return id === undefined ? {index: 0} : {id, index: 0, follow: true};
}
