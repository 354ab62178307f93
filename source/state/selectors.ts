// Small read-only questions about the state, shared by the reducer and its triage part.
import type {ExportRecord} from '../api/types.js';
import type {Mode, Selection, State} from './reducer.js';

/** The mode to return to when the prompt, the help overlay or a question closes. */
export function baseMode(state: State): Mode {
	return state.detailOpen ? 'detail' : 'browse';
}

/** The export under the selection, if any. */
export function selectedRecord(state: State): ExportRecord | undefined {
	return state.rows[state.selection.index];
}

/** Watch waits while the user is typing a filter or answering a question. */
export function watchPaused(state: State): boolean {
	return state.mode === 'filter' || state.mode === 'confirm';
}

/** The period watch actually uses (longer after 429s). */
export function watchPeriodMs(state: State): number {
	return state.watch.periodMs * state.watch.slowdown;
}

export function clamp(value: number, min: number, max: number): number {
	return Math.min(Math.max(value, min), max);
}

export function clampIndex(index: number, length: number): number {
	return length === 0 ? 0 : clamp(index, 0, length - 1);
}

/** The selection to keep when the rows are about to change under it: the same export. */
export function following(state: State): Selection {
	const {id, index} = state.selection;
	return {id: id ?? state.rows[index]?.id, index};
}

/**
 * The selection for a new filter or sort: the same export when it is still on the page, else the
 * first row (the top of the new list), never whichever row happens to sit at the old index.
 */
export function followingOrTop(state: State): Selection {
	return {id: following(state).id, index: 0};
}
