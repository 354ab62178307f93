// `npm run bench`: what a user of cl-exports feels, measured on the built dist/cli.js in a real
// pseudo-terminal at 80x24 against the demo API started here (so requests can be counted and
// latency added), beside reference points taken in the same run. Prints one table and writes
// bench/results.json. Each figure carries its budget (`budget` below); the table says pass or miss.
//
//   node bench/run.js [--runs N] [--only startup,keys,next-page,memory,idle,watch,detail] [--out FILE]
//                     [--node-args "--cpu-prof --cpu-prof-dir=DIR"] [--cli OTHER/cli.js]   (diagnosis)
import {execFileSync} from 'node:child_process';
import {cpSync, existsSync, readdirSync, rmSync, writeFileSync} from 'node:fs';
import {cpus, loadavg} from 'node:os';
import {dirname, join} from 'node:path';
import {parseArgs} from 'node:util';
import {startDemoServer, type DemoRequest, type DemoServer} from '../source/demo/server.js';
import {judge, median, p95, summary, table, type Figure} from './report.js';
import {describeRequest, fetchCatalog, isCountRequest, isListRequest, isSelected, screenPages, showsPage, showsScreen, tableIds, type Catalog} from './screen.js';
import {keys, killEverything, killEverythingOnExit, Session, sleep, timeToExit, type SpawnOptions} from './session.js';

declare const __BENCH_ROOT__: string;

const root = __BENCH_ROOT__;
const hz = clockTicks();
const node = process.execPath;
const phases = ['startup', 'keys', 'next-page', 'memory', 'idle', 'watch', 'detail'] as const;
type Phase = (typeof phases)[number];

const {values: flags} = parseArgs({
	options: {
		runs: {type: 'string', default: '5'},
		only: {type: 'string'},
		out: {type: 'string', default: join(root, 'bench', 'results.json')},
		'node-args': {type: 'string'},
		// Diagnosis only: another build of the CLI to measure (an A/B of a fix), default dist/cli.js.
		cli: {type: 'string'},
	},
	strict: true,
});
const runs = Math.max(1, Number.parseInt(flags.runs ?? '5', 10) || 5);
const only = new Set((flags.only ?? phases.join(',')).split(',').map(name => name.trim()));
for (const name of only) {
	if (!(phases as readonly string[]).includes(name)) {
		process.stderr.write(`bench: unknown phase "${name}" (phases: ${phases.join(', ')})\n`);
		process.exit(2);
	}
}

const outFile = flags.out ?? join(root, 'bench', 'results.json');
const cacheDir = join(root, 'node_modules', '.cache', 'cl-exports-bench');
// The build is copied aside first, so a rebuild of dist/ during the run (another terminal, a test's
// global setup) cannot swap chunks under a running measurement.
const snapshotDir = join(cacheDir, 'dist');
const sourceCli = flags.cli ?? join(root, 'dist', 'cli.js');
const cliPath = join(snapshotDir, 'cli.js');
/** Bundled by bench/run.js beside the benchmark itself. */
const helloPath = join(cacheDir, 'ink-hello', 'ink-hello.mjs');
const nodeArgs = (flags['node-args'] ?? '').split(' ').filter(arg => arg !== '');

/** Filters typed in the key-latency sessions: most prefixes invalid, then most prefixes valid. */
const typedFilters = ['status:completed', 'ref~summer sales'] as const;
const keyDelayMs = 40;
const downPresses = 30;
const cachedPageChanges = 4;
const nextPagePresses = 3;
const memoryPages = 100;
const idleSeconds = 10;
const watchSeconds = 5;
/** The metadata value the detail phase gives an export: 1 MB. */
const hugeValueBytes = 1_000_000;
const detailScrolls = 10;

// --- children ---------------------------------------------------------------------------------

/**
 * Not passed to a child. CI is removed rather than set to "false": Ink (is-in-ci) reads "false" as
 * interactive, but chalk (supports-color) turns colour off whenever CI is set at all, and the bytes a
 * user's terminal receives include the colours. NO_COLOR/FORCE_COLOR would change them too. Every
 * NODE_* variable goes as well (a user's terminal has none): NODE_EXTRA_CA_CERTS alone makes every
 * Node start read and parse a CA bundle (about 50 ms on the development machine), NODE_OPTIONS can
 * add flags, NODE_COMPILE_CACHE a cache.
 */
const dropped = new Set(['XDG_CONFIG_HOME', 'XDG_CACHE_HOME', 'CI', 'CONTINUOUS_INTEGRATION', 'NO_COLOR', 'FORCE_COLOR', 'COLORTERM']);

/** The environment of every child, the floor's as well as the app's: no Node settings, no CI, no cl-exports settings. */
function childEnv(extra: Record<string, string> = {}): Record<string, string> {
	const env: Record<string, string> = {};
	for (const [name, value] of Object.entries(process.env)) {
		if (value === undefined || dropped.has(name) || name.startsWith('CL_') || name.startsWith('NODE_')) {
			continue;
		}

		env[name] = value;
	}

	// An empty config home: a saved login of the official cl CLI must not change the connection.
	env['XDG_CONFIG_HOME'] = join(cacheDir, 'config-home');
	// The code cache is written beside the copied bundle; this is where it would go otherwise.
	env['XDG_CACHE_HOME'] = join(cacheDir, 'cache-home');
	return {...env, TERM: 'xterm-256color', ...extra};
}

