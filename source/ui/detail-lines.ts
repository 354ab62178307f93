// Everything about one export, as label/value lines wrapped to the pane's width (DetailPane.tsx
// draws them): what a user opens to find out why an export failed, how far it got, or to copy its
// file's URL by hand.
//
// A summary comes first, so that an 80x24 terminal answers without scrolling: the status (with
// the progress of a running export), type, format, records, reference, the times that are set
// and the first error in full. Then the rest: ids, settings, filters and metadata, the link, the
// exact timestamps, links as paths, and the names of the attributes with no value, in one line.
//
// Prose wraps at spaces (only a word longer than the line is broken); ids and the attachment URL
// wrap at the edge, so a selection picks them up whole. No one value expands past `valueCap`
// characters (detail-values.ts): a megabyte of metadata would otherwise cost seconds to lay out
// on every frame.
import type {ExportRecord} from '../api/types.js';
import {sanitize} from '../text/sanitize.js';
import {formatAge, formatTimestamp, type DateOptions} from '../text/dates.js';
import {displayWidth, padEnd, truncate, wrap, wrapWords} from '../text/width.js';
import {countOrDash} from '../text/numbers.js';
import {createTheme, statusStyle} from './theme.js';
import {capped, compactJson, dash, firstError, isEmpty, jsonLines, pathOf, percentBar, progressPercent, valueCap, valueText, when, wrapPath} from './detail-values.js';

// Symbols only: the detail lines are plain text (the pane colours the status line itself).
export const plainTheme = createTheme({...process.env, NO_COLOR: '1'});

/** Label columns: the summary's labels are short, the rest's up to `reference origin`. */
const summaryLabelWidth = 12;
const restLabelWidth = 18;

/** The attributes the detail shows in a place of its own; any other is listed after them. */
const knownAttributes = new Set([
	'status', 'started_at', 'completed_at', 'interrupted_at', 'estimated_completion_at', 'resource_type', 'format',
	'dry_data', 'records_count', 'processed_count', 'progress', 'includes', 'fields', 'filters', 'errors_log',
	'metadata', 'reference', 'reference_origin', 'attachment_url', 'created_at', 'updated_at',
]);

/** The summary's times, in the order of an export's life. */
const times = [
	{name: 'created_at', label: 'created'},
	{name: 'started_at', label: 'started'},
	{name: 'estimated_completion_at', label: 'est. end'},
	{name: 'interrupted_at', label: 'interrupted'},
	{name: 'completed_at', label: 'completed'},
] as const;

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

type How = 'words' | 'hard' | 'path';

/** Lines of one section: label and value side by side, or the value under its label when the pane is too narrow. */
class Section {
	readonly lines: string[] = [];

	constructor(
		private readonly width: number,
		private readonly labelWidth: number,
		private readonly id: string,
	) {}

	/** How wide a value may be, and where it starts. */
	private get beside(): boolean {
		return this.width - this.labelWidth >= 16;
	}

	private get valueWidth(): number {
		return this.beside ? this.width - this.labelWidth : Math.max(1, this.width - 2);
	}

	/** Adds `label` with its values (each wrapped on its own), then any `more` line. */
	add(label: string, values: readonly string[], how: How = 'words', more?: string): void {
		const width = this.valueWidth;
		const wrapped = values.flatMap(value => (how === 'hard' ? wrap(value, width) : how === 'path' ? wrapPath(value, width) : wrapWords(value, width)));
		if (more !== undefined) {
			wrapped.push(...wrapWords(more, width));
		}

		if (this.beside) {
			this.lines.push(...wrapped.map((line, index) => (index === 0 ? padEnd(truncate(label, this.labelWidth - 1), this.labelWidth) : ' '.repeat(this.labelWidth)) + line));
		} else {
			this.lines.push(truncate(label, this.width), ...wrapped.map(line => '  ' + line));
		}
	}

	/** A server value: sanitized, capped, `—` when missing. */
	value(label: string, value: unknown, how: How = 'words'): void {
		const shown = valueText(value, this.id);
		this.add(label, [shown.text], how, shown.more);
	}

