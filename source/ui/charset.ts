// Whether the terminal takes UTF-8, and the box-drawing characters that follow from it. A terminal
// set to the C locale or a legacy charset (LANG=C, ISO-8859-1) shows the UTF-8 bytes of `┌─┐` or
// `✔` as two or three wrong characters each, and the table's columns come apart: there the table
// is drawn with + - | and the statuses get ASCII symbols. Read once, at start-up, like NO_COLOR.

/**
 * True unless the locale says otherwise: the first of LC_ALL, LC_CTYPE and LANG that is set (the
 * order setlocale reads them in) must name UTF-8. With none set, UTF-8 is assumed, as every
 * current terminal speaks it.
 */
export function utf8Terminal(env: Record<string, string | undefined>): boolean {
	const locale = env['LC_ALL'] || env['LC_CTYPE'] || env['LANG'];
	return locale === undefined || /utf-?8/i.test(locale);
}

export type BoxChars = {
	/** The Unicode set (the terminal takes UTF-8). */
	unicode: boolean;
	horizontal: string;
	vertical: string;
	topLeft: string;
	topJunction: string;
	topRight: string;
	left: string;
	cross: string;
	right: string;
	bottomLeft: string;
	bottomJunction: string;
	bottomRight: string;
};

export const unicodeBox: BoxChars = {
	unicode: true,
	horizontal: '─',
	vertical: '│',
	topLeft: '┌',
	topJunction: '┬',
	topRight: '┐',
	left: '├',
	cross: '┼',
	right: '┤',
	bottomLeft: '└',
	bottomJunction: '┴',
	bottomRight: '┘',
};

export const asciiBox: BoxChars = {
	unicode: false,
	horizontal: '-',
	vertical: '|',
	topLeft: '+',
	topJunction: '+',
	topRight: '+',
	left: '+',
	cross: '+',
	right: '+',
	bottomLeft: '+',
	bottomJunction: '+',
	bottomRight: '+',
};

/** This process's box characters. */
export const box: BoxChars = utf8Terminal(process.env) ? unicodeBox : asciiBox;

/**
 * The program's own symbols, one cell each, and the ASCII character of one cell that stands in for
 * each on a terminal that does not take UTF-8 (the table's box characters come from `box` already;
 * these are the rest: the detail and help boxes, sort arrows, separators, bars, ellipses).
 */
const asciiFor: Readonly<Record<string, string>> = {
	'─': '-',
	'│': '|',
	'┌': '+',
	'┬': '+',
	'┐': '+',
	'├': '+',
	'┼': '+',
	'┤': '+',
	'└': '+',
	'┴': '+',
	'┘': '+',
	'↑': '^',
	'↓': 'v',
	'←': '<',
	'→': '>',
	'·': '-',
	'…': '~',
	'⋯': '~',
	'—': '-',
	'–': '-',
	'░': '.',
	'█': '#',
	'×': 'x',
	'≤': '<',
	'≥': '>',
	'⏎': '>',
	// The status symbols, as the theme writes them in ASCII.
	'○': 'o',
	'◐': '~',
	'■': '#',
	'✖': 'x',
	'✔': '+',
	// The gutter's mark of a marked row.
	'✓': 'v',
};

const symbols = new RegExp(`[${Object.keys(asciiFor).join('')}]`, 'gu');

/** `text` with the program's own symbols in ASCII, cell for cell: the layout does not move. */
export function asciiSymbols(text: string): string {
	return text.replaceAll(symbols, symbol => asciiFor[symbol] ?? symbol);
}

/**
 * A stand-in for the terminal's output stream that writes the program's symbols in ASCII, for a
 * terminal that does not take UTF-8; the stream itself where it does. Everything else (size,
 * events, isTTY) is the stream's own.
 */
export function terminalOutput<T extends NodeJS.WriteStream>(stream: T, utf8 = utf8Terminal(process.env)): T {
	if (utf8) {
		return stream;
	}

	return new Proxy(stream, {
		get(target, property) {
			if (property === 'write') {
				return (chunk: unknown, ...rest: unknown[]) =>
					(target.write as (...args: unknown[]) => boolean)(typeof chunk === 'string' ? asciiSymbols(chunk) : chunk, ...rest);
			}

			const value: unknown = Reflect.get(target, property, target);
			return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
		},
	});
}

/** The gutter's mark for a marked row (`>` is the selection, `*` a changed row): a check mark, or `v` in ASCII. */
export const markSymbol = utf8Terminal(process.env) ? '✓' : 'v';
