// The pager: one reducer for the state, one hook for the requests, one hook for the keys, and the
// presentational components laid out in a fixed height budget so nothing ever wraps.
import React, {useEffect, useLayoutEffect, useMemo, useReducer, useState} from 'react';
import {Box, useApp, useStdout} from 'ink';
import type {ExportsClient} from '../api/client.js';
import type {SortKey} from '../api/sort.js';
import type {Filters} from '../api/types.js';
import type {DownloadFetch} from '../actions/download.js';
import {isAbortError} from '../api/errors.js';
import type {FirstPage} from '../state/first-page.js';
import {pageFailure} from '../state/failures.js';
import {initialState, type InitialOptions} from '../state/initial.js';
import {helpRows, hintsFor, type Binding} from '../state/keys.js';
import {fitTop} from '../state/list.js';
import {pageKey, stableStringify} from '../state/list-key.js';
import {filterStatuses, overviewFilters} from '../state/overview.js';
import {reducer} from '../state/reducer.js';
import {isLoading, missingPages, refreshedAt, selectedRecord, watchPaused, watchPeriodMs, windowRows} from '../state/selectors.js';
import type {State} from '../state/types.js';
import {formatSeconds, watchPlan} from '../state/watch-budget.js';
import {useCountdown} from '../hooks/use-countdown.js';
import {useExports} from '../hooks/use-exports.js';
import {useJobs, type ClipboardTarget} from '../hooks/use-jobs.js';
import {useKeys} from '../hooks/use-keys.js';
import {useOverview} from '../hooks/use-overview.js';
import {useTerminalSize} from '../hooks/use-terminal-size.js';
import {useWatch, type WatchTimers} from '../hooks/use-watch.js';
import {Footer, footerHeight, type FooterError} from './Footer.js';
import {FilterPrompt} from './FilterPrompt.js';
import {Header, type HeaderOverview} from './Header.js';
import {screenLayout} from './layout.js';
import {Table} from './Table.js';
import {visibleRowCount} from './table-layout.js';
import {UrlPanel, urlPanelHeight} from './UrlPanel.js';

