import {gunzipSync} from 'node:zlib';
import {afterEach, describe, expect, it} from 'vitest';
import type {ExportRecord} from '../source/api/types.js';
import {startDemoServer, type DemoServer} from '../source/demo/server.js';
import {api, createClock, errorOf, filters, jsonApi, listIds, type Clock} from './helpers/demo.js';

let server: DemoServer | undefined;
afterEach(async () => {
	await server?.close();
	server = undefined;
});

async function start(clock: Clock, options: Parameters<typeof startDemoServer>[0] = {}): Promise<DemoServer> {
	server = await startDemoServer({now: clock.now, rateLimit: false, ...options});
	return server;
}

function patch(target: DemoServer, id: string, attributes: Record<string, unknown>, init: {contentType?: string; bodyId?: string} = {}) {
	return api<{data: ExportRecord}>(target, `/api/exports/${id}`, {
		method: 'PATCH',
		headers: {'content-type': init.contentType ?? jsonApi},
		body: JSON.stringify({data: {type: 'exports', id: init.bodyId ?? id, attributes}}),
	});
}

async function get(target: DemoServer, id: string): Promise<ExportRecord> {
	const reply = await api<{data: ExportRecord}>(target, `/api/exports/${id}`);
	expect(reply.status).toBe(200);
	return reply.body.data;
}

function firstWith(target: DemoServer, status: string): ExportRecord {
	const found = target.allExports().find(record => record.attributes.status === status);
	if (!found) {
		throw new Error(`no ${status} export`);
	}

	return found;
}

