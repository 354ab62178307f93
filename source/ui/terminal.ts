// The alternate screen and bracketed paste, turned on before the first frame and off on every way
// out: quit keys, signals, crashes, and a suspend (Ctrl-Z), after which they are turned on again.
// Ink 6.8 has no alternateScreen option (it came in 7.0), so this is by hand.

export const enterAlternateScreen = '\u001B[?1049h';
export const leaveAlternateScreen = '\u001B[?1049l';
export const showCursor = '\u001B[?25h';
export const hideCursor = '\u001B[?25l';
/** The terminal wraps pasted text in ESC[200~ … ESC[201~ (key-input.ts reads it as one paste). */
export const bracketedPasteOn = '\u001B[?2004h';
export const bracketedPasteOff = '\u001B[?2004l';
/** Cursor home, screen cleared: the screen a resumed session redraws on. */
const clearScreen = '\u001B[H\u001B[2J';

type Writable = Pick<NodeJS.WriteStream, 'write'> & {isTTY?: boolean; fd?: number};

export type TerminalSession = {
	/** True while the alternate screen is on. */
	readonly active: boolean;
	enter(): void;
	/** Idempotent: the first call restores the screen, later ones do nothing. */
	leave(): void;
	/**
	 * Back after a suspend (or any stop): the alternate screen and bracketed paste on again (even
	 * if they still were: a stop from outside leaves them), a blank screen, the cursor hidden as
	 * Ink keeps it. The caller redraws the whole frame.
	 */
	resume(): void;
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
			write(enterAlternateScreen + bracketedPasteOn);
		},
		leave() {
			if (!active) {
				return;
			}

			active = false;
			write(bracketedPasteOff + leaveAlternateScreen + showCursor);
		},
		resume() {
			active = true;
			write(enterAlternateScreen + bracketedPasteOn + hideCursor + clearScreen);
		},
		forget() {
			active = false;
		},
	};
}
