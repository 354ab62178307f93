import React from 'react';
import {describe, expect, test} from 'vitest';
import {renderToString} from 'ink';
import {render} from 'ink-testing-library';
import {detailLines} from '../source/ui/detail-lines.js';
import {percentBar} from '../source/ui/detail-values.js';
import {DetailPane, maxDetailScroll} from '../source/ui/DetailPane.js';
import {exportRecord, lines, plain, widths} from './helpers/ui-fixtures.js';

const url = 'https://exports.commercelayer.io/acme/orders/2024/11/28/wxYzAbCdEf.csv.gz?X-Amz-Signature=0123456789abcdef0123456789abcdef';
const record = exportRecord(
	'wxYzAbCdEf',
	{
		status: 'in_progress',
		started_at: '2024-11-28T10:01:00Z',
		estimated_completion_at: '2024-11-28T10:09:00Z',
		records_count: 1500,
		processed_count: 600,
		includes: ['customer', 'line_items'],
		fields: ['id', 'number'],
		filters: {status_eq: 'placed', number_in: ['1', '2']},
		errors_log: {row_12: 'invalid "email"'},
		metadata: {batch: 7, owner: '注文 👍'},
		attachment_url: url,
		dry_data: false,
		reference: 'nightly-orders',
		reference_origin: 'app-x',
		updated_at: '2024-11-28T10:05:00Z',
		jwt_filters: true,
	},
	{
		links: {self: 'https://acme.commercelayer.io/api/exports/wxYzAbCdEf'},
		relationships: {
			events: {links: {self: 'https://acme.commercelayer.io/api/exports/wxYzAbCdEf/relationships/events', related: 'https://acme.commercelayer.io/api/exports/wxYzAbCdEf/events'}},
		},
		meta: {mode: 'test', organization_id: 'WXlEOFrjnr', trace_id: 'trace-abc123'},
	},
);

const dates = {now: Date.parse('2024-11-28T10:06:00Z'), timeZone: 'Europe/Rome'};

const failed = exportRecord(
	'OjHsqpWwiP',
	{
		status: 'failed',
		resource_type: 'orders',
		format: 'csv',
		records_count: 8500,
		processed_count: 2302,
		reference: 'google-shopping-feed-305',
		created_at: '2024-11-28T10:01:00Z',
		started_at: '2024-11-28T10:02:00Z',
		completed_at: null,
		interrupted_at: null,
		estimated_completion_at: null,
		errors_log: {
			'ActiveRecord::QueryCanceled': 'PG::QueryCanceled: ERROR: canceling statement due to statement timeout after 300 s on the replica',
			attempts: 3,
			'Redis::CannotConnectError': 'Error connecting to Redis',
		},
		metadata: {},
		includes: [],
		fields: null,
		filters: null,
		reference_origin: '',
		attachment_url: null,
		dry_data: false,
		updated_at: '2024-11-28T10:04:00Z',
	},
	{
		links: {self: 'https://acme.commercelayer.io/api/exports/OjHsqpWwiP'},
		relationships: {
			events: {links: {self: 'https://acme.commercelayer.io/api/exports/OjHsqpWwiP/relationships/events', related: 'https://acme.commercelayer.io/api/exports/OjHsqpWwiP/events'}},
		},
	},
);

/** The words of `text` no longer than `width`, each whole on some line of `lines`. */
function wordsWhole(text: string, lines: string[], width: number): boolean {
	const shown = new Set(lines.flatMap(line => line.split(/\s+/)));
	return text.split(/\s+/).every(word => word.length > width || shown.has(word));
}