	/** An object or list: on one line when it fits, else pretty JSON under the label, each line wrapped at spaces under its own indentation. */
	json(label: string, value: unknown): void {
		const compact = sanitize(compactJson(value));
		if (compact.length <= valueCap && displayWidth(compact) <= this.valueWidth) {
			this.add(label, [compact]);
			return;
		}

		this.lines.push(truncate(label, this.width));
		for (const line of jsonLines(value, this.id)) {
			// Under the label, each line at its own indentation, its continuations two further in.
			const indent = Math.min(2 + line.indent, Math.floor(this.width / 2));
			const room = Math.max(1, this.width - indent - 2);
			const pieces = wrapWords(line.text, room);
			this.lines.push(...pieces.map((piece, index) => ' '.repeat(indent + (index === 0 ? 0 : 2)) + piece));
		}
	}
}

/**
 * Every line of the detail for `record`, for a pane `width` cells wide (border included). Every
 * server value is sanitized.
 */
export function detailLines(record: ExportRecord, width: number, options: DateOptions = {}): string[] {
	const now = options.now === undefined ? Date.now() : typeof options.now === 'number' ? options.now : options.now.getTime();
	const key = `${width}|${options.timeZone ?? ''}|${Math.floor(now / 1000)}`;
	// The App measures and the pane draws the same lines in one frame: build them once.
	if (cache?.record === record && cache.key === key) {
		return cache.lines;
	}

	const lines = buildLines(record, width, {...options, now});
	cache = {record, key, lines};
	return lines;
}

let cache: {record: ExportRecord; key: string; lines: string[]} | undefined;

