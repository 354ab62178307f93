// OSC 52 as the terminal receives it: byte for byte, plain and wrapped for tmux and GNU screen,
// the k9s cap, and the honest result when nothing could be sent.
import {rmSync} from 'node:fs';
import {afterAll, describe, expect, it} from 'vitest';
import {
	copyText,
	copyToClipboard,
	osc52MaxEncodedLength,
	osc52Sequence,
	sentMessage,
	tmuxBufferMessage,
	tmuxBufferOnlyMessage,
	tmuxPassthroughMessage,
	type ClipboardResult,
} from '../source/actions/clipboard.js';
import {noTmuxDir, standInTmux} from './helpers/stand-in-tmux.js';

const esc = '\u001B';
const bel = '\u0007';
const url = 'https://exports.s3.eu-west-1.amazonaws.com/exports/abc.json.gz?X-Amz-Expires=300&X-Amz-Signature=5f1e';

/** A terminal that records what was written to it. */
function terminal() {
	const written: string[] = [];
	return {
		written,
		write(data: string) {
			written.push(data);
			return true;
		},
	};
}

const decode = (base64: string) => Buffer.from(base64, 'base64').toString('utf8');

describe('osc52Sequence', () => {
	it('is ESC ] 52 ; c ; base64 BEL outside tmux and screen', () => {
		const result = osc52Sequence('hello', {TERM: 'xterm-256color'});
		expect(result).toMatchObject({ok: true, mode: 'plain'});
		if (!result.ok) {
			return;
		}

		expect(result.sequence).toBe(`${esc}]52;c;aGVsbG8=${bel}`);
		expect(Buffer.from(result.sequence).toString('hex')).toBe(`1b5d35323b633b${Buffer.from('aGVsbG8=').toString('hex')}07`);
	});

	it('wraps the sequence in tmux DCS passthrough with the inner ESC doubled when TMUX is set', () => {
		// tmux sets TERM=screen-256color itself: TMUX must win over the screen rule.
		const result = osc52Sequence('hello', {TMUX: '/tmp/tmux-1000/default,4242,0', TERM: 'screen-256color'});
		expect(result).toMatchObject({ok: true, mode: 'tmux'});
		if (!result.ok) {
			return;
		}

		expect(result.sequence).toBe(`${esc}Ptmux;${esc}${esc}]52;c;aGVsbG8=${bel}${esc}\\`);
		expect(Buffer.from(result.sequence).toString('hex')).toBe(
			`1b50746d75783b1b1b5d35323b633b${Buffer.from('aGVsbG8=').toString('hex')}071b5c`,
		);
	});

	it('splits the payload across screen DCS strings of at most 76 bytes each', () => {
		const text = `${url}&padding=${'x'.repeat(120)}`;
		const encoded = Buffer.from(text).toString('base64');
		expect(encoded.length).toBeGreaterThan(3 * 76);
		const result = osc52Sequence(text, {TERM: 'screen.xterm-256color'});
		expect(result).toMatchObject({ok: true, mode: 'screen'});
		if (!result.ok) {
			return;
		}

		const chunks = encoded.match(/.{1,76}/g) ?? [];
		expect(result.sequence).toBe(`${esc}P${esc}]52;c;${chunks.join(`${esc}\\${esc}P`)}${bel}${esc}\\`);

		// Every DCS string is ESC P … ESC \ and carries at most 76 bytes of the payload.
		const strings = result.sequence.split(`${esc}\\`).filter(part => part !== '');
		expect(strings.length).toBe(chunks.length);
		const payloads = strings.map(part => {
			expect(part.startsWith(`${esc}P`)).toBe(true);
			return part.slice(2).replace(`${esc}]52;c;`, '').replace(bel, '');
		});
		for (const payload of payloads) {
			expect(payload.length).toBeLessThanOrEqual(76);
		}

		expect(decode(payloads.join(''))).toBe(text);
	});

	it('sends the text unchanged (UTF-8, query string and all)', () => {
		const text = `${url}&name=caffè`;
		const result = osc52Sequence(text, {});
		if (!result.ok) {
			throw new Error(result.reason);
		}

		const payload = result.sequence.slice(`${esc}]52;c;`.length, -1);
		expect(decode(payload)).toBe(text);
	});

	it('accepts a payload of exactly the cap and refuses one byte of text more', () => {
		// 56,244 bytes encode to 74,992 base64 bytes; 56,245 to 74,996 > 74,994.
		expect(osc52MaxEncodedLength).toBe(74_994);
		const fits = osc52Sequence('a'.repeat(56_244), {});
		expect(fits).toMatchObject({ok: true, encodedLength: 74_992});
		const tooLong = osc52Sequence('a'.repeat(56_245), {TMUX: '/tmp/tmux'});
		expect(tooLong).toEqual({ok: false, encodedLength: 74_996, reason: 'too long for OSC 52 (74,996 bytes encoded, the limit is 74,994)'});
	});
});

