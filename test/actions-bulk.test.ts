// Bulk actions on marked exports: the plan and its words (pure), then the runner against the demo
// API with its rate limit on (25 writes per 10 s, on the demo's clock, which the client's pacer
// shares): what the server receives, what is skipped, what an abort stops, and that the pacer keeps
// a long run clear of 429s.
import {mkdtemp, readdir, rm} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {afterEach, describe, expect, it} from 'vitest';
import {runBulk} from '../source/actions/bulk.js';
import {bulkProgressLine, bulkQuestion, bulkRefusal, bulkResultLine, countByStatus, planBulk} from '../source/state/bulk.js';
import type {BulkProgress, BulkReport} from '../source/state/types.js';
import {staticToken} from '../source/api/auth.js';
import {createClient, type ExportsClient, type FetchLike} from '../source/api/client.js';
import {keepAliveFetch} from '../source/api/http.js';
import {createRateLimiter} from '../source/api/rate-limit.js';
import type {ExportRecord} from '../source/api/types.js';
import {startDemoServer, type DemoServer} from '../source/demo/server.js';
import {displayWidth} from '../source/text/width.js';
import {createClock, type Clock} from './helpers/demo.js';

function row(id: string, status: string): ExportRecord {
	return {id, type: 'exports', attributes: {status, resource_type: 'skus'}};
}

function rows(status: string, count: number, prefix = status): ExportRecord[] {
	return Array.from({length: count}, (_, index) => row(`${prefix}${index + 1}`, status));
}

