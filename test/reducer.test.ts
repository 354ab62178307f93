import {describe, expect, test} from 'vitest';
import type {Key} from 'ink';
import type {ExportPage, ExportRecord} from '../source/api/types.js';
import {cacheGet, cachePut, cacheTouch, createPageCache} from '../source/state/page-cache.js';
import {
	initialState,
	queryKey,
	reducer,
	selectedRecord,
	sortBy,
	sortColumns,
	toListQuery,
	type Action,
	type State,
} from '../source/state/reducer.js';
import {noKey} from './helpers/keys.js';

const size = 5;

function record(id: string): ExportRecord {
	return {id, type: 'exports', attributes: {status: 'completed', resource_type: 'skus'}, meta: {mode: 'test'}};
}

function page(ids: string[], recordCount: number, pageCount = Math.ceil(recordCount / size)): ExportPage {
	return {data: ids.map(id => record(id)), meta: {record_count: recordCount, page_count: pageCount}, links: {}};
}

/** Ids of page n of a 23-export organization: p1-0 … p1-4, …, p5-0 … p5-2. */
function ids(n: number, count = size): string[] {
	return Array.from({length: count}, (_, index) => `p${n}-${index}`);
}

function run(state: State, ...actions: Action[]): State {
	return actions.reduce(reducer, state);
}

function start(): State {
	return initialState({pageSize: size, sort: [{field: 'created_at', descending: true}]});
}

/** The first page of 23 exports (5 pages) on screen. */
function loaded(): State {
	const state = start();
	return reducer(state, {type: 'pageLoaded', key: state.key, page: page(ids(1), 23), at: 1000});
}

/** Answers the query the state is loading. */
function answer(state: State, data: ExportPage, at = 2000): State {
	expect(state.loading).toBe(state.key);
	return reducer(state, {type: 'pageLoaded', key: state.key, page: data, at});
}

describe('initial state', () => {
	test('asks for page 1 of the configured query', () => {
		const state = start();
		expect(state.query).toEqual({page: 1, size, sort: [{field: 'created_at', descending: true}], filterText: '', filters: {}});
		expect(state.mode).toBe('browse');
		expect(state.loading).toBe(state.key);
		expect(state.fetchSeq).toBe(1);
		expect(state.rows).toEqual([]);
		expect(state.selection).toEqual({index: 0});
	});

	test('takes the configured filter and defaults the sort to newest first', () => {
		const state = initialState({pageSize: 25, sort: [], filterText: 'status:failed', filters: {status_eq: 'failed'}});
		expect(state.query.sort).toEqual([{field: 'created_at', descending: true}]);
		expect(state.query.filters).toEqual({status_eq: 'failed'});
		expect(state.filter.draft).toBe('status:failed');
	});
});

