// What the view shows of the state, worked out apart from drawing it: the footer's message, the
// table's text when it has no rows, the copied link, the header's watch and overview notes, the
// help's line for `w`. Pure, for App.tsx.
import type {ExportRecord} from '../api/types.js';
import {bulkProgressLine} from '../state/bulk.js';
import type {Binding} from '../state/keys.js';
import {pageKey} from '../state/list-key.js';
import {missingPages, watchPaused} from '../state/selectors.js';
import type {State} from '../state/types.js';
import {formatSeconds, watchPlan} from '../state/watch-budget.js';
import type {FooterError} from './Footer.js';

/** The help's line for `w`, with the periods this session uses. */
export function withWatchPlan(list: readonly Binding[], periodMs: number, apiMode: string | undefined): Binding[] {
	const plan = watchPlan(periodMs, apiMode);
	const counts = plan.overviewEvery > 1 ? `status counts every ${formatSeconds(plan.overviewPeriodMs)} (rate limits)` : 'status counts too';
	const description = `watch on/off: page every ${formatSeconds(plan.periodMs)}, ${counts}`;
	const brief = `watch on/off, every ${formatSeconds(plan.periodMs)}`;
	return list.map(binding => (binding.id === 'watch' ? {...binding, description, brief} : binding));
}

/** The footer's second line: the question, else an error, else a bulk action's or the download's progress, else the last notice. */
export function footerMessage(state: State, now: number): {error?: FooterError; notice?: string; tone?: 'info' | 'question'} {
	if (state.mode === 'confirm' && state.confirm !== undefined) {
		return {notice: state.confirm.question, tone: 'question'};
	}

	if (state.error !== undefined) {
		return {error: state.error};
	}

	if (state.bulk !== undefined) {
		const {plan, progress, stopping} = state.bulk;
		return {notice: bulkProgressLine(progress ?? {action: plan.action, finished: 0, total: plan.allowed.length}, now, stopping === true)};
	}

	if (state.download !== undefined) {
		return {notice: `↓ ${state.download.id} ${state.download.text ?? ''} · Esc cancels`};
	}

	if (state.notice?.tone === 'error') {
		return {error: {title: state.notice.text}};
	}

	return state.notice === undefined ? {} : {notice: state.notice.text};
}

/** The table's line when it has no rows. */
export function emptyText(state: State): string {
	if (state.total === undefined) {
		return state.error === undefined ? 'Loading exports…' : 'Could not load exports.';
	}

	return Object.keys(state.query.filters).length > 0 ? 'No exports match the filter.' : 'No exports yet.';
}

/** The link `y` copied, in full, while its export is selected (Esc hides it). */
export function copiedUrl(state: State, selected: ExportRecord | undefined): string | undefined {
	const {notice, mode} = state;
	return notice?.url !== undefined && notice.id === selected?.id && mode !== 'filter' && mode !== 'help' && mode !== 'peek' ? notice.url : undefined;
}

/** The header's note beside the counts: how often watch asks for them when not at every refresh. */
export function overviewNote(state: State): string | undefined {
	const plan = watchPlan(state.watch.periodMs, state.apiMode);
	return state.watch.on && plan.overviewEvery > 1 ? `counts every ${formatSeconds(plan.overviewPeriodMs * state.watch.slowdown)}` : undefined;
}

/** Beside the watch period in the header: paused (prompt, question), or why it slowed down. */
export function watchNote(state: State): string | undefined {
	return watchPaused(state) ? 'paused' : state.watch.slowdown > 1 ? (state.watch.slowedBy ?? 'slowed') : undefined;
}

/** When the page the screen waits for is held by the client's pacer: the time the header counts down to. */
export function heldUntil(state: State): number | undefined {
	const heldKey = state.held?.key;
	const waited = heldKey !== undefined && missingPages(state).some(page => pageKey(state.key, page) === heldKey);
	return waited ? state.held?.until : undefined;
}

/** The prompt's error under the draft, when it does not parse. */
export function filterError(state: State): {message: string; start: number; end: number} | undefined {
	const {check} = state.filter;
	return check.ok ? undefined : {message: check.error, start: check.start, end: check.end};
}
