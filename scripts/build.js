#!/usr/bin/env node
// Bundles the CLI into dist/ with esbuild. One ESM file per entry plus shared chunks, so that
// start-up loads only what the first frame needs (the demo server and the non-interactive
// writers are split out and imported on demand).
// `--if-needed` skips the build when dist/ is newer than every source file (used by `npm start`).
import {readFileSync, readdirSync, statSync, existsSync, rmSync, renameSync} from 'node:fs';
import {join, dirname} from 'node:path';
import {fileURLToPath} from 'node:url';
import {build} from 'esbuild';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const outfile = join(root, 'dist', 'cli.js');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));

function newestMtime(path) {
	const stat = statSync(path);
	if (!stat.isDirectory()) return stat.mtimeMs;
	let newest = stat.mtimeMs;
	for (const entry of readdirSync(path)) newest = Math.max(newest, newestMtime(join(path, entry)));
	return newest;
}

if (process.argv.includes('--if-needed') && existsSync(outfile)) {
	const inputs = ['source', 'package.json', 'scripts/build.js'].map(p => newestMtime(join(root, p)));
	if (statSync(outfile).mtimeMs >= Math.max(...inputs)) process.exit(0);
}

// Build beside dist/ and swap it in at the end, so a process running dist/cli.js (a test, a user's
// second terminal) never finds it half-written.
const staging = join(root, `dist.tmp-${process.pid}`);
rmSync(staging, {recursive: true, force: true});

try {
	await build({
		absWorkingDir: root,
		entryPoints: {cli: 'source/cli.tsx', 'demo-server': 'source/demo/main.ts'},
		outdir: staging,
		bundle: true,
		splitting: true,
		format: 'esm',
		platform: 'node',
		target: 'node20',
		minify: true,
		legalComments: 'none',
		chunkNames: 'chunks/[name]-[hash]',
		// Ink only loads react-devtools-core when DEV is set; it is not installed.
		external: ['react-devtools-core'],
		define: {
			'process.env.NODE_ENV': '"production"',
			__CL_EXPORTS_VERSION__: JSON.stringify(pkg.version),
		},
		// Some bundled dependencies are CommonJS and call require(); give ESM output one.
		banner: {
			js: "import {createRequire as __clCreateRequire} from 'node:module';const require=__clCreateRequire(import.meta.url);",
		},
		logLevel: 'warning',
	});
} catch {
	// esbuild has already printed the errors.
	rmSync(staging, {recursive: true, force: true});
	process.exit(1);
}

const previous = join(root, `dist.old-${process.pid}`);
if (existsSync(join(root, 'dist'))) renameSync(join(root, 'dist'), previous);
renameSync(staging, join(root, 'dist'));
rmSync(previous, {recursive: true, force: true});
