import React from 'react';
import {describe, expect, test} from 'vitest';
import {renderToString} from 'ink';
import {render} from 'ink-testing-library';
import {HelpOverlay, type HelpBinding} from '../source/ui/HelpOverlay.js';
import {helpRows} from '../source/ui/keymap.js';
import {lines, plain, widths} from './helpers/ui-fixtures.js';

const bindings: HelpBinding[] = [
	{id: 'up', keys: ['↑', 'k'], description: 'previous export', group: 'Navigate', modes: ['browse']},
	{id: 'down', keys: ['↓', 'j'], description: 'next export', group: 'Navigate', modes: ['browse']},
	{id: 'next-page', keys: ['PgDn', '→', 'l', 'n', 'Ctrl-F'], description: 'next page', group: 'Navigate', modes: ['browse']},
	{id: 'quit', keys: ['q'], description: 'quit', group: 'General', modes: ['browse']},
	{id: 'interrupt', keys: ['i'], description: 'interrupt the export', group: 'Actions', modes: ['browse']},
	{id: 'delete', keys: ['Ctrl-D'], description: 'delete the export', group: 'Actions', modes: ['browse']},
	{id: 'filter', keys: ['/'], description: 'filter', group: 'Filter & sort', modes: ['browse']},
	{id: 'sort', keys: ['s'], description: 'sort by the next column', group: 'Filter & sort', modes: ['browse']},
	{id: 'detail', keys: ['Enter'], description: 'details on/off', group: 'View', modes: ['browse']},
	// The same binding listed for two modes appears once.
	{id: 'quit', keys: ['q'], description: 'quit', group: 'General', modes: ['detail']},
];

function many(count: number): HelpBinding[] {
	return Array.from({length: count}, (_, index) => ({
		id: `b${index}`,
		keys: [String.fromCharCode(97 + (index % 26))],
		description: `binding number ${index}`,
		group: ['Navigate', 'Filter & sort', 'View', 'Actions', 'General'][index % 5] ?? 'General',
	}));
}

describe('HelpOverlay', () => {
	test('lists every binding with its keys, grouped in a fixed order', () => {
		const {lastFrame, unmount} = render(<HelpOverlay bindings={bindings} width={100} height={30} readOnly={false} />);
		const shown = lines(lastFrame());
		expect(shown[0]).toMatch(/^┌─ Keys ─+┐$/);
		expect(shown.at(-1)).toMatch(/^└─+ \? or Esc to close ─┘$/);
		const text = plain(lastFrame());
		const order = ['Navigate', 'Filter & sort', 'View', 'Actions', 'General'].map(group => text.indexOf(`│ ${group}`));
		expect(order.every(index => index > 0)).toBe(true);
		expect([...order].sort((a, b) => a - b)).toEqual(order);
		expect(text).toMatch(/↑ k +previous export/);
		expect(text).toMatch(/PgDn → l n Ctrl-F +next page/);
		expect(text).toMatch(/Ctrl-D +delete the export/);
		expect(text.match(/ quit/g)).toHaveLength(1);
		expect(text).not.toContain('read-only');
		expect(new Set(widths(lastFrame())).size).toBe(1);
		unmount();
	});

	test('says that actions are off under read-only', () => {
		const {lastFrame, unmount} = render(<HelpOverlay bindings={bindings} width={100} height={30} readOnly />);
		const text = plain(lastFrame());
		expect(text).toContain('Read-only: interrupt, restart and delete are off.');
		expect(text).toContain('Actions (off: read-only)');
		unmount();
	});

	test('fits in width × height: more columns when tall, a "more" line when even that is not enough', () => {
		for (const [width, height] of [[80, 22], [60, 12], [160, 20], [40, 10], [120, 40]] as const) {
			const frame = renderToString(<HelpOverlay bindings={many(40)} width={width} height={height} readOnly={false} />, {columns: width});
			const shown = lines(frame);
			expect(shown.length, `${width}x${height}`).toBeLessThanOrEqual(height);
			for (const cells of widths(frame)) {
				expect(cells, `${width}x${height}`).toBeLessThanOrEqual(width);
			}
		}

		const wide = plain(renderToString(<HelpOverlay bindings={many(40)} width={160} height={20} readOnly={false} />, {columns: 160}));
		for (let index = 0; index < 40; index++) {
			expect(wide).toContain(`binding number ${index}`);
		}

		const small = plain(renderToString(<HelpOverlay bindings={many(40)} width={40} height={10} readOnly={false} />, {columns: 40}));
		expect(small).toContain('… more: enlarge the terminal');
	});

	test('the real key map fits an 80x24 terminal (18 lines of body) without cutting a key or a word', () => {
		const rows = helpRows();
		const frame = plain(renderToString(<HelpOverlay bindings={rows} width={80} height={18} readOnly={false} />, {columns: 80}));
		expect(frame).not.toContain('…');
		for (const binding of rows) {
			const keys = binding.keys.join(' ');
			const shown = [keys, keys.replaceAll('Ctrl-', '^')].some(label => frame.includes(label));
			expect(shown, keys).toBe(true);
			const words = [binding.description, binding.brief].filter((text): text is string => text !== undefined);
			expect(words.some(text => frame.includes(text)), binding.description).toBe(true);
		}

		// With room, the full descriptions.
		const wide = plain(renderToString(<HelpOverlay bindings={rows} width={200} height={40} readOnly={false} />, {columns: 200}));
		for (const binding of rows) {
			expect(wide).toContain(binding.description);
		}
	});
});
