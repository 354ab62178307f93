import React from 'react';
import {describe, expect, test, vi} from 'vitest';
import {renderToString} from 'ink';
import {render} from 'ink-testing-library';
import {Header, type HeaderProps} from '../source/ui/Header.js';
import {Footer, errorText, footerHeight, type FooterProps} from '../source/ui/Footer.js';
import {caretLine} from '../source/ui/FilterPrompt.js';
import {downloadExport} from '../source/actions/download.js';
import {describeError} from '../source/api/errors.js';
import {parseFilter} from '../source/filter/parse.js';
import {refusal} from '../source/state/operations.js';
import {ThemeContext, createTheme} from '../source/ui/theme.js';
import {formatClock} from '../source/text/dates.js';
import {lines, widths} from './helpers/ui-fixtures.js';

vi.hoisted(() => {
	process.env.FORCE_COLOR = '1';
});

const refreshedAt = Date.parse('2024-11-28T14:05:09Z');
const base: HeaderProps = {
	source: 'acme.commercelayer.io',
	demo: false,
	apiMode: 'test',
	filterText: 'status:completed type:orders',
	sort: [{field: 'created_at', descending: true}],
	recordCount: 340,
	loading: false,
	refreshedAt,
	width: 100,
};

function header(props: Partial<HeaderProps> = {}, columns = props.width ?? 100, theme = createTheme({})): string {
	return renderToString(
		<ThemeContext.Provider value={theme}>
			<Header {...base} {...props} width={columns} />
		</ThemeContext.Provider>,
		{columns},
	);
}

const hints: FooterProps['hints'] = [
	{key: '↑↓', label: 'move'},
	{key: '←→', label: 'page'},
	{key: '/', label: 'filter'},
	{key: 's', label: 'sort'},
	{key: '⏎', label: 'details'},
	{key: '?', label: 'help'},
	{key: 'q', label: 'quit'},
];

function footer(props: Partial<FooterProps> = {}, columns = 100): string {
	return renderToString(
		<ThemeContext.Provider value={createTheme({})}>
			<Footer hints={hints} width={columns} {...props} />
		</ThemeContext.Provider>,
		{columns},
	);
}

