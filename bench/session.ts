// One program in a pseudo-terminal (node-pty) whose output is fed to a headless xterm, so the
// benchmark reads the screen a user would see and times it. Every chunk is stamped when it
// arrives; a wait resolves with the arrival time of the chunk that completed the awaited screen.
// Ink wraps each frame in synchronized-output marks (ESC[?2026h … ESC[?2026l), and a terminal that
// honours them shows nothing until the closing mark, so the screen is only judged between frames.
// Note: test/helpers/pty-terminal.ts is the same pty + xterm core, shared with the tests' driver,
// and test/helpers/keys.ts the same key table; this Session and `keys` are to move onto them.
import {readFileSync} from 'node:fs';
import xterm from '@xterm/headless';
import pty, {type IPty} from 'node-pty';

const {Terminal} = xterm;
type HeadlessTerminal = InstanceType<typeof Terminal>;

export const keys = {
	up: '\u001B[A',
	down: '\u001B[B',
	pageUp: '\u001B[5~',
	pageDown: '\u001B[6~',
	enter: '\r',
	escape: '\u001B',
} as const;

const syncStart = '\u001B[?2026h';
const syncEnd = '\u001B[?2026l';

export type SpawnOptions = {
	file: string;
	args: string[];
	env: Record<string, string>;
	cwd: string;
	cols?: number;
	rows?: number;
	/** Keep a snapshot of the screen after every frame (watch refresh analysis). */
	recordFrames?: boolean;
};

export type Hit = {at: number; bytes: number};
export type Frame = {at: number; bytes: number; lines: string[]};
export type Exit = {exitCode: number; signal?: number};

type Waiter = {
	test: (lines: string[]) => boolean;
	resolve: (hit: Hit) => void;
};

/** Every session not yet reaped, so the benchmark can kill them whatever way it ends. */
export const liveSessions = new Set<Session>();

export function sleep(ms: number): Promise<void> {
	return new Promise(resolve => {
		setTimeout(resolve, ms);
	});
}

export class Session {
	readonly term: HeadlessTerminal;
	readonly proc: IPty;
	readonly startedAt: number;
	readonly exited: Promise<Exit>;
	readonly frames: Frame[] = [];
	exit?: Exit;
	exitAt?: number;
	/** Bytes received so far, and frames (synchronized-output blocks) begun. */
	bytes = 0;
	frameCount = 0;
	firstDataAt?: number;
	firstFrameAt?: number;
	lastDataAt: number;
	private pending = 0;
	private syncOpen = false;
	private readonly waiters = new Set<Waiter>();
	private readonly recordFrames: boolean;

	constructor(options: SpawnOptions) {
		const cols = options.cols ?? 80;
		const rows = options.rows ?? 24;
		this.recordFrames = options.recordFrames ?? false;
		this.term = new Terminal({cols, rows, allowProposedApi: true, scrollback: 0});
		this.startedAt = performance.now();
		this.lastDataAt = this.startedAt;
		this.proc = pty.spawn(options.file, options.args, {name: 'xterm-256color', cols, rows, cwd: options.cwd, env: options.env});
		liveSessions.add(this);
		this.proc.onData(data => {
			this.receive(data);
		});
		this.exited = new Promise(resolve => {
			this.proc.onExit(exit => {
				this.exit = exit;
				this.exitAt = performance.now();
				liveSessions.delete(this);
				resolve(exit);
			});
		});
	}

	get pid(): number {
		return this.proc.pid;
	}

	private receive(data: string): void {
		const at = performance.now();
		this.firstDataAt ??= at;
		this.lastDataAt = at;
		this.bytes += Buffer.byteLength(data, 'utf8');
		this.frameCount += data.split(syncStart).length - 1;
		const total = this.bytes;
		const opened = data.lastIndexOf(syncStart);
		const closed = data.lastIndexOf(syncEnd);
		this.pending++;
		this.term.write(data, () => {
			this.pending--;
			if (opened > closed) {
				this.syncOpen = true;
			} else if (closed > opened) {
				this.syncOpen = false;
				this.firstFrameAt ??= at;
				if (this.recordFrames) {
					this.frames.push({at, bytes: total, lines: this.lines()});
				}
			}

			if (!this.syncOpen) {
				this.check({at, bytes: total});
			}
		});
	}

	private check(hit: Hit): void {
		if (this.waiters.size === 0) {
			return;
		}

		const lines = this.lines();
		for (const waiter of this.waiters) {
			if (waiter.test(lines)) {
				this.waiters.delete(waiter);
				waiter.resolve(hit);
			}
		}
	}

	/** The visible screen, one string per row, trailing spaces trimmed. */
	lines(): string[] {
		const buffer = this.term.buffer.active;
		return Array.from({length: this.term.rows}, (_, y) => buffer.getLine(buffer.viewportY + y)?.translateToString(true) ?? '');
	}

	screen(): string {
		return this.lines().join('\n');
	}

	/** The screen and the program's state, for an error message. */
	dump(): string {
		const state = this.exit ? `exited with ${this.exit.exitCode}${this.exit.signal ? ` (signal ${this.exit.signal})` : ''}` : `running as pid ${this.pid}`;
		return `program ${state}; ${this.bytes} bytes received; the screen:\n${this.screen().replace(/^/gm, '  | ')}`;
	}

