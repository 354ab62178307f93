// Runs the pager full-screen and resolves with the exit code. The terminal is restored on every
// way out: `q`/Ctrl-C (handled by the app, so this cleanup runs), SIGINT/SIGQUIT/SIGTERM/SIGHUP,
// and a crash; and around a suspend: Ctrl-Z (or SIGTSTP) restores it and stops the process, and
// `fg` (SIGCONT) takes the terminal back and redraws the whole screen.
import {EventEmitter} from 'node:events';
import React, {useEffect, type ReactNode} from 'react';
import {render, useStdout} from 'ink';
import type {ExportsClient} from '../api/client.js';
import {describeError} from '../api/errors.js';
import type {FirstPage} from '../hooks/page-requests.js';
import type {PagerConfig} from '../hooks/use-pager.js';
import {App} from './App.js';
import {KeyInput} from './key-input.js';
import {createTerminalSession} from './terminal.js';
import {terminalOutput, utf8Terminal} from './charset.js';

export type RunTuiOptions = {
	config: PagerConfig;
	client: ExportsClient;
	source: string;
	/** True (or the demo server's handle) when browsing the embedded demo API. */
	demo: unknown;
	stdin?: NodeJS.ReadStream;
	stdout?: NodeJS.WriteStream;
	stderr?: NodeJS.WriteStream;
	env?: Record<string, string | undefined>;
	/** Page 1, already asked for (interactive.ts sends it while this module loads). */
	first?: FirstPage;
};

/**
 * Frames are throttled to this rate. A key press after a quiet moment is drawn at once (leading
 * edge); the limit only merges bursts (key repeat, a page arriving mid-keystroke).
 */
export const maxFps = 60;

/**
 * How long the first frame waits for page 1 when it is already on its way: a frame that shows the
 * exports a moment later is better than a "Loading" frame at once and a full redraw after it.
 */
export const firstPageWaitMs = 120;

/** 128 + the signal's number, as a shell reports a process the signal ended. */
const signalCodes = {SIGINT: 130, SIGQUIT: 131, SIGTERM: 143, SIGHUP: 129} as const;

/**
 * Draws the last frame again, whole, on 'redraw' (after a suspend the screen is blank, and Ink
 * would only draw the lines that changed). Ink's stdout write does exactly that: it erases its
 * output, writes, and draws the last frame again from scratch.
 */
function Redraw({on, children}: {on: EventEmitter; children: ReactNode}) {
	const {write} = useStdout();
	useEffect(() => {
		const redraw = () => {
			write('');
		};

		on.on('redraw', redraw);
		return () => {
			on.off('redraw', redraw);
		};
	}, [on, write]);
	return children;
}

async function settledWithin(promise: Promise<unknown>, ms: number): Promise<void> {
	let timer: NodeJS.Timeout | undefined;
	await Promise.race([
		promise.then(
			() => {},
			() => {},
		),
		new Promise<void>(resolve => {
			timer = setTimeout(resolve, ms);
		}),
	]);
	clearTimeout(timer);
}

/** The error a write raises once the terminal has gone away (the SSH link dropped, tmux closed). */
function isTerminalGoneError(error: unknown): boolean {
	const code = (error as {code?: unknown} | undefined)?.code;
	return code === 'EIO' || code === 'EPIPE' || code === 'ENXIO' || code === 'EBADF';
}

