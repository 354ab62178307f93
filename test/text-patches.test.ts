// Four dependency patches make the first frame cheaper without changing a single width or token:
// - string-width 8: a fast path for lines of one-cell characters (borders, status symbols,
//   dashes, accented Latin), code-point-by-code-point measuring of strings in which no character
//   can join another (CJK included), the RGI emoji regex compiled only when a cluster could be one
//   of several code points, and the segmenter created on first use;
// - @alcalzone/ansi-tokenize (Ink tokenizes every line it draws): the same code-point iteration
//   for strings without joiners (a plain loop, no generator), and the segmenter created on first
//   use; serialising a row skips the style diff between characters whose styles are equal (the
//   diff is empty then); and a line's tokens serialise without an object per character (Ink's
//   rows of one line);
// - slice-ansi, and wrap-ansi's string-width 7: the segmenter created on first use.
// The first Intl object of a process costs 15-25 ms and \p{RGI_Emoji} 20-60 ms to compile; a
// first frame of plain or CJK text now needs neither. These tests compare each patched module
// with an unpatched copy of it (the patch reverse-applied, patch-package's own parser and applier).
import {readFileSync} from 'node:fs';
import {join} from 'node:path';
import {pathToFileURL} from 'node:url';
import {afterAll, beforeAll, expect, test} from 'vitest';
import {prng, root, scratch, unpatchedCopy} from './helpers/patches.js';

type StringWidth = (text: string, options?: {ambiguousIsNarrow?: boolean; countAnsiEscapeCodes?: boolean}) => number;
type Tokenize = (text: string, endChar?: number) => unknown[];
type StyledChars = {styledCharsFromTokens(tokens: unknown[]): unknown[]; styledCharsToString(chars: unknown[]): string; styledTokensToString?(tokens: unknown[]): string};

const work = scratch('text-unpatched-');
const workDir = work.dir;
let original: StringWidth;
let patched: StringWidth;
let originalTokenize: Tokenize;
let patchedTokenize: Tokenize;
let originalStyled: StyledChars;
let patchedStyled: StyledChars;

async function load<T>(file: string): Promise<T> {
	return (await import(pathToFileURL(file).href)) as T;
}

beforeAll(async () => {
	const width = unpatchedCopy(workDir, 'string-width+8.3.0.patch', 'node_modules/string-width', ['index.js', 'package.json']);
	const tokenizer = unpatchedCopy(workDir, '@alcalzone+ansi-tokenize+0.2.5.patch', 'node_modules/@alcalzone/ansi-tokenize', ['build', 'package.json']);
	original = (await load<{default: StringWidth}>(join(width, 'index.js'))).default;
	patched = (await load<{default: StringWidth}>(join(root, 'node_modules/string-width/index.js'))).default;
	originalTokenize = (await load<{tokenize: Tokenize}>(join(tokenizer, 'build/tokenize.js'))).tokenize;
	patchedTokenize = (await load<{tokenize: Tokenize}>(join(root, 'node_modules/@alcalzone/ansi-tokenize/build/tokenize.js'))).tokenize;
	originalStyled = await load<StyledChars>(join(tokenizer, 'build/styledChars.js'));
	patchedStyled = await load<StyledChars>(join(root, 'node_modules/@alcalzone/ansi-tokenize/build/styledChars.js'));
});

afterAll(() => {
	work.remove();
});

test('the copies really are unpatched, and node_modules really is patched', () => {
	for (const file of ['node_modules/string-width/index.js', 'node_modules/@alcalzone/ansi-tokenize/build/tokenize.js', 'node_modules/@alcalzone/ansi-tokenize/build/styledChars.js']) {
		expect(readFileSync(join(workDir, file), 'utf8')).not.toContain('cl-exports patch');
		expect(readFileSync(join(root, file), 'utf8')).toContain('cl-exports patch');
	}

	for (const file of ['node_modules/slice-ansi/tokenize-ansi.js', 'node_modules/wrap-ansi/node_modules/string-width/index.js']) {
		expect(readFileSync(join(root, file), 'utf8')).toContain('cl-exports patch');
	}
});

test('every BMP code point and every emoji-plane one, alone and between letters, is as wide and tokenizes as before', () => {
	const differ: string[] = [];
	const check = (cp: number) => {
		const character = String.fromCodePoint(cp);
		const between = `a${character}b`;
		if (
			patched(character) !== original(character) ||
			patched(between) !== original(between) ||
			patched(character, {ambiguousIsNarrow: false}) !== original(character, {ambiguousIsNarrow: false}) ||
			JSON.stringify(patchedTokenize(between)) !== JSON.stringify(originalTokenize(between))
		) {
			differ.push(cp.toString(16));
		}
	};

	for (let cp = 0; cp <= 0xff_ff; cp++) {
		if (cp < 0xd8_00 || cp > 0xdf_ff) {
			check(cp);
		}
	}

	for (let cp = 0x1_f0_00; cp <= 0x1_fa_ff; cp++) {
		check(cp);
	}

	expect(differ).toEqual([]);
}, 120_000);

