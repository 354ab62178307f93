// Everything about one export, as label/value lines wrapped to the pane's width: what a user
// opens to find out why an export failed, how far it got, or to copy its file's URL by hand.
// The App clamps `scroll` with detailLines(); the pane shows height - 2 of them (the border
// takes two lines) and marks the border when there is more above or below.
import React from 'react';
import {Box, Text} from 'ink';
import type {ExportRecord} from '../api/types.js';
import {sanitize} from '../text/sanitize.js';
import {formatAge, formatTimestamp, type DateOptions} from '../text/dates.js';
import {displayWidth, fit, padEnd, truncate, wrap, wrapWords} from '../text/width.js';
import {formatCount} from './table-layout.js';
import {createTheme, statusStyle, useTheme} from './theme.js';

export type DetailPaneProps = {
	record?: ExportRecord;
	width: number;
	/** Lines for the whole pane, border included. */
	height: number;
	/** First content line shown. */
	scroll: number;
};

const dash = '—';
// Symbols only: the detail lines are plain text (the pane colours the status line itself).
const plainTheme = createTheme({NO_COLOR: '1'});
const labelWidth = 18;
/** Attributes shown in their own place; anything else the API sends is listed after them. */
const knownAttributes = new Set([
	'status', 'started_at', 'completed_at', 'interrupted_at', 'estimated_completion_at', 'resource_type', 'format',
	'dry_data', 'records_count', 'processed_count', 'progress', 'includes', 'fields', 'filters', 'errors_log',
	'metadata', 'reference', 'reference_origin', 'attachment_url', 'created_at', 'updated_at',
]);

/** Content width inside the border (`│ ` and ` │`). */
export function detailContentWidth(width: number): number {
	return Math.max(1, width - 4);
}

/** How many content lines a pane of `height` lines shows. */
export function detailBodyHeight(height: number): number {
	return Math.max(1, height - 2);
}

/** The largest useful `scroll` for this record in a pane of `width` × `height`. */
export function maxDetailScroll(record: ExportRecord, width: number, height: number): number {
	return Math.max(0, detailLines(record, width).length - detailBodyHeight(height));
}

function text(value: unknown): string {
	if (value === null || value === undefined || value === '') {
		return dash;
	}

	return sanitize(value);
}

function list(value: unknown): string {
	if (!Array.isArray(value) || value.length === 0) {
		return value === null || value === undefined || Array.isArray(value) ? dash : text(value);
	}

	return value.map(item => sanitize(item)).join(', ');
}

function yesNo(value: unknown): string {
	return value === true ? 'yes' : value === false ? 'no' : text(value);
}

/** Pretty JSON, each line sanitized (JSON escapes C0 controls, but not C1 or bidi characters). */
function json(value: unknown): string[] {
	if (value === null || value === undefined) {
		return [dash];
	}

	if (typeof value === 'object' && Object.keys(value).length === 0) {
		return [Array.isArray(value) ? '[]' : '{}'];
	}

	let pretty: string;
	try {
		pretty = JSON.stringify(value, null, 2) ?? dash;
	} catch {
		pretty = String(value);
	}

	return pretty.split('\n').map(line => sanitize(line));
}

function timestamp(value: unknown, options: DateOptions): string {
	if (typeof value !== 'string' || value === '') {
		return dash;
	}

	const full = formatTimestamp(value, options);
	return full === dash ? text(value) : `${full} (${formatAge(value, options)})`;
}

/** `████░░░░░░ 42%` */
export function progressBar(percent: number, cells = 10): string {
	const clamped = Math.max(0, Math.min(100, percent));
	const filled = Math.round((clamped / 100) * cells);
	return `${'█'.repeat(filled)}${'░'.repeat(cells - filled)} ${Math.floor(clamped)}%`;
}

function progress(attributes: ExportRecord['attributes']): string {
	const records = attributes.records_count;
	const processed = attributes.processed_count;
	let percent = typeof attributes.progress === 'number' ? attributes.progress : undefined;
	if (percent === undefined && typeof records === 'number' && typeof processed === 'number' && records > 0) {
		percent = (processed / records) * 100;
	}

	if (percent === undefined && attributes.status === 'completed') {
		percent = 100;
	}

	return percent === undefined ? dash : progressBar(percent);
}

/**
 * A label and its value lines, wrapped to `width`: the value sits beside the label, continuation
 * lines under the value; when the pane is too narrow for that, the value goes under the label.
 */
function field(label: string, values: string[], width: number, options: {hard?: boolean; indent?: number} = {}): string[] {
	const indent = options.indent ?? 0;
	const name = ' '.repeat(indent) + label;
	const beside = width - labelWidth >= 16;
	const valueWidth = beside ? width - labelWidth : Math.max(1, width - 2);
	const wrapped = values.flatMap(value => (options.hard ? wrap(value, valueWidth) : wrapWords(value, valueWidth)));
	if (beside) {
		return wrapped.map((line, index) => (index === 0 ? padEnd(truncate(name, labelWidth - 1), labelWidth) : ' '.repeat(labelWidth)) + line);
	}

	return [truncate(name, width), ...wrapped.map(line => '  ' + line)];
}

/** Pretty JSON keeps its indentation: lines are cut (not word-wrapped) when wider than the pane. */
function jsonField(label: string, value: unknown, width: number): string[] {
	const lines = json(value);
	if (lines.length === 1) {
		return field(label, lines, width);
	}

	return [truncate(label, width), ...lines.flatMap(line => wrap('  ' + line, width))];
}

