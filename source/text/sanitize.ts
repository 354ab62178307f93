// The one gate between server data and the terminal. Anything the API returns (references,
// metadata, error details) could carry escape sequences that move the cursor, rewrite the title,
// set the clipboard (OSC 52) or plant links (OSC 8), or bidi controls that make text read
// differently from what it is. Everything shown on screen or in the plain table passes here.
import stripAnsi from 'strip-ansi';

// strip-ansi removes well-formed sequences. What it leaves is handled below: string controls
// (OSC, DCS, SOS, PM, APC) that never terminate — a terminal would swallow everything up to the
// next ST, so their payload is dropped too — and then, unconditionally, every control character,
// so even a malformed sequence can no longer reach the terminal as one.
const unterminatedString = /(?:\u001B[\]PX^_k]|[\u0090\u0098\u009D\u009E\u009F])[^\u0007\u0018\u001A\u001B\u0080-\u009F]*/g;
const lineBreaks = /[\t\n\r]+/g;
// C0 (the line breaks above are already spaces), DEL, C1, and the bidi embeddings, overrides and
// isolates (U+202A–U+202E, U+2066–U+2069).
const controls = /[\u0000-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069]/g;
const unsafe = /[\u0000-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069]/;

function toText(value: unknown): string {
	if (typeof value === 'string') {
		return value;
	}

	if (value === null || value === undefined) {
		return '';
	}

	if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') {
		return String(value);
	}

	try {
		return JSON.stringify(value) ?? '';
	} catch {
		return String(value);
	}
}

/**
 * Makes any value safe to print: no escape sequences, no control characters, no bidi overrides.
 * Tabs and line breaks become one space (a run of them, e.g. `\r\n`, becomes a single space), so
 * the result is always one line. Printable text, CJK and emoji are kept as they are.
 */
export function sanitize(value: unknown): string {
	const text = toText(value);
	if (!unsafe.test(text)) {
		return text;
	}

	return stripAnsi(text).replace(unterminatedString, '').replace(lineBreaks, ' ').replace(controls, '');
}
