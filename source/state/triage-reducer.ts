// The triage transitions of issue 4, for the one reducer (reducer.ts hands these actions here):
// watch ticks and their back-off, the status overview's answers, the y/N question of the export
// actions, and the copy / download / action jobs the effects hooks (use-actions.ts) carry out.
// Pure, like the rest of the reducer: times and answers come in actions.
import {statuses, type ExportRecord} from '../api/types.js';
import {cacheClear, cacheGet, cachePut} from './page-cache.js';
import {pageOf} from './list.js';
import {pageKey, parsePageKey} from './query.js';
import type {Action, OverviewState, State, WatchState} from './reducer.js';
import {baseMode, following, isLoading, selectedRecord, visiblePages, watchPaused, windowRows} from './selectors.js';
import {actionVerb, confirmQuestion, doneText, refusal, sameProgress, type Confirm, type Notice} from './triage.js';
import {watchPlan} from './watch-budget.js';

export type TriageAction = Extract<
	Action,
	{
		type:
			| 'toggleWatch'
			| 'watchTick'
			| 'rateLimited'
			| 'overviewLoaded'
			| 'overviewFailed'
			| 'copyUrl'
			| 'copyId'
			| 'copyDone'
			| 'copyFailed'
			| 'download'
			| 'downloadProgress'
			| 'downloadDone'
			| 'downloadFailed'
			| 'requestAction'
			| 'confirmYes'
			| 'confirmNo'
			| 'actionDone'
			| 'actionFailed';
	}
>;

/** No changed rows (one shared empty set, so an unchanged refresh does not re-render the table). */
export const noIds: ReadonlySet<string> = new Set();

/** Why there is no export to act on: nothing there, or its row is not loaded yet (or dimmed). */
function noRecord(state: State): string {
	return isLoading(state) || state.total === undefined ? 'Wait: the selected export is still loading' : 'No export selected';
}

export function reduceTriage(state: State, action: TriageAction): State {
	switch (action.type) {
		case 'toggleWatch': {
			const on = !state.watch.on;
			const watch: WatchState = {...state.watch, on, slowdown: 1, clean: 0, sinceOverview: 0};
			const plan = watchPlan(watch.periodMs, state.apiMode);
			const every = plan.overviewEvery > 1 ? ` (status counts every ${plan.overviewPeriodMs / 1000} s: rate limits)` : '';
			const text = on ? `Watch on: refreshing every ${watch.periodMs / 1000} s${every}` : 'Watch off';
			return {...state, watch, notice: {text, tone: 'info'}};
		}

		case 'watchTick': {
			return watchTick(state);
		}

		case 'rateLimited': {
			return slowDown(state, action.backOff ?? '429');
		}

		case 'overviewLoaded': {
			if (action.key !== state.overview.key || action.seq !== state.overview.seq) {
				return state;
			}

			// The same counts as before keep their object: the header has nothing to redraw.
			const previous = state.overview.counts;
			const same = previous !== undefined && statuses.every(status => previous[status] === action.counts[status]);
			const counts = same ? previous : action.counts;
			return {...state, overview: {...state.overview, pending: false, counts, countsKey: action.key, error: undefined}};
		}

		case 'overviewFailed': {
			const slowed = slowDown(state, backOffOf(action));
			if (action.key !== state.overview.key || action.seq !== state.overview.seq) {
				return slowed;
			}

			return {...slowed, overview: {...slowed.overview, pending: false, error: action.error}};
		}

		case 'copyUrl':
		case 'copyId': {
			const record = selectedRecord(state);
			if (record === undefined) {
				return {...state, notice: {text: noRecord(state), tone: 'error'}};
			}

			const seq = state.seq + 1;
			const what = action.type === 'copyUrl' ? 'url' : 'id';
			const notice: Notice | undefined = what === 'url' ? {text: `Retrieving export ${record.id} for a fresh link…`, tone: 'info'} : state.notice;
			return {...state, seq, clipboard: {seq, what, id: record.id}, notice};
		}

		case 'copyDone': {
			if (state.clipboard?.seq !== action.seq) {
				return state;
			}

			const {id, what} = state.clipboard;
			// The link itself is shown above the footer (UrlPanel), so the line only says what was done.
			const text = `${what === 'url' ? 'Link' : `Id ${id}`} ${action.message}`;
			const updated = action.record ? updateRecord(state, action.record) : state;
			return {...updated, clipboard: undefined, notice: {text, tone: action.sent ? 'info' : 'error', url: action.url, id}};
		}

		case 'copyFailed': {
			if (state.clipboard?.seq !== action.seq) {
				return state;
			}

			const updated = action.record ? updateRecord(state, action.record) : state;
			return {...updated, clipboard: undefined, notice: {text: action.message, tone: 'error'}};
		}

		case 'download': {
			const record = selectedRecord(state);
			if (state.download !== undefined) {
				return {...state, notice: {text: `A download is running (${state.download.id}): wait for it, or Esc to cancel it`, tone: 'error'}};
			}

			if (record === undefined) {
				return {...state, notice: {text: noRecord(state), tone: 'error'}};
			}

			const seq = state.seq + 1;
			const format = typeof record.attributes.format === 'string' ? record.attributes.format : undefined;
			return {...state, seq, download: {seq, id: record.id, format}, notice: undefined};
		}

		case 'downloadProgress': {
			return state.download?.seq === action.seq ? {...state, download: {...state.download, text: action.text}} : state;
		}

		case 'downloadDone': {
			if (state.download?.seq !== action.seq) {
				return state;
			}

			const updated = action.record ? updateRecord(state, action.record) : state;
			return {...updated, download: undefined, notice: {text: action.text, tone: 'info'}};
		}

		case 'downloadFailed': {
			if (state.download?.seq !== action.seq) {
				return state;
			}

			return {...state, download: undefined, notice: {text: action.message, tone: 'error'}};
		}

		case 'requestAction': {
			const record = selectedRecord(state);
			const refused = refusal(action.action, record, {readOnly: state.readOnly, busy: state.job?.id});
			if (record === undefined && !state.readOnly) {
				return {...state, notice: {text: noRecord(state), tone: 'error'}};
			}

			if (refused !== undefined || record === undefined) {
				return {...state, notice: {text: refused ?? noRecord(state), tone: 'error'}};
			}

			const confirm: Confirm = {action: action.action, id: record.id, question: confirmQuestion(action.action, record)};
			return {...state, mode: 'confirm', confirm};
		}

		case 'confirmYes': {
			if (state.mode !== 'confirm' || state.confirm === undefined) {
				return state;
			}

			const {action: act, id} = state.confirm;
			const seq = state.seq + 1;
			return {
				...state,
				mode: baseMode(state),
				confirm: undefined,
				seq,
				job: {seq, action: act, id},
				notice: {text: `${actionVerb(act).ing} export ${id}…`, tone: 'info'},
			};
		}

		case 'confirmNo': {
			if (state.mode !== 'confirm' || state.confirm === undefined) {
				return state;
			}

			const {action: act, id} = state.confirm;
			return {...state, mode: baseMode(state), confirm: undefined, notice: {text: `Cancelled: export ${id} not ${actionVerb(act).ed}`, tone: 'info'}};
		}

		case 'actionDone': {
			if (state.job?.seq !== action.seq) {
				return state;
			}

			const {action: act, id} = state.job;
			let next: State = {...state, job: undefined, notice: {text: doneText(act, id, action.record), tone: 'info'}};
			if (act === 'delete') {
				// Every later export moves up by one: forget the pages, keep the rows (dimmed, without
				// the deleted one) until the new ones land.
				const shown = windowRows(next).map(row => (row.kind === 'record' || row.kind === 'stale' ? row.record : undefined));
				const rows = shown.filter(record => record?.id !== id);
				const total = next.total === undefined ? undefined : Math.max(0, next.total - 1);
				const index = Math.max(0, Math.min(next.selection.index, (total ?? 1) - 1));
				next = {
					...next,
					pages: cacheClear(next.pages),
					failed: noIds,
					total,
					stale: {top: next.top, rows},
					selection: {id: rows[index - next.top]?.id, index, follow: rows[index - next.top] === undefined ? undefined : true},
					fetchSeq: next.fetchSeq + 1,
				};
				return {...next, overview: askOverview(next.overview), watch: {...next.watch, sinceOverview: 0}};
			}

			if (action.record) {
				next = {...updateRecord(next, action.record), changedIds: new Set([id])};
			}

			return refreshAll(next);
		}

		case 'actionFailed': {
			if (state.job?.seq !== action.seq) {
				return state;
			}

			const {action: act, id} = state.job;
			// The export may not be what the row said (that is often why it failed): look again.
			return refreshAll({...state, job: undefined, notice: {text: `Could not ${actionVerb(act).base} export ${id}: ${action.message}`, tone: 'error'}});
		}
	}
}

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

