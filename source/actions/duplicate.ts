// `c`: runs an export again. A new export is created (`POST /api/exports`) with the parameters that
// decide what goes into the file: resource type, format, includes, fields, filters and dry data.
// Nothing else is copied: not the reference, reference_origin or metadata (they name the original),
// not the state. Pure helpers for the question and the messages, and the request itself.
import type {ExportsClient} from '../api/client.js';
import {ApiError, describeError} from '../api/errors.js';
import type {ExportCreate, ExportRecord} from '../api/types.js';
import {sanitize} from '../text/sanitize.js';
import {displayWidth, truncate} from '../text/width.js';

/** The attributes a duplicate copies, in the order the question names them. */
export const duplicatedAttributes = ['resource_type', 'format', 'includes', 'fields', 'filters', 'dry_data'] as const;

function isEmpty(value: unknown): boolean {
	if (value === null || value === undefined || value === '') {
		return true;
	}

	if (Array.isArray(value)) {
		return value.length === 0;
	}

	return typeof value === 'object' && Object.keys(value).length === 0;
}

/**
 * The create attributes of a duplicate: the source's parameters, those without a value (null, empty
 * string, list or object) left out so the API applies its defaults. Undefined when the source does
 * not say its resource type (the one attribute a create needs).
 */
export function duplicateAttributes(record: ExportRecord): ExportCreate | undefined {
	const source = record.attributes ?? {};
	const type = source.resource_type;
	if (typeof type !== 'string' || type.trim() === '') {
		return undefined;
	}

	const attributes: Record<string, unknown> = {};
	for (const name of duplicatedAttributes) {
		const value: unknown = source[name];
		if (!isEmpty(value)) {
			// A copy: the new export's parameters never share objects with the listed row.
			attributes[name] = structuredClone(value);
		}
	}

	return attributes as ExportCreate;
}

/** Why `c` cannot be asked for, or undefined when it can. */
export function duplicateRefusal(record: ExportRecord | undefined, context: {readOnly: boolean}): string | undefined {
	if (context.readOnly) {
		return 'Read-only (--read-only): duplicate is off';
	}

	if (record === undefined) {
		return 'No export selected';
	}

	if (duplicateAttributes(record) === undefined) {
		return `Export ${sanitize(record.id)} does not say its resource type: nothing to duplicate`;
	}

	return undefined;
}

/** `csv`, `includes: prices`, `fields: code, name`, `filters: code_eq=A`, `dry data`: one part each. */
export function describeParameters(attributes: ExportCreate): string[] {
	const parts: string[] = [sanitize(attributes.format ?? 'json')];
	if (attributes.includes && attributes.includes.length > 0) {
		parts.push(`includes: ${attributes.includes.map(value => sanitize(value)).join(', ')}`);
	}

	if (attributes.fields && attributes.fields.length > 0) {
		parts.push(`fields: ${attributes.fields.map(value => sanitize(value)).join(', ')}`);
	}

	if (attributes.filters && Object.keys(attributes.filters).length > 0) {
		const filters = Object.entries(attributes.filters).map(([key, value]) => `${sanitize(key)}=${sanitize(Array.isArray(value) ? value.join(',') : value)}`);
		parts.push(`filters: ${filters.join(' ')}`);
	}

	if (attributes.dry_data === true) {
		parts.push('dry data');
	}

	return parts;
}

/**
 * "Duplicate as a new skus export (csv · fields: code, name · filters: code_eq=A)? y/N", the
 * parameters cut with `…` so that the question fits `width` cells (the question itself is never cut).
 */
export function duplicateQuestion(attributes: ExportCreate, width = 80): string {
	const start = `Duplicate as a new ${sanitize(attributes.resource_type)} export (`;
	const end = ')? y/N';
	const parameters = describeParameters(attributes).join(' · ');
	const room = Math.max(1, width - displayWidth(start) - displayWidth(end));
	return `${start}${truncate(parameters, room)}${end}`;
}

/** The footer once the API created it: "Created export NEWID (skus, csv), a duplicate of OLDID". */
export function duplicateDoneText(created: ExportRecord, sourceId: string): string {
	const type = sanitize(created.attributes?.resource_type ?? 'export');
	const format = sanitize(created.attributes?.format ?? 'json');
	return `Created export ${sanitize(created.id)} (${type}, ${format}), a duplicate of ${sanitize(sourceId)}`;
}

/**
 * One line for a failed create. A validation error (422) names the attribute its pointer points at:
 * "Duplicate refused: resource_type is not included in the list".
 */
export function duplicateFailure(error: unknown): string {
	if (error instanceof ApiError && error.status === 422 && error.errors.length > 0) {
		const reasons = error.errors.map(entry => {
			const pointer = (entry.source as {pointer?: unknown} | undefined)?.pointer;
			const attribute = typeof pointer === 'string' ? pointer.split('/').findLast(part => part !== '') : undefined;
			const said = entry.title ?? entry.detail ?? entry.code ?? 'is not valid';
			return sanitize(attribute === undefined || said.startsWith(attribute) ? said : `${attribute} ${said}`);
		});
		return `Duplicate refused: ${[...new Set(reasons)].join('; ')}`;
	}

	return `Duplicate failed: ${describeError(error)}`;
}

/** Sends the create for `record`'s parameters; the new export as the API answered it. */
export async function duplicateExport(
	client: Pick<ExportsClient, 'createExport'>,
	record: ExportRecord,
	signal?: AbortSignal,
): Promise<{attributes: ExportCreate; created: ExportRecord}> {
	const attributes = duplicateAttributes(record);
	if (attributes === undefined) {
		throw new Error(`Export ${sanitize(record.id)} does not say its resource type: nothing to duplicate`);
	}

	const created = await client.createExport(attributes, signal);
	return {attributes, created};
}
