// Every Ransack predicate the exports resource takes, against the demo API over HTTP. Each case
// states its meaning as plain JavaScript over the records; the server's answer (all pages) must
// be exactly the records that meaning selects.
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {predicates} from '../source/api/fields.js';
import type {ExportAttributes, ExportRecord} from '../source/api/types.js';
import {startDemoServer, type DemoServer} from '../source/demo/server.js';
import {api, createClock, filters, listIds, type ListBody} from './helpers/demo.js';

let server: DemoServer;
let all: ExportRecord[];
let events: {create: string; start: string; complete: string; interrupt: string};

beforeAll(async () => {
	server = await startDemoServer({now: createClock().now, rateLimit: false});
	all = server.allExports();
	const byName = async (status: string) => {
		const record = all.find(item => item.attributes.status === status)!;
		const reply = await api<{data: Array<{id: string; attributes: {name: string}}>}>(server, `/api/exports/${record.id}/events`);
		return Object.fromEntries(reply.body.data.map(event => [event.attributes.name.replace('exports.', ''), event.id]));
	};

	const completed = await byName('completed');
	const interrupted = await byName('interrupted');
	events = {create: completed['create']!, start: completed['start']!, complete: completed['complete']!, interrupt: interrupted['interrupt']!};
});

afterAll(async () => {
	await server.close();
});

type Attributes = ExportAttributes;
type Expectation = (attributes: Attributes, record: ExportRecord) => boolean;
/** `empty`: the case selects nothing on purpose; `everything`: it selects every record on purpose. */
type Case = {key: string; value: string | (() => string); expect: Expectation; empty?: boolean; everything?: boolean};

const text = (value: unknown): string | null => (typeof value === 'string' ? value.toLowerCase() : null);
const ref = (a: Attributes) => text(a.reference);
const time = (value: unknown) => (typeof value === 'string' ? Date.parse(value) : null);
const day = (iso: string) => Date.parse(iso.length === 10 ? `${iso}T00:00:00Z` : iso);
const has = (value: string | null, part: string) => value !== null && value.includes(part);
const count = (a: Attributes) => a.records_count as number;

