// The filter prompt's syntax (contract.md "Filter prompt syntax") -> Ransack predicates.
// Pure: the only clock is the injectable `now`, used for relative dates (today, -2h, ...).
// Errors carry the span of the text they are about, so the prompt can underline it.
import {exportFields, formats, isListPredicate, predicateSummary, splitPredicateKey, supportsPredicate, type FieldType, type FilterableField} from '../api/fields.js';
import {filterQueryBytes, maxFilterQueryBytes} from '../api/query-string.js';
import {statuses, type FilterValue, type Filters, type KnownStatus} from '../api/types.js';
import {sanitize} from '../text/sanitize.js';

export type FilterParseResult =
	| {ok: true; filters: Filters}
	| {ok: false; error: string; start: number; end: number};

export type FilterParseOptions = {
	/** The clock for today, yesterday, now and -2h; defaults to the current time. */
	now?: Date;
};

/** The free-text search: a bare word is looked up in these attributes (ids included). */
export const searchAttributes = 'id_or_reference_or_reference_origin_or_resource_type';

/** The longest filter text read: a URL has room for a few kilobytes of query, and no more. */
export const maxFilterLength = 2000;

/** How deep metadata keys (`metadata.a.b`) and a raw predicate's JSON may nest. */
export const maxFilterDepth = 16;

/**
 * Keys never used as metadata keys: merging them into an object would reach its prototype (and
 * through it every object of the process).
 */
const forbiddenKeys: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype']);

const aliases: Readonly<Record<string, FilterableField>> = Object.assign(Object.create(null) as Record<string, FilterableField>, {
	type: 'resource_type',
	ref: 'reference',
});

/** The field a name means (an alias or a field's own name), looked up in own properties only. */
function fieldNamed(name: string): FilterableField | undefined {
	if (Object.hasOwn(aliases, name)) return aliases[name];
	return Object.hasOwn(exportFields, name) ? (name as FilterableField) : undefined;
}

/** A bare word that names a status (`failed`, `In-Progress`), as the status. */
function statusWord(word: string): KnownStatus | undefined {
	const normal = word.toLowerCase().replaceAll('-', '_');
	return statuses.find(status => status === normal);
}

/** Text the user typed, inside a message: one line, and short. */
function quoted(text: string, limit = 40): string {
	const line = sanitize(text);
	return `"${line.length > limit ? `${line.slice(0, limit - 1)}…` : line}"`;
}

type Span = {start: number; end: number};

class FilterError extends Error {
	readonly span: Span;

	constructor(message: string, span: Span) {
		super(message);
		this.span = {start: span.start, end: span.end};
	}
}

// ---------------------------------------------------------------------------------------------
// Lexing: terms separated by unquoted white space. Quotes (" or ') group characters and make
// them literal (an operator or comma inside quotes is text); `\` escapes inside quotes.

type Char = {ch: string; quoted: boolean; index: number};
type Term = Span & {chars: Char[]};

function isSpace(ch: string): boolean {
	return /\s/.test(ch);
}

function lex(text: string): Term[] {
	const terms: Term[] = [];
	let current: Term | undefined;
	let i = 0;
	const push = (char: Char, end: number) => {
		current ??= {start: char.index, end, chars: []};
		current.chars.push(char);
		current.end = end;
	};

	while (i < text.length) {
		const ch = text[i]!;
		if (ch === '"' || ch === "'") {
			const open = i;
			current ??= {start: open, end: open + 1, chars: []};
			i++;
			let closed = false;
			while (i < text.length) {
				const inner = text[i]!;
				if (inner === ch) {
					closed = true;
					i++;
					break;
				}

				if (inner === '\\' && i + 1 < text.length) {
					push({ch: text[i + 1]!, quoted: true, index: i + 1}, i + 2);
					i += 2;
					continue;
				}

				push({ch: inner, quoted: true, index: i}, i + 1);
				i++;
			}

			if (!closed) throw new FilterError(`unterminated quote: add a closing ${ch}`, {start: open, end: text.length});
			current.end = i;
			// Remember that the term held quotes even when they were empty ("").
			current.chars.push({ch: '', quoted: true, index: i - 1});
			continue;
		}

		// A raw predicate's JSON object (`metadata_jcont={"k": "v"}`) is taken literally, spaces
		// and quotes included, up to its matching brace.
		if (ch === '{' && current && text[i - 1] === '=' && current.chars.at(-1)?.quoted === false) {
			const end = jsonObjectEnd(text, i);
			if (end === undefined) throw new FilterError('unterminated JSON object: add a closing }', {start: i, end: text.length});
			for (let j = i; j < end; j++) push({ch: text[j]!, quoted: true, index: j}, j + 1);
			i = end;
			continue;
		}

		if (isSpace(ch)) {
			if (current) terms.push(current);
			current = undefined;
			i++;
			continue;
		}

		push({ch, quoted: false, index: i}, i + 1);
		i++;
	}

	if (current) terms.push(current);
	return terms;
}

