// Copy over SSH: the text goes to the terminal as an OSC 52 "set clipboard" sequence, which the
// terminal on the user's desk may or may not honour (many ask first or refuse by default). So this
// module never says "copied" to a clipboard it cannot see: it says what it did, and the caller
// shows the text as well.
// Shapes follow k9s (internal/view/clipboard.go): tmux DCS passthrough when $TMUX is set, GNU
// screen passthrough for TERM=screen*, nothing when stdout is not a TTY or TERM=dumb, and the
// same 74,994-byte cap on the base64 payload.
// Inside tmux the text is first handed to tmux itself (`tmux load-buffer -w -`): tmux 3.3 and later
// drop the passthrough unless `allow-passthrough` is on, which it is not by default, while
// load-buffer fills tmux's paste buffer and, with `-w` and tmux's default `set-clipboard
// external`, tmux sends it on to the outer terminal's clipboard itself.
import {spawn} from 'node:child_process';
import {formatNumber} from '../text/numbers.js';

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
			reason: `too long for OSC 52 (${formatNumber(encoded.length)} bytes encoded, the limit is ${formatNumber(maxEncodedLength)})`,
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

export type ClipboardResult = {sent: boolean; message: string; mode?: Osc52Mode | 'tmux-buffer'};

export const sentMessage = "sent to the terminal's clipboard (OSC 52) — your terminal must allow it";

// C0, DEL, C1, and the bidi embeddings/overrides/isolates: none belongs in a URL or an id, and any
// of them on a clipboard could make a pasted command do something other than what it shows.
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

/** How long tmux may take to answer before the passthrough is used instead. */
export const tmuxTimeoutMs = 2000;

/** Runs `tmux args…` with `input` on its stdin; resolves with its stdout, rejects with a one-line reason. */
async function runTmux(args: string[], input: string | undefined, env: Environment): Promise<string> {
	return new Promise((resolve, reject) => {
		let child;
		try {
			child = spawn('tmux', args, {env: env as NodeJS.ProcessEnv, stdio: ['pipe', 'pipe', 'pipe'], timeout: tmuxTimeoutMs});
		} catch (error: unknown) {
			reject(error instanceof Error ? error : new Error(String(error)));
			return;
		}

		let stdout = '';
		let stderr = '';
		child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
			stdout += chunk;
		});
		child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
			stderr += chunk;
		});
		child.stdin.on('error', () => {
			// tmux exited before reading it all: its exit status says why.
		});
		child.on('error', reject);
		child.on('close', (code, signal) => {
			if (code === 0) {
				resolve(stdout);
			} else {
				const reason = stderr.trim().split('\n')[0] ?? '';
				reject(new Error(signal === null ? reason || `exit ${code ?? '?'}` : 'no answer'));
			}
		});
		child.stdin.end(input ?? '');
	});
}

export const tmuxBufferMessage = "copied to tmux's buffer and sent on to the terminal's clipboard";
export const tmuxBufferOnlyMessage = "copied to tmux's buffer (prefix ]); tmux's set-clipboard is off";
export const tmuxPassthroughMessage = 'sent via tmux passthrough (OSC 52): needs allow-passthrough on';

/**
 * Copies `text` to the clipboard the best way there is: through tmux under tmux, else (or when
 * tmux will not take it) as OSC 52; the message says which. Never throws.
 */
export async function copyText(text: string, options: ClipboardOptions): Promise<ClipboardResult> {
	if (options.env['TMUX'] && text !== '' && !controlCharacters.test(text)) {
		try {
			await runTmux(['load-buffer', '-w', '-'], text, options.env);
			// Whether tmux passes it on to the outer terminal (`set-clipboard`, `external` by default).
			const setClipboard = await runTmux(['show-options', '-gv', 'set-clipboard'], undefined, options.env).catch(() => 'external');
			return {sent: true, message: setClipboard.trim() === 'off' ? tmuxBufferOnlyMessage : tmuxBufferMessage, mode: 'tmux-buffer'};
		} catch {
			// No tmux on PATH, one older than 3.2 (no -w), or another server: the passthrough is left.
		}

		const result = copyToClipboard(text, options);
		return result.sent && result.mode === 'tmux' ? {...result, message: tmuxPassthroughMessage} : result;
	}

	return copyToClipboard(text, options);
}
