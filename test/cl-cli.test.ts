// Reusing the official `cl` CLI's saved login, from a fixture config directory made here.
import {execFileSync, spawnSync} from 'node:child_process';
import {mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join, relative} from 'node:path';
import {fileURLToPath} from 'node:url';
import {afterAll, describe, expect, test} from 'vitest';
import {clCliPaths, findApplicationByAlias, maxClFileBytes, readCurrentApplication, readToken} from '../source/connection/cl-cli.js';
import {parseConfig, type ConfigOptions} from '../source/config.js';

const cliPath = fileURLToPath(new URL('../dist/cli.js', import.meta.url));
const root = mkdtempSync(join(tmpdir(), 'cl-exports-cl-cli-'));
const cwd = join(root, 'work');
mkdirSync(cwd);
const now = new Date('2026-11-15T12:00:00Z');
let homes = 0;

afterAll(() => {
	rmSync(root, {recursive: true, force: true});
});

type App = Record<string, unknown> & {key: string};

const integration: App = {
	key: 'm1abc2de',
	id: 'AppIdInt1',
	alias: 'acme-int',
	name: 'CLI integration',
	organization: 'ACME',
	slug: 'acme',
	domain: 'commercelayer.io',
	baseUrl: 'https://acme.commercelayer.io',
	clientId: 'cli_client_id_int_0001',
	clientSecret: 'cli_client_secret_int_0001',
	scope: ['market:code:europe', 'market:code:usa'],
	kind: 'integration',
	mode: 'test',
	api: 'core',
};

const staging: App = {
	key: 'm1abc2df',
	alias: 'staging',
	organization: 'ACME staging',
	slug: 'acme-stg',
	domain: 'commercelayer.co',
	clientId: 'cli_client_id_stg_0002',
	clientSecret: 'cli_client_secret_stg_0002',
	scope: 'market:id:xYZkjABcde',
	kind: 'integration',
	mode: 'test',
};

const salesChannel: App = {
	key: 'm1abc2dg',
	alias: 'shop',
	slug: 'shop',
	clientId: 'cli_client_id_sc_0003',
	kind: 'sales_channel',
	mode: 'live',
};

type Fixture = {home: string; dir: string};

/** A config home laid out as the CLI lays it out: `@commercelayer/cli/{config.json,applications/}`. */
function fixture(options: {current?: string | null; apps?: App[]; tokens?: Record<string, unknown>; raw?: Record<string, string>} = {}): Fixture {
	const home = join(root, `home-${++homes}`);
	const dir = join(home, '@commercelayer', 'cli');
	mkdirSync(join(dir, 'applications'), {recursive: true});
	if (options.current !== undefined) {
		const current = options.current === null ? {} : {currentApplication: {key: options.current, mode: 'test'}};
		writeFileSync(join(dir, 'config.json'), JSON.stringify(current, null, 4));
	}

	for (const app of options.apps ?? []) {
		writeFileSync(join(dir, 'applications', `${app.key}.config.json`), JSON.stringify(app, null, 4));
	}

	for (const [key, token] of Object.entries(options.tokens ?? {})) {
		writeFileSync(join(dir, 'applications', `${key}.token.json`), JSON.stringify(token, null, 4));
	}

	for (const [path, text] of Object.entries(options.raw ?? {})) {
		writeFileSync(join(dir, path), text);
	}

	return {home, dir};
}

/** Every file under a directory with its size, mtime and content, to prove nothing was written. */
function snapshot(dir: string): Record<string, string> {
	const files: Record<string, string> = {};
	const walk = (path: string) => {
		for (const name of readdirSync(path)) {
			const full = join(path, name);
			const stat = statSync(full);
			if (stat.isDirectory()) {
				files[`${relative(dir, full)}/`] = String(stat.mtimeMs);
				walk(full);
			} else {
				files[relative(dir, full)] = `${stat.size}:${stat.mtimeMs}:${readFileSync(full, 'utf8')}`;
			}
		}
	};

	walk(dir);
	return files;
}

function parse(argv: string[], home: string, env: Record<string, string | undefined> = {}, options: ConfigOptions = {}) {
	return parseConfig(argv, env, {configHome: home, cwd, now, ...options});
}

function connectionOf(argv: string[], home: string, env: Record<string, string | undefined> = {}) {
	const result = parse(argv, home, env);
	if (result.kind !== 'run') {
		throw new Error(`expected a config, got ${JSON.stringify(result)}`);
	}

	return result.config.connection;
}

function errorOf(argv: string[], home: string, env: Record<string, string | undefined> = {}) {
	const result = parse(argv, home, env);
	if (result.kind !== 'error') {
		throw new Error(`expected an error, got ${JSON.stringify(result)}`);
	}

	expect(result.message).not.toContain('\n');
	return result.message;
}

