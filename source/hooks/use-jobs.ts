// The jobs the reducer hands out (jobs.ts), each with its own number so that a late answer cannot
// land on a newer job, carried out here:
// - `clipboard`: `y` retrieves the export again (its attachment_url expires 5 minutes after it is
//   issued) and copies the fresh link (to tmux's buffer under tmux, else with OSC 52); `Y` copies
//   the id. An OSC 52 sequence is written to the stdout Ink draws on, from a promise callback, so
//   never in the middle of a frame (Ink writes a frame synchronously), and OSC 52 moves no cursor,
//   so Ink's next frame still lines up.
// - `download`: `D`, with a progress line; Esc (the job goes away) aborts it, and downloadExport
//   leaves no partial file.
// - `operation`: the confirmed interrupt / restart / delete.
import {useEffect, type Dispatch} from 'react';
import type {ExportsClient} from '../api/client.js';
import {isAbortError} from '../api/errors.js';
import {copyText, type ClipboardOptions} from '../actions/clipboard.js';
import type {DownloadFetch} from '../actions/download.js';
import {sanitize} from '../text/sanitize.js';
import {errorLine} from '../state/failures.js';
import type {Action, State} from '../state/types.js';

export type ClipboardTarget = Pick<ClipboardOptions, 'env' | 'isTTY' | 'write'>;

export type DownloadSettings = {
	/** --download-dir (default: the current directory). */
	dir: string;
	gunzip: boolean;
	/** Tests: another transfer (see downloadExport's `fetch`). */
	fetch?: DownloadFetch;
};

export type UseJobsOptions = {
	client: ExportsClient;
	state: State;
	dispatch: Dispatch<Action>;
	clipboard: ClipboardTarget;
	download: DownloadSettings;
};

/** Dispatches an action while its job is still the current one. */
export type Send = (action: Action) => void;

/**
 * Runs a job once, when the reducer hands it out (a new `seq`), and aborts it when it goes away
 * (answered, cancelled with Esc, replaced) or the view unmounts. Nothing it sends after that
 * reaches the reducer; what it throws, but for an abort, becomes the `failed` action.
 */
export function useJob<J extends {seq: number}>(
	job: J | undefined,
	dispatch: Dispatch<Action>,
	run: (job: J, send: Send, signal: AbortSignal) => Promise<void>,
	failed: (job: J, error: unknown) => Action,
): void {
	useEffect(() => {
		if (job === undefined) {
			return;
		}

		const controller = new AbortController();
		const {signal} = controller;
		const send: Send = action => {
			if (!signal.aborted) {
				dispatch(action);
			}
		};

		run(job, send, signal).catch((error: unknown) => {
			if (!isAbortError(error)) {
				send(failed(job, error));
			}
		});
		return () => {
			controller.abort();
		};
		// One run per job: the rest (the client, the clipboard target, the settings) does not change under a job.
		// eslint-disable-next-line react-hooks/exhaustive-deps
	}, [job?.seq]);
}

/** One line for anything thrown. */
export function messageOf(error: unknown): string {
	const line = errorLine(error);
	return line.detail === undefined ? line.title : `${line.title}: ${line.detail}`;
}

export function useJobs({client, state, dispatch, clipboard, download}: UseJobsOptions): void {
	useJob(
		state.clipboard,
		dispatch,
		async ({seq, what, id}, send, signal) => {
			if (what === 'id') {
				const result = await copyText(id, clipboard);
				send({type: 'copyDone', seq, message: result.message, sent: result.sent});
				return;
			}

			const record = await client.getExport(id, signal);
			if (signal.aborted) {
				return;
			}

			const shownId = sanitize(id);
			const status = record.attributes.status;
			const url = record.attributes.attachment_url;
			if (status !== 'completed') {
				const state = typeof status === 'string' && status !== '' ? sanitize(status) : 'not completed';
				send({type: 'copyFailed', seq, record, message: `Export ${shownId} is ${state}: it has no file (only completed exports have one)`});
			} else if (typeof url !== 'string' || url.trim() === '') {
				send({type: 'copyFailed', seq, record, message: `Export ${shownId} is completed but has no attachment_url`});
			} else {
				const result = await copyText(url, clipboard);
				send({type: 'copyDone', seq, message: result.message, sent: result.sent, url, record});
			}
		},
		({seq, id}, error) => ({type: 'copyFailed', seq, message: `Could not retrieve export ${sanitize(id)}: ${messageOf(error)}`}),
	);

	useJob(
		state.download,
		dispatch,
		async ({seq, id, format}, send, signal) => {
			send({type: 'downloadProgress', seq, text: `retrieving export ${sanitize(id)} for a fresh link…`});
			// Loaded on the first download: the first frame does not wait for the download code.
			const {downloadExport, describeProgress, formatBytes} = await import('../actions/download.js');
			const result = await downloadExport({
				client,
				id,
				format,
				dir: download.dir,
				gunzip: download.gunzip,
				signal,
				...(download.fetch ? {fetch: download.fetch} : {}),
				onProgress(progress) {
					send({type: 'downloadProgress', seq, text: describeProgress(progress)});
				},
			});
			send({type: 'downloadDone', seq, text: `Saved ${result.path} (${formatBytes(result.bytes)})`, record: result.record});
		},
		({seq}, error) => ({type: 'downloadFailed', seq, message: messageOf(error)}),
	);

	useJob(
		state.operation,
		dispatch,
		async ({seq, kind, id}, send, signal) => {
			const record =
				kind === 'delete'
					? await client.deleteExport(id, signal).then(() => undefined)
					: await client.updateExport(id, kind === 'interrupt' ? {_interrupt: true} : {_start: true}, signal);
			send({type: 'operationDone', seq, record});
		},
		({seq}, error) => ({type: 'operationFailed', seq, message: messageOf(error)}),
	);
}
