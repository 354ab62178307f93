// runTui's ways out, in process with fake terminal streams: the alternate screen is entered first
// and left last, on a quit key and on a crash (one line on stderr, no stack).
import {EventEmitter} from 'node:events';
import {afterEach, expect, test, vi} from 'vitest';
import {staticToken} from '../source/api/auth.js';
import {createClient, type ExportsClient} from '../source/api/client.js';
import {startDemoServer, type DemoServer} from '../source/demo/server.js';
import {runTui} from '../source/ui/tui.js';
import {bracketedPasteOff, bracketedPasteOn, enterAlternateScreen, leaveAlternateScreen, showCursor} from '../source/ui/terminal.js';
import {plain, waitFor} from './helpers/wait-for-frame.js';

class FakeStdout extends EventEmitter {
	isTTY = true;
	columns = 80;
	rows = 24;
	output = '';
	/** Each write, with whether the terminal was in raw mode then (once a stdin is attached). */
	writes: Array<{text: string; raw: boolean}> = [];
	stdin?: {raw: boolean};
	write = (chunk: string | Uint8Array, ...rest: unknown[]) => {
		const text = typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString();
		if (this.stdin) {
			this.writes.push({text, raw: this.stdin.raw});
		}

		this.output += text;
		const callback = rest.find(argument => typeof argument === 'function') as (() => void) | undefined;
		callback?.();
		return true;
	};
}

class FakeStdin extends EventEmitter {
	isTTY = true;
	raw = false;
	private data: string | null = null;
	setRawMode(mode: boolean) {
		this.raw = mode;
	}

	setEncoding() {}
	resume() {}
	pause() {}
	ref() {}
	unref() {}
	read = () => {
		const {data} = this;
		this.data = null;
		return data;
	};

	write(data: string) {
		this.data = data;
		this.emit('readable');
		this.emit('data', Buffer.from(data));
	}
}

let server: DemoServer | undefined;

afterEach(async () => {
	await server?.close();
	server = undefined;
});

const config = {pageSize: 10, sort: [{field: 'created_at' as const, descending: true}], filterText: '', filters: {}};

async function start(wrap: (client: ExportsClient) => ExportsClient = client => client) {
	server = await startDemoServer({rateLimit: false});
	const client = wrap(createClient({baseUrl: server.url, auth: staticToken(server.token), rateLimit: false}));
	const stdin = new FakeStdin();
	const stdout = new FakeStdout();
	stdout.stdin = stdin;
	const stderr = new FakeStdout();
	const streams = {stdin: stdin as unknown as NodeJS.ReadStream, stdout: stdout as unknown as NodeJS.WriteStream, stderr: stderr as unknown as NodeJS.WriteStream};
	const exited = runTui({config, client, source: 'demo-store', demo: true, env: {CI: 'false'}, ...streams});
	return {stdin, stdout, stderr, exited};
}

test('q: the alternate screen is entered before the first frame and left, cursor shown, after the last', async () => {
	const {stdin, stdout, exited} = await start();
	// (Under CI=true Ink draws only the last frame, at exit: wait for the request, not the frame.)
	await waitFor(() => server?.requests.some(request => request.path === '/api/exports' && request.status === 200), {message: 'the first page'});
	expect(stdout.output.startsWith(enterAlternateScreen)).toBe(true);
	await waitFor(() => plain(stdout.output).includes('300 exports') || process.env['CI'] === 'true', {message: 'the first frame'});
	stdin.write('q');
	expect(await exited).toBe(0);
	expect(plain(stdout.output)).toContain('300 exports');
	expect(stdout.output.endsWith(leaveAlternateScreen + showCursor)).toBe(true);
	// Raw mode from before the first byte (Ink's own comes after its first frame): a key pressed as
	// soon as the rows show is neither echoed by the terminal (which would scroll the screen) nor
	// read as a newline. Off again at the end.
	expect(stdout.writes[0]).toEqual({text: enterAlternateScreen + bracketedPasteOn, raw: true});
	expect(stdin.raw).toBe(false);
});

test('a crash leaves the alternate screen, then says what happened in one line, without a stack', async () => {
	// An answer the app cannot read (a bug somewhere): rendering it throws.
	const {stdout, stderr, exited} = await start(client => ({
		...client,
		baseUrl: client.baseUrl,
		listExports: async () => ({data: null, meta: {record_count: 1, page_count: 1}, links: {}}) as never,
	}));
	expect(await exited).toBe(1);
	expect(stdout.output.endsWith(leaveAlternateScreen + showCursor)).toBe(true);
	const lines = stderr.output.split('\n').filter(Boolean);
	expect(lines).toHaveLength(1);
	expect(lines[0]).toMatch(/^cl-exports: /);
	expect(stderr.output).not.toMatch(/\n\s+at /);
});

test('Ctrl-Z: the terminal restored and raw mode off, then a real stop; on continuing, all of it back', async () => {
	const {stdin, stdout, exited} = await start();
	await waitFor(() => stdin.raw, {message: 'raw mode'});
	expect(stdout.output.startsWith(enterAlternateScreen + bracketedPasteOn)).toBe(true);
	const stops: Array<{raw: boolean; output: string}> = [];
	const kill = process.kill.bind(process);
	// The stop itself would stop the test runner: recorded instead, as if `fg` followed at once.
	const spy = vi.spyOn(process, 'kill').mockImplementation((pid: number, signal?: string | number) => {
		if (pid === process.pid && signal === 'SIGTSTP') {
			stops.push({raw: stdin.raw, output: stdout.output});
			return true;
		}

		return kill(pid, signal);
	});
	try {
		const before = stdout.output.length;
		stdin.write('\u001A');
		await waitFor(() => stops.length === 1, {message: 'the stop'});
		expect(stops[0]!.raw).toBe(false);
		expect(stops[0]!.output.slice(before)).toContain(bracketedPasteOff + leaveAlternateScreen + showCursor);
		// Running again: raw mode, the alternate screen and bracketed paste are back.
		expect(stdin.raw).toBe(true);
		expect(stdout.output.slice(stops[0]!.output.length)).toContain(enterAlternateScreen + bracketedPasteOn);
	} finally {
		spy.mockRestore();
	}

	stdin.write('q');
	expect(await exited).toBe(0);
	expect(stdout.output.endsWith(bracketedPasteOff + leaveAlternateScreen + showCursor)).toBe(true);
});
