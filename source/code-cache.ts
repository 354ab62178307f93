// Loads a CommonJS bundle (dist/interactive.cjs, dist/batch.cjs) as a classic script compiled with
// V8's code cache, like v8-compile-cache: Node 20 caches no compiled code for ES modules, and
// compiling Ink, React and the view (and the functions the first frame calls, compiled lazily) was
// a large part of start-up. The cache is written once, after the first frame (`save`), so it holds
// those lazily compiled functions too. It lives next to the bundle when that directory is writable,
// else under $XDG_CACHE_HOME/cl-exports (~/.cache/cl-exports). Its name holds a hash of the bundle's
// content (computed by the build, or here), and Node's major version and the architecture: one
// cache per Node version in use, so switching between Node 20, 22 and 24 does not throw the other's
// away, and V8 rejects a cache of another release of the same major version (it is then rewritten).
// A missing, stale, corrupt or rejected cache only means a normal compile.
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

/** The cache's name for a bundle's content hash on this Node: `interactive.cjs.<hash>.node24-x64.v8cache`. */
export function cacheName(bundle: string, contentHash: string): string {
	return `${basename(bundle)}.${contentHash.slice(0, 16)}.${runtimeTag()}.v8cache`;
}

function runtimeTag(): string {
	return `node${process.versions.node.split('.')[0]}-${process.arch}`;
}

/**
 * `directories`: where the cache is looked for, in order, and written to (the first that works).
 * `contentHash`: the bundle's hash when the build has computed it (then node:crypto is not loaded,
 * nor the bundle hashed at every start); without it the bytes are hashed here.
 */
export function loadCachedScript(bundle: string, directories: readonly string[] = cacheDirectories(bundle), contentHash?: string): CachedScript {
	const bytes = readFileSync(bundle);
	// The bytes are hashed, not the string (hashing a string encodes it again). A cache key, not a
	// signature: SHA-1 is several times faster here than SHA-256.
	const hash = contentHash ?? (createRequire(bundle)('node:crypto') as typeof import('node:crypto')).createHash('sha1').update(bytes).digest('hex');
	// Node's own CommonJS wrapper, so the bundle sees exports, require and module as usual.
	const wrapped = `(function (exports, require, module, __filename, __dirname) {${bytes.toString('utf8')}\n})`;
	const prefix = `${basename(bundle)}.`;
	const name = cacheName(bundle, hash);
	// Caches this one replaces: other builds' for this Node, and those named before the Node version was in the name.
	const tag = `.${runtimeTag()}.v8cache`;
	const replaced = (entry: string) => entry !== name && entry.startsWith(prefix) && (entry.endsWith(tag) || /^[\da-f]{16}\.v8cache$/.test(entry.slice(prefix.length)));
	let usedCache: string | undefined;
	let script: Script | undefined;
	for (const directory of directories) {
		const cachedData = readIfThere(join(directory, name));
		if (cachedData === undefined) {
			continue;
		}

		// V8 checks the data (version, flags, source length, checksum) and rejects what does not fit.
		// A rejected cache still leaves a script compiled from source: no need to compile it again.
		script = new Script(wrapped, {filename: bundle, cachedData});
		if (!script.cachedDataRejected) {
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
					// Other builds' caches for this Node are of no use any more.
					for (const entry of readdirSync(directory)) {
						if (replaced(entry)) {
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
