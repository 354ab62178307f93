// What the state does with exports a job changed on the server: a changed export's row (and its
// mark) shows the new version, and the list is fetched again, without the deleted ones, the
// selection staying on its export, and the status counts with it.
import type {ExportRecord} from '../api/types.js';
import {parsePageKey} from './list-key.js';
import {askOverview} from './overview.js';
import {cacheClear, cachePut} from './page-cache.js';
import {noIds, selectedRecord, windowRows} from './selectors.js';
import type {State} from './types.js';
import {refreshPage} from './watch.js';

/** The page and the overview again (after an operation changed an export). */
export function refreshAll(state: State): State {
	return {...refreshPage(state), overview: askOverview(state.overview), watch: {...state.watch, sinceOverview: 0}};
}

/** An export retrieved or changed by a job: its row (its page of the current list) and its mark show the new version. */
export function updateRecord(state: State, record: ExportRecord): State {
	const marked = state.marks.has(record.id) ? {...state, marks: new Map(state.marks).set(record.id, record)} : state;
	for (const [key, cached] of marked.pages.entries) {
		if (parsePageKey(key).list !== marked.key) {
			continue;
		}

		const index = cached.page.data.findIndex(row => row.id === record.id);
		if (index !== -1) {
			const data = cached.page.data.with(index, record);
			return {...marked, pages: cachePut(marked.pages, key, {...cached, page: {...cached.page, data}})};
		}
	}

	return marked;
}

/**
 * Every page of the list again, after exports were deleted (every later export moves up) or
 * changed: the pages are forgotten, the rows on screen stay (dimmed, without the deleted ones)
 * until the new ones land, and the selection stays on its export, or on the row that takes the
 * place of a deleted one.
 */
export function reloadWithout(state: State, removed: ReadonlySet<string>): State {
	const shown = windowRows(state).map(row => (row.kind === 'record' || row.kind === 'stale' ? row.record : undefined));
	const rows = shown.filter(record => record === undefined || !removed.has(record.id));
	const gone = shown.length - rows.length;
	const total = state.total === undefined ? undefined : Math.max(0, state.total - gone);
	const selectedId = selectedRecord(state)?.id ?? state.selection.id;
	const kept = selectedId === undefined || removed.has(selectedId) ? -1 : rows.findIndex(record => record?.id === selectedId);
	const index = kept === -1 ? Math.max(0, Math.min(state.selection.index, (total ?? 1) - 1)) : state.top + kept;
	const id = rows[index - state.top]?.id;
	const next: State = {
		...state,
		pages: cacheClear(state.pages),
		failed: noIds,
		total,
		stale: {top: state.top, rows},
		selection: {id, index, follow: id === undefined ? undefined : true},
		fetchSeq: state.fetchSeq + 1,
	};
	return {...next, overview: askOverview(next.overview), watch: {...next.watch, sinceOverview: 0}};
}