describe('answers', () => {
	test('pageLoaded puts the page on screen with its counts and time', () => {
		const state = loaded();
		expect(state.rows.map(row => row.id)).toEqual(ids(1));
		expect(state.rowsKey).toBe(state.key);
		expect(state.recordCount).toBe(23);
		expect(state.pageCount).toBe(5);
		expect(state.refreshedAt).toBe(1000);
		expect(state.apiMode).toBe('test');
		expect(state.loading).toBeUndefined();
		expect(state.selection).toEqual({id: 'p1-0', index: 0});
		// An empty page keeps the mode known from before.
		const empty = answer(run(state, {type: 'openFilter'}, {type: 'filterEdited', text: 'status:failed', at: 0}, {type: 'filterSubmitted'}), page([], 0, 0));
		expect(empty.apiMode).toBe('test');
	});

	test('a late answer for another query is dropped from the screen (but kept for when it comes back)', () => {
		const onPage1 = loaded();
		const onPage2 = reducer(onPage1, {type: 'nextPage'});
		const late = reducer(onPage2, {type: 'pageLoaded', key: onPage1.key, page: page(['stale'], 23), at: 5});
		expect(late.rows.map(row => row.id)).toEqual(ids(1));
		expect(late.loading).toBe(onPage2.key);
		expect(late.query.page).toBe(2);
		expect(late.refreshedAt).toBe(1000);
	});

	test('an answer for a query the user has left does not replace the rows', () => {
		const filtered = run(loaded(), {type: 'openFilter'}, {type: 'filterEdited', text: 'status:failed', at: 0}, {type: 'filterApplied'});
		const oldKey = queryKey({...filtered.query, filters: {}});
		const after = reducer(filtered, {type: 'pageLoaded', key: oldKey, page: page(['other'], 1), at: 9});
		expect(after.rows.map(row => row.id)).toEqual(ids(1));
		expect(after.loading).toBe(filtered.key);
	});

	test('pageFailed keeps the table and shows the error; a failure for another query is dropped', () => {
		const onPage2 = reducer(loaded(), {type: 'nextPage'});
		const failed = reducer(onPage2, {type: 'pageFailed', key: onPage2.key, error: {title: 'Internal server error', detail: 'boom'}});
		expect(failed.error).toEqual({title: 'Internal server error', detail: 'boom'});
		expect(failed.rows.map(row => row.id)).toEqual(ids(1));
		expect(failed.loading).toBeUndefined();
		const other = reducer(onPage2, {type: 'pageFailed', key: 'elsewhere', error: {title: 'x'}});
		expect(other).toBe(onPage2);
	});

	test('a successful answer clears the error', () => {
		const state = loaded();
		const failed = run(state, {type: 'reload'}, {type: 'pageFailed', key: state.key, error: {title: 'Bad gateway'}});
		expect(failed.error?.title).toBe('Bad gateway');
		const recovered = run(failed, {type: 'reload'});
		expect(recovered.error?.title).toBe('Bad gateway');
		expect(answer(recovered, page(ids(1), 23)).error).toBeUndefined();
	});

	test('requestRetrying shows the countdown for the current query only', () => {
		const state = reducer(loaded(), {type: 'nextPage'});
		const retrying = reducer(state, {type: 'requestRetrying', key: state.key, error: {title: 'rate limited', retryInSeconds: 10}});
		expect(retrying.error).toEqual({title: 'rate limited', retryInSeconds: 10});
		expect(retrying.loading).toBe(state.key);
		expect(reducer(state, {type: 'requestRetrying', key: 'old', error: {title: 'rate limited'}})).toBe(state);
	});

	test('pageLoading marks the current query as loading', () => {
		const state = loaded();
		expect(reducer(state, {type: 'pageLoading', key: state.key}).loading).toBe(state.key);
		expect(reducer(state, {type: 'pageLoading', key: 'other'})).toBe(state);
	});
});

describe('selection', () => {
	test('moves within the page and stops at its ends', () => {
		let state = loaded();
		state = reducer(state, {type: 'selectUp'});
		expect(state.selection).toEqual({id: 'p1-0', index: 0});
		state = run(state, {type: 'selectDown'}, {type: 'selectDown'});
		expect(state.selection).toEqual({id: 'p1-2', index: 2});
		expect(selectedRecord(state)?.id).toBe('p1-2');
		state = run(state, {type: 'selectDown'}, {type: 'selectDown'}, {type: 'selectDown'}, {type: 'selectDown'});
		expect(state.selection).toEqual({id: 'p1-4', index: 4});
		const same = reducer(state, {type: 'selectDown'});
		expect(same).toBe(state);
	});

	test('does nothing on an empty page', () => {
		const state = start();
		const empty = answer(state, page([], 0, 0));
		expect(reducer(empty, {type: 'selectDown'})).toBe(empty);
		expect(reducer(empty, {type: 'selectUp'})).toBe(empty);
		expect(empty.selection).toEqual({id: undefined, index: 0});
	});

	test('follows the same export after a reload when it is still on the page', () => {
		let state = run(loaded(), {type: 'selectDown'}, {type: 'selectDown'});
		expect(state.selection.id).toBe('p1-2');
		state = reducer(state, {type: 'reload'});
		state = answer(state, page(['new-1', 'new-2', 'p1-0', 'p1-1', 'p1-2'], 25));
		expect(state.selection).toEqual({id: 'p1-2', index: 4});
	});

	test('keeps the index (clamped) when the export is gone', () => {
		let state = run(loaded(), {type: 'selectDown'}, {type: 'selectDown'}, {type: 'selectDown'});
		state = reducer(state, {type: 'reload'});
		state = answer(state, page(['a', 'b'], 2));
		expect(state.selection).toEqual({id: 'b', index: 1});
	});

	test('follows the export after a re-sort', () => {
		let state = run(loaded(), {type: 'selectDown'});
		state = reducer(state, {type: 'sortReverse'});
		state = answer(state, page(['x', 'y', 'z', 'p1-1', 'w'], 23));
		expect(state.selection).toEqual({id: 'p1-1', index: 3});
	});

	test('after a re-sort or a new filter without the selected export, the first row is selected', () => {
		let state = run(loaded(), {type: 'selectDown'}, {type: 'selectDown'}, {type: 'selectDown'});
		state = reducer(state, {type: 'sortReverse'});
		state = answer(state, page(['x', 'y', 'z', 'v', 'w'], 23));
		expect(state.selection).toEqual({id: 'x', index: 0});

		state = run(state, {type: 'selectDown'}, {type: 'selectDown'}, {type: 'openFilter'}, {type: 'filterEdited', text: 'type:skus', at: 0});
		state = reducer(state, {type: 'filterSubmitted'});
		state = answer(state, page(['s1', 's2', 's3', 's4', 's5'], 9));
		expect(state.selection).toEqual({id: 's1', index: 0});
	});
});