/** Removes the code cache of the interactive script, wherever it was written: the next start is a first start. */
function removeCodeCache(): void {
	for (const directory of [snapshotDir, join(cacheDir, 'cache-home', 'cl-exports')]) {
		if (!existsSync(directory)) {
			continue;
		}

		for (const name of readdirSync(directory)) {
			if (name.endsWith('.v8cache')) {
				rmSync(join(directory, name), {force: true});
			}
		}
	}
}

function cliSpawn(server: DemoServer, extraArgs: string[] = [], extraEnv: Record<string, string> = {}, recordFrames = false): SpawnOptions {
	return {
		file: node,
		args: [...nodeArgs, cliPath, '--base-url', server.url, ...extraArgs],
		env: childEnv({CL_ACCESS_TOKEN: server.token, ...extraEnv}),
		cwd: root,
		recordFrames,
	};
}

killEverythingOnExit(signal => `\nbench: ${signal}, stopping the programs under test\n`);

/** Runs `body` with a session and always stops it (SIGTERM, then SIGKILL). */
async function withSession<T>(options: SpawnOptions, body: (session: Session) => Promise<T>): Promise<T> {
	const session = new Session(options);
	try {
		return await body(session);
	} finally {
		await session.stop();
	}
}

/** Waits until the requests the demo API has answered satisfy `test`. */
async function waitForRequests(server: DemoServer, test: (requests: DemoRequest[]) => boolean, timeoutMs: number): Promise<boolean> {
	const deadline = performance.now() + timeoutMs;
	while (performance.now() < deadline) {
		if (test(server.requests)) {
			return true;
		}

		await sleep(5);
	}

	return false;
}

/** A list request for page `page` of the unfiltered default query. */
const pageRequest = (page: number) => (request: DemoRequest) =>
	isListRequest(request) && !isCountRequest(request) && request.query['page[number]'] === String(page) && !Object.keys(request.query).some(name => name.startsWith('filter'));

function firstExportShown(catalog: Catalog): (lines: string[]) => boolean {
	const first = catalog.pages[0]?.[0] ?? '(no exports)';
	return lines => lines.some(line => line.includes(first));
}

async function typeText(session: Session, text: string, delayMs: number): Promise<void> {
	const start = performance.now();
	let index = 0;
	for (const char of text) {
		// On a fixed schedule, so timer drift does not slow the typist down.
		const wait = start + index * delayMs - performance.now();
		if (wait > 0) {
			await sleep(wait);
		}

		session.write(char);
		index++;
	}
}

function validPrefixes(text: string, check: (prefix: string) => boolean): number {
	let count = 0;
	for (let length = 1; length <= text.length; length++) {
		if (check(text.slice(0, length))) {
			count++;
		}
	}

	return count;
}

function clockTicks(): number {
	try {
		return Number(execFileSync('getconf', ['CLK_TCK'], {encoding: 'utf8'}).trim()) || 100;
	} catch {
		return 100;
	}
}

// --- the demo API -------------------------------------------------------------------------------

type Api = {server: DemoServer; catalog: Catalog};

const servers = new Set<DemoServer>();

/** A demo API whose clock stands still: no export progresses, so nothing changes between refreshes. */
async function startApi(options: {count?: number; latencyMs?: number} = {}): Promise<Api> {
	const anchor = Date.now();
	const server = await startDemoServer({count: options.count ?? 300, latencyMs: options.latencyMs ?? 0, rateLimit: false, now: () => anchor, seed: 1});
	servers.add(server);
	const catalog = await fetchCatalog(server);
	server.clearRequests();
	return {server, catalog};
}

async function stopApi(api: Api): Promise<void> {
	servers.delete(api.server);
	await api.server.close();
}

// --- phases -------------------------------------------------------------------------------------

const figures: Figure[] = [];
const problems: string[] = [];

function progress(text: string): void {
	process.stderr.write(`bench: ${text}\n`);
}

