// THE key map: data that maps keys to the reducer's actions, mode by mode. The reducer (pressKey,
// below), the global key handler (hooks/use-keys.ts), the footer hints, the help overlay and
// --help all read this one table, so what the help says is what the keys do. A key is matched by
// the label it is shown with ('↓', 'PgDn', 'Ctrl-F', 'j'), so a new binding is one line.
import type {Key} from 'ink';
import type {Action, Mode, State} from './types.js';

export type KeyGroup = 'Navigate' | 'Filter & sort' | 'View' | 'Marks & files' | 'Actions' | 'General';

export type KeyBinding = {
	id: string;
	/** Labels as shown, e.g. '↓', 'j', 'PgDn', 'Ctrl-F', 'Shift-↓', 'Esc'. */
	keys: string[];
	description: string;
	group: KeyGroup;
	modes: Mode[];
};

export type Binding = KeyBinding & {
	/** The reducer action the key dispatches. */
	action: Action;
	/** Short footer label; bindings without one are listed only in the help. */
	hint?: string;
	/** The key shown in the footer, when not keys[0] (e.g. '↑↓'). */
	hintKey?: string;
	/** The modes whose footer shows the hint, when not all of `modes`. */
	hintModes?: Mode[];
	/** Valid in every mode, handled by the always-active handler (Ctrl-C). */
	global?: boolean;
	/** Changes or creates an export on the server (interrupt, restart, delete, duplicate): asked about first, off with --read-only. */
	writes?: boolean;
	/** Footer order (lower first, default 50): the hints that matter most stay on a narrow terminal. */
	hintRank?: number;
	/**
	 * The help row: `false` when another binding's row covers this one, or other keys / words for
	 * it. `brief` is what the overlay shows when the description does not fit its column (80x24).
	 */
	help?: false | {keys?: string[]; description?: string; brief?: string};
	/** Set by helpRows from `help.brief`. */
	brief?: string | undefined;
};

const table: Mode[] = ['browse', 'detail'];
const all: Mode[] = ['browse', 'detail', 'filter', 'help', 'confirm', 'peek'];
const peek: Mode[] = ['peek'];

