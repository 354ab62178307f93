// The embedded demo API: a real HTTP server on loopback that speaks the part of the Commerce Layer
// protocol cl-exports uses (commercelayer.md): the client_credentials token endpoint, the exports
// resource with JSON:API paging, sorting, Ransack filters, sparse fieldsets and lifecycle
// triggers, the error bodies of §9, rate-limit headers, and the gzipped attachment files.
// Tests drive it through `injectFault` (the next matching requests) and `setFaults` (lasting faults:
// a 5xx storm, random 429s, a failing token endpoint), and read what it received from `requests`.
// Nothing in here prints: `main.ts` does the talking.
import {createServer, STATUS_CODES, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse} from 'node:http';
import type {AddressInfo} from 'node:net';
import type {ExportRecord} from '../api/types.js';
import {attachmentBody, attachmentFileName, attachmentUrl, checkAttachment, s3Error} from './attachments.js';
import {createRandom, generateDemoData, hashSeed, type DemoEvent, type DemoExport} from './data.js';
import {
	acceptsJsonApi,
	apiError,
	attributeOrder,
	clone,
	compareValues,
	defaultErrorBody,
	HttpError,
	internalError,
	invalidToken,
	iso,
	isJsonApiContentType,
	jsonApi,
	parseQuery,
	relatedTypes,
	relationshipNames,
	toQuery,
} from './jsonapi.js';
import {castBoolean, matchesAll} from './ransack.js';
import {demoClientId, demoClientSecret, demoOrganization, grant, grantFields, TokenStore} from './tokens.js';
import {DemoStore, exportableTypes, type CreateInput, type LifecycleError, type UpdateInput} from './store.js';

export type DemoServerOptions = {
	port?: number;
	host?: string;
	count?: number;
	seed?: number;
	now?: () => number;
	latencyMs?: number;
	tokenTtlSeconds?: number;
	rateLimit?: false | {limit: number; windowMs: number};
	/** Lasting faults, from the start (also switched on and off with `setFaults`). */
	faults?: DemoFaultModes;
};

/**
 * Faults that last until switched off, for trying the client under a bad hour of the API: every
 * `/api` request failing (a 5xx storm, or connection resets), a share of the reads refused with
 * 429 (someone else on the same IP spending the budget), the token endpoint failing.
 */
export type DemoFaultModes = {
	/** Every `/api` request answered with this status (the §9.3 body), or its connection reset. */
	storm?: number | 'reset';
	/** The share (0..1) of `/api` reads answered 429 with `Retry-After`, picked at random (seeded). */
	rateLimitedShare?: number;
	/** The `Retry-After` (seconds) of those 429s; default 2. */
	rateLimitedRetryAfter?: number;
	/** Every token request answered with this status. */
	tokenStatus?: number;
};

export type DemoRequest = {
	method: string;
	path: string;
	/** The query string as sent (still percent-encoded), without the `?`. */
	search: string;
	/** The same, decoded: `{'page[number]': '1', 'filter[q][status_eq]': 'failed'}`. */
	query: Record<string, string>;
	authorization?: string;
	headers: Record<string, string | string[] | undefined>;
	status: number;
	at: number;
};

export type DemoFault = {method?: string; path?: string | RegExp; times?: number} & (
	| {kind: 'status'; status: number; body?: unknown; headers?: Record<string, string>}
	| {kind: 'reset'}
	| {kind: 'hang'}
	| {kind: 'malformed'}
	| {kind: 'html'; status: number}
);

export type DemoServer = {
	url: string;
	token: string;
	clientId: string;
	clientSecret: string;
	organization: string;
	requests: DemoRequest[];
	clearRequests(): void;
	injectFault(fault: DemoFault): void;
	/** Replaces the lasting faults (`{}`: none). */
	setFaults(modes: DemoFaultModes): void;
	readonly faults: DemoFaultModes;
	/** All exports as the API would return them now (after progress), unsorted, unpaged. */
	allExports(): ExportRecord[];
	close(): Promise<void>;
};


export {demoClientId, demoClientSecret, demoOrganization} from './tokens.js';

