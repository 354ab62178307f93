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
import {parseFilter, type FilterParseResult} from '../filter/parse.js';
import {keptFilterText, toggleStatus} from '../filter/status-terms.js';
import {matchBinding} from '../ui/keymap.js';
import {overviewFilters, type StatusCounts} from './overview.js';
import {firstQuery, listKey, pageKey, parsePageKey, sortBy, stableStringify, type Query} from './query.js';
import {cacheClear, cacheGet, cachePut, cacheTouch, createPageCache, type CachedPage, type PageCache} from './page-cache.js';
import {fitTop, pageStart, screenful} from './list.js';
import {baseMode, clamp, clampIndex, following, followingOrTop, missingPages, recordAt, selectedRecord, visiblePages} from './selectors.js';
import {askOverview, backOffOf, changedRows, cleanRefresh, noIds, reduceTriage, refreshPage, slowDown} from './triage-reducer.js';
import type {Confirm, ExportAction, Notice} from './triage.js';

export type {Confirm, ExportAction, Notice} from './triage.js';
export {baseMode, isLoading, missingPages, recordAt, refreshedAt, selectedRecord, visiblePages, watchPaused, watchPeriodMs, windowRows, type WindowRow} from './selectors.js';
export {defaultDescending, firstQuery, listKey, pageKey, parsePageKey, sortBy, stableStringify, toListQuery, type Query} from './query.js';

/** `confirm`: a y/N question in the footer (issue 4 actions); its own key handler, so `y` there is not "copy". */
export type Mode = 'browse' | 'filter' | 'detail' | 'help' | 'confirm';


/** See State.selection. */
export type Selection = {id?: string; index: number; follow?: boolean};

/** Where the keys were: what Esc in the prompt goes back to. */
export type Position = {index: number; top: number; id?: string};

export type ErrorLine = {title: string; detail?: string; retryInSeconds?: number};

/** The filter parser's answer for the draft. */
export type FilterCheck = FilterParseResult;

export type FilterState = {
	/** The prompt's text while it is open. */
	draft: string;
	check: FilterCheck;
	/** The filter (and position) before the prompt opened: what Esc restores. */
	saved?: {filterText: string; filters: Filters; position: Position};
	/** When the draft last changed (ms), for the debounce. */
	editedAt?: number;
};

export type State = {
	query: Query;
	/** listKey(query), kept beside it: the list the keys move over. */
	key: string;
	mode: Mode;
	/** The help overlay's page (the keys, then the filter syntax) when it has more than one; any number, the overlay wraps it around. */
	helpPage?: number;
	/** The detail pane stays open under the filter prompt and the help overlay. */
	detailOpen: boolean;
	/**
	 * `index`: the position of the selected export in the whole list (0-based). `id`: the export
	 * the selection follows across refreshes and re-sorts; `follow` while a new list (a filter, a
	 * sort, a reload) has not answered yet, so that its answer can put the selection back on it.
	 */
	selection: Selection;
	/** The position of the first visible row. */
	top: number;
	/** How many rows the table shows (the App measures it). */
	viewport: number;
	/** The direction of the last move (prefetch goes ahead of it). */
	direction: 1 | -1;
	/** How many exports the list has, from its latest answer; undefined until one arrives. */
	total?: number;
	/** Bumped by a reload: pages asked for before it are asked for again. */
	fetchSeq: number;
	/** The number (`seq`) of the last page answer taken: the effects hook knows which answers are still on their way. */
	answered: number;
	error?: ErrorLine;
	/** Pages of the current list whose request failed: not asked for again until a reload. */
	failed: ReadonlySet<string>;
	/**
	 * What the screen showed before the list changed under it (a new filter or sort, a reload, a
	 * deletion), shown dimmed at the same positions until the new rows arrive: the screen never
	 * says more than it knows, and never flashes empty between two answers.
	 */
	stale?: {top: number; rows: ReadonlyArray<ExportRecord | undefined>};
	/** `test` or `live`, from the exports' `meta.mode` (kept while a page is empty). */
	apiMode?: string;
	pages: PageCache;
	filter: FilterState;
	detail: {scroll: number; maxScroll: number};
	quit: boolean;
	/** --read-only: interrupt, restart and delete are refused. */
	readOnly: boolean;
	/** The page key being fetched again behind the screen (watch, a stale page, after an action): no "loading". */
	refreshing?: string;
	/** Which of the visible pages the next watch refresh takes (one request per tick, in turn). */
	refreshTurn: number;
	/** The client's pacer holds the request for `key` (a page) until `until` (ms): the header counts down instead of "loading". */
	held?: {key: string; until: number};
	/** Rows whose status or progress changed at the last refresh of their page (marked `*`). */
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
	/** A bracketed paste: text for the filter prompt (its input inserts it), never keys. */
	| {type: 'pasted'}
	| {type: 'clearFilter'}
	| {type: 'toggleDetail'}
	| {type: 'scrollDetail'; delta: number}
	/** The App measured how far the detail pane can scroll for the selected export. */
	| {type: 'detailMeasured'; maxScroll: number}
	| {type: 'toggleHelp'}
	/** Tab or → / ← in the help: its next / previous page (the keys, the filter syntax). */
	| {type: 'turnHelpPage'; delta: number}
	| {type: 'escape'}
	/** `r`: fetch the current page again, forgetting every cached page. */
	| {type: 'reload'}
	/** Fetch a visible page again behind the screen (a stale cached page; by default the selected export's). */
	| {type: 'refresh'; page?: number}
	| {type: 'quit'}
	/** The App measured how many rows the table shows. */
	| {type: 'viewportMeasured'; rows: number}
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
	/** Rows the table shows, until the App measures them. */
	viewport?: number;
};

