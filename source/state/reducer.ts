// The pager's state and its one pure reducer. Every key press and every answer from the API is an
// action named by intent; the reducer always sees the latest state, so no key is lost however
// fast they come. It never reads the clock (times come in actions) and never does I/O: the
// effects hooks watch it and send the requests (use-exports.ts: `key`/`fetchSeq`; use-overview.ts:
// `overview.seq`; use-watch.ts: the watch timer; use-actions.ts: the copy, download and action
// jobs). The triage actions of issue 4 are handled in triage-reducer.ts.
import type {Key} from 'ink';
import type {SortableField} from '../api/fields.js';
import type {SortKey} from '../api/sort.js';
import type {ExportPage, ExportRecord, Filters, KnownStatus} from '../api/types.js';
import {parseFilter, toggleStatus, type FilterParseResult} from '../filter/parse.js';
import {matchBinding} from '../ui/keymap.js';
import {overviewFilters, type StatusCounts} from './overview.js';
import {firstQuery, queryKey, sortBy, stableStringify, type Query} from './query.js';
import {cacheClear, cacheGet, cachePut, cacheTouch, createPageCache, type CachedPage, type PageCache} from './page-cache.js';
import {baseMode, clamp, clampIndex, following, followingOrTop, selectedRecord} from './selectors.js';
import {askOverview, backOffOf, changedRows, cleanRefresh, noIds, reduceTriage, refreshPage, slowDown} from './triage-reducer.js';
import type {Confirm, ExportAction, Notice} from './triage.js';

export type {Confirm, ExportAction, Notice} from './triage.js';
export {baseMode, selectedRecord, watchPaused, watchPeriodMs} from './selectors.js';
export {defaultDescending, firstQuery, queryKey, sortBy, stableStringify, toListQuery, type Query} from './query.js';

/** `confirm`: a y/N question in the footer (issue 4 actions); its own key handler, so `y` there is not "copy". */
export type Mode = 'browse' | 'filter' | 'detail' | 'help' | 'confirm';


/** `id` is the export the selection follows across reloads and re-sorts; undefined after a page change. */
export type Selection = {id?: string; index: number};

export type ErrorLine = {title: string; detail?: string; retryInSeconds?: number};

/** The filter parser's answer for the draft. */
export type FilterCheck = FilterParseResult;

export type FilterState = {
	/** The prompt's text while it is open. */
	draft: string;
	check: FilterCheck;
	/** The filter (and page) before the prompt opened: what Esc restores. */
	saved?: {filterText: string; filters: Filters; page: number};
	/** When the draft last changed (ms), for the debounce. */
	editedAt?: number;
};

export type State = {
	query: Query;
	/** queryKey(query), kept beside it. */
	key: string;
	mode: Mode;
	/** The detail pane stays open under the filter prompt and the help overlay. */
	detailOpen: boolean;
	selection: Selection;
	/** The rows on screen: the answer for `rowsKey`, kept while another query loads or fails. */
	rows: ExportRecord[];
	rowsKey?: string;
	recordCount?: number;
	pageCount?: number;
	/** The key of the query being fetched. */
	loading?: string;
	/** Bumped whenever the current query must be fetched (a query the cache lacks, a reload). */
	fetchSeq: number;
	/** The number (`seq`) of the last page answer taken: the effects hook knows which answers are still on their way. */
	answered: number;
	error?: ErrorLine;
	/** When the rows on screen were fetched (ms). */
	refreshedAt?: number;
	/** `test` or `live`, from the exports' `meta.mode` (kept while a page is empty). */
	apiMode?: string;
	pages: PageCache;
	filter: FilterState;
	detail: {scroll: number; maxScroll: number};
	quit: boolean;
	/** --read-only: interrupt, restart and delete are refused. */
	readOnly: boolean;
	/** The key of the current page's refresh behind the screen (watch, stale page, after an action): no "loading". */
	refreshing?: string;
	/** The client's pacer holds the request for `key` until `until` (ms): the header counts down instead of "loading". */
	held?: {key: string; until: number};
	/** Rows whose status or progress changed at the last refresh of this page (marked `*`). */
	changedIds: ReadonlySet<string>;
	watch: WatchState;
	overview: OverviewState;
	/** The footer's last word on what a key did (copy, download, actions, refusals). */
	notice?: Notice;
	/** The question a `confirm` mode asks. */
	confirm?: Confirm;
	/** Work for the effects hook (use-actions.ts), each with its own number so an answer finds its job. */
	job?: {seq: number; action: ExportAction; id: string};
	clipboard?: {seq: number; what: 'url' | 'id'; id: string};
	download?: {seq: number; id: string; format?: string; text?: string};
	/** The last job number handed out. */
	seq: number;
};

