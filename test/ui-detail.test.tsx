import React from 'react';
import {describe, expect, test} from 'vitest';
import {renderToString} from 'ink';
import {render} from 'ink-testing-library';
import {DetailPane, detailLines, maxDetailScroll, progressBar} from '../source/ui/DetailPane.js';
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

describe('detailLines', () => {
	test('every attribute, timestamps with offset and age, counts, progress, links and meta', () => {
		const text = detailLines(record, 100, dates).join('\n');
		expect(text).toMatch(/^id +wxYzAbCdEf$/m);
		expect(text).toMatch(/^status +◐ in_progress$/m);
		expect(text).toMatch(/^ {2}started +2024-11-28T11:01:00\+01:00 \(5 min ago\)$/m);
		expect(text).toMatch(/^ {2}completed +—$/m);
		expect(text).toMatch(/^ {2}interrupted +—$/m);
		expect(text).toMatch(/^ {2}est\. completion +2024-11-28T11:09:00\+01:00 \(in 3 min\)$/m);
		expect(text).toMatch(/^resource type +orders$/m);
		expect(text).toMatch(/^format +csv$/m);
		expect(text).toMatch(/^dry data +no$/m);
		expect(text).toMatch(/^records +1,500$/m);
		expect(text).toMatch(/^processed +600$/m);
		expect(text).toMatch(/^progress +████░░░░░░ 40%$/m);
		expect(text).toMatch(/^includes +customer, line_items$/m);
		expect(text).toMatch(/^fields +id, number$/m);
		expect(text).toContain('filters\n  {\n    "status_eq": "placed",\n    "number_in": [\n      "1",\n      "2"\n    ]\n  }');
		expect(text).toContain('errors log\n  {\n    "row_12": "invalid \\"email\\""\n  }');
		expect(text).toContain('"owner": "注文 👍"');
		expect(text).toMatch(/^reference +nightly-orders$/m);
		expect(text).toMatch(/^reference origin +app-x$/m);
		expect(text).toMatch(/^created +2024-11-28T11:00:00\+01:00 \(6 min ago\)$/m);
		expect(text).toMatch(/^updated +2024-11-28T11:05:00\+01:00/m);
		expect(text).toMatch(/^jwt filters +yes$/m);
		expect(text).toMatch(/^link +https:\/\/acme\.commercelayer\.io\/api\/exports\/wxYzAbCdEf$/m);
		expect(text).toContain('events            related https://acme.commercelayer.io/api/exports/wxYzAbCdEf/events');
		expect(text).toContain('self https://acme.commercelayer.io/api/exports/wxYzAbCdEf/relationships/events');
		expect(text).toMatch(/^mode +test$/m);
		expect(text).toMatch(/^organization id +WXlEOFrjnr$/m);
		expect(text).toMatch(/^trace id +trace-abc123$/m);
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

	test('missing values show as —', () => {
		const sparse = {id: 'sparse1', type: 'exports', attributes: {status: 'pending'}};
		const text = detailLines(sparse, 80, dates).join('\n');
		for (const label of ['resource type', 'format', 'dry data', 'records', 'processed', 'progress', 'includes', 'fields', 'filters', 'errors log', 'metadata', 'reference', 'reference origin', 'attachment url', 'created', 'updated', 'link', 'relationships', 'mode', 'organization id', 'trace id']) {
			expect(text).toMatch(new RegExp(`^${label} +—$`, 'm'));
		}
	});

	test('no line is wider than the pane content, at any width', () => {
		for (let width = 20; width <= 120; width += 7) {
			for (const line of detailLines(record, width, dates)) {
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
		expect(progressBar(0)).toBe('░░░░░░░░░░ 0%');
		expect(progressBar(100)).toBe('██████████ 100%');
		expect(progressBar(55.5)).toBe('██████░░░░ 55%');
	});
});

describe('DetailPane', () => {
	test('a border titled with the id, lines inside, and the height respected', () => {
		const {lastFrame, unmount} = render(<DetailPane record={record} width={70} height={14} scroll={0} />);
		const shown = lines(lastFrame());
		expect(shown).toHaveLength(14);
		expect(shown[0]).toMatch(/^┌─ export wxYzAbCdEf ─+┐$/);
		expect(shown[1]).toMatch(/^│ id +wxYzAbCdEf +│$/);
		expect(shown[2]).toMatch(/^│ status +◐ in_progress +│$/);
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
