// The detail's values as text: a server value sanitized and capped at `valueCap` characters (with
// the line that says how much more there is and where to see it whole), objects as pretty JSON
// lines, times with their age, a running export's progress bar, links as paths, the first entry
// of the errors log. Pure, for detail-lines.ts.
import type {ExportRecord} from '../api/types.js';
import {formatAge, formatCompact, type DateOptions} from '../text/dates.js';
import {countOrDash} from '../text/numbers.js';
import {sanitize} from '../text/sanitize.js';
import {displayWidth, wrap} from '../text/width.js';

export const dash = '—';

/** Characters of one value laid out at most (about 64 KB); the line after it says how much more there is. */
export const valueCap = 65_536;

/** Nothing worth a line: null, missing, an empty string, list or object. */
export function isEmpty(value: unknown): boolean {
	return (
		value === null ||
		value === undefined ||
		value === '' ||
		(Array.isArray(value) && value.length === 0) ||
		(typeof value === 'object' && !Array.isArray(value) && Object.keys(value).length === 0)
	);
}

/** `936 KB`, `12 B`. */
function size(bytes: number): string {
	return bytes < 1024 ? `${bytes} B` : `${countOrDash(Math.round(bytes / 1024))} KB`;
}

/** The line under a value that was cut: how much more there is (when known) and where to see it whole. */
function moreLine(bytes: number | undefined, id: string): string {
	return `… ${bytes === undefined ? 'more' : `${size(bytes)} more`}: all of it with cl-exports --json --filter id_eq=${sanitize(id)}`;
}

/**
 * At most `valueCap` characters of `text` (never half a surrogate pair), and, when something was
 * left out, the line that says how much and where to see it whole.
 */
export function capped(text: string, id: string): {text: string; more?: string} {
	if (text.length <= valueCap) {
		return {text};
	}

	let end = valueCap;
	const code = text.charCodeAt(end - 1);
	if (code >= 0xd8_00 && code <= 0xdb_ff) {
		end--;
	}

	return {text: text.slice(0, end), more: moreLine(Buffer.byteLength(text.slice(end)), id)};
}

/** A server value as one safe line (capped), or `—`. */
export function valueText(value: unknown, id: string): {text: string; more?: string} {
	if (isEmpty(value)) {
		return {text: dash};
	}

	// Capped before sanitizing: sanitizing only removes characters, and a megabyte costs time.
	const raw = typeof value === 'string' ? value : sanitize(value);
	const cut = capped(raw, id);
	return {...cut, text: sanitize(cut.text)};
}

/** A line of pretty JSON: its indentation and text. */
export type JsonLine = {indent: number; text: string};

/** Nesting shown as pretty JSON; deeper parts are written compact on one line. */
const jsonDepth = 16;

/**
 * Pretty JSON as lines, each sanitized (JSON escapes C0 controls, but not C1 or bidi
 * characters). A string longer than `valueCap` shows its start, with the line that says how much
 * more there is under it; the whole block stops after four times that.
 */
export function jsonLines(value: unknown, id: string): JsonLine[] {
	const lines: JsonLine[] = [];
	let budget = 4 * valueCap;
	let stopped = false;
	const push = (indent: number, text: string) => {
		if (stopped) {
			return;
		}

		if (text.length > budget) {
			lines.push({indent, text: moreLine(undefined, id)});
			stopped = true;
			return;
		}

		budget -= text.length;
		lines.push({indent, text: sanitize(text)});
	};

	const emit = (item: unknown, indent: number, prefix: string, suffix: string, depth: number): void => {
		if (typeof item === 'string') {
			const cut = capped(item, id);
			push(indent, prefix + JSON.stringify(cut.text) + suffix);
			if (cut.more !== undefined && !stopped) {
				lines.push({indent, text: cut.more});
			}

			return;
		}

		const entries =
			item !== null && typeof item === 'object'
				? Array.isArray(item)
					? item.map((element: unknown) => ['', element === undefined ? null : element] as const)
					: Object.entries(item).filter(([, element]) => element !== undefined)
				: undefined;
		if (entries === undefined || entries.length === 0 || depth >= jsonDepth) {
			const text = entries === undefined ? JSON.stringify(item) ?? 'null' : entries.length === 0 ? (Array.isArray(item) ? '[]' : '{}') : compactJson(item);
			const cut = capped(text, id);
			push(indent, prefix + cut.text + suffix);
			if (cut.more !== undefined && !stopped) {
				lines.push({indent, text: cut.more});
			}

			return;
		}

		const [open, close] = Array.isArray(item) ? ['[', ']'] : ['{', '}'];
		push(indent, prefix + open);
		entries.forEach(([key, element], index) => {
			const name = Array.isArray(item) ? '' : `${JSON.stringify(capped(key, id).text)}: `;
			emit(element, indent + 2, name, index < entries.length - 1 ? ',' : '', depth + 1);
		});
		push(indent, close + suffix);
	};

	emit(value, 0, '', '', 0);
	return lines;
}

export function compactJson(value: unknown): string {
	try {
		return JSON.stringify(value) ?? dash;
	} catch {
		return String(value);
	}
}

/** `14:05 (3 min ago)`, `Nov 28 14:05 (2 d ago)`. */
export function when(value: string, options: DateOptions): string {
	const compact = formatCompact(value, options);
	return compact === dash ? sanitize(value) : `${compact} (${formatAge(value, options)})`;
}

/** `████░░░░░░ 42%` */
export function percentBar(percent: number, cells = 10): string {
	const clamped = Math.max(0, Math.min(100, percent));
	const filled = Math.round((clamped / 100) * cells);
	return `${'█'.repeat(filled)}${'░'.repeat(cells - filled)} ${Math.floor(clamped)}%`;
}

export function progressPercent(attributes: ExportRecord['attributes']): number | undefined {
	const records = attributes.records_count;
	const processed = attributes.processed_count;
	if (typeof attributes.progress === 'number' && Number.isFinite(attributes.progress)) {
		return attributes.progress;
	}

	if (typeof records === 'number' && typeof processed === 'number' && records > 0) {
		return (processed / records) * 100;
	}

	return undefined;
}

/** A URL as its path (the host is the API's, the same for every link): `/api/exports/X/events`. */
export function pathOf(url: string): string {
	try {
		const parsed = new URL(url);
		return parsed.pathname + parsed.search + parsed.hash;
	} catch {
		return url;
	}
}

/** Wraps a path after its slashes where it can, hard only inside a segment longer than the line. */
export function wrapPath(path: string, width: number): string[] {
	const lines: string[] = [];
	let line = '';
	for (const piece of path.split(/(?<=\/)/)) {
		if (displayWidth(line + piece) <= width) {
			line += piece;
			continue;
		}

		if (line !== '') {
			lines.push(line);
		}

		const pieces = wrap(piece, width);
		line = pieces.pop() ?? '';
		lines.push(...pieces);
	}

	lines.push(line);
	return lines;
}

/** The first entry of the errors log, `Class: message`, and how many more there are. */
export function firstError(log: unknown): {text: string; more: number} | undefined {
	if (isEmpty(log)) {
		return undefined;
	}

	if (Array.isArray(log)) {
		const [first] = log;
		return {text: typeof first === 'string' ? first : compactJson(first), more: log.length - 1};
	}

	if (typeof log === 'object' && log !== null) {
		const entries = Object.entries(log);
		const [name, value] = entries[0]!;
		return {text: `${name}: ${typeof value === 'string' ? value : compactJson(value)}`, more: entries.length - 1};
	}

	return {text: String(log), more: 0};
}
