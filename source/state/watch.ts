// Watch mode in the reducer: `w` turns it on and off, and each tick of its timer
// (hooks/use-watch.ts) refreshes one visible page behind the rows (and every n-th time the status
// counts), unless the previous refresh is still on its way. Refreshed rows whose status or
// progress changed are marked. How often it may ask, and how it backs off after failures:
// watch-budget.ts.
import type {ExportRecord} from '../api/types.js';
import {pageOf} from './list.js';
import {pageKey} from './list-key.js';
import {askOverview} from './overview.js';
import {cacheGet} from './page-cache.js';
import {following, isLoading, noIds, visiblePages, watchPaused} from './selectors.js';
import type {Handlers, State, WatchState} from './types.js';
import {slowDown, watchPlan} from './watch-budget.js';

export const watchHandlers = {
	toggleWatch(state) {
		const on = !state.watch.on;
		const watch: WatchState = {...state.watch, on, slowdown: 1, clean: 0, sinceOverview: 0};
		const plan = watchPlan(watch.periodMs, state.apiMode);
		const every = plan.overviewEvery > 1 ? ` (status counts every ${plan.overviewPeriodMs / 1000} s: rate limits)` : '';
		const text = on ? `Watch on: refreshing every ${watch.periodMs / 1000} s${every}` : 'Watch off';
		return {...state, watch, notice: {text, tone: 'info'}};
	},

	watchTick(state) {
		const onScreen = state.total !== undefined && !isLoading(state);
		// Pages that could not be loaded because the API was failing (watch has backed off) are tried again.
		const failedLoad = state.failed.size > 0 && state.error !== undefined && state.watch.slowdown > 1;
		if (!state.watch.on || watchPaused(state) || !(onScreen || failedLoad) || state.refreshing !== undefined) {
			// Paused, or the last refresh (or a load) is still on its way: skip this tick, pile nothing up.
			return state;
		}

		const plan = watchPlan(state.watch.periodMs, state.apiMode);
		const due = state.watch.sinceOverview + 1 >= plan.overviewEvery && !state.overview.pending;
		// One request a tick: when the window spans two pages, they take turns. Failed pages are asked
		// for again instead (the error line stays until an answer comes).
		const pages = visiblePages(state);
		const page = pages[state.refreshTurn % pages.length];
		const refreshed = failedLoad ? {...state, failed: noIds, fetchSeq: state.fetchSeq + 1} : refreshPage({...state, refreshTurn: state.refreshTurn + 1}, page);
		return {
			...refreshed,
			overview: due ? askOverview(state.overview) : state.overview,
			watch: {...state.watch, sinceOverview: due ? 0 : state.watch.sinceOverview + 1},
		};
	},

	rateLimited(state, action) {
		return slowDown(state, action.backOff ?? '429');
	},
} satisfies Partial<Handlers>;

/**
 * A visible page again (the selected export's by default), behind the rows on screen. A page not
 * in yet needs nothing: it is on its way.
 */
export function refreshPage(state: State, page = pageOf(state.selection.index, state.query.size)): State {
	const key = pageKey(state.key, page);
	if (cacheGet(state.pages, key) === undefined) {
		return state;
	}

	return {...state, refreshing: key, fetchSeq: state.fetchSeq + 1, selection: following(state)};
}

/** Same status and progress: what watch mode compares to mark a row as changed. */
export function sameProgress(a: ExportRecord, b: ExportRecord): boolean {
	const x = a.attributes ?? {};
	const y = b.attributes ?? {};
	return x.status === y.status && x.processed_count === y.processed_count && x.progress === y.progress && x.records_count === y.records_count;
}

/** Ids of rows whose status or progress differs from the same export's previous version. */
export function changedRows(previous: readonly ExportRecord[], rows: readonly ExportRecord[]): ReadonlySet<string> {
	const before = new Map(previous.map(record => [record.id, record]));
	const changed = rows.filter(record => {
		const old = before.get(record.id);
		return old !== undefined && !sameProgress(old, record);
	});
	return changed.length === 0 ? noIds : new Set(changed.map(record => record.id));
}