export const bindings: readonly Binding[] = [
	{id: 'up', keys: ['↑', 'k'], description: 'previous export', group: 'Navigate', modes: table, action: {type: 'selectUp'}, hint: 'move', hintKey: '↑↓', hintRank: 10, help: {keys: ['↑', '↓', 'k', 'j'], description: 'previous / next export', brief: 'move the selection'}},
	{id: 'down', keys: ['↓', 'j'], description: 'next export', group: 'Navigate', modes: table, action: {type: 'selectDown'}, help: false},
	{id: 'next-page', keys: ['PgDn', '→', 'l', 'n', 'Ctrl-F'], description: 'one screenful down', group: 'Navigate', modes: table, action: {type: 'nextPage'}, hint: 'page', hintKey: '←→', hintRank: 11, help: {brief: 'screenful down'}},
	{id: 'previous-page', keys: ['PgUp', '←', 'h', 'p', 'Ctrl-B'], description: 'one screenful up', group: 'Navigate', modes: table, action: {type: 'previousPage'}, help: {brief: 'screenful up'}},
	{id: 'first-page', keys: ['Home', 'g'], description: 'first export', group: 'Navigate', modes: table, action: {type: 'firstPage'}, help: {keys: ['Home', 'g', 'End', 'G'], description: 'first / last export'}},
	{id: 'last-page', keys: ['End', 'G'], description: 'last export', group: 'Navigate', modes: table, action: {type: 'lastPage'}, help: false},
	{id: 'filter', keys: ['/'], description: 'filter (e.g. failed, status:failed type:skus, or an id)', group: 'Filter & sort', modes: table, action: {type: 'openFilter'}, hint: 'filter', hintRank: 12, help: {brief: 'filter as you type'}},
	{id: 'filter-keep', keys: ['Enter'], description: 'keep the filter', group: 'Filter & sort', modes: ['filter'], action: {type: 'filterSubmitted'}, hint: 'keep', hintKey: '⏎', help: {keys: ['Enter', 'Esc'], description: 'keep / cancel the edit', brief: 'keep / cancel edit'}},
	{id: 'filter-cancel', keys: ['Esc'], description: 'cancel the edit', group: 'Filter & sort', modes: ['filter'], action: {type: 'filterCancelled'}, hint: 'cancel', hintKey: 'esc', help: false},
	{id: 'status-pending', keys: ['1'], description: 'pending in/out of the status filter', group: 'Filter & sort', modes: table, action: {type: 'toggleStatus', status: 'pending'}, hint: 'status', hintKey: '1-5', hintRank: 13, help: {keys: ['1-5'], description: 'status in/out of the filter: 1 pending, 2 in_progress, 3 interrupted, 4 failed, 5 completed', brief: 'toggle a status'}},
	{id: 'status-in-progress', keys: ['2'], description: 'in_progress in/out of the status filter', group: 'Filter & sort', modes: table, action: {type: 'toggleStatus', status: 'in_progress'}, help: false},
	{id: 'status-interrupted', keys: ['3'], description: 'interrupted in/out of the status filter', group: 'Filter & sort', modes: table, action: {type: 'toggleStatus', status: 'interrupted'}, help: false},
	{id: 'status-failed', keys: ['4'], description: 'failed in/out of the status filter', group: 'Filter & sort', modes: table, action: {type: 'toggleStatus', status: 'failed'}, help: false},
	{id: 'status-completed', keys: ['5'], description: 'completed in/out of the status filter', group: 'Filter & sort', modes: table, action: {type: 'toggleStatus', status: 'completed'}, help: false},
	{id: 'sort', keys: ['s'], description: 'sort by the next column', group: 'Filter & sort', modes: table, action: {type: 'sortNextColumn'}, hint: 'sort', hintRank: 30, help: {keys: ['s', 'S'], description: 'sort by the next column / reverse the sort', brief: 'next sort / reverse'}},
	{id: 'sort-reverse', keys: ['S'], description: 'reverse the sort', group: 'Filter & sort', modes: table, action: {type: 'sortReverse'}, help: false},
	{id: 'detail', keys: ['Enter'], description: 'details on/off', group: 'View', modes: table, action: {type: 'toggleDetail'}, hint: 'details', hintKey: '⏎', hintRank: 14},
	{id: 'detail-down', keys: ['J', 'Shift-↓'], description: 'scroll the details down', group: 'View', modes: ['detail'], action: {type: 'scrollDetail', delta: 1}, hint: 'scroll', hintKey: 'J/K', hintRank: 14, help: {keys: ['J', 'K', 'Shift-↓↑'], description: 'scroll the details down / up', brief: 'scroll the details'}},
	{id: 'detail-up', keys: ['K', 'Shift-↑'], description: 'scroll the details up', group: 'View', modes: ['detail'], action: {type: 'scrollDetail', delta: -1}, help: false},
	{id: 'reload', keys: ['r'], description: 'reload', group: 'View', modes: table, action: {type: 'reload'}, hint: 'reload', hintRank: 31},
	{id: 'watch', keys: ['w'], description: 'watch on/off: refresh the page and the status counts periodically, within the rate limits', group: 'View', modes: table, action: {type: 'toggleWatch'}, hint: 'watch', hintRank: 20, help: {brief: 'watch on/off'}},
	{id: 'mark', keys: ['Space'], description: 'mark / unmark the export and move down: i, t, Ctrl-D and D then act on every marked one', group: 'Marks & files', modes: table, action: {type: 'toggleMark'}, hint: 'mark', hintRank: 23, help: {brief: 'mark / unmark, move down'}},
	{id: 'peek', keys: ['v'], description: 'peek into the file: its first records, nothing saved (Esc closes)', group: 'Marks & files', modes: table, action: {type: 'openPeek'}, hint: 'peek', hintRank: 24, help: {brief: 'peek into the file'}},
	{id: 'copy-url', keys: ['y'], description: "copy the file's link (fetched fresh), OSC 52", group: 'Marks & files', modes: table, action: {type: 'copyUrl'}, hint: 'copy', hintRank: 21, help: {keys: ['y', 'Y'], description: "copy the file's fresh link / the id (OSC 52)", brief: 'copy file link / id'}},
	{id: 'copy-id', keys: ['Y'], description: 'copy the export id, OSC 52', group: 'Marks & files', modes: table, action: {type: 'copyId'}, help: false},
	{id: 'download', keys: ['D'], description: "download the file, or each marked export's (Esc cancels)", group: 'Marks & files', modes: table, action: {type: 'download'}, hint: 'download', hintRank: 22, help: {brief: 'download the file'}},
	{id: 'interrupt', keys: ['i'], description: 'interrupt (pending, in progress)', group: 'Actions', modes: table, action: {type: 'askOperation', operation: 'interrupt'}, writes: true, help: {brief: 'interrupt a running one'}},
	{id: 'restart', keys: ['t'], description: 'restart (interrupted, failed)', group: 'Actions', modes: table, action: {type: 'askOperation', operation: 'restart'}, writes: true, help: {brief: 'restart a stopped one'}},
	{id: 'delete', keys: ['Ctrl-D'], description: 'delete', group: 'Actions', modes: table, action: {type: 'askOperation', operation: 'delete'}, writes: true},
	{id: 'duplicate', keys: ['c'], description: 'duplicate: the same export again (a new one, then selected)', group: 'Actions', modes: table, action: {type: 'askDuplicate'}, writes: true, help: {brief: 'duplicate (run again)'}},
	{id: 'confirm-yes', keys: ['y', 'Y'], description: 'yes, send it', group: 'Actions', modes: ['confirm'], action: {type: 'confirmYes'}, hint: 'yes', hintKey: 'y', hintRank: 1, help: {keys: ['y', 'n'], description: 'answer the y/N question (any other key: no)', brief: 'answer y/N (other: no)'}},
	{id: 'confirm-no', keys: ['n', 'Esc'], description: 'no (so does any other key)', group: 'Actions', modes: ['confirm'], action: {type: 'confirmNo'}, hint: 'no (any other key)', hintKey: 'n', hintRank: 2, help: false},
	{id: 'escape', keys: ['Esc'], description: 'close peek, help or details, stop a bulk action or a download, hide a copied link, then clear the marks, then the filter', group: 'General', modes: ['browse', 'detail', 'help', 'peek'], action: {type: 'escape'}, hint: 'back', hintKey: 'esc', hintModes: ['detail', 'help', 'peek'], hintRank: 15, help: {brief: 'back, clear marks/filter'}},
	{id: 'help-next-page', keys: ['Tab', '→'], description: 'next help page (the keys, the filter syntax)', group: 'General', modes: ['help'], action: {type: 'turnHelpPage', delta: 1}, help: false},
	{id: 'help-previous-page', keys: ['←'], description: 'previous help page', group: 'General', modes: ['help'], action: {type: 'turnHelpPage', delta: -1}, help: false},
	// The peek overlay's own keys: its footer shows them, and `v`'s help row says what it is.
	{id: 'peek-down', keys: ['↓', 'j'], description: 'next record', group: 'Marks & files', modes: peek, action: {type: 'scrollPeek', rows: 1}, hint: 'rows', hintKey: '↑↓', hintRank: 10, help: false},
	{id: 'peek-up', keys: ['↑', 'k'], description: 'previous record', group: 'Marks & files', modes: peek, action: {type: 'scrollPeek', rows: -1}, help: false},
	{id: 'peek-right', keys: ['→', 'l'], description: 'next column', group: 'Marks & files', modes: peek, action: {type: 'scrollPeek', columns: 1}, hint: 'columns', hintKey: '←→', hintRank: 11, help: false},
	{id: 'peek-left', keys: ['←', 'h'], description: 'previous column', group: 'Marks & files', modes: peek, action: {type: 'scrollPeek', columns: -1}, help: false},
	{id: 'peek-page-down', keys: ['PgDn', 'Ctrl-F', 'Space'], description: 'a page down', group: 'Marks & files', modes: peek, action: {type: 'scrollPeek', pages: 1}, hint: 'page', hintKey: 'PgUp/PgDn', hintRank: 12, help: false},
	{id: 'peek-page-up', keys: ['PgUp', 'Ctrl-B'], description: 'a page up', group: 'Marks & files', modes: peek, action: {type: 'scrollPeek', pages: -1}, help: false},
	{id: 'peek-start', keys: ['Home', 'g'], description: 'the first record', group: 'Marks & files', modes: peek, action: {type: 'scrollPeek', to: 'start'}, help: false},
	{id: 'peek-end', keys: ['End', 'G'], description: 'the last record read', group: 'Marks & files', modes: peek, action: {type: 'scrollPeek', to: 'end'}, help: false},
	{id: 'peek-close', keys: ['v'], description: 'close the peek', group: 'Marks & files', modes: peek, action: {type: 'closePeek'}, help: false},
	{id: 'help', keys: ['?'], description: 'help on/off', group: 'General', modes: ['browse', 'detail', 'help'], action: {type: 'toggleHelp'}, hint: 'help', hintRank: 16},
	{id: 'quit', keys: ['q'], description: 'quit', group: 'General', modes: ['browse', 'detail', 'help', 'peek'], action: {type: 'quit'}, hint: 'quit', hintRank: 17, help: {keys: ['q', 'Ctrl-C']}},
	{id: 'quit-ctrl-c', keys: ['Ctrl-C'], description: 'quit', group: 'General', modes: all, action: {type: 'quit'}, global: true, help: false},
];

