// Two lines above the table: where the data comes from (and whether it is live or the demo),
// then what is shown (filter, sort, how many exports, how many marked). Never wraps: each line is cut to the width. The
// loading mark is static text, because an animated spinner costs a redraw (and bytes over SSH)
// several times a second.
import React, {memo} from 'react';
import {Box, Text} from 'ink';
import type {SortKey} from '../api/sort.js';
import {statuses, type KnownStatus} from '../api/types.js';
import type {StatusCounts} from '../state/types.js';
import {sanitize} from '../text/sanitize.js';
import {formatClock} from '../text/dates.js';
import {formatNumber} from '../text/numbers.js';
import {displayWidth, segmentsWidth, truncate, truncateSegments, type Segment} from '../text/width.js';
import {useTheme, type Theme} from './theme.js';

export type HeaderProps = {
	/** The organization or host, e.g. `acme.commercelayer.io` or `cl app acme-int`. */
	source: string;
	demo: boolean;
	/** `test` or `live`, from the API's `meta.mode`. */
	apiMode?: string;
	filterText: string;
	sort: SortKey[];
	/** How many exports the list has; undefined while a new list loads. */
	recordCount?: number;
	/** How many exports are marked (Space), whatever list they are in. */
	marked?: number;
	loading: boolean;
	/** The client's pacer holds the page being loaded for this many more seconds (said instead of "loading"). */
	heldSeconds?: number;
	/** When the shown page was last fetched (ms). */
	refreshedAt?: number;
	/** Watch is on, refreshing every this many seconds. */
	watchSeconds?: number;
	/** `paused` (prompt or question open), or beside the period, e.g. `429` when slowed by rate limiting. */
	watchNote?: string;
	/** The third line: counts per status (the status overview); no third line without it. */
	overview?: HeaderOverview;
	width: number;
};

export type HeaderOverview = {
	counts?: StatusCounts;
	/** The counts are for another filter (new ones are on their way): shown dimmed. */
	stale?: boolean;
	/** The statuses the filter lets through (highlighted), undefined when it has no status term. */
	selected?: ReadonlySet<KnownStatus>;
	error?: string;
	/** e.g. `counts every 10 s` when watch refreshes them less often than the page. */
	note?: string;
};

/** Lines the header takes with and without the overview. */
export function headerHeight(overview: boolean): number {
	return overview ? 3 : 2;
}

function Line({segments, width}: {segments: Segment[]; width: number}) {
	const cut = truncateSegments(segments, width);
	return (
		<Text wrap="truncate-end">
			{cut.map((segment, index) => (
				segment.color || segment.bold || segment.inverse || segment.dimColor ? (
					<Text key={index} color={segment.color} bold={segment.bold} inverse={segment.inverse} dimColor={segment.dimColor}>
						{segment.text}
					</Text>
				) : (
					segment.text
				)
			))}
		</Text>
	);
}

/**
 * `left`, then the `right` groups pushed to the right edge. When they do not all fit, groups are
 * dropped from the end (the least important last); the line is finally cut to the width.
 */
function spread(left: Segment[], right: Segment[][], width: number): Segment[] {
	for (let count = right.length; count > 0; count--) {
		const groups = right.slice(0, count);
		const joined = groups.flatMap((group, index) => (index === 0 ? group : [{text: ' · '}, ...group]));
		const gap = width - segmentsWidth(left) - segmentsWidth(joined);
		if (gap >= 2) {
			return [...left, {text: ' '.repeat(gap)}, ...joined];
		}
	}

	return left;
}

export function sortLabel(sort: readonly SortKey[]): string {
	if (sort.length === 0) {
		return 'default order';
	}

	return sort.map(key => `${key.field} ${key.descending ? '↓' : '↑'}`).join(', ');
}

/** `140 exports`: the whole list (where the window is in it, the table's border says). */
export function countLabel(recordCount?: number): string {
	if (recordCount === undefined) {
		return '… exports';
	}

	return `${formatNumber(recordCount)} ${recordCount === 1 ? 'export' : 'exports'}`;
}

