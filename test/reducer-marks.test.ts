// Marks, bulk actions, peek and duplicate in the pure reducer: marks are ids with the export as
// last seen (never positions), survive paging, filters and refreshes, and leave with a deleted
// export; Esc's order; one question for every marked export; the peek overlay's scrolling; the
// duplicate selected at the top of the list, and its end said once.
import type {Key} from 'ink';
import {describe, expect, test} from 'vitest';
import type {ExportAttributes, ExportPage, ExportRecord} from '../source/api/types.js';
import {initialState} from '../source/state/initial.js';
import {pageKey} from '../source/state/list-key.js';
import {reducer} from '../source/state/reducer.js';
import {selectedRecord, windowRows} from '../source/state/selectors.js';
import type {Action, BulkReport, State} from '../source/state/types.js';
import {noKey} from './helpers/keys.js';

function key(input: string, extra: Partial<Key> = {}): Action {
	return {type: 'keyPressed', input, key: {...noKey, shift: /^[A-Z]$/.test(input), ...extra}, at: 0};
}

const space = key(' ');
const esc = key('', {escape: true, meta: true});

function record(id: string, attributes: ExportAttributes = {}): ExportRecord {
	return {id, type: 'exports', attributes: {status: 'failed', resource_type: 'skus', format: 'csv', records_count: 100, ...attributes}, meta: {mode: 'test'}};
}

function page(records: ExportRecord[], count: number): ExportPage {
	return {data: records, meta: {record_count: count, page_count: Math.max(1, Math.ceil(count / 5))}, links: {}};
}

/** Ten exports over two pages of five: f0..f5 failed, c6..c9 completed. */
const all = Array.from({length: 10}, (_, index) => (index < 6 ? record(`f${index}`) : record(`c${index}`, {status: 'completed'})));

function run(state: State, ...actions: Action[]): State {
	return actions.reduce(reducer, state);
}

function loaded(options: {readOnly?: boolean} = {}): State {
	const state = initialState({pageSize: 5, sort: [], viewport: 5, ...options});
	return run(
		state,
		{type: 'pageLoaded', key: pageKey(state.key, 1), page: page(all.slice(0, 5), 10), at: 1000},
		{type: 'pageLoaded', key: pageKey(state.key, 2), page: page(all.slice(5), 10), at: 1000},
	);
}

describe('marks', () => {
	test('Space marks the selected export and moves down; again unmarks it; the marks are ids with the export as seen', () => {
		let state = run(loaded(), space, space, space);
		expect([...state.marks.keys()]).toEqual(['f0', 'f1', 'f2']);
		expect(selectedRecord(state)?.id).toBe('f3');
		state = run(state, {type: 'selectUp'}, space);
		expect([...state.marks.keys()]).toEqual(['f0', 'f1']);
		expect(state.marks.get('f0')).toBe(all[0]);
		// Keys that come in one read mean what they would one by one.
		state = run(loaded(), key('   '));
		expect([...state.marks.keys()]).toEqual(['f0', 'f1', 'f2']);
	});

	test('marks stay across pages, a filter and a refresh, and follow the export as the refresh shows it', () => {
		let state = run(loaded(), space, {type: 'lastPage'}, space);
		expect([...state.marks.keys()]).toEqual(['f0', 'c9']);
		state = run(state, {type: 'toggleStatus', status: 'completed', at: 0});
		expect(state.marks.size).toBe(2);
		// The new list (completed only) has c9 at the top: its row is marked.
		const updated = record('c9', {status: 'completed', records_count: 7});
		state = run(state, {type: 'pageLoaded', key: pageKey(state.key, 1), page: page([updated], 1), at: 2000});
		expect(state.marks.get('c9')).toBe(updated);
		expect(state.marks.get('f0')).toBe(all[0]);
		state = run(state, key('', {escape: true, meta: true}));
		// Esc cleared the marks before the filter.
		expect(state.marks.size).toBe(0);
		expect(state.query.filterText).toBe('status:completed');
		expect(state.notice?.text).toBe('2 marks cleared');
		state = run(state, esc);
		expect(state.query.filterText).toBe('');
	});

	test('Esc closes what is open first (details, help, a question), then clears the marks, then the filter', () => {
		let state = run(loaded(), space, {type: 'toggleDetail'});
		state = run(state, esc);
		expect(state.detailOpen).toBe(false);
		expect(state.marks.size).toBe(1);
		state = run(state, key('?'), esc);
		expect(state.mode).toBe('browse');
		expect(state.marks.size).toBe(1);
		state = run(state, key('t'));
		expect(state.mode).toBe('confirm');
		state = run(state, esc);
		expect(state.notice?.text).toBe('Cancelled: nothing sent');
		expect(state.marks.size).toBe(1);
		state = run(state, esc);
		expect(state.marks.size).toBe(0);
	});
});

