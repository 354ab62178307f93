// Duplicating an export: which parameters are copied, what the API receives (captured on the wire)
// and does with it (the demo runs the new export to completion), and the one-line answers to a
// refused create.
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {duplicateExport, duplicateFailure} from '../source/actions/duplicate.js';
import {describeParameters, duplicateAttributes, duplicateDoneText, duplicateQuestion, duplicateRefusal} from '../source/state/duplicate.js';
import {staticToken} from '../source/api/auth.js';
import {createClient, type ExportsClient, type FetchLike} from '../source/api/client.js';
import {keepAliveFetch} from '../source/api/http.js';
import type {ExportRecord} from '../source/api/types.js';
import {startDemoServer, type DemoServer} from '../source/demo/server.js';
import {displayWidth} from '../source/text/width.js';
import {createClock, type Clock} from './helpers/demo.js';

let clock: Clock;
let demo: DemoServer;
let client: ExportsClient;
/** The bodies the client sent, as they went on the wire. */
const sent: Array<{method: string; url: string; body?: string}> = [];

beforeAll(async () => {
	clock = createClock();
	demo = await startDemoServer({now: clock.now, rateLimit: false});
	const capture: FetchLike = async (url, init) => {
		sent.push({method: init.method, url, ...(init.body === undefined ? {} : {body: init.body})});
		return keepAliveFetch(url, init);
	};

	client = createClient({baseUrl: demo.url, auth: staticToken(demo.token), rateLimit: false, fetch: capture});
});

afterAll(async () => {
	await demo.close();
});

function record(attributes: ExportRecord['attributes'], id = 'SRCexport1'): ExportRecord {
	return {id, type: 'exports', attributes};
}

describe('duplicateAttributes', () => {
	it('copies the six parameters and nothing else: not the reference, metadata, status or times', () => {
		const source = record({
			resource_type: 'orders',
			format: 'csv',
			status: 'failed',
			includes: ['customer', 'line_items'],
			fields: ['number', 'customer.email'],
			filters: {status_eq: 'placed', created_at_gteq: '2026-01-01T00:00:00Z'},
			dry_data: true,
			jwt_filters: false,
			reference: 'nightly-1',
			reference_origin: 'scheduler',
			metadata: {by: 'cron'},
			records_count: 120,
			errors_log: {RuntimeError: 'query timeout'},
			created_at: '2026-11-15T11:00:00Z',
		});
		expect(duplicateAttributes(source)).toEqual({
			resource_type: 'orders',
			format: 'csv',
			includes: ['customer', 'line_items'],
			fields: ['number', 'customer.email'],
			filters: {status_eq: 'placed', created_at_gteq: '2026-01-01T00:00:00Z'},
			dry_data: true,
		});
	});

	it('leaves out parameters with no value, and keeps dry_data false as the source had it', () => {
		expect(duplicateAttributes(record({resource_type: 'skus', format: null, includes: [], fields: null, filters: {}, dry_data: false}))).toEqual({
			resource_type: 'skus',
			dry_data: false,
		});
		expect(duplicateAttributes(record({resource_type: 'skus', format: '', includes: null}))).toEqual({resource_type: 'skus'});
	});

	it('copies, never shares, the lists and objects of the source', () => {
		const source = record({resource_type: 'skus', fields: ['code'], filters: {code_in: ['A', 'B']}});
		const copy = duplicateAttributes(source)!;
		(copy.fields as string[]).push('name');
		(copy.filters!['code_in'] as string[]).push('C');
		expect(source.attributes.fields).toEqual(['code']);
		expect(source.attributes.filters).toEqual({code_in: ['A', 'B']});
	});

	it('has nothing to duplicate without a resource type, and says so; read-only refuses first', () => {
		expect(duplicateAttributes(record({resource_type: null}))).toBeUndefined();
		expect(duplicateAttributes(record({resource_type: '  '}))).toBeUndefined();
		expect(duplicateRefusal(record({}, 'X\u001B[2J1'), {readOnly: false})).toBe('Export X1 does not say its resource type: nothing to duplicate');
		expect(duplicateRefusal(record({resource_type: 'skus'}), {readOnly: true})).toBe('Read-only (--read-only): duplicate is off');
		expect(duplicateRefusal(undefined, {readOnly: false})).toBe('No export selected');
		expect(duplicateRefusal(record({resource_type: 'skus'}), {readOnly: false})).toBeUndefined();
	});
});

