import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {sortableFields} from '../source/api/fields.js';
import type {ExportRecord} from '../source/api/types.js';
import {startDemoServer, type DemoServer} from '../source/demo/server.js';
import {api, createClock, errorOf, filters, listIds, query, type ListBody} from './helpers/demo.js';

let server: DemoServer;
let all: ExportRecord[];
const clock = createClock();

beforeAll(async () => {
	server = await startDemoServer({now: clock.now, rateLimit: false});
	all = server.allExports();
});

afterAll(async () => {
	await server.close();
});

const allAttributes = [
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
];

function valueOf(record: ExportRecord, field: string): unknown {
	return field === 'id' ? record.id : record.attributes[field];
}

/** PostgreSQL's order: NULLS LAST ascending, NULLS FIRST descending; ties by id. */
function expectedOrder(records: ExportRecord[], keys: Array<[string, boolean]>): string[] {
	return [...records]
		.sort((a, b) => {
			for (const [field, descending] of keys) {
				const left = valueOf(a, field) as string | number | null;
				const right = valueOf(b, field) as string | number | null;
				if (left === right) {
					continue;
				}

				if (left === null) {
					return descending ? -1 : 1;
				}

				if (right === null) {
					return descending ? 1 : -1;
				}

				const order = left < right ? -1 : 1;
				return descending ? -order : order;
			}

			return a.id < b.id ? -1 : 1;
		})
		.map(record => record.id);
}

