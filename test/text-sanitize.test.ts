import {describe, expect, test} from 'vitest';
import {sanitize} from '../source/text/sanitize.js';

const ESC = '\u001B';
const BEL = '\u0007';
const ST = `${ESC}\\`;

// Nothing a terminal would act on may survive: no C0 (incl. ESC), DEL, C1, or bidi controls.
const dangerous = /[\u0000-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069]/;

function expectSafe(output: string) {
	expect(output).not.toMatch(dangerous);
}

describe('sanitize', () => {
	test('leaves ordinary text, CJK, emoji and combining marks alone', () => {
		for (const text of ['summer-sale 2024', '注文のエクスポート', '한국어', '👍 done', '👨‍👩‍👧 family', '🇮🇹 Italia', 'café', 'cafe\u0301', 'a·b — c…']) {
			expect(sanitize(text)).toBe(text);
		}
	});

	test('turns non-strings into text', () => {
		expect(sanitize(undefined)).toBe('');
		expect(sanitize(null)).toBe('');
		expect(sanitize(42)).toBe('42');
		expect(sanitize(false)).toBe('false');
		expect(sanitize({a: 1})).toBe('{"a":1}');
		expect(sanitize(['x', 'y'])).toBe('["x","y"]');
	});

	test('maps tabs and line breaks to one space', () => {
		expect(sanitize('a\tb')).toBe('a b');
		expect(sanitize('line one\r\nline two\nthree\rfour')).toBe('line one line two three four');
		expect(sanitize('a\n\n\tb')).toBe('a b');
	});

	test('removes CSI sequences (colours, cursor moves, erase, private modes)', () => {
		expect(sanitize(`${ESC}[31mred${ESC}[0m`)).toBe('red');
		expect(sanitize(`x${ESC}[2J${ESC}[H${ESC}[3Jy`)).toBe('xy');
		expect(sanitize(`a${ESC}[?1049hb${ESC}[?25lc`)).toBe('abc');
		expect(sanitize(`a${ESC}[38;2;255;0;0mb`)).toBe('ab');
		expect(sanitize(`a${ESC}[1;31;4mb`)).toBe('ab');
		expect(sanitize('a\u009B31mb')).toBe('ab'); // 8-bit CSI
	});

	test('removes OSC sequences with BEL or ST, including OSC 52 (clipboard) and OSC 8 (links)', () => {
		expect(sanitize(`a${ESC}]0;evil title${BEL}b`)).toBe('ab');
		expect(sanitize(`a${ESC}]52;c;ZWNobyBoYWNrZWQ=${BEL}b`)).toBe('ab');
		expect(sanitize(`a${ESC}]52;c;ZWNobyBoYWNrZWQ=${ST}b`)).toBe('ab');
		expect(sanitize(`${ESC}]8;;https://evil.example${ST}click${ESC}]8;;${ST}`)).toBe('click');
		expect(sanitize(`${ESC}]8;;https://evil.example${BEL}click${ESC}]8;;${BEL}`)).toBe('click');
		expect(sanitize('a\u009D0;title\u009Cb')).toBe('ab'); // 8-bit OSC and ST
	});

	test('removes DCS, APC, PM and SOS strings', () => {
		expect(sanitize(`a${ESC}Pq#0;2;0;0;0#0~~@@${ST}b`)).toBe('ab');
		expect(sanitize(`a${ESC}_Gf=100;AAAA${ST}b`)).toBe('ab');
		expect(sanitize(`a${ESC}^private${ST}b`)).toBe('ab');
		expect(sanitize(`a${ESC}Xstring${ST}b`)).toBe('ab');
		expect(sanitize('a\u0090dcs\u009Cb')).toBe('ab');
	});

	test('drops unterminated control strings instead of showing their payload', () => {
		expect(sanitize(`ok${ESC}]52;c;aGFja2Vk`)).toBe('ok');
		expect(sanitize(`ok${ESC}Ptmux;${ESC}${ESC}]52;c;x${BEL}`)).not.toContain('52;c');
		expectSafe(sanitize(`ok${ESC}Ptmux;${ESC}${ESC}]52;c;x${BEL}${ST}`));
	});

	test('removes lone ESC, two-byte escapes, C0, DEL and C1 controls', () => {
		expect(sanitize(`a${ESC}b`)).toBe('ab'); // not a sequence: only the ESC goes
		expect(sanitize(`a${ESC}`)).toBe('a');
		expect(sanitize(`a${ESC}7b${ESC}8c`)).toBe('abc');
		expect(sanitize(`a${ESC}cb`)).toBe('ab');
		expect(sanitize('a\u0000b\u0007c\u0008d\u001Fe\u007Ff')).toBe('abcdef');
		expect(sanitize('a\u0085b\u0080c\u0099d')).toBe('abcd');
		expect(sanitize('a\u009Fapc payload')).toBe('a'); // 8-bit APC: its payload goes too
	});

	test('removes bidi embeddings, overrides and isolates (Trojan Source)', () => {
		expect(sanitize('invoice\u202Etxt.exe')).toBe('invoicetxt.exe');
		expect(sanitize('\u202Aa\u202Bb\u202Cc\u202Dd\u2066e\u2067f\u2068g\u2069')).toBe('abcdefg');
	});

	test('nasty inputs never let an escape through', () => {
		const nasty = [
			`${ESC}${ESC}[31mx`,
			`${ESC}[${ESC}[31mx`,
			`${ESC}[31${ESC}]0;t${BEL}m`,
			`\u009B\u009B\u009D\u0090`,
			`${ESC}[\u0000[31m`,
			`${ESC}]${ESC}]${ESC}]`,
			`${ESC}P${ESC}P${ST}${ST}`,
			'\r\u001B[2K\u001B[1A fake prompt $ ',
			`${ESC}[6n${ESC}[c${ESC}]10;?${BEL}`, // terminal queries whose answers would be typed back
			'x'.repeat(1000) + ESC + '[' + '9;'.repeat(5000) + 'm',
			String.fromCodePoint(...Array.from({length: 0xA0}, (_, index) => index)),
		];
		for (const input of nasty) {
			expectSafe(sanitize(input));
		}

		// Every C0/C1 byte and every bidi control, in every position.
		for (let code = 0; code < 0x2070; code++) {
			if (code > 0xA0 && code < 0x2020) {
				continue;
			}

			const char = String.fromCharCode(code);
			expectSafe(sanitize(`a${char}b${char}`));
		}
	});
});
