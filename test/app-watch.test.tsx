// Watch mode over the demo API with a clock and a timer the test drives: the App's refresh times,
// the watch interval and the demo's running exports all follow the same fake clock.
import {afterEach, describe, expect, test} from 'vitest';
import type {ExportsClient} from '../source/api/client.js';
import type {DemoServerOptions} from '../source/demo/server.js';
import {watchPlan} from '../source/state/watch-budget.js';
import {formatClock} from '../source/text/dates.js';
import {countOrDash} from '../source/text/numbers.js';
import {nextTurn, pageRequestPath, startApp, type Harness, type HarnessOptions} from './helpers/app-harness.js';
import {keys} from './helpers/keys.js';
import {fakeClock, fakeTimers, maxInWindow, type FakeClock, type FakeTimers} from './helpers/fake-clock.js';
import {plain} from './helpers/wait-for-frame.js';

let harness: Harness | undefined;

afterEach(async () => {
	await harness?.close();
	harness = undefined;
});

type Watched = {h: Harness; clock: FakeClock; timers: FakeTimers};

async function watched(options: HarnessOptions & {watchSeconds?: number; server?: DemoServerOptions} = {}): Promise<Watched> {
	const clock = fakeClock();
	const timers = fakeTimers();
	harness = await startApp({
		// Ten rows: one page of ten on screen, so every tick refreshes that page.
		size: {columns: 100, rows: 20},
		...options,
		server: {...options.server, now: clock.now},
		now: clock.now,
		timers,
		config: {...options.config, ...(options.watchSeconds === undefined ? {} : {watchSeconds: options.watchSeconds})},
	});
	const h = harness;
	await h.waitForRows();
	await h.waitForFrame(frame => /1\S+ [\d,]+ pending/.test(frame), {message: 'the counts'});
	await h.settled();
	return {h, clock, timers};
}

/** One watch period: the clock moves, the timer fires, the refresh goes out, the App takes the answers. */
async function tick(w: Watched, ms = 2000): Promise<void> {
	const calls = w.h.calls();
	w.clock.advance(ms);
	w.timers.fire();
	await w.h.waitFor(() => w.h.calls() > calls, {message: 'the refresh sent'});
	await w.h.settled('the watch refresh');
}

/** Waits for the watch timer to be (re)armed with these periods (React arms it in an effect). */
async function periods(timers: FakeTimers, expected: number[]): Promise<void> {
	await harness!.waitFor(() => JSON.stringify(timers.periods()) === JSON.stringify(expected), {message: `watch timers ${JSON.stringify(expected)}`});
}

function selectedId(frame: string, ids: string[]): string | undefined {
	const line = frame.split('\n').find(text => text.startsWith('│>'));
	return ids.find(id => line?.includes(id));
}

function markedIds(frame: string, ids: string[]): string[] {
	return frame
		.split('\n')
		.filter(text => text.startsWith('│*'))
		.map(text => ids.find(id => text.includes(id)) ?? text);
}