export function askOverview(overview: OverviewState): OverviewState {
	return {...overview, seq: overview.seq + 1, pending: true};
}

/** The page and the overview again (after an action changed an export). */
function refreshAll(state: State): State {
	return {...refreshPage(state), overview: askOverview(state.overview), watch: {...state.watch, sinceOverview: 0}};
}

function watchTick(state: State): State {
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
}

const maxSlowdown = 8;
const cleanRefreshesToRecover = 5;

/**
 * A failure watch backs off from (a 429, a 5xx, the network; `reason` names it, undefined for any
 * other failure): watch doubles its period (up to 8×). Its requests are not retried, so at 8× a
 * failing API gets one request every 16 s at `--watch 2`.
 */
export function slowDown(state: State, reason?: string): State {
	if (!state.watch.on || reason === undefined) {
		return state;
	}

	return {...state, watch: {...state.watch, slowdown: Math.min(maxSlowdown, state.watch.slowdown * 2), clean: 0, slowedBy: reason}};
}

/** The back-off reason an action carries (older actions only say whether it was a 429). */
export function backOffOf(action: {backOff?: string; rateLimited?: boolean}): string | undefined {
	return action.backOff ?? (action.rateLimited ? '429' : undefined);
}

/** A page answered while watch is on: after 5 in a row, a slowed watch halves its period again. */
export function cleanRefresh(state: State): State {
	if (state.watch.slowdown === 1) {
		return state;
	}

	const clean = state.watch.clean + 1;
	if (clean < cleanRefreshesToRecover) {
		return {...state, watch: {...state.watch, clean}};
	}

	const slowdown = Math.max(1, state.watch.slowdown / 2);
	return {...state, watch: {...state.watch, slowdown, clean: 0, slowedBy: slowdown === 1 ? undefined : state.watch.slowedBy}};
}

/** An export retrieved or changed by an action: its row (its page of the current list) shows the new version. */
function updateRecord(state: State, record: ExportRecord): State {
	for (const [key, cached] of state.pages.entries) {
		if (parsePageKey(key).list !== state.key) {
			continue;
		}

		const index = cached.page.data.findIndex(row => row.id === record.id);
		if (index !== -1) {
			const data = cached.page.data.with(index, record);
			return {...state, pages: cachePut(state.pages, key, {...cached, page: {...cached.page, data}})};
		}
	}

	return state;
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
