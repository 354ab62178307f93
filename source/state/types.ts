// The pager's types, in one place: the state, the actions the reducer takes, and the shapes they
// are made of. Types only, so that every module of the state (and the view) can import them
// without importing each other.
import type {Key} from 'ink';
import type {ExportCreate, ExportPage, ExportRecord, Filters, KnownStatus} from '../api/types.js';
import type {SortKey} from '../api/sort.js';
import type {FilterParseResult} from '../filter/parse.js';

/**
 * Which part of the screen has the keys. `confirm`: a y/N question in the footer (before an
 * operation, a bulk action or a duplicate); its own key handler, so `y` there is not "copy".
 * `peek`: the first records of an export's file, over the body.
 */
export type Mode = 'browse' | 'filter' | 'detail' | 'help' | 'confirm' | 'peek';

/** What the list shows: the API's pages of this query are fetched as the keys move over it. */
export type Query = {size: number; sort: SortKey[]; filterText: string; filters: Filters};

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

/** One answered page in the cache, and when it was fetched (ms). */
export type CachedPage = {page: ExportPage; at: number};

export type PageCache = {
	readonly limit: number;
	/** Insertion order is recency order: the first entry is the least recently used. */
	readonly entries: ReadonlyMap<string, CachedPage>;
};

/** How many exports of each status match the filter's other terms. */
export type StatusCounts = Record<KnownStatus, number>;

/** What the API is asked to do to an export, after a y/N question. */
export type Operation = 'interrupt' | 'restart' | 'delete';

export type Notice = {
	text: string;
	tone: 'info' | 'error';
	/** A link to show in full so it can be copied by hand (after `y`), and the export it belongs to. */
	url?: string;
	id?: string;
};

/** What one key does to every marked export: an operation, or saving each one's file. */
export type BulkAction = Operation | 'download';

export type BulkPlan = {
	action: BulkAction;
	/** The marked exports the action applies to, in the order they were marked. */
	allowed: ExportRecord[];
	/** Those whose status refuses it. */
	skipped: ExportRecord[];
};

export type BulkProgress = {
	action: BulkAction;
	/** Requests answered (or failed) so far. */
	finished: number;
	/** Requests to send in all (the allowed exports). */
	total: number;
	/** The export on its way, if any. */
	current?: string;
	/** The pacer holds the current request until this time (ms since the epoch). */
	heldUntil?: number;
};

export type BulkOutcome = {
	record: ExportRecord;
	/**
	 * done: the API said yes (or the file was saved); failed: it said no, or the request failed;
	 * skipped: the status refused the action, nothing was sent; stopped: the caller aborted before
	 * it was sent.
	 */
	result: 'done' | 'failed' | 'skipped' | 'stopped';
	/** The export as the API answered (interrupt, restart, download). */
	updated?: ExportRecord;
	/** Where the file was saved (download). */
	path?: string;
	/** Why it failed: one line. */
	reason?: string;
	/** The API's status for a failure (404: the export is gone). */
	status?: number;
};

export type BulkReport = {
	action: BulkAction;
	/** One per marked export: the skipped first, then the others in the order they were sent. */
	outcomes: BulkOutcome[];
	done: number;
	failed: number;
	skipped: number;
	stopped: number;
};

/** The y/N question: before an operation on the selected export, a bulk action on the marked ones, or a duplicate. */
export type Confirm =
	| {kind: 'operation'; operation: Operation; id: string; question: string}
	| {kind: 'bulk'; plan: BulkPlan; question: string}
	| {kind: 'duplicate'; id: string; attributes: ExportCreate; question: string};

/** What a peek read of a file: its first records (the values as the file has them, not sanitized yet). */
export type PeekContent = {
	format: 'json' | 'csv';
	/** The CSV header, or the keys of the JSON records in the order they first appear. */
	columns: string[];
	records: Array<Record<string, unknown>>;
	/** The whole file was read. */
	complete: boolean;
};

