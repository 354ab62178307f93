// The pager when the API fails for a while and comes back: what a reload spends in a storm, that
// the pacer leaves room for the user's next key, the countdown while the pacer holds a page, and
// a footer that says things once. The client's pacer runs on a clock only the test moves, so a
// request it holds stays held: nothing here depends on how fast the machine is.
import {describe, expect, test} from 'vitest';
import {createRateLimiter} from '../source/api/rate-limit.js';
import {appPerTest, isCountRequest, type HarnessOptions} from './helpers/app-harness.js';
import {fakeTimers, manualClock} from './helpers/fake-clock.js';
import {plain} from './helpers/wait-for-frame.js';

const opened = appPerTest();
/** Ten rows: one page of ten on screen, so a reload is one request. */
const open = async (options: HarnessOptions = {}) => opened({size: {columns: 100, rows: 20}, ...options});

/** The client's retries as shipped (two after a 5xx), without the waits. */
const shippedRetries = {serverError: 2, rateLimited: 4, baseDelayMs: 1, maxDelayMs: 1};

const errorLine = (frame: string) => frame.split('\n').find(line => line.startsWith('✖ '));

describe('a storm of 5xx', () => {
	test('r costs the page and its two retries, no counts; once the API is back, the next r goes at once', async () => {
		const clock = manualClock();
		const limiter = createRateLimiter({now: clock.now, sleep: clock.sleep});
		const h = await open({rateLimit: limiter, retries: shippedRetries});
		await h.waitForFrame(frame => frame.includes(' 1-10 of 300 ') && /\d pending/.test(frame), {message: 'the first screen with its counts'});
		await h.settled();
		const before = h.server.requests.length;
		h.server.setFaults({storm: 503});
		await h.press('r');
		await h.waitForFrame(frame => errorLine(frame)?.includes('Service Unavailable') === true && !frame.includes('loading'), {message: 'the reload failing'});
		await h.settled();
		const inStorm = h.server.requests.slice(before);
		expect(inStorm.filter(request => isCountRequest(request.query))).toEqual([]);
		expect(inStorm.map(request => request.status)).toEqual([503, 503, 503]);

		// The pacer's clock has not moved: had the failures filled its window, this would wait forever.
		h.server.setFaults({});
		const frames = h.app.frames.length;
		await h.press('r');
		await h.waitForFrame(frame => errorLine(frame) === undefined && !frame.includes('loading'), {message: 'fresh data'});
		expect(h.listRequests().at(-1)?.status).toBe(200);
		expect(h.app.frames.slice(frames).map(frame => plain(frame)).filter(frame => frame.includes('next request'))).toEqual([]);
	});

	test('a count that fails is not retried', async () => {
		const h = await open({retries: shippedRetries});
		await h.waitForFrame(frame => /\d pending/.test(frame), {message: 'the counts'});
		await h.settled();
		const before = h.countRequests().length;
		h.server.injectFault({kind: 'status', status: 503, path: /page%5Bsize%5D=1(&|$)/, times: 50});
		await h.press('r');
		await h.waitFor(() => h.countRequests().length - before >= 5, {message: 'the counts after r'});
		await h.settled();
		await h.settled();
		expect(h.countRequests().slice(before).map(request => request.status)).toEqual([503, 503, 503, 503, 503]);
	});

	test('the footer says a retry once: what failed, then when it is tried again', async () => {
		const h = await open({retries: {...shippedRetries, baseDelayMs: 400, maxDelayMs: 800}, prefetch: false});
		await h.waitForRows();
		await h.settled();
		h.server.setFaults({storm: 503});
		await h.press('r');
		await h.waitForFrame(frame => errorLine(frame)?.includes('Service Unavailable') === true && !frame.includes('loading'), {message: 'the reload failing'});
		const lines = h.app.frames.map(frame => errorLine(plain(frame))).filter(line => line !== undefined);
		expect(lines.some(line => /^✖ server error 503 · retrying in \d s$/.test(line))).toBe(true);
		expect(lines.filter(line => /retrying.*retrying/.test(line))).toEqual([]);
	});
});

describe('the pacer', () => {
	test('while it holds the page the user asked for, the header counts down to it', async () => {
		const clock = manualClock();
		const timers = fakeTimers();
		const limiter = createRateLimiter({now: clock.now, sleep: clock.sleep});
		const h = await open({rateLimit: limiter, now: clock.now, timers, prefetch: false});
		await h.waitForFrame(frame => frame.includes(' 1-10 of 300 ') && /\d pending/.test(frame), {message: 'the first screen with its counts'});
		await h.settled();
		// Someone else's requests fill the rest of the 10 s window, 3 s later.
		await clock.advance(3000);
		for (let index = 0; index < 19; index++) {
			(await limiter.acquire())();
		}

		const before = h.listRequests().length;
		await h.press('r');
		// The first screen's six requests leave the window 10 s after they went: 7 s from now.
		await h.waitForFrame('rate limit · next request in 7 s');
		await clock.advance(2000);
		timers.fire();
		await h.waitForFrame('rate limit · next request in 5 s');
		expect(h.listRequests()).toHaveLength(before);
		await clock.advance(5000);
		await h.waitForFrame(frame => !frame.includes('next request') && !frame.includes('loading'), {message: 'the page'});
		expect(h.listRequests()).toHaveLength(before + 1);
	});
});
