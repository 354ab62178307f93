// Peeking into an export's file over real loopback HTTP: against the demo API (fresh signed links,
// expiry, faults) and against small servers of our own for the hostile files the demo never serves
// (a gzip bomb, a record that never ends, a body that stalls, bytes that are not gzip, JSON or CSV).
import {mkdtemp, readdir, rm} from 'node:fs/promises';
import type {ServerResponse} from 'node:http';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {Readable} from 'node:stream';
import {constants, createGzip, gunzipSync, gzipSync} from 'node:zlib';
import {afterAll, afterEach, beforeAll, describe, expect, it} from 'vitest';
import {AttachmentError} from '../source/actions/attachment-errors.js';
import {peekExport, peekFile, peekFormat, type PeekFileOptions, type PeekProgress} from '../source/actions/peek.js';
import {staticToken} from '../source/api/auth.js';
import {createClient, type ExportsClient} from '../source/api/client.js';
import {describeError, isAbortError} from '../source/api/errors.js';
import type {ExportRecord} from '../source/api/types.js';
import {attachmentRows} from '../source/demo/attachments.js';
import type {DemoExport} from '../source/demo/model.js';
import {startDemoServer, type DemoServer} from '../source/demo/server.js';
import {startServer, type LoopbackServer} from './helpers/api-loopback.js';

// A fixed clock: links expire only when a test moves it.
const anchor = Date.UTC(2026, 5, 15, 12, 0, 0);
let clock = anchor;
let demo: DemoServer;
let client: ExportsClient;
const servers: LoopbackServer[] = [];

beforeAll(async () => {
	demo = await startDemoServer({now: () => clock, rateLimit: false});
	client = createClient({baseUrl: demo.url, auth: staticToken(demo.token), rateLimit: false});
});

afterAll(async () => {
	await demo.close();
});

afterEach(async () => {
	await Promise.all(servers.splice(0).map(async server => server.close()));
});

function failure(promise: Promise<unknown>): Promise<unknown> {
	return promise.then(
		() => {
			throw new Error('the peek should have failed');
		},
		(error: unknown) => error,
	);
}

/** A completed export of the demo with at least `minRecords` records in its file. */
function completed(format: 'json' | 'csv', test: (record: ExportRecord) => boolean = () => true): ExportRecord {
	const found = demo.allExports().find(record => record.attributes.status === 'completed' && record.attributes.format === format && test(record));
	if (!found) {
		throw new Error(`no such completed ${format} export in the demo data`);
	}

	return found;
}

/** The rows the demo generates for an export (seed 1), from its attributes alone. */
function demoRows(record: ExportRecord): Array<Record<string, unknown>> {
	const a = record.attributes;
	const item = {
		id: record.id,
		resource_type: a.resource_type,
		format: a.format,
		records_count: a.records_count,
		fields: a.fields ?? [],
		dry_data: a.dry_data ?? false,
		created_at: Date.parse(String(a.created_at)),
	} as unknown as DemoExport;
	return attachmentRows(item, 1);
}

/** A CSV value as the demo writes it, read back: empty for null, JSON for objects, else the text. */
function csvValue(value: unknown): string {
	if (value === null || value === undefined) {
		return '';
	}

	return typeof value === 'object' ? JSON.stringify(value) : String(value);
}

/** Runs `work` with the current directory (the default download folder) set to an empty one, and says what it holds after. */
async function inEmptyFolder<T>(work: () => Promise<T>): Promise<{result: T; left: string[]}> {
	const dir = await mkdtemp(path.join(tmpdir(), 'cl-exports-peek-'));
	const before = process.cwd();
	process.chdir(dir);
	try {
		const result = await work();
		return {result, left: await readdir(dir)};
	} finally {
		process.chdir(before);
		await rm(dir, {recursive: true, force: true});
	}
}

/** A server that answers every request with `body` (gzipped already, or not, as given). */
async function serve(body: Buffer | ((response: ServerResponse) => void), headers: Record<string, string> = {}): Promise<LoopbackServer> {
	const server = await startServer((_request, response) => {
		if (typeof body === 'function') {
			body(response);
			return;
		}

		response.writeHead(200, {'Content-Type': 'application/gzip', 'Content-Length': String(body.length), ...headers});
		response.end(body);
	});
	servers.push(server);
	return server;
}

