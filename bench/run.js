#!/usr/bin/env node
// `npm run bench` (after `node scripts/build.js`): bundles the benchmark (bench/main.ts, which
// imports the demo API from source/) with esbuild into node_modules/.cache and runs it there, so
// node-pty and @xterm/headless resolve from the project's node_modules. Arguments pass through:
//   node bench/run.js [--runs N] [--only startup,keys,next-page,memory,idle,watch,detail] [--out FILE]
//   node bench/run.js faults [--runs N] [--seconds S] [--out FILE]   (bench/faults.ts: faults and the rate limit)
import {mkdirSync} from 'node:fs';
import {dirname, join} from 'node:path';
import {fileURLToPath, pathToFileURL} from 'node:url';
import {build} from 'esbuild';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const script = process.argv[2] === 'faults' ? 'faults' : 'main';
if (script !== 'main') {
	process.argv.splice(2, 1);
}

const outfile = join(root, 'node_modules', '.cache', 'cl-exports-bench', `${script}.mjs`);
mkdirSync(dirname(outfile), {recursive: true});

try {
	await build({
		absWorkingDir: root,
		entryPoints: [join(root, 'bench', `${script}.ts`)],
		outfile,
		bundle: true,
		format: 'esm',
		platform: 'node',
		target: 'node20',
		packages: 'external',
		define: {__BENCH_ROOT__: JSON.stringify(root)},
		logLevel: 'warning',
	});
	// The start-up reference: an Ink hello-world bundled with the same settings as dist/cli.js.
	await build({
		absWorkingDir: root,
		entryPoints: {'ink-hello': join(root, 'bench', 'ink-hello.ts')},
		outdir: join(dirname(outfile), 'ink-hello'),
		outExtension: {'.js': '.mjs'},
		bundle: true,
		splitting: true,
		chunkNames: 'chunks/[name]-[hash]',
		format: 'esm',
		platform: 'node',
		target: 'node20',
		minify: true,
		external: ['react-devtools-core'],
		define: {'process.env.NODE_ENV': '"production"'},
		banner: {js: "import {createRequire as __clCreateRequire} from 'node:module';const require=__clCreateRequire(import.meta.url);"},
		logLevel: 'warning',
	});
} catch {
	// esbuild has already printed the errors.
	process.exit(1);
}

await import(pathToFileURL(outfile).href);
