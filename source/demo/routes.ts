// The exports resource: list (paged, sorted, filtered), retrieve, create, update (the lifecycle
// triggers), delete, and the related collections.
import type {IncomingMessage} from 'node:http';
import type {ExportCreate, ExportUpdate} from '../api/types.js';
import type {DemoContext} from './context.js';
import {apiError, clone, compareValues, parseQuery, relatedTypes, toQuery} from './jsonapi.js';
import {matchesAll} from './ransack.js';
import {attributesOf, eventResource, exportLink, includedFor, readerFor, serialize} from './resources.js';
import {exportableTypes} from './store.js';
import {asTrigger, optionalObject, optionalString, readDocument, rejectUnknown, transitionError, validationError} from './write-body.js';

export function notFound() {
	return apiError(404, 'RECORD_NOT_FOUND', 'Record not found', 'The requested resource was not found. Please double-check the resource id.');
}

export function listExports(ctx: DemoContext, search: URLSearchParams) {
	const params = parseQuery(search, new Set(['page', 'sort', 'filter', 'fields', 'include']));
	const url =
		params.conditions.some(condition => condition.attributes.includes('attachment_url')) || params.sort.some(key => key.field === 'attachment_url');
	const rows = ctx.store
		.all()
		.map(item => ({item, attributes: attributesOf(ctx, item, {url})}))
		.filter(({item, attributes}) => matchesAll(params.conditions, readerFor(ctx, item, attributes)));
	const keys = params.sort.length > 0 ? params.sort : [{field: 'id', descending: false}];
	rows.sort((left, right) => {
		for (const {field, descending} of keys) {
			const order =
				field === 'id'
					? compareValues(left.item.id, right.item.id, descending)
					: compareValues(left.attributes[field], right.attributes[field], descending);
			if (order !== 0) {
				return order;
			}
		}

		// Ties by id, so that pages are stable.
		return left.item.id < right.item.id ? -1 : left.item.id > right.item.id ? 1 : 0;
	});

	const {number, size} = params.page;
	const recordCount = rows.length;
	const pageCount = Math.ceil(recordCount / size);
	const slice = rows.slice((number - 1) * size, number * size);
	const link = (page: number) => `${ctx.origin}/api/exports?${toQuery([...params.linkPairs, ['page[number]', String(page)], ['page[size]', String(size)]])}`;
	const links: Record<string, string> = {first: link(1)};
	if (number > 1) {
		links['prev'] = link(number - 1);
	}

	if (number < pageCount) {
		links['next'] = link(number + 1);
	}

	links['last'] = link(Math.max(1, pageCount));
	links['self'] = link(number);
	const body: Record<string, unknown> = {
		data: slice.map(({item}) => serialize(ctx, item, attributesOf(ctx, item), params.fields, params.include)),
		meta: {record_count: recordCount, page_count: pageCount},
		links,
	};
	const included = includedFor(ctx, slice.map(row => row.item), params.include);
	if (included) {
		body['included'] = included;
	}

	return body;
}

export function retrieveExport(ctx: DemoContext, id: string, search: URLSearchParams) {
	const params = parseQuery(search, new Set(['fields', 'include']));
	const item = ctx.store.get(id);
	if (!item) {
		throw notFound();
	}

	const body: Record<string, unknown> = {data: serialize(ctx, item, attributesOf(ctx, item), params.fields, params.include)};
	const included = includedFor(ctx, [item], params.include);
	if (included) {
		body['included'] = included;
	}

	return body;
}

export async function updateExport(ctx: DemoContext, request: IncomingMessage, id: string, search: URLSearchParams) {
	const params = parseQuery(search, new Set(['fields', 'include']));
	const attributes = await readDocument(request, id);
	rejectUnknown(attributes, ['_start', '_interrupt', 'reference', 'reference_origin', 'metadata']);
	const input: ExportUpdate = {};
	const start = asTrigger(attributes, '_start');
	const interrupt = asTrigger(attributes, '_interrupt');
	if (start !== undefined) {
		input._start = start;
	}

	if (interrupt !== undefined) {
		input._interrupt = interrupt;
	}

	if ('reference' in attributes) {
		input.reference = optionalString(attributes, 'reference');
	}

	if ('reference_origin' in attributes) {
		input.reference_origin = optionalString(attributes, 'reference_origin');
	}

	if ('metadata' in attributes) {
		input.metadata = clone(optionalObject(attributes, 'metadata'));
	}

	const result = ctx.store.update(id, input);
	if (!result) {
		throw notFound();
	}

	if (!result.ok) {
		throw transitionError(result.error);
	}

	return {data: serialize(ctx, result.item, attributesOf(ctx, result.item), params.fields, params.include)};
}

