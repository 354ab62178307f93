// The built binary (dist/cli.js, built once by the global setup) as a user runs it: usage errors,
// --json and --json --all against a demo server on a loopback port, the in-process demo, the plain
// table on a pipe, failures, and a grep for secrets in everything it prints.
import {spawn} from 'node:child_process';
import {cpSync, mkdirSync, mkdtempSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {fileURLToPath} from 'node:url';
import {afterAll, beforeAll, describe, expect, test} from 'vitest';
import type {ExportRecord} from '../source/api/types.js';
import {startDemoServer, type DemoServer} from '../source/demo/server.js';
import {ndjsonLine} from '../source/output/ndjson.js';
import {plainTable} from '../source/output/plain.js';

const projectRoot = fileURLToPath(new URL('..', import.meta.url));
const scratch = mkdtempSync(join(tmpdir(), 'cl-exports-cli-'));
// A private copy of the bundle the global setup built: a rebuild of dist/ (which starts by
// deleting it) in another process cannot pull it away mid-test.
cpSync(join(projectRoot, 'dist'), join(scratch, 'dist'), {recursive: true});
const cli = join(scratch, 'dist', 'cli.js');
// No `cl` CLI login and no real home directory leak into these runs.
const home = join(scratch, 'home');
mkdirSync(home);

type Run = {code: number | null; stdout: string; stderr: string};

function cleanEnv(extra: Record<string, string> = {}): Record<string, string> {
	const env: Record<string, string> = {PATH: process.env['PATH'] ?? '', HOME: home, XDG_CONFIG_HOME: home, NO_COLOR: '1'};
	return {...env, ...extra};
}

function run(args: string[], env: Record<string, string> = {}, options: {stopAfterLines?: number} = {}): Promise<Run> {
	return new Promise((resolve, reject) => {
		const child = spawn(process.execPath, [cli, ...args], {cwd: scratch, env: cleanEnv(env), stdio: ['ignore', 'pipe', 'pipe']});
		let stdout = '';
		let stderr = '';
		child.stdout.setEncoding('utf8');
		child.stderr.setEncoding('utf8');
		child.stdout.on('data', (chunk: string) => {
			stdout += chunk;
			// Like `| head -n N`: read N lines, then stop reading and close the pipe.
			if (options.stopAfterLines !== undefined && stdout.split('\n').length > options.stopAfterLines) {
				child.stdout.destroy();
			}
		});
		child.stderr.on('data', (chunk: string) => {
			stderr += chunk;
		});
		child.on('error', reject);
		child.on('close', code => resolve({code, stdout, stderr}));
	});
}

function lines(text: string): string[] {
	return text.split('\n').filter(line => line !== '');
}

/** The order the API returns for -created_at: newest first, ties by id. */
function newestFirst(records: ExportRecord[]): ExportRecord[] {
	return [...records].sort((a, b) => {
		const left = a.attributes.created_at ?? '';
		const right = b.attributes.created_at ?? '';
		if (left !== right) {
			return left < right ? 1 : -1;
		}

		return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
	});
}

/** What an NDJSON line must hold for a record: id, type, then the attributes. */
function asLine(record: ExportRecord): Record<string, unknown> {
	return {id: record.id, type: record.type, ...record.attributes};
}

let server: DemoServer;
// A frozen clock: in-progress exports do not advance, so the output can be compared with the
// server's own view attribute by attribute.
const frozen = Date.parse('2026-11-15T12:00:00Z');

beforeAll(async () => {
	server = await startDemoServer({now: () => frozen, rateLimit: false});
});

afterAll(async () => {
	await server?.close();
	rmSync(scratch, {recursive: true, force: true});
});

const tokenEnv = () => ({CL_ACCESS_TOKEN: server.token});

describe('usage errors: exit 2, exactly one line on stderr, no stack', () => {
	const cases: Array<[string, string[], Record<string, string>, RegExp]> = [
		['malformed URL', ['--base-url', 'acme.commercelayer.io'], {CL_ACCESS_TOKEN: 'x-token-1234'}, /^cl-exports: --base-url is not a valid URL/],
		['http to a non-loopback host', ['--base-url', 'http://acme.commercelayer.io'], {CL_ACCESS_TOKEN: 'x-token-1234'}, /http:\/\/ is only allowed for loopback hosts/],
		['a path in the base URL', ['--base-url', 'https://acme.commercelayer.io/api'], {CL_ACCESS_TOKEN: 'x-token-1234'}, /must be an origin without a path/],
		['page size out of range', ['--page-size', '26'], {}, /^cl-exports: --page-size must be a whole number from 1 to 25, got "26"$/],
		['page size zero', ['--page-size', '0'], {}, /--page-size must be a whole number from 1 to 25/],
		['page size not a number', ['--page-size', 'ten'], {}, /--page-size must be a whole number from 1 to 25, got "ten"/],
		['unknown sort field', ['--sort', 'progress'], {}, /^cl-exports: --sort: cannot sort by "progress"/],
		['unknown flag', ['--colour'], {}, /^cl-exports: unknown option --colour/],
		['missing credentials', ['--organization', 'acme'], {}, /^cl-exports: missing credentials for acme\.commercelayer\.io \(--organization\): set CL_ACCESS_TOKEN, or CL_CLIENT_ID and CL_CLIENT_SECRET$/],
		['missing credentials (environment)', [], {CL_BASE_URL: 'https://acme.commercelayer.io'}, /^cl-exports: missing credentials for acme\.commercelayer\.io \(CL_BASE_URL\)/],
		['watch below 2 seconds', ['--watch', '1'], {}, /^cl-exports: --watch must be at least 2 seconds, got "1"$/],
		['bad filter', ['--filter', 'records_count~x'], {}, /^cl-exports: --filter: records_count is a number: use :, !:, >, >=, <, <= \(at column 14\)$/],
		['bad filter date', ['--filter', 'created_at>someday'], {}, /^cl-exports: --filter: bad date "someday"/],
		['malformed organization', ['--organization', 'Acme Corp'], {}, /^cl-exports: --organization must be an organization slug/],
		// Refused before anything is sent (a server would answer 431, 414 or 400).
		['a huge filter with --json', ['--json', '--filter', `ref~${'x'.repeat(5000)}`], {}, /^cl-exports: --filter: filter too long: 5004 characters, at most 2000 \(at column 2001\)$/],
		['a filter too long for the URL', ['--json', '--filter', `ref~${'%'.repeat(1900)}`], {}, /^cl-exports: --filter: filter too long to send: \d+ bytes in the URL, at most 4096 \(at column 1\)$/],
		['deep metadata keys', ['--json', '--filter', `metadata.${'a.'.repeat(5000)}b:1`], {}, /^cl-exports: --filter: filter too long/],
		['deep JSON', ['--json', '--filter', `metadata_jcont=${'{"a":'.repeat(3000)}1${'}'.repeat(3000)}`], {}, /^cl-exports: --filter: filter too long/],
		['a prototype key', ['--json', '--filter', 'metadata.a:1 metadata.__proto__.polluted:1'], {}, /^cl-exports: --filter: metadata key "__proto__" is not allowed \(at column 23\)$/],
		['a predicate the field does not take', ['--json', '--filter', 'records_count_cont=1'], {}, /^cl-exports: --filter: records_count takes _eq _in _lt _lteq _gt _gteq _null _present, not _cont \(at column 1\)$/],
	];

	for (const [name, args, env, expected] of cases) {
		test.concurrent(name, async ({expect}) => {
			const result = await run(args, env);
			expect(result.code).toBe(2);
			expect(result.stdout).toBe('');
			expect(result.stderr.endsWith('\n')).toBe(true);
			expect(lines(result.stderr), result.stderr).toHaveLength(1);
			expect(result.stderr.trimEnd()).toMatch(expected);
			expect(result.stderr).not.toMatch(/\bat .+:\d+:\d+/);
		});
	}
});

describe('help and version', () => {
	test('--help: exit 0, flags, environment and keys on stdout', async () => {
		const result = await run(['--help']);
		expect(result.code).toBe(0);
		expect(result.stderr).toBe('');
		expect(result.stdout).toContain('--page-size');
		expect(result.stdout).toContain('CL_CLIENT_SECRET');
		expect(result.stdout).toContain('Keys');
		expect(result.stdout).toContain('Filters');
		const wide = result.stdout.split('\n').filter(line => line.length > 80);
		expect(wide).toEqual([]);
	});

	test('--version: exit 0, one line', async () => {
		const result = await run(['--version']);
		expect(result.code).toBe(0);
		expect(result.stdout).toMatch(/^cl-exports \d+\.\d+\.\d+\S*\n$/);
	});
});

describe('--json against a demo server on loopback', () => {
	test('the first page: one export a line, {id, type, ...attributes}, exactly as the server holds them', async () => {
		const result = await run(['--json', '--base-url', server.url], tokenEnv());
		expect(result.stderr).toBe('');
		expect(result.code).toBe(0);
		const expected = newestFirst(server.allExports()).slice(0, 25);
		const printed = lines(result.stdout).map(line => JSON.parse(line) as Record<string, unknown>);
		expect(printed).toHaveLength(25);
		printed.forEach((object, index) => {
			expect(object).toEqual(asLine(expected[index]!));
			expect(Object.keys(object).slice(0, 2)).toEqual(['id', 'type']);
		});
	});

	test('--all: every export exactly once, in order, record by record', async () => {
		const result = await run(['--json', '--all', '--base-url', server.url], tokenEnv());
		expect(result.stderr).toBe('');
		expect(result.code).toBe(0);
		const expected = newestFirst(server.allExports());
		const printed = lines(result.stdout).map(line => JSON.parse(line) as Record<string, unknown>);
		expect(printed).toHaveLength(expected.length);
		expect(new Set(printed.map(object => object['id'])).size).toBe(expected.length);
		printed.forEach((object, index) => {
			expect(object).toEqual(asLine(expected[index]!));
		});
	});

	test('--all with a smaller page size, a sort and a filter asks the server page by page', async () => {
		server.clearRequests();
		const result = await run(['--json', '--all', '--page-size', '2', '--sort', 'id', '--filter', 'status:failed,interrupted', '--base-url', server.url], tokenEnv());
		expect(result.code).toBe(0);
		const expected = server
			.allExports()
			.filter(record => record.attributes.status === 'failed' || record.attributes.status === 'interrupted')
			.sort((a, b) => (a.id < b.id ? -1 : 1));
		expect(expected.length).toBeGreaterThan(4);
		expect(lines(result.stdout).map(line => (JSON.parse(line) as {id: string}).id)).toEqual(expected.map(record => record.id));
		const listed = server.requests.filter(request => request.path === '/api/exports');
		expect(listed).toHaveLength(Math.ceil(expected.length / 2));
		expect(listed.map(request => request.query['page[number]'])).toEqual(listed.map((_, index) => String(index + 1)));
		for (const request of listed) {
			expect(request.query['page[size]']).toBe('2');
			expect(request.query['sort']).toBe('id');
			expect(request.query['filter[q][status_in]']).toBe('failed,interrupted');
		}
	});

	test('client credentials against the demo token endpoint', async () => {
		const result = await run(['--json', '--base-url', server.url], {CL_CLIENT_ID: server.clientId, CL_CLIENT_SECRET: server.clientSecret});
		expect(result.stderr).toBe('');
		expect(result.code).toBe(0);
		expect(lines(result.stdout)).toHaveLength(25);
	});

	test('a reader that goes away (| head -n 1) ends the walk quietly with exit 0', async () => {
		const result = await run(['--json', '--all', '--page-size', '5', '--base-url', server.url], tokenEnv(), {stopAfterLines: 1});
		expect(result.code).toBe(0);
		expect(result.stderr).toBe('');
	});
});

describe('the plain table when stdout is a pipe', () => {
	test('a header and one aligned row per export, no colour, sanitized', async () => {
		const result = await run(['--base-url', server.url, '--page-size', '10'], tokenEnv());
		expect(result.code).toBe(0);
		expect(result.stderr).toBe('');
		const rows = lines(result.stdout);
		expect(rows).toHaveLength(11);
		expect(rows[0]).toMatch(/^STATUS\s+ID\s+TYPE\s+FORMAT\s+RECORDS\s+CREATED\s+REFERENCE$/);
		expect(result.stdout).not.toMatch(/[\u0000-\u0009\u000B-\u001F\u007F-\u009F]/);
		const expected = newestFirst(server.allExports()).slice(0, 10);
		const idColumn = rows[0]!.indexOf('ID');
		rows.slice(1).forEach((row, index) => {
			expect(row.slice(idColumn).startsWith(expected[index]!.id)).toBe(true);
			expect(row.startsWith(String(expected[index]!.attributes.status))).toBe(true);
		});
	});

	test('--all prints every export once under one header', async () => {
		const result = await run(['--all', '--base-url', server.url], tokenEnv());
		expect(result.code).toBe(0);
		const rows = lines(result.stdout);
		expect(rows.filter(row => row.startsWith('STATUS'))).toHaveLength(1);
		expect(rows).toHaveLength(server.allExports().length + 1);
	});
});

describe('failures: exit 1, one line on stderr', () => {
	// Each with its own server, so that a fault cannot outlive its test.
	async function faulty(fault: Parameters<DemoServer['injectFault']>[0]): Promise<Run> {
		const broken = await startDemoServer({rateLimit: false});
		try {
			broken.injectFault(fault);
			return await run(['--json', '--base-url', broken.url], {CL_ACCESS_TOKEN: broken.token});
		} finally {
			await broken.close();
		}
	}

	test('the server fails (500 on every try)', async () => {
		const result = await faulty({kind: 'status', status: 500, path: '/api/exports', times: 100});
		expect(result.code).toBe(1);
		expect(result.stdout).toBe('');
		expect(lines(result.stderr), result.stderr).toHaveLength(1);
		expect(result.stderr).toMatch(/^cl-exports: \S/);
		expect(result.stderr).toMatch(/500|Internal Server Error/);
	}, 30_000);

	test('an answer that is not JSON', async () => {
		const result = await faulty({kind: 'malformed', path: '/api/exports', times: 100});
		expect(result.code).toBe(1);
		expect(lines(result.stderr), result.stderr).toHaveLength(1);
		expect(result.stderr).toMatch(/^cl-exports: \S/);
	}, 30_000);

	test('a 400 the client does not retry', async () => {
		const result = await faulty({
			kind: 'status',
			status: 400,
			path: '/api/exports',
			times: 100,
			body: {errors: [{title: 'Invalid sort criteria', detail: 'x is not a valid sort criteria for exports', code: 'INVALID_SORT_CRITERIA', status: '400'}]},
		});
		expect(result.code).toBe(1);
		expect(result.stderr).toBe('cl-exports: Invalid sort criteria: x is not a valid sort criteria for exports\n');
	});

	test('a rejected token', async () => {
		const result = await run(['--json', '--base-url', server.url], {CL_ACCESS_TOKEN: 'rejected-token-0123456789'});
		expect(result.code).toBe(1);
		expect(lines(result.stderr), result.stderr).toHaveLength(1);
		expect(result.stderr).toMatch(/^cl-exports: .*token/i);
		expect(result.stderr).not.toContain('rejected-token-0123456789');
	});

	test('a server that is not there', async () => {
		const result = await run(['--json', '--base-url', 'http://127.0.0.1:9'], tokenEnv());
		expect(result.code).toBe(1);
		expect(lines(result.stderr), result.stderr).toHaveLength(1);
		expect(result.stderr).toMatch(/^cl-exports: /);
	}, 30_000);
});

describe('the in-process demo (nothing configured)', () => {
	test('node dist/cli.js --json --all prints every demo export exactly once, newest first', async () => {
		const result = await run(['--json', '--all']);
		expect(result.stderr).toBe('');
		expect(result.code).toBe(0);
		const printed = lines(result.stdout).map(line => JSON.parse(line) as {id: string; type: string; created_at: string});
		expect(printed).toHaveLength(300);
		expect(new Set(printed.map(object => object.id)).size).toBe(300);
		for (const object of printed) {
			expect(object.type).toBe('exports');
		}

		for (let index = 1; index < printed.length; index++) {
			expect(printed[index - 1]!.created_at >= printed[index]!.created_at).toBe(true);
		}
	});
});

test('no token or client secret appears in any output', async () => {
	const secrets = [server.token, server.clientSecret, 'rejected-token-0123456789', 'wrong-secret-abcdefghij'];
	server.clearRequests();
	const runs: Run[] = await Promise.all([
		run(['--json', '--base-url', server.url], tokenEnv()),
		run(['--json', '--all', '--base-url', server.url], {CL_CLIENT_ID: server.clientId, CL_CLIENT_SECRET: server.clientSecret}),
		run(['--base-url', server.url], {CL_CLIENT_ID: server.clientId, CL_CLIENT_SECRET: server.clientSecret}),
		run(['--help'], tokenEnv()),
		run(['--version'], tokenEnv()),
		run(['--json', '--base-url', server.url], {CL_ACCESS_TOKEN: 'rejected-token-0123456789'}),
		run(['--json', '--base-url', server.url], {CL_CLIENT_ID: server.clientId, CL_CLIENT_SECRET: 'wrong-secret-abcdefghij'}),
		run(['--page-size', '99', '--base-url', server.url], tokenEnv()),
		run(['--base-url', `http://u:${server.clientSecret}@example.com`], tokenEnv()),
		run(['--base-url', server.token], tokenEnv()),
		run([server.token], tokenEnv()),
		run([`--token=${server.token}`], tokenEnv()),
		run(['--organization', 'acme'], {CL_CLIENT_ID: server.clientId}),
		run(['--filter', `ref:${server.token} nope:1`], tokenEnv()),
		run(['--filter', `created_at>${server.token}`], tokenEnv()),
		run(['--json', '--base-url', 'http://127.0.0.1:9'], tokenEnv()),
	]);
	// Tokens the binary obtained with client_credentials never show either.
	for (const request of server.requests) {
		const bearer = /^Bearer (\S+)$/.exec(request.authorization ?? '')?.[1];
		if (bearer) {
			secrets.push(bearer);
		}
	}

	expect(secrets.length).toBeGreaterThan(4);
	for (const result of runs) {
		for (const secret of secrets) {
			expect(result.stdout).not.toContain(secret);
			expect(result.stderr).not.toContain(secret);
		}
	}

	// The failing runs did fail, with one line each.
	for (const [index, result] of runs.entries()) {
		if (index < 5) {
			continue;
		}

		expect(result.code, `run ${index}`).not.toBe(0);
		expect(lines(result.stderr), `run ${index}: ${result.stderr}`).toHaveLength(1);
	}
}, 60_000);

describe('writers (in process)', () => {
	const hostile: ExportRecord = {
		id: 'XAyRWNUzyN',
		type: 'exports',
		attributes: {
			status: 'failed\u001B[2J',
			resource_type: 'skus',
			format: 'csv',
			records_count: 12,
			created_at: '2026-11-15T12:00:00.000Z',
			reference: 'a\u001B]52;c;ZXZpbA==\u0007b\u009B31mc\u2028d\u202Ee\u007F',
			metadata: {note: 'line\u2029break\u0085'},
		},
	};

	test('NDJSON escapes DEL, C1 controls, line separators and bidi overrides; the line stays valid JSON', () => {
		const line = ndjsonLine(hostile);
		expect(line.endsWith('\n')).toBe(true);
		expect(line.slice(0, -1)).not.toContain('\n');
		expect(line.slice(0, -1)).not.toMatch(/[\u0000-\u001F\u007F-\u009F\u2028\u2029\u202A-\u202E]/);
		const parsed = JSON.parse(line) as Record<string, unknown>;
		expect(parsed).toEqual({id: hostile.id, type: 'exports', ...hostile.attributes});
		expect(Object.keys(parsed).slice(0, 2)).toEqual(['id', 'type']);
	});

	test('the plain table sanitizes every cell', () => {
		const table = plainTable([hostile]);
		const text = table.header() + table.rows([hostile]);
		expect(text).not.toMatch(/[\u0000-\u0009\u000B-\u001F\u007F-\u009F\u202A-\u202E]/);
		expect(text).toContain('XAyRWNUzyN');
		expect(text.split('\n')[1]).toMatch(/^failed/);
	});
});