/** The help's groups, in order (the overlay and --help). */
export const keyGroups: readonly KeyGroup[] = ['Navigate', 'Filter & sort', 'View', 'Marks & files', 'Actions', 'General'];

/**
 * The rows of the help (the overlay and --help): one per binding, except that pairs such as
 * ↑/↓ or y/Y share a row, so that everything fits on an 80x24 terminal.
 */
export function helpRows(list: readonly Binding[] = bindings): Binding[] {
	return list
		.filter(binding => binding.help !== false)
		.map(binding =>
			binding.help
				? {...binding, keys: binding.help.keys ?? binding.keys, description: binding.help.description ?? binding.description, brief: binding.help.brief}
				: binding,
		);
}

type Matcher = (input: string, key: Key) => boolean;

const named: Record<string, Matcher> = {
	'↑': (_input, key) => key.upArrow && !key.shift,
	'↓': (_input, key) => key.downArrow && !key.shift,
	'←': (_input, key) => key.leftArrow && !key.shift,
	'→': (_input, key) => key.rightArrow && !key.shift,
	'Shift-↑': (_input, key) => key.upArrow && key.shift,
	'Shift-↓': (_input, key) => key.downArrow && key.shift,
	PgUp: (_input, key) => key.pageUp,
	PgDn: (_input, key) => key.pageDown,
	Home: (_input, key) => key.home,
	End: (_input, key) => key.end,
	Enter: (_input, key) => key.return,
	Esc: (_input, key) => key.escape,
	Tab: (_input, key) => key.tab && !key.shift,
	Space: (input, key) => input === ' ' && !key.ctrl && !key.meta,
};

