#!/usr/bin/env node
// Bundles the CLI into dist/ with esbuild. One ESM file per entry plus shared chunks, so that
// start-up loads only what the first frame needs (the demo server and the non-interactive
// writers are split out and imported on demand).
// `--if-needed` skips the build when dist/ is newer than every source file (used by `npm start`).
// `--analyze` prints what each output file is made of (esbuild's metafile analysis).
import {readFileSync, readdirSync, statSync, existsSync, rmSync, renameSync} from 'node:fs';
import {join, dirname} from 'node:path';
import {fileURLToPath} from 'node:url';
import {analyzeMetafile, build} from 'esbuild';

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
	// patches/ and the lock file change what is bundled from node_modules (the patched Ink).
	const inputs = ['source', 'package.json', 'package-lock.json', 'patches', 'scripts/build.js'].map(p => newestMtime(join(root, p)));
	if (statSync(outfile).mtimeMs >= Math.max(...inputs)) process.exit(0);
}

/**
 * Yoga (Ink's layout engine) ships its WebAssembly as a base64 `data:` URL, and its Emscripten
 * loader reads that URL with the global `fetch` whenever one exists. On Node that loads the whole
 * built-in fetch stack (undici) at start-up just to decode base64: importing the Ink chunk took
 * 370 ms instead of 255 ms and 5.7 MB more memory. When `fetch` is not a function the loader
 * decodes the base64 synchronously (with `atob`). Shadowing `fetch` with a module-level constant
 * in that one file makes every `typeof fetch` test in it take that path, whatever shape the
 * generated code has. If the loader no longer tests `typeof fetch`, or is no longer the file that
 * is bundled, the build fails rather than silently shipping the slow path.
 */
function yogaWithoutFetch(state) {
	return {
		name: 'yoga-without-fetch',
		setup(pluginBuild) {
			pluginBuild.onLoad({filter: /[\\/]yoga-layout[\\/]dist[\\/]binaries[\\/]yoga-wasm-base64-esm\.js$/}, args => {
				const source = readFileSync(args.path, 'utf8');
				if (!/typeof fetch\b/.test(source)) {
					throw new Error(`${args.path} no longer tests \`typeof fetch\`: check how yoga loads its WebAssembly and update the yoga-without-fetch plugin in scripts/build.js`);
				}

				state.yogaLoaderPatched = true;
				return {contents: `const fetch = undefined;\n${source}`, loader: 'js'};
			});
		},
	};
}

/**
 * node-fetch 3 -> fetch-blob requires a web-streams polyfill (66 KB) only when
 * `globalThis.ReadableStream` is missing and `node:stream/web` cannot be loaded, which never
 * happens on the Node versions cl-exports runs on (>= 20, where ReadableStream is a global).
 * Bundled, it was parsed on every start (connect). It resolves to an empty module instead: on that
 * impossible path fetch-blob would merely lack `Blob#stream()`, which cl-exports never calls.
 */
const withoutWebStreamsPolyfill = {
	name: 'without-web-streams-polyfill',
	setup(pluginBuild) {
		pluginBuild.onResolve({filter: /^web-streams-polyfill(\/|$)/}, args => ({path: args.path, namespace: 'cl-exports-empty'}));
		pluginBuild.onLoad({filter: /.*/, namespace: 'cl-exports-empty'}, () => ({contents: 'module.exports = {};', loader: 'js'}));
	},
};

// Build beside dist/ and swap it in at the end, so a process running dist/cli.js (a test, a user's
// second terminal) never finds it half-written.
const staging = join(root, `dist.tmp-${process.pid}`);
rmSync(staging, {recursive: true, force: true});

const state = {yogaLoaderPatched: false};
try {
	const result = await build({
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
		plugins: [yogaWithoutFetch(state), withoutWebStreamsPolyfill],
		metafile: process.argv.includes('--analyze'),
		logLevel: 'warning',
	});
	if (!state.yogaLoaderPatched) {
		throw new Error('yoga-layout\'s WebAssembly loader was not bundled from the expected file: update the yoga-without-fetch plugin in scripts/build.js');
	}

	if (result.metafile) {
		process.stdout.write(await analyzeMetafile(result.metafile));
	}
} catch (error) {
	// esbuild has already printed its own errors; print ours.
	if (!(error instanceof Error && 'errors' in error)) {
		process.stderr.write(`build: ${error instanceof Error ? error.message : String(error)}\n`);
	}

	rmSync(staging, {recursive: true, force: true});
	process.exit(1);
}

const previous = join(root, `dist.old-${process.pid}`);
if (existsSync(join(root, 'dist'))) renameSync(join(root, 'dist'), previous);
renameSync(staging, join(root, 'dist'));
rmSync(previous, {recursive: true, force: true});
