// `field OPERATOR value` terms -> Ransack predicates, by the field's type: text, a fixed set
// (status, format), a number, a date, a JSON object (metadata keys), a relationship's id. A field
// that does not take the operator says which ones it does take.
import {exportFields, formats, type FieldType, type FilterableField} from '../api/fields.js';
import {statuses} from '../api/types.js';
import {closest} from '../text/did-you-mean.js';
import type {Builder} from './builder.js';
import {isoDateTime, parseDate} from './date-values.js';
import {fail, FilterError, quoted, type Span} from './filter-error.js';
import {splitItems, type Char, type Operator, type ValueItem} from './lexer.js';
import {forbiddenKeys, maxFilterDepth} from './limits.js';
import {aliases, fieldNamed} from './names.js';

export type FieldOperator = Exclude<Operator, '='>;

/** Where a term's parts are in the text, for the messages. */
export type TermSpans = {nameSpan: Span; operatorSpan: Span; valueSpan: Span; termSpan: Span};

function isKeyword(item: ValueItem, keyword: 'null' | 'present'): boolean {
	return !item.quoted && item.text.toLowerCase() === keyword;
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
	if (field === 'status') {
		hint = `is one of ${statuses.join(', ')}: use : or !:`;
	}

	if (field === 'format') {
		hint = `is one of ${formats.join(', ')}: use : or !:`;
	}

	return new FilterError(`${field} ${hint}`, span);
}

const rangeSuffix = {'>': 'gt', '>=': 'gteq', '<': 'lt', '<=': 'lteq'} as const;

type FieldTerm = TermSpans & {
	field: FilterableField;
	/** For `metadata.a.b`: ['a', 'b']. */
	path: string[];
	operator: FieldOperator;
	items: ValueItem[];
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

		if (rest.some(key => key === '')) {
			return fail(`empty key in ${quoted(name)}: write ${field}.key:value`, span);
		}

		if (rest.length > maxFilterDepth) {
			return fail(`${field} keys nest at most ${maxFilterDepth} deep`, span);
		}

		let offset = span.start + head.length + 1;
		for (const key of rest) {
			if (forbiddenKeys.has(key)) {
				fail(`${field} key "${key}" is not allowed`, {start: offset, end: offset + key.length});
			}

			offset += key.length + 1;
		}
	}

	return {field, path: rest};
}

function requireValues(term: FieldTerm): void {
	if (term.items.length === 1 && term.items[0]!.text === '') {
		const written = term.path.length > 0 ? `${term.field}.${term.path.join('.')}` : term.field;
		fail(`empty value after ${written}${term.operator}`, term.termSpan);
	}

	for (const item of term.items) {
		if (item.text === '') {
			fail('empty value in the list', {start: item.start, end: Math.max(item.end, item.start + 1)});
		}
	}
}

function applyNullPresent(builder: Builder, term: FieldTerm): boolean {
	if (term.items.length !== 1) {
		return false;
	}

	const item = term.items[0]!;
	const isNull = isKeyword(item, 'null');
	const isPresent = isKeyword(item, 'present');
	if (!isNull && !isPresent) {
		return false;
	}

	if (term.operator !== ':' && term.operator !== '!:') {
		fail(`${item.text} only goes with : or !: (e.g. ${term.field}:${item.text.toLowerCase()})`, term.operatorSpan);
	}

	const negated = term.operator === '!:';
	// Ransack's present/blank also treat '' as missing; Rails casts '' to NULL for dates and
	// numbers, so they are safe (and mean not null / null) for every type.
	let predicate: string;
	if (isNull) {
		predicate = negated ? 'not_null' : 'null';
	} else {
		predicate = negated ? 'blank' : 'present';
	}

	builder.put(`${term.field}_${predicate}`, true, term.termSpan, term.field);
	return true;
}

/** The predicates of the operators that take a list: [one value, several values]. */
const listSuffix: Partial<Record<FieldOperator, readonly [one: string, many: string]>> = {
	':': ['eq', 'in'],
	'!:': ['not_eq', 'not_in'],
	'~': ['cont', 'cont_any'],
	'!~': ['not_cont', 'not_cont_all'],
	'^': ['start', 'start_any'],
	'!^': ['not_start', 'not_start_all'],
};

/** `field:value` or `field:a,b` (and the other list operators) as the one or the many predicate. */
function putList(builder: Builder, term: FieldTerm, values: string[] | number[]): void {
	const suffix = listSuffix[term.operator]!;
	const many = values.length > 1;
	builder.put(`${term.field}_${many ? suffix[1] : suffix[0]}`, many ? values : values[0]!, term.termSpan, term.field);
}

function applyString(builder: Builder, term: FieldTerm): void {
	if (listSuffix[term.operator] === undefined) {
		throw unsupported(term.field, term.operatorSpan);
	}

	putList(builder, term, term.items.map(item => item.text));
}

function applyEnum(builder: Builder, term: FieldTerm): void {
	if (term.operator !== ':' && term.operator !== '!:') {
		throw unsupported(term.field, term.operatorSpan);
	}

	const allowed: readonly string[] = term.field === 'status' ? statuses : formats;
	const values = term.items.map(item => {
		const value = item.text.toLowerCase().replaceAll('-', '_');
		if (allowed.includes(value)) {
			return value;
		}

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
	putList(builder, term, values);
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
	if (term.operator === ':' || term.operator === '!:') {
		putList(builder, term, values);
		return;
	}

	if (values.length > 1) {
		fail(`${term.field}${term.operator} takes one number, not a list`, term.valueSpan);
	}

	builder.put(`${term.field}_${rangeSuffix[term.operator]}`, values[0]!, term.termSpan, term.field);
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
	if (!value) {
		fail(`bad date ${quoted(item.text)}: ${dateHelp}`, item);
	}

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
	if (term.path.length === 0) {
		throw unsupported(term.field, term.operatorSpan);
	}

	if (term.operator !== ':') {
		fail(`${written} matches an exact value: use ${written}:value`, term.operatorSpan);
	}

	if (term.items.length > 1) {
		fail(`${written} takes one value: quote a value that has a comma`, term.valueSpan);
	}

	// Metadata values are matched as strings: `metadata.k:5` means {"k":"5"}.
	let object: Record<string, unknown> = {[term.path.at(-1)!]: term.items[0]!.text};
	for (const key of term.path.slice(0, -1).reverse()) {
		object = {[key]: object};
	}

	builder.put(`${term.field}_jcont`, object, term.termSpan, term.field);
}

function applyRelationship(builder: Builder, term: FieldTerm): void {
	if (term.operator === ':' || term.operator === '!:') {
		applyString(builder, term);
		return;
	}

	throw unsupported(term.field, term.operatorSpan);
}

/**
 * A `name OPERATOR value` term (any operator but `=`, which is a raw predicate) added to the
 * filters: the name resolved to a field (and metadata keys), the value read by the field's type.
 */
export function applyFieldTerm(builder: Builder, name: string, operator: FieldOperator, valueChars: readonly Char[], spans: TermSpans, now: Date): void {
	const {field, path} = resolveField(name, spans.nameSpan);
	const fieldTerm: FieldTerm = {
		field,
		path,
		operator,
		items: splitItems(valueChars, spans.valueSpan),
		...spans,
	};
	requireValues(fieldTerm);
	if (path.length === 0 && applyNullPresent(builder, fieldTerm)) {
		return;
	}

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
