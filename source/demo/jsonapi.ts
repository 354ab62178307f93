// The JSON:API side of the demo, as JSON:API Resources (the framework under Commerce Layer) does
// it: error bodies, query parameter parsing and validation, link query strings, ordering.
import {STATUS_CODES} from 'node:http';
import {isSortableField} from '../api/fields.js';
import {parseConditions, type Condition} from './ransack.js';
import {jsonTooDeep, maxJsonDepth} from './ransack-values.js';

export const jsonApi = 'application/vnd.api+json';
const maxPageSize = 25;
const defaultPageSize = 10;

export const attributeOrder = [
	'resource_type',
	'format',
	'status',
	'includes',
	'fields',
	'filters',
	'dry_data',
	'jwt_filters',
	'started_at',
	'completed_at',
	'interrupted_at',
	'estimated_completion_at',
	'records_count',
	'processed_count',
	'progress',
	'attachment_url',
	'errors_log',
	'created_at',
	'updated_at',
	'reference',
	'reference_origin',
	'metadata',
] as const;

export const relationshipNames = ['events', 'versions', 'event_stores'] as const;
const includable = new Set(['events', 'versions']);
const validFields = new Set<string>(['id', ...attributeOrder, ...relationshipNames]);
export const relatedTypes = new Set(['events', 'versions', 'event_stores']);

export type ApiError = {title: string; detail: string; code: string; status: string; source?: unknown; meta?: unknown};

export class HttpError extends Error {
	constructor(
		readonly status: number,
		readonly errors: ApiError[],
		readonly headers: Record<string, string> = {},
	) {
		super(errors[0]?.title ?? 'error');
	}
}

export function apiError(status: number, code: string, title: string, detail: string, extra: Partial<ApiError> = {}): HttpError {
	return new HttpError(status, [{title, detail, code, status: String(status), ...extra}]);
}

export const invalidToken = {
	errors: [{title: 'Invalid token', detail: 'The access token you provided is invalid.', code: 'INVALID_TOKEN', status: '401'}],
};

export const internalError = {
	errors: [{title: 'Internal Server Error', detail: 'Internal Server Error', code: 'INTERNAL_SERVER_ERROR', status: '500'}],
};

/** A JSON:API error body for a status, used when a fault gives none. */
export function defaultErrorBody(status: number): unknown {
	if (status === 401) {
		return invalidToken;
	}

	if (status === 500) {
		return internalError;
	}

	if (status === 429) {
		return {errors: [{title: 'Too many requests', detail: 'You have exceeded the rate limit. Please retry later.', code: 'TOO_MANY_REQUESTS', status: '429'}]};
	}

	const title = STATUS_CODES[status] ?? 'Error';
	return {errors: [{title, detail: title, code: title.toUpperCase().replace(/[^A-Z]+/g, '_'), status: String(status)}]};
}