describe('bulk actions', () => {
	test('with marks, t asks once about all of them; y hands out one job with the plan; nothing before', () => {
		let state = run(loaded(), space, space, {type: 'lastPage'}, space, key('t'));
		expect(state.mode).toBe('confirm');
		expect(state.confirm?.question).toBe('Restart 3 exports (2 failed, 1 completed skipped)? y/N');
		expect(state.bulk).toBeUndefined();
		state = run(state, key('y'));
		expect(state.bulk?.plan.allowed.map(item => item.id)).toEqual(['f0', 'f1']);
		expect(state.bulk?.plan.skipped.map(item => item.id)).toEqual(['c9']);
		// A second bulk action waits for the first.
		const again = run(state, key('i'));
		expect(again.notice?.text).toBe('Wait: still restarting the marked exports (Esc stops it)');
		// Esc stops it (the job stays for its report); a second Esc goes on to the marks.
		state = run(state, esc);
		expect(state.bulk?.stopping).toBe(true);
		expect(state.marks.size).toBe(3);
	});

	test('D with marks downloads the completed ones, also under --read-only; i, t and Ctrl-D are refused there', () => {
		let state = run(loaded({readOnly: true}), space, {type: 'lastPage'}, space);
		state = run(state, key('t'));
		expect(state.notice?.text).toBe('Read-only (--read-only): restart is off');
		state = run(state, key('D'));
		expect(state.confirm?.question).toBe('Download 2 exports (1 completed, 1 failed skipped)? y/N');
	});

	test('nothing the action applies to: refused in one line, no question', () => {
		const state = run(loaded(), {type: 'lastPage'}, space, key('t'));
		expect(state.mode).toBe('browse');
		expect(state.notice?.text).toBe('Cannot restart the marked export (1 completed): only interrupted or failed ones');
	});

	test('the report: the result line, deleted exports leave the marks and the list, the list is fetched again', () => {
		let state = run(loaded(), space, space, space, key('d', {ctrl: true}));
		state = run(state, key('y'));
		const seq = state.bulk!.seq;
		const report: BulkReport = {
			action: 'delete',
			outcomes: [
				{record: all[0]!, result: 'done'},
				{record: all[1]!, result: 'failed', reason: 'not found', status: 404},
				{record: all[2]!, result: 'stopped'},
			],
			done: 1,
			failed: 1,
			skipped: 0,
			stopped: 1,
		};
		const before = state.fetchSeq;
		state = run(state, {type: 'bulkDone', seq, report});
		expect(state.bulk).toBeUndefined();
		expect(state.notice).toEqual({text: '1 deleted, 1 failed (f1: not found), 1 not sent (stopped)', tone: 'error'});
		expect([...state.marks.keys()]).toEqual(['f2']);
		expect(state.fetchSeq).toBe(before + 1);
		expect(windowRows(state).map(row => (row.kind === 'stale' ? row.record.id : row.kind))).toEqual(['f2', 'f3', 'f4', 'loading', 'loading']);
		// A late report of an older job changes nothing.
		expect(run(state, {type: 'bulkDone', seq, report})).toBe(state);
	});
});

