// The client against the embedded demo API (source/demo/server.ts), over loopback HTTP.
// Expected results are computed here from `allExports()` with the semantics Commerce Layer gets
// from Ransack on PostgreSQL, independently of the demo's own evaluator.
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {clientCredentials, staticToken} from '../source/api/auth.js';
import {createClient, type ExportsClient, type RetryNotice} from '../source/api/client.js';
import {ApiError, isAbortError} from '../source/api/errors.js';
import {sortableFields, type SortableField} from '../source/api/fields.js';
import {createRateLimiter} from '../source/api/rate-limit.js';
import type {ExportRecord, Filters, ListRequest} from '../source/api/types.js';
import {startDemoServer, type DemoServer} from '../source/demo/server.js';
import {waitFor} from './helpers/api-loopback.js';

// A fixed clock: in-progress exports only move when a test moves it.
const anchor = Date.UTC(2026, 5, 15, 12, 0, 0);

const clock = anchor;
let demo: DemoServer;
let client: ExportsClient;
let all: ExportRecord[];

beforeAll(async () => {
	demo = await startDemoServer({now: () => clock, rateLimit: false});
	client = createClient({
		baseUrl: demo.url,
		auth: clientCredentials({authUrl: `${demo.url}/oauth/token`, clientId: demo.clientId, clientSecret: demo.clientSecret, now: () => clock}),
		rateLimit: false,
	});
	all = demo.allExports();
});

afterAll(async () => {
	await demo.close();
});

/** Every record under the query, page by page, checking meta on each page. */
async function walk(query: Omit<ListRequest, 'page' | 'size'>, size = 25): Promise<ExportRecord[]> {
	const first = await client.listExports({...query, page: 1, size});
	const records = [...first.data];
	for (let page = 2; page <= first.meta.page_count; page++) {
		const next = await client.listExports({...query, page, size});
		expect(next.meta).toEqual(first.meta);
		records.push(...next.data);
	}

	expect(records).toHaveLength(first.meta.record_count);
	expect(first.meta.page_count).toBe(Math.ceil(first.meta.record_count / size));
	return records;
}

const ids = (records: ExportRecord[]) => records.map(record => record.id);
const attribute = (record: ExportRecord, field: string): unknown => (field === 'id' ? record.id : record.attributes[field]);
const isNull = (value: unknown) => value === null || value === undefined;
const text = (value: unknown) => (typeof value === 'string' ? value.toLowerCase() : '');

describe('demo: pagination', () => {
	it('serves the first, a middle and the last page with the right meta and links', async () => {
		expect(all.length).toBe(300);
		const pageCount = Math.ceil(all.length / 7);
		const first = await client.listExports({page: 1, size: 7, sort: ['-created_at']});
		expect(first.data).toHaveLength(7);
		expect(first.meta).toEqual({record_count: all.length, page_count: pageCount});
		expect(first.links.first).toBeDefined();
		expect(first.links.prev).toBeUndefined();
		expect(first.links.next).toBeDefined();
		expect(decodeURIComponent(first.links.next ?? '')).toContain('page[number]=2');
		expect(decodeURIComponent(first.links.next ?? '')).toContain('sort=-created_at');

		const middle = await client.listExports({page: 20, size: 7, sort: ['-created_at']});
		expect(middle.data).toHaveLength(7);
		expect(decodeURIComponent(middle.links.prev ?? '')).toContain('page[number]=19');
		expect(decodeURIComponent(middle.links.next ?? '')).toContain('page[number]=21');

		const last = await client.listExports({page: pageCount, size: 7, sort: ['-created_at']});
		expect(last.data).toHaveLength(all.length - 7 * (pageCount - 1));
		expect(last.links.next).toBeUndefined();
		expect(decodeURIComponent(last.links.last ?? '')).toContain(`page[number]=${pageCount}`);
	});

	it('answers past the last page with no data and the real meta', async () => {
		const pageCount = Math.ceil(all.length / 25);
		const past = await client.listExports({page: pageCount + 3, size: 25});
		expect(past.data).toEqual([]);
		expect(past.meta).toEqual({record_count: all.length, page_count: pageCount});
		expect(past.links.next).toBeUndefined();
	});

	it('walks every export exactly once', async () => {
		const records = await walk({sort: ['-created_at']}, 7);
		expect(new Set(ids(records)).size).toBe(all.length);
		expect(new Set(ids(records))).toEqual(new Set(ids(all)));
	});

	it('repeats the filter in the links', async () => {
		const page = await client.listExports({page: 1, size: 5, filters: {status_in: ['completed', 'failed']}});
		expect(decodeURIComponent(page.links.next ?? '')).toContain('filter[q][status_in]=completed,failed');
	});

	it('refuses a page size over 25 on the client, and the server agrees', async () => {
		await expect(client.listExports({page: 1, size: 26})).rejects.toThrow(/page size/);
		const token = demo.token;
		const response = await fetch(`${demo.url}/api/exports?page%5Bsize%5D=26`, {
			headers: {Accept: 'application/vnd.api+json', Authorization: `Bearer ${token}`},
		});
		expect(response.status).toBe(400);
		const body = (await response.json()) as {errors: Array<{code: string}>};
		expect(body.errors[0]?.code).toBe('INVALID_PAGE_VALUE');
	});
});