describe('planBulk and its words', () => {
	it('splits the marked exports by the statuses the action allows', () => {
		const marked = [row('a', 'failed'), row('b', 'completed'), row('c', 'interrupted'), row('d', 'pending')];
		expect(planBulk('restart', marked)).toMatchObject({allowed: [{id: 'a'}, {id: 'c'}], skipped: [{id: 'b'}, {id: 'd'}]});
		expect(planBulk('interrupt', marked)).toMatchObject({allowed: [{id: 'd'}], skipped: [{id: 'a'}, {id: 'b'}, {id: 'c'}]});
		expect(planBulk('delete', marked).allowed).toHaveLength(4);
		expect(planBulk('download', marked)).toMatchObject({allowed: [{id: 'b'}], skipped: [{id: 'a'}, {id: 'c'}, {id: 'd'}]});
	});

	it('asks how many and of which statuses', () => {
		expect(bulkQuestion(planBulk('restart', rows('failed', 3)))).toBe('Restart 3 exports (3 failed)? y/N');
		expect(bulkQuestion(planBulk('restart', [...rows('failed', 3), row('x', 'completed')]))).toBe('Restart 4 exports (3 failed, 1 completed skipped)? y/N');
		const mixed = planBulk('restart', [...rows('failed', 3), ...rows('interrupted', 2), ...rows('completed', 2), row('p', 'pending')]);
		expect(bulkQuestion(mixed, 100)).toBe('Restart 8 exports (3 failed, 2 interrupted; 3 skipped: 2 completed, 1 pending)? y/N');
		expect(bulkQuestion(mixed)).toBe('Restart 8 exports (3 failed, 2 interrupted, 3 skipped)? y/N');
		expect(bulkQuestion(planBulk('delete', [...rows('completed', 2), row('f', 'failed')]))).toBe('Delete 3 exports (2 completed, 1 failed)? This cannot be undone. y/N');
		expect(bulkQuestion(planBulk('interrupt', [row('p', 'pending')]))).toBe('Interrupt 1 export (1 pending)? y/N');
		expect(bulkQuestion(planBulk('download', [...rows('completed', 2), row('r', 'in_progress')]))).toBe('Download 3 exports (2 completed, 1 in_progress skipped)? y/N');
	});

	it('fits 80 and 60 columns: the skipped statuses give way to their count, then the counts are cut', () => {
		const marked = [...rows('pending', 1200), ...rows('in_progress', 34), ...rows('completed', 5000), ...rows('failed', 12), ...rows('interrupted', 7)];
		const plan = planBulk('interrupt', marked);
		expect(bulkQuestion(plan, 200)).toBe('Interrupt 6,253 exports (1,200 pending, 34 in_progress; 5,019 skipped: 5,000 completed, 12 failed, 7 interrupted)? y/N');
		expect(bulkQuestion(plan)).toBe('Interrupt 6,253 exports (1,200 pending, 34 in_progress, 5,019 skipped)? y/N');
		const narrow = bulkQuestion(plan, 60);
		expect(displayWidth(narrow)).toBeLessThanOrEqual(60);
		expect(narrow).toMatch(/^Interrupt 6,253 exports \(1,200 pending, .*…\)\? y\/N$/);
		const deletion = bulkQuestion(planBulk('delete', marked), 80);
		expect(displayWidth(deletion)).toBeLessThanOrEqual(80);
		expect(deletion).toMatch(/\)\? This cannot be undone\. y\/N$/);
	});

	it('shows a status the API invented as text, never as terminal control', () => {
		const plan = planBulk('delete', [row('a', '\u001B]52;c;aGk=\u0007weird\u009B2J')]);
		expect(bulkQuestion(plan)).toBe('Delete 1 export (1 weird)? This cannot be undone. y/N');
	});

	it('refuses read-only, nothing marked and nothing the action applies to, in one line', () => {
		expect(bulkRefusal(planBulk('restart', rows('failed', 2)), {readOnly: true})).toBe('Read-only (--read-only): restart is off');
		expect(bulkRefusal(planBulk('download', rows('completed', 2)), {readOnly: true})).toBeUndefined();
		expect(bulkRefusal(planBulk('delete', []), {readOnly: false})).toBe('No export marked');
		expect(bulkRefusal(planBulk('restart', [...rows('completed', 2), row('p', 'pending')]), {readOnly: false})).toBe(
			'Cannot restart any of the 3 exports marked (2 completed, 1 pending): only interrupted or failed ones',
		);
		expect(bulkRefusal(planBulk('interrupt', [row('c', 'completed')]), {readOnly: false})).toBe(
			'Cannot interrupt the marked export (1 completed): only pending or in-progress ones',
		);
		expect(bulkRefusal(planBulk('restart', [row('f', 'failed'), row('c', 'completed')]), {readOnly: false})).toBeUndefined();
	});

	it('counts statuses largest first, ties in lifecycle order', () => {
		expect(countByStatus([row('a', 'completed'), row('b', 'pending'), row('c', 'failed'), row('d', 'failed')])).toEqual([
			['failed', 2],
			['pending', 1],
			['completed', 1],
		]);
	});

	it('says what happened to each group, naming every failure up to three', () => {
		const report = (outcomes: BulkReport['outcomes']): BulkReport => ({
			action: 'restart',
			outcomes,
			done: outcomes.filter(o => o.result === 'done').length,
			failed: outcomes.filter(o => o.result === 'failed').length,
			skipped: outcomes.filter(o => o.result === 'skipped').length,
			stopped: outcomes.filter(o => o.result === 'stopped').length,
		});
		const done = rows('failed', 3).map(record => ({record, result: 'done' as const}));
		expect(bulkResultLine(report([{record: row('c', 'completed'), result: 'skipped'}, ...done]))).toBe('3 restarted, 1 skipped (completed)');
		expect(
			bulkResultLine(
				report([
					{record: row('c', 'completed'), result: 'skipped'},
					{record: row('p', 'pending'), result: 'skipped'},
					{record: row('p2', 'pending'), result: 'skipped'},
					...done.slice(0, 1),
					{record: row('XAyRWNUzyN', 'failed'), result: 'failed', reason: 'status - cannot transition via "start" from "pending"'},
					{record: row('f5', 'failed'), result: 'stopped'},
				]),
			),
		).toBe('1 restarted, 1 failed (XAyRWNUzyN: status - cannot transition via "start" from "pending"), 3 skipped (2 pending, 1 completed), 1 not sent (stopped)');
		const failures = rows('failed', 5).map(record => ({record, result: 'failed' as const, reason: 'Record not found'}));
		expect(bulkResultLine(report(failures))).toBe(
			'0 restarted, 5 failed (failed1: Record not found; failed2: Record not found; failed3: Record not found; 2 more)',
		);
	});

	it('shows the progress and the pacer\'s wait', () => {
		const progress: BulkProgress = {action: 'delete', finished: 1, total: 3, current: 'abc'};
		expect(bulkProgressLine(progress, 0)).toBe('Deleting 2 of 3 (abc)… · Esc stops');
		expect(bulkProgressLine({...progress, heldUntil: 5500}, 0)).toBe('Deleting 2 of 3 (abc)… · rate limit, next in 6 s · Esc stops');
	});
});