describe('paging', () => {
	test('nothing before the first answer, since the bounds are unknown', () => {
		const state = start();
		expect(reducer(state, {type: 'nextPage'})).toBe(state);
		expect(reducer(state, {type: 'lastPage'})).toBe(state);
	});

	test('next page keeps the row index, clamped to the new page', () => {
		let state = run(loaded(), {type: 'selectDown'}, {type: 'selectDown'}, {type: 'selectDown'});
		state = reducer(state, {type: 'nextPage'});
		expect(state.query.page).toBe(2);
		expect(state.loading).toBe(state.key);
		expect(state.fetchSeq).toBe(2);
		// Until page 2 arrives the rows of page 1 stay on screen.
		expect(state.rows.map(row => row.id)).toEqual(ids(1));
		state = answer(state, page(ids(2), 23));
		expect(state.selection).toEqual({id: 'p2-3', index: 3});
		// The last page has 3 rows: index 3 is clamped to 2.
		state = run(state, {type: 'nextPage'});
		state = answer(state, page(ids(3), 23));
		state = run(state, {type: 'nextPage'});
		state = answer(state, page(ids(4), 23));
		state = run(state, {type: 'nextPage'});
		state = answer(state, page(ids(5, 3), 23));
		expect(state.query.page).toBe(5);
		expect(state.selection).toEqual({id: 'p5-2', index: 2});
	});

	test('no page above page_count, none below 1', () => {
		let state = loaded();
		expect(reducer(state, {type: 'previousPage'})).toBe(state);
		state = answer(reducer(state, {type: 'lastPage'}), page(ids(5, 3), 23));
		expect(state.query.page).toBe(5);
		const again = reducer(state, {type: 'nextPage'});
		expect(again.query.page).toBe(5);
		expect(again.fetchSeq).toBe(state.fetchSeq);
	});

	test('going back to a cached page is instant: no fetch, no loading', () => {
		let state = answer(reducer(loaded(), {type: 'nextPage'}), page(ids(2), 23));
		const seq = state.fetchSeq;
		state = reducer(state, {type: 'previousPage'});
		expect(state.query.page).toBe(1);
		expect(state.loading).toBeUndefined();
		expect(state.fetchSeq).toBe(seq);
		expect(state.rows.map(row => row.id)).toEqual(ids(1));
		expect(state.refreshedAt).toBe(1000);
	});

	test('a prefetched page is served from the cache', () => {
		const state = loaded();
		const nextKey = queryKey({...state.query, page: 2});
		const prefetched = reducer(state, {type: 'pageLoaded', key: nextKey, page: page(ids(2), 23), at: 1500});
		expect(prefetched.rows).toBe(state.rows);
		const next = reducer(prefetched, {type: 'nextPage'});
		expect(next.loading).toBeUndefined();
		expect(next.fetchSeq).toBe(state.fetchSeq);
		expect(next.rows.map(row => row.id)).toEqual(ids(2));
		expect(next.refreshedAt).toBe(1500);
	});

	test('first page selects the first row, last page the last row', () => {
		let state = run(loaded(), {type: 'selectDown'}, {type: 'selectDown'});
		state = reducer(state, {type: 'lastPage'});
		expect(state.query.page).toBe(5);
		state = answer(state, page(ids(5, 3), 23));
		expect(state.selection).toEqual({id: 'p5-2', index: 2});
		state = reducer(state, {type: 'firstPage'});
		expect(state.query.page).toBe(1);
		expect(state.selection).toEqual({id: 'p1-0', index: 0});
		// On the first page already: g goes to its first row.
		state = run(state, {type: 'selectDown'}, {type: 'firstPage'});
		expect(state.selection.index).toBe(0);
	});

	test('empty results: page 1 of 0, nowhere to go', () => {
		const state = answer(start(), page([], 0, 0));
		expect(state.apiMode).toBeUndefined();
		expect(state.rows).toEqual([]);
		expect(state.pageCount).toBe(0);
		expect(state.recordCount).toBe(0);
		for (const type of ['nextPage', 'previousPage', 'firstPage', 'lastPage'] as const) {
			expect(reducer(state, {type}).query.page).toBe(1);
			expect(reducer(state, {type}).fetchSeq).toBe(state.fetchSeq);
		}
	});

	test('an empty page past the end (exports deleted since) moves to the new last page', () => {
		let state = answer(reducer(loaded(), {type: 'lastPage'}), page(ids(5, 3), 23));
		state = reducer(state, {type: 'reload'});
		state = answer(state, page([], 12, 3));
		expect(state.query.page).toBe(3);
		expect(state.pageCount).toBe(3);
		expect(state.loading).toBe(state.key);
		state = answer(state, page(ids(3, 2), 12, 3));
		expect(state.rows.map(row => row.id)).toEqual(['p3-0', 'p3-1']);
	});
});