describe('where the files are', () => {
	test('XDG_CONFIG_HOME, else ~/.config; COMMERCELAYER_CONFIG_DIR moves the applications', () => {
		expect(clCliPaths({HOME: '/home/u'}, {platform: 'linux'})).toEqual({
			configFile: '/home/u/.config/@commercelayer/cli/config.json',
			applicationsDir: '/home/u/.config/@commercelayer/cli/applications',
		});
		expect(clCliPaths({HOME: '/home/u', XDG_CONFIG_HOME: '/x'}, {platform: 'linux'})).toEqual({
			configFile: '/x/@commercelayer/cli/config.json',
			applicationsDir: '/x/@commercelayer/cli/applications',
		});
		expect(clCliPaths({HOME: '/home/u', COMMERCELAYER_CONFIG_DIR: '/oclif'}, {platform: 'linux'})).toEqual({
			configFile: '/home/u/.config/@commercelayer/cli/config.json',
			applicationsDir: '/oclif/applications',
		});
		expect(clCliPaths({HOME: '/home/u', LOCALAPPDATA: '/appdata'}, {platform: 'win32'}).applicationsDir).toBe(
			join('/appdata', '@commercelayer', 'cli', 'applications'),
		);
	});

	test('parseConfig finds a login through XDG_CONFIG_HOME', () => {
		const {home} = fixture({current: integration.key, apps: [integration]});
		const result = parseConfig([], {XDG_CONFIG_HOME: home, HOME: '/nonexistent'}, {cwd, now});
		expect(result.kind === 'run' && result.config.connection).toMatchObject({kind: 'remote', source: 'cl-cli-app'});
	});
});

describe('the current application', () => {
	test('is used when nothing else is configured: client credentials, scopes joined as the CLI joins them', () => {
		const {home} = fixture({current: integration.key, apps: [integration, staging]});
		expect(connectionOf([], home)).toEqual({
			kind: 'remote',
			baseUrl: 'https://acme.commercelayer.io',
			auth: {
				type: 'client_credentials',
				clientId: 'cli_client_id_int_0001',
				clientSecret: 'cli_client_secret_int_0001',
				scope: 'market:code:europe,market:code:usa',
				authUrl: 'https://auth.commercelayer.io/oauth/token',
			},
			source: 'cl-cli-app',
			label: 'cl app acme-int',
		});
	});

	test('comes after the CL_* variables and the cl CLI variables', () => {
		const {home} = fixture({current: integration.key, apps: [integration]});
		expect(connectionOf([], home, {CL_ORGANIZATION: 'other', CL_ACCESS_TOKEN: 'tok-1234'})).toMatchObject({source: 'env'});
		expect(connectionOf([], home, {CL_CLI_ORGANIZATION: 'other', CL_CLI_ACCESS_TOKEN: 'tok-5678'})).toMatchObject({source: 'cl-cli-env'});
		expect(connectionOf(['--demo'], home)).toEqual({kind: 'demo'});
	});

	test('no config.json, or no current application: the demo', () => {
		expect(connectionOf([], fixture({apps: [integration]}).home)).toEqual({kind: 'demo'});
		expect(connectionOf([], fixture({current: null, apps: [integration]}).home)).toEqual({kind: 'demo'});
	});

	test('a staging domain and no baseUrl: built from slug and domain, auth on auth.commercelayer.co', () => {
		const {home} = fixture({current: staging.key, apps: [staging]});
		expect(connectionOf([], home)).toMatchObject({
			baseUrl: 'https://acme-stg.commercelayer.co',
			auth: {type: 'client_credentials', scope: 'market:id:xYZkjABcde', authUrl: 'https://auth.commercelayer.co/oauth/token'},
			label: 'cl app staging',
		});
	});

	test('--auth-url overrides the application too', () => {
		const {home} = fixture({current: integration.key, apps: [integration]});
		expect(connectionOf(['--auth-url', 'https://auth.example.com/oauth/token'], home)).toMatchObject({
			auth: {authUrl: 'https://auth.example.com/oauth/token'},
		});
	});

	test('without a client secret, the saved token while it is valid', () => {
		const valid = {accessToken: 'saved-token-value', tokenType: 'bearer', expiresIn: 7200, expires: '2026-11-15T13:00:00.000Z', scope: '', createdAt: 0};
		const {home} = fixture({current: salesChannel.key, apps: [salesChannel], tokens: {[salesChannel.key]: valid}});
		expect(connectionOf([], home)).toEqual({
			kind: 'remote',
			baseUrl: 'https://shop.commercelayer.io',
			auth: {type: 'token', token: 'saved-token-value'},
			source: 'cl-cli-app',
			label: 'cl app shop',
			tokenHint: 'Refresh it with: cl applications:token --alias shop',
		});

		// Expiring within 30 s counts as expired, as for the CLI.
		const expiring = {...valid, expires: '2026-11-15T12:00:20.000Z'};
		const stale = fixture({current: salesChannel.key, apps: [salesChannel], tokens: {[salesChannel.key]: expiring}});
		expect(errorOf([], stale.home)).toBe('cl app shop has no client secret and no valid saved token: run cl applications:token, or log in again');
	});

	test('readToken and readCurrentApplication directly', () => {
		const {home} = fixture({current: integration.key, apps: [integration], tokens: {[integration.key]: {accessToken: 'abc', expires: '2026-11-15T13:00:00Z'}}});
		const paths = clCliPaths({}, {configHome: home});
		const current = readCurrentApplication(paths);
		expect(current).toMatchObject({kind: 'found', app: {key: integration.key, alias: 'acme-int', slug: 'acme'}});
		if (current.kind !== 'found') {
			return;
		}

		expect(readToken(paths, current.app, now.getTime())).toEqual({accessToken: 'abc', expiresAt: Date.parse('2026-11-15T13:00:00Z')});
		expect(readToken(paths, current.app, Date.parse('2026-11-15T14:00:00Z'))).toBeUndefined();
	});
});

