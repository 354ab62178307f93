// Triage in an 80x24 pseudo-terminal (dist/cli.js, built by the global setup) against a demo API
// the test starts: three failed exports marked with Space, restarted with `t` `y` (the server
// receives exactly those three), then `v` on a completed export shows its file's first records
// and Esc closes it. Nothing wraps, nothing is written to disk.
import {mkdtempSync, readdirSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {afterAll, beforeAll, expect, test} from 'vitest';
import {startDemoServer, type DemoServer} from '../source/demo/server.js';
import {newestFirst} from './helpers/demo.js';
import {keys} from './helpers/keys.js';
import {PtySession} from './helpers/pty.js';

let server: DemoServer;
let session: PtySession | undefined;
const downloads = mkdtempSync(join(tmpdir(), 'cl-exports-triage-80x24-'));

beforeAll(async () => {
	server = await startDemoServer({rateLimit: false});
});

afterAll(async () => {
	session?.kill();
	await server.close();
	rmSync(downloads, {recursive: true, force: true});
});

function rowOf(screen: string, id: string): string {
	return screen.split('\n').find(line => line.startsWith('│') && line.includes(id)) ?? '';
}

test('at 80x24: Space x3 on failed exports, t, y restarts those three; v shows a completed export\'s records; Esc closes', {timeout: 60_000}, async () => {
	session = new PtySession({
		args: ['--base-url', server.url, '--download-dir', downloads],
		cols: 80,
		rows: 24,
		env: {CI: 'false', CL_ACCESS_TOKEN: server.token, NO_COLOR: undefined, NODE_EXTRA_CA_CERTS: undefined},
	});
	const s = session;
	await s.waitForScreen(/ 1-\d+ of \d+ /, 15_000, 'the first rows');

	const failed = newestFirst(server.allExports().filter(record => record.attributes.status === 'failed')).slice(0, 3);
	s.write('4');
	await s.waitForScreen(screen => screen.includes('filter /status:failed') && rowOf(screen, failed[0]!.id).startsWith('│>'), 5000, 'the failed exports');
	server.clearRequests();
	s.write(' ');
	s.write(' ');
	s.write(' ');

	const marked = await s.waitForScreen('3 marked', 5000, 'three marks');
	for (const record of failed) {
		expect(rowOf(marked, record.id)).toMatch(/^│✓✖ failed/);
	}

	s.write('t');
	await s.waitForScreen('Restart 3 exports (3 failed)? y/N', 5000, 'the question');
	expect(server.requests.filter(request => request.method !== 'GET')).toEqual([]);
	s.write('y');
	await s.waitForScreen('3 restarted', 10_000, 'the result line');
	expect(server.requests.filter(request => request.method === 'PATCH').map(request => request.path).sort()).toEqual(failed.map(record => `/api/exports/${record.id}`).sort());
	expect(s.wrappedRows()).toEqual([]);

	// Esc clears the marks (nothing else is open), then the filter; 5: the completed exports.
	s.write(keys.escape);
	await s.waitForScreen('3 marks cleared', 5000, 'the marks cleared');
	s.write(keys.escape);
	await s.waitForScreen('filter none', 5000, 'the filter cleared');
	const completed = newestFirst(server.allExports().filter(record => record.attributes.status === 'completed'))[0]!;
	s.write('5');
	await s.waitForScreen(screen => screen.includes('filter /status:completed') && rowOf(screen, completed.id).startsWith('│>'), 5000, 'the completed exports');
	s.write('v');
	const peek = await s.waitForScreen(/the whole file|the file goes on/, 10_000, 'the records');
	expect(peek).toContain(`${completed.id} · ${String(completed.attributes.format)} · first records`);
	expect(peek).toMatch(/│ +1 │ /);
	expect(peek.split('\n')).toHaveLength(24);
	expect(s.wrappedRows()).toEqual([]);
	s.write('j');
	s.write('l');
	s.write(keys.escape);
	await s.waitForScreen(screen => !screen.includes('first records') && rowOf(screen, completed.id).startsWith('│>'), 5000, 'the table again');
	expect(readdirSync(downloads)).toEqual([]);

	s.write('q');
	const exit = await s.exit(5000);
	expect(exit.exitCode).toBe(0);
});