/** PostgreSQL order: NULLs last ascending, first descending; strings by code unit; ties by id. */
function expectedOrder(records: ExportRecord[], field: SortableField, descending: boolean): string[] {
	const sorted = [...records].sort((left, right) => {
		const a = attribute(left, field);
		const b = attribute(right, field);
		let order: number;
		if (isNull(a) || isNull(b)) {
			order = isNull(a) && isNull(b) ? 0 : isNull(a) ? 1 : -1;
			order = descending ? -order : order;
		} else {
			order = (a as string) < (b as string) ? -1 : (a as string) > (b as string) ? 1 : 0;
			order = descending ? -order : order;
		}

		return order === 0 ? (left.id < right.id ? -1 : left.id > right.id ? 1 : 0) : order;
	});
	return ids(sorted);
}

describe('demo: sorting', () => {
	for (const field of sortableFields) {
		for (const descending of [false, true]) {
			const spec = `${descending ? '-' : ''}${field}`;
			it(`sorts by ${spec}`, async () => {
				const records = await walk({sort: [spec]});
				const values = records.map(record => attribute(record, field)).filter(value => !isNull(value)) as Array<string | number>;
				for (let index = 1; index < values.length; index++) {
					const previous = values[index - 1] as string | number;
					const current = values[index] as string | number;
					expect(descending ? previous >= current : previous <= current, `${spec}: ${String(previous)} then ${String(current)}`).toBe(true);
				}

				expect(ids(records)).toEqual(expectedOrder(all, field, descending));
			});
		}
	}

	it('sorts by several keys', async () => {
		const records = await walk({sort: ['status', '-created_at']});
		for (let index = 1; index < records.length; index++) {
			const previous = records[index - 1] as ExportRecord;
			const current = records[index] as ExportRecord;
			const byStatus = String(previous.attributes.status) < String(current.attributes.status);
			const sameStatus = previous.attributes.status === current.attributes.status;
			expect(byStatus || (sameStatus && String(previous.attributes.created_at) >= String(current.attributes.created_at))).toBe(true);
		}
	});

	it('rejects an unknown sort field with INVALID_SORT_CRITERIA', async () => {
		const error = await client.listExports({page: 1, size: 5, sort: ['metadata']}).catch((error_: unknown) => error_);
		expect(error).toBeInstanceOf(ApiError);
		expect((error as ApiError).status).toBe(400);
		expect((error as ApiError).code).toBe('INVALID_SORT_CRITERIA');
		expect((error as ApiError).message).toBe('Invalid sort criteria: metadata is not a valid sort criteria for exports');
	});
});

type Case = {name: string; filters: Filters; expected: (record: ExportRecord) => boolean};

function metadataCase(): Case {
	for (const record of all) {
		const metadata = record.attributes.metadata;
		if (metadata && typeof metadata === 'object') {
			for (const [key, value] of Object.entries(metadata)) {
				if (typeof value === 'string' && key.length > 0) {
					return {
						name: `metadata_jcont {"${key}": "${value}"}`,
						filters: {metadata_jcont: {[key]: value}},
						expected: candidate => candidate.attributes.metadata?.[key] === value,
					};
				}
			}
		}
	}

	throw new Error('no export has string metadata');
}

function middleCreatedAt(): string {
	const dates = all.map(record => String(record.attributes.created_at)).sort();
	return dates[Math.floor(dates.length / 2)] ?? '';
}

