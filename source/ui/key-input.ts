// The terminal's input as Ink should see it: one read per key where Ink 6.8 would merge keys.
// Ink splits a read only at escape sequences, so text typed fast and the Enter, Tab or Backspace
// that follows it in the same read ("d\r", "ab\u007F") reach useInput as one string: no `return`,
// no `delete`, and the control character ends up in the filter's text. That happens to a fast
// typist whenever the app is busy for a moment. Splitting those reads here fixes it for every
// handler; printable runs stay whole.
//
// Two things never reach Ink as keys. A bracketed paste (the terminal wraps pasted text in
// ESC[200~ … ESC[201~ once bracketed paste mode is on, see terminal.ts) is emitted whole as one
// 'paste' event: without it a pasted line break is a CR, and whatever follows it runs as commands.
// The app's only text input is one line, so the paste comes as one line (line breaks and tabs are
// spaces, control characters and escape sequences gone). Ink 6.8 has no paste support (usePaste
// came with Ink 7). And Ctrl-Z, which raw mode turns into a plain byte instead of a stop signal, is
// emitted as 'suspend'.
import {EventEmitter} from 'node:events';
import {StringDecoder} from 'node:string_decoder';
import {sanitize} from '../text/sanitize.js';

const escape = '\u001B';
export const pasteStart = '\u001B[200~';
export const pasteEnd = '\u001B[201~';
const ctrlZ = '\u001A';

/**
 * A paste whose end marker never comes (a broken or hostile sender) would swallow every key after
 * it, q and Ctrl-C included: after this long without more input it ends where it is. Terminals
 * send a paste in one burst.
 */
export const pasteIdleMs = 1000;

/** Pasted text kept beyond this is dropped (the prompt is one line; a paste of a file is a mistake). */
export const maxPasteLength = 64 * 1024;

/** How much of `text`'s end is a proper prefix of `marker` (a marker split across two reads). */
function partialMarker(text: string, marker: string): number {
	for (let length = Math.min(marker.length - 1, text.length); length > 0; length--) {
		if (text.endsWith(marker.slice(0, length))) {
			return length;
		}
	}

	return 0;
}

function isControl(char: string): boolean {
	const code = char.charCodeAt(0);
	return (code < 0x20 && char !== escape) || code === 0x7f;
}

/** Cuts a read before and after each control character (Enter, Tab, Backspace, Ctrl-letter). */
export function splitKeys(text: string): string[] {
	const keys: string[] = [];
	let run = '';
	for (let index = 0; index < text.length; index++) {
		const char = text[index]!;
		// ESC + a control character is one key (Alt-Enter, Alt-Backspace).
		if (isControl(char) && text[index - 1] !== escape) {
			if (run !== '') {
				keys.push(run);
			}

			keys.push(char);
			run = '';
		} else {
			run += char;
		}
	}

	if (run !== '') {
		keys.push(run);
	}

	return keys;
}

type Source = Pick<NodeJS.ReadStream, 'on' | 'off' | 'pause' | 'resume' | 'ref' | 'unref'> & {
	isTTY?: boolean;
	setRawMode?: (mode: boolean) => unknown;
};

/**
 * A stand-in for stdin with what Ink uses of it (isTTY, setRawMode, setEncoding, ref/unref,
 * 'readable' + read()), handing out the source's data one key-read at a time.
 */
export class KeyInput extends EventEmitter {
	readonly isTTY: boolean;
	private readonly queue: string[] = [];
	private readonly decoder = new StringDecoder('utf8');
	private listening = false;
	/** The text of a paste whose end marker has not come yet. */
	private paste: string | undefined;
	/** The end of the last read when it may be the start of a marker split across reads. */
	private held = '';
	private heldFlush: NodeJS.Immediate | undefined;
	private pasteTimer: NodeJS.Timeout | undefined;

	constructor(private readonly source: Source) {
		super();
		this.isTTY = Boolean(source.isTTY);
	}