async function startupPhase(api: Api): Promise<void> {
	const count = runs;
	progress(`start-up: ${count} runs each of node -e 0, an Ink hello-world, cl-exports to the first data frame (with and without the code cache), cl-exports --version`);
	const shown = firstExportShown(api.catalog);
	const plain = (args: string[]): SpawnOptions => ({file: node, args, env: childEnv({CL_ACCESS_TOKEN: api.server.token}), cwd: root});
	const floor: number[] = [];
	const hello: number[] = [];
	const data: number[] = [];
	const firstFrame: number[] = [];
	const cpuToData: number[] = [];
	const coldData: number[] = [];
	const version: number[] = [];
	const cli = async () =>
		withSession(cliSpawn(api.server), async session => {
			const hit = await session.waitFor(shown, 'the first export of page 1 on screen', 15_000);
			const cpu = (session.cpuTicks() * 1000) / hz;
			return {data: hit.at - session.startedAt, firstFrame: (session.firstFrameAt ?? hit.at) - session.startedAt, cpu};
		});
	const versionRun = async () => {
		const result = await timeToExit(plain([cliPath, '--version']));
		if (result.exit.exitCode !== 0) {
			throw new Error(`cl-exports --version exited with ${result.exit.exitCode}: ${result.output.trim()}`);
		}

		return result.ms;
	};

	const helloRun = async () =>
		withSession(plain([helloPath]), async session => {
			const hit = await session.waitFor(lines => lines.some(line => line.includes('hello from ink')), 'the Ink hello-world frame', 15_000);
			return hit.at - session.startedAt;
		});
	const steps = [
		async () => {
			floor.push((await timeToExit(plain(['-e', '0']))).ms);
		},
		async () => {
			hello.push(await helloRun());
		},
		async () => {
			const result = await cli();
			data.push(result.data);
			firstFrame.push(result.firstFrame);
			cpuToData.push(result.cpu);
		},
		async () => {
			version.push(await versionRun());
		},
		async () => {
			// The first start after an install or a build: no code cache yet (this start writes it).
			removeCodeCache();
			coldData.push((await cli()).data);
		},
	];
	// Warm the file cache and the API once; not counted.
	await timeToExit(plain(['-e', '0']));
	await helloRun();
	await cli();
	for (let run = 0; run < count; run++) {
		// Rotate the order, so no side always runs right after another.
		for (let step = 0; step < steps.length; step++) {
			await steps[(run + step) % steps.length]!();
		}
	}

	figures.push(
		{id: 'startup.floor', label: '1 node -e 0 (the floor)', unit: 'ms', ...summary(floor)},
		{id: 'startup.ink_hello', label: '1 Ink hello-world, first frame', unit: 'ms', ...summary(hello)},
		{
			id: 'startup.ink_hello_ratio',
			label: '1 Ink hello-world / node -e 0',
			unit: 'x',
			median: median(hello) / median(floor),
			p95: p95(hello) / p95(floor),
			count,
			note: 'the smallest Ink program bundled like dist/cli.js (bench/ink-hello.ts): what Ink alone costs before a first frame',
		},
		{id: 'startup.first_frame', label: '1 start-up: first frame (any)', unit: 'ms', ...summary(firstFrame)},
		{id: 'startup.data', label: '1 start-up: first page-1 data frame', unit: 'ms', ...summary(data)},
		{
			id: 'startup.ratio',
			label: '1 start-up / node -e 0',
			unit: 'x',
			median: median(data) / median(floor),
			p95: p95(data) / p95(floor),
			count,
			budget: {max: 3.5, text: '≤ 3.5x'},
			note: 'median(first data frame) / median(node -e 0 to exit), both spawned in the same pseudo-terminal way; the p95 column is p95 / p95',
		},
		{id: 'startup.cold_data', label: '1 first start (no code cache): data frame', unit: 'ms', ...summary(coldData)},
		{
			id: 'startup.cold_ratio',
			label: '1 first start / node -e 0',
			unit: 'x',
			median: median(coldData) / median(floor),
			p95: p95(coldData) / p95(floor),
			count,
			budget: {max: 4.5, text: '≤ 4.5x'},
			note: 'the first start after an install or a build, before the V8 code cache of the interactive script exists (removed before each of these runs)',
		},
		{
			id: 'startup.cpu',
			label: '1 start-up: CPU time to the data frame',
			unit: 'ms',
			...summary(cpuToData),
			note: 'user+system time of the cl-exports process when page 1 is on screen (/proc/<pid>/stat): what the start-up costs whatever else the machine is doing',
		},
		{id: 'startup.version', label: '1 dist/cli.js --version', unit: 'ms', ...summary(version)},
		{id: 'startup.version_ratio', label: '1 --version / node -e 0', unit: 'x', median: median(version) / median(floor), p95: p95(version) / p95(floor), count},
	);
}

type KeySample = {ms: number; bytes: number; frames: number};

