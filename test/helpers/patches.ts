// For the tests that check a dependency patch against the original: an unpatched copy of the
// patched files, and a deterministic PRNG for random inputs that can be replayed.
import {cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync} from 'node:fs';
import {createRequire} from 'node:module';
import {join} from 'node:path';
import {fileURLToPath} from 'node:url';

type Effect = {type: string; path: string};

const require = createRequire(import.meta.url);
export const root = fileURLToPath(new URL('../..', import.meta.url));

/**
 * A scratch directory under node_modules/.cache, so that copies of packages made in it resolve
 * their own imports to the project's packages. `remove()` deletes it.
 */
export function scratch(prefix: string): {dir: string; remove(): void} {
	const cache = join(root, 'node_modules', '.cache');
	mkdirSync(cache, {recursive: true});
	const dir = mkdtempSync(join(cache, prefix));
	return {
		dir,
		remove() {
			rmSync(dir, {recursive: true, force: true});
		},
	};
}

/**
 * The patches of one package version, in the order patch-package applies them: `name+version.patch`
 * alone, or a sequence `name+version+001+what.patch`, `name+version+002+...`, each made against the
 * result of the ones before it.
 */
export function patchesOf(packageVersion: string): string[] {
	const names = readdirSync(join(root, 'patches')).filter(name => name === `${packageVersion}.patch` || (name.startsWith(`${packageVersion}+`) && name.endsWith('.patch')));
	if (names.length === 0) {
		throw new Error(`no patch for ${packageVersion} in patches/`);
	}

	return names.sort();
}

/**
 * Copies `files` of the package at `packagePath` (relative to the project) into `dir` and
 * reverse-applies `patches` (names in patches/, in the order they were applied; the last is undone
 * first) to the copy with patch-package's own parser and applier. Returns the copy's package
 * directory.
 */
export function unpatchedCopy(dir: string, patches: string[], packagePath: string, files: string[]): string {
	for (const file of files) {
		cpSync(join(root, packagePath, file), join(dir, packagePath, file), {recursive: true});
	}

	const {parsePatchFile} = require('patch-package/dist/patch/parse.js') as {parsePatchFile(text: string): Effect[]};
	const {reversePatch} = require('patch-package/dist/patch/reverse.js') as {reversePatch(effects: Effect[]): Effect[]};
	const {executeEffects} = require('patch-package/dist/patch/apply.js') as {
		executeEffects(effects: Effect[], options: {dryRun: boolean; cwd: string}): void;
	};
	if (patches.length === 0) {
		throw new Error(`${packagePath}: no patch to reverse`);
	}

	for (const patch of patches.toReversed()) {
		executeEffects(reversePatch(parsePatchFile(readFileSync(join(root, 'patches', patch), 'utf8'))), {dryRun: false, cwd: dir});
	}

	return join(dir, packagePath);
}

/** mulberry32: small, fast and deterministic, so a failing input can be replayed. */
export function prng(seed: number): () => number {
	let state = seed >>> 0;
	return () => {
		state = (state + 0x6d_2b_79_f5) >>> 0;
		let t = state;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
	};
}
