import {afterEach, describe, expect, it} from 'vitest';
import {staticToken} from '../source/api/auth.js';
import {createClient} from '../source/api/client.js';
import {isAbortError} from '../source/api/errors.js';
import {createRateLimiter, liveWindows, testWindows} from '../source/api/rate-limit.js';
import {exportRecord, pageBody, sendJson, startServer, type LoopbackServer} from './helpers/api-loopback.js';

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
			// eslint-disable-next-line no-await-in-loop
			await limiter.acquire();
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
			// eslint-disable-next-line no-await-in-loop
			await limiter.acquire();
			grantedAt.push(clock.now);
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
			// eslint-disable-next-line no-await-in-loop
			await limiter.acquire();
		}

		expect(clock.sleeps).toEqual([]);
		await limiter.acquire();
		expect(clock.sleeps).toEqual([10_000]);
	});

	it('serves concurrent waiters in arrival order', async () => {
		const clock = fakeClock(0);
		const limiter = createRateLimiter({windows: [{limit: 2, windowMs: 1000}], now: () => clock.now, sleep: clock.sleep});
		const order: number[] = [];
		await Promise.all(
			[1, 2, 3, 4, 5].map(async id => {
				await limiter.acquire();
				order.push(id);
			}),
		);
		expect(order).toEqual([1, 2, 3, 4, 5]);
		expect(clock.now).toBe(2000);
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
			// eslint-disable-next-line no-await-in-loop
			await client.listExports({page: index + 1, size: 25});
		}

		expect(server.requests).toHaveLength(3);
		expect(clock.sleeps).toEqual([10_000]);
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