export const defaultWatchSeconds = 5;

/** Rows of an 80x24 terminal's table, until the App measures them. */
export const defaultViewport = 14;

export function initialState(options: InitialOptions): State {
	const query = firstQuery(options);
	const key = listKey(query);
	const shared = overviewFilters(query.filters);
	return {
		query,
		key,
		mode: 'browse',
		detailOpen: false,
		selection: {index: 0},
		top: 0,
		viewport: options.viewport ?? defaultViewport,
		direction: 1,
		fetchSeq: 1,
		answered: 0,
		failed: noIds,
		pages: createPageCache(options.cacheLimit),
		filter: {draft: query.filterText, check: {ok: true, filters: query.filters}},
		detail: {scroll: 0, maxScroll: 0},
		quit: false,
		readOnly: options.readOnly ?? false,
		refreshTurn: 0,
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
			return select(state, state.selection.index - 1, -1);
		}

		case 'selectDown': {
			return select(state, state.selection.index + 1, 1);
		}

		case 'nextPage':
		case 'previousPage': {
			if (state.total === undefined) {
				// Nothing known about the bounds until the first answer arrives.
				return state;
			}

			const direction = action.type === 'nextPage' ? 1 : -1;
			const {cursor, top} = screenful({cursor: state.selection.index, top: state.top}, direction, state.viewport, state.total);
			return moveTo(state, cursor, top, direction);
		}

		case 'firstPage': {
			return state.total === undefined ? state : moveTo(state, 0, 0, -1);
		}

		case 'lastPage': {
			if (state.total === undefined) {
				return state;
			}

			const last = Math.max(0, state.total - 1);
			return moveTo(state, last, Math.max(0, state.total - state.viewport), 1);
		}

		case 'sortNextColumn': {
			const current = state.query.sort[0]?.field;
			const index = current === undefined ? -1 : sortColumns.indexOf(current);
			const field = sortColumns[(index + 1) % sortColumns.length] ?? 'created_at';
			return withQuery(state, {...state.query, sort: sortBy(field)}, followingOrTop(state));
		}

		case 'sortReverse': {
			const [primary, ...rest] = state.query.sort;
			if (primary === undefined) {
				return state;
			}

			const sort = [{field: primary.field, descending: !primary.descending}, ...rest];
			return withQuery(state, {...state.query, sort}, followingOrTop(state));
		}

		case 'openFilter': {
			if (state.mode === 'filter') {
				return state;
			}

			const {filterText, filters} = state.query;
			const typed = action.typed ?? '';
			const draft = filterText + typed;
			const check: FilterCheck = typed === '' ? {ok: true, filters} : checkFilter(draft, action.at);
			const position: Position = {index: state.selection.index, top: state.top, id: selectedRecord(state)?.id};
			return {...state, mode: 'filter', filter: {draft, check, saved: {filterText, filters, position}, editedAt: action.at}};
		}

		case 'pasted': {
			// Outside the prompt a paste does nothing but say where it would go; a y/N question stays.
			return state.mode === 'filter' || state.mode === 'confirm' ? state : {...state, notice: {text: 'Paste ignored: press / first to paste into the filter', tone: 'info'}};
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

			// Kept, the text shows what it means (`failed` -> `status:failed`): the same filters, no request.
			const applied = applyDraft(state);
			const filterText = keptFilterText(applied.query.filterText);
			return {...applied, query: {...applied.query, filterText}, mode: baseMode(applied), filter: {draft: filterText, check: applied.filter.check}};
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

			return state.mode === 'filter' ? state : {...state, mode: 'help', helpPage: 0};
		}

		case 'turnHelpPage': {
			// The overlay knows how many pages there are and wraps the number around.
			return state.mode === 'help' ? {...state, helpPage: (state.helpPage ?? 0) + action.delta} : state;
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
				failed: noIds,
				stale: snapshot(state),
				refreshing: undefined,
				fetchSeq: state.fetchSeq + 1,
				selection: following(state),
				overview: askOverview(state.overview),
				watch: {...state.watch, sinceOverview: 0},
			};
		}

		case 'refresh': {
			return refreshPage(state, action.page);
		}

		case 'quit': {
			return state.quit ? state : {...state, quit: true};
		}

		case 'viewportMeasured': {
			const viewport = Math.max(1, Math.floor(action.rows));
			if (viewport === state.viewport) {
				return state;
			}

			const top = fitTop(state.top, state.selection.index, viewport, state.total ?? 0);
			return {...state, viewport, top, pages: withRoomFor(state.pages, viewport, state.query.size)};
		}

		case 'pageLoaded': {
			return pageLoaded(state, action);
		}

		case 'pageFailed': {
			const slowed = slowDown(state, backOffOf(action));
			const {list, page} = parsePageKey(action.key);
			// A prefetch that failed says nothing: its page is asked for again when it is needed.
			if (list !== state.key || !visiblePages(state).includes(page)) {
				return slowed;
			}

			const failed = new Set(state.failed).add(action.key);
			const refreshing = state.refreshing === action.key ? undefined : state.refreshing;
			// A page that fails behind rows already on screen leaves them there: only the error says so.
			const behind = state.refreshing === action.key && cacheGet(state.pages, action.key) !== undefined;
			// Rows of this list shown dimmed (a reload) stay; another list's (a new filter) go.
			const stale = state.total === undefined ? undefined : state.stale;
			return {...slowed, refreshing, failed: behind ? state.failed : failed, error: action.error, stale};
		}

		case 'requestRetrying': {
			const slowed = slowDown(state, backOffOf(action));
			return parsePageKey(action.key).list === state.key ? {...slowed, error: action.error} : slowed;
		}

		case 'requestHeld': {
			if (action.until === undefined) {
				return state.held === undefined ? state : {...state, held: undefined};
			}

			return parsePageKey(action.key).list === state.key ? {...state, held: {key: action.key, until: action.until}} : state;
		}

		case 'toggleStatus': {
			const text = toggleStatus(state.query.filterText, action.status);
			const check = checkFilter(text, action.at);
			if (!check.ok) {
				return {...state, notice: {text: `The filter does not parse (${check.error}): fix it with /`, tone: 'error'}};
			}

			const next = withQuery(state, {...state.query, filterText: text, filters: check.filters}, followingOrTop(state));
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

/** Moves the selection to a position of the list (within what is known of it). */
function select(state: State, index: number, direction: 1 | -1): State {
	const count = state.total ?? 0;
	const cursor = clampIndex(index, count);
	return moveTo(state, cursor, fitTop(state.top, cursor, state.viewport, count), direction);
}

function moveTo(state: State, cursor: number, top: number, direction: 1 | -1): State {
	const id = recordAt(state, cursor)?.id;
	if (cursor === state.selection.index && top === state.top && id === state.selection.id) {
		return state;
	}

	const detail = id !== undefined && id === selectedRecord(state)?.id ? state.detail : {...state.detail, scroll: 0};
	const moved: State = {...state, selection: {id, index: cursor}, top, direction, detail};
	return state.failed.size === 0 ? moved : {...moved, failed: stillVisible(moved)};
}

/** The failed pages still in view: one that left it is asked for again when it comes back. */
function stillVisible(state: State): ReadonlySet<string> {
	const visible = new Set(visiblePages(state).map(page => pageKey(state.key, page)));
	const kept = [...state.failed].filter(key => visible.has(key));
	return kept.length === state.failed.size ? state.failed : new Set(kept);
}

/** Switches to another list: from the top (or the export the selection follows, when it is there). */
function withQuery(state: State, query: Query, selection: Selection, position?: Position): State {
	const key = listKey(query);
	if (key === state.key) {
		return {...state, query};
	}

	const next: State = {
		...state,
		query,
		key,
		total: undefined,
		failed: noIds,
		error: undefined,
		refreshing: undefined,
		changedIds: noIds,
		stale: displayed(state) ? {top: 0, rows: windowRecords(state)} : state.stale && {top: 0, rows: state.stale.rows},
		selection: {id: selection.id, index: position?.index ?? 0, follow: selection.id !== undefined},
		top: position?.top ?? 0,
		direction: 1,
		detail: {...state.detail, scroll: 0},
	};
	// Pages of this list answered before (going back to a filter, a sort reversed twice): at once.
	const cachedPages = [...state.pages.entries.keys()].filter(entry => parsePageKey(entry).list === key);
	let shown = next;
	for (const entryKey of cachedPages) {
		const entry = cacheGet(state.pages, entryKey);
		if (entry !== undefined) {
			shown = take(shown, entryKey, entry, undefined);
		}
	}

	return {...shown, pages: touchVisible(shown)};
}

/** Whether the rows on screen are the current list's (not a previous one's, dimmed). */
function displayed(state: State): boolean {
	return state.total !== undefined;
}

/** The rows the window shows now, for a snapshot. */
function windowRecords(state: State): Array<ExportRecord | undefined> {
	const rows: Array<ExportRecord | undefined> = [];
	const count = Math.min(state.viewport, Math.max(0, (state.total ?? 0) - state.top));
	for (let offset = 0; offset < count; offset++) {
		const index = state.top + offset;
		rows.push(recordAt(state, index) ?? state.stale?.rows[index - state.stale.top]);
	}

	return rows;
}

function snapshot(state: State): State['stale'] {
	return displayed(state) ? {top: state.top, rows: windowRecords(state)} : state.stale;
}

/** The visible pages as the most recently used: paging far away evicts other pages first. */
function touchVisible(state: State): PageCache {
	let {pages} = state;
	for (const page of visiblePages(state)) {
		pages = cacheTouch(pages, pageKey(state.key, page));
	}

	return pages;
}

/** A cache that can hold at least every visible page three times over (tiny page sizes, tall terminals). */
function withRoomFor(pages: PageCache, viewport: number, size: number): PageCache {
	const needed = 3 * (Math.ceil(viewport / Math.max(1, size)) + 1);
	return needed <= pages.limit ? pages : {...pages, limit: needed};
}

function pageLoaded(state: State, action: Extract<Action, {type: 'pageLoaded'}>): State {
	const {list} = parsePageKey(action.key);
	const answered = Math.max(state.answered, action.seq ?? 0);
	const before = cacheGet(state.pages, action.key);
	// A refresh that finds the page as it was keeps the very same objects: nothing to redraw.
	const data = before === undefined ? action.page.data : sameRecords(before.page.data, action.page.data);
	const entry: CachedPage = {page: data === action.page.data ? action.page : {...action.page, data}, at: action.at};
	// Every answer is worth keeping for when its list comes back; only the current one is shown.
	const pages = cachePut(state.pages, action.key, entry);
	if (list !== state.key) {
		return {...state, pages, answered};
	}

	const refreshed = state.refreshing === action.key;
	const taken = take({...state, pages, answered, refreshing: refreshed ? undefined : state.refreshing}, action.key, entry, before?.page.data);
	const failed = taken.failed.has(action.key) ? new Set([...taken.failed].filter(key => key !== action.key)) : taken.failed;
	const shown: State = {...taken, failed, error: undefined};
	// Every visible page is in: what is dimmed has been replaced, and an export the selection was
	// looking for and did not find is gone: the selection stays at its position.
	const done = missingPages(shown).length === 0 ? settle(shown) : shown;
	// Any answer for the rows on screen says the API is back (a reload too, not only watch's own refreshes).
	return state.watch.on ? cleanRefresh(done) : done;
}

function settle(state: State): State {
	const {selection} = state;
	const id = selection.follow === true ? recordAt(state, selection.index)?.id : selection.id;
	const settled = selection.follow === true ? {id, index: selection.index} : selection;
	return state.stale === undefined && settled === selection ? state : {...state, stale: undefined, selection: settled};
}

/**
 * A page of the current list in the cache: the list's size, the selection put back on the export
 * it follows, the rows that changed since the page's previous answer.
 */
function take(state: State, key: string, entry: CachedPage, previous: readonly ExportRecord[] | undefined): State {
	const {page: number} = parsePageKey(key);
	const {data, meta} = entry.page;
	const total = recordCount(meta.record_count, state.query.size, number, data.length);
	const offset = pageStart(number, state.query.size);
	let {index, id, follow} = state.selection;
	const found = id === undefined ? -1 : data.findIndex(record => record.id === id);
	const onThisPage = index >= offset && index < offset + state.query.size;
	if (found !== -1 && (follow === true || onThisPage)) {
		index = offset + found;
		follow = undefined;
	} else if (number === 1) {
		// The first answer of a new list decides: the export followed is not at the top.
		follow = undefined;
	}

	index = clampIndex(index, total);
	const top = fitTop(state.top, index, state.viewport, total);
	const atCursor = recordAt({...state, total}, index);
	if (follow === undefined && (atCursor !== undefined || onThisPage)) {
		id = atCursor?.id;
	}

	const changed = previous === undefined ? undefined : changedRows(previous, data);
	let {changedIds} = state;
	if (changed !== undefined) {
		const others = [...changedIds].filter(changedId => !previous!.some(record => record.id === changedId));
		changedIds = others.length === 0 && changed.size === 0 ? (changedIds.size === 0 ? changedIds : noIds) : new Set([...others, ...changed]);
	}

	const mode = typeof data[0]?.meta?.mode === 'string' ? data[0].meta.mode : state.apiMode;
	const selection: Selection = follow === true ? {id, index, follow} : {id, index};
	const detail = id === state.selection.id ? state.detail : {...state.detail, scroll: 0};
	return {...state, total, selection, top, changedIds, apiMode: mode, detail};
}

/**
 * The list's size as the API says, checked: a count that is not a sane whole number (a broken
 * server, 1e300) is replaced by what the answer itself proves.
 */
function recordCount(value: unknown, size: number, page: number, length: number): number {
	const offset = pageStart(page, size);
	const sane = typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;
	if (length === 0) {
		// Past the end (exports deleted since): the list is shorter than this page's start.
		return sane ? Math.min(value, offset) : offset;
	}

	// A short page is the last one, whatever the count says.
	if (length < size || !sane) {
		return offset + length;
	}

	return Math.max(value, offset + length);
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

	return withQuery(state, {...state.query, filterText: draft, filters: check.filters}, followingOrTop(state));
}

function cancelFilter(state: State): State {
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

function clearFilter(state: State): State {
	const {query} = state;
	if (query.filterText === '' && Object.keys(query.filters).length === 0) {
		return state;
	}

	const next = withQuery(state, {...query, filterText: '', filters: {}}, followingOrTop(state));
	return {...next, filter: {draft: '', check: {ok: true, filters: {}}}};
}