describe('sorting', () => {
	test('s cycles through the table columns with a default direction, back to page 1', () => {
		let state = answer(reducer(loaded(), {type: 'nextPage'}), page(ids(2), 23));
		state = reducer(state, {type: 'sortNextColumn'});
		// From created_at the next column is reference: A-Z, newest first among equals.
		expect(state.query.sort).toEqual(sortBy('reference'));
		expect(state.query.sort).toEqual([{field: 'reference', descending: false}, {field: 'created_at', descending: true}]);
		expect(state.query.page).toBe(1);
		expect(state.loading).toBe(state.key);
		const seen: string[] = [];
		for (let index = 0; index < sortColumns.length; index++) {
			state = reducer(state, {type: 'sortNextColumn'});
			seen.push(`${state.query.sort[0]?.descending ? '-' : ''}${state.query.sort[0]?.field}`);
		}

		expect(seen).toEqual(['status', 'id', 'resource_type', 'format', 'records_count', '-created_at', 'reference']);
	});

	test('unique columns need no tie-breaker', () => {
		expect(sortBy('id')).toEqual([{field: 'id', descending: false}]);
		expect(sortBy('created_at')).toEqual([{field: 'created_at', descending: true}]);
	});

	test('a sort not in the table starts the cycle at the first column', () => {
		const state = answer(initialState({pageSize: size, sort: [{field: 'updated_at', descending: true}]}), page(ids(1), 23));
		expect(reducer(state, {type: 'sortNextColumn'}).query.sort[0]).toEqual({field: 'status', descending: false});
	});

	test('S reverses the primary direction and goes back to page 1', () => {
		let state = answer(reducer(loaded(), {type: 'nextPage'}), page(ids(2), 23));
		state = reducer(state, {type: 'sortReverse'});
		expect(state.query.sort).toEqual([{field: 'created_at', descending: false}]);
		expect(state.query.page).toBe(1);
		state = run(state, {type: 'sortNextColumn'}, {type: 'sortReverse'});
		expect(state.query.sort).toEqual([{field: 'reference', descending: true}, {field: 'created_at', descending: true}]);
	});

	test('toListQuery sends the sort and filters as the client expects', () => {
		const state = run(loaded(), {type: 'sortNextColumn'});
		expect(toListQuery(state.query)).toEqual({page: 1, size, sort: ['reference', '-created_at'], filters: {}});
		expect(toListQuery(state.query, 3).page).toBe(3);
	});
});

