// Bulk actions on the marked exports, in the reducer: the plan (the marked exports the action
// applies to, and those whose status refuses it, by the same rule as for one export), the one y/N
// question that says how many of which statuses, the footer's progress line while it runs and the
// result line per group afterwards. Pure: the requests are sent by actions/bulk.ts (runBulk).
import {statuses, type ExportRecord} from '../api/types.js';
import {formatNumber} from '../text/numbers.js';
import {sanitize} from '../text/sanitize.js';
import {displayWidth, truncate} from '../text/width.js';
import {allowedStatuses, operationVerb} from './operations.js';
import {baseMode} from './selectors.js';
import type {BulkAction, BulkPlan, BulkProgress, BulkReport, Handlers, State} from './types.js';
import {reloadWithout, updateRecord} from './updates.js';

/** The statuses each action applies to; undefined: any. */
export function bulkAllowedStatuses(action: BulkAction): readonly string[] | undefined {
	return action === 'download' ? ['completed'] : allowedStatuses[action];
}

const downloadVerb = {base: 'download', ed: 'downloaded', ing: 'Downloading', title: 'Download'};

function verbOf(action: BulkAction): {base: string; ed: string; ing: string; title: string} {
	return action === 'download' ? downloadVerb : operationVerb(action);
}

function statusOf(record: ExportRecord): string {
	const status = record.attributes?.status;
	return typeof status === 'string' && status !== '' ? status : 'unknown';
}

/** Splits the marked exports by whether their status allows the action. */
export function planBulk(action: BulkAction, marked: readonly ExportRecord[]): BulkPlan {
	const allowed = bulkAllowedStatuses(action);
	const plan: BulkPlan = {action, allowed: [], skipped: []};
	for (const record of marked) {
		(allowed === undefined || allowed.includes(statusOf(record)) ? plan.allowed : plan.skipped).push(record);
	}

	return plan;
}

/** [status, count] pairs: the largest group first, ties in lifecycle order. */
export function countByStatus(records: readonly ExportRecord[]): Array<[string, number]> {
	const counts = new Map<string, number>();
	for (const record of records) {
		const status = statusOf(record);
		counts.set(status, (counts.get(status) ?? 0) + 1);
	}

	const rank = (status: string) => {
		const index = (statuses as readonly string[]).indexOf(status);
		return index === -1 ? statuses.length : index;
	};

	return [...counts].sort(([a, x], [b, y]) => y - x || rank(a) - rank(b) || (a < b ? -1 : 1));
}

function listCounts(counts: ReadonlyArray<[string, number]>): string {
	return counts.map(([status, count]) => `${formatNumber(count)} ${sanitize(status)}`).join(', ');
}

function exportCount(count: number): string {
	return `${formatNumber(count)} export${count === 1 ? '' : 's'}`;
}

/** Why the bulk action cannot be asked for, or undefined when it can. */
export function bulkRefusal(plan: BulkPlan, context: {readOnly: boolean}): string | undefined {
	const verb = verbOf(plan.action);
	if (context.readOnly && plan.action !== 'download') {
		return `Read-only (--read-only): ${verb.base} is off`;
	}

	const marked = plan.allowed.length + plan.skipped.length;
	if (marked === 0) {
		return 'No export marked';
	}

	if (plan.allowed.length === 0) {
		const which = (bulkAllowedStatuses(plan.action) ?? []).map(status => status.replace('_', '-')).join(' or ');
		const all = marked === 1 ? 'the marked export' : `any of the ${exportCount(marked)} marked`;
		return `Cannot ${verb.base} ${all} (${listCounts(countByStatus(plan.skipped))}): only ${which} ones`;
	}

	return undefined;
}

/**
 * `Restart 3 exports (3 failed)? y/N`, `Restart 4 exports (3 failed, 1 completed skipped)? y/N`,
 * `Restart 6 exports (3 failed; 3 skipped: 2 completed, 1 pending)? y/N`: how many are marked, the
 * statuses the action applies to and those it skips. Within `width` cells: the skipped statuses give
 * way to their count first, then the line is cut.
 */
export function bulkQuestion(plan: BulkPlan, width = 80): string {
	const verb = verbOf(plan.action);
	const marked = plan.allowed.length + plan.skipped.length;
	const warning = plan.action === 'delete' ? ' This cannot be undone.' : '';
	const allowed = listCounts(countByStatus(plan.allowed));
	const skippedCounts = countByStatus(plan.skipped);
	const details: string[] = [];
	if (skippedCounts.length === 0) {
		details.push(allowed);
	} else {
		const [only] = skippedCounts;
		const full =
			skippedCounts.length === 1 && only
				? `${allowed}, ${formatNumber(only[1])} ${sanitize(only[0])} skipped`
				: `${allowed}; ${formatNumber(plan.skipped.length)} skipped: ${listCounts(skippedCounts)}`;
		details.push(full, `${allowed}, ${formatNumber(plan.skipped.length)} skipped`);
	}

	const ask = (detail: string) => `${verb.title} ${exportCount(marked)} (${detail})?${warning} y/N`;
	for (const detail of details) {
		if (displayWidth(ask(detail)) <= width) {
			return ask(detail);
		}
	}

	// Still too wide: the counts are cut, never the question's end.
	const end = `)?${warning} y/N`;
	const start = `${verb.title} ${exportCount(marked)} (`;
	return `${start}${truncate(details.at(-1) ?? '', Math.max(1, width - displayWidth(start) - displayWidth(end)))}${end}`;
}