/** Ruby's CGI.escape, which Rails' `to_query` (and so JSON:API Resources' links) uses. */
function cgiEscape(text: string): string {
	return encodeURIComponent(text)
		.replace(/[!'()*]/g, char => `%${char.charCodeAt(0).toString(16).toUpperCase()}`)
		.replace(/%20/g, '+');
}

/** `Hash#to_query`: every pair escaped, then sorted. */
export function toQuery(pairs: ReadonlyArray<readonly [string, string]>): string {
	return pairs
		.map(([key, value]) => `${cgiEscape(key)}=${cgiEscape(value)}`)
		.sort()
		.join('&');
}

export function iso(ms: number | null): string | null {
	return ms === null ? null : new Date(ms).toISOString();
}

export function clone<T>(value: T): T {
	return value === null || typeof value !== 'object' ? value : (JSON.parse(JSON.stringify(value)) as T);
}

/** `Accept` must name the JSON:API media type: anything else is 406, as on the real API. */
export function acceptsJsonApi(accept: string | undefined): boolean {
	if (!accept) {
		return false;
	}

	return accept.split(',').some(part => part.split(';')[0]?.trim().toLowerCase() === jsonApi);
}

export function isJsonApiContentType(contentType: string | undefined): boolean {
	if (!contentType) {
		return false;
	}

	const [type, ...parameters] = contentType.split(';').map(part => part.trim().toLowerCase());
	return type === jsonApi && parameters.every(parameter => parameter.startsWith('charset='));
}

type ParsedKey = {name: string; segments: string[]};

function parseKey(key: string): ParsedKey {
	const match = /^([^[\]]+)((?:\[[^[\]]*\])*)$/.exec(key);
	if (!match) {
		return {name: key, segments: []};
	}

	const segments = [...(match[2] ?? '').matchAll(/\[([^[\]]*)\]/g)].map(item => item[1] ?? '');
	return {name: match[1] ?? key, segments};
}

export type ListParams = {
	page: {number: number; size: number};
	sort: Array<{field: string; descending: boolean}>;
	conditions: Condition[];
	fields?: Set<string>;
	include: string[];
	/** The request's own parameters other than page, for the links. */
	linkPairs: Array<[string, string]>;
};

/** Parses and validates query parameters in the order JSON:API Resources does. */
export function parseQuery(search: URLSearchParams, allowed: ReadonlySet<string>): ListParams {
	// Keyed by what the client sent: objects without a prototype, so `filter[q][__proto__]` is a key like any other.
	const page = Object.create(null) as Record<string, string>;
	const q = Object.create(null) as Record<string, string>;
	const fields = Object.create(null) as Record<string, string>;
	const linkPairs: Array<[string, string]> = [];
	let sort: string | undefined;
	let include: string | undefined;
	const problems: HttpError[] = [];
	for (const [key, value] of search) {
		const {name, segments} = parseKey(key);
		if (!allowed.has(name)) {
			problems.push(apiError(400, 'PARAM_NOT_ALLOWED', 'Param not allowed', `${key} is not allowed.`));
			continue;
		}

		switch (name) {
			case 'page': {
				if (segments.length !== 1) {
					throw apiError(400, 'INVALID_PAGE_OBJECT', 'Invalid Page Object', 'Invalid Page Object.');
				}

				const part = segments[0] ?? '';
				if (part !== 'number' && part !== 'size') {
					problems.push(apiError(400, 'PARAM_NOT_ALLOWED', 'Page parameter not allowed', `${part} is not an allowed page parameter.`));
					continue;
				}

				page[part] = value;
				continue;
			}

			case 'sort': {
				sort = value;
				break;
			}

			case 'include': {
				include = value;
				break;
			}

			case 'fields': {
				if (segments.length !== 1) {
					throw apiError(400, 'INVALID_FIELD_FORMAT', 'Invalid field format', 'Fields must specify a type.');
				}

				fields[segments[0] ?? ''] = value;
				break;
			}

			case 'filter': {
				if (segments.length === 0) {
					throw apiError(400, 'INVALID_FILTERS_SYNTAX', 'Invalid filters syntax', `${value} is not a valid syntax for filtering.`);
				}

				if (segments[0] !== 'q') {
					problems.push(apiError(400, 'FILTER_NOT_ALLOWED', 'Filter not allowed', `${segments[0] ?? ''} is not allowed.`));
					continue;
				}

				// `filter[q][key]=v`; Rails-style arrays (`filter[q][key][]=a`) join into the CSV form;
				// deeper nesting (Ransack groupings) is accepted and ignored.
				if (segments.length === 2 || (segments.length === 3 && segments[2] === '')) {
					const predicateKey = segments[1] ?? '';
					q[predicateKey] = segments.length === 3 && q[predicateKey] !== undefined ? `${q[predicateKey]},${value}` : value;
				}

				break;
			}

			default: {
				break;
			}
		}

		linkPairs.push([key, value]);
	}

	if (problems[0]) {
		throw problems[0];
	}

	let fieldSet: Set<string> | undefined;
	for (const [type, list] of Object.entries(fields)) {
		const names = list === '' ? [] : list.split(',');
		if (type === 'exports') {
			for (const field of names) {
				if (!validFields.has(field)) {
					throw apiError(400, 'INVALID_FIELD', 'Invalid field', `${field} is not a valid field for exports.`);
				}
			}

			fieldSet = new Set(names);
		} else if (!relatedTypes.has(type)) {
			throw apiError(400, 'INVALID_RESOURCE', 'Invalid resource', `${type} is not a valid resource.`);
		}
	}

	const includeList = include === undefined || include === '' ? [] : include.split(',');
	for (const relationship of includeList) {
		if (!includable.has(relationship)) {
			throw apiError(400, 'INVALID_INCLUDE', 'Invalid field', `${relationship} is not a valid relationship of exports`);
		}
	}

	for (const [key, value] of Object.entries(q)) {
		if (key.endsWith('_jcont') && jsonTooDeep(value)) {
			throw apiError(400, 'INVALID_FILTER_VALUE', 'Invalid filter value', `${key} nests deeper than ${maxJsonDepth} levels.`);
		}
	}

	const conditions = parseConditions(q);

	const sortKeys: ListParams['sort'] = [];
	if (sort !== undefined && sort !== '') {
		for (const part of sort.split(',')) {
			const descending = part.startsWith('-');
			const field = descending ? part.slice(1) : part;
			if (!isSortableField(field)) {
				throw apiError(400, 'INVALID_SORT_CRITERIA', 'Invalid sort criteria', `${field} is not a valid sort criteria for exports`);
			}

			sortKeys.push({field, descending});
		}
	}

	const pageValue = (part: 'number' | 'size', fallback: number): number => {
		const text = page[part];
		if (text === undefined) {
			return fallback;
		}

		if (!/^\s*-?\d+\s*$/.test(text)) {
			throw apiError(400, 'INVALID_PAGE_VALUE', 'Invalid page value', `${text} is not a valid value for ${part} page parameter.`);
		}

		return Number(text);
	};

	const size = pageValue('size', defaultPageSize);
	const number = pageValue('number', 1);
	if (size < 1) {
		throw apiError(400, 'INVALID_PAGE_VALUE', 'Invalid page value', `${size} is not a valid value for size page parameter.`);
	}

	if (size > maxPageSize) {
		throw apiError(400, 'INVALID_PAGE_VALUE', 'Invalid page value', `size exceeds maximum page size of ${maxPageSize}.`);
	}

	if (number < 1) {
		throw apiError(400, 'INVALID_PAGE_VALUE', 'Invalid page value', `${number} is not a valid value for number page parameter.`);
	}

	return {page: {number, size}, sort: sortKeys, conditions, fields: fieldSet, include: includeList, linkPairs};
}

/** PostgreSQL order: NULLs last ascending, first descending; strings by code unit (C collation). */
export function compareValues(left: unknown, right: unknown, descending: boolean): number {
	const leftNull = left === null || left === undefined;
	const rightNull = right === null || right === undefined;
	if (leftNull || rightNull) {
		if (leftNull && rightNull) {
			return 0;
		}

		return (leftNull ? 1 : -1) * (descending ? -1 : 1);
	}

	const order = (left as number | string) < (right as number | string) ? -1 : (left as number | string) > (right as number | string) ? 1 : 0;
	return descending ? -order : order;
}
