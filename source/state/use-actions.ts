// The side effects of the triage keys, each started by a job the reducer hands out (with its own
// number, so a late answer cannot land on a newer job):
// - `clipboard`: `y` retrieves the export again (its attachment_url expires 5 minutes after it is
//   issued) and copies the fresh link (to tmux's buffer under tmux, else with OSC 52); `Y` copies
//   the id. An OSC 52 sequence is written to the stdout Ink draws on, from a promise callback, so
//   never in the middle of a frame (Ink writes a frame synchronously), and OSC 52 moves no cursor,
//   so Ink's next frame still lines up.
// - `download`: `D`, with a progress line; Esc (the job goes away) aborts it, and downloadExport
//   leaves no partial file.
// - `job`: the confirmed interrupt / restart / delete.
import {useEffect, type Dispatch} from 'react';
import type {ExportsClient} from '../api/client.js';
import {isAbortError} from '../api/errors.js';
import {copyText, type ClipboardOptions} from '../actions/clipboard.js';
import {sanitize} from '../text/sanitize.js';
import type {Action, State} from './reducer.js';
import {errorLine} from './use-exports.js';

export type ClipboardTarget = Pick<ClipboardOptions, 'env' | 'isTTY' | 'write'>;

export type DownloadSettings = {
	/** --download-dir (default: the current directory). */
	dir: string;
	gunzip: boolean;
	/** Tests: another transfer (see downloadExport's `fetch`). */
	fetch?: import('../actions/download.js').DownloadFetch;
};

export type UseActionsOptions = {
	client: ExportsClient;
	state: State;
	dispatch: Dispatch<Action>;
	clipboard: ClipboardTarget;
	download: DownloadSettings;
};

/** One line for anything thrown. */
function messageOf(error: unknown): string {
	const line = errorLine(error);
	return line.detail === undefined ? line.title : `${line.title}: ${line.detail}`;
}

export function useActions({client, state, dispatch, clipboard, download}: UseActionsOptions): void {
	const copyJob = state.clipboard;
	useEffect(() => {
		if (copyJob === undefined) {
			return;
		}

		const {seq, what, id} = copyJob;
		const controller = new AbortController();
		const {signal} = controller;
		if (what === 'id') {
			void copyText(id, clipboard).then(result => {
				if (!signal.aborted) {
					dispatch({type: 'copyDone', seq, message: result.message, sent: result.sent});
				}
			});
			return () => {
				controller.abort();
			};
		}

		client.getExport(id, signal).then(
			record => {
				if (signal.aborted) {
					return;
				}

				const shownId = sanitize(id);
				const status = record.attributes.status;
				const url = record.attributes.attachment_url;
				if (status !== 'completed') {
					const state = typeof status === 'string' && status !== '' ? sanitize(status) : 'not completed';
					dispatch({type: 'copyFailed', seq, record, message: `Export ${shownId} is ${state}: it has no file (only completed exports have one)`});
				} else if (typeof url !== 'string' || url.trim() === '') {
					dispatch({type: 'copyFailed', seq, record, message: `Export ${shownId} is completed but has no attachment_url`});
				} else {
					return copyText(url, clipboard).then(result => {
						if (!signal.aborted) {
							dispatch({type: 'copyDone', seq, message: result.message, sent: result.sent, url, record});
						}
					});
				}

				return undefined;
			},
			(error: unknown) => {
				if (!signal.aborted && !isAbortError(error)) {
					dispatch({type: 'copyFailed', seq, message: `Could not retrieve export ${sanitize(id)}: ${messageOf(error)}`});
				}
			},
		);
		return () => {
			controller.abort();
		};
		// One run per job; the clipboard target does not change under a job.
		// eslint-disable-next-line react-hooks/exhaustive-deps
	}, [copyJob?.seq]);

	const downloadJob = state.download;
	useEffect(() => {
		if (downloadJob === undefined) {
			return;
		}

		const {seq, id, format} = downloadJob;
		const controller = new AbortController();
		const {signal} = controller;
		dispatch({type: 'downloadProgress', seq, text: `retrieving export ${sanitize(id)} for a fresh link…`});
		// Loaded on the first download: the first frame does not wait for the download code.
		import('../actions/download.js')
			.then(async ({downloadExport, describeProgress, formatBytes}) => {
				const result = await downloadExport({
					client,
					id,
					format,
					dir: download.dir,
					gunzip: download.gunzip,
					signal,
					...(download.fetch ? {fetch: download.fetch} : {}),
					onProgress(progress) {
						if (!signal.aborted) {
							dispatch({type: 'downloadProgress', seq, text: describeProgress(progress)});
						}
					},
				});
				if (!signal.aborted) {
					dispatch({type: 'downloadDone', seq, text: `Saved ${result.path} (${formatBytes(result.bytes)})`, record: result.record});
				}
			})
			.catch((error: unknown) => {
				if (!signal.aborted && !isAbortError(error)) {
					dispatch({type: 'downloadFailed', seq, message: messageOf(error)});
				}
			});
		return () => {
			controller.abort();
		};
		// eslint-disable-next-line react-hooks/exhaustive-deps
	}, [downloadJob?.seq]);

	const job = state.job;
	useEffect(() => {
		if (job === undefined) {
			return;
		}

		const {seq, action, id} = job;
		const controller = new AbortController();
		const {signal} = controller;
		const sent =
			action === 'delete'
				? client.deleteExport(id, signal).then(() => undefined)
				: client.updateExport(id, action === 'interrupt' ? {_interrupt: true} : {_start: true}, signal);
		sent.then(
			record => {
				if (!signal.aborted) {
					dispatch({type: 'actionDone', seq, record});
				}
			},
			(error: unknown) => {
				if (!signal.aborted && !isAbortError(error)) {
					dispatch({type: 'actionFailed', seq, message: messageOf(error)});
				}
			},
		);
		return () => {
			controller.abort();
		};
		// eslint-disable-next-line react-hooks/exhaustive-deps
	}, [job?.seq]);
}