async function keysPhase(api: Api, parses: (text: string) => boolean): Promise<void> {
	progress(`keys: ${runs} sessions (${downPresses} Down presses, 10 screenfuls forward and back, ${cachedPageChanges} cached screenful changes, ${typedFilters.length} typed filters)`);
	const {server, catalog} = api;
	const page1 = catalog.pages[0] ?? [];
	const downs: Array<KeySample & {row: number}> = [];
	const pageChanges: Array<KeySample & {direction: 'forward' | 'back'; page: number}> = [];
	const cached: KeySample[] = [];
	const downCpu: number[] = [];
	const paging: Array<{listRequests: number; countRequests: number; requests: string[]}> = [];
	const typed = new Map<string, Array<{listRequests: number; countRequests: number; requests: string[]; lastKeyToResultsMs: number}>>();
	for (const text of typedFilters) {
		typed.set(text, []);
	}

	let visibleRows = 0;
	for (let run = 0; run < runs; run++) {
		await withSession(cliSpawn(server), async session => {
			await session.waitFor(showsPage(1, catalog), 'page 1', 15_000);
			visibleRows = tableIds(session.lines(), catalog).length;
			if (!(await waitForRequests(server, requests => requests.some(pageRequest(2)), 5000))) {
				progress(`keys: run ${run + 1}: page 2 was not prefetched`);
			}

			await session.quiet(200);

			// Down, 30 times, each waited for; back to the first row with `g` at the page's end.
			const ticks = session.cpuTicks();
			let presses = 0;
			let row = 0;
			for (let measured = 0; measured < downPresses; ) {
				if (row === page1.length - 1) {
					await session.press('g', isSelected(page1[0]!, catalog), 'the first row selected');
					presses++;
					row = 0;
					continue;
				}

				row++;
				const sample = await session.press(keys.down, isSelected(page1[row]!, catalog), `row ${row + 1} selected`);
				downs.push({...sample, row});
				measured++;
				presses++;
			}

			downCpu.push(((session.cpuTicks() - ticks) * 1000) / hz / presses);

			// Ten screenfuls forward (PgDn) and back (PgUp), counting list requests (page 2 is
			// already prefetched): 154 exports, the first 7 pages of 25.
			const before = server.requests.length;
			for (let page = 2; page <= 11; page++) {
				const sample = await session.press(keys.pageDown, showsScreen(page, catalog), `screenful ${page}`);
				pageChanges.push({...sample, direction: 'forward', page});
			}

			for (let page = 10; page >= 1; page--) {
				const sample = await session.press(keys.pageUp, showsScreen(page, catalog), `screenful ${page}`);
				pageChanges.push({...sample, direction: 'back', page});
				cached.push(sample);
			}

			await session.quiet(300);
			await sleep(200);
			const sent = server.requests.slice(before).filter(request => isListRequest(request));
			const lists = sent.filter(request => !isCountRequest(request));
			paging.push({listRequests: lists.length, countRequests: sent.length - lists.length, requests: lists.map(request => describeRequest(request))});

			// Forward then back, several times: the back is served from the cache.
			for (let change = 0; change < cachedPageChanges; change++) {
				const forward = await session.press(keys.pageDown, showsScreen(2, catalog), 'screenful 2', {quietMs: 150});
				pageChanges.push({...forward, direction: 'forward', page: 2});
				const back = await session.press(keys.pageUp, showsScreen(1, catalog), 'screenful 1 again');
				pageChanges.push({...back, direction: 'back', page: 1});
				cached.push(back);
			}

			// Filters typed at 40 ms per key, without Enter: the list requests they cause.
			for (const text of typedFilters) {
				await session.quiet(300);
				const mark = server.requests.length;
				await session.press('/', lines => lines.some(line => line.includes('⏎ keep')), 'the filter prompt');
				await typeText(session, text, keyDelayMs);
				const lastKeyAt = performance.now();
				const applied = await session.waitFor(
					lines => lines.some(line => line.includes(`filter /${text}`)) && (tableIds(lines, catalog).length > 0 || lines.some(line => line.includes('No exports match'))),
					`the filter "${text}" applied`,
					10_000,
				);
				// Past the debounce and any late answer.
				await sleep(400);
				await session.quiet(200);
				const sent = server.requests.slice(mark).filter(request => isListRequest(request));
				typed.get(text)!.push({
					listRequests: sent.filter(request => !isCountRequest(request)).length,
					countRequests: sent.filter(request => isCountRequest(request)).length,
					requests: sent.map(request => describeRequest(request)),
					lastKeyToResultsMs: applied.at - lastKeyAt,
				});
				await session.press(keys.enter, lines => !lines.some(line => line.includes('⏎ keep')), 'the prompt closed');
				await session.press(keys.escape, lines => lines.some(line => line.includes('filter none')), 'the filter cleared');
			}
		});
	}

	const inWindow = downs.filter(sample => sample.row < visibleRows);
	const scrolling = downs.filter(sample => sample.row >= visibleRows);
	figures.push(
		{id: 'keys.down_ms', label: '2 Down → frame', unit: 'ms', ...summary(downs.map(sample => sample.ms)), budget: {max: 35, text: '≤ 35 ms'}, detail: downs},
		{
			id: 'keys.down_cpu',
			label: '2 CPU time per Down',
			unit: 'ms',
			...summary(downCpu),
			note: 'user+system time of the cl-exports process per key over the 30 Downs of a session: the latency floor on an idle machine',
		},
		{id: 'keys.cached_page_ms', label: '2 screenful from cache → frame', unit: 'ms', ...summary(cached.map(sample => sample.ms)), budget: {max: 50, text: '≤ 50 ms'}},
		{
			id: 'bytes.down',
			label: '4 bytes per Down',
			unit: 'B',
			...summary(downs.map(sample => sample.bytes)),
			budget: {max: 600, text: '≤ 600 B'},
			note: `${visibleRows} rows fit; a Down inside them: ${median(inWindow.map(sample => sample.bytes))} B median, a Down that scrolls the table: ${median(scrolling.map(sample => sample.bytes))} B median (${scrolling.length} of ${downs.length} presses)`,
		},
		{id: 'bytes.page', label: '4 bytes per screenful (PgDn/PgUp)', unit: 'B', ...summary(pageChanges.map(sample => sample.bytes)), budget: {max: 2500, text: '≤ 2,500 B'}, detail: pageChanges},
		{id: 'frames.down', label: '4 frames per Down', unit: '', ...summary(downs.map(sample => sample.frames))},
		{id: 'frames.page', label: '4 frames per screenful', unit: '', ...summary(pageChanges.map(sample => sample.frames))},
	);
	for (const text of typedFilters) {
		const samples = typed.get(text)!;
		figures.push({
			id: `requests.filter.${text}`,
			label: `5 list requests typing "${text}"`,
			unit: '',
			...summary(samples.map(sample => sample.listRequests)),
			budget: {max: 3, text: '≤ 3'},
			note: `${validPrefixes(text, parses)} of ${text.length} prefixes parse; requests seen: ${[...new Set(samples.flatMap(sample => sample.requests))].join(' | ')}; last key → results ${median(samples.map(sample => sample.lastKeyToResultsMs)).toFixed(0)} ms median; count requests (page[size]=1): ${median(samples.map(sample => sample.countRequests))} median`,
			detail: samples,
		});
	}

	figures.push({
		id: 'requests.paging',
		label: '5 list requests, 10 screenfuls forward + back',
		unit: '',
		...summary(paging.map(sample => sample.listRequests)),
		note: `first run: ${paging[0]?.requests.join(', ') ?? ''}; count requests (page[size]=1): ${median(paging.map(sample => sample.countRequests))} median`,
		detail: paging,
	});
}

