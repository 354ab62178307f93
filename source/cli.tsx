#!/usr/bin/env node
// The entry: configuration -> connection -> NDJSON (--json), a plain table (not a terminal, or
// TERM=dumb) or the interactive view. Only the configuration is imported up front: the writers,
// the client and the demo server are loaded on demand (esbuild splits them), and the interactive
// path is one script compiled with V8's code cache (interactive.ts, code-cache.ts), so --help and
// usage errors are instant and the first frame comes sooner.
import process from 'node:process';
import {fileURLToPath} from 'node:url';
import {parseConfig} from './config.js';
import type {runInteractive} from './interactive.js';

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
		// `npm run demo-server`: the demo API alone, until interrupted.
		await import('./demo/main.js');
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
		// The interactive path is one classic script compiled with V8's code cache (code-cache.ts).
		const {loadCachedScript} = await import('./code-cache.js');
		const bundle = loadCachedScript(fileURLToPath(new URL('interactive.cjs', import.meta.url)));
		const run = (bundle.exports as {runInteractive: typeof runInteractive}).runInteractive;
		try {
			return await run(config, {remember, onFirstFrame: () => bundle.save()});
		} finally {
			// A session that ends before the timer (a quick `q`, SIGTERM) still leaves a cache.
			bundle.save();
		}
	}

	const {connect} = await import('./connection/connect.js');
	const connected = await connect(config);
	remember(connected.secrets);
	const controller = new AbortController();
	const interrupt = () => controller.abort();
	process.once('SIGINT', interrupt);
	process.once('SIGTERM', interrupt);
	try {
		const {runOutput} = await import('./output/run.js');
		return await runOutput({
			config,
			client: connected.client,
			stdout: process.stdout,
			stderr: process.stderr,
			format: config.json ? 'json' : 'plain',
			secrets: [...secrets],
			signal: controller.signal,
		});
	} finally {
		process.off('SIGINT', interrupt);
		process.off('SIGTERM', interrupt);
		remember(connected.secrets);
		await connected.close();
	}
}

try {
	const code = await main(process.argv.slice(2));
	if (code !== undefined) {
		process.exitCode = code;
		// Everything is closed by now; should a stray handle keep the loop alive, still exit.
		setTimeout(() => process.exit(code), 2000).unref();
	}
} catch (error) {
	printError(describeUnexpected(error));
	if (debug && error instanceof Error && error.stack) {
		process.stderr.write(`${redact(error.stack)}\n`);
	}

	process.exitCode = 1;
	setTimeout(() => process.exit(1), 2000).unref();
}