/** The index just past the `}` that closes the object opening at `start`, skipping JSON strings. */
function jsonObjectEnd(text: string, start: number): number | undefined {
	let depth = 0;
	let inString = false;
	for (let i = start; i < text.length; i++) {
		const ch = text[i]!;
		if (inString) {
			if (ch === '\\') i++;
			else if (ch === '"') inString = false;
			continue;
		}

		if (ch === '"') inString = true;
		else if (ch === '{' || ch === '[') {
			depth++;
			if (depth > maxFilterDepth) throw new FilterError(`JSON nested too deep: at most ${maxFilterDepth} levels`, {start: i, end: i + 1});
		} else if (ch === '}' || ch === ']') {
			depth--;
			if (depth === 0) return i + 1;
		}
	}

	return undefined;
}

function textOf(chars: readonly Char[]): string {
	return chars.map(char => char.ch).join('');
}

function spanOf(chars: readonly Char[], fallback: Span): Span {
	const real = chars.filter(char => char.ch !== '');
	if (real.length === 0) return fallback;
	return {start: real[0]!.index, end: real.at(-1)!.index + 1};
}

// ---------------------------------------------------------------------------------------------
// Terms

const operators = ['!:', '!~', '!^', '>=', '<=', ':', '~', '^', '>', '<', '='] as const;
type Operator = (typeof operators)[number];

type ValueItem = Span & {text: string; quoted: boolean};

function isNameChar(char: Char): boolean {
	return !char.quoted && /[\w.-]/.test(char.ch);
}

function readOperator(chars: readonly Char[], at: number): Operator | undefined {
	for (const operator of operators) {
		const slice = chars.slice(at, at + operator.length);
		if (slice.length === operator.length && slice.every(char => !char.quoted) && textOf(slice) === operator) return operator;
	}

	return undefined;
}

/** Splits a value on unquoted commas. */
function splitItems(chars: readonly Char[], fallback: Span): ValueItem[] {
	const items: ValueItem[] = [];
	let part: Char[] = [];
	let partStart = fallback.start;
	const flush = (end: number) => {
		const span = spanOf(part, {start: partStart, end});
		items.push({...span, text: textOf(part), quoted: part.some(char => char.quoted)});
	};

	for (const char of chars) {
		if (!char.quoted && char.ch === ',') {
			flush(char.index);
			part = [];
			partStart = char.index + 1;
			continue;
		}

		part.push(char);
	}

	flush(fallback.end);
	return items;
}

// ---------------------------------------------------------------------------------------------
// Values

function isKeyword(item: ValueItem, keyword: 'null' | 'present'): boolean {
	return !item.quoted && item.text.toLowerCase() === keyword;
}

const relativeUnits: Record<string, number> = {s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000};

type DateValue = {kind: 'day'; start: Date; next: Date} | {kind: 'instant'; at: Date};

function localDay(year: number, monthIndex: number, day: number): DateValue {
	return {kind: 'day', start: new Date(year, monthIndex, day), next: new Date(year, monthIndex, day + 1)};
}

function validCalendarDate(year: number, month: number, day: number): boolean {
	if (month < 1 || month > 12 || day < 1) return false;
	return day <= new Date(Date.UTC(year, month, 0)).getUTCDate();
}

const isoDateTime =
	/^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?([Zz]|[+-]\d{2}:?\d{2})?$/;