/** `Restarting 2 of 3 (XAyRWNUzyN)…`, the wait when the pacer holds it, and how to stop (or that it is stopping). */
export function bulkProgressLine(progress: BulkProgress, now: number, stopping = false): string {
	const verb = verbOf(progress.action);
	const position = Math.min(progress.total, progress.finished + 1);
	const which = progress.current === undefined ? '' : ` (${sanitize(progress.current)})`;
	const wait =
		progress.heldUntil === undefined || progress.heldUntil <= now ? '' : ` · rate limit, next in ${Math.ceil((progress.heldUntil - now) / 1000)} s`;
	const stop = stopping ? 'stopping: nothing more is sent' : 'Esc stops';
	return `${verb.ing} ${formatNumber(position)} of ${formatNumber(progress.total)}${which}…${wait} · ${stop}`;
}

/** At most this many failures are named one by one; the others are counted. */
const namedFailures = 3;

/**
 * `3 restarted, 1 skipped (completed)`; `2 restarted, 1 failed (XAyRWNUzyN: cannot transition via
 * "start" from "completed")`; `1 restarted, 4 not sent (stopped)`. Each group once, in that order.
 */
export function bulkResultLine(report: BulkReport): string {
	const verb = verbOf(report.action);
	const parts = [`${formatNumber(report.done)} ${verb.ed}`];
	if (report.failed > 0) {
		const failures = report.outcomes.filter(outcome => outcome.result === 'failed');
		const named = failures.slice(0, namedFailures).map(outcome => `${sanitize(outcome.record.id)}: ${truncate(outcome.reason ?? 'failed', 60)}`);
		const more = failures.length > namedFailures ? `; ${formatNumber(failures.length - namedFailures)} more` : '';
		parts.push(`${formatNumber(report.failed)} failed (${named.join('; ')}${more})`);
	}

	if (report.skipped > 0) {
		const counts = countByStatus(report.outcomes.filter(outcome => outcome.result === 'skipped').map(outcome => outcome.record));
		const which = counts.length === 1 ? sanitize(counts[0]?.[0] ?? '') : listCounts(counts);
		parts.push(`${formatNumber(report.skipped)} skipped (${which})`);
	}

	if (report.stopped > 0) {
		parts.push(`${formatNumber(report.stopped)} not ${report.action === 'download' ? 'downloaded' : 'sent'} (stopped)`);
	}

	return parts.join(', ');
}

/** `i`, `t`, Ctrl-D or `D` with exports marked: the one question for all of them, or why not. */
export function askBulk(state: State, action: BulkAction): State {
	if (state.bulk !== undefined) {
		const running = verbOf(state.bulk.plan.action).ing.toLowerCase();
		return {...state, notice: {text: `Wait: still ${running} the marked exports (Esc stops it)`, tone: 'error'}};
	}

	const plan = planBulk(action, [...state.marks.values()]);
	const refused = bulkRefusal(plan, {readOnly: state.readOnly});
	if (refused !== undefined) {
		return {...state, notice: {text: refused, tone: 'error'}};
	}

	return {...state, mode: 'confirm', confirm: {kind: 'bulk', plan, question: bulkQuestion(plan)}};
}

/** The question answered yes: the job for the effects hook. */
export function startBulk(state: State, plan: BulkPlan): State {
	const seq = state.seq + 1;
	return {...state, mode: baseMode(state), confirm: undefined, seq, bulk: {seq, plan}, notice: undefined};
}

export const bulkHandlers = {
	bulkProgress(state, action) {
		return state.bulk?.seq === action.seq ? {...state, bulk: {...state.bulk, progress: action.progress}} : state;
	},

	bulkDone(state, action) {
		if (state.bulk?.seq !== action.seq) {
			return state;
		}

		const {report} = action;
		// Deleted exports leave the marks (they are gone); so do those the API no longer knows.
		const removed = new Set(
			report.outcomes
				.filter(outcome => (report.action === 'delete' && outcome.result === 'done') || (outcome.result === 'failed' && outcome.status === 404))
				.map(outcome => outcome.record.id),
		);
		let next: State = {
			...state,
			bulk: undefined,
			marks: new Map([...state.marks].filter(([id]) => !removed.has(id))),
			notice: {text: bulkResultLine(report), tone: report.failed > 0 ? 'error' : 'info'},
		};
		for (const outcome of report.outcomes) {
			if (outcome.updated !== undefined) {
				next = updateRecord(next, outcome.updated);
			}
		}

		if (report.action === 'download' && removed.size === 0) {
			return next;
		}

		const changed = report.outcomes.filter(outcome => outcome.result === 'done' && !removed.has(outcome.record.id)).map(outcome => outcome.record.id);
		return reloadWithout({...next, changedIds: changed.length === 0 ? next.changedIds : new Set(changed)}, removed);
	},
} satisfies Partial<Handlers>;
