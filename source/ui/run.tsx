// Runs the pager full-screen and resolves with the exit code. The terminal is restored on every
// way out: `q`/Ctrl-C (handled by the app, so this cleanup runs), SIGTERM/SIGHUP, and a crash.
import React from 'react';
import {render} from 'ink';
import type {ExportsClient} from '../api/client.js';
import {describeError} from '../api/errors.js';
import type {FirstPage} from '../state/first-page.js';
import {App, type AppConfig} from './App.js';
import {KeyInput} from './key-input.js';
import {createTerminalSession} from './terminal.js';

export type RunTuiOptions = {
	config: AppConfig;
	client: ExportsClient;
	source: string;
	/** True (or the demo server's handle) when browsing the embedded demo API. */
	demo: unknown;
	stdin?: NodeJS.ReadStream;
	stdout?: NodeJS.WriteStream;
	stderr?: NodeJS.WriteStream;
	env?: Record<string, string | undefined>;
	/** Page 1, already asked for (cli.tsx sends it while this module loads). */
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

const signalCodes = {SIGTERM: 143, SIGHUP: 129} as const;

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
	const stdout = options.stdout ?? process.stdout;
	const stderr = options.stderr ?? process.stderr;
	const env = options.env ?? process.env;
	const session = createTerminalSession(stdout);
	// Read once, here: the benchmark compares paging with and without the prefetch.
	const prefetch = env['CL_EXPORTS_NO_PREFETCH'] !== '1';

	let settle: (code: number) => void = () => {};
	const settled = new Promise<number>(resolve => {
		settle = resolve;
	});

	// Keys that share a read with typed text (a fast Enter after the last letter) are split apart.
	const keys = new KeyInput(stdin) as unknown as NodeJS.ReadStream;

	session.enter();
	const instance = render(
		<App client={options.client} config={options.config} source={options.source} demo={Boolean(options.demo)} prefetch={prefetch} first={options.first} />,
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
		if (message !== undefined && !terminalGone) {
			try {
				stderr.write(`cl-exports: ${message}\n`);
			} catch {
				// Nowhere left to report it.
			}
		}

		settle(code);
	}

	const onTerm = () => {
		finish(signalCodes.SIGTERM);
	};

	// A hang-up usually means the terminal is gone, but not always (`kill -HUP`): the restore is
	// still attempted, and a write that fails from here on is ignored, never reported.
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
		process.off('SIGTERM', onTerm);
		process.off('SIGHUP', onHup);
		process.off('uncaughtException', onCrash);
		process.off('unhandledRejection', onCrash);
		process.off('exit', onExit);
	}
}
