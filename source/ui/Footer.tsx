// Two lines under the table, always both (so the layout does not jump as messages come and go):
// the key hints of the current mode, then the last error (`title: detail`, with the retry
// countdown) or a notice. A message wider than the terminal takes a third line rather than lose
// its end (footerHeight says how many lines the footer needs, for the layout).
import React, {memo} from 'react';
import {Box, Text} from 'ink';
import {sanitize} from '../text/sanitize.js';
import {displayWidth, truncate, wrapWords, type Segment} from '../text/width.js';
import {useTheme} from './theme.js';
import {box} from './charset.js';

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
	for (const {key, label} of hints) {
		// Where the symbols are written in ASCII, Enter is spelt out (`>` would read as a key).
		const hint = {key: key === '⏎' && !box.unicode ? 'Enter' : key, label};
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

/** Most lines a message takes; a longer one is cut at the end of the last. */
export const maxMessageLines = 2;

/**
 * The message line(s): `✖ ` and the error, or the notice, word-wrapped to `width` (an error's
 * second line is indented under its text). One line (blank) when there is no message.
 */
export function messageLines(message: Pick<FooterProps, 'error' | 'notice'>, width: number): string[] {
	const prefix = message.error ? '✖ ' : '';
	const text = message.error ? errorText(message.error) : message.notice ? sanitize(message.notice) : '';
	if (text === '' || width <= 0) {
		return [' '];
	}

	if (displayWidth(prefix) + displayWidth(text) <= width) {
		return [prefix + text];
	}

	const indent = displayWidth(prefix) < width ? displayWidth(prefix) : 0;
	const wrapped = wrapWords(text, width - indent);
	const shown = wrapped.slice(0, maxMessageLines);
	if (wrapped.length > maxMessageLines) {
		// Cut only what does not fit in the last line (rarely reached: messages are written to fit).
		shown[maxMessageLines - 1] = truncate(wrapped.slice(maxMessageLines - 1).join(' '), width - indent);
	}

	return shown.map((line, index) => (index === 0 ? prefix.slice(0, indent) : ' '.repeat(indent)) + line);
}

/** Lines the footer takes at `width`: the hints, then one or two for the message. */
export function footerHeight(message: Pick<FooterProps, 'error' | 'notice'>, width: number): number {
	return 1 + messageLines(message, width).length;
}

/** Memoised: a key that only moves the selection does not rebuild the footer's lines. */
export const Footer = memo(function Footer({hints, error, notice, tone = 'info', width}: FooterProps) {
	const theme = useTheme();
	const segments = hintSegments(hints, width, theme.key);
	const message = messageLines({error, notice}, width);
	const color = error ? theme.error : tone === 'question' ? theme.warning : theme.notice;
	const bold = !error && notice !== undefined && tone === 'question';

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
			{message.map((line, index) => (
				<Text key={index} wrap="truncate-end" color={color} bold={bold}>
					{line}
				</Text>
			))}
		</Box>
	);
});
