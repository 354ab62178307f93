// Evaluates Ransack conditions (`filter[q][attr_or_attr_predicate]=value`) against demo records,
// with the semantics Commerce Layer gets from Ransack on PostgreSQL:
// - cont/start/end/matches are ILIKE (case-insensitive); eq/in are exact;
// - SQL NULL never satisfies a comparison, only the null/blank/present/_or_null forms;
// - list predicates (_in, _any, _all, ...) take comma-separated values;
// - conditions Ransack would drop are dropped: unknown attributes or predicates, blank values,
//   values that do not cast to the attribute's type (Ransack's `ignore_unknown_conditions`).
//
// - with several attributes, Ransack ORs the whole predicate over them: `a_or_b_cont_all=x,y`
//   matches when a holds both x and y or b holds both, not when x is in a and y in b. The demo
//   does the same, so searching several words here finds what it would find live.
import {exportFields, isListPredicate, splitPredicateKey, type FieldType, type Predicate} from '../api/fields.js';
import {asText, castAttribute, castBoolean, castValue, fold, jsonContains, likeToRegExp, parseJson} from './ransack-values.js';

export type Condition = {
	key: string;
	attributes: string[];
	predicate: Predicate;
	/** Raw values: one for scalar predicates, the comma-split list for list predicates. */
	values: string[];
};

/** Values of an attribute on one record: one item, or one per related record (`events_id`). */
export type AttributeReader = (attribute: string) => unknown[];

const booleanPredicates = new Set<string>(['null', 'not_null', 'present', 'blank', 'true', 'false']);

function fieldType(attribute: string): FieldType | undefined {
	// Own properties only: `constructor_eq` names no attribute, whatever Object.prototype holds.
	return Object.hasOwn(exportFields, attribute) ? (exportFields as Record<string, FieldType>)[attribute] : undefined;
}

/**
 * Turns the `filter[q]` hash into conditions, dropping those Ransack would ignore. Keys are the
 * part inside `filter[q][…]`.
 */
export function parseConditions(q: Record<string, string>): Condition[] {
	const conditions: Condition[] = [];
	for (const [key, raw] of Object.entries(q)) {
		const split = splitPredicateKey(key);
		if (!split) {
			continue;
		}

		if (!split.attributes.every(attribute => fieldType(attribute) !== undefined)) {
			continue;
		}

		const values = isListPredicate(split.predicate) ? raw.split(',').filter(value => value !== '') : raw === '' ? [] : [raw];
		if (values.length === 0) {
			continue;
		}

		const condition: Condition = {key, attributes: split.attributes, predicate: split.predicate, values};
		if (!isCastable(condition)) {
			continue;
		}

		conditions.push(condition);
	}

	return conditions;
}

function isCastable(condition: Condition): boolean {
	const {predicate, values, attributes} = condition;
	if (booleanPredicates.has(predicate)) {
		return castBoolean(values[0] ?? '') !== undefined;
	}

	if (predicate === 'jcont') {
		return parseJson(values[0] ?? '') !== undefined;
	}

	if (!isComparison(baseOf(predicate)) && !isExact(baseOf(predicate))) {
		return true;
	}

	return attributes.every(attribute => values.every(value => castValue(fieldType(attribute), value) !== undefined));
}

/** `cont_all` -> `cont`, `not_eq_or_null` -> `not_eq_or_null` (the `_or_null` forms are their own base). */
function baseOf(predicate: Predicate): string {
	return predicate.replace(/_(any|all)$/, '');
}

function isComparison(base: string): boolean {
	return base === 'lt' || base === 'lteq' || base === 'gt' || base === 'gteq';
}

function isExact(base: string): boolean {
	return ['eq', 'not_eq', 'in', 'not_in', 'eq_or_null', 'not_eq_or_null', 'in_or_null', 'not_in_or_null'].includes(base);
}

