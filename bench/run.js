#!/usr/bin/env node
// `npm run bench` (after `node scripts/build.js`): bundles the benchmark (bench/main.ts, which
// imports the demo API from source/) with esbuild into node_modules/.cache and runs it there, so
// node-pty and @xterm/headless resolve from the project's node_modules. Arguments pass through:
//   node bench/run.js [--runs N] [--only startup,keys,next-page,memory,idle,watch] [--out FILE]
import {mkdirSync} from 'node:fs';
import {dirname, join} from 'node:path';
import {fileURLToPath, pathToFileURL} from 'node:url';
import {build} from 'esbuild';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const outfile = join(root, 'node_modules', '.cache', 'cl-exports-bench', 'main.mjs');
mkdirSync(dirname(outfile), {recursive: true});

try {
	await build({
		absWorkingDir: root,
		entryPoints: [join(root, 'bench', 'main.ts')],
		outfile,
		bundle: true,
		format: 'esm',
		platform: 'node',
		target: 'node20',
		packages: 'external',
		define: {__BENCH_ROOT__: JSON.stringify(root)},
		logLevel: 'warning',
	});
} catch {
	// esbuild has already printed the errors.
	process.exit(1);
}

await import(pathToFileURL(outfile).href);
