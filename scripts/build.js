#!/usr/bin/env node
// Bundles the CLI into dist/ with esbuild, as CommonJS (dist/package.json says so): dist/cli.js, the
// entry, small and compiled from source at every start; the interactive path (dist/interactive.cjs)
// and the non-interactive one (dist/batch.cjs), each one script that cli.js compiles with V8's code
// cache (source/code-cache.ts); and dist/demo-server.js. A CommonJS entry starts no ES module
// loader, and only the path taken is loaded.
// The dependencies' patches (patches/) are applied to node_modules first, if they are not yet.
// `--if-needed` skips the build when dist/ is newer than every source file (used by `npm start`).
// `--analyze` prints what each output file is made of (esbuild's metafile analysis).
import {createHash} from 'node:crypto';
import {readFileSync, readdirSync, statSync, existsSync, rmSync, renameSync, writeFileSync} from 'node:fs';
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
	if (!stat.isDirectory()) {
		return stat.mtimeMs;
	}

	let newest = stat.mtimeMs;
	for (const entry of readdirSync(path)) {
		newest = Math.max(newest, newestMtime(join(path, entry)));
	}

	return newest;
}

try {
	patchDependencies(root);
} catch (error) {
	// patch-package has said which patch did not apply; anything else is said here.
	if (error.status === undefined) {
		process.stderr.write(`build: ${error.message}\n`);
	}

	process.exit(1);
}

if (process.argv.includes('--if-needed') && existsSync(outfile)) {
	// patches/ and the lock file change what is bundled from node_modules (the patched Ink).
	const inputs = ['source', 'package.json', 'package-lock.json', 'patches', 'scripts/build.js'].map(p => newestMtime(join(root, p)));
	if (statSync(outfile).mtimeMs >= Math.max(...inputs)) {
		process.exit(0);
	}
}

/**
 * Yoga (Ink's layout engine) ships its WebAssembly as a base64 `data:` URL inside an Emscripten
 * loader, and `yoga-layout` instantiates it with a top-level await. Three changes, all checked here
 * so that a new yoga version fails the build rather than silently shipping the slow path:
 * - The loader reads that URL with the global `fetch` whenever one exists. On Node that loads the
 *   whole built-in fetch stack (undici) at start-up just to decode base64 (importing Ink took 370 ms
 *   instead of 255 ms and 5.7 MB more memory). A module-level `const fetch = undefined` in that one
 *   file makes every `typeof fetch` test in it take the synchronous path.
 * - The WebAssembly is written to dist/yoga.wasm, and the loader keeps an empty data URL: the
 *   script is 118 KB smaller, nothing decodes base64, and the entry (cli.tsx) can have V8 compile
 *   the module on its background threads while the main thread loads the interactive script.
 * - dist/interactive.cjs is a classic script (see source/code-cache.ts), where a top-level await is
 *   impossible. yoga's entry is replaced by one that instantiates the module synchronously through
 *   Emscripten's `instantiateWasm` hook: the module compiled in the background when there is one
 *   (interactive.ts puts it at `globalThis[Symbol.for('cl-exports.yoga')]`), else compiled here from
 *   the file.
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

				state.yogaWasm = Buffer.from(found[0][1], 'base64');
				const contents = `const fetch = undefined;\n${source.replace(dataUrl, '"data:application/octet-stream;base64,"')}`;
				return {contents, loader: 'js'};
			});
			pluginBuild.onLoad({filter: /[\\/]yoga-layout[\\/]dist[\\/]src[\\/]index\.js$/}, args => {
				const source = readFileSync(args.path, 'utf8');
				if (!source.includes('wrapAssembly(await loadYoga())')) {
					throw new Error(`${args.path} no longer calls \`wrapAssembly(await loadYoga())\`: update the yoga-sync plugin in scripts/build.js`);
				}

				state.yogaEntryReplaced = true;
				const contents = `import {readFileSync} from 'node:fs';
import {join} from 'node:path';
import loadYoga from '../binaries/yoga-wasm-base64-esm.js';
import wrapAssembly from './wrapAssembly.js';
const lib = {
	instantiateWasm(imports, receiveInstance) {
		const compiled = globalThis[Symbol.for('cl-exports.yoga')];
		const module = compiled instanceof WebAssembly.Module ? compiled : new WebAssembly.Module(readFileSync(join(__dirname, 'yoga.wasm')));
		const instance = new WebAssembly.Instance(module, imports);
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
			if (args.kind !== 'import-statement' && args.kind !== 'dynamic-import') {
				return undefined;
			}

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
 * node-fetch 3 -> fetch-blob's streams.cjs makes sure `globalThis.ReadableStream` exists: it reads
 * that global (on Node that alone loads Node's web streams, on every start) and, were it missing,
 * would load `node:stream/web` or a web-streams polyfill (66 KB, parsed at every start when it was
 * bundled). On the Node versions cl-exports runs on (>= 20) the global always exists, and fetch-blob
 * reads it only when `Blob#stream()` is called, which cl-exports never does. So streams.cjs (and the
 * polyfill) resolve to an empty module.
 */
