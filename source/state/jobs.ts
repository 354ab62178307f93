// The jobs a key hands to the effects hooks (hooks/use-jobs.ts), each with its own number so that
// a late answer cannot land on a newer job: copying the file's link or the id (`y`, `Y`),
// downloading the file (`D`), and the operations interrupt, restart and delete (`i`, `t`, Ctrl-D),
// which a y/N question comes before. With exports marked, `i`, `t`, Ctrl-D and `D` ask about all
// of them instead (bulk.ts); `c` asks before a duplicate (duplicate.ts). Pure, like the rest of the
// reducer: answers come in actions.
import {askBulk, startBulk} from './bulk.js';
import {startDuplicate} from './duplicate.js';
import {confirmQuestion, doneText, operationVerb, refusal} from './operations.js';
import {baseMode, noRecord, selectedRecord} from './selectors.js';
import type {Confirm, Handlers, Notice, State} from './types.js';
import {refreshAll, reloadWithout, updateRecord} from './updates.js';

/** The y/N question answered no (any key but `y`, or Esc). */
export function confirmNo(state: State): State {
	if (state.mode !== 'confirm' || state.confirm === undefined) {
		return state;
	}

	return {...state, mode: baseMode(state), confirm: undefined, notice: {text: cancelledText(state.confirm), tone: 'info'}};
}

function cancelledText(confirm: Confirm): string {
	switch (confirm.kind) {
		case 'operation': {
			return `Cancelled: export ${confirm.id} not ${operationVerb(confirm.operation).ed}`;
		}

		case 'bulk': {
			return 'Cancelled: nothing sent';
		}

		case 'duplicate': {
			return `Cancelled: export ${confirm.id} not duplicated`;
		}
	}
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
		if (state.marks.size > 0) {
			return askBulk(state, 'download');
		}

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
		if (state.marks.size > 0) {
			return askBulk(state, action.operation);
		}

		const record = selectedRecord(state);
		const refused = refusal(action.operation, record, {readOnly: state.readOnly, busy: state.operation?.id});
		if (record === undefined && !state.readOnly) {
			return {...state, notice: {text: noRecord(state), tone: 'error'}};
		}

		if (refused !== undefined || record === undefined) {
			return {...state, notice: {text: refused ?? noRecord(state), tone: 'error'}};
		}

		const confirm: Confirm = {kind: 'operation', operation: action.operation, id: record.id, question: confirmQuestion(action.operation, record)};
		return {...state, mode: 'confirm', confirm};
	},

	confirmYes(state) {
		if (state.mode !== 'confirm' || state.confirm === undefined) {
			return state;
		}

		const {confirm} = state;
		if (confirm.kind === 'bulk') {
			return startBulk(state, confirm.plan);
		}

		if (confirm.kind === 'duplicate') {
			return startDuplicate(state, confirm.id, confirm.attributes);
		}

		const {operation, id} = confirm;
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
			const marks = state.marks.has(id) ? new Map([...state.marks].filter(([marked]) => marked !== id)) : state.marks;
			return reloadWithout({...next, marks}, new Set([id]));
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