/** One attribute value against one filter value, for a non-compound predicate base. */
function test(base: string, type: FieldType | undefined, raw: unknown, value: string, flag: boolean): boolean {
	switch (base) {
		case 'null': {
			return (raw === null || raw === undefined) === flag;
		}

		case 'not_null': {
			return (raw !== null && raw !== undefined) === flag;
		}

		case 'blank':
		case 'present': {
			// SQL: present = IS NOT NULL AND <> ''; blank = IS NULL OR = ''.
			const blank = raw === null || raw === undefined || raw === '';
			return base === 'blank' ? blank === flag : blank !== flag;
		}

		case 'true':
		case 'false': {
			// `x = TRUE` / `x != TRUE` in SQL: NULL satisfies neither.
			if (raw === null || raw === undefined) {
				return false;
			}

			const truthy = raw === true || raw === 't' || raw === 'true';
			const falsy = raw === false || raw === 'f' || raw === 'false';
			const wanted = base === 'true' ? truthy : falsy;
			return flag ? wanted : !wanted;
		}

		case 'jcont': {
			return raw !== null && raw !== undefined && jsonContains(raw, parseJson(value));
		}

		default: {
			break;
		}
	}

	const isNull = raw === null || raw === undefined;
	if (base.endsWith('_or_null') && isNull) {
		return true;
	}

	const plain = base.replace(/_or_null$/, '');
	if (isNull) {
		return false;
	}

	switch (plain) {
		case 'eq':
		case 'not_eq':
		case 'lt':
		case 'lteq':
		case 'gt':
		case 'gteq': {
			const left = castAttribute(type, raw);
			const right = type === 'json' ? value : castValue(type, value);
			if (left === null || right === undefined) {
				return false;
			}

			const order = left < right ? -1 : left > right ? 1 : 0;
			switch (plain) {
				case 'eq': {
					return order === 0;
				}

				case 'not_eq': {
					return order !== 0;
				}

				case 'lt': {
					return order < 0;
				}

				case 'lteq': {
					return order <= 0;
				}

				case 'gt': {
					return order > 0;
				}

				default: {
					return order >= 0;
				}
			}
		}

		default: {
			break;
		}
	}

	const text = asText(raw);
	if (text === null) {
		return false;
	}

	switch (plain) {
		case 'cont': {
			return fold(text).includes(fold(value));
		}

		case 'not_cont': {
			return !fold(text).includes(fold(value));
		}

		case 'start': {
			return fold(text).startsWith(fold(value));
		}

		case 'not_start': {
			return !fold(text).startsWith(fold(value));
		}

		case 'end': {
			return fold(text).endsWith(fold(value));
		}

		case 'not_end': {
			return !fold(text).endsWith(fold(value));
		}

		case 'matches': {
			return likeToRegExp(value).test(text);
		}

		case 'does_not_match': {
			return !likeToRegExp(value).test(text);
		}

		default: {
			return false;
		}
	}
}

/** Whether one attribute (with all its values) satisfies one filter value. */
function attributeMatches(base: string, attribute: string, read: AttributeReader, value: string, flag: boolean): boolean {
	const type = fieldType(attribute);
	const values = read(attribute);
	const rows = values.length === 0 ? [null] : values;
	return rows.some(raw => test(base, type, raw, value, flag));
}

export function matchesCondition(condition: Condition, read: AttributeReader): boolean {
	const {predicate, attributes, values} = condition;
	if (booleanPredicates.has(predicate)) {
		const flag = castBoolean(values[0] ?? '') ?? true;
		return attributes.some(attribute => attributeMatches(predicate, attribute, read, '', flag));
	}

	const compound = /_(any|all)$/.exec(predicate)?.[1];
	const base = compound ? baseOf(predicate) : predicate;
	if (compound === 'any') {
		return values.some(value => attributes.some(attribute => attributeMatches(base, attribute, read, value, true)));
	}

	if (compound === 'all') {
		return attributes.some(attribute => values.every(value => attributeMatches(base, attribute, read, value, true)));
	}

	if (base === 'in' || base === 'in_or_null') {
		return attributes.some(attribute =>
			values.some(value => attributeMatches(base === 'in' ? 'eq' : 'eq_or_null', attribute, read, value, true)),
		);
	}

	if (base === 'not_in' || base === 'not_in_or_null') {
		const orNull = base === 'not_in_or_null';
		return attributes.some(attribute => {
			const type = fieldType(attribute);
			const rows = read(attribute);
			return (rows.length === 0 ? [null] : rows).some(raw => {
				if (raw === null || raw === undefined) {
					return orNull;
				}

				return values.every(value => test('not_eq', type, raw, value, true));
			});
		});
	}

	return attributes.some(attribute => attributeMatches(base, attribute, read, values[0] ?? '', true));
}

export function matchesAll(conditions: readonly Condition[], read: AttributeReader): boolean {
	return conditions.every(condition => matchesCondition(condition, read));
}
