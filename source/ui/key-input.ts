// The terminal's input as Ink should see it: one read per key where Ink 6.8 would merge keys.
// Ink splits a read only at escape sequences, so text typed fast and the Enter, Tab or Backspace
// that follows it in the same read ("d\r", "ab\u007F") reach useInput as one string: no `return`,
// no `delete`, and the control character ends up in the filter's text. That happens to a fast
// typist whenever the app is busy for a moment. Splitting those reads here fixes it for every
// handler; printable runs stay whole (a paste is one edit).
import {EventEmitter} from 'node:events';
import {StringDecoder} from 'node:string_decoder';

const escape = '\u001B';

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

	constructor(private readonly source: Source) {
		super();
		this.isTTY = Boolean(source.isTTY);
	}

	private readonly onData = (chunk: Buffer | string) => {
		const text = typeof chunk === 'string' ? chunk : this.decoder.write(chunk);
		const keys = splitKeys(text);
		if (keys.length === 0) {
			return;
		}

		this.queue.push(...keys);
		this.emit('readable');
	};

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
