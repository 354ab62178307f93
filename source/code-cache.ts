// Loads a CommonJS bundle (dist/interactive.cjs) as a classic script compiled with V8's code cache,
// like v8-compile-cache: Node 20 caches no compiled code for ES modules, and compiling Ink, React
// and the view (and the functions the first frame calls, compiled lazily) was a large part of
// start-up. The cache is written once, after the first frame (`save`), so it holds those lazily
// compiled functions too. It lives next to the bundle when that directory is writable, else under
// $XDG_CACHE_HOME/cl-exports (~/.cache/cl-exports). Its name holds a hash of the bundle's content,
// Node's version and the architecture; a missing, stale, corrupt or rejected cache only means a
// normal compile, and the cache is rewritten.
import {createHash} from 'node:crypto';
import {mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync} from 'node:fs';
import {createRequire} from 'node:module';
import {homedir} from 'node:os';
import {basename, dirname, isAbsolute, join} from 'node:path';
import process from 'node:process';
import {Script} from 'node:vm';

export type CachedScript = {
	/** The bundle's `module.exports`. */
	exports: unknown;
	/** Where the cache was read from, if it was used. */
	readonly usedCache: string | undefined;
	/** Writes the cache if none was used (call it once the code worth caching has run). Never throws. */
	save(): void;
};

/** Where a cache may be: next to the bundle, then the user's cache directory. */
export function cacheDirectories(bundle: string, env: Record<string, string | undefined> = process.env): string[] {
	const xdg = env['XDG_CACHE_HOME'];
	const base = xdg !== undefined && isAbsolute(xdg) ? xdg : join(homedir(), '.cache');
	return [dirname(bundle), join(base, 'cl-exports')];
}

function readIfThere(path: string): Buffer | undefined {
	try {
		return readFileSync(path);
	} catch {
		return undefined;
	}
}

/** `directories`: where the cache is looked for, in order, and written to (the first that works). */
export function loadCachedScript(bundle: string, directories: readonly string[] = cacheDirectories(bundle)): CachedScript {
	const bytes = readFileSync(bundle);
	// The bytes are hashed, not the string (hashing a string encodes it again). A cache key, not a
	// signature: SHA-1 is several times faster here than SHA-256.
	const key = createHash('sha1').update(`${process.version} ${process.arch}\0`).update(bytes).digest('hex').slice(0, 16);
	// Node's own CommonJS wrapper, so the bundle sees exports, require and module as usual.
	const wrapped = `(function (exports, require, module, __filename, __dirname) {${bytes.toString('utf8')}\n})`;
	const prefix = `${basename(bundle)}.`;
	const name = `${prefix}${key}.v8cache`;
	let usedCache: string | undefined;
	let script: Script | undefined;
	for (const directory of directories) {
		const cachedData = readIfThere(join(directory, name));
		if (cachedData === undefined) {
			continue;
		}

		// V8 checks the data (version, flags, source length, checksum) and rejects what does not fit.
		const candidate = new Script(wrapped, {filename: bundle, cachedData});
		if (!candidate.cachedDataRejected) {
			script = candidate;
			usedCache = join(directory, name);
			break;
		}
	}

	script ??= new Script(wrapped, {filename: bundle});
	const module = {exports: {} as unknown};
	const run = script.runInThisContext() as (...args: unknown[]) => void;
	run.call(module.exports, module.exports, createRequire(bundle), module, bundle, dirname(bundle));
	let saved = usedCache !== undefined;
	return {
		exports: module.exports,
		usedCache,
		save() {
			if (saved) {
				return;
			}

			saved = true;
			let data: Buffer;
			try {
				data = script.createCachedData();
			} catch {
				return;
			}

			for (const directory of directories) {
				try {
					mkdirSync(directory, {recursive: true});
					// Written aside and renamed, so a concurrent start never reads half a file.
					const temporary = join(directory, `${name}.${process.pid}.tmp`);
					writeFileSync(temporary, data);
					renameSync(temporary, join(directory, name));
					// Caches of other builds or Node versions are of no use any more.
					for (const entry of readdirSync(directory)) {
						if (entry.startsWith(prefix) && entry.endsWith('.v8cache') && entry !== name) {
							rmSync(join(directory, entry), {force: true});
						}
					}

					return;
				} catch {
					// Not writable (a read-only install): try the next place.
				}
			}
		},
	};
}
