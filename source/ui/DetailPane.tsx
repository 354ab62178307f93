// The detail pane: the lines of detail-lines.ts in a box of `width` × `height`, from line
// `scroll` (the App clamps it with maxDetailScroll()); the border takes two lines and says when
// there is more above or below. Loaded after the first frame (lazy.ts), with maxDetailScroll.
import React from 'react';
import {Box, Text} from 'ink';
import type {ExportRecord} from '../api/types.js';
import {sanitize} from '../text/sanitize.js';
import {displayWidth, fit, truncate} from '../text/width.js';
import {detailBodyHeight, detailContentWidth, detailLines, plainTheme} from './detail-lines.js';
import {statusStyle, useTheme} from './theme.js';

export {maxDetailScroll} from './detail-lines.js';

export type DetailPaneProps = {
	record?: ExportRecord;
	width: number;
	/** Lines for the whole pane, border included. */
	height: number;
	/** First content line shown. */
	scroll: number;
};

function titleBorder(title: string, width: number): string {
	const label = truncate(` ${title} `, Math.max(0, width - 4));
	return '┌─' + label + '─'.repeat(Math.max(0, width - 3 - displayWidth(label))) + '┐';
}

function bottomBorder(width: number, indicator: string): string {
	const label = indicator === '' ? '' : truncate(` ${indicator} `, Math.max(0, width - 4));
	return '└' + '─'.repeat(Math.max(0, width - 3 - displayWidth(label))) + label + '─┘';
}

export function DetailPane({record, width, height, scroll}: DetailPaneProps) {
	const theme = useTheme();
	const inner = detailContentWidth(width);
	const body = detailBodyHeight(height);
	const all = record ? detailLines(record, width) : ['No export selected.'];
	const start = Math.max(0, Math.min(scroll, all.length - body));
	const shown = all.slice(start, start + body);
	// The status is the first line, or the second under its label in a narrow pane.
	const status = record ? statusStyle(theme, record.attributes?.status) : undefined;
	const plain = record ? statusStyle(plainTheme, record.attributes?.status) : undefined;
	const statusText = plain ? `${plain.symbol} ${plain.word}` : undefined;
	const statusLine = statusText === undefined ? -1 : all.slice(0, 2).findIndex(line => line.includes(statusText));
	const above = start > 0;
	const below = start + body < all.length;
	const indicator = above || below
		? `${above ? '↑' : ' '}${below ? '↓' : ' '} ${start + 1}-${start + shown.length} of ${all.length}`
		: '';
	const title = record ? `export ${sanitize(record.id)}` : 'export';

	return (
		<Box flexDirection="column" width={width} flexShrink={0}>
			<Text color={theme.border} wrap="truncate-end">{titleBorder(title, width)}</Text>
			{Array.from({length: body}, (_, index) => {
				// Keyed by slot, not by text: scrolling then updates text in place.
				const line = shown[index] ?? '';
				return (
					<Text key={index} wrap="truncate-end">
						{'│ '}
						{status?.color && start + index === statusLine ? <Text color={status.color}>{fit(line, inner)}</Text> : fit(line, inner)}
						{' │'}
					</Text>
				);
			})}
			<Text color={theme.border} wrap="truncate-end">{bottomBorder(width, indicator)}</Text>
		</Box>
	);
}