export async function createExport(ctx: DemoContext, request: IncomingMessage, search: URLSearchParams) {
	const params = parseQuery(search, new Set(['fields', 'include']));
	const attributes = await readDocument(request);
	rejectUnknown(attributes, ['resource_type', 'format', 'includes', 'fields', 'filters', 'dry_data', 'jwt_filters', 'reference', 'reference_origin', 'metadata']);
	const resourceType = attributes['resource_type'];
	if (resourceType === undefined || resourceType === null || resourceType === '') {
		throw validationError('resource_type', "can't be blank", 'blank');
	}

	if (typeof resourceType !== 'string' || !exportableTypes.has(resourceType)) {
		throw validationError('resource_type', 'is not included in the list', 'inclusion', {value: resourceType});
	}

	const format = attributes['format'] ?? 'json';
	if (format !== 'json' && format !== 'csv') {
		throw validationError('format', 'is not included in the list', 'inclusion', {value: format});
	}

	const list = (name: string): string[] | undefined => {
		const value = attributes[name];
		if (value === undefined || value === null) {
			return undefined;
		}

		if (Array.isArray(value) && value.every(entry => typeof entry === 'string')) {
			return value as string[];
		}

		throw validationError(name, 'is not an array of strings', 'invalid');
	};

	const input: ExportCreate = {resource_type: resourceType, format};
	const includes = list('includes');
	const fields = list('fields');
	const filters = optionalObject(attributes, 'filters');
	if (includes) {
		input.includes = includes;
	}

	if (fields) {
		input.fields = fields;
	}

	if (filters) {
		input.filters = clone(filters);
	}

	if (typeof attributes['dry_data'] === 'boolean') {
		input.dry_data = attributes['dry_data'];
	}

	input.reference = optionalString(attributes, 'reference') ?? null;
	input.reference_origin = optionalString(attributes, 'reference_origin') ?? null;
	input.metadata = clone(optionalObject(attributes, 'metadata')) ?? {};
	const item = ctx.store.create(input);
	return {data: serialize(ctx, item, attributesOf(ctx, item), params.fields, params.include)};
}

export function relatedCollection(ctx: DemoContext, id: string, name: string) {
	const item = ctx.store.get(id);
	if (!item) {
		throw notFound();
	}

	const data = name === 'events' ? ctx.store.eventsOf(item).map(event => eventResource(ctx, event)) : [];
	const self = `${exportLink(ctx, id)}/${name}`;
	return {
		data,
		meta: {record_count: data.length, page_count: data.length > 0 ? 1 : 0},
		links: {first: `${self}?${toQuery([['page[number]', '1'], ['page[size]', '10']])}`, last: `${self}?${toQuery([['page[number]', '1'], ['page[size]', '10']])}`},
	};
}

/** Routes `/api/*` once the request is authenticated and accepts JSON:API. */
export async function routeApi(ctx: DemoContext, request: IncomingMessage, method: string, path: string, search: URLSearchParams): Promise<{status: number; body?: unknown}> {
	const parts = path.split('/').filter(Boolean).map(part => decodeURIComponent(part));
	const [, resource, id, related, ...rest] = parts;
	if (resource !== 'exports' || rest.length > 0) {
		throw apiError(404, 'NOT_FOUND', 'Not found', `The requested resource could not be found: ${method} ${path}`);
	}

	const notAllowed = () => apiError(405, 'METHOD_NOT_ALLOWED', 'Method not allowed', `${method} is not allowed on ${path}`);
	if (id === undefined) {
		if (method === 'GET') {
			return {status: 200, body: listExports(ctx, search)};
		}

		if (method === 'POST') {
			return {status: 201, body: await createExport(ctx, request, search)};
		}

		throw notAllowed();
	}

	if (related !== undefined) {
		if (!relatedTypes.has(related)) {
			throw apiError(404, 'NOT_FOUND', 'Not found', `The requested resource could not be found: ${method} ${path}`);
		}

		if (method !== 'GET') {
			throw notAllowed();
		}

		return {status: 200, body: relatedCollection(ctx, id, related)};
	}

	switch (method) {
		case 'GET': {
			return {status: 200, body: retrieveExport(ctx, id, search)};
		}

		case 'PATCH': {
			return {status: 200, body: await updateExport(ctx, request, id, search)};
		}

		case 'DELETE': {
			if (!ctx.store.delete(id)) {
				throw notFound();
			}

			return {status: 204};
		}

		default: {
			throw notAllowed();
		}
	}
}
