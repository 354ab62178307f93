// The pager: one reducer for the state, one hook for the requests, one hook for the keys, and the
// presentational components laid out in a fixed height budget so nothing ever wraps.
import React, {useEffect, useLayoutEffect, useMemo, useReducer, useState} from 'react';
import {Box, useApp} from 'ink';
import type {ExportsClient} from '../api/client.js';
import type {SortKey} from '../api/sort.js';
import type {Filters} from '../api/types.js';
import {initialState, reducer, selectedRecord, type InitialOptions, type State} from '../state/reducer.js';
import {useExports} from '../state/use-exports.js';
import {Footer} from './Footer.js';
import {FilterPrompt, filterPromptHeight} from './FilterPrompt.js';
import {Header} from './Header.js';
import {bindings, hintsFor} from './keymap.js';
import {Table} from './Table.js';
import {useKeys} from './use-keys.js';
import {useTerminalSize} from './use-terminal-size.js';

/** What the App needs of the configuration (a `Config` fits). */
export type AppConfig = {pageSize: number; sort: SortKey[]; filterText: string; filters: Filters; readOnly?: boolean};

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
};

/** Lines of chrome around the table. */
export const layout = {header: 2, footer: 2, prompt: filterPromptHeight, wideColumns: 120} as const;

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

function init(config: AppConfig): State {
	const options: InitialOptions = {pageSize: config.pageSize, sort: config.sort, filterText: config.filterText, filters: config.filters};
	return initialState(options);
}

function emptyText(state: State): string {
	if (state.rowsKey === undefined) {
		return state.error === undefined ? 'Loading exports…' : 'Could not load exports.';
	}

	return Object.keys(state.query.filters).length > 0 ? 'No exports match the filter.' : 'No exports yet.';
}

export function App({client, config, source, demo, prefetch = true, debounceMs}: AppProps) {
	const [state, dispatch] = useReducer(reducer, config, init);
	const {columns, rows} = useTerminalSize();
	const {exit} = useApp();

	useKeys(state.mode, dispatch);
	useExports({client, state, dispatch, prefetch, debounceMs});

	useEffect(() => {
		if (state.quit) {
			exit();
		}
	}, [state.quit, exit]);

	const wantsLazy = state.rowsKey !== undefined || state.detailOpen || state.mode === 'help';
	const lazy = useLazyModules(wantsLazy);

	// Ink 6.8 clears the whole screen on every frame once the output is as tall as the terminal.
	const height = Math.max(1, rows - 1);
	const width = Math.max(1, columns);
	const promptHeight = state.mode === 'filter' ? layout.prompt : 0;
	const bodyHeight = Math.max(0, height - layout.header - layout.footer - promptHeight);
	const wide = width >= layout.wideColumns;
	const paneWidth = state.detailOpen ? (wide ? Math.max(40, Math.floor(width * 0.4)) : width) : 0;
	const paneHeight = state.detailOpen ? (wide ? bodyHeight : Math.min(bodyHeight, Math.max(4, Math.round(bodyHeight * 0.45)))) : 0;
	const tableWidth = state.detailOpen && wide ? width - paneWidth : width;
	const tableHeight = state.detailOpen && !wide ? bodyHeight - paneHeight : bodyHeight;
	const record = selectedRecord(state);

	const maxScroll = useMemo(() => {
		if (!state.detailOpen || record === undefined || lazy.detail === undefined) {
			return 0;
		}

		return lazy.detail.maxDetailScroll(record, paneWidth, paneHeight);
	}, [state.detailOpen, record, lazy.detail, paneWidth, paneHeight]);
	// Before the frame is drawn, so a scroll key right after Enter already has its range.
	useLayoutEffect(() => {
		dispatch({type: 'detailMeasured', maxScroll});
	}, [maxScroll]);

	const hints = useMemo(() => hintsFor(state.mode), [state.mode]);
	const filterError = state.filter.check.ok
		? undefined
		: {message: state.filter.check.error, start: state.filter.check.start, end: state.filter.check.end};

	let body: React.ReactNode;
	if (state.mode === 'help') {
		body = lazy.help ? (
			<lazy.help.HelpOverlay bindings={[...bindings]} width={width} height={bodyHeight} readOnly={config.readOnly ?? false} />
		) : undefined;
	} else {
		const table = (
			<Table
				rows={state.rows}
				selectedIndex={state.selection.index}
				sort={state.query.sort}
				width={tableWidth}
				height={tableHeight}
				emptyText={emptyText(state)}
			/>
		);
		const pane =
			state.detailOpen && lazy.detail ? (
				<lazy.detail.DetailPane record={record} width={paneWidth} height={paneHeight} scroll={Math.min(state.detail.scroll, maxScroll)} />
			) : undefined;
		body = (
			<Box flexDirection={wide ? 'row' : 'column'} height={bodyHeight} overflow="hidden">
				{tableHeight > 0 ? table : undefined}
				{pane}
			</Box>
		);
	}

	return (
		<Box flexDirection="column" width={width} height={height} overflow="hidden">
			<Box height={layout.header} flexShrink={0} overflow="hidden">
				<Header
					source={source}
					demo={demo}
					apiMode={state.apiMode}
					filterText={state.query.filterText}
					sort={state.query.sort}
					page={state.query.page}
					pageCount={state.pageCount}
					recordCount={state.recordCount}
					loading={state.loading !== undefined}
					refreshedAt={state.refreshedAt}
					width={width}
				/>
			</Box>
			<Box height={bodyHeight} flexShrink={0} overflow="hidden">
				{body}
			</Box>
			{state.mode === 'filter' ? (
				<Box height={layout.prompt} flexShrink={0} overflow="hidden">
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
				</Box>
			) : undefined}
			<Box height={layout.footer} flexShrink={0} overflow="hidden">
				<Footer hints={hints} error={state.error} width={width} />
			</Box>
		</Box>
	);
}