const withoutWebStreamsPolyfill = {
	name: 'without-web-streams-polyfill',
	setup(pluginBuild) {
		pluginBuild.onResolve({filter: /^web-streams-polyfill(\/|$)/}, args => ({path: args.path, namespace: 'cl-exports-empty'}));
		pluginBuild.onResolve({filter: /^\.\/streams\.cjs$/}, args =>
			/[\\/]fetch-blob[\\/]/.test(args.importer) ? {path: args.path, namespace: 'cl-exports-empty'} : undefined,
		);
		pluginBuild.onLoad({filter: /.*/, namespace: 'cl-exports-empty'}, () => ({contents: 'module.exports = {};', loader: 'js'}));
	},
};

/**
 * Node modules that dependencies load when they are loaded but use only later, if ever: node-fetch
 * imports zlib (to decompress a compressed response), Ink's terminal-size child_process (when the
 * terminal does not tell its size). Loading them cost a few milliseconds of every start. Each
 * resolves to a stand-in with the module's export names as getters that load the real module on
 * first use. The names are read from the Node that builds.
 */
const lazyBuiltins = {
	name: 'lazy-builtins',
	setup(pluginBuild) {
		const lazy = /^(node:)?(zlib|child_process)$/;
		pluginBuild.onResolve({filter: lazy}, args => {
			if (args.namespace === 'cl-exports-lazy') {
				return {path: args.path, external: true};
			}

			return {path: args.path.replace(/^node:/, ''), namespace: 'cl-exports-lazy'};
		});
		pluginBuild.onLoad({filter: /.*/, namespace: 'cl-exports-lazy'}, args => {
			const real = createRequire(import.meta.url)(`node:${args.path}`);
			const names = Object.keys(real).filter(name => name !== 'default' && name !== '__esModule');
			const getters = names.map(name => `${JSON.stringify(name)}: {enumerable: true, get: () => load()[${JSON.stringify(name)}]}`);
			const contents = `let real;\nconst load = () => (real ??= require(${JSON.stringify(`node:${args.path}`)}));\nmodule.exports = Object.defineProperties({}, {${getters.join(', ')}});\n`;
			return {contents, loader: 'js'};
		});
	},
};

/**
 * Two more modules loaded by every start for nothing:
 * - node-fetch re-exports fetch-blob/from.js (blobFrom, fileFrom: blobs read from files), which
 *   loads `fs.promises` (Node's promise fs, its readline and watchers with it) and
 *   node-domexception as it loads. cl-exports never reads a blob from a file: the module is
 *   replaced by one with the same exports, whose file readers throw.
 * - signal-exit (Ink's exit hook) loads Node's assert for one check, `assert.equal(typeof cb,
 *   'function', ...)`, made each time a handler is added: it gets an `equal` that does that check.
 * Both check at build time that the real module is still used that way.
 */