describe('--app ALIAS', () => {
	test('picks another saved application', () => {
		const {home} = fixture({current: integration.key, apps: [integration, staging]});
		expect(connectionOf(['--app', 'staging'], home)).toMatchObject({baseUrl: 'https://acme-stg.commercelayer.co', label: 'cl app staging', source: 'cl-cli-app'});
	});

	test('wins over the environment (flags first)', () => {
		const {home} = fixture({apps: [integration]});
		expect(connectionOf(['--app', 'acme-int'], home, {CL_ORGANIZATION: 'x', CL_ACCESS_TOKEN: 'tok-1234'})).toMatchObject({label: 'cl app acme-int'});
	});

	test('an unknown alias lists the saved ones', () => {
		const {home} = fixture({apps: [integration, staging]});
		expect(errorOf(['--app', 'prod'], home)).toBe('no cl CLI application with alias "prod" (saved: acme-int, staging)');
		expect(errorOf(['--app', 'prod'], fixture().home)).toBe('no cl CLI application with alias "prod" (none saved: log in with cl applications:login)');
	});

	test('findApplicationByAlias reads every application file', () => {
		const {home} = fixture({apps: [integration, staging, salesChannel]});
		const found = findApplicationByAlias(clCliPaths({}, {configHome: home}), 'shop');
		expect(found).toMatchObject({kind: 'found', app: {key: salesChannel.key, slug: 'shop', kind: 'sales_channel', mode: 'live'}});
	});
});

describe('a base URL without credentials borrows the cl login for that organization', () => {
	test('the one application saved for it', () => {
		const {home} = fixture({apps: [integration, staging]});
		expect(connectionOf(['--organization', 'acme'], home)).toMatchObject({
			baseUrl: 'https://acme.commercelayer.io',
			source: 'cl-cli-app',
			label: 'cl app acme-int',
		});
	});

	test('several: the current one, else ask for --app', () => {
		const second = {...integration, key: 'm1abc2dz', alias: 'acme-live', mode: 'live'};
		expect(connectionOf(['--organization', 'acme'], fixture({current: second.key, apps: [integration, second]}).home)).toMatchObject({
			label: 'cl app acme-live',
		});
		expect(errorOf(['--organization', 'acme'], fixture({current: staging.key, apps: [integration, second, staging]}).home)).toBe(
			'several cl CLI applications are saved for acme.commercelayer.io: pick one with --app (acme-int, acme-live)',
		);
	});

	test('none for that organization: missing credentials', () => {
		const {home} = fixture({current: staging.key, apps: [staging]});
		expect(errorOf(['--organization', 'acme'], home)).toBe(
			'missing credentials for acme.commercelayer.io (--organization): set CL_ACCESS_TOKEN, or CL_CLIENT_ID and CL_CLIENT_SECRET',
		);
	});
});

