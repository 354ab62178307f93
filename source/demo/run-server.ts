// `npm run demo-server`: the demo API on its own, for trying cl-exports (or any Commerce Layer
// client) against it. Prints where it listens and how to connect, then serves until Ctrl-C or
// SIGTERM. The token and the demo credentials are printed on purpose: they only open this server.
import {parseArgs} from 'node:util';
import {startDemoServer, type DemoFaultModes, type DemoServerOptions} from './server.js';

export type RunIo = {
	stdout: {write(text: string): unknown};
	stderr: {write(text: string): unknown};
	/** Stops the server when aborted (tests); SIGINT and SIGTERM always do. */
	signal?: AbortSignal;
	/** Called once the server listens (tests). */
	onListening?: (url: string) => void;
};

const usage = `Usage: npm run demo-server -- [--port N] [--seed N] [--count N] [--latency MS] [--no-rate-limit]
                               [--storm STATUS|reset] [--rate-limited PERCENT] [--token-status STATUS]
                               [--faults-after SECONDS] [--faults-for SECONDS]

Runs the cl-exports demo API (a local Commerce Layer look-alike) until Ctrl-C.
  --port N          listen on this port (default: a free one)
  --seed N          data seed (default 1)
  --count N         number of exports (default 300)
  --latency MS      delay added to every /api response
  --no-rate-limit   do not answer 429 after 25 reads in 10 s
  --storm STATUS    answer every /api request with this 5xx status (or "reset": drop the connection)
  --rate-limited P  answer P percent of /api reads, at random, with 429 and Retry-After: 2
  --token-status S  answer every token request with this status
  --faults-after N  start those faults N seconds after the server (default: at once)
  --faults-for N    clear those faults after N seconds (to watch a client recover)`;

function whole(name: string, text: string | undefined, min: number, max: number): number | undefined {
	if (text === undefined) {
		return undefined;
	}

	if (!/^\d+$/.test(text) || Number(text) < min || Number(text) > max) {
		throw new Error(`--${name} must be a whole number from ${min} to ${max}, got "${text}"`);
	}

	return Number(text);
}

export async function runDemoServer(argv: string[], io: RunIo): Promise<number> {
	let options: DemoServerOptions;
	let faultsFor: number | undefined;
	let faultsAfter: number | undefined;
	const planned: DemoFaultModes = {};
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
				storm: {type: 'string'},
				'rate-limited': {type: 'string'},
				'token-status': {type: 'string'},
				'faults-after': {type: 'string'},
				'faults-for': {type: 'string'},
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
		const faults = planned;
		if (values.storm !== undefined) {
			faults.storm = values.storm === 'reset' ? 'reset' : whole('storm', values.storm, 500, 599);
		}

		const percent = whole('rate-limited', values['rate-limited'], 0, 100);
		if (percent !== undefined) {
			faults.rateLimitedShare = percent / 100;
		}

		const tokenStatus = whole('token-status', values['token-status'], 400, 599);
		if (tokenStatus !== undefined) {
			faults.tokenStatus = tokenStatus;
		}

		faultsFor = whole('faults-for', values['faults-for'], 1, 86_400);
		faultsAfter = whole('faults-after', values['faults-after'], 0, 86_400);
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
	const faults = describeFaults(planned);
	const timers: NodeJS.Timeout[] = [];
	const startFaults = () => {
		server.setFaults(planned);
		io.stdout.write(`Faults on: ${faults}${faultsFor === undefined ? '' : ` (cleared in ${faultsFor} s)`}\n`);
		if (faultsFor !== undefined) {
			timers.push(
				setTimeout(() => {
					server.setFaults({});
					io.stdout.write('Faults cleared: the API answers normally again.\n');
				}, faultsFor * 1000),
			);
		}
	};

	if (faults !== '') {
		if (faultsAfter) {
			io.stdout.write(`Faults in ${faultsAfter} s: ${faults}\n`);
			timers.push(setTimeout(startFaults, faultsAfter * 1000));
		} else {
			startFaults();
		}
	}

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
		if (io.signal?.aborted) {
			stop();
		} else {
			io.signal?.addEventListener('abort', stop, {once: true});
		}
	});

	for (const timer of timers) {
		clearTimeout(timer);
	}

	io.stdout.write('Stopping the demo API.\n');
	await server.close();
	return 0;
}

function describeFaults(modes: DemoFaultModes): string {
	const parts: string[] = [];
	if (modes.storm !== undefined) {
		parts.push(modes.storm === 'reset' ? 'every /api connection reset' : `every /api request answers ${modes.storm}`);
	}

	if (modes.rateLimitedShare) {
		parts.push(`${Math.round(modes.rateLimitedShare * 100)} % of reads answer 429`);
	}

	if (modes.tokenStatus !== undefined) {
		parts.push(`the token endpoint answers ${modes.tokenStatus}`);
	}

	return parts.join(', ');
}
