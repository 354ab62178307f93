// The status overview: how many exports of each status match the current filter.
//
// What "the current filter" means when the filter already has a status term: the counts leave
// that term out and replace it by each status in turn. So with `type:skus status:failed` the
// header reads "how many skus exports are pending, in progress, … completed", and the failed
// count is the one on screen. That is what keys 1..5 need: the count beside a status is what
// toggling it in or out adds or removes. (Keeping the term would make every status the filter
// leaves out count 0, which says nothing.) The statuses the filter lets through are highlighted.
import {splitPredicateKey} from '../api/fields.js';
import {statuses, type Filters, type KnownStatus} from '../api/types.js';
import {stableStringify} from './list-key.js';
import type {Handlers, OverviewState, State} from './types.js';
import {backOffOf, slowDown} from './watch-budget.js';

/** Is this Ransack key a predicate on `status` alone (status_eq, status_in, status_not_eq_or_null, …)? */
function isStatusPredicate(key: string): boolean {
	const split = splitPredicateKey(key);
	return split !== undefined && split.attributes.length === 1 && split.attributes[0] === 'status';
}

/** The filter without its status predicates: what every count shares. */
export function overviewFilters(filters: Filters): Filters {
	const result: Filters = {};
	for (const [key, value] of Object.entries(filters)) {
		if (!isStatusPredicate(key)) {
			result[key] = value;
		}
	}

	return result;
}

/** The filters for one count: the shared ones and `status_eq`. */
export function countFilters(shared: Filters, status: KnownStatus): Filters {
	return {...shared, status_eq: status};
}

function listOf(value: unknown): string[] {
	if (Array.isArray(value)) {
		return value.map(item => String(item));
	}

	return typeof value === 'string' ? value.split(',') : [String(value)];
}

function known(values: string[]): Set<KnownStatus> {
	const normal = new Set(values.map(value => value.trim().toLowerCase()));
	return new Set(statuses.filter(status => normal.has(status)));
}

/**
 * The statuses the filter lets through, or undefined when it has no status term (all of them).
 * Only the plain predicates are understood (eq, in, not_eq, not_in); others leave every status in.
 */
export function filterStatuses(filters: Filters): ReadonlySet<KnownStatus> | undefined {
	let allowed: Set<KnownStatus> | undefined;
	const narrow = (set: Set<KnownStatus>) => {
		allowed = allowed === undefined ? set : new Set([...allowed].filter(status => set.has(status)));
	};

	for (const [key, value] of Object.entries(filters)) {
		if (!isStatusPredicate(key)) {
			continue;
		}

		const predicate = splitPredicateKey(key)?.predicate;
		if (predicate === 'eq' || predicate === 'in') {
			narrow(known(listOf(value)));
		} else if (predicate === 'not_eq' || predicate === 'not_in') {
			const excluded = known(listOf(value));
			narrow(new Set(statuses.filter(status => !excluded.has(status))));
		}
	}

	return allowed;
}

/** The counts again (a reload, an operation, every n-th watch refresh). */
export function askOverview(overview: OverviewState): OverviewState {
	return {...overview, seq: overview.seq + 1, pending: true};
}

/**
 * The overview follows the filter's other terms, once the prompt is closed: while the user types,
 * the page follows the draft but five counts per keystroke would eat the rate limit.
 */
export function followFilter(state: State): State {
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

export const overviewHandlers = {
	overviewLoaded(state, action) {
		if (action.key !== state.overview.key || action.seq !== state.overview.seq) {
			return state;
		}

		// The same counts as before keep their object: the header has nothing to redraw.
		const previous = state.overview.counts;
		const same = previous !== undefined && statuses.every(status => previous[status] === action.counts[status]);
		const counts = same ? previous : action.counts;
		return {...state, overview: {...state.overview, pending: false, counts, countsKey: action.key, error: undefined}};
	},

	overviewFailed(state, action) {
		const slowed = slowDown(state, backOffOf(action));
		if (action.key !== state.overview.key || action.seq !== state.overview.seq) {
			return slowed;
		}

		return {...slowed, overview: {...slowed.overview, pending: false, error: action.error}};
	},
} satisfies Partial<Handlers>;
