// A filter the parser cannot read. Each error carries the span of the text it is about, so the
// prompt can underline it.
import {sanitize} from '../text/sanitize.js';

export type Span = {start: number; end: number};

export class FilterError extends Error {
	readonly span: Span;

	constructor(message: string, span: Span) {
		super(message);
		this.span = {start: span.start, end: span.end};
	}
}

export function fail(message: string, span: Span): never {
	throw new FilterError(message, span);
}

/** Text the user typed, inside a message: one line, and short. */
export function quoted(text: string, limit = 40): string {
	const line = sanitize(text);
	return `"${line.length > limit ? `${line.slice(0, limit - 1)}…` : line}"`;
}