export async function runTui(options: RunTuiOptions): Promise<number> {
	if (options.first !== undefined && options.first.outcome === undefined) {
		await settledWithin(options.first.promise, firstPageWaitMs);
	}

	const stdin = options.stdin ?? process.stdin;
	// On a terminal that does not take UTF-8 the program's own symbols are written in ASCII.
	const stdout = terminalOutput(options.stdout ?? process.stdout, utf8Terminal(options.env ?? process.env));
	const stderr = options.stderr ?? process.stderr;
	const env = options.env ?? process.env;
	const session = createTerminalSession(stdout);
	// Read once, here: the benchmark compares paging with and without the prefetch.
	const prefetch = env['CL_EXPORTS_NO_PREFETCH'] !== '1';

	let settle: (code: number) => void = () => {};

	const settled = new Promise<number>(resolve => {
		settle = resolve;
	});

	// Keys that share a read with typed text (a fast Enter after the last letter) are split apart;
	// pastes and Ctrl-Z come out as events of their own.
	const keyInput = new KeyInput(stdin);
	const keys = keyInput as unknown as NodeJS.ReadStream;
	const redraw = new EventEmitter();

	function setRawMode(mode: boolean): void {
		try {
			stdin.setRawMode?.(mode);
		} catch {
			// The terminal is gone: the hang-up ends the session.
		}
	}

	// Raw mode before the first frame: Ink turns it on only in an effect after that frame is drawn,
	// and a key pressed in between (an Enter as soon as the rows show) would be echoed by the
	// terminal, scrolling the screen, and arrive as a newline instead of Enter.
	setRawMode(true);
	session.enter();
	const instance = render(
		<Redraw on={redraw}>
			<App client={options.client} config={options.config} source={options.source} demo={Boolean(options.demo)} prefetch={prefetch} first={options.first} />
		</Redraw>,
		{stdin: keys, stdout, stderr, exitOnCtrlC: false, patchConsole: false, incrementalRendering: true, maxFps},
	);

	let finishing = false;
	// Set once the terminal is known to be gone (SIGHUP, EIO): nothing may be written to it then,
	// or every failed write raises another error and the process spins instead of exiting.
	let terminalGone = false;

	function finish(code: number, message?: string): void {
		if (finishing) {
			return;
		}

		finishing = true;
		if (terminalGone) {
			session.forget();
		}

		try {
			instance.unmount();
		} catch {
			// Already unmounted, or the crash was in Ink itself.
		}

		session.leave();
		setRawMode(false);
		if (message !== undefined && !terminalGone) {
			try {
				stderr.write(`cl-exports: ${message}\n`);
			} catch {
				// Nowhere left to report it.
			}
		}

		settle(code);
	}

	const onInt = () => {
		finish(signalCodes.SIGINT);
	};

	const onQuit = () => {
		finish(signalCodes.SIGQUIT);
	};

	const onTerm = () => {
		finish(signalCodes.SIGTERM);
	};

	// `fg` (or any SIGCONT, after a stop from outside too): take the terminal back and redraw it
	// all. Raw mode is set again through a mode change, as the shell may have reset it while it
	// had the terminal. (In the background, that stops the process again, until `fg`.)
	function resume(): void {
		if (finishing || terminalGone) {
			return;
		}

		setRawMode(false);
		setRawMode(true);
		session.resume();
		redraw.emit('redraw');
	}

	// Set while the SIGCONT that ends our own stop is still to come: the stop was already undone.
	let ownStop = false;

	// Ctrl-Z (raw mode makes it a key, see key-input.ts) or SIGTSTP: the terminal as the shell
	// wants it, then a real stop. The stop signal is raised with its default action (no listener),
	// so the process stops where a job-control shell expects it to; the kernel discards it when no
	// shell could continue the process, and the session simply goes on. `process.kill` returns
	// once the process runs again, so the terminal is taken back right there.
	const onStop = () => {
		if (finishing || terminalGone) {
			return;
		}

		session.leave();
		setRawMode(false);
		process.off('SIGTSTP', onStop);
		ownStop = true;
		try {
			process.kill(process.pid, 'SIGTSTP');
		} finally {
			process.on('SIGTSTP', onStop);
		}

		resume();
	};

	const onContinue = () => {
		if (ownStop) {
			ownStop = false;
			return;
		}

		resume();
	};

	const onHup = () => {
		finish(signalCodes.SIGHUP);
	};

	const onCrash = (error: unknown) => {
		if (isTerminalGoneError(error)) {
			terminalGone = true;
			finish(signalCodes.SIGHUP);
			return;
		}

		finish(1, describeError(error));
	};

	// Writes to a closed terminal fail asynchronously with EIO (or EPIPE); without a listener they
	// would become uncaught exceptions.
	const onStreamError = (error: unknown) => {
		onCrash(isTerminalGoneError(error) ? error : Object.assign(new Error('terminal write failed'), {code: 'EIO'}));
	};

	// Last resort: whatever ends the process, do not leave the user in the alternate screen.
	const onExit = () => {
		session.leave();
	};

	stdout.on('error', onStreamError);
	stderr.on('error', onStreamError);
	keyInput.on('suspend', onStop);
	process.on('SIGINT', onInt);
	process.on('SIGQUIT', onQuit);
	process.on('SIGTSTP', onStop);
	process.on('SIGCONT', onContinue);
	process.on('SIGTERM', onTerm);
	process.on('SIGHUP', onHup);
	process.on('uncaughtException', onCrash);
	process.on('unhandledRejection', onCrash);
	process.on('exit', onExit);

	instance.waitUntilExit().then(
		() => {
			finish(0);
		},
		(error: unknown) => {
			// A render error: Ink has drawn its error overview in the alternate screen, which goes away.
			finish(1, describeError(error));
		},
	);

	try {
		return await settled;
	} finally {
		// The stream listeners stay: a write that fails after this point must not crash the exit.
		keyInput.off('suspend', onStop);
		process.off('SIGINT', onInt);
		process.off('SIGQUIT', onQuit);
		process.off('SIGTSTP', onStop);
		process.off('SIGCONT', onContinue);
		process.off('SIGTERM', onTerm);
		process.off('SIGHUP', onHup);
		process.off('uncaughtException', onCrash);
		process.off('unhandledRejection', onCrash);
		process.off('exit', onExit);
	}
}