describe('watch mode', () => {
	test('refreshes the page on its period behind the rows: progress shown, changed rows marked for one period, selection kept', async () => {
		const w = await watched({watchSeconds: 2});
		const {h, timers} = w;
		expect(timers.periods()).toEqual([2000]);
		expect(h.frame()).toContain('watch 2 s');
		// 2 s pages cost 1 request; the counts (5) come every 6th time: said on the overview line.
		expect(h.frame()).toContain('counts every 12 s');
		const page1 = () => h.page(1).map(record => record.id);
		const ids = page1();
		// Select the second export (the first is running and would show `>` instead of `*`).
		await h.press(keys.down);
		const chosen = ids[1]!;
		await h.waitForFrame(frame => selectedId(frame, ids) === chosen);

		const beforeTick = new Map(h.page(1).map(record => [record.id, record.attributes]));
		const pagesBefore = h.listRequests().length;
		const framesBefore = h.app.frames.length;
		await tick(w);
		expect(h.listRequests().length).toBe(pagesBefore + 1);
		expect(h.listRequests().at(-1)?.query['page[number]']).toBe('1');
		// No "loading" flash for a refresh.
		expect(h.app.frames.slice(framesBefore).map(frame => plain(frame)).filter(frame => frame.includes('loading'))).toEqual([]);

		// Running exports: processed/records in the records column, and marked as changed.
		const running = h.page(1).filter(record => record.attributes.status === 'in_progress' && record.id !== chosen);
		expect(running.length).toBeGreaterThan(0);
		const frame = await h.waitForFrame(`refreshed ${formatClock(w.clock.time)}`);
		for (const record of running) {
			const {processed_count: processed, records_count: total} = record.attributes;
			expect(h.rowOf(record.id)).toContain(`${countOrDash(processed)}/${countOrDash(total)}`);
		}

		const changed = h
			.page(1)
			.filter(record => {
				const old = beforeTick.get(record.id);
				return record.attributes.status !== old?.status || record.attributes.processed_count !== old?.processed_count;
			})
			.map(record => record.id);
		expect(changed.length).toBeGreaterThan(0);
		expect(markedIds(frame, ids).sort()).toEqual(changed.filter(id => id !== chosen).sort());
		expect(selectedId(frame, ids)).toBe(chosen);

		// Half an hour later every running export has completed: marked once more (status changed)…
		await tick(w, 30 * 60_000);
		const completedNow = await h.waitForFrame(`refreshed ${formatClock(w.clock.time)}`);
		expect(markedIds(completedNow, ids).length).toBeGreaterThan(0);
		// …and one period later nothing changed: no marks.
		await tick(w);
		const quiet = await h.waitForFrame(`refreshed ${formatClock(w.clock.time)}`);
		expect(markedIds(quiet, ids)).toEqual([]);

		// A new export pushes the selected one down: the selection stays on it.
		const created = await fetch(`${h.server.url}/api/exports`, {
			method: 'POST',
			headers: {Authorization: `Bearer ${h.server.token}`, 'Content-Type': 'application/vnd.api+json', Accept: 'application/vnd.api+json'},
			body: JSON.stringify({data: {type: 'exports', attributes: {resource_type: 'skus'}}}),
		});
		expect(created.status).toBe(201);
		await tick(w);
		const after = await h.waitForFrame(`refreshed ${formatClock(w.clock.time)}`);
		const newIds = page1();
		expect(newIds.indexOf(chosen)).toBe(2);
		expect(selectedId(after, newIds)).toBe(chosen);
	});

	test('when nothing changed, a refresh changes only the clock on screen', async () => {
		const w = await watched({watchSeconds: 5, filterText: 'status:failed'});
		const {h} = w;
		const before = h.frame().split('\n');
		const framesBefore = h.app.frames.length;
		await tick(w, 5000);
		await h.waitForFrame(`refreshed ${formatClock(w.clock.time)}`);
		const frames = h.app.frames.slice(framesBefore).map(frame => plain(frame).split('\n'));
		expect(frames.length).toBeGreaterThan(0);
		const changes = frames.map(lines => lines.map((line, index) => (line === before[index] ? undefined : index)).filter(index => index !== undefined));
		// Only the header's first line, and on it only digits (the clock). (A frame equal to the last one
		// is not written to a terminal; ink-testing-library records it anyway.)
		expect(changes.filter(changed => changed.length > 0)).toContainEqual([0]);
		for (const [index, changed] of changes.entries()) {
			expect(changed.filter(line => line !== 0)).toEqual([]);
			expect(frames[index]![0]!.replaceAll(/\d/g, '#')).toBe(before[0]!.replaceAll(/\d/g, '#'));
		}
	});

	test('w toggles it (5 s by default); it pauses while the prompt is open and while a question waits', async () => {
		const w = await watched({filterText: 'status:failed'});
		const {h, timers} = w;
		await periods(timers, []);
		expect(h.frame()).not.toMatch(/watch \d+ s/);
		await h.press('w');
		await h.waitForFrame(frame => frame.includes('watch 5 s') && frame.includes('Watch on: refreshing every 5 s'));
		await periods(timers, [5000]);

		await h.press('/');
		await h.waitForFrame(frame => frame.includes('⏎ keep') && frame.includes('watch paused'));
		await periods(timers, []);
		await h.press(keys.escape);
		await h.waitForFrame(frame => !frame.includes('⏎ keep') && frame.includes('watch 5 s'));
		await periods(timers, [5000]);

		await h.press('t');
		await h.waitForFrame('? y/N');
		await periods(timers, []);
		expect(h.frame()).toContain('watch paused');
		await h.press('n');
		await h.waitForFrame('Cancelled');
		await periods(timers, [5000]);

		await h.press('w');
		await h.waitForFrame(frame => frame.includes('Watch off') && !frame.includes('watch 5 s'));
		await periods(timers, []);
	});

	test('a tick while the previous refresh is on its way sends nothing more', async () => {
		let hold: Promise<void> | undefined;
		let release = () => {};

		const w = await watched({
			watchSeconds: 2,
			wrapClient: (client): ExportsClient => ({
				...client,
				baseUrl: client.baseUrl,
				async listExports(...args) {
					if (hold) {
						await hold;
					}

					return client.listExports(...args);
				},
			}),
		});
		const {h} = w;
		hold = new Promise<void>(resolve => {
			release = resolve;
		});
		const sent = h.listRequests().length;
		const calls = h.calls();
		w.clock.advance(2000);
		w.timers.fire();
		await h.waitFor(() => h.calls() === calls + 1, {message: 'the refresh on its way'});
		for (let count = 0; count < 3; count++) {
			w.clock.advance(2000);
			w.timers.fire();
			await nextTurn();
			await nextTurn();
		}

		expect(h.calls()).toBe(calls + 1);
		release();
		hold = undefined;
		await h.settled();
		expect(h.listRequests().length).toBe(sent + 1);
		await tick(w);
		expect(h.listRequests().length).toBe(sent + 2);
	});

	test('a 429 lengthens the period; clean refreshes bring it back', async () => {
		const w = await watched({watchSeconds: 2});
		const {h, timers} = w;
		h.server.injectFault({kind: 'status', status: 429, path: pageRequestPath, times: 1, headers: {'Retry-After': '2'}});
		await tick(w);
		await h.waitForFrame('watch 4 s (429)');
		await periods(timers, [4000]);
		for (let count = 0; count < 5; count++) {
			await tick(w, 4000);
		}

		await h.waitForFrame(frame => frame.includes('watch 2 s') && !frame.includes('(429)'));
		await periods(timers, [2000]);
	});
});

