import {afterEach, describe, expect, it} from 'vitest';
import {staticToken} from '../source/api/auth.js';
import {createClient} from '../source/api/client.js';
import {isAbortError} from '../source/api/errors.js';
import {backgroundShare, createRateLimiter, liveWindows, testWindows, type AcquireOptions, type RateLimiter} from '../source/api/rate-limit.js';
import {exportRecord, pageBody, sendJson, startServer, type LoopbackServer} from './helpers/api-loopback.js';
import {manualClock, maxInWindow} from './helpers/fake-clock.js';

/** A clock that only moves when the limiter sleeps. */
function fakeClock(start = 0) {
	const clock = {
		now: start,
		sleeps: [] as number[],
		async sleep(ms: number, signal?: AbortSignal) {
			if (signal?.aborted) {
				throw signal.reason as Error;
			}

			clock.sleeps.push(ms);
			clock.now += ms;
		},
	};
	return clock;
}

describe('rate limiter', () => {
	it('uses the test-mode exports read limits by default', () => {
		expect(testWindows).toEqual([
			{limit: 25, windowMs: 10_000},
			{limit: 100, windowMs: 60_000},
		]);
		expect(liveWindows).toEqual([
			{limit: 50, windowMs: 10_000},
			{limit: 200, windowMs: 60_000},
		]);
		expect(createRateLimiter().mode).toBe('test');
	});

	it('lets 25 requests through at once and blocks the 26th until the 10 s window moves', async () => {
		const clock = fakeClock(1_000_000);
		const limiter = createRateLimiter({now: () => clock.now, sleep: clock.sleep});
		for (let index = 0; index < 25; index++) {
			(await limiter.acquire())();
		}

		expect(clock.sleeps).toEqual([]);
		await limiter.acquire();
		expect(clock.sleeps).toEqual([10_000]);
		expect(clock.now).toBe(1_010_000);
	});

	it('spreads requests so the 10 s burst and the 60 s average both hold', async () => {
		const clock = fakeClock(0);
		const limiter = createRateLimiter({now: () => clock.now, sleep: clock.sleep});
		const grantedAt: number[] = [];
		for (let index = 0; index < 101; index++) {
			const release = await limiter.acquire();
			grantedAt.push(clock.now);
			release();
		}

		expect(grantedAt[24]).toBe(0);
		expect(grantedAt[25]).toBe(10_000);
		expect(grantedAt[50]).toBe(20_000);
		expect(grantedAt[75]).toBe(30_000);
		expect(grantedAt[99]).toBe(30_000);
		// The 101st waits for the first to leave the 60 s window.
		expect(grantedAt[100]).toBe(60_000);
		for (let index = 0; index < grantedAt.length; index++) {
			const at = grantedAt[index] ?? 0;
			expect(grantedAt.filter(time => time > at - 10_000 && time <= at).length).toBeLessThanOrEqual(25);
			expect(grantedAt.filter(time => time > at - 60_000 && time <= at).length).toBeLessThanOrEqual(100);
		}
	});

	it('allows 50 per 10 s in live mode', async () => {
		const clock = fakeClock(0);
		const limiter = createRateLimiter({now: () => clock.now, sleep: clock.sleep});
		limiter.setMode('live');
		for (let index = 0; index < 50; index++) {
			(await limiter.acquire())();
		}

		expect(clock.sleeps).toEqual([]);
		await limiter.acquire();
		expect(clock.sleeps).toEqual([10_000]);
	});

	it('serves concurrent waiters in arrival order', async () => {
		const clock = manualClock(0);
		const limiter = createRateLimiter({windows: [{limit: 2, windowMs: 1000}], now: clock.now, sleep: clock.sleep});
		const granted: Array<[number, number]> = [];
		const all = Promise.all(
			[1, 2, 3, 4, 5].map(async id => {
				const release = await limiter.acquire();
				granted.push([id, clock.now()]);
				release();
			}),
		);
		await clock.advance(1000);
		await clock.advance(1000);
		await all;
		expect(granted).toEqual([
			[1, 0],
			[2, 0],
			[3, 1000],
			[4, 1000],
			[5, 2000],
		]);
	});

	it('counts a request until its answer is in: whatever the delay before it reaches the server, no server window holds more than the limit', async () => {
		// `--json --all`: one page after the other. Every 50th request takes 900 ms to reach the
		// server (a new connection, a token), the others none: the 1st arrives late, the 26th at once.
		const clock = fakeClock(0);
		const limiter = createRateLimiter({now: () => clock.now, sleep: clock.sleep});
		const arrivals: number[] = [];
		for (let index = 0; index < 130; index++) {
			const release = await limiter.acquire();
			clock.now += index % 50 === 0 ? 900 : 0;
			arrivals.push(clock.now);
			clock.now += 20;
			release();
		}

		expect(maxInWindow(arrivals, 10_000)).toBeLessThanOrEqual(25);
		expect(maxInWindow(arrivals, 60_000)).toBeLessThanOrEqual(100);
	});

	it('lets background requests fill 60 % of a window, and never makes the user wait behind them', async () => {
		const clock = manualClock(0);
		const limiter = createRateLimiter({now: clock.now, sleep: clock.sleep});
		expect(backgroundShare).toBe(0.6);
		const background = (options: AcquireOptions = {}) => limiter.acquire(undefined, {share: backgroundShare, ...options});
		for (let index = 0; index < 15; index++) {
			(await background())();
		}

		// The 16th waits for the first to leave the 10 s window, and says until when.
		const waits: Array<number | undefined> = [];
		let sixteenth = false;
		const held = background({onWait: until => waits.push(until)}).then(release => {
			sixteenth = true;
			release();
		});
		await clock.advance(0);
		expect(sixteenth).toBe(false);
		expect(waits).toEqual([10_000]);
		// What the user asks for goes at once, up to the whole limit, ahead of the waiting one.
		for (let index = 0; index < 10; index++) {
			(await limiter.acquire())();
		}

		expect(clock.time).toBe(0);
		expect(sixteenth).toBe(false);
		await clock.advance(10_000);
		await held;
		expect(sixteenth).toBe(true);
		expect(waits).toEqual([10_000, undefined]);
	});

	it('lets nothing through while paused (a 429 with Retry-After)', async () => {
		const clock = manualClock(0);
		const limiter = createRateLimiter({now: clock.now, sleep: clock.sleep});
		limiter.pauseFor(3000);
		const waits: Array<number | undefined> = [];
		let went = false;
		const pending = limiter.acquire(undefined, {onWait: until => waits.push(until)}).then(release => {
			went = true;
			release();
		});
		await clock.advance(2999);
		expect(went).toBe(false);
		await clock.advance(1);
		await pending;
		expect(went).toBe(true);
		expect(waits).toEqual([3000, undefined]);
	});

	it('rejects a waiting acquire as soon as its signal aborts, even behind another waiter', async () => {
		const limiter = createRateLimiter({windows: [{limit: 1, windowMs: 60_000}]});
		await limiter.acquire();
		const first = new AbortController();
		const second = new AbortController();
		const waiting = limiter.acquire(first.signal).catch((error: unknown) => error);
		const queued = limiter.acquire(second.signal).catch((error: unknown) => error);
		second.abort();
		expect(isAbortError(await queued)).toBe(true);
		first.abort();
		expect(isAbortError(await waiting)).toBe(true);
	});
});

