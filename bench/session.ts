// The benchmark's driver: the shared pty + xterm core (test/helpers/pty-terminal.ts, under the
// tests' driver too) with timing. Every chunk is stamped when it arrives; a wait resolves with the
// arrival time of the chunk that completed the awaited screen. Ink wraps each frame in
// synchronized-output marks (ESC[?2026h … ESC[?2026l), and a terminal that honours them shows
// nothing until the closing mark, so the screen is only judged between frames. The keys are the
// tests' table (test/helpers/keys.ts).
import {readFileSync} from 'node:fs';
import {PtyTerminal, type Exit} from '../test/helpers/pty-terminal.js';

export {keys} from '../test/helpers/keys.js';
export type {Exit} from '../test/helpers/pty-terminal.js';

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

type Waiter = {
	test: (lines: string[]) => boolean;
	resolve: (hit: Hit) => void;
};

/** Every session not yet reaped, so the benchmark can kill them whatever way it ends. */
export const liveSessions = new Set<Session>();

/** Kills every session still running (the programs under test must not outlive the benchmark). */
export function killEverything(): void {
	for (const session of liveSessions) {
		session.forceKill();
	}
}

/** Kills the sessions when the benchmark exits or is stopped; `say`: the line written on a signal. */
export function killEverythingOnExit(say?: (signal: string) => string): void {
	process.on('exit', killEverything);
	for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
		process.on(signal, () => {
			if (say) {
				process.stderr.write(say(signal));
			}

			killEverything();
			process.exit(130);
		});
	}
}

export function sleep(ms: number): Promise<void> {
	return new Promise(resolve => {
		setTimeout(resolve, ms);
	});
}

export class Session extends PtyTerminal {
	readonly frames: Frame[] = [];
	exit?: Exit;
	exitAt?: number;
	/** Bytes received so far, and frames (synchronized-output blocks) begun. */
	bytes = 0;
	frameCount = 0;
	firstDataAt?: number;
	firstFrameAt?: number;
	lastDataAt: number;
	private syncOpen = false;
	private readonly waiters = new Set<Waiter>();
	private readonly recordFrames: boolean;

	constructor(options: SpawnOptions) {
		// No scrollback: the benchmark reads the screen only.
		super({file: options.file, args: options.args, cwd: options.cwd, env: options.env, cols: options.cols, rows: options.rows, scrollback: 0});
		this.recordFrames = options.recordFrames ?? false;
		this.lastDataAt = this.startedAt;
		liveSessions.add(this);
		this.process.onExit(exit => {
			this.exit = exit;
			this.exitAt = performance.now();
			liveSessions.delete(this);
		});
	}

	get pid(): number {
		return this.process.pid;
	}

	protected override receive(data: string): void {
		const at = performance.now();
		this.firstDataAt ??= at;
		this.lastDataAt = at;
		this.bytes += Buffer.byteLength(data, 'utf8');
		this.frameCount += data.split(syncStart).length - 1;
		const total = this.bytes;
		const opened = data.lastIndexOf(syncStart);
		const closed = data.lastIndexOf(syncEnd);
		this.feed(data, () => {
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
				this.process.kill('SIGTERM');
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