describe('demo: filtering', () => {
	const cases = (): Case[] => {
		const middle = middleCreatedAt();
		const day = middle.slice(0, 10);
		return [
			{name: 'eq', filters: {status_eq: 'completed'}, expected: r => r.attributes.status === 'completed'},
			{name: 'not_eq', filters: {status_not_eq: 'completed'}, expected: r => r.attributes.status !== 'completed'},
			{name: 'in', filters: {status_in: ['failed', 'interrupted']}, expected: r => ['failed', 'interrupted'].includes(String(r.attributes.status))},
			{name: 'not_in', filters: {status_not_in: ['completed', 'failed']}, expected: r => !['completed', 'failed'].includes(String(r.attributes.status))},
			{name: 'cont (case-insensitive)', filters: {resource_type_cont: 'SKU'}, expected: r => text(r.attributes.resource_type).includes('sku')},
			{
				name: 'not_cont (NULL excluded)',
				filters: {reference_not_cont: 'sale'},
				expected: r => !isNull(r.attributes.reference) && !text(r.attributes.reference).includes('sale'),
			},
			{name: 'start', filters: {reference_start: 'summer'}, expected: r => text(r.attributes.reference).startsWith('summer')},
			{name: 'end', filters: {resource_type_end: '_items'}, expected: r => text(r.attributes.resource_type).endsWith('_items')},
			{name: 'matches (LIKE)', filters: {reference_matches: 'summer%recap'}, expected: r => /^summer.*recap$/is.test(String(r.attributes.reference ?? ''))},
			{name: 'gt (integer)', filters: {records_count_gt: 1000}, expected: r => typeof r.attributes.records_count === 'number' && r.attributes.records_count > 1000},
			{name: 'lteq (integer)', filters: {records_count_lteq: 100}, expected: r => typeof r.attributes.records_count === 'number' && r.attributes.records_count <= 100},
			{name: 'gteq (date-time)', filters: {created_at_gteq: middle}, expected: r => Date.parse(String(r.attributes.created_at)) >= Date.parse(middle)},
			{name: 'lt (date only)', filters: {created_at_lt: day}, expected: r => Date.parse(String(r.attributes.created_at)) < Date.parse(`${day}T00:00:00Z`)},
			{name: 'null', filters: {completed_at_null: true}, expected: r => isNull(r.attributes.completed_at)},
			{name: 'not_null', filters: {interrupted_at_not_null: true}, expected: r => !isNull(r.attributes.interrupted_at)},
			{name: 'present', filters: {reference_present: true}, expected: r => !isNull(r.attributes.reference) && r.attributes.reference !== ''},
			{name: 'blank', filters: {reference_blank: true}, expected: r => isNull(r.attributes.reference) || r.attributes.reference === ''},
			{
				name: 'start_any',
				filters: {resource_type_start_any: ['ord', 'sku']},
				expected: r => text(r.attributes.resource_type).startsWith('ord') || text(r.attributes.resource_type).startsWith('sku'),
			},
			{
				name: 'cont_all',
				filters: {reference_cont_all: ['summer', 'recap']},
				expected: r => text(r.attributes.reference).includes('summer') && text(r.attributes.reference).includes('recap'),
			},
			{
				name: '_or_ search',
				filters: {reference_or_reference_origin_or_resource_type_cont: 'erp'},
				expected: r => ['reference', 'reference_origin', 'resource_type'].some(field => text(r.attributes[field]).includes('erp')),
			},
			{
				name: 'AND of several filters',
				filters: {status_eq: 'completed', format_eq: 'csv', records_count_gteq: 500},
				expected: r => r.attributes.status === 'completed' && r.attributes.format === 'csv' && Number(r.attributes.records_count) >= 500,
			},
			metadataCase(),
		];
	};

	it('returns exactly the matching exports for each predicate family', async () => {
		for (const {name, filters, expected} of cases()) {
			const want = ids(all.filter(expected));
			expect(want.length, `${name}: the demo data should have matches`).toBeGreaterThan(0);
			const got = await walk({filters, sort: ['id']});
			expect([...ids(got)].sort(), name).toEqual([...want].sort());
			expect(await client.countExports(filters), name).toBe(want.length);
		}
	});

	it('narrows to nothing when nothing matches', async () => {
		const page = await client.listExports({page: 1, size: 25, filters: {reference_eq: 'no such reference, anywhere'}});
		expect(page.data).toEqual([]);
		expect(page.meta).toEqual({record_count: 0, page_count: 0});
	});
});

