// The terminal going away under the program (an SSH link dropping, a tmux window closed): the
// master side of the pseudo-terminal closes, the program gets SIGHUP and every later write fails
// with EIO. It must exit promptly, not keep running (or spin on failed writes) in the background.
import {readFileSync} from 'node:fs';
import {afterAll, beforeAll, expect, test} from 'vitest';
import {startDemoServer, type DemoServer} from '../source/demo/server.js';
import {PtySession} from './helpers/pty.js';
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

function isRunning(pid: number): boolean {
	try {
		// A zombie has exited: it only waits for node-pty to reap it.
		return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
	} catch {
		return false;
	}
}

async function waitUntilGone(pid: number, timeoutMs: number): Promise<boolean> {
	const deadline = Date.now() + timeoutMs;
	while (Date.now() < deadline) {
		if (!isRunning(pid)) {
			return true;
		}

		await new Promise(resolve => setTimeout(resolve, 50));
	}

	return !isRunning(pid);
}

for (const [what, typed] of [
	['browsing', ''],
	['with the detail pane open', keys.enter],
	['in the filter prompt', '/status'],
] as const) {
	test(`exits when its terminal closes, ${what}`, {timeout: 30_000}, async () => {
		session = new PtySession({args: ['--base-url', server.url], env: {CI: 'false', CL_ACCESS_TOKEN: server.token}});
		const s = session;
		await s.waitForScreen(/ 1-14 of 300 /, 15_000);
		if (typed !== '') {
			s.write(typed);
			await s.waitForScreen(screen => screen.includes(typed === keys.enter ? 'export ' : '⏎ keep'), 10_000, what);
		}

		const {pid} = s.process;
		// Closes the master side, then sends SIGHUP: what a dropped SSH session does.
		(s.process as unknown as {destroy(): void}).destroy();
		session = undefined;
		const gone = await waitUntilGone(pid, 5000);
		if (!gone) {
			process.kill(pid, 'SIGKILL');
		}

		expect(gone).toBe(true);
	});
}
