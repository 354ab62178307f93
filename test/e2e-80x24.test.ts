// What an 80x24 terminal over SSH shows, in a real pseudo-terminal (dist/cli.js, built by the
// global setup) against a demo API the test starts: the detail of a failed export answers without
// scrolling, the sort column is on screen, and messages are whole.
import {mkdtempSync, readdirSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {afterAll, beforeAll, expect, test} from 'vitest';
import {startDemoServer, type DemoServer} from '../source/demo/server.js';
import {countOrDash} from '../source/text/numbers.js';
import {newestFirst} from './helpers/demo.js';
import {keys} from './helpers/keys.js';
import {PtySession} from './helpers/pty.js';

let server: DemoServer;
let session: PtySession | undefined;
const downloads = mkdtempSync(join(tmpdir(), 'cl-exports-80x24-'));

beforeAll(async () => {
	server = await startDemoServer({rateLimit: false});
});

afterAll(async () => {
	session?.kill();
	await server.close();
	rmSync(downloads, {recursive: true, force: true});
});

/** The text inside the detail pane's border, lines joined with single spaces. */
function paneText(screen: string): string {
	return screen
		.split('\n')
		.filter(line => line.startsWith('│ ') && line.endsWith(' │'))
		.map(line => line.slice(2, -2).trim())
		.join(' ')
		.replaceAll(/\s+/g, ' ');
}

const literal = (text: unknown) => String(text).replaceAll(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** The table's header row. */
function headerRow(screen: string): string {
	return screen.split('\n').find(line => line.startsWith('│ status')) ?? '';
}

test('at 80x24: the detail of a failed export, the sort column and whole messages', {timeout: 60_000}, async () => {
	session = new PtySession({
		args: ['--base-url', server.url, '--download-dir', downloads],
		cols: 80,
		rows: 24,
		env: {CI: 'false', CL_ACCESS_TOKEN: server.token, NO_COLOR: undefined, NODE_EXTRA_CA_CERTS: undefined},
	});
	const s = session;
	await s.waitForScreen(/ 1-\d+ of \d+ /, 15_000, 'the first rows');

	// 4: the failed exports; Enter: the detail of the first, in the whole body.
	const failed = newestFirst(server.allExports().filter(record => record.attributes.status === 'failed'));
	const first = failed[0]!;
	s.write('4');
	await s.waitForScreen(screen => screen.includes('filter /status:failed') && screen.split('\n').some(line => line.startsWith('│>') && line.includes(first.id)), 5000, 'the failed exports');
	s.write(keys.enter);
	const detail = await s.waitForScreen(`export ${first.id}`, 5000, 'the detail');
	const {attributes} = first;
	const lines = detail.split('\n');
	expect(detail).not.toContain('┬');
	expect(lines.some(line => /^│ status +✖ failed +│$/.test(line))).toBe(true);
	expect(lines.some(line => new RegExp(`^│ type +${literal(attributes.resource_type)} +│$`).test(line))).toBe(true);
	expect(lines.some(line => new RegExp(`^│ format +${literal(attributes.format)} +│$`).test(line))).toBe(true);
	expect(lines.some(line => new RegExp(`^│ records +${literal(countOrDash(attributes.records_count))}[ (]`).test(line))).toBe(true);
	expect(lines.some(line => new RegExp(`^│ reference +${literal(attributes.reference ?? '—')} +│$`).test(line))).toBe(true);
	const [errorClass, errorMessage] = Object.entries(attributes.errors_log ?? {})[0]!;
	expect(paneText(detail)).toContain(`error ${errorClass}: ${String(errorMessage)}`.replaceAll(/\s+/g, ' '));
	expect(s.wrappedRows()).toEqual([]);

	// Esc: back to the table. Refusals and a download that cannot be are said whole.
	s.write(keys.escape);
	await s.waitForScreen(screen => screen.includes('┬') && !screen.includes(`export ${first.id}`), 5000, 'the table again');
	s.write('i');
	await s.waitForScreen('✖ Cannot interrupt a failed export: only pending or in-progress ones', 5000, 'the refusal');
	s.write('D');
	await s.waitForScreen(`✖ No file to download: export ${first.id} is failed, not completed`, 5000, 'the download refused');
	expect(readdirSync(downloads)).toEqual([]);

	// The filter's unknown status, with the one it probably is.
	s.write('/');
	await s.waitForScreen('⏎ keep', 5000, 'the filter prompt');
	s.write('\u0015');
	await s.type('status:fa', 20);
	await s.waitForScreen('unknown status "fa" — did you mean failed?', 5000, 'the suggestion');
	s.write(keys.escape);
	await s.waitForScreen(screen => !screen.includes('⏎ keep'), 5000, 'the prompt closed');

	// s: the reference, then (four more) the format; neither is a column at 80 without the sort.
	s.write('s');
	await s.waitForScreen(screen => /sort reference/.test(screen) && /│ reference [↑↓] +│$/.test(headerRow(screen)), 5000, 'sorted by reference, shown');
	for (const field of ['status', 'id', 'resource_type']) {
		s.write('s');
		await s.waitForScreen(`sort ${field}`, 5000, `sorted by ${field}`);
	}

	s.write('s');
	await s.waitForScreen(screen => /sort format/.test(screen) && /│ format [↑↓] +│/.test(headerRow(screen)), 5000, 'sorted by format, shown');
	expect(s.wrappedRows()).toEqual([]);

	s.write('q');
	expect((await s.exit()).exitCode).toBe(0);
});
