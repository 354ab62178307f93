// The URLs of the API's requests, and the list request's query string, built the way Commerce
// Layer's official JavaScript SDK builds it (docs/commerce-layer-api.md, "The URL the official SDK
// builds"): keys in the order fields, sort, page[number], page[size], then one `filter[q][key]` per
// filter, added with URLSearchParams.append so that the percent-encoding is byte for byte the SDK's.
import type {FilterValue, ListRequest} from './types.js';

export const maxPageSize = 25;

/** Throws a RangeError with a readable message when page or size is out of range. */
export function validatePaging(page: number, size: number): void {
	if (!Number.isInteger(page) || page < 1) {
		throw new RangeError(`page number must be a whole number of 1 or more, got ${String(page)}`);
	}

	if (!Number.isInteger(size) || size < 1 || size > maxPageSize) {
		throw new RangeError(`page size must be a whole number from 1 to ${maxPageSize}, got ${String(size)}`);
	}
}

/** The value a filter is sent with: lists comma-joined, objects (`_jcont`) as JSON. */
export function encodeFilterValue(value: FilterValue): string {
	if (Array.isArray(value)) {
		return value.join(',');
	}

	if (typeof value === 'object' && value !== null) {
		return JSON.stringify(value);
	}

	return String(value);
}

/**
 * The most bytes the filters may take in a list URL. Servers and proxies refuse a request line
 * past 8 KB or so (HTTP 414 or 431); the rest of the URL needs far less than the remainder.
 */
export const maxFilterQueryBytes = 4096;

/** The bytes the filters take in a list URL (`filter%5Bq%5D%5Bkey%5D=value&…`). */
export function filterQueryBytes(filters: ListRequest['filters']): number {
	const params = new URLSearchParams();
	appendFilters(params, filters);
	return params.toString().length;
}

function appendFilters(params: URLSearchParams, filters: ListRequest['filters']): void {
	for (const [key, value] of Object.entries(filters ?? {})) {
		// A filter left undefined by a caller is simply not sent (the SDK would send "undefined").
		if (value === undefined || value === null) {
			continue;
		}

		params.append(`filter[q][${key}]`, encodeFilterValue(value));
	}
}

/** `fields%5Bexports%5D=…&sort=…&page%5Bnumber%5D=…&page%5Bsize%5D=…&filter%5Bq%5D%5B…%5D=…`, no leading `?`. */
export function buildListSearch(query: ListRequest): string {
	validatePaging(query.page, query.size);
	const params = new URLSearchParams();
	if (query.fields && query.fields.length > 0) {
		params.append('fields[exports]', query.fields.join(','));
	}

	if (query.sort && query.sort.length > 0) {
		params.append('sort', query.sort.join(','));
	}

	params.append('page[number]', String(query.page));
	params.append('page[size]', String(query.size));
	appendFilters(params, query.filters);
	return params.toString();
}

/** The origin without trailing slashes. */
export function normalizeBaseUrl(baseUrl: string): string {
	return baseUrl.replace(/\/+$/, '');
}

export function listUrl(baseUrl: string, query: ListRequest): string {
	return `${normalizeBaseUrl(baseUrl)}/api/exports?${buildListSearch(query)}`;
}

/** Where exports are created. */
export function collectionUrl(baseUrl: string): string {
	return `${normalizeBaseUrl(baseUrl)}/api/exports`;
}

export function exportUrl(baseUrl: string, id: string): string {
	return `${normalizeBaseUrl(baseUrl)}/api/exports/${encodeURIComponent(id)}`;
}