describe('filter prompt', () => {

	test('typing edits the draft only; the debounced apply sends it', () => {
		let state = reducer(loaded(), {type: 'openFilter'});
		expect(state.mode).toBe('filter');
		expect(state.filter.saved).toEqual({filterText: '', filters: {}, page: 1});
		state = reducer(state, {type: 'filterEdited', text: 'status:failed', at: 0});
		expect(state.filter.draft).toBe('status:failed');
		expect(state.query.filters).toEqual({});
		const seq = state.fetchSeq;
		state = reducer(state, {type: 'filterApplied'});
		expect(state.query).toMatchObject({filterText: 'status:failed', filters: {status_eq: 'failed'}, page: 1});
		expect(state.fetchSeq).toBe(seq + 1);
		expect(state.mode).toBe('filter');
	});

	test('the debounced apply waits until the draft has not changed for the quiet time', () => {
		let state = run(loaded(), {type: 'openFilter'}, {type: 'filterEdited', text: 'status:f', at: 1000});
		// The timer of an earlier key fires 50 ms after this one: too soon.
		expect(reducer(state, {type: 'filterApplied', at: 1050, quietMs: 200})).toBe(state);
		state = reducer(state, {type: 'filterEdited', text: 'status:failed', at: 1100});
		expect(reducer(state, {type: 'filterApplied', at: 1250, quietMs: 200})).toBe(state);
		state = reducer(state, {type: 'filterApplied', at: 1300, quietMs: 200});
		expect(state.query.filters).toEqual({status_eq: 'failed'});
	});

	test('a draft that does not parse is never applied, and Enter does not close the prompt', () => {
		let state = run(loaded(), {type: 'openFilter'}, {type: 'filterEdited', text: 'stat:failed', at: 0});
		expect(state.filter.check).toMatchObject({ok: false, start: 0, end: 4});
		const applied = reducer(state, {type: 'filterApplied'});
		expect(applied).toBe(state);
		state = reducer(state, {type: 'filterSubmitted'});
		expect(state.mode).toBe('filter');
		expect(state.filter.check.ok).toBe(false);
		expect(state.query.filters).toEqual({});
	});

	test('Enter keeps the filter and closes the prompt', () => {
		const state = run(loaded(), {type: 'openFilter'}, {type: 'filterEdited', text: 'status:failed', at: 0}, {type: 'filterSubmitted'});
		expect(state.mode).toBe('browse');
		expect(state.query.filterText).toBe('status:failed');
		expect(state.filter.saved).toBeUndefined();
		expect(state.loading).toBe(state.key);
	});

	test('a bare status is written out when the filter is kept, never while it is typed', () => {
		let state = run(loaded(), {type: 'openFilter'}, {type: 'filterEdited', text: 'sku failed', at: 0}, {type: 'filterApplied'});
		expect(state.filter.draft).toBe('sku failed');
		expect(state.query.filterText).toBe('sku failed');
		expect(state.query.filters).toEqual({status_eq: 'failed', id_or_reference_or_reference_origin_or_resource_type_cont: 'sku'});
		const key = state.key;
		const fetches = state.fetchSeq;
		state = reducer(state, {type: 'filterSubmitted'});
		expect(state.mode).toBe('browse');
		expect(state.query.filterText).toBe('sku status:failed');
		expect(state.filter.draft).toBe('sku status:failed');
		// The same filters: the same request, nothing new to fetch.
		expect(state.key).toBe(key);
		expect(state.fetchSeq).toBe(fetches);
		// Reopened, the prompt starts from the written-out text; Esc keeps it.
		state = run(state, {type: 'openFilter'}, {type: 'escape'});
		expect(state.query.filterText).toBe('sku status:failed');
	});

	test('Esc restores the previous filter and page (from the cache)', () => {
		let state = answer(reducer(loaded(), {type: 'nextPage'}), page(ids(2), 23));
		const before = state.key;
		state = run(state, {type: 'openFilter'}, {type: 'filterEdited', text: 'status:failed', at: 0}, {type: 'filterApplied'});
		expect(state.key).not.toBe(before);
		state = answer(state, page(['f1'], 1));
		state = reducer(state, {type: 'filterCancelled'});
		expect(state.mode).toBe('browse');
		expect(state.key).toBe(before);
		expect(state.query).toMatchObject({filterText: '', filters: {}, page: 2});
		expect(state.loading).toBeUndefined();
		expect(state.rows.map(row => row.id)).toEqual(ids(2));
		expect(state.filter.draft).toBe('');
	});

	test('keys typed in the same read as the / start the filter', () => {
		const state = reducer(loaded(), {type: 'openFilter', typed: 'status:failed', at: 0});
		expect(state.mode).toBe('filter');
		expect(state.filter.draft).toBe('status:failed');
		expect(state.filter.check).toEqual({ok: true, filters: {status_eq: 'failed'}});
	});

	test('relative dates use the time in the action', () => {
		const at = Date.parse('2025-01-01T12:00:00Z');
		const state = run(loaded(), {type: 'openFilter'}, {type: 'filterEdited', text: 'created_at>-2h', at});
		expect(state.filter.check).toEqual({ok: true, filters: {created_at_gt: '2025-01-01T10:00:00.000Z'}});
	});

	test('Esc before any apply changes nothing but the mode', () => {
		const state = loaded();
		const after = run(state, {type: 'openFilter'}, {type: 'filterEdited', text: 'status:fai', at: 0}, {type: 'escape'});
		expect(after.mode).toBe('browse');
		expect(after.key).toBe(state.key);
		expect(after.fetchSeq).toBe(state.fetchSeq);
	});

	test('the same filters written differently send nothing new', () => {
		let state = run(loaded(), {type: 'openFilter'}, {type: 'filterEdited', text: 'status:failed', at: 0}, {type: 'filterApplied'});
		const seq = state.fetchSeq;
		state = run(state, {type: 'filterEdited', text: 'status:failed ', at: 0}, {type: 'filterApplied'});
		expect(state.fetchSeq).toBe(seq);
		expect(state.query.filterText).toBe('status:failed ');
	});

	test('edits outside the prompt are ignored', () => {
		const state = loaded();
		expect(reducer(state, {type: 'filterEdited', text: 'x', at: 0})).toBe(state);
		expect(reducer(state, {type: 'filterApplied'})).toBe(state);
		expect(reducer(state, {type: 'filterSubmitted'})).toBe(state);
		expect(reducer(state, {type: 'filterCancelled'})).toBe(state);
	});

	test('clearFilter drops the filter and goes back to page 1; with no filter it does nothing', () => {
		const filtered = run(loaded(), {type: 'openFilter'}, {type: 'filterEdited', text: 'status:failed', at: 0}, {type: 'filterSubmitted'});
		const cleared = reducer(filtered, {type: 'clearFilter'});
		expect(cleared.query).toMatchObject({filterText: '', filters: {}, page: 1});
		// Page 1 unfiltered is cached.
		expect(cleared.loading).toBeUndefined();
		expect(reducer(cleared, {type: 'clearFilter'})).toBe(cleared);
	});
});