export const defaultRateLimit = {limit: 25, windowMs: 10_000};
const longLivedTtlSeconds = 10 * 365 * 24 * 3600;
const maxLoggedRequests = 10_000;

function statusText(status: number): string {
	return STATUS_CODES[status] ?? 'Unknown';
}

function delay(ms: number, timers: Set<NodeJS.Timeout>): Promise<void> {
	return new Promise(resolve => {
		const timer = setTimeout(() => {
			timers.delete(timer);
			resolve();
		}, ms);
		timers.add(timer);
	});
}

function readBody(request: IncomingMessage, limit = 1 << 20): Promise<string> {
	return new Promise((resolve, reject) => {
		const chunks: Buffer[] = [];
		let size = 0;
		request.on('data', (chunk: Buffer) => {
			size += chunk.length;
			if (size > limit) {
				reject(apiError(413, 'PAYLOAD_TOO_LARGE', 'Payload too large', 'The request body is too large.'));
				request.destroy();
				return;
			}

			chunks.push(chunk);
		});
		request.on('end', () => {
			resolve(Buffer.concat(chunks).toString('utf8'));
		});
		request.on('error', reject);
	});
}

export async function startDemoServer(options: DemoServerOptions = {}): Promise<DemoServer> {
	const now = options.now ?? Date.now;
	const seed = options.seed ?? 1;
	const count = options.count ?? 300;
	const tokenTtlSeconds = options.tokenTtlSeconds ?? 7200;
	const rateLimit = options.rateLimit === undefined ? defaultRateLimit : options.rateLimit;
	const latencyMs = options.latencyMs ?? 0;
	const anchor = now();
	const store = new DemoStore(generateDemoData({count, seed, anchor}), {seed, now});
	const signingKey = `cl-exports-demo:${seed}`;
	const tokens = new TokenStore({now, organizationId: store.organizationId});
	const faults: Array<{fault: DemoFault; left: number}> = [];
	let modes: DemoFaultModes = {...options.faults};
	const faultRandom = createRandom(hashSeed('faults', seed));
	const reads: number[] = [];
	const writes: number[] = [];
	const requests: DemoRequest[] = [];
	const timers = new Set<NodeJS.Timeout>();
	const files = new Map<string, Buffer>();
	let origin = '';

	/**
	 * The attribute values a client sees now: dates as ISO strings and a fresh attachment_url. With
	 * `forMatching`, objects are shared rather than copied (nothing leaves the server) and the
	 * attachment_url is only signed when a filter or sort reads it.
	 */
	const attributesOf = (item: DemoExport, forMatching?: {url: boolean}): Record<string, unknown> => {
		const copy = forMatching ? <T>(value: T) => value : clone;
		const url = item.status === 'completed' && (!forMatching || forMatching.url);
		return {
			resource_type: item.resource_type,
			format: item.format,
			status: item.status,
			includes: copy(item.includes),
			fields: copy(item.fields),
			filters: copy(item.filters),
			dry_data: item.dry_data,
			jwt_filters: item.jwt_filters,
			started_at: iso(item.started_at),
			completed_at: iso(item.completed_at),
			interrupted_at: iso(item.interrupted_at),
			estimated_completion_at: iso(item.estimated_completion_at),
			records_count: item.records_count,
			processed_count: item.processed_count,
			progress: item.progress,
			attachment_url: url ? attachmentUrl(origin, signingKey, item, now()) : null,
			errors_log: copy(item.errors_log),
			created_at: iso(item.created_at),
			updated_at: iso(item.updated_at),
			reference: item.reference,
			reference_origin: item.reference_origin,
			metadata: copy(item.metadata),
		};
	};

	const exportLink = (id: string) => `${origin}/api/exports/${encodeURIComponent(id)}`;

	const serialize = (item: DemoExport, attributes: Record<string, unknown>, fields?: Set<string>, include: string[] = []): ExportRecord => {
		const self = exportLink(item.id);
		const shown = (name: string) => !fields || fields.has(name);
		const relationships: NonNullable<ExportRecord['relationships']> = {};
		for (const name of relationshipNames) {
			if (!shown(name)) continue;
			const relationship: Record<string, unknown> = {links: {self: `${self}/relationships/${name}`, related: `${self}/${name}`}};
			if (include.includes(name)) {
				relationship['data'] = name === 'events' ? store.eventsOf(item).map(event => ({type: 'events', id: event.id})) : [];
			}

			relationships[name] = relationship;
		}

		return {
			id: item.id,
			type: 'exports',
			links: {self},
			attributes: Object.fromEntries(attributeOrder.filter(shown).map(name => [name, attributes[name]])),
			relationships,
			meta: {mode: 'test', organization_id: store.organizationId, trace_id: item.trace_id},
		};
	};

	const eventResource = (event: DemoEvent) => ({
		id: event.id,
		type: 'events',
		links: {self: `${origin}/api/events/${event.id}`},
		attributes: {
			name: event.name,
			created_at: iso(anchor - 400 * 86_400_000),
			updated_at: iso(anchor - 400 * 86_400_000),
			reference: null,
			reference_origin: null,
			metadata: {},
		},
		relationships: {
			webhooks: {links: {self: `${origin}/api/events/${event.id}/relationships/webhooks`, related: `${origin}/api/events/${event.id}/webhooks`}},
		},
		meta: {mode: 'test', organization_id: store.organizationId},
	});

	const readerFor = (item: DemoExport, attributes: Record<string, unknown>) => (attribute: string): unknown[] => {
		if (attribute === 'events_id') return store.eventsOf(item).map(event => event.id);
		if (attribute === 'id') return [item.id];
		return [attributes[attribute]];
	};

	const listExports = (search: URLSearchParams) => {
		const params = parseQuery(search, new Set(['page', 'sort', 'filter', 'fields', 'include']));
		const url =
			params.conditions.some(condition => condition.attributes.includes('attachment_url')) || params.sort.some(key => key.field === 'attachment_url');
		const rows = store
			.all()
			.map(item => ({item, attributes: attributesOf(item, {url})}))
			.filter(({item, attributes}) => matchesAll(params.conditions, readerFor(item, attributes)));
		const keys = params.sort.length > 0 ? params.sort : [{field: 'id', descending: false}];
		rows.sort((left, right) => {
			for (const {field, descending} of keys) {
				const order =
					field === 'id'
						? compareValues(left.item.id, right.item.id, descending)
						: compareValues(left.attributes[field], right.attributes[field], descending);
				if (order !== 0) return order;
			}

			// Ties by id, so that pages are stable.
			return left.item.id < right.item.id ? -1 : left.item.id > right.item.id ? 1 : 0;
		});

		const {number, size} = params.page;
		const recordCount = rows.length;
		const pageCount = Math.ceil(recordCount / size);
		const slice = rows.slice((number - 1) * size, number * size);
		const link = (page: number) => `${origin}/api/exports?${toQuery([...params.linkPairs, ['page[number]', String(page)], ['page[size]', String(size)]])}`;
		const links: Record<string, string> = {first: link(1)};
		if (number > 1) links['prev'] = link(number - 1);
		if (number < pageCount) links['next'] = link(number + 1);
		links['last'] = link(Math.max(1, pageCount));
		links['self'] = link(number);
		const body: Record<string, unknown> = {
			data: slice.map(({item}) => serialize(item, attributesOf(item), params.fields, params.include)),
			meta: {record_count: recordCount, page_count: pageCount},
			links,
		};
		const included = includedFor(slice.map(row => row.item), params.include);
		if (included) body['included'] = included;
		return body;
	};

	const includedFor = (items: DemoExport[], include: string[]): unknown[] | undefined => {
		if (!include.includes('events')) return include.length > 0 ? [] : undefined;
		const seen = new Map<string, DemoEvent>();
		for (const item of items) for (const event of store.eventsOf(item)) seen.set(event.id, event);
		return [...seen.values()].map(eventResource);
	};

	const notFound = () =>
		apiError(404, 'RECORD_NOT_FOUND', 'Record not found', 'The requested resource was not found. Please double-check the resource id.');

	const retrieveExport = (id: string, search: URLSearchParams) => {
		const params = parseQuery(search, new Set(['fields', 'include']));
		const item = store.get(id);
		if (!item) throw notFound();
		const body: Record<string, unknown> = {data: serialize(item, attributesOf(item), params.fields, params.include)};
		const included = includedFor([item], params.include);
		if (included) body['included'] = included;
		return body;
	};

	const validationError = (attribute: string, title: string, error: string, meta: Record<string, unknown> = {}) =>
		apiError(422, 'VALIDATION_ERROR', title, `${attribute} - ${title}`, {source: {pointer: `/data/attributes/${attribute}`}, meta: {error, ...meta}});

	const transitionError = (error: LifecycleError) => {
		const title = `cannot transition via "${error.event}" from "${error.from}"`;
		return new HttpError(422, [
			{
				title,
				detail: `status - ${title}`,
				code: 'VALIDATION_ERROR',
				source: {pointer: '/data/attributes/status'},
				status: '422',
				meta: {error: 'invalid_transition', event: error.event, from: error.from},
			},
		]);
	};

	/** The `data` of a JSON:API write body, checked the way JSON:API Resources checks it. */
	const readDocument = async (request: IncomingMessage, id?: string): Promise<Record<string, unknown>> => {
		if (!isJsonApiContentType(request.headers['content-type'])) {
			throw apiError(
				415,
				'UNSUPPORTED_MEDIA_TYPE',
				'Unsupported media type',
				`All requests that create or update must use the '${jsonApi}' Content-Type. This request specified '${request.headers['content-type'] ?? ''}'.`,
			);
		}

		const text = await readBody(request);
		let document: unknown;
		try {
			document = JSON.parse(text) as unknown;
		} catch {
			throw apiError(400, 'BAD_REQUEST', 'Bad request', 'The request body is not valid JSON.');
		}

		const data = typeof document === 'object' && document !== null ? (document as Record<string, unknown>)['data'] : undefined;
		if (typeof data !== 'object' || data === null || Array.isArray(data)) {
			throw apiError(400, 'PARAM_MISSING', 'Missing Parameter', 'The required parameter, data, is missing.');
		}

		const record = data as Record<string, unknown>;
		if (record['type'] !== 'exports') {
			throw apiError(400, 'INVALID_RESOURCE', 'Invalid resource', `${String(record['type'] ?? '')} is not a valid resource.`);
		}

		if (id !== undefined) {
			if (record['id'] === undefined) throw apiError(400, 'PARAM_MISSING', 'Missing Parameter', 'The required parameter, id, is missing.');
			if (String(record['id']) !== id) {
				throw apiError(400, 'KEY_NOT_INCLUDED_IN_URL', 'Key is not included in URL', `The URL does not support the key ${String(record['id'])}`);
			}
		}

		const attributes = record['attributes'] ?? {};
		if (typeof attributes !== 'object' || attributes === null || Array.isArray(attributes)) {
			throw apiError(400, 'INVALID_DATA_FORMAT', 'Invalid data format', 'Data is not a valid format.');
		}

		return attributes as Record<string, unknown>;
	};

	const asTrigger = (attributes: Record<string, unknown>, name: '_start' | '_interrupt'): boolean | undefined => {
		const value = attributes[name];
		if (value === undefined) return undefined;
		if (typeof value === 'boolean') return value;
		const cast = typeof value === 'string' || typeof value === 'number' ? castBoolean(String(value)) : undefined;
		if (cast === undefined) throw validationError(name, 'is not a boolean', 'invalid');
		return cast;
	};

	const optionalString = (attributes: Record<string, unknown>, name: string): string | null | undefined => {
		const value = attributes[name];
		if (value === undefined || value === null || typeof value === 'string') return value as string | null | undefined;
		throw validationError(name, 'is not a string', 'invalid');
	};

	const optionalObject = (attributes: Record<string, unknown>, name: string): Record<string, unknown> | null | undefined => {
		const value = attributes[name];
		if (value === undefined || value === null) return value as null | undefined;
		if (typeof value === 'object' && !Array.isArray(value)) return value as Record<string, unknown>;
		throw validationError(name, 'is not an object', 'invalid');
	};

	const rejectUnknown = (attributes: Record<string, unknown>, allowed: readonly string[]) => {
		for (const key of Object.keys(attributes)) {
			if (!allowed.includes(key)) throw apiError(400, 'PARAM_NOT_ALLOWED', 'Param not allowed', `${key} is not allowed.`);
		}
	};

	const updateExport = async (request: IncomingMessage, id: string, search: URLSearchParams) => {
		const params = parseQuery(search, new Set(['fields', 'include']));
		const attributes = await readDocument(request, id);
		rejectUnknown(attributes, ['_start', '_interrupt', 'reference', 'reference_origin', 'metadata']);
		const input: UpdateInput = {};
		const start = asTrigger(attributes, '_start');
		const interrupt = asTrigger(attributes, '_interrupt');
		if (start !== undefined) input._start = start;
		if (interrupt !== undefined) input._interrupt = interrupt;
		if ('reference' in attributes) input.reference = optionalString(attributes, 'reference');
		if ('reference_origin' in attributes) input.reference_origin = optionalString(attributes, 'reference_origin');
		if ('metadata' in attributes) input.metadata = clone(optionalObject(attributes, 'metadata'));
		const result = store.update(id, input);
		if (!result) throw notFound();
		if (!result.ok) throw transitionError(result.error);
		return {data: serialize(result.item, attributesOf(result.item), params.fields, params.include)};
	};

	const createExport = async (request: IncomingMessage, search: URLSearchParams) => {
		const params = parseQuery(search, new Set(['fields', 'include']));
		const attributes = await readDocument(request);
		rejectUnknown(attributes, ['resource_type', 'format', 'includes', 'fields', 'filters', 'dry_data', 'jwt_filters', 'reference', 'reference_origin', 'metadata']);
		const resourceType = attributes['resource_type'];
		if (resourceType === undefined || resourceType === null || resourceType === '') throw validationError('resource_type', "can't be blank", 'blank');
		if (typeof resourceType !== 'string' || !exportableTypes.has(resourceType)) {
			throw validationError('resource_type', 'is not included in the list', 'inclusion', {value: resourceType});
		}

		const format = attributes['format'] ?? 'json';
		if (format !== 'json' && format !== 'csv') throw validationError('format', 'is not included in the list', 'inclusion', {value: format});
		const list = (name: string): string[] | undefined => {
			const value = attributes[name];
			if (value === undefined || value === null) return undefined;
			if (Array.isArray(value) && value.every(entry => typeof entry === 'string')) return value as string[];
			throw validationError(name, 'is not an array of strings', 'invalid');
		};

		const input: CreateInput = {resource_type: resourceType, format};
		const includes = list('includes');
		const fields = list('fields');
		const filters = optionalObject(attributes, 'filters');
		if (includes) input.includes = includes;
		if (fields) input.fields = fields;
		if (filters) input.filters = clone(filters);
		if (typeof attributes['dry_data'] === 'boolean') input.dry_data = attributes['dry_data'];
		input.reference = optionalString(attributes, 'reference') ?? null;
		input.reference_origin = optionalString(attributes, 'reference_origin') ?? null;
		input.metadata = clone(optionalObject(attributes, 'metadata')) ?? {};
		const item = store.create(input);
		return {data: serialize(item, attributesOf(item), params.fields, params.include)};
	};

	const relatedCollection = (id: string, name: string) => {
		const item = store.get(id);
		if (!item) throw notFound();
		const data = name === 'events' ? store.eventsOf(item).map(eventResource) : [];
		const self = `${exportLink(id)}/${name}`;
		return {
			data,
			meta: {record_count: data.length, page_count: data.length > 0 ? 1 : 0},
			links: {first: `${self}?${toQuery([['page[number]', '1'], ['page[size]', '10']])}`, last: `${self}?${toQuery([['page[number]', '1'], ['page[size]', '10']])}`},
		};
	};

	/** Routes `/api/*` once the request is authenticated and accepts JSON:API. */
	const routeApi = async (request: IncomingMessage, method: string, path: string, search: URLSearchParams): Promise<{status: number; body?: unknown}> => {
		const parts = path.split('/').filter(Boolean).map(part => decodeURIComponent(part));
		const [, resource, id, related, ...rest] = parts;
		if (resource !== 'exports' || rest.length > 0) throw apiError(404, 'NOT_FOUND', 'Not found', `The requested resource could not be found: ${method} ${path}`);
		const notAllowed = () => apiError(405, 'METHOD_NOT_ALLOWED', 'Method not allowed', `${method} is not allowed on ${path}`);
		if (id === undefined) {
			if (method === 'GET') return {status: 200, body: listExports(search)};
			if (method === 'POST') return {status: 201, body: await createExport(request, search)};
			throw notAllowed();
		}

		if (related !== undefined) {
			if (!relatedTypes.has(related)) throw apiError(404, 'NOT_FOUND', 'Not found', `The requested resource could not be found: ${method} ${path}`);
			if (method !== 'GET') throw notAllowed();
			return {status: 200, body: relatedCollection(id, related)};
		}

		switch (method) {
			case 'GET': {
				return {status: 200, body: retrieveExport(id, search)};
			}

			case 'PATCH': {
				return {status: 200, body: await updateExport(request, id, search)};
			}

			case 'DELETE': {
				if (!store.delete(id)) throw notFound();
				return {status: 204};
			}

			default: {
				throw notAllowed();
			}
		}
	};

	const takeFault = (method: string, path: string, search: string): DemoFault | undefined => {
		const index = faults.findIndex(({fault}) => {
			if (fault.method && fault.method.toUpperCase() !== method) return false;
			if (fault.path === undefined) return true;
			if (typeof fault.path === 'string') return fault.path === path || fault.path === path + search;
			fault.path.lastIndex = 0;
			if (fault.path.test(path)) return true;
			fault.path.lastIndex = 0;
			return fault.path.test(path + search);
		});
		const entry = faults[index];
		if (!entry) return undefined;
		entry.left--;
		if (entry.left <= 0) faults.splice(index, 1);
		return entry.fault;
	};

	/** The lasting fault (`modes`) this request meets, if any. */
	const lastingFault = (method: string, path: string): {kind: 'reset'} | {kind: 'status'; status: number; headers?: Record<string, string>} | undefined => {
		if (path === '/oauth/token') {
			return modes.tokenStatus === undefined ? undefined : {kind: 'status', status: modes.tokenStatus};
		}

		if (path !== '/api' && !path.startsWith('/api/')) return undefined;
		if (modes.storm === 'reset') return {kind: 'reset'};
		if (modes.storm !== undefined) return {kind: 'status', status: modes.storm};
		const share = modes.rateLimitedShare ?? 0;
		if (method === 'GET' && share > 0 && faultRandom.next() < share) {
			return {kind: 'status', status: 429, headers: {'Retry-After': String(modes.rateLimitedRetryAfter ?? 2)}};
		}

		return undefined;
	};

	/**
	 * One more request of a class (reads, or writes) in its sliding window: the X-Ratelimit-*
	 * headers for the answer, or a 429 with Retry-After (seconds until the oldest request of the
	 * class in the window leaves it).
	 */
	const countRequest = (counted: number[]): Record<string, string> => {
		if (!rateLimit) return {};
		const at = now();
		while (counted.length > 0 && (counted[0] ?? 0) <= at - rateLimit.windowMs) counted.shift();
		const interval = String(Math.round(rateLimit.windowMs / 1000));
		const limitHeaders = {'X-Ratelimit-Limit': String(rateLimit.limit), 'X-Ratelimit-Interval': interval};
		if (counted.length >= rateLimit.limit) {
			const retryAfter = Math.max(1, Math.ceil(((counted[0] ?? at) + rateLimit.windowMs - at) / 1000));
			const detail = `You have exceeded the rate limit of ${rateLimit.limit} requests per ${interval} seconds. Retry in ${retryAfter} seconds.`;
			throw new HttpError(429, [{title: 'Too many requests', detail, code: 'TOO_MANY_REQUESTS', status: '429'}], {
				'Retry-After': String(retryAfter),
				...limitHeaders,
				'X-Ratelimit-Remaining': '0',
			});
		}

		counted.push(at);
		return {...limitHeaders, 'X-Ratelimit-Remaining': String(rateLimit.limit - counted.length)};
	};

	const handle = async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
		const method = (request.method ?? 'GET').toUpperCase();
		const url = new URL(request.url ?? '/', 'http://demo.invalid');
		const path = url.pathname;
		const entry: DemoRequest = {
			method,
			path,
			search: url.search.replace(/^\?/, ''),
			query: Object.fromEntries(url.searchParams),
			authorization: request.headers.authorization,
			headers: {...(request.headers as IncomingHttpHeaders)},
			status: 0,
			at: now(),
		};

		const log = () => {
			// Bounded, for a demo server left running in watch mode for days.
			if (requests.length >= maxLoggedRequests) requests.splice(0, requests.length - maxLoggedRequests + 1);
			requests.push(entry);
		};

		// Logged as the answer goes out, so a test that has its response also finds the entry.
		const send = (status: number, body: string | Buffer | undefined, headers: Record<string, string | number> = {}) => {
			entry.status = status;
			log();
			const payload = body === undefined ? undefined : typeof body === 'string' ? Buffer.from(body) : body;
			response.writeHead(status, {...(payload ? {'Content-Length': payload.length} : {}), ...headers});
			response.end(method === 'HEAD' ? undefined : payload);
		};

		const sendJson = (status: number, body: unknown, headers: Record<string, string | number> = {}, contentType = jsonApi) => {
			send(status, body === undefined ? undefined : JSON.stringify(body), body === undefined ? headers : {'Content-Type': contentType, ...headers});
		};

		const fault = takeFault(method, path, url.search);
		if (fault) {
			switch (fault.kind) {
				case 'status': {
					const body = fault.body === undefined ? defaultErrorBody(fault.status) : fault.body;
					if (typeof body === 'string') send(fault.status, body, {'Content-Type': 'text/plain; charset=utf-8', ...fault.headers});
					else sendJson(fault.status, body, fault.headers);
					return;
				}

				case 'malformed': {
					send(200, '{"data":[{"id":"XAyRWNUzyN","type":"exports","attributes":{"status":"compl', {'Content-Type': jsonApi});
					return;
				}

				case 'html': {
					const title = `${fault.status} ${statusText(fault.status)}`;
					send(fault.status, `<html>\r\n<head><title>${title}</title></head>\r\n<body>\r\n<center><h1>${title}</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n`, {
						'Content-Type': 'text/html',
					});
					return;
				}

				case 'reset': {
					log();
					const socket = request.socket as typeof request.socket & {resetAndDestroy?: () => void};
					if (typeof socket.resetAndDestroy === 'function') socket.resetAndDestroy();
					else socket.destroy();
					return;
				}

				case 'hang': {
					log();
					return;
				}
			}
		}

		const lasting = lastingFault(method, path);
		if (lasting) {
			if (lasting.kind === 'reset') {
				log();
				const socket = request.socket as typeof request.socket & {resetAndDestroy?: () => void};
				if (typeof socket.resetAndDestroy === 'function') socket.resetAndDestroy();
				else socket.destroy();
				return;
			}

			sendJson(lasting.status, defaultErrorBody(lasting.status), lasting.headers, path === '/oauth/token' ? 'application/json; charset=utf-8' : jsonApi);
			return;
		}

		try {
			if (path === '/oauth/token') {
				if (method !== 'POST') throw apiError(405, 'METHOD_NOT_ALLOWED', 'Method not allowed', `${method} is not allowed on ${path}`);
				const fields = grantFields(await readBody(request), request.headers['content-type'] ?? '', request.headers.authorization);
				const {status, body} = grant(fields, tokens, tokenTtlSeconds, now());
				sendJson(status, body, {'Cache-Control': 'no-store'}, 'application/json; charset=utf-8');
				return;
			}

			if (path.startsWith('/attachments/') && (method === 'GET' || method === 'HEAD')) {
				const {status, body, headers} = serveAttachment(path.slice('/attachments/'.length), url.searchParams);
				send(status, body, headers);
				return;
			}

			if (path !== '/api' && !path.startsWith('/api/')) {
				throw apiError(404, 'NOT_FOUND', 'Not found', `The requested resource could not be found: ${method} ${path}`);
			}

			if (latencyMs > 0) await delay(latencyMs, timers);
			// Reads (the exports' uncacheable read class) and writes (POST, PATCH, DELETE) are limited
			// apart, with the same numbers in test mode.
			const headers = countRequest(method === 'GET' ? reads : writes);
			try {
				if (!tokens.accepts(request.headers.authorization)) throw new HttpError(401, invalidToken.errors);
				if (!acceptsJsonApi(request.headers.accept)) {
					throw apiError(
						406,
						'NOT_ACCEPTABLE',
						'Not acceptable',
						`All requests must use the '${jsonApi}' Accept without media type parameters. This request specified '${request.headers.accept ?? ''}'.`,
					);
				}

				const {status, body} = await routeApi(request, method, path, url.searchParams);
				sendJson(status, body, headers);
			} catch (error) {
				if (error instanceof HttpError) Object.assign(error.headers, {...headers, ...error.headers});
				throw error;
			}
		} catch (error) {
			if (response.headersSent || response.destroyed) return;
			if (error instanceof HttpError) {
				sendJson(error.status, {errors: error.errors}, error.headers);
				return;
			}

			sendJson(500, internalError);
		}
	};

	const serveAttachment = (file: string, query: URLSearchParams): {status: number; body: string | Buffer; headers: Record<string, string>} => {
		const requestId = hashSeed(file, query.toString()).toString(16).toUpperCase().padStart(8, '0');
		const xml = {'Content-Type': 'application/xml'};
		const check = checkAttachment(signingKey, file, query, now());
		if (check === 'bad_signature') {
			return {
				status: 403,
				body: s3Error('SignatureDoesNotMatch', 'The request signature we calculated does not match the signature you provided. Check your key and signing method.', requestId),
				headers: xml,
			};
		}

		if (check === 'expired') return {status: 403, body: s3Error('AccessDenied', 'Request has expired', requestId), headers: xml};
		const match = /^([^/.]+)\.(json|csv)\.gz$/.exec(file);
		const item = match ? store.get(match[1] ?? '') : undefined;
		if (!item || item.status !== 'completed' || attachmentFileName(item) !== file) {
			return {status: 404, body: s3Error('NoSuchKey', 'The specified key does not exist.', requestId), headers: xml};
		}

		const body = attachmentBody(item, seed, files);
		return {
			status: 200,
			body,
			headers: {
				'Content-Type': 'application/gzip',
				'Content-Disposition': `attachment; filename="${file}"`,
				ETag: `"${hashSeed(item.id, body.length).toString(16)}"`,
				'Last-Modified': new Date(item.completed_at ?? item.updated_at).toUTCString(),
			},
		};
	};

	const server = createServer((request, response) => {
		handle(request, response).catch(() => {
			// Only reachable if answering itself failed (e.g. the socket went away): drop the connection.
			response.destroy();
		});
	});

	await new Promise<void>((resolve, reject) => {
		server.once('error', reject);
		server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => {
			server.off('error', reject);
			resolve();
		});
	});

	const address = server.address() as AddressInfo;
	const host = address.family === 'IPv6' || address.address.includes(':') ? `[${address.address}]` : address.address;
	origin = `http://${host}:${address.port}`;
	const token = tokens.issue(longLivedTtlSeconds, 'market:all');

	let closing: Promise<void> | undefined;
	return {
		url: origin,
		token,
		clientId: demoClientId,
		clientSecret: demoClientSecret,
		organization: demoOrganization,
		requests,
		clearRequests() {
			requests.length = 0;
		},
		injectFault(fault) {
			faults.push({fault, left: fault.times ?? 1});
		},
		setFaults(next) {
			modes = {...next};
		},
		get faults() {
			return modes;
		},
		allExports() {
			return store.all().map(item => serialize(item, attributesOf(item)));
		},
		close() {
			closing ??= new Promise<void>(resolve => {
				for (const timer of timers) clearTimeout(timer);
				timers.clear();
				server.close(() => {
					resolve();
				});
				server.closeAllConnections();
			});
			return closing;
		},
	};
}

