// The package as a user gets it: `npm pack` of the project (dist/ as the global setup built it),
// installed globally into a scratch prefix, then the installed `cl-exports` run: --version, --json
// against the embedded demo, and the interactive view in a pseudo-terminal. Everything dist/ needs
// is bundled into it, so the install adds no other package and runs no install script. The `npx`
// way (`npm exec --package=<tarball>`) is checked too. No network: npm works offline from an empty
// cache, so a dependency that crept back in would fail the install.
import {execFile} from 'node:child_process';
import {existsSync, mkdtempSync, readdirSync, readFileSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {delimiter, dirname, join} from 'node:path';
import {promisify} from 'node:util';
import {afterAll, beforeAll, expect, test} from 'vitest';
import {PtySession, root} from './helpers/pty.js';

const run = promisify(execFile);
const scratch = mkdtempSync(join(tmpdir(), 'cl-exports-package-'));
const prefix = join(scratch, 'prefix');
const home = join(scratch, 'home');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {name: string; version: string};
const sessions: PtySession[] = [];

/**
 * npm and the installed program: the Node running this test first on PATH (the bin's
 * `#!/usr/bin/env node` finds it), a scratch home, no CI and no inherited npm or cl settings.
 */
function env(extra: Record<string, string> = {}): Record<string, string> {
	const clean: Record<string, string> = {};
	for (const [name, value] of Object.entries(process.env)) {
		if (value === undefined || /^(npm_|CL_)/i.test(name) || name === 'CI' || name === 'NODE_OPTIONS') {
			continue;
		}

		clean[name] = value;
	}

	return {...clean, PATH: `${dirname(process.execPath)}${delimiter}${process.env['PATH'] ?? ''}`, HOME: home, XDG_CONFIG_HOME: home, XDG_CACHE_HOME: join(home, '.cache'), ...extra};
}

async function npm(args: string[]): Promise<{stdout: string; stderr: string}> {
	// An empty cache and --offline: nothing can come from a registry.
	const [command, ...rest] = args;
	return run('npm', [command!, '--cache', join(scratch, 'npm-cache'), '--offline', '--no-audit', '--no-fund', '--loglevel', 'warn', ...rest], {cwd: scratch, env: env(), encoding: 'utf8'});
}

type PackResult = {filename: string; size: number; unpackedSize: number; files: Array<{path: string}>};
let packed: PackResult;
let tarball: string;

beforeAll(async () => {
	// --ignore-scripts: `prepack` would rebuild dist/ under the other tests' feet; the global setup
	// has just built it with the same script.
	const {stdout} = await run('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', scratch], {cwd: root, env: env(), encoding: 'utf8'});
	packed = (JSON.parse(stdout) as [PackResult])[0];
	tarball = join(scratch, packed.filename);
}, 60_000);

afterAll(() => {
	for (const session of sessions) {
		session.kill();
	}

	rmSync(scratch, {recursive: true, force: true});
});

test('the tarball holds the program and nothing else, under 2 MB', () => {
	const paths = packed.files.map(file => file.path).sort();
	expect(paths.filter(path => !path.startsWith('dist/'))).toEqual(['package.json', 'readme.md']);
	expect(paths).toContain('dist/cli.js');
	expect(paths).toContain('dist/interactive.cjs');
	// A code cache is per machine and Node version: never shipped.
	expect(paths.filter(path => path.endsWith('.v8cache'))).toEqual([]);
	expect(packed.unpackedSize).toBeLessThan(2 * 1024 * 1024);
});

test('a global install adds no other package and runs no install script; the installed cl-exports works', {timeout: 60_000}, async () => {
	const install = await npm(['install', '--global', '--prefix', prefix, tarball]);
	const output = `${install.stdout}\n${install.stderr}`;
	expect(output).toMatch(/added 1 package\b/);
	expect(output).not.toMatch(/install.?scripts|warn/i);
	const installed = join(prefix, 'lib', 'node_modules', pkg.name);
	expect(existsSync(join(installed, 'node_modules'))).toBe(false);
	expect(readdirSync(join(prefix, 'lib', 'node_modules'))).toEqual([pkg.name]);
	const manifest = JSON.parse(readFileSync(join(installed, 'package.json'), 'utf8')) as Record<string, unknown>;
	expect(manifest['dependencies']).toBeUndefined();
	expect(Object.keys((manifest['scripts'] ?? {}) as object).filter(name => /^(pre|post)?install$|^prepare$/.test(name))).toEqual([]);

	const bin = join(prefix, 'bin', 'cl-exports');
	const version = await run(bin, ['--version'], {env: env(), encoding: 'utf8'});
	expect(version.stdout).toBe(`cl-exports ${pkg.version}\n`);

	const json = await run(bin, ['--demo', '--json'], {env: env(), encoding: 'utf8'});
	const records = json.stdout.trimEnd().split('\n').map(line => JSON.parse(line) as {id: string; type: string; status: string});
	expect(records).toHaveLength(25);
	for (const record of records) {
		expect(record.type).toBe('exports');
		expect(record.id).toMatch(/^\w{10}$/);
	}

	expect(json.stderr).toBe('');

	// The interactive view from the installed copy (its script and V8 code cache included).
	const session = new PtySession({cli: join(installed, 'dist', 'cli.js'), args: ['--demo'], env: {...env(), CI: 'false', NO_COLOR: undefined}});
	sessions.push(session);
	await session.waitForScreen(screen => screen.includes('· 300 exports') && screen.includes(' 1-14 of 300 ') && screen.includes('q quit'), 15_000, 'page 1 of the demo');
	session.write('q');
	expect((await session.exited).exitCode).toBe(0);
});

test('npx-style: `npm exec --package=<tarball> cl-exports` runs the same program', {timeout: 60_000}, async () => {
	const result = await npm(['exec', '--yes', `--package=${tarball}`, '--', 'cl-exports', '--version']);
	expect(result.stdout).toBe(`cl-exports ${pkg.version}\n`);
	expect(result.stderr).not.toMatch(/install.?scripts|warn/i);
	// npm exec installed the package alone into its cache.
	const npx = join(scratch, 'npm-cache', '_npx');
	const installs = readdirSync(npx).map(name => readdirSync(join(npx, name, 'node_modules')).filter(entry => !entry.startsWith('.')));
	expect(installs).toEqual([[pkg.name]]);
});
