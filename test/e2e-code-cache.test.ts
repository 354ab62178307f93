// The V8 code cache of the interactive script, end to end (a copy of dist/, built by the global
// setup, in a real pseudo-terminal): the first session writes it next to the script, and a corrupt
// cache neither breaks nor changes a start; it is replaced.
import {cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {fileURLToPath} from 'node:url';
import {afterAll, beforeAll, expect, test} from 'vitest';
import {startDemoServer, type DemoServer} from '../source/demo/server.js';
import {PtySession} from './helpers/pty.js';

let server: DemoServer;
let copy: string;
const sessions: PtySession[] = [];

beforeAll(async () => {
	server = await startDemoServer({rateLimit: false});
	copy = mkdtempSync(join(tmpdir(), 'cl-exports-dist-'));
	cpSync(fileURLToPath(new URL('../dist', import.meta.url)), copy, {recursive: true});
	for (const name of readdirSync(copy)) {
		if (name.endsWith('.v8cache')) {
			rmSync(join(copy, name));
		}
	}
});

afterAll(async () => {
	for (const session of sessions) {
		session.kill();
	}

	await server.close();
	rmSync(copy, {recursive: true, force: true});
});

function caches(): string[] {
	return readdirSync(copy).filter(name => name.endsWith('.v8cache'));
}

/** One session to page 1 and `q`; resolves with the first screen. */
async function browse(): Promise<string> {
	const session = new PtySession({
		cli: join(copy, 'cli.js'),
		args: ['--base-url', server.url],
		env: {CI: 'false', CL_ACCESS_TOKEN: server.token, NO_COLOR: undefined, NODE_EXTRA_CA_CERTS: undefined, XDG_CACHE_HOME: join(copy, 'no-cache-home')},
	});
	sessions.push(session);
	const screen = await session.waitForScreen(text => text.includes('· 300 exports') && text.includes(' 1-14 of 300 ') && text.includes('q quit'), 15_000, 'page 1');
	session.write('q');
	expect((await session.exited).exitCode).toBe(0);
	return screen;
}

test('the first session writes the cache beside the script; a corrupt one is replaced and changes nothing', {timeout: 60_000}, async () => {
	expect(caches()).toEqual([]);
	const first = await browse();
	expect(caches()).toHaveLength(1);
	const [name] = caches();
	const path = join(copy, name!);
	const written = readFileSync(path);
	expect(written.length).toBeGreaterThan(10_000);

	// Reused as it is.
	const second = await browse();
	expect(readFileSync(path).equals(written)).toBe(true);

	writeFileSync(path, written.subarray(0, written.length / 2));
	const third = await browse();
	expect(caches()).toEqual([name]);
	expect(readFileSync(path).length).toBeGreaterThan(10_000);
	// The same view each time (the demo's clock moves, so compare the layout's fixed parts).
	for (const screen of [second, third]) {
		expect(screen.split('\n')[1]).toBe(first.split('\n')[1]);
		expect(screen.split('\n').at(-1)).toBe(first.split('\n').at(-1));
	}
});
