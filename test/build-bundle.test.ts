// What scripts/build.js leaves out of dist/ for start-up's sake (dist/ is built by the global setup):
// yoga's WebAssembly is decoded without the global fetch (which loads Node's undici), and the
// web-streams polyfill that fetch-blob never needs on Node >= 20 is not bundled.
import {execFileSync} from 'node:child_process';
import {readdirSync, readFileSync} from 'node:fs';
import {join} from 'node:path';
import {fileURLToPath, pathToFileURL} from 'node:url';
import {describe, expect, test} from 'vitest';

const dist = fileURLToPath(new URL('../dist', import.meta.url));

function bundleFiles(): Array<{path: string; code: string}> {
	const files = [
		...readdirSync(dist).filter(name => name.endsWith('.js')).map(name => join(dist, name)),
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

	test('importing the Ink chunk never reads the global fetch, and yoga works', () => {
		// A fresh process: the chunk's top-level await instantiates yoga; a getter reports any read.
		const script = [
			"Object.defineProperty(globalThis, 'fetch', {configurable: true, get() { process.stdout.write('fetch was read\\n'); return undefined; }});",
			`await import(${JSON.stringify(pathToFileURL(yogaChunk()).href)});`,
			"process.stdout.write('loaded\\n');",
		].join('\n');
		const output = execFileSync(process.execPath, ['--input-type=module', '--eval', script], {encoding: 'utf8', env: {...process.env, NODE_OPTIONS: ''}});
		expect(output).toBe('loaded\n');
	});

	test('the web-streams polyfill is not bundled', () => {
		for (const {path, code} of bundleFiles()) {
			for (const marker of ['ReadableStreamBYOBRequest', 'WritableStreamDefaultController', 'TransformStreamDefaultController']) {
				expect(code.includes(marker), `${marker} in ${path}`).toBe(false);
			}
		}
	});
});
