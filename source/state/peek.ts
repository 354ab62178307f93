// Peek (`v`): an overlay over the body with the first records of the selected export's file, read
// by the effects hook (hooks/use-triage-jobs.ts) as it streams in; nothing is written to disk.
// The overlay scrolls by rows (j k ↑ ↓), by columns (h l ← →) and by pages (PgUp PgDn); it measures
// how far it can go (peekMeasured), as the detail pane does. Esc closes it, which cancels the
// reading.
import {sanitize} from '../text/sanitize.js';
import {clamp} from './list.js';
import {baseMode, noRecord, selectedRecord} from './selectors.js';
import type {Handlers, State} from './types.js';

/** The overlay closed, its reading cancelled (the job goes away). */
export function closePeek(state: State): State {
	return state.mode === 'peek' || state.peek !== undefined ? {...state, mode: state.mode === 'peek' ? baseMode(state) : state.mode, peek: undefined} : state;
}

export const peekHandlers = {
	openPeek(state) {
		if (state.mode === 'peek') {
			return closePeek(state);
		}

		const record = selectedRecord(state);
		if (record === undefined) {
			return {...state, notice: {text: noRecord(state), tone: 'error'}};
		}

		const status = record.attributes?.status;
		if (status !== 'completed') {
			// As the row says; the export is retrieved again anyway, and the API has the last word.
			const shown = typeof status === 'string' && status !== '' ? sanitize(status) : 'not completed';
			return {...state, notice: {text: `No file to look into: export ${sanitize(record.id)} is ${shown} (only completed exports have one)`, tone: 'error'}};
		}

		const seq = state.seq + 1;
		return {
			...state,
			seq,
			mode: 'peek',
			peek: {seq, id: record.id, read: 0, row: 0, column: 0, maxRow: 0, maxColumn: 0, pageRows: 1},
		};
	},

	closePeek,

	scrollPeek(state, action) {
		const {peek} = state;
		if (peek === undefined) {
			return state;
		}

		const rows = (action.rows ?? 0) + (action.pages ?? 0) * Math.max(1, peek.pageRows);
		let row = clamp(peek.row + rows, 0, peek.maxRow);
		if (action.to !== undefined) {
			row = action.to === 'start' ? 0 : peek.maxRow;
		}

		const column = clamp(peek.column + (action.columns ?? 0), 0, peek.maxColumn);
		return row === peek.row && column === peek.column ? state : {...state, peek: {...peek, row, column}};
	},

	peekMeasured(state, action) {
		const {peek} = state;
		if (peek === undefined) {
			return state;
		}

		const maxRow = Math.max(0, action.maxRow);
		const maxColumn = Math.max(0, action.maxColumn);
		const pageRows = Math.max(1, action.pageRows);
		if (maxRow === peek.maxRow && maxColumn === peek.maxColumn && pageRows === peek.pageRows) {
			return state;
		}

		return {...state, peek: {...peek, maxRow, maxColumn, pageRows, row: Math.min(peek.row, maxRow), column: Math.min(peek.column, maxColumn)}};
	},

	peekProgress(state, action) {
		return state.peek?.seq === action.seq && state.peek.read !== action.read ? {...state, peek: {...state.peek, read: action.read}} : state;
	},

	peekLoaded(state, action) {
		return state.peek?.seq === action.seq ? {...state, peek: {...state.peek, read: action.content.records.length, content: action.content}} : state;
	},

	peekFailed(state, action) {
		return state.peek?.seq === action.seq ? {...state, peek: {...state.peek, error: action.message}} : state;
	},
} satisfies Partial<Handlers>;
