// One action on every marked export: interrupt, restart, delete or download. The plan splits the
// marked exports into those whose status allows the action and those it skips (the same rule as
// for one export); the question says how many of which statuses; the runner sends one request after
// another through the client, whose pacer keeps them under the rate limit, and stops what has not
// been sent when the caller aborts; the result line says what happened to each group and names
// every failure. Planning and wording are pure; only runBulk does I/O.
import type {ExportsClient, RequestOptions} from '../api/client.js';
import {ApiError, describeError, oneLine} from '../api/errors.js';
import {statuses, type ExportRecord} from '../api/types.js';
import {formatNumber} from '../text/numbers.js';
import {sanitize} from '../text/sanitize.js';
import {displayWidth, truncate} from '../text/width.js';
import {allowedStatuses, operationVerb} from '../state/operations.js';
import type {Operation} from '../state/types.js';
import type {AttachmentFetch} from './attachment.js';

export type BulkAction = Operation | 'download';

export type BulkPlan = {
	action: BulkAction;
	/** The marked exports the action applies to, in the order given. */
	allowed: ExportRecord[];
	/** Those whose status refuses it. */
	skipped: ExportRecord[];
};

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

export type BulkOutcome = {
	record: ExportRecord;
	/**
	 * done: the API said yes (or the file was saved); failed: it said no, or the request failed;
	 * skipped: the status refused the action, nothing was sent; stopped: the caller aborted before
	 * it was sent.
	 */
	result: 'done' | 'failed' | 'skipped' | 'stopped';
	/** The export as the API answered (interrupt, restart). */
	updated?: ExportRecord;
	/** Where the file was saved (download). */
	path?: string;
	/** Why it failed: one line. */
	reason?: string;
};

export type BulkProgress = {
	action: BulkAction;
	/** Requests answered (or failed) so far. */
	finished: number;
	/** Requests to send in all (the allowed exports). */
	total: number;
	/** The export on its way, if any. */
	current?: string;
	/** The pacer holds the current request until this time (ms since the epoch). */
	heldUntil?: number;
};

export type BulkReport = {
	action: BulkAction;
	/** One per marked export: the skipped first, then the others in the order they were sent. */
	outcomes: BulkOutcome[];
	done: number;
	failed: number;
	skipped: number;
	stopped: number;
};

export type BulkDownloadSettings = {
	/** --download-dir. */
	dir: string;
	gunzip: boolean;
	fetch?: AttachmentFetch;
};

export type BulkRunOptions = {
	client: Pick<ExportsClient, 'getExport' | 'updateExport' | 'deleteExport'>;
	plan: BulkPlan;
	/** Aborting stops every request not sent yet; a request already on the wire is let finish (a download is cancelled). */
	signal?: AbortSignal;
	onProgress?: (progress: BulkProgress) => void;
	/** Needed for a bulk download. */
	download?: BulkDownloadSettings;
};

/** One line for why a request failed: the API's words (a 422's detail names the attribute). */
export function failureReason(error: unknown): string {
	if (error instanceof ApiError) {
		const said = error.status === 422 || error.kind !== 'http' ? (error.detail ?? error.title) : error.title;
		return sanitize(oneLine(said));
	}

	return sanitize(describeError(error));
}

/**
 * Sends the action for every allowed export, one after another. Never rejects: every export ends in
 * the report (an abort leaves the ones not sent as `stopped`).
 */
export async function runBulk(options: BulkRunOptions): Promise<BulkReport> {
	const {plan, signal} = options;
	const {action} = plan;
	const outcomes: BulkOutcome[] = plan.skipped.map(record => ({record, result: 'skipped'}));
	const total = plan.allowed.length;
	let finished = 0;
	const progress = (current?: string, heldUntil?: number) => {
		try {
			options.onProgress?.({
				action,
				finished,
				total,
				...(current === undefined ? {} : {current}),
				...(heldUntil === undefined ? {} : {heldUntil}),
			});
		} catch {
			// A failing progress display must not stop the run.
		}
	};

	for (const record of plan.allowed) {
		if (signal?.aborted) {
			outcomes.push({record, result: 'stopped'});
			continue;
		}

		progress(record.id);
		const request = new AbortController();
		// After the request went on the wire the server may act on it: it is let finish, so that its
		// outcome is known. Until then (the pacer's wait, a retry's back-off after a 429) it stops.
		let onWire = false;
		const stop = () => {
			if (!onWire || action === 'download') {
				request.abort();
			}
		};

		signal?.addEventListener('abort', stop, {once: true});
		const tracking: RequestOptions = {
			onSend() {
				onWire = true;
			},
			onRetry() {
				onWire = false;
			},
			onHeld(until) {
				progress(record.id, until);
			},
		};
		try {
			outcomes.push({record, result: 'done', ...(await perform(options, record, request.signal, tracking))});
		} catch (error: unknown) {
			outcomes.push(request.signal.aborted ? {record, result: 'stopped'} : {record, result: 'failed', reason: failureReason(error)});
		} finally {
			signal?.removeEventListener('abort', stop);
		}

		finished++;
	}

	progress();
	const count = (result: BulkOutcome['result']) => outcomes.filter(outcome => outcome.result === result).length;
	return {action, outcomes, done: count('done'), failed: count('failed'), skipped: count('skipped'), stopped: count('stopped')};
}

async function perform(
	options: BulkRunOptions,
	record: ExportRecord,
	signal: AbortSignal,
	tracking: RequestOptions,
): Promise<Pick<BulkOutcome, 'updated' | 'path'>> {
	const {client} = options;
	// Work the user asked for once, for many exports: it leaves part of the rate limit free, so the
	// keys pressed while it runs still find room.
	const requestOptions: RequestOptions = {...tracking, background: true};
	switch (options.plan.action) {
		case 'interrupt': {
			return {updated: await client.updateExport(record.id, {_interrupt: true}, signal, requestOptions)};
		}

		case 'restart': {
			return {updated: await client.updateExport(record.id, {_start: true}, signal, requestOptions)};
		}

		case 'delete': {
			await client.deleteExport(record.id, signal, requestOptions);
			return {};
		}

		case 'download': {
			const settings = options.download;
			if (settings === undefined) {
				throw new Error('No download folder given');
			}

			// Loaded when a bulk download runs: the list never waits for the download code.
			const {downloadExport} = await import('./download.js');
			const saved = await downloadExport({
				client,
				id: record.id,
				format: record.attributes?.format,
				dir: settings.dir,
				gunzip: settings.gunzip,
				signal,
				...(settings.fetch ? {fetch: settings.fetch} : {}),
			});
			return {path: saved.path, updated: saved.record};
		}
	}
}

/** `Restarting 2 of 3 (XAyRWNUzyN)…`, and the wait when the pacer holds it. */
export function bulkProgressLine(progress: BulkProgress, now = Date.now()): string {
	const verb = verbOf(progress.action);
	const position = Math.min(progress.total, progress.finished + 1);
	const which = progress.current === undefined ? '' : ` (${sanitize(progress.current)})`;
	const wait =
		progress.heldUntil === undefined || progress.heldUntil <= now ? '' : ` · rate limit, next in ${Math.ceil((progress.heldUntil - now) / 1000)} s`;
	return `${verb.ing} ${formatNumber(position)} of ${formatNumber(progress.total)}${which}…${wait} · Esc stops`;
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
