#!/usr/bin/env node
// Bundles the CLI into dist/ with esbuild. One ESM file per entry plus shared chunks, so that
// start-up loads only what the first frame needs (the demo server and the non-interactive
// writers are split out and imported on demand).
// The dependencies' patches (patches/) are applied to node_modules first, if they are not yet.
// `--if-needed` skips the build when dist/ is newer than every source file (used by `npm start`).
// `--analyze` prints what each output file is made of (esbuild's metafile analysis).
import {readFileSync, readdirSync, statSync, existsSync, rmSync, renameSync} from 'node:fs';
import {join, dirname} from 'node:path';
import {createRequire} from 'node:module';
import {fileURLToPath} from 'node:url';
import {analyzeMetafile, build} from 'esbuild';
import {patchDependencies} from './patch-dependencies.js';

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

try {
	patchDependencies(root);
} catch (error) {
	// patch-package has said which patch did not apply; anything else is said here.
	if (error.status === undefined) process.stderr.write(`build: ${error.message}\n`);
	process.exit(1);
}

if (process.argv.includes('--if-needed') && existsSync(outfile)) {
	// patches/ and the lock file change what is bundled from node_modules (the patched Ink).
	const inputs = ['source', 'package.json', 'package-lock.json', 'patches', 'scripts/build.js'].map(p => newestMtime(join(root, p)));
	if (statSync(outfile).mtimeMs >= Math.max(...inputs)) process.exit(0);
}

/**
 * Yoga (Ink's layout engine) ships its WebAssembly as a base64 `data:` URL inside an Emscripten
 * loader, and `yoga-layout` instantiates it with a top-level await. Two changes, both checked here so
 * that a new yoga version fails the build rather than silently shipping the slow path:
 * - The loader reads that URL with the global `fetch` whenever one exists. On Node that loads the
 *   whole built-in fetch stack (undici) at start-up just to decode base64 (importing Ink took 370 ms
 *   instead of 255 ms and 5.7 MB more memory). A module-level `const fetch = undefined` in that one
 *   file makes every `typeof fetch` test in it take the synchronous path.
 * - dist/interactive.cjs is a classic script (see source/code-cache.ts), where a top-level await is
 *   impossible. yoga's entry is replaced by one that instantiates the module synchronously through
 *   Emscripten's `instantiateWasm` hook (`new WebAssembly.Module`/`Instance` on the bytes); the
 *   base64 is exported from the loader once rather than copied.
 */