describe('Header', () => {
	test('two lines: source, mode, refresh time; filter, sort and how many exports', () => {
		const {lastFrame, unmount} = render(<Header {...base} />);
		const [first, second, ...rest] = lines(lastFrame());
		expect(rest.filter(line => line !== '')).toEqual([]);
		expect(first).toContain('cl-exports');
		expect(first).toContain('acme.commercelayer.io · test');
		expect(first).toContain(`refreshed ${formatClock(refreshedAt)}`);
		expect(first).not.toContain('DEMO');
		expect(first).not.toContain('loading');
		expect(second).toContain('filter /status:completed type:orders');
		expect(second).toContain('sort created_at ↓');
		expect(second).toMatch(/sort created_at ↓ · 340 exports$/);
		unmount();
	});

	test('DEMO badge (inverse, so it reads without colour), loading mark and watch', () => {
		const frame = header({demo: true, loading: true, watchSeconds: 5});
		const [first] = lines(frame);
		expect(first).toContain('DEMO');
		expect(first).toContain('⋯ loading');
		expect(first).toContain('watch 5 s');
		expect(frame.split('\n')[0]).toMatch(/\u001B\[7m[^\n]*DEMO/);
		const plain = header({demo: true}, 100, createTheme({NO_COLOR: '1'}));
		expect(plain).toMatch(/\u001B\[7m/);
		expect(plain).not.toMatch(/\u001B\[(3|9)\dm/);
	});

	test('while the pacer holds the page, a countdown instead of "loading", whole on 80 columns beside DEMO', () => {
		const [first] = lines(header({demo: true, source: '127.0.0.1:38693', loading: true, heldSeconds: 6, watchSeconds: 2}, 80));
		expect(first).toContain('rate limit · next request in 6 s');
		expect(first).not.toContain('loading');
		expect(first).toContain('DEMO');
		// The watch mark gives way to it at this width; it is back as soon as the page goes.
		expect(lines(header({demo: true, source: '127.0.0.1:38693', loading: true, watchSeconds: 2}, 80))[0]).toContain('watch 2 s');
		// Not loading (a refresh behind the rows): nothing.
		expect(lines(header({heldSeconds: 6}, 80))[0]).not.toContain('next request');
	});

	test('live mode stands out; no filter and singular counts read naturally', () => {
		const frame = header({apiMode: 'live', filterText: '', recordCount: 1, sort: [{field: 'status', descending: false}]});
		const [first, second] = lines(frame);
		expect(first).toContain('· live');
		expect(frame.split('\n')[0]).toMatch(/\u001B\[31m[^\n]*live/);
		expect(second).toContain('filter none');
		expect(second).toContain('sort status ↑');
		expect(second).toMatch(/ · 1 export$/);
		// While a new list loads its size is not known: no number from another list.
		expect(lines(header({recordCount: undefined}))[1]).toMatch(/ · … exports$/);
		expect(lines(header({recordCount: 1_234_567}))[1]).toMatch(/ · 1,234,567 exports$/);
		// The marks are counted beside them, and stay whole at 80 columns.
		expect(lines(header({recordCount: 140, marked: 3, width: 80}))[1]).toMatch(/ · 140 exports · 3 marked$/);
		expect(lines(header({recordCount: 140, marked: 0}))[1]).toMatch(/ · 140 exports$/);
	});

	test('never wraps: each line is cut to the width, keeping DEMO and the count', () => {
		for (const width of [30, 40, 60, 80, 120, 200]) {
			const frame = header({demo: true, loading: true, watchSeconds: 10, filterText: 'reference~"a very long reference filter" status:failed,interrupted'}, width);
			const shown = lines(frame).filter(line => line !== '');
			expect(shown, `width ${width}`).toHaveLength(2);
			for (const cells of widths(frame)) {
				expect(cells).toBeLessThanOrEqual(width);
			}

			if (width >= 40) {
				expect(shown[0]).toContain('DEMO');
				expect(shown[1]).toContain('340 exports');
			}
		}
	});

	test('server text in the header is sanitized', () => {
		const frame = header({source: 'evil\u001B]0;title\u0007.example', apiMode: 'te\u001B[31mst'});
		expect(lines(frame)[0]).toContain('evil.example · test');
		expect(frame.split('\n')[0]?.replaceAll(/\u001B\[\d+m/g, '')).not.toContain('\u001B');
	});
});

describe('Footer', () => {
	test('always two lines: hints, then a blank message line', () => {
		const {lastFrame, unmount} = render(<Footer hints={hints} width={100} />);
		const shown = lines(lastFrame());
		expect(shown[0]).toBe('↑↓ move  ←→ page  / filter  s sort  ⏎ details  ? help  q quit');
		expect(shown[1]?.trim()).toBe('');
		unmount();
	});

	test('the error line: title: detail, with the retry countdown', () => {
		const frame = footer({error: {title: 'Too many requests', detail: 'Rate limit exceeded for exports', retryInSeconds: 7}});
		expect(lines(frame)[1]).toBe('✖ Too many requests: Rate limit exceeded for exports · retrying in 7 s');
		expect(frame.split('\n')[1]).toContain('\u001B[31m');
		expect(lines(footer({error: {title: 'Network error', detail: 'connect ECONNREFUSED 127.0.0.1:4567'}}))[1]).toBe(
			'✖ Network error: connect ECONNREFUSED 127.0.0.1:4567',
		);
		expect(errorText({title: 'Not found'})).toBe('Not found');
		expect(errorText({title: 'x', retryInSeconds: 2.2})).toBe('x · retrying in 3 s');
	});

	test('a notice when there is no error', () => {
		expect(lines(footer({notice: 'Copied the id'}))[1]).toBe('Copied the id');
		expect(lines(footer({notice: 'Copied', error: {title: 'Boom'}}))[1]).toBe('✖ Boom');
	});

	test('a message wider than the terminal wraps to a second line at spaces; cut only past that', () => {
		const long = {title: 'Network error', detail: 'request to https://acme.commercelayer.io/api/exports failed: connect ECONNREFUSED 10.0.3.21:443', retryInSeconds: 4};
		const frame = footer({error: long}, 80);
		const shown = lines(frame);
		expect(shown).toHaveLength(3);
		expect(shown[1]).toBe('✖ Network error: request to https://acme.commercelayer.io/api/exports failed:');
		expect(shown[2]).toBe('  connect ECONNREFUSED 10.0.3.21:443 · retrying in 4 s');
		expect(footerHeight({error: long}, 80)).toBe(3);
		expect(footerHeight({error: long}, 200)).toBe(2);
		expect(footerHeight({}, 80)).toBe(2);

		const cut = footer({error: {title: 'Server error', detail: 'x'.repeat(200), retryInSeconds: 30}}, 40);
		const [hintLine, ...message] = lines(cut);
		expect(hintLine).toBe('↑↓ move  ←→ page  / filter  s sort');
		expect(message).toHaveLength(2);
		expect(message[0]).toBe('✖ Server error:');
		expect(message[1]).toMatch(/^ {2}x+…$/);
		for (const cells of widths(cut)) {
			expect(cells).toBeLessThanOrEqual(40);
		}
	});

	test('the messages of the filter, the actions and a download are whole at 80 columns', async () => {
		const failedExport = {id: 'OjHsqpWwiP', type: 'exports', attributes: {status: 'failed', resource_type: 'orders'}};
		const downloadError = await downloadExport({client: {getExport: async () => failedExport}, id: failedExport.id, dir: '.'}).then(
			() => undefined,
			(error: unknown) => describeError(error),
		);
		const messages = [
			refusal('interrupt', failedExport, {readOnly: false}),
			refusal('restart', {...failedExport, attributes: {status: 'in_progress'}}, {readOnly: false}),
			downloadError,
		];
		for (const message of messages) {
			expect(message).toBeDefined();
			const frame = lines(footer({error: {title: message!}}, 80)).slice(1).join(' ').replaceAll(/\s+/g, ' ');
			expect(frame).toBe(`✖ ${message}`);
			expect(frame).not.toContain('…');
		}

		expect(messages).toEqual([
			'Cannot interrupt a failed export: only pending or in-progress ones',
			'Cannot restart an in-progress export: only interrupted or failed ones',
			'No file to download: export OjHsqpWwiP is failed, not completed',
		]);

		// The filter prompt's error line: the suggestion, and the list when there is none.
		for (const [value, expected] of [
			['status:fa', 'unknown status "fa" — did you mean failed?'],
			['type:orders status:stuck', 'unknown status "stuck" (pending, in_progress, interrupted, failed, completed)'],
		] as const) {
			const parsed = parseFilter(value);
			expect(parsed.ok).toBe(false);
			if (!parsed.ok) {
				const line = caretLine(value, {message: parsed.error, start: parsed.start, end: parsed.end}, 80);
				expect(line).toContain(expected);
				expect(line.length).toBeLessThanOrEqual(80);
			}
		}
	});

	test('error text from the server is sanitized', () => {
		const frame = footer({error: {title: 'Bad\u001B[2J request', detail: 'line one\nline two\u001B]52;c;eA==\u0007'}});
		expect(lines(frame)[1]).toBe('✖ Bad request: line one line two');
		expect(frame.replaceAll(/\u001B\[\d+m/g, '')).not.toContain('\u001B');
	});
});
