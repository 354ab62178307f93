// The pager over the real demo API: browsing, paging, sorting, the detail pane and the help.
import {describe, expect, test} from 'vitest';
import {appPerTest, type Harness, keys} from './helpers/app-harness.js';

const open = appPerTest();

/** The page's ids are on screen, and the `>` marker is on `selected`. */
async function showsPage(h: Harness, ids: string[], selected: string) {
	await h.waitForFrame(frame => ids.every(id => frame.includes(id)) && (h.rowOf(selected)?.includes('>') ?? false), {
		message: `page ${ids[0]}…${ids.at(-1)} with ${selected} selected`,
	});
}

describe('browsing', () => {
	test('shows the first page, newest first, with the header and the key hints', async () => {
		const h = await open();
		const page1 = h.page(1).map(record => record.id);
		await showsPage(h, page1, page1[0]!);
		const frame = h.frame();
		expect(frame).toContain('demo-store');
		expect(frame).toContain('DEMO');
		expect(frame).toMatch(/page 1\/30 · 300 exports/);
		expect(frame).toContain('created_at ↓');
		expect(frame).toContain('/ filter');
		expect(frame).toContain('q quit');
		// Only the selected row has the marker.
		expect(frame.split('\n').filter(line => /│>/.test(line))).toHaveLength(1);
		expect(h.listRequests()[0]?.query).toMatchObject({'page[number]': '1', 'page[size]': '10', sort: '-created_at'});
	});

	test('Down/j and Up/k move the selection within the page', async () => {
		const h = await open();
		const page1 = h.page(1).map(record => record.id);
		await showsPage(h, page1, page1[0]!);
		await h.press(keys.down, keys.down, 'j');
		await showsPage(h, page1, page1[3]!);
		await h.press('k');
		await showsPage(h, page1, page1[2]!);
		await h.press(keys.up, keys.up, keys.up, keys.up);
		await showsPage(h, page1, page1[0]!);
	});
});

describe('paging', () => {
	test('forward and back: the next page was prefetched, the previous one is cached', async () => {
		const h = await open();
		const page1 = h.page(1).map(record => record.id);
		const page2 = h.page(2).map(record => record.id);
		await showsPage(h, page1, page1[0]!);
		// The next page is asked for as soon as the first is on screen.
		await h.waitFor(() => h.listRequests().some(request => request.query['page[number]'] === '2'), {message: 'the prefetch of page 2'});
		await h.press(keys.down, keys.down);
		await showsPage(h, page1, page1[2]!);
		const before = h.sentLists().filter(query => query.get('page[number]') === '2').length;
		await h.press(keys.pageDown);
		// Same row index on the new page.
		await showsPage(h, page2, page2[2]!);
		expect(h.frame()).toMatch(/page 2\/30/);
		expect(h.sentLists().filter(query => query.get('page[number]') === '2').length).toBe(before);
		const sentBeforeBack = h.sentLists().length;
		await h.press(keys.left);
		await showsPage(h, page1, page1[2]!);
		expect(h.frame()).toMatch(/page 1\/30/);
		// Page 1 came from the cache: no request for it.
		expect(h.sentLists().slice(sentBeforeBack).filter(query => query.get('page[number]') === '1')).toHaveLength(0);
		// Every paging key.
		for (const key of ['l', 'n', '\u0006', keys.right]) {
			await h.press(key);
			await h.waitForFrame(/page 2\/30/);
			await h.press(keys.pageUp);
			await h.waitForFrame(/page 1\/30/);
		}

		for (const key of ['h', 'p', '\u0002']) {
			await h.press(keys.pageDown);
			await h.waitForFrame(/page 2\/30/);
			await h.press(key);
			await h.waitForFrame(/page 1\/30/);
		}
	});

	test('without prefetch the next page is fetched when asked for', async () => {
		const h = await open({prefetch: false});
		const page1 = h.page(1).map(record => record.id);
		await showsPage(h, page1, page1[0]!);
		expect(h.sentLists()).toHaveLength(1);
		await h.press('n');
		await showsPage(h, h.page(2).map(record => record.id), h.page(2)[0]!.id);
		expect(h.sentLists().map(query => query.get('page[number]'))).toEqual(['1', '2']);
	});

	test('End/G goes to the last page (its last row), Home/g to the first (its first row); no page beyond', async () => {
		const h = await open({server: {count: 95}});
		const page1 = h.page(1).map(record => record.id);
		const last = h.page(10).map(record => record.id);
		expect(last).toHaveLength(5);
		await showsPage(h, page1, page1[0]!);
		await h.press(keys.end);
		await showsPage(h, last, last[4]!);
		expect(h.frame()).toMatch(/page 10\/10 · 95 exports/);
		await h.press(keys.pageDown, 'n');
		await h.press(keys.up);
		await showsPage(h, last, last[3]!);
		expect(h.frame()).toMatch(/page 10\/10/);
		await h.press(keys.home);
		await showsPage(h, page1, page1[0]!);
		await h.press(keys.pageUp, 'p');
		await h.press('G');
		await showsPage(h, last, last[4]!);
		await h.press('g');
		await showsPage(h, page1, page1[0]!);
		expect(h.frame()).toMatch(/page 1\/10/);
	});

	test('an organization with no exports says so, and no key goes anywhere', async () => {
		const h = await open({server: {count: 0}});
		await h.waitForFrame('No exports yet.');
		expect(h.frame()).toMatch(/page 1\/1 · 0 exports/);
		await h.press(keys.pageDown, keys.end, keys.down, keys.enter);
		await h.waitForFrame('No export selected.');
		expect(h.frame()).toMatch(/page 1\/1/);
		expect(h.sentLists()).toHaveLength(1);
	});
});

