// Reads that hold several keys are split where Ink 6.8 would merge them into one string.
import {EventEmitter} from 'node:events';
import React, {useState} from 'react';
import {render, Text, useInput} from 'ink';
import {expect, test, vi} from 'vitest';
import {KeyInput, maxPasteLength, pasteEnd, pasteIdleMs, pasteStart, splitKeys} from '../source/ui/key-input.js';
import {usePaste} from '../source/hooks/use-paste.js';
import {waitFor} from './helpers/wait-for-frame.js';

test('control keys are cut out of typed text; text runs and escape sequences stay whole', () => {
	expect(splitKeys('d\r')).toEqual(['d', '\r']);
	expect(splitKeys('ab\u007Fc')).toEqual(['ab', '\u007F', 'c']);
	expect(splitKeys('status:completed')).toEqual(['status:completed']);
	expect(splitKeys('\r\r')).toEqual(['\r', '\r']);
	expect(splitKeys('x\u0003')).toEqual(['x', '\u0003']);
	expect(splitKeys('j\u001B[Bk')).toEqual(['j\u001B[Bk']);
	// Alt-Enter is one key.
	expect(splitKeys('\u001B\r')).toEqual(['\u001B\r']);
	expect(splitKeys('')).toEqual([]);
});

class FakeTty extends EventEmitter {
	isTTY = true;
	raw = false;
	flowing = false;
	refs = 0;
	setRawMode(mode: boolean) {
		this.raw = mode;
	}

	pause() {
		this.flowing = false;
		return this;
	}

	resume() {
		this.flowing = true;
		return this;
	}

	ref() {
		this.refs++;
		return this;
	}

	unref() {
		this.refs--;
		return this;
	}
}

test('KeyInput hands Ink one key per read, decoding UTF-8 split across chunks', () => {
	const source = new FakeTty();
	const input = new KeyInput(source as unknown as NodeJS.ReadStream);
	expect(input.isTTY).toBe(true);
	input.setRawMode(true);
	expect(source.raw).toBe(true);
	expect(source.flowing).toBe(true);
	let readable = 0;
	input.on('readable', () => readable++);
	source.emit('data', Buffer.from('ok\r'));
	const thumbs = Buffer.from('👍');
	source.emit('data', thumbs.subarray(0, 2));
	source.emit('data', Buffer.concat([thumbs.subarray(2), Buffer.from('\u007F')]));
	expect(readable).toBe(2);
	expect([input.read(), input.read(), input.read(), input.read(), input.read()]).toEqual(['ok', '\r', '👍', '\u007F', null]);
	input.setRawMode(false);
	expect(source.raw).toBe(false);
	expect(source.flowing).toBe(false);
	source.emit('data', Buffer.from('x'));
	expect(input.read()).toBeNull();
});

/** Ink drawing `node` with a KeyInput on `source` as its stdin, once Ink has put it in raw mode. */
async function renderOnKeyInput(node: React.ReactElement, source: FakeTty) {
	const stdout = Object.assign(new EventEmitter(), {columns: 80, rows: 24, write: () => true});
	const instance = render(node, {
		stdin: new KeyInput(source as unknown as NodeJS.ReadStream) as unknown as NodeJS.ReadStream,
		stdout: stdout as unknown as NodeJS.WriteStream,
		debug: true,
		patchConsole: false,
	});
	await waitFor(() => source.raw, {message: 'raw mode'});
	return instance;
}

test('through Ink: a letter and the Enter after it in one read are a letter, then Enter', async () => {
	const source = new FakeTty();
	const events: string[] = [];
	function Probe() {
		const [count, setCount] = useState(0);
		useInput((input, key) => {
			events.push(key.return ? '<return>' : key.delete ? '<delete>' : input);
			setCount(value => value + 1);
		});
		return <Text>{count}</Text>;
	}

	const instance = await renderOnKeyInput(<Probe />, source);
	source.emit('data', Buffer.from('ab\r'));
	source.emit('data', Buffer.from('c\u007F'));
	await waitFor(() => events.length === 4, {message: 'four keys'});
	expect(events).toEqual(['ab', '<return>', 'c', '<delete>']);
	instance.unmount();
});

