// The pager over the real demo API: browsing, paging, sorting, the detail pane and the help.
import {describe, expect, test} from 'vitest';
import {appPerTest, type Harness} from './helpers/app-harness.js';
import {newestFirst} from './helpers/demo.js';
import {keys} from './helpers/keys.js';

const open = appPerTest();

/** Every export's id, newest first (the default sort). */
function newestIds(h: Harness): string[] {
	return newestFirst(h.server.allExports()).map(record => record.id);
}

/** The page's ids are on screen, and the `>` marker is on `selected`. */
async function showsPage(h: Harness, ids: string[], selected: string) {
	await h.waitForFrame(frame => ids.every(id => frame.includes(id)) && (h.rowOf(selected)?.includes('>') ?? false), {
		message: `page ${ids[0]}…${ids.at(-1)} with ${selected} selected`,
	});
}

/** The ids shown in the table's rows, top to bottom. */
function shownIds(h: Harness): string[] {
	return h
		.frame()
		.split('\n')
		.filter(line => line.startsWith('│') && !line.includes('status'))
		.map(line => /│[ >*]\S+ \S+\s+│ (\S+)/.exec(line)?.[1])
		.filter((id): id is string => id !== undefined);
}

/** The id on the row with the `>` marker. */
function selectedId(h: Harness): string | undefined {
	const line = h.frame().split('\n').find(row => row.startsWith('│>'));
	return line === undefined ? undefined : /│>\S+ \S+\s+│ (\S+)/.exec(line)?.[1];
}

/** 80x24, the terminal most SSH sessions open with: 14 rows of table. */
const ssh = {columns: 80, rows: 24};

