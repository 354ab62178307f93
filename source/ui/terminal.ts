// The alternate screen, entered before the first frame and left on every way out: quit keys,
// signals, crashes. Ink 6.8 has no alternateScreen option (it came in 7.0), so this is by hand.

export const enterAlternateScreen = '\u001B[?1049h';
export const leaveAlternateScreen = '\u001B[?1049l';
export const showCursor = '\u001B[?25h';

type Writable = Pick<NodeJS.WriteStream, 'write'> & {isTTY?: boolean; fd?: number};

export type TerminalSession = {
	/** True while the alternate screen is on. */
	readonly active: boolean;
	enter(): void;
	/** Idempotent: the first call restores the screen, later ones do nothing. */
	leave(): void;
	/** The terminal is gone: there is nothing to restore, and writing would only fail. */
	forget(): void;
};

export function createTerminalSession(stdout: Writable): TerminalSession {
	let active = false;

	function write(text: string): void {
		try {
			// Synchronous for a TTY fd: this also runs from 'exit' handlers, where async writes are lost.
			stdout.write(text);
		} catch {
			// The terminal is gone (SIGHUP): nothing left to restore.
		}
	}

	return {
		get active() {
			return active;
		},
		enter() {
			if (active) {
				return;
			}

			active = true;
			write(enterAlternateScreen);
		},
		leave() {
			if (!active) {
				return;
			}

			active = false;
			write(leaveAlternateScreen + showCursor);
		},
		forget() {
			active = false;
		},
	};
}