describe('copyToClipboard', () => {
	it('writes the sequence once and says it was sent, not copied', () => {
		const tty = terminal();
		const result = copyToClipboard(url, {env: {TERM: 'xterm-256color'}, isTTY: true, write: tty.write});
		expect(result).toEqual({sent: true, message: "sent to the terminal's clipboard (OSC 52) — your terminal must allow it", mode: 'plain'});
		expect(result.message).toBe(sentMessage);
		expect(result.message).not.toMatch(/copied/i);
		expect(tty.written).toEqual([`${esc}]52;c;${Buffer.from(url).toString('base64')}${bel}`]);
	});

	it('writes the tmux-wrapped sequence inside tmux', () => {
		const tty = terminal();
		const result = copyToClipboard('XAyRWNUzyN', {env: {TMUX: '/tmp/tmux-0/default,1,0', TERM: 'tmux-256color'}, isTTY: true, write: tty.write});
		expect(result).toMatchObject({sent: true, mode: 'tmux'});
		expect(tty.written).toEqual([`${esc}Ptmux;${esc}${esc}]52;c;WEF5UldOVXp5Tg==${bel}${esc}\\`]);
	});

	const refusals: Array<[string, string, {env: Record<string, string>; isTTY: boolean}, string]> = [
		['stdout is not a TTY', url, {env: {TERM: 'xterm'}, isTTY: false}, 'not sent to the clipboard: output is not a terminal'],
		['TERM=dumb', url, {env: {TERM: 'dumb'}, isTTY: true}, 'not sent to the clipboard: TERM=dumb cannot take OSC 52'],
		['the text is too long', 'a'.repeat(60_000), {env: {}, isTTY: true}, 'not sent to the clipboard: too long for OSC 52 (80,000 bytes encoded, the limit is 74,994)'],
		['the text holds an escape', `${url}${esc}]0;pwned${bel}`, {env: {}, isTTY: true}, 'not sent to the clipboard: the text contains control characters'],
		['the text holds a newline', `${url}\nrm -rf ~`, {env: {}, isTTY: true}, 'not sent to the clipboard: the text contains control characters'],
		['the text holds a bidi override', `${url}\u202Egz.exe`, {env: {}, isTTY: true}, 'not sent to the clipboard: the text contains control characters'],
		['the text is empty', '', {env: {}, isTTY: true}, 'nothing to copy'],
	];

	it.each(refusals)('sends nothing when %s, and says why', (_case, text, options, message) => {
		const tty = terminal();
		const result: ClipboardResult = copyToClipboard(text, {...options, write: tty.write});
		expect(result.sent).toBe(false);
		expect(result.message).toBe(message);
		expect(result.message).not.toMatch(/copied/i);
		expect(tty.written).toEqual([]);
	});

	it('reports a failed write instead of throwing', () => {
		const result = copyToClipboard(url, {
			env: {},
			isTTY: true,
			write() {
				throw Object.assign(new Error('write EPIPE'), {code: 'EPIPE'});
			},
		});
		expect(result).toEqual({sent: false, message: 'not sent to the clipboard: writing to the terminal failed (EPIPE)', mode: 'plain'});
	});
});

describe('copyText under tmux', () => {
	const tmux = standInTmux();
	const noTmux = noTmuxDir();
	afterAll(() => {
		tmux.remove();
		rmSync(noTmux, {recursive: true, force: true});
	});
	const inTmux = (extra: Record<string, string> = {}, path = `${tmux.dir}:${process.env['PATH'] ?? ''}`) => ({
		TMUX: '/tmp/tmux-1000/default,4242,0',
		TERM: 'tmux-256color',
		PATH: path,
		...extra,
	});

	it('hands the text to `tmux load-buffer -w -` and writes nothing to the terminal', async () => {
		const before = tmux.calls().length;
		const term = terminal();
		const result = await copyText(url, {env: inTmux(), isTTY: true, write: term.write});
		expect(result).toEqual({sent: true, message: tmuxBufferMessage, mode: 'tmux-buffer'});
		const calls = tmux.calls().slice(before);
		expect(calls[0]).toEqual({args: ['load-buffer', '-w', '-'], stdin: url});
		expect(calls[1]?.args).toEqual(['show-options', '-gv', 'set-clipboard']);
		expect(term.written).toEqual([]);
	});

	it('says when tmux keeps it to itself (set-clipboard off)', async () => {
		const result = await copyText('XAyRWNUzyN', {env: inTmux({STAND_IN_SET_CLIPBOARD: 'off'}), isTTY: true, write: terminal().write});
		expect(result.message).toBe(tmuxBufferOnlyMessage);
	});

	for (const [what, env] of [
		['tmux refuses (older than 3.2: no -w)', inTmux({STAND_IN_FAIL: 'load-buffer: unknown flag -w'})],
		['no tmux on PATH', inTmux({}, noTmux)],
	] as const) {
		it(`falls back to the DCS passthrough, and says it needs allow-passthrough, when ${what}`, async () => {
			const term = terminal();
			const result = await copyText('hello', {env, isTTY: true, write: term.write});
			expect(result).toMatchObject({sent: true, message: tmuxPassthroughMessage, mode: 'tmux'});
			expect(term.written).toEqual([`${esc}Ptmux;${esc}${esc}]52;c;aGVsbG8=${bel}${esc}\\`]);
		});
	}

	it('outside tmux it is OSC 52 as before, and tmux is never asked', async () => {
		const before = tmux.calls().length;
		const term = terminal();
		const result = await copyText('hello', {env: {TERM: 'xterm-256color', PATH: `${tmux.dir}:${process.env['PATH'] ?? ''}`}, isTTY: true, write: term.write});
		expect(result).toMatchObject({sent: true, message: sentMessage, mode: 'plain'});
		expect(term.written).toEqual([`${esc}]52;c;aGVsbG8=${bel}`]);
		expect(tmux.calls().length).toBe(before);
	});

	it('text with control characters goes nowhere, not even to tmux', async () => {
		const before = tmux.calls().length;
		const result = await copyText('a\u001B]52;c;x\u0007', {env: inTmux(), isTTY: true, write: terminal().write});
		expect(result.sent).toBe(false);
		expect(tmux.calls().length).toBe(before);
	});
});