function parseDate(raw: string, now: Date): DateValue | undefined {
	const text = raw.toLowerCase();
	if (text === 'now') return {kind: 'instant', at: new Date(now.getTime())};
	if (text === 'today') return localDay(now.getFullYear(), now.getMonth(), now.getDate());
	if (text === 'yesterday') return localDay(now.getFullYear(), now.getMonth(), now.getDate() - 1);
	if (text === 'tomorrow') return localDay(now.getFullYear(), now.getMonth(), now.getDate() + 1);

	const relative = /^-?(\d{1,6})([smhdw])$/.exec(text);
	if (relative) {
		return {kind: 'instant', at: new Date(now.getTime() - Number(relative[1]) * relativeUnits[relative[2]!]!)};
	}

	const day = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
	if (day) {
		const [year, month, date] = [Number(day[1]), Number(day[2]), Number(day[3])];
		return validCalendarDate(year, month, date) ? localDay(year, month - 1, date) : undefined;
	}

	const full = isoDateTime.exec(raw);
	if (!full) return undefined;
	const [year, month, date, hours, minutes] = [1, 2, 3, 4, 5].map(index => Number(full[index]));
	const seconds = Number(full[6] ?? 0);
	const millis = Number((full[7] ?? '0').padEnd(3, '0').slice(0, 3));
	if (!validCalendarDate(year!, month!, date!) || hours! > 23 || minutes! > 59 || seconds > 59) return undefined;
	const zone = full[8];
	if (!zone) return {kind: 'instant', at: new Date(year!, month! - 1, date!, hours, minutes, seconds, millis)};
	let offsetMinutes = 0;
	if (zone.toLowerCase() !== 'z') {
		const digits = zone.replace(':', '');
		const zoneHours = Number(digits.slice(1, 3));
		const zoneMinutes = Number(digits.slice(3, 5));
		if (zoneHours > 23 || zoneMinutes > 59) return undefined;
		offsetMinutes = (zoneHours * 60 + zoneMinutes) * (digits.startsWith('-') ? -1 : 1);
	}

	const utc = Date.UTC(year!, month! - 1, date!, hours, minutes, seconds, millis) - offsetMinutes * 60_000;
	return {kind: 'instant', at: new Date(utc)};
}

function levenshtein(a: string, b: string): number {
	let previous = Array.from({length: b.length + 1}, (_, index) => index);
	for (let i = 1; i <= a.length; i++) {
		const current = [i];
		for (let j = 1; j <= b.length; j++) {
			const cost = a[i - 1] === b[j - 1] ? 0 : 1;
			current[j] = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + cost);
		}

		previous = current;
	}

	return previous[b.length]!;
}

/** The candidate closest to `word`, when it is close enough to be a likely typo. */
export function closest(word: string, candidates: readonly string[]): string | undefined {
	let best: string | undefined;
	let bestDistance = Number.POSITIVE_INFINITY;
	for (const candidate of candidates) {
		const distance = levenshtein(word, candidate);
		if (distance < bestDistance) {
			best = candidate;
			bestDistance = distance;
		}
	}

	const limit = word.length <= 3 ? 1 : word.length <= 6 ? 2 : 3;
	if (best !== undefined && bestDistance <= limit) return best;
	return candidates.find(candidate => candidate.startsWith(word) && word.length >= 3);
}

// ---------------------------------------------------------------------------------------------
// Building the filters