const withoutUnusedModules = {
	name: 'without-unused-modules',
	setup(pluginBuild) {
		pluginBuild.onResolve({filter: /^fetch-blob\/from\.js$/}, args => ({path: args.path, namespace: 'cl-exports-blob-from', pluginData: args.resolveDir}));
		pluginBuild.onLoad({filter: /.*/, namespace: 'cl-exports-blob-from'}, args => {
			const real = readFileSync(createRequire(join(args.pluginData, 'x.js')).resolve('fetch-blob/from.js'), 'utf8');
			const names = ['File', 'Blob', 'blobFrom', 'blobFromSync', 'fileFrom', 'fileFromSync'];
			if (!real.includes(`export { ${names.join(', ')} }`)) {
				throw new Error('fetch-blob/from.js no longer exports what the without-unused-modules plugin in scripts/build.js replaces');
			}

			const contents = `export {default as Blob} from 'fetch-blob';
export {default as File} from 'fetch-blob/file.js';
function unavailable() {
	throw new Error('reading a blob from a file is not part of cl-exports');
}
export {unavailable as blobFrom, unavailable as blobFromSync, unavailable as fileFrom, unavailable as fileFromSync};
`;
			return {contents, loader: 'js', resolveDir: args.pluginData};
		});
		pluginBuild.onResolve({filter: /^assert$/}, args => {
			if (!/[\\/]signal-exit[\\/]/.test(args.importer)) {
				return undefined;
			}

			const uses = new Set(readFileSync(args.importer, 'utf8').match(/\bassert\.\w+/g));
			if (uses.size !== 1 || !uses.has('assert.equal')) {
				throw new Error(`${args.importer} uses ${[...uses].join(', ')}: update the without-unused-modules plugin in scripts/build.js`);
			}

			return {path: 'assert', namespace: 'cl-exports-assert'};
		});
		pluginBuild.onLoad({filter: /.*/, namespace: 'cl-exports-assert'}, () => ({
			contents: 'exports.equal = (actual, expected, message) => {\n\tif (actual != expected) throw new Error(message);\n};\n',
			loader: 'js',
		}));
	},
};

// Build beside dist/ and swap it in at the end, so a process running dist/cli.js (a test, a user's
// second terminal) never finds it half-written.
const staging = join(root, `dist.tmp-${process.pid}`);
rmSync(staging, {recursive: true, force: true});

const state = {yogaWasm: undefined, yogaEntryReplaced: false};
const common = {
	absWorkingDir: root,
	bundle: true,
	platform: 'node',
	target: 'node20',
	format: 'cjs',
	minify: true,
	legalComments: 'none',
	outdir: staging,
	// Ink only loads react-devtools-core (not installed) and ws (45 KB, for the devtools' socket)
	// when DEV is set; then the missing module makes it say how to install the devtools.
	external: ['react-devtools-core', 'ws'],
	define: {
		'process.env.NODE_ENV': '"production"',
		__CL_EXPORTS_VERSION__: JSON.stringify(pkg.version),
	},
	metafile: process.argv.includes('--analyze'),
	logLevel: 'warning',
};
try {
	const results = [];
	// The two paths after the configuration, each one classic script compiled with V8's code cache.
	// Their dynamic imports become lazily evaluated parts of the script (the view is evaluated only
	// once page 1 is asked for, the demo server only in demo mode).
	results.push(
		await build({
			...common,
			entryPoints: {interactive: 'source/interactive.ts', batch: 'source/batch.ts'},
			outExtension: {'.js': '.cjs'},
			plugins: [yogaSync(state), inkWithoutTopLevelAwait, reactAsModules, withoutWebStreamsPolyfill, withoutUnusedModules, lazyBuiltins],
		}),
	);
	if (state.yogaWasm === undefined || !state.yogaEntryReplaced) {
		throw new Error('yoga-layout\'s WebAssembly loader or entry was not bundled from the expected file: update the yoga-sync plugin in scripts/build.js');
	}

	writeFileSync(join(staging, 'yoga.wasm'), state.yogaWasm);

	// The code cache's key for each script, so that a start neither hashes them nor loads node:crypto.
	const hashes = {};
	for (const name of ['interactive.cjs', 'batch.cjs']) {
		hashes[name] = createHash('sha1').update(readFileSync(join(staging, name))).digest('hex');
	}

	results.push(
		await build({
			...common,
			entryPoints: {cli: 'source/cli.tsx', 'demo-server': 'source/demo/main.ts'},
			define: {...common.define, __CL_EXPORTS_SCRIPT_HASHES__: JSON.stringify(hashes)},
		}),
	);
	// The root package is "type": "module"; what is in dist/ is CommonJS.
	writeFileSync(join(staging, 'package.json'), `${JSON.stringify({type: 'commonjs'})}\n`);
	for (const result of results) {
		if (result.metafile) {
			process.stdout.write(await analyzeMetafile(result.metafile));
		}
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
if (existsSync(join(root, 'dist'))) {
	renameSync(join(root, 'dist'), previous);
}

renameSync(staging, join(root, 'dist'));
rmSync(previous, {recursive: true, force: true});
