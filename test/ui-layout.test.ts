import {describe, expect, test} from 'vitest';
import {screenLayout, type ScreenInput} from '../source/ui/layout.js';

const at = (columns: number, rows: number, input: Partial<ScreenInput> = {}) => screenLayout({columns, rows, prompt: false, detailOpen: false, ...input});

describe('screenLayout', () => {
	test('80x24: the table takes the body between the header and the footer', () => {
		const screen = at(80, 24);
		expect(screen).toMatchObject({width: 80, height: 23, header: 3, footer: 2, prompt: 0, url: 0, body: 18, detail: 'closed'});
		expect(screen.table).toEqual({width: 80, height: 18});
		expect(screen.pane).toEqual({width: 0, height: 0});
	});

	test('80x24 and below: the detail takes the whole body; the filter prompt gives it back to the table', () => {
		for (const [columns, rows] of [[80, 24], [60, 20], [100, 30], [119, 31]] as const) {
			const screen = at(columns, rows, {detailOpen: true});
			expect(screen.detail, `${columns}x${rows}`).toBe('full');
			expect(screen.pane).toEqual({width: columns, height: rows - 6});
			expect(screen.table.height).toBe(0);
		}

		const typing = at(80, 24, {detailOpen: true, prompt: true});
		expect(typing).toMatchObject({detail: 'hidden', prompt: 2, body: 16});
		expect(typing.table).toEqual({width: 80, height: 16});
		expect(typing.pane).toEqual({width: 0, height: 0});
	});

	test('tall enough for a table of eight rows and the summary: the detail goes below the table', () => {
		const screen = at(80, 32, {detailOpen: true});
		expect(screen.detail).toBe('below');
		expect(screen.pane).toEqual({width: 80, height: 14});
		expect(screen.table).toEqual({width: 80, height: 12});
		const tall = at(80, 50, {detailOpen: true});
		expect(tall.pane.height).toBe(22);
		expect(tall.table.height).toBe(22);
		// A long message, the prompt or a copied link take lines from the body, not the layout's shape.
		expect(at(80, 32, {detailOpen: true, footer: 3}).detail).toBe('below');
		expect(at(80, 32, {detailOpen: true, prompt: true}).detail).toBe('below');
		expect(at(80, 31, {detailOpen: true}).detail).toBe('full');
	});

	test('from 120 columns the detail sits beside the table', () => {
		const screen = at(120, 40, {detailOpen: true});
		expect(screen).toMatchObject({detail: 'side', direction: 'row', body: 34});
		expect(screen.pane).toEqual({width: 48, height: 34});
		expect(screen.table).toEqual({width: 72, height: 34});
		expect(at(200, 24, {detailOpen: true}).pane).toEqual({width: 80, height: 18});
		expect(at(120, 24, {detailOpen: true}).detail).toBe('side');
	});

	test('a long message takes a third footer line, the copied link up to a third of the room', () => {
		expect(at(80, 24, {footer: 3})).toMatchObject({footer: 3, body: 17});
		const asked: number[] = [];
		const screen = at(80, 24, {
			urlLines(max) {
				asked.push(max);
				return Math.min(max, 9);
			},
		});
		expect(asked).toEqual([6]);
		expect(screen).toMatchObject({url: 6, body: 12});
		expect(at(80, 24, {urlLines: () => 2})).toMatchObject({url: 2, body: 16});
	});

	test('the parts always add up to the height and the width, never below zero', () => {
		for (let columns = 1; columns <= 200; columns += 9) {
			for (let rows = 1; rows <= 60; rows += 3) {
				for (const detailOpen of [false, true]) {
					for (const prompt of [false, true]) {
						const screen = at(columns, rows, {detailOpen, prompt, footer: 3, urlLines: max => max});
						const what = `${columns}x${rows} detail ${detailOpen} prompt ${prompt}`;
						for (const value of [screen.body, screen.url, screen.table.width, screen.table.height, screen.pane.width, screen.pane.height]) {
							expect(value, what).toBeGreaterThanOrEqual(0);
						}

						if (screen.height >= screen.header + screen.prompt + screen.footer) {
							expect(screen.header + screen.body + screen.prompt + screen.url + screen.footer, what).toBe(screen.height);
						}

						if (screen.direction === 'row') {
							expect(screen.table.width + screen.pane.width, what).toBe(screen.width);
						} else {
							expect(screen.table.height + screen.pane.height, what).toBe(screen.body);
						}
					}
				}
			}
		}
	});
});
