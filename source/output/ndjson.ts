// --json: one export a line, `{"id", "type", ...attributes}` like the SDK's resource objects.
import type {ExportRecord} from '../api/types.js';

// JSON.stringify escapes C0 controls but leaves DEL, the C1 controls (U+0080–U+009F, which some
// terminals act on: CSI, OSC...), the line and paragraph separators (which break "one record a
// line" for JavaScript readers) and the bidi overrides (which make text read differently). They
// can only occur inside JSON strings, so escaping them keeps the line valid JSON.
const unsafe = /[\u007F-\u009F\u2028\u2029\u200E\u200F\u202A-\u202E\u2066-\u2069]/g;

function escapeUnsafe(json: string): string {
	return json.replace(unsafe, char => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** The object a line holds: id and type first, then the attributes. */
export function exportObject(record: ExportRecord): Record<string, unknown> {
	const {id: _id, type: _type, ...attributes} = record.attributes ?? {};
	return {id: record.id, type: record.type, ...attributes};
}

/** One NDJSON line, newline included. */
export function ndjsonLine(record: ExportRecord): string {
	return `${escapeUnsafe(JSON.stringify(exportObject(record)))}\n`;
}

/** The lines of a page. */
export function ndjsonLines(records: readonly ExportRecord[]): string {
	return records.map(record => ndjsonLine(record)).join('');
}
