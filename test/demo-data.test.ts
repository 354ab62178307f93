import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import type {ExportRecord} from '../source/api/types.js';
import {startDemoServer, type DemoServer} from '../source/demo/server.js';
import {anchor, api, createClock, type ListBody} from './helpers/demo.js';

let server: DemoServer;
let all: ExportRecord[];

beforeAll(async () => {
	server = await startDemoServer({now: createClock().now, rateLimit: false});
	all = server.allExports();
});

afterAll(async () => {
	await server.close();
});

const cliTypes =
	'addresses authorizations bundles captures coupons customer_addresses customer_payment_sources customer_subscriptions customers gift_cards line_items line_item_options orders payment_methods price_tiers prices refunds returns shipments shipping_categories shipping_methods sku_lists sku_list_items sku_options skus stock_items stock_transfers tags tax_categories transactions voids'.split(
		' ',
	);

function countBy(records: ExportRecord[], pick: (record: ExportRecord) => unknown): Record<string, number> {
	const counts: Record<string, number> = {};
	for (const record of records) {
		const key = String(pick(record));
		counts[key] = (counts[key] ?? 0) + 1;
	}

	return counts;
}

const ms = (value: unknown) => (typeof value === 'string' ? Date.parse(value) : Number.NaN);

describe('demo data', () => {
	it('has 300 exports by default, mostly completed, a handful of every other status and one unknown', () => {
		expect(all).toHaveLength(300);
		expect(countBy(all, record => record.attributes.status)).toEqual({completed: 279, in_progress: 6, pending: 3, interrupted: 5, failed: 6, queued: 1});
	});

	it('uses real-looking unique ids and spans the 30 days before the start', () => {
		const ids = new Set(all.map(record => record.id));
		expect(ids.size).toBe(300);
		for (const record of all) {
			expect(record.id).toMatch(/^[A-Za-z]{10}$/);
			const created = ms(record.attributes.created_at);
			expect(created).toBeGreaterThanOrEqual(anchor - 30 * 86_400_000);
			expect(created).toBeLessThan(anchor);
		}

		const oldest = Math.min(...all.map(record => ms(record.attributes.created_at)));
		expect(oldest).toBeLessThan(anchor - 25 * 86_400_000);
	});

	it('covers every exportable resource type, both formats, references, origins and metadata', () => {
		const types = new Set(all.map(record => record.attributes.resource_type));
		for (const type of cliTypes) {
			expect(types).toContain(type);
		}

		expect(countBy(all, record => record.attributes.format)).toEqual({json: expect.any(Number), csv: expect.any(Number)});
		expect(all.filter(record => record.attributes.format === 'csv').length).toBeGreaterThan(40);
		expect(all.filter(record => record.attributes.reference === null).length).toBeGreaterThan(50);
		expect(all.filter(record => typeof record.attributes.reference === 'string').length).toBeGreaterThan(100);
		expect(all.filter(record => Object.keys(record.attributes.metadata ?? {}).length > 0).length).toBeGreaterThan(50);
		expect(all.filter(record => (record.attributes.includes?.length ?? 0) > 0).length).toBeGreaterThan(10);
		expect(all.filter(record => Object.keys(record.attributes.filters ?? {}).length > 0).length).toBeGreaterThan(30);
		expect(all.some(record => record.attributes.dry_data === true)).toBe(true);
	});

	it('keeps lifecycle attributes consistent with the status', () => {
		for (const {attributes: a} of all) {
			const created = ms(a.created_at);
			expect(ms(a.updated_at)).toBeGreaterThanOrEqual(created);
			if (a.started_at !== null) {
				expect(ms(a.started_at)).toBeGreaterThanOrEqual(created);
			}

			switch (a.status) {
				case 'completed': {
					expect(ms(a.completed_at)).toBeGreaterThan(ms(a.started_at));
					expect(a.interrupted_at).toBeNull();
					expect(a.attachment_url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/attachments\/\w+\.(json|csv)\.gz\?/);
					if (a.processed_count !== null) {
						expect(a.processed_count).toBe(a.records_count);
					}

					if (a.progress !== null) {
						expect(a.progress).toBe(100);
					}

					break;
				}

				case 'in_progress': {
					expect(a.started_at).not.toBeNull();
					expect(a.completed_at).toBeNull();
					expect(a.attachment_url).toBeNull();
					expect(a.processed_count).toBeGreaterThan(0);
					expect(a.processed_count).toBeLessThan(a.records_count as number);
					expect(a.records_count).toBeGreaterThanOrEqual(2000);
					break;
				}

				case 'pending': {
					expect(a).toMatchObject({started_at: null, completed_at: null, processed_count: 0, attachment_url: null});
					break;
				}

				case 'interrupted': {
					expect(ms(a.interrupted_at)).toBeGreaterThanOrEqual(created);
					expect(a.completed_at).toBeNull();
					expect(Object.keys(a.errors_log ?? {}).length).toBeGreaterThan(0);
					break;
				}

				case 'failed': {
					expect(a.completed_at).toBeNull();
					expect(a.attachment_url).toBeNull();
					expect(Object.keys(a.errors_log ?? {}).length).toBeGreaterThan(0);
					break;
				}

				default: {
					expect(a.status).toBe('queued');
					expect(a.started_at).toBeNull();
				}
			}

			expect(a.records_count).toBeGreaterThan(0);
			expect(a.records_count).toBeLessThanOrEqual(10_000);
		}
	});

	it('has failures from today to triage', () => {
		const today = all.filter(record => record.attributes.status === 'failed' && ms(record.attributes.created_at) > anchor - 86_400_000);
		expect(today.length).toBeGreaterThanOrEqual(2);
	});

	it('has CLI `exports:all` groups: <group>-1..n references from cli-plugin-exports, 5,000 records per slice', () => {
		const cli = all.filter(record => record.attributes.reference_origin === 'cli-plugin-exports');
		const groups = new Map<string, ExportRecord[]>();
		for (const record of cli) {
			const [, group, part] = /^(.+)-(\d+)$/.exec(String(record.attributes.reference)) ?? [];
			expect(group).toBeDefined();
			groups.set(group!, [...(groups.get(group!) ?? []), record]);
			expect(Number(part)).toBeGreaterThanOrEqual(1);
		}

		expect(groups.size).toBe(3);
		for (const records of groups.values()) {
			const sorted = records.sort((a, b) => String(a.attributes.reference).localeCompare(String(b.attributes.reference)));
			expect(sorted.map(record => record.attributes.records_count).slice(0, -1)).toEqual(Array(sorted.length - 1).fill(5000));
			expect(new Set(sorted.map(record => record.attributes.resource_type)).size).toBe(1);
		}
	});

	it('includes awkward records on purpose, among the newest', async () => {
		const long = all.find(record => String(record.attributes.reference ?? '').length > 200);
		const wide = all.find(record => /[\u3040-\u30FF\u4E00-\u9FFF]/.test(String(record.attributes.reference)) && /\p{Extended_Pictographic}/u.test(String(record.attributes.reference)));
		const hostile = all.find(record => String(record.attributes.reference ?? '').includes('\u001B['));
		const nulls = all.find(record => record.attributes.metadata === null && record.attributes.includes === null && record.attributes.processed_count === null);
		const empty = all.find(record => record.attributes.reference === '');
		const unknown = all.find(record => record.attributes.status === 'queued');
		expect(long).toBeDefined();
		expect(wide?.attributes.metadata).toMatchObject({emoji: expect.stringMatching(/\p{Extended_Pictographic}/u)});
		expect(hostile?.attributes.reference).toMatch(/[\u0007\r]/);
		expect(nulls?.attributes).toMatchObject({reference: null, reference_origin: null, filters: null, fields: null, dry_data: null});
		expect(empty).toBeDefined();
		expect(unknown).toBeDefined();
		// They show on the first pages of the default sort, where a user meets them.
		const newest = await api<ListBody>(server, '/api/exports?sort=-created_at&page%5Bsize%5D=25&page%5Bnumber%5D=1');
		const second = await api<ListBody>(server, '/api/exports?sort=-created_at&page%5Bsize%5D=25&page%5Bnumber%5D=2');
		const firstPages = new Set([...newest.body.data, ...second.body.data].map(record => record.id));
		for (const record of [long, wide, hostile, nulls, empty, unknown]) {
			expect(firstPages).toContain(record!.id);
		}
	});

	it('takes a count: 2,500 for benchmarks (still ≤ 10 running), and tiny sets', async () => {
		const started = performance.now();
		const big = await startDemoServer({count: 2500, now: createClock().now, rateLimit: false});
		try {
			expect(performance.now() - started).toBeLessThan(2000);
			const records = big.allExports();
			expect(records).toHaveLength(2500);
			expect(new Set(records.map(record => record.id)).size).toBe(2500);
			const counts = countBy(records, record => record.attributes.status);
			expect((counts['pending'] ?? 0) + (counts['in_progress'] ?? 0)).toBeLessThanOrEqual(10);
			expect(counts['failed']).toBeGreaterThan(20);
			const page = await api<ListBody>(big, '/api/exports?sort=-created_at&page%5Bsize%5D=25&page%5Bnumber%5D=100');
			expect(page.body.meta).toEqual({record_count: 2500, page_count: 100});
			expect(page.body.data).toHaveLength(25);
		} finally {
			await big.close();
		}

		const tiny = await startDemoServer({count: 5, now: createClock().now, rateLimit: false});
		expect(countBy(tiny.allExports(), record => record.attributes.status)).toEqual({completed: 1, in_progress: 1, failed: 1, interrupted: 1, pending: 1});
		await tiny.close();
		const none = await startDemoServer({count: 0, rateLimit: false});
		expect((await api<ListBody>(none, '/api/exports')).body.meta).toEqual({record_count: 0, page_count: 0});
		await none.close();
	});
});
