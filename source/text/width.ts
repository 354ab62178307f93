// Cell-accurate text helpers. Terminal columns are display cells, not UTF-16 units: CJK takes
// two cells, an emoji (with ZWJ sequences and flags) two, combining marks none. Everything is
// measured with string-width (the same library Ink measures with) and cut on grapheme
// boundaries, so a cut never splits a cluster and never overshoots the width.
import stringWidth from 'string-width';

export type Align = 'left' | 'right';

const ellipsis = '…';
let segmenter: Intl.Segmenter | undefined;
const joiners = /[\r\p{Grapheme_Extend}\p{Emoji_Modifier}\u200D\p{Regional_Indicator}\p{Spacing_Mark}\u0E33\u0EB3\u1100-\u11FF\uA960-\uA97F\uD7B0-\uD7FF\u0600-\u0605\u06DD\u070F\u0890\u0891\u08E2\u0D4E\u{110BD}\u{110CD}\u{111C2}\u{111C3}\u{113D1}\u{1193F}\u{11941}\u{11A3A}\u{11A84}-\u{11A89}\u{11D46}\u{11F02}\u{16D63}\u{16D67}-\u{16D6A}]/u;

/**
 * The graphemes of `text`, lazily (a caller that stops early pays for what it read): its code
 * points when none of them can join another (no Intl needed).
 */
function graphemes(text: string): Iterable<{segment: string; index: number}> {
	if (joiners.test(text)) {
		segmenter ??= new Intl.Segmenter();
		return segmenter.segment(text);
	}

	return codePoints(text);
}

function* codePoints(text: string): Generator<{segment: string; index: number}> {
	let index = 0;
	for (const segment of text) {
		yield {segment, index};
		index += segment.length;
	}
}

// Plain printable ASCII is one cell per character; most table cells are like this.
const asciiOnly = /^[\u0020-\u007E]*$/;

/** Display width in terminal cells. */
export function displayWidth(text: string): number {
	return asciiOnly.test(text) ? text.length : stringWidth(text);
}

/** The longest prefix of `text` (whole graphemes) that fits in `width` cells, and its width. */
function fitPrefix(text: string, width: number): {text: string; width: number} {
	let used = 0;
	let end = 0;
	for (const {segment, index} of graphemes(text)) {
		const cells = stringWidth(segment);
		if (used + cells > width) {
			return {text: text.slice(0, index), width: used};
		}

		used += cells;
		end = index + segment.length;
	}

	return {text: text.slice(0, end), width: used};
}

/** Cuts `text` to at most `width` cells, ending with `…` when something was cut. */
export function truncate(text: string, width: number): string {
	if (width <= 0) {
		return '';
	}

	if (displayWidth(text) <= width) {
		return text;
	}

	if (asciiOnly.test(text)) {
		return text.slice(0, width - 1) + ellipsis;
	}

	return fitPrefix(text, width - 1).text + ellipsis;
}

/**
 * `text` without its first `cells` cells (whole graphemes: a wide one the cut goes through becomes
 * spaces), for scrolling a long line sideways.
 */
export function dropCells(text: string, cells: number): string {
	if (cells <= 0) {
		return text;
	}

	if (asciiOnly.test(text)) {
		return text.slice(cells);
	}

	let used = 0;
	for (const {segment, index} of graphemes(text)) {
		if (used >= cells) {
			return text.slice(index);
		}

		used += stringWidth(segment);
		if (used > cells) {
			return ' '.repeat(used - cells) + text.slice(index + segment.length);
		}
	}

	return '';
}

/** Pads with spaces on the right to `width` cells (text wider than that is returned as is). */
export function padEnd(text: string, width: number): string {
	const missing = width - displayWidth(text);
	return missing > 0 ? text + ' '.repeat(missing) : text;
}

/** Pads with spaces on the left to `width` cells (text wider than that is returned as is). */
export function padStart(text: string, width: number): string {
	const missing = width - displayWidth(text);
	return missing > 0 ? ' '.repeat(missing) + text : text;
}

/** Exactly `width` cells: truncated with `…` if longer, padded if shorter. */
export function fit(text: string, width: number, align: Align = 'left'): string {
	const cut = truncate(text, width);
	return align === 'right' ? padStart(cut, width) : padEnd(cut, width);
}

/**
 * Hard-wraps `text` into lines of at most `width` cells, on grapheme boundaries. Used for values
 * a user copies by hand (URLs), where a break at the exact edge is better than a lost character.
 * One pass over the text, each grapheme measured once; with `maxLines`, it stops reading there.
 */
export function wrap(text: string, width: number, maxLines = Number.POSITIVE_INFINITY): string[] {
	if (width <= 0 || maxLines <= 0) {
		return [];
	}

	const lines: string[] = [];
	if (asciiOnly.test(text)) {
		for (let start = 0; lines.length < maxLines && (start < text.length || lines.length === 0); start += width) {
			lines.push(text.slice(start, start + width));
		}

		return lines;
	}

	let start = 0;
	let used = 0;
	for (const {segment, index} of graphemes(text)) {
		const cells = stringWidth(segment);
		// A grapheme wider than the whole line (an emoji in one column) gets a line of its own.
		if (used + cells > width && index > start) {
			lines.push(text.slice(start, index));
			if (lines.length >= maxLines) {
				return lines;
			}

			start = index;
			used = 0;
		}

		used += cells;
	}

	lines.push(text.slice(start));
	return lines;
}

/**
 * Wraps at spaces where it can (a word longer than a line is cut hard), for prose such as error
 * messages and descriptions.
 */
export function wrapWords(text: string, width: number): string[] {
	if (width <= 0) {
		return [];
	}

	const lines: string[] = [];
	let line = '';
	for (const word of text.split(' ')) {
		const candidate = line === '' ? word : `${line} ${word}`;
		if (displayWidth(candidate) <= width) {
			line = candidate;
			continue;
		}

		if (line !== '') {
			lines.push(line);
		}

		const pieces = wrap(word, width);
		line = pieces.pop() ?? '';
		lines.push(...pieces);
	}

	lines.push(line);
	return lines;
}

/** A run of text with one style, for lines that mix colours in a single `<Text>`. */
export type Segment = {text: string; color?: string; bold?: boolean; inverse?: boolean; dimColor?: boolean};

/** Cuts styled segments to `width` cells in total, with `…` at the cut. */
export function truncateSegments(segments: readonly Segment[], width: number): Segment[] {
	const total = segments.reduce((sum, segment) => sum + displayWidth(segment.text), 0);
	if (total <= width) {
		return [...segments];
	}

	const result: Segment[] = [];
	let room = width - 1;
	for (const segment of segments) {
		if (room <= 0) {
			break;
		}

		const cells = displayWidth(segment.text);
		if (cells <= room) {
			result.push(segment);
			room -= cells;
			continue;
		}

		result.push({...segment, text: fitPrefix(segment.text, room).text});
		room = 0;
	}

	if (width > 0) {
		result.push({text: ellipsis});
	}

	return result;
}

/** Total width of styled segments. */
export function segmentsWidth(segments: readonly Segment[]): number {
	return segments.reduce((sum, segment) => sum + displayWidth(segment.text), 0);
}
