// The filter prompt over the real demo API: live results, inline errors that send nothing, Enter
// and Esc, and typing that never loses a key.
import {describe, expect, test} from 'vitest';
import {appPerTest, type Harness} from './helpers/app-harness.js';
import {keys} from './helpers/keys.js';
import {waitFor} from './helpers/wait-for-frame.js';

const start = appPerTest();

async function open(options: Parameters<typeof start>[0] = {}): Promise<Harness> {
	// Ten rows (eight with the prompt open): one page of ten on screen, one request per filter.
	const harness = await start({size: {columns: 100, rows: 20}, ...options});
	await harness.waitForRows();
	return harness;
}

const promptOpen = (frame: string) => frame.includes('⏎ keep') && frame.includes('esc cancel');

async function openPrompt(h: Harness) {
	await h.press('/');
	await h.waitForFrame(promptOpen, {message: 'the filter prompt'});
}

/** The filtered list requests the client sent since `from`. */
function filteredSince(h: Harness, from: number): URLSearchParams[] {
	return h.sentLists().slice(from).filter(query => [...query.keys()].some(key => key.startsWith('filter[q]')));
}

/** Lines of the table body (rows with a status cell). */
function tableRows(frame: string): string[] {
	return frame.split('\n').filter(line => /^│[> *]\S/.test(line) && !line.includes('status '));
}

