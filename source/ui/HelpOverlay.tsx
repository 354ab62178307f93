// The `?` overlay, generated from the key map the handlers use, so it cannot drift from them,
// and the filter syntax from the parser's own description of it (as --help is).
// Grouped, fitted into width × height: groups flow into side-by-side columns when the list is
// taller than the space, and a last line says so if even that is not enough. The filter syntax
// goes under the keys when both fit; otherwise it is a second page (Tab), as on 80x24.
import React from 'react';
import {Box, Text} from 'ink';
import {filterSyntaxBlocks} from '../filter/syntax.js';
import {displayWidth, fit, truncate} from '../text/width.js';
import {keyGroups} from '../state/keys.js';
import {useTheme} from './theme.js';

/** The part of the key map's KeyBinding (state/keys.ts) the overlay reads (a KeyBinding is assignable to it). */
export type HelpBinding = {id: string; keys: readonly string[]; description: string; brief?: string | undefined; group: string; modes?: readonly string[]};

export type HelpOverlayProps = {
	bindings: readonly HelpBinding[];
	width: number;
	height: number;
	readOnly: boolean;
	/** 0: the keys, 1: the filter syntax (when they do not fit together). */
	page?: number;
};

type HelpLine = {text: string; heading?: boolean; muted?: boolean; keys?: string; description?: string; brief?: string | undefined};

const groupOrder: readonly string[] = keyGroups;
const columnGap = '   ';

function keysLabel(binding: HelpBinding): string {
	return binding.keys.join(' ');
}

/** `PgDn → l n ^F` for `PgDn → l n Ctrl-F`: the form a narrow column shows. */
function compactKeys(keys: string): string {
	return keys.replaceAll('Ctrl-', '^');
}

function groupBindings(bindings: readonly HelpBinding[]): Array<[string, HelpBinding[]]> {
	const groups = new Map<string, HelpBinding[]>();
	const seen = new Set<string>();
	for (const binding of bindings) {
		if (seen.has(binding.id)) {
			continue;
		}

		seen.add(binding.id);
		groups.set(binding.group, [...(groups.get(binding.group) ?? []), binding]);
	}

	const rank = (name: string) => (groupOrder.includes(name) ? groupOrder.indexOf(name) : groupOrder.length);
	return [...groups.entries()].sort(([a], [b]) => rank(a) - rank(b));
}

function bindingText(keys: string, description: string, keyWidth: number): string {
	return `  ${fit(keys, keyWidth)}  ${description}`;
}

/**
 * Each column lines its descriptions up after its own widest keys (within the cap), not the widest
 * of all. In a narrow column, keys that do not fit are written `^F` for `Ctrl-F`, and a description
 * that does not fit gives way to its brief form, so that nothing is cut on an 80x24 terminal.
 */
function alignColumns(columns: HelpLine[][], cap: number, columnWidth: number): HelpLine[][] {
	return columns.map(column => {
		const labels = column.map(line => (line.keys === undefined ? undefined : displayWidth(line.keys) > cap ? compactKeys(line.keys) : line.keys));
		const widest = Math.max(0, ...labels.map(label => (label === undefined ? 0 : displayWidth(label))));
		const keyWidth = Math.min(widest, cap);
		const room = columnWidth - keyWidth - 4;
		return column.map((line, index) => {
			const keys = labels[index];
			if (keys === undefined || line.description === undefined) {
				return line;
			}

			const description = displayWidth(line.description) > room && line.brief !== undefined ? line.brief : line.description;
			return {...line, text: bindingText(keys, description, keyWidth)};
		});
	});
}

/** The lines of every group, a blank line between two groups unless `gaps` is false (where room is short). */
const readOnlyBanner = 'Read-only: interrupt, restart, delete, duplicate off.';

function helpLines(groups: Array<[string, HelpBinding[]]>, keyWidth: number, readOnly: boolean, banner = readOnly, gaps = true): HelpLine[] {
	const blocks: HelpLine[][] = [];
	if (readOnly && banner) {
		blocks.push([{text: readOnlyBanner, muted: true}]);
	}

	for (const [name, members] of groups) {
		const isActions = name === 'Actions';
		const lines: HelpLine[] = [{text: isActions && readOnly ? `${name} (off: read-only)` : name, heading: true}];
		for (const binding of members) {
			const keys = keysLabel(binding);
			lines.push({text: bindingText(keys, binding.description, keyWidth), keys, description: binding.description, brief: binding.brief, muted: isActions && readOnly});
		}

		blocks.push(lines);
	}

	return blocks.flatMap((block, index) => (index === 0 || !gaps ? block : [{text: ''}, ...block]));
}

