// The peek overlay's view of a file's first records: a table for flat records, pretty JSON for the
// others, every value sanitized and measured in cells, scrolled by rows and columns within what fits.
import React from 'react';
import {renderToString} from 'ink';
import {describe, expect, test} from 'vitest';
import type {PeekContent, PeekState} from '../source/state/types.js';
import {displayWidth} from '../source/text/width.js';
import {PeekOverlay} from '../source/ui/PeekOverlay.js';
import {jsonStep, peekColumnCap, peekView, preparePeek} from '../source/ui/peek-lines.js';

function csv(records: Array<Record<string, string>>, complete = true): PeekContent {
	return {format: 'csv', columns: Object.keys(records[0] ?? {}), records, complete};
}

const people = Array.from({length: 30}, (_, index) => ({id: `id${index + 1}`, name: `Name ${index + 1}`, city: index % 2 === 0 ? 'Milano' : 'Tōkyō 東京', email: `person${index + 1}@example.com`}));

describe('peekView', () => {
	test('flat records are a table: a header, a rule, numbered rows, each line exactly the width', () => {
		const view = peekView(preparePeek(csv(people)), 76, 10, 0, 0);
		expect(view.lines).toHaveLength(10);
		expect(view.lines.every(line => displayWidth(line) === 76)).toBe(true);
		expect(view.lines[0]).toMatch(/^ # │ id {3}│ name {4}│ city {7}│ email/);
		expect(view.lines[2]).toMatch(/^ 1 │ id1 {2}│ Name 1 {2}│ Milano {5}│ person1@example\.com/);
		expect(view.lines[3]).toContain('Tōkyō 東京');
		expect(view).toMatchObject({maxRow: 22, pageRows: 8, position: 'rows 1-8 of 30'});
		// Scrolled to the end: the last rows, never past them.
		expect(peekView(preparePeek(csv(people)), 76, 10, 99, 0).lines.at(-1)).toMatch(/^30 │ id30/);
	});

	test('columns scroll sideways: only whole columns, and no further than the last one in view', () => {
		const wide = [Object.fromEntries(Array.from({length: 8}, (_, index) => [`column_${index + 1}`, 'x'.repeat(15)]))];
		const prepared = preparePeek(csv(wide));
		const first = peekView(prepared, 60, 6, 0, 0);
		expect(first.lines[0]).toContain('column_1');
		expect(first.lines[0]).not.toContain('column_4');
		expect(first.position).toBe('cols 1-3 of 8');
		expect(first.maxColumn).toBe(5);
		const last = peekView(prepared, 60, 6, 0, 99);
		expect(last.lines[0]).toContain('column_8');
		expect(last.lines[0]).not.toContain('column_5');
		expect(last.position).toBe('cols 6-8 of 8');
	});

	test('a long value is cut at the column cap; control characters and escape sequences never reach the screen', () => {
		const hostile = [{id: 'a\u001B]52;c;aGk=\u0007b', note: `\u001B[2J${'y'.repeat(200)}`, bidi: 'x\u202Ey'}];
		const view = peekView(preparePeek(csv(hostile)), 200, 5, 0, 0);
		const text = view.lines.join('\n');
		expect(text).not.toMatch(/[\u0000-\u0009\u000B-\u001F\u007F-\u009F\u202E]/);
		expect(text).toContain('ab');
		expect(view.lines[2]).toContain(`${'y'.repeat(peekColumnCap - 1)}…`);
	});

	test('records with nested values are pretty JSON, scrolled by lines and by steps of cells', () => {
		const content: PeekContent = {format: 'json', columns: ['id', 'prices'], records: [{id: 'a', prices: [{amount: 100, note: `long ${'z'.repeat(100)}`}]}, {id: 'b', prices: []}], complete: false};
		const prepared = preparePeek(content);
		expect(prepared.kind).toBe('json');
		const view = peekView(prepared, 40, 5, 0, 0);
		expect(view.lines[0]).toBe(`{${' '.repeat(39)}`);
		expect(view.lines[1]).toBe(`  "id": "a",${' '.repeat(28)}`);
		expect(view.maxRow).toBeGreaterThan(0);
		const sideways = peekView(prepared, 40, 20, 0, 1);
		expect(sideways.lines.find(line => line.includes('zzz'))).toBeDefined();
		expect(sideways.lines[1]).toMatch(/^"a",\s+$/);
		expect(sideways.position).toContain(`→ ${jsonStep} cells`);
		// Empty objects and arrays are flat: a table.
		expect(preparePeek({format: 'json', columns: ['id', 'metadata'], records: [{id: 'a', metadata: {}}], complete: true}).kind).toBe('table');
	});
});

describe('PeekOverlay', () => {
	const base: PeekState = {seq: 1, id: 'EXP1', read: 0, row: 0, column: 0, maxRow: 0, maxColumn: 0, pageRows: 1};

	test('at 80 columns: the export, the format, the position and whether the file goes on, in the border', () => {
		const peek: PeekState = {...base, read: 30, content: csv(people, false)};
		const frame = renderToString(<PeekOverlay peek={peek} width={80} height={18} onMeasure={() => {}} />, {columns: 80});
		const lines = frame.split('\n');
		expect(lines).toHaveLength(18);
		expect(lines.every(line => displayWidth(line) === 80)).toBe(true);
		expect(lines[0]).toContain(' EXP1 · csv · first records ');
		expect(lines.at(-1)).toContain(' rows 1-14 of 30 · the file goes on ');
	});

	test('while reading it counts the records; a failure is its message, whole; it tells how far it can scroll', () => {
		const reading = renderToString(<PeekOverlay peek={{...base, read: 12}} width={80} height={10} onMeasure={() => {}} />, {columns: 80});
		expect(reading).toContain('Reading the file…');
		expect(reading).toContain('reading… 12 records');
		const message = 'Cannot read the file: storage.example answered 403 Forbidden (AccessDenied: Request has expired): the link expired, try again';
		const failed = renderToString(<PeekOverlay peek={{...base, error: message}} width={60} height={10} onMeasure={() => {}} />, {columns: 60});
		expect(failed.replaceAll(/[│\s]+/g, ' ')).toContain(message);
		const measured: unknown[] = [];
		renderToString(<PeekOverlay peek={{...base, content: csv(people)}} width={80} height={12} onMeasure={measure => measured.push(measure)} />, {columns: 80});
		expect(measured.at(-1)).toEqual({maxRow: 22, maxColumn: 0, pageRows: 8});
	});
});
