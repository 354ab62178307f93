// Which part of the screen has the keys: the detail pane (Enter, and its scrolling), the help
// overlay (`?`, and its pages), and Esc, which backs out of whatever is open (or running), one
// thing at a time, then clears the marks, then the filter. And `q`.
import {clamp} from './list.js';
import {cancelFilter, clearFilter} from './filter.js';
import {confirmNo} from './jobs.js';
import {clearMarks} from './marks.js';
import {closePeek} from './peek.js';
import {baseMode, selectedRecord} from './selectors.js';
import type {Handlers} from './types.js';

export const modeHandlers = {
	toggleDetail(state) {
		if (state.mode !== 'browse' && state.mode !== 'detail') {
			return state;
		}

		const detailOpen = !state.detailOpen;
		return {...state, detailOpen, mode: detailOpen ? 'detail' : 'browse', detail: {...state.detail, scroll: 0}};
	},

	scrollDetail(state, action) {
		const scroll = clamp(state.detail.scroll + action.delta, 0, state.detail.maxScroll);
		return scroll === state.detail.scroll ? state : {...state, detail: {...state.detail, scroll}};
	},

	detailMeasured(state, action) {
		const maxScroll = Math.max(0, action.maxScroll);
		if (maxScroll === state.detail.maxScroll) {
			return state;
		}

		return {...state, detail: {maxScroll, scroll: Math.min(state.detail.scroll, maxScroll)}};
	},

	toggleHelp(state) {
		if (state.mode === 'help') {
			return {...state, mode: baseMode(state)};
		}

		return state.mode === 'filter' ? state : {...state, mode: 'help', helpPage: 0};
	},

	turnHelpPage(state, action) {
		// The overlay knows how many pages there are and wraps the number around.
		return state.mode === 'help' ? {...state, helpPage: (state.helpPage ?? 0) + action.delta} : state;
	},

	escape(state) {
		if (state.mode === 'filter') {
			return cancelFilter(state);
		}

		if (state.mode === 'confirm') {
			return confirmNo(state);
		}

		if (state.mode === 'help') {
			return {...state, mode: baseMode(state)};
		}

		if (state.mode === 'peek') {
			return closePeek(state);
		}

		if (state.bulk !== undefined && state.bulk.stopping !== true) {
			// The effects hook stops what has not been sent; what was sent is let finish, and the
			// result line says which is which.
			return {...state, bulk: {...state.bulk, stopping: true}};
		}

		if (state.download !== undefined) {
			// The effects hook aborts it; the partial file is removed by downloadExport.
			return {...state, download: undefined, notice: {text: `Download of ${state.download.id} cancelled: nothing saved`, tone: 'info'}};
		}

		if (state.notice?.url !== undefined && state.notice.id === selectedRecord(state)?.id) {
			return {...state, notice: undefined};
		}

		if (state.detailOpen) {
			return {...state, detailOpen: false, mode: 'browse', detail: {...state.detail, scroll: 0}};
		}

		if (state.marks.size > 0) {
			return clearMarks(state);
		}

		return clearFilter(state);
	},

	quit(state) {
		return state.quit ? state : {...state, quit: true};
	},
} satisfies Partial<Handlers>;