describe('browsing', () => {
	test('shows the first exports, newest first, with the header, where the window is and the key hints', async () => {
		const h = await open();
		const page1 = h.page(1).map(record => record.id);
		await showsPage(h, page1, page1[0]!);
		const frame = h.frame();
		expect(frame).toContain('demo-store');
		expect(frame).toContain('DEMO');
		expect(frame).toMatch(/created_at ↓ · 300 exports/);
		// 20 rows fit: the first two pages of 10, and the border says where they are in the list.
		expect(frame).toContain(' 1-20 of 300 ');
		expect(frame).toContain('/ filter');
		expect(frame).toContain('q quit');
		// Only the selected row has the marker.
		expect(frame.split('\n').filter(line => /│>/.test(line))).toHaveLength(1);
		expect(h.listRequests()[0]?.query).toMatchObject({'page[number]': '1', 'page[size]': '10', sort: '-created_at'});
	});

	test('Down/j and Up/k move the selection', async () => {
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

describe('one list over the pages (80x24)', () => {
	test('PgDn from the first export to the last shows every export, in order, once', async () => {
		const h = await open({pageSize: 25, server: {count: 140}, size: ssh});
		const all = newestIds(h);
		expect(all).toHaveLength(140);
		await h.waitFor(() => shownIds(h).length === 14, {message: '14 rows'});
		expect(h.frame()).toContain(' 1-14 of 140 ');
		const seen: string[] = [];
		for (let step = 0; step < 12; step++) {
			const ids = shownIds(h);
			for (const id of ids) {
				if (!seen.includes(id)) {
					seen.push(id);
				}
			}

			if (ids.at(-1) === all.at(-1)) {
				break;
			}

			const before = ids.join(' ');
			await h.press(keys.pageDown);
			await h.waitFor(() => shownIds(h).join(' ') !== before && !h.frame().includes('loading'), {message: `screen ${step + 2}`});
		}

		expect(seen).toEqual(all);
		expect(h.frame()).toContain(' 127-140 of 140 ');
		// The last screen: PgDn once more selects the last export.
		await h.press(keys.pageDown);
		await h.waitFor(() => selectedId(h) === all.at(-1), {message: 'the last export selected'});
		// 140 exports are 6 pages of 25: one request each, never two.
		const pages = h.sentLists().map(query => query.get('page[number]'));
		expect([...pages].sort()).toEqual(['1', '2', '3', '4', '5', '6']);
	});

	test('Down on the last export of an API page selects the first of the next page', async () => {
		const h = await open({pageSize: 25, server: {count: 140}, size: ssh, prefetch: false});
		const all = newestIds(h);
		await h.waitFor(() => selectedId(h) === all[0], {message: 'the first export selected'});
		for (let step = 0; step < 24; step++) {
			await h.press(keys.down);
		}

		await h.waitFor(() => selectedId(h) === all[24], {message: 'the 25th export selected'});
		await h.press('j');
		await h.waitFor(() => selectedId(h) === all[25], {message: 'the 26th export (page 2) selected'});
		expect(h.frame()).toContain(' 15-28 of 140 ');
		await h.press('k');
		await h.waitFor(() => selectedId(h) === all[24], {message: 'back on the 25th'});
		expect(h.sentLists().map(query => query.get('page[number]'))).toEqual(['1', '2']);
	});

	test('PgUp goes back a screenful at a time from the cache; Home and End go to the first and last export', async () => {
		const h = await open({pageSize: 25, server: {count: 95}, size: ssh});
		const all = newestIds(h);
		await h.waitFor(() => selectedId(h) === all[0], {message: 'the first export selected'});
		await h.press(keys.end);
		await h.waitFor(() => selectedId(h) === all[94], {message: 'the last export selected'});
		expect(h.frame()).toContain(' 82-95 of 95 ');
		expect(h.frame()).toMatch(/95 exports/);
		await h.press(keys.pageDown, 'n', keys.down);
		await h.press(keys.up);
		await h.waitFor(() => selectedId(h) === all[93]);
		await h.press(keys.pageUp);
		await h.waitFor(() => selectedId(h) === all[79], {message: 'one screenful up'});
		expect(h.frame()).toContain(' 68-81 of 95 ');
		await h.press(keys.home);
		await h.waitFor(() => selectedId(h) === all[0]);
		await h.press(keys.pageUp, 'p');
		await h.press('G');
		await h.waitFor(() => selectedId(h) === all[94]);
		await h.press('g');
		await h.waitFor(() => selectedId(h) === all[0]);
		// Every key of the screenful moves.
		for (const key of ['l', 'n', '\u0006', keys.right]) {
			await h.press(key);
			await h.waitFor(() => selectedId(h) === all[14], {message: `${JSON.stringify(key)} one screenful down`});
			await h.press(keys.pageUp);
			await h.waitFor(() => selectedId(h) === all[0]);
		}

		for (const key of ['h', 'p', '\u0002']) {
			await h.press(keys.pageDown);
			await h.waitFor(() => selectedId(h) === all[14]);
			await h.press(key);
			await h.waitFor(() => selectedId(h) === all[0], {message: `${JSON.stringify(key)} one screenful up`});
		}

		await h.settled();
		// 95 exports are 4 pages of 25: each asked for once, however often the keys went over them.
		const pages = h.sentLists().map(query => query.get('page[number]'));
		expect([...pages].sort()).toEqual(['1', '2', '3', '4']);
	});

	test('rows whose page is on its way say so; the selection on them acts on nothing', async () => {
		let release: (() => void) | undefined;
		const h = await open({
			pageSize: 25,
			server: {count: 140},
			size: ssh,
			prefetch: false,
			wrapClient: client => ({
				...client,
				async listExports(query, signal, options) {
					if (query.page === 6) {
						await new Promise<void>(resolve => {
							release = resolve;
						});
					}

					return client.listExports(query, signal, options);
				},
			}),
		});
		const all = newestIds(h);
		await h.waitFor(() => selectedId(h) === all[0]);
		await h.press(keys.end);
		await h.waitForFrame(frame => frame.includes('⋯ loading') && frame.includes(' 127-140 of 140 '), {message: 'loading rows at the end'});
		// The header and the rows agree: loading, and no export of page 1 shown as the last ones.
		expect(h.frame()).not.toContain(all[0]!);
		expect(selectedId(h)).toBeUndefined();
		await h.press('t');
		await h.waitForFrame('still loading');
		await h.press('D');
		await h.waitForFrame('still loading');
		release?.();
		await h.waitFor(() => selectedId(h) === all[139], {message: 'the last export, once its page is in'});
		expect(h.frame()).not.toContain('⋯ loading');
	});

	test('an organization with no exports says so, and no key goes anywhere', async () => {
		const h = await open({server: {count: 0}});
		await h.waitForFrame('No exports yet.');
		expect(h.frame()).toMatch(/ 0 exports/);
		await h.press(keys.pageDown, keys.end, keys.down, keys.enter);
		await h.waitForFrame('No export selected.');
		expect(h.sentLists()).toHaveLength(1);
	});
});

describe('sorting', () => {
	test('s sorts by the next column, S reverses it; the server receives the sort', async () => {
		const h = await open({prefetch: false});
		await h.waitForFrame(' 1-20 of 300 ');
		await h.press(keys.pageDown);
		await h.waitForFrame(' 21-40 of 300 ');
		await h.press('s');
		await h.waitForFrame('reference ↑');
		// The server may answer the page-2 request this sort superseded after the new ones: look for
		// the new sort among the answers rather than at the last one.
		const sorted = (sort: string) => h.listRequests().find(request => request.query['sort'] === sort);
		await h.waitFor(() => sorted('reference,-created_at'), {message: 'sort=reference,-created_at'});
		// A new sort starts at the top.
		await h.waitForFrame(' 1-20 of 300 ');
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
		await h.waitForFrame(' 1-20 of 300 ');
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
		await h.waitForFrame(' 1-20 of 300 ');
		await h.press('?');
		const help = await h.waitForFrame('Keys');
		for (const text of ['Navigate', 's S', 'reload', 'quit', '1-5', 'watch on/off', 'y Y', 'D', 'Ctrl-D']) {
			expect(help).toContain(text);
		}

		// A narrow column writes Ctrl- as ^ and gives the brief description.
		expect(help).toMatch(/PgDn → l n (Ctrl-F|\^F)/);
		expect(help).toMatch(/screenful/);
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
		await h.settled();
		// The 20 rows on screen are two pages of 10: both asked for again, nothing more.
		expect(h.sentLists().slice(count).map(query => query.get('page[number]')).sort()).toEqual(['1', '2']);
		const lines = h.frame().split('\n');
		const at = lines.findIndex(line => line.includes(selected));
		expect(lines[at]).toContain('>');
		// Two rows further down than before: the first export of before is now third.
		expect(lines.findIndex(line => line.includes(page1[0]!))).toBe(at - 3);
	});
});