describe('modes', () => {
	test('Enter opens and closes the detail pane; it stays open under the prompt and the help', () => {
		let state = reducer(loaded(), {type: 'toggleDetail'});
		expect(state.mode).toBe('detail');
		expect(state.detailOpen).toBe(true);
		state = reducer(state, {type: 'openFilter'});
		expect(state.mode).toBe('filter');
		expect(reducer(state, {type: 'toggleDetail'})).toBe(state);
		state = reducer(state, {type: 'filterCancelled'});
		expect(state.mode).toBe('detail');
		state = reducer(state, {type: 'toggleHelp'});
		expect(state.mode).toBe('help');
		state = reducer(state, {type: 'toggleHelp'});
		expect(state.mode).toBe('detail');
		state = reducer(state, {type: 'toggleDetail'});
		expect(state.mode).toBe('browse');
		expect(state.detailOpen).toBe(false);
	});

	test('? does nothing in the prompt (it is a letter there)', () => {
		const state = run(loaded(), {type: 'openFilter'});
		expect(reducer(state, {type: 'toggleHelp'})).toBe(state);
	});

	test('Esc: help first, then the detail pane, then the filter', () => {
		let state = run(loaded(), {type: 'openFilter'}, {type: 'filterEdited', text: 'status:failed', at: 0}, {type: 'filterSubmitted'});
		state = run(state, {type: 'toggleDetail'}, {type: 'toggleHelp'});
		expect(state.mode).toBe('help');
		state = reducer(state, {type: 'escape'});
		expect(state.mode).toBe('detail');
		expect(state.query.filterText).toBe('status:failed');
		state = reducer(state, {type: 'escape'});
		expect(state.mode).toBe('browse');
		expect(state.detailOpen).toBe(false);
		expect(state.query.filterText).toBe('status:failed');
		state = reducer(state, {type: 'escape'});
		expect(state.query.filterText).toBe('');
		expect(reducer(state, {type: 'escape'})).toBe(state);
	});

	test('Esc in the prompt cancels the edit', () => {
		const state = run(loaded(), {type: 'openFilter'}, {type: 'filterEdited', text: 'status:failed', at: 0}, {type: 'filterApplied'}, {type: 'escape'});
		expect(state.mode).toBe('browse');
		expect(state.query.filters).toEqual({});
	});

	test('quit', () => {
		const state = reducer(loaded(), {type: 'quit'});
		expect(state.quit).toBe(true);
		expect(reducer(state, {type: 'quit'})).toBe(state);
	});
});

