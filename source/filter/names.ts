// The names the syntax knows besides the API's own: field aliases and status words.
import {exportFields, type FilterableField} from '../api/fields.js';
import {statuses, type KnownStatus} from '../api/types.js';

export const aliases: Readonly<Record<string, FilterableField>> = Object.assign(Object.create(null) as Record<string, FilterableField>, {
	type: 'resource_type',
	ref: 'reference',
});

/** The field a name means (an alias or a field's own name), looked up in own properties only. */
export function fieldNamed(name: string): FilterableField | undefined {
	if (Object.hasOwn(aliases, name)) {
		return aliases[name];
	}

	return Object.hasOwn(exportFields, name) ? (name as FilterableField) : undefined;
}

/** A bare word that names a status (`failed`, `In-Progress`), as the status. */
export function statusWord(word: string): KnownStatus | undefined {
	const normal = word.toLowerCase().replaceAll('-', '_');
	return statuses.find(status => status === normal);
}
