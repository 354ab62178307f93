// `npm run bench:faults`: what dist/cli.js asks of an API that misbehaves, counted where the API
// counts (the demo API's arrival times), in an 80x24 pseudo-terminal. All scenarios run side by
// side, each against its own demo API with the test organization's rate limit (25 reads per 10 s):
//
// - `--watch 2` for 2 minutes, healthy, in a 503 storm, with 30 % of the reads answered 429, and
//   with the token endpoint answering 500 (the fault starts once the first screen is up; the token
//   scenario's tokens last 15 s, so the client has to go back to the token endpoint): the busiest
//   10 s and 60 s windows of /api reads (and token requests), against 60 % of 25 and of 100;
// - `--json --all` over 3,000 exports (120 pages, 30 ms latency): the busiest windows, against 25
//   and 100 themselves;
// - recovery: a 503 storm (or connection resets) in which the user presses `r` and sees it fail;
//   3 s into the fault the API comes back and the user presses `r` again: the time from that key
//   to fresh data on screen (the error gone, the refresh clock moved).
//
//   node bench/run.js faults [--runs N] [--seconds S] [--only watch,json,recovery] [--out FILE]
import {spawn} from 'node:child_process';
import {cpSync, existsSync, rmSync, writeFileSync} from 'node:fs';
import {dirname, join} from 'node:path';
import {parseArgs} from 'node:util';
import {startDemoServer, type DemoFaultModes, type DemoRequest, type DemoServer} from '../source/demo/server.js';
import {maxInWindow} from '../test/helpers/fake-clock.js';
import {killEverything, killEverythingOnExit, Session, sleep, type SpawnOptions} from './session.js';

declare const __BENCH_ROOT__: string;

const root = __BENCH_ROOT__;
const {values: flags} = parseArgs({
	options: {
		runs: {type: 'string', default: '3'},
		seconds: {type: 'string', default: '120'},
		only: {type: 'string', default: 'watch,json,recovery'},
		out: {type: 'string', default: join(root, 'bench', 'faults-results.json')},
		cli: {type: 'string'},
	},
	strict: true,
});
const runs = Math.max(1, Number.parseInt(flags.runs ?? '3', 10) || 3);
const watchMs = Math.max(10, Number.parseInt(flags.seconds ?? '120', 10) || 120) * 1000;
const only = new Set((flags.only ?? '').split(',').map(name => name.trim()));
const outFile = flags.out ?? join(root, 'bench', 'faults-results.json');
const cacheDir = join(root, 'node_modules', '.cache', 'cl-exports-bench');
const snapshotDir = join(cacheDir, 'dist-faults');
const sourceCli = flags.cli ?? join(root, 'dist', 'cli.js');
const cliPath = join(snapshotDir, 'cli.js');

/** Test organization limits, and the share watch mode promises to stay within. */
const limits = {per10s: 25, perMinute: 100};
const watchShare = 0.6;

const dropped = new Set(['NODE_EXTRA_CA_CERTS', 'NODE_OPTIONS', 'XDG_CONFIG_HOME', 'CI', 'CONTINUOUS_INTEGRATION', 'NO_COLOR', 'FORCE_COLOR', 'COLORTERM']);

function childEnv(extra: Record<string, string>): Record<string, string> {
	const env: Record<string, string> = {};
	for (const [name, value] of Object.entries(process.env)) {
		if (value !== undefined && !dropped.has(name) && !name.startsWith('CL_')) {
			env[name] = value;
		}
	}

	env['XDG_CONFIG_HOME'] = join(cacheDir, 'config-home');
	return {...env, TERM: 'xterm-256color', ...extra};
}

/** The CLI on a demo API, logging in with the client credentials (so tokens expire and are renewed). */
function cliSpawn(server: DemoServer, args: string[]): SpawnOptions {
	return {
		file: process.execPath,
		args: [cliPath, '--base-url', server.url, ...args],
		env: childEnv({CL_CLIENT_ID: server.clientId, CL_CLIENT_SECRET: server.clientSecret}),
		cwd: root,
	};
}

const isApi = (request: DemoRequest) => request.path === '/api' || request.path.startsWith('/api/');
const isToken = (request: DemoRequest) => request.path === '/oauth/token';

function progress(text: string): void {
	process.stderr.write(`bench:faults: ${text}\n`);
}

const servers = new Set<DemoServer>();

async function demo(options: Parameters<typeof startDemoServer>[0] = {}): Promise<DemoServer> {
	const server = await startDemoServer({seed: 1, ...options});
	servers.add(server);
	return server;
}