// The demo's clock drives the client's pacer too: waiting for the rate limit moves the clock, so a
// run of 40 requests takes no real time and the server counts them in the windows the pacer saw.
let demo: DemoServer | undefined;
afterEach(async () => {
	await demo?.close();
	demo = undefined;
});

type Setup = {demo: DemoServer; client: ExportsClient; clock: Clock; bodies: Array<{method: string; path: string; body: unknown}>};

type SetupOptions = {
	count?: number;
	paced?: boolean;
	windows?: Array<{limit: number; windowMs: number}>;
	/** Called as a write goes on the wire, before the server has it. */
	onWrite?: (path: string, index: number) => void;
};

async function setup(options: SetupOptions = {}): Promise<Setup> {
	const clock = createClock();
	demo = await startDemoServer({now: clock.now, count: options.count ?? 300});
	const bodies: Setup['bodies'] = [];
	const origin = demo.url;
	const capture: FetchLike = async (url, init) => {
		if (init.method !== 'GET') {
			bodies.push({method: init.method, path: url.slice(origin.length), body: init.body === undefined ? undefined : (JSON.parse(init.body) as unknown)});
			options.onWrite?.(url.slice(origin.length), bodies.length - 1);
		}

		return keepAliveFetch(url, init);
	};

	const advance = async (ms: number) => {
		clock.advance(ms);
	};

	const limiter = options.paced === false ? false : createRateLimiter({now: clock.now, sleep: advance, ...(options.windows ? {windows: options.windows} : {})});
	const client = createClient({baseUrl: demo.url, auth: staticToken(demo.token), fetch: capture, rateLimit: limiter, sleep: advance, retries: {rateLimited: 0}});
	return {demo, client, clock, bodies};
}

function withStatus(server: DemoServer, status: string, count: number): ExportRecord[] {
	const found = server.allExports().filter(record => record.attributes.status === status);
	expect(found.length).toBeGreaterThanOrEqual(count);
	return found.slice(0, count);
}

