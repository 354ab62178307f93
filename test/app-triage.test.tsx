// Triage power over the demo API: marks (Space) and the bulk actions on them (what the server
// receives, and when), peek (`v`: the records of the export's file, nothing written), and
// duplicate (`c`: one POST with the source's parameters, the new export selected at the top).
import {mkdtemp, readdir, rm} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {gunzipSync} from 'node:zlib';
import {parse as parseCsv} from 'csv-parse/sync';
import {afterAll, afterEach, beforeAll, describe, expect, test} from 'vitest';
import type {DownloadFetch} from '../source/actions/download.js';
import {createRateLimiter} from '../source/api/rate-limit.js';
import type {ExportRecord} from '../source/api/types.js';
import {duplicateAttributes} from '../source/state/duplicate.js';
import {startApp, type Harness, type HarnessOptions} from './helpers/app-harness.js';
import {createClock, newestFirst} from './helpers/demo.js';
import {keys} from './helpers/keys.js';

let harness: Harness | undefined;
let root: string;

beforeAll(async () => {
	root = await mkdtemp(path.join(tmpdir(), 'cl-exports-app-triage-'));
});

afterAll(async () => {
	await rm(root, {recursive: true, force: true});
});

afterEach(async () => {
	await harness?.close();
	harness = undefined;
});

// A clock that stands still: the demo's running exports do not move under these tests.
const frozen = () => Date.UTC(2026, 10, 15, 12, 0, 0);

async function open(options: HarnessOptions): Promise<Harness> {
	harness = await startApp({now: frozen, ...options, server: {now: frozen, ...options.server}});
	await harness.waitForRows();
	await harness.settled();
	return harness;
}

/** The exports the list shows first, under a filter the test set. */
function listed(h: Harness, where: (record: ExportRecord) => boolean): ExportRecord[] {
	return newestFirst(h.server.allExports().filter(record => where(record)));
}

const status =
	(...names: string[]) =>
		(record: ExportRecord) =>
			names.includes(String(record.attributes.status));

function writes(h: Harness) {
	return h.wire.filter(entry => entry.method !== 'GET');
}

/** The table's line for an export. */
function row(h: Harness, id: string): string {
	return h.frame().split('\n').find(line => line.startsWith('│') && line.includes(id)) ?? '';
}