type WatchResult = {
	scenario: string;
	api: {total: number; per10s: number; perMinute: number; statuses: Record<string, number>};
	token: {total: number; per10s: number; perMinute: number};
	within: boolean;
};

/** The first screen: rows and the page position are up. */
const firstScreen = (lines: string[]) => lines.some(line => / 1-\d+ of \d+ /.test(line)) && lines.some(line => line.startsWith('│'));

async function watchScenario(scenario: string, faults: DemoFaultModes, tokenTtlSeconds?: number): Promise<WatchResult> {
	const server = await demo(tokenTtlSeconds === undefined ? {} : {tokenTtlSeconds});
	const session = new Session(cliSpawn(server, ['--watch', '2']));
	try {
		await session.waitFor(firstScreen, 'the first screen', 20_000);
		await sleep(3000);
		server.setFaults(faults);
		const from = Date.now();
		await sleep(watchMs);
		const to = Date.now();
		const window = server.requests.filter(request => request.at >= from && request.at <= to);
		const api = window.filter(request => isApi(request));
		const token = window.filter(request => isToken(request));
		const statuses: Record<string, number> = {};
		for (const request of api) {
			statuses[request.status] = (statuses[request.status] ?? 0) + 1;
		}

		const result: WatchResult = {
			scenario,
			api: {total: api.length, per10s: maxInWindow(api.map(request => request.at), 10_000), perMinute: maxInWindow(api.map(request => request.at), 60_000), statuses},
			token: {total: token.length, per10s: maxInWindow(token.map(request => request.at), 10_000), perMinute: maxInWindow(token.map(request => request.at), 60_000)},
			within: false,
		};
		result.within = result.api.per10s <= limits.per10s * watchShare && result.api.perMinute <= limits.perMinute * watchShare;
		progress(`${scenario}: ${result.api.per10s} per 10 s, ${result.api.perMinute} per 60 s, token ${result.token.perMinute} per 60 s`);
		return result;
	} finally {
		await session.stop();
	}
}

type JsonResult = {pages: number; seconds: number; per10s: number; perMinute: number; refused: number; exitCode: number | null};

async function jsonAll(): Promise<JsonResult> {
	const server = await demo({count: 3000, latencyMs: 30});
	const started = performance.now();
	const child = spawn(process.execPath, [cliPath, '--base-url', server.url, '--json', '--all'], {
		cwd: root,
		env: childEnv({CL_ACCESS_TOKEN: server.token}),
		stdio: ['ignore', 'ignore', 'pipe'],
	});
	let stderr = '';
	child.stderr.on('data', (chunk: Buffer) => {
		stderr += chunk.toString();
	});
	const exitCode = await new Promise<number | null>(resolve => {
		child.on('exit', code => {
			resolve(code);
		});
	});
	if (exitCode !== 0) {
		progress(`--json --all exited with ${exitCode}: ${stderr.trim().split('\n')[0] ?? ''}`);
	}

	const reads = server.requests.filter(request => isApi(request));
	const times = reads.map(request => request.at);
	const result = {
		pages: reads.filter(request => request.status === 200).length,
		seconds: (performance.now() - started) / 1000,
		per10s: maxInWindow(times, 10_000),
		perMinute: maxInWindow(times, 60_000),
		refused: reads.filter(request => request.status === 429).length,
		exitCode,
	};
	progress(`--json --all: ${result.per10s} per 10 s, ${result.perMinute} per 60 s, ${result.refused} refused`);
	return result;
}

/** `refreshed 12:34:56` on the header's first line. */
function refreshedClock(lines: string[]): string | undefined {
	return /refreshed (\d\d:\d\d:\d\d)/.exec(lines[0] ?? '')?.[1];
}

/** The footer's error line (`✖ title: detail`); the failed status in the table and the counts has ✖ too, not at the start. */
function errorLine(line: string): boolean {
	return line.startsWith('✖ ');
}

/** How long the fault lasts in the recovery runs. */
const stormMs = 3000;

type RecoveryResult = {scenario: string; samples: number[]; sent: number[]};