/**
 * Every line of the detail for `record`, for a pane `width` cells wide (border included). Every
 * server value is sanitized; missing values show as `—`.
 */
export function detailLines(record: ExportRecord, width: number, options: DateOptions = {}): string[] {
	const inner = detailContentWidth(width);
	const attributes = record.attributes ?? {};
	const status = statusStyle(plainTheme, attributes.status);
	const lines: string[] = [];
	const add = (label: string, value: string, hard = false) => lines.push(...field(label, [value], inner, {hard}));
	const addIndented = (label: string, value: string) => lines.push(...field(label, [value], inner, {indent: 2}));

	add('id', text(record.id), true);
	add('status', `${status.symbol} ${status.word}`);
	addIndented('started', timestamp(attributes.started_at, options));
	addIndented('completed', timestamp(attributes.completed_at, options));
	addIndented('interrupted', timestamp(attributes.interrupted_at, options));
	addIndented('est. completion', timestamp(attributes.estimated_completion_at, options));
	add('resource type', text(attributes.resource_type));
	add('format', text(attributes.format));
	add('dry data', yesNo(attributes.dry_data));
	add('records', formatCount(attributes.records_count));
	add('processed', formatCount(attributes.processed_count));
	add('progress', progress(attributes));
	add('includes', list(attributes.includes));
	add('fields', list(attributes.fields));
	lines.push(...jsonField('filters', attributes.filters, inner));
	lines.push(...jsonField('errors log', attributes.errors_log, inner));
	lines.push(...jsonField('metadata', attributes.metadata, inner));
	add('reference', text(attributes.reference));
	add('reference origin', text(attributes.reference_origin));
	// Copied by hand: wrapped at the exact edge, never cut.
	add('attachment url', text(attributes.attachment_url), true);
	add('created', timestamp(attributes.created_at, options));
	add('updated', timestamp(attributes.updated_at, options));

	for (const [name, value] of Object.entries(attributes)) {
		if (knownAttributes.has(name)) {
			continue;
		}

		if (value !== null && typeof value === 'object') {
			lines.push(...jsonField(sanitize(name), value, inner));
		} else {
			add(sanitize(name).replaceAll('_', ' '), typeof value === 'boolean' ? yesNo(value) : text(value));
		}
	}

	add('link', text(record.links?.self), true);
	const relationships = Object.entries(record.relationships ?? {});
	if (relationships.length === 0) {
		add('relationships', dash);
	}

	for (const [name, relationship] of relationships) {
		const links = relationship?.links ?? {};
		const values = [links.related ? `related ${sanitize(links.related)}` : undefined, links.self ? `self ${sanitize(links.self)}` : undefined]
			.filter((value): value is string => value !== undefined);
		lines.push(...field(sanitize(name), values.length > 0 ? values : [dash], inner, {hard: true}));
	}

	const meta = record.meta ?? {};
	add('mode', text(meta.mode));
	add('organization id', text(meta.organization_id), true);
	add('trace id', text(meta.trace_id), true);
	for (const [name, value] of Object.entries(meta)) {
		if (name !== 'mode' && name !== 'organization_id' && name !== 'trace_id') {
			add(sanitize(name).replaceAll('_', ' '), text(value));
		}
	}

	// A last guard: nothing may be wider than the pane.
	return lines.map(line => (displayWidth(line) > inner ? truncate(line, inner) : line));
}

function titleBorder(title: string, width: number): string {
	const label = truncate(` ${title} `, Math.max(0, width - 4));
	return '┌─' + label + '─'.repeat(Math.max(0, width - 3 - displayWidth(label))) + '┐';
}

function bottomBorder(width: number, indicator: string): string {
	const label = indicator === '' ? '' : truncate(` ${indicator} `, Math.max(0, width - 4));
	return '└' + '─'.repeat(Math.max(0, width - 3 - displayWidth(label))) + label + '─┘';
}

export function DetailPane({record, width, height, scroll}: DetailPaneProps) {
	const theme = useTheme();
	const inner = detailContentWidth(width);
	const body = detailBodyHeight(height);
	const all = record ? detailLines(record, width) : ['No export selected.'];
	const start = Math.max(0, Math.min(scroll, all.length - body));
	const shown = all.slice(start, start + body);
	const statusLine = record ? all.findIndex(line => line.startsWith('status ')) : -1;
	const above = start > 0;
	const below = start + body < all.length;
	const indicator = above || below
		? `${above ? '↑' : ' '}${below ? '↓' : ' '} ${start + 1}-${start + shown.length} of ${all.length}`
		: '';
	const title = record ? `export ${sanitize(record.id)}` : 'export';
	const status = record ? statusStyle(theme, record.attributes?.status) : undefined;

	return (
		<Box flexDirection="column" width={width} flexShrink={0}>
			<Text color={theme.border} wrap="truncate-end">{titleBorder(title, width)}</Text>
			{Array.from({length: body}, (_, index) => {
				// Keyed by slot, not by text: scrolling then updates text in place.
				const line = shown[index] ?? '';
				return (
					<Text key={index} wrap="truncate-end">
						{'│ '}
						{status?.color && start + index === statusLine ? <Text color={status.color}>{fit(line, inner)}</Text> : fit(line, inner)}
						{' │'}
					</Text>
				);
			})}
			<Text color={theme.border} wrap="truncate-end">{bottomBorder(width, indicator)}</Text>
		</Box>
	);
}