describe('peek', () => {
	test('v on a completed export opens the overlay and hands out the job; not on another status', () => {
		let state = run(loaded(), key('v'));
		expect(state.mode).toBe('browse');
		expect(state.notice?.text).toBe('No file to look into: export f0 is failed (only completed exports have one)');
		state = run(state, {type: 'lastPage'}, key('v'));
		expect(state.mode).toBe('peek');
		expect(state.peek).toMatchObject({id: 'c9', read: 0, row: 0, column: 0});
	});

	test('scrolls within what the overlay measured; late answers of a closed peek are dropped; Esc closes it', () => {
		let state = run(loaded(), {type: 'lastPage'}, key('v'));
		const {seq} = state.peek!;
		state = run(state, {type: 'peekMeasured', maxRow: 20, maxColumn: 3, pageRows: 10});
		state = run(state, key('j'), key('j'), key('l'), key('', {pageDown: true}));
		expect(state.peek).toMatchObject({row: 12, column: 1});
		state = run(state, key('G'), key('l'), key('l'), key('l'), key('l'));
		expect(state.peek).toMatchObject({row: 20, column: 3});
		state = run(state, key('g'), key('', {leftArrow: true}));
		expect(state.peek).toMatchObject({row: 0, column: 2});
		state = run(state, {type: 'peekMeasured', maxRow: 0, maxColumn: 1, pageRows: 10});
		expect(state.peek).toMatchObject({row: 0, column: 1});
		state = run(state, {type: 'peekProgress', seq, read: 7}, {type: 'peekLoaded', seq, content: {format: 'csv', columns: ['a'], records: [{a: '1'}], complete: true}});
		expect(state.peek).toMatchObject({read: 1, content: {records: [{a: '1'}]}});
		state = run(state, esc);
		expect(state.mode).toBe('browse');
		expect(state.peek).toBeUndefined();
		expect(run(state, {type: 'peekFailed', seq, message: 'late'})).toBe(state);
	});
});

describe('duplicate', () => {
	test('c asks with the parameters; y hands out the job; the new export is then selected at the top and its end said once', () => {
		let state = run(loaded(), {type: 'selectDown'}, key('c'));
		expect(state.confirm?.question).toBe('Duplicate as a new skus export (csv)? y/N');
		state = run(state, key('y'));
		expect(state.duplicate).toMatchObject({id: 'f1', attributes: {resource_type: 'skus', format: 'csv'}});
		const created = record('new1', {status: 'pending'});
		state = run(state, {type: 'duplicateDone', seq: state.duplicate!.seq, created});
		expect(state.notice?.text).toBe('Created export new1 (skus, csv), a duplicate of f1 · w to watch');
		expect(state.selection).toMatchObject({id: 'new1', index: 0, follow: true});
		state = run(state, {type: 'pageLoaded', key: pageKey(state.key, 1), page: page([created, ...all.slice(0, 4)], 11), at: 3000});
		expect(selectedRecord(state)?.id).toBe('new1');
		const done = record('new1', {status: 'completed', records_count: 42});
		state = run(state, {type: 'pageLoaded', key: pageKey(state.key, 1), page: page([done, ...all.slice(0, 4)], 11), at: 4000});
		expect(state.notice?.text).toBe('Export new1 completed: 42 records');
		expect(state.tracked).toBeUndefined();
	});

	test('a new export the list does not show at the top is said so; --read-only refuses c', () => {
		let state = run(loaded(), key('c'), key('y'));
		state = run(state, {type: 'duplicateDone', seq: state.duplicate!.seq, created: record('new2', {status: 'pending'})});
		state = run(state, {type: 'pageLoaded', key: pageKey(state.key, 1), page: page(all.slice(0, 5), 10), at: 3000});
		expect(state.notice?.text).toBe('Created export new2 (skus, csv), a duplicate of f0 · w to watch (this filter or sort does not show it at the top)');
		expect(selectedRecord(state)?.id).toBe('f0');
		const readOnly = run(loaded({readOnly: true}), key('c'));
		expect(readOnly.mode).toBe('browse');
		expect(readOnly.notice?.text).toBe('Read-only (--read-only): duplicate is off');
	});
});
