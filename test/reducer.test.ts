import {describe, expect, test} from 'vitest';
import type {Key} from 'ink';
import type {ExportPage, ExportRecord} from '../source/api/types.js';
import {cacheGet, cachePut, cacheTouch, createPageCache} from '../source/state/page-cache.js';
import {initialState} from '../source/state/initial.js';
import {listKey, pageKey, sortBy, listRequest} from '../source/state/list-key.js';
import {sortColumns} from '../source/state/paging.js';
import {reducer} from '../source/state/reducer.js';
import {isLoading, missingPages, refreshedAt, selectedRecord, windowRows} from '../source/state/selectors.js';
import type {Action, State} from '../source/state/types.js';
import {noKey} from './helpers/keys.js';

/** Pages of 5 exports, a window of 3 rows: page boundaries come every few keys. */
const size = 5;
const viewport = 3;

function record(id: string): ExportRecord {
	return {id, type: 'exports', attributes: {status: 'completed', resource_type: 'skus'}, meta: {mode: 'test'}};
}

function page(ids: string[], recordCount: number, pageCount = Math.ceil(recordCount / size)): ExportPage {
	return {data: ids.map(id => record(id)), meta: {record_count: recordCount, page_count: pageCount}, links: {}};
}

/** Ids of page n of a 23-export organization: p1-0 … p1-4, …, p5-0 … p5-2. */
function ids(n: number, count = n === 5 ? 3 : size): string[] {
	return Array.from({length: count}, (_, index) => `p${n}-${index}`);
}

/** Every id of the 23, in order. */
const everyId = [1, 2, 3, 4, 5].flatMap(n => ids(n));

function run(state: State, ...actions: Action[]): State {
	return actions.reduce(reducer, state);
}

function start(): State {
	return initialState({pageSize: size, sort: [{field: 'created_at', descending: true}], viewport});
}

/** Page n of the current list, as the API answers it. */
function answer(state: State, n: number, data = page(ids(n), 23), at = 2000): State {
	return reducer(state, {type: 'pageLoaded', key: pageKey(state.key, n), page: data, at});
}

/** Answers every page the screen is waiting for, from the 23 exports. */
function answerMissing(state: State, at = 2000): State {
	let next = state;
	for (const n of missingPages(state)) {
		next = answer(next, n, page(ids(n), 23), at);
	}

	return next;
}

/** The first page of 23 exports (5 pages) on screen. */
function loaded(): State {
	return answer(start(), 1, page(ids(1), 23), 1000);
}

/** What the rows on screen are: ids, `~id` for a dimmed one, or the placeholder kind. */
function shown(state: State): string[] {
	return windowRows(state).map(row => (row.kind === 'record' ? row.record.id : row.kind === 'stale' ? `~${row.record.id}` : row.kind));
}

