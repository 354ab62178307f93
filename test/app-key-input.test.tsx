// Reads that hold several keys are split where Ink 6.8 would merge them into one string.
import {EventEmitter} from 'node:events';
import React, {useState} from 'react';
import {render, Text, useInput} from 'ink';
import {expect, test} from 'vitest';
import {KeyInput, splitKeys} from '../source/ui/key-input.js';
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

	const stdout = Object.assign(new EventEmitter(), {columns: 80, rows: 24, write: () => true});
	const instance = render(<Probe />, {
		stdin: new KeyInput(source as unknown as NodeJS.ReadStream) as unknown as NodeJS.ReadStream,
		stdout: stdout as unknown as NodeJS.WriteStream,
		debug: true,
		patchConsole: false,
	});
	await waitFor(() => source.raw, {message: 'raw mode'});
	source.emit('data', Buffer.from('ab\r'));
	source.emit('data', Buffer.from('c\u007F'));
	await waitFor(() => events.length === 4, {message: 'four keys'});
	expect(events).toEqual(['ab', '<return>', 'c', '<delete>']);
	instance.unmount();
});