async function nextPagePhase(api: Api): Promise<void> {
	progress(`screenful into a new page at 50 ms latency: ${runs} sessions with prefetch and ${runs} without, ${nextPagePresses} new pages each`);
	const {server, catalog} = api;
	const results: Record<'prefetch' | 'none', number[]> = {prefetch: [], none: []};
	const unexpected = new Set<string>();
	for (let run = 0; run < runs; run++) {
		const order: Array<'prefetch' | 'none'> = run % 2 === 0 ? ['prefetch', 'none'] : ['none', 'prefetch'];
		for (const mode of order) {
			const env: Record<string, string> = mode === 'none' ? {CL_EXPORTS_NO_PREFETCH: '1'} : {};
			const from = server.requests.length;
			let screens = 1;
			await withSession(cliSpawn(server, [], env), async session => {
				await session.waitFor(showsPage(1, catalog), 'page 1', 15_000);
				const fetched = new Set(screenPages(1, catalog));
				for (let measured = 0; measured < nextPagePresses; ) {
					const screen = ++screens;
					// Only the screenfuls that reach into a page no earlier screenful showed are measured:
					// the others are served from the cache in both modes.
					const fresh = screenPages(screen, catalog).filter(page => !fetched.has(page));
					// The same reading time in both modes; with prefetch, long enough for it to land.
					await session.quiet(100);
					if (mode === 'prefetch' && fresh.length > 0 && !(await waitForRequests(server, requests => fresh.every(page => requests.slice(from).some(pageRequest(page))), 3000))) {
						unexpected.add(`prefetch mode: a page was not prefetched within 3 s`);
					}

					await sleep(mode === 'prefetch' ? 150 : 250);
					const sample = await session.press(keys.pageDown, showsScreen(screen, catalog), `screenful ${screen}`, {quietMs: 30});
					if (fresh.length > 0) {
						results[mode].push(sample.ms);
						measured++;
					}

					for (const page of fresh) {
						fetched.add(page);
					}
				}
			});
			const pages = server.requests.slice(from).filter(request => isListRequest(request) && !isCountRequest(request)).length;
			const needed = new Set(Array.from({length: screens}, (_, index) => screenPages(index + 1, catalog)).flat()).size;
			if (mode === 'none' && pages > needed) {
				unexpected.add(`no-prefetch mode sent ${pages} list requests for ${needed} pages: the switch did not stop the prefetch`);
			}
		}
	}

	figures.push(
		{id: 'next_page.prefetch_ms', label: '3 screenful into a new page @50 ms, prefetch', unit: 'ms', ...summary(results.prefetch)},
		{id: 'next_page.none_ms', label: '3 screenful into a new page @50 ms, no prefetch', unit: 'ms', ...summary(results.none)},
		{
			id: 'next_page.ratio',
			label: '3 prefetch / no prefetch',
			unit: 'x',
			median: median(results.prefetch) / median(results.none),
			p95: p95(results.prefetch) / p95(results.none),
			count: results.prefetch.length,
			budget: {max: 0.5, text: '≤ 0.5x'},
			note: ['the switch: CL_EXPORTS_NO_PREFETCH=1 (read in source/ui/tui.tsx)', ...unexpected].join('; '),
		},
	);
}

async function memoryPhase(): Promise<void> {
	progress(`memory: ${runs} sessions in parallel paging (PgDn) through all ${memoryPages} pages of a 2,500-export organization`);
	const api = await startApi({count: memoryPages * 25});
	try {
		const {server, catalog} = api;
		if (catalog.pages.length < memoryPages) {
			throw new Error(`the demo organization has ${catalog.pages.length} pages, not ${memoryPages}`);
		}

		const results = await Promise.all(
			Array.from({length: runs}, async () =>
				withSession(cliSpawn(server), async session => {
					const started = performance.now();
					await session.waitFor(showsPage(1, catalog), 'page 1', 30_000);
					const atStart = session.memory();
					const screens = Math.ceil((memoryPages * 25) / 14);
					for (let screen = 2; screen <= screens; screen++) {
						// The client paces itself to the test organization's rate limit (100 reads a minute).
						await session.press(keys.pageDown, showsScreen(screen, catalog), `screenful ${screen}`, {quietMs: 5, timeoutMs: 90_000});
					}

					await session.quiet(300);
					return {...session.memory(), firstFrameRssKb: atStart.rssKb, seconds: (performance.now() - started) / 1000};
				}),
			),
		);
		figures.push({
			id: 'memory.peak_rss',
			label: `6 peak RSS after ${memoryPages} pages`,
			unit: 'MB',
			...summary(results.map(result => result.hwmKb / 1024)),
			budget: {max: 120, text: '≤ 120 MB'},
			note: `RSS at the first frame ${median(results.map(result => result.firstFrameRssKb / 1024)).toFixed(1)} MB, after the walk ${median(results.map(result => result.rssKb / 1024)).toFixed(1)} MB; the walk took ${median(results.map(result => result.seconds)).toFixed(0)} s (the client paces itself to the rate limit) with ${(server.requests.filter(request => isListRequest(request) && !isCountRequest(request)).length / runs).toFixed(0)} list and ${(server.requests.filter(request => isCountRequest(request)).length / runs).toFixed(0)} count requests per session`,
			detail: results,
		});
	} finally {
		await stopApi(api);
	}
}

