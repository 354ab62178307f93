// The triage keys over the demo API: y / Y (OSC 52 with a freshly retrieved link), D (download
// with progress, --gunzip, no overwrite, no partial file), and i / t / Ctrl-D with their y/N
// question, the request the server receives, and --read-only.
import {mkdtemp, readdir, readFile, rm, writeFile} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {Readable} from 'node:stream';
import {gunzipSync} from 'node:zlib';
import {afterAll, afterEach, beforeAll, describe, expect, test} from 'vitest';
import {defaultDownloadFetch, type DownloadFetch} from '../source/actions/download.js';
import type {ExportRecord} from '../source/api/types.js';
import {startApp, type Harness, type HarnessOptions} from './helpers/app-harness.js';
import {newestFirst} from './helpers/demo.js';
import {keys} from './helpers/keys.js';
import {noTmuxDir, standInTmux} from './helpers/stand-in-tmux.js';
import {fakeClock} from './helpers/fake-clock.js';

let harness: Harness | undefined;
let root: string;
const noTmux = noTmuxDir();

beforeAll(async () => {
	root = await mkdtemp(path.join(tmpdir(), 'cl-exports-app-actions-'));
});

afterAll(async () => {
	await rm(root, {recursive: true, force: true});
	await rm(noTmux, {recursive: true, force: true});
});

afterEach(async () => {
	await harness?.close();
	harness = undefined;
});

const ctrlD = '\u0004';
// A clock that stands still: the demo's running exports do not move under these tests.
const frozen = () => Date.UTC(2026, 10, 15, 12, 0, 0);
const esc = '\u001B';

async function open(options: HarnessOptions): Promise<Harness> {
	harness = await startApp(options);
	await harness.waitForRows();
	await harness.settled();
	return harness;
}

/** The first page under a filter the test set (the harness's page() knows no filter). */
function shown(h: Harness, where: (record: ExportRecord) => boolean = () => true): ExportRecord[] {
	return newestFirst(h.server.allExports().filter(record => where(record))).slice(0, h.pageSize);
}

const status = (name: string) => (record: ExportRecord) => record.attributes.status === name;

/** Moves the selection to an export of the first page (`where`: the filter on screen). */
async function select(h: Harness, id: string, where?: (record: ExportRecord) => boolean): Promise<void> {
	const index = shown(h, where).findIndex(record => record.id === id);
	expect(index).toBeGreaterThanOrEqual(0);
	for (let step = 0; step < index; step++) {
		await h.press(keys.down);
	}

	await h.waitForFrame(frame => frame.split('\n').some(line => line.startsWith('│>') && line.includes(id)), {message: `${id} selected`});
}

function decodeOsc52(sequence: string): {mode: 'plain' | 'tmux'; text: string} {
	const plain = /^\u001B\]52;c;([A-Za-z\d+/=]+)\u0007$/.exec(sequence);
	if (plain?.[1]) {
		return {mode: 'plain', text: Buffer.from(plain[1], 'base64').toString('utf8')};
	}

	// tmux: ESC P tmux; <the OSC with every ESC doubled> ESC \
	const tmux = /^\u001BPtmux;\u001B\u001B\]52;c;([A-Za-z\d+/=]+)\u0007\u001B\\$/.exec(sequence);
	if (tmux?.[1]) {
		return {mode: 'tmux', text: Buffer.from(tmux[1], 'base64').toString('utf8')};
	}

	throw new Error(`not an OSC 52 sequence: ${JSON.stringify(sequence)}`);
}

function first(h: Harness, where: (record: ExportRecord) => boolean): ExportRecord {
	const found = shown(h).find(record => where(record));
	if (!found) {
		throw new Error('no such export on page 1');
	}

	return found;
}