function yogaSync(state) {
	return {
		name: 'yoga-sync',
		setup(pluginBuild) {
			pluginBuild.onLoad({filter: /[\\/]yoga-layout[\\/]dist[\\/]binaries[\\/]yoga-wasm-base64-esm\.js$/}, args => {
				const source = readFileSync(args.path, 'utf8');
				if (!/typeof fetch\b/.test(source)) {
					throw new Error(`${args.path} no longer tests \`typeof fetch\`: check how yoga loads its WebAssembly and update the yoga-sync plugin in scripts/build.js`);
				}

				const dataUrl = /"data:application\/octet-stream;base64,([A-Za-z0-9+/=]+)"/g;
				const found = [...source.matchAll(dataUrl)];
				if (found.length !== 1 || !/\bh\.instantiateWasm\(/.test(source)) {
					throw new Error(`${args.path}: expected one base64 data URL and an instantiateWasm hook; update the yoga-sync plugin in scripts/build.js`);
				}

				state.yogaLoaderPatched = true;
				const base64 = found[0][1];
				const contents = `const fetch = undefined;\nexport const yogaWasmBase64 = ${JSON.stringify(base64)};\n${source.replace(dataUrl, '"data:application/octet-stream;base64,"+yogaWasmBase64')}`;
				return {contents, loader: 'js'};
			});
			pluginBuild.onLoad({filter: /[\\/]yoga-layout[\\/]dist[\\/]src[\\/]index\.js$/}, args => {
				const source = readFileSync(args.path, 'utf8');
				if (!source.includes('wrapAssembly(await loadYoga())')) {
					throw new Error(`${args.path} no longer calls \`wrapAssembly(await loadYoga())\`: update the yoga-sync plugin in scripts/build.js`);
				}

				state.yogaEntryReplaced = true;
				const contents = `import loadYoga, {yogaWasmBase64} from '../binaries/yoga-wasm-base64-esm.js';
import wrapAssembly from './wrapAssembly.js';
const lib = {
	instantiateWasm(imports, receiveInstance) {
		const instance = new WebAssembly.Instance(new WebAssembly.Module(Buffer.from(yogaWasmBase64, 'base64')), imports);
		receiveInstance(instance);
		return instance.exports;
	},
};
// The loader fills in lib (its Module object) and runs synchronously when the hook does.
loadYoga(lib);
if (!lib.calledRun) throw new Error('yoga-layout did not initialise synchronously');
const Yoga = wrapAssembly(lib);
export default Yoga;
export * from './generated/YGEnums.js';
`;
				return {contents, loader: 'js', resolveDir: dirname(args.path)};
			});
		},
	};
}

/**
 * Ink's reconciler has two top-level awaits, both only when DEV=true (React devtools): importing
 * ./devtools.js (react-devtools-core, not installed, so Ink prints how to install it) and reading
 * Ink's package.json (which is not in dist/: that crashed). A classic script cannot await at top
 * level: the cjs build requires ./devtools.js synchronously (same warning when the package is
 * missing) and names no package. Without DEV nothing changes.
 */
const inkWithoutTopLevelAwait = {
	name: 'ink-without-top-level-await',
	setup(pluginBuild) {
		pluginBuild.onLoad({filter: /[\\/]ink[\\/]build[\\/]reconciler\.js$/}, args => {
			let contents = readFileSync(args.path, 'utf8');
			const replacements = [
				["await import('./devtools.js');", "require('./devtools.js');"],
				["error.code === 'ERR_MODULE_NOT_FOUND'", "(error.code === 'ERR_MODULE_NOT_FOUND' || error.code === 'MODULE_NOT_FOUND')"],
				['? await loadPackageJson()', '? { name: undefined, version: undefined }'],
				["fs.readFileSync(new URL('../package.json', import.meta.url), 'utf8')", "'{}'"],
			];
			for (const [from, to] of replacements) {
				if (contents.split(from).length !== 2) {
					throw new Error(`${args.path}: \`${from}\` not found once; update the ink-without-top-level-await plugin in scripts/build.js`);
				}

				contents = contents.replace(from, to);
			}

			return {contents, loader: 'js'};
		});
	},
};

/**
 * React and its JSX runtime are CommonJS. esbuild gives every ES module that imports them its own
 * ESM view of the CommonJS exports (`__toESM`: a copy of every export as a getter, 45 copies of
 * React's), and each named use (`useState(...)`, every `jsx(...)` of a render) then calls a getter.
 * Here `import ... from 'react'` goes to one ES module that re-exports the CommonJS exports as
 * constants, so there is one copy, and named uses are plain variable reads. The export names are
 * read from the production build that is bundled; esbuild fails the build if a module imports a
 * name that is not among them. `require('react')` (react-reconciler) is left as it is.
 */
const reactAsModules = {
	name: 'react-as-es-modules',
	setup(pluginBuild) {
		const fromRoot = createRequire(join(root, 'package.json'));
		const modules = {
			react: 'cjs/react.production.js',
			'react/jsx-runtime': 'cjs/react-jsx-runtime.production.js',
		};
		pluginBuild.onResolve({filter: /^react(\/jsx-runtime)?$/}, args => {
			if (args.kind !== 'import-statement' && args.kind !== 'dynamic-import') return undefined;
			return {path: args.path, namespace: 'cl-exports-react'};
		});
		pluginBuild.onLoad({filter: /.*/, namespace: 'cl-exports-react'}, args => {
			const entry = fromRoot.resolve(args.path);
			const names = Object.keys(fromRoot(join(dirname(fromRoot.resolve('react')), modules[args.path]))).filter(name => /^[A-Za-z_$][\w$]*$/.test(name) && name !== 'default');
			const contents = `import cjs from ${JSON.stringify(entry)};\nexport default cjs;\nexport const {${names.join(', ')}} = cjs;\n`;
			return {contents, loader: 'js', resolveDir: root};
		});
	},
};

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

const state = {yogaLoaderPatched: false, yogaEntryReplaced: false};
const common = {
	absWorkingDir: root,
	bundle: true,
	platform: 'node',
	target: 'node20',
	minify: true,
	legalComments: 'none',
	// Ink only loads react-devtools-core when DEV is set; it is not installed.
	external: ['react-devtools-core'],
	define: {
		'process.env.NODE_ENV': '"production"',
		__CL_EXPORTS_VERSION__: JSON.stringify(pkg.version),
	},
	metafile: process.argv.includes('--analyze'),
	logLevel: 'warning',
};
try {
	const result = await build({
		...common,
		entryPoints: {cli: 'source/cli.tsx', 'demo-server': 'source/demo/main.ts'},
		outdir: staging,
		splitting: true,
		format: 'esm',
		chunkNames: 'chunks/[name]-[hash]',
		// Some bundled dependencies are CommonJS and call require(); give ESM output one.
		banner: {
			js: "import {createRequire as __clCreateRequire} from 'node:module';const require=__clCreateRequire(import.meta.url);",
		},
		plugins: [withoutWebStreamsPolyfill],
	});
	// The interactive path as one classic script, compiled with V8's code cache (source/code-cache.ts).
	// Its dynamic imports become lazily evaluated parts of the script (the view is evaluated only
	// once page 1 is asked for).
	const interactive = await build({
		...common,
		entryPoints: {interactive: 'source/interactive.ts'},
		outdir: staging,
		outExtension: {'.js': '.cjs'},
		format: 'cjs',
		plugins: [yogaSync(state), inkWithoutTopLevelAwait, reactAsModules, withoutWebStreamsPolyfill],
	});
	if (!state.yogaLoaderPatched || !state.yogaEntryReplaced) {
		throw new Error('yoga-layout\'s WebAssembly loader or entry was not bundled from the expected file: update the yoga-sync plugin in scripts/build.js');
	}

	if (result.metafile && interactive.metafile) {
		process.stdout.write(await analyzeMetafile(result.metafile));
		process.stdout.write(await analyzeMetafile(interactive.metafile));
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