type IdleRun = {sessions: Session[]; ticks: number[]; bytes: number[]; started: number};

/** Starts the idle sessions and waits until they are quiet; `finishIdle` reads their CPU time. */
async function startIdle(api: Api): Promise<IdleRun> {
	progress(`idle: ${runs} sessions, ${idleSeconds} s each, watch off (in the background of the next phase)`);
	const sessions = Array.from({length: runs}, () => new Session(cliSpawn(api.server, [], {}, true)));
	try {
		await Promise.all(
			sessions.map(async session => {
				await session.waitFor(showsPage(1, api.catalog), 'page 1', 30_000);
				await session.quiet(1500, 20_000);
			}),
		);
	} catch (error) {
		await Promise.all(sessions.map(async session => session.stop()));
		throw error;
	}

	return {sessions, ticks: sessions.map(session => session.cpuTicks()), bytes: sessions.map(session => session.bytes), started: performance.now()};
}

async function finishIdle(run: IdleRun): Promise<void> {
	try {
		const wait = run.started + idleSeconds * 1000 - performance.now();
		if (wait > 0) {
			await sleep(wait);
		}

		const seconds = (performance.now() - run.started) / 1000;
		const results = run.sessions.map((session, index) => {
			const written = session.bytes - run.bytes[index]!;
			// What was drawn while nothing should change (the rows that differ), to say why.
			const frames = session.frames.filter(frame => frame.at >= run.started);
			return {cpuPercent: ((session.cpuTicks() - run.ticks[index]!) / hz / seconds) * 100, bytes: written, frames: frames.length, lastFrame: frames.at(-1)?.lines};
		});
		const drawn = results.filter(result => result.bytes > 0);
		figures.push({
			id: 'idle.cpu_watch_off',
			label: `7 idle CPU, watch off (${idleSeconds} s)`,
			unit: '%',
			...summary(results.map(result => result.cpuPercent)),
			budget: {max: 1, strict: true, text: '< 1 %'},
			note: `bytes written while idle: ${results.map(result => result.bytes).join(', ')}${drawn.length > 0 ? ` (${drawn.map(result => result.frames).join(', ')} frames; see detail in results.json)` : ''}; /proc/<pid>/stat at ${hz} ticks/s`,
			detail: results,
		});
	} finally {
		await Promise.all(run.sessions.map(async session => session.stop()));
	}
}

/** Watch mode exists when `--watch 2` fetches the page again without a key. */
async function watchAvailable(): Promise<{ok: true} | {ok: false; reason: string}> {
	const api = await startApi();
	try {
		return await withSession(cliSpawn(api.server, ['--watch', '2']), async session => {
			await Promise.race([session.waitFor(showsPage(1, api.catalog), 'page 1', 15_000), session.exited]);
			if (session.exit !== undefined) {
				return {ok: false, reason: `--watch 2 exited with ${session.exit.exitCode}: ${session.screen().trim().split('\n')[0] ?? ''}`};
			}

			const refreshed = await waitForRequests(api.server, requests => requests.filter(pageRequest(1)).length >= 2, 4500);
			return refreshed ? {ok: true} : {ok: false, reason: 'watch mode not built yet (--watch 2 is accepted but page 1 was not fetched again within 4.5 s)'};
		});
	} finally {
		await stopApi(api);
	}
}

/**
 * The detail of an export whose metadata holds a 1 MB value (a hostile or careless server):
 * Enter until the detail is drawn, then J scrolling through it, each waited for.
 */
async function detailPhase(): Promise<void> {
	progress(`detail: ${runs} sessions, Enter on an export with a ${hugeValueBytes / 1_000_000} MB metadata value, then ${detailScrolls} J`);
	const api = await startApi();
	try {
		const id = api.catalog.pages[0]?.[0];
		if (id === undefined) {
			throw new Error('the demo API has no exports');
		}

		const response = await fetch(`${api.server.url}/api/exports/${id}`, {
			method: 'PATCH',
			headers: {authorization: `Bearer ${api.server.token}`, accept: 'application/vnd.api+json', 'content-type': 'application/vnd.api+json'},
			body: JSON.stringify({data: {type: 'exports', id, attributes: {metadata: {note: 'x'.repeat(hugeValueBytes), team: 'ops'}}}}),
		});
		if (!response.ok) {
			throw new Error(`the demo API answered ${response.status} to the metadata PATCH`);
		}

		const opens: number[] = [];
		const scrolls: number[] = [];
		for (let run = 0; run < runs; run++) {
			await withSession(cliSpawn(api.server), async session => {
				await session.waitFor(lines => isSelected(id, api.catalog)(lines), 'page 1, the export selected', 15_000);
				await session.quiet(300);
				const open = await session.press(keys.enter, lines => lines.some(line => line.includes(`export ${id}`)) && lines.some(line => /↓ 1-\d+ of \d+/.test(line)), 'the detail');
				opens.push(open.ms);
				for (let scroll = 1; scroll <= detailScrolls; scroll++) {
					const sample = await session.press('J', lines => lines.some(line => line.includes(`↑↓ ${scroll + 1}-`)), `the detail scrolled ${scroll}`);
					scrolls.push(sample.ms);
				}
			});
		}

		figures.push(
			{
				id: 'detail.open_huge_ms',
				label: '8 Enter → detail with a 1 MB value',
				unit: 'ms',
				...summary(opens),
				budget: {max: 100, text: '≤ 100 ms'},
				note: 'the metadata holds a 1 MB string: the detail lays out its first 64 KB and says how much more there is',
			},
			{id: 'detail.scroll_huge_ms', label: '8 J in that detail → frame', unit: 'ms', ...summary(scrolls), budget: {max: 35, text: '≤ 35 ms'}},
		);
	} finally {
		await stopApi(api);
	}
}

