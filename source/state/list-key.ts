// The list's query, the keys that name a list and one page of it, and the request for a page.
// Apart from the reducer, so that the entry can ask for the first page before the interactive
// view (and React) has even loaded.
import type {SortableField} from '../api/fields.js';
import {formatSort, type SortKey} from '../api/sort.js';
import type {Filters, ListRequest} from '../api/types.js';
import type {Query} from './types.js';

const dateFields: ReadonlySet<SortableField> = new Set([
	'created_at',
	'updated_at',
	'started_at',
	'completed_at',
	'interrupted_at',
]);

/** Newest first for dates, A-Z / 0-9 for the rest. */
export function defaultDescending(field: SortableField): boolean {
	return dateFields.has(field);
}

/**
 * The sort for a column. Most columns have many equal values and the API's order among equals is
 * not stable from one request to the next, so pages could repeat or skip exports: newest first
 * breaks the ties.
 */
export function sortBy(field: SortableField, descending = defaultDescending(field)): SortKey[] {
	const primary: SortKey = {field, descending};
	return field === 'created_at' || field === 'id' ? [primary] : [primary, {field: 'created_at', descending: true}];
}

/** The query the pager opens with: the configured filter and sort. */
export function firstQuery(options: {pageSize: number; sort: SortKey[]; filterText?: string; filters?: Filters}): Query {
	return {
		size: options.pageSize,
		sort: options.sort.length > 0 ? options.sort : sortBy('created_at'),
		filterText: options.filterText ?? '',
		filters: options.filters ?? {},
	};
}

/** Identifies a list: the filter text is not part of it, its parsed filters are. */
export function listKey(query: Pick<Query, 'size' | 'sort' | 'filters'>): string {
	return `${query.size}|${formatSort(query.sort)}|${stableStringify(query.filters)}`;
}

/** Identifies one page request of a list (`3|25|-created_at|{}`). */
export function pageKey(list: string, page: number): string {
	return `${page}|${list}`;
}

/** The page number and list of a page key. */
export function parsePageKey(key: string): {page: number; list: string} {
	const bar = key.indexOf('|');
	return {page: Number(key.slice(0, bar)), list: key.slice(bar + 1)};
}

/** The client's ListRequest for one page of a query. */
export function listRequest(query: Query, page: number): ListRequest {
	return {page, size: query.size, sort: query.sort.map(key => formatSort([key])), filters: query.filters};
}

/** JSON with object keys sorted, so equal filters give equal keys whatever their order. */
export function stableStringify(value: unknown): string {
	if (Array.isArray(value)) {
		return `[${value.map(item => stableStringify(item)).join(',')}]`;
	}

	if (typeof value === 'object' && value !== null) {
		const entries = Object.entries(value as Record<string, unknown>)
			.filter(([, item]) => item !== undefined)
			.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
		return `{${entries.map(([key, item]) => `${JSON.stringify(key)}:${stableStringify(item)}`).join(',')}}`;
	}

	return JSON.stringify(value) ?? 'null';
}