describe('runBulk against the demo API', () => {
	it('restarts three marked failed exports with exactly three _start PATCHes, and nothing else', async () => {
		const {demo, client, bodies} = await setup();
		const failed = withStatus(demo, 'failed', 3);
		demo.clearRequests();

		const report = await runBulk({client, plan: planBulk('restart', failed)});

		expect(bodies).toEqual(failed.map(record => ({method: 'PATCH', path: `/api/exports/${record.id}`, body: {data: {type: 'exports', id: record.id, attributes: {_start: true}}}})));
		expect(demo.requests.map(request => [request.method, request.path, request.status])).toEqual(failed.map(record => ['PATCH', `/api/exports/${record.id}`, 200]));
		expect(report).toMatchObject({done: 3, failed: 0, skipped: 0, stopped: 0});
		expect(report.outcomes.map(outcome => outcome.updated?.attributes.status)).toEqual(['pending', 'pending', 'pending']);
		expect(bulkResultLine(report)).toBe('3 restarted');
	});

	it('skips the marked exports whose status refuses the action, and names a refusal the server makes', async () => {
		const {demo, client, bodies} = await setup();
		const [failed, stale] = withStatus(demo, 'failed', 2);
		const [interrupted] = withStatus(demo, 'interrupted', 1);
		const [completed] = withStatus(demo, 'completed', 1);
		const [pending] = withStatus(demo, 'pending', 1);
		// Restarted elsewhere since the list was loaded: the row still says failed, the server says pending.
		await client.updateExport(stale!.id, {_start: true});
		bodies.length = 0;
		const marked = [failed!, completed!, stale!, pending!, interrupted!];

		const report = await runBulk({client, plan: planBulk('restart', marked)});

		expect(bodies.map(body => body.path)).toEqual([failed!, stale!, interrupted!].map(record => `/api/exports/${record.id}`));
		expect(report.outcomes.map(outcome => [outcome.record.id, outcome.result])).toEqual([
			[completed!.id, 'skipped'],
			[pending!.id, 'skipped'],
			[failed!.id, 'done'],
			[stale!.id, 'failed'],
			[interrupted!.id, 'done'],
		]);
		expect(bulkResultLine(report)).toBe(
			`2 restarted, 1 failed (${stale!.id}: status - cannot transition via "start" from "pending"), 2 skipped (1 pending, 1 completed)`,
		);
	});

	it('stops what has not been sent when aborted, and lets the request on the wire finish', async () => {
		const controller = new AbortController();
		// Esc just as the third request goes on the wire: it goes through, the last three are never sent.
		const {demo, client} = await setup({
			onWrite(_path, index) {
				if (index === 2) {
					controller.abort();
				}
			},
		});
		const marked = withStatus(demo, 'completed', 6);
		demo.clearRequests();

		const report = await runBulk({client, plan: planBulk('delete', marked), signal: controller.signal});

		expect(demo.requests.map(request => [request.method, request.path, request.status])).toEqual(
			marked.slice(0, 3).map(record => ['DELETE', `/api/exports/${record.id}`, 204]),
		);
		expect(report.outcomes.map(outcome => [outcome.record.id, outcome.result])).toEqual(
			marked.map((record, index) => [record.id, index < 3 ? 'done' : 'stopped']),
		);
		expect(bulkResultLine(report)).toBe('3 deleted, 3 not sent (stopped)');
	});

	it('stops a request the pacer holds: it never reaches the server', async () => {
		// Room for three background requests in the window; the fourth waits, and Esc comes then.
		const {demo, client} = await setup({windows: [{limit: 5, windowMs: 10_000}]});
		const marked = withStatus(demo, 'completed', 5);
		demo.clearRequests();
		const controller = new AbortController();
		const held: number[] = [];

		const report = await runBulk({
			client,
			plan: planBulk('delete', marked),
			signal: controller.signal,
			onProgress(progress) {
				if (progress.heldUntil !== undefined) {
					held.push(progress.finished);
					controller.abort();
				}
			},
		});

		expect(held).toEqual([3]);
		expect(demo.requests.map(request => request.path)).toEqual(marked.slice(0, 3).map(record => `/api/exports/${record.id}`));
		expect(report).toMatchObject({done: 3, stopped: 2, failed: 0});
	});

	it('paces a long run under the rate limit: 40 deletes, no 429, never more than 25 in 10 s', async () => {
		const {demo, client, clock} = await setup();
		const marked = demo.allExports().slice(0, 40);
		demo.clearRequests();
		const started = clock.now();

		const report = await runBulk({client, plan: planBulk('delete', marked)});

		expect(report).toMatchObject({done: 40, failed: 0});
		const statuses = demo.requests.map(request => request.status);
		expect(statuses).toEqual(Array.from({length: 40}, () => 204));
		const times = demo.requests.map(request => request.at);
		for (const at of times) {
			expect(times.filter(other => other >= at && other < at + 10_000).length).toBeLessThanOrEqual(25);
		}

		// The pacer made the run wait for the window: 40 requests cannot go in one 10 s window.
		expect(clock.now() - started).toBeGreaterThanOrEqual(10_000);
	});

	it('(the demo does limit writes: without the pacer the same run meets 429s)', async () => {
		const {demo, client} = await setup({paced: false});
		const marked = demo.allExports().slice(0, 40);
		demo.clearRequests();
		const report = await runBulk({client, plan: planBulk('delete', marked)});
		expect(report.done).toBe(25);
		expect(report.failed).toBe(15);
		expect(demo.requests.filter(request => request.status === 429)).toHaveLength(15);
		expect(report.outcomes.find(outcome => outcome.result === 'failed')?.reason).toBe('Too many requests');
	});

	it('downloads the marked completed exports into the folder and skips the others', async () => {
		const {demo, client} = await setup();
		const completed = withStatus(demo, 'completed', 2);
		const [running] = withStatus(demo, 'in_progress', 1);
		const dir = await mkdtemp(path.join(tmpdir(), 'cl-exports-bulk-'));
		try {
			const report = await runBulk({client, plan: planBulk('download', [completed[0]!, running!, completed[1]!]), download: {dir, gunzip: false}});
			expect(report).toMatchObject({done: 2, skipped: 1, failed: 0});
			expect((await readdir(dir)).sort()).toEqual(completed.map(record => `${record.id}.${record.attributes.format}.gz`).sort());
			expect(report.outcomes.filter(outcome => outcome.result === 'done').map(outcome => outcome.path)).toEqual(
				completed.map(record => path.join(dir, `${record.id}.${record.attributes.format}.gz`)),
			);
			expect(bulkResultLine(report)).toBe('2 downloaded, 1 skipped (in_progress)');
		} finally {
			await rm(dir, {recursive: true, force: true});
		}
	});
});
