// A download onto a full disk: the file being written is swapped for /dev/full, so the kernel's own
// ENOSPC comes back from a write to an open file (which, unlike open(), names no path).
import {existsSync} from 'node:fs';
import {mkdtemp, readdir, rm} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {gzipSync} from 'node:zlib';
import {afterAll, beforeAll, expect, it, vi} from 'vitest';
import {downloadExport, DownloadError} from '../source/actions/download.js';
import {startServer, type LoopbackServer} from './helpers/api-loopback.js';

vi.mock('node:fs', async original => {
	const fs = await original<typeof import('node:fs')>();
	return {
		...fs,
		createWriteStream: ((file: string, options?: Parameters<typeof fs.createWriteStream>[1]) =>
			String(file).includes('.part-') ? fs.createWriteStream('/dev/full', {flags: 'w'}) : fs.createWriteStream(file, options)) as typeof fs.createWriteStream,
	};
});

let server: LoopbackServer;
let dir: string;
const gz = gzipSync('x'.repeat(200_000));

beforeAll(async () => {
	server = await startServer((_request, response) => {
		response.writeHead(200, {'Content-Type': 'application/gzip', 'Content-Length': gz.length}).end(gz);
	});
	dir = await mkdtemp(path.join(tmpdir(), 'cl-exports-full-'));
});

afterAll(async () => {
	await server.close();
	await rm(dir, {recursive: true, force: true});
});

it.runIf(existsSync('/dev/full'))('says the disk is full, and where, not that a request failed', async () => {
	const client = {
		async getExport(id: string) {
			return {id, type: 'exports', attributes: {status: 'completed', format: 'json', attachment_url: `${server.url}/file.json.gz`}};
		},
	};
	const error = await downloadExport({client, id: 'full', dir}).catch((error_: unknown) => error_);
	expect(error).toBeInstanceOf(DownloadError);
	expect((error as DownloadError).kind).toBe('disk');
	expect((error as DownloadError).message).toBe(`Download failed: the disk is full (no space left in ${dir})`);
	expect(await readdir(dir)).toEqual([]);
});
