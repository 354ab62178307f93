// The words and rules of the operations on an export (interrupt, restart, delete): which status
// allows which operation (an export that is still pending or running can be interrupted; one
// that was interrupted or failed can be started again), the y/N question, and what the footer
// says afterwards. Pure, for the reducer.
import type {ExportRecord} from '../api/types.js';
import {sanitize} from '../text/sanitize.js';
import type {Operation} from './types.js';

/** The statuses an operation applies to; undefined: any. */
export const allowedStatuses: Record<Operation, readonly string[] | undefined> = {
	interrupt: ['pending', 'in_progress'],
	restart: ['interrupted', 'failed'],
	delete: undefined,
};

const verbs: Record<Operation, {base: string; ed: string; ing: string; title: string}> = {
	interrupt: {base: 'interrupt', ed: 'interrupted', ing: 'Interrupting', title: 'Interrupt'},
	restart: {base: 'restart', ed: 'restarted', ing: 'Restarting', title: 'Restart'},
	delete: {base: 'delete', ed: 'deleted', ing: 'Deleting', title: 'Delete'},
};

export function operationVerb(operation: Operation): {base: string; ed: string; ing: string; title: string} {
	return verbs[operation];
}

function statusOf(record: ExportRecord): string {
	const status = record.attributes?.status;
	return typeof status === 'string' && status !== '' ? sanitize(status) : 'unknown';
}

/** `skus, in_progress` */
export function describeExport(record: ExportRecord): string {
	const type = record.attributes?.resource_type;
	const shownType = typeof type === 'string' && type !== '' ? sanitize(type) : 'export';
	return `${shownType}, ${statusOf(record)}`;
}

/** "Interrupt export XAyRWNUzyN (skus, in_progress)? y/N" */
export function confirmQuestion(operation: Operation, record: ExportRecord): string {
	const warning = operation === 'delete' ? ' This cannot be undone.' : '';
	return `${verbs[operation].title} export ${sanitize(record.id)} (${describeExport(record)})?${warning} y/N`;
}

/** Why an operation cannot be asked for, or undefined when it can. */
export function refusal(operation: Operation, record: ExportRecord | undefined, context: {readOnly: boolean; busy?: string}): string | undefined {
	if (context.readOnly) {
		return `Read-only (--read-only): ${verbs[operation].base} is off`;
	}

	if (record === undefined) {
		return 'No export selected';
	}

	if (context.busy !== undefined) {
		return `Wait: an action on export ${sanitize(context.busy)} is still on its way`;
	}

	const allowed = allowedStatuses[operation];
	const status = record.attributes?.status;
	if (allowed !== undefined && !allowed.includes(typeof status === 'string' ? status : '')) {
		// One line of an 80-column footer: the selected row says which export.
		const which = allowed.map(name => name.replace('_', '-')).join(' or ');
		const status = statusOf(record).replace('_', '-');
		return `Cannot ${verbs[operation].base} ${/^[aeiou]/i.test(status) ? 'an' : 'a'} ${status} export: only ${which} ones`;
	}

	return undefined;
}

/** The footer after the API said yes. */
export function doneText(operation: Operation, id: string, record?: ExportRecord): string {
	const shown = sanitize(id);
	if (operation === 'delete' || record === undefined) {
		return `Export ${shown} ${verbs[operation].ed}`;
	}

	return `Export ${shown} ${verbs[operation].ed}: now ${statusOf(record)}`;
}