describe('marks and bulk actions', () => {
	test('three failed exports marked, t then y: exactly three _start PATCHes for those three, none before y', async () => {
		const h = await open({filterText: 'status:failed'});
		const failed = listed(h, status('failed')).slice(0, 3);
		await h.press(' ', ' ', ' ');
		await h.waitForFrame('3 marked');
		for (const record of failed) {
			expect(row(h, record.id)).toMatch(/^│✓/);
		}

		await h.press('t');
		await h.waitForFrame('Restart 3 exports (3 failed)? y/N');
		await h.settled();
		expect(writes(h)).toEqual([]);
		await h.press('y');
		await h.waitForFrame('3 restarted');
		expect(writes(h)).toEqual(
			failed.map(record => ({
				method: 'PATCH',
				url: `${h.server.url}/api/exports/${record.id}`,
				body: JSON.stringify({data: {type: 'exports', id: record.id, attributes: {_start: true}}}),
			})),
		);
		for (const record of failed) {
			expect(h.server.allExports().find(item => item.id === record.id)?.attributes.status).toBe('pending');
		}

		// The list and the counts again: the restarted ones left the failed filter.
		await h.waitForFrame(frame => failed.every(record => !frame.includes(record.id)), {message: 'the restarted exports gone from the list'});
	});

	test('mixed statuses: the question counts what is skipped, the result line reports it, only the allowed are sent', async () => {
		const h = await open({filterText: 'status:failed,completed'});
		const shown = listed(h, status('failed', 'completed'));
		// Mark every row of the first page.
		await h.press(...shown.slice(0, h.pageSize).map(() => ' '));
		await h.waitForFrame(`${h.pageSize} marked`);
		const marked = shown.slice(0, h.pageSize);
		const failed = marked.filter(status('failed'));
		const completed = marked.length - failed.length;
		expect(failed.length).toBeGreaterThan(0);
		expect(completed).toBeGreaterThan(0);
		await h.press('t');
		await h.waitForFrame(`Restart ${marked.length} exports (${failed.length} failed, ${completed} completed skipped)? y/N`);
		await h.press('y');
		await h.waitForFrame(`${failed.length} restarted, ${completed} skipped (completed)`);
		expect(writes(h).map(entry => entry.url)).toEqual(failed.map(record => `${h.server.url}/api/exports/${record.id}`));
	});

	test('marks survive moving and another filter; --read-only refuses t and lets D download the marked completed ones', async () => {
		const dir = await mkdtemp(path.join(root, 'bulk-download-'));
		const h = await open({filterText: 'status:completed', config: {readOnly: true, downloadDir: dir}});
		const completed = listed(h, status('completed')).slice(0, 2);
		await h.press(' ', ' ');
		await h.waitForFrame('2 marked');
		// Another filter, and back: the marks are the exports, not the positions.
		await h.press('4');
		await h.waitForFrame(frame => frame.includes('/status:completed,failed') || frame.includes('/status:failed'));
		await h.press('5', '4');
		await h.waitForRows();
		await h.press(keys.end, keys.home);
		await h.waitForFrame(() => completed.every(record => row(h, record.id).startsWith('│✓')), {message: 'the marked rows'});
		expect(h.frame()).toContain('2 marked');

		await h.press('t');
		await h.waitForFrame('Read-only (--read-only): restart is off');
		await h.press('D');
		await h.waitForFrame('Download 2 exports (2 completed)? y/N');
		await h.press('y');
		await h.waitForFrame('2 downloaded');
		expect((await readdir(dir)).sort()).toEqual(completed.map(record => `${record.id}.${String(record.attributes.format)}.gz`).sort());
		expect(writes(h)).toEqual([]);
	});

	test('Esc while a bulk action runs stops what has not been sent; what was sent is reported', async () => {
		// The first PATCH reaches the server; its answer is held until the test lets it through.
		let release: () => void = () => {};

		const gate = new Promise<void>(resolve => {
			release = resolve;
		});
		const h = await open({
			filterText: 'status:failed',
			wrapClient: client => ({
				...client,
				async updateExport(...args) {
					const answer = await client.updateExport(...args);
					await gate;
					return answer;
				},
			}),
		});
		const [first] = listed(h, status('failed'));
		await h.press(' ', ' ', ' ', 't');
		await h.waitForFrame('Restart 3 exports (3 failed)? y/N');
		await h.press('y');
		await h.waitForFrame(`Restarting 1 of 3 (${first!.id})… · Esc stops`);
		await h.waitFor(() => writes(h).length === 1, {message: 'the first PATCH sent'});
		await h.press(keys.escape);
		await h.waitForFrame('stopping: nothing more is sent');
		release();
		await h.waitForFrame('1 restarted, 2 not sent (stopped)');
		await h.settled();
		expect(writes(h).map(entry => entry.url)).toEqual([`${h.server.url}/api/exports/${first!.id}`]);
		// The marks are still there for another try.
		expect(h.frame()).toContain('3 marked');
	});

	test('Esc clears the marks after closing the details, before clearing the filter', async () => {
		const h = await open({filterText: 'status:failed'});
		await h.press(' ', keys.enter);
		await h.waitForFrame('1 marked');
		await h.press(keys.escape);
		await h.waitForFrame(frame => frame.includes('1 marked') && frame.includes('/status:failed'));
		await h.press(keys.escape);
		await h.waitForFrame('1 mark cleared');
		expect(h.frame()).toContain('/status:failed');
		await h.press(keys.escape);
		await h.waitForFrame('filter none');
	});

	test('a bulk action stays within the rate limit: the client paces the writes, the server answers no 429', async () => {
		// A small write limit on the demo, the same in the client's pacer; the clock moves as the pacer waits.
		const clock = createClock();
		const windows = [{limit: 5, windowMs: 10_000}];
		const limiter = createRateLimiter({
			windows,
			now: clock.now,
			async sleep(ms) {
				clock.advance(ms);
			},
		});
		const h = await open({
			filterText: 'status:failed,interrupted',
			server: {now: clock.now, rateLimit: windows[0]},
			now: clock.now,
			rateLimit: limiter,
			prefetch: false,
		});
		const restartable = listed(h, status('failed', 'interrupted'));
		expect(restartable.length).toBeGreaterThan(5);
		await h.press(...restartable.map(() => ' '));

		await h.waitForFrame(`${restartable.length} marked`);
		h.server.clearRequests();
		await h.press('t');
		await h.waitForFrame(`Restart ${restartable.length} exports`);
		await h.press('y');
		const started = clock.now();
		await h.waitForFrame(`${restartable.length} restarted`, {timeoutMs: 20_000});
		const sent = h.server.requests.filter(request => request.method === 'PATCH');
		expect(sent).toHaveLength(restartable.length);
		expect(h.server.requests.filter(request => request.status === 429)).toEqual([]);
		const times = sent.map(request => request.at);
		for (const at of times) {
			expect(times.filter(other => other >= at && other < at + 10_000).length).toBeLessThanOrEqual(5);
		}

		// They could not all go in one window: the pacer held them.
		expect(clock.now() - started).toBeGreaterThanOrEqual(10_000);
	});
});