/** What the App needs of the configuration (a `Config` fits). */
export type AppConfig = {
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

export type AppProps = {
	client: ExportsClient;
	config: AppConfig;
	/** The organization, host or `cl` application shown in the header. */
	source: string;
	demo: boolean;
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
	/** Page 1, asked for before the App mounted (cli.tsx): shown on the first frame if it is in. */
	first?: FirstPage;
};

// The detail pane and the help overlay are not on the first frame: load them after it.
type DetailModule = typeof import('./DetailPane.js');
type HelpModule = typeof import('./HelpOverlay.js');
let detailModule: DetailModule | undefined;
let helpModule: HelpModule | undefined;
let preloading: Promise<void> | undefined;

function preload(): Promise<void> {
	preloading ??= Promise.all([import('./DetailPane.js'), import('./HelpOverlay.js')]).then(([detail, help]) => {
		detailModule = detail;
		helpModule = help;
	});
	return preloading;
}

function useLazyModules(wanted: boolean): {detail?: DetailModule; help?: HelpModule} {
	const [, setLoaded] = useState(false);
	useEffect(() => {
		if (!wanted || (detailModule && helpModule)) {
			return;
		}

		let live = true;
		preload().then(
			() => {
				if (live) {
					setLoaded(true);
				}
			},
			() => {},
		);
		return () => {
			live = false;
		};
	}, [wanted]);
	return {detail: detailModule, help: helpModule};
}

function init({config, first}: {config: AppConfig; first?: FirstPage}): State {
	const options: InitialOptions = {
		pageSize: config.pageSize,
		sort: config.sort,
		filterText: config.filterText,
		filters: config.filters,
		readOnly: config.readOnly ?? false,
		...(config.watchSeconds === undefined ? {} : {watchSeconds: config.watchSeconds}),
	};
	const state = initialState(options);
	const firstKey = pageKey(state.key, 1);
	const outcome = first?.key === firstKey ? first.outcome : undefined;
	if (outcome === undefined) {
		return state;
	}

	// The answer is in before the first frame: the first frame shows it (or the error), no "Loading".
	if (outcome.ok) {
		return reducer(state, {type: 'pageLoaded', key: firstKey, page: outcome.page, at: outcome.at});
	}

	if (isAbortError(outcome.error)) {
		return state;
	}

	return reducer(state, {type: 'pageFailed', key: firstKey, ...pageFailure(outcome.error)});
}

/** The help's line for `w`, with the periods this session uses. */
function withWatchPlan(list: readonly Binding[], periodMs: number, apiMode: string | undefined): Binding[] {
	const plan = watchPlan(periodMs, apiMode);
	const counts = plan.overviewEvery > 1 ? `status counts every ${formatSeconds(plan.overviewPeriodMs)} (rate limits)` : 'status counts too';
	const description = `watch on/off: page every ${formatSeconds(plan.periodMs)}, ${counts}`;
	const brief = `watch on/off, every ${formatSeconds(plan.periodMs)}`;
	return list.map(binding => (binding.id === 'watch' ? {...binding, description, brief} : binding));
}

/** The footer's second line: the question, else an error, else the download, else the last notice. */
function footerMessage(state: State): {error?: FooterError; notice?: string; tone?: 'info' | 'question'} {
	if (state.mode === 'confirm' && state.confirm !== undefined) {
		return {notice: state.confirm.question, tone: 'question'};
	}

	if (state.error !== undefined) {
		return {error: state.error};
	}

	if (state.download !== undefined) {
		return {notice: `↓ ${state.download.id} ${state.download.text ?? ''} · Esc cancels`};
	}

	if (state.notice?.tone === 'error') {
		return {error: {title: state.notice.text}};
	}

	return state.notice === undefined ? {} : {notice: state.notice.text};
}

function emptyText(state: State): string {
	if (state.total === undefined) {
		return state.error === undefined ? 'Loading exports…' : 'Could not load exports.';
	}

	return Object.keys(state.query.filters).length > 0 ? 'No exports match the filter.' : 'No exports yet.';
}

export function App({client, config, source, demo, prefetch = true, debounceMs, now, timers, clipboard, downloadFetch, first}: AppProps) {
	const [state, dispatch] = useReducer(reducer, {config, first}, init);
	const {columns, rows} = useTerminalSize();
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

	useEffect(() => {
		if (state.quit) {
			exit();
		}
	}, [state.quit, exit]);

	const wantsLazy = state.total !== undefined || state.detailOpen || state.mode === 'help';
	const lazy = useLazyModules(wantsLazy);

	const record = selectedRecord(state);
	// The link `y` copied, in full, while its export is selected (Esc hides it).
	const copiedUrl =
		state.notice?.url !== undefined && state.notice.id === record?.id && state.mode !== 'filter' && state.mode !== 'help' ? state.notice.url : undefined;
	const message = footerMessage(state);
	const screen = screenLayout({
		columns,
		rows,
		prompt: state.mode === 'filter',
		detailOpen: state.detailOpen,
		footer: footerHeight(message, Math.max(1, columns)),
		...(copiedUrl === undefined ? {} : {urlLines: (max: number) => urlPanelHeight(copiedUrl, Math.max(1, columns), max)}),
	});
	const {width, height, body: bodyHeight} = screen;
	const {width: paneWidth, height: paneHeight} = screen.pane;
	const {width: tableWidth, height: tableHeight} = screen.table;
	const urlHeight = screen.url;

	// The reducer moves the window by screenfuls: it needs to know how many rows the table shows.
	// While the detail takes the whole screen there is no table: the window keeps its height, so
	// that going back finds the rows where they were.
	const visible = tableHeight > 0 ? visibleRowCount(tableHeight) : state.viewport;
	useLayoutEffect(() => {
		dispatch({type: 'viewportMeasured', rows: visible});
	}, [visible]);
	// Until the reducer has the new height, keep the selection inside the window drawn now.
	const top = fitTop(state.top, state.selection.index, visible, state.total ?? 0);
	const windowState = top === state.top && visible === state.viewport ? state : {...state, top, viewport: visible};
	const rowsShown = useMemo(
		() => windowRows(windowState),
		// eslint-disable-next-line react-hooks/exhaustive-deps
		[state.pages, state.key, top, visible, state.total, state.stale, state.failed],
	);

	const maxScroll = useMemo(() => {
		if (paneHeight === 0 || record === undefined || lazy.detail === undefined) {
			return 0;
		}

		return lazy.detail.maxDetailScroll(record, paneWidth, paneHeight);
	}, [record, lazy.detail, paneWidth, paneHeight]);
	// Before the frame is drawn, so a scroll key right after Enter already has its range.
	useLayoutEffect(() => {
		dispatch({type: 'detailMeasured', maxScroll});
	}, [maxScroll]);

	const hints = useMemo(() => hintsFor(state.mode), [state.mode]);
	const overviewKey = stableStringify(overviewFilters(state.query.filters));
	const plan = watchPlan(state.watch.periodMs, state.apiMode);
	const overviewNote = state.watch.on && plan.overviewEvery > 1 ? `counts every ${formatSeconds(plan.overviewPeriodMs * state.watch.slowdown)}` : undefined;
	const overview = useMemo<HeaderOverview>(
		() => ({
			counts: state.overview.counts,
			stale: state.overview.countsKey !== overviewKey,
			selected: filterStatuses(state.query.filters),
			error: state.overview.error,
			note: overviewNote,
		}),
		[state.overview.counts, state.overview.countsKey, state.overview.error, overviewKey, state.query.filters, overviewNote],
	);
	const helpBindings = useMemo(() => withWatchPlan(helpRows(), state.watch.periodMs, state.apiMode), [state.watch.periodMs, state.apiMode]);
	const watchNote = watchPaused(state) ? 'paused' : state.watch.slowdown > 1 ? (state.watch.slowedBy ?? 'slowed') : undefined;
	// A page the screen waits for, held by the client's pacer: the header counts down to it.
	const heldKey = state.held?.key;
	const heldWanted = heldKey !== undefined && missingPages(state).some(page => pageKey(state.key, page) === heldKey);
	const heldSeconds = useCountdown(heldWanted ? state.held?.until : undefined, now, timers);
	const filterError = state.filter.check.ok
		? undefined
		: {message: state.filter.check.error, start: state.filter.check.start, end: state.filter.check.end};

	let body: React.ReactNode;
	if (state.mode === 'help') {
		body = lazy.help ? (
			<lazy.help.HelpOverlay bindings={helpBindings} width={width} height={bodyHeight} readOnly={state.readOnly} page={state.helpPage} />
		) : undefined;
	} else {
		const table = (
			<Table
				rows={rowsShown}
				start={top}
				selectedIndex={state.selection.index}
				total={state.total}
				sort={state.query.sort}
				width={tableWidth}
				height={tableHeight}
				changedIds={state.changedIds}
				emptyText={emptyText(state)}
				layoutKey={state.key}
				day={new Date().toDateString()}
			/>
		);
		const pane =
			paneHeight > 0 && lazy.detail ? (
				<lazy.detail.DetailPane record={record} width={paneWidth} height={paneHeight} scroll={Math.min(state.detail.scroll, maxScroll)} />
			) : undefined;
		body = (
			<>
				{tableHeight > 0 ? table : undefined}
				{pane}
			</>
		);
	}

	return (
		// Every line is already cut to the width, so nothing is clipped sideways (Ink would slice each
		// line again); only downwards, where a tiny terminal leaves less room than the parts need.
		<Box flexDirection="column" width={width} height={height} overflowY="hidden">
			<Header
				source={source}
				demo={demo}
				apiMode={state.apiMode}
				filterText={state.query.filterText}
				sort={state.query.sort}
				recordCount={state.total}
				loading={isLoading(state)}
				heldSeconds={heldSeconds}
				refreshedAt={refreshedAt(state)}
				watchSeconds={state.watch.on ? watchPeriodMs(state) / 1000 : undefined}
				watchNote={watchNote}
				overview={overview}
				width={width}
			/>
			<Box flexDirection={state.mode === 'help' ? 'column' : screen.direction} height={bodyHeight} flexShrink={0} overflowY="hidden">
				{body}
			</Box>
			{state.mode === 'filter' ? (
				<FilterPrompt
					value={state.filter.draft}
					onChange={text => {
						dispatch({type: 'filterEdited', text, at: Date.now()});
					}}
					onSubmit={() => {
						dispatch({type: 'filterSubmitted'});
					}}
					error={filterError}
					width={width}
				/>
			) : undefined}
			{copiedUrl !== undefined && urlHeight > 0 ? <UrlPanel url={copiedUrl} width={width} height={urlHeight} /> : undefined}
			<Footer hints={hints} error={message.error} notice={message.notice} tone={message.tone} width={width} />
		</Box>
	);
}