describe('filter prompt', () => {
	test('a typed filter that does not parse shows an inline error and sends no request', async () => {
		const h = await open();
		await openPrompt(h);
		const before = h.sentLists().length;
		// Pasted, so that no prefix of it ("bogus" alone is a valid free-text search) is ever the text.
		await h.press('bogus:1');
		const frame = await h.waitForFrame('unknown field "bogus"');
		expect(frame).toContain('^^^^^');
		// Enter does not accept it either.
		await h.press(keys.enter);
		// Absence needs time: stay well past the debounce (200 ms) before looking at the requests.
		const shownAt = Date.now();
		await waitFor(() => Date.now() - shownAt > 500, {message: 'twice the debounce'});
		expect(promptOpen(h.frame())).toBe(true);
		expect(h.sentLists().slice(before).filter(query => query.toString().includes('bogus'))).toEqual([]);
		expect(filteredSince(h, before)).toEqual([]);
		await h.press(keys.escape);
		await h.waitForFrame(frame => !promptOpen(frame) && frame.includes('filter none'));
	});

	test('results follow the typing: the server receives the predicates, a typed word costs one or two requests', async () => {
		const h = await open();
		await openPrompt(h);
		const before = h.sentLists().length;
		const longestPause = await h.typeFast('status:completed');
		await h.waitForFrame('/ status:completed');
		await h.waitFor(() => filteredSince(h, before).some(query => query.get('filter[q][status_eq]') === 'completed'), {
			message: 'a request with filter[q][status_eq]=completed',
		});
		const completed = h.server.allExports().filter(record => record.attributes.status === 'completed').length;
		const frame = await h.waitForFrame(frame => frame.includes(`· ${completed} exports`) && frame.includes(` 1-8 of ${completed} `));
		const rows = tableRows(frame);
		expect(rows).toHaveLength(8);
		expect(rows.every(row => row.includes('completed'))).toBe(true);
		// No request for the incomplete words on the way (status:c, status:co, ...), no prefetch while
		// typing: one request for the word (unless the machine stalled the typist past the debounce).
		const typedRequests = filteredSince(h, before);
		if (longestPause < 200) {
			expect(typedRequests.map(query => query.get('filter[q][status_eq]'))).toEqual(['completed']);
		} else {
			expect(typedRequests.length).toBeLessThanOrEqual(3);
		}

		await h.press(keys.enter);
		await h.waitForFrame(frame => !promptOpen(frame) && frame.includes('filter /status:completed'));
		// Esc outside the prompt clears the filter, and the unfiltered first page comes from the cache.
		const sent = h.sentLists().length;
		await h.press(keys.escape);
		await h.waitForFrame(frame => frame.includes('filter none') && frame.includes('· 300 exports') && frame.includes(' 1-10 of 300 '));
		expect(h.sentLists().slice(sent).filter(query => query.get('page[number]') === '1' && !query.has('filter[q][status_eq]'))).toEqual([]);
	});

	test('Esc in the prompt restores the previous filter; Enter keeps the new one', async () => {
		const h = await open();
		await openPrompt(h);
		await h.type('status:failed');
		await h.press(keys.enter);
		await h.waitForFrame(frame => !promptOpen(frame) && frame.includes('filter /status:failed'));
		await openPrompt(h);
		await h.type(' type:skus', typed => `status:failed${typed}`);
		await h.waitFor(() => h.sentLists().some(query => query.get('filter[q][resource_type_eq]') === 'skus'));
		const both = h.server.allExports().filter(record => record.attributes.status === 'failed' && record.attributes.resource_type === 'skus');
		await h.waitForFrame(` ${both.length} export`);
		await h.press(keys.escape);
		const failed = h.server.allExports().filter(record => record.attributes.status === 'failed').length;
		await h.waitForFrame(frame => !promptOpen(frame) && frame.includes('filter /status:failed') && frame.includes(` ${failed} exports`));
		// Open again: the prompt starts from the kept filter.
		await openPrompt(h);
		await h.waitForFrame('/ status:failed');
	});

	test('q, s, ?, j typed in the prompt are letters, not keys', async () => {
		const h = await open();
		await openPrompt(h);
		await h.type('ref~qs?j');
		expect(h.frame()).toContain('created_at ↓');
		expect(h.frame()).toContain('/ ref~qs?j');
		await h.press(keys.escape);
		await h.waitForFrame(frame => !promptOpen(frame));
	});

	test('keys typed back to back, with no pause at all, arrive whole and in order', async () => {
		const h = await open();
		await openPrompt(h);
		const text = 'status:completed type:skus';
		for (const char of text) {
			await h.press(char);
		}

		await h.waitForFrame(`/ ${text}`);
		await h.waitFor(() => h.sentLists().some(query => query.get('filter[q][resource_type_eq]') === 'skus' && query.get('filter[q][status_eq]') === 'completed'));
	});

	test('a / and the filter in one read (a paste) open the prompt with the text', async () => {
		const h = await open();
		await h.press('/status:failed');
		await h.waitForFrame(frame => promptOpen(frame) && frame.includes('/ status:failed'));
		await h.press(keys.enter);
		await h.waitForFrame('filter /status:failed');
	});

	test('/failed finds the failed exports, and the kept filter shows it as status:failed', async () => {
		const h = await open();
		await openPrompt(h);
		const before = h.sentLists().length;
		await h.type('failed');
		const failed = h.server.allExports().filter(record => record.attributes.status === 'failed');
		expect(failed.length).toBeGreaterThan(0);
		await h.waitFor(() => filteredSince(h, before).some(query => query.get('filter[q][status_eq]') === 'failed'), {
			message: 'a request with filter[q][status_eq]=failed',
		});
		const frame = await h.waitForFrame(new RegExp(`· ${failed.length} exports?`));
		const rows = tableRows(frame);
		expect(rows).toHaveLength(Math.min(failed.length, 10));
		expect(rows.every(row => row.includes('failed'))).toBe(true);
		// While the prompt is open, the text is as typed.
		expect(h.frame()).toContain('/ failed');
		// The word itself is never searched for as text.
		expect(filteredSince(h, before).map(query => query.get('filter[q][id_or_reference_or_reference_origin_or_resource_type_cont]'))).not.toContain('failed');
		const sent = h.sentLists().length;
		await h.press(keys.enter);
		await h.waitForFrame(frame => !promptOpen(frame) && frame.includes('filter /status:failed'));
		// The same filters: writing it out sends nothing.
		await h.settled();
		expect(h.sentLists().slice(sent)).toEqual([]);
		await openPrompt(h);
		await h.waitForFrame('/ status:failed');
	});

	test('a bare id finds its export', async () => {
		const h = await open();
		const target = h.page(3)[4]!;
		await openPrompt(h);
		const before = h.sentLists().length;
		await h.press(target.id);
		await h.waitFor(
			() => filteredSince(h, before).some(query => query.get('filter[q][id_or_reference_or_reference_origin_or_resource_type_cont]') === target.id),
			{message: `a request with filter[q][id_or_reference_or_reference_origin_or_resource_type_cont]=${target.id}`},
		);
		const frame = await h.waitForFrame(/· 1 export\b/);
		const rows = tableRows(frame);
		expect(rows).toHaveLength(1);
		expect(rows[0]).toContain(target.id);
		await h.press(keys.enter);
		await h.waitForFrame(frame => !promptOpen(frame) && frame.includes(`filter /${target.id}`));
	});
});
