// The jobs a key hands to the effects hooks (hooks/use-jobs.ts), each with its own number so that
// a late answer cannot land on a newer job: copying the file's link or the id (`y`, `Y`),
// downloading the file (`D`), and the operations interrupt, restart and delete (`i`, `t`, Ctrl-D),
// which a y/N question comes before. Pure, like the rest of the reducer: answers come in actions.
import type {ExportRecord} from '../api/types.js';
import {parsePageKey} from './list-key.js';
import {askOverview} from './overview.js';
import {confirmQuestion, doneText, operationVerb, refusal} from './operations.js';
import {cacheClear, cachePut} from './page-cache.js';
import {baseMode, isLoading, noIds, selectedRecord, windowRows} from './selectors.js';
import type {Confirm, Handlers, Notice, State} from './types.js';
import {refreshPage} from './watch.js';

/** Why there is no export to act on: nothing there, or its row is not loaded yet (or dimmed). */
function noRecord(state: State): string {
	return isLoading(state) || state.total === undefined ? 'Wait: the selected export is still loading' : 'No export selected';
}

/** The y/N question answered no (any key but `y`, or Esc). */
export function confirmNo(state: State): State {
	if (state.mode !== 'confirm' || state.confirm === undefined) {
		return state;
	}

	const {operation, id} = state.confirm;
	return {...state, mode: baseMode(state), confirm: undefined, notice: {text: `Cancelled: export ${id} not ${operationVerb(operation).ed}`, tone: 'info'}};
}

export const jobHandlers = {
	copyUrl: copy,
	copyId: copy,

	copyDone(state, action) {
		if (state.clipboard?.seq !== action.seq) {
			return state;
		}

		const {id, what} = state.clipboard;
		// The link itself is shown above the footer (UrlPanel), so the line only says what was done.
		const text = `${what === 'url' ? 'Link' : `Id ${id}`} ${action.message}`;
		const updated = action.record ? updateRecord(state, action.record) : state;
		return {...updated, clipboard: undefined, notice: {text, tone: action.sent ? 'info' : 'error', url: action.url, id}};
	},

	copyFailed(state, action) {
		if (state.clipboard?.seq !== action.seq) {
			return state;
		}

		const updated = action.record ? updateRecord(state, action.record) : state;
		return {...updated, clipboard: undefined, notice: {text: action.message, tone: 'error'}};
	},

	download(state) {
		const record = selectedRecord(state);
		if (state.download !== undefined) {
			return {...state, notice: {text: `A download is running (${state.download.id}): wait for it, or Esc to cancel it`, tone: 'error'}};
		}

		if (record === undefined) {
			return {...state, notice: {text: noRecord(state), tone: 'error'}};
		}

		const seq = state.seq + 1;
		const format = typeof record.attributes.format === 'string' ? record.attributes.format : undefined;
		return {...state, seq, download: {seq, id: record.id, format}, notice: undefined};
	},

	downloadProgress(state, action) {
		return state.download?.seq === action.seq ? {...state, download: {...state.download, text: action.text}} : state;
	},

	downloadDone(state, action) {
		if (state.download?.seq !== action.seq) {
			return state;
		}

		const updated = action.record ? updateRecord(state, action.record) : state;
		return {...updated, download: undefined, notice: {text: action.text, tone: 'info'}};
	},

	downloadFailed(state, action) {
		if (state.download?.seq !== action.seq) {
			return state;
		}

		return {...state, download: undefined, notice: {text: action.message, tone: 'error'}};
	},

	askOperation(state, action) {
		const record = selectedRecord(state);
		const refused = refusal(action.operation, record, {readOnly: state.readOnly, busy: state.operation?.id});
		if (record === undefined && !state.readOnly) {
			return {...state, notice: {text: noRecord(state), tone: 'error'}};
		}

		if (refused !== undefined || record === undefined) {
			return {...state, notice: {text: refused ?? noRecord(state), tone: 'error'}};
		}

		const confirm: Confirm = {operation: action.operation, id: record.id, question: confirmQuestion(action.operation, record)};
		return {...state, mode: 'confirm', confirm};
	},

	confirmYes(state) {
		if (state.mode !== 'confirm' || state.confirm === undefined) {
			return state;
		}

		const {operation, id} = state.confirm;
		const seq = state.seq + 1;
		return {
			...state,
			mode: baseMode(state),
			confirm: undefined,
			seq,
			operation: {seq, kind: operation, id},
			notice: {text: `${operationVerb(operation).ing} export ${id}…`, tone: 'info'},
		};
	},

	confirmNo,

	operationDone(state, action) {
		if (state.operation?.seq !== action.seq) {
			return state;
		}

		const {kind, id} = state.operation;
		let next: State = {...state, operation: undefined, notice: {text: doneText(kind, id, action.record), tone: 'info'}};
		if (kind === 'delete') {
			// Every later export moves up by one: forget the pages, keep the rows (dimmed, without
			// the deleted one) until the new ones land.
			const shown = windowRows(next).map(row => (row.kind === 'record' || row.kind === 'stale' ? row.record : undefined));
			const rows = shown.filter(record => record?.id !== id);
			const total = next.total === undefined ? undefined : Math.max(0, next.total - 1);
			const index = Math.max(0, Math.min(next.selection.index, (total ?? 1) - 1));
			next = {
				...next,
				pages: cacheClear(next.pages),
				failed: noIds,
				total,
				stale: {top: next.top, rows},
				selection: {id: rows[index - next.top]?.id, index, follow: rows[index - next.top] === undefined ? undefined : true},
				fetchSeq: next.fetchSeq + 1,
			};
			return {...next, overview: askOverview(next.overview), watch: {...next.watch, sinceOverview: 0}};
		}

		if (action.record) {
			next = {...updateRecord(next, action.record), changedIds: new Set([id])};
		}

		return refreshAll(next);
	},

	operationFailed(state, action) {
		if (state.operation?.seq !== action.seq) {
			return state;
		}

		const {kind, id} = state.operation;
		// The export may not be what the row said (that is often why it failed): look again.
		return refreshAll({...state, operation: undefined, notice: {text: `Could not ${operationVerb(kind).base} export ${id}: ${action.message}`, tone: 'error'}});
	},
} satisfies Partial<Handlers>;

/** `y` (the file's link, retrieved fresh) or `Y` (the id). */
function copy(state: State, action: {type: 'copyUrl' | 'copyId'}): State {
	const record = selectedRecord(state);
	if (record === undefined) {
		return {...state, notice: {text: noRecord(state), tone: 'error'}};
	}

	const seq = state.seq + 1;
	const what = action.type === 'copyUrl' ? 'url' : 'id';
	const notice: Notice | undefined = what === 'url' ? {text: `Retrieving export ${record.id} for a fresh link…`, tone: 'info'} : state.notice;
	return {...state, seq, clipboard: {seq, what, id: record.id}, notice};
}

/** The page and the overview again (after an operation changed an export). */
function refreshAll(state: State): State {
	return {...refreshPage(state), overview: askOverview(state.overview), watch: {...state.watch, sinceOverview: 0}};
}

/** An export retrieved or changed by a job: its row (its page of the current list) shows the new version. */
function updateRecord(state: State, record: ExportRecord): State {
	for (const [key, cached] of state.pages.entries) {
		if (parsePageKey(key).list !== state.key) {
			continue;
		}

		const index = cached.page.data.findIndex(row => row.id === record.id);
		if (index !== -1) {
			const data = cached.page.data.with(index, record);
			return {...state, pages: cachePut(state.pages, key, {...cached, page: {...cached.page, data}})};
		}
	}

	return state;
}