describe('demo API: PATCH triggers', () => {
	it('interrupts an in-progress export: status, interrupted_at, frozen progress', async () => {
		const clock = createClock();
		const target = await start(clock);
		const running = firstWith(target, 'in_progress');
		clock.advance(3000);
		const reply = await patch(target, running.id, {_interrupt: true});
		expect(reply.status).toBe(200);
		const record = reply.body.data;
		expect(record.attributes).toMatchObject({status: 'interrupted', interrupted_at: new Date(clock.now()).toISOString(), updated_at: new Date(clock.now()).toISOString()});
		const frozen = record.attributes.processed_count as number;
		expect(frozen).toBeGreaterThan(running.attributes.processed_count as number);
		clock.advance(60_000);
		expect((await get(target, running.id)).attributes).toMatchObject({status: 'interrupted', processed_count: frozen});
	});

	it('interrupts a pending export', async () => {
		const clock = createClock();
		const target = await start(clock);
		const pending = firstWith(target, 'pending');
		const reply = await patch(target, pending.id, {_interrupt: true});
		expect(reply.body.data.attributes.status).toBe('interrupted');
		clock.advance(30 * 60_000);
		expect((await get(target, pending.id)).attributes.status).toBe('interrupted');
	});

	it('refuses to interrupt completed, failed, interrupted or unknown-status exports with 422', async () => {
		const target = await start(createClock());
		for (const status of ['completed', 'failed', 'interrupted', 'queued']) {
			const record = firstWith(target, status);
			const reply = await patch(target, record.id, {_interrupt: true});
			expect(reply.status).toBe(422);
			expect(reply.body).toEqual({
				errors: [
					{
						title: `cannot transition via "interrupt" from "${status}"`,
						detail: `status - cannot transition via "interrupt" from "${status}"`,
						code: 'VALIDATION_ERROR',
						source: {pointer: '/data/attributes/status'},
						status: '422',
						meta: {error: 'invalid_transition', event: 'interrupt', from: status},
					},
				],
			});
			expect((await get(target, record.id)).attributes.status).toBe(status);
		}
	});

	it('restarts an interrupted export: pending, then in progress, then completed with an attachment', async () => {
		const clock = createClock();
		const target = await start(clock);
		const interrupted = firstWith(target, 'interrupted');
		const total = interrupted.attributes.records_count as number;
		const reply = await patch(target, interrupted.id, {_start: true});
		expect(reply.status).toBe(200);
		expect(reply.body.data.attributes).toMatchObject({
			status: 'pending',
			processed_count: 0,
			progress: 0,
			started_at: null,
			interrupted_at: null,
			errors_log: null,
			attachment_url: null,
		});
		clock.advance(2000);
		const running = await get(target, interrupted.id);
		expect(running.attributes).toMatchObject({status: 'in_progress', started_at: new Date(clock.now()).toISOString(), processed_count: 0});
		clock.advance(10_000);
		const later = await get(target, interrupted.id);
		expect(later.attributes.status).toBe('in_progress');
		expect(later.attributes.processed_count).toBeGreaterThan(0);
		expect(later.attributes.processed_count).toBeLessThan(total);
		expect(later.attributes.progress).toBe(Math.floor(((later.attributes.processed_count as number) * 100) / total));
		clock.advance(120_000);
		const done = await get(target, interrupted.id);
		expect(done.attributes).toMatchObject({status: 'completed', processed_count: total, progress: 100});
		expect(Date.parse(String(done.attributes.completed_at))).toBeLessThanOrEqual(clock.now());
		expect(done.attributes.attachment_url).toMatch(/\/attachments\//);
		const file = await fetch(String(done.attributes.attachment_url));
		expect(file.status).toBe(200);
	});

	it('restarts a failed export, and refuses to start completed or running ones', async () => {
		const target = await start(createClock());
		const failed = firstWith(target, 'failed');
		expect((await patch(target, failed.id, {_start: true})).body.data.attributes.status).toBe('pending');
		for (const status of ['completed', 'in_progress']) {
			const reply = await patch(target, firstWith(target, status).id, {_start: true});
			expect(reply.status).toBe(422);
			expect(errorOf(reply.body)).toMatchObject({code: 'VALIDATION_ERROR', title: `cannot transition via "start" from "${status}"`});
		}
	});

	it('updates reference, reference_origin and metadata', async () => {
		const clock = createClock();
		const target = await start(clock);
		const record = firstWith(target, 'completed');
		clock.advance(5000);
		const reply = await patch(target, record.id, {reference: 'grp-7', reference_origin: 'my-tui', metadata: {by: 'tui', n: 1}});
		expect(reply.status).toBe(200);
		expect(reply.body.data.attributes).toMatchObject({
			reference: 'grp-7',
			reference_origin: 'my-tui',
			metadata: {by: 'tui', n: 1},
			updated_at: new Date(clock.now()).toISOString(),
			status: 'completed',
		});
		expect((await get(target, record.id)).attributes.metadata).toEqual({by: 'tui', n: 1});
		expect(await listIds(target, filters({metadata_jcont: '{"by":"tui"}'}))).toEqual([record.id]);
		const cleared = await patch(target, record.id, {reference: null, metadata: null});
		expect(cleared.body.data.attributes).toMatchObject({reference: null, metadata: null, reference_origin: 'my-tui'});
	});

	it('validates the request: media type, id in the body, attributes, JSON', async () => {
		const target = await start(createClock());
		const record = firstWith(target, 'completed');
		const wrongType = await patch(target, record.id, {reference: 'x'}, {contentType: 'application/json'});
		expect(wrongType.status).toBe(415);
		expect(errorOf(wrongType.body)).toMatchObject({code: 'UNSUPPORTED_MEDIA_TYPE', status: '415'});

		const mismatch = await patch(target, record.id, {reference: 'x'}, {bodyId: 'OtherIdAbc'});
		expect(mismatch.status).toBe(400);
		expect(mismatch.body).toEqual({
			errors: [{title: 'Key is not included in URL', detail: 'The URL does not support the key OtherIdAbc', code: 'KEY_NOT_INCLUDED_IN_URL', status: '400'}],
		});

		const notAllowed = await patch(target, record.id, {status: 'completed'});
		expect(notAllowed.status).toBe(400);
		expect(errorOf(notAllowed.body)).toMatchObject({code: 'PARAM_NOT_ALLOWED', detail: 'status is not allowed.'});

		const badValue = await patch(target, record.id, {metadata: 'text'});
		expect(badValue.status).toBe(422);
		expect(errorOf(badValue.body)).toMatchObject({code: 'VALIDATION_ERROR', source: {pointer: '/data/attributes/metadata'}});

		const broken = await api(target, `/api/exports/${record.id}`, {method: 'PATCH', headers: {'content-type': jsonApi}, body: '{"data":'});
		expect(broken.status).toBe(400);
		const noData = await api(target, `/api/exports/${record.id}`, {method: 'PATCH', headers: {'content-type': jsonApi}, body: '{}'});
		expect(errorOf(noData.body)).toMatchObject({code: 'PARAM_MISSING', status: '400'});

		const missing = await patch(target, 'XxYyZzKkJj', {_interrupt: true});
		expect(missing.status).toBe(404);
		expect(errorOf(missing.body)?.code).toBe('RECORD_NOT_FOUND');
		expect((await get(target, record.id)).attributes.reference).toBe(record.attributes.reference);
	});
});

describe('demo API: DELETE and POST', () => {
	it('deletes an export (204, no body); then it is gone from retrieve, list and attachments', async () => {
		const target = await start(createClock());
		const record = firstWith(target, 'completed');
		const url = String(record.attributes.attachment_url);
		const reply = await api(target, `/api/exports/${record.id}`, {method: 'DELETE'});
		expect(reply.status).toBe(204);
		expect(reply.text).toBe('');
		expect((await api(target, `/api/exports/${record.id}`)).status).toBe(404);
		expect((await api(target, `/api/exports/${record.id}`, {method: 'DELETE'})).status).toBe(404);
		expect(target.allExports()).toHaveLength(299);
		expect((await api(target, '/api/exports?page%5Bsize%5D=1')).body.meta.record_count).toBe(299);
		const file = await fetch(url);
		expect(file.status).toBe(404);
		expect(await file.text()).toContain('<Code>NoSuchKey</Code>');
		// Write requests are logged like reads.
		expect(target.requests.filter(request => request.method === 'DELETE').map(request => [request.path, request.status])).toEqual([
			[`/api/exports/${record.id}`, 204],
			[`/api/exports/${record.id}`, 404],
		]);
	});

	it('creates an export that starts pending and runs to completion', async () => {
		const clock = createClock();
		const target = await start(clock);
		const reply = await api<{data: ExportRecord}>(target, '/api/exports', {
			method: 'POST',
			headers: {'content-type': jsonApi},
			body: JSON.stringify({data: {type: 'exports', attributes: {resource_type: 'skus', format: 'csv', reference: 'new-1', metadata: {by: 'test'}}}}),
		});
		expect(reply.status).toBe(201);
		expect(reply.body.data.attributes).toMatchObject({resource_type: 'skus', format: 'csv', status: 'pending', reference: 'new-1', metadata: {by: 'test'}});
		clock.advance(10 * 60_000);
		expect((await get(target, reply.body.data.id)).attributes.status).toBe('completed');
		const invalid = await api(target, '/api/exports', {
			method: 'POST',
			headers: {'content-type': jsonApi},
			body: JSON.stringify({data: {type: 'exports', attributes: {resource_type: 'planets'}}}),
		});
		expect(invalid.status).toBe(422);
		expect(errorOf(invalid.body)).toMatchObject({code: 'VALIDATION_ERROR', detail: 'resource_type - is not included in the list'});
	});
});

describe('demo API: exports advance with the clock', () => {
	it('moves running exports forward, completes them with an attachment, and starts pending ones', async () => {
		const clock = createClock();
		const target = await start(clock);
		const before = target.allExports();
		const running = before.filter(record => record.attributes.status === 'in_progress');
		const pending = before.filter(record => record.attributes.status === 'pending');
		expect(running.length).toBeGreaterThanOrEqual(5);
		expect(pending.length).toBeGreaterThanOrEqual(2);

		clock.advance(5000);
		const byId = new Map(target.allExports().map(record => [record.id, record]));
		for (const record of running) {
			const now = byId.get(record.id)!;
			expect(now.attributes.status).toBe('in_progress');
			expect(now.attributes.processed_count).toBeGreaterThan(record.attributes.processed_count as number);
			expect(now.attributes.progress).toBe(Math.floor(((now.attributes.processed_count as number) * 100) / (now.attributes.records_count as number)));
			expect(Date.parse(String(now.attributes.estimated_completion_at))).toBeGreaterThan(clock.now());
		}

		// A refresh over HTTP shows the same change.
		const first = running[0]!;
		expect((await get(target, first.id)).attributes.processed_count).toBe(byId.get(first.id)!.attributes.processed_count);

		clock.advance(30 * 60_000);
		const after = new Map(target.allExports().map(record => [record.id, record]));
		for (const record of [...running, ...pending]) {
			const now = after.get(record.id)!;
			expect(now.attributes).toMatchObject({status: 'completed', progress: 100, processed_count: record.attributes.records_count});
			expect(now.attributes.attachment_url).toMatch(/\/attachments\//);
			expect(Date.parse(String(now.attributes.completed_at))).toBeLessThanOrEqual(clock.now());
			expect(Date.parse(String(now.attributes.completed_at))).toBeGreaterThan(Date.parse(String(now.attributes.started_at)));
		}

		// The first running export finishes within a couple of minutes, so the demo shows a completion early.
		const soon = createClock();
		const other = await startDemoServer({now: soon.now, rateLimit: false});
		const firstRunning = other.allExports().find(record => record.attributes.status === 'in_progress')!;
		soon.advance(3 * 60_000);
		const counts = other.allExports().filter(record => record.attributes.status === 'completed').length;
		expect(counts).toBeGreaterThan(before.filter(record => record.attributes.status === 'completed').length);
		expect(other.allExports().filter(record => record.attributes.status === 'in_progress').length).toBeGreaterThan(0);
		expect(firstRunning).toBeDefined();
		await other.close();
	});

	it('is deterministic: the same seed and clock give the same data; another seed does not', async () => {
		const strip = (records: ExportRecord[], origin: string) => JSON.stringify(records).split(origin).join('<origin>');
		const a = await startDemoServer({now: createClock().now, rateLimit: false});
		const b = await startDemoServer({now: createClock().now, rateLimit: false});
		const c = await startDemoServer({now: createClock().now, rateLimit: false, seed: 2});
		try {
			expect(strip(a.allExports(), a.url)).toBe(strip(b.allExports(), b.url));
			const listA = await api(a, '/api/exports?sort=-created_at&page%5Bsize%5D=25');
			const listB = await api(b, '/api/exports?sort=-created_at&page%5Bsize%5D=25');
			expect(listA.text.split(a.url).join('')).toBe(listB.text.split(b.url).join(''));
			expect(c.allExports().map(record => record.id)).not.toEqual(a.allExports().map(record => record.id));
		} finally {
			await Promise.all([a.close(), b.close(), c.close()]);
		}
	});
});

describe('demo API: attachment downloads', () => {
	it('serves a gzipped JSON file whose records match the export', async () => {
		const clock = createClock();
		const target = await start(clock);
		const record = target
			.allExports()
			.find(item => item.attributes.status === 'completed' && item.attributes.format === 'json' && item.attributes.resource_type === 'skus' && item.attributes.fields?.length === 0 && !item.attributes.dry_data)!;
		const response = await fetch(String(record.attributes.attachment_url));
		expect(response.status).toBe(200);
		expect(response.headers.get('content-type')).toBe('application/gzip');
		const bytes = Buffer.from(await response.arrayBuffer());
		expect(Number(response.headers.get('content-length'))).toBe(bytes.length);
		const rows = JSON.parse(gunzipSync(bytes).toString('utf8')) as Array<Record<string, unknown>>;
		expect(rows).toHaveLength(record.attributes.records_count as number);
		for (const row of rows) {
			expect(row).toMatchObject({id: expect.stringMatching(/^[A-Za-z]{10}$/), code: expect.any(String), name: expect.any(String)});
		}

		// The same bytes on every download.
		const again = Buffer.from(await (await fetch(String(record.attributes.attachment_url))).arrayBuffer());
		expect(again.equals(bytes)).toBe(true);
	});

	it('serves CSV with a header line and one line per record, with the columns the export asked for', async () => {
		const target = await start(createClock());
		const record = target
			.allExports()
			.find(
				item =>
					item.attributes.status === 'completed' &&
					item.attributes.format === 'csv' &&
					!item.attributes.dry_data &&
					(item.attributes.fields?.length ?? 0) > 0 &&
					!item.attributes.fields?.includes('*') &&
					(item.attributes.records_count as number) > 5,
			)!;
		const response = await fetch(String(record.attributes.attachment_url));
		const text = gunzipSync(Buffer.from(await response.arrayBuffer())).toString('utf8');
		const lines = text.trimEnd().split('\n');
		expect(lines).toHaveLength((record.attributes.records_count as number) + 1);
		expect(lines[0]).toBe(['id', ...record.attributes.fields!.filter(field => !field.includes('.'))].join(','));
		expect(lines[1]!.split(',')[0]).toMatch(/^[A-Za-z]{10}$/);
	});

	it('leaves out ids, timestamps and blanks for dry_data exports', async () => {
		const target = await start(createClock());
		const record = target.allExports().find(item => item.attributes.status === 'completed' && item.attributes.dry_data === true && item.attributes.format === 'json')!;
		const rows = JSON.parse(gunzipSync(Buffer.from(await (await fetch(String(record.attributes.attachment_url))).arrayBuffer())).toString('utf8')) as Array<
			Record<string, unknown>
		>;
		expect(rows).toHaveLength(record.attributes.records_count as number);
		for (const row of rows) {
			expect(Object.keys(row).filter(key => ['id', 'created_at', 'updated_at'].includes(key) || key.endsWith('_id'))).toEqual([]);
			expect(Object.values(row)).not.toContain(null);
		}
	});

	it('answers an expired link with 403 AccessDenied and a tampered one with 403 SignatureDoesNotMatch (S3-style XML)', async () => {
		const clock = createClock();
		const target = await start(clock);
		const record = firstWith(target, 'completed');
		const url = String(record.attributes.attachment_url);
		clock.advance(299_000);
		expect((await fetch(url)).status).toBe(200);
		clock.advance(1000);
		const expired = await fetch(url);
		expect(expired.status).toBe(403);
		expect(expired.headers.get('content-type')).toBe('application/xml');
		const xml = await expired.text();
		expect(xml).toContain('<Error><Code>AccessDenied</Code><Message>Request has expired</Message>');
		// A fresh retrieve gives a working link again.
		const fresh = await get(target, record.id);
		expect((await fetch(String(fresh.attributes.attachment_url))).status).toBe(200);
		const tampered = String(fresh.attributes.attachment_url).replace(/expires=(\d+)/, (_match, value: string) => `expires=${Number(value) + 3600}`);
		const denied = await fetch(tampered);
		expect(denied.status).toBe(403);
		expect(await denied.text()).toContain('<Code>SignatureDoesNotMatch</Code>');
		expect((await fetch(`${target.url}/attachments/${record.id}.json.gz`)).status).toBe(403);
	});
});
