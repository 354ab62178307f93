// THE key map. The handlers (use-keys.ts), the footer hints and the help overlay all read this one
// table, so what the help says is what the keys do. A key is matched by the label it is shown
// with ('↓', 'PgDn', 'Ctrl-F', 'j'), so a new binding is one line.
import type {Key} from 'ink';
import type {Action, Mode} from '../state/reducer.js';

export type KeyGroup = 'Navigate' | 'Filter & sort' | 'View' | 'Actions' | 'General';

export type KeyBinding = {
	id: string;
	/** Labels as shown, e.g. '↓', 'j', 'PgDn', 'Ctrl-F', 'Shift-↓', 'Esc'. */
	keys: string[];
	description: string;
	group: KeyGroup;
	modes: Mode[];
};

export type Binding = KeyBinding & {
	action: Action;
	/** Short footer label; bindings without one are listed only in the help. */
	hint?: string;
	/** The key shown in the footer, when not keys[0] (e.g. '↑↓'). */
	hintKey?: string;
	/** The modes whose footer shows the hint, when not all of `modes`. */
	hintModes?: Mode[];
	/** Valid in every mode, handled by the always-active handler (Ctrl-C). */
	global?: boolean;
	/** Actions under a confirmation or --read-only (issue 4) can be refused by the caller. */
	writes?: boolean;
};

const table: Mode[] = ['browse', 'detail'];
const all: Mode[] = ['browse', 'detail', 'filter', 'help'];

export const bindings: readonly Binding[] = [
	{id: 'up', keys: ['↑', 'k'], description: 'previous export', group: 'Navigate', modes: table, action: {type: 'selectUp'}, hint: 'move', hintKey: '↑↓'},
	{id: 'down', keys: ['↓', 'j'], description: 'next export', group: 'Navigate', modes: table, action: {type: 'selectDown'}},
	{id: 'next-page', keys: ['PgDn', '→', 'l', 'n', 'Ctrl-F'], description: 'next page', group: 'Navigate', modes: table, action: {type: 'nextPage'}, hint: 'page', hintKey: '←→'},
	{id: 'previous-page', keys: ['PgUp', '←', 'h', 'p', 'Ctrl-B'], description: 'previous page', group: 'Navigate', modes: table, action: {type: 'previousPage'}},
	{id: 'first-page', keys: ['Home', 'g'], description: 'first page', group: 'Navigate', modes: table, action: {type: 'firstPage'}},
	{id: 'last-page', keys: ['End', 'G'], description: 'last page', group: 'Navigate', modes: table, action: {type: 'lastPage'}},
	{id: 'filter', keys: ['/'], description: 'filter (e.g. status:failed type:skus)', group: 'Filter & sort', modes: table, action: {type: 'openFilter'}, hint: 'filter'},
	{id: 'filter-keep', keys: ['Enter'], description: 'keep the filter', group: 'Filter & sort', modes: ['filter'], action: {type: 'filterSubmitted'}, hint: 'keep', hintKey: '⏎'},
	{id: 'filter-cancel', keys: ['Esc'], description: 'cancel the edit', group: 'Filter & sort', modes: ['filter'], action: {type: 'filterCancelled'}, hint: 'cancel', hintKey: 'esc'},
	{id: 'sort', keys: ['s'], description: 'sort by the next column', group: 'Filter & sort', modes: table, action: {type: 'sortNextColumn'}, hint: 'sort'},
	{id: 'sort-reverse', keys: ['S'], description: 'reverse the sort', group: 'Filter & sort', modes: table, action: {type: 'sortReverse'}},
	{id: 'detail', keys: ['Enter'], description: 'details on/off', group: 'View', modes: table, action: {type: 'toggleDetail'}, hint: 'details', hintKey: '⏎'},
	{id: 'detail-down', keys: ['J', 'Shift-↓'], description: 'scroll the details down', group: 'View', modes: ['detail'], action: {type: 'scrollDetail', delta: 1}, hint: 'scroll', hintKey: 'J/K'},
	{id: 'detail-up', keys: ['K', 'Shift-↑'], description: 'scroll the details up', group: 'View', modes: ['detail'], action: {type: 'scrollDetail', delta: -1}},
	{id: 'reload', keys: ['r'], description: 'reload', group: 'View', modes: table, action: {type: 'reload'}, hint: 'reload'},
	{id: 'escape', keys: ['Esc'], description: 'close help or details, then clear the filter', group: 'General', modes: ['browse', 'detail', 'help'], action: {type: 'escape'}, hint: 'back', hintKey: 'esc', hintModes: ['detail', 'help']},
	{id: 'help', keys: ['?'], description: 'help on/off', group: 'General', modes: ['browse', 'detail', 'help'], action: {type: 'toggleHelp'}, hint: 'help'},
	{id: 'quit', keys: ['q'], description: 'quit', group: 'General', modes: ['browse', 'detail', 'help'], action: {type: 'quit'}, hint: 'quit'},
	{id: 'quit-ctrl-c', keys: ['Ctrl-C'], description: 'quit', group: 'General', modes: all, action: {type: 'quit'}, global: true},
];

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

/** Bindings that apply in a mode, in table order (for the help overlay). */
export function bindingsFor(mode: Mode): Binding[] {
	return bindings.filter(binding => binding.modes.includes(mode));
}

export type Hint = {key: string; label: string};

/** The footer's key hints for a mode. */
export function hintsFor(mode: Mode): Hint[] {
	return bindings
		.filter(binding => binding.hint !== undefined && (binding.hintModes ?? binding.modes).includes(mode))
		.map(binding => ({key: binding.hintKey ?? binding.keys[0] ?? '', label: binding.hint ?? ''}));
}
