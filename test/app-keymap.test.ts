// The key map: every key of contract.md means what it says, in the modes where it applies.
// (How keys reach the reducer: reducer.test.ts, 'keys'.)
import type {Key} from 'ink';
import {describe, expect, test} from 'vitest';
import type {Action, Mode} from '../source/state/reducer.js';
import {bindings, hintsFor, matchBinding, matchGlobalBinding} from '../source/ui/keymap.js';

const noKey: Key = {
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

// What Ink's useInput hands a handler for each key (ink 6.8 parse-keypress + use-input).
const keys: Record<string, [string, Partial<Key>]> = {
	up: ['', {upArrow: true}],
	down: ['', {downArrow: true}],
	left: ['', {leftArrow: true}],
	right: ['', {rightArrow: true}],
	shiftUp: ['', {upArrow: true, shift: true}],
	shiftDown: ['', {downArrow: true, shift: true}],
	pageUp: ['', {pageUp: true}],
	pageDown: ['', {pageDown: true}],
	home: ['', {home: true}],
	end: ['', {end: true}],
	enter: ['\r', {return: true}],
	escape: ['', {escape: true, meta: true}],
	ctrlF: ['f', {ctrl: true}],
	ctrlB: ['b', {ctrl: true}],
	ctrlC: ['c', {ctrl: true}],
};

function press(name: string): [string, Key] {
	const known = keys[name];
	if (known) {
		return [known[0], {...noKey, ...known[1]}];
	}

	return [name, {...noKey, shift: /^[A-Z]$/.test(name)}];
}

function actionFor(mode: Mode, name: string): Action['type'] | undefined {
	const [input, key] = press(name);
	return (matchBinding(mode, input, key) ?? matchGlobalBinding(input, key))?.action.type;
}

describe('browse and detail modes', () => {
	const expected: Record<string, Action['type']> = {
		up: 'selectUp',
		k: 'selectUp',
		down: 'selectDown',
		j: 'selectDown',
		pageDown: 'nextPage',
		right: 'nextPage',
		l: 'nextPage',
		n: 'nextPage',
		ctrlF: 'nextPage',
		pageUp: 'previousPage',
		left: 'previousPage',
		h: 'previousPage',
		p: 'previousPage',
		ctrlB: 'previousPage',
		home: 'firstPage',
		g: 'firstPage',
		end: 'lastPage',
		G: 'lastPage',
		'/': 'openFilter',
		s: 'sortNextColumn',
		S: 'sortReverse',
		enter: 'toggleDetail',
		r: 'reload',
		'?': 'toggleHelp',
		escape: 'escape',
		q: 'quit',
		ctrlC: 'quit',
	};

	for (const mode of ['browse', 'detail'] as const) {
		test(`${mode}: every key of the contract`, () => {
			for (const [name, type] of Object.entries(expected)) {
				expect([name, actionFor(mode, name)]).toEqual([name, type]);
			}
		});
	}

	test('the detail pane scrolls with J/K and Shift-arrows, only when open', () => {
		for (const name of ['J', 'shiftDown']) {
			expect(actionFor('detail', name)).toBe('scrollDetail');
			expect(actionFor('browse', name)).toBeUndefined();
		}

		const [input, key] = press('K');
		expect(matchBinding('detail', input, key)?.action).toEqual({type: 'scrollDetail', delta: -1});
	});

	test('an Alt-letter (ESC + letter) is not the letter', () => {
		expect(matchBinding('browse', 'q', {...noKey, meta: true})).toBeUndefined();
	});
});

describe('filter mode', () => {
	test('letters are text: no binding for q, s, j, /, ?, r', () => {
		for (const name of ['q', 's', 'S', 'j', 'k', '/', '?', 'r', 'g', 'G', 'n', 'p']) {
			expect([name, actionFor('filter', name)]).toEqual([name, undefined]);
		}
	});

	test('Enter keeps, Esc cancels, Ctrl-C quits', () => {
		expect(actionFor('filter', 'enter')).toBe('filterSubmitted');
		expect(actionFor('filter', 'escape')).toBe('filterCancelled');
		expect(actionFor('filter', 'ctrlC')).toBe('quit');
	});
});

describe('help mode', () => {
	test('? and Esc close it, q quits, navigation does nothing', () => {
		expect(actionFor('help', '?')).toBe('toggleHelp');
		expect(actionFor('help', 'escape')).toBe('escape');
		expect(actionFor('help', 'q')).toBe('quit');
		expect(actionFor('help', 'down')).toBeUndefined();
		expect(actionFor('help', 's')).toBeUndefined();
	});
});

describe('hints and help come from the same map', () => {
	test('footer hints per mode', () => {
		expect(hintsFor('browse').map(hint => `${hint.key} ${hint.label}`)).toEqual([
			'↑↓ move',
			'←→ page',
			'/ filter',
			's sort',
			'⏎ details',
			'r reload',
			'? help',
			'q quit',
		]);
		expect(hintsFor('filter').map(hint => hint.label)).toEqual(['keep', 'cancel']);
		expect(hintsFor('detail').map(hint => hint.label)).toContain('scroll');
		expect(hintsFor('help').map(hint => hint.label)).toEqual(['back', 'help', 'quit']);
	});

	test('every binding has keys, a description and a group', () => {
		const ids = new Set<string>();
		for (const binding of bindings) {
			expect(binding.keys.length).toBeGreaterThan(0);
			expect(binding.description).not.toBe('');
			expect(ids.has(binding.id)).toBe(false);
			ids.add(binding.id);
		}
	});
});
