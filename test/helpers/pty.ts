// The built CLI in a real pseudo-terminal (node-pty), its output fed to a headless xterm so a test
// reads the screen a user would see. The raw byte stream is kept too, to count escape sequences.
import {fileURLToPath} from 'node:url';
import {PtyTerminal, type Exit} from './pty-terminal.js';

export type {Exit} from './pty-terminal.js';

export const root = fileURLToPath(new URL('../..', import.meta.url));
export const cliPath = fileURLToPath(new URL('../../dist/cli.js', import.meta.url));

export type PtyOptions = {
	args?: string[];
	cols?: number;
	rows?: number;
	env?: Record<string, string | undefined>;
	/** Another build's cli.js (a copy of dist/), default dist/cli.js. */
	cli?: string;
	/** Another program and its arguments instead of node and the CLI (a shell, for job control). */
	command?: string[];
};

const pause = async (ms: number) =>
	new Promise<void>(resolve => {
		setTimeout(resolve, ms);
	});

export class PtySession extends PtyTerminal {
	/** Everything the program wrote, as received. */
	raw = '';

	constructor(options: PtyOptions = {}) {
		const [file, ...args] = options.command ?? [process.execPath, options.cli ?? cliPath, ...(options.args ?? [])];
		super({file: file!, args, cols: options.cols, rows: options.rows, cwd: root, env: {...process.env, ...options.env}});
	}

	protected override receive(data: string): void {
		this.raw += data;
		this.feed(data);
	}

	/** Rows that continue the row above: a line longer than the terminal wrapped. */
	wrappedRows(): number[] {
		const buffer = this.term.buffer.active;
		return Array.from({length: this.term.rows}, (_, y) => y).filter(y => buffer.getLine(buffer.viewportY + y)?.isWrapped);
	}

	/**
	 * Pastes text as a terminal does (xterm.js, tmux `paste-buffer -p`): line breaks are sent as CR,
	 * and the whole is wrapped in ESC[200~ … ESC[201~ only if the program turned bracketed paste on.
	 */
	paste(text: string): void {
		const data = text.replaceAll(/\r?\n/g, '\r');
		this.write(this.term.modes.bracketedPasteMode ? `\u001B[200~${data}\u001B[201~` : data);
	}

	/** Types text one key at a time, `delayMs` apart, like a fast typist. */
	async type(text: string, delayMs: number): Promise<void> {
		for (const char of text) {
			this.write(char);
			await pause(delayMs);
		}
	}

	/** Resolves with the screen once `matcher` holds; fails with the screen after `timeoutMs`. */
	async waitForScreen(matcher: string | RegExp | ((screen: string) => boolean), timeoutMs = 10_000, what?: string): Promise<string> {
		const deadline = Date.now() + timeoutMs;
		for (;;) {
			const screen = this.pending === 0 ? this.screen() : undefined;
			if (screen !== undefined) {
				const ok =
					typeof matcher === 'string' ? screen.includes(matcher) : matcher instanceof RegExp ? matcher.test(screen) : matcher(screen);
				if (ok) {
					return screen;
				}
			}

			if (Date.now() > deadline) {
				throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what ?? String(matcher)}; the screen:\n${this.screen()}`);
			}

			await pause(10);
		}
	}

	/** Occurrences of a sequence in the raw output since `from` (an index into `raw`). */
	count(sequence: string, from = 0): number {
		return this.raw.slice(from).split(sequence).length - 1;
	}

	async exit(timeoutMs = 10_000): Promise<Exit> {
		let timer: NodeJS.Timeout | undefined;
		const timeout = new Promise<never>((_, reject) => {
			timer = setTimeout(() => {
				reject(new Error(`the program did not exit within ${timeoutMs} ms; the screen:\n${this.screen()}`));
			}, timeoutMs);
		});
		try {
			return await Promise.race([this.exited, timeout]);
		} finally {
			clearTimeout(timer);
		}
	}

	/** Lets the terminal parse everything received so far. */
	async settle(): Promise<void> {
		while (this.pending > 0) {
			await pause(5);
		}
	}

	kill(): void {
		try {
			this.process.kill();
		} catch {
			// Already gone.
		}

		this.term.dispose();
	}
}
