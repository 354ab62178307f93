// The key map: every key the readme lists means what it says, in the modes where it applies.
// (How keys reach the reducer: reducer.test.ts, 'keys'.)
import type {Key} from 'ink';
import {describe, expect, test} from 'vitest';
import type {Action, Mode} from '../source/state/types.js';
import {bindings, hintsFor, matchBinding, matchGlobalBinding} from '../source/state/keys.js';
import {noKey} from './helpers/keys.js';


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
	tab: ['\t', {tab: true}],
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
		test(`${mode}: every key the readme lists`, () => {
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

describe('triage keys', () => {
	const expected: Record<string, Action['type']> = {
		'1': 'toggleStatus',
		'2': 'toggleStatus',
		'3': 'toggleStatus',
		'4': 'toggleStatus',
		'5': 'toggleStatus',
		w: 'toggleWatch',
		y: 'copyUrl',
		Y: 'copyId',
		D: 'download',
		i: 'askOperation',
		t: 'askOperation',
		' ': 'toggleMark',
		v: 'openPeek',
		c: 'askDuplicate',
	};

	for (const mode of ['browse', 'detail'] as const) {
		test(`${mode}: 1..5, w, y, Y, D, i, t, Ctrl-D`, () => {
			for (const [name, type] of Object.entries(expected)) {
				expect([name, actionFor(mode, name)]).toEqual([name, type]);
			}

			const statuses = ['1', '2', '3', '4', '5'].map(name => {
				const [input, key] = press(name);
				const action = matchBinding(mode, input, key)?.action;
				return action?.type === 'toggleStatus' ? action.status : undefined;
			});
			expect(statuses).toEqual(['pending', 'in_progress', 'interrupted', 'failed', 'completed']);
			expect(matchBinding(mode, 'i', noKey)?.action).toEqual({type: 'askOperation', operation: 'interrupt'});
			expect(matchBinding(mode, 't', noKey)?.action).toEqual({type: 'askOperation', operation: 'restart'});
			expect(matchBinding(mode, 'd', {...noKey, ctrl: true})?.action).toEqual({type: 'askOperation', operation: 'delete'});
			// d alone is nothing (Ctrl-D only): a slip of the finger deletes nothing.
			expect(matchBinding(mode, 'd', noKey)).toBeUndefined();
		});
	}

	test('confirm mode: y (or Y) is yes, n and Esc are no; nothing else is bound (the reducer cancels on any other key)', () => {
		expect(actionFor('confirm', 'y')).toBe('confirmYes');
		expect(actionFor('confirm', 'Y')).toBe('confirmYes');
		expect(actionFor('confirm', 'n')).toBe('confirmNo');
		expect(actionFor('confirm', 'escape')).toBe('confirmNo');
		for (const name of ['q', 'D', 'i', 'j', 'down', 'enter', '1']) {
			expect([name, actionFor('confirm', name)]).toEqual([name, undefined]);
		}

		expect(actionFor('confirm', 'ctrlC')).toBe('quit');
	});

	test('the triage keys are letters in the filter prompt', () => {
		for (const name of ['1', '5', 'w', 'y', 'Y', 'D', 'i', 't', ' ', 'v', 'c']) {
			expect([name, actionFor('filter', name)]).toEqual([name, undefined]);
		}
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

describe('peek mode', () => {
	test('the arrows and j k h l scroll rows and columns, PgUp PgDn Space pages, g G the ends; Esc and v close it; q quits', () => {
		const scroll = (name: string) => {
			const [input, key] = press(name);
			return matchBinding('peek', input, key)?.action;
		};

		expect(scroll('down')).toEqual({type: 'scrollPeek', rows: 1});
		expect(scroll('j')).toEqual({type: 'scrollPeek', rows: 1});
		expect(scroll('k')).toEqual({type: 'scrollPeek', rows: -1});
		expect(scroll('right')).toEqual({type: 'scrollPeek', columns: 1});
		expect(scroll('h')).toEqual({type: 'scrollPeek', columns: -1});
		expect(scroll('pageDown')).toEqual({type: 'scrollPeek', pages: 1});
		expect(scroll(' ')).toEqual({type: 'scrollPeek', pages: 1});
		expect(scroll('pageUp')).toEqual({type: 'scrollPeek', pages: -1});
		expect(scroll('g')).toEqual({type: 'scrollPeek', to: 'start'});
		expect(scroll('G')).toEqual({type: 'scrollPeek', to: 'end'});
		expect(actionFor('peek', 'escape')).toBe('escape');
		expect(actionFor('peek', 'v')).toBe('closePeek');
		expect(actionFor('peek', 'q')).toBe('quit');
		// The list's keys do nothing under the overlay.
		for (const name of ['t', 'D', 'c', '/', '1', 'enter']) {
			expect([name, actionFor('peek', name)]).toEqual([name, undefined]);
		}
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

	test('Tab and → turn to the next page (the filter syntax), ← back', () => {
		const turn = (name: string) => {
			const [input, key] = press(name);
			return matchBinding('help', input, key)?.action;
		};

		expect(turn('tab')).toEqual({type: 'turnHelpPage', delta: 1});
		expect(turn('right')).toEqual({type: 'turnHelpPage', delta: 1});
		expect(turn('left')).toEqual({type: 'turnHelpPage', delta: -1});
		// Elsewhere the arrows still page the list.
		expect(actionFor('browse', 'right')).toBe('nextPage');
	});
});

describe('hints and help come from the same map', () => {
	test('footer hints per mode', () => {
		// Most useful first: a narrow footer drops hints from the end.
		expect(hintsFor('browse').map(hint => `${hint.key} ${hint.label}`)).toEqual([
			'↑↓ move',
			'←→ page',
			'/ filter',
			'1-5 status',
			'⏎ details',
			'? help',
			'q quit',
			'w watch',
			'y copy',
			'D download',
			'Space mark',
			'v peek',
			's sort',
			'r reload',
		]);
		expect(hintsFor('confirm').map(hint => `${hint.key} ${hint.label}`)).toEqual(['y yes', 'n no (any other key)']);
		expect(hintsFor('filter').map(hint => hint.label)).toEqual(['keep', 'cancel']);
		expect(hintsFor('detail').map(hint => hint.label)).toContain('scroll');
		expect(hintsFor('help').map(hint => hint.label)).toEqual(['back', 'help', 'quit']);
		expect(hintsFor('peek').map(hint => `${hint.key} ${hint.label}`)).toEqual(['↑↓ rows', '←→ columns', 'PgUp/PgDn page', 'esc back', 'q quit']);
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
