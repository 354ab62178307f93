import React, {useState} from 'react';
import {describe, expect, test} from 'vitest';
import {Box} from 'ink';
import {render} from 'ink-testing-library';
import {FilterPrompt, caretLine, filterPromptHeight} from '../source/ui/FilterPrompt.js';
import {keys} from './helpers/keys.js';
import {lines, waitFor, widths} from './helpers/ui-fixtures.js';

const {left, right, backspace} = keys;

type Harness = {
	changes: string[];
	submits: string[];
	setValue?: (value: string) => void;
};

/** A parent like the App: the value lives in parent state, updated from onChange as is. */
function Parent({harness, initial = ''}: {harness: Harness; initial?: string}) {
	const [value, setValue] = useState(initial);
	harness.setValue = setValue;
	return (
		<FilterPrompt
			value={value}
			onChange={next => {
				harness.changes.push(next);
				setValue(next);
			}}
			onSubmit={submitted => {
				harness.submits.push(submitted);
			}}
			width={80}
		/>
	);
}

async function mount(initial = '') {
	const harness: Harness = {changes: [], submits: []};
	const result = render(<Parent harness={harness} initial={initial} />);
	// Ink subscribes stdin once the input hook's effects ran; keys written before that are lost.
	await waitFor(() => {
		expect(result.stdin.listenerCount('readable')).toBeGreaterThan(0);
	});
	return {...result, harness};
}

/** The text after `/ ` on the prompt line (the fake cursor is a trailing space). */
function promptText(frame: string | undefined): string {
	return (lines(frame)[0] ?? '').replace(/^\/ ?/, '').trimEnd();
}

describe('FilterPrompt line editing', () => {
	test('Ctrl-W deletes the word before the cursor, Ctrl-U the text before it, Ctrl-K the text after it', async () => {
		const {stdin, lastFrame, harness, unmount} = await mount('status:failed type:skus');
		stdin.write('\u0017');
		await waitFor(() => {
			expect(harness.changes.at(-1)).toBe('status:failed ');
		});
		stdin.write(left.repeat(7) + '\u000B');
		await waitFor(() => {
			expect(promptText(lastFrame())).toBe('status:');
		});
		stdin.write('\u0015');
		await waitFor(() => {
			expect(harness.changes.at(-1)).toBe('');
		});
		unmount();
	});

	test('Ctrl-A and Ctrl-E (and Home, End) move to the start and the end', async () => {
		const {stdin, harness, unmount} = await mount('failed');
		stdin.write('\u0001');
		stdin.write('status:');
		stdin.write('\u0005');
		stdin.write(',interrupted');
		stdin.write(keys.home);
		stdin.write('x');
		stdin.write(keys.end);
		stdin.write('y');
		await waitFor(() => {
			expect(harness.changes.at(-1)).toBe('xstatus:failed,interruptedy');
		});
		unmount();
	});

	test('other Ctrl and Alt combinations never insert their letter', async () => {
		const {stdin, lastFrame, harness, unmount} = await mount('type:skus');
		stdin.write('\u0002');
		stdin.write('\u0006');
		stdin.write('\u001Bb');
		stdin.write('!');
		await waitFor(() => {
			expect(promptText(lastFrame())).toBe('type:skus!');
		});
		expect(harness.changes).toEqual(['type:skus!']);
		unmount();
	});
});