/** Lines that differ between two screens: `clock` when only digits changed, else described. */
function screenChanges(before: string[], after: string[]): {clock: number; other: string[]} {
	let clock = 0;
	const other: string[] = [];
	for (let y = 0; y < Math.max(before.length, after.length); y++) {
		const a = before[y] ?? '';
		const b = after[y] ?? '';
		if (a === b) {
			continue;
		}

		if (a.replaceAll(/\d/g, '#') === b.replaceAll(/\d/g, '#')) {
			clock++;
		} else {
			other.push(`row ${y + 1}: "${a.trim()}" → "${b.trim()}"`);
		}
	}

	return {clock, other};
}

async function watchPhase(): Promise<void> {
	progress('watch: is watch mode there? (--watch 2)');
	const available = await watchAvailable();
	if (!available.ok) {
		progress(`watch: ${available.reason}`);
		figures.push(
			{id: 'bytes.watch_refresh', label: '4 bytes per watch refresh (no change)', unit: 'B', verdict: 'n/a', text: 'n/a', budget: {max: 0, text: 'clock only'}, note: available.reason},
			{id: 'idle.cpu_watch_on', label: `7 idle CPU, watch on (${watchSeconds} s period)`, unit: '%', verdict: 'n/a', text: 'n/a', note: available.reason},
		);
		return;
	}

	progress(`watch: ${runs} sessions in parallel with --watch ${watchSeconds}, two refreshes each, nothing changing`);
	const apis = await Promise.all(Array.from({length: runs}, async () => startApi()));
	try {
		const results = await Promise.all(
			apis.map(async api =>
				withSession(cliSpawn(api.server, ['--watch', String(watchSeconds)], {}, true), async session => {
					await session.waitFor(showsPage(1, api.catalog), 'page 1', 30_000);
					// From the end of the first refresh on: what loads once after the first frame
					// (counts, lazy parts) is not a refresh.
					if (!(await waitForRequests(api.server, requests => requests.filter(pageRequest(1)).length >= 2, (watchSeconds + 5) * 1000))) {
						throw new Error(`--watch ${watchSeconds} did not fetch page 1 again within ${watchSeconds + 5} s`);
					}

					await session.quiet(700, 15_000);
					const ticks = session.cpuTicks();
					const bytes = session.bytes;
					const frames = session.frames.length;
					const requests = api.server.requests.length;
					const before = session.lines();
					const started = performance.now();
					// Exactly two refresh cycles: from just after one refresh to just after the second next.
					const refreshed = api.server.requests.filter(pageRequest(1)).length;
					if (!(await waitForRequests(api.server, all => all.filter(pageRequest(1)).length >= refreshed + 2, (2 * watchSeconds + 5) * 1000))) {
						throw new Error(`--watch ${watchSeconds} did not refresh twice within ${2 * watchSeconds + 5} s`);
					}

					await session.quiet(300, 5000);
					const seconds = (performance.now() - started) / 1000;
					const cpuPercent = ((session.cpuTicks() - ticks) / hz / seconds) * 100;
					const sent = api.server.requests.slice(requests);
					let previous = before;
					let clockLines = 0;
					const other: string[] = [];
					for (const frame of session.frames.slice(frames)) {
						const change = screenChanges(previous, frame.lines);
						clockLines += change.clock;
						other.push(...change.other);
						previous = frame.lines;
					}

					return {
						cpuPercent,
						bytes: session.bytes - bytes,
						frames: session.frames.length - frames,
						refreshes: sent.filter(pageRequest(1)).length,
						requests: sent.length,
						clockLines,
						other,
					};
				}),
			),
		);
		const perRefresh = results.filter(result => result.refreshes > 0).map(result => result.bytes / result.refreshes);
		const other = results.flatMap(result => result.other);
		figures.push(
			{
				id: 'bytes.watch_refresh',
				label: '4 bytes per watch refresh (no change)',
				unit: 'B',
				...summary(perRefresh),
				budget: {max: Number.POSITIVE_INFINITY, text: 'clock only'},
				verdict: perRefresh.length === 0 ? 'error' : other.length === 0 ? 'pass' : 'miss',
				note: `over two refresh cycles (median): ${median(results.map(result => result.frames))} frames, ${median(results.map(result => result.refreshes))} page refreshes, ${median(results.map(result => result.requests))} requests; ${other.length === 0 ? 'only digits changed on screen' : `other changes: ${[...new Set(other)].slice(0, 5).join('; ')}`}`,
				detail: results,
			},
			{id: 'idle.cpu_watch_on', label: `7 idle CPU, watch on (${watchSeconds} s period)`, unit: '%', ...summary(results.map(result => result.cpuPercent)), note: 'over the same two refresh cycles, nothing changing'},
		);
	} finally {
		await Promise.all(apis.map(async api => stopApi(api)));
	}
}

