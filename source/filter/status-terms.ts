// Rewriting the status term of a filter's text, as the keys 1..5 and a kept filter do. The rest of
// the text is kept as typed.
import type {KnownStatus} from '../api/types.js';
import {isNameChar, lex, readOperator, splitItems, textOf, type Term} from './lexer.js';
import {statusWord} from './names.js';

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
		while (nameLength < chars.length && isNameChar(chars[nameLength]!)) {
			nameLength++;
		}

		if (textOf(chars.slice(0, nameLength)).toLowerCase() !== 'status' || readOperator(chars, nameLength) !== ':') {
			continue;
		}

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
		if (/\s$/.test(before) && (after === '' || /^\s/.test(after))) {
			return before.replace(/\s+$/, '') + after;
		}

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
		if (term.chars.some(char => char.quoted)) {
			continue;
		}

		let nameLength = 0;
		while (nameLength < term.chars.length && isNameChar(term.chars[nameLength]!)) {
			nameLength++;
		}

		if (readOperator(term.chars, nameLength)) {
			continue;
		}

		const status = statusWord(textOf(term.chars));
		if (status) {
			result = `${result.slice(0, term.start)}status:${status}${result.slice(term.end)}`;
		}
	}

	return result;
}
