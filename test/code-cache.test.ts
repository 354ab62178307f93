// The V8 code cache of the scripts cli.tsx loads (source/code-cache.ts): written once, reused, and
// never in the way: a corrupt, stale or unwritable cache only means a normal compile. One cache per
// Node major version, so switching Node versions does not throw the other's away.
import {execFileSync} from 'node:child_process';
import {mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {build} from 'esbuild';
import {afterAll, afterEach, beforeAll, beforeEach, describe, expect, test} from 'vitest';
import {cacheDirectories} from '../source/code-cache.js';

/** code-cache.ts as dist/cli.js has it: bundled, CommonJS. */
let loader: string;
const loaderDir = mkdtempSync(join(tmpdir(), 'cl-exports-code-cache-loader-'));

beforeAll(async () => {
	loader = join(loaderDir, 'code-cache.cjs');
	await build({entryPoints: [new URL('../source/code-cache.ts', import.meta.url).pathname], bundle: true, platform: 'node', format: 'cjs', outfile: loader, logLevel: 'error'});
});

afterAll(() => {
	rmSync(loaderDir, {recursive: true, force: true});
});

type Loaded = {usedCache: string | null; answer: number; requireWorks: boolean; cryptoLoaded: boolean};

/**
 * Each load in a fresh process: within one process V8 reuses the script it compiled before and
 * never looks at the cached data, so nothing would be tested.
 */
function load(bundlePath: string, options: {directories?: string[]; save?: boolean; contentHash?: string} = {}): Loaded {
	const script = [
		`const {loadCachedScript} = require(${JSON.stringify(loader)});`,
		`const loaded = loadCachedScript(${JSON.stringify(bundlePath)}, ${options.directories ? JSON.stringify(options.directories) : 'undefined'}, ${options.contentHash ? JSON.stringify(options.contentHash) : 'undefined'});`,
		"const result = {usedCache: loaded.usedCache ?? null, answer: loaded.exports.answer(), requireWorks: loaded.exports.requireWorks, cryptoLoaded: process.moduleLoadList.includes('NativeModule crypto')};",
		options.save === false ? '' : 'loaded.save();',
		'process.stdout.write(JSON.stringify(result));',
	].join('\n');
	// A file, not --eval (which loads node:crypto itself); no NODE_OPTIONS or extra CA file either.
	const file = join(loaderDir, 'load.cjs');
	writeFileSync(file, script);
	const output = execFileSync(process.execPath, [file], {encoding: 'utf8', env: {...process.env, NODE_OPTIONS: '', NODE_EXTRA_CA_CERTS: ''}});
	return JSON.parse(output) as Loaded;
}

let dir: string;
let bundle: string;

function writeBundle(answer: number): void {
	// Some functions, so the cache has something to hold; one runs at load, one lazily.
	const lazy = Array.from({length: 50}, (_, i) => `function f${i}(x) { return x * ${i} + ${answer}; }`).join('\n');
	writeFileSync(bundle, `${lazy}\nexports.answer = function () { return f1(${answer}) - ${answer}; };\nexports.requireWorks = typeof require('node:path').join === 'function';\n`);
}

function caches(directory = dir): string[] {
	return readdirSync(directory).filter(name => name.endsWith('.v8cache'));
}

beforeEach(() => {
	dir = mkdtempSync(join(tmpdir(), 'cl-exports-code-cache-'));
	bundle = join(dir, 'bundle.cjs');
	writeBundle(42);
});

afterEach(() => {
	rmSync(dir, {recursive: true, force: true});
});

describe('loadCachedScript', () => {
	test('runs the bundle like CommonJS, writes the cache once, then reuses it', () => {
		const first = load(bundle, {save: false});
		expect(first).toMatchObject({usedCache: null, answer: 42, requireWorks: true});
		expect(caches()).toEqual([]);
		load(bundle);
		expect(caches()).toHaveLength(1);
		const path = join(dir, caches()[0]!);
		const written = readFileSync(path);
		expect(load(bundle)).toMatchObject({usedCache: path, answer: 42, requireWorks: true});
		// A cache that was used is not written again.
		expect(readFileSync(path).equals(written)).toBe(true);
		expect(caches()).toHaveLength(1);
	});

	test('a corrupt cache file is ignored, and replaced', () => {
		load(bundle);
		const [name] = caches();
		const path = join(dir, name!);
		for (const corrupt of ['not a V8 code cache at all', readFileSync(path).subarray(0, 100)]) {
			writeFileSync(path, corrupt);
			expect(load(bundle)).toMatchObject({usedCache: null, answer: 42, requireWorks: true});
			expect(caches()).toEqual([name]);
			expect(load(bundle).usedCache).toBe(path);
		}
	});

	test('a changed bundle never gets the old cache, and the stale cache is removed', () => {
		load(bundle);
		const [old] = caches();
		// Same length, different code: V8's own check (the source length) would not see it.
		writeBundle(43);
		expect(load(bundle)).toMatchObject({usedCache: null, answer: 43, requireWorks: true});
		expect(caches()).toHaveLength(1);
		expect(caches()[0]).not.toBe(old);
	});

	test('falls back to the next directory when the first cannot be written', () => {
		// A regular file where a directory should be: mkdir fails (even for root).
		const blocked = join(dir, 'blocked');
		writeFileSync(blocked, '');
		const fallback = join(dir, 'cache-home', 'cl-exports');
		const directories = [join(blocked, 'sub'), fallback];
		load(bundle, {directories});
		expect(caches(fallback)).toHaveLength(1);
		expect(load(bundle, {directories}).usedCache).toBe(join(fallback, caches(fallback)[0]!));
	});

	test('nothing writable: the bundle still runs, and saving fails silently', () => {
		const blocked = join(dir, 'blocked');
		writeFileSync(blocked, '');
		expect(load(bundle, {directories: [join(blocked, 'a'), join(blocked, 'b')]})).toMatchObject({usedCache: null, answer: 42, requireWorks: true});
	});
});

describe('one cache per Node version', () => {
	const major = process.versions.node.split('.')[0]!;
	const other = major === '22' ? '24' : '22';

	test('the name says the Node major version and the architecture', () => {
		load(bundle);
		expect(caches()).toEqual([expect.stringMatching(new RegExp(`^bundle\\.cjs\\.[\\da-f]{16}\\.node${major}-${process.arch}\\.v8cache$`))]);
	});

	test("another Node version's cache stays; this version's cache of an older build, and a cache named the old way, go", () => {
		const otherNode = `bundle.cjs.0123456789abcdef.node${other}-${process.arch}.v8cache`;
		const olderBuild = `bundle.cjs.0123456789abcdef.node${major}-${process.arch}.v8cache`;
		const oldName = 'bundle.cjs.fedcba9876543210.v8cache';
		const unrelated = 'other.cjs.0123456789abcdef.v8cache';
		for (const name of [otherNode, olderBuild, oldName, unrelated]) {
			writeFileSync(join(dir, name), 'x');
		}

		load(bundle);
		const written = caches().filter(name => ![otherNode, unrelated].includes(name));
		expect(written).toHaveLength(1);
		expect(written[0]).not.toBe(olderBuild);
		expect(caches().sort()).toEqual([otherNode, unrelated, written[0]!].sort());
	});

	test("the build's content hash names the cache, and the bundle is then not hashed at start (node:crypto stays unloaded)", () => {
		const first = load(bundle, {contentHash: 'f'.repeat(40)});
		expect(first.cryptoLoaded).toBe(false);
		expect(caches()).toEqual([`bundle.cjs.${'f'.repeat(16)}.node${major}-${process.arch}.v8cache`]);
		expect(load(bundle, {contentHash: 'f'.repeat(40)}).usedCache).toBe(join(dir, caches()[0]!));
		// Without it, the bytes are hashed here.
		expect(load(bundle).cryptoLoaded).toBe(true);
	});
});

describe('cacheDirectories', () => {
	test('next to the bundle, then $XDG_CACHE_HOME/cl-exports or ~/.cache/cl-exports', () => {
		expect(cacheDirectories('/opt/app/dist/interactive.cjs', {XDG_CACHE_HOME: '/x/cache'})).toEqual(['/opt/app/dist', '/x/cache/cl-exports']);
		const [, home] = cacheDirectories('/opt/app/dist/interactive.cjs', {});
		expect(home).toMatch(/[\\/]\.cache[\\/]cl-exports$/);
		// A relative XDG_CACHE_HOME is invalid by the spec and ignored.
		expect(cacheDirectories('/d/i.cjs', {XDG_CACHE_HOME: 'rel'})[1]).toMatch(/[\\/]\.cache[\\/]cl-exports$/);
	});
});