describe('initial state', () => {
	test('asks for page 1 of the configured query', () => {
		const state = start();
		expect(state.query).toEqual({size, sort: [{field: 'created_at', descending: true}], filterText: '', filters: {}});
		expect(state.mode).toBe('browse');
		expect(missingPages(state)).toEqual([1]);
		expect(isLoading(state)).toBe(true);
		expect(shown(state)).toEqual([]);
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
	test('pageLoaded puts the rows on screen with the size of the list and the time', () => {
		const state = loaded();
		expect(shown(state)).toEqual(['p1-0', 'p1-1', 'p1-2']);
		expect(state.total).toBe(23);
		expect(refreshedAt(state)).toBe(1000);
		expect(state.apiMode).toBe('test');
		expect(isLoading(state)).toBe(false);
		expect(state.selection).toEqual({id: 'p1-0', index: 0});
		// An empty list keeps the mode known from before.
		const filtered = run(state, {type: 'openFilter'}, {type: 'filterEdited', text: 'status:failed', at: 0}, {type: 'filterSubmitted'});
		expect(answer(filtered, 1, page([], 0, 0)).apiMode).toBe('test');
	});

	test('an answer for another list is kept in the cache for when it comes back, and not shown', () => {
		const filtered = run(loaded(), {type: 'openFilter'}, {type: 'filterEdited', text: 'status:failed', at: 0}, {type: 'filterApplied'});
		const oldKey = listKey({...filtered.query, filters: {}});
		const after = reducer(filtered, {type: 'pageLoaded', key: pageKey(oldKey, 2), page: page(ids(2), 23), at: 9});
		expect(after.total).toBeUndefined();
		expect(shown(after)).toEqual(['~p1-0', '~p1-1', '~p1-2']);
		expect(cacheGet(after.pages, pageKey(oldKey, 2))).toBeDefined();
	});

	test('pageFailed keeps the rows and shows the error; a failure for another list or a page out of view is dropped', () => {
		const state = run(loaded(), {type: 'lastPage'});
		expect(missingPages(state)).toEqual([5]);
		const failed = reducer(state, {type: 'pageFailed', key: pageKey(state.key, 5), error: {title: 'Internal server error', detail: 'boom'}});
		expect(failed.error).toEqual({title: 'Internal server error', detail: 'boom'});
		expect(shown(failed)).toEqual(['failed', 'failed', 'failed']);
		// Not asked for again until a reload, or until it leaves the view and comes back.
		expect(missingPages(failed)).toEqual([]);
		expect(isLoading(failed)).toBe(false);
		const away = run(failed, {type: 'firstPage'}, {type: 'lastPage'});
		expect(missingPages(away)).toEqual([5]);
		expect(reducer(state, {type: 'pageFailed', key: pageKey('elsewhere', 1), error: {title: 'x'}})).toBe(state);
		expect(reducer(state, {type: 'pageFailed', key: pageKey(state.key, 2), error: {title: 'a prefetch'}})).toBe(state);
	});

	test('a successful answer clears the error', () => {
		const state = loaded();
		const failed = run(state, {type: 'reload'}, {type: 'pageFailed', key: pageKey(state.key, 1), error: {title: 'Bad gateway'}});
		expect(failed.error?.title).toBe('Bad gateway');
		// The rows of before stay, dimmed.
		expect(shown(failed)).toEqual(['~p1-0', '~p1-1', '~p1-2']);
		const recovered = run(failed, {type: 'reload'});
		expect(recovered.error?.title).toBe('Bad gateway');
		expect(answer(recovered, 1).error).toBeUndefined();
	});

	test('requestRetrying shows the countdown for the current list only', () => {
		const state = reducer(loaded(), {type: 'lastPage'});
		const retrying = reducer(state, {type: 'requestRetrying', key: pageKey(state.key, 5), error: {title: 'rate limited', retryInSeconds: 10}});
		expect(retrying.error).toEqual({title: 'rate limited', retryInSeconds: 10});
		expect(isLoading(retrying)).toBe(true);
		expect(reducer(state, {type: 'requestRetrying', key: pageKey('old', 1), error: {title: 'rate limited'}})).toBe(state);
	});

	test('a record count that is not a sane number is replaced by what the answer proves', () => {
		for (const count of [1e300, -1, 2.5, Number.NaN, '23']) {
			const state = answer(start(), 1, {...page(ids(1), 23), meta: {record_count: count as number, page_count: 1e300}});
			expect(state.total).toBe(5);
		}

		// A short page is the last, whatever the count says.
		expect(answer(start(), 1, page(['a', 'b'], 40)).total).toBe(2);
	});
});

describe('selection', () => {
	test('moves over the whole list, across page boundaries, and stops at its ends', () => {
		let state = loaded();
		expect(reducer(state, {type: 'selectUp'})).toBe(state);
		state = run(state, {type: 'selectDown'}, {type: 'selectDown'});
		expect(state.selection).toEqual({id: 'p1-2', index: 2});
		expect(selectedRecord(state)?.id).toBe('p1-2');
		state = run(state, {type: 'selectDown'}, {type: 'selectDown'});
		expect(selectedRecord(state)?.id).toBe('p1-4');
		// The last export of page 1: Down goes on to the first of page 2.
		state = reducer(state, {type: 'selectDown'});
		expect(state.selection.index).toBe(5);
		expect(missingPages(state)).toEqual([2]);
		expect(selectedRecord(state)).toBeUndefined();
		expect(shown(state)).toEqual(['p1-3', 'p1-4', 'loading']);
		state = answer(state, 2);
		expect(state.selection).toEqual({id: 'p2-0', index: 5});
		expect(shown(state)).toEqual(['p1-3', 'p1-4', 'p2-0']);
		state = run(state, {type: 'selectUp'});
		expect(selectedRecord(state)?.id).toBe('p1-4');
	});

	test('the window follows the selection, half a window at a time', () => {
		let state = answer(loaded(), 2);
		state = run(state, {type: 'selectDown'}, {type: 'selectDown'});
		expect(state.top).toBe(0);
		state = reducer(state, {type: 'selectDown'});
		expect(state.top).toBe(1);
		state = run(state, {type: 'selectDown'});
		expect(state.top).toBe(2);
		state = run(state, {type: 'selectUp'}, {type: 'selectUp'}, {type: 'selectUp'});
		expect(state.selection.index).toBe(1);
		expect(state.top).toBe(1);
	});

	test('does nothing on an empty list', () => {
		const empty = answer(start(), 1, page([], 0, 0));
		expect(reducer(empty, {type: 'selectDown'})).toBe(empty);
		expect(reducer(empty, {type: 'selectUp'})).toBe(empty);
		expect(empty.selection).toEqual({id: undefined, index: 0});
		expect(shown(empty)).toEqual([]);
	});

	test('follows the same export after a reload when it is still on the page', () => {
		let state = run(loaded(), {type: 'selectDown'}, {type: 'selectDown'});
		expect(state.selection.id).toBe('p1-2');
		state = reducer(state, {type: 'reload'});
		// The rows of before, dimmed, until the answer.
		expect(shown(state)).toEqual(['~p1-0', '~p1-1', '~p1-2']);
		expect(selectedRecord(state)).toBeUndefined();
		state = answer(state, 1, page(['new-1', 'new-2', 'p1-0', 'p1-1', 'p1-2'], 25));
		expect(state.selection).toEqual({id: 'p1-2', index: 4});
		expect(shown(state)).toEqual(['p1-0', 'p1-1', 'p1-2']);
		expect(state.stale).toBeUndefined();
	});

	test('keeps the position (clamped) when the export is gone', () => {
		let state = run(loaded(), {type: 'selectDown'}, {type: 'selectDown'}, {type: 'selectDown'});
		state = reducer(state, {type: 'reload'});
		state = answer(state, 1, page(['a', 'b'], 2));
		expect(state.selection).toEqual({id: 'b', index: 1});
	});

	test('follows the export after a re-sort', () => {
		let state = run(loaded(), {type: 'selectDown'});
		state = reducer(state, {type: 'sortReverse'});
		state = answer(state, 1, page(['x', 'y', 'z', 'p1-1', 'w'], 23));
		expect(state.selection).toEqual({id: 'p1-1', index: 3});
	});

	test('after a re-sort or a new filter without the selected export, the first row is selected', () => {
		let state = run(loaded(), {type: 'selectDown'}, {type: 'selectDown'}, {type: 'selectDown'});
		state = reducer(state, {type: 'sortReverse'});
		state = answer(state, 1, page(['x', 'y', 'z', 'v', 'w'], 23));
		expect(state.selection).toEqual({id: 'x', index: 0});

		state = run(state, {type: 'selectDown'}, {type: 'selectDown'}, {type: 'openFilter'}, {type: 'filterEdited', text: 'type:skus', at: 0});
		state = reducer(state, {type: 'filterSubmitted'});
		state = answer(state, 1, page(['s1', 's2', 's3', 's4', 's5'], 9));
		expect(state.selection).toEqual({id: 's1', index: 0});
	});
});

describe('screenfuls, first and last', () => {
	test('nothing before the first answer, since the bounds are unknown', () => {
		const state = start();
		for (const type of ['nextPage', 'previousPage', 'firstPage', 'lastPage'] as const) {
			expect(reducer(state, {type})).toBe(state);
		}
	});

	test('PgDn from the first export to the last shows every export once, asking for each page once', () => {
		let state = loaded();
		const seen: string[] = [];
		const asked = [1];
		for (let step = 0; step < 12; step++) {
			for (const n of missingPages(state)) {
				asked.push(n);
			}

			state = answerMissing(state);
			for (const id of shown(state)) {
				if (!seen.includes(id)) {
					seen.push(id);
				}
			}

			state = reducer(state, {type: 'nextPage'});
		}

		expect(seen).toEqual(everyId);
		expect(asked).toEqual([1, 2, 3, 4, 5]);
		expect(selectedRecord(state)?.id).toBe('p5-2');
	});

	test('a screenful moves the selection and the window by the window height', () => {
		let state = run(answer(loaded(), 2), {type: 'selectDown'});
		state = reducer(state, {type: 'nextPage'});
		expect(state.top).toBe(3);
		expect(state.selection).toEqual({id: 'p1-4', index: 4});
		expect(state.direction).toBe(1);
		state = reducer(state, {type: 'previousPage'});
		expect(state.top).toBe(0);
		expect(state.selection.index).toBe(1);
		expect(state.direction).toBe(-1);
		// At the top already: to the first export.
		state = reducer(state, {type: 'previousPage'});
		expect(state.selection.index).toBe(0);
	});

	test('served from the cache: no loading, no request', () => {
		const state = answer(loaded(), 2, page(ids(2), 23), 1500);
		const next = run(state, {type: 'nextPage'}, {type: 'nextPage'});
		expect(next.top).toBe(6);
		expect(missingPages(next)).toEqual([]);
		expect(shown(next)).toEqual(['p2-1', 'p2-2', 'p2-3']);
		expect(refreshedAt(next)).toBe(1500);
	});

	test('Home selects the first export, End the last; the last page is asked for', () => {
		let state = run(loaded(), {type: 'selectDown'}, {type: 'selectDown'});
		state = reducer(state, {type: 'lastPage'});
		expect(state.selection.index).toBe(22);
		expect(state.top).toBe(20);
		expect(missingPages(state)).toEqual([5]);
		expect(shown(state)).toEqual(['loading', 'loading', 'loading']);
		state = answer(state, 5);
		expect(state.selection).toEqual({id: 'p5-2', index: 22});
		expect(shown(state)).toEqual(ids(5));
		state = reducer(state, {type: 'firstPage'});
		expect(state.selection).toEqual({id: 'p1-0', index: 0});
		expect(state.top).toBe(0);
	});

	test('a window across two pages needs both', () => {
		const state = run(loaded(), {type: 'selectDown'}, {type: 'selectDown'}, {type: 'selectDown'}, {type: 'selectDown'});
		expect(state.top).toBe(2);
		expect(missingPages(state)).toEqual([]);
		const crossing = reducer(state, {type: 'selectDown'});
		expect(crossing.top).toBe(3);
		expect(missingPages(crossing)).toEqual([2]);
		expect(shown(crossing)).toEqual(['p1-3', 'p1-4', 'loading']);
	});

	test('empty results: nowhere to go', () => {
		const state = answer(start(), 1, page([], 0, 0));
		expect(state.apiMode).toBeUndefined();
		expect(state.total).toBe(0);
		for (const type of ['nextPage', 'previousPage', 'firstPage', 'lastPage'] as const) {
			const after = reducer(state, {type});
			expect(after.selection.index).toBe(0);
			expect(missingPages(after)).toEqual([]);
		}
	});

	test('an empty page past the end (exports deleted since) shortens the list', () => {
		let state = answer(reducer(loaded(), {type: 'lastPage'}), 5);
		state = reducer(state, {type: 'reload'});
		state = answer(state, 5, page([], 12, 3));
		expect(state.total).toBe(12);
		expect(state.selection.index).toBe(11);
		expect(missingPages(state)).toEqual([2, 3]);
		state = answerMissing(state);
		expect(shown(state)).toEqual(['p2-4', 'p3-0', 'p3-1']);
	});

	test('the viewport measured by the App keeps the selection in view', () => {
		let state = run(answer(loaded(), 2), {type: 'nextPage'}, {type: 'nextPage'});
		expect(state.selection.index).toBe(6);
		state = reducer(state, {type: 'viewportMeasured', rows: 2});
		expect(state.viewport).toBe(2);
		expect(state.selection.index - state.top).toBeLessThan(2);
		expect(reducer(state, {type: 'viewportMeasured', rows: 2})).toBe(state);
	});
});

describe('sorting', () => {
	test('s cycles through the table columns with a default direction, back to the top', () => {
		let state = answer(reducer(loaded(), {type: 'nextPage'}), 2);
		state = reducer(state, {type: 'sortNextColumn'});
		// From created_at the next column is reference: A-Z, newest first among equals.
		expect(state.query.sort).toEqual(sortBy('reference'));
		expect(state.query.sort).toEqual([{field: 'reference', descending: false}, {field: 'created_at', descending: true}]);
		expect(state.selection.index).toBe(0);
		expect(state.top).toBe(0);
		expect(missingPages(state)).toEqual([1]);
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
		const first = initialState({pageSize: size, sort: [{field: 'updated_at', descending: true}]});
		const state = answer(first, 1);
		expect(reducer(state, {type: 'sortNextColumn'}).query.sort[0]).toEqual({field: 'status', descending: false});
	});

	test('S reverses the primary direction and goes back to the top', () => {
		let state = answer(reducer(loaded(), {type: 'nextPage'}), 2);
		state = reducer(state, {type: 'sortReverse'});
		expect(state.query.sort).toEqual([{field: 'created_at', descending: false}]);
		expect(state.selection.index).toBe(0);
		state = run(state, {type: 'sortNextColumn'}, {type: 'sortReverse'});
		expect(state.query.sort).toEqual([{field: 'reference', descending: true}, {field: 'created_at', descending: true}]);
	});

	test('listRequest sends the sort and filters as the client expects', () => {
		const state = run(loaded(), {type: 'sortNextColumn'});
		expect(listRequest(state.query, 1)).toEqual({page: 1, size, sort: ['reference', '-created_at'], filters: {}});
		expect(listRequest(state.query, 3).page).toBe(3);
	});
});

describe('filter prompt', () => {

	test('typing edits the draft only; the debounced apply sends it', () => {
		let state = reducer(loaded(), {type: 'openFilter'});
		expect(state.mode).toBe('filter');
		expect(state.filter.saved).toEqual({filterText: '', filters: {}, position: {index: 0, top: 0, id: 'p1-0'}});
		state = reducer(state, {type: 'filterEdited', text: 'status:failed', at: 0});
		expect(state.filter.draft).toBe('status:failed');
		expect(state.query.filters).toEqual({});
		state = reducer(state, {type: 'filterApplied'});
		expect(state.query).toMatchObject({filterText: 'status:failed', filters: {status_eq: 'failed'}});
		expect(missingPages(state)).toEqual([1]);
		// The rows of before, dimmed, until the answer; nothing of them counts as selected.
		expect(shown(state)).toEqual(['~p1-0', '~p1-1', '~p1-2']);
		expect(selectedRecord(state)).toBeUndefined();
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
		expect(missingPages(state)).toEqual([1]);
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

	test('Esc restores the previous filter and position (from the cache)', () => {
		let state = answer(reducer(loaded(), {type: 'nextPage'}), 2);
		const before = state.key;
		expect(shown(state)).toEqual(['p1-3', 'p1-4', 'p2-0']);
		state = run(state, {type: 'openFilter'}, {type: 'filterEdited', text: 'status:failed', at: 0}, {type: 'filterApplied'});
		expect(state.key).not.toBe(before);
		state = answer(state, 1, page(['f1'], 1));
		expect(shown(state)).toEqual(['f1']);
		state = reducer(state, {type: 'filterCancelled'});
		expect(state.mode).toBe('browse');
		expect(state.key).toBe(before);
		expect(state.query).toMatchObject({filterText: '', filters: {}});
		expect(isLoading(state)).toBe(false);
		expect(shown(state)).toEqual(['p1-3', 'p1-4', 'p2-0']);
		expect(state.selection).toEqual({id: 'p1-3', index: 3});
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
		expect(missingPages(after)).toEqual([]);
	});

	test('the same filters written differently send nothing new', () => {
		let state = run(loaded(), {type: 'openFilter'}, {type: 'filterEdited', text: 'status:failed', at: 0}, {type: 'filterApplied'});
		const key = state.key;
		state = run(state, {type: 'filterEdited', text: 'status:failed ', at: 0}, {type: 'filterApplied'});
		expect(state.key).toBe(key);
		expect(state.query.filterText).toBe('status:failed ');
	});

	test('edits outside the prompt are ignored', () => {
		const state = loaded();
		expect(reducer(state, {type: 'filterEdited', text: 'x', at: 0})).toBe(state);
		expect(reducer(state, {type: 'filterApplied'})).toBe(state);
		expect(reducer(state, {type: 'filterSubmitted'})).toBe(state);
		expect(reducer(state, {type: 'filterCancelled'})).toBe(state);
	});

	test('clearFilter drops the filter and goes back to the top; with no filter it does nothing', () => {
		const filtered = run(loaded(), {type: 'openFilter'}, {type: 'filterEdited', text: 'status:failed', at: 0}, {type: 'filterSubmitted'});
		const cleared = reducer(filtered, {type: 'clearFilter'});
		expect(cleared.query).toMatchObject({filterText: '', filters: {}});
		// Page 1 unfiltered is cached.
		expect(isLoading(cleared)).toBe(false);
		expect(shown(cleared)).toEqual(['p1-0', 'p1-1', 'p1-2']);
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
	test('r asks for the visible pages again and forgets the cache', () => {
		let state = answer(reducer(loaded(), {type: 'nextPage'}), 2);
		state = reducer(state, {type: 'reload'});
		expect(missingPages(state)).toEqual([1, 2]);
		expect(state.pages.entries.size).toBe(0);
		expect(shown(state)).toEqual(['~p1-3', '~p1-4', '~p2-0']);
		state = answerMissing(state, 3000);
		expect(refreshedAt(state)).toBe(3000);
		expect(shown(state)).toEqual(['p1-3', 'p1-4', 'p2-0']);
		expect(state.fetchSeq).toBe(2);
	});

	test('refresh asks for the selected export\'s page again and keeps the cache', () => {
		const state = answer(reducer(loaded(), {type: 'nextPage'}), 2);
		const refreshed = reducer(state, {type: 'refresh'});
		expect(refreshed.refreshing).toBe(pageKey(state.key, 1));
		expect(refreshed.fetchSeq).toBe(state.fetchSeq + 1);
		expect(refreshed.pages).toBe(state.pages);
		expect(isLoading(refreshed)).toBe(false);
		expect(reducer(state, {type: 'refresh', page: 2}).refreshing).toBe(pageKey(state.key, 2));
		// A page not in yet needs no refresh: it is on its way.
		expect(reducer(state, {type: 'refresh', page: 4})).toBe(state);
	});

	test('a refresh that finds the page unchanged keeps the very same rows (nothing to redraw)', () => {
		const state = reducer(loaded(), {type: 'refresh'});
		const before = cacheGet(state.pages, pageKey(state.key, 1))?.page.data;
		const again = answer(state, 1, page(ids(1), 23), 5000);
		expect(cacheGet(again.pages, pageKey(state.key, 1))?.page.data).toBe(before);
		expect(refreshedAt(again)).toBe(5000);
		expect(again.changedIds.size).toBe(0);
		expect(again.refreshing).toBeUndefined();
	});

	test('a refresh with one export changed keeps the objects of the others', () => {
		const state = reducer(loaded(), {type: 'refresh'});
		const before = cacheGet(state.pages, pageKey(state.key, 1))!.page.data;
		const changed = page(ids(1), 23);
		changed.data[2] = {...changed.data[2]!, attributes: {...changed.data[2]!.attributes, status: 'failed'}};
		const again = answer(state, 1, changed, 5000);
		const after = cacheGet(again.pages, pageKey(state.key, 1))!.page.data;
		expect(after[2]?.attributes.status).toBe('failed');
		for (const index of [0, 1, 3, 4]) {
			expect(after[index]).toBe(before[index]);
		}

		expect([...again.changedIds]).toEqual(['p1-2']);
	});

	test('answers are numbered: the state knows the last one it has taken', () => {
		const state = start();
		expect(state.answered).toBe(0);
		const next = reducer(state, {type: 'pageLoaded', key: pageKey(state.key, 2), page: page(ids(2), 23), at: 1, seq: 4});
		expect(next.answered).toBe(4);
		expect(reducer(next, {type: 'pageLoaded', key: pageKey(next.key, 1), page: page(ids(1), 23), at: 2, seq: 3}).answered).toBe(4);
	});
});

describe('list keys', () => {
	test('equal filters give equal keys, whatever their order; the filter text is not part of it', () => {
		const a = listKey({size: 25, sort: [{field: 'status', descending: false}], filters: {status_eq: 'x', reference_cont: 'y', metadata_jcont: {b: 1, a: 2}}});
		const b = listKey({size: 25, sort: [{field: 'status', descending: false}], filters: {metadata_jcont: {a: 2, b: 1}, reference_cont: 'y', status_eq: 'x'}});
		expect(a).toBe(b);
		expect(pageKey(a, 2)).not.toBe(pageKey(a, 1));
		expect(listKey({size: 10, sort: [], filters: {}})).not.toBe(listKey({size: 25, sort: [], filters: {}}));
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
		let state = initialState({pageSize: size, sort: [], cacheLimit: 3, viewport});
		for (let n = 1; n <= 10; n++) {
			state = reducer(state, {type: 'pageLoaded', key: pageKey(state.key, n), page: page(ids(n, size), 50), at: n});
		}

		expect(state.pages.entries.size).toBe(3);
		// Walking the whole list keeps it bounded too, and the pages on screen are never the ones evicted.
		for (let step = 0; step < 20; step++) {
			state = answerMissing(reducer(state, {type: 'nextPage'}));
			expect(missingPages(state)).toEqual([]);
		}

		expect(state.pages.entries.size).toBeLessThanOrEqual(12);
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
