// The pager when the API misbehaves: error lines that keep the table, recovery on `r`, the rate
// limit countdown, and answers that come back after the user has moved on.
import {describe, expect, test} from 'vitest';
import {appPerTest, type HarnessOptions, pageRequestPath} from './helpers/app-harness.js';
import {keys} from './helpers/keys.js';
import {plain} from './helpers/wait-for-frame.js';

const opened = appPerTest();
/** Ten rows: one page of ten on screen. */
const open = async (options: HarnessOptions = {}) => opened({size: {columns: 100, rows: 20}, ...options});

describe('errors', () => {
	test('a 500 shows one error line under the table, which stays; r recovers', async () => {
		const h = await open({prefetch: false});
		const page1 = h.page(1).map(record => record.id);
		await h.waitForFrame(frame => page1.every(id => frame.includes(id)));
		h.server.injectFault({kind: 'status', status: 500, path: pageRequestPath, times: 1});
		await h.press('r');
		const frame = await h.waitForFrame('Internal Server Error');
		expect(frame).toMatch(/✖ Internal Server Error/);
		// The table is still there, with the same rows.
		expect(page1.every(id => frame.includes(id))).toBe(true);
		expect(frame.split('\n').filter(line => line.includes('Internal Server Error'))).toHaveLength(1);
		await h.press('r');
		await h.waitForFrame(frame => !frame.includes('Internal Server Error') && page1.every(id => frame.includes(id)));
		expect(h.listRequests().map(request => request.status)).toEqual([200, 500, 200]);
	});

	test('a failing first page says so, and r loads it', async () => {
		const h = await open({prefetch: false, server: {latencyMs: 50}});
		h.server.injectFault({kind: 'status', status: 500, path: pageRequestPath, times: 1});
		await h.waitForFrame(frame => frame.includes('Could not load exports.') && frame.includes('Internal Server Error'));
		await h.press('r');
		await h.waitForFrame(frame => frame.includes(' 1-10 of 300 ') && frame.includes('· 300 exports'));
		expect(h.frame()).not.toContain('Internal Server Error');
	});

	test('rate limited: the footer counts down to the retry, then the page arrives', async () => {
		const h = await open({prefetch: false, retries: {rateLimited: 1}});
		await h.waitForRows();
		h.server.injectFault({kind: 'status', status: 429, path: pageRequestPath, times: 1, headers: {'Retry-After': '1'}});
		await h.press(keys.pageDown);
		await h.waitForFrame(/rate limited · retrying in 1 s/);
		await h.waitForFrame(frame => frame.includes(' 11-20 of 300 ') && !frame.includes('rate limited') && frame.includes(h.page(2)[0]!.id));
	});
});

describe('late answers', () => {
	test('the answer for a page the user has left never reaches the screen', async () => {
		const h = await open({prefetch: false, server: {latencyMs: 300}});
		await h.waitForRows();
		const page2 = h.page(2).map(record => record.id);
		const page3 = h.page(3).map(record => record.id);
		await h.press('n');
		await h.waitFor(() => h.sentLists().some(query => query.get('page[number]') === '2'), {message: 'the request for page 2'});
		await h.press('n');
		await h.waitForFrame(frame => frame.includes(' 21-30 of 300 ') && page3.every(id => frame.includes(id)));
		// The server did answer page 2 (after the user had moved on to page 3)…
		await h.waitFor(() => h.listRequests().some(request => request.query['page[number]'] === '2'), {message: 'the late answer for page 2'});
		// …and no frame ever showed it.
		expect(h.app.frames.map(frame => plain(frame)).filter(frame => page2.some(id => frame.includes(id)))).toEqual([]);
	});

	test('typing on while a filter is on its way: the superseded filter never shows', async () => {
		const h = await open({server: {latencyMs: 1500}});
		await h.waitForRows();
		await h.press('/');
		await h.waitForFrame('⏎ keep');
		await h.type('status:failed');
		await h.waitFor(() => h.sentLists().some(query => query.get('filter[q][status_eq]') === 'failed' && !query.has('filter[q][resource_type_eq]')), {
			message: 'the request for status:failed',
		});
		await h.typeFast(' type:skus');
		const both = h.server.allExports().filter(record => record.attributes.status === 'failed' && record.attributes.resource_type === 'skus');
		await h.waitForFrame(` ${both.length} export`, {timeoutMs: 10_000});
		await h.waitFor(() => h.listRequests().some(request => request.query['filter[q][status_eq]'] === 'failed' && !request.query['filter[q][resource_type_eq]']), {
			message: 'the late answer for status:failed',
		});
		const failedOnly = h.server
			.allExports()
			.filter(record => record.attributes.status === 'failed' && record.attributes.resource_type !== 'skus')
			.map(record => record.id);
		expect(h.app.frames.map(frame => plain(frame)).filter(frame => failedOnly.some(id => frame.includes(id)))).toEqual([]);
		await h.press(keys.enter);
		await h.waitForFrame('filter /status:failed type:skus');
	});
});
