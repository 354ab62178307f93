// Lexing: terms separated by unquoted white space. Quotes (" or ') group characters and make
// them literal (an operator or comma inside quotes is text); `\` escapes inside quotes.
// A term is `name OPERATOR value` (the operators are below) or a bare word; a value splits on
// unquoted commas.
import {FilterError, type Span} from './filter-error.js';
import {maxFilterDepth} from './limits.js';

export type Char = {ch: string; quoted: boolean; index: number};
export type Term = Span & {chars: Char[]};

function isSpace(ch: string): boolean {
	return /\s/.test(ch);
}

export function lex(text: string): Term[] {
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

			if (!closed) {
				throw new FilterError(`unterminated quote: add a closing ${ch}`, {start: open, end: text.length});
			}

			current.end = i;
			// Remember that the term held quotes even when they were empty ("").
			current.chars.push({ch: '', quoted: true, index: i - 1});
			continue;
		}

		// A raw predicate's JSON object (`metadata_jcont={"k": "v"}`) is taken literally, spaces
		// and quotes included, up to its matching brace.
		if (ch === '{' && current && text[i - 1] === '=' && current.chars.at(-1)?.quoted === false) {
			const end = jsonObjectEnd(text, i);
			if (end === undefined) {
				throw new FilterError('unterminated JSON object: add a closing }', {start: i, end: text.length});
			}

			for (let j = i; j < end; j++) {
				push({ch: text[j]!, quoted: true, index: j}, j + 1);
			}

			i = end;
			continue;
		}

		if (isSpace(ch)) {
			if (current) {
				terms.push(current);
			}

			current = undefined;
			i++;
			continue;
		}

		push({ch, quoted: false, index: i}, i + 1);
		i++;
	}

	if (current) {
		terms.push(current);
	}

	return terms;
}

/** The index just past the `}` that closes the object opening at `start`, skipping JSON strings. */
function jsonObjectEnd(text: string, start: number): number | undefined {
	let depth = 0;
	let inString = false;
	for (let i = start; i < text.length; i++) {
		const ch = text[i]!;
		if (inString) {
			if (ch === '\\') {
				i++;
			} else if (ch === '"') {
				inString = false;
			}

			continue;
		}

		if (ch === '"') {
			inString = true;
		} else if (ch === '{' || ch === '[') {
			depth++;
			if (depth > maxFilterDepth) {
				throw new FilterError(`JSON nested too deep: at most ${maxFilterDepth} levels`, {start: i, end: i + 1});
			}
		} else if (ch === '}' || ch === ']') {
			depth--;
			if (depth === 0) {
				return i + 1;
			}
		}
	}

	return undefined;
}

export function textOf(chars: readonly Char[]): string {
	return chars.map(char => char.ch).join('');
}

export function spanOf(chars: readonly Char[], fallback: Span): Span {
	const real = chars.filter(char => char.ch !== '');
	if (real.length === 0) {
		return fallback;
	}

	return {start: real[0]!.index, end: real.at(-1)!.index + 1};
}

export const operators = ['!:', '!~', '!^', '>=', '<=', ':', '~', '^', '>', '<', '='] as const;
export type Operator = (typeof operators)[number];

export type ValueItem = Span & {text: string; quoted: boolean};

export function isNameChar(char: Char): boolean {
	return !char.quoted && /[\w.-]/.test(char.ch);
}

export function readOperator(chars: readonly Char[], at: number): Operator | undefined {
	for (const operator of operators) {
		const slice = chars.slice(at, at + operator.length);
		if (slice.length === operator.length && slice.every(char => !char.quoted) && textOf(slice) === operator) {
			return operator;
		}
	}

	return undefined;
}

/** Splits a value on unquoted commas. */
export function splitItems(chars: readonly Char[], fallback: Span): ValueItem[] {
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