export type WatchState = {
	on: boolean;
	/** The period asked for (--watch, default 5 s). */
	periodMs: number;
	/** 1, or 2, 4, 8 after failures (429, 5xx, network): the period actually used is periodMs × slowdown. */
	slowdown: number;
	/** Refreshes without a failure since the last slowdown (every 5 halve it again). */
	clean: number;
	/** What slowed it down last (`429`, `503`, `network`, …), for the header. */
	slowedBy?: string;
	/** Page refreshes since the overview was last asked for (the overview follows every n-th). */
	sinceOverview: number;
};

export type OverviewState = {
	/** stableStringify of `filters`: what the counts are for. */
	key: string;
	/** The filters every count shares (the current filter without its status terms). */
	filters: Filters;
	/** Bumped whenever the counts must be asked for again. */
	seq: number;
	/** Asked for and not answered yet. */
	pending: boolean;
	counts?: StatusCounts;
	/** The key the counts answer (differs from `key` while new ones load). */
	countsKey?: string;
	error?: string;
};

export type Action =
	/**
	 * A key, as Ink's useInput reports it. The reducer looks it up in the key map for the mode the
	 * state is in *now*: Ink subscribes each mode's handler in an effect, so a key that follows a
	 * mode change closely (same read, or a busy moment) can reach the previous mode's handler, and
	 * must still mean what it means in the new mode.
	 */
	| {type: 'keyPressed'; input: string; key: Key; at: number}
	| {type: 'selectUp'}
	| {type: 'selectDown'}
	| {type: 'nextPage'}
	| {type: 'previousPage'}
	| {type: 'firstPage'}
	| {type: 'lastPage'}
	| {type: 'sortNextColumn'}
	| {type: 'sortReverse'}
	/** `typed`: keys that came in the same read as the `/` (a paste, type-ahead), so none is lost. */
	| {type: 'openFilter'; typed?: string; at?: number}
	/** The prompt's new text; `at` is the clock for relative dates (today, -2h). */
	| {type: 'filterEdited'; text: string; at: number}
	/**
	 * The debounce timer fired: apply the draft if it parses and, when `at`/`quietMs` are given,
	 * if it has not changed for `quietMs`. (A timer whose reset React has not run yet, under load,
	 * may fire right after a key: the times decide, not the timer.)
	 */
	| {type: 'filterApplied'; at?: number; quietMs?: number}
	| {type: 'filterSubmitted'}
	| {type: 'filterCancelled'}
	| {type: 'clearFilter'}
	| {type: 'toggleDetail'}
	| {type: 'scrollDetail'; delta: number}
	/** The App measured how far the detail pane can scroll for the selected export. */
	| {type: 'detailMeasured'; maxScroll: number}
	| {type: 'toggleHelp'}
	| {type: 'escape'}
	/** `r`: fetch the current page again, forgetting every cached page. */
	| {type: 'reload'}
	/** Fetch the current page again behind the screen (a stale cached page; watch mode). */
	| {type: 'refresh'}
	| {type: 'quit'}
	| {type: 'pageLoading'; key: string}
	| {type: 'pageLoaded'; key: string; page: ExportPage; at: number; seq?: number}
	/** `backOff`: a failure watch mode backs off from (429, 5xx, network), named for the header. */
	| {type: 'pageFailed'; key: string; error: ErrorLine; rateLimited?: boolean; backOff?: string}
	| {type: 'requestRetrying'; key: string; error: ErrorLine; rateLimited?: boolean; backOff?: string}
	/** The client's pacer holds the request for `key` until `until`; undefined: it has gone. */
	| {type: 'requestHeld'; key: string; until?: number}
	// --- issue 4: triage ---
	/** Keys 1..5: the status in or out of the filter's `status:a,b` term. */
	| {type: 'toggleStatus'; status: KnownStatus; at?: number}
	| {type: 'toggleWatch'}
	/** The watch timer: refresh the page (and every n-th time the overview) unless one is on its way. */
	| {type: 'watchTick'}
	/** A 429 (or, with `backOff`, another failure watch backs off from) from any request: watch slows down. */
	| {type: 'rateLimited'; backOff?: string}
	| {type: 'overviewLoaded'; key: string; seq: number; counts: StatusCounts}
	| {type: 'overviewFailed'; key: string; seq: number; error: string; rateLimited?: boolean; backOff?: string}
	| {type: 'copyUrl'}
	| {type: 'copyId'}
	| {type: 'copyDone'; seq: number; message: string; sent: boolean; url?: string; record?: ExportRecord}
	| {type: 'copyFailed'; seq: number; message: string; record?: ExportRecord}
	| {type: 'download'}
	| {type: 'downloadProgress'; seq: number; text: string}
	| {type: 'downloadDone'; seq: number; text: string; record?: ExportRecord}
	| {type: 'downloadFailed'; seq: number; message: string}
	/** `i`, `t`, Ctrl-D: ask before sending (or refuse). */
	| {type: 'requestAction'; action: ExportAction}
	| {type: 'confirmYes'}
	| {type: 'confirmNo'}
	| {type: 'actionDone'; seq: number; record?: ExportRecord}
	| {type: 'actionFailed'; seq: number; message: string};

