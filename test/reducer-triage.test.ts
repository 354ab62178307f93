// The triage state in the pure reducer: status keys, the overview's questions, watch
// ticks and their budget, changed rows, the y/N question, copy and download jobs.
import type {Key} from 'ink';
import {describe, expect, test} from 'vitest';
import type {ExportAttributes, ExportPage, ExportRecord} from '../source/api/types.js';
import {countFilters, filterStatuses, overviewFilters} from '../source/state/overview.js';
import {initialState, type InitialOptions} from '../source/state/initial.js';
import {pageKey} from '../source/state/list-key.js';
import {reducer} from '../source/state/reducer.js';
import {isLoading, refreshedAt, selectedRecord, watchPeriodMs, windowRows} from '../source/state/selectors.js';
import type {Action, State} from '../source/state/types.js';
import {refusal} from '../source/state/operations.js';
import {readLimits, watchPlan} from '../source/state/watch-budget.js';
import {recordsCell} from '../source/ui/table-cells.js';
import {noKey} from './helpers/keys.js';


function key(input: string, extra: Partial<Key> = {}): Action {
	return {type: 'keyPressed', input, key: {...noKey, shift: /^[A-Z]$/.test(input), ...extra}, at: 0};
}

function record(id: string, attributes: ExportAttributes = {}): ExportRecord {
	return {id, type: 'exports', attributes: {status: 'completed', resource_type: 'skus', records_count: 100, ...attributes}, meta: {mode: 'test'}};
}

function page(records: ExportRecord[], count = records.length): ExportPage {
	return {data: records, meta: {record_count: count, page_count: Math.max(1, Math.ceil(count / 5))}, links: {}};
}

const rows = [
	record('run1', {status: 'in_progress', processed_count: 10, progress: 10}),
	record('pend1', {status: 'pending', processed_count: 0, progress: 0}),
	record('fail1', {status: 'failed'}),
	record('done1', {status: 'completed'}),
	record('intr1', {status: 'interrupted'}),
];

function run(state: State, ...actions: Action[]): State {
	return actions.reduce(reducer, state);
}

function loaded(options: Partial<InitialOptions> = {}, data = rows): State {
	const state = initialState({pageSize: 5, sort: [], viewport: 5, ...options});
	return reducer(state, {type: 'pageLoaded', key: pageKey(state.key, 1), page: page(data, 12), at: 1000});
}

function select(state: State, id: string): State {
	let next = state;
	while (selectedRecord(next)?.id !== id) {
		next = reducer(next, {type: 'selectDown'});
	}

	return next;
}

/** The exports on screen (dimmed ones too). */
function shownIds(state: State): string[] {
	return windowRows(state).map(row => (row.kind === 'record' || row.kind === 'stale' ? row.record.id : row.kind));
}

