// `npm run demo-server`: the demo API on its own, for trying cl-exports (or any Commerce Layer
// client) against it. Prints where it listens and how to connect, then serves until Ctrl-C or
// SIGTERM. The token and the demo credentials are printed on purpose: they only open this server.
import {parseArgs} from 'node:util';
import {startDemoServer, type DemoServerOptions} from './server.js';

export type RunIo = {
	stdout: {write(text: string): unknown};
	stderr: {write(text: string): unknown};
	/** Stops the server when aborted (tests); SIGINT and SIGTERM always do. */
	signal?: AbortSignal;
	/** Called once the server listens (tests). */
	onListening?: (url: string) => void;
};

const usage = `Usage: npm run demo-server -- [--port N] [--seed N] [--count N] [--latency MS] [--no-rate-limit]

Runs the cl-exports demo API (a local Commerce Layer look-alike) until Ctrl-C.
  --port N          listen on this port (default: a free one)
  --seed N          data seed (default 1)
  --count N         number of exports (default 300)
  --latency MS      delay added to every /api response
  --no-rate-limit   do not answer 429 after 25 reads in 10 s`;

function whole(name: string, text: string | undefined, min: number, max: number): number | undefined {
	if (text === undefined) return undefined;
	if (!/^\d+$/.test(text) || Number(text) < min || Number(text) > max) {
		throw new Error(`--${name} must be a whole number from ${min} to ${max}, got "${text}"`);
	}

	return Number(text);
}

export async function runDemoServer(argv: string[], io: RunIo): Promise<number> {
	let options: DemoServerOptions;
	try {
		const {values} = parseArgs({
			args: argv,
			strict: true,
			allowPositionals: false,
			options: {
				port: {type: 'string'},
				seed: {type: 'string'},
				count: {type: 'string'},
				latency: {type: 'string'},
				'no-rate-limit': {type: 'boolean'},
				help: {type: 'boolean', short: 'h'},
				// How `node dist/cli.js --demo-server` hands over to this module.
				'demo-server': {type: 'boolean'},
			},
		});
		if (values.help) {
			io.stdout.write(`${usage}\n`);
			return 0;
		}

		options = {
			port: whole('port', values.port, 0, 65_535),
			seed: whole('seed', values.seed, 0, 2 ** 32 - 1),
			count: whole('count', values.count, 0, 100_000),
			latencyMs: whole('latency', values.latency, 0, 60_000),
			...(values['no-rate-limit'] ? {rateLimit: false as const} : {}),
		};
	} catch (error) {
		io.stderr.write(`demo-server: ${error instanceof Error ? error.message : String(error)}\n`);
		return 2;
	}

	let server;
	try {
		server = await startDemoServer(options);
	} catch (error) {
		const code = (error as {code?: string}).code;
		const reason = code === 'EADDRINUSE' ? `port ${options.port ?? 0} is already in use` : error instanceof Error ? error.message : String(error);
		io.stderr.write(`demo-server: cannot start: ${reason}\n`);
		return 1;
	}

	const {url} = server;
	io.stdout.write(
		[
			`cl-exports demo API listening on ${url}`,
			'',
			`  organization   ${server.organization} (test mode, ${server.allExports().length} exports)`,
			`  token URL      ${url}/oauth/token`,
			`  client id      ${server.clientId}`,
			`  client secret  ${server.clientSecret}`,
			`  access token   ${server.token}`,
			'',
			'Browse it with the token:',
			`  CL_ACCESS_TOKEN=${server.token} node dist/cli.js --base-url ${url}`,
			'or with the client credentials (tokens then expire and are renewed):',
			`  CL_CLIENT_ID=${server.clientId} CL_CLIENT_SECRET=${server.clientSecret} node dist/cli.js --base-url ${url}`,
			'',
			'Press Ctrl-C to stop.',
			'',
		].join('\n'),
	);
	io.onListening?.(url);

	await new Promise<void>(resolve => {
		const stop = () => {
			process.off('SIGINT', stop);
			process.off('SIGTERM', stop);
			io.signal?.removeEventListener('abort', stop);
			resolve();
		};

		process.once('SIGINT', stop);
		process.once('SIGTERM', stop);
		if (io.signal?.aborted) stop();
		else io.signal?.addEventListener('abort', stop, {once: true});
	});

	io.stdout.write('Stopping the demo API.\n');
	await server.close();
	return 0;
}
