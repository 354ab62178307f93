// Copy over SSH: the text goes to the terminal as an OSC 52 "set clipboard" sequence, which the
// terminal on the user's desk may or may not honour (many ask first or refuse by default). So this
// module never says "copied": it says what it sent, and the caller shows the text as well.
// Shapes follow k9s (internal/view/clipboard.go): tmux DCS passthrough when $TMUX is set, GNU
// screen passthrough for TERM=screen*, nothing when stdout is not a TTY or TERM=dumb, and the
// same 74,994-byte cap on the base64 payload.

/** k9s's default `K9S_OSC52_MAX`: the longest base64 payload it sends. */
export const osc52MaxEncodedLength = 74_994;

/** GNU screen passes a DCS string through only up to a small length, so the payload is chunked. */
export const screenChunkLength = 76;

const esc = '\u001B';
const bel = '\u0007';
/** String terminator (ESC \), ending a DCS string. */
const st = `${esc}\\`;

export type Osc52Mode = 'plain' | 'tmux' | 'screen';

export type Environment = Record<string, string | undefined>;

export type Osc52Result =
	| {ok: true; sequence: string; mode: Osc52Mode; encodedLength: number}
	| {ok: false; reason: string; encodedLength: number};

/** Which wrapping the terminal between us and the user needs: tmux wins over TERM=screen*, as tmux sets TERM=screen-256color itself. */
export function osc52Mode(env: Environment): Osc52Mode {
	if (env['TMUX']) {
		return 'tmux';
	}

	if ((env['TERM'] ?? '').trim().toLowerCase().startsWith('screen')) {
		return 'screen';
	}

	return 'plain';
}

/**
 * The bytes that ask the terminal to put `text` on the system clipboard (selection `c`), wrapped
 * for tmux or screen as `env` says; refused (with the reason) when the base64 payload would be
 * longer than the cap, rather than sending a truncated URL.
 */
export function osc52Sequence(text: string, env: Environment, maxEncodedLength = osc52MaxEncodedLength): Osc52Result {
	const encoded = Buffer.from(text, 'utf8').toString('base64');
	if (encoded.length > maxEncodedLength) {
		return {
			ok: false,
			reason: `too long for OSC 52 (${formatCount(encoded.length)} bytes encoded, the limit is ${formatCount(maxEncodedLength)})`,
			encodedLength: encoded.length,
		};
	}

	const mode = osc52Mode(env);
	const osc = `${esc}]52;c;`;
	switch (mode) {
		case 'tmux': {
			// tmux passes `ESC P tmux; … ESC \` to the outer terminal with every inner ESC doubled
			// (needs `allow-passthrough on` in tmux ≥ 3.3).
			const inner = `${osc}${encoded}${bel}`;
			return {ok: true, mode, sequence: `${esc}Ptmux;${inner.replaceAll(esc, esc + esc)}${st}`, encodedLength: encoded.length};
		}

		case 'screen': {
			// One OSC split across consecutive DCS strings (`ESC P … ESC \`), each carrying at most
			// 76 bytes of the payload, as vim-oscyank and go-osc52 do.
			const chunks: string[] = [];
			for (let index = 0; index < encoded.length; index += screenChunkLength) {
				chunks.push(encoded.slice(index, index + screenChunkLength));
			}

			return {ok: true, mode, sequence: `${esc}P${osc}${chunks.join(`${st}${esc}P`)}${bel}${st}`, encodedLength: encoded.length};
		}

		case 'plain': {
			return {ok: true, mode, sequence: `${osc}${encoded}${bel}`, encodedLength: encoded.length};
		}
	}
}

export type ClipboardOptions = {
	env: Environment;
	/** Whether stdout is a terminal (`process.stdout.isTTY`). */
	isTTY: boolean;
	/** Writes to the terminal, e.g. `data => process.stdout.write(data)`. */
	write: (data: string) => unknown;
	/** Default 74,994 (k9s). */
	maxEncodedLength?: number;
};

export type ClipboardResult = {sent: boolean; message: string; mode?: Osc52Mode};

export const sentMessage = "sent to the terminal's clipboard (OSC 52) — your terminal must allow it";

// C0, DEL, C1, and the bidi embeddings/overrides/isolates: none belongs in a URL or an id, and any
// of them on a clipboard could make a pasted command do something other than what it shows.
// eslint-disable-next-line no-control-regex
const controlCharacters = /[\u0000-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069]/;

/** Sends `text` to the terminal's clipboard with OSC 52, or says why it did not. Never throws. */
export function copyToClipboard(text: string, options: ClipboardOptions): ClipboardResult {
	if (text === '') {
		return {sent: false, message: 'nothing to copy'};
	}

	if (controlCharacters.test(text)) {
		return {sent: false, message: 'not sent to the clipboard: the text contains control characters'};
	}

	if (!options.isTTY) {
		return {sent: false, message: 'not sent to the clipboard: output is not a terminal'};
	}

	if ((options.env['TERM'] ?? '').trim().toLowerCase() === 'dumb') {
		return {sent: false, message: 'not sent to the clipboard: TERM=dumb cannot take OSC 52'};
	}

	const result = osc52Sequence(text, options.env, options.maxEncodedLength);
	if (!result.ok) {
		return {sent: false, message: `not sent to the clipboard: ${result.reason}`};
	}

	try {
		options.write(result.sequence);
	} catch (error: unknown) {
		const code = typeof error === 'object' && error !== null && typeof (error as {code?: unknown}).code === 'string' ? ` (${(error as {code: string}).code})` : '';
		return {sent: false, message: `not sent to the clipboard: writing to the terminal failed${code}`, mode: result.mode};
	}

	return {sent: true, message: sentMessage, mode: result.mode};
}

function formatCount(value: number): string {
	return value.toLocaleString('en-US');
}
