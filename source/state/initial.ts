// The state the pager opens with: the configured filter, sort and page size, watch on when
// --watch was given, and the counts asked for.
import type {SortKey} from '../api/sort.js';
import type {Filters} from '../api/types.js';
import {firstQuery, listKey, stableStringify} from './list-key.js';
import {overviewFilters} from './overview.js';
import {createPageCache} from './page-cache.js';
import {noIds, noMarks} from './selectors.js';
import type {State} from './types.js';

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
		marks: noMarks,
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
