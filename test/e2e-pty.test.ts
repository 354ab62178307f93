// The built CLI (dist/cli.js, built by the global setup) in a real pseudo-terminal at 80x24,
// against a demo API the test starts: what a user sees, key by key, down to the terminal state
// left behind.
import {mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {afterAll, beforeAll, expect, test} from 'vitest';
import {startDemoServer, type DemoServer} from '../source/demo/server.js';
import {PtySession} from './helpers/pty.js';
import {newestFirst} from './helpers/demo.js';
import {keys} from './helpers/keys.js';

let server: DemoServer;
let session: PtySession | undefined;

beforeAll(async () => {
	server = await startDemoServer({rateLimit: false});
});

afterAll(async () => {
	session?.kill();
	await server.close();
});

/** Table rows on the screen: lines drawn as `│>…` / `│ …` that hold an export id. */
function tableRows(screen: string, ids: Set<string>): string[] {
	return screen.split('\n').filter(line => line.startsWith('│') && [...ids].some(id => line.includes(id)));
}

test('browse, details, next page, a typed filter, resize and quit, in a real terminal', {timeout: 60_000}, async () => {
	const all = newestFirst(server.allExports());
	const allIds = new Set(all.map(record => record.id));
	const page1 = all.slice(0, 25);
	const page2 = all.slice(25, 50);
	session = new PtySession({
		args: ['--base-url', server.url],
		cols: 80,
		rows: 24,
		env: {CI: 'false', CL_ACCESS_TOKEN: server.token, NO_COLOR: undefined, NODE_EXTRA_CA_CERTS: undefined},
	});
	const s = session;

	// First page, newest first, in the alternate screen.
	await s.waitForScreen(screen => screen.includes('· 300 exports') && screen.includes(' 1-14 of 300 ') && page1.slice(0, 8).every(record => screen.includes(record.id)), 15_000, 'page 1');
	expect(s.term.buffer.active.type).toBe('alternate');
	const firstFrame = s.lines();
	expect(firstFrame[0]).toContain('cl-exports');
	expect(firstFrame.join('\n')).toContain('q quit');
	expect(s.wrappedRows()).toEqual([]);
	const afterFirstFrame = s.raw.length;

	// Down x3 and Enter: the 4th export's details.
	for (let press = 0; press < 3; press++) {
		s.write(keys.down);
		await s.waitForScreen(screen => screen.split('\n').some(line => line.startsWith('│>') && line.includes(page1[press + 1]!.id)), 5000, `row ${press + 2} selected`);
	}

	s.write(keys.enter);
	const fourth = page1[3]!;
	const details = await s.waitForScreen(`export ${fourth.id}`, 5000, 'the detail pane');
	expect(details).toMatch(new RegExp(`│ type +${String(fourth.attributes.resource_type)} `));

	// One screenful down (the pane closed first to see the rows): the next 14 exports, over the
	// boundary of the API's first page.
	s.write(keys.escape);
	await s.waitForScreen(screen => !screen.includes(`export ${fourth.id}`), 5000, 'the pane closed');
	s.write('n');
	const next = all.slice(14, 28);
	await s.waitForScreen(screen => screen.includes(' 15-28 of 300 ') && next.every(record => screen.includes(record.id)), 5000, 'the next screenful');
	expect(next.some(record => page2.includes(record))).toBe(true);

	// A filter typed at 20 ms per key, then Enter: only completed exports.
	s.write('/');
	await s.waitForScreen('⏎ keep', 5000, 'the filter prompt');
	await s.type('status:completed', 20);
	s.write(keys.enter);
	// (The demo's exports progress in real time, so count the completed ones now.)
	const filtered = await s.waitForScreen(
		screen => {
			const count = / · (\d+) exports/.exec(screen)?.[1];
			const rows = tableRows(screen, allIds);
			return screen.includes('filter /status:completed') && count !== undefined && rows.length > 5 && rows.every(row => row.includes('completed'));
		},
		10_000,
		'only completed exports',
	);
	const shown = Number(/ · (\d+) exports/.exec(filtered)?.[1]);
	expect(Math.abs(shown - server.allExports().filter(record => record.attributes.status === 'completed').length)).toBeLessThanOrEqual(3);
	// Every character arrived, in order: the server got exactly this filter.
	// (Page requests: the status overview's counts, page[size]=1, ask for each status.)
	const filters = server.requests
		.filter(request => request.path === '/api/exports' && request.query['page[size]'] !== '1')
		.map(request => request.query['filter[q][status_eq]'])
		.filter(Boolean);
	expect(filters.every(value => 'completed'.startsWith(value!))).toBe(true);
	expect(filters).toContain('completed');

	// No full-screen clear while keys were pressed: no flicker.
	await s.settle();
	expect(s.count('\u001B[2J', afterFirstFrame)).toBe(0);

	// Narrower and shorter: nothing wraps, the header is still on the first row.
	const host = new URL(server.url).host;
	s.resize(60, 20);
	await s.waitForScreen(screen => {
		const lines = screen.split('\n');
		// The status counts on the third line, then the table's top border drawn for 60 columns (it
		// ends in its corner, not cut off).
		return (
			lines[0]!.startsWith(host) &&
			lines[1]!.startsWith('filter /status') &&
			/^1○/.test(lines[2]!) &&
			/^┌.*┐$/.test(lines[3]!) &&
			lines[3]!.length <= 60
		);
	}, 5000, 'the 60x20 layout');
	await s.settle();
	expect(s.wrappedRows()).toEqual([]);
	const narrow = s.lines();
	// Every table line is whole: it ends with its border inside 60 columns.
	const table = narrow.filter(line => /^[┌│├└]/.test(line));
	expect(table.length).toBeGreaterThan(5);
	for (const line of table) {
		expect(line).toMatch(/[┐│┤┘]$/);
		expect(line.length).toBeLessThanOrEqual(60);
	}

	// The root is rows - 1 high: the last row stays free.
	expect(narrow[19]).toBe('');
	expect(narrow.slice(0, 19).some(line => line.includes('completed'))).toBe(true);

	// q: exit 0, back to the normal screen.
	s.write('q');
	const exit = await s.exit();
	await s.settle();
	expect(exit.exitCode).toBe(0);
	expect(s.term.buffer.active.type).toBe('normal');
	expect(s.raw.endsWith('\u001B[?25h') || s.raw.includes('\u001B[?1049l\u001B[?25h')).toBe(true);
});

test('a / with its filter and the Enter in one read (a paste, or keys typed while the app was busy)', {timeout: 30_000}, async () => {
	session?.kill();
	session = new PtySession({args: ['--base-url', server.url], env: {CI: 'false', CL_ACCESS_TOKEN: server.token}});
	const s = session;
	await s.waitForScreen(/ 1-14 of 300 /, 15_000);
	const ids = new Set(server.allExports().map(record => record.id));
	s.write('/status:failed\r');
	await s.waitForScreen(
		screen => {
			const rows = tableRows(screen, ids);
			return screen.includes('filter /status:failed') && screen.includes('/ filter') && !screen.includes('⏎ keep') && rows.length > 0 && rows.every(row => row.includes('failed'));
		},
		10_000,
		'the filter kept, only failed exports',
	);
	// Typing and deleting in one read: the Backspace is a Backspace, not a character.
	s.write('/');
	await s.waitForScreen('⏎ keep');
	s.write(' type:skux\u007Fs\r');
	await s.waitForScreen(screen => screen.includes('filter /status:failed type:skus') && !screen.includes('⏎ keep'), 10_000, 'the edited filter kept');
	s.write('q');
	expect((await s.exit()).exitCode).toBe(0);
});

for (const [how, act, code] of [
	['Ctrl-C', (s: PtySession) => s.write(keys.ctrlC), 0],
	['SIGINT', (s: PtySession) => s.process.kill('SIGINT'), 130],
	['SIGQUIT', (s: PtySession) => s.process.kill('SIGQUIT'), 131],
	['SIGTERM', (s: PtySession) => s.process.kill('SIGTERM'), 143],
	['SIGHUP', (s: PtySession) => s.process.kill('SIGHUP'), 129],
] as const) {
	test(`${how} restores the terminal (exit ${code})`, {timeout: 30_000}, async () => {
		session?.kill();
		session = new PtySession({args: ['--base-url', server.url], env: {CI: 'false', CL_ACCESS_TOKEN: server.token}});
		const s = session;
		await s.waitForScreen(/ 1-14 of 300 /, 15_000);
		expect(s.term.buffer.active.type).toBe('alternate');
		act(s);
		const exit = await s.exit();
		await s.settle();
		expect(exit.exitCode).toBe(code);
		expect(s.term.buffer.active.type).toBe('normal');
		expect(s.term.modes.bracketedPasteMode).toBe(false);
		expect(s.raw).toContain('\u001B[?1049l\u001B[?25h');
		// Nothing but the terminal restore after the alternate screen is left: no stack, no noise.
		expect(s.raw.slice(s.raw.lastIndexOf('\u001B[?1049l'))).not.toMatch(/\bat \S+ \(|Error/);
	});
}

test('triage at 80x24 with watch on: 4 shows the failed, t then y restarts one, y copies a fresh link with OSC 52', {timeout: 60_000}, async () => {
	session?.kill();
	session = new PtySession({
		args: ['--base-url', server.url, '--watch', '2'],
		cols: 80,
		rows: 24,
		env: {CI: 'false', CL_ACCESS_TOKEN: server.token, TMUX: undefined, TERM: 'xterm-256color', NO_COLOR: undefined},
	});
	const s = session;
	const ids = new Set(server.allExports().map(record => record.id));
	// Watch is on, with its period, and the counts are there.
	await s.waitForScreen(screen => / 1-14 of 300 /.test(screen) && screen.includes('watch 2 s') && /1○ \d+ pending/.test(screen), 15_000, 'page 1, watch, counts');
	const failedCount = server.allExports().filter(record => record.attributes.status === 'failed').length;
	expect(s.screen()).toContain(`4✖ ${failedCount} failed`);

	// 4: only the failed ones, the filter says so.
	s.write('4');
	await s.waitForScreen(
		screen => {
			const rows = tableRows(screen, ids);
			return screen.includes('filter /status:failed') && rows.length === failedCount && rows.every(row => row.includes('failed'));
		},
		10_000,
		'the failed exports',
	);
	const failed = newestFirst(server.allExports().filter(record => record.attributes.status === 'failed'));
	const target = failed[1]!;
	s.write(keys.down);
	await s.waitForScreen(screen => screen.split('\n').some(line => line.startsWith('│>') && line.includes(target.id)), 5000, 'the second failed export selected');

	// t asks first, naming the export; watch waits meanwhile.
	s.write('t');
	const question = await s.waitForScreen(`Restart export ${target.id} (${String(target.attributes.resource_type)}, failed)? y/N`, 5000, 'the question');
	expect(question).toContain('watch paused');
	expect(question).toContain('y yes');
	expect(s.wrappedRows()).toEqual([]);
	s.write('y');
	await s.waitForScreen(`Export ${target.id} restarted: now pending`, 10_000, 'the restart');
	expect(['pending', 'in_progress']).toContain(server.allExports().find(record => record.id === target.id)?.attributes.status);
	// The row leaves the failed filter, the counts follow.
	await s.waitForScreen(screen => !tableRows(screen, ids).some(row => row.includes(target.id)) && screen.includes(`4✖ ${failedCount - 1} failed`), 10_000, 'the refresh');

	// 4 off, 5 on: the completed; y sends a freshly retrieved link to the terminal's clipboard.
	s.write('4');
	await s.waitForScreen('filter none', 5000);
	s.write('5');
	await s.waitForScreen(screen => screen.includes('filter /status:completed') && tableRows(screen, ids).every(row => row.includes('completed')), 10_000);
	const selectedLine = s.lines().find(line => line.startsWith('│>')) ?? '';
	const completed = server.allExports().find(record => selectedLine.includes(record.id))!;
	expect(completed.attributes.status).toBe('completed');
	const before = s.raw.length;
	s.write('y');
	await s.waitForScreen("Link sent to the terminal's clipboard (OSC 52)", 10_000, 'the copy');
	const sequence = /\u001B\]52;c;([A-Za-z\d+/=]+)\u0007/.exec(s.raw.slice(before));
	expect(sequence?.[1]).toBeDefined();
	const url = Buffer.from(sequence![1]!, 'base64').toString('utf8');
	expect(url).toMatch(new RegExp(`^${server.url}/attachments/${completed.id}\\.`));
	expect(server.requests.some(request => request.method === 'GET' && request.path === `/api/exports/${completed.id}`)).toBe(true);
	// The frame around it is intact: nothing wrapped, the header still on top, the link shown.
	await s.settle();
	expect(s.wrappedRows()).toEqual([]);
	expect(s.lines()[0]).toMatch(/^cl-exports /);
	expect(s.screen().replaceAll('\n', '')).toContain(url);

	s.write('q');
	expect((await s.exit()).exitCode).toBe(0);
});

test("the cl CLI's saved login: the header names the application; its files are only read", {timeout: 30_000}, async () => {
	const home = mkdtempSync(join(tmpdir(), 'cl-exports-e2e-cl-'));
	const dir = join(home, '@commercelayer', 'cli');
	mkdirSync(join(dir, 'applications'), {recursive: true});
	writeFileSync(join(dir, 'config.json'), JSON.stringify({currentApplication: {key: 'k1demo', mode: 'test'}}));
	const app = {key: 'k1demo', alias: 'demo-int', slug: 'demo', baseUrl: server.url, clientId: server.clientId, clientSecret: server.clientSecret, mode: 'test', kind: 'integration'};
	writeFileSync(join(dir, 'applications', 'k1demo.config.json'), JSON.stringify(app));
	const snapshot = () =>
		['config.json', 'applications/k1demo.config.json'].map(name => `${name}:${statSync(join(dir, name)).mtimeMs}:${readFileSync(join(dir, name), 'utf8')}`).join('\n') +
		`\n${readdirSync(join(dir, 'applications')).join(',')}`;
	const before = snapshot();
	try {
		session?.kill();
		const clean = Object.fromEntries(Object.keys(process.env).filter(name => name.startsWith('CL_')).map(name => [name, undefined]));
		session = new PtySession({env: {...clean, CI: 'false', XDG_CONFIG_HOME: home, COMMERCELAYER_CONFIG_DIR: undefined}});
		const s = session;
		const screen = await s.waitForScreen(/ 1-14 of 300 /, 15_000, 'page 1 through the cl login');
		expect(s.lines()[0]).toMatch(/^cl-exports {2}cl app demo-int · test/);
		expect(screen).not.toContain('DEMO');
		s.write('q');
		expect((await s.exit()).exitCode).toBe(0);
		expect(snapshot()).toBe(before);
	} finally {
		rmSync(home, {recursive: true, force: true});
	}
});
