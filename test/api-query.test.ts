import {afterEach, describe, expect, it} from 'vitest';
import {staticToken} from '../source/api/auth.js';
import {createClient} from '../source/api/client.js';
import {buildListSearch, listUrl} from '../source/api/query-string.js';
import {pageBody, sendJson, startServer, type LoopbackServer} from './helpers/api-loopback.js';

// The URL the official SDK (v7.11.0) produces for this list call (docs/commerce-layer-api.md,
// "The URL the official SDK builds").
const sdkVector =
	'https://acme.commercelayer.io/api/exports?fields%5Bexports%5D=status%2Cresource_type&sort=-created_at&page%5Bnumber%5D=2&page%5Bsize%5D=25&filter%5Bq%5D%5Bstatus_eq%5D=completed&filter%5Bq%5D%5Bresource_type_in%5D=orders%2Cskus&filter%5Bq%5D%5Bmetadata_jcont%5D=%7B%22foo%22%3A%22bar%22%7D';

const sdkQuery = {
	fields: ['status', 'resource_type'],
	sort: ['-created_at'],
	page: 2,
	size: 25,
	filters: {status_eq: 'completed', resource_type_in: ['orders', 'skus'], metadata_jcont: {foo: 'bar'}},
};

describe('list query string', () => {
	it('equals the SDK vector byte for byte', () => {
		expect(listUrl('https://acme.commercelayer.io', sdkQuery)).toBe(sdkVector);
		expect(listUrl('https://acme.commercelayer.io/', sdkQuery)).toBe(sdkVector);
	});

	it('puts the keys in the SDK order whatever order the query object has', () => {
		const search = buildListSearch({filters: {status_eq: 'completed'}, size: 10, page: 1, sort: ['-created_at', 'status'], fields: ['status']});
		expect(search).toBe(
			'fields%5Bexports%5D=status&sort=-created_at%2Cstatus&page%5Bnumber%5D=1&page%5Bsize%5D=10&filter%5Bq%5D%5Bstatus_eq%5D=completed',
		);
	});

	it('always sends page[number], and leaves out empty fields and sort', () => {
		expect(buildListSearch({page: 1, size: 25})).toBe('page%5Bnumber%5D=1&page%5Bsize%5D=25');
		expect(buildListSearch({page: 3, size: 5, sort: [], fields: [], filters: {}})).toBe('page%5Bnumber%5D=3&page%5Bsize%5D=5');
	});

	it('joins lists with commas for _in, _not_in and the _any/_all forms', () => {
		const search = buildListSearch({
			page: 1,
			size: 25,
			filters: {
				status_in: ['pending', 'in_progress'],
				status_not_in: ['failed'],
				reference_or_reference_origin_or_resource_type_cont_all: ['sku', 'eu'],
			},
		});
		expect(search).toBe(
			'page%5Bnumber%5D=1&page%5Bsize%5D=25' +
				'&filter%5Bq%5D%5Bstatus_in%5D=pending%2Cin_progress' +
				'&filter%5Bq%5D%5Bstatus_not_in%5D=failed' +
				'&filter%5Bq%5D%5Breference_or_reference_origin_or_resource_type_cont_all%5D=sku%2Ceu',
		);
	});

	it('JSON-encodes objects for _jcont and stringifies numbers and booleans', () => {
		const search = new URLSearchParams(
			buildListSearch({page: 1, size: 25, filters: {metadata_jcont: {k: '5', nested: {a: 1}}, records_count_gt: 10, reference_null: true}}),
		);
		expect(search.get('filter[q][metadata_jcont]')).toBe('{"k":"5","nested":{"a":1}}');
		expect(search.get('filter[q][records_count_gt]')).toBe('10');
		expect(search.get('filter[q][reference_null]')).toBe('true');
	});

	it('percent-encodes values like URLSearchParams (spaces as +, % and & escaped)', () => {
		const search = buildListSearch({page: 1, size: 25, filters: {reference_cont: 'summer sale & 50%', reference_matches: 'a%b'}});
		expect(search).toBe(
			'page%5Bnumber%5D=1&page%5Bsize%5D=25&filter%5Bq%5D%5Breference_cont%5D=summer+sale+%26+50%25&filter%5Bq%5D%5Breference_matches%5D=a%25b',
		);
	});

	it('rejects page sizes outside 1..25 and page numbers below 1 with a clear message', () => {
		expect(() => buildListSearch({page: 1, size: 26})).toThrow('page size must be a whole number from 1 to 25, got 26');
		expect(() => buildListSearch({page: 1, size: 0})).toThrow(/page size .* got 0/);
		expect(() => buildListSearch({page: 0, size: 10})).toThrow('page number must be a whole number of 1 or more, got 0');
		expect(() => buildListSearch({page: 1.5, size: 10})).toThrow(/page number/);
		expect(() => buildListSearch({page: 1, size: Number.NaN})).toThrow(/page size/);
	});
});

describe('the query string on the wire', () => {
	let server: LoopbackServer | undefined;
	afterEach(async () => {
		await server?.close();
		server = undefined;
	});

	it('reaches the server exactly as the SDK would send it', async () => {
		server = await startServer((_request, response) => {
			sendJson(response, 200, pageBody([]));
		});
		const client = createClient({baseUrl: server.url, auth: staticToken('t0ken-abc'), rateLimit: false});
		await client.listExports(sdkQuery);
		const sent = server.requests[0];
		expect(sent?.path).toBe('/api/exports');
		expect(`https://acme.commercelayer.io${sent?.url ?? ''}`).toBe(sdkVector);
	});

	it('rejects a bad page size before sending anything', async () => {
		server = await startServer((_request, response) => {
			sendJson(response, 200, pageBody([]));
		});
		const client = createClient({baseUrl: server.url, auth: staticToken('t0ken-abc'), rateLimit: false});
		await expect(client.listExports({page: 1, size: 30})).rejects.toThrow('page size must be a whole number from 1 to 25, got 30');
		expect(server.requests).toHaveLength(0);
	});

	it('counts with page[size]=1 and the filters, reading meta.record_count', async () => {
		server = await startServer((_request, response) => {
			sendJson(response, 200, pageBody([], 42, 42));
		});
		const client = createClient({baseUrl: server.url, auth: staticToken('t0ken-abc'), rateLimit: false});
		await expect(client.countExports({status_in: ['failed', 'interrupted']})).resolves.toBe(42);
		expect(server.requests[0]?.search).toBe('page%5Bnumber%5D=1&page%5Bsize%5D=1&filter%5Bq%5D%5Bstatus_in%5D=failed%2Cinterrupted');
	});
});
