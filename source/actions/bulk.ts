// One action on every marked export, sent: interrupt, restart, delete or download. The plan and its
// words are the reducer's (state/bulk.ts); the runner sends one request after another through the
// client, whose pacer keeps them under the rate limit, and stops what has not been sent when the
// caller aborts; every export ends in the report, a failure with its reason.
import type {ExportsClient, RequestOptions} from '../api/client.js';
import {ApiError, describeError, oneLine} from '../api/errors.js';
import type {ExportRecord} from '../api/types.js';
import {sanitize} from '../text/sanitize.js';
import type {BulkOutcome, BulkPlan, BulkProgress, BulkReport} from '../state/types.js';
import type {AttachmentFetch} from './attachment.js';

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
			const status = error instanceof ApiError ? error.status : undefined;
			outcomes.push(
				request.signal.aborted
					? {record, result: 'stopped'}
					: {record, result: 'failed', reason: failureReason(error), ...(status === undefined ? {} : {status})},
			);
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
