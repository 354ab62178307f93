// Keys for the tests and the benchmark: the bytes a terminal sends for them (written to Ink's
// stdin or to a pseudo-terminal), and Ink's Key with nothing pressed, which the reducer tests
// spread and set what a key press sets.
import type {Key} from 'ink';

/** The bytes a terminal sends for each key (xterm's, as tmux and most terminals send them). */
export const keys = {
	up: '\u001B[A',
	down: '\u001B[B',
	right: '\u001B[C',
	left: '\u001B[D',
	pageUp: '\u001B[5~',
	pageDown: '\u001B[6~',
	home: '\u001B[H',
	end: '\u001B[F',
	enter: '\r',
	escape: '\u001B',
	backspace: '\u007F',
	ctrlC: '\u0003',
	ctrlZ: '\u001A',
} as const;

/** Ink's Key with nothing pressed. */
export const noKey: Key = {
	upArrow: false,
	downArrow: false,
	leftArrow: false,
	rightArrow: false,
	pageDown: false,
	pageUp: false,
	home: false,
	end: false,
	return: false,
	escape: false,
	ctrl: false,
	shift: false,
	tab: false,
	backspace: false,
	delete: false,
	meta: false,
	super: false,
	hyper: false,
	capsLock: false,
	numLock: false,
};