function sameValue(a: FilterValue, b: FilterValue): boolean {
	const normal = (value: FilterValue) =>
		Array.isArray(value) ? JSON.stringify(value.map(String)) : typeof value === 'object' ? JSON.stringify(value) : String(value);
	return normal(a) === normal(b);
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Deep-merges `source` into `target`; returns the dotted path of a conflicting key, if any. */
function mergeObject(target: Record<string, unknown>, source: Record<string, unknown>, path: string[] = []): string | undefined {
	for (const [key, value] of Object.entries(source)) {
		// Own properties only: an inherited one (the prototype's) is never merged into.
		const existing = Object.hasOwn(target, key) ? target[key] : undefined;
		if (existing === undefined) {
			Object.defineProperty(target, key, {value: isPlainObject(value) ? structuredClone(value) : value, enumerable: true, writable: true, configurable: true});
			continue;
		}

		if (isPlainObject(existing) && isPlainObject(value)) {
			const conflict = mergeObject(existing, value, [...path, key]);
			if (conflict) return conflict;
			continue;
		}

		if (JSON.stringify(existing) !== JSON.stringify(value)) return [...path, key].join('.');
	}

	return undefined;
}

class Builder {
	readonly filters: Filters = {};

	/** `label` names the predicate as the user wrote it, for the duplicate message. */
	put(key: string, value: FilterValue, span: Span, label = key): void {
		const existing = Object.hasOwn(this.filters, key) ? this.filters[key] : undefined;
		if (existing === undefined) {
			this.filters[key] = value;
			return;
		}

		if (key.endsWith('_jcont') && isPlainObject(existing) && isPlainObject(value)) {
			const merged = structuredClone(existing);
			const conflict = mergeObject(merged, value);
			if (conflict) {
				const attribute = key.slice(0, -'_jcont'.length);
				throw new FilterError(`${attribute}.${conflict} is given twice with different values`, span);
			}

			this.filters[key] = merged;
			return;
		}

		if (!sameValue(existing, value)) {
			// Both values are in the hint (short enough to be read whole on an 80-column terminal).
			if (key.endsWith('_eq') && label !== key) {
				throw new FilterError(`${label} is given twice: write ${label}:${showValue(existing)},${showValue(value)} for either`, span);
			}

			throw new FilterError(`${key} is given twice with different values (${showValue(existing)} and ${showValue(value)})`, span);
		}
	}
}

/** A value inside a message: one line, and short. */
function showValue(value: FilterValue): string {
	let text: string;
	if (Array.isArray(value)) text = value.join(',');
	else if (typeof value === 'object') text = JSON.stringify(value);
	else text = String(value);
	const line = sanitize(text);
	return line.length > 40 ? `${line.slice(0, 39)}…` : line;
}

const typeHints: Record<FieldType, string> = {
	string: 'is text: use :, !:, ~, !~, ^, !^',
	enum: 'is one of a fixed set: use : or !:',
	datetime: 'is a date: use :, !:, >, >=, <, <=',
	integer: 'is a number: use :, !:, >, >=, <, <=',
	json: 'is an object: use FIELD.key:value, FIELD:null or FIELD:present',
	relationship: 'is an id: use : or !:',
};

function unsupported(field: FilterableField, span: Span): FilterError {
	const type = exportFields[field];
	let hint = typeHints[type].replaceAll('FIELD', field);
	if (field === 'status') hint = `is one of ${statuses.join(', ')}: use : or !:`;
	if (field === 'format') hint = `is one of ${formats.join(', ')}: use : or !:`;
	return new FilterError(`${field} ${hint}`, span);
}

const rangeSuffix = {'>': 'gt', '>=': 'gteq', '<': 'lt', '<=': 'lteq'} as const;

type FieldTerm = {
	field: FilterableField;
	/** For `metadata.a.b`: ['a', 'b']. */
	path: string[];
	operator: Exclude<Operator, '='>;
	items: ValueItem[];
	nameSpan: Span;
	operatorSpan: Span;
	valueSpan: Span;
	termSpan: Span;
};

function resolveField(name: string, span: Span): {field: FilterableField; path: string[]} {
	const [head = '', ...rest] = name.split('.');
	const lower = head.toLowerCase();
	const field = fieldNamed(lower);
	if (!field) {
		const names = [...Object.keys(exportFields), ...Object.keys(aliases)];
		const suggestion = closest(lower, names);
		const message = suggestion
			? `unknown field ${quoted(head)}: did you mean ${suggestion}?`
			: `unknown field ${quoted(head)} (fields are e.g. status, type, ref, format, created_at, records_count, metadata.key)`;
		return fail(message, {start: span.start, end: span.start + head.length});
	}

	if (rest.length > 0) {
		if (exportFields[field] !== 'json') {
			return fail(`${field} has no keys: ${quoted(name)} only works for metadata and errors_log`, span);
		}

		if (rest.some(key => key === '')) return fail(`empty key in ${quoted(name)}: write ${field}.key:value`, span);
		if (rest.length > maxFilterDepth) return fail(`${field} keys nest at most ${maxFilterDepth} deep`, span);
		let offset = span.start + head.length + 1;
		for (const key of rest) {
			if (forbiddenKeys.has(key)) fail(`${field} key "${key}" is not allowed`, {start: offset, end: offset + key.length});
			offset += key.length + 1;
		}
	}

	return {field, path: rest};
}

function fail(message: string, span: Span): never {
	throw new FilterError(message, span);
}

function requireValues(term: FieldTerm): void {
	if (term.items.length === 1 && term.items[0]!.text === '') {
		const written = term.path.length > 0 ? `${term.field}.${term.path.join('.')}` : term.field;
		fail(`empty value after ${written}${term.operator}`, term.termSpan);
	}

	for (const item of term.items) {
		if (item.text === '') fail('empty value in the list', {start: item.start, end: Math.max(item.end, item.start + 1)});
	}
}

function applyNullPresent(builder: Builder, term: FieldTerm): boolean {
	if (term.items.length !== 1) return false;
	const item = term.items[0]!;
	const isNull = isKeyword(item, 'null');
	const isPresent = isKeyword(item, 'present');
	if (!isNull && !isPresent) return false;
	if (term.operator !== ':' && term.operator !== '!:') {
		fail(`${item.text} only goes with : or !: (e.g. ${term.field}:${item.text.toLowerCase()})`, term.operatorSpan);
	}

	const negated = term.operator === '!:';
	// Ransack's present/blank also treat '' as missing; Rails casts '' to NULL for dates and
	// numbers, so they are safe (and mean not null / null) for every type.
	let predicate: string;
	if (isNull) predicate = negated ? 'not_null' : 'null';
	else predicate = negated ? 'blank' : 'present';
	builder.put(`${term.field}_${predicate}`, true, term.termSpan, term.field);
	return true;
}

function applyString(builder: Builder, term: FieldTerm): void {
	const values = term.items.map(item => item.text);
	const many = values.length > 1;
	const single = values[0]!;
	const key = (predicate: string) => `${term.field}_${predicate}`;
	switch (term.operator) {
		case ':': {
			builder.put(many ? key('in') : key('eq'), many ? values : single, term.termSpan, term.field);
			break;
		}

		case '!:': {
			builder.put(many ? key('not_in') : key('not_eq'), many ? values : single, term.termSpan, term.field);
			break;
		}

		case '~': {
			builder.put(many ? key('cont_any') : key('cont'), many ? values : single, term.termSpan, term.field);
			break;
		}

		case '!~': {
			builder.put(many ? key('not_cont_all') : key('not_cont'), many ? values : single, term.termSpan, term.field);
			break;
		}

		case '^': {
			builder.put(many ? key('start_any') : key('start'), many ? values : single, term.termSpan, term.field);
			break;
		}

		case '!^': {
			builder.put(many ? key('not_start_all') : key('not_start'), many ? values : single, term.termSpan, term.field);
			break;
		}

		default: {
			throw unsupported(term.field, term.operatorSpan);
		}
	}
}

function applyEnum(builder: Builder, term: FieldTerm): void {
	if (term.operator !== ':' && term.operator !== '!:') throw unsupported(term.field, term.operatorSpan);
	const allowed: readonly string[] = term.field === 'status' ? statuses : formats;
	const values = term.items.map(item => {
		const value = item.text.toLowerCase().replaceAll('-', '_');
		if (allowed.includes(value)) return value;
		// A typo, or the start of exactly one name (`fa`: failed).
		const starting = allowed.filter(name => name.startsWith(value));
		const suggestion = closest(value, allowed) ?? (value !== '' && starting.length === 1 ? starting[0] : undefined);
		const noun = term.field === 'status' ? 'status' : 'format';
		// Short enough for one line of an 80-column terminal, the useful words first.
		return fail(
			suggestion ? `unknown ${noun} ${quoted(item.text, 16)} — did you mean ${suggestion}?` : `unknown ${noun} ${quoted(item.text, 16)} (${allowed.join(', ')})`,
			item,
		);
	});
	const many = values.length > 1;
	const negated = term.operator === '!:';
	const predicate = many ? (negated ? 'not_in' : 'in') : negated ? 'not_eq' : 'eq';
	builder.put(`${term.field}_${predicate}`, many ? values : values[0]!, term.termSpan, term.field);
}

function applyInteger(builder: Builder, term: FieldTerm): void {
	if (term.operator === '~' || term.operator === '!~' || term.operator === '^' || term.operator === '!^') {
		throw unsupported(term.field, term.operatorSpan);
	}

	const values = term.items.map(item => {
		const text = item.text.replaceAll('_', '');
		if (!/^-?\d+$/.test(text) || !Number.isSafeInteger(Number(text))) {
			return fail(`bad number ${quoted(item.text)} for ${term.field}: use a whole number, e.g. ${term.field}>100`, item);
		}

		return Number(text);
	});
	const many = values.length > 1;
	if (many && term.operator !== ':' && term.operator !== '!:') {
		fail(`${term.field}${term.operator} takes one number, not a list`, term.valueSpan);
	}

	let predicate: string;
	if (term.operator === ':') predicate = many ? 'in' : 'eq';
	else if (term.operator === '!:') predicate = many ? 'not_in' : 'not_eq';
	else predicate = rangeSuffix[term.operator];
	builder.put(`${term.field}_${predicate}`, many ? values : values[0]!, term.termSpan, term.field);
}

const dateHelp = 'use YYYY-MM-DD, an ISO date-time, today, yesterday, now, or -30m/-2h/-3d/-1w';

function applyDate(builder: Builder, term: FieldTerm, now: Date): void {
	if (term.operator === '~' || term.operator === '!~' || term.operator === '^' || term.operator === '!^') {
		throw unsupported(term.field, term.operatorSpan);
	}

	if (term.items.length > 1) {
		fail(`${term.field} takes one date, not a list: use > and < for a range`, term.valueSpan);
	}

	const item = term.items[0]!;
	const value = parseDate(item.text, now);
	if (!value) fail(`bad date ${quoted(item.text)}: ${dateHelp}`, item);
	const key = (predicate: string) => `${term.field}_${predicate}`;
	const iso = (date: Date) => date.toISOString();

	if (value.kind === 'instant') {
		if (term.operator === ':' || term.operator === '!:') {
			if (!isoDateTime.test(item.text)) {
				fail(`${term.field}${term.operator}${item.text} matches one instant: use ${term.field}>=${item.text} for "since"`, item);
			}

			builder.put(key(term.operator === ':' ? 'eq' : 'not_eq'), iso(value.at), term.termSpan, term.field);
			return;
		}

		builder.put(key(rangeSuffix[term.operator]), iso(value.at), term.termSpan, term.field);
		return;
	}

	// A whole day: `:` is [start, next day); the comparisons are about the day as a whole.
	switch (term.operator) {
		case ':': {
			builder.put(key('gteq'), iso(value.start), term.termSpan, term.field);
			builder.put(key('lt'), iso(value.next), term.termSpan, term.field);
			break;
		}

		case '!:': {
			fail(`${term.field}!: does not take a day: use ${term.field}<${item.text} or ${term.field}>${item.text}`, term.operatorSpan);
			break;
		}

		case '>': {
			builder.put(key('gteq'), iso(value.next), term.termSpan, term.field);
			break;
		}

		case '>=': {
			builder.put(key('gteq'), iso(value.start), term.termSpan, term.field);
			break;
		}

		case '<': {
			builder.put(key('lt'), iso(value.start), term.termSpan, term.field);
			break;
		}

		case '<=': {
			builder.put(key('lt'), iso(value.next), term.termSpan, term.field);
			break;
		}
	}
}

function applyJson(builder: Builder, term: FieldTerm): void {
	const written = `${term.field}.${term.path.join('.')}`;
	if (term.path.length === 0) throw unsupported(term.field, term.operatorSpan);
	if (term.operator !== ':') fail(`${written} matches an exact value: use ${written}:value`, term.operatorSpan);
	if (term.items.length > 1) fail(`${written} takes one value: quote a value that has a comma`, term.valueSpan);
	// Metadata values are matched as strings: `metadata.k:5` means {"k":"5"}.
	let object: Record<string, unknown> = {[term.path.at(-1)!]: term.items[0]!.text};
	for (const key of term.path.slice(0, -1).reverse()) object = {[key]: object};
	builder.put(`${term.field}_jcont`, object, term.termSpan, term.field);
}

function applyRelationship(builder: Builder, term: FieldTerm): void {
	if (term.operator === ':' || term.operator === '!:') {
		applyString(builder, term);
		return;
	}

	throw unsupported(term.field, term.operatorSpan);
}

const booleanPredicates = new Set(['null', 'not_null', 'present', 'blank', 'true', 'false']);

function applyRaw(builder: Builder, key: string, keySpan: Span, valueChars: Char[], valueSpan: Span, termSpan: Span): void {
	const lowerKey = key.toLowerCase();
	const split = splitPredicateKey(lowerKey);
	if (!split) {
		const field = fieldNamed(lowerKey);
		if (field) fail(`"${field}=" needs a predicate, e.g. ${field}_eq=value (or ${field}:value)`, keySpan);
		fail(`unknown predicate in ${quoted(key)}: expected attribute_predicate, e.g. status_eq or reference_cont`, keySpan);
	}

	let offset = keySpan.start;
	const {predicate} = split;
	for (const attribute of split.attributes) {
		const span = {start: offset, end: offset + attribute.length};
		if (!Object.hasOwn(exportFields, attribute)) {
			const suggestion = closest(attribute, Object.keys(exportFields));
			fail(suggestion ? `${quoted(attribute)} is not filterable: did you mean ${suggestion}?` : `${quoted(attribute)} is not a filterable field of exports`, span);
		}

		// The API answers a predicate its field's type does not take with an error: say so here.
		const type = exportFields[attribute as FilterableField];
		if (!supportsPredicate(type, predicate)) {
			fail(`${attribute} takes ${predicateSummary(type)}, not _${predicate}`, {start: keySpan.start, end: keySpan.end});
		}

		offset += attribute.length + '_or_'.length;
	}

	const text = textOf(valueChars);
	if (text === '') fail(`empty value after ${lowerKey}=`, termSpan);
	let value: FilterValue;
	if (predicate === 'jcont') {
		let parsed: unknown;
		try {
			parsed = JSON.parse(text);
		} catch {
			parsed = undefined;
		}

		if (!isPlainObject(parsed)) fail(`${lowerKey} needs a JSON object, e.g. ${lowerKey}={"key":"value"}`, valueSpan);
		const problem = jsonProblem(parsed);
		if (problem) fail(`${lowerKey}: ${problem}`, valueSpan);
		value = parsed;
	} else if (booleanPredicates.has(predicate)) {
		const lower = text.toLowerCase();
		if (lower !== 'true' && lower !== 'false') fail(`${lowerKey} takes true or false`, valueSpan);
		value = lower === 'true';
	} else if (isListPredicate(predicate)) {
		const items = splitItems(valueChars, valueSpan);
		const empty = items.find(item => item.text === '');
		if (empty) fail('empty value in the list', {start: empty.start, end: Math.max(empty.end, empty.start + 1)});
		value = items.map(item => item.text);
	} else {
		value = text;
	}

	builder.put(lowerKey, value, termSpan);
}

/**
 * What makes a raw predicate's JSON unsafe to handle: nesting past maxFilterDepth (every later
 * step that walks it would recurse), or a key that reaches a prototype. Walks without recursion.
 */
function jsonProblem(value: unknown): string | undefined {
	const stack: Array<{value: unknown; depth: number}> = [{value, depth: 1}];
	while (stack.length > 0) {
		const {value: current, depth} = stack.pop()!;
		if (typeof current !== 'object' || current === null) continue;
		if (depth > maxFilterDepth) return `JSON nested too deep: at most ${maxFilterDepth} levels`;
		if (!Array.isArray(current)) {
			const key = Object.keys(current).find(name => forbiddenKeys.has(name));
			if (key !== undefined) return `key "${key}" is not allowed`;
		}

		for (const item of Object.values(current)) stack.push({value: item, depth: depth + 1});
	}

	return undefined;
}

function parseTerms(text: string, now: Date): Filters {
	// Checked before anything reads the text: a pasted megabyte costs nothing.
	if (text.length > maxFilterLength) {
		fail(`filter too long: ${text.length} characters, at most ${maxFilterLength}`, {start: maxFilterLength, end: text.length});
	}

	const builder = new Builder();
	const words: Array<{text: string; span: Span}> = [];

	for (const term of lex(text)) {
		const {chars} = term;
		const termSpan = {start: term.start, end: term.end};
		let nameLength = 0;
		while (nameLength < chars.length && isNameChar(chars[nameLength]!)) nameLength++;
		const operator = readOperator(chars, nameLength);

		if (!operator) {
			const word = textOf(chars);
			if (word === '') fail('empty quotes: type something between them', termSpan);
			// A status name alone is the status (quoted, it is a word to search for).
			const status = chars.some(char => char.quoted) ? undefined : statusWord(word);
			if (status) builder.put('status_eq', status, termSpan, 'status');
			else words.push({text: word, span: termSpan});
			continue;
		}

		const name = textOf(chars.slice(0, nameLength));
		const nameSpan = {start: term.start, end: term.start + nameLength};
		const operatorStart = chars[nameLength]!.index;
		const operatorSpan = {start: operatorStart, end: operatorStart + operator.length};
		if (name === '') fail(`missing field name before ${operator}`, operatorSpan);
		const valueChars = chars.slice(nameLength + operator.length);
		const valueSpan = spanOf(valueChars, {start: operatorSpan.end, end: Math.max(term.end, operatorSpan.end)});

		if (operator === '=') {
			applyRaw(builder, name, nameSpan, valueChars, valueSpan, termSpan);
			continue;
		}

		const {field, path} = resolveField(name, nameSpan);
		const fieldTerm: FieldTerm = {
			field,
			path,
			operator,
			items: splitItems(valueChars, valueSpan),
			nameSpan,
			operatorSpan,
			valueSpan,
			termSpan,
		};
		requireValues(fieldTerm);
		if (path.length === 0 && applyNullPresent(builder, fieldTerm)) continue;

		switch (exportFields[field]) {
			case 'string': {
				applyString(builder, fieldTerm);
				break;
			}

			case 'enum': {
				applyEnum(builder, fieldTerm);
				break;
			}

			case 'integer': {
				applyInteger(builder, fieldTerm);
				break;
			}

			case 'datetime': {
				applyDate(builder, fieldTerm, now);
				break;
			}

			case 'json': {
				applyJson(builder, fieldTerm);
				break;
			}

			case 'relationship': {
				applyRelationship(builder, fieldTerm);
				break;
			}
		}
	}

	const unique = [...new Set(words.map(word => word.text))];
	if (unique.length === 1) {
		builder.put(`${searchAttributes}_cont`, unique[0]!, words[0]!.span);
	} else if (unique.length > 1) {
		builder.put(`${searchAttributes}_cont_all`, unique, words[0]!.span);
	}

	const bytes = filterQueryBytes(builder.filters);
	if (bytes > maxFilterQueryBytes) {
		fail(`filter too long to send: ${bytes} bytes in the URL, at most ${maxFilterQueryBytes}`, {start: 0, end: text.length});
	}

	return builder.filters;
}

/** Parses the prompt's filter text into Ransack predicates (`{}` for empty text). */
export function parseFilter(text: string, options: FilterParseOptions = {}): FilterParseResult {
	try {
		return {ok: true, filters: parseTerms(text, options.now ?? new Date())};
	} catch (error) {
		if (error instanceof FilterError) return {ok: false, error: error.message, ...error.span};
		throw error;
	}
}

// ---------------------------------------------------------------------------------------------
// Status toggling (keys 1..5)

function quoteIfNeeded(value: string): string {
	return /^[\w.-]+$/.test(value) ? value : `"${value.replaceAll('\\', '\\\\').replaceAll('"', '\\"')}"`;
}

/**
 * Adds `status` to the text's `status:a,b` term, or removes it when it is there; adds the term
 * when there is none and drops it when it becomes empty. The rest of the text is kept as typed.
 * Text that cannot be read (an open quote) comes back unchanged.
 */
export function toggleStatus(typed: string, status: KnownStatus): string {
	// A bare `failed` is a status term too: written out, it is the term the key toggles.
	const text = keptFilterText(typed);
	let terms: Term[];
	try {
		terms = lex(text);
	} catch {
		return text;
	}

	for (const term of terms) {
		const {chars} = term;
		let nameLength = 0;
		while (nameLength < chars.length && isNameChar(chars[nameLength]!)) nameLength++;
		if (textOf(chars.slice(0, nameLength)).toLowerCase() !== 'status' || readOperator(chars, nameLength) !== ':') continue;
		const valueChars = chars.slice(nameLength + 1);
		const values = splitItems(valueChars, {start: term.end, end: term.end})
			.map(item => item.text)
			.filter(value => value !== '');
		const normal = (value: string) => value.toLowerCase().replaceAll('-', '_');
		const next = values.some(value => normal(value) === status)
			? values.filter(value => normal(value) !== status)
			: [...values, status];

		if (next.length > 0) {
			return `${text.slice(0, term.start)}status:${next.map(quoteIfNeeded).join(',')}${text.slice(term.end)}`;
		}

		// Remove the term and one run of white space next to it.
		const before = text.slice(0, term.start);
		const after = text.slice(term.end);
		if (/\s$/.test(before) && (after === '' || /^\s/.test(after))) return before.replace(/\s+$/, '') + after;
		return before + after.replace(/^\s+/, '');
	}

	const trimmed = text.replace(/\s+$/, '');
	return trimmed === '' ? `status:${status}` : `${trimmed} status:${status}`;
}

/**
 * The text a kept filter is shown with: each bare status name written out as the term it means
 * (`failed` -> `status:failed`), so the syntax is learned by using it. Everything else is kept as
 * typed. Only for text the user is done with: while the prompt is open its text is theirs.
 */
export function keptFilterText(text: string): string {
	let terms: Term[];
	try {
		terms = lex(text);
	} catch {
		return text;
	}

	let result = text;
	for (const term of terms.reverse()) {
		if (term.chars.some(char => char.quoted)) continue;
		let nameLength = 0;
		while (nameLength < term.chars.length && isNameChar(term.chars[nameLength]!)) nameLength++;
		if (readOperator(term.chars, nameLength)) continue;
		const status = statusWord(textOf(term.chars));
		if (status) result = `${result.slice(0, term.start)}status:${status}${result.slice(term.end)}`;
	}

	return result;
}

// ---------------------------------------------------------------------------------------------
// The syntax, described once for every help (--help and the `?` overlay)

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
function wrapWords(text: string, width: number): string[] {
	const lines: string[] = [];
	let line = '';
	for (const word of text.split(' ')) {
		let rest = word;
		while (rest.length > width) {
			if (line !== '') lines.push(line);
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

	if (line !== '') lines.push(line);
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