export type ActionType = Action['type'];

/** The table's sortable columns, in the order `s` cycles through them. */
export const sortColumns: readonly SortableField[] = [
	'status',
	'id',
	'resource_type',
	'format',
	'records_count',
	'created_at',
	'reference',
];

export type InitialOptions = {
	pageSize: number;
	sort: SortKey[];
	filterText?: string;
	filters?: Filters;
	cacheLimit?: number;
	readOnly?: boolean;
	/** --watch SECONDS: watch starts on with that period; without it, `w` starts it at 5 s. */
	watchSeconds?: number;
};

export const defaultWatchSeconds = 5;

export function initialState(options: InitialOptions): State {
	const query = firstQuery(options);
	const key = queryKey(query);
	const shared = overviewFilters(query.filters);
	return {
		query,
		key,
		mode: 'browse',
		detailOpen: false,
		selection: {index: 0},
		rows: [],
		loading: key,
		fetchSeq: 1,
		answered: 0,
		pages: createPageCache(options.cacheLimit),
		filter: {draft: query.filterText, check: {ok: true, filters: query.filters}},
		detail: {scroll: 0, maxScroll: 0},
		quit: false,
		readOnly: options.readOnly ?? false,
		changedIds: noIds,
		watch: {
			on: options.watchSeconds !== undefined,
			periodMs: (options.watchSeconds ?? defaultWatchSeconds) * 1000,
			slowdown: 1,
			clean: 0,
			sinceOverview: 0,
		},
		overview: {key: stableStringify(shared), filters: shared, seq: 1, pending: true},
		seq: 0,
	};
}

export function reducer(state: State, action: Action): State {
	return followFilter(reduce(state, action));
}

/**
 * The overview follows the filter's other terms, once the prompt is closed: while the user types,
 * the page follows the draft but five counts per keystroke would eat the rate limit.
 */
function followFilter(state: State): State {
	if (state.mode === 'filter') {
		return state;
	}

	const filters = overviewFilters(state.query.filters);
	const key = stableStringify(filters);
	if (key === state.overview.key) {
		return state;
	}

	return {...state, overview: {...state.overview, key, filters, seq: state.overview.seq + 1, pending: true, error: undefined}, watch: {...state.watch, sinceOverview: 0}};
}