describe('sorting', () => {
	test('s sorts by the next column, S reverses it; the server receives the sort', async () => {
		const h = await open({prefetch: false});
		await h.waitForFrame(/page 1\/30/);
		await h.press(keys.pageDown);
		await h.waitForFrame(/page 2\/30/);
		await h.press('s');
		await h.waitForFrame('reference ↑');
		// The server may answer the page-2 request this sort superseded after the new ones: look for
		// the new sort among the answers rather than at the last one.
		const sorted = (sort: string) => h.listRequests().find(request => request.query['sort'] === sort);
		await h.waitFor(() => sorted('reference,-created_at'), {message: 'sort=reference,-created_at'});
		// A new sort starts at page 1.
		await h.waitForFrame(/page 1\/30/);
		expect(sorted('reference,-created_at')?.query['page[number]']).toBe('1');
		await h.press('S');
		await h.waitForFrame('reference ↓');
		await h.waitFor(() => sorted('-reference,-created_at'), {message: 'sort=-reference,-created_at'});
		await h.press('s');
		await h.waitForFrame('status ↑');
		await h.waitFor(() => sorted('status,-created_at'));
		await h.press('s');
		await h.waitForFrame('id ↑');
		await h.waitFor(() => sorted('id'));
		const ids = h.server.allExports().map(record => record.id).sort().slice(0, 10);
		await h.waitForFrame(frame => ids.every(id => frame.includes(id)), {message: 'the 10 smallest ids'});
	});

	test('after a re-sort the selection stays on the same export when it is on the page', async () => {
		const h = await open({prefetch: false, pageSize: 25, server: {count: 20}});
		const all = h.page(1);
		await h.waitForFrame(frame => all.every(record => frame.includes(record.id)));
		await h.press(keys.down, keys.down);
		const selected = all[2]!.id;
		await h.waitFor(() => h.rowOf(selected)?.includes('>'));
		await h.press('S');
		await h.waitForFrame('created_at ↑');
		// Oldest first: the export is now 3rd from the bottom of 20, and still selected.
		await h.waitForFrame(frame => frame.indexOf(all[19]!.id) < frame.indexOf(selected) && (h.rowOf(selected)?.includes('>') ?? false), {
			message: 'the same export selected after the reverse',
		});
	});
});