describe('the overview follows the filter without its status terms', () => {
	test('overviewFilters drops every status predicate and keeps the rest', () => {
		expect(overviewFilters({status_in: ['failed'], resource_type_eq: 'skus', status_not_eq: 'pending', reference_cont: 'x'})).toEqual({
			resource_type_eq: 'skus',
			reference_cont: 'x',
		});
		// A predicate over several attributes is not a status term.
		expect(overviewFilters({status_or_reference_cont: 'x'})).toEqual({status_or_reference_cont: 'x'});
		expect(countFilters({resource_type_eq: 'skus'}, 'failed')).toEqual({resource_type_eq: 'skus', status_eq: 'failed'});
	});

	test('filterStatuses: what the filter lets through, undefined without a status term', () => {
		expect(filterStatuses({})).toBeUndefined();
		expect([...(filterStatuses({status_eq: 'failed'}) ?? [])]).toEqual(['failed']);
		expect([...(filterStatuses({status_in: ['failed', 'interrupted']}) ?? [])]).toEqual(['interrupted', 'failed']);
		expect([...(filterStatuses({status_in: 'pending,completed'}) ?? [])]).toEqual(['pending', 'completed']);
		expect([...(filterStatuses({status_not_in: ['completed', 'failed']}) ?? [])]).toEqual(['pending', 'in_progress', 'interrupted']);
	});

	test('the first frame asks for the counts; a page change does not; a filter kept, r and the keys 1..5 do what they must', () => {
		let state = loaded();
		expect(state.overview).toMatchObject({seq: 1, pending: true, filters: {}});
		state = run(state, {type: 'overviewLoaded', key: state.overview.key, seq: 1, counts: {pending: 1, in_progress: 1, interrupted: 1, failed: 1, completed: 8}});
		expect(state.overview.pending).toBe(false);
		// Paging: same counts, no question.
		state = run(state, {type: 'nextPage'});
		expect(state.overview.seq).toBe(1);
		// 4: the status term changes, the other terms do not: the counts stay as they are.
		state = run(state, key('4'));
		expect(state.query.filterText).toBe('status:failed');
		expect(state.query.filters).toEqual({status_eq: 'failed'});
		expect(state.overview.seq).toBe(1);
		// A typed filter: not while typing, once kept.
		state = run(state, {type: 'openFilter'}, {type: 'filterEdited', text: 'status:failed type:skus', at: 0}, {type: 'filterApplied'});
		expect(state.query.filters).toEqual({status_eq: 'failed', resource_type_eq: 'skus'});
		expect(state.overview.seq).toBe(1);
		state = run(state, {type: 'filterSubmitted'});
		expect(state.overview).toMatchObject({seq: 2, pending: true, filters: {resource_type_eq: 'skus'}});
		// r asks again.
		state = run(state, {type: 'reload'});
		expect(state.overview.seq).toBe(3);
		// An answer to an older question is dropped.
		const late = run(state, {type: 'overviewLoaded', key: state.overview.key, seq: 2, counts: {pending: 0, in_progress: 0, interrupted: 0, failed: 0, completed: 0}});
		expect(late.overview.counts?.completed).toBe(8);
	});
});

describe('keys 1..5 edit the filter text', () => {
	test('in and out, as a status:a,b term next to the other terms', () => {
		let state = loaded({filterText: 'type:skus', filters: {resource_type_eq: 'skus'}});
		state = run(state, key('4'));
		expect(state.query.filterText).toBe('type:skus status:failed');
		state = run(state, key('3'));
		expect(state.query.filterText).toBe('type:skus status:failed,interrupted');
		expect(state.query.filters).toEqual({resource_type_eq: 'skus', status_in: ['failed', 'interrupted']});
		expect(state.selection.index).toBe(0);
		state = run(state, key('4'), key('3'));
		expect(state.query.filterText).toBe('type:skus');
		expect(state.query.filters).toEqual({resource_type_eq: 'skus'});
		// The prompt opens on the same text.
		state = run(state, key('5'), {type: 'openFilter'});
		expect(state.filter.draft).toBe('type:skus status:completed');
	});

	test('they are text in the filter prompt', () => {
		const state = run(loaded(), {type: 'openFilter'}, key('4'));
		expect(state.query.filterText).toBe('');
	});
});