describe('demo API: GET /api/exports pagination', () => {
	it('defaults to page 1 of 10 and reports record_count and page_count', async () => {
		const reply = await api<ListBody>(server, '/api/exports');
		expect(reply.status).toBe(200);
		expect(reply.headers.get('content-type')).toBe('application/vnd.api+json');
		expect(reply.body.data).toHaveLength(10);
		expect(reply.body.meta).toEqual({record_count: 300, page_count: 30});
		// No sort given: by id, like JSON:API Resources' default.
		expect(reply.body.data.map(record => record.id)).toEqual(expectedOrder(all, [['id', false]]).slice(0, 10));
		expect(reply.body.links['prev']).toBeUndefined();
		expect(reply.body.links['next']).toBe(`${server.url}/api/exports?page%5Bnumber%5D=2&page%5Bsize%5D=10`);
	});

	it('returns the right slice on first, middle and last pages, with links repeating the whole query', async () => {
		const params = {sort: '-created_at', 'page[size]': 7, ...filters({status_not_eq: 'pending', reference_or_resource_type_cont: 'sku'})};
		const expected = expectedOrder(
			all.filter(
				record =>
					record.attributes.status !== 'pending' &&
					[record.attributes.reference, record.attributes.resource_type].some(value => typeof value === 'string' && value.toLowerCase().includes('sku')),
			),
			[['created_at', true]],
		);
		const pageCount = Math.ceil(expected.length / 7);
		expect(pageCount).toBeGreaterThan(3);
		const encodedQuery = (page: number) =>
			`filter%5Bq%5D%5Breference_or_resource_type_cont%5D=sku&filter%5Bq%5D%5Bstatus_not_eq%5D=pending&page%5Bnumber%5D=${page}&page%5Bsize%5D=7&sort=-created_at`;

		const first = await api<ListBody>(server, `/api/exports?${query({...params, 'page[number]': 1})}`);
		expect(first.body.meta).toEqual({record_count: expected.length, page_count: pageCount});
		expect(first.body.data.map(record => record.id)).toEqual(expected.slice(0, 7));
		expect(first.body.links).toEqual({
			first: `${server.url}/api/exports?${encodedQuery(1)}`,
			next: `${server.url}/api/exports?${encodedQuery(2)}`,
			last: `${server.url}/api/exports?${encodedQuery(pageCount)}`,
			self: `${server.url}/api/exports?${encodedQuery(1)}`,
		});

		const middle = await api<ListBody>(server, `/api/exports?${query({...params, 'page[number]': 2})}`);
		expect(middle.body.data.map(record => record.id)).toEqual(expected.slice(7, 14));
		expect(middle.body.links['prev']).toBe(`${server.url}/api/exports?${encodedQuery(1)}`);
		expect(middle.body.links['next']).toBe(`${server.url}/api/exports?${encodedQuery(3)}`);

		const last = await api<ListBody>(server, `/api/exports?${query({...params, 'page[number]': pageCount})}`);
		expect(last.body.data.map(record => record.id)).toEqual(expected.slice((pageCount - 1) * 7));
		expect(last.body.links['next']).toBeUndefined();
		expect(last.body.links['prev']).toBe(`${server.url}/api/exports?${encodedQuery(pageCount - 1)}`);
	});

	it('percent-encodes link values like Rails (commas, JSON, spaces as +)', async () => {
		const reply = await api<ListBody>(
			server,
			`/api/exports?${query({'fields[exports]': 'status,reference', ...filters({metadata_jcont: '{"requested_by":"ops@acme.test"}', reference_cont: 'summer sale'}), 'page[size]': 1})}`,
		);
		expect(reply.body.links['first']).toBe(
			`${server.url}/api/exports?fields%5Bexports%5D=status%2Creference&filter%5Bq%5D%5Bmetadata_jcont%5D=%7B%22requested_by%22%3A%22ops%40acme.test%22%7D&filter%5Bq%5D%5Breference_cont%5D=summer+sale&page%5Bnumber%5D=1&page%5Bsize%5D=1`,
		);
	});

	it('answers past the end with 200, empty data and the real counts', async () => {
		const reply = await api<ListBody>(server, `/api/exports?${query({'page[number]': 99, 'page[size]': 25})}`);
		expect(reply.status).toBe(200);
		expect(reply.body.data).toEqual([]);
		expect(reply.body.meta).toEqual({record_count: 300, page_count: 12});
		expect(reply.body.links['next']).toBeUndefined();
		expect(reply.body.links['prev']).toBe(`${server.url}/api/exports?page%5Bnumber%5D=98&page%5Bsize%5D=25`);
		expect(reply.body.links['last']).toBe(`${server.url}/api/exports?page%5Bnumber%5D=12&page%5Bsize%5D=25`);
	});

	it('reports zero pages for an empty result', async () => {
		const reply = await api<ListBody>(server, `/api/exports?${query(filters({status_eq: 'nothing'}))}`);
		expect(reply.body).toMatchObject({data: [], meta: {record_count: 0, page_count: 0}});
		expect(reply.body.links['last']).toBe(`${server.url}/api/exports?filter%5Bq%5D%5Bstatus_eq%5D=nothing&page%5Bnumber%5D=1&page%5Bsize%5D=10`);
		expect(reply.body.links['next']).toBeUndefined();
	});

	it('rejects page sizes over 25 or under 1, page numbers under 1 and non-numbers with 400 INVALID_PAGE_VALUE', async () => {
		const cases: Array<[Record<string, string>, string]> = [
			[{'page[size]': '26'}, 'size exceeds maximum page size of 25.'],
			[{'page[size]': '0'}, '0 is not a valid value for size page parameter.'],
			[{'page[number]': '0'}, '0 is not a valid value for number page parameter.'],
			[{'page[number]': '-2'}, '-2 is not a valid value for number page parameter.'],
			[{'page[number]': 'two'}, 'two is not a valid value for number page parameter.'],
		];
		for (const [params, detail] of cases) {
			const reply = await api(server, `/api/exports?${query(params)}`);
			expect(reply.status).toBe(400);
			expect(reply.body).toEqual({errors: [{title: 'Invalid page value', detail, code: 'INVALID_PAGE_VALUE', status: '400'}]});
		}

		expect((await api(server, `/api/exports?${query({'page[size]': 25})}`)).status).toBe(200);
	});
});

