// The pager as a hook: the reducer's state, and every effect that follows it (the keys, the page
// requests, the status counts, the watch timer, the jobs: copy, download, operations, peek,
// duplicate, bulk actions), and quitting. The App is then a view of `state`.
import {useEffect, useMemo, useReducer, type Dispatch} from 'react';
import {useApp, useStdout} from 'ink';
import type {ExportsClient} from '../api/client.js';
import type {SortKey} from '../api/sort.js';
import type {Filters} from '../api/types.js';
import type {DownloadFetch} from '../actions/download.js';
import {initialState} from '../state/initial.js';
import {reducer} from '../state/reducer.js';
import type {Action, State} from '../state/types.js';
import {firstPageAction, type FirstPage} from './page-requests.js';
import {useExports} from './use-exports.js';
import {useJobs, type ClipboardTarget} from './use-jobs.js';
import {useKeys} from './use-keys.js';
import {useTriageJobs} from './use-triage-jobs.js';
import {useOverview} from './use-overview.js';
import {useWatch, type WatchTimers} from './use-watch.js';

/** What the pager needs of the configuration (a `Config` fits). */
export type PagerConfig = {
	pageSize: number;
	sort: SortKey[];
	filterText: string;
	filters: Filters;
	readOnly?: boolean;
	/** --watch SECONDS: start with watch on. */
	watchSeconds?: number;
	/** --download-dir (default: the current directory). */
	downloadDir?: string;
	gunzip?: boolean;
};

export type PagerOptions = {
	client: ExportsClient;
	config: PagerConfig;
	/** Fetch the next page ahead (default on; the benchmark turns it off to compare). */
	prefetch?: boolean;
	/** Filter typing quiet time (ms). */
	debounceMs?: number;
	/** The clock for refresh times (tests move it). */
	now?: () => number;
	/** The watch timer (tests fire it). */
	timers?: WatchTimers;
	/** Where OSC 52 goes: by default the stdout Ink draws on, process.env and its isTTY. */
	clipboard?: Partial<ClipboardTarget>;
	/** Tests: another transfer for `D`. */
	downloadFetch?: DownloadFetch;
	/** Page 1, asked for before the pager mounted (interactive.ts): shown on the first frame if it is in. */
	first?: FirstPage;
};

/** The state the pager opens with: the configuration's, and page 1 when its answer is already in. */
function init({config, first}: Pick<PagerOptions, 'config' | 'first'>): State {
	const state = initialState({
		pageSize: config.pageSize,
		sort: config.sort,
		filterText: config.filterText,
		filters: config.filters,
		readOnly: config.readOnly ?? false,
		...(config.watchSeconds === undefined ? {} : {watchSeconds: config.watchSeconds}),
	});
	const action = firstPageAction(state.key, first);
	return action === undefined ? state : reducer(state, action);
}

export function usePager({client, config, prefetch = true, debounceMs, now, timers, clipboard, downloadFetch, first}: PagerOptions): {state: State; dispatch: Dispatch<Action>} {
	const [state, dispatch] = useReducer(reducer, {config, first}, init);
	const {exit} = useApp();
	const {stdout} = useStdout();
	const clipboardTarget = useMemo<ClipboardTarget>(
		() => ({
			env: clipboard?.env ?? process.env,
			isTTY: clipboard?.isTTY ?? Boolean(stdout.isTTY),
			write: clipboard?.write ?? (data => stdout.write(data)),
		}),
		[clipboard, stdout],
	);
	const downloadSettings = useMemo(
		() => ({dir: config.downloadDir ?? process.cwd(), gunzip: config.gunzip ?? false, ...(downloadFetch ? {fetch: downloadFetch} : {})}),
		[config.downloadDir, config.gunzip, downloadFetch],
	);

	useKeys(state.mode, dispatch);
	useExports({client, state, dispatch, prefetch, debounceMs, first, ...(now ? {now} : {})});
	useOverview({client, state, dispatch});
	useWatch({state, dispatch, ...(timers ? {timers} : {})});
	useJobs({client, state, dispatch, clipboard: clipboardTarget, download: downloadSettings});
	useTriageJobs({client, state, dispatch, download: downloadSettings});

	useEffect(() => {
		if (state.quit) {
			exit();
		}
	}, [state.quit, exit]);

	return {state, dispatch};
}
