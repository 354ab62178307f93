// Marks: Space picks the selected export for a bulk action (and moves down, so that a run of rows
// is marked key after key). A mark is the export's id with the export as last seen, never a
// position: the list moves under it (pages come and go, a filter or a sort changes the rows, a
// refresh brings new exports in) and the mark stays with its export, whose status the question
// of a bulk action counts. Esc clears them (modes.ts); a deleted export leaves them.
import type {ExportRecord} from '../api/types.js';
import {trackedEnd} from './duplicate.js';
import {pagingHandlers} from './paging.js';
import {noMarks, noRecord, selectedRecord} from './selectors.js';
import type {Handlers, State} from './types.js';

export const markHandlers = {
	toggleMark(state) {
		const record = selectedRecord(state);
		if (record === undefined) {
			return {...state, notice: {text: noRecord(state), tone: 'error'}};
		}

		const marks = new Map(state.marks);
		if (marks.has(record.id)) {
			marks.delete(record.id);
		} else {
			marks.set(record.id, record);
		}

		return pagingHandlers.selectDown({...state, marks: marks.size === 0 ? noMarks : marks});
	},
} satisfies Partial<Handlers>;

/** Esc's step before the filter: the marks go (the footer says how many). */
export function clearMarks(state: State): State {
	const count = state.marks.size;
	return {...state, marks: noMarks, notice: {text: `${count} mark${count === 1 ? '' : 's'} cleared`, tone: 'info'}};
}

/**
 * After any action: the exports in pages that just came into the cache (an answer, a refresh) are
 * the newest versions, so a marked one is kept as they show it, and the duplicate the footer
 * follows is looked for among them. Nothing to do when the cache did not change.
 */
export function followCache(state: State, previous: State): State {
	if (state.pages === previous.pages || (state.marks.size === 0 && state.tracked === undefined)) {
		return state;
	}

	const before = previous.pages.entries;
	const arrived = new Map<string, readonly ExportRecord[]>();
	for (const [key, entry] of state.pages.entries) {
		if (before.get(key) !== entry) {
			arrived.set(key, entry.page.data);
		}
	}

	if (arrived.size === 0) {
		return state;
	}

	let marks: Map<string, ExportRecord> | undefined;
	for (const record of [...arrived.values()].flat()) {
		const marked = (marks ?? state.marks).get(record.id);
		if (marked !== undefined && marked !== record) {
			marks ??= new Map(state.marks);
			marks.set(record.id, record);
		}
	}

	return trackedEnd(marks === undefined ? state : {...state, marks}, arrived);
}