describe('rate limiter in the client', () => {
	let server: LoopbackServer | undefined;
	afterEach(async () => {
		await server?.close();
		server = undefined;
	});

	it('paces the requests it sends', async () => {
		server = await startServer((_request, response) => {
			sendJson(response, 200, pageBody([exportRecord('a')]));
		});
		const clock = fakeClock(0);
		const limiter = createRateLimiter({windows: [{limit: 2, windowMs: 10_000}], now: () => clock.now, sleep: clock.sleep});
		const client = createClient({baseUrl: server.url, auth: staticToken('tok-limit'), rateLimit: limiter});
		for (let index = 0; index < 3; index++) {
			await client.listExports({page: index + 1, size: 25});
		}

		expect(server.requests).toHaveLength(3);
		expect(clock.sleeps).toEqual([10_000]);
	});

	it('paces writes in a window of their own: a full read window holds no write, a full write window does', async () => {
		server = await startServer((request, response) => {
			sendJson(response, 200, request.method === 'GET' ? pageBody([exportRecord('a')]) : {data: exportRecord('a')});
		});
		const clock = fakeClock(0);
		const windows = [{limit: 2, windowMs: 10_000}];
		const reads = createRateLimiter({windows, now: () => clock.now, sleep: clock.sleep});
		const writes = createRateLimiter({windows, now: () => clock.now, sleep: clock.sleep});
		const client = createClient({baseUrl: server.url, auth: staticToken('tok-limit'), rateLimit: reads, writeRateLimit: writes});
		await client.listExports({page: 1, size: 25});
		await client.listExports({page: 2, size: 25});
		await client.updateExport('a', {_start: true});
		await client.deleteExport('a');
		expect(clock.sleeps).toEqual([]);
		await client.createExport({resource_type: 'skus'});
		expect(clock.sleeps).toEqual([10_000]);
		expect(server.requests.map(request => request.method)).toEqual(['GET', 'GET', 'PATCH', 'DELETE', 'POST']);
	});

	it('switches to the live limits when the records say mode live', async () => {
		server = await startServer((request, response) => {
			const mode = request.search.includes('page%5Bnumber%5D=2') ? 'live' : 'test';
			sendJson(response, 200, pageBody([exportRecord('a', {}, mode)]));
		});
		const limiter = createRateLimiter();
		const client = createClient({baseUrl: server.url, auth: staticToken('tok-limit'), rateLimit: limiter});
		await client.listExports({page: 1, size: 25});
		expect(limiter.mode).toBe('test');
		await client.listExports({page: 2, size: 25});
		expect(limiter.mode).toBe('live');
	});

	it('pauses every request after a 429 with Retry-After, not only the one refused', async () => {
		server = await startServer((_request, response, index) => {
			if (index === 0) {
				sendJson(response, 429, {errors: [{title: 'Too many requests', status: '429'}]}, {'Retry-After': '3'});
			} else {
				sendJson(response, 200, pageBody([exportRecord('a')]));
			}
		});
		const clock = fakeClock(0);
		const limiter = createRateLimiter({now: () => clock.now, sleep: clock.sleep});
		const client = createClient({baseUrl: server.url, auth: staticToken('tok-limit'), rateLimit: limiter, retries: {rateLimited: 0}});
		await expect(client.listExports({page: 1, size: 25})).rejects.toMatchObject({status: 429});
		expect(clock.sleeps).toEqual([]);
		await client.listExports({page: 2, size: 25});
		expect(clock.sleeps).toEqual([3000]);
		expect(server.requests).toHaveLength(2);
	});

	it('asks the pacer for background room for retries, counts and background requests, and holds the user\'s own', async () => {
		server = await startServer((request, response) => {
			if (request.search.includes('fail')) {
				sendJson(response, 503, {errors: [{title: 'Service Unavailable', status: '503'}]});
			} else {
				sendJson(response, 200, pageBody([exportRecord('a')]));
			}
		});
		const shares: Array<number | undefined> = [];
		const recording: RateLimiter = {
			async acquire(_signal, options) {
				shares.push(options?.share);
				return () => {};
			},
			pauseFor() {},
			setMode() {},
			mode: 'test',
		};
		const client = createClient({baseUrl: server.url, auth: staticToken('tok-limit'), rateLimit: recording, retries: {baseDelayMs: 1}});
		await client.listExports({page: 1, size: 25});
		expect(shares).toEqual([1]);
		// A first attempt is the user's; its retries are background work.
		shares.length = 0;
		await expect(client.listExports({page: 1, size: 25, filters: {reference_eq: 'fail'}})).rejects.toMatchObject({status: 503});
		expect(shares).toEqual([1, backgroundShare, backgroundShare]);
		// A count: background, and never retried.
		shares.length = 0;
		await expect(client.countExports({reference_eq: 'fail'})).rejects.toMatchObject({status: 503});
		expect(shares).toEqual([backgroundShare]);
		// A watch refresh: background, and never retried.
		shares.length = 0;
		await expect(client.listExports({page: 1, size: 25, filters: {reference_eq: 'fail'}}, undefined, {background: true, retry: false})).rejects.toMatchObject({status: 503});
		expect(shares).toEqual([backgroundShare]);
	});

	it('rejects as abort while waiting for a slot, sending nothing', async () => {
		server = await startServer((_request, response) => {
			sendJson(response, 200, pageBody([]));
		});
		const limiter = createRateLimiter({windows: [{limit: 1, windowMs: 60_000}]});
		const client = createClient({baseUrl: server.url, auth: staticToken('tok-limit'), rateLimit: limiter});
		await client.listExports({page: 1, size: 25});
		const controller = new AbortController();
		const pending = client.listExports({page: 2, size: 25}, controller.signal).catch((error: unknown) => error);
		controller.abort();
		expect(isAbortError(await pending)).toBe(true);
		expect(server.requests).toHaveLength(1);
	});
});
