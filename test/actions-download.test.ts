// Downloads over real loopback HTTP into real temporary folders: against the demo API (fresh
// signed links, expiry, injected faults) and against small servers of our own for what the demo
// cannot do (a body that stalls or breaks off half way, a file that is not gzip).
import {existsSync, readdirSync} from 'node:fs';
import {mkdir, mkdtemp, readFile, readdir, rm, stat, writeFile} from 'node:fs/promises';
import type {ServerResponse} from 'node:http';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {gunzipSync, gzipSync} from 'node:zlib';
import {afterAll, afterEach, beforeAll, describe, expect, it} from 'vitest';
import {
	describeProgress,
	downloadExport,
	downloadFileName,
	DownloadError,
	formatBytes,
	type DownloadFetch,
	type DownloadProgress,
} from '../source/actions/download.js';
import {placeFile} from '../source/actions/download-destination.js';
import {progressBar} from '../source/actions/download-progress.js';
import {staticToken} from '../source/api/auth.js';
import {createClient, type ExportsClient} from '../source/api/client.js';
import {describeError, isAbortError} from '../source/api/errors.js';
import type {ExportRecord} from '../source/api/types.js';
import {startDemoServer, type DemoServer} from '../source/demo/server.js';
import {startServer, waitFor, type LoopbackServer} from './helpers/api-loopback.js';
import {rejection} from './helpers/failure.js';

// A fixed clock: links expire only when a test moves it.
const anchor = Date.UTC(2026, 5, 15, 12, 0, 0);
let clock = anchor;
let demo: DemoServer;
let client: ExportsClient;
let root: string;
const servers: LoopbackServer[] = [];

beforeAll(async () => {
	demo = await startDemoServer({now: () => clock, rateLimit: false});
	client = createClient({baseUrl: demo.url, auth: staticToken(demo.token), rateLimit: false});
	root = await mkdtemp(path.join(tmpdir(), 'cl-exports-download-'));
});

afterAll(async () => {
	await demo.close();
	await rm(root, {recursive: true, force: true});
});

afterEach(async () => {
	await Promise.all(servers.splice(0).map(async server => server.close()));
});

async function folder(): Promise<string> {
	return mkdtemp(path.join(root, 'dir-'));
}

/** Columns every row of a resource type's file has (the demo generates them per type). */
const columnsByType: Record<string, string[]> = {
	skus: ['code', 'name', 'weight'],
	orders: ['number', 'status', 'total_amount_cents'],
	stock_items: ['sku_code', 'quantity', 'stock_location_id'],
	prices: ['sku_code', 'amount_cents'],
	customers: ['email', 'status'],
	gift_cards: ['code', 'balance_cents'],
	line_items: ['sku_code', 'quantity', 'unit_amount_cents'],
	addresses: ['line_1', 'city', 'country_code'],
	shipments: ['number', 'status'],
	coupons: ['code', 'usage_count'],
};

/** A completed export whose file has the full columns of a type we know, with at least `minRecords` rows. */
function completed(format: 'json' | 'csv', minRecords = 1): ExportRecord {
	const found = demo.allExports().find(record => {
		const a = record.attributes;
		const allFields = !a.fields || a.fields.length === 0 || a.fields.includes('*');
		return (
			a.status === 'completed' &&
			a.format === format &&
			(a.records_count ?? 0) >= minRecords &&
			allFields &&
			!a.dry_data &&
			typeof a.resource_type === 'string' &&
			a.resource_type in columnsByType
		);
	});
	if (!found) {
		throw new Error(`no completed ${format} export in the demo data`);
	}

	return found;
}

function notCompleted(): ExportRecord {
	const found = demo.allExports().find(record => record.attributes.status === 'in_progress' || record.attributes.status === 'pending');
	if (!found) {
		throw new Error('no unfinished export in the demo data');
	}

	return found;
}

/** The attachment exactly as the demo serves it, fetched with a freshly signed link. */
async function servedFile(id: string): Promise<Buffer> {
	const fresh = await client.getExport(id);
	const response = await fetch(String(fresh.attributes.attachment_url));
	expect(response.status).toBe(200);
	return Buffer.from(await response.arrayBuffer());
}

/** What a failed download may leave: nothing at all, whatever the failure. */
async function expectEmpty(dir: string, keep: string[] = []) {
	expect((await readdir(dir)).sort()).toEqual(keep.sort());
}

