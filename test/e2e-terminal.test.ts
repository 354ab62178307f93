// The terminal as input the program does not control, in a real pseudo-terminal at 80x24: a paste
// (line breaks arrive as CR, exactly like Enter) and job control (Ctrl-Z in a shell, then `fg`).
import {afterAll, afterEach, beforeAll, expect, test} from 'vitest';
import {startDemoServer, type DemoServer} from '../source/demo/server.js';
import {cliPath, PtySession} from './helpers/pty.js';
import {keys} from './helpers/keys.js';

let server: DemoServer;
let session: PtySession | undefined;

beforeAll(async () => {
	server = await startDemoServer({rateLimit: false});
});

afterEach(() => {
	session?.kill();
	session = undefined;
});

afterAll(async () => {
	await server.close();
});

/** Requests that change an export: what a paste must never send. */
function writes(): string[] {
	return server.requests.filter(request => request.method !== 'GET').map(request => `${request.method} ${request.path}`);
}

test('a two-line paste into the filter prompt is prompt text, never keys; outside the prompt a paste does nothing', {timeout: 30_000}, async () => {
	session = new PtySession({args: ['--base-url', server.url], env: {CI: 'false', CL_ACCESS_TOKEN: server.token}});
	const s = session;
	await s.waitForScreen(/ 1-14 of 300 /, 15_000);
	// The program asked the terminal to bracket pastes.
	expect(s.term.modes.bracketedPasteMode).toBe(true);
	const before = writes();

	s.write('/');
	await s.waitForScreen('⏎ keep', 5000, 'the filter prompt');
	// Without bracketing the CR would keep `status:failed`, and `t`, `y` would restart an export.
	s.paste('status:failed\ntype:skus');
	const screen = await s.waitForScreen(
		current => current.includes('filter /status:failed type:skus') && current.split('\n').some(line => line.startsWith('/ status:failed type:skus')),
		10_000,
		'the pasted filter in the prompt, applied as typed',
	);
	// Still in the prompt: the line break did not submit it.
	expect(screen).toContain('⏎ keep');
	s.write(keys.enter);
	await s.waitForScreen(current => !current.includes('⏎ keep') && current.includes('filter /status:failed type:skus'), 5000, 'the filter kept');

	// Outside the prompt: `t` then `y` pasted would restart the selected (failed) export.
	s.paste('ty');
	await s.waitForScreen('Paste ignored: press / first to paste into the filter', 5000, 'the note');
	expect(s.screen()).not.toContain('y/N');
	expect(writes()).toEqual(before);

	s.write('q');
	expect((await s.exit()).exitCode).toBe(0);
	await s.settle();
	// Bracketed paste is off again for the shell.
	expect(s.term.modes.bracketedPasteMode).toBe(false);
});

test('Ctrl-Z in a shell: the terminal is the shell\'s again while stopped; fg redraws the whole screen', {timeout: 40_000}, async () => {
	session = new PtySession({
		command: ['bash', '--norc', '--noprofile', '-i'],
		env: {CI: 'false', CL_ACCESS_TOKEN: server.token, PS1: '$ ', HISTFILE: '/dev/null'},
	});
	const s = session;
	await s.waitForScreen(/\$ $/m, 10_000, 'the shell prompt');
	s.write(`${process.execPath} ${cliPath} --base-url ${server.url}\r`);
	await s.waitForScreen(/ 1-14 of 300 /, 15_000, 'page 1');
	s.write(keys.down);
	// (Rows start on the 7th line, under the header, the counts and the table's head.)
	await s.waitForScreen(current => current.split('\n')[7]?.startsWith('│>') === true, 5000, 'the second row selected');
	const selected = s.lines().find(line => line.startsWith('│>'))!;
	expect(s.term.buffer.active.type).toBe('alternate');

	const beforeStop = s.raw.length;
	s.write(keys.ctrlZ);
	await s.waitForScreen(/Stopped/, 10_000, 'the job stopped');
	await s.settle();
	expect(s.term.buffer.active.type).toBe('normal');
	// Before the shell said so: bracketed paste off, alternate screen off, cursor shown. (The
	// shell's line editor then turns bracketed paste on again for itself.)
	const stopped = s.raw.slice(beforeStop, s.raw.indexOf('Stopped', beforeStop));
	expect(stopped).toContain('\u001B[?2004l\u001B[?1049l\u001B[?25h');
	expect(stopped.lastIndexOf('\u001B[?25h')).toBeGreaterThan(stopped.lastIndexOf('\u001B[?25l'));

	// The shell has the terminal meanwhile.
	s.write('echo still-here\r');
	await s.waitForScreen(/^still-here$/m, 5000, 'a command in the shell');

	const beforeResume = s.raw.length;
	s.write('fg\r');
	// The whole frame is drawn again, not only what changed: the header, every row, the footer.
	const resumed = await s.waitForScreen(current => current.includes(' 1-14 of 300 ') && current.includes('q quit') && current.includes(selected), 10_000, 'the redrawn screen');
	expect(s.term.buffer.active.type).toBe('alternate');
	expect(s.term.modes.bracketedPasteMode).toBe(true);
	expect(resumed.split('\n')[0]).toMatch(/^cl-exports /);
	expect(s.raw.slice(beforeResume)).toContain('refreshed');
	// Keys work again.
	s.write(keys.down);
	await s.waitForScreen(current => current.split('\n')[8]?.startsWith('│>') === true, 5000, 'the selection moved');
	s.write('q');
	await s.waitForScreen(/\$ $/m, 10_000, 'back at the prompt');
	await s.settle();
	expect(s.term.buffer.active.type).toBe('normal');
});

