// The triage jobs the reducer hands out (state/peek.ts, duplicate.ts, bulk.ts), carried out here:
// - `peek`: `v` reads the first records of the selected export's file (a fresh link, streamed
//   through gunzip into a JSON or CSV parser, stopped once enough is read; nothing written to
//   disk). Esc closes the overlay: the job goes away and the reading is aborted.
// - `duplicate`: the confirmed `c`, `POST /api/exports` with the parameters the question showed.
// - `bulk`: the confirmed action on the marked exports, one request after another through the
//   client's pacer. Esc stops what has not been sent: the job stays until its report is in, so the
//   result line can say what was done and what was not.
import {useLayoutEffect, useRef, type Dispatch} from 'react';
import type {ExportsClient} from '../api/client.js';
import {duplicateFailure} from '../actions/duplicate.js';
import type {Action, BulkPlan, BulkReport, State} from '../state/types.js';
import {messageOf, useJob, type DownloadSettings} from './use-jobs.js';

export type UseTriageJobsOptions = {
	client: ExportsClient;
	state: State;
	dispatch: Dispatch<Action>;
	/** Where a bulk download saves the files, and the transfer peek and download use. */
	download: DownloadSettings;
};

/** Every allowed export failed for one reason (the runner could not even start). */
function failedReport(plan: BulkPlan, reason: string): BulkReport {
	const outcomes = [
		...plan.skipped.map(record => ({record, result: 'skipped' as const})),
		...plan.allowed.map(record => ({record, result: 'failed' as const, reason})),
	];
	return {action: plan.action, outcomes, done: 0, failed: plan.allowed.length, skipped: plan.skipped.length, stopped: 0};
}

export function useTriageJobs({client, state, dispatch, download}: UseTriageJobsOptions): void {
	useJob(
		state.peek,
		dispatch,
		async ({seq, id}, send, signal) => {
			// Loaded on the first peek: the parsers are not on the way to the first frame.
			const {peekExport} = await import('../actions/peek.js');
			const result = await peekExport({
				client,
				id,
				signal,
				...(download.fetch ? {fetch: download.fetch} : {}),
				onProgress(progress) {
					send({type: 'peekProgress', seq, read: progress.records});
				},
			});
			send({type: 'peekLoaded', seq, content: {format: result.format, columns: result.columns, records: result.records, complete: result.complete}});
		},
		({seq}, error) => ({type: 'peekFailed', seq, message: messageOf(error)}),
	);

	useJob(
		state.duplicate,
		dispatch,
		async ({seq, attributes}, send, signal) => {
			const created = await client.createExport(attributes, signal);
			send({type: 'duplicateDone', seq, created});
		},
		({seq}, error) => ({type: 'duplicateFailed', seq, message: duplicateFailure(error)}),
	);

	// Esc stops the run (not the job): the requests not sent yet are dropped, the report still comes.
	const stop = useRef<{seq: number; controller: AbortController} | undefined>(undefined);
	useJob(
		state.bulk,
		dispatch,
		async ({seq, plan}, send, signal) => {
			const controller = new AbortController();
			stop.current = {seq, controller};
			const onAbort = () => {
				controller.abort();
			};

			signal.addEventListener('abort', onAbort, {once: true});
			try {
				const {runBulk} = await import('../actions/bulk.js');
				const report = await runBulk({
					client,
					plan,
					signal: controller.signal,
					download,
					onProgress(progress) {
						send({type: 'bulkProgress', seq, progress});
					},
				});
				send({type: 'bulkDone', seq, report});
			} finally {
				signal.removeEventListener('abort', onAbort);
			}
		},
		({seq, plan}, error) => ({type: 'bulkDone', seq, report: failedReport(plan, messageOf(error))}),
	);
	const stopping = state.bulk?.stopping === true ? state.bulk.seq : undefined;
	// In the commit that draws "stopping": no request goes out after the screen said none would.
	useLayoutEffect(() => {
		if (stopping !== undefined && stop.current?.seq === stopping) {
			stop.current.controller.abort();
		}
	}, [stopping]);
}