async function recovery(scenario: string, storm: DemoFaultModes['storm'], args: string[]): Promise<RecoveryResult> {
	const samples: number[] = [];
	const sent: number[] = [];
	for (let run = 0; run < runs; run++) {
		const server = await demo();
		const session = new Session(cliSpawn(server, args));
		try {
			await session.waitFor(lines => firstScreen(lines) && refreshedClock(lines) !== undefined, 'the first screen', 20_000);
			// The counts too, so nothing from the first screen is still on its way.
			await session.waitFor(lines => lines.some(line => /\d pending/.test(line)), 'the status counts', 20_000);
			await sleep(1200);
			const before = refreshedClock(session.lines());
			server.setFaults({storm});
			const stormFrom = Date.now();
			// The user presses r and sees it fail; a few seconds into the fault the API comes back.
			session.write('r');
			await session.waitFor(lines => lines.some(line => errorLine(line)), 'the error line', 20_000, true);
			await sleep(Math.max(0, stormFrom + stormMs - Date.now()));
			server.setFaults({});
			const cleared = Date.now();
			sent.push(server.requests.filter(request => isApi(request) && request.at >= stormFrom && request.at < cleared).length);
			const pressed = performance.now();
			session.write('r');
			const hit = await session.waitFor(
				lines => !lines.some(line => errorLine(line)) && refreshedClock(lines) !== undefined && refreshedClock(lines) !== before,
				'fresh data',
				60_000,
				true,
			);
			samples.push(Math.round(hit.at - pressed));
		} finally {
			await session.stop();
			servers.delete(server);
			await server.close();
		}
	}

	progress(`${scenario}: ${samples.join(', ')} ms`);
	return {scenario, samples, sent};
}

killEverythingOnExit();

async function main(): Promise<number> {
	if (!existsSync(sourceCli)) {
		process.stderr.write(`bench:faults: ${sourceCli} is missing; run \`node scripts/build.js\` first\n`);
		return 2;
	}

	rmSync(snapshotDir, {recursive: true, force: true});
	cpSync(dirname(sourceCli), snapshotDir, {recursive: true});
	progress(`watch scenarios for ${watchMs / 1000} s each, --json --all, ${runs} recovery runs each; all side by side`);
	const started = performance.now();
	let watch: WatchResult[];
	let json: JsonResult | undefined;
	let recovered: RecoveryResult[];
	try {
		[watch, json, recovered] = await Promise.all([
			only.has('watch')
				? Promise.all([
					watchScenario('healthy', {}),
					watchScenario('503 storm', {storm: 503}),
					watchScenario('30 % 429s', {rateLimitedShare: 0.3}),
					watchScenario('token endpoint 500', {tokenStatus: 500}, 15),
				])
				: [],
			only.has('json') ? jsonAll() : undefined,
			only.has('recovery')
				? Promise.all([
					recovery('503 storm', 503, []),
					recovery('connection resets', 'reset', []),
					recovery('503 storm, --watch 2', 503, ['--watch', '2']),
				])
				: [],
		]);
	} finally {
		killEverything();
		await Promise.all([...servers].map(async server => server.close()));
	}

	const lines: string[] = [];
	lines.push(`--watch 2 for ${watchMs / 1000} s (fault on from the start of the count), busiest windows at the API:`);
	lines.push('scenario              /api per 10 s   /api per 60 s   token per 60 s   within 60 %   statuses');
	for (const result of watch) {
		const statuses = Object.entries(result.api.statuses)
			.map(([status, count]) => `${status === '0' ? 'reset' : status}×${count}`)
			.join(' ');
		lines.push(
			`${result.scenario.padEnd(20)}  ${`${result.api.per10s} / ${limits.per10s * watchShare}`.padStart(13)}   ${`${result.api.perMinute} / ${limits.perMinute * watchShare}`.padStart(13)}   ${String(result.token.perMinute).padStart(14)}   ${(result.within ? 'yes' : 'NO').padStart(11)}   ${statuses}`,
		);
	}

	if (json !== undefined) {
		lines.push('');
		lines.push(
			`--json --all, 3,000 exports: ${json.per10s} per 10 s (limit ${limits.per10s}), ${json.perMinute} per 60 s (limit ${limits.perMinute}), ${json.refused} answered 429, ${json.seconds.toFixed(0)} s, exit ${json.exitCode}`,
		);
	}

	lines.push('');
	lines.push(`fault cleared + r → fresh data on screen (after an r that failed in a ${stormMs / 1000} s fault):`);
	for (const result of recovered) {
		const sorted = [...result.samples].sort((a, b) => a - b);
		lines.push(`${result.scenario.padEnd(24)} median ${sorted[Math.floor(sorted.length / 2)]} ms, max ${sorted.at(-1)} ms (runs: ${result.samples.join(', ')} ms; requests sent in the fault: ${result.sent.join(', ')})`);
	}

	process.stdout.write(`\n${lines.join('\n')}\n`);
	writeFileSync(outFile, `${JSON.stringify({date: new Date().toISOString(), node: process.version, seconds: (performance.now() - started) / 1000, watch, json, recovery: recovered}, undefined, '\t')}\n`);
	process.stdout.write(`\nwrote ${outFile}\n`);
	return 0;
}

process.exitCode = await main();