describe('broken files give one clear line', () => {
	test('config.json that is not JSON', () => {
		const {home, dir} = fixture({raw: {'config.json': '{"currentApplication": '}});
		expect(errorOf([], home)).toBe(`the cl CLI's configuration (${join(dir, 'config.json')}) is not valid JSON`);
	});

	test('config.json that is not an object, or a bad currentApplication', () => {
		expect(errorOf([], fixture({raw: {'config.json': '[1]'}}).home)).toMatch(/is not a JSON object$/);
		expect(errorOf([], fixture({raw: {'config.json': '{"currentApplication": 5}'}}).home)).toMatch(/has an invalid currentApplication$/);
	});

	test('the current application has no file', () => {
		const {home, dir} = fixture({current: 'gone123'});
		expect(errorOf([], home)).toBe(
			`the cl CLI's current application (gone123) has no file ${join(dir, 'applications', 'gone123.config.json')}: run cl applications to check`,
		);
	});

	test('an application file that is not JSON, or has no slug', () => {
		const broken = fixture({current: 'bad1', raw: {'applications/bad1.config.json': 'clientSecret=oops'}});
		const message = errorOf([], broken.home);
		expect(message).toBe(`the cl CLI's application file (${join(broken.dir, 'applications', 'bad1.config.json')}) is not valid JSON`);
		expect(message).not.toContain('oops');
		const noSlug = fixture({current: 'bad2', apps: [{key: 'bad2', clientId: 'x', clientSecret: 'y'}]});
		expect(errorOf([], noSlug.home)).toMatch(/has no organization slug$/);
		// A broken file is reported by --app as well, not skipped.
		expect(errorOf(['--app', 'x'], broken.home)).toMatch(/is not valid JSON$/);
	});

	test('an application whose baseUrl is not allowed', () => {
		const {home} = fixture({current: 'bad3', apps: [{...integration, key: 'bad3', alias: 'bad', baseUrl: 'http://acme.example.com'}]});
		expect(errorOf([], home)).toBe(
			"the cl app bad's baseUrl: http:// is only allowed for loopback hosts (127.0.0.1, ::1, localhost); use https://",
		);
	});

	test('no message shows a secret from the files', () => {
		const {home} = fixture({current: integration.key, apps: [{...integration, baseUrl: 'nonsense'}]});
		const message = errorOf([], home);
		expect(message).not.toContain('cli_client_secret_int_0001');
		expect(message).not.toContain('cli_client_id_int_0001');
	});
});

describe('what is not a file is not read', () => {
	/** The built CLI with this config home and nothing else configured: start-up must end, whatever the files are. */
	function start(home: string) {
		const env: Record<string, string> = {PATH: process.env['PATH'] ?? '', HOME: home, XDG_CONFIG_HOME: home};
		return spawnSync(process.execPath, [cliPath, '--json'], {env, cwd, encoding: 'utf8', timeout: 10_000});
	}

	test('a FIFO as config.json is refused at once, not waited on', () => {
		const {home, dir} = fixture();
		execFileSync('mkfifo', [join(dir, 'config.json')]);
		const result = start(home);
		expect(result.signal).toBeNull();
		expect(result.status).toBe(2);
		expect(result.stderr).toBe(`cl-exports: cannot read the cl CLI's configuration (${join(dir, 'config.json')}): not a regular file\n`);
	});

	test('/dev/zero as an application file is refused, not read for ever', () => {
		const {home, dir} = fixture({current: 'zero1'});
		symlinkSync('/dev/zero', join(dir, 'applications', 'zero1.config.json'));
		const result = start(home);
		expect(result.signal).toBeNull();
		expect(result.status).toBe(2);
		expect(result.stderr).toBe(`cl-exports: cannot read the cl CLI's application file (${join(dir, 'applications', 'zero1.config.json')}): not a regular file\n`);
	});

	test('a file over the size cap is refused', () => {
		const {home, dir} = fixture({raw: {'config.json': `{"pad": "${'x'.repeat(maxClFileBytes)}"}`}});
		expect(errorOf([], home)).toBe(`cannot read the cl CLI's configuration (${join(dir, 'config.json')}): larger than 1 MB`);
	});
});

test('nothing is ever written to the cl directory', () => {
	const valid = {accessToken: 'saved-token-value', expires: '2026-11-15T13:00:00.000Z'};
	const {home, dir} = fixture({current: integration.key, apps: [integration, staging, salesChannel], tokens: {[salesChannel.key]: valid, [integration.key]: valid}});
	const before = snapshot(dir);
	connectionOf([], home);
	connectionOf(['--app', 'shop'], home);
	connectionOf(['--app', 'staging'], home);
	connectionOf(['--organization', 'acme'], home);
	errorOf(['--app', 'missing'], home);
	parse([], home, {}, {now: new Date('2030-01-01T00:00:00Z')});
	expect(snapshot(dir)).toEqual(before);
	expect(readdirSync(join(dir, 'applications')).sort()).toEqual(
		[`${integration.key}.config.json`, `${integration.key}.token.json`, `${salesChannel.key}.config.json`, `${salesChannel.key}.token.json`, `${staging.key}.config.json`].sort(),
	);
});
