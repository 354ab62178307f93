import {describe, expect, test, vi} from 'vitest';
import stringWidth from 'string-width';
import {displayWidth, dropCells, fit, padEnd, padStart, truncate, truncateSegments, wrap, wrapWords} from '../source/text/width.js';

// How much text goes through the width measure: wrapping must read each character about once,
// however long the text (a per-line re-measure of the rest took seconds on a 100 KB value).
const measured = vi.hoisted(() => ({characters: 0}));
vi.mock('string-width', async importOriginal => {
	const original = await importOriginal<typeof import('string-width')>();
	return {
		default(text: string, options?: Parameters<typeof original.default>[1]) {
			measured.characters += text.length;
			return original.default(text, options);
		},
	};
});

const samples = [
	'plain ascii reference',
	'注文のエクスポート二〇二四年',
	'👍👍👍👍👍👍',
	'family 👨‍👩‍👧 and 👩‍💻 here',
	'flags 🇮🇹🇯🇵🇺🇸 fly',
	'cafe\u0301 crème brûle\u0301e',
	'mixed 中文 and emoji 🎉 text',
	'',
];

describe('displayWidth', () => {
	test('counts terminal cells', () => {
		expect(displayWidth('abc')).toBe(3);
		expect(displayWidth('中文')).toBe(4);
		expect(displayWidth('👍')).toBe(2);
		expect(displayWidth('👨‍👩‍👧')).toBe(2);
		expect(displayWidth('🇮🇹')).toBe(2);
		expect(displayWidth('e\u0301')).toBe(1);
	});
});

describe('truncate', () => {
	test('returns text that fits unchanged', () => {
		expect(truncate('hello', 5)).toBe('hello');
		expect(truncate('中文', 4)).toBe('中文');
	});

	test('cuts with an ellipsis', () => {
		expect(truncate('hello world', 8)).toBe('hello w…');
		expect(truncate('hello', 1)).toBe('…');
		expect(truncate('hello', 0)).toBe('');
	});

	test('never splits a wide character, a ZWJ sequence, a flag or a combining mark', () => {
		expect(truncate('中文字', 4)).toBe('中…'); // 中 + … = 3 cells; 文 would need 2 more
		expect(truncate('a👨‍👩‍👧b', 3)).toBe('a…');
		expect(truncate('a👨‍👩‍👧bc', 4)).toBe('a👨‍👩‍👧…');
		expect(truncate('🇮🇹🇯🇵', 3)).toBe('🇮🇹…');
		expect(truncate('cafe\u0301s', 5)).toBe('cafe\u0301s');
		expect(truncate('cafe\u0301s!', 5)).toBe('cafe\u0301…');
	});

	test('is never wider than asked, for every sample and width', () => {
		for (const sample of samples) {
			for (let width = 0; width <= 40; width++) {
				const cut = truncate(sample, width);
				expect(stringWidth(cut)).toBeLessThanOrEqual(width);
				if (stringWidth(sample) > width && width > 0) {
					expect(cut.endsWith('…')).toBe(true);
				}
			}
		}
	});
});

describe('dropCells', () => {
	test('drops the first cells, whole graphemes; a wide one the cut goes through becomes spaces', () => {
		expect(dropCells('hello', 2)).toBe('llo');
		expect(dropCells('hello', 0)).toBe('hello');
		expect(dropCells('hello', 9)).toBe('');
		expect(dropCells('東京タワー', 2)).toBe('京タワー');
		expect(dropCells('東京タワー', 3)).toBe(' タワー');
		expect(dropCells('a👩‍👩‍👧b', 2)).toBe(' b');
		expect(dropCells('éé', 1)).toBe('é');
		for (const text of ['abc', '東京', 'a👩‍👩‍👧b', 'e\u0301x']) {
			for (let cells = 0; cells <= displayWidth(text); cells++) {
				expect(displayWidth(dropCells(text, cells))).toBe(Math.max(0, displayWidth(text) - cells));
			}
		}
	});
});

