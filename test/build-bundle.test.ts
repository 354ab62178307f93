// What scripts/build.js leaves out of dist/ for start-up's sake (dist/ is built by the global setup):
// yoga's WebAssembly is decoded without the global fetch (which loads Node's undici), and the
// web-streams polyfill that fetch-blob never needs on Node >= 20 is not bundled. And the shape of
// the interactive script (dist/interactive.cjs, compiled with V8's code cache): yoga instantiated
// synchronously (a classic script has no top-level await), the view evaluated on demand.
import {execFileSync} from 'node:child_process';
import {readdirSync, readFileSync} from 'node:fs';
import {join} from 'node:path';
import {fileURLToPath} from 'node:url';
import {describe, expect, test} from 'vitest';

const dist = fileURLToPath(new URL('../dist', import.meta.url));

function bundleFiles(): Array<{path: string; code: string}> {
	const files = [
		...readdirSync(dist).filter(name => name.endsWith('.js') || name.endsWith('.cjs')).map(name => join(dist, name)),
		...readdirSync(join(dist, 'chunks')).map(name => join(dist, 'chunks', name)),
	];
	return files.map(path => ({path, code: readFileSync(path, 'utf8')}));
}

function yogaChunk(): string {
	const chunks = bundleFiles().filter(file => file.code.includes('data:application/octet-stream;base64,'));
	expect(chunks).toHaveLength(1);
	return chunks[0]!.path;
}

describe('dist/', () => {
	test('yoga loads its WebAssembly without fetch', () => {
		const code = readFileSync(yogaChunk(), 'utf8');
		expect(code).not.toMatch(/typeof fetch\b/);
		expect(code).not.toMatch(/\bfetch\s*\(/);
	});

	test('Ink and yoga are only in the interactive script', () => {
		expect(yogaChunk()).toBe(join(dist, 'interactive.cjs'));
	});

	test('loading the view never reads the global fetch, and yoga initialises synchronously', () => {
		// A fresh process; a getter reports any read. The script is a plain CommonJS file too.
		const script = [
			"Object.defineProperty(globalThis, 'fetch', {configurable: true, get() { process.stdout.write('fetch was read\\n'); return undefined; }});",
			`const bundle = require(${JSON.stringify(join(dist, 'interactive.cjs'))});`,
			"process.stdout.write('loaded\\n');",
			'bundle.loadView().then(view => process.stdout.write(`view ${typeof view.runTui}\\n`));',
		].join('\n');
		const output = execFileSync(process.execPath, ['--eval', script], {encoding: 'utf8', env: {...process.env, NODE_OPTIONS: ''}});
		expect(output).toBe('loaded\nview function\n');
	});

	test('the web-streams polyfill is not bundled', () => {
		for (const {path, code} of bundleFiles()) {
			for (const marker of ['ReadableStreamBYOBRequest', 'WritableStreamDefaultController', 'TransformStreamDefaultController']) {
				expect(code.includes(marker), `${marker} in ${path}`).toBe(false);
			}
		}
	});
});