const cases: Case[] = [
	// eq / not_eq / _or_null / not_eq_all
	{key: 'status_eq', value: 'failed', expect: a => a.status === 'failed'},
	{key: 'status_not_eq', value: 'completed', expect: a => a.status !== 'completed'},
	{key: 'reference_eq', value: 'erp-sync', expect: a => a.reference === 'erp-sync'},
	{key: 'reference_eq', value: 'ERP-SYNC', expect: () => false, empty: true},
	{key: 'reference_not_eq', value: 'erp-sync', expect: a => a.reference !== null && a.reference !== 'erp-sync'},
	{key: 'reference_eq_or_null', value: 'erp-sync', expect: a => a.reference === null || a.reference === 'erp-sync'},
	{key: 'reference_not_eq_or_null', value: 'erp-sync', expect: a => a.reference === null || a.reference !== 'erp-sync'},
	{key: 'reference_not_eq_all', value: 'erp-sync,backoffice', expect: a => a.reference !== null && !['erp-sync', 'backoffice'].includes(a.reference!)},
	{key: 'records_count_eq', value: '5000', expect: a => a.records_count === 5000},
	// in / not_in / _or_null
	{key: 'status_in', value: 'failed,interrupted', expect: a => a.status === 'failed' || a.status === 'interrupted'},
	{key: 'status_not_in', value: 'completed,failed', expect: a => a.status !== 'completed' && a.status !== 'failed'},
	{key: 'resource_type_in', value: 'orders,skus', expect: a => a.resource_type === 'orders' || a.resource_type === 'skus'},
	{key: 'reference_in_or_null', value: 'erp-sync,backoffice', expect: a => a.reference === null || ['erp-sync', 'backoffice'].includes(a.reference!)},
	{key: 'reference_not_in_or_null', value: 'erp-sync,backoffice', expect: a => a.reference === null || !['erp-sync', 'backoffice'].includes(a.reference!)},
	// cont (ILIKE '%v%', wildcards in the value are literal)
	{key: 'reference_cont', value: 'SALE', expect: a => has(ref(a), 'sale')},
	{key: 'reference_cont', value: 'セール', expect: a => has(ref(a), 'セール')},
	{key: 'reference_cont', value: '%', expect: () => false, empty: true},
	{key: 'reference_cont', value: 'sale,erp', expect: () => false, empty: true},
	{key: 'reference_not_cont', value: 'sale', expect: a => ref(a) !== null && !has(ref(a), 'sale')},
	{key: 'reference_cont_any', value: 'sale,erp', expect: a => has(ref(a), 'sale') || has(ref(a), 'erp')},
	{key: 'reference_cont_all', value: 'summer,recap', expect: a => has(ref(a), 'summer') && has(ref(a), 'recap')},
	{key: 'reference_not_cont_any', value: 'sale,recap', expect: a => ref(a) !== null && (!has(ref(a), 'sale') || !has(ref(a), 'recap'))},
	{key: 'reference_not_cont_all', value: 'sale,erp', expect: a => ref(a) !== null && !has(ref(a), 'sale') && !has(ref(a), 'erp')},
	// start
	{key: 'reference_start', value: 'NIGHTLY', expect: a => ref(a)?.startsWith('nightly') ?? false},
	{key: 'reference_not_start', value: 'nightly', expect: a => ref(a) !== null && !ref(a)!.startsWith('nightly')},
	{key: 'reference_start_any', value: 'nightly,weekly', expect: a => ['nightly', 'weekly'].some(p => ref(a)?.startsWith(p))},
	{key: 'reference_start_all', value: 'summer,summer sale', expect: a => ref(a)?.startsWith('summer sale') ?? false},
	{key: 'reference_not_start_any', value: 'summer,summer sale r', expect: a => ref(a) !== null && !ref(a)!.startsWith('summer sale r')},
	{key: 'reference_not_start_all', value: 'summer,nightly', expect: a => ref(a) !== null && !ref(a)!.startsWith('summer') && !ref(a)!.startsWith('nightly')},
	// end
	{key: 'reference_end', value: 'SYNC', expect: a => ref(a)?.endsWith('sync') ?? false},
	{key: 'reference_not_end', value: 'sync', expect: a => ref(a) !== null && !ref(a)!.endsWith('sync')},
	{key: 'reference_end_any', value: 'sync,feed', expect: a => ['sync', 'feed'].some(s => ref(a)?.endsWith(s))},
	{key: 'reference_end_all', value: 'sale,e', expect: a => ref(a)?.endsWith('sale') ?? false},
	{key: 'reference_not_end_any', value: 'recap,p', expect: a => ref(a) !== null && !ref(a)!.endsWith('recap')},
	{key: 'reference_not_end_all', value: 'sync,feed', expect: a => ref(a) !== null && !ref(a)!.endsWith('sync') && !ref(a)!.endsWith('feed')},
	{key: 'resource_type_end', value: '_items', expect: a => String(a.resource_type).endsWith('_items')},
	// matches (LIKE with % and _, case-insensitive)
	{key: 'reference_matches', value: 'Summer%', expect: a => ref(a)?.startsWith('summer') ?? false},
	{key: 'reference_matches', value: '%-_', expect: a => /^[\s\S]*-[\s\S]$/u.test(ref(a) ?? '')},
	{key: 'reference_matches', value: '%', expect: a => a.reference !== null},
	{key: 'reference_does_not_match', value: '%sale%', expect: a => ref(a) !== null && !has(ref(a), 'sale')},
	{key: 'reference_matches_any', value: 'summer%,%feed', expect: a => (ref(a)?.startsWith('summer') ?? false) || (ref(a)?.endsWith('feed') ?? false)},
	{key: 'reference_matches_all', value: '%sale%,summer%', expect: a => (ref(a)?.startsWith('summer') ?? false) && has(ref(a), 'sale')},
	{key: 'reference_does_not_match_any', value: '%sale%,%recap', expect: a => ref(a) !== null && (!has(ref(a), 'sale') || !ref(a)!.endsWith('recap'))},
	{key: 'reference_does_not_match_all', value: '%sale%,%erp%', expect: a => ref(a) !== null && !has(ref(a), 'sale') && !has(ref(a), 'erp')},
	// integer comparisons
	{key: 'records_count_lt', value: '100', expect: a => count(a) < 100},
	{key: 'records_count_lteq', value: '5000', expect: a => count(a) <= 5000},
	{key: 'records_count_gt', value: '5000', expect: a => count(a) > 5000},
	{key: 'records_count_gteq', value: '10000', expect: a => count(a) >= 10_000},
	{key: 'processed_count_lt', value: '1', expect: a => a.processed_count !== null && (a.processed_count as number) < 1},
	{key: 'records_count_lt_any', value: '10,9000', expect: a => count(a) < 9000},
	{key: 'records_count_lt_all', value: '10,9000', expect: a => count(a) < 10},
	{key: 'records_count_lteq_any', value: '5,6', expect: a => count(a) <= 6},
	{key: 'records_count_lteq_all', value: '5,6', expect: a => count(a) <= 5},
	{key: 'records_count_gt_any', value: '9000,100', expect: a => count(a) > 100},
	{key: 'records_count_gt_all', value: '9000,100', expect: a => count(a) > 9000},
	{key: 'records_count_gteq_any', value: '5000,9999', expect: a => count(a) >= 5000},
	{key: 'records_count_gteq_all', value: '5000,9999', expect: a => count(a) >= 9999},
	// date comparisons: ISO date-times, date-only values (midnight UTC), offsets
	{key: 'created_at_gt', value: '2026-11-01', expect: a => time(a.created_at)! > day('2026-11-01')},
	{key: 'created_at_lt', value: '2026-11-01T00:00:00Z', expect: a => time(a.created_at)! < day('2026-11-01')},
	{key: 'created_at_gteq', value: '2026-11-10T12:00:00.000Z', expect: a => time(a.created_at)! >= day('2026-11-10T12:00:00.000Z')},
	{key: 'created_at_lteq', value: '2026-10-20', expect: a => time(a.created_at)! <= day('2026-10-20')},
	{key: 'completed_at_gt', value: '2026-11-14', expect: a => a.completed_at !== null && time(a.completed_at)! > day('2026-11-14')},
	{key: 'started_at_lt', value: '2026-11-15T11:00:00+01:00', expect: a => a.started_at !== null && time(a.started_at)! < day('2026-11-15T10:00:00Z')},
	{key: 'created_at_gt_any', value: '2026-11-14,2026-11-10', expect: a => time(a.created_at)! > day('2026-11-10')},
	{key: 'created_at_gt_all', value: '2026-11-14,2026-11-10', expect: a => time(a.created_at)! > day('2026-11-14')},
	{key: 'created_at_lt_any', value: '2026-10-20,2026-10-25', expect: a => time(a.created_at)! < day('2026-10-25')},
	{key: 'created_at_lt_all', value: '2026-10-20,2026-10-25', expect: a => time(a.created_at)! < day('2026-10-20')},
	{key: 'updated_at_lteq_any', value: '2026-10-20,2026-10-25', expect: a => time(a.updated_at)! <= day('2026-10-25')},
	{key: 'updated_at_lteq_all', value: '2026-10-20,2026-10-25', expect: a => time(a.updated_at)! <= day('2026-10-20')},
	{key: 'updated_at_gteq_any', value: '2026-11-14,2026-11-01', expect: a => time(a.updated_at)! >= day('2026-11-01')},
	{key: 'updated_at_gteq_all', value: '2026-11-14,2026-11-01', expect: a => time(a.updated_at)! >= day('2026-11-14')},
	{key: 'created_at_eq', value: () => String(all[10]!.attributes.created_at), expect: a => a.created_at === all[10]!.attributes.created_at},
	{key: 'completed_at_or_interrupted_at_gt', value: '2026-11-10', expect: a => [a.completed_at, a.interrupted_at].some(v => v !== null && time(v)! > day('2026-11-10'))},
	// null / not_null / present / blank, with true and false
	{key: 'reference_null', value: 'true', expect: a => a.reference === null},
	{key: 'reference_null', value: 'false', expect: a => a.reference !== null},
	{key: 'reference_not_null', value: 'true', expect: a => a.reference !== null},
	{key: 'reference_not_null', value: '0', expect: a => a.reference === null},
	{key: 'reference_present', value: 'true', expect: a => a.reference !== null && a.reference !== ''},
	{key: 'reference_present', value: 'false', expect: a => a.reference === null || a.reference === ''},
	{key: 'reference_blank', value: '1', expect: a => a.reference === null || a.reference === ''},
	{key: 'reference_blank', value: 'false', expect: a => a.reference !== null && a.reference !== ''},
	{key: 'metadata_null', value: 'true', expect: a => a.metadata === null},
	{key: 'completed_at_null', value: 't', expect: a => a.completed_at === null},
	{key: 'interrupted_at_not_null', value: 'true', expect: a => a.interrupted_at !== null},
	{key: 'attachment_url_present', value: 'true', expect: a => a.attachment_url !== null},
	{key: 'errors_log_present', value: 'true', expect: a => a.errors_log !== null},
	{key: 'errors_log_null', value: 'false', expect: a => a.errors_log !== null},
	// jcont: PostgreSQL jsonb containment
	{key: 'metadata_jcont', value: '{"requested_by":"ops@acme.test"}', expect: a => a.metadata?.['requested_by'] === 'ops@acme.test'},
	{key: 'metadata_jcont', value: '{"source":{"system":"erp"}}', expect: a => (a.metadata?.['source'] as {system?: string} | undefined)?.system === 'erp'},
	{key: 'metadata_jcont', value: '{"tags":["erp"]}', expect: a => Array.isArray(a.metadata?.['tags']) && (a.metadata['tags'] as string[]).includes('erp')},
	{key: 'metadata_jcont', value: '{"retries":2}', expect: a => a.metadata?.['retries'] === 2},
	{key: 'metadata_jcont', value: '{"retries":"2"}', expect: () => false, empty: true},
	{key: 'metadata_jcont', value: '{"emoji":"👩‍💻🚀"}', expect: a => a.metadata?.['emoji'] === '👩‍💻🚀'},
	{key: 'metadata_jcont', value: '{}', expect: a => a.metadata !== null},
	{key: 'errors_log_jcont', value: '{"RuntimeError":"query timeout"}', expect: a => a.errors_log?.['RuntimeError'] === 'query timeout'},
	// _or_ over attributes; _cont_all over several words: one attribute holds every word (Ransack ORs the predicate)
	{key: 'reference_or_reference_origin_cont', value: 'ERP', expect: a => has(ref(a), 'erp') || has(text(a.reference_origin), 'erp')},
	{
		key: 'reference_or_reference_origin_or_resource_type_cont',
		value: 'sku',
		expect: a => [a.reference, a.reference_origin, a.resource_type].some(v => has(text(v), 'sku')),
	},
	{
		key: 'reference_or_reference_origin_or_resource_type_cont_all',
		value: 'summer,recap',
		expect: a => [a.reference, a.reference_origin, a.resource_type].some(v => ['summer', 'recap'].every(word => has(text(v), word))),
	},
	{
		key: 'reference_or_reference_origin_or_resource_type_cont_any',
		value: 'recap,zapier',
		expect: a => ['recap', 'zapier'].some(word => [a.reference, a.reference_origin, a.resource_type].some(v => has(text(v), word))),
	},
	// the prompt's free-text search, ids included (case-insensitive, as ILIKE)
	{
		key: 'id_or_reference_or_reference_origin_or_resource_type_cont',
		value: () => all[11]!.id.slice(2, 8).toLowerCase(),
		expect: (a, r) => [r.id, a.reference, a.reference_origin, a.resource_type].some(v => has(text(v), all[11]!.id.slice(2, 8).toLowerCase())),
	},
	{
		key: 'id_or_reference_or_reference_origin_or_resource_type_cont_all',
		value: () => `${all[11]!.id.slice(0, 4)},${all[11]!.id.slice(5)}`,
		expect: (_a, r) => [all[11]!.id.slice(0, 4), all[11]!.id.slice(5)].every(part => has(text(r.id), part.toLowerCase())),
	},
	// metadata keys are own keys only, as in jsonb: none of these is in every object
	{key: 'metadata_jcont', value: '{"__proto__":{}}', expect: () => false, empty: true},
	{key: 'metadata_jcont', value: '{"constructor":{}}', expect: () => false, empty: true},
	{key: 'metadata_jcont', value: '{"toString":{}}', expect: () => false, empty: true},
	{key: 'reference_or_resource_type_start', value: 'order', expect: a => [a.reference, a.resource_type].some(v => text(v)?.startsWith('order'))},
	{key: 'reference_or_reference_origin_null', value: 'true', expect: a => a.reference === null || a.reference_origin === null},
	{key: 'reference_or_reference_origin_eq', value: 'erp-connector', expect: a => a.reference === 'erp-connector' || a.reference_origin === 'erp-connector'},
	// other attributes
	{key: 'format_eq', value: 'csv', expect: a => a.format === 'csv'},
	{key: 'attachment_url_cont', value: '.csv.gz', expect: a => has(text(a.attachment_url), '.csv.gz')},
	{key: 'reference_origin_eq', value: 'cli-plugin-exports', expect: a => a.reference_origin === 'cli-plugin-exports'},
	{key: 'id_gt', value: () => sortedIds()[150]!, expect: (_a, r) => r.id > sortedIds()[150]!},
	{key: 'id_lteq', value: () => sortedIds()[40]!, expect: (_a, r) => r.id <= sortedIds()[40]!},
	{key: 'id_in', value: () => sortedIds().slice(3, 6).join(','), expect: (_a, r) => sortedIds().slice(3, 6).includes(r.id)},
	{key: 'id_eq', value: () => all[7]!.id, expect: (_a, r) => r.id === all[7]!.id},
	// the events relationship
	{key: 'events_id_eq', value: () => events.complete, expect: a => a.status === 'completed'},
	{key: 'events_id_in', value: () => `${events.start},${events.interrupt}`, expect: a => a.started_at !== null || a.interrupted_at !== null},
	{key: 'events_id_eq', value: () => events.interrupt, expect: a => a.interrupted_at !== null},
	{key: 'events_id_null', value: 'true', expect: () => false, empty: true},
	// conditions Ransack drops: unknown attributes or predicates, blank values, values that do not cast
	{key: 'colour_eq', value: 'red', expect: () => true, everything: true},
	{key: 'progress_gt', value: '5', expect: () => true, everything: true},
	{key: 'constructor_eq', value: 'x', expect: () => true, everything: true},
	{key: 'tostring_or_reference_eq', value: 'x', expect: () => true, everything: true},
	{key: 'reference_cont', value: '', expect: () => true, everything: true},
	{key: 'created_at_gt', value: 'yesterday', expect: () => true, everything: true},
	{key: 'records_count_gt', value: 'many', expect: () => true, everything: true},
	{key: 'reference_null', value: 'maybe', expect: () => true, everything: true},
	{key: 'metadata_jcont', value: '{not json', expect: () => true, everything: true},
];

