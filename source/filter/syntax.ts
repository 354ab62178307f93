// The filter syntax, described once for every help (--help and the `?` overlay).
import {statuses} from '../api/types.js';

export type SyntaxEntry = {example: string; meaning: string};

/**
 * Each line is an example that parses (a test checks) and what it means. Examples stay within 19
 * columns and meanings within 53, so that a line is at most 76 columns: the `?` overlay's width
 * on an 80-column terminal.
 */
export const filterSyntax: readonly SyntaxEntry[] = [
	{example: 'status:failed', meaning: 'equals; a list (status:failed,pending): any of them'},
	{example: 'type!:skus', meaning: 'does not equal; a list: none of them'},
	{example: 'ref~summer', meaning: 'contains; !~ does not contain, ^ starts with'},
	{example: 'records_count>100', meaning: '> >= < <= compare numbers and dates'},
	{example: 'created_at>-2h', meaning: 'since -2h; also now, -30m, -3d, -1w, ISO date-times'},
	{example: 'created_at:today', meaning: 'that whole day; also yesterday, 2026-11-01'},
	{example: 'ref:null', meaning: 'has no value (ref:present: has one)'},
	{example: 'metadata.team:ops', meaning: 'a metadata value (values are text)'},
	{example: 'failed', meaning: 'a status name alone means status:failed'},
	{example: 'summer sale', meaning: 'other words: found in the id, reference or type'},
	{example: 'ref~"summer sale"', meaning: 'quotes keep spaces, and make a status name a word'},
	{example: 'status_eq=completed', meaning: 'a raw Ransack predicate, checked before sending'},
];

/** What the lines leave out. */
export const filterSyntaxNotes = `Terms are ANDed. type is resource_type, ref is reference. Statuses: ${statuses.join(', ')}.`;

/** Words wrapped to `width` columns (a word longer than that is cut into pieces). */
export function wrapWords(text: string, width: number): string[] {
	const lines: string[] = [];
	let line = '';
	for (const word of text.split(' ')) {
		let rest = word;
		while (rest.length > width) {
			if (line !== '') {
				lines.push(line);
			}

			lines.push(rest.slice(0, width));
			line = '';
			rest = rest.slice(width);
		}

		if (line !== '' && line.length + 1 + rest.length > width) {
			lines.push(line);
			line = rest;
		} else {
			line = line === '' ? rest : `${line} ${rest}`;
		}
	}

	if (line !== '') {
		lines.push(line);
	}

	return lines;
}

/**
 * The syntax as blocks of lines of at most `width` columns, one block per example and one for the
 * notes: `  example  meaning`, the meanings lined up at `column` (by default just after the
 * longest example) and wrapped under themselves; an example too long for the column, or a width
 * too small for both, puts its meaning on the next lines.
 */
export function filterSyntaxBlocks(width: number, column = 2 + Math.max(...filterSyntax.map(entry => entry.example.length)) + 2): string[][] {
	const sideBySide = width - column >= 20;
	const meaningColumn = sideBySide ? column : 4;
	const indent = ' '.repeat(meaningColumn);
	const blocks: string[][] = [];
	for (const {example, meaning} of filterSyntax) {
		const meanings = wrapWords(meaning, Math.max(1, width - meaningColumn));
		const head = `  ${example}`;
		if (sideBySide && head.length + 2 <= column) {
			blocks.push([head.padEnd(column) + (meanings[0] ?? ''), ...meanings.slice(1).map(line => indent + line)]);
		} else {
			blocks.push([...wrapWords(example, Math.max(1, width - 2)).map(line => `  ${line}`), ...meanings.map(line => indent + line)]);
		}
	}

	blocks.push(wrapWords(filterSyntaxNotes, Math.max(1, width - 2)).map(line => `  ${line}`));
	return blocks;
}

/** filterSyntaxBlocks as one list of lines (--help). */
export function filterSyntaxLines(width: number, column?: number): string[] {
	return filterSyntaxBlocks(width, column).flat();
}