function buildLines(record: ExportRecord, width: number, options: DateOptions): string[] {
	const inner = detailContentWidth(width);
	const attributes = record.attributes ?? {};
	const id = typeof record.id === 'string' ? record.id : String(record.id);
	// Attributes the server sent with no value (one it left out, e.g. with sparse fields, is not named).
	const emptyNames: string[] = [];
	const empty = {
		push(name: string) {
			if (Object.hasOwn(attributes, name)) {
				emptyNames.push(name);
			}
		},
	};

	// The summary.
	const summary = new Section(inner, summaryLabelWidth, id);
	const status = statusStyle(plainTheme, attributes.status);
	const running = attributes.status === 'in_progress';
	const percent = progressPercent(attributes);
	const word = capped(status.word, id);
	summary.add('status', [`${status.symbol} ${word.text}${running && percent !== undefined ? `  ${percentBar(percent)}` : ''}`], 'words', word.more);
	summary.value('type', attributes.resource_type);
	summary.value('format', attributes.format);
	const records = countOrDash(attributes.records_count);
	const processed = attributes.processed_count;
	const processedToo = typeof processed === 'number' && processed !== attributes.records_count && attributes.status !== 'completed';
	summary.add('records', [processedToo ? `${records} (${countOrDash(processed)} processed)` : records]);
	summary.value('reference', attributes.reference);
	for (const {name, label} of times) {
		const value = attributes[name];
		// The expected end matters while the export runs; after, it is only history (the rest has it).
		if (name === 'estimated_completion_at' && !running && attributes.status !== 'pending') {
			if (isEmpty(value)) {
				empty.push(name);
			}
		} else if (typeof value === 'string' && value !== '') {
			summary.add(label, [when(value, options)]);
		} else {
			empty.push(name);
		}
	}

	const error = firstError(attributes.errors_log);
	if (error === undefined) {
		empty.push('errors_log');
	} else {
		const shown = valueText(error.text, id);
		const more = error.more > 0 ? `(${error.more} more in the errors log below)` : undefined;
		summary.add(attributes.status === 'failed' ? 'error' : 'log', [shown.text, ...(more ? [more] : [])], 'words', shown.more);
	}

	// The rest.
	const rest = new Section(inner, restLabelWidth, id);
	rest.value('id', id, 'hard');
	if (typeof attributes.dry_data === 'boolean') {
		rest.add('dry data', [attributes.dry_data ? 'yes' : 'no']);
	} else if (isEmpty(attributes.dry_data)) {
		empty.push('dry_data');
	} else {
		rest.value('dry data', attributes.dry_data);
	}

	for (const name of ['includes', 'fields'] as const) {
		const value = attributes[name];
		if (isEmpty(value)) {
			empty.push(name);
		} else {
			rest.value(name, Array.isArray(value) ? value.map(item => sanitize(item)).join(', ') : value);
		}
	}

	for (const [name, label] of [['filters', 'filters'], ['metadata', 'metadata']] as const) {
		const value = attributes[name];
		if (isEmpty(value)) {
			empty.push(name);
		} else {
			rest.json(label, value);
		}
	}

	// The whole log when the summary showed only its first entry.
	if (error !== undefined && error.more > 0) {
		rest.json('errors log', attributes.errors_log);
	}

	if (isEmpty(attributes.reference_origin)) {
		empty.push('reference_origin');
	} else {
		rest.value('reference origin', attributes.reference_origin);
	}

	if (isEmpty(attributes.attachment_url)) {
		empty.push('attachment_url');
	} else {
		// Copied by hand: wrapped at the exact edge, never cut.
		rest.value('attachment url', attributes.attachment_url, 'hard');
	}

	if (typeof attributes.progress === 'number' && !running) {
		rest.add('progress', [`${Math.floor(attributes.progress)}%`]);
	}

	for (const name of ['processed_count', 'progress'] as const) {
		if (isEmpty(attributes[name])) {
			empty.push(name);
		}
	}

	// Exact times with their offset, to paste into a ticket.
	for (const name of ['created_at', 'started_at', 'estimated_completion_at', 'interrupted_at', 'completed_at', 'updated_at'] as const) {
		const value = attributes[name];
		if (typeof value === 'string' && value !== '') {
			const exact = formatTimestamp(value, options);
			const label = name.replace('estimated_completion_at', 'est. end at').replaceAll('_', ' ');
			rest.add(label, [exact === dash ? sanitize(value) : name === 'updated_at' ? `${exact} (${formatAge(value, options)})` : exact]);
		} else if (name === 'updated_at') {
			empty.push(name);
		}
	}

	for (const [name, value] of Object.entries(attributes)) {
		if (knownAttributes.has(name)) {
			continue;
		}

		const label = sanitize(name).replaceAll('_', ' ');
		if (isEmpty(value)) {
			empty.push(sanitize(name));
		} else if (typeof value === 'object') {
			rest.json(label, value);
		} else {
			rest.value(label, typeof value === 'boolean' ? (value ? 'yes' : 'no') : value);
		}
	}

	if (typeof record.links?.self === 'string' && record.links.self !== '') {
		rest.value('link', pathOf(record.links.self), 'path');
	}

	for (const [name, relationship] of Object.entries(record.relationships ?? {})) {
		const links = relationship?.links ?? {};
		const values = [links.related, links.self].filter((value): value is string => typeof value === 'string' && value !== '').map(value => valueText(pathOf(value), id));
		if (values.length > 0) {
			rest.add(sanitize(name), values.map(value => value.text), 'path', values.find(value => value.more !== undefined)?.more);
		}
	}

	const meta = record.meta ?? {};
	for (const [name, value] of Object.entries(meta)) {
		if (!isEmpty(value)) {
			const label = sanitize(name).replaceAll('_', ' ');
			if (typeof value === 'object') {
				rest.json(label, value);
			} else {
				rest.value(label, value, name.endsWith('id') ? 'hard' : 'words');
			}
		}
	}

	const lines = [...summary.lines, '', ...rest.lines];
	if (emptyNames.length > 0) {
		lines.push(...wrapWords(`empty: ${emptyNames.join(', ')}`, inner));
	}

	// A last guard: nothing may be wider than the pane.
	return lines.map(line => (displayWidth(line) > inner ? truncate(line, inner) : line));
}