describe('the duplicate question', () => {
	it('shows the parameters', () => {
		const attributes = duplicateAttributes(
			record({resource_type: 'skus', format: 'csv', fields: ['code', 'name'], filters: {code_eq: 'A', id_in: ['x', 'y']}, dry_data: true}),
		)!;
		expect(duplicateQuestion(attributes, 120)).toBe('Duplicate as a new skus export (csv · fields: code, name · filters: code_eq=A id_in=x,y · dry data)? y/N');
		expect(duplicateQuestion(attributes)).toBe('Duplicate as a new skus export (csv · fields: code, name · filters: code_…)? y/N');
		expect(duplicateQuestion({resource_type: 'orders'})).toBe('Duplicate as a new orders export (json)? y/N');
	});

	it('fits the width by cutting the parameters, never the question, and shows no control character', () => {
		const attributes = {
			resource_type: 'orders',
			format: 'csv',
			includes: ['customer', 'line_items.line_item_options', 'shipments.parcels'],
			filters: {reference_cont: 'summer\u001B]52;c;aGk=\u0007', number_gt: '1000'},
		};
		for (const width of [60, 80]) {
			const question = duplicateQuestion(attributes, width);
			expect(displayWidth(question)).toBeLessThanOrEqual(width);
			expect(question).toMatch(/^Duplicate as a new orders export \(csv · includes: .*…\)\? y\/N$/);
			expect(question).not.toMatch(/[\u0000-\u001F\u007F-\u009F]/);
		}

		expect(describeParameters(attributes)[2]).toBe('filters: reference_cont=summer number_gt=1000');
	});
});

describe('duplicateExport against the demo API', () => {
	it('sends one POST with exactly the source parameters; the new export runs from pending to completed', async () => {
		const source = demo
			.allExports()
			.find(
				r =>
					(r.attributes.includes ?? []).length > 0 &&
					Object.keys(r.attributes.filters ?? {}).length > 0 &&
					(r.attributes.fields ?? []).length > 0 &&
					(r.attributes.reference ?? '') !== '',
			);
		expect(source).toBeDefined();
		const {id, attributes} = source!;
		sent.length = 0;
		demo.clearRequests();

		const {created} = await duplicateExport(client, source!);

		// On the wire: one request, the JSON:API create document with the six parameters only.
		expect(sent).toHaveLength(1);
		expect(sent[0]).toMatchObject({method: 'POST', url: `${demo.url}/api/exports`});
		expect(JSON.parse(sent[0]?.body ?? '')).toEqual({
			data: {
				type: 'exports',
				attributes: {
					resource_type: attributes.resource_type,
					format: attributes.format,
					includes: attributes.includes,
					fields: attributes.fields,
					filters: attributes.filters,
					dry_data: attributes.dry_data,
				},
			},
		});
		expect(demo.requests.map(request => [request.method, request.path, request.status])).toEqual([['POST', '/api/exports', 201]]);

		// The API's answer: a new pending export with those parameters, none of the source's own.
		expect(created.id).not.toBe(id);
		expect(created.attributes).toMatchObject({
			status: 'pending',
			resource_type: attributes.resource_type,
			format: attributes.format,
			includes: attributes.includes,
			fields: attributes.fields,
			filters: attributes.filters,
			dry_data: attributes.dry_data,
			reference: null,
			attachment_url: null,
		});
		expect(duplicateDoneText(created, id)).toBe(`Created export ${created.id} (${attributes.resource_type}, ${attributes.format}), a duplicate of ${id}`);

		clock.advance(5000);
		expect((await client.getExport(created.id)).attributes.status).toBe('in_progress');
		clock.advance(10 * 60_000);
		const done = await client.getExport(created.id);
		expect(done.attributes.status).toBe('completed');
		expect(done.attributes.attachment_url).toMatch(new RegExp(`/attachments/${created.id}\\.`));
		// The source is as it was.
		expect((await client.getExport(id)).attributes.reference).toBe(attributes.reference);
	});

	it.each([
		['an unknown resource type', {resource_type: 'planets'}, 'Duplicate refused: resource_type is not included in the list'],
		['an unknown format', {resource_type: 'skus', format: 'xml'}, 'Duplicate refused: format is not included in the list'],
		['includes that are not a list', {resource_type: 'skus', includes: 'prices' as unknown as string[]}, 'Duplicate refused: includes is not an array of strings'],
	])('answers %s with 422 and the attribute its pointer names', async (_what, attributes, said) => {
		const error = await client.createExport(attributes).catch((error_: unknown) => error_);
		expect(error).toMatchObject({status: 422, errors: [{code: 'VALIDATION_ERROR', source: {pointer: `/data/attributes/${said.split(' ')[2]}`}}]});
		expect(duplicateFailure(error)).toBe(said);
	});

	it('answers a create with no resource type with 422 "can\'t be blank"', async () => {
		const error = await client.createExport({resource_type: ''}).catch((error_: unknown) => error_);
		expect(duplicateFailure(error)).toBe("Duplicate refused: resource_type can't be blank");
	});

	it('never sends a create twice: a 5xx is reported, not retried', async () => {
		const source = demo.allExports().find(r => r.attributes.status === 'failed')!;
		demo.injectFault({method: 'POST', path: '/api/exports', kind: 'status', status: 503});
		demo.clearRequests();
		const before = demo.allExports().length;
		const error = await duplicateExport(client, source).catch((error_: unknown) => error_);
		expect(duplicateFailure(error)).toMatch(/^Duplicate failed: Service Unavailable/);
		expect(demo.requests.filter(request => request.method === 'POST')).toHaveLength(1);
		expect(demo.allExports()).toHaveLength(before);
	});
});
