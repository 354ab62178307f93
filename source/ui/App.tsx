// The pager's view: the state (usePager: the reducer and its effects) drawn in a fixed height
// budget (layout.ts), so nothing ever wraps: the header, the table and the detail pane, or the
// help or the peek overlay, the filter prompt, the copied link and the footer.
import React, {useCallback, useMemo} from 'react';
import {Box} from 'ink';
import {useCountdown} from '../hooks/use-countdown.js';
import {useDetailScroll} from '../hooks/use-detail-scroll.js';
import {usePager, type PagerOptions} from '../hooks/use-pager.js';
import {useTableWindow} from '../hooks/use-table-window.js';
import {useTerminalSize} from '../hooks/use-terminal-size.js';
import {helpRows, hintsFor} from '../state/keys.js';
import {stableStringify} from '../state/list-key.js';
import {filterStatuses, overviewFilters} from '../state/overview.js';
import {isLoading, refreshedAt, selectedRecord, watchPeriodMs} from '../state/selectors.js';
import {FilterPrompt} from './FilterPrompt.js';
import {Footer, footerHeight} from './Footer.js';
import {Header, type HeaderOverview} from './Header.js';
import {screenLayout} from './layout.js';
import {useLazyModules} from './lazy.js';
import {Table} from './Table.js';
import {visibleRowCount} from './table-layout.js';
import {UrlPanel, urlPanelHeight} from './UrlPanel.js';
import {copiedUrl, emptyText, filterError, footerMessage, heldUntil, overviewNote, watchNote, withWatchPlan} from './view-model.js';

export type AppProps = PagerOptions & {
	/** The organization, host or `cl` application shown in the header. */
	source: string;
	demo: boolean;
};

export function App({source, demo, ...pager}: AppProps) {
	const {state, dispatch} = usePager(pager);
	const {columns, rows} = useTerminalSize();
	const lazy = useLazyModules(state.total !== undefined || state.detailOpen || state.mode === 'help' || state.mode === 'peek');

	const record = selectedRecord(state);
	const url = copiedUrl(state, record);
	// The bulk action's line counts down while the pacer holds a request: redrawn each second then.
	useCountdown(state.bulk?.progress?.heldUntil, pager.now, pager.timers);
	const message = footerMessage(state, (pager.now ?? Date.now)());
	const screen = screenLayout({
		columns,
		rows,
		prompt: state.mode === 'filter',
		detailOpen: state.detailOpen,
		footer: footerHeight(message, Math.max(1, columns)),
		...(url === undefined ? {} : {urlLines: (max: number) => urlPanelHeight(url, Math.max(1, columns), max)}),
	});
	const {width, height, body: bodyHeight, pane, table} = screen;

	// While the detail takes the whole screen there is no table: the window keeps its height, so
	// that going back finds the rows where they were.
	const shown = useTableWindow(state, dispatch, table.height > 0 ? visibleRowCount(table.height) : state.viewport);

	const maxScroll = useDetailScroll(dispatch, record, pane, lazy.detail?.maxDetailScroll);

	const hints = useMemo(() => hintsFor(state.mode), [state.mode]);
	const overviewKey = stableStringify(overviewFilters(state.query.filters));
	const note = overviewNote(state);
	const overview = useMemo<HeaderOverview>(
		() => ({
			counts: state.overview.counts,
			stale: state.overview.countsKey !== overviewKey,
			selected: filterStatuses(state.query.filters),
			error: state.overview.error,
			note,
		}),
		[state.overview.counts, state.overview.countsKey, state.overview.error, overviewKey, state.query.filters, note],
	);
	const helpBindings = useMemo(() => withWatchPlan(helpRows(), state.watch.periodMs, state.apiMode), [state.watch.periodMs, state.apiMode]);
	const heldSeconds = useCountdown(heldUntil(state), pager.now, pager.timers);
	const onPeekMeasure = useCallback((measure: {maxRow: number; maxColumn: number; pageRows: number}) => {
		dispatch({type: 'peekMeasured', ...measure});
	}, [dispatch]);

	let body: React.ReactNode;
	if (state.mode === 'help') {
		body = lazy.help ? <lazy.help.HelpOverlay bindings={helpBindings} width={width} height={bodyHeight} readOnly={state.readOnly} page={state.helpPage} /> : undefined;
	} else if (state.mode === 'peek' && state.peek !== undefined) {
		body = lazy.peek ? <lazy.peek.PeekOverlay peek={state.peek} width={width} height={bodyHeight} onMeasure={onPeekMeasure} /> : undefined;
	} else {
		body = (
			<>
				{table.height > 0 ? (
					<Table
						rows={shown.rows}
						start={shown.top}
						selectedIndex={state.selection.index}
						total={state.total}
						sort={state.query.sort}
						width={table.width}
						height={table.height}
						changedIds={state.changedIds}
						marks={state.marks}
						emptyText={emptyText(state)}
						layoutKey={state.key}
						day={new Date().toDateString()}
					/>
				) : undefined}
				{pane.height > 0 && lazy.detail ? <lazy.detail.DetailPane record={record} width={pane.width} height={pane.height} scroll={Math.min(state.detail.scroll, maxScroll)} /> : undefined}
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
				marked={state.marks.size}
				loading={isLoading(state)}
				heldSeconds={heldSeconds}
				refreshedAt={refreshedAt(state)}
				watchSeconds={state.watch.on ? watchPeriodMs(state) / 1000 : undefined}
				watchNote={watchNote(state)}
				overview={overview}
				width={width}
			/>
			<Box flexDirection={state.mode === 'help' || state.mode === 'peek' ? 'column' : screen.direction} height={bodyHeight} flexShrink={0} overflowY="hidden">
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
					error={filterError(state)}
					width={width}
				/>
			) : undefined}
			{url !== undefined && screen.url > 0 ? <UrlPanel url={url} width={width} height={screen.url} /> : undefined}
			<Footer hints={hints} error={message.error} notice={message.notice} tone={message.tone} width={width} />
		</Box>
	);
}