/** A KeyInput on a fake terminal, with what it hands out: keys (as Ink reads them), pastes, suspends. */
function keyInput() {
	const source = new FakeTty();
	const input = new KeyInput(source as unknown as NodeJS.ReadStream);
	const events: string[] = [];
	input.on('readable', () => {
		let key: string | null;
		while ((key = input.read()) !== null) {
			events.push(`key ${key}`);
		}
	});
	input.on('paste', (text: string) => events.push(`paste ${text}`));
	input.on('suspend', () => events.push('suspend'));
	input.setRawMode(true);
	const send = (text: string) => source.emit('data', Buffer.from(text));
	return {input, events, send};
}

test('a bracketed paste is one paste event, one line, never keys; keys around it keep their order', () => {
	const {events, send} = keyInput();
	send(`/${pasteStart}status:failed\rtype:skus${pasteEnd}\r`);
	send(`${pasteStart}a\tb\r\nc\u001B[31md\u0007${pasteEnd}`);
	expect(events).toEqual(['key /', 'paste status:failed type:skus', 'key \r', 'paste a b cd']);
});

test('a paste cut across reads anywhere, its markers included, is still one paste', () => {
	const whole = `j${pasteStart}ref~summer\rq${pasteEnd}k`;
	for (let cut = 1; cut < whole.length; cut++) {
		const {events, send} = keyInput();
		send(whole.slice(0, cut));
		send(whole.slice(cut));
		expect(events, `cut at ${cut}`).toEqual(['key j', 'paste ref~summer q', 'key k']);
	}
});

test('Esc alone is still the Esc key, after the read that might have begun a paste marker', async () => {
	const {events, send} = keyInput();
	send('\u001B');
	expect(events).toEqual([]);
	await new Promise(resolve => setImmediate(resolve));
	expect(events).toEqual(['key \u001B']);
	send('\u001B[A');
	expect(events).toEqual(['key \u001B', 'key \u001B[A']);
});

test('Ctrl-Z is a suspend, not a key, in its place among the keys; inside a paste it is text', () => {
	const {events, send} = keyInput();
	send('j\u001Ak');
	send(`${pasteStart}x\u001Ay${pasteEnd}`);
	expect(events).toEqual(['key j', 'suspend', 'key k', 'paste xy']);
});

test('a paste whose end never comes ends after a quiet second; keys work again; a stray end marker is dropped', () => {
	vi.useFakeTimers();
	try {
		const {events, send} = keyInput();
		send(`${pasteStart}status:failed`);
		send('\rq');
		vi.advanceTimersByTime(pasteIdleMs - 1);
		expect(events).toEqual([]);
		vi.advanceTimersByTime(1);
		expect(events).toEqual(['paste status:failed q']);
		send(`${pasteEnd}q`);
		expect(events).toEqual(['paste status:failed q', 'key q']);
	} finally {
		vi.useRealTimers();
	}
});

test('a paste is capped', () => {
	const {events, send} = keyInput();
	send(pasteStart + 'x'.repeat(maxPasteLength + 10) + pasteEnd);
	expect(events).toEqual([`paste ${'x'.repeat(maxPasteLength)}`]);
});

test('through Ink: a paste never reaches useInput, usePaste gets it', async () => {
	const source = new FakeTty();
	const keys: string[] = [];
	const pastes: string[] = [];
	function Probe() {
		const [count, setCount] = useState(0);
		useInput(input => {
			keys.push(input);
			setCount(value => value + 1);
		});
		usePaste(text => {
			pastes.push(text);
			setCount(value => value + 1);
		});
		return <Text>{count}</Text>;
	}

	const instance = await renderOnKeyInput(<Probe />, source);
	source.emit('data', Buffer.from(`a${pasteStart}t\ry${pasteEnd}b`));
	await waitFor(() => keys.length === 2, {message: 'two keys'});
	expect(keys).toEqual(['a', 'b']);
	expect(pastes).toEqual(['t y']);
	instance.unmount();
});