let sortedCache: string[] | undefined;
function sortedIds(): string[] {
	sortedCache ??= all.map(record => record.id).sort();
	return sortedCache;
}

describe('demo API: Ransack filters', () => {
	for (const item of cases) {
		const label = typeof item.value === 'string' ? item.value : '<from the data>';
		it(`filter[q][${item.key}]=${label}`, async () => {
			const value = typeof item.value === 'string' ? item.value : item.value();
			const ids = await listIds(server, {sort: 'id', ...filters({[item.key]: value})});
			const expected = all.filter(record => item.expect(record.attributes, record)).map(record => record.id);
			expect(ids).toEqual([...expected].sort());
			// Each case is meaningful: it selects some records but not all, unless it says otherwise.
			if (item.empty) {
				expect(expected).toHaveLength(0);
			} else {
				expect(expected.length).toBeGreaterThan(0);
			}

			if (item.everything) {
				expect(expected).toHaveLength(all.length);
			} else {
				expect(expected.length).toBeLessThan(all.length);
			}
		});
	}

	it('covers every predicate in fields.ts', () => {
		const used = new Set(
			cases.map(item => {
				const found = predicates.find(predicate => item.key.endsWith(`_${predicate}`));
				return found;
			}),
		);
		const untested = predicates.filter(predicate => !used.has(predicate) && predicate !== 'true' && predicate !== 'false');
		expect(untested).toEqual([]);
	});

	it('ANDs several conditions', async () => {
		const params = filters({
			status_in: 'completed,failed',
			created_at_gt: '2026-11-01',
			reference_or_reference_origin_or_resource_type_cont: 'o',
			records_count_gteq: '100',
		});
		const ids = await listIds(server, {sort: 'id', ...params});
		const expected = all
			.filter(
				({attributes: a}) =>
					(a.status === 'completed' || a.status === 'failed') &&
					time(a.created_at)! > day('2026-11-01') &&
					[a.reference, a.reference_origin, a.resource_type].some(v => has(text(v), 'o')) &&
					count(a) >= 100,
			)
			.map(record => record.id)
			.sort();
		expect(expected.length).toBeGreaterThan(5);
		expect(ids).toEqual(expected);
	});

	it('reads Rails-style arrays (filter[q][status_in][]=a&…[]=b) like the CSV form', async () => {
		const search = `${encodeURIComponent('filter[q][status_in][]')}=failed&${encodeURIComponent('filter[q][status_in][]')}=pending&page%5Bsize%5D=25`;
		const reply = await api<ListBody>(server, `/api/exports?${search}`);
		expect(reply.body.meta.record_count).toBe(all.filter(r => r.attributes.status === 'failed' || r.attributes.status === 'pending').length);
	});

	it('answers a _jcont nested past its limit with a 400, as an error body, and keeps serving', async () => {
		const deep = `${'{"a":'.repeat(150)}1${'}'.repeat(150)}`;
		const reply = await api<{errors: Array<{code: string; status: string}>}>(server, `/api/exports?${new URLSearchParams({'filter[q][metadata_jcont]': deep})}`);
		expect(reply.status).toBe(400);
		expect(reply.body.errors[0]).toMatchObject({code: 'INVALID_FILTER_VALUE', status: '400'});
		const shallow = `${'{"a":'.repeat(20)}1${'}'.repeat(20)}`;
		expect((await api(server, `/api/exports?${new URLSearchParams({'filter[q][metadata_jcont]': shallow})}`)).status).toBe(200);
	});

	it('a key named after Object.prototype is a key like any other', async () => {
		const reply = await api<ListBody>(server, `/api/exports?${encodeURIComponent('filter[q][__proto__][]')}=x&${encodeURIComponent('filter[q][__proto__]')}=y&page%5Bsize%5D=25`);
		expect(reply.status).toBe(200);
		expect(reply.body.meta.record_count).toBe(all.length);
		const fields = await api<{errors: Array<{code: string}>}>(server, `/api/exports?${encodeURIComponent('fields[__proto__]')}=x`);
		expect(fields.status).toBe(400);
		expect(fields.body.errors[0]!.code).toBe('INVALID_RESOURCE');
		expect(Object.prototype).not.toHaveProperty('x');
	});

	it('evaluates _true and _false as `= TRUE` and `!= TRUE`-style comparisons (NULL matches neither)', async () => {
		const own = await startDemoServer({now: createClock().now, rateLimit: false});
		try {
			const [first, second] = own.allExports();
			const patch = (id: string, reference: string) =>
				api(own, `/api/exports/${id}`, {
					method: 'PATCH',
					headers: {'content-type': 'application/vnd.api+json'},
					body: JSON.stringify({data: {type: 'exports', id, attributes: {reference}}}),
				});
			expect((await patch(first!.id, 't')).status).toBe(200);
			expect((await patch(second!.id, 'false')).status).toBe(200);
			const ids = async (key: string, value: string) => listIds(own, filters({[key]: value}));
			expect(await ids('reference_true', 'true')).toEqual([first!.id]);
			expect(await ids('reference_false', '1')).toEqual([second!.id]);
			const notTrue = await ids('reference_true', 'false');
			expect(notTrue).not.toContain(first!.id);
			expect(notTrue).toContain(second!.id);
		} finally {
			await own.close();
		}
	});
});
