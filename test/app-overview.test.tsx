// The status overview over the demo API: the counts in the header are the server's counts under
// the filter's other terms, asked for with page[size]=1, and keys 1..5 edit the filter.
import {afterEach, describe, expect, test} from 'vitest';
import {statuses, type ExportRecord} from '../source/api/types.js';
import {startApp, type Harness} from './helpers/app-harness.js';
import {keys} from './helpers/keys.js';

let harness: Harness | undefined;

afterEach(async () => {
	await harness?.close();
	harness = undefined;
});

/** `1○ 3 pending  2◐ 6 in_progress  …` read back from the frame: status -> count. */
function shownCounts(frame: string): Record<string, number> | undefined {
	const line = frame.split('\n').find(text => /1\S+ [\d,]+ pending/.test(text));
	if (line === undefined) {
		return undefined;
	}

	const counts: Record<string, number> = {};
	for (const status of statuses) {
		const match = new RegExp(`([\\d,]+) ${status}\\b`).exec(line);
		if (match?.[1] === undefined) {
			return undefined;
		}

		counts[status] = Number(match[1].replaceAll(',', ''));
	}

	return counts;
}

function serverCounts(records: ExportRecord[]): Record<string, number> {
	return Object.fromEntries(statuses.map(status => [status, records.filter(record => record.attributes.status === status).length]));
}

// A fixed clock: the demo's running exports stand still, so the server's counts do not move under the test.
const frozen = () => Date.UTC(2026, 10, 15, 12, 0, 0);

describe('status overview', () => {
	for (const [name, filterText, keep] of [
		['no filter', '', () => true],
		['a type filter', 'type:skus', (record: ExportRecord) => record.attributes.resource_type === 'skus'],
		// The status term is left out of the counts: each count is what toggling that status shows.
		['a filter with a status term', 'status:failed type:orders', (record: ExportRecord) => record.attributes.resource_type === 'orders'],
	] as const) {
		test(`counts equal the server's, with ${name}`, async () => {
			harness = await startApp({filterText, server: {now: frozen}, now: frozen});
			const h = harness;
			const frame = await h.waitForFrame(text => shownCounts(text) !== undefined, {message: 'the counts'});
			expect(shownCounts(frame)).toEqual(serverCounts(h.server.allExports().filter(keep)));
			// One request per status, page[size]=1, with the other terms and status_eq.
			const counts = h.countRequests();
			expect(counts).toHaveLength(5);
			expect(counts.map(request => request.query['filter[q][status_eq]']).sort()).toEqual([...statuses].sort());
			for (const request of counts) {
				expect(request.query['page[size]']).toBe('1');
				expect(request.query['filter[q][status_in]']).toBeUndefined();
				if (filterText !== '') {
					expect(request.query['filter[q][resource_type_eq]']).toBe(filterText.includes('skus') ? 'skus' : 'orders');
				}
			}
		});
	}

	test('asked for again on r and when a typed filter is kept; not on a page change, nor while typing', async () => {
		harness = await startApp({server: {now: frozen}, now: frozen});
		const h = harness;
		await h.waitForFrame(text => shownCounts(text) !== undefined);
		await h.settled();
		expect(h.countRequests()).toHaveLength(5);
		await h.press('n');
		await h.waitForFrame(' 21-40 of 300 ');
		await h.settled();
		expect(h.countRequests()).toHaveLength(5);
		await h.press('r');
		await h.waitFor(() => h.countRequests().length === 10, {message: 'the counts after r'});
		await h.press('/');
		await h.waitForFrame('⏎ keep');
		await h.type('type:skus');
		await h.waitFor(() => h.sentLists().some(query => query.get('filter[q][resource_type_eq]') === 'skus'), {message: 'the page for type:skus'});
		await h.settled();
		expect(h.countRequests()).toHaveLength(10);
		// Meanwhile the counts are for the previous filter: dimmed, not wrong.
		await h.press(keys.enter);
		await h.waitFor(() => h.countRequests().length === 15, {message: 'the counts for type:skus'});
		expect(h.countRequests().slice(10).every(request => request.query['filter[q][resource_type_eq]'] === 'skus')).toBe(true);
		const skus = h.server.allExports().filter(record => record.attributes.resource_type === 'skus');
		await h.waitForFrame(text => JSON.stringify(shownCounts(text)) === JSON.stringify(serverCounts(skus)), {message: 'the skus counts'});
	});
});

describe('keys 1..5', () => {
	test('toggle statuses in the filter: the prompt shows status:a,b and the server gets status_in', async () => {
		harness = await startApp({filterText: 'type:skus', server: {now: frozen}, now: frozen});
		const h = harness;
		await h.waitForFrame('filter /type:skus');
		await h.press('4');
		await h.waitForFrame('filter /type:skus status:failed');
		await h.waitFor(() => h.listRequests().some(request => request.query['filter[q][status_eq]'] === 'failed' && request.query['filter[q][resource_type_eq]'] === 'skus'));
		await h.press('3');
		await h.waitForFrame('filter /type:skus status:failed,interrupted');
		await h.waitFor(() => h.listRequests().some(request => request.query['filter[q][status_in]'] === 'failed,interrupted'), {message: 'status_in=failed,interrupted'});
		const both = h.server.allExports().filter(record => record.attributes.resource_type === 'skus' && ['failed', 'interrupted'].includes(String(record.attributes.status)));
		await h.waitForFrame(` ${both.length} export`);
		// Visible and editable in the prompt.
		await h.press('/');
		await h.waitForFrame(frame => frame.includes('⏎ keep') && frame.includes('type:skus status:failed,interrupted'));
		await h.press(keys.escape);
		await h.waitForFrame(frame => !frame.includes('⏎ keep'));
		// Out again, term by term: the term goes away with the last status.
		await h.press('4');
		await h.waitForFrame('filter /type:skus status:interrupted');
		await h.press('3');
		await h.waitForFrame('filter /type:skus ');
		await h.waitFor(() => {
			const last = h.listRequests().at(-1)?.query;
			return last !== undefined && last['filter[q][resource_type_eq]'] === 'skus' && last['filter[q][status_eq]'] === undefined && last['filter[q][status_in]'] === undefined;
		});
		// Toggling statuses does not change the overview's question (the other terms are the same).
		await h.settled();
		expect(h.countRequests()).toHaveLength(5);
	});
});