describe('watch ticks', () => {
	test('w turns it on at 5 s (or --watch); a tick refreshes the page behind the rows: no loading, the selection follows the export', () => {
		let state = loaded();
		expect(state.watch.on).toBe(false);
		expect(run(state, {type: 'watchTick'})).toBe(state);
		state = run(state, key('w'));
		expect(state.watch).toMatchObject({on: true, periodMs: 5000});
		expect(state.notice?.text).toBe('Watch on: refreshing every 5 s (status counts every 10 s: rate limits)');
		state = select(state, 'fail1');
		const ticked = run(state, {type: 'watchTick'});
		expect(ticked.fetchSeq).toBe(state.fetchSeq + 1);
		expect(isLoading(ticked)).toBe(false);
		expect(ticked.refreshing).toBe(pageKey(state.key, 1));
		// A new export pushed the selected one down: the selection stays on it.
		const answered = run(ticked, {type: 'pageLoaded', key: pageKey(state.key, 1), page: page([record('new1'), ...rows.slice(0, 4)], 13), at: 6000});
		expect(selectedRecord(answered)?.id).toBe('fail1');
		expect(answered.selection.index).toBe(3);
		expect(answered.refreshing).toBeUndefined();
		expect(refreshedAt(answered)).toBe(6000);
		expect(initialState({pageSize: 5, sort: [], watchSeconds: 2}).watch).toMatchObject({on: true, periodMs: 2000});
	});

	test('a tick while the previous refresh is on its way, or while a page loads, does nothing', () => {
		const state = run(loaded({watchSeconds: 2}), {type: 'watchTick'});
		expect(run(state, {type: 'watchTick'}, {type: 'watchTick'})).toBe(state);
		const loading = run(loaded({watchSeconds: 2}), {type: 'nextPage'});
		expect(isLoading(loading)).toBe(true);
		expect(run(loading, {type: 'watchTick'})).toBe(loading);
	});

	test('when the window spans two pages they take turns: one request a tick', () => {
		let state = run(loaded({watchSeconds: 2, viewport: 4}), {type: 'selectDown'}, {type: 'selectDown'}, {type: 'selectDown'}, {type: 'selectDown'});
		state = reducer(state, {type: 'pageLoaded', key: pageKey(state.key, 2), page: page(rows.map(row => ({...row, id: `${row.id}-2`})), 12), at: 1000});
		expect(shownIds(state)).toEqual(['fail1', 'done1', 'intr1', 'run1-2']);
		const turns: Array<string | undefined> = [];
		for (let tick = 0; tick < 4; tick++) {
			state = run(state, {type: 'watchTick'});
			turns.push(state.refreshing);
			const {page: number} = {page: Number(state.refreshing?.split('|')[0])};
			state = reducer(state, {type: 'pageLoaded', key: state.refreshing!, page: page(number === 1 ? rows : rows.map(row => ({...row, id: `${row.id}-2`})), 12), at: 2000 + tick});
		}

		expect(turns).toEqual([1, 2, 1, 2].map(number => pageKey(state.key, number)));
	});

	test('paused while the filter prompt is open and while a question waits', () => {
		const state = loaded({watchSeconds: 2});
		const prompt = run(state, {type: 'openFilter'});
		expect(run(prompt, {type: 'watchTick'})).toBe(prompt);
		const question = run(select(state, 'fail1'), key('t'));
		expect(question.mode).toBe('confirm');
		expect(run(question, {type: 'watchTick'})).toBe(question);
	});

	test('the overview goes with every n-th refresh: every 6th at 2 s on a test organization (never while one is pending)', () => {
		let state = loaded({watchSeconds: 2});
		state = run(state, {type: 'overviewLoaded', key: state.overview.key, seq: 1, counts: {pending: 0, in_progress: 0, interrupted: 0, failed: 0, completed: 0}});
		const asked: number[] = [];
		for (let tick = 1; tick <= 12; tick++) {
			const before = state.overview.seq;
			state = run(state, {type: 'watchTick'}, {type: 'pageLoaded', key: pageKey(state.key, 1), page: page(rows, 12), at: 1000 + tick * 2000});
			if (state.overview.seq !== before) {
				asked.push(tick);
				state = run(state, {type: 'overviewLoaded', key: state.overview.key, seq: state.overview.seq, counts: {pending: 0, in_progress: 0, interrupted: 0, failed: 0, completed: 0}});
			}
		}

		expect(asked).toEqual([6, 12]);
		// One still on its way when the next is due: that tick refreshes the page only.
		state = run(state, {type: 'reload'}, {type: 'pageLoaded', key: pageKey(state.key, 1), page: page(rows, 12), at: 90_000});
		expect(state.overview.pending).toBe(true);
		const seq = state.overview.seq;
		for (let tick = 1; tick <= 8; tick++) {
			state = run(state, {type: 'watchTick'}, {type: 'pageLoaded', key: pageKey(state.key, 1), page: page(rows, 12), at: 90_000 + tick * 2000});
		}

		expect(state.overview.seq).toBe(seq);
	});

	test('a 429 doubles the period (up to 8x); five clean refreshes halve it again', () => {
		let state = loaded({watchSeconds: 2});
		state = run(state, {type: 'watchTick'}, {type: 'requestRetrying', key: pageKey(state.key, 1), error: {title: 'rate limited', retryInSeconds: 3}, rateLimited: true});
		expect(watchPeriodMs(state)).toBe(4000);
		state = run(state, {type: 'rateLimited'}, {type: 'rateLimited'}, {type: 'rateLimited'});
		expect(watchPeriodMs(state)).toBe(16_000);
		for (let tick = 0; tick < 5; tick++) {
			state = run(state, {type: 'pageLoaded', key: pageKey(state.key, 1), page: page(rows, 12), at: 2000}, {type: 'watchTick'});
		}

		expect(watchPeriodMs(state)).toBe(8000);
		// Without watch, a 429 changes nothing here.
		const off = loaded();
		expect(run(off, {type: 'rateLimited'})).toBe(off);
	});

	test('a 5xx, a network failure or a timeout slows it down like a 429 (named for the header); a 400 does not', () => {
		const failed = (state: State, error: string, backOff?: string) =>
			run(state, {type: 'watchTick'}, {type: 'pageFailed', key: pageKey(state.key, 1), error: {title: error}, ...(backOff === undefined ? {} : {backOff})});
		let state = failed(loaded({watchSeconds: 2}), 'Service Unavailable', '503');
		expect(watchPeriodMs(state)).toBe(4000);
		expect(state.watch.slowedBy).toBe('503');
		state = failed(state, 'connection reset', 'network');
		state = failed(state, 'timed out', 'timeout');
		state = failed(state, 'Service Unavailable', '503');
		expect(watchPeriodMs(state)).toBe(16_000);
		expect(failed(loaded({watchSeconds: 2}), 'Bad Request').watch.slowdown).toBe(1);
		// The counts failing count too.
		const counts = loaded({watchSeconds: 2});
		expect(run(counts, {type: 'overviewFailed', key: counts.overview.key, seq: counts.overview.seq, error: 'Service Unavailable', backOff: '503'}).watch.slowdown).toBe(2);
	});

	test('after backing off, a page that could not be loaded is asked for again on the next tick, behind the error', () => {
		let state = initialState({pageSize: 5, sort: [], watchSeconds: 2, viewport: 5});
		const first = pageKey(state.key, 1);
		state = run(state, {type: 'pageFailed', key: first, error: {title: 'Service Unavailable'}, backOff: '503'});
		expect(state.total).toBeUndefined();
		expect(isLoading(state)).toBe(false);
		const ticked = run(state, {type: 'watchTick'});
		expect(ticked.fetchSeq).toBe(state.fetchSeq + 1);
		expect(isLoading(ticked)).toBe(true);
		// The error line stays until an answer comes.
		expect(ticked.error?.title).toBe('Service Unavailable');
		// Not twice while it is on its way; and not at all after a failure waiting would not cure.
		expect(run(ticked, {type: 'watchTick'})).toBe(ticked);
		const bad = run(initialState({pageSize: 5, sort: [], watchSeconds: 2}), {type: 'pageFailed', key: first, error: {title: 'Bad Request'}});
		expect(run(bad, {type: 'watchTick'})).toBe(bad);
		// The answer shows the page.
		const shown = run(ticked, {type: 'pageLoaded', key: first, page: page(rows, 12), at: 5000});
		expect(shownIds(shown)).toEqual(rows.map(row => row.id));
		expect(shown.error).toBeUndefined();
	});

	test('any answer for the page on screen counts as clean, a reload too', () => {
		let state = run(loaded({watchSeconds: 2}), {type: 'rateLimited', backOff: '503'});
		expect(state.watch).toMatchObject({slowdown: 2, slowedBy: '503'});
		for (let count = 0; count < 5; count++) {
			state = run(state, {type: 'reload'}, {type: 'pageLoaded', key: pageKey(state.key, 1), page: page(rows, 12), at: 2000 + count});
		}

		expect(state.watch).toMatchObject({slowdown: 1, slowedBy: undefined});
	});

	test('rows whose status or progress changed are marked until the next refresh', () => {
		let state = loaded({watchSeconds: 2});
		const moved = [record('run1', {status: 'in_progress', processed_count: 40, progress: 40}), ...rows.slice(1, 4), record('intr1', {status: 'pending'})];
		state = run(state, {type: 'watchTick'}, {type: 'pageLoaded', key: pageKey(state.key, 1), page: page(moved, 12), at: 3000});
		expect([...state.changedIds].sort()).toEqual(['intr1', 'run1']);
		state = run(state, {type: 'watchTick'}, {type: 'pageLoaded', key: pageKey(state.key, 1), page: page(moved, 12), at: 5000});
		expect(state.changedIds.size).toBe(0);
		// Another page is not "changed".
		state = run(state, {type: 'nextPage'}, {type: 'pageLoaded', key: pageKey(state.key, 2), page: page(rows, 12), at: 6000});
		expect(state.changedIds.size).toBe(0);
	});
});

