// The filter prompt's syntax -> Ransack predicates.
// Pure: the only clock is the injectable `now`, used for relative dates (today, -2h, ...).
// Errors carry the span of the text they are about, so the prompt can underline it.
// The steps are in their own files: lexer.ts reads terms, field-terms.ts and raw-predicates.ts turn
// them into predicates, builder.ts collects them; status-terms.ts rewrites a text's status term and
// syntax.ts describes the syntax for the helps.
import {filterQueryBytes, maxFilterQueryBytes} from '../api/query-string.js';
import type {Filters} from '../api/types.js';
import {Builder} from './builder.js';
import {applyFieldTerm} from './field-terms.js';
import {fail, FilterError, type Span} from './filter-error.js';
import {isNameChar, lex, readOperator, spanOf, textOf} from './lexer.js';
import {maxFilterLength} from './limits.js';
import {statusWord} from './names.js';
import {applyRaw} from './raw-predicates.js';

export type FilterParseResult =
	| {ok: true; filters: Filters}
	| {ok: false; error: string; start: number; end: number};

export type FilterParseOptions = {
	/** The clock for today, yesterday, now and -2h; defaults to the current time. */
	now?: Date;
};

/** The free-text search: a bare word is looked up in these attributes (ids included). */
export const searchAttributes = 'id_or_reference_or_reference_origin_or_resource_type';

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
		while (nameLength < chars.length && isNameChar(chars[nameLength]!)) {
			nameLength++;
		}

		const operator = readOperator(chars, nameLength);

		if (!operator) {
			const word = textOf(chars);
			if (word === '') {
				fail('empty quotes: type something between them', termSpan);
			}

			// A status name alone is the status (quoted, it is a word to search for).
			const status = chars.some(char => char.quoted) ? undefined : statusWord(word);
			if (status) {
				builder.put('status_eq', status, termSpan, 'status');
			} else {
				words.push({text: word, span: termSpan});
			}

			continue;
		}

		const name = textOf(chars.slice(0, nameLength));
		const nameSpan = {start: term.start, end: term.start + nameLength};
		const operatorStart = chars[nameLength]!.index;
		const operatorSpan = {start: operatorStart, end: operatorStart + operator.length};
		if (name === '') {
			fail(`missing field name before ${operator}`, operatorSpan);
		}

		const valueChars = chars.slice(nameLength + operator.length);
		const valueSpan = spanOf(valueChars, {start: operatorSpan.end, end: Math.max(term.end, operatorSpan.end)});

		if (operator === '=') {
			applyRaw(builder, name, nameSpan, valueChars, valueSpan, termSpan);
			continue;
		}

		applyFieldTerm(builder, name, operator, valueChars, {nameSpan, operatorSpan, valueSpan, termSpan}, now);
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
		if (error instanceof FilterError) {
			return {ok: false, error: error.message, ...error.span};
		}

		throw error;
	}
}