describe('demo: sparse fields and single exports', () => {
	it('returns only the requested fields', async () => {
		const page = await client.listExports({page: 1, size: 25, fields: ['status', 'resource_type']});
		expect(page.data).toHaveLength(25);
		for (const record of page.data) {
			expect(Object.keys(record.attributes).sort()).toEqual(['resource_type', 'status']);
		}
	});

	it('gets one export by id', async () => {
		const wanted = all[17] as ExportRecord;
		const record = await client.getExport(wanted.id);
		expect(record.id).toBe(wanted.id);
		expect(record.attributes.status).toBe(wanted.attributes.status);
		expect(record.attributes.created_at).toBe(wanted.attributes.created_at);
	});

	it('answers 404 RECORD_NOT_FOUND for an unknown id', async () => {
		const error = await client.getExport('NoSuchId00').catch((error_: unknown) => error_);
		expect(error).toBeInstanceOf(ApiError);
		expect((error as ApiError).status).toBe(404);
		expect((error as ApiError).code).toBe('RECORD_NOT_FOUND');
		expect((error as ApiError).message).toBe('Record not found: The requested resource was not found. Please double-check the resource id.');
	});
});

describe('demo: tokens', () => {
	it('refreshes an expired token once and replays once when the server says INVALID_TOKEN', async () => {
		let serverClock = anchor;
		const server = await startDemoServer({now: () => serverClock, tokenTtlSeconds: 120, rateLimit: false});
		try {
			// The client's clock stands still, so only the server knows the token expired.
			const auth = clientCredentials({authUrl: `${server.url}/oauth/token`, clientId: server.clientId, clientSecret: server.clientSecret, now: () => anchor});
			const local = createClient({baseUrl: server.url, auth, rateLimit: false});
			await local.listExports({page: 1, size: 5});
			expect(server.requests.filter(request => request.path === '/oauth/token')).toHaveLength(1);
			serverClock += 121_000;
			server.clearRequests();
			const page = await local.listExports({page: 1, size: 5});
			expect(page.data).toHaveLength(5);
			expect(server.requests.map(request => `${request.method} ${request.path} ${request.status}`)).toEqual([
				'GET /api/exports 401',
				'POST /oauth/token 200',
				'GET /api/exports 200',
			]);
			const [rejected, , replay] = server.requests;
			expect(replay?.authorization).not.toBe(rejected?.authorization);
		} finally {
			await server.close();
		}
	});

	it('renews a token before it expires when the clocks agree, with no 401', async () => {
		let sharedClock = anchor;
		const server = await startDemoServer({now: () => sharedClock, tokenTtlSeconds: 120, rateLimit: false});
		try {
			const auth = clientCredentials({authUrl: `${server.url}/oauth/token`, clientId: server.clientId, clientSecret: server.clientSecret, now: () => sharedClock});
			const local = createClient({baseUrl: server.url, auth, rateLimit: false});
			await local.listExports({page: 1, size: 5});
			sharedClock += 100_000;
			await local.listExports({page: 1, size: 5});
			sharedClock += 10_000;
			server.clearRequests();
			await local.listExports({page: 1, size: 5});
			expect(server.requests.map(request => `${request.method} ${request.path} ${request.status}`)).toEqual([
				'POST /oauth/token 200',
				'GET /api/exports 200',
			]);
		} finally {
			await server.close();
		}
	});

	it('reports a rejected static token clearly', async () => {
		const local = createClient({baseUrl: demo.url, auth: staticToken('not-a-demo-token'), rateLimit: false});
		const error = await local.listExports({page: 1, size: 5}).catch((error_: unknown) => error_);
		expect((error as ApiError).message).toBe('Token rejected: The access token you provided is invalid. Check CL_ACCESS_TOKEN.');
	});

	it('rejects wrong client credentials with the auth error', async () => {
		const auth = clientCredentials({authUrl: `${demo.url}/oauth/token`, clientId: demo.clientId, clientSecret: 'wrong-secret-value'});
		const local = createClient({baseUrl: demo.url, auth, rateLimit: false});
		const error = await local.listExports({page: 1, size: 5}).catch((error_: unknown) => error_);
		expect(error).toBeInstanceOf(ApiError);
		expect((error as ApiError).kind).toBe('auth');
		expect((error as ApiError).message).toMatch(/^Authentication failed \(invalid_client\): /);
		expect((error as ApiError).message).not.toContain('wrong-secret-value');
	});
});

