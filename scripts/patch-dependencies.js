// Applies patches/ to node_modules with patch-package, before anything is bundled (scripts/build.js
// calls it first, and the test suite's global setup runs the build). Not an install script: the
// published package is only dist/, which is built from the patched code, so installing it runs
// nothing and needs no dependency. A stamp under node_modules/.cache records what was applied (the
// patches and npm's record of the installed tree), so a build after the first only reads a few
// small files; a new install (npm rewrites node_modules/.package-lock.json) applies them again, and
// patch-package leaves a file it has already patched as it is.
import {execFileSync} from 'node:child_process';
import {createHash} from 'node:crypto';
import {mkdirSync, readdirSync, readFileSync, writeFileSync} from 'node:fs';
import {createRequire} from 'node:module';
import {dirname, join} from 'node:path';
import {fileURLToPath} from 'node:url';

const defaultRoot = join(dirname(fileURLToPath(import.meta.url)), '..');

function readIfThere(path) {
	try {
		return readFileSync(path);
	} catch {
		return undefined;
	}
}

/** What the patched tree depends on: every patch, and the installed tree as npm last wrote it. */
function treeKey(root) {
	const installed = readIfThere(join(root, 'node_modules', '.package-lock.json'));
	if (installed === undefined) {
		return undefined;
	}

	const hash = createHash('sha1').update(installed);
	for (const name of readdirSync(join(root, 'patches')).sort()) {
		hash.update(`\0${name}\0`).update(readFileSync(join(root, 'patches', name)));
	}

	return hash.digest('hex');
}

/** Applies the patches unless the stamp says this tree already has them. Throws when one fails. */
export function patchDependencies(root = defaultRoot) {
	const stamp = join(root, 'node_modules', '.cache', 'cl-exports', 'patches-applied');
	const key = treeKey(root);
	if (key !== undefined && readIfThere(stamp)?.toString('utf8') === key) {
		return false;
	}

	const bin = createRequire(join(root, 'package.json')).resolve('patch-package/index.js');
	// patch-package exits non-zero (after saying why) when a patch does not apply. What it prints
	// goes to stderr: `npm start -- --json` writes its NDJSON to stdout.
	execFileSync(process.execPath, [bin, '--error-on-fail'], {cwd: root, stdio: ['ignore', 2, 2]});
	if (key !== undefined) {
		mkdirSync(dirname(stamp), {recursive: true});
		writeFileSync(stamp, key);
	}

	return true;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
	try {
		patchDependencies();
	} catch (error) {
		// patch-package has said which patch did not apply; anything else is said here.
		if (error.status === undefined) {
			process.stderr.write(`${error.message}\n`);
		}

		process.exitCode = 1;
	}
}