function firstLine(props: HeaderProps, theme: Theme): Segment[] {
	// Mode and DEMO must stay visible: the source is cut to make room for them, and the program
	// name is shown only when there is room to spare.
	const tail: Segment[] = [];
	const mode = props.apiMode ? sanitize(props.apiMode) : undefined;
	if (mode) {
		tail.push({text: ' · '}, mode === 'live' ? {text: 'live', bold: true, color: theme.live} : {text: mode, color: theme.muted});
	}

	if (props.demo) {
		tail.push({text: ' '}, {text: ' DEMO ', inverse: true, bold: true, color: theme.demo});
	}

	const name: Segment[] = props.width >= 70 ? [{text: 'cl-exports', bold: true}, {text: '  '}] : [];
	const source = sanitize(props.source);
	const room = Math.max(8, props.width - segmentsWidth(name) - segmentsWidth(tail));
	const left: Segment[] = [...name, {text: truncate(source, room), bold: name.length === 0}, ...tail];

	const right: Segment[][] = [];
	if (props.loading) {
		right.push([{text: props.heldSeconds === undefined ? '⋯ loading' : `rate limit · next request in ${props.heldSeconds} s`, color: theme.loading}]);
	}

	if (props.watchSeconds !== undefined) {
		// Short, so that the refresh clock still fits beside it on 80 columns.
		const text = props.watchNote === 'paused' ? 'watch paused' : `watch ${props.watchSeconds} s${props.watchNote ? ` (${props.watchNote})` : ''}`;
		right.push([{text, color: theme.accent}]);
	}

	if (props.refreshedAt !== undefined) {
		right.push([{text: `refreshed ${formatClock(props.refreshedAt)}`, color: theme.muted}]);
	}

	return spread(left, right, props.width);
}

function secondLine(props: HeaderProps, theme: Theme): Segment[] {
	const sort: Segment[] = [{text: 'sort ', color: theme.muted}, {text: sortLabel(props.sort)}];
	const page: Segment[] = [{text: countLabel(props.recordCount), color: props.recordCount === undefined ? theme.muted : undefined}];
	if (props.marked !== undefined && props.marked > 0) {
		page.push({text: ' · '}, {text: `${formatNumber(props.marked)} marked`, bold: true, color: theme.accent});
	}

	const right = [...sort, {text: ' · '}, ...page];
	const filter = sanitize(props.filterText).trim();
	const label: Segment = {text: 'filter ', color: theme.muted};
	const value: Segment = filter === '' ? {text: 'none', color: theme.muted} : {text: `/${filter}`, color: theme.accent};
	// The filter gives way first: it is cut so that sort and page stay whole.
	const room = props.width - segmentsWidth(right) - 2 - displayWidth(label.text);
	if (room >= 6) {
		return spread([label, {...value, text: truncate(value.text, room)}], [sort, page], props.width);
	}

	// Too narrow for all three: the count first, then the filter (cut at the edge).
	return [...page, {text: '  '}, label, value];
}

type OverviewStyle = {keys: boolean; words: boolean};

/** From the most to the least telling: `1○ 3 pending`, `○ 3 pending`, `1○3`, `○3`. */
const overviewStyles: OverviewStyle[] = [
	{keys: true, words: true},
	{keys: false, words: true},
	{keys: true, words: false},
	{keys: false, words: false},
];

function overviewGroup(status: KnownStatus, index: number, overview: HeaderOverview, style: OverviewStyle, theme: Theme): Segment[] {
	const count = overview.counts?.[status];
	const number = count === undefined ? '…' : formatNumber(count);
	const chosen = overview.selected === undefined || overview.selected.has(status);
	const dim = overview.stale === true || !chosen;
	const symbol = theme.status[status];
	const segments: Segment[] = [];
	if (style.keys) {
		segments.push({text: String(index + 1), bold: true, color: dim ? theme.muted : theme.key});
	}

	segments.push({text: symbol.symbol, color: dim ? theme.muted : symbol.color});
	const label = style.words ? ` ${number} ${status}` : number;
	// The statuses the filter lets through stand out; the others are there to be toggled in.
	segments.push({text: label, bold: overview.selected !== undefined && chosen, color: dim ? theme.muted : undefined, dimColor: dim && theme.noColor});
	return segments;
}

export function overviewLine(overview: HeaderOverview, width: number, theme: Theme): Segment[] {
	if (overview.counts === undefined && overview.error !== undefined) {
		return [{text: `status counts: ${sanitize(overview.error)}`, color: theme.error}];
	}

	for (const style of overviewStyles) {
		const gap = style.words ? '  ' : ' ';
		const groups = statuses.map((status, index) => overviewGroup(status, index, overview, style, theme));
		const left = groups.flatMap((group, index) => (index === 0 ? group : [{text: gap}, ...group]));
		if (segmentsWidth(left) > width && style !== overviewStyles.at(-1)) {
			continue;
		}

		const notes: Segment[][] = [];
		if (overview.error !== undefined) {
			notes.push([{text: `counts not refreshed: ${sanitize(overview.error)}`, color: theme.error}]);
		}

		if (overview.note !== undefined) {
			notes.push([{text: overview.note, color: theme.muted}]);
		}

		return spread(left, notes, width);
	}

	return [];
}

/** Memoised: a key that only moves the selection does not rebuild the header's lines. */
export const Header = memo(function Header(props: HeaderProps) {
	const theme = useTheme();
	return (
		<Box flexDirection="column" width={props.width} flexShrink={0}>
			<Line segments={firstLine(props, theme)} width={props.width} />
			<Line segments={secondLine(props, theme)} width={props.width} />
			{props.overview ? <Line segments={overviewLine(props.overview, props.width, theme)} width={props.width} /> : undefined}
		</Box>
	);
});