describe('y and Y: OSC 52', () => {
	for (const [mode, env, message] of [
		['plain', {TERM: 'xterm-256color'}, "Link sent to the terminal's clipboard (OSC 52)"],
		// A tmux that cannot take the text (here: none on PATH) leaves the passthrough.
		['tmux', {TERM: 'screen-256color', TMUX: '/tmp/tmux-1000/default,4242,0', PATH: noTmux}, 'Link sent via tmux passthrough (OSC 52): needs allow-passthrough on'],
	] as const) {
		test(`y retrieves the export again and sends its fresh link (${mode})`, async () => {
			const clock = fakeClock();
			const written: Array<{data: string; lastRequest?: string}> = [];
			const h = await open({
				filterText: 'status:completed',
				server: {now: clock.now},
				now: clock.now,
				clipboard: {
					env,
					isTTY: true,
					write(data: string) {
						const last = h.server.requests.at(-1);
						written.push({data, lastRequest: last ? `${last.method} ${last.path}` : undefined});
					},
				},
			});
			const target = shown(h, status('completed'))[1]!;
			await select(h, target.id, status('completed'));
			// Four minutes after the list was fetched: the listed link is about to expire.
			const listedAt = clock.time;
			clock.advance(4 * 60_000);
			await h.press('y');
			const frame = await h.waitForFrame(message);
			expect(written).toHaveLength(1);
			const {data, lastRequest} = written[0]!;
			// Retrieved just before it was written.
			expect(lastRequest).toBe(`GET /api/exports/${target.id}`);
			const decoded = decodeOsc52(data);
			expect(decoded.mode).toBe(mode);
			const url = new URL(decoded.text);
			expect(url.pathname).toBe(`/attachments/${target.id}.${String(target.attributes.format)}.gz`);
			// Issued now (expires 5 minutes from the retrieve), not when the list was fetched.
			expect(Number(url.searchParams.get('expires'))).toBe(Math.floor(clock.time / 1000) + 300);
			expect(Number(url.searchParams.get('expires'))).toBeGreaterThan(Math.floor(listedAt / 1000) + 300);
			// And it works.
			expect((await fetch(decoded.text)).status).toBe(200);
			// Shown in full above the footer, to copy by hand.
			expect(frame.replaceAll('\n', '')).toContain(decoded.text);
			// Esc hides it.
			await h.press(keys.escape);
			await h.waitForFrame(text => !text.replaceAll('\n', '').includes(decoded.text));
		});
	}

	test('inside tmux, y hands the fresh link to `tmux load-buffer -w -`, says so, writes nothing to the terminal and shows the link', async () => {
		const tmux = standInTmux();
		try {
			const written: string[] = [];
			const env = {TERM: 'tmux-256color', TMUX: '/tmp/tmux-1000/default,4242,0', PATH: `${tmux.dir}:${process.env['PATH'] ?? ''}`};
			const h = await open({filterText: 'status:completed', clipboard: {env, isTTY: true, write: (data: string) => written.push(data)}});
			const target = shown(h, status('completed'))[0]!;
			await h.press('y');
			const frame = await h.waitForFrame("Link copied to tmux's buffer and sent on to the terminal's clipboard");
			const [load] = tmux.calls();
			expect(load?.args).toEqual(['load-buffer', '-w', '-']);
			expect(new URL(load!.stdin).pathname).toBe(`/attachments/${target.id}.${String(target.attributes.format)}.gz`);
			expect(written).toEqual([]);
			expect(frame.replaceAll('\n', '')).toContain(load!.stdin);
		} finally {
			tmux.remove();
		}
	});

	test('Y sends the id, with no request; y on an export that is not completed says there is no file', async () => {
		const written: string[] = [];
		const h = await open({clipboard: {env: {TERM: 'xterm'}, isTTY: true, write: (data: string) => written.push(data)}});
		const running = first(h, record => record.attributes.status === 'in_progress');
		await select(h, running.id);
		const calls = h.calls();
		await h.press('Y');
		await h.waitForFrame(`Id ${running.id} sent to the terminal's clipboard (OSC 52)`);
		expect(written.map(data => decodeOsc52(data).text)).toEqual([running.id]);
		expect(h.calls()).toBe(calls);
		await h.press('y');
		await h.waitForFrame(`Export ${running.id} is in_progress: it has no file`);
		expect(written).toHaveLength(1);
	});

	test('not a terminal: nothing is written, the footer says so and the link is still shown', async () => {
		const written: string[] = [];
		const h = await open({filterText: 'status:completed', clipboard: {env: {}, isTTY: false, write: (data: string) => written.push(data)}});
		await h.press('y');
		const frame = await h.waitForFrame('not sent to the clipboard: output is not a terminal');
		expect(written).toEqual([]);
		expect(frame).toContain('/attachments/');
	});
});

