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

/** The gutter's mark for a marked row (`>` is the selection, `*` a changed row): a check mark, or `v` in ASCII. */
export const markSymbol = utf8Terminal(process.env) ? '✓' : 'v';
