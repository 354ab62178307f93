// The arithmetic of one continuous list over the API's pages: which page holds a position, which
// pages a window needs, how the window follows the selection and moves by screenfuls.
import {describe, expect, test} from 'vitest';
import {fitTop, pageOf, pagesOf, pageStart, pageTotal, screenful} from '../source/state/list.js';

describe('positions and pages', () => {
	test('position i lives on page floor(i / size) + 1', () => {
		expect([0, 24, 25, 49, 50].map(index => pageOf(index, 25))).toEqual([1, 1, 2, 2, 3]);
		expect(pageStart(3, 25)).toBe(50);
		expect([0, 1, 25, 26, 140].map(total => pageTotal(total, 25))).toEqual([1, 1, 1, 2, 6]);
	});

	test('a window of 14 rows needs one or two pages of 25, a page of 1 needs 14', () => {
		expect(pagesOf(0, 14, 25)).toEqual([1]);
		expect(pagesOf(14, 14, 25)).toEqual([1, 2]);
		expect(pagesOf(126, 14, 25)).toEqual([6]);
		expect(pagesOf(3, 14, 1)).toHaveLength(14);
		expect(pagesOf(0, 0, 25)).toEqual([]);
	});
});

describe('the window', () => {
	test('a step past an edge scrolls by half a window; a jump only as far as it must; never past the ends', () => {
		// 6 rows of 25: half a window is 3.
		expect(fitTop(0, 5, 6, 25)).toBe(0);
		expect(fitTop(0, 6, 6, 25)).toBe(3);
		expect(fitTop(3, 8, 6, 25)).toBe(3);
		expect(fitTop(3, 2, 6, 25)).toBe(0);
		expect(fitTop(0, 20, 6, 25)).toBe(15);
		expect(fitTop(15, 3, 6, 25)).toBe(3);
		expect(fitTop(15, 24, 6, 25)).toBe(19);
		expect(fitTop(19, 22, 6, 25)).toBe(19);
		// Everything fits: always from the top.
		expect(fitTop(4, 3, 30, 25)).toBe(0);
	});

	test('a screenful moves the window by its height, so that paging shows every row once', () => {
		const total = 140;
		const visible = 14;
		let position = {cursor: 0, top: 0};
		const shown = new Set<number>();
		for (let step = 0; step < 20; step++) {
			for (let index = position.top; index < position.top + visible; index++) {
				shown.add(index);
			}

			position = screenful(position, 1, visible, total);
		}

		expect(shown.size).toBe(total);
		// At the end the cursor goes to the last row, and back up it goes to the first.
		expect(position).toEqual({cursor: 139, top: 126});
		expect(screenful({cursor: 100, top: 95}, 1, visible, total)).toEqual({cursor: 114, top: 109});
		expect(screenful({cursor: 130, top: 126}, -1, visible, total)).toEqual({cursor: 116, top: 112});
		expect(screenful({cursor: 5, top: 0}, -1, visible, total)).toEqual({cursor: 0, top: 0});
		expect(screenful({cursor: 0, top: 0}, 1, visible, 0)).toEqual({cursor: 0, top: 0});
		// A list shorter than the window: the ends at once.
		expect(screenful({cursor: 2, top: 0}, 1, visible, 9)).toEqual({cursor: 8, top: 0});
	});
});
