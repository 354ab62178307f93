// What scripts/build.js makes of dist/ (built by the global setup), for start-up's sake: CommonJS
// files (no ES module loader to start), yoga's WebAssembly in its own file and decoded without the
// global fetch (which loads Node's undici), the web-streams polyfill that fetch-blob never needs on
// Node >= 20 left out, and the interactive script (dist/interactive.cjs, compiled with V8's code
// cache) in its shape: yoga instantiated synchronously (a classic script has no top-level await),
// the view evaluated on demand. And modules replaced by stand-ins that load them on first use still
// work when used.
import {execFileSync, spawn} from 'node:child_process';
import {createServer, type Server} from 'node:http';
import {readdirSync, readFileSync} from 'node:fs';
import {join} from 'node:path';
import {fileURLToPath} from 'node:url';
import {gzipSync} from 'node:zlib';
import {afterAll, beforeAll, describe, expect, test} from 'vitest';
import {startDemoServer, type DemoServer} from '../source/demo/server.js';

const dist = fileURLToPath(new URL('../dist', import.meta.url));

function bundleFiles(): Array<{path: string; code: string}> {
	const files = readdirSync(dist)
		.filter(name => name.endsWith('.js') || name.endsWith('.cjs'))
		.map(name => join(dist, name));
	return files.map(path => ({path, code: readFileSync(path, 'utf8')}));
}

describe('dist/', () => {
	test('is CommonJS: the entry starts no ES module loader', () => {
		expect(JSON.parse(readFileSync(join(dist, 'package.json'), 'utf8'))).toEqual({type: 'commonjs'});
		expect(readFileSync(join(dist, 'cli.js'), 'utf8')).toMatch(/^#!\/usr\/bin\/env node\n"use strict";/);
	});

	test("yoga's WebAssembly is its own file, and nothing reads it with fetch", () => {
		const wasm = readFileSync(join(dist, 'yoga.wasm'));
		// The first bytes of every WebAssembly module: \0asm, version 1.
		expect([...wasm.subarray(0, 8)]).toEqual([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0]);
		for (const {path, code} of bundleFiles()) {
			expect(code.includes('data:application/octet-stream;base64,A'), `a base64 payload in ${path}`).toBe(false);
		}

		const code = readFileSync(join(dist, 'interactive.cjs'), 'utf8');
		expect(code).not.toMatch(/typeof fetch\b/);
		expect(code).not.toMatch(/\bfetch\s*\(/);
	});

	test('Ink and yoga are only in the interactive script', () => {
		const withYoga = bundleFiles().filter(file => file.code.includes('yoga.wasm') && file.code.includes('instantiateWasm'));
		expect(withYoga.map(file => file.path)).toEqual([join(dist, 'interactive.cjs')]);
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

describe('modules loaded on first use', () => {
	// An API that compresses its answers, as a proxy in front of one may: node-fetch decompresses
	// them with zlib, which the bundle loads only then.
	let demo: DemoServer;
	let gzipping: Server;
	let url: string;

	beforeAll(async () => {
		// A clock that stands still: the two answers compared below hold the same progress.
		const anchor = Date.now();
		demo = await startDemoServer({rateLimit: false, now: () => anchor});
		gzipping = createServer((request, response) => {
			const headers = {authorization: request.headers.authorization ?? '', accept: request.headers.accept ?? ''};
			fetch(`${demo.url}${request.url}`, {headers})
				.then(async answer => {
					const body = gzipSync(Buffer.from(await answer.arrayBuffer()));
					response.writeHead(answer.status, {'content-type': answer.headers.get('content-type') ?? 'application/json', 'content-encoding': 'gzip', 'content-length': body.length});
					response.end(body);
				})
				.catch(() => response.destroy());
		});
		await new Promise<void>(resolve => gzipping.listen(0, '127.0.0.1', resolve));
		const address = gzipping.address();
		url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
	});

	afterAll(async () => {
		await new Promise(resolve => gzipping.close(resolve));
		await demo.close();
	});

	async function json(baseUrl: string): Promise<{code: number | null; stdout: string; stderr: string}> {
		const child = spawn(process.execPath, [join(dist, 'cli.js'), '--json', '--base-url', baseUrl], {
			env: {PATH: process.env['PATH'] ?? '', CL_ACCESS_TOKEN: demo.token},
			stdio: ['ignore', 'pipe', 'pipe'],
		});
		let stdout = '';
		let stderr = '';
		child.stdout.on('data', (chunk: Buffer) => {
			stdout += chunk.toString('utf8');
		});
		child.stderr.on('data', (chunk: Buffer) => {
			stderr += chunk.toString('utf8');
		});
		const code = await new Promise<number | null>(resolve => child.on('close', resolve));
		return {code, stdout, stderr};
	}

	test('a gzip-compressed answer is decompressed (zlib, loaded on first use)', async () => {
		const compressed = await json(url);
		expect(compressed.stderr).toBe('');
		expect(compressed.code).toBe(0);
		expect(compressed.stdout.trimEnd().split('\n')).toHaveLength(25);
		expect(compressed.stdout).toBe((await json(demo.url)).stdout);
	});
});