/** The records in an export's file, read from the demo's signed link. */
async function fileRecords(record: ExportRecord): Promise<Array<Record<string, unknown>>> {
	const response = await fetch(String(record.attributes.attachment_url));
	const text = gunzipSync(Buffer.from(await response.arrayBuffer())).toString('utf8');
	return record.attributes.format === 'csv' ? (parseCsv(text, {columns: true}) as Array<Record<string, unknown>>) : (JSON.parse(text) as Array<Record<string, unknown>>);
}

describe('peek', () => {
	for (const format of ['csv', 'json'] as const) {
		test(`v on a completed ${format} export shows the records of its file, scrolls, and Esc closes it; nothing written`, async () => {
			const dir = await mkdtemp(path.join(root, 'peek-'));
			const h = await open({filterText: `status:completed format:${format}`, config: {downloadDir: dir}, size: {columns: 80, rows: 24}});
			const target = listed(h, record => record.attributes.status === 'completed' && record.attributes.format === format)[0]!;
			const records = await fileRecords(target);
			const [firstRecord] = records;
			expect(firstRecord).toBeDefined();
			await h.press('v');
			const frame = await h.waitForFrame(/the whole file|the file goes on/, {message: 'the records'});
			expect(frame).toContain(`${target.id} · ${format} · first records`);
			expect(frame).toContain(`1 │ ${String(firstRecord!.id)}`);
			// The records read, and whether the file goes on (at most 200 are read).
			const read = Math.min(records.length, 200);
			const end = records.length > 200 ? 'the file goes on' : 'the whole file';
			expect(frame).toMatch(new RegExp(`(rows 1-\\d+ of ${read}|${read} records?)( · cols [\\d-]+ of \\d+)? · ${end} ─`));
			expect(frame.split('\n').every(line => line.length <= 80)).toBe(true);

			// Sideways: the first column leaves the view.
			await h.press('l');
			await h.waitForFrame(current => !current.includes(`1 │ ${String(firstRecord!.id)}`), {message: 'scrolled sideways'});
			await h.press(keys.escape);
			await h.waitForFrame(current => !current.includes('first records') && row(h, target.id).startsWith('│>'), {message: 'the table back'});
			expect(await readdir(dir)).toEqual([]);
		});
	}

	test('a link storage refuses is one line in the overlay; Esc closes it', async () => {
		const refuse: DownloadFetch = async () => ({
			status: 403,
			statusText: 'Forbidden',
			headers: {get: () => null},
			body: null,
		});
		const h = await open({filterText: 'status:completed', downloadFetch: refuse});
		await h.press('v');
		const frame = await h.waitForFrame('Cannot read the file');
		expect(frame).toMatch(/Cannot read the file: 127\.0\.0\.1:\d+ answered 403 Forbidden/);
		expect(frame).toContain('not read');
		await h.press(keys.escape);
		await h.waitForFrame(current => !current.includes('Cannot read the file'));
	});
});

describe('duplicate', () => {
	test('c then y: one POST with the source\'s parameters; the new export appears at the top, selected', async () => {
		const h = await open({});
		const source = listed(h, status('completed'))[0]!;
		const index = listed(h, () => true).findIndex(record => record.id === source.id);
		for (let step = 0; step < index; step++) {
			await h.press(keys.down);
		}

		await h.waitForFrame(() => row(h, source.id).startsWith('│>'), {message: 'the source selected'});
		await h.press('c');
		await h.waitForFrame(`Duplicate as a new ${String(source.attributes.resource_type)} export (`);
		await h.settled();
		expect(writes(h)).toEqual([]);
		await h.press('y');
		const frame = await h.waitForFrame(`a duplicate of ${source.id}`);
		const created = /Created export (\w+)/.exec(frame)?.[1];
		expect(created).toBeDefined();
		expect(writes(h)).toHaveLength(1);
		const [post] = writes(h);
		expect(post?.method).toBe('POST');
		expect(post?.url).toBe(`${h.server.url}/api/exports`);
		expect(JSON.parse(post?.body ?? '{}')).toEqual({data: {type: 'exports', attributes: duplicateAttributes(source)}});
		await h.waitForFrame(() => row(h, created!).startsWith('│>'), {message: 'the new export selected'});
		const tableRows = h.frame().split('\n').filter(line => /^│[>✓* ]/.test(line) && !line.includes('status'));
		expect(tableRows[0]).toContain(created);
	});

	test('--read-only refuses c, nothing sent', async () => {
		const h = await open({config: {readOnly: true}});
		await h.press('c');
		await h.waitForFrame('Read-only (--read-only): duplicate is off');
		await h.settled();
		expect(writes(h)).toEqual([]);
	});
});
