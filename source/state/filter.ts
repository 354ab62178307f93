// The filter: `/` opens the prompt, the list follows the typing (once the keys pause, and never
// a draft that does not parse), Enter keeps the filter and Esc puts back the one from before,
// with the selection where it was. Keys 1..5 put a status in or out of the filter's status term.
// The syntax itself is the parser's (filter/parse.ts).
import {parseFilter} from '../filter/parse.js';
import {keptFilterText, toggleStatus} from '../filter/status-terms.js';
import {listKey, stableStringify} from './list-key.js';
import {withQuery} from './paging.js';
import {baseMode, followingOrTop, selectedRecord} from './selectors.js';
import type {FilterCheck, Handlers, Position, Query, State} from './types.js';

export const filterHandlers = {
	openFilter(state, action) {
		if (state.mode === 'filter') {
			return state;
		}

		const {filterText, filters} = state.query;
		const typed = action.typed ?? '';
		const draft = filterText + typed;
		const check: FilterCheck = typed === '' ? {ok: true, filters} : checkFilter(draft, action.at);
		const position: Position = {index: state.selection.index, top: state.top, id: selectedRecord(state)?.id};
		return {...state, mode: 'filter', filter: {draft, check, saved: {filterText, filters, position}, editedAt: action.at}};
	},

	pasted(state) {
		// Outside the prompt a paste does nothing but say where it would go; a y/N question stays.
		return state.mode === 'filter' || state.mode === 'confirm' ? state : {...state, notice: {text: 'Paste ignored: press / first to paste into the filter', tone: 'info'}};
	},

	filterEdited(state, action) {
		if (state.mode !== 'filter') {
			return state;
		}

		return {...state, filter: {...state.filter, draft: action.text, check: checkFilter(action.text, action.at), editedAt: action.at}};
	},

	filterApplied(state, action) {
		const {editedAt} = state.filter;
		const quiet = action.at === undefined || editedAt === undefined || action.at - editedAt >= (action.quietMs ?? 0);
		return state.mode === 'filter' && quiet ? applyDraft(state) : state;
	},

	filterSubmitted(state) {
		if (state.mode !== 'filter' || !state.filter.check.ok) {
			return state;
		}

		// Kept, the text shows what it means (`failed` -> `status:failed`): the same filters, no request.
		const applied = applyDraft(state);
		const filterText = keptFilterText(applied.query.filterText);
		return {...applied, query: {...applied.query, filterText}, mode: baseMode(applied), filter: {draft: filterText, check: applied.filter.check}};
	},

	filterCancelled(state) {
		return state.mode === 'filter' ? cancelFilter(state) : state;
	},

	clearFilter,

	toggleStatus(state, action) {
		const text = toggleStatus(state.query.filterText, action.status);
		const check = checkFilter(text, action.at);
		if (!check.ok) {
			return {...state, notice: {text: `The filter does not parse (${check.error}): fix it with /`, tone: 'error'}};
		}

		const next = withQuery(state, {...state.query, filterText: text, filters: check.filters}, followingOrTop(state));
		return {...next, filter: {draft: text, check}};
	},
} satisfies Partial<Handlers>;

function checkFilter(text: string, at: number | undefined): FilterCheck {
	return parseFilter(text, at === undefined ? {} : {now: new Date(at)});
}

function applyDraft(state: State): State {
	const {draft, check} = state.filter;
	if (!check.ok) {
		return state;
	}

	if (stableStringify(check.filters) === stableStringify(state.query.filters)) {
		return draft === state.query.filterText ? state : {...state, query: {...state.query, filterText: draft}};
	}

	return withQuery(state, {...state.query, filterText: draft, filters: check.filters}, followingOrTop(state));
}

export function cancelFilter(state: State): State {
	const saved = state.filter.saved;
	const filterText = saved?.filterText ?? state.query.filterText;
	const filters = saved?.filters ?? state.query.filters;
	const restored: Query = {...state.query, filterText, filters};
	let next: State;
	if (listKey(restored) === state.key) {
		next = {...state, query: restored};
	} else {
		// Back where the keys were: the same position, and the same export when it is still there.
		const position = saved?.position;
		next = withQuery(state, restored, {id: position?.id, index: position?.index ?? 0}, position);
	}

	return {
		...next,
		mode: baseMode(next),
		filter: {draft: filterText, check: {ok: true, filters}},
	};
}

export function clearFilter(state: State): State {
	const {query} = state;
	if (query.filterText === '' && Object.keys(query.filters).length === 0) {
		return state;
	}

	const next = withQuery(state, {...query, filterText: '', filters: {}}, followingOrTop(state));
	return {...next, filter: {draft: '', check: {ok: true, filters: {}}}};
}
