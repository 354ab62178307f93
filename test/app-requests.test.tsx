// What the server receives while the pager starts and pages: page 1 asked for before the App
// mounts (cli.tsx) and shown on the first frame, the status counts only after it, and exactly
// one request per page however the prefetch and the page change cross.
import {describe, expect, test} from 'vitest';
import type {ExportsClient} from '../source/api/client.js';
import type {DemoRequest} from '../source/demo/server.js';
import {appPerTest, type HarnessOptions} from './helpers/app-harness.js';
import {keys} from './helpers/keys.js';
import {plain} from './helpers/wait-for-frame.js';

const opened = appPerTest();
/** Ten rows: one page of ten on screen, so a screenful down is the next page. */
const open = async (options: HarnessOptions = {}) => opened({size: {columns: 100, rows: 20}, ...options});

/** How many page requests the server answered for each page number. */
function perPage(requests: DemoRequest[]): Map<number, number> {
	const counts = new Map<number, number>();
	for (const request of requests) {
		const page = Number(request.query['page[number]']);
		counts.set(page, (counts.get(page) ?? 0) + 1);
	}

	return counts;
}

describe('the first page', () => {
	test('asked for before the App mounts: the first frame shows it, and nobody asks for it again', async () => {
		const h = await open({firstPage: 'answered'});
		const page1 = h.page(1).map(record => record.id);
		const first = plain(h.app.frames[0]);
		expect(first).not.toContain('Loading');
		for (const id of page1) {
			expect(first).toContain(id);
		}

		expect(first).toContain('· 300 exports');
		expect(first).toMatch(/ 1-\d+ of 300 /);
		await h.settled();
		// One request for page 1 (the early one), the prefetch of page 2, then the five counts.
		expect([...perPage(h.listRequests())]).toEqual([
			[1, 1],
			[2, 1],
		]);
		expect(h.countRequests()).toHaveLength(5);
	});

	test('still on its way when the App mounts: adopted, not sent twice', async () => {
		const h = await open({firstPage: 'sent', server: {latencyMs: 50}});
		const page1 = h.page(1).map(record => record.id);
		expect(plain(h.app.frames[0])).toContain('Loading exports…');
		await h.waitForFrame(frame => page1.every(id => frame.includes(id)), {message: 'page 1'});
		await h.settled();
		expect(h.sentLists().filter(query => query.get('page[number]') === '1')).toHaveLength(1);
	});

	test('a failed early request is shown like any failed load, and r recovers', async () => {
		const h = await open({
			firstPage: 'answered',
			retries: {serverError: 0},
			wrapClient(client) {
				let failed = false;
				return {
					...client,
					baseUrl: client.baseUrl,
					async listExports(query, signal, options) {
						if (!failed) {
							failed = true;
							throw new Error('connect ECONNREFUSED 127.0.0.1:9');
						}

						return client.listExports(query, signal, options);
					},
				};
			},
		});
		expect(plain(h.app.frames[0])).toContain('ECONNREFUSED');
		expect(plain(h.app.frames[0])).toContain('Could not load exports.');
		await h.press('r');
		const page1 = h.page(1).map(record => record.id);
		await h.waitForFrame(frame => page1.every(id => frame.includes(id)), {message: 'page 1 after r'});
	});

	test('the status counts are asked for once page 1 is on screen, not beside it', async () => {
		const h = await open({server: {latencyMs: 30}});
		const page1 = h.page(1).map(record => record.id);
		await h.waitForFrame(frame => page1.every(id => frame.includes(id)), {message: 'page 1'});
		await h.settled();
		const requests = h.server.requests.filter(request => request.path === '/api/exports');
		const firstPage = requests.findIndex(request => request.query['page[size]'] === '10' && request.query['page[number]'] === '1');
		const firstCount = requests.findIndex(request => request.query['page[size]'] === '1');
		expect(firstPage).toBeGreaterThanOrEqual(0);
		expect(firstCount).toBeGreaterThan(firstPage);
		// Answered after page 1, and so sent after it: with 30 ms latency, one sent beside it would
		// have been answered beside it too.
		expect(h.countRequests()).toHaveLength(5);
	});
});

describe('paging', () => {
	test('walking every page forward asks the server once per page; walking back asks nothing', async () => {
		const h = await open({server: {count: 150}});
		const pages = 15;
		for (let page = 1; page <= pages; page++) {
			const ids = h.page(page).map(record => record.id);
			await h.waitForFrame(frame => frame.includes(` ${page * 10 - 9}-${page * 10} of 150 `) && ids.every(id => frame.includes(id)), {message: `page ${page}`});
			if (page < pages) {
				await h.press(keys.pageDown);
			}
		}

		await h.settled();
		const forward = perPage(h.listRequests());
		expect([...forward.keys()].sort((a, b) => a - b)).toEqual(Array.from({length: pages}, (_, index) => index + 1));
		expect([...forward.values()].every(count => count === 1)).toBe(true);
		const before = h.listRequests().length;
		for (let page = pages - 1; page >= 1; page--) {
			await h.press(keys.pageUp);
			const ids = h.page(page).map(record => record.id);
			await h.waitForFrame(frame => frame.includes(` ${page * 10 - 9}-${page * 10} of 150 `) && ids.every(id => frame.includes(id)), {message: `page ${page} again`});
		}

		await h.settled();
		expect(h.listRequests()).toHaveLength(before);
	});

	test('a prefetch that lands while the page change is being drawn is not asked for again', async () => {
		// The prefetch of page 2 is held back in the client until the page change has been drawn
		// (its effects not yet run), then let go: the page-change effect must wait for it.
		let release: (() => void) | undefined;
		const held = new Promise<void>(resolve => {
			release = resolve;
		});
		let arrived = false;
		const h = await open({
			wrapClient: (client: ExportsClient): ExportsClient => ({
				...client,
				baseUrl: client.baseUrl,
				async listExports(query, signal, options) {
					const page = await client.listExports(query, signal, options);
					if (query.page === 2) {
						arrived = true;
						await held;
					}

					return page;
				},
			}),
		});
		const page1 = h.page(1).map(record => record.id);
		const page2 = h.page(2).map(record => record.id);
		await h.waitForFrame(frame => page1.every(id => frame.includes(id)), {message: 'page 1'});
		await h.waitFor(() => arrived, {message: 'the prefetch of page 2 answered'});
		// Let go of the answer as the page change is drawn (in the commit), before its effects run.
		const stdout = h.app.stdout as unknown as {write: (frame: string) => void};
		const write = stdout.write;
		stdout.write = (frame: string) => {
			write(frame);
			if (plain(frame).includes(' 11-20 of 300 ')) {
				release?.();
			}
		};

		h.app.stdin.write(keys.pageDown);
		await h.waitForFrame(frame => page2.every(id => frame.includes(id)) && frame.includes(' 11-20 of 300 '), {message: 'page 2'});
		await h.settled();
		expect(perPage(h.listRequests()).get(2)).toBe(1);
	});

	test('a failed prefetch is asked for again when its page is wanted', async () => {
		const h = await open();
		h.server.injectFault({path: /page%5Bnumber%5D=2&page%5Bsize%5D=10/, kind: 'status', status: 500, times: 1});
		const page1 = h.page(1).map(record => record.id);
		await h.waitForFrame(frame => page1.every(id => frame.includes(id)), {message: 'page 1'});
		await h.settled();
		await h.press(keys.pageDown);
		const page2 = h.page(2).map(record => record.id);
		await h.waitForFrame(frame => page2.every(id => frame.includes(id)), {message: 'page 2'});
	});
});
