// `npm run demo-server`: the in-process runner and the bundled entry points (dist/ is built by the
// global setup).
import {spawn} from 'node:child_process';
import {fileURLToPath} from 'node:url';
import {describe, expect, it} from 'vitest';
import {runDemoServer} from '../source/demo/run-server.js';
import {startDemoServer} from '../source/demo/server.js';
import {waitFor} from './helpers/demo.js';

const root = fileURLToPath(new URL('..', import.meta.url));

function sink() {
	let text = '';
	return {
		write(chunk: string) {
			text += chunk;
			return true;
		},
		get text() {
			return text;
		},
	};
}

/** The runner started in-process with `argv`, once it listens: what it prints, and a one-row read with the token it printed. */
async function startRunner(argv: string[]) {
	const stdout = sink();
	const stderr = sink();
	const controller = new AbortController();
	let url = '';
	const done = runDemoServer(argv, {
		stdout,
		stderr,
		signal: controller.signal,
		onListening(listening) {
			url = listening;
		},
	});
	await waitFor(() => url !== '');
	const token = /access token +(\S+)/.exec(stdout.text)?.[1];
	return {
		stdout,
		stderr,
		url,
		token,
		read: async () => fetch(`${url}/api/exports?page%5Bsize%5D=1`, {headers: {accept: 'application/vnd.api+json', authorization: `Bearer ${token}`}}),
		/** Stops it as Ctrl-C would: its exit code. */
		async stop() {
			controller.abort();
			return done;
		},
	};
}

describe('demo-server runner', () => {
	it('prints the URL, the credentials, a token and a ready-to-paste command, serves, and stops cleanly', async () => {
		const {stdout, stderr, url, token, read, stop} = await startRunner(['--port', '0', '--seed', '3', '--count', '40']);
		expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
		expect(token).toBeDefined();
		expect(stdout.text).toContain(`cl-exports demo API listening on ${url}`);
		expect(stdout.text).toContain(`CL_ACCESS_TOKEN=${token} node dist/cli.js --base-url ${url}`);
		expect(stdout.text).toMatch(/client id +demo_\w+/);
		expect(stdout.text).toMatch(/client secret +demo_secret_\w+/);
		expect(stdout.text).toContain('(test mode, 40 exports)');
		const response = await read();
		expect(response.status).toBe(200);
		expect(((await response.json()) as {meta: {record_count: number}}).meta.record_count).toBe(40);
		expect(await stop()).toBe(0);
		expect(stdout.text).toContain('Stopping the demo API.');
		expect(stderr.text).toBe('');
		await expect(fetch(url)).rejects.toThrow();
	});

	it('reports bad arguments in one line with exit code 2, and shows help', async () => {
		for (const argv of [['--port', 'abc'], ['--port', '70000'], ['--colour'], ['extra']]) {
			const stderr = sink();
			expect(await runDemoServer(argv, {stdout: sink(), stderr})).toBe(2);
			expect(stderr.text).toMatch(/^demo-server: .+\n$/);
		}

		const stdout = sink();
		expect(await runDemoServer(['--help'], {stdout, stderr: sink()})).toBe(0);
		expect(stdout.text).toContain('--port N');
	});

	it('starts with lasting faults and clears them after --faults-for seconds', async () => {
		const {stdout, stderr, read, stop} = await startRunner(['--count', '5', '--storm', '503', '--token-status', '500', '--rate-limited', '30', '--faults-for', '1']);
		expect(stdout.text).toContain('Faults on: every /api request answers 503, 30 % of reads answer 429, the token endpoint answers 500 (cleared in 1 s)');
		expect((await read()).status).toBe(503);
		await waitFor(() => stdout.text.includes('Faults cleared'), 5000);
		expect((await read()).status).toBe(200);
		expect(await stop()).toBe(0);
		expect(stderr.text).toBe('');
	});

	it('starts the faults --faults-after seconds in', async () => {
		const {stdout, read, stop} = await startRunner(['--count', '5', '--storm', 'reset', '--faults-after', '1']);
		expect(stdout.text).toContain('Faults in 1 s: every /api connection reset');
		expect((await read()).status).toBe(200);
		await waitFor(() => stdout.text.includes('Faults on: every /api connection reset'), 5000);
		await expect(read()).rejects.toBeInstanceOf(TypeError);
		expect(await stop()).toBe(0);
	});

	it('refuses a storm that is not a 5xx', async () => {
		const stderr = sink();
		expect(await runDemoServer(['--storm', '200'], {stdout: sink(), stderr})).toBe(2);
		expect(stderr.text).toBe('demo-server: --storm must be a whole number from 500 to 599, got "200"\n');
	});

	it('says so when the port is taken', async () => {
		const busy = await startDemoServer({rateLimit: false, count: 1});
		try {
			const stderr = sink();
			const port = new URL(busy.url).port;
			expect(await runDemoServer(['--port', port], {stdout: sink(), stderr})).toBe(1);
			expect(stderr.text).toBe(`demo-server: cannot start: port ${port} is already in use\n`);
		} finally {
			await busy.close();
		}
	});
});

describe('demo-server bundles', () => {
	for (const args of [['dist/demo-server.js'], ['dist/cli.js', '--demo-server']]) {
		it(`node ${args.join(' ')} serves until SIGTERM and exits 0`, async () => {
			const child = spawn(process.execPath, [...args, '--port', '0'], {cwd: root, stdio: ['ignore', 'pipe', 'pipe']});
			let out = '';
			let err = '';
			child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
			child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
			const exited = new Promise<number | null>(resolve => child.on('exit', code => resolve(code)));
			try {
				await waitFor(() => /Press Ctrl-C to stop/.test(out), 10_000);
				const url = /listening on (\S+)/.exec(out)?.[1];
				const token = /access token +(\S+)/.exec(out)?.[1];
				const response = await fetch(`${url}/api/exports?page%5Bsize%5D=1`, {headers: {accept: 'application/vnd.api+json', authorization: `Bearer ${token}`}});
				expect(response.status).toBe(200);
				child.kill('SIGTERM');
				expect(await exited).toBe(0);
				expect(out).toContain('Stopping the demo API.');
				expect(err).toBe('');
			} finally {
				if (child.exitCode === null) {
					child.kill('SIGKILL');
				}
			}
		});
	}
});
