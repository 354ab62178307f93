import React from 'react';
import {describe, expect, test} from 'vitest';
import {renderToString} from 'ink';
import {render} from 'ink-testing-library';
import {filterSyntax, filterSyntaxNotes} from '../source/filter/syntax.js';
import {HelpOverlay, type HelpBinding} from '../source/ui/HelpOverlay.js';
import {helpRows} from '../source/state/keys.js';
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
		// Tall enough for one column of keys with the filter syntax under them.
		const {lastFrame, unmount} = render(<HelpOverlay bindings={bindings} width={100} height={40} readOnly={false} />);
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
		expect(text).toContain('Read-only: interrupt, restart, delete, duplicate off.');
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

		// With room (the filter syntax below them included), the full descriptions.
		const wide = plain(renderToString(<HelpOverlay bindings={rows} width={200} height={60} readOnly={false} />, {columns: 200}));
		for (const binding of rows) {
			expect(wide).toContain(binding.description);
		}
	});

	test('at 80x24 the filter syntax is a page of its own: Tab turns to it, every example and meaning whole', () => {
		const rows = helpRows();
		const page = (number: number) => renderToString(<HelpOverlay bindings={rows} width={80} height={18} readOnly={false} page={number} />, {columns: 80});
		const keys = plain(page(0));
		expect(lines(keys)[0]).toMatch(/^┌─ Keys ─+┐$/);
		expect(lines(keys).at(-1)).toMatch(/^└─+ Tab filter syntax · \? or Esc to close ─┘$/);
		expect(keys).not.toContain('records_count>100');

		const syntaxFrame = page(1);
		const syntax = plain(syntaxFrame);
		expect(lines(syntax)[0]).toMatch(/^┌─ Filter syntax ─+┐$/);
		expect(lines(syntax).at(-1)).toMatch(/ Tab keys · \? or Esc to close ─┘$/);
		expect(lines(syntax).length).toBeLessThanOrEqual(18);
		expect(Math.max(...widths(syntaxFrame))).toBeLessThanOrEqual(80);
		expect(syntax).not.toContain('…');
		const flat = syntax.replaceAll(/[│\s]+/g, ' ');
		for (const {example, meaning} of filterSyntax) {
			expect(syntax, example).toMatch(new RegExp(`│ {3}${example.replaceAll(/[.*+?^${}()|[\]\\]/g, '\\$&')} +${meaning.replaceAll(/[.*+?^${}()|[\]\\]/g, '\\$&')} +│`));
		}

		expect(flat).toContain(filterSyntaxNotes);
		// The pages go round; both pages are the same width.
		expect(plain(page(2))).toBe(keys);
		expect(plain(page(-1))).toBe(syntax);
		expect(widths(page(0))[0]).toBe(widths(syntaxFrame)[0]);
	});

	test('with room, the keys and the filter syntax share one page, every key listed whole', () => {
		const rows = helpRows();
		const frame = plain(renderToString(<HelpOverlay bindings={rows} width={120} height={36} readOnly={false} />, {columns: 120}));
		expect(frame).not.toContain('Tab');
		expect(frame).not.toContain('…');
		expect(frame).toContain('│ Filter syntax');
		for (const {example} of filterSyntax) {
			expect(frame).toContain(example);
		}

		for (const binding of rows) {
			const keys = binding.keys.join(' ');
			expect([keys, keys.replaceAll('Ctrl-', '^')].some(label => frame.includes(label)), keys).toBe(true);
			expect([binding.description, binding.brief].some(words => words !== undefined && frame.includes(words)), binding.description).toBe(true);
		}

		// Under --read-only, the banner too.
		const readOnly = plain(renderToString(<HelpOverlay bindings={rows} width={120} height={36} readOnly />, {columns: 120}));
		expect(readOnly).toContain('Read-only: interrupt, restart, delete, duplicate off.');
	});

	test('on a small terminal the syntax takes several pages, breaking between examples', () => {
		const rows = helpRows();
		const shown: string[] = [];
		for (let page = 1; page < 10; page++) {
			const frame = plain(renderToString(<HelpOverlay bindings={rows} width={60} height={16} readOnly={false} page={page} />, {columns: 60}));
			if (frame.includes('┌─ Keys')) {
				break;
			}

			expect(lines(frame).length).toBeLessThanOrEqual(16);
			expect(lines(frame)[1], `page ${page}`).toMatch(/^│ {3}\S/);
			shown.push(frame);
		}

		expect(shown.length).toBeGreaterThan(1);
		expect(lines(shown[0]!)[0]).toMatch(new RegExp(`^┌─ Filter syntax 1/${shown.length} ─+┐$`));
		const all = shown.join('\n');
		for (const {example} of filterSyntax) {
			expect(all).toContain(`   ${example}`);
		}
	});
});