function fileAt(server: LoopbackServer, format: 'json' | 'csv', options: Partial<PeekFileOptions> = {}) {
	return peekFile({url: new URL(`${server.url}/file.${format}.gz?signature=secret`), format, ...options});
}

describe('peekExport against the demo API', () => {
	it('retrieves the export again, then shows the first 200 records of its JSON file, writing nothing', async () => {
		const record = completed('json', r => (r.attributes.records_count ?? 0) > 500 && (r.attributes.fields ?? []).length === 0 && !r.attributes.dry_data);
		// A link listed six minutes ago has expired: peek must not depend on it.
		const listed = await client.getExport(record.id);
		clock += 6 * 60_000;
		expect((await fetch(String(listed.attributes.attachment_url))).status).toBe(403);
		demo.clearRequests();
		const progress: PeekProgress[] = [];

		const {result, left} = await inEmptyFolder(async () => peekExport({client, id: record.id, onProgress: p => progress.push(p)}));

		expect(left).toEqual([]);
		const expected = demoRows(record).slice(0, 200);
		expect(result.records).toEqual(expected);
		expect(result).toMatchObject({format: 'json', complete: false, stopped: 'limit'});
		expect(result.columns.slice(0, 3)).toEqual(['id', ...Object.keys(expected[0] ?? {}).slice(1, 3)]);
		expect(result.record.id).toBe(record.id);
		// Only part of the file was read.
		expect(result.total).toBeGreaterThan(result.received);
		expect(progress.at(-1)).toMatchObject({records: 200, received: result.received});

		const [retrieve, file, ...rest] = demo.requests;
		expect(rest).toEqual([]);
		expect(retrieve).toMatchObject({method: 'GET', path: `/api/exports/${record.id}`, status: 200});
		expect(file).toMatchObject({method: 'GET', path: `/attachments/${record.id}.json.gz`, status: 200});
		expect(file?.authorization).toBeUndefined();
		expect(JSON.stringify(file?.headers)).not.toContain(demo.token);
	});

	it('reads a CSV file into records keyed by its header, quoted commas and JSON cells included', async () => {
		const record = completed('csv', r => (r.attributes.records_count ?? 0) > 300 && r.attributes.resource_type === 'skus');
		const {result, left} = await inEmptyFolder(async () => peekExport({client, id: record.id, limit: 300}));
		expect(left).toEqual([]);
		// The demo's header is every key of every row; a row without one has an empty cell.
		const rows = demoRows(record);
		const columns = [...new Set(rows.flatMap(row => Object.keys(row)))];
		expect(result.columns).toEqual(columns);
		expect(result.records).toEqual(rows.slice(0, 300).map(row => Object.fromEntries(columns.map(column => [column, csvValue(row[column])]))));
		expect(result.records.some(row => String(row['description']).includes(','))).toBe(true);
		expect(result).toMatchObject({format: 'csv', complete: false, stopped: 'limit'});
	});

	it('reads the whole of a small file and says so', async () => {
		const record = completed('json', r => (r.attributes.records_count ?? 0) > 0 && (r.attributes.records_count ?? 0) <= 200);
		const result = await peekExport({client, id: record.id});
		expect(result.records).toEqual(demoRows(record));
		expect(result).toMatchObject({complete: true, received: result.total});
		expect(result.stopped).toBeUndefined();
	});

	it('says the link expired when storage answers 403, without the signed query or the token', async () => {
		const record = completed('json');
		const slow: Pick<ExportsClient, 'getExport'> = {
			async getExport(id, signal) {
				const fresh = await client.getExport(id, signal);
				clock += 6 * 60_000;
				return fresh;
			},
		};
		const error = await failure(peekExport({client: slow, id: record.id}));
		expect(error).toBeInstanceOf(AttachmentError);
		expect(error).toMatchObject({kind: 'http', status: 403});
		const message = describeError(error);
		expect(message).toMatch(/^Cannot read the file: 127\.0\.0\.1:\d+ answered 403 Forbidden \(AccessDenied: Request has expired\): the link expired, try again$/);
		expect(message).not.toContain(demo.token);
		expect(message).not.toMatch(/signature|expires=|\?/);
	});

	it('names a connection reset in one line', async () => {
		const record = completed('json');
		demo.injectFault({path: /^\/attachments\//, kind: 'reset'});
		const error = await failure(peekExport({client, id: record.id}));
		expect(error).toMatchObject({kind: 'network'});
		expect(describeError(error)).toMatch(/^Cannot read the file: connection reset by 127\.0\.0\.1:\d+$/);
	});

	it('refuses an export that is not completed without asking storage', async () => {
		const record = demo.allExports().find(r => r.attributes.status === 'pending' || r.attributes.status === 'in_progress');
		expect(record).toBeDefined();
		demo.clearRequests();
		const error = await failure(peekExport({client, id: record!.id}));
		expect(error).toMatchObject({kind: 'not_ready'});
		expect(describeError(error)).toMatch(new RegExp(`^No file to look into: export ${record!.id} is (pending|in_progress), not completed$`));
		expect(demo.requests.filter(request => request.path.startsWith('/attachments/'))).toEqual([]);
	});

	it('stops when the caller aborts', async () => {
		const record = completed('json');
		const controller = new AbortController();
		controller.abort();
		expect(isAbortError(await failure(peekExport({client, id: record.id, signal: controller.signal})))).toBe(true);
	});
});

/** A multi-member gzip body: `head`, then `member` over and over until `size` bytes are sent or the client goes. */
function bomb(head: Buffer, member: Buffer, size: number) {
	const sent = {bytes: 0, closed: false};
	const respond = (response: ServerResponse) => {
		response.writeHead(200, {'Content-Type': 'application/gzip', 'Content-Length': String(size)});
		response.on('close', () => {
			sent.closed = true;
		});
		const pump = () => {
			while (!response.destroyed && sent.bytes < size) {
				const chunk = sent.bytes === 0 ? head : member.subarray(0, Math.min(member.length, size - sent.bytes));
				sent.bytes += chunk.length;
				if (!response.write(chunk)) {
					response.once('drain', pump);
					return;
				}
			}

			if (!response.destroyed) {
				response.end();
			}
		};

		pump();
	};

	return {sent, respond};
}

const fiftyMegabytes = 50 * 1024 * 1024;

describe('peekFile with hostile files', () => {
	it('stops a 50 MB gzip bomb after the limit: the request is dropped and little is read', async () => {
		// Each 1 MB of records compresses to about a kilobyte: 50 MB of gzip would be 50 GB of JSON.
		const member = gzipSync('{"id":"x","pad":"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"},'.repeat(16_000));
		const {sent, respond} = bomb(gzipSync('['), member, fiftyMegabytes);
		const server = await serve(respond);
		const heap = process.memoryUsage().heapUsed;

		const result = await fileAt(server, 'json');

		expect(result.records).toHaveLength(200);
		expect(result).toMatchObject({complete: false, stopped: 'limit'});
		expect(result.read).toBeLessThan(2 * 1024 * 1024);
		expect(result.received).toBeLessThan(1024 * 1024);
		await expect.poll(() => sent.closed).toBe(true);
		// What the sockets' buffers took before the client went: a few MB at most.
		expect(sent.bytes).toBeLessThan(16 * 1024 * 1024);
		expect(process.memoryUsage().heapUsed - heap).toBeLessThan(64 * 1024 * 1024);
	});

	it('stops a record that never ends at the byte budget, with one line', async () => {
		const member = gzipSync('a'.repeat(1024 * 1024));
		const {sent, respond} = bomb(gzipSync('[{"id":"x","pad":"'), member, fiftyMegabytes);
		const server = await serve(respond);

		const error = await failure(fileAt(server, 'json', {maxBytes: 4 * 1024 * 1024}));

		expect(error).toMatchObject({kind: 'too_large'});
		expect(describeError(error)).toBe('Cannot read the file: no whole record in the first 4 MB of the file');
		await expect.poll(() => sent.closed).toBe(true);
		expect(sent.bytes).toBeLessThan(fiftyMegabytes / 2);
	});

	it('keeps what it read when the byte budget stops it after some records', async () => {
		const records = Array.from({length: 50}, (_, index) => ({id: index, pad: 'b'.repeat(10_000)}));
		const server = await serve(gzipSync(JSON.stringify(records)));
		const result = await fileAt(server, 'json', {maxBytes: 100_000});
		expect(result.stopped).toBe('bytes');
		expect(result.complete).toBe(false);
		expect(result.records.length).toBeGreaterThan(0);
		expect(result.records.length).toBeLessThan(10);
		expect(result.records).toEqual(records.slice(0, result.records.length));
	});

	it('stops an endless run of empty gzip members at the byte budget', async () => {
		const {sent, respond} = bomb(gzipSync('['), gzipSync(''), fiftyMegabytes);
		const server = await serve(respond);
		const error = await failure(fileAt(server, 'json', {maxBytes: 256 * 1024}));
		expect(error).toMatchObject({kind: 'too_large'});
		await expect.poll(() => sent.closed).toBe(true);
		expect(sent.bytes).toBeLessThan(fiftyMegabytes / 2);
	});

	it('gives up on a file that stops coming, after the idle timeout', async () => {
		const server = await serve(response => {
			response.writeHead(200, {'Content-Type': 'application/gzip'});
			const gzip = createGzip();
			gzip.pipe(response);
			gzip.write('[{"id":1},{"id":2},');
			gzip.flush(constants.Z_SYNC_FLUSH);
			// ...and nothing more, the connection left open.
		});
		const error = await failure(fileAt(server, 'json', {idleTimeoutMs: 300}));
		expect(error).toMatchObject({kind: 'timeout'});
		expect(describeError(error)).toMatch(/^Cannot read the file: 127\.0\.0\.1:\d+ sent nothing for 300 ms$/);
	});

	it('stops reading when the caller aborts mid-file, and drops the connection', async () => {
		let closed = false;
		const server = await serve(response => {
			response.on('close', () => {
				closed = true;
			});
			response.writeHead(200, {'Content-Type': 'application/gzip'});
			const gzip = createGzip();
			gzip.pipe(response);
			gzip.write('[{"id":1},{"id":2},');
			gzip.flush(constants.Z_SYNC_FLUSH);
		});
		const controller = new AbortController();
		const reading = fileAt(server, 'json', {signal: controller.signal, onProgress: () => setTimeout(() => controller.abort(), 20)});
		expect(isAbortError(await failure(reading))).toBe(true);
		await expect.poll(() => closed).toBe(true);
	});

	it('says a body that is not gzip is not gzip', async () => {
		const server = await serve(Buffer.from('[{"id":1}]'));
		const error = await failure(fileAt(server, 'json'));
		expect(error).toMatchObject({kind: 'gzip'});
		expect(describeError(error)).toMatch(/^Cannot read the file: the file from 127\.0\.0\.1:\d+ is not valid gzip \(incorrect header check\)$/);
	});

	it('says a gzip file cut short is cut short', async () => {
		const whole = gzipSync(JSON.stringify(Array.from({length: 2000}, (_, index) => ({id: index, name: `record ${index}`}))));
		const cut = whole.subarray(0, Math.floor(whole.length / 2));
		// Content-Length matches what is sent: only gzip can tell.
		const server = await serve(cut);
		const error = await failure(fileAt(server, 'json', {limit: 5000}));
		expect(error).toMatchObject({kind: 'gzip'});
		expect(describeError(error)).toMatch(/^Cannot read the file: the file from 127\.0\.0\.1:\d+ is cut short \(its gzip data ends early\)( \(after [\d,]+ records\))?$/);
	});

	it('says the connection broke when the body stops short of its Content-Length', async () => {
		const body = gzipSync('[{"id":1}]');
		const server = await serve(response => {
			response.writeHead(200, {'Content-Type': 'application/gzip', 'Content-Length': String(body.length + 100)});
			response.end(body);
		});
		const error = await failure(fileAt(server, 'json'));
		expect(error).toMatchObject({kind: 'network'});
		expect(describeError(error)).toMatch(/^Cannot read the file: (connection reset by 127\.0\.0\.1:\d+|127\.0\.0\.1:\d+ closed the connection before the response was complete)$/);
	});

	it('says a body that ends cleanly before its Content-Length is incomplete', async () => {
		const body = gzipSync('[{"id":1}]');
		const fetch: PeekFileOptions['fetch'] = async () => ({
			status: 200,
			statusText: 'OK',
			headers: new Headers({'content-length': String(body.length + 100)}),
			body: Readable.from([body]),
		});
		const error = await failure(peekFile({url: new URL('https://storage.example/file.json.gz?X-Amz-Signature=secret'), format: 'json', fetch}));
		expect(error).toMatchObject({kind: 'incomplete'});
		expect(describeError(error)).toBe(`Cannot read the file: received ${body.length} of ${body.length + 100} bytes from storage.example (after 1 record)`);
	});

	it.each([
		['HTML instead of JSON', '<html><body>Access denied</body></html>', 'the file is not JSON (it starts with "<")'],
		['an object instead of an array', '{"data":[{"id":1}]}', 'the file is a JSON object, not an array of records'],
		['a record that is not an object', '[{"id":1},42]', 'record 2 of the file is a number, not an object'],
		['a JSON array cut short', '[{"id":1},{"id":2},{"id"', 'the file ends before its JSON array is closed (after 2 records)'],
		['data after the array', '[{"id":1}] [{"id":2}]', 'the file goes on after the end of its JSON array (byte 11) (after 1 record)'],
		['a raw control character inside a string', '[{"id":"a\u0001b"}]', 'the file is not valid JSON: unexpected U+0001 at byte 9'],
		['a bidi override before anything else', '\u202E[{"id":1}]', 'the file is not JSON (it starts with U+202E)'],
		['nothing at all', '', 'the file is empty'],
		['only spaces', '   \n ', 'the file is empty'],
	])('says so in one line when the JSON file holds %s', async (_what, content, said) => {
		const server = await serve(gzipSync(content));
		const error = await failure(fileAt(server, 'json'));
		expect(error).toMatchObject({kind: 'format'});
		expect(describeError(error)).toBe(`Cannot read the file: ${said}`);
	});

	it('reads an empty array as a whole file with no records, and a BOM before it', async () => {
		expect(await fileAt(await serve(gzipSync('[]')), 'json')).toMatchObject({records: [], columns: [], complete: true});
		expect(await fileAt(await serve(gzipSync('\uFEFF [{"a":1}]')), 'json')).toMatchObject({records: [{a: 1}], complete: true});
	});

	it('keeps control characters, escape sequences and odd keys in JSON values as data', async () => {
		const hostile = {id: 'a', name: '\u001B[31mred\u0007\u001B]52;c;aGk=\u0007', note: 'line\nbreak\u0000nul'};
		const text = `[${JSON.stringify(hostile)},{"__proto__":{"polluted":true},"constructor":"x"}]`;
		const result = await fileAt(await serve(gzipSync(text)), 'json');
		expect(result.records[0]).toEqual(hostile);
		expect(Object.keys(result.records[1] ?? {})).toEqual(['__proto__', 'constructor']);
		expect(Object.getPrototypeOf(result.records[1])).toBe(Object.prototype);
		expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
		expect(result.columns).toEqual(['id', 'name', 'note', '__proto__', 'constructor']);
	});

	it('knows whether a file ends exactly at the limit', async () => {
		const three = gzipSync('[{"n":1},{"n":2},{"n":3}]');
		expect(await fileAt(await serve(three), 'json', {limit: 3})).toMatchObject({complete: true, records: [{n: 1}, {n: 2}, {n: 3}]});
		expect(await fileAt(await serve(three), 'json', {limit: 2})).toMatchObject({complete: false, stopped: 'limit', records: [{n: 1}, {n: 2}]});
	});

	it('parses records split anywhere across chunks, multi-byte characters included', async () => {
		const records = Array.from({length: 40}, (_, index) => ({id: index, name: `Müller 東京 ${index} 🎉`, text: 'a "quoted", b\nc'}));
		const server = await serve(response => {
			response.writeHead(200, {'Content-Type': 'application/gzip'});
			const gzip = createGzip();
			gzip.pipe(response);
			const text = Buffer.from(JSON.stringify(records));
			let at = 0;
			const next = () => {
				if (at >= text.length) {
					gzip.end();
					return;
				}

				// Three bytes at a time, each flushed: the reader gets them as separate pieces.
				gzip.write(text.subarray(at, at + 3));
				at += 3;
				gzip.flush(constants.Z_SYNC_FLUSH, () => setImmediate(next));
			};

			next();
		});
		const result = await fileAt(server, 'json');
		expect(result.records).toEqual(records);
		expect(result.complete).toBe(true);
	});

	it('reads CSV with quoted line breaks, doubled quotes, CRLF, a BOM and control characters as data', async () => {
		const csv = '\uFEFFid,name,note\r\n1,"two\r\nlines","say ""hi"""\r\n2,\u001B[31mred\u0007,\u0000\r\n3,"a, b",\r\n';
		const result = await fileAt(await serve(gzipSync(csv)), 'csv');
		expect(result.columns).toEqual(['id', 'name', 'note']);
		expect(result.records).toEqual([
			{id: '1', name: 'two\r\nlines', note: 'say "hi"'},
			{id: '2', name: '\u001B[31mred\u0007', note: '\u0000'},
			{id: '3', name: 'a, b', note: ''},
		]);
		expect(result.complete).toBe(true);
	});

	it('makes CSV header names safe keys: repeated, empty and __proto__', async () => {
		const result = await fileAt(await serve(gzipSync('code,code,,__proto__\nA,B,C,D\n')), 'csv');
		expect(result.columns).toEqual(['code', 'code_2', 'column_3', '__proto__']);
		expect(Object.keys(result.records[0] ?? {})).toEqual(['code', 'code_2', 'column_3', '__proto__']);
		expect(result.records[0]?.['__proto__']).toBe('D');
		expect(Object.getPrototypeOf(result.records[0])).toBe(Object.prototype);
	});

	it.each([
		['a quoted value that never closes', 'id,name\n1,"abc\n2,def\n', 'the file ends inside a quoted value'],
		['a record with more values than the header', 'id,name\n1,a\n2,b,c\n', 'the file is not valid CSV: line 3 does not have as many values as the header'],
	])('says so in one line when the CSV file holds %s', async (_what, content, said) => {
		const error = await failure(fileAt(await serve(gzipSync(content)), 'csv'));
		expect(error).toMatchObject({kind: 'format'});
		expect(describeError(error)).toBe(`Cannot read the file: ${said}`);
	});

	it('refuses a CSV record larger than the record budget', async () => {
		const error = await failure(fileAt(await serve(gzipSync(`id,pad\n1,"${'x'.repeat(5000)}"\n`)), 'csv', {maxRecordBytes: 1024}));
		expect(error).toMatchObject({kind: 'too_large'});
		expect(describeError(error)).toMatch(/^Cannot read the file: a record on line 2 is larger than 1,024 bytes$/);
	});

	it('tells CSV from JSON by the export format', () => {
		expect(peekFormat('csv')).toBe('csv');
		expect(peekFormat('CSV')).toBe('csv');
		expect(peekFormat('json')).toBe('json');
		expect(peekFormat(null)).toBe('json');
	});
});

// The demo's own file, read whole, is the same as the peek's records: nothing lost between chunks.
describe('peek and the demo file agree', () => {
	it('reads every record of a whole file when the limit allows', async () => {
		const record = completed('json', r => (r.attributes.records_count ?? 0) > 1000);
		const fresh = await client.getExport(record.id);
		const whole = JSON.parse(gunzipSync(Buffer.from(await (await fetch(String(fresh.attributes.attachment_url))).arrayBuffer())).toString('utf8')) as unknown[];
		const result = await peekExport({client, id: record.id, limit: 20_000});
		expect(result.records).toEqual(whole);
		expect(result.complete).toBe(true);
	});
});