describe('detailLines', () => {
	test('a summary first: status, type, format, records, reference, the times that are set, the first error in full', () => {
		const all = detailLines(failed, 80, dates);
		expect(all.slice(0, 10)).toEqual([
			'status      ✖ failed',
			'type        orders',
			'format      csv',
			'records     8,500 (2,302 processed)',
			'reference   google-shopping-feed-305',
			'created     11:01 (5 min ago)',
			'started     11:02 (4 min ago)',
			'error       ActiveRecord::QueryCanceled: PG::QueryCanceled: ERROR: canceling',
			'            statement due to statement timeout after 300 s on the replica',
			'            (2 more in the errors log below)',
		]);
		// Then the rest, after a blank line.
		expect(all[10]).toBe('');
		expect(all[11]).toMatch(/^id +OjHsqpWwiP$/);
	});

	test('a running export: the progress beside the status, the expected end, how many were processed', () => {
		const text = detailLines(record, 100, dates).join('\n');
		expect(text).toMatch(/^status +◐ in_progress {2}████░░░░░░ 40%$/m);
		expect(text).toMatch(/^records +1,500 \(600 processed\)$/m);
		expect(text).toMatch(/^started +11:01 \(5 min ago\)$/m);
		expect(text).toMatch(/^est\. end +11:09 \(in 3 min\)$/m);
		expect(text).not.toMatch(/^(completed|interrupted) /m);
		// Once it ended, the expected end is only history: in the exact times below, not the summary.
		const done = detailLines({...record, attributes: {...record.attributes, status: 'completed', completed_at: '2024-11-28T10:05:00Z'}}, 100, dates).join('\n');
		expect(done).not.toMatch(/^est\. end +\d/m);
		expect(done).toMatch(/^completed +11:05 \(1 min ago\)$/m);
		expect(done).toMatch(/^est\. end at +2024-11-28T11:09:00\+01:00$/m);
		// A past day says which.
		const older = detailLines({...record, attributes: {...record.attributes, created_at: '2024-11-26T08:00:00Z'}}, 100, dates).join('\n');
		expect(older).toMatch(/^created +Nov 26 09:00 \(2 d ago\)$/m);
	});

	test('the rest: settings, JSON, exact timestamps, unknown attributes, links as paths, meta', () => {
		const text = detailLines(record, 100, dates).join('\n');
		expect(text).toMatch(/^id +wxYzAbCdEf$/m);
		expect(text).toMatch(/^dry data +no$/m);
		expect(text).toMatch(/^includes +customer, line_items$/m);
		expect(text).toMatch(/^fields +id, number$/m);
		expect(text).toMatch(/^filters +\{"status_eq":"placed","number_in":\["1","2"\]\}$/m);
		expect(text).toMatch(/^metadata +\{"batch":7,"owner":"注文 👍"\}$/m);
		expect(text).toMatch(/^log +row_12: invalid "email"$/m);
		expect(text).toMatch(/^reference origin +app-x$/m);
		expect(text).toMatch(/^created at +2024-11-28T11:00:00\+01:00$/m);
		expect(text).toMatch(/^started at +2024-11-28T11:01:00\+01:00$/m);
		expect(text).toMatch(/^updated at +2024-11-28T11:05:00\+01:00 \(1 min ago\)$/m);
		expect(text).toMatch(/^jwt filters +yes$/m);
		expect(text).toMatch(/^link +\/api\/exports\/wxYzAbCdEf$/m);
		expect(text).toContain('events            /api/exports/wxYzAbCdEf/events\n                  /api/exports/wxYzAbCdEf/relationships/events');
		expect(text).not.toContain('https://acme.commercelayer.io');
		expect(text).toMatch(/^mode +test$/m);
		expect(text).toMatch(/^organization id +WXlEOFrjnr$/m);
		expect(text).toMatch(/^trace id +trace-abc123$/m);
		// A JSON value too wide for one line: pretty, under its label.
		const narrow = detailLines(record, 50, dates).join('\n');
		expect(narrow).toContain('filters\n  {\n    "status_eq": "placed",\n    "number_in": [\n      "1",\n      "2"\n    ]\n  }');
		// The whole errors log when the summary showed only its first entry.
		expect(detailLines(failed, 80, dates).join('\n')).toContain('"Redis::CannotConnectError": "Error connecting to Redis"');
	});

	test('the attributes with no value are named on one line at the end', () => {
		const all = detailLines(failed, 160, dates);
		expect(all.at(-1)).toBe(
			'empty: estimated_completion_at, interrupted_at, completed_at, includes, fields, filters, metadata, reference_origin, attachment_url',
		);
		expect(all.join('\n')).not.toMatch(/ —$/m);
		// The summary's own fields say — ; the others are named when the server sent them empty
		// (one it left out, with sparse fields, is not).
		const sparse = {id: 'sparse1', type: 'exports', attributes: {status: 'pending', resource_type: null, started_at: null, errors_log: null, metadata: {}, dry_data: null, processed_count: null}};
		const text = detailLines(sparse, 80, dates).join('\n');
		for (const label of ['type', 'format', 'records', 'reference']) {
			expect(text).toMatch(new RegExp(`^${label} +—$`, 'm'));
		}

		expect(text.split('\n').at(-1)).toBe('empty: started_at, errors_log, dry_data, metadata, processed_count');
	});

	test('nothing wraps inside a word: only a word longer than the line is broken', () => {
		for (let width = 24; width <= 120; width += 3) {
			const all = detailLines(failed, width, dates);
			const error = String(failed.attributes.errors_log!['ActiveRecord::QueryCanceled']);
			const valueWidth = width - 4 - 12;
			if (valueWidth >= 16) {
				expect(wordsWhole(`ActiveRecord::QueryCanceled: ${error}`, all, valueWidth), `width ${width}`).toBe(true);
			}

			// Paths break after a slash.
			for (const line of all.filter(line => line.includes('/api/'))) {
				expect(line.trimEnd(), `width ${width}`).toMatch(/(\/|OjHsqpWwiP|events)$/);
			}
		}
	});

	test('the attachment URL is wrapped, never cut: joined back it is the whole URL', () => {
		const all = detailLines(record, 60, dates);
		const start = all.findIndex(line => line.startsWith('attachment url'));
		const pieces: string[] = [];
		for (let index = start; index < all.length; index++) {
			const line = all[index] ?? '';
			if (index > start && !line.startsWith(' '.repeat(18))) {
				break;
			}

			pieces.push(line.slice(18));
		}

		expect(pieces.length).toBeGreaterThan(1);
		expect(pieces.join('')).toBe(url);
	});

	test('a huge value is shown up to about 64 KB, then says how much more there is and where to see it', () => {
		const big = exportRecord('BigBigBig1', {metadata: {note: 'x'.repeat(70_000), team: 'ops'}, reference: 'ref '.repeat(100_000)});
		const all = detailLines(big, 80, dates);
		// Each value's 64 KB in lines of 60 cells or more.
		expect(all.length).toBeLessThan((2 * 65_536) / 60 + 60);
		const notes = all.filter(line => /^ +"note": "x+$|^ +x+$/.test(line));
		expect(notes.join('').replaceAll(/[^x]/g, '').length).toBeLessThanOrEqual(65_536);
		const more = all.join('\n');
		// Under the cut string, at its indentation; the keys after it still show.
		expect(more).toMatch(/x",\n {4}… 4 KB more: all of it with cl-exports --json --filter\s+id_eq=BigBigBig1\n {4}"team": "ops"\n {2}\}/);
		expect(more).toMatch(/… 327 KB more: all of it with cl-exports --json --filter\s+id_eq=BigBigBig1/);
	});

	test('many large values stop after about 256 KB; deep nesting is written compact', () => {
		const metadata = Object.fromEntries(Array.from({length: 10}, (_, index) => [`k${index}`, 'y'.repeat(60_000)]));
		const all = detailLines(exportRecord('ManyBig001', {metadata}), 80, dates);
		const shown = all.join('').replaceAll(/[^y]/g, '').length;
		expect(shown).toBeLessThanOrEqual(4 * 65_536);
		expect(shown).toBeGreaterThan(3 * 60_000);
		expect(all.join('\n')).toMatch(/… more: all of it with cl-exports --json --filter\s+id_eq=ManyBig001/);
		expect(all.join('\n')).not.toContain('"k9"');

		let deep: unknown = 'bottom';
		for (let level = 0; level < 3000; level++) {
			deep = {a: deep};
		}

		const nested = detailLines(exportRecord('Deep000001', {metadata: deep as Record<string, unknown>}), 80, dates);
		expect(nested.length).toBeLessThan(1000);
		expect(nested.join('\n')).toContain('bottom');
	});

	test('no line is wider than the pane content, at any width', () => {
		for (let width = 20; width <= 120; width += 7) {
			for (const line of [...detailLines(record, width, dates), ...detailLines(failed, width, dates)]) {
				expect(line.length === 0 || widths(line)[0]! <= width - 4).toBe(true);
			}
		}
	});

	test('server strings are sanitized', () => {
		const evil = exportRecord('e1', {
			reference: 'a\u001B[2Jb',
			metadata: {note: 'x\u009B31my\u202Ez'},
			attachment_url: 'https://x.example/\u001B]52;c;aGk=\u0007f.csv',
		});
		const text = detailLines(evil, 100, dates).join('\n');
		expect(text).not.toMatch(/[\u0000-\u0009\u000B-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069]/);
		expect(text).toMatch(/^reference +ab$/m);
		expect(text).toContain('https://x.example/f.csv');
	});

	test('progress bar', () => {
		expect(percentBar(0)).toBe('░░░░░░░░░░ 0%');
		expect(percentBar(100)).toBe('██████████ 100%');
		expect(percentBar(55.5)).toBe('██████░░░░ 55%');
	});
});

describe('DetailPane', () => {
	test('a border titled with the id, lines inside, and the height respected', () => {
		const {lastFrame, unmount} = render(<DetailPane record={record} width={70} height={14} scroll={0} />);
		const shown = lines(lastFrame());
		expect(shown).toHaveLength(14);
		expect(shown[0]).toMatch(/^┌─ export wxYzAbCdEf ─+┐$/);
		expect(shown[1]).toMatch(/^│ status +◐ in_progress {2}████░░░░░░ 40% +│$/);
		expect(shown[2]).toMatch(/^│ type +orders +│$/);
		expect(shown.at(-1)).toMatch(/^└─+ +↓ 1-12 of \d+ ─┘$/);
		expect(new Set(widths(lastFrame())).size).toBe(1);
		unmount();
	});

	test('scrolls: lines from the offset, with ↑/↓ marks, clamped at the end', () => {
		const total = detailLines(record, 70).length;
		const middle = lines(renderToString(<DetailPane record={record} width={70} height={14} scroll={5} />, {columns: 70}));
		expect(middle[1]).toContain(detailLines(record, 70)[5]);
		expect(middle.at(-1)).toContain(`↑↓ 6-17 of ${total}`);

		const max = maxDetailScroll(record, 70, 14);
		expect(max).toBe(total - 12);
		const end = lines(renderToString(<DetailPane record={record} width={70} height={14} scroll={max + 50} />, {columns: 70}));
		expect(end.at(-1)).toContain(`↑  ${max + 1}-${total} of ${total}`);
		expect(plain(end.join('\n'))).toContain('trace-abc123');
	});

	test('at 80x24 the detail of a failed export answers without scrolling', () => {
		// The body of an 80x24 terminal: 18 lines, 16 inside the border.
		const shown = plain(renderToString(<DetailPane record={failed} width={80} height={18} scroll={0} />, {columns: 80}));
		for (const pattern of [/│ status +✖ failed/, /│ type +orders/, /│ format +csv/, /│ records +8,500/, /│ reference +google-shopping-feed-305/]) {
			expect(shown).toMatch(pattern);
		}

		const error = `ActiveRecord::QueryCanceled: ${String(failed.attributes.errors_log!['ActiveRecord::QueryCanceled'])}`;
		const inside = shown.split('\n').map(line => line.slice(2, -2).trim()).join(' ').replaceAll(/\s+/g, ' ');
		expect(inside).toContain(error);
	});

	test('short content: no scroll mark, pane keeps its height', () => {
		const shown = lines(renderToString(<DetailPane record={record} width={100} height={60} scroll={0} />, {columns: 100}));
		expect(shown).toHaveLength(60);
		expect(shown.at(-1)).toMatch(/^└─+┘$/);
	});

	test('no record selected', () => {
		const shown = lines(renderToString(<DetailPane width={40} height={5} scroll={0} />, {columns: 40}));
		expect(shown[1]).toContain('No export selected.');
	});
});