describe('D: download', () => {
	test('saves the decompressed file (--gunzip) with a progress line, then refuses to overwrite it', async () => {
		const dir = await mkdtemp(path.join(root, 'gunzip-'));
		const h = await open({filterText: 'status:completed format:csv', config: {downloadDir: dir, gunzip: true}});
		const target = shown(h, record => record.attributes.status === 'completed' && record.attributes.format === 'csv')[0]!;
		await h.press('D');
		const saved = path.join(dir, `${target.id}.csv`);
		const frame = await h.waitForFrame(`Saved ${saved} (`, {timeoutMs: 10_000});
		expect(frame).toMatch(new RegExp(`Saved .*${target.id}\\.csv \\([\\d.]+ k?B\\)`));
		expect(h.app.frames.some(text => text.includes(`↓ ${target.id}`))).toBe(true);
		expect(await readdir(dir)).toEqual([`${target.id}.csv`]);
		// The content is the export's file, decompressed.
		const fresh = await h.client.getExport(target.id);
		const served = gunzipSync(Buffer.from(await (await fetch(String(fresh.attributes.attachment_url))).arrayBuffer())).toString('utf8');
		const text = await readFile(saved, 'utf8');
		expect(text).toBe(served);
		expect(text.trimEnd().split('\n')).toHaveLength((target.attributes.records_count ?? 0) + 1);

		await writeFile(saved, 'mine');
		await h.press('D');
		await h.waitForFrame(`${saved} already exists, not overwritten`);
		expect(await readFile(saved, 'utf8')).toBe('mine');
		expect(await readdir(dir)).toEqual([`${target.id}.csv`]);
	});

	test('a transfer that breaks off half way leaves nothing behind', async () => {
		const dir = await mkdtemp(path.join(root, 'broken-'));
		const breaks: DownloadFetch = async (url, init) => {
			const response = await defaultDownloadFetch(url, init);
			const chunks: Buffer[] = [];
			for await (const chunk of response.body as AsyncIterable<Buffer>) {
				chunks.push(Buffer.from(chunk));
			}

			const whole = Buffer.concat(chunks);
			const body = new Readable({read() {}});
			body.push(whole.subarray(0, Math.floor(whole.length / 2)));
			setImmediate(() => body.destroy(Object.assign(new Error('socket hang up'), {code: 'ECONNRESET'})));
			return {status: 200, statusText: 'OK', headers: {get: (name: string) => (name.toLowerCase() === 'content-length' ? String(whole.length) : null)}, body};
		};

		const h = await open({filterText: 'status:completed', config: {downloadDir: dir}, downloadFetch: breaks});
		await h.press('D');
		await h.waitForFrame('✖ Download failed');
		expect(await readdir(dir)).toEqual([]);
	});

	test('Esc cancels a running download: no file, no partial file', async () => {
		const dir = await mkdtemp(path.join(root, 'cancel-'));
		const stalls: DownloadFetch = async (_url, init) => {
			const body = new Readable({read() {}});
			body.push(Buffer.alloc(1000, 1));
			init.signal.addEventListener('abort', () => body.destroy(new Error('aborted')));
			return {status: 200, statusText: 'OK', headers: {get: (name: string) => (name.toLowerCase() === 'content-length' ? '100000' : null)}, body};
		};

		const h = await open({filterText: 'status:completed', config: {downloadDir: dir}, downloadFetch: stalls});
		const target = shown(h, status('completed'))[0]!;
		await h.press('D');
		await h.waitForFrame(frame => frame.includes(`↓ ${target.id}`) && frame.includes(' of 100 kB') && frame.includes('Esc cancels'));
		expect((await readdir(dir)).some(name => name.includes('.part-'))).toBe(true);
		await h.press(esc);
		await h.waitForFrame(`Download of ${target.id} cancelled: nothing saved`);
		await expect.poll(async () => readdir(dir)).toEqual([]);
	});
});