/** The predicate for a key label. */
export function matcherFor(label: string): Matcher {
	const match = named[label];
	if (match !== undefined) {
		return match;
	}

	const ctrl = /^Ctrl-(.)$/.exec(label);
	if (ctrl?.[1] !== undefined) {
		const letter = ctrl[1].toLowerCase();
		return (input, key) => key.ctrl && input === letter;
	}

	// Printable keys: Esc sets `meta` on the following key, so a stray Alt-j is not j.
	return (input, key) => input === label && !key.ctrl && !key.meta;
}

const compiled = bindings.map(binding => ({binding, matchers: binding.keys.map(label => matcherFor(label))}));

/** The binding a key press means in a mode, if any. Global bindings are left to the global handler. */
export function matchBinding(mode: Mode, input: string, key: Key): Binding | undefined {
	for (const {binding, matchers} of compiled) {
		if (binding.global === true || !binding.modes.includes(mode)) {
			continue;
		}

		if (matchers.some(matches => matches(input, key))) {
			return binding;
		}
	}

	return undefined;
}

/** The global binding (valid in every mode) a key press means, if any. */
export function matchGlobalBinding(input: string, key: Key): Binding | undefined {
	for (const {binding, matchers} of compiled) {
		if (binding.global && matchers.some(matches => matches(input, key))) {
			return binding;
		}
	}

	return undefined;
}

export type Hint = {key: string; label: string};

/** The footer's key hints for a mode, most useful first (the footer drops them from the end). */
export function hintsFor(mode: Mode): Hint[] {
	return bindings
		.filter(binding => binding.hint !== undefined && (binding.hintModes ?? binding.modes).includes(mode))
		.map((binding, index) => ({binding, index}))
		.sort((a, b) => (a.binding.hintRank ?? 50) - (b.binding.hintRank ?? 50) || a.index - b.index)
		.map(({binding}) => ({key: binding.hintKey ?? binding.keys[0] ?? '', label: binding.hint ?? ''}));
}

/**
 * What a key means in the current mode (global keys such as Ctrl-C are handled outside): the
 * bound action, applied with `apply` (the reducer).
 */
export function pressKey(state: State, {input, key, at}: {input: string; key: Key; at: number}, apply: (state: State, action: Action) => State): State {
	if (state.mode === 'confirm') {
		// y confirms; anything else (a paste, Esc, another command key) cancels.
		const binding = matchBinding('confirm', input, key);
		return apply(state, binding?.action.type === 'confirmYes' ? {type: 'confirmYes'} : {type: 'confirmNo'});
	}

	const binding = matchBinding(state.mode, input, key);
	if (binding !== undefined) {
		return apply(state, binding.action.type === 'toggleStatus' ? {...binding.action, at} : binding.action);
	}

	// Printable keys that come in one read (key repeat under load, type-ahead, a paste) come as one
	// string: they mean what they would have meant one by one. In the prompt they are text, which
	// the prompt's input handles.
	if (state.mode === 'filter' || input.length < 2 || key.ctrl || key.meta) {
		return state;
	}

	const chars = [...input];
	let next = state;
	for (const [index, char] of chars.entries()) {
		const charKey = {...key, shift: /[A-Z]/.test(char)};
		const charBinding = matchBinding(next.mode, char, charKey);
		if (charBinding?.action.type === 'openFilter') {
			// What follows the `/` is the start of the filter.
			return apply(next, {type: 'openFilter', typed: chars.slice(index + 1).join(''), at});
		}

		if (charBinding !== undefined || next.mode === 'confirm') {
			next = pressKey(next, {input: char, key: charKey, at}, apply);
		}
	}

	return next;
}
