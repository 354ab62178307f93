// The non-interactive path (--json, or the plain table when standard output is not a terminal),
// bundled apart as dist/batch.cjs and compiled with V8's code cache by cli.tsx, like the
// interactive one.
import process from 'node:process';
import type {Config} from './config.js';
import {connect} from './connection/connect.js';
import {runOutput} from './output/run.js';

export type BatchOptions = {
	/** Called with the connection's secrets (tokens, client secrets) as soon as they are known. */
	remember(secrets: readonly string[]): void;
	/** Everything never to print (cli.tsx's list: the environment's and the connection's secrets). */
	secrets(): string[];
};

export async function runBatch(config: Config, options: BatchOptions): Promise<number> {
	const connected = await connect(config);
	options.remember(connected.secrets);
	const controller = new AbortController();
	const interrupt = () => controller.abort();
	process.once('SIGINT', interrupt);
	process.once('SIGTERM', interrupt);
	try {
		return await runOutput({
			config,
			client: connected.client,
			stdout: process.stdout,
			stderr: process.stderr,
			format: config.json ? 'json' : 'plain',
			secrets: options.secrets(),
			signal: controller.signal,
		});
	} finally {
		process.off('SIGINT', interrupt);
		process.off('SIGTERM', interrupt);
		options.remember(connected.secrets);
		await connected.close();
	}
}
