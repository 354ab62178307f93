// JSON:API sort specs (`-created_at,status`) for the exports resource.
import {isSortableField, sortableFields, type SortableField} from './fields.js';

export type SortKey = {field: SortableField; descending: boolean};

export type SortParseResult = {ok: true; keys: SortKey[]} | {ok: false; error: string};

/** Parses a JSON:API sort spec, accepting only the sortable export fields. */
export function parseSort(spec: string): SortParseResult {
	const parts = spec.split(',').map(part => part.trim());
	if (parts.length === 0 || parts.some(part => part === '' || part === '-')) {
		return {ok: false, error: `invalid sort "${spec}": expected fields separated by commas, e.g. -created_at,status`};
	}

	const keys: SortKey[] = [];
	for (const part of parts) {
		const descending = part.startsWith('-');
		const field = descending ? part.slice(1) : part;
		if (!isSortableField(field)) {
			return {ok: false, error: `cannot sort by "${field}": sortable fields are ${sortableFields.join(', ')}`};
		}

		if (keys.some(key => key.field === field)) {
			return {ok: false, error: `sort field "${field}" is given twice`};
		}

		keys.push({field, descending});
	}

	return {ok: true, keys};
}

/** The `sort` query value for these keys, e.g. `['-created_at']` -> `-created_at`. */
export function formatSort(keys: readonly SortKey[]): string {
	return keys.map(key => (key.descending ? `-${key.field}` : key.field)).join(',');
}