describe('FilterPrompt typing', () => {
	test('keys written back to back, with no await between them, are all kept in order', async () => {
		const {stdin, lastFrame, harness, unmount} = await mount();
		const typed = 'status:completed type:orders';
		for (const char of typed) {
			stdin.write(char);
		}

		await waitFor(() => {
			expect(promptText(lastFrame())).toBe(typed);
		});
		expect(harness.changes.at(-1)).toBe(typed);
		expect(harness.changes).toHaveLength(typed.length);
		unmount();
	});

	test('a paste and typing right after it', async () => {
		const {stdin, lastFrame, harness, unmount} = await mount();
		stdin.write('ref~"summer sale"');
		stdin.write(' ');
		stdin.write('status:failed');
		stdin.write(',');
		stdin.write('p');
		stdin.write('e');
		await waitFor(() => {
			expect(promptText(lastFrame())).toBe('ref~"summer sale" status:failed,pe');
		});
		expect(harness.changes.at(-1)).toBe('ref~"summer sale" status:failed,pe');
		unmount();
	});

	test('a bracketed paste (the stdin\'s paste event) goes in at the cursor as one edit, on one line, and never submits', async () => {
		const {stdin, lastFrame, harness, unmount} = await mount('ref~x');
		stdin.write(left.repeat(5));
		stdin.emit('paste', 'status:failed\r\ntype:skus\t\r');
		await waitFor(() => {
			expect(promptText(lastFrame())).toBe('status:failed type:skus  ref~x');
		});
		expect(harness.changes).toEqual(['status:failed type:skus  ref~x']);
		expect(harness.submits).toEqual([]);
		// Typing goes on after the pasted text.
		stdin.write('!');
		await waitFor(() => {
			expect(harness.changes.at(-1)).toBe('status:failed type:skus  !ref~x');
		});
		unmount();
	});

	test('Backspace, Left and Right editing back to back', async () => {
		const {stdin, lastFrame, harness, unmount} = await mount();
		for (const key of ['a', 'b', 'c', 'd', left, left, backspace, 'X', right, 'Y']) {
			stdin.write(key);
		}

		// abcd| -> ab|cd -> a|cd -> aX|cd -> aXc|d -> aXcY|d
		await waitFor(() => {
			expect(harness.changes.at(-1)).toBe('aXcYd');
			expect(promptText(lastFrame())).toBe('aXcYd');
		});
		unmount();
	});

	test('several keys in one chunk (one read), with arrows among them', async () => {
		const {stdin, harness, unmount} = await mount();
		stdin.write(`type:skus${left}${left}${left}${left}x${right}!`);
		// type:skus -> type:|skus -> type:x|skus -> type:xs|kus -> type:xs!|kus
		await waitFor(() => {
			expect(harness.changes.at(-1)).toBe('type:xs!kus');
		});
		unmount();
	});

	test('Left past the start does not move the cursor out of the text', async () => {
		const {stdin, harness, unmount} = await mount();
		for (const key of ['a', 'b', left, left, left, 'X', right, right, right, 'Z']) {
			stdin.write(key);
		}

		await waitFor(() => {
			expect(harness.changes.at(-1)).toBe('XabZ');
		});
		unmount();
	});

	test('Enter right after typing submits the whole text', async () => {
		const {stdin, harness, unmount} = await mount();
		for (const key of ['f', 'a', 'i', 'l', '\r']) {
			stdin.write(key);
		}

		await waitFor(() => {
			expect(harness.submits).toEqual(['fail']);
		});
		unmount();
	});

	test('a value replaced by the parent (Esc restores the previous filter) is edited from the new value', async () => {
		const {stdin, lastFrame, harness, unmount} = await mount('status:failed');
		stdin.write('!');
		await waitFor(() => {
			expect(harness.changes.at(-1)).toBe('status:failed!');
		});
		harness.setValue?.('');
		await waitFor(() => {
			expect(promptText(lastFrame())).toBe('');
		});
		for (const char of 'ref~x') {
			stdin.write(char);
		}

		await waitFor(() => {
			expect(harness.changes.at(-1)).toBe('ref~x');
		});
		unmount();
	});
});

describe('FilterPrompt error line', () => {
	test('carets under the error span, message after them', async () => {
		const value = 'status:bogus type:orders';
		const {lastFrame, unmount} = render(
			<FilterPrompt value={value} onChange={() => {}} onSubmit={() => {}} error={{message: 'unknown status "bogus"', start: 7, end: 12}} width={80} />,
		);
		await waitFor(() => {
			expect(lines(lastFrame())).toHaveLength(filterPromptHeight);
		});
		const [prompt, error] = lines(lastFrame());
		expect(prompt).toMatch(/^\/ status:bogus type:orders/);
		expect(error).toBe('         ^^^^^ unknown status "bogus"');
		expect(error?.indexOf('^')).toBe(prompt?.indexOf('bogus'));
		unmount();
	});

	test('a filter longer than the line shows its end (where the cursor is), on one line', () => {
		const value = `reference~"${'x'.repeat(60)}" status:completed,failed type:orders END`;
		const {lastFrame, unmount} = render(
			<Box width={60}>
				<FilterPrompt value={value} onChange={() => {}} onSubmit={() => {}} width={60} />
			</Box>,
		);
		const [prompt, second] = lines(lastFrame());
		expect(prompt).toMatch(/^\/ …x+" status:completed,failed type:orders END$/);
		expect(widths(lastFrame())[0]).toBeLessThanOrEqual(60);
		expect(second?.trim()).toBe('');
		unmount();
	});

	test('always two lines, the second blank without an error', () => {
		const {lastFrame, unmount} = render(<FilterPrompt value="status:failed" onChange={() => {}} onSubmit={() => {}} width={80} />);
		expect(lines(lastFrame())).toHaveLength(2);
		expect(lines(lastFrame())[1]?.trim()).toBe('');
		unmount();
	});

	test('the message moves left of the carets when there is no room after them, and is cut to the width', () => {
		const value = 'type:orders status:completed metadata.owner:ops zzz';
		const line = caretLine(value, {message: 'unknown field "zzz"', start: value.length - 3, end: value.length}, 56);
		expect(line.length).toBeLessThanOrEqual(56);
		expect(line.trimStart().startsWith('unknown field "zzz" ^^^')).toBe(true);
		expect(line.indexOf('^')).toBe(2 + value.length - 3);
		expect(caretLine('中文:x', {message: 'bad', start: 3, end: 4}, 40)).toBe(`${' '.repeat(2 + 5)}^ bad`);
		expect(caretLine('x'.repeat(100), {message: 'too long', start: 3, end: 4}, 40)).toBe('too long');
		// No room for the carets and the message: the message, whole.
		const predicate = 'records_count takes _eq _in _lt _lteq _gt _gteq _null _present, not _cont';
		expect(caretLine('records_count_cont=1', {message: predicate, start: 0, end: 18}, 80)).toBe(predicate);
	});
});
