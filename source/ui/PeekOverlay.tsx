// The peek overlay (`v`): the first records of an export's file over the whole body, as a table or
// pretty JSON (peek-lines.ts), scrolled by the keys; the border says which export, how many records
// were read and whether the file goes on. While the file is read it counts the records; a failure
// is one line. Loaded after the first frame (lazy.ts). It tells the App how far it can scroll.
import React, {useLayoutEffect, useMemo} from 'react';
import {Box, Text} from 'ink';
import type {PeekState} from '../state/types.js';
import {formatNumber} from '../text/numbers.js';
import {sanitize} from '../text/sanitize.js';
import {displayWidth, fit, truncate, wrapWords} from '../text/width.js';
import {box} from './charset.js';
import {peekView, preparePeek} from './peek-lines.js';
import {useTheme} from './theme.js';

export type PeekOverlayProps = {
	peek: PeekState;
	width: number;
	/** Lines for the whole overlay, border included. */
	height: number;
	onMeasure: (measure: {maxRow: number; maxColumn: number; pageRows: number}) => void;
};

function records(count: number): string {
	return `${formatNumber(count)} record${count === 1 ? '' : 's'}`;
}

/**
 * What the bottom border says of the reading: the records read so far (unless the table's row
 * range says it: `rows 1-14 of 200`), and whether the file goes on.
 */
function readingText(peek: PeekState, position: string | undefined): string {
	if (peek.error !== undefined) {
		return 'not read';
	}

	if (peek.content === undefined) {
		return `reading… ${records(peek.read)}`;
	}

	const count = position?.startsWith('rows ') === true ? undefined : records(peek.content.records.length);
	return [count, peek.content.complete ? 'the whole file' : 'the file goes on'].filter(Boolean).join(' · ');
}

export function PeekOverlay({peek, width, height, onMeasure}: PeekOverlayProps) {
	const theme = useTheme();
	const inner = Math.max(1, width - 4);
	const body = Math.max(1, height - 2);
	const prepared = useMemo(() => (peek.content === undefined ? undefined : preparePeek(peek.content)), [peek.content]);
	const view = prepared === undefined || prepared.count === 0 ? undefined : peekView(prepared, inner, body, peek.row, peek.column);
	const {maxRow = 0, maxColumn = 0, pageRows = body} = view ?? {};
	useLayoutEffect(() => {
		onMeasure({maxRow, maxColumn, pageRows});
	}, [maxRow, maxColumn, pageRows, onMeasure]);

	let lines: string[];
	let tone: 'error' | 'muted' | undefined;
	if (peek.error !== undefined) {
		// The whole message, on as many lines as it takes.
		lines = wrapWords(sanitize(peek.error), inner);
		tone = 'error';
	} else if (view === undefined) {
		lines = [prepared === undefined ? 'Reading the file…' : 'The file has no records.'];
		tone = 'muted';
	} else {
		lines = view.lines;
	}

	const format = peek.content?.format;
	const title = truncate(` ${sanitize(peek.id)}${format === undefined ? '' : ` · ${format}`} · first records `, Math.max(0, width - 4));
	const status = truncate(` ${[view?.position, readingText(peek, view?.position)].filter(Boolean).join(' · ')} `, Math.max(0, width - 4));
	const top = box.topLeft + box.horizontal + title + box.horizontal.repeat(Math.max(0, width - 3 - displayWidth(title))) + box.topRight;
	const bottom = box.bottomLeft + box.horizontal.repeat(Math.max(0, width - 3 - displayWidth(status))) + status + box.horizontal + box.bottomRight;
	const color = tone === 'error' ? theme.error : tone === 'muted' ? theme.muted : undefined;

	return (
		<Box flexDirection="column" width={width} flexShrink={0}>
			<Text color={theme.accent} wrap="truncate-end">{truncate(top, width)}</Text>
			{Array.from({length: body}, (_, index) => (
				// Keyed by slot: scrolling updates text in place.
				<Text key={index} wrap="truncate-end">
					{`${box.vertical} `}
					<Text bold={index === view?.header} color={color} dimColor={tone === 'muted' && theme.noColor}>
						{fit(lines[index] ?? '', inner)}
					</Text>
					{` ${box.vertical}`}
				</Text>
			))}
			<Text color={theme.accent} wrap="truncate-end">{truncate(bottom, width)}</Text>
		</Box>
	);
}