	/**
	 * Resolves with the arrival time (and byte count) of the chunk after which `test` holds. Checks
	 * the current screen first unless `fresh` (a key's effect, which cannot be on screen yet).
	 */
	waitFor(test: (lines: string[]) => boolean, what: string, timeoutMs = 10_000, fresh = false): Promise<Hit> {
		if (!fresh && this.pending === 0 && !this.syncOpen && test(this.lines())) {
			return Promise.resolve({at: performance.now(), bytes: this.bytes});
		}

		return new Promise<Hit>((resolve, reject) => {
			const waiter: Waiter = {
				test,
				resolve: hit => {
					cleanup();
					resolve(hit);
				},
			};
			const fail = (reason: string) => {
				cleanup();
				this.waiters.delete(waiter);
				reject(new Error(`${reason} waiting for ${what}; ${this.dump()}`));
			};

			const timer = setTimeout(() => {
				fail(`timed out after ${timeoutMs} ms`);
			}, timeoutMs);
			const exitWatch = setInterval(() => {
				if (this.exit !== undefined && this.pending === 0) {
					fail('the program exited');
				}
			}, 50);
			const cleanup = () => {
				clearTimeout(timer);
				clearInterval(exitWatch);
			};

			this.waiters.add(waiter);
		});
	}

	/** Resolves once nothing has arrived for `ms` and everything received is parsed. */
	async quiet(ms: number, timeoutMs = 10_000): Promise<void> {
		const deadline = performance.now() + timeoutMs;
		for (;;) {
			const now = performance.now();
			if (this.pending === 0 && !this.syncOpen && now - this.lastDataAt >= ms) {
				return;
			}

			if (now > deadline) {
				throw new Error(`the output did not settle for ${ms} ms within ${timeoutMs} ms; ${this.dump()}`);
			}

			await sleep(Math.max(2, Math.min(10, ms - (now - this.lastDataAt))));
		}
	}

	write(data: string): void {
		this.proc.write(data);
	}

	/**
	 * Sends a key and measures: time from the write to the frame where `test` holds, and the bytes
	 * and frames the key caused (counted until the output has been quiet for `quietMs`).
	 */
	async press(key: string, test: (lines: string[]) => boolean, what: string, options: {quietMs?: number; timeoutMs?: number} = {}): Promise<{ms: number; bytes: number; frames: number}> {
		await this.quiet(options.quietMs ?? 30);
		const bytes = this.bytes;
		const frames = this.frameCount;
		const sentAt = performance.now();
		this.write(key);
		const hit = await this.waitFor(test, what, options.timeoutMs ?? 10_000, true);
		await this.quiet(options.quietMs ?? 30);
		return {ms: hit.at - sentAt, bytes: this.bytes - bytes, frames: this.frameCount - frames};
	}

	/** Peak and current resident set size (kB), from /proc. */
	memory(): {hwmKb: number; rssKb: number} {
		const status = readFileSync(`/proc/${this.pid}/status`, 'utf8');
		const field = (name: string) => Number(new RegExp(`^${name}:\\s+(\\d+)\\s+kB`, 'm').exec(status)?.[1] ?? Number.NaN);
		return {hwmKb: field('VmHWM'), rssKb: field('VmRSS')};
	}

	/** User + system CPU time used so far, in clock ticks. */
	cpuTicks(): number {
		const stat = readFileSync(`/proc/${this.pid}/stat`, 'utf8');
		// The command name may contain spaces and parentheses: fields start after the last ')'.
		const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
		// utime and stime are fields 14 and 15 of stat(5); the slice starts at field 3.
		return Number(fields[11]) + Number(fields[12]);
	}

	/**
	 * Ends the program: SIGTERM (it restores the terminal and exits), then SIGKILL if it is still
	 * there. The pseudo-terminal stays open until the program is gone: a program whose terminal
	 * disappears under it is a different test.
	 */
	async stop(graceMs = 3000): Promise<void> {
		if (this.exit === undefined) {
			try {
				this.proc.kill('SIGTERM');
			} catch {
				// Already gone.
			}

			const timer = sleep(graceMs).then(() => 'timeout' as const);
			if ((await Promise.race([this.exited, timer])) === 'timeout') {
				this.forceKill();
				await Promise.race([this.exited, sleep(2000)]);
			}
		}

		liveSessions.delete(this);
		this.term.dispose();
	}

	forceKill(): void {
		try {
			process.kill(this.pid, 'SIGKILL');
		} catch {
			// Already gone.
		}
	}
}

/** Runs a program to its exit in a pseudo-terminal and returns the wall time (ms). */
export async function timeToExit(options: SpawnOptions, timeoutMs = 10_000): Promise<{ms: number; exit: Exit; output: string}> {
	const session = new Session(options);
	const timer = sleep(timeoutMs).then(() => 'timeout' as const);
	const result = await Promise.race([session.exited, timer]);
	if (result === 'timeout') {
		const dump = session.dump();
		await session.stop();
		throw new Error(`${options.args.join(' ')} did not exit within ${timeoutMs} ms; ${dump}`);
	}

	const ms = (session.exitAt ?? performance.now()) - session.startedAt;
	await sleep(0);
	const output = session.screen();
	session.term.dispose();
	return {ms, exit: result, output};
}
