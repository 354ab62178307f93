// Where everything goes on the screen: the lines of the header, the body (table, detail pane or
// help), the filter prompt, the copied-link panel and the footer, and the widths of the table and
// the detail pane. Pure, so every terminal size can be tested without drawing anything.
//
// The detail pane sits beside the table from `wideColumns` on. Narrower, it goes below the table
// when the terminal is tall enough for a useful table and the detail's summary together;
// otherwise the detail takes the whole body (as k9s "describe" does) and Esc or Enter goes back
// to the table. While the filter prompt is open the table has the body back, so the results of
// the typing show.
import {filterPromptHeight} from './FilterPrompt.js';
import {headerHeight} from './Header.js';

/** Lines of the header (with the status overview). */
export const headerLines = headerHeight(true);
/** Lines of the filter prompt (the input and its error line). */
export const promptLines = filterPromptHeight;
/** The footer's usual lines: hints and one message line. */
export const footerLines = 2;
/** From this width the detail pane sits beside the table. */
export const wideColumns = 120;
/**
 * Lines the detail pane needs below the table to show a summary (status, type, format, records,
 * reference, up to three times and a two-line error, with its border), and lines of a table
 * still worth looking at (eight rows, with its borders and header).
 */
export const detailSummaryLines = 14;
export const tableMinLines = 12;

export type ScreenInput = {
	columns: number;
	rows: number;
	/** The filter prompt is open. */
	prompt: boolean;
	/** The detail of the selected export is open. */
	detailOpen: boolean;
	/** Lines the footer needs: two, three with a long message. */
	footer?: number;
	/** Lines the copied-link panel takes when given at most `max`; undefined: no panel. */
	urlLines?: (max: number) => number;
};

/** How the detail shows: not at all, beside the table, below it, alone in the body, or not while the prompt has the body. */
export type DetailPlacement = 'closed' | 'side' | 'below' | 'full' | 'hidden';

export type Box = {width: number; height: number};

export type ScreenLayout = {
	width: number;
	/** Lines drawn: one less than the terminal's (Ink clears the whole screen on every frame once the output is as tall as the terminal). */
	height: number;
	header: number;
	prompt: number;
	url: number;
	footer: number;
	/** Lines between the header and the prompt (or the link panel, or the footer). */
	body: number;
	detail: DetailPlacement;
	/** `row` when the detail pane sits beside the table. */
	direction: 'row' | 'column';
	/** A height of 0: the table is not drawn. */
	table: Box;
	/** A width or height of 0: the pane is not drawn. */
	pane: Box;
};

export function screenLayout({columns, rows, prompt, detailOpen, footer = footerLines, urlLines}: ScreenInput): ScreenLayout {
	const width = Math.max(1, columns);
	const height = Math.max(1, rows - 1);
	const promptHeight = prompt ? promptLines : 0;
	const roomBelow = Math.max(0, height - headerLines - footer - promptHeight);
	const url = urlLines === undefined ? 0 : Math.max(0, Math.min(roomBelow, urlLines(Math.max(1, Math.floor(roomBelow / 3)))));
	const body = Math.max(0, roomBelow - url);
	const base = {width, height, header: headerLines, prompt: promptHeight, url, footer, body};
	const whole: Box = {width, height: body};
	const none: Box = {width: 0, height: 0};

	if (!detailOpen) {
		return {...base, detail: 'closed', direction: 'column', table: whole, pane: none};
	}

	if (width >= wideColumns) {
		const paneWidth = Math.max(40, Math.floor(width * 0.4));
		return {...base, detail: 'side', direction: 'row', table: {width: width - paneWidth, height: body}, pane: {width: paneWidth, height: body}};
	}

	// Decided on the body without the prompt, the link panel or a long message, so that none of
	// them switches the layout while it shows.
	const usualBody = Math.max(0, height - headerLines - footerLines);
	if (usualBody >= tableMinLines + detailSummaryLines) {
		const paneHeight = Math.min(body, Math.max(detailSummaryLines, Math.round(body / 2)));
		return {...base, detail: 'below', direction: 'column', table: {width, height: body - paneHeight}, pane: {width, height: paneHeight}};
	}

	if (prompt) {
		return {...base, detail: 'hidden', direction: 'column', table: whole, pane: none};
	}

	return {...base, detail: 'full', direction: 'column', table: {width, height: 0}, pane: whole};
}
