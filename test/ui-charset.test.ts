// A terminal that is not UTF-8 (LANG=C, ISO-8859-1) gets the table in ASCII, with the same widths,
// and ASCII status symbols.
import {describe, expect, test} from 'vitest';
import {asciiBox, unicodeBox, utf8Terminal} from '../source/ui/charset.js';
import {bottomBorder, headerLine, headerSeparator, layoutTable, messageLine, rowParts, topBorder} from '../source/ui/table-layout.js';
import {createTheme, statusStyle} from '../source/ui/theme.js';
import {statuses} from '../source/api/types.js';

describe('utf8Terminal', () => {
	test('the first of LC_ALL, LC_CTYPE, LANG that is set decides', () => {
		expect(utf8Terminal({LANG: 'C'})).toBe(false);
		expect(utf8Terminal({LANG: 'POSIX'})).toBe(false);
		expect(utf8Terminal({LANG: 'de_DE.ISO-8859-1'})).toBe(false);
		expect(utf8Terminal({LANG: 'en_US.UTF-8'})).toBe(true);
		expect(utf8Terminal({LANG: 'C.utf8'})).toBe(true);
		expect(utf8Terminal({LC_ALL: 'C', LANG: 'en_US.UTF-8'})).toBe(false);
		expect(utf8Terminal({LC_CTYPE: 'en_US.UTF-8', LANG: 'C'})).toBe(true);
		expect(utf8Terminal({LC_ALL: '', LC_CTYPE: 'C', LANG: 'en_US.UTF-8'})).toBe(false);
		// Nothing set: every current terminal is UTF-8.
		expect(utf8Terminal({})).toBe(true);
	});
});

describe('ASCII', () => {
	const layout = layoutTable(80);

	test('the table lines are ASCII, exactly as wide as the box-drawn ones', () => {
		const cells = Object.fromEntries(layout.columns.map(column => [column.cell, 'x'])) as Parameters<typeof rowParts>[1];
		const pairs = [
			[topBorder(layout.columns, asciiBox), topBorder(layout.columns, unicodeBox)],
			[headerSeparator(layout.columns, asciiBox), headerSeparator(layout.columns, unicodeBox)],
			[bottomBorder(layout.columns, '1-7 of 25', asciiBox), bottomBorder(layout.columns, '1-7 of 25', unicodeBox)],
			[headerLine(layout.columns, asciiBox), headerLine(layout.columns, unicodeBox)],
			[Object.values(rowParts(layout.columns, cells, '>', asciiBox)).join(''), Object.values(rowParts(layout.columns, cells, '>', unicodeBox)).join('')],
			[messageLine(layout, 'No exports yet.', asciiBox), messageLine(layout, 'No exports yet.', unicodeBox)],
		];
		for (const [ascii = '', unicode = ''] of pairs) {
			expect(ascii).toMatch(/^[\u0020-\u007E]+$/);
			expect(ascii.length).toBe(unicode.length);
		}

		expect(topBorder(layout.columns, asciiBox)).toMatch(/^\+-+(\+-+)*\+$/);
		expect(bottomBorder(layout.columns, '1-7 of 25', asciiBox)).toMatch(/^\+-.*- 1-7 of 25 -\+$/);
		expect(headerLine(layout.columns, asciiBox)).toMatch(/^\| status +\| id +\|/);
	});

	test('status symbols are ASCII, one cell each, all different, with or without colour', () => {
		for (const env of [{LANG: 'C'}, {LANG: 'C', NO_COLOR: '1'}]) {
			const theme = createTheme(env);
			const symbols = statuses.map(name => statusStyle(theme, name).symbol);
			expect(symbols.every(symbol => /^[\u0021-\u007E]$/.test(symbol))).toBe(true);
			expect(new Set([...symbols, '>', '*', '?']).size).toBe(symbols.length + 3);
		}

		expect(statusStyle(createTheme({LANG: 'C'}), 'failed')).toMatchObject({symbol: 'x', color: 'red', word: 'failed'});
		expect(statusStyle(createTheme({LANG: 'en_US.UTF-8'}), 'failed').symbol).toBe('✖');
	});
});