describe('demo API: sorting', () => {
	for (const field of sortableFields) {
		for (const descending of [false, true]) {
			const spec = descending ? `-${field}` : field;
			it(`sorts by ${spec} (nulls last ascending, first descending, ties by id)`, async () => {
				const ids = await listIds(server, {sort: spec});
				expect(ids).toEqual(expectedOrder(all, [[field, descending]]));
			});
		}
	}

	it('sorts by several keys', async () => {
		const ids = await listIds(server, {sort: 'status,-records_count,reference'});
		expect(ids).toEqual(
			expectedOrder(all, [
				['status', false],
				['records_count', true],
				['reference', false],
			]),
		);
		// The order is real, not just consistent: the first page starts with the first status alphabetically.
		expect(all.find(record => record.id === ids[0])?.attributes.status).toBe('completed');
	});

	it('rejects an unknown or unsortable field with 400 INVALID_SORT_CRITERIA', async () => {
		for (const field of ['progress', 'metadata', 'nope']) {
			const reply = await api(server, `/api/exports?${query({sort: `created_at,-${field}`})}`);
			expect(reply.status).toBe(400);
			expect(reply.body).toEqual({
				errors: [{title: 'Invalid sort criteria', detail: `${field} is not a valid sort criteria for exports`, code: 'INVALID_SORT_CRITERIA', status: '400'}],
			});
		}
	});
});

