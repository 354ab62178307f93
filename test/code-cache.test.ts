// The V8 code cache of dist/interactive.cjs (source/code-cache.ts): written once, reused, and never
// in the way: a corrupt, stale or unwritable cache only means a normal compile.
import {execFileSync} from 'node:child_process';
import {mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {fileURLToPath, pathToFileURL} from 'node:url';
import {afterEach, beforeEach, describe, expect, test} from 'vitest';
import {cacheDirectories} from '../source/code-cache.js';

const chunks = fileURLToPath(new URL('../dist/chunks', import.meta.url));

type Loaded = {usedCache: string | null; answer: number; requireWorks: boolean};

/**
 * Each load in a fresh process (dist/ is built by the global setup): within one process V8 reuses
 * the script it compiled before and never looks at the cached data, so nothing would be tested.
 */
function load(bundlePath: string, options: {directories?: string[]; save?: boolean} = {}): Loaded {
	const [chunk] = readdirSync(chunks).filter(name => name.startsWith('code-cache-'));
	const script = [
		`const {loadCachedScript} = await import(${JSON.stringify(pathToFileURL(join(chunks, chunk!)).href)});`,
		`const loaded = loadCachedScript(${JSON.stringify(bundlePath)}${options.directories ? `, ${JSON.stringify(options.directories)}` : ''});`,
		'const result = {usedCache: loaded.usedCache ?? null, answer: loaded.exports.answer(), requireWorks: loaded.exports.requireWorks};',
		options.save === false ? '' : 'loaded.save();',
		'process.stdout.write(JSON.stringify(result));',
	].join('\n');
	const output = execFileSync(process.execPath, ['--input-type=module', '--eval', script], {encoding: 'utf8', env: {...process.env, NODE_OPTIONS: ''}});
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
		expect(first).toEqual({usedCache: null, answer: 42, requireWorks: true});
		expect(caches()).toEqual([]);
		load(bundle);
		expect(caches()).toHaveLength(1);
		const path = join(dir, caches()[0]!);
		const written = readFileSync(path);
		expect(load(bundle)).toEqual({usedCache: path, answer: 42, requireWorks: true});
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
			expect(load(bundle)).toEqual({usedCache: null, answer: 42, requireWorks: true});
			expect(caches()).toEqual([name]);
			expect(load(bundle).usedCache).toBe(path);
		}
	});

	test('a changed bundle never gets the old cache, and the stale cache is removed', () => {
		load(bundle);
		const [old] = caches();
		// Same length, different code: V8's own check (the source length) would not see it.
		writeBundle(43);
		expect(load(bundle)).toEqual({usedCache: null, answer: 43, requireWorks: true});
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
		expect(load(bundle, {directories: [join(blocked, 'a'), join(blocked, 'b')]})).toEqual({usedCache: null, answer: 42, requireWorks: true});
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
