// One continuous list over the paged API. The keys move over every export that matches; the API's
// pages (`page[size]` exports each) are only how rows are fetched and cached. Positions are
// 0-based indexes into the whole list: index i lives on page floor(i / size) + 1, at i % size.
// Pure arithmetic, shared by the reducer, the requests hook and the view.

/** The API page (1-based) that holds the export at `index`. */
export function pageOf(index: number, size: number): number {
	return Math.floor(Math.max(0, index) / Math.max(1, size)) + 1;
}

/** The index of the first export of `page`. */
export function pageStart(page: number, size: number): number {
	return (page - 1) * Math.max(1, size);
}

/** How many pages a list of `total` exports has (at least 1: an empty list still has page 1). */
export function pageTotal(total: number, size: number): number {
	return Math.max(1, Math.ceil(total / Math.max(1, size)));
}

/** The pages that hold the rows `start` .. `start + count - 1`. */
export function pagesOf(start: number, count: number, size: number): number[] {
	if (count <= 0) {
		return [];
	}

	const first = pageOf(start, size);
	const last = pageOf(start + count - 1, size);
	const pages: number[] = [];
	for (let page = first; page <= last; page++) {
		pages.push(page);
	}

	return pages;
}

export function clamp(value: number, min: number, max: number): number {
	return Math.min(Math.max(value, min), max);
}

/**
 * The first visible row so that `cursor` is inside a window of `visible` rows of a list of
 * `total`. A step past an edge scrolls by half a window, like a pager's half-page scroll: the rows
 * ahead come into view at once, and the whole table is redrawn once per half window instead of at
 * every step. A jump further away moves the window only as far as it must.
 */
export function fitTop(top: number, cursor: number, visible: number, total: number): number {
	if (visible <= 0 || total <= visible) {
		return 0;
	}

	const half = Math.max(1, Math.floor(visible / 2));
	let start = clamp(top, 0, total - visible);
	if (cursor < start) {
		start = Math.min(cursor, start - half);
	} else if (cursor >= start + visible) {
		start = Math.max(cursor - visible + 1, start + half);
	}

	return clamp(start, 0, total - visible);
}

/** Where one screenful down (+1) or up (-1) goes: the window moves by its height, the cursor with it. */
export function screenful(
	position: {cursor: number; top: number},
	direction: 1 | -1,
	visible: number,
	total: number,
): {cursor: number; top: number} {
	if (total <= 0) {
		return {cursor: 0, top: 0};
	}

	const last = total - 1;
	const lastTop = Math.max(0, total - visible);
	const top = clamp(position.top + direction * visible, 0, lastTop);
	// At either end of the list the window cannot move: the cursor goes to the first / last export.
	const cursor = top === position.top ? (direction > 0 ? last : 0) : clamp(position.cursor + direction * visible, 0, last);
	return {cursor, top: fitTop(top, cursor, visible, total)};
}
