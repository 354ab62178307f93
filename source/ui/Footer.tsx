// Two lines under the table, always both (so the layout never jumps): the key hints of the
// current mode, then the last error (`title: detail`, with the retry countdown) or a notice.
import React, {memo} from 'react';
import {Box, Text} from 'ink';
import {sanitize} from '../text/sanitize.js';
import {displayWidth, truncate, truncateSegments, type Segment} from '../text/width.js';
import {useTheme} from './theme.js';

export type FooterError = {title: string; detail?: string; retryInSeconds?: number};

export type FooterProps = {
	hints: Array<{key: string; label: string}>;
	error?: FooterError;
	notice?: string;
	/** `question`: the notice is a y/N question waiting for a key (stands out). */
	tone?: 'info' | 'question';
	width: number;
};

/** The error as one line: `title: detail · retrying in 5 s`. Server text is sanitized. */
export function errorText(error: FooterError): string {
	const title = sanitize(error.title);
	const detail = error.detail === undefined ? '' : sanitize(error.detail);
	let text = detail === '' || detail === title ? title : `${title}: ${detail}`;
	if (error.retryInSeconds !== undefined) {
		text += ` · retrying in ${Math.max(0, Math.ceil(error.retryInSeconds))} s`;
	}

	return text;
}

/** Whole hints that fit in `width` (a hint is never cut in half). */
function hintSegments(hints: FooterProps['hints'], width: number, keyColor: string | undefined): Segment[] {
	const segments: Segment[] = [];
	let used = 0;
	for (const hint of hints) {
		const gap = segments.length === 0 ? '' : '  ';
		const cells = displayWidth(gap) + displayWidth(hint.key) + 1 + displayWidth(hint.label);
		if (used + cells > width) {
			break;
		}

		segments.push({text: gap}, {text: hint.key, bold: true, color: keyColor}, {text: ` ${hint.label}`});
		used += cells;
	}

	return segments.filter(segment => segment.text !== '');
}

/** Memoised: a key that only moves the selection does not rebuild the footer's lines. */
export const Footer = memo(function Footer({hints, error, notice, tone = 'info', width}: FooterProps) {
	const theme = useTheme();
	const segments = hintSegments(hints, width, theme.key);
	let message: Segment[] = [{text: ' '}];
	if (error) {
		message = truncateSegments([{text: '✖ ', color: theme.error}, {text: errorText(error), color: theme.error}], width);
	} else if (notice) {
		message = [{text: truncate(sanitize(notice), width), color: tone === 'question' ? theme.warning : theme.notice, bold: tone === 'question'}];
	}

	return (
		<Box flexDirection="column" width={width} flexShrink={0}>
			<Text wrap="truncate-end">
				{segments.length === 0
					? ' '
					: segments.map((segment, index) =>
						segment.bold ? (
							<Text key={index} bold color={segment.color}>
								{segment.text}
							</Text>
						) : (
							segment.text
						))}
			</Text>
			<Text wrap="truncate-end">
				{message.map((segment, index) => (
					<Text key={index} color={segment.color} bold={segment.bold}>
						{segment.text}
					</Text>
				))}
			</Text>
		</Box>
	);
});