describe('the watch budget', () => {
	test('at every period from 2 s, watch stays within 60% of both limits (test and live)', () => {
		for (const mode of ['test', 'live'] as const) {
			for (const seconds of [2, 3, 4, 5, 7, 10, 30, 60]) {
				const plan = watchPlan(seconds * 1000, mode);
				expect(plan.readsPer10s, `${mode} ${seconds} s`).toBeLessThanOrEqual(readLimits[mode].per10s * 0.6);
				expect(plan.readsPerMinute, `${mode} ${seconds} s`).toBeLessThanOrEqual(readLimits[mode].perMinute * 0.6);
			}
		}

		// A 10 s window is counted as holding one refresh more than it evenly would (timer drift).
		expect(watchPlan(2000, 'test')).toMatchObject({overviewEvery: 6, overviewPeriodMs: 12_000, readsPer10s: 11, readsPerMinute: 55});
		expect(watchPlan(5000, 'test')).toMatchObject({overviewEvery: 2, overviewPeriodMs: 10_000, readsPer10s: 13, readsPerMinute: 42});
		expect(watchPlan(2000, 'live')).toMatchObject({overviewEvery: 2, overviewPeriodMs: 4000});
	});
});

describe('actions ask first', () => {
	test('i on an in-progress export asks y/N naming it; y sends, anything else cancels', () => {
		let state = loaded();
		state = run(state, key('i'));
		expect(state.mode).toBe('confirm');
		expect(state.confirm?.question).toBe('Interrupt export run1 (skus, in_progress)? y/N');
		const cancelled = run(state, key('x'));
		expect(cancelled.mode).toBe('browse');
		expect(cancelled.operation).toBeUndefined();
		expect(cancelled.notice?.text).toBe('Cancelled: export run1 not interrupted');
		// y here is "yes", not "copy".
		const yes = run(state, key('y'));
		expect(yes.operation).toEqual({seq: 1, kind: 'interrupt', id: 'run1'});
		expect(yes.clipboard).toBeUndefined();
		expect(yes.mode).toBe('browse');
		// Esc, Enter, a paste: no.
		for (const action of [key('', {escape: true, meta: true}), key('\r', {return: true}), key('yes')]) {
			expect(run(state, action).operation).toBeUndefined();
		}
	});

	test('the answer updates the row, marks it, and refreshes the page and the counts behind the screen', () => {
		let state = run(loaded(), key('i'), key('y'));
		const fetchSeq = state.fetchSeq;
		state = run(state, {type: 'operationDone', seq: 1, record: record('run1', {status: 'interrupted'})});
		expect(selectedRecord(state)?.attributes.status).toBe('interrupted');
		expect([...state.changedIds]).toEqual(['run1']);
		expect(state.notice?.text).toBe('Export run1 interrupted: now interrupted');
		expect(state.fetchSeq).toBe(fetchSeq + 1);
		expect(state.refreshing).toBe(pageKey(state.key, 1));
		expect(state.overview.pending).toBe(true);
	});

	test('delete removes the row and forgets the other pages; a failure says why and refreshes', () => {
		let state = run(select(loaded(), 'done1'), key('d', {ctrl: true}));
		expect(state.confirm?.question).toBe('Delete export done1 (skus, completed)? This cannot be undone. y/N');
		state = run(state, key('y'), {type: 'operationDone', seq: 1});
		// Dimmed until the page comes back: every later export moved up by one.
		expect(shownIds(state)).toEqual(['run1', 'pend1', 'fail1', 'intr1', 'loading']);
		expect(windowRows(state).slice(0, 4).every(row => row.kind === 'stale')).toBe(true);
		expect(state.total).toBe(11);
		expect(state.pages.entries.size).toBe(0);
		expect(isLoading(state)).toBe(true);
		expect(state.notice?.text).toBe('Export done1 deleted');
		const failed = run(select(loaded(), 'fail1'), key('t'), key('Y'), {type: 'operationFailed', seq: 1, message: 'Unprocessable Entity: cannot start'});
		expect(failed.notice).toMatchObject({tone: 'error', text: 'Could not restart export fail1: Unprocessable Entity: cannot start'});
	});

	test('refused for the wrong status, and entirely under --read-only', () => {
		const state = select(loaded(), 'done1');
		expect(run(state, key('i')).notice?.text).toBe('Cannot interrupt a completed export: only pending or in-progress ones');
		expect(run(state, key('t')).notice?.text).toBe('Cannot restart a completed export: only interrupted or failed ones');
		expect(run(select(loaded(), 'run1'), key('t')).notice?.text).toBe('Cannot restart an in-progress export: only interrupted or failed ones');
		expect(run(state, key('i')).mode).toBe('browse');
		const readOnly = select(loaded({readOnly: true}), 'fail1');
		for (const [input, extra, word] of [['i', {}, 'interrupt'], ['t', {}, 'restart'], ['d', {ctrl: true}, 'delete']] as const) {
			const next = run(readOnly, key(input, extra));
			expect(next.mode).toBe('browse');
			expect(next.operation).toBeUndefined();
			expect(next.notice?.text).toBe(`Read-only (--read-only): ${word} is off`);
		}

		expect(refusal('delete', undefined, {readOnly: false})).toBe('No export selected');
	});
});