describe('keys', () => {
	const press = (input: string, key: Partial<Key> = {}): Action => ({type: 'keyPressed', input, key: {...noKey, shift: /^[A-Z]$/.test(input), ...key}, at: 0});

	test('a key means its binding in the current mode', () => {
		let state = reducer(loaded(), press('j'));
		expect(state.selection.index).toBe(1);
		state = reducer(state, press('', {downArrow: true}));
		expect(state.selection.index).toBe(2);
		state = reducer(state, press('\r', {return: true}));
		expect(state.mode).toBe('detail');
		expect(reducer(state, press('x'))).toBe(state);
	});

	test('a key that follows a mode change means what it means in the new mode', () => {
		// The browse handler may still be subscribed when the next key comes: the reducer decides.
		const prompt = run(loaded(), press('/'));
		expect(prompt.mode).toBe('filter');
		expect(reducer(prompt, press('s'))).toBe(prompt);
		expect(reducer(prompt, press('q'))).toBe(prompt);
		expect(reducer(prompt, press('', {escape: true, meta: true})).mode).toBe('browse');
		const help = run(loaded(), press('?'));
		expect(reducer(help, press('j'))).toBe(help);
		expect(reducer(help, press('q')).quit).toBe(true);
	});

	test('several keys in one read (key repeat, type-ahead) are taken one by one', () => {
		expect(reducer(loaded(), press('jjj')).selection.index).toBe(3);
		const state = reducer(loaded(), press('j?q'));
		expect(state.selection.index).toBe(1);
		expect(state.mode).toBe('help');
		expect(state.quit).toBe(true);
	});

	test('what follows a / in the same read is the start of the filter', () => {
		const state = reducer(loaded(), press('j/status:failed'));
		expect(state.selection.index).toBe(1);
		expect(state.mode).toBe('filter');
		expect(state.filter.draft).toBe('status:failed');
		expect(state.filter.check).toEqual({ok: true, filters: {status_eq: 'failed'}});
	});

	test('in the prompt letters are text (the prompt input edits them); Enter keeps, Esc cancels', () => {
		const prompt = run(loaded(), press('/'), {type: 'filterEdited', text: 'status:failed', at: 0});
		expect(reducer(prompt, press('jjj'))).toBe(prompt);
		const kept = reducer(prompt, press('\r', {return: true}));
		expect(kept.mode).toBe('browse');
		expect(kept.query.filterText).toBe('status:failed');
	});
});

describe('detail scroll', () => {
	test('scrolls within what was measured, and starts over for another export', () => {
		let state = run(loaded(), {type: 'toggleDetail'}, {type: 'detailMeasured', maxScroll: 3});
		state = run(state, {type: 'scrollDetail', delta: 1}, {type: 'scrollDetail', delta: 1});
		expect(state.detail.scroll).toBe(2);
		state = run(state, {type: 'scrollDetail', delta: 5});
		expect(state.detail.scroll).toBe(3);
		expect(reducer(state, {type: 'scrollDetail', delta: 1})).toBe(state);
		state = reducer(state, {type: 'detailMeasured', maxScroll: 1});
		expect(state.detail).toEqual({scroll: 1, maxScroll: 1});
		expect(reducer(state, {type: 'detailMeasured', maxScroll: 1})).toBe(state);
		state = reducer(state, {type: 'scrollDetail', delta: -4});
		expect(state.detail.scroll).toBe(0);
		state = run(state, {type: 'scrollDetail', delta: 1}, {type: 'selectDown'});
		expect(state.detail.scroll).toBe(0);
	});
});