describe('detail pane and help', () => {
	test('Enter shows every attribute of the selected export, following the selection; Esc closes it', async () => {
		const h = await open();
		const page1 = h.page(1);
		await showsPage(h, page1.map(record => record.id), page1[0]!.id);
		await h.press(keys.down, keys.down, keys.down);
		await showsPage(h, page1.map(record => record.id), page1[3]!.id);
		await h.press(keys.enter);
		const fourth = page1[3]!;
		const frame = await h.waitForFrame(`export ${fourth.id}`);
		expect(frame).toMatch(new RegExp(`│ type +${String(fourth.attributes.resource_type)} `));
		// 100x30 is too short for a table and the summary: the detail takes the whole body.
		expect(frame).not.toContain('┬');
		expect(frame).toContain('⏎ details');
		await h.press(keys.down);
		await h.waitForFrame(`export ${page1[4]!.id}`);
		await h.press(keys.escape);
		await h.waitForFrame(frame => !frame.includes(`export ${page1[4]!.id}`));
		expect(h.frame()).toContain(page1[9]!.id);
	});

	test('the detail pane scrolls with J/K', async () => {
		const h = await open();
		await h.waitForFrame(/page 1\/30/);
		await h.press(keys.enter);
		await h.waitForFrame(/↓ 1-\d+ of \d+/);
		await h.press('J', 'J', 'J');
		await h.waitForFrame(/↑↓ 4-\d+ of \d+/);
		await h.press('\u001B[1;2B');
		await h.waitForFrame(/↑↓ 5-\d+ of \d+/);
		await h.press('K', 'K', 'K', '\u001B[1;2A', 'K');
		await h.waitForFrame(/ ↓ 1-\d+ of \d+/);
	});

	test('? opens the help generated from the key map, ? or Esc closes it', async () => {
		const h = await open();
		await h.waitForFrame(/page 1\/30/);
		await h.press('?');
		const help = await h.waitForFrame('Keys');
		for (const text of ['Navigate', 'next page', 's S', 'reload', 'quit', '1-5', 'watch on/off', 'y Y', 'D', 'Ctrl-D']) {
			expect(help).toContain(text);
		}

		// A narrow column writes Ctrl- as ^ and gives the brief description.
		expect(help).toMatch(/PgDn → l n (Ctrl-F|\^F)/);
		expect(help).toMatch(/sort by the next column|next sort \/ reverse/);
		expect(help.split('\n').filter(line => line.startsWith('│')).join('\n')).not.toContain('…');

		// Keys of the table do nothing under the help.
		await h.press('s');
		await h.press('?');
		await h.waitForFrame(frame => !frame.includes('Keys ') && frame.includes('created_at ↓'));
		await h.press('?');
		await h.waitForFrame('Keys');
		await h.press(keys.escape);
		await h.waitForFrame(frame => !frame.includes('Keys ') && frame.includes('created_at ↓'));
	});
});

describe('reload', () => {
	test('r fetches the page again and the selection follows the export when new ones push it down', async () => {
		const h = await open({prefetch: false});
		const page1 = h.page(1).map(record => record.id);
		await showsPage(h, page1, page1[0]!);
		await h.press(keys.down, keys.down, keys.down);
		const selected = page1[3]!;
		await showsPage(h, page1, selected);
		// Two new exports, newest of all, arrive at the top of page 1.
		for (const reference of ['new-one', 'new-two']) {
			const response = await fetch(`${h.server.url}/api/exports`, {
				method: 'POST',
				headers: {
					authorization: `Bearer ${h.server.token}`,
					'content-type': 'application/vnd.api+json',
					accept: 'application/vnd.api+json',
				},
				body: JSON.stringify({data: {type: 'exports', attributes: {resource_type: 'skus', reference}}}),
			});
			expect(response.status).toBe(201);
		}

		const count = h.sentLists().length;
		await h.press('r');
		await h.waitForFrame(/302 exports/);
		expect(h.sentLists().length).toBe(count + 1);
		const lines = h.frame().split('\n');
		const at = lines.findIndex(line => line.includes(selected));
		expect(lines[at]).toContain('>');
		// Two rows further down than before: the first export of before is now third.
		expect(lines.findIndex(line => line.includes(page1[0]!))).toBe(at - 3);
	});
});