describe('the request budget when the API fails', () => {
	for (const [name, faults] of [
		['a 503 storm', {storm: 503}],
		['connection resets', {storm: 'reset'}],
		['30 % of the reads answered 429', {rateLimitedShare: 0.3}],
	] as const) {
		test(`--watch 2 in ${name} backs off and stays within 60 % of both limits over 3 simulated minutes`, {timeout: 60_000}, async () => {
			// The client retries as shipped (without the waits): watch's own requests must not be retried.
			const w = await watched({watchSeconds: 2, retries: {serverError: 2, rateLimited: 4, baseDelayMs: 1, maxDelayMs: 1}});
			const {h, timers} = w;
			const start = w.clock.time;
			h.server.setFaults(faults);
			while (w.clock.time - start < 3 * 60_000) {
				// Each tick after the period watch uses now (it lengthens as it backs off).
				await tick(w, timers.periods()[0] ?? 2000);
			}

			const reads = h.server.requests.filter(request => request.path.startsWith('/api/') && request.at > start);
			const times = reads.map(request => request.at);
			expect(maxInWindow(times, 10_000)).toBeLessThanOrEqual(15);
			expect(maxInWindow(times, 60_000)).toBeLessThanOrEqual(60);
			if (faults.storm !== undefined) {
				// All the way back: 16 s, one request each time.
				expect(timers.periods()).toEqual([16_000]);
				await h.waitForFrame(`watch 16 s (${faults.storm === 503 ? '503' : 'network'})`);
				// The API comes back: the next tick shows fresh data.
				h.server.setFaults({});
				await tick(w, 16_000);
				await h.waitForFrame(frame => frame.includes(`refreshed ${formatClock(w.clock.time)}`) && !frame.split('\n').some(line => line.startsWith('✖ ')));
			}
		});
	}
});

describe('the request budget', () => {
	for (const seconds of [2, 5]) {
		test(`--watch ${seconds} with the overview stays within the exports read limits over 3 simulated minutes`, {timeout: 60_000}, async () => {
			// The demo enforces the test burst limit (25 per 10 s) on its clock; the client's own limiter is off,
			// so what is measured is what the App asks for by itself.
			const w = await watched({watchSeconds: seconds, server: {rateLimit: {limit: 25, windowMs: 10_000}}});
			const {h} = w;
			const start = w.clock.time;
			while (w.clock.time - start < 3 * 60_000) {
				await tick(w, seconds * 1000);
			}

			const reads = h.server.requests.filter(request => request.method === 'GET' && request.path.startsWith('/api/exports'));
			expect(reads.filter(request => request.status === 429)).toEqual([]);
			const times = reads.map(request => request.at);
			const per10s = maxInWindow(times, 10_000);
			const perMinute = maxInWindow(times, 60_000);
			// Commerce Layer test organizations: 25 per 10 s, 100 per minute. Watch keeps to 60% of both
			// (after the first screen's 7: page, prefetch, 5 counts).
			expect(per10s).toBeLessThanOrEqual(15);
			expect(perMinute).toBeLessThanOrEqual(67);
			// One page request per period, the counts every n-th period (12 s at 2 s, 10 s at 5 s), no prefetch on ticks.
			const ticks = Math.round((w.clock.time - start) / (seconds * 1000));
			const plan = watchPlan(seconds * 1000, 'test');
			expect(h.listRequests().filter(request => request.query['page[number]'] === '1')).toHaveLength(ticks + 1);
			expect(h.listRequests().filter(request => request.query['page[number]'] !== '1')).toHaveLength(1);
			expect(h.countRequests()).toHaveLength(5 * (1 + Math.floor(ticks / plan.overviewEvery)));
			console.info(`--watch ${seconds}: at most ${per10s} reads per 10 s, ${perMinute} per minute (${reads.length} in ${(w.clock.time - start) / 1000} s)`);
		});
	}
});
