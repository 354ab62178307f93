#!/usr/bin/env node
// The entry: configuration -> connection -> NDJSON (--json), a plain table (not a terminal, or
// TERM=dumb) or the interactive view. This file is the only code a start compiles from source (dist/cli.js, a small
// CommonJS file: no ES module loader to start). What comes after the configuration is one of two
// scripts compiled with V8's code cache (code-cache.ts): dist/interactive.cjs (interactive.ts) or
// dist/batch.cjs (batch.ts); the demo server alone is dist/demo-server.js. So --help and usage
// errors are instant and the first frame comes sooner.
import {readFileSync} from 'node:fs';
import {join} from 'node:path';
import process from 'node:process';
import type {runBatch} from './batch.js';
import {loadCachedScript} from './code-cache.js';
import {parseConfig} from './config.js';
import type {runInteractive} from './interactive.js';

/** A hash of each script's content, written in by the build (scripts/build.js): the code cache's key. */
declare const __CL_EXPORTS_SCRIPT_HASHES__: Record<string, string> | undefined;
const scriptHashes = typeof __CL_EXPORTS_SCRIPT_HASHES__ === 'object' ? __CL_EXPORTS_SCRIPT_HASHES__ : {};

/** The global WebAssembly (the Node types declare its types, not the object). */
const wasm = (globalThis as unknown as {WebAssembly: {compile(bytes: Uint8Array): Promise<unknown>}}).WebAssembly;

async function compileYoga(): Promise<unknown> {
	try {
		return await wasm.compile(readFileSync(join(__dirname, 'yoga.wasm')));
	} catch {
		return undefined;
	}
}

/** One of the scripts beside this file, compiled with the code cache. */
function loadScript(name: string) {
	return loadCachedScript(join(__dirname, name), undefined, scriptHashes[name]);
}

const debug = process.env['CL_EXPORTS_DEBUG'] === '1';
// Never printed, whatever goes wrong: the environment's secrets, and later the connection's.
const secrets = new Set(
	['CL_ACCESS_TOKEN', 'CL_CLIENT_SECRET', 'CL_CLI_ACCESS_TOKEN']
		.map(name => process.env[name]?.trim())
		.filter((value): value is string => Boolean(value && value.length >= 4)),
);

function redact(text: string): string {
	let result = text;
	for (const secret of secrets) {
		result = result.split(secret).join('[redacted]');
	}

	return result;
}

function printError(message: string): void {
	process.stderr.write(`cl-exports: ${redact(message)}\n`);
}

/** One line for something unexpected; never a stack trace unless CL_EXPORTS_DEBUG=1. */
function describeUnexpected(error: unknown): string {
	if (error instanceof Error) {
		const first = error.message.split('\n').find(line => line.trim() !== '')?.trim();
		return first ?? error.name;
	}

	return typeof error === 'string' && error.trim() !== '' ? error.trim().split('\n')[0]! : 'unexpected error';
}

async function main(argv: string[]): Promise<number | undefined> {
	if (argv[0] === '--demo-server') {
		// `npm run demo-server`: the demo API alone, until interrupted (it sets the exit code).
		// dist/ is CommonJS: the demo server is a script of its own, loaded only here.
		// eslint-disable-next-line @typescript-eslint/no-require-imports
		require(join(__dirname, 'demo-server.js'));
		return undefined;
	}

	// TERM=dumb says the terminal cannot move the cursor or switch screens (an editor's shell buffer,
	// some CI consoles): it gets the plain table, as a pipe does.
	const dumb = (process.env['TERM'] ?? '').trim().toLowerCase() === 'dumb';
	const interactive = Boolean(process.stdout.isTTY && process.stdin.isTTY) && !dumb;
	const result = parseConfig(argv, process.env, {interactive});
	switch (result.kind) {
		case 'error': {
			printError(result.message);
			return 2;
		}

		case 'help':
		case 'version': {
			process.stdout.write(`${result.text}\n`);
			return 0;
		}

		case 'run': {
			break;
		}
	}

	const {config} = result;
	const remember = (values: readonly string[]) => {
		for (const secret of values) {
			if (secret.length >= 4) {
				secrets.add(secret);
			}
		}
	};

	if (interactive && !config.json) {
		// V8 compiles yoga's WebAssembly on its background threads while this thread loads the
		// script. Should that fail, the view compiles it again, and reports the error.
		const yoga = compileYoga();
		const script = loadScript('interactive.cjs');
		const run = (script.exports as {runInteractive: typeof runInteractive}).runInteractive;
		try {
			return await run(config, {remember, yoga, onFirstFrame: () => script.save()});
		} finally {
			// A session that ends before the timer (a quick `q`, SIGTERM) still leaves a cache.
			script.save();
		}
	}

	const script = loadScript('batch.cjs');
	const run = (script.exports as {runBatch: typeof runBatch}).runBatch;
	try {
		return await run(config, {remember, secrets: () => [...secrets]});
	} finally {
		script.save();
	}
}

main(process.argv.slice(2)).then(
	code => {
		if (code !== undefined) {
			process.exitCode = code;
			// Everything is closed by now; should a stray handle keep the loop alive, still exit.
			setTimeout(() => process.exit(code), 2000).unref();
		}
	},
	(error: unknown) => {
		printError(describeUnexpected(error));
		if (debug && error instanceof Error && error.stack) {
			process.stderr.write(`${redact(error.stack)}\n`);
		}

		process.exitCode = 1;
		setTimeout(() => process.exit(1), 2000).unref();
	},
);