describe('demo: rate limit and faults', () => {
	it('waits out a 429 from the demo and succeeds, telling onRetry', async () => {
		let serverClock = anchor;
		const server = await startDemoServer({now: () => serverClock, rateLimit: {limit: 3, windowMs: 10_000}});
		try {
			const notices: RetryNotice[] = [];
			const local = createClient({
				baseUrl: server.url,
				auth: staticToken(server.token),
				rateLimit: false,
				async sleep(ms) {
					serverClock += ms;
				},
			});
			for (let page = 1; page <= 4; page++) {
				await local.listExports({page, size: 5}, undefined, {onRetry: notice => notices.push(notice)});
			}

			expect(server.requests.map(request => request.status)).toEqual([200, 200, 200, 429, 200]);
			expect(notices).toEqual([{reason: 'rate_limited', attempt: 1, delayMs: 10_000, message: 'rate limited, retrying in 10 s', cause: 'rate limited', status: 429}]);
		} finally {
			await server.close();
		}
	});

	it('stays under the demo limit with the client-side limiter', async () => {
		let sharedClock = anchor;
		const server = await startDemoServer({now: () => sharedClock, rateLimit: {limit: 3, windowMs: 10_000}});
		try {
			const limiter = createRateLimiter({
				windows: [{limit: 3, windowMs: 10_000}],
				now: () => sharedClock,
				async sleep(ms) {
					sharedClock += ms;
				},
			});
			const local = createClient({baseUrl: server.url, auth: staticToken(server.token), rateLimit: limiter});
			for (let page = 1; page <= 7; page++) {
				await local.listExports({page, size: 5});
			}

			expect(server.requests.map(request => request.status)).toEqual([200, 200, 200, 200, 200, 200, 200]);
			expect(sharedClock - anchor).toBe(20_000);
		} finally {
			await server.close();
		}
	});

	it('retries an injected 500 and a reset on GET, and reports HTML and malformed bodies', async () => {
		const notices: RetryNotice[] = [];
		const local = createClient({
			baseUrl: demo.url,
			auth: staticToken(demo.token),
			rateLimit: false,
			retries: {baseDelayMs: 1},
		});
		demo.injectFault({kind: 'status', status: 500, path: '/api/exports', times: 1});
		demo.injectFault({kind: 'reset', path: /^\/api\/exports\/[^/]+$/, times: 1});
		const page = await local.listExports({page: 1, size: 5}, undefined, {onRetry: notice => notices.push(notice)});
		expect(page.data).toHaveLength(5);
		const record = await local.getExport(page.data[0]?.id ?? '', undefined, {onRetry: notice => notices.push(notice)});
		expect(record.id).toBe(page.data[0]?.id);
		expect(notices.map(notice => notice.reason)).toEqual(['server_error', 'network']);

		demo.injectFault({kind: 'html', status: 502, path: '/api/exports', times: 4});
		const html = await local.listExports({page: 1, size: 5}).catch((error_: unknown) => error_);
		expect((html as ApiError).message).toBe(`Bad Gateway: ${new URL(demo.url).host} answered 502 with an HTML page instead of JSON`);

		demo.injectFault({kind: 'malformed', path: '/api/exports', times: 1});
		const malformed = await local.listExports({page: 1, size: 5}).catch((error_: unknown) => error_);
		expect((malformed as ApiError).kind).toBe('invalid_response');
		expect((malformed as ApiError).message).toBe(`Unexpected response from ${new URL(demo.url).host}: the body of a 200 answer is not valid JSON`);
	});

	it('aborts a hanging request as an abort, not an error', async () => {
		const local = createClient({baseUrl: demo.url, auth: staticToken(demo.token), rateLimit: false});
		demo.injectFault({kind: 'hang', path: '/api/exports', times: 1});
		demo.clearRequests();
		const controller = new AbortController();
		const pending = local.listExports({page: 1, size: 5}, controller.signal).catch((error_: unknown) => error_);
		await waitFor(() => demo.requests.length === 1);
		controller.abort();
		expect(isAbortError(await pending)).toBe(true);
		expect(demo.requests).toHaveLength(1);
	});
});