test('random mixes of box drawing, symbols, colours, combining marks, joiners, CJK, Hangul and emoji measure and tokenize as before', () => {
	const ranges: Array<[number, number]> = [
		[0x20, 0x7e],
		[0xa0, 0x4ff],
		[0x3_00, 0x3_6f],
		[0x11_00, 0x11_ff],
		[0x20_00, 0x2b_ff],
		[0x30_00, 0x30_ff],
		[0xfe_00, 0xfe_0f],
		[0xff_00, 0xff_ef],
		[0x1_f3_00, 0x1_f6_ff],
		[0x1_f1_e6, 0x1_f1_ff],
	];
	const extras = ['\u200D', '\u20E3', '\uFE0F', '\r', '\n', '\u001B[31m', '\u001B[39m', '\u001B[1;4m', '\u001B]8;;https://x.test\u0007', '─', '│', '◐', '✔', '…', '\u{1F3FD}', '\u{1F1EF}\u{1F1F5}', '\u0E33', '\u0600'];
	const random = prng(20_261_129);
	const differ: string[] = [];
	for (let index = 0; index < 30_000; index++) {
		let text = '';
		const length = 1 + Math.floor(random() * 10);
		for (let part = 0; part < length; part++) {
			if (random() < 0.2) {
				text += extras[Math.floor(random() * extras.length)];
			} else {
				const [from, to] = ranges[Math.floor(random() * ranges.length)]!;
				text += String.fromCodePoint(from + Math.floor(random() * (to - from + 1)));
			}
		}

		if (patched(text) !== original(text)) {
			differ.push(JSON.stringify(text));
		}

		if (JSON.stringify(patchedTokenize(text)) !== JSON.stringify(originalTokenize(text))) {
			differ.push(`tokens of ${JSON.stringify(text)}`);
		}
	}

	expect(differ.slice(0, 10)).toEqual([]);
}, 120_000);

test('random styled rows (colours, bold and dim, inverse, links, resets) serialise as before', () => {
	const styles = ['\u001B[31m', '\u001B[32m', '\u001B[39m', '\u001B[1m', '\u001B[2m', '\u001B[22m', '\u001B[7m', '\u001B[27m', '\u001B[0m', '\u001B[38;5;208m', '\u001B[48;2;1;2;3m', '\u001B[49m', '\u001B]8;;https://x.test\u0007', '\u001B]8;;\u0007'];
	const text = ['a', ' ', '│', '─', '◐', '✔', '界', 'é'];
	const random = prng(20_261_130);
	const differ: string[] = [];
	for (let index = 0; index < 20_000; index++) {
		let row = '';
		const length = 1 + Math.floor(random() * 40);
		for (let part = 0; part < length; part++) {
			row += random() < 0.25 ? styles[Math.floor(random() * styles.length)] : text[Math.floor(random() * text.length)];
		}

		const chars = originalStyled.styledCharsFromTokens(originalTokenize(row) as unknown[]);
		// Ink fills a row with characters that share one style list too.
		const shared = chars.map((char, at) => (at > 0 && random() < 0.2 ? {...(char as object), styles: (chars[at - 1] as {styles: unknown[]}).styles} : char));
		for (const input of [chars, shared]) {
			if (patchedStyled.styledCharsToString(input) !== originalStyled.styledCharsToString(input)) {
				differ.push(JSON.stringify(row));
			}
		}

		// A whole line at once, from its tokens.
		if (patchedStyled.styledTokensToString!(patchedTokenize(row)) !== originalStyled.styledCharsToString(chars)) {
			differ.push(`tokens of ${JSON.stringify(row)}`);
		}
	}

	expect(differ.slice(0, 10)).toEqual([]);
});

test('a box-drawn table row takes the fast path: far quicker than the unpatched general path', () => {
	const row = '│>◐ in_progress │ KpMYeVJsFe     │ skus  │ 1,234/5,000 │ Nov 28 14:05 │ summer sales — 2026 │';
	const time = (measure: StringWidth) => {
		const start = performance.now();
		for (let index = 0; index < 2000; index++) {
			measure(row + String(index));
		}

		return performance.now() - start;
	};

	time(original);
	time(patched);
	expect(patched(row)).toBe(original(row));
	// A ratio within one run (about 70x on this machine); a loose bound so a noisy machine passes.
	expect(time(patched) * 5).toBeLessThan(time(original));
});
