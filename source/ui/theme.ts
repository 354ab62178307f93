// Colours for statuses and UI elements. NO_COLOR (https://no-color.org, any non-empty value) is
// honoured here because chalk ignores it: every colour becomes undefined, so components that pass
// `color={theme.x}` print none, while inverse, bold and the `>` marker still carry the meaning.
// A terminal that is not UTF-8 (charset.ts) gets ASCII status symbols.
import {createContext, useContext} from 'react';
import {statuses, type KnownStatus} from '../api/types.js';
import {sanitize} from '../text/sanitize.js';
import {utf8Terminal} from './charset.js';

export type StatusStyle = {symbol: string; color?: string};

export type Theme = {
	noColor: boolean;
	status: Record<KnownStatus, StatusStyle>;
	/** Shown for statuses this version does not know: plain, with a `?`. */
	unknownStatus: StatusStyle;
	border?: string;
	heading?: string;
	muted?: string;
	accent?: string;
	key?: string;
	error?: string;
	warning?: string;
	notice?: string;
	loading?: string;
	changed?: string;
	demo?: string;
	live?: string;
	sortMarker?: string;
};

const colours = {
	status: {
		pending: {symbol: '○', color: 'yellow'},
		in_progress: {symbol: '◐', color: 'cyan'},
		interrupted: {symbol: '■', color: 'magenta'},
		failed: {symbol: '✖', color: 'red'},
		completed: {symbol: '✔', color: 'green'},
	},
	border: 'gray',
	heading: 'white',
	muted: 'gray',
	accent: 'cyan',
	key: 'cyan',
	error: 'red',
	warning: 'yellow',
	notice: 'green',
	loading: 'yellow',
	changed: 'yellow',
	demo: 'yellow',
	live: 'red',
	sortMarker: 'cyan',
} as const;

/** The status symbols in ASCII, each still one cell and unlike the others (and unlike `>` and `*`). */
const asciiSymbols: Record<KnownStatus, string> = {
	pending: 'o',
	in_progress: '~',
	interrupted: '#',
	failed: 'x',
	completed: '+',
};

/** Whether NO_COLOR asks for no colour (set and not empty). */
export function noColorRequested(env: Record<string, string | undefined>): boolean {
	const value = env['NO_COLOR'];
	return value !== undefined && value !== '';
}

export function createTheme(env: Record<string, string | undefined> = process.env): Theme {
	const symbol = (name: KnownStatus) => (utf8Terminal(env) ? colours.status[name].symbol : asciiSymbols[name]);
	if (noColorRequested(env)) {
		const status = Object.fromEntries(statuses.map(name => [name, {symbol: symbol(name)}])) as Record<KnownStatus, StatusStyle>;
		return {noColor: true, status, unknownStatus: {symbol: '?'}};
	}

	return {
		noColor: false,
		status: Object.fromEntries(statuses.map(name => [name, {symbol: symbol(name), color: colours.status[name].color}])) as Record<KnownStatus, StatusStyle>,
		unknownStatus: {symbol: '?'},
		border: colours.border,
		heading: colours.heading,
		muted: colours.muted,
		accent: colours.accent,
		key: colours.key,
		error: colours.error,
		warning: colours.warning,
		notice: colours.notice,
		loading: colours.loading,
		changed: colours.changed,
		demo: colours.demo,
		live: colours.live,
		sortMarker: colours.sortMarker,
	};
}

/** The theme for this process: NO_COLOR is read once, at start-up. */
export const defaultTheme: Theme = createTheme();

/** Lets tests (and the App, if it wants) provide another theme. */
export const ThemeContext = createContext<Theme>(defaultTheme);

export function useTheme(): Theme {
	return useContext(ThemeContext);
}

function isKnownStatus(value: string): value is KnownStatus {
	return (statuses as readonly string[]).includes(value);
}

/**
 * How a status value is shown: a one-cell symbol, its colour (undefined under NO_COLOR or for
 * unknown values) and the word. Unknown values keep their (sanitized) word behind a `?`.
 */
export function statusStyle(theme: Theme, status: unknown): {symbol: string; color?: string; word: string; known: boolean} {
	const word = sanitize(status);
	if (isKnownStatus(word)) {
		const style = theme.status[word];
		return {symbol: style.symbol, color: style.color, word, known: true};
	}

	return {symbol: theme.unknownStatus.symbol, word: word === '' ? '—' : word, known: false};
}
