// The triage pieces on screen: the header's status line, the watch mark, the copied link
// panel and the footer's y/N question, at every width.
import React from 'react';
import {renderToString} from 'ink';
import {describe, expect, test, vi} from 'vitest';
import {Footer} from '../source/ui/Footer.js';
import {Header, type HeaderProps} from '../source/ui/Header.js';
import {ThemeContext, createTheme} from '../source/ui/theme.js';
import {UrlPanel, urlPanelLines} from '../source/ui/UrlPanel.js';
import {lines, plain, widths} from './helpers/ui-fixtures.js';

// How much text goes through the width measure (a huge link must cost what its shown lines cost).
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

const counts = {pending: 3, in_progress: 6, interrupted: 5, failed: 6, completed: 12_279};

const base: HeaderProps = {
	source: 'acme.commercelayer.io',
	demo: false,
	apiMode: 'test',
	filterText: 'type:skus status:failed',
	sort: [{field: 'created_at', descending: true}],
	recordCount: 60,
	loading: false,
	refreshedAt: Date.parse('2026-11-15T12:00:00Z'),
	width: 100,
	overview: {counts, selected: new Set(['failed'])},
};

function header(props: Partial<HeaderProps>, columns: number): string {
	return renderToString(
		<ThemeContext.Provider value={createTheme({})}>
			<Header {...base} {...props} width={columns} />
		</ThemeContext.Provider>,
		{columns},
	);
}

describe('the status line', () => {
	test('counts with their keys and words when there is room, fewer words when not, never wider than the terminal', () => {
		expect(lines(header({}, 100))[2]).toBe('1○ 3 pending  2◐ 6 in_progress  3■ 5 interrupted  4✖ 6 failed  5✔ 12,279 completed');
		expect(lines(header({}, 80))[2]).toBe('○ 3 pending  ◐ 6 in_progress  ■ 5 interrupted  ✖ 6 failed  ✔ 12,279 completed');
		expect(lines(header({}, 60))[2]).toBe('1○3 2◐6 3■5 4✖6 5✔12,279');
		for (let width = 20; width <= 200; width += 7) {
			const frame = header({watchSeconds: 2, watchNote: '429', overview: {...base.overview, note: 'counts every 10 s', error: 'Too many requests'}}, width);
			expect(lines(frame)).toHaveLength(3);
			for (const cells of widths(frame)) {
				expect(cells, `width ${width}`).toBeLessThanOrEqual(width);
			}
		}
	});

	test('counts not known yet show …; an error without counts says so; the watch note sits on the right', () => {
		expect(lines(header({overview: {}}, 100))[2]).toContain('1○ … pending');
		expect(lines(header({overview: {error: 'Internal Server Error'}}, 100))[2]).toBe('status counts: Internal Server Error');
		const watching = lines(header({watchSeconds: 2, overview: {counts, note: 'counts every 10 s'}}, 120));
		expect(watching[0]).toMatch(/watch 2 s · refreshed \d\d:\d\d:\d\d$/);
		expect(watching[2]).toMatch(/completed +counts every 10 s$/);
		expect(lines(header({watchSeconds: 2, watchNote: 'paused'}, 100))[0]).toContain('watch paused');
	});

	test('without an overview the header keeps its two lines', () => {
		expect(lines(header({overview: undefined}, 100))).toHaveLength(2);
	});
});

describe('the copied link', () => {
	const url = `https://exports.s3.amazonaws.com/acme/XAyRWNUzyN.json.gz?X-Amz-Signature=${'a'.repeat(200)}&X-Amz-Expires=300`;

	test('wrapped at the edge with nothing around it, so a selection picks up the link alone', () => {
		const {lines: shown, cut} = urlPanelLines(url, 80, 6);
		expect(cut).toBe(false);
		expect(shown.join('')).toBe(url);
		expect(shown.slice(0, -1).every(line => line.length === 80)).toBe(true);
		const frame = renderToString(<UrlPanel url={url} width={80} height={6} />, {columns: 80});
		expect(plain(frame).replaceAll('\n', '')).toBe(url);
	});

	test('too long for its lines: the last one says where the whole link is', () => {
		const {lines: shown, cut} = urlPanelLines(url, 40, 3);
		expect(cut).toBe(true);
		expect(shown).toHaveLength(3);
		expect(shown[2]).toMatch(/^… the whole link is in the details/);
		expect(shown.every(line => line.length <= 40)).toBe(true);
		// Control characters never reach the terminal.
		expect(urlPanelLines('https://x/\u001B[2Jy', 80, 2).lines.join('')).not.toContain('\u001B');
	});

	test('a huge link costs only the lines shown: the rest is never measured', () => {
		const huge = `https://exports.example/ü/${'ü'.repeat(20_000)}`;
		measured.characters = 0;
		const {lines: shown, cut} = urlPanelLines(huge, 80, 6);
		expect(cut).toBe(true);
		expect(shown).toHaveLength(6);
		expect(shown.slice(0, 5).join('')).toBe(huge.slice(0, 400));
		expect(measured.characters).toBeLessThanOrEqual(10 * 80 * 6);
	});
});

test("the footer's question takes the message line, under the question's own hints", () => {
	const question = 'Interrupt export XAyRWNUzyN (skus, in_progress)? y/N';
	const frame = renderToString(
		<ThemeContext.Provider value={createTheme({})}>
			<Footer hints={[{key: 'y', label: 'yes'}, {key: 'n', label: 'no (any other key)'}]} notice={question} tone="question" width={80} />
		</ThemeContext.Provider>,
		{columns: 80},
	);
	expect(lines(frame)).toEqual(['y yes  n no (any other key)', question]);
});