/** The peek overlay: its job, what it has read so far, and where it is scrolled to. */
export type PeekState = {
	seq: number;
	id: string;
	/** Records parsed so far (while reading). */
	read: number;
	content?: PeekContent;
	/** One line, when reading failed. */
	error?: string;
	/** First row (a record, or a line of pretty JSON) and first column (or cell, for JSON) shown. */
	row: number;
	column: number;
	/** How far it can scroll, and the rows a page turn moves (the overlay measures them). */
	maxRow: number;
	maxColumn: number;
	pageRows: number;
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
	/** The page key being fetched again behind the screen (watch, a stale page, after an operation): no "loading". */
	refreshing?: string;
	/** Which of the visible pages the next watch refresh takes (one request per tick, in turn). */
	refreshTurn: number;
	/** The client's pacer holds the request for `key` (a page) until `until` (ms): the header counts down instead of "loading". */
	held?: {key: string; until: number};
	/** Rows whose status or progress changed at the last refresh of their page (marked `*`). */
	changedIds: ReadonlySet<string>;
	watch: WatchState;
	overview: OverviewState;
	/** The footer's last word on what a key did (copy, download, operations, refusals). */
	notice?: Notice;
	/** The question a `confirm` mode asks. */
	confirm?: Confirm;
	/**
	 * Marked exports (Space), by id, each as last seen: kept across pages, filters and refreshes
	 * (the list moves under them), dropped when the export is deleted. In marking order.
	 */
	marks: ReadonlyMap<string, ExportRecord>;
	/**
	 * A duplicate just created: whether the list shows it is said once its first page is in
	 * (`listed`), and its end once a refresh shows it.
	 */
	tracked?: {id: string; listed?: boolean};
	/** Jobs for the effects hook (use-jobs.ts), each with its own number so an answer finds its job. */
	operation?: {seq: number; kind: Operation; id: string};
	clipboard?: {seq: number; what: 'url' | 'id'; id: string};
	download?: {seq: number; id: string; format?: string; text?: string};
	/** A confirmed bulk action; `stopping` once Esc asked it to send nothing more. */
	bulk?: {seq: number; plan: BulkPlan; progress?: BulkProgress; stopping?: boolean};
	/** `v`: reading the selected export's file (the overlay is open while mode is `peek`). */
	peek?: PeekState;
	/** A confirmed duplicate, on its way. */
	duplicate?: {seq: number; id: string; attributes: ExportCreate};
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

/** One row of the window: an export of the list, a dimmed one of what was shown before, or a placeholder. */
export type WindowRow =
	| {kind: 'record'; record: ExportRecord}
	| {kind: 'stale'; record: ExportRecord}
	| {kind: 'loading'}
	| {kind: 'failed'};

/**
 * What the reducer is told: a key, a request's answer, a timer. Named by intent; times and
 * answers come in them, so the reducer never reads the clock nor does I/O.
 */
export type Action =
	/**
	 * A key, as Ink's useInput reports it. The reducer looks it up in the key map for the mode the
	 * state is in *now*: Ink subscribes each mode's handler in an effect, so a key that follows a
	 * mode change closely (same read, or a busy moment) can reach the previous mode's handler, and
	 * must still mean what it means in the new mode.
	 */
	| {type: 'keyPressed'; input: string; key: Key; at: number}
	// --- the continuous list (paging.ts, page-answers.ts) ---
	| {type: 'selectUp'}
	| {type: 'selectDown'}
	| {type: 'nextPage'}
	| {type: 'previousPage'}
	| {type: 'firstPage'}
	| {type: 'lastPage'}
	| {type: 'sortNextColumn'}
	| {type: 'sortReverse'}
	/** `r`: fetch the current page again, forgetting every cached page. */
	| {type: 'reload'}
	/** Fetch a visible page again behind the screen (a stale cached page; by default the selected export's). */
	| {type: 'refresh'; page?: number}
	/** The App measured how many rows the table shows. */
	| {type: 'viewportMeasured'; rows: number}
	| {type: 'pageLoaded'; key: string; page: ExportPage; at: number; seq?: number}
	/** `backOff`: a failure watch mode backs off from (429, 5xx, network), named for the header. */
	| {type: 'pageFailed'; key: string; error: ErrorLine; rateLimited?: boolean; backOff?: string}
	| {type: 'requestRetrying'; key: string; error: ErrorLine; rateLimited?: boolean; backOff?: string}
	/** The client's pacer holds the request for `key` until `until`; undefined: it has gone. */
	| {type: 'requestHeld'; key: string; until?: number}
	// --- the filter (filter.ts) ---
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
	/** Keys 1..5: the status in or out of the filter's `status:a,b` term. */
	| {type: 'toggleStatus'; status: KnownStatus; at?: number}
	// --- the detail, the help, Esc and quitting (modes.ts) ---
	| {type: 'toggleDetail'}
	| {type: 'scrollDetail'; delta: number}
	/** The App measured how far the detail pane can scroll for the selected export. */
	| {type: 'detailMeasured'; maxScroll: number}
	| {type: 'toggleHelp'}
	/** Tab or → / ← in the help: its next / previous page (the keys, the filter syntax). */
	| {type: 'turnHelpPage'; delta: number}
	| {type: 'escape'}
	| {type: 'quit'}
	// --- watch mode and the status overview (watch.ts, overview.ts) ---
	| {type: 'toggleWatch'}
	/** The watch timer: refresh the page (and every n-th time the overview) unless one is on its way. */
	| {type: 'watchTick'}
	/** A 429 (or, with `backOff`, another failure watch backs off from) from any request: watch slows down. */
	| {type: 'rateLimited'; backOff?: string}
	| {type: 'overviewLoaded'; key: string; seq: number; counts: StatusCounts}
	| {type: 'overviewFailed'; key: string; seq: number; error: string; rateLimited?: boolean; backOff?: string}
	// --- copy, download and the operations (jobs.ts) ---
	| {type: 'copyUrl'}
	| {type: 'copyId'}
	| {type: 'copyDone'; seq: number; message: string; sent: boolean; url?: string; record?: ExportRecord}
	| {type: 'copyFailed'; seq: number; message: string; record?: ExportRecord}
	| {type: 'download'}
	| {type: 'downloadProgress'; seq: number; text: string}
	| {type: 'downloadDone'; seq: number; text: string; record?: ExportRecord}
	| {type: 'downloadFailed'; seq: number; message: string}
	/** `i`, `t`, Ctrl-D: ask before sending (or refuse). */
	| {type: 'askOperation'; operation: Operation}
	| {type: 'confirmYes'}
	| {type: 'confirmNo'}
	| {type: 'operationDone'; seq: number; record?: ExportRecord}
	| {type: 'operationFailed'; seq: number; message: string}
	// --- marks and bulk actions (marks.ts, bulk.ts) ---
	/** Space: the selected export in or out of the marks, and the selection down one. */
	| {type: 'toggleMark'}
	| {type: 'bulkProgress'; seq: number; progress: BulkProgress}
	| {type: 'bulkDone'; seq: number; report: BulkReport}
	// --- peek into a file (peek.ts) ---
	/** `v`: open the overlay and read the selected export's file. */
	| {type: 'openPeek'}
	| {type: 'closePeek'}
	/** Scroll by rows, columns or pages, or to an end (`to`). */
	| {type: 'scrollPeek'; rows?: number; columns?: number; pages?: number; to?: 'start' | 'end'}
	/** The overlay measured how far it can scroll and how many rows a page holds. */
	| {type: 'peekMeasured'; maxRow: number; maxColumn: number; pageRows: number}
	| {type: 'peekProgress'; seq: number; read: number}
	| {type: 'peekLoaded'; seq: number; content: PeekContent}
	| {type: 'peekFailed'; seq: number; message: string}
	// --- duplicate (duplicate.ts) ---
	/** `c`: ask before creating a copy of the selected export. */
	| {type: 'askDuplicate'}
	| {type: 'duplicateDone'; seq: number; created: ExportRecord}
	| {type: 'duplicateFailed'; seq: number; message: string};

export type ActionType = Action['type'];

/** The reducer's handler for one action type. */
export type Handler<T extends ActionType> = (state: State, action: Extract<Action, {type: T}>) => State;

/** One handler per action type: the reducer's table (reducer.ts) is typed so that none is missing. */
export type Handlers = {[T in ActionType]: Handler<T>};