describe('interrupt, restart, delete', () => {
	function patches(h: Harness) {
		return h.wire.filter(entry => entry.method === 'PATCH' || entry.method === 'DELETE');
	}

	test('i asks y/N naming the export; another key cancels with no request; y sends _interrupt and refreshes', async () => {
		const h = await open({filterText: 'status:in_progress', server: {now: frozen}, now: frozen});
		const target = shown(h, status('in_progress'))[0]!;
		await h.press('i');
		await h.waitForFrame(`Interrupt export ${target.id} (${String(target.attributes.resource_type)}, in_progress)? y/N`);
		await h.press('x');
		await h.waitForFrame(`Cancelled: export ${target.id} not interrupted`);
		expect(patches(h)).toEqual([]);

		const pages = h.listRequests().length;
		const counts = h.countRequests().length;
		await h.press('i');
		await h.waitForFrame('? y/N');
		await h.press('y');
		await h.waitForFrame(`Export ${target.id} interrupted: now interrupted`);
		expect(patches(h)).toEqual([
			{method: 'PATCH', url: `${h.server.url}/api/exports/${target.id}`, body: JSON.stringify({data: {type: 'exports', id: target.id, attributes: {_interrupt: true}}})},
		]);
		expect(h.server.allExports().find(record => record.id === target.id)?.attributes.status).toBe('interrupted');
		// The page and the counts again: the interrupted export leaves the in_progress filter.
		await h.waitFor(() => h.listRequests().length > pages && h.countRequests().length === counts + 5, {message: 'the refresh'});
		await h.waitForFrame(frame => !frame.split('\n').some(line => line.startsWith('│') && line.includes(target.id)), {message: 'the row gone'});
	});

	test('t restarts a failed export with _start; Ctrl-D deletes with DELETE; Esc is a no', async () => {
		const h = await open({filterText: 'status:failed', server: {now: frozen}, now: frozen});
		const failed = shown(h, status('failed'))[0]!;
		await h.press('t');
		await h.waitForFrame(`Restart export ${failed.id} (${String(failed.attributes.resource_type)}, failed)? y/N`);
		await h.press('y');
		await h.waitForFrame(`Export ${failed.id} restarted: now pending`);
		expect(patches(h).at(-1)).toEqual({
			method: 'PATCH',
			url: `${h.server.url}/api/exports/${failed.id}`,
			body: JSON.stringify({data: {type: 'exports', id: failed.id, attributes: {_start: true}}}),
		});
		await h.settled();

		// The restarted export has left the failed filter; the next one is selected.
		const other = shown(h, status('failed'))[0]!;
		await h.waitForFrame(frame => frame.split('\n').some(line => line.startsWith('│>') && line.includes(other.id)));
		await h.press(ctrlD);
		await h.waitForFrame(`Delete export ${other.id} (${String(other.attributes.resource_type)}, failed)? This cannot be undone. y/N`);
		await h.press(esc);
		await h.waitForFrame(`Cancelled: export ${other.id} not deleted`);
		expect(patches(h)).toHaveLength(1);
		await h.press(ctrlD);
		await h.waitForFrame('? This cannot be undone. y/N');
		await h.press('y');
		await h.waitForFrame(`Export ${other.id} deleted`);
		expect(patches(h).at(-1)).toEqual({method: 'DELETE', url: `${h.server.url}/api/exports/${other.id}`});
		expect(h.server.allExports().some(record => record.id === other.id)).toBe(false);
		await h.waitForFrame(frame => !frame.split('\n').some(line => line.startsWith('│') && line.includes(other.id)));
	});

	test('refused for a status that does not allow it, with no request', async () => {
		const h = await open({filterText: 'status:completed'});
		expect(shown(h, status('completed')).length).toBeGreaterThan(0);
		await h.press('i');
		await h.waitForFrame('Cannot interrupt a completed export: only pending or in-progress ones');
		await h.press('t');
		await h.waitForFrame('Cannot restart a completed export: only interrupted or failed ones');
		expect(patches(h)).toEqual([]);
	});

	test('--read-only: all three are off, nothing is asked or sent', async () => {
		const h = await open({filterText: 'status:failed', config: {readOnly: true}});
		for (const [input, word] of [['i', 'interrupt'], ['t', 'restart'], [ctrlD, 'delete']] as const) {
			await h.press(input);
			await h.waitForFrame(`Read-only (--read-only): ${word} is off`);
			expect(h.frame()).not.toContain('y/N');
		}

		await h.settled();
		expect(patches(h)).toEqual([]);
		await h.press('?');
		const help = await h.waitForFrame('Keys');
		expect(help).toContain('Actions (off: read-only)');
	});
});
