import {mkdirSync, mkdtempSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {afterAll, describe, expect, test} from 'vitest';
import {parseConfig, type Config, type ConfigOptions} from '../source/config.js';
import type {Connection} from '../source/connection/resolve.js';
import {filterSyntax} from '../source/filter/syntax.js';

const root = mkdtempSync(join(tmpdir(), 'cl-exports-config-'));
// An empty config home: no `cl` CLI login unless a test makes one.
const emptyHome = join(root, 'empty-home');
mkdirSync(emptyHome);
const cwd = join(root, 'work');
mkdirSync(cwd);
const now = new Date('2026-11-15T12:00:00Z');

afterAll(() => {
	rmSync(root, {recursive: true, force: true});
});

type Env = Record<string, string | undefined>;

function parse(argv: string[], env: Env = {}, options: ConfigOptions = {}) {
	return parseConfig(argv, env, {configHome: emptyHome, cwd, now, ...options});
}

function config(argv: string[], env: Env = {}, options: ConfigOptions = {}): Config {
	const result = parse(argv, env, options);
	if (result.kind !== 'run') {
		throw new Error(`expected a config, got ${JSON.stringify(result)}`);
	}

	return result.config;
}

function connection(argv: string[], env: Env = {}, options: ConfigOptions = {}): Connection {
	return config(argv, env, options).connection;
}

function error(argv: string[], env: Env = {}, options: ConfigOptions = {}): string {
	const result = parse(argv, env, options);
	if (result.kind !== 'error') {
		throw new Error(`expected an error, got ${JSON.stringify(result)}`);
	}

	expect(result.message).not.toContain('\n');
	return result.message;
}

/** A JWT-shaped token (unsigned) with Commerce Layer's claims. */
function jwt(claims: Record<string, unknown>): string {
	const part = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
	return `${part({alg: 'RS512', typ: 'JWT'})}.${part(claims)}.c2lnbmF0dXJl`;
}

const token = 'tok_live_4f9a8b7c6d5e4f3a2b1c';
const secret = 'sec_0a1b2c3d4e5f6a7b8c9d';
const clientId = 'cid_1234567890abcdef';

describe('defaults', () => {
	test('no configuration: the demo, 25 a page, newest first', () => {
		expect(config([])).toEqual({
			connection: {kind: 'demo'},
			pageSize: 25,
			sort: [{field: 'created_at', descending: true}],
			filterText: '',
			filters: {},
			readOnly: false,
			downloadDir: cwd,
			gunzip: false,
			json: false,
			all: false,
		});
	});

	test('every listing flag', () => {
		const downloads = join(root, 'downloads');
		mkdirSync(downloads, {recursive: true});
		expect(
			config([
				'--page-size',
				'10',
				'--sort',
				'status,-created_at',
				'--filter',
				'status:failed type:skus',
				'--watch',
				'5',
				'--read-only',
				'--download-dir',
				downloads,
				'--gunzip',
			]),
		).toEqual({
			connection: {kind: 'demo'},
			pageSize: 10,
			sort: [
				{field: 'status', descending: false},
				{field: 'created_at', descending: true},
			],
			filterText: 'status:failed type:skus',
			filters: {status_eq: 'failed', resource_type_eq: 'skus'},
			watchSeconds: 5,
			readOnly: true,
			downloadDir: downloads,
			gunzip: true,
			json: false,
			all: false,
		});
	});

	test('--flag=value works too; a relative --download-dir is resolved against the cwd', () => {
		mkdirSync(join(cwd, 'out'), {recursive: true});
		const result = config(['--page-size=1', '--download-dir=out', '--json', '--all']);
		expect(result.pageSize).toBe(1);
		expect(result.downloadDir).toBe(join(cwd, 'out'));
		expect(result.json).toBe(true);
		expect(result.all).toBe(true);
	});

	test('a value may start with a dash: --sort -created_at', () => {
		expect(config(['--sort', '-created_at,status']).sort).toEqual([
			{field: 'created_at', descending: true},
			{field: 'status', descending: false},
		]);
		expect(config(['--sort', '-status', '--json']).sort).toEqual([{field: 'status', descending: true}]);
		expect(error(['--watch', '-1'])).toBe('--watch must be a number of seconds (2 or more), got "-1"');
	});

	test('the filter is parsed with the given clock', () => {
		expect(config(['--filter', 'created_at>=-2h']).filters).toEqual({created_at_gteq: '2026-11-15T10:00:00.000Z'});
	});

	test('--watch accepts fractions and a trailing s', () => {
		expect(config(['--watch', '2']).watchSeconds).toBe(2);
		expect(config(['--watch', '2.5']).watchSeconds).toBe(2.5);
		expect(config(['--watch', '10s']).watchSeconds).toBe(10);
	});
});

describe('help and version', () => {
	test('--help lists every flag, the environment and the keys', () => {
		const result = parse(['--help']);
		expect(result.kind).toBe('help');
		const text = result.kind === 'help' ? result.text : '';
		for (const flag of [
			'--base-url',
			'--organization',
			'--auth-url',
			'--app',
			'--demo',
			'--page-size',
			'--sort',
			'--filter',
			'--watch',
			'--read-only',
			'--download-dir',
			'--gunzip',
			'--json',
			'--all',
			'--help',
			'--version',
		]) {
			expect(text).toContain(flag);
		}

		for (const variable of [
			'CL_BASE_URL',
			'CL_ORGANIZATION',
			'CL_ACCESS_TOKEN',
			'CL_CLIENT_ID',
			'CL_CLIENT_SECRET',
			'CL_SCOPE',
			'CL_AUTH_URL',
			'CL_CLI_ORGANIZATION',
			'CL_CLI_DOMAIN',
			'CL_CLI_ACCESS_TOKEN',
		]) {
			expect(text).toContain(variable);
		}

		expect(text).toMatch(/Keys\n/);
		// Within 80 columns, descriptions wrapped under their flag.
		for (const line of text.split('\n')) {
			expect(line.length, line).toBeLessThanOrEqual(80);
		}

		expect(text).toMatch(/\n {2}--auth-url URL {8}token endpoint \(default\n {24}https:\/\/auth\.commercelayer\.io\/oauth\/token/);
		// The filter syntax, from the parser's own description of it.
		for (const {example} of filterSyntax) {
			expect(text).toMatch(new RegExp(`\\n  ${example.replaceAll(/[.*+?^${}()|[\]\\]/g, '\\$&')} +\\S`));
		}

		expect(text).toContain('one screenful down');
		expect(text).toContain('PgDn');
		expect(text).toContain('quit');
	});

	test('-h, and --help wins over bad input', () => {
		expect(parse(['-h']).kind).toBe('help');
		expect(parse(['--page-size', '99', '--help']).kind).toBe('help');
	});

	test('--version', () => {
		const result = parse(['--version']);
		expect(result).toEqual({kind: 'version', text: expect.stringMatching(/^cl-exports \d+\.\d+\.\d+/)});
	});
});

describe('usage errors: one line each', () => {
	test('unknown flags, with a suggestion when close', () => {
		expect(error(['--foo'])).toBe('unknown option --foo (see --help)');
		expect(error(['--page-sise', '3'])).toBe('unknown option --page-sise: did you mean --page-size?');
		expect(error(['-x'])).toBe('unknown option -x (see --help)');
		// The value of an unknown --name=value is never echoed (it could be a secret).
		expect(error([`--token=${token}`])).toBe('unknown option --token (see --help)');
	});

	test('values missing or not allowed; positionals', () => {
		expect(error(['--page-size'])).toBe('--page-size needs a value');
		expect(error(['--json=yes'])).toBe('--json does not take a value');
		expect(error(['--filter', '--json'])).toBe('--filter needs a value (for a value starting with -, write --filter=-…)');
		expect(error(['status:failed'])).toBe('unexpected argument "status:failed": options start with -- (a filter goes in --filter "...")');
	});

	test('page size out of range or not a number', () => {
		for (const value of ['0', '26', '100', 'abc', '2.5', '-1', '']) {
			expect(error([`--page-size=${value}`])).toBe(`--page-size must be a whole number from 1 to 25, got ${JSON.stringify(value)}`);
		}
	});

	test('unknown sort field', () => {
		expect(error(['--sort', 'progress'])).toMatch(/^--sort: cannot sort by "progress"; sortable: id resource_type .* reference_origin$/);
		// The suggestion comes first, so no cap can cut it off.
		expect(error(['--sort', '-created'])).toBe('--sort: cannot sort by "created": did you mean created_at?');
		expect(error(['--sort', 'status,status'])).toBe('--sort: sort field "status" is given twice');
		expect(error(['--sort', 'status,,id'])).toBe('--sort: invalid sort "status,,id": expected fields separated by commas, e.g. -created_at,status');
	});

	test('a message never carries control characters, and stays short whatever the value', () => {
		const hostile = '\u001B]52;c;cHduZWQ=\u0007\u001B[2J\u202Eevil\u0085';
		const cases: Array<[string[], Env]> = [
			[['--filter', `status:${hostile}${'x'.repeat(5000)}`], {}],
			[['--filter', `ref~${'%'.repeat(1900)}`], {}],
			[['--sort', `${hostile}${'y'.repeat(5000)}`], {}],
			[['--sort', `status,,${hostile}`], {}],
			[['--page-size', `${hostile}${'9'.repeat(5000)}`], {}],
			[['--watch', hostile], {}],
			[['--download-dir', `${hostile}${'d'.repeat(5000)}`], {}],
			[['--app', `${hostile}${'a'.repeat(5000)}`], {}],
			[[`--${hostile}${'o'.repeat(5000)}`], {}],
			[[], {CL_ORGANIZATION: `${hostile}${'o'.repeat(5000)}`, CL_ACCESS_TOKEN: 'x-token-1234'}],
			[[], {CL_BASE_URL: `https://${hostile}.example.com`, CL_ACCESS_TOKEN: 'x-token-1234'}],
			[[], {CL_CLI_ACCESS_TOKEN: 'x-token-1234', CL_CLI_ORGANIZATION: 'acme', CL_CLI_DOMAIN: `${hostile}${'d'.repeat(5000)}`}],
		];
		for (const [argv, env] of cases) {
			const message = error(argv, env);
			expect(message, JSON.stringify(argv)).not.toMatch(/[\u0000-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069]/);
			expect(message.length, message).toBeLessThanOrEqual(240);
		}
	});

	test('a filter nested too deep or too long is one line, not a stack overflow', () => {
		expect(error(['--filter', 'metadata.' + 'a.'.repeat(5000) + 'b:1'])).toBe('--filter: filter too long: 10012 characters, at most 2000 (at column 2001)');
		expect(error(['--filter', 'metadata_jcont=' + '{"a":'.repeat(3000) + '1' + '}'.repeat(3000)])).toMatch(/^--filter: filter too long: 18016 characters, at most 2000/);
		expect(error(['--filter', 'metadata.a:1 metadata.__proto__.polluted:1'])).toBe('--filter: metadata key "__proto__" is not allowed (at column 23)');
		expect(Object.prototype).not.toHaveProperty('polluted');
	});

	test('a bare status in --filter is kept written out, as the prompt keeps it', () => {
		expect(config(['--filter', 'failed sku'])).toMatchObject({
			filterText: 'status:failed sku',
			filters: {status_eq: 'failed', id_or_reference_or_reference_origin_or_resource_type_cont: 'sku'},
		});
	});

	test('bad filter', () => {
		expect(error(['--filter', 'stauts:failed'])).toBe('--filter: unknown field "stauts": did you mean status? (at column 1)');
		expect(error(['--filter', 'status:failed records_count~x'])).toBe(
			'--filter: records_count is a number: use :, !:, >, >=, <, <= (at column 28)',
		);
	});

	test('watch below 2 seconds or not a number', () => {
		expect(error(['--watch', '1'])).toBe('--watch must be at least 2 seconds, got "1"');
		expect(error(['--watch', '1.9'])).toBe('--watch must be at least 2 seconds, got "1.9"');
		expect(error(['--watch', 'often'])).toBe('--watch must be a number of seconds (2 or more), got "often"');
	});

	test('flag combinations', () => {
		expect(error(['--json', '--watch', '5'])).toBe('--watch is for the interactive view; it cannot be combined with --json');
		expect(error(['--all'], {}, {interactive: true})).toBe('--all prints every page: use it with --json, or pipe the output (e.g. | less)');
		expect(config(['--all'], {}, {interactive: false}).all).toBe(true);
		expect(config(['--all', '--json'], {}, {interactive: true}).all).toBe(true);
	});

	test('download dir must exist and be a directory', () => {
		expect(error(['--download-dir', 'nope'])).toBe(`--download-dir: no such directory ${JSON.stringify(join(cwd, 'nope'))}`);
		writeFileSync(join(cwd, 'a-file'), 'x');
		expect(error(['--download-dir', 'a-file'])).toBe(`--download-dir: ${JSON.stringify(join(cwd, 'a-file'))} is not a directory`);
	});
});

describe('base URL, organization and auth URL', () => {
	const withToken = {CL_ACCESS_TOKEN: token};

	test('--base-url with a token', () => {
		expect(connection(['--base-url', 'https://acme.commercelayer.io'], withToken)).toEqual({
			kind: 'remote',
			baseUrl: 'https://acme.commercelayer.io',
			auth: {type: 'token', token},
			source: 'flags',
			label: 'acme.commercelayer.io',
			tokenHint: 'Check CL_ACCESS_TOKEN.',
		});
	});

	test('a trailing slash is fine; the host is lower-cased', () => {
		const result = connection(['--base-url', 'https://ACME.commercelayer.io/'], withToken);
		expect(result.kind === 'remote' && result.baseUrl).toBe('https://acme.commercelayer.io');
	});

	test('http:// only for loopback hosts', () => {
		for (const url of ['http://127.0.0.1:4567', 'http://127.1.2.3:80', 'http://localhost:3000', 'http://[::1]:4567']) {
			const result = connection(['--base-url', url], withToken);
			expect(result.kind === 'remote' && result.baseUrl).toBe(new URL(url).origin);
		}

		for (const url of ['http://acme.commercelayer.io', 'http://10.0.0.1:4567', 'http://128.0.0.1']) {
			expect(error(['--base-url', url], withToken)).toBe(
				'--base-url: http:// is only allowed for loopback hosts (127.0.0.1, ::1, localhost); use https://',
			);
		}
	});

	test('malformed URLs', () => {
		expect(error(['--base-url', 'acme.commercelayer.io'], withToken)).toBe(
			'--base-url is not a valid URL "acme.commercelayer.io": expected e.g. https://acme.commercelayer.io',
		);
		expect(error(['--base-url', 'ftp://acme.commercelayer.io'], withToken)).toBe('--base-url must be an https:// URL (got ftp://)');
		expect(error(['--base-url', 'https://acme.commercelayer.io/api'], withToken)).toBe(
			'--base-url must be an origin without a path, e.g. https://acme.commercelayer.io (got path "/api")',
		);
		expect(error(['--base-url', 'https://acme.commercelayer.io?x=1'], withToken)).toBe('--base-url must not have a query or fragment');
		expect(error(['--base-url', `https://user:${secret}@acme.commercelayer.io`], withToken)).toBe(
			'--base-url must not contain a user name or password',
		);
		expect(error([], {CL_BASE_URL: 'nonsense', ...withToken})).toBe(
			'CL_BASE_URL is not a valid URL "nonsense": expected e.g. https://acme.commercelayer.io',
		);
	});

	test('--organization SLUG', () => {
		const result = connection(['--organization', 'acme-2'], {CL_CLIENT_ID: clientId, CL_CLIENT_SECRET: secret, CL_SCOPE: 'market:code:europe'});
		expect(result).toEqual({
			kind: 'remote',
			baseUrl: 'https://acme-2.commercelayer.io',
			auth: {
				type: 'client_credentials',
				clientId,
				clientSecret: secret,
				scope: 'market:code:europe',
				authUrl: 'https://auth.commercelayer.io/oauth/token',
			},
			source: 'flags',
			label: 'acme-2.commercelayer.io',
		});
		expect(error(['--organization', 'acme_corp'], withToken)).toBe(
			'--organization must be an organization slug (lowercase letters, digits and dashes), got "acme_corp"',
		);
		expect(error(['--organization', '-acme'], withToken)).toBe('--organization must be an organization slug (lowercase letters, digits and dashes), got "-acme"');
		expect(error(['--organization', 'acme', '--base-url', 'https://x.io'], withToken)).toBe('use either --base-url or --organization, not both');
	});

	test('the auth URL: commercelayer.io, commercelayer.co, other hosts, overrides', () => {
		const credentials = {CL_CLIENT_ID: clientId, CL_CLIENT_SECRET: secret};
		const authUrl = (argv: string[], env: Env = {}) => {
			const result = connection(argv, {...credentials, ...env});
			return result.kind === 'remote' && result.auth.type === 'client_credentials' ? result.auth.authUrl : undefined;
		};

		expect(authUrl(['--base-url', 'https://acme.commercelayer.io'])).toBe('https://auth.commercelayer.io/oauth/token');
		expect(authUrl(['--base-url', 'https://acme.commercelayer.co'])).toBe('https://auth.commercelayer.co/oauth/token');
		expect(authUrl(['--base-url', 'http://127.0.0.1:4567'])).toBe('http://127.0.0.1:4567/oauth/token');
		expect(authUrl(['--base-url', 'https://cl.example.com'])).toBe('https://cl.example.com/oauth/token');
		expect(authUrl(['--organization', 'acme', '--auth-url', 'https://auth.example.com/token'])).toBe('https://auth.example.com/token');
		expect(authUrl(['--organization', 'acme'], {CL_AUTH_URL: 'https://auth.example.com/oauth/token'})).toBe('https://auth.example.com/oauth/token');
		expect(authUrl(['--organization', 'acme', '--auth-url', 'https://a.example.com/t'], {CL_AUTH_URL: 'https://b.example.com/t'})).toBe(
			'https://a.example.com/t',
		);
		expect(error(['--organization', 'acme', '--auth-url', 'http://auth.example.com/t'], credentials)).toBe(
			'--auth-url: http:// is only allowed for loopback hosts (127.0.0.1, ::1, localhost); use https://',
		);
	});
});

describe('where the connection comes from', () => {
	test('the environment: CL_BASE_URL or CL_ORGANIZATION with a token or client credentials', () => {
		expect(connection([], {CL_BASE_URL: 'https://acme.commercelayer.io', CL_ACCESS_TOKEN: token})).toMatchObject({
			kind: 'remote',
			baseUrl: 'https://acme.commercelayer.io',
			source: 'env',
			auth: {type: 'token', token},
		});
		expect(connection([], {CL_ORGANIZATION: 'acme', CL_CLIENT_ID: clientId, CL_CLIENT_SECRET: secret})).toMatchObject({
			kind: 'remote',
			baseUrl: 'https://acme.commercelayer.io',
			source: 'env',
			auth: {type: 'client_credentials', clientId, clientSecret: secret},
		});
		// CL_BASE_URL is the more specific of the two.
		expect(connection([], {CL_BASE_URL: 'https://a.commercelayer.io', CL_ORGANIZATION: 'b', CL_ACCESS_TOKEN: token})).toMatchObject({
			baseUrl: 'https://a.commercelayer.io',
		});
	});

	test('flags override the environment', () => {
		const env = {CL_BASE_URL: 'https://env.commercelayer.io', CL_ACCESS_TOKEN: token};
		expect(connection(['--base-url', 'https://flag.commercelayer.io'], env)).toMatchObject({baseUrl: 'https://flag.commercelayer.io', source: 'flags'});
		expect(connection(['--organization', 'flag'], env)).toMatchObject({baseUrl: 'https://flag.commercelayer.io', source: 'flags'});
		expect(connection(['--demo'], env)).toEqual({kind: 'demo'});
	});

	test('a token is preferred to client credentials when both are set', () => {
		expect(connection([], {CL_ORGANIZATION: 'acme', CL_ACCESS_TOKEN: token, CL_CLIENT_ID: clientId, CL_CLIENT_SECRET: secret})).toMatchObject({
			auth: {type: 'token', token},
		});
	});

	test('a Commerce Layer token names its organization', () => {
		const jwtToken = jwt({organization: {id: 'x', slug: 'acme'}, iss: 'https://auth.commercelayer.co', test: true});
		expect(connection([], {CL_ACCESS_TOKEN: jwtToken})).toMatchObject({
			kind: 'remote',
			baseUrl: 'https://acme.commercelayer.co',
			source: 'env',
			label: 'acme.commercelayer.co',
		});
	});

	test('missing credentials name what to set', () => {
		expect(error(['--organization', 'acme'])).toBe(
			'missing credentials for acme.commercelayer.io (--organization): set CL_ACCESS_TOKEN, or CL_CLIENT_ID and CL_CLIENT_SECRET',
		);
		expect(error(['--base-url', 'https://acme.commercelayer.io'])).toBe(
			'missing credentials for acme.commercelayer.io (--base-url): set CL_ACCESS_TOKEN, or CL_CLIENT_ID and CL_CLIENT_SECRET',
		);
		expect(error([], {CL_ORGANIZATION: 'acme'})).toBe(
			'missing credentials for acme.commercelayer.io (CL_ORGANIZATION): set CL_ACCESS_TOKEN, or CL_CLIENT_ID and CL_CLIENT_SECRET',
		);
		expect(error([], {CL_ORGANIZATION: 'acme', CL_CLIENT_ID: clientId})).toBe(
			'CL_CLIENT_ID is set but CL_CLIENT_SECRET is not: set both (or CL_ACCESS_TOKEN)',
		);
		expect(error([], {CL_ORGANIZATION: 'acme', CL_CLIENT_SECRET: secret})).toBe(
			'CL_CLIENT_SECRET is set but CL_CLIENT_ID is not: set both (or CL_ACCESS_TOKEN)',
		);
		expect(error([], {CL_ACCESS_TOKEN: token})).toBe('CL_ACCESS_TOKEN is set but no organization: set CL_BASE_URL or CL_ORGANIZATION');
		expect(error([], {CL_CLIENT_ID: clientId, CL_CLIENT_SECRET: secret})).toBe(
			'CL_CLIENT_ID and CL_CLIENT_SECRET need an organization: set CL_ORGANIZATION or CL_BASE_URL',
		);
	});

	test("the cl CLI's variables", () => {
		expect(connection([], {CL_CLI_ORGANIZATION: 'acme', CL_CLI_ACCESS_TOKEN: token})).toEqual({
			kind: 'remote',
			baseUrl: 'https://acme.commercelayer.io',
			auth: {type: 'token', token},
			source: 'cl-cli-env',
			label: 'acme.commercelayer.io',
			tokenHint: 'Check CL_CLI_ACCESS_TOKEN.',
		});
		expect(connection([], {CL_CLI_ORGANIZATION: 'acme', CL_CLI_DOMAIN: 'commercelayer.co', CL_CLI_ACCESS_TOKEN: token})).toMatchObject({
			baseUrl: 'https://acme.commercelayer.co',
		});
		expect(error([], {CL_CLI_ORGANIZATION: 'acme'})).toBe(
			'CL_CLI_ORGANIZATION is set but CL_CLI_ACCESS_TOKEN is not: set it too (or log in with cl)',
		);
		expect(error([], {CL_CLI_ACCESS_TOKEN: token})).toBe('CL_CLI_ACCESS_TOKEN is set but CL_CLI_ORGANIZATION is not: set the organization slug');
	});

	test('CL_* variables come before the cl CLI ones; a flag base URL can use the cl token for the same organization', () => {
		const cli = {CL_CLI_ORGANIZATION: 'acme', CL_CLI_ACCESS_TOKEN: 'cli-token-value'};
		expect(connection([], {...cli, CL_ORGANIZATION: 'other', CL_ACCESS_TOKEN: token})).toMatchObject({
			baseUrl: 'https://other.commercelayer.io',
			source: 'env',
		});
		expect(connection(['--organization', 'acme'], cli)).toMatchObject({
			baseUrl: 'https://acme.commercelayer.io',
			source: 'cl-cli-env',
			auth: {type: 'token', token: 'cli-token-value'},
		});
		expect(error(['--organization', 'other'], cli)).toMatch(/^missing credentials for other\.commercelayer\.io/);
	});

	test('--demo and --app do not combine with other connection flags', () => {
		expect(error(['--demo', '--base-url', 'https://acme.commercelayer.io'])).toBe('--demo cannot be combined with --base-url');
		expect(error(['--demo', '--organization', 'acme'])).toBe('--demo cannot be combined with --organization');
		expect(error(['--app', 'x', '--organization', 'acme'])).toBe('--app cannot be combined with --organization');
		expect(error(['--app', ''])).toBe('--app needs the alias of an application saved by the cl CLI');
	});
});

describe('no message carries a secret', () => {
	test('across the error paths, with every secret variable set', () => {
		const env: Env = {
			CL_ACCESS_TOKEN: token,
			CL_CLIENT_ID: clientId,
			CL_CLIENT_SECRET: secret,
			CL_CLI_ACCESS_TOKEN: 'cli_secret_token_value',
		};
		const cases: string[][] = [
			['--base-url', `https://u:${secret}@acme.commercelayer.io`],
			['--base-url', `https://acme.commercelayer.io/?token=${token}`],
			['--base-url', `not a url ${token}`],
			['--page-size', '99'],
			['--sort', 'nope'],
			['--filter', 'nope:1'],
			['--watch', '1'],
			[`--access-token=${token}`],
			[`--client-secret=${secret}`],
			['--app', 'missing'],
			['--auth-url', `http://auth.example.com/?s=${secret}`],
			[token],
		];
		for (const argv of cases) {
			const message = error(argv, env);
			for (const value of [token, secret, clientId, 'cli_secret_token_value']) {
				expect(message).not.toContain(value);
			}
		}
	});
});
