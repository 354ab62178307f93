// `c`, sent: `POST /api/exports` with the parameters of the export it duplicates
// (state/duplicate.ts says which), and the one line for a create the API refused.
import type {ExportsClient} from '../api/client.js';
import {ApiError, describeError} from '../api/errors.js';
import type {ExportCreate, ExportRecord} from '../api/types.js';
import {sanitize} from '../text/sanitize.js';
import {duplicateAttributes} from '../state/duplicate.js';

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