function reduce(state: State, action: Action): State {
	switch (action.type) {
		case 'keyPressed': {
			return pressKey(state, action.input, action.key, action.at);
		}

		case 'selectUp': {
			return select(state, state.selection.index - 1);
		}

		case 'selectDown': {
			return select(state, state.selection.index + 1);
		}

		case 'nextPage': {
			return goToPage(state, state.query.page + 1, state.selection.index);
		}

		case 'previousPage': {
			return goToPage(state, state.query.page - 1, state.selection.index);
		}

		case 'firstPage': {
			return goToPage(state, 1, 0);
		}

		case 'lastPage': {
			// Full pages come before the last one, so this index lands on its last row once clamped.
			return goToPage(state, lastPage(state), Math.max(state.rows.length, state.query.size) - 1);
		}

		case 'sortNextColumn': {
			const current = state.query.sort[0]?.field;
			const index = current === undefined ? -1 : sortColumns.indexOf(current);
			const field = sortColumns[(index + 1) % sortColumns.length] ?? 'created_at';
			return withQuery(state, {...state.query, page: 1, sort: sortBy(field)}, followingOrTop(state));
		}

		case 'sortReverse': {
			const [primary, ...rest] = state.query.sort;
			if (primary === undefined) {
				return state;
			}

			const sort = [{field: primary.field, descending: !primary.descending}, ...rest];
			return withQuery(state, {...state.query, page: 1, sort}, followingOrTop(state));
		}

		case 'openFilter': {
			if (state.mode === 'filter') {
				return state;
			}

			const {filterText, filters, page} = state.query;
			const typed = action.typed ?? '';
			const draft = filterText + typed;
			const check: FilterCheck = typed === '' ? {ok: true, filters} : checkFilter(draft, action.at);
			return {...state, mode: 'filter', filter: {draft, check, saved: {filterText, filters, page}, editedAt: action.at}};
		}

		case 'filterEdited': {
			if (state.mode !== 'filter') {
				return state;
			}

			return {...state, filter: {...state.filter, draft: action.text, check: checkFilter(action.text, action.at), editedAt: action.at}};
		}

		case 'filterApplied': {
			const {editedAt} = state.filter;
			const quiet = action.at === undefined || editedAt === undefined || action.at - editedAt >= (action.quietMs ?? 0);
			return state.mode === 'filter' && quiet ? applyDraft(state) : state;
		}

		case 'filterSubmitted': {
			if (state.mode !== 'filter' || !state.filter.check.ok) {
				return state;
			}

			const applied = applyDraft(state);
			return {...applied, mode: baseMode(applied), filter: {draft: applied.query.filterText, check: applied.filter.check}};
		}

		case 'filterCancelled': {
			return state.mode === 'filter' ? cancelFilter(state) : state;
		}

		case 'clearFilter': {
			return clearFilter(state);
		}

		case 'toggleDetail': {
			if (state.mode !== 'browse' && state.mode !== 'detail') {
				return state;
			}

			const detailOpen = !state.detailOpen;
			return {...state, detailOpen, mode: detailOpen ? 'detail' : 'browse', detail: {...state.detail, scroll: 0}};
		}

		case 'scrollDetail': {
			const scroll = clamp(state.detail.scroll + action.delta, 0, state.detail.maxScroll);
			return scroll === state.detail.scroll ? state : {...state, detail: {...state.detail, scroll}};
		}

		case 'detailMeasured': {
			const maxScroll = Math.max(0, action.maxScroll);
			if (maxScroll === state.detail.maxScroll) {
				return state;
			}

			return {...state, detail: {maxScroll, scroll: Math.min(state.detail.scroll, maxScroll)}};
		}

		case 'toggleHelp': {
			if (state.mode === 'help') {
				return {...state, mode: baseMode(state)};
			}

			return state.mode === 'filter' ? state : {...state, mode: 'help'};
		}

		case 'escape': {
			if (state.mode === 'filter') {
				return cancelFilter(state);
			}

			if (state.mode === 'confirm') {
				return reduce(state, {type: 'confirmNo'});
			}

			if (state.mode === 'help') {
				return {...state, mode: baseMode(state)};
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

			return clearFilter(state);
		}

		case 'reload': {
			return {
				...state,
				pages: cacheClear(state.pages),
				loading: state.key,
				refreshing: undefined,
				fetchSeq: state.fetchSeq + 1,
				selection: following(state),
				overview: askOverview(state.overview),
				watch: {...state.watch, sinceOverview: 0},
			};
		}

		case 'refresh': {
			return refreshPage(state);
		}

		case 'quit': {
			return state.quit ? state : {...state, quit: true};
		}

		case 'pageLoading': {
			return action.key === state.key && state.loading !== action.key ? {...state, loading: action.key} : state;
		}

		case 'pageLoaded': {
			// Every answer is worth keeping for when its query comes back; only the current one is shown.
			const previous = state.rowsKey === action.key ? state.rows : undefined;
			// A refresh that finds the page as it was keeps the very same rows: nothing to redraw.
			const data = previous === undefined ? action.page.data : sameRecords(previous, action.page.data);
			const entry: CachedPage = {page: data === action.page.data ? action.page : {...action.page, data}, at: action.at};
			const pages = cachePut(state.pages, action.key, entry);
			const answered = Math.max(state.answered, action.seq ?? 0);
			if (action.key !== state.key) {
				return {...state, pages, answered};
			}

			const shown = showPage({...state, pages, answered, refreshing: undefined}, entry, state.selection, previous);
			// Any answer for the page on screen says the API is back (a reload too, not only watch's own refreshes).
			return state.watch.on ? cleanRefresh(shown) : shown;
		}

		case 'pageFailed': {
			const slowed = slowDown(state, backOffOf(action));
			if (action.key !== state.key) {
				return slowed;
			}

			return {...slowed, loading: undefined, refreshing: undefined, error: action.error};
		}

		case 'requestRetrying': {
			const slowed = slowDown(state, backOffOf(action));
			return action.key === state.key ? {...slowed, error: action.error} : slowed;
		}

		case 'requestHeld': {
			if (action.until === undefined) {
				return state.held === undefined ? state : {...state, held: undefined};
			}

			return action.key === state.key ? {...state, held: {key: action.key, until: action.until}} : state;
		}

		case 'toggleStatus': {
			const text = toggleStatus(state.query.filterText, action.status);
			const check = checkFilter(text, action.at);
			if (!check.ok) {
				return {...state, notice: {text: `The filter does not parse (${check.error}): fix it with /`, tone: 'error'}};
			}

			const next = withQuery(state, {...state.query, filterText: text, filters: check.filters, page: 1}, followingOrTop(state));
			return {...next, filter: {draft: text, check}};
		}

		case 'toggleWatch':
		case 'watchTick':
		case 'rateLimited':
		case 'overviewLoaded':
		case 'overviewFailed':
		case 'copyUrl':
		case 'copyId':
		case 'copyDone':
		case 'copyFailed':
		case 'download':
		case 'downloadProgress':
		case 'downloadDone':
		case 'downloadFailed':
		case 'requestAction':
		case 'confirmYes':
		case 'confirmNo':
		case 'actionDone':
		case 'actionFailed': {
			return reduceTriage(state, action);
		}
	}
}

/** What a key means in the current mode (global keys such as Ctrl-C are handled outside). */
function pressKey(state: State, input: string, key: Key, at: number): State {
	if (state.mode === 'confirm') {
		// y confirms; anything else (a paste, Esc, another command key) cancels.
		const binding = matchBinding('confirm', input, key);
		return reduce(state, binding?.action.type === 'confirmYes' ? {type: 'confirmYes'} : {type: 'confirmNo'});
	}

	const binding = matchBinding(state.mode, input, key);
	if (binding !== undefined) {
		return reduce(state, binding.action.type === 'toggleStatus' ? {...binding.action, at} : binding.action);
	}

	// Printable keys that come in one read (key repeat under load, type-ahead, a paste) come as one
	// string: they mean what they would have meant one by one. In the prompt they are text, which
	// the prompt's input handles.
	if (state.mode === 'filter' || input.length < 2 || key.ctrl || key.meta) {
		return state;
	}

	const chars = [...input];
	let next = state;
	for (const [index, char] of chars.entries()) {
		const charBinding = matchBinding(next.mode, char, {...key, shift: /[A-Z]/.test(char)});
		if (charBinding?.action.type === 'openFilter') {
			// What follows the `/` is the start of the filter.
			return reducer(next, {type: 'openFilter', typed: chars.slice(index + 1).join(''), at});
		}

		if (charBinding !== undefined || next.mode === 'confirm') {
			next = pressKey(next, char, {...key, shift: /[A-Z]/.test(char)}, at);
		}
	}

	return next;
}

function checkFilter(text: string, at: number | undefined): FilterCheck {
	return parseFilter(text, at === undefined ? {} : {now: new Date(at)});
}

function lastPage(state: State): number {
	return Math.max(1, state.pageCount ?? state.query.page);
}

/** Moves the selection to a row of the current rows. */
function select(state: State, index: number): State {
	const next = clampIndex(index, state.rows.length);
	const id = state.rows[next]?.id;
	if (next === state.selection.index && id === state.selection.id) {
		return state;
	}

	const detail = id === selectedRecord(state)?.id ? state.detail : {...state.detail, scroll: 0};
	return {...state, selection: {id, index: next}, detail};
}

function goToPage(state: State, page: number, index: number): State {
	if (state.pageCount === undefined && page !== state.query.page) {
		// Nothing known about the bounds until the first answer arrives.
		return state;
	}

	const target = clamp(page, 1, lastPage(state));
	if (target === state.query.page) {
		return select(state, index);
	}

	// A page change keeps the row index (clamped), not the export.
	return withQuery(state, {...state.query, page: target}, {index});
}

/** Switches to another query: served from the cache when it has the page, else fetched. */
function withQuery(state: State, query: Query, selection: Selection): State {
	const key = queryKey(query);
	const cached = cacheGet(state.pages, key);
	if (cached !== undefined) {
		return showPage({...state, query, key, pages: cacheTouch(state.pages, key)}, cached, selection);
	}

	return {
		...state,
		query,
		key,
		loading: key,
		refreshing: undefined,
		fetchSeq: state.fetchSeq + 1,
		selection: {id: selection.id, index: clampIndex(selection.index, state.rows.length)},
	};
}

/** Puts an answer for the current query on screen, following the selected export when it is there. */
function showPage(state: State, entry: CachedPage, selection: Selection, previous?: readonly ExportRecord[]): State {
	const {data, meta} = entry.page;
	const pageCount = Math.max(0, meta.page_count);
	// Past the end (exports deleted since, or a stale page number): go to the new last page.
	if (data.length === 0 && state.query.page > Math.max(1, pageCount)) {
		const moved = {...state, pageCount, recordCount: meta.record_count, refreshing: undefined};
		return withQuery(moved, {...state.query, page: Math.max(1, pageCount)}, {index: selection.index});
	}

	const found = selection.id === undefined ? -1 : data.findIndex(record => record.id === selection.id);
	const index = found === -1 ? clampIndex(selection.index, data.length) : found;
	const id = data[index]?.id;
	const detail = id === selectedRecord(state)?.id ? state.detail : {...state.detail, scroll: 0};
	const changedIds = previous === undefined ? noIds : changedRows(previous, data);
	return {
		...state,
		rows: data,
		changedIds: changedIds.size === 0 && state.changedIds.size === 0 ? state.changedIds : changedIds,
		refreshing: state.refreshing === state.key ? undefined : state.refreshing,
		rowsKey: state.key,
		recordCount: meta.record_count,
		pageCount,
		refreshedAt: entry.at,
		apiMode: typeof data[0]?.meta?.mode === 'string' ? data[0].meta.mode : state.apiMode,
		loading: undefined,
		error: undefined,
		selection: {id, index},
		detail,
	};
}

/**
 * `next` with every export that has not changed since `previous` replaced by its previous object,
 * and `previous` itself when nothing changed: the table's memoised rows then see the same props.
 */
export function sameRecords(previous: readonly ExportRecord[], next: ExportRecord[]): ExportRecord[] {
	const before = new Map(previous.map(record => [record.id, record]));
	let same = previous.length === next.length;
	const merged = next.map((record, index) => {
		const old = before.get(record.id);
		if (old !== undefined && old !== record && JSON.stringify(old) === JSON.stringify(record)) {
			same &&= previous[index] === old;
			return old;
		}

		same &&= previous[index] === record;
		return record;
	});
	return same ? (previous as ExportRecord[]) : merged;
}

function applyDraft(state: State): State {
	const {draft, check} = state.filter;
	if (!check.ok) {
		return state;
	}

	if (stableStringify(check.filters) === stableStringify(state.query.filters)) {
		return draft === state.query.filterText ? state : {...state, query: {...state.query, filterText: draft}};
	}

	return withQuery(state, {...state.query, filterText: draft, filters: check.filters, page: 1}, followingOrTop(state));
}

function cancelFilter(state: State): State {
	const saved = state.filter.saved ?? {filterText: state.query.filterText, filters: state.query.filters, page: state.query.page};
	const {query} = state;
	const restored: Query = {...query, filterText: saved.filterText, filters: saved.filters, page: saved.page};
	const next =
		queryKey(restored) === state.key ? {...state, query: restored} : withQuery(state, restored, followingOrTop(state));
	return {
		...next,
		mode: baseMode(next),
		filter: {draft: saved.filterText, check: {ok: true, filters: saved.filters}},
	};
}

function clearFilter(state: State): State {
	const {query} = state;
	if (query.filterText === '' && Object.keys(query.filters).length === 0) {
		return state;
	}

	const next = withQuery(state, {...query, filterText: '', filters: {}, page: 1}, followingOrTop(state));
	return {...next, filter: {draft: '', check: {ok: true, filters: {}}}};
}