describe('demo API: records, sparse fieldsets and parameters', () => {
	it('serializes every attribute, the relationships links and the meta', async () => {
		const completed = all.find(record => record.attributes.status === 'completed' && record.attributes.reference !== null)!;
		const reply = await api<{data: ExportRecord}>(server, `/api/exports/${completed.id}`);
		expect(reply.status).toBe(200);
		const record = reply.body.data;
		expect(record).toEqual({
			id: completed.id,
			type: 'exports',
			links: {self: `${server.url}/api/exports/${completed.id}`},
			attributes: expect.any(Object),
			relationships: {
				events: {links: {self: `${server.url}/api/exports/${completed.id}/relationships/events`, related: `${server.url}/api/exports/${completed.id}/events`}},
				versions: {
					links: {self: `${server.url}/api/exports/${completed.id}/relationships/versions`, related: `${server.url}/api/exports/${completed.id}/versions`},
				},
				event_stores: {
					links: {
						self: `${server.url}/api/exports/${completed.id}/relationships/event_stores`,
						related: `${server.url}/api/exports/${completed.id}/event_stores`,
					},
				},
			},
			meta: {mode: 'test', organization_id: expect.stringMatching(/^[A-Za-z]{10}$/), trace_id: expect.stringMatching(/^[\da-f]{32}$/)},
		});
		expect(Object.keys(record.attributes)).toEqual(allAttributes);
		expect(record.id).toMatch(/^[A-Za-z]{10}$/);
		expect(record.attributes).toEqual(completed.attributes);
		expect(record.attributes.attachment_url).toMatch(new RegExp(`^${server.url}/attachments/${completed.id}\\.(json|csv)\\.gz\\?expires=\\d+&signature=[\\da-f]+$`));
	});

	it('hands out a fresh attachment_url on each retrieve, expiring 5 minutes later', async () => {
		// Its own server and clock: moving the clock changes the running exports the other tests read.
		const own = createClock();
		const other = await startDemoServer({now: own.now, rateLimit: false});
		const completed = other.allExports().find(record => record.attributes.status === 'completed')!;
		const first = await api<{data: ExportRecord}>(other, `/api/exports/${completed.id}`);
		own.advance(61_000);
		const second = await api<{data: ExportRecord}>(other, `/api/exports/${completed.id}`);
		const expiresOf = (url: unknown) => Number(new URL(String(url)).searchParams.get('expires'));
		expect(expiresOf(first.body.data.attributes.attachment_url)).toBe(Math.floor((own.now() - 61_000) / 1000) + 300);
		expect(expiresOf(second.body.data.attributes.attachment_url)).toBe(Math.floor(own.now() / 1000) + 300);
		expect(second.body.data.attributes.attachment_url).not.toBe(first.body.data.attributes.attachment_url);
		// Only completed exports have one.
		const running = other.allExports().find(record => record.attributes.status === 'in_progress')!;
		expect((await api<{data: ExportRecord}>(other, `/api/exports/${running.id}`)).body.data.attributes.attachment_url).toBeNull();
		await other.close();
	});

	it('answers an unknown id with 404 RECORD_NOT_FOUND', async () => {
		const reply = await api(server, '/api/exports/XxYyZzKkJj');
		expect(reply.status).toBe(404);
		expect(reply.body).toEqual({
			errors: [{title: 'Record not found', detail: 'The requested resource was not found. Please double-check the resource id.', code: 'RECORD_NOT_FOUND', status: '404'}],
		});
	});

	it('applies fields[exports] to attributes and relationships, on lists and retrieves', async () => {
		const list = await api<ListBody>(server, `/api/exports?${query({'fields[exports]': 'status,records_count,events', 'page[size]': 3, sort: 'id'})}`);
		expect(list.status).toBe(200);
		for (const record of list.body.data) {
			expect(Object.keys(record.attributes)).toEqual(['status', 'records_count']);
			expect(Object.keys(record.relationships ?? {})).toEqual(['events']);
			expect(record.links?.self).toBe(`${server.url}/api/exports/${record.id}`);
		}

		const expected = expectedOrder(all, [['id', false]]).slice(0, 3);
		expect(list.body.data.map(record => [record.id, record.attributes.status])).toEqual(
			expected.map(id => [id, all.find(record => record.id === id)?.attributes.status]),
		);
		const one = await api<{data: ExportRecord}>(server, `/api/exports/${expected[0]}?${query({'fields[exports]': 'reference'})}`);
		expect(one.body.data.attributes).toEqual({reference: all.find(record => record.id === expected[0])?.attributes.reference});
	});

	it('rejects an unknown field with 400 INVALID_FIELD and an unknown type with INVALID_RESOURCE', async () => {
		const reply = await api(server, `/api/exports?${query({'fields[exports]': 'status,colour'})}`);
		expect(reply.status).toBe(400);
		expect(reply.body).toEqual({errors: [{title: 'Invalid field', detail: 'colour is not a valid field for exports.', code: 'INVALID_FIELD', status: '400'}]});
		const type = await api(server, `/api/exports?${query({'fields[skus]': 'code'})}`);
		expect(type.status).toBe(400);
		expect(errorOf(type.body)).toMatchObject({code: 'INVALID_RESOURCE', detail: 'skus is not a valid resource.'});
	});

	it('rejects filters outside q with 400 FILTER_NOT_ALLOWED', async () => {
		const reply = await api(server, `/api/exports?${query({'filter[status_eq]': 'completed'})}`);
		expect(reply.status).toBe(400);
		expect(reply.body).toEqual({errors: [{title: 'Filter not allowed', detail: 'status_eq is not allowed.', code: 'FILTER_NOT_ALLOWED', status: '400'}]});
	});

	it('rejects unknown parameters with 400 PARAM_NOT_ALLOWED', async () => {
		const reply = await api(server, `/api/exports?${query({limit: 5})}`);
		expect(reply.status).toBe(400);
		expect(reply.body).toEqual({errors: [{title: 'Param not allowed', detail: 'limit is not allowed.', code: 'PARAM_NOT_ALLOWED', status: '400'}]});
		const page = await api(server, `/api/exports?${query({'page[offset]': 5})}`);
		expect(errorOf(page.body)).toMatchObject({code: 'PARAM_NOT_ALLOWED', detail: 'offset is not an allowed page parameter.'});
		const onRetrieve = await api(server, `/api/exports/${all[0]!.id}?${query({sort: 'id'})}`);
		expect(onRetrieve.status).toBe(400);
		expect(errorOf(onRetrieve.body)?.code).toBe('PARAM_NOT_ALLOWED');
	});

	it('includes the events an export went through, and serves them as a related collection', async () => {
		const completed = all.find(record => record.attributes.status === 'completed')!;
		const reply = await api<{data: ExportRecord; included: Array<{id: string; type: string; attributes: {name: string}}>}>(
			server,
			`/api/exports/${completed.id}?include=events`,
		);
		expect(reply.body.included.map(event => event.attributes.name)).toEqual(['exports.create', 'exports.start', 'exports.complete']);
		expect(reply.body.data.relationships?.['events']).toMatchObject({data: reply.body.included.map(event => ({type: 'events', id: event.id}))});
		const related = await api<ListBody>(server, `/api/exports/${completed.id}/events`);
		expect(related.body.data.map(event => event.id)).toEqual(reply.body.included.map(event => event.id));
		expect(related.body.meta.record_count).toBe(3);
		const bad = await api(server, `/api/exports?include=event_stores`);
		expect(bad.status).toBe(400);
		expect(errorOf(bad.body)?.code).toBe('INVALID_INCLUDE');
	});
});