describe('pad and fit', () => {
	test('pad to a width in cells', () => {
		expect(padEnd('ab', 4)).toBe('ab  ');
		expect(padStart('ab', 4)).toBe('  ab');
		expect(padEnd('中', 4)).toBe('中  ');
		expect(padStart('1,234', 3)).toBe('1,234');
	});

	test('fit gives exactly the width, aligned', () => {
		for (const sample of samples) {
			for (let width = 1; width <= 40; width++) {
				expect(stringWidth(fit(sample, width))).toBe(width);
				expect(stringWidth(fit(sample, width, 'right'))).toBe(width);
			}
		}

		expect(fit('42', 5, 'right')).toBe('   42');
		expect(fit('中文字', 4)).toBe('中… ');
	});
});

describe('wrap', () => {
	test('hard-wraps at the exact width without losing a character', () => {
		const url = 'https://exports.example.com/abc/def/ghi.csv.gz?X-Amz-Signature=0123456789';
		const lines = wrap(url, 20);
		expect(lines.join('')).toBe(url);
		for (const line of lines) {
			expect(stringWidth(line)).toBeLessThanOrEqual(20);
		}

		expect(lines[0]).toHaveLength(20);
	});

	test('keeps wide characters whole', () => {
		const lines = wrap('中文中文中', 3);
		expect(lines).toEqual(['中', '文', '中', '文', '中']);
		expect(wrap('', 5)).toEqual(['']);
	});

	test('reads a long text once: the work grows with its length, not with length × lines', () => {
		// Not plain ASCII, so every character goes through the width measure.
		const text = 'é中'.repeat(5000);
		measured.characters = 0;
		const lines = wrap(text, 60);
		expect(lines.join('')).toBe(text);
		expect(lines).toHaveLength(Math.ceil((5000 * 3) / 60));
		expect(measured.characters).toBeLessThanOrEqual(2 * text.length);
	});

	test('with maxLines it stops there, without reading the rest', () => {
		const text = 'ü'.repeat(20_000);
		measured.characters = 0;
		const lines = wrap(text, 80, 3);
		expect(lines).toEqual(['ü'.repeat(80), 'ü'.repeat(80), 'ü'.repeat(80)]);
		expect(measured.characters).toBeLessThanOrEqual(1000);
		expect(wrap('a'.repeat(20_000), 80, 2)).toEqual(['a'.repeat(80), 'a'.repeat(80)]);
	});

	test('wrapWords reads a long text once too', () => {
		const text = Array.from({length: 10_000}, (_, index) => `wörd${index}`).join(' ');
		measured.characters = 0;
		const lines = wrapWords(text, 50);
		expect(lines.join(' ')).toBe(text);
		expect(measured.characters).toBeLessThanOrEqual(30 * text.length);
		measured.characters = 0;
		const word = 'ß'.repeat(50_000);
		const pieces = wrapWords(`a ${word} b`, 70);
		expect(pieces[0]).toBe('a');
		expect(pieces.slice(1).join('')).toBe(`${word} b`);
		expect(measured.characters).toBeLessThanOrEqual(4 * word.length);
	});

	test('wrapWords breaks at spaces and cuts long words', () => {
		expect(wrapWords('the quick brown fox', 10)).toEqual(['the quick', 'brown fox']);
		expect(wrapWords('a verylongwordhere b', 6)).toEqual(['a', 'verylo', 'ngword', 'here b']);
	});
});

describe('truncateSegments', () => {
	test('cuts styled runs to the width with one ellipsis', () => {
		const segments = [{text: 'hello ', bold: true}, {text: 'wide 中文 world', color: 'red'}];
		const cut = truncateSegments(segments, 10);
		expect(cut.map(segment => segment.text).join('')).toBe('hello wid…');
		expect(cut[0]?.bold).toBe(true);
		expect(cut[1]?.color).toBe('red');
		expect(truncateSegments(segments, 40)).toEqual(segments);
	});
});