/** Splits lines into columns of `body` lines, never leaving a heading or a blank line at the bottom or top. */
function packColumns(flat: HelpLine[], body: number): HelpLine[][] {
	const columns: HelpLine[][] = [];
	let current: HelpLine[] = [];
	for (const line of flat) {
		if (current.length === body) {
			const last = current.at(-1);
			if (last?.heading && current.length > 1) {
				current.pop();
				columns.push(current);
				current = [last];
			} else {
				columns.push(current);
				current = [];
			}
		}

		if (current.length === 0 && line.text === '') {
			continue;
		}

		current.push(line);
	}

	if (current.length > 0) {
		columns.push(current);
	}

	return columns;
}

/** The last line when even the most columns cannot hold everything. */
const moreLine: HelpLine = {text: '… more: enlarge the terminal', muted: true};

/** The narrowest a column may get before the overlay stops adding columns. */
const minColumnWidth = 30;

/** The overlay's content as columns of lines, fitted to `width` × `height` (borders included). */
export function helpColumns(bindings: readonly HelpBinding[], width: number, height: number, readOnly: boolean): HelpLine[][] {
	const groups = groupBindings(bindings);
	const inner = Math.max(1, width - 4);
	const body = Math.max(1, height - 2);
	const naturalKeys = Math.max(0, ...bindings.map(binding => displayWidth(keysLabel(binding))));
	const keyWidthFor = (columnWidth: number) => Math.min(naturalKeys, Math.max(6, Math.floor(columnWidth * 0.4)));
	const single = helpLines(groups, keyWidthFor(inner), readOnly);
	if (single.length <= body) {
		return alignColumns([single], keyWidthFor(inner), inner);
	}

	const maxColumns = Math.max(1, Math.floor((inner + columnGap.length) / (minColumnWidth + columnGap.length)));
	let columns = packColumns(single, body);
	// Under --read-only the Actions heading says "off" too: the banner line goes first when space is
	// short, then the blank lines between groups (the headings still stand out).
	for (const banner of readOnly ? [true, false] : [false]) {
		for (const gaps of [true, false]) {
			for (let count = 2; count <= maxColumns; count++) {
				const columnWidth = Math.floor((inner - columnGap.length * (count - 1)) / count);
				if (banner && displayWidth(readOnlyBanner) > columnWidth) {
					continue;
				}

				columns = packColumns(helpLines(groups, keyWidthFor(columnWidth), readOnly, banner, gaps), body);
				if (columns.length <= count) {
					return alignColumns(columns, keyWidthFor(columnWidth), columnWidth);
				}
			}
		}
	}

	const shown = columns.slice(0, maxColumns);
	const last = shown.at(-1);
	if (last) {
		last.splice(body - 1, last.length, {...moreLine});
	}

	return shown;
}

const syntaxHeading = 'Filter syntax';

/** The lines a layout holds, blank lines aside: every binding, every heading, the read-only banner. */
function lineCount(columns: HelpLine[][]): number {
	return columns.flat().filter(line => line.text !== '').length;
}

/** Whether every line fits its column (a line that does not would be cut). */
function fitsColumns(columns: HelpLine[][], inner: number): boolean {
	const width = columns.length === 0 ? inner : (columnsWidth(columns, inner) - columnGap.length * (columns.length - 1)) / columns.length;
	return columns.every(column => column.every(line => displayWidth(line.text) <= width));
}

function hasMore(columns: HelpLine[][]): boolean {
	return columns.some(column => column.some(line => line.text === moreLine.text));
}

export type HelpLayout = {
	/** The keys, as columns; absent on the filter syntax's pages. */
	keys?: HelpLine[][];
	/** The filter syntax, full width; absent on the keys' page. */
	syntax?: HelpLine[];
	/** 1 when everything fits on one page; else the keys' page and the syntax's pages. */
	pages: number;
	/** The page shown, 0 (the keys) to pages - 1. */
	page: number;
	/** The width every page's content takes, so that turning a page does not resize the box. */
	width: number;
};

function columnsWidth(columns: HelpLine[][], inner: number): number {
	if (columns.length === 0) {
		return 0;
	}

	const natural = Math.max(1, ...columns.flat().map(line => displayWidth(line.text)));
	const columnWidth = Math.min(natural, Math.floor((inner - columnGap.length * (columns.length - 1)) / columns.length));
	return columnWidth * columns.length + columnGap.length * (columns.length - 1);
}

/**
 * What the overlay shows at `width` × `height` (borders included) on `page` (any number: it
 * wraps around, so Tab can keep turning). The syntax goes under the keys when both fit; otherwise
 * the keys are page 0 and the syntax takes the pages after it.
 */
