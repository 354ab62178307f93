// The words and rules of the export actions (issue 4): which status allows which action (the
// lifecycle of commercelayer.md §7.3), the y/N question, and what the footer says afterwards.
// Pure, for the reducer.
import type {ExportRecord} from '../api/types.js';
import {sanitize} from '../text/sanitize.js';

export type ExportAction = 'interrupt' | 'restart' | 'delete';

export type Notice = {
	text: string;
	tone: 'info' | 'error';
	/** A link to show in full so it can be copied by hand (after `y`), and the export it belongs to. */
	url?: string;
	id?: string;
};

export type Confirm = {action: ExportAction; id: string; question: string};

/** The statuses an action applies to; undefined: any. */
export const allowedStatuses: Record<ExportAction, readonly string[] | undefined> = {
	interrupt: ['pending', 'in_progress'],
	restart: ['interrupted', 'failed'],
	delete: undefined,
};

const verbs: Record<ExportAction, {base: string; ed: string; ing: string; title: string}> = {
	interrupt: {base: 'interrupt', ed: 'interrupted', ing: 'Interrupting', title: 'Interrupt'},
	restart: {base: 'restart', ed: 'restarted', ing: 'Restarting', title: 'Restart'},
	delete: {base: 'delete', ed: 'deleted', ing: 'Deleting', title: 'Delete'},
};

export function actionVerb(action: ExportAction): {base: string; ed: string; ing: string; title: string} {
	return verbs[action];
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
export function confirmQuestion(action: ExportAction, record: ExportRecord): string {
	const warning = action === 'delete' ? ' This cannot be undone.' : '';
	return `${verbs[action].title} export ${sanitize(record.id)} (${describeExport(record)})?${warning} y/N`;
}

/** Why an action cannot be asked for, or undefined when it can. */
export function refusal(action: ExportAction, record: ExportRecord | undefined, context: {readOnly: boolean; busy?: string}): string | undefined {
	if (context.readOnly) {
		return `Read-only (--read-only): ${verbs[action].base} is off`;
	}

	if (record === undefined) {
		return 'No export selected';
	}

	if (context.busy !== undefined) {
		return `Wait: an action on export ${sanitize(context.busy)} is still on its way`;
	}

	const allowed = allowedStatuses[action];
	const status = record.attributes?.status;
	if (allowed !== undefined && !allowed.includes(typeof status === 'string' ? status : '')) {
		// One line of an 80-column footer: the selected row says which export.
		const which = allowed.map(name => name.replace('_', '-')).join(' or ');
		const status = statusOf(record).replace('_', '-');
		return `Cannot ${verbs[action].base} ${/^[aeiou]/i.test(status) ? 'an' : 'a'} ${status} export: only ${which} ones`;
	}

	return undefined;
}

/** The footer after the API said yes. */
export function doneText(action: ExportAction, id: string, record?: ExportRecord): string {
	const shown = sanitize(id);
	if (action === 'delete' || record === undefined) {
		return `Export ${shown} ${verbs[action].ed}`;
	}

	return `Export ${shown} ${verbs[action].ed}: now ${statusOf(record)}`;
}

/** Same status and progress: what watch mode compares to mark a row as changed. */
export function sameProgress(a: ExportRecord, b: ExportRecord): boolean {
	const x = a.attributes ?? {};
	const y = b.attributes ?? {};
	return x.status === y.status && x.processed_count === y.processed_count && x.progress === y.progress && x.records_count === y.records_count;
}