	private readonly onData = (chunk: Buffer | string) => {
		const text = typeof chunk === 'string' ? chunk : this.decoder.write(chunk);
		this.take(this.held + text);
	};

	/** Splits a read into keys, pastes and suspends, handed out in the order they came. */
	private take(input: string): void {
		this.held = '';
		this.clearHeldFlush();
		let text = input;
		while (text !== '') {
			if (this.paste !== undefined) {
				const end = text.indexOf(pasteEnd);
				if (end === -1) {
					// The end marker may be cut across this read and the next.
					const partial = partialMarker(text, pasteEnd);
					this.addToPaste(text.slice(0, text.length - partial));
					this.held = text.slice(text.length - partial);
					this.armPasteTimer();
					return;
				}

				this.addToPaste(text.slice(0, end));
				text = text.slice(end + pasteEnd.length);
				this.endPaste();
				continue;
			}

			const start = text.indexOf(pasteStart);
			const before = start === -1 ? text : text.slice(0, start);
			if (start === -1) {
				// A marker cut across reads: keep its start for the next read. A lone ESC is also the Esc
				// key, so whatever is held goes out as keys if nothing follows at once.
				const partial = partialMarker(text, pasteStart);
				this.keys(text.slice(0, text.length - partial));
				if (partial > 0) {
					this.held = text.slice(text.length - partial);
					this.heldFlush = setImmediate(() => {
						this.heldFlush = undefined;
						const held = this.held;
						this.held = '';
						this.keys(held);
					});
				}

				return;
			}

			this.keys(before);
			this.paste = '';
			text = text.slice(start + pasteStart.length);
		}
	}

	/** Typed keys for Ink, cut at control characters; Ctrl-Z is a suspend, not a key. */
	private keys(text: string): void {
		if (text === '') {
			return;
		}

		// An end marker with no paste open (one that came after the idle timeout) is not a key.
		const keys = splitKeys(text.replaceAll(pasteEnd, ''));
		let start = 0;
		for (const [index, key] of keys.entries()) {
			if (key === ctrlZ) {
				this.deliver(keys.slice(start, index));
				start = index + 1;
				this.emit('suspend');
			}
		}

		this.deliver(keys.slice(start));
	}

	private deliver(keys: string[]): void {
		if (keys.length === 0) {
			return;
		}

		this.queue.push(...keys);
		this.emit('readable');
	}

	private addToPaste(text: string): void {
		if (this.paste !== undefined && this.paste.length < maxPasteLength) {
			this.paste += text.slice(0, maxPasteLength - this.paste.length);
		}
	}

	private endPaste(): void {
		clearTimeout(this.pasteTimer);
		this.pasteTimer = undefined;
		const text = sanitize(this.paste ?? '');
		this.paste = undefined;
		if (text !== '') {
			this.emit('paste', text);
		}
	}

	private armPasteTimer(): void {
		clearTimeout(this.pasteTimer);
		this.pasteTimer = setTimeout(() => {
			this.pasteTimer = undefined;
			this.addToPaste(this.held);
			this.held = '';
			this.endPaste();
		}, pasteIdleMs);
		this.pasteTimer.unref?.();
	}

	private clearHeldFlush(): void {
		if (this.heldFlush !== undefined) {
			clearImmediate(this.heldFlush);
			this.heldFlush = undefined;
		}
	}

	setRawMode(mode: boolean): this {
		this.source.setRawMode?.(mode);
		if (mode && !this.listening) {
			this.listening = true;
			this.source.on('data', this.onData);
			this.source.resume();
		} else if (!mode && this.listening) {
			this.listening = false;
			this.source.off('data', this.onData);
			this.source.pause();
			clearTimeout(this.pasteTimer);
			this.clearHeldFlush();
		}

		return this;
	}

	/** The keys are decoded here already. */
	setEncoding(): this {
		return this;
	}

	ref(): this {
		this.source.ref();
		return this;
	}

	unref(): this {
		this.source.unref();
		return this;
	}

	/** One key-read, or null when none is waiting. */
	read(): string | null {
		return this.queue.shift() ?? null;
	}
}
