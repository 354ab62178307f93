// `attribute_predicate=value`: a Ransack predicate written out, for what the short syntax does not
// say. It is checked before it is sent: the attributes must be filterable fields of exports, the
// predicate one their type takes, the value what the predicate needs (true/false, a list, JSON).
import {exportFields, isListPredicate, predicateSummary, splitPredicateKey, supportsPredicate, type FilterableField} from '../api/fields.js';
import type {FilterValue} from '../api/types.js';
import {closest} from '../text/did-you-mean.js';
import {isPlainObject, type Builder} from './builder.js';
import {fail, quoted, type Span} from './filter-error.js';
import {splitItems, textOf, type Char} from './lexer.js';
import {forbiddenKeys, maxFilterDepth} from './limits.js';
import {fieldNamed} from './names.js';

const booleanPredicates = new Set(['null', 'not_null', 'present', 'blank', 'true', 'false']);

export function applyRaw(builder: Builder, key: string, keySpan: Span, valueChars: Char[], valueSpan: Span, termSpan: Span): void {
	const lowerKey = key.toLowerCase();
	const split = splitPredicateKey(lowerKey);
	if (!split) {
		const field = fieldNamed(lowerKey);
		if (field) {
			fail(`"${field}=" needs a predicate, e.g. ${field}_eq=value (or ${field}:value)`, keySpan);
		}

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
	if (text === '') {
		fail(`empty value after ${lowerKey}=`, termSpan);
	}

	let value: FilterValue;
	if (predicate === 'jcont') {
		let parsed: unknown;
		try {
			parsed = JSON.parse(text);
		} catch {
			parsed = undefined;
		}

		if (!isPlainObject(parsed)) {
			fail(`${lowerKey} needs a JSON object, e.g. ${lowerKey}={"key":"value"}`, valueSpan);
		}

		const problem = jsonProblem(parsed);
		if (problem) {
			fail(`${lowerKey}: ${problem}`, valueSpan);
		}

		value = parsed;
	} else if (booleanPredicates.has(predicate)) {
		const lower = text.toLowerCase();
		if (lower !== 'true' && lower !== 'false') {
			fail(`${lowerKey} takes true or false`, valueSpan);
		}

		value = lower === 'true';
	} else if (isListPredicate(predicate)) {
		const items = splitItems(valueChars, valueSpan);
		const empty = items.find(item => item.text === '');
		if (empty) {
			fail('empty value in the list', {start: empty.start, end: Math.max(empty.end, empty.start + 1)});
		}

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
		if (typeof current !== 'object' || current === null) {
			continue;
		}

		if (depth > maxFilterDepth) {
			return `JSON nested too deep: at most ${maxFilterDepth} levels`;
		}

		if (!Array.isArray(current)) {
			const key = Object.keys(current).find(name => forbiddenKeys.has(name));
			if (key !== undefined) {
				return `key "${key}" is not allowed`;
			}
		}

		for (const item of Object.values(current)) {
			stack.push({value: item, depth: depth + 1});
		}
	}

	return undefined;
}
