import {describe, expect, test} from 'vitest';
import stringWidth from 'string-width';
import {createTheme, noColorRequested, statusStyle} from '../source/ui/theme.js';
import {statuses} from '../source/api/types.js';

describe('theme', () => {
	test('NO_COLOR with any non-empty value turns every colour off', () => {
		expect(noColorRequested({})).toBe(false);
		expect(noColorRequested({NO_COLOR: ''})).toBe(false);
		expect(noColorRequested({NO_COLOR: '1'})).toBe(true);
		expect(noColorRequested({NO_COLOR: '0'})).toBe(true);
		const theme = createTheme({NO_COLOR: 'yes'});
		expect(theme.noColor).toBe(true);
		const colours = Object.entries(theme).filter(([key, value]) => typeof value === 'string' && key !== 'noColor');
		expect(colours).toEqual([]);
		for (const status of statuses) {
			expect(theme.status[status].color).toBeUndefined();
		}
	});

	test('each status has a one-cell symbol and its own colour', () => {
		const theme = createTheme({});
		const symbols = new Set<string>();
		const colours = new Set<string | undefined>();
		for (const status of statuses) {
			const style = statusStyle(theme, status);
			expect(stringWidth(style.symbol)).toBe(1);
			expect(style.word).toBe(status);
			expect(style.known).toBe(true);
			symbols.add(style.symbol);
			colours.add(style.color);
		}

		expect(symbols.size).toBe(statuses.length);
		expect(colours.size).toBe(statuses.length);
		// NO_COLOR keeps the symbols: the status still reads.
		expect(statusStyle(createTheme({NO_COLOR: '1'}), 'failed').symbol).toBe('✖');
	});

	test('unknown statuses: a plain ? and the sanitized word', () => {
		const theme = createTheme({});
		expect(statusStyle(theme, 'archived')).toEqual({symbol: '?', word: 'archived', known: false});
		expect(statusStyle(theme, 'bad\u001B[31mred')).toMatchObject({symbol: '?', word: 'badred'});
		expect(statusStyle(theme, null)).toMatchObject({symbol: '?', word: '—'});
		expect(statusStyle(theme, 'completed\u001B[0m')).toMatchObject({symbol: '✔', word: 'completed', known: true});
	});
});