// --- main ---------------------------------------------------------------------------------------

async function main(): Promise<number> {
	if (!existsSync(sourceCli)) {
		process.stderr.write(`bench: ${sourceCli} is missing; run \`node scripts/build.js\` first (npm run bench does)\n`);
		return 2;
	}

	rmSync(snapshotDir, {recursive: true, force: true});
	cpSync(dirname(sourceCli), snapshotDir, {recursive: true});

	const started = performance.now();
	const loadBefore = loadavg();
	progress(`${cpus().length} CPUs, load average ${loadBefore.map(value => value.toFixed(2)).join(' ')}; ${runs} runs per figure`);
	if (loadBefore[0]! > cpus().length) {
		progress('warning: the machine is busy (load average above the CPU count): timings will be noisy');
	}

	const {parseFilter} = await import('../source/filter/parse.js');
	const parses = (text: string) => parseFilter(text).ok;
	const fast = await startApi();
	const slow = await startApi({latencyMs: 50});
	const guard = async (phase: Phase, ids: Array<[string, string, string]>, run: () => Promise<void>) => {
		const phaseStart = performance.now();
		try {
			await run();
		} catch (error) {
			const message = error instanceof Error ? error.message : String(error);
			problems.push(`${phase}: ${message}`);
			process.stderr.write(`bench: ${phase} failed: ${message}\n`);
			for (const [id, label, unit] of ids) {
				figures.push({id, label, unit, verdict: 'error', text: 'error (see stderr)', note: message.split('\n')[0]});
			}
		}

		progress(`${phase} took ${((performance.now() - phaseStart) / 1000).toFixed(1)} s`);
	};

	const idleIds: Array<[string, string, string]> = [['idle.cpu_watch_off', '7 idle CPU, watch off', '%']];
	try {
		// Timings one program at a time.
		if (only.has('startup')) {
			await guard('startup', [['startup.ratio', '1 start-up / node -e 0', 'x']], async () => startupPhase(fast));
		}

		if (only.has('keys')) {
			await guard(
				'keys',
				[
					['keys.down_ms', '2 Down → frame', 'ms'],
					['keys.cached_page_ms', '2 page change from cache → frame', 'ms'],
					['bytes.down', '4 bytes per Down', 'B'],
					['bytes.page', '4 bytes per page change', 'B'],
					['requests.filter', '5 list requests typing a filter', ''],
				],
				async () => keysPhase(fast, parses),
			);
		}

		// The idle sessions sit (quiet, using no CPU) behind the next-page timings; CPU time is
		// counted per process, so they measure the same as alone and save their 10 s.
		let idle: IdleRun | undefined;
		if (only.has('idle')) {
			await guard('idle', idleIds, async () => {
				idle = await startIdle(fast);
			});
		}

		if (only.has('next-page')) {
			await guard('next-page', [['next_page.ratio', '3 prefetch / no prefetch', 'x']], async () => nextPagePhase(slow));
		}

		if (idle !== undefined) {
			const run = idle;
			await guard('idle', idleIds, async () => finishIdle(run));
		}

		if (only.has('detail')) {
			await guard('detail', [['detail.open_huge_ms', '8 Enter → detail with a 1 MB value', 'ms']], detailPhase);
		}

		// The memory walk mostly waits on the client's rate limiter: beside it, the watch sessions.
		await Promise.all([
			only.has('memory') ? guard('memory', [['memory.peak_rss', '6 peak RSS', 'MB']], memoryPhase) : undefined,
			only.has('watch') ? guard('watch', [['bytes.watch_refresh', '4 bytes per watch refresh', 'B']], watchPhase) : undefined,
		]);
	} finally {
		killEverything();
		await Promise.all([...servers].map(async server => server.close()));
	}

	const seconds = (performance.now() - started) / 1000;
	const section = (figure: Figure) => Number(/^\d/.exec(figure.label)?.[0] ?? 9);
	const judged = figures.map(figure => judge(figure)).sort((a, b) => section(a) - section(b));
	const loadAfter = loadavg();
	process.stdout.write(
		`\ncl-exports benchmark: 80x24 pseudo-terminal, ${runs} runs, ${seconds.toFixed(0)} s, load ${loadBefore[0]!.toFixed(2)} → ${loadAfter[0]!.toFixed(2)} on ${cpus().length} CPUs\n\n`,
	);
	process.stdout.write(`${table(judged)}\n`);
	const notes = judged.filter(figure => figure.note !== undefined);
	if (notes.length > 0) {
		process.stdout.write(`\n${notes.map(figure => `${figure.label}: ${figure.note}`).join('\n')}\n`);
	}

	const results = {
		date: new Date().toISOString(),
		node: process.version,
		cpus: cpus().length,
		cpuModel: cpus()[0]?.model,
		loadAverage: {before: loadBefore, after: loadAfter},
		runs,
		terminal: {cols: 80, rows: 24},
		seconds,
		figures: judged,
		problems,
	};
	writeFileSync(outFile, `${JSON.stringify(results, (_key, value: unknown) => (typeof value === 'number' && !Number.isFinite(value) ? null : value), '\t')}\n`);
	process.stdout.write(`\nwrote ${outFile}\n`);
	return judged.some(figure => figure.verdict === 'miss' || figure.verdict === 'error') ? 1 : 0;
}

process.exitCode = await main();