export function helpLayout(bindings: readonly HelpBinding[], width: number, height: number, readOnly: boolean, page = 0): HelpLayout {
	const inner = Math.max(1, width - 4);
	const body = Math.max(1, height - 2);
	const blocks = filterSyntaxBlocks(inner);
	const syntax: HelpLine[] = blocks.flat().map(text => ({text}));
	const syntaxWidth = Math.max(0, ...syntax.map(line => displayWidth(line.text)));
	const keys = helpColumns(bindings, width, height, readOnly);
	// Both on one page when every line of the keys still fits (in more columns, with the brief
	// descriptions if need be); otherwise the syntax gets pages of its own.
	const keysHeight = height - syntax.length - 2;
	if (keysHeight >= 3) {
		const above = helpColumns(bindings, width, keysHeight, readOnly).map(column => {
			const end = column.findLastIndex(line => line.text !== '');
			return column.slice(0, end + 1);
		});
		if (!hasMore(above) && lineCount(above) === lineCount(keys) && fitsColumns(above, inner)) {
			return {keys: above, syntax: [{text: ''}, {text: syntaxHeading, heading: true}, ...syntax], pages: 1, page: 0, width: Math.min(inner, Math.max(columnsWidth(above, inner), syntaxWidth))};
		}
	}

	const contentWidth = Math.min(inner, Math.max(1, columnsWidth(keys, inner), syntaxWidth));
	// The syntax's pages break between examples, never inside one (unless one alone is too tall).
	const syntaxPages: HelpLine[][] = [];
	let current: HelpLine[] = [];
	for (const block of blocks) {
		if (current.length > 0 && current.length + block.length > body) {
			syntaxPages.push(current);
			current = [];
		}

		for (const text of block) {
			if (current.length === body) {
				syntaxPages.push(current);
				current = [];
			}

			current.push({text});
		}
	}

	if (current.length > 0) {
		syntaxPages.push(current);
	}

	const pages = 1 + syntaxPages.length;
	const shown = ((Math.trunc(page) % pages) + pages) % pages;
	if (shown === 0) {
		return {keys, pages, page: 0, width: contentWidth};
	}

	return {syntax: syntaxPages[shown - 1], pages, page: shown, width: contentWidth};
}

export function HelpOverlay({bindings, width, height, readOnly, page = 0}: HelpOverlayProps) {
	const theme = useTheme();
	const layout = helpLayout(bindings, width, height, readOnly, page);
	const columns = layout.keys ?? [];
	const syntax = layout.syntax ?? [];
	const inner = Math.max(1, width - 4);
	const keysWidth = columnsWidth(columns, inner);
	const columnWidth = columns.length === 0 ? 0 : Math.floor((keysWidth - columnGap.length * (columns.length - 1)) / columns.length);
	const contentWidth = layout.width;
	const rows = Math.max(0, ...columns.map(column => column.length));
	const syntaxPages = layout.pages - 1;
	const title = layout.page === 0 ? ' Keys ' : syntaxPages > 1 ? ` ${syntaxHeading} ${layout.page}/${syntaxPages} ` : ` ${syntaxHeading} `;
	const next = layout.page === layout.pages - 1 ? 'keys' : syntaxPages > 1 && layout.page > 0 ? 'more' : 'filter syntax';
	const turn = layout.pages > 1 ? ` Tab ${next} ·` : '';
	const closing = `${turn} ? or Esc to close `;
	const dashes = contentWidth + 2;
	const top = '┌─' + title + '─'.repeat(Math.max(0, dashes - 1 - title.length)) + '┐';
	const bottom = '└' + '─'.repeat(Math.max(0, dashes - closing.length - 1)) + closing + '─┘';
	const boxWidth = contentWidth + 4;

	return (
		<Box flexDirection="column" width={Math.min(width, boxWidth)} flexShrink={0}>
			<Text color={theme.accent} wrap="truncate-end">{truncate(top, width)}</Text>
			{Array.from({length: rows}, (_, row) => (
				<Text key={row} wrap="truncate-end">
					{'│ '}
					{columns.map((column, index) => {
						const line = column[row] ?? {text: ''};
						const cell = fit(line.text, columnWidth) + (index < columns.length - 1 ? columnGap : '');
						return (
							<Text key={index} bold={line.heading} color={line.heading ? theme.heading : line.muted ? theme.muted : undefined} dimColor={line.muted && theme.noColor}>
								{cell}
							</Text>
						);
					})}
					{' '.repeat(Math.max(0, contentWidth - keysWidth))}
					{' │'}
				</Text>
			))}
			{syntax.map((line, row) => (
				<Text key={`syntax-${row}`} wrap="truncate-end">
					{'│ '}
					<Text bold={line.heading} color={line.heading ? theme.heading : line.muted ? theme.muted : undefined} dimColor={line.muted && theme.noColor}>
						{fit(line.text, contentWidth)}
					</Text>
					{' │'}
				</Text>
			))}
			<Text color={theme.accent} wrap="truncate-end">{truncate(bottom.length > boxWidth ? '└' + '─'.repeat(Math.max(0, boxWidth - 2)) + '┘' : bottom, width)}</Text>
		</Box>
	);
}
