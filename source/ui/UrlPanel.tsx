// The link `y` just copied, shown in full above the footer so it can also be copied by hand
// (OSC 52 may be refused by the terminal, or not reach it). Hard-wrapped at the terminal's edge
// with nothing around it, so a selection picks up only the link; when it needs more lines than
// it is given, the last one says where the whole link is (the detail pane wraps it in full).
import React from 'react';
import {Box, Text} from 'ink';
import {sanitize} from '../text/sanitize.js';
import {truncate, wrap} from '../text/width.js';
import {useTheme} from './theme.js';

export type UrlPanelProps = {url: string; width: number; height: number};

export function urlPanelLines(url: string, width: number, maxLines: number): {lines: string[]; cut: boolean} {
	// One line more than fits says whether it was cut: the rest of a huge link is never laid out.
	const all = wrap(sanitize(url), Math.max(1, width), maxLines + 1);
	if (all.length <= maxLines) {
		return {lines: all, cut: false};
	}

	const lines = all.slice(0, Math.max(0, maxLines - 1));
	lines.push(truncate('… the whole link is in the details (Enter)', width));
	return {lines, cut: true};
}

/** How many lines the panel wants for `url` at `width`, at most `maxLines`. */
export function urlPanelHeight(url: string, width: number, maxLines: number): number {
	return urlPanelLines(url, width, Math.max(1, maxLines)).lines.length;
}

export function UrlPanel({url, width, height}: UrlPanelProps) {
	const theme = useTheme();
	const {lines, cut} = urlPanelLines(url, width, Math.max(1, height));
	return (
		<Box flexDirection="column" width={width} flexShrink={0}>
			{lines.map((line, index) => (
				<Text key={index} wrap="truncate-end" color={cut && index === lines.length - 1 ? theme.muted : theme.accent}>
					{line}
				</Text>
			))}
		</Box>
	);
}
