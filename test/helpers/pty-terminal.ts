// A program in a real pseudo-terminal (node-pty) whose output is fed to a headless xterm, so the
// screen a user would see can be read. This is the core both drivers need: the tests' PtySession
// (pty.ts) adds waiting for a screen, pasting and typing; the benchmark's Session (bench/session.ts)
// adds timing, frames and process statistics.
import xterm from '@xterm/headless';
import pty, {type IPty} from 'node-pty';

const {Terminal} = xterm;
export type HeadlessTerminal = InstanceType<typeof Terminal>;

export type Exit = {exitCode: number; signal?: number};

export type TerminalProgram = {
	file: string;
	args: string[];
	cwd: string;
	/** Unset values are left out, so `{CI: undefined}` removes an inherited variable. */
	env: Record<string, string | undefined>;
	cols?: number;
	rows?: number;
	/** Lines kept above the screen (xterm's default when not given). */
	scrollback?: number;
};

export class PtyTerminal {
	readonly term: HeadlessTerminal;
	readonly process: IPty;
	readonly exited: Promise<Exit>;
	/** performance.now() just before the program was spawned. */
	readonly startedAt: number;
	/** Chunks received but not yet parsed by the terminal. */
	protected pending = 0;

	constructor(program: TerminalProgram) {
		const cols = program.cols ?? 80;
		const rows = program.rows ?? 24;
		this.term = new Terminal({cols, rows, allowProposedApi: true, ...(program.scrollback === undefined ? {} : {scrollback: program.scrollback})});
		const env: Record<string, string> = {};
		for (const [name, value] of Object.entries(program.env)) {
			if (value !== undefined) {
				env[name] = value;
			}
		}

		this.startedAt = performance.now();
		this.process = pty.spawn(program.file, program.args, {name: 'xterm-256color', cols, rows, cwd: program.cwd, env});
		this.process.onData(data => {
			this.receive(data);
		});
		this.exited = new Promise(resolve => {
			this.process.onExit(exit => {
				resolve(exit);
			});
		});
	}

	/** The visible screen, one string per row (trailing spaces trimmed). */
	lines(): string[] {
		const buffer = this.term.buffer.active;
		return Array.from({length: this.term.rows}, (_, y) => buffer.getLine(buffer.viewportY + y)?.translateToString(true) ?? '');
	}

	screen(): string {
		return this.lines().join('\n');
	}

	write(data: string): void {
		this.process.write(data);
	}

	resize(cols: number, rows: number): void {
		this.term.resize(cols, rows);
		this.process.resize(cols, rows);
	}

	/** Everything received so far, parsed by the terminal. */
	parsed(): boolean {
		return this.pending === 0;
	}

	/** A chunk of the program's output; a driver that needs more than the screen overrides this. */
	protected receive(data: string): void {
		this.feed(data);
	}

	/** Hands a chunk to the terminal; `then` runs once it is on the screen. */
	protected feed(data: string, then?: () => void): void {
		this.pending++;
		this.term.write(data, () => {
			this.pending--;
			then?.();
		});
	}
}
