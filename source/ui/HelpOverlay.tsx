// The `?` overlay, generated from the key map the handlers use, so it cannot drift from them.
// Grouped, fitted into width × height: groups flow into side-by-side columns when the list is
// taller than the space, and a last line says so if even that is not enough.
import React from 'react';
import {Box, Text} from 'ink';
import {displayWidth, fit, truncate} from '../text/width.js';
import {keyGroups} from './keymap.js';
import {useTheme} from './theme.js';

/** The part of keymap.ts's KeyBinding the overlay reads (a KeyBinding is assignable to it). */
export type HelpBinding = {id: string; keys: readonly string[]; description: string; brief?: string | undefined; group: string; modes?: readonly string[]};

export type HelpOverlayProps = {
	bindings: readonly HelpBinding[];
	width: number;
	height: number;
	readOnly: boolean;
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

function helpLines(groups: Array<[string, HelpBinding[]]>, keyWidth: number, readOnly: boolean, banner = readOnly): HelpLine[] {
	const blocks: HelpLine[][] = [];
	if (readOnly && banner) {
		blocks.push([{text: 'Read-only: interrupt, restart and delete are off.', muted: true}]);
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

	return blocks.flatMap((block, index) => (index === 0 ? block : [{text: ''}, ...block]));
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
	// Under --read-only the Actions heading says "off" too: the banner line goes first when space is short.
	for (const banner of readOnly ? [true, false] : [false]) {
		for (let count = 2; count <= maxColumns; count++) {
			const columnWidth = Math.floor((inner - columnGap.length * (count - 1)) / count);
			columns = packColumns(helpLines(groups, keyWidthFor(columnWidth), readOnly, banner), body);
			if (columns.length <= count) {
				return alignColumns(columns, keyWidthFor(columnWidth), columnWidth);
			}
		}
	}

	const shown = columns.slice(0, maxColumns);
	const last = shown.at(-1);
	if (last) {
		last.splice(body - 1, last.length, {text: '… more: enlarge the terminal', muted: true});
	}

	return shown;
}

export function HelpOverlay({bindings, width, height, readOnly}: HelpOverlayProps) {
	const theme = useTheme();
	const columns = helpColumns(bindings, width, height, readOnly);
	const inner = Math.max(1, width - 4);
	const natural = Math.max(1, ...columns.flat().map(line => displayWidth(line.text)));
	const columnWidth = Math.min(natural, Math.floor((inner - columnGap.length * (columns.length - 1)) / columns.length));
	const contentWidth = Math.min(inner, columnWidth * columns.length + columnGap.length * (columns.length - 1));
	const rows = Math.max(...columns.map(column => column.length));
	const title = ' Keys ';
	const closing = ' ? or Esc to close ';
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
					{' '.repeat(Math.max(0, contentWidth - (columnWidth * columns.length + columnGap.length * (columns.length - 1))))}
					{' │'}
				</Text>
			))}
			<Text color={theme.accent} wrap="truncate-end">{truncate(bottom.length > boxWidth ? '└' + '─'.repeat(Math.max(0, boxWidth - 2)) + '┘' : bottom, width)}</Text>
		</Box>
	);
}