describe('copy and download jobs', () => {
	test('y and Y hand out a job for the selected export; the answer becomes the notice with the link', () => {
		let state = select(loaded(), 'done1');
		state = run(state, key('y'));
		expect(state.clipboard).toEqual({seq: 1, what: 'url', id: 'done1'});
		state = run(state, {type: 'copyDone', seq: 1, sent: true, message: 'sent', url: 'https://x/y', record: record('done1', {attachment_url: 'https://x/y'})});
		expect(state.notice).toEqual({text: 'Link sent', tone: 'info', url: 'https://x/y', id: 'done1'});
		expect(selectedRecord(state)?.attributes.attachment_url).toBe('https://x/y');
		// Esc hides the link first.
		expect(run(state, key('', {escape: true, meta: true})).notice).toBeUndefined();
		state = run(state, key('Y'));
		expect(state.clipboard).toEqual({seq: 2, what: 'id', id: 'done1'});
	});

	test('D: one download at a time, progress, Esc cancels', () => {
		let state = run(select(loaded(), 'done1'), key('D'));
		expect(state.download).toEqual({seq: 1, id: 'done1', format: undefined});
		expect(run(state, key('D')).notice?.text).toBe('A download is running (done1): wait for it, or Esc to cancel it');
		state = run(state, {type: 'downloadProgress', seq: 1, text: '50%'});
		expect(state.download?.text).toBe('50%');
		const cancelled = run(state, key('', {escape: true, meta: true}));
		expect(cancelled.download).toBeUndefined();
		expect(cancelled.notice?.text).toBe('Download of done1 cancelled: nothing saved');
		// A late answer for the cancelled job is dropped.
		expect(run(cancelled, {type: 'downloadDone', seq: 1, text: 'Saved x'}).notice?.text).toBe('Download of done1 cancelled: nothing saved');
	});
});

describe('the records cell of a running export', () => {
	test('processed/records, or the percentage when the counts are missing or too wide', () => {
		expect(recordsCell({status: 'in_progress', processed_count: 1234, records_count: 5000})).toBe('1,234/5,000');
		expect(recordsCell({status: 'in_progress', progress: 42.7})).toBe('42%');
		expect(recordsCell({status: 'in_progress', processed_count: 123_456, records_count: 999_999, progress: 12})).toBe('12%');
		expect(recordsCell({status: 'completed', processed_count: 5, records_count: 5000})).toBe('5,000');
		expect(recordsCell({status: 'pending', records_count: 5000})).toBe('5,000');
	});
});