describe('reload and refresh', () => {
	test('r fetches the page again and forgets the cache', () => {
		let state = answer(reducer(loaded(), {type: 'nextPage'}), page(ids(2), 23));
		state = reducer(state, {type: 'reload'});
		expect(state.loading).toBe(state.key);
		expect(state.pages.entries.size).toBe(0);
		state = answer(state, page(ids(2), 23), 3000);
		expect(state.refreshedAt).toBe(3000);
		// Page 1 is no longer cached: going back fetches it.
		const back = reducer(state, {type: 'previousPage'});
		expect(back.loading).toBe(back.key);
	});

	test('refresh fetches the page again and keeps the cache', () => {
		const state = answer(reducer(loaded(), {type: 'nextPage'}), page(ids(2), 23));
		const refreshed = reducer(state, {type: 'refresh'});
		expect(refreshed.fetchSeq).toBe(state.fetchSeq + 1);
		expect(refreshed.pages).toBe(state.pages);
	});

	test('a refresh that finds the page unchanged keeps the very same rows (nothing to redraw)', () => {
		const state = reducer(loaded(), {type: 'refresh'});
		const again = reducer(state, {type: 'pageLoaded', key: state.key, page: page(ids(1), 23), at: 5000});
		expect(again.rows).toBe(state.rows);
		expect(again.refreshedAt).toBe(5000);
		expect(again.changedIds.size).toBe(0);
		// The cache holds the same rows too.
		expect(again.pages.entries.get(state.key)?.page.data).toBe(state.rows);
	});

	test('a refresh with one export changed keeps the objects of the others', () => {
		const state = reducer(loaded(), {type: 'refresh'});
		const changed = page(ids(1), 23);
		changed.data[2] = {...changed.data[2]!, attributes: {...changed.data[2]!.attributes, status: 'failed'}};
		const again = reducer(state, {type: 'pageLoaded', key: state.key, page: changed, at: 5000});
		expect(again.rows).not.toBe(state.rows);
		expect(again.rows[2]?.attributes.status).toBe('failed');
		for (const index of [0, 1, 3, 4]) {
			expect(again.rows[index]).toBe(state.rows[index]);
		}

		expect([...again.changedIds]).toEqual(['p1-2']);
	});

	test('answers are numbered: the state knows the last one it has taken', () => {
		const state = start();
		expect(state.answered).toBe(0);
		const next = reducer(state, {type: 'pageLoaded', key: queryKey({...state.query, page: 2}), page: page(ids(2), 23), at: 1, seq: 4});
		expect(next.answered).toBe(4);
		expect(reducer(next, {type: 'pageLoaded', key: next.key, page: page(ids(1), 23), at: 2, seq: 3}).answered).toBe(4);
	});
});

describe('query keys', () => {
	test('equal filters give equal keys, whatever their order; the filter text is not part of it', () => {
		const a = queryKey({page: 1, size: 25, sort: [{field: 'status', descending: false}], filters: {status_eq: 'x', reference_cont: 'y', metadata_jcont: {b: 1, a: 2}}});
		const b = queryKey({page: 1, size: 25, sort: [{field: 'status', descending: false}], filters: {metadata_jcont: {a: 2, b: 1}, reference_cont: 'y', status_eq: 'x'}});
		expect(a).toBe(b);
		expect(queryKey({page: 2, size: 25, sort: [], filters: {}})).not.toBe(queryKey({page: 1, size: 25, sort: [], filters: {}}));
	});
});

describe('page cache', () => {
	const entry = (at: number) => ({page: page([`e${at}`], 1), at});

	test('keeps at most `limit` pages, evicting the least recently used', () => {
		let cache = createPageCache(2);
		cache = cachePut(cache, 'a', entry(1));
		cache = cachePut(cache, 'b', entry(2));
		cache = cacheTouch(cache, 'a');
		cache = cachePut(cache, 'c', entry(3));
		expect([...cache.entries.keys()]).toEqual(['a', 'c']);
		expect(cacheGet(cache, 'b')).toBeUndefined();
		expect(cacheGet(cache, 'a')?.at).toBe(1);
	});

	test('touching the newest entry or a missing one returns the same cache', () => {
		const cache = cachePut(createPageCache(3), 'a', entry(1));
		expect(cacheTouch(cache, 'a')).toBe(cache);
		expect(cacheTouch(cache, 'zz')).toBe(cache);
	});

	test('the reducer cache is bounded', () => {
		let state = initialState({pageSize: size, sort: [], cacheLimit: 3});
		for (let n = 1; n <= 10; n++) {
			state = reducer(state, {type: 'pageLoaded', key: queryKey({...state.query, page: n}), page: page(ids(n), 50), at: n});
		}

		expect(state.pages.entries.size).toBe(3);
	});
});

describe('help pages', () => {
	test('Tab turns the page in the help only; opening the help starts on the keys', () => {
		let state = run(loaded(), {type: 'toggleHelp'});
		expect(state.mode).toBe('help');
		expect(state.helpPage).toBe(0);
		state = run(state, {type: 'turnHelpPage', delta: 1});
		expect(state.helpPage).toBe(1);
		state = run(state, {type: 'turnHelpPage', delta: -1}, {type: 'turnHelpPage', delta: -1});
		expect(state.helpPage).toBe(-1);
		state = run(state, {type: 'toggleHelp'}, {type: 'turnHelpPage', delta: 1});
		expect(state.mode).toBe('browse');
		expect(state.helpPage).toBe(-1);
		state = run(state, {type: 'toggleHelp'});
		expect(state.helpPage).toBe(0);
	});
});