function stubClient(url: string, attributes: Record<string, unknown> = {}): Pick<ExportsClient, 'getExport'> {
	return {
		async getExport(id: string) {
			return {id, type: 'exports', attributes: {status: 'completed', format: 'json', resource_type: 'skus', attachment_url: url, ...attributes}};
		},
	};
}

const rows = Array.from({length: 4000}, (_, index) => ({id: `sku${index}`, code: `TSHIRTMM000000${index}`, name: 'Black T-shirt', weight: index}));
const gz = gzipSync(JSON.stringify(rows));

describe('downloadExport against the demo API', () => {
	it('retrieves the export again, then saves <id>.json.gz byte for byte, sending no token to storage', async () => {
		const record = completed('json');
		const id = record.id;
		const expectedFile = await servedFile(id);
		// A link listed six minutes ago has expired: the download must not depend on it.
		const listed = await client.getExport(id);
		clock += 6 * 60_000;
		const stale = await fetch(String(listed.attributes.attachment_url));
		expect(stale.status).toBe(403);

		const dir = await folder();
		const progress: DownloadProgress[] = [];
		demo.clearRequests();
		const result = await downloadExport({client, id, dir, signal: new AbortController().signal, onProgress: p => progress.push(p)});

		expect(result.path).toBe(path.join(dir, `${id}.json.gz`));
		expect(result.name).toBe(`${id}.json.gz`);
		await expectEmpty(dir, [`${id}.json.gz`]);
		const saved = await readFile(result.path);
		expect(saved.equals(expectedFile)).toBe(true);
		expect(result.bytes).toBe(saved.length);

		const content = JSON.parse(gunzipSync(saved).toString('utf8')) as Array<Record<string, unknown>>;
		expect(content).toHaveLength(record.attributes.records_count ?? -1);
		for (const column of ['id', ...(columnsByType[String(record.attributes.resource_type)] ?? [])]) {
			expect(content.every(row => column in row)).toBe(true);
		}

		// Retrieved just before: the export, then its file, with the link that retrieve returned.
		const [retrieve, attachment, ...rest] = demo.requests;
		expect(rest).toEqual([]);
		expect(retrieve).toMatchObject({method: 'GET', path: `/api/exports/${id}`, status: 200, authorization: `Bearer ${demo.token}`});
		expect(attachment).toMatchObject({method: 'GET', path: `/attachments/${id}.json.gz`, status: 200});
		expect(String(result.record.attributes.attachment_url).endsWith(`?${attachment?.search ?? 'missing'}`)).toBe(true);
		expect(attachment?.authorization).toBeUndefined();
		expect(JSON.stringify(attachment?.headers)).not.toContain(demo.token);

		expect(progress[0]).toEqual({received: 0, total: saved.length});
		expect(progress.at(-1)).toEqual({received: saved.length, total: saved.length});
	});

	it('with gunzip writes the decompressed <id>.csv whose header and rows match the export', async () => {
		const record = completed('csv');
		const id = record.id;
		const expected = gunzipSync(await servedFile(id)).toString('utf8');
		const dir = await folder();
		const result = await downloadExport({client, id, dir, gunzip: true});

		expect(result.path).toBe(path.join(dir, `${id}.csv`));
		await expectEmpty(dir, [`${id}.csv`]);
		const text = await readFile(result.path, 'utf8');
		expect(text).toBe(expected);
		expect(result.bytes).toBe(Buffer.byteLength(text));
		const lines = text.trimEnd().split('\n');
		const header = (lines[0] ?? '').split(',');
		expect(header[0]).toBe('id');
		expect(header).toEqual(expect.arrayContaining(columnsByType[String(record.attributes.resource_type)] ?? ['missing']));
		expect(lines).toHaveLength((record.attributes.records_count ?? 0) + 1);
	});

	it('reports progress that reaches the total of a large file', async () => {
		const record = completed('csv', 5000);
		const dir = await folder();
		const progress: DownloadProgress[] = [];
		const result = await downloadExport({client, id: record.id, dir, onProgress: p => progress.push(p)});

		expect(result.bytes).toBeGreaterThan(100_000);
		expect(progress[0]).toEqual({received: 0, total: result.bytes});
		expect(progress.at(-1)).toEqual({received: result.bytes, total: result.bytes});
	});

	it('refuses to overwrite an existing file and leaves it as it was', async () => {
		const {id} = completed('json');
		const dir = await folder();
		const existing = path.join(dir, `${id}.json.gz`);
		await writeFile(existing, 'my own notes');
		demo.clearRequests();

		const error = await rejection(downloadExport({client, id, dir}));
		expect(error).toBeInstanceOf(DownloadError);
		expect(error).toMatchObject({kind: 'exists', path: existing});
		expect(describeError(error)).toBe(`${existing} already exists, not overwritten`);
		expect(await readFile(existing, 'utf8')).toBe('my own notes');
		await expectEmpty(dir, [`${id}.json.gz`]);
		expect(demo.requests.filter(request => request.path.startsWith('/attachments/'))).toEqual([]);
	});

	it('refuses an export that is not completed, naming its status', async () => {
		const record = notCompleted();
		const dir = await folder();
		const error = await rejection(downloadExport({client, id: record.id, dir}));
		expect(error).toMatchObject({kind: 'not_ready'});
		expect(describeError(error)).toMatch(new RegExp(`^No file to download: export ${record.id} is (in_progress|pending), not completed$`));
		await expectEmpty(dir);
	});

	it('cleans up when the connection is reset', async () => {
		const {id} = completed('json');
		const dir = await folder();
		demo.injectFault({path: /^\/attachments\//, kind: 'reset'});
		const error = await rejection(downloadExport({client, id, dir}));
		expect(error).toMatchObject({kind: 'network'});
		expect(describeError(error)).toMatch(/^Download failed: .*127\.0\.0\.1:\d+/);
		expect(describeError(error)).not.toMatch(/signature|expires=/);
		await expectEmpty(dir);
	});

	it('cleans up after an HTTP error from storage', async () => {
		const {id} = completed('json');
		const dir = await folder();
		demo.injectFault({path: /^\/attachments\//, kind: 'status', status: 500});
		const error = await rejection(downloadExport({client, id, dir}));
		expect(error).toMatchObject({kind: 'http', status: 500});
		expect(describeError(error)).toMatch(/^Download failed: 127\.0\.0\.1:\d+ answered 500 Internal Server Error$/);
		await expectEmpty(dir);
	});

	it('says the link expired when storage answers 403 AccessDenied, without the signed query or the token', async () => {
		const {id} = completed('json');
		const dir = await folder();
		// The link expires between the retrieve and the download (a clock jump of six minutes).
		const slow: Pick<ExportsClient, 'getExport'> = {
			async getExport(exportId, signal) {
				const record = await client.getExport(exportId, signal);
				clock += 6 * 60_000;
				return record;
			},
		};
		demo.clearRequests();
		const error = await rejection(downloadExport({client: slow, id, dir}));
		expect(error).toMatchObject({kind: 'http', status: 403});
		const message = describeError(error);
		expect(message).toMatch(/^Download failed: 127\.0\.0\.1:\d+ answered 403 Forbidden \(AccessDenied: Request has expired\): the download link expired, try again$/);
		expect(message).not.toContain(demo.token);
		expect(message).not.toMatch(/signature|expires=|\?/);
		expect(demo.requests.at(-1)).toMatchObject({path: `/attachments/${id}.json.gz`, status: 403});
		await expectEmpty(dir);
	});

	it('refuses a download folder that does not exist, creating nothing', async () => {
		const {id} = completed('json');
		const dir = path.join(await folder(), 'missing');
		const error = await rejection(downloadExport({client, id, dir}));
		expect(error).toMatchObject({kind: 'folder'});
		expect(describeError(error)).toBe(`Download folder ${dir} does not exist`);
		expect(existsSync(dir)).toBe(false);
	});
});

describe('downloadExport against a server of our own', () => {
	/** Starts a server answering the attachment with `handler`; returns its URL. */
	async function storage(handler: (response: ServerResponse) => void): Promise<{url: string; server: LoopbackServer}> {
		const server = await startServer((_request, response) => {
			handler(response);
		});
		servers.push(server);
		return {url: `${server.url}/exports/file.json.gz?X-Amz-Expires=300&X-Amz-Signature=deadbeefcafe`, server};
	}

	it('reports progress at most every 100 ms while chunks trickle in, and reaches the total', async () => {
		const chunkCount = 50;
		const size = Math.ceil(gz.length / chunkCount);
		const {url} = await storage(response => {
			response.writeHead(200, {'Content-Type': 'application/gzip', 'Content-Length': gz.length});
			let sent = 0;
			const timer = setInterval(() => {
				response.write(gz.subarray(sent * size, (sent + 1) * size));
				sent++;
				if (sent === chunkCount) {
					clearInterval(timer);
					response.end();
				}
			}, 10);
		});
		const dir = await folder();
		const progress: Array<DownloadProgress & {at: number}> = [];
		const started = Date.now();
		// Each report is timed by the clock the download read for it, not by when the callback ran.
		let clock = 0;
		const now = () => (clock = Date.now());
		const result = await downloadExport({client: stubClient(url), id: 'trickle', dir, now, onProgress: p => progress.push({...p, at: clock})});
		const elapsed = Date.now() - started;

		expect(result.bytes).toBe(gz.length);
		expect(progress[0]).toMatchObject({received: 0, total: gz.length});
		expect(progress.at(-1)).toMatchObject({received: gz.length, total: gz.length});
		// Some reports in between, far fewer than the chunks: the start, one per 100 ms, the end.
		expect(progress.length).toBeGreaterThanOrEqual(3);
		expect(progress.length).toBeLessThanOrEqual(2 + Math.ceil(elapsed / 100));
		const between = progress.slice(1, -1);
		for (const [index, report] of between.entries()) {
			const previous = progress[index];
			if (previous) {
				expect(report.at - previous.at).toBeGreaterThanOrEqual(99);
			}
		}

		const received = progress.map(p => p.received);
		expect(received).toEqual([...received].sort((a, b) => a - b));
	});

	it('follows a redirect on the loopback host it came from', async () => {
		const server = await startServer((request, response) => {
			if (request.path === '/exports/file.json.gz') {
				response.writeHead(302, {Location: '/moved/file.json.gz?X-Amz-Signature=deadbeefcafe'}).end();
			} else {
				response.writeHead(200, {'Content-Type': 'application/gzip', 'Content-Length': gz.length}).end(gz);
			}
		});
		servers.push(server);
		const dir = await folder();
		const result = await downloadExport({client: stubClient(`${server.url}/exports/file.json.gz?X-Amz-Signature=deadbeefcafe`), id: 'moved', dir});
		expect(result.bytes).toBe(gz.length);
		expect(server.requests.map(request => request.path)).toEqual(['/exports/file.json.gz', '/moved/file.json.gz']);
	});

	for (const [what, to, says] of [
		['plain http off the loopback host', 'http://203.0.113.7/exports/file.json.gz', 'redirected to plain http (203.0.113.7): not followed'],
		['another scheme', 'ftp://127.0.0.1/exports/file.json.gz', 'redirected to ftp: (only https is followed)'],
	] as const) {
		it(`refuses a redirect to ${what}, leaving nothing`, async () => {
			const {url, server} = await storage(response => {
				response.writeHead(302, {Location: to}).end();
			});
			const dir = await folder();
			const error = await downloadExport({client: stubClient(url), id: 'redirected', dir, idleTimeoutMs: 3000}).catch((error_: unknown) => error_);
			expect(error).toBeInstanceOf(DownloadError);
			expect((error as DownloadError).kind).toBe('redirect');
			expect((error as DownloadError).message).toBe(`Download failed: ${server.host} ${says}`);
			expect(await readdir(dir)).toEqual([]);
		});
	}

	it('refuses a redirect from https down to http, even to a loopback host, and a plain-http link off it', async () => {
		const asked: string[] = [];
		const fetch: DownloadFetch = async url => {
			asked.push(url);
			return {status: 302, statusText: 'Found', headers: new Headers({location: 'http://127.0.0.1:9/file.json.gz'}), body: null};
		};

		const dir = await folder();
		const error = await downloadExport({client: stubClient('https://storage.example/file.json.gz?X-Amz-Signature=x'), id: 'down', dir, fetch}).catch((error_: unknown) => error_);
		expect((error as DownloadError).kind).toBe('redirect');
		expect((error as DownloadError).message).toBe('Download failed: storage.example redirected from https to plain http (127.0.0.1:9): not followed');
		expect(asked).toEqual(['https://storage.example/file.json.gz?X-Amz-Signature=x']);

		const plain = await downloadExport({client: stubClient('http://storage.example/file.json.gz'), id: 'plain', dir, fetch}).catch((error_: unknown) => error_);
		expect((plain as DownloadError).message).toBe('Export plain has an attachment URL over plain http to storage.example: only https is used');
		expect(asked).toHaveLength(1);
	});

	it('leaves no partial file when the user cancels mid-transfer', async () => {
		const {url, server} = await storage(response => {
			response.writeHead(200, {'Content-Type': 'application/gzip', 'Content-Length': gz.length});
			response.write(gz.subarray(0, 1000)); // …and nothing more
		});
		const dir = await folder();
		const controller = new AbortController();
		const progress: DownloadProgress[] = [];
		const download = rejection(
			downloadExport({client: stubClient(url), id: 'hangingOne', dir, signal: controller.signal, onProgress: p => progress.push(p), progressIntervalMs: 0}),
		);

		await waitFor(() => progress.some(p => p.received >= 1000) && readdirSync(dir).length === 1);
		// While it runs, only a hidden temporary file exists, never the final name.
		expect(readdirSync(dir)[0]).toMatch(/^\.hangingOne\.json\.gz\.part-[\da-f]{12}$/);
		expect(server.requests[0]?.headers.authorization).toBeUndefined();
		controller.abort();

		const error = await download;
		expect(isAbortError(error)).toBe(true);
		await expectEmpty(dir);
	});

	it('leaves no partial file when the connection breaks off mid-body', async () => {
		const {url} = await storage(response => {
			response.writeHead(200, {'Content-Type': 'application/gzip', 'Content-Length': gz.length});
			response.write(gz.subarray(0, gz.length / 2), () => {
				response.socket?.destroy();
			});
		});
		const dir = await folder();
		for (const gunzip of [false, true]) {
			const error = await rejection(downloadExport({client: stubClient(url), id: 'brokenOff', dir, gunzip}));
			expect(error).toMatchObject({kind: 'network'});
			expect(describeError(error)).toMatch(/^Download failed: (connection reset by|.* closed the connection before the response was complete)/);
			expect(describeError(error)).not.toContain('Signature');
			await expectEmpty(dir);
		}
	});

	it('gives up after the idle timeout when the body stalls, leaving nothing', async () => {
		const {url} = await storage(response => {
			response.writeHead(200, {'Content-Type': 'application/gzip', 'Content-Length': gz.length});
			response.write(gz.subarray(0, 500));
		});
		const dir = await folder();
		const error = await rejection(downloadExport({client: stubClient(url), id: 'stalled', dir, idleTimeoutMs: 300}));
		expect(error).toMatchObject({kind: 'timeout'});
		expect(describeError(error)).toMatch(/^Download failed: 127\.0\.0\.1:\d+ sent nothing for 300 ms$/);
		await expectEmpty(dir);
	});

	it('rejects a body that is not gzip, whether it is kept compressed or decompressed', async () => {
		const {url} = await storage(response => {
			response.writeHead(200, {'Content-Type': 'text/html'});
			response.end('<html><body>Please log in to the hotel Wi-Fi</body></html>');
		});
		const dir = await folder();
		for (const gunzip of [false, true]) {
			const error = await rejection(downloadExport({client: stubClient(url), id: 'portal', dir, gunzip}));
			expect(error).toMatchObject({kind: 'gzip'});
			expect(describeError(error)).toMatch(/^Download failed: the file from 127\.0\.0\.1:\d+ is not valid gzip \(incorrect header check\)$/);
			await expectEmpty(dir);
		}
	});

	it('rejects a cut gzip file even when its length matches Content-Length', async () => {
		const cut = gz.subarray(0, gz.length - 100);
		const {url} = await storage(response => {
			response.writeHead(200, {'Content-Type': 'application/gzip', 'Content-Length': cut.length});
			response.end(cut);
		});
		const dir = await folder();
		const error = await rejection(downloadExport({client: stubClient(url), id: 'cut', dir}));
		expect(error).toMatchObject({kind: 'gzip'});
		expect(describeError(error)).toMatch(/unexpected end of file/);
		await expectEmpty(dir);
	});

	it('never replaces a file that appears while the download runs', async () => {
		let pending: ServerResponse | undefined;
		const {url} = await storage(response => {
			response.writeHead(200, {'Content-Type': 'application/gzip', 'Content-Length': gz.length});
			response.write(gz.subarray(0, 1000));
			pending = response;
		});
		const dir = await folder();
		const progress: DownloadProgress[] = [];
		const download = rejection(downloadExport({client: stubClient(url), id: 'raced', dir, onProgress: p => progress.push(p), progressIntervalMs: 0}));
		await waitFor(() => pending !== undefined && progress.some(p => p.received > 0));
		const other = path.join(dir, 'raced.json.gz');
		await writeFile(other, 'written by someone else');
		pending?.end(gz.subarray(1000));

		const error = await download;
		expect(error).toMatchObject({kind: 'exists', path: other});
		expect(await readFile(other, 'utf8')).toBe('written by someone else');
		await expectEmpty(dir, ['raced.json.gz']);
	});

	it('names the file from a sanitized id and the format, and reports the decompressed size', async () => {
		const {url} = await storage(response => {
			response.writeHead(200, {'Content-Type': 'application/gzip', 'Content-Length': gz.length});
			response.end(gz);
		});
		const dir = await folder();
		const result = await downloadExport({client: stubClient(url, {format: null}), id: '../../etc/passwd', format: 'json', dir, gunzip: true});
		expect(result.name).toBe('etc_passwd.json');
		expect(result.path).toBe(path.join(dir, 'etc_passwd.json'));
		expect(result.bytes).toBe(Buffer.byteLength(JSON.stringify(rows)));
		expect((await stat(result.path)).size).toBe(result.bytes);
		await expectEmpty(dir, ['etc_passwd.json']);
	});

	it('refuses an export with no attachment without a request to storage', async () => {
		const dir = await folder();
		const error = await rejection(downloadExport({client: stubClient('', {attachment_url: null}), id: 'empty1', dir}));
		expect(error).toMatchObject({kind: 'no_attachment'});
		expect(describeError(error)).toBe('Export empty1 has no attachment to download');
		await expectEmpty(dir);
	});
});

describe('placeFile', () => {
	it('falls back to an exclusive create and a rename where hard links are not supported', async () => {
		const dir = await folder();
		const temporary = path.join(dir, '.x.json.part-1');
		await writeFile(temporary, 'data');
		const noLinks = {
			async link() {
				throw Object.assign(new Error('operation not permitted'), {code: 'EPERM'});
			},
		};
		await placeFile(temporary, path.join(dir, 'x.json'), noLinks);
		expect(await readFile(path.join(dir, 'x.json'), 'utf8')).toBe('data');
		await expectEmpty(dir, ['x.json']);

		await writeFile(temporary, 'newer');
		const error = await rejection(placeFile(temporary, path.join(dir, 'x.json'), noLinks));
		expect(error).toMatchObject({kind: 'exists'});
		expect(await readFile(path.join(dir, 'x.json'), 'utf8')).toBe('data');
	});

	it('refuses to link over an existing name', async () => {
		const dir = await folder();
		await mkdir(path.join(dir, 'taken.json'));
		await writeFile(path.join(dir, '.t'), 'data');
		const error = await rejection(placeFile(path.join(dir, '.t'), path.join(dir, 'taken.json')));
		expect(error).toMatchObject({kind: 'exists'});
	});
});

describe('text helpers', () => {
	it('formats byte counts in powers of 1000', () => {
		expect(formatBytes(0)).toBe('0 B');
		expect(formatBytes(999)).toBe('999 B');
		expect(formatBytes(1000)).toBe('1.0 kB');
		expect(formatBytes(1_234_567)).toBe('1.2 MB');
		expect(formatBytes(34_500_000)).toBe('34.5 MB');
		expect(formatBytes(123_456_789)).toBe('123 MB');
		expect(formatBytes(999_999)).toBe('1.0 MB');
		expect(formatBytes(5e15)).toBe('5.0 PB');
	});

	it('draws a bar of exactly the width, full only when done', () => {
		expect(progressBar(0, 10)).toBe('░░░░░░░░░░');
		expect(progressBar(0.5, 10)).toBe('█████░░░░░');
		expect(progressBar(0.999, 10)).toBe('█████████░');
		expect(progressBar(1, 10)).toBe('██████████');
		expect(progressBar(2, 4)).toBe('████');
		expect(progressBar(Number.NaN, 3)).toBe('░░░');
		expect(progressBar(0.5, 0)).toBe('');
	});

	it('describes progress for the footer', () => {
		expect(describeProgress({received: 1_200_000, total: 2_900_000})).toBe('████░░░░░░  41% 1.2 MB of 2.9 MB');
		expect(describeProgress({received: 1_200_000})).toBe('1.2 MB');
	});

	it('builds file names that cannot leave the folder', () => {
		expect(downloadFileName('XAyRWNUzyN', 'csv', false)).toBe('XAyRWNUzyN.csv.gz');
		expect(downloadFileName('XAyRWNUzyN', 'CSV', true)).toBe('XAyRWNUzyN.csv');
		expect(downloadFileName('XAyRWNUzyN', null, false)).toBe('XAyRWNUzyN.json.gz');
		expect(downloadFileName('..', 'json', true)).toBe('export.json');
		expect(downloadFileName('a/b\\c', '../x', false)).toBe('a_b_c.x.gz');
	});
});