test('LANG=C: the table is drawn in ASCII, with ASCII status symbols, at the same widths', {timeout: 30_000}, async () => {
	session = new PtySession({
		args: ['--base-url', server.url],
		env: {CI: 'false', CL_ACCESS_TOKEN: server.token, LANG: 'C', LC_ALL: undefined, LC_CTYPE: undefined},
	});
	const s = session;
	const screen = await s.waitForScreen(/ 1-14 of 300 /, 15_000);
	const lines = screen.split('\n');
	const table = lines.filter(line => /^[+|]/.test(line));
	expect(table.length).toBeGreaterThan(5);
	expect(table[0]).toMatch(/^\+-+(\+-+)+\+$/);
	expect(table.at(-1)).toMatch(/^\+-+.*\+$/);
	expect(table.slice(1, -1).every(line => /^\|.*\|$/.test(line) || /^\+[-+]+\+$/.test(line))).toBe(true);
	for (const line of table) {
		expect(line.length).toBe(80);
	}

	// No box drawing and no Unicode status symbol anywhere on the screen.
	expect(screen).not.toMatch(/[\u2500-\u257F○◐■✖✔]/);
	expect(lines.find(line => line.startsWith('|>'))).toMatch(/^\|>[o~#x+?] \w/);
	// Nor in the detail, the help or the footer: every symbol of the program's own is ASCII there
	// too (the demo's data has none on the first screen), cell for cell.
	const ownSymbols = /[\u2500-\u257F↑↓←→·…⋯—–░█×≤≥⏎○◐■✖✔]/;
	expect(screen).not.toMatch(ownSymbols);
	expect(screen).toMatch(/created v/);
	expect(screen).toMatch(/Enter details/);
	s.write('\r');
	const detail = await s.waitForScreen(/\+- export \w+ -+\+/, 5000, 'the detail in ASCII');
	expect(detail).not.toMatch(ownSymbols);
	expect(detail.split('\n').filter(line => line.startsWith('|')).every(line => line.length === 80 && line.endsWith('|'))).toBe(true);
	s.write('\u001B');
	await s.waitForScreen(current => !current.includes('- export '), 5000, 'the detail closed');
	s.write('?');
	const help = await s.waitForScreen(/Keys/, 5000, 'the help');
	expect(help).not.toMatch(ownSymbols);
	s.write('\u001B');
	await s.waitForScreen(current => !current.includes('Keys'), 5000, 'the help closed');
	s.write('q');
	expect((await s.exit()).exitCode).toBe(0);
});

test('TERM=dumb in a terminal: the plain table, not the full-screen view', {timeout: 30_000}, async () => {
	session = new PtySession({
		command: ['/usr/bin/env', 'TERM=dumb', process.execPath, cliPath, '--base-url', server.url],
		env: {CI: 'false', CL_ACCESS_TOKEN: server.token},
	});
	const s = session;
	const exit = await s.exit(15_000);
	await s.settle();
	expect(exit.exitCode).toBe(0);
	expect(s.raw).not.toContain('\u001B[?1049h');
	expect(s.raw).toMatch(/^STATUS +ID +TYPE +FORMAT +RECORDS +CREATED +REFERENCE\r?$/m);
	// One page: a status word, then the id.
	expect(s.raw.split('\n').filter(line => /^[a-z_]+ +[A-Za-z]{10} /.test(line))).toHaveLength(25);
});
