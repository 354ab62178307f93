// The `/` prompt: one line of input (ink-text-input, patched so that keys arriving back to back
// are never lost, see patches/readme.md) and one line under it for the parse
// error, with carets under the offending part. Always two lines, so the layout does not jump as
// an error comes and goes.
//
// The value lives in the parent (the reducer); this component never derives a new value from its
// props: ink-text-input computes each edit from its own latest value and hands it to onChange.
import React from 'react';
import {Box, Text} from 'ink';
import TextInput from 'ink-text-input';
import {displayWidth, padStart, truncate} from '../text/width.js';
import {useTheme} from './theme.js';

export type FilterPromptProps = {
	value: string;
	onChange(value: string): void;
	onSubmit(value: string): void;
	/** The parse error and its span in `value` (UTF-16 offsets, end exclusive). */
	error?: {message: string; start: number; end: number};
	width: number;
};

/** Lines the prompt takes. */
export const filterPromptHeight = 2;

const prompt = '/ ';

/**
 * The line under the prompt: carets under `value[start..end)` and the message after them, or
 * before them when there is no room on the right. Just the message when the value is scrolled.
 */
export function caretLine(value: string, error: {message: string; start: number; end: number}, width: number): string {
	const start = Math.max(0, Math.min(error.start, value.length));
	const end = Math.max(start, Math.min(error.end, value.length));
	const message = error.message.replaceAll(/\s+/g, ' ');
	// The prompt shows the value's end when it is too long (cursor at the end), so columns shift.
	if (displayWidth(prompt) + displayWidth(value) + 1 > width) {
		return truncate(message, width);
	}

	const column = displayWidth(prompt) + displayWidth(value.slice(0, start));
	const carets = '^'.repeat(Math.max(1, displayWidth(value.slice(start, end))));
	const after = ' '.repeat(column) + carets + ' ' + message;
	if (displayWidth(after) <= width) {
		return after;
	}

	if (column >= displayWidth(message) + 1) {
		return truncate(padStart(message + ' ', column) + carets, width);
	}

	// The words matter more than the carets: a message that fits alone is shown whole.
	if (displayWidth(message) <= width) {
		return message;
	}

	return truncate(after, width);
}

export function FilterPrompt({value, onChange, onSubmit, error, width}: FilterPromptProps) {
	const theme = useTheme();
	return (
		<Box flexDirection="column" width={width} flexShrink={0}>
			<Box height={1}>
				<Box flexShrink={0}>
					<Text color={theme.accent} bold>
						{prompt}
					</Text>
				</Box>
				{/* truncate-start keeps the end of a long filter (where the cursor usually is) in view. */}
				<Text wrap="truncate-start">
					<TextInput value={value} onChange={onChange} onSubmit={onSubmit} />
				</Text>
			</Box>
			<Text color={theme.error} wrap="truncate-end">
				{error ? caretLine(value, error, width) : ' '}
			</Text>
		</Box>
	);
}
