// Flags + environment -> Config, or one line saying what is wrong (the entry exits 2 with it).
// Flags override the environment. Where the connection comes from, first match wins
// (contract.md): flags; CL_BASE_URL/CL_ORGANIZATION with CL_ACCESS_TOKEN or CL_CLIENT_ID/SECRET;
// the `cl` CLI's variables; the `cl` CLI's current saved application; else the embedded demo.
// No message ever holds a token, a client secret or a client id.
import {statSync} from 'node:fs';
import {resolve} from 'node:path';
import {parseArgs} from 'node:util';
import {isSortableField, sortableFields} from './api/fields.js';
import {parseSort, type SortKey} from './api/sort.js';
import type {Filters} from './api/types.js';
import {
	applicationLabel,
	clCliPaths,
	findApplicationByAlias,
	listApplications,
	readCurrentApplication,
	readToken,
	type ClApplication,
	type ClCliPaths,
} from './cl-cli.js';
import {closest, filterSyntaxLines, keptFilterText, parseFilter} from './filter/parse.js';
import {sanitize} from './text/sanitize.js';
import {helpRows, keyGroups} from './state/keys.js';
import {version} from './version.js';

export type RemoteAuth =
	| {type: 'token'; token: string}
	| {type: 'client_credentials'; clientId: string; clientSecret: string; scope?: string; authUrl: string};

export type Connection =
	| {kind: 'demo'}
	| {
			kind: 'remote';
			baseUrl: string;
			auth: RemoteAuth;
			source: 'flags' | 'env' | 'cl-cli-env' | 'cl-cli-app';
			/** The header's label, e.g. "acme.commercelayer.io" or "cl app acme-int". */
			label: string;
			/** What to check when the API rejects a token given as is, e.g. "Check CL_ACCESS_TOKEN.". */
			tokenHint?: string;
	  };

export type Config = {
	connection: Connection;
	pageSize: number;
	sort: SortKey[];
	filterText: string;
	filters: Filters;
	watchSeconds?: number;
	readOnly: boolean;
	downloadDir: string;
	gunzip: boolean;
	json: boolean;
	all: boolean;
};

export type ConfigResult =
	| {kind: 'run'; config: Config}
	| {kind: 'help'; text: string}
	| {kind: 'version'; text: string}
	| {kind: 'error'; message: string};

export type ConfigOptions = {
	/** Stands in for $XDG_CONFIG_HOME when looking for the `cl` CLI's files (tests). */
	configHome?: string;
	/** Working directory, the default download directory. */
	cwd?: string;
	/** Whether the TUI would open (stdin and stdout are terminals); `--all` needs the opposite. */
	interactive?: boolean;
	/** Clock for the filter's relative dates and the saved token's expiry. */
	now?: Date;
};

type Env = Record<string, string | undefined>;

export const defaultPageSize = 25;
export const defaultSort = '-created_at';
export const minimumWatchSeconds = 2;

const flagOptions = {
	'base-url': {type: 'string'},
	organization: {type: 'string'},
	'auth-url': {type: 'string'},
	app: {type: 'string'},
	demo: {type: 'boolean'},
	'page-size': {type: 'string'},
	sort: {type: 'string'},
	filter: {type: 'string'},
	watch: {type: 'string'},
	'read-only': {type: 'boolean'},
	'download-dir': {type: 'string'},
	gunzip: {type: 'boolean'},
	json: {type: 'boolean'},
	all: {type: 'boolean'},
	help: {type: 'boolean', short: 'h'},
	version: {type: 'boolean'},
} as const;

type Flags = {
	'base-url'?: string;
	organization?: string;
	'auth-url'?: string;
	app?: string;
	demo?: boolean;
	'page-size'?: string;
	sort?: string;
	filter?: string;
	watch?: string;
	'read-only'?: boolean;
	'download-dir'?: string;
	gunzip?: boolean;
	json?: boolean;
	all?: boolean;
};

class ConfigError extends Error {}

function fail(message: string): never {
	throw new ConfigError(message);
}

/** A user's value inside a message: quoted, one line, short. */
function shown(value: string): string {
	const line = sanitize(value);
	return JSON.stringify(line.length > 60 ? `${line.slice(0, 59)}…` : line);
}

/** The longest configuration message (about three lines of 80 columns), whatever value it quotes. */
export const maxMessageLength = 240;

/**
 * The last step of every configuration message: whatever a value (a flag, a variable, a file the
 * cl CLI wrote) put in it, no control character reaches the terminal and the line stays short.
 */
function safeMessage(message: string): string {
	const line = sanitize(message);
	return line.length > maxMessageLength ? `${line.slice(0, maxMessageLength - 1)}…` : line;
}

// ---------------------------------------------------------------------------------------------
// URLs

export function isLoopback(hostname: string): boolean {
	const host = hostname.toLowerCase();
	return (
		host === 'localhost' ||
		host.endsWith('.localhost') ||
		/^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host) ||
		host === '[::1]' ||
		/^\[::ffff:7f[\da-f]{2}:[\da-f]{1,4}\]$/.test(host)
	);
}

function parseHttpUrl(value: string, name: string, allowPath: boolean): URL {
	let url: URL;
	try {
		url = new URL(value.trim());
	} catch {
		// The value may be anything a user pasted: only echo what looks like a host name.
		const echo = /^[\w.:/[\]-]{1,60}$/.test(value) && !value.includes('eyJ') ? ` ${shown(value)}` : '';
		return fail(`${name} is not a valid URL${echo}: expected e.g. https://acme.commercelayer.io`);
	}

	if (url.protocol !== 'https:' && url.protocol !== 'http:') {
		fail(`${name} must be an https:// URL (got ${url.protocol}//)`);
	}

	if (url.username || url.password) fail(`${name} must not contain a user name or password`);
	if (url.search || url.hash) fail(`${name} must not have a query or fragment`);
	if (!allowPath && url.pathname !== '/' && url.pathname !== '') {
		fail(`${name} must be an origin without a path, e.g. https://acme.commercelayer.io (got path ${shown(url.pathname)})`);
	}

	if (url.protocol === 'http:' && !isLoopback(url.hostname)) {
		fail(`${name}: http:// is only allowed for loopback hosts (127.0.0.1, ::1, localhost); use https://`);
	}

	return url;
}

/** `https://acme.commercelayer.io` from a --base-url value. */
export function parseBaseUrl(value: string, name = '--base-url'): string {
	return parseHttpUrl(value, name, false).origin;
}

const slugPattern = /^[a-z\d](?:[a-z\d-]{0,61}[a-z\d])?$/;

/** `https://acme.commercelayer.io` from an organization slug. */
export function organizationUrl(slug: string, name = '--organization', domain = 'commercelayer.io'): string {
	const normal = slug.trim().toLowerCase();
	if (!slugPattern.test(normal)) {
		fail(`${name} must be an organization slug (lowercase letters, digits and dashes), got ${shown(slug)}`);
	}

	return `https://${normal}.${domain}`;
}

/** The token endpoint: auth.commercelayer.io (or .co) for Commerce Layer hosts, else <base>/oauth/token. */
export function defaultAuthUrl(baseUrl: string, domain?: string): string {
	const host = new URL(baseUrl).hostname;
	if (host === 'commercelayer.io' || host.endsWith('.commercelayer.io')) return 'https://auth.commercelayer.io/oauth/token';
	if (host === 'commercelayer.co' || host.endsWith('.commercelayer.co')) return 'https://auth.commercelayer.co/oauth/token';
	if (domain) return `https://auth.${domain}/oauth/token`;
	return `${baseUrl}/oauth/token`;
}

function parseAuthUrl(value: string, name: string): string {
	const url = parseHttpUrl(value, name, true);
	return url.pathname === '/' ? url.origin : `${url.origin}${url.pathname}`;
}

function labelOf(baseUrl: string): string {
	return new URL(baseUrl).host;
}

/** Organization slug and domain from a Commerce Layer JWT (`organization.slug`, `iss` https://auth.<domain>). */
export function organizationFromToken(token: string): {slug: string; domain?: string} | undefined {
	const payload = token.split('.')[1];
	if (!payload) return undefined;
	try {
		const claims: unknown = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
		if (typeof claims !== 'object' || claims === null) return undefined;
		const {organization, iss} = claims as {organization?: {slug?: unknown}; iss?: unknown};
		const slug = typeof organization?.slug === 'string' ? organization.slug.toLowerCase() : undefined;
		if (!slug || !slugPattern.test(slug)) return undefined;
		const issuer = typeof iss === 'string' ? /^https:\/\/auth\.([a-z\d.-]+)\/?$/.exec(iss)?.[1] : undefined;
		return {slug, domain: issuer};
	} catch {
		return undefined;
	}
}

// ---------------------------------------------------------------------------------------------
// The connection

type Base = {baseUrl: string; slug?: string; domain?: string; from: string};

function clientCredentialsAuth(
	base: {baseUrl: string; domain?: string},
	credentials: {clientId: string; clientSecret: string; scope?: string},
	authUrl: string | undefined,
): RemoteAuth {
	return {
		type: 'client_credentials',
		clientId: credentials.clientId,
		clientSecret: credentials.clientSecret,
		...(credentials.scope ? {scope: credentials.scope} : {}),
		authUrl: authUrl ?? defaultAuthUrl(base.baseUrl, base.domain),
	};
}

/** CL_ACCESS_TOKEN or CL_CLIENT_ID + CL_CLIENT_SECRET (+ CL_SCOPE), if set. */
function envCredentials(env: Env, base: Base, authUrl: string | undefined): RemoteAuth | undefined {
	const token = env['CL_ACCESS_TOKEN']?.trim();
	if (token) return {type: 'token', token};
	const clientId = env['CL_CLIENT_ID']?.trim();
	const clientSecret = env['CL_CLIENT_SECRET']?.trim();
	if (clientId && !clientSecret) fail('CL_CLIENT_ID is set but CL_CLIENT_SECRET is not: set both (or CL_ACCESS_TOKEN)');
	if (clientSecret && !clientId) fail('CL_CLIENT_SECRET is set but CL_CLIENT_ID is not: set both (or CL_ACCESS_TOKEN)');
	if (clientId && clientSecret) {
		return clientCredentialsAuth(base, {clientId, clientSecret, scope: env['CL_SCOPE']?.trim() || undefined}, authUrl);
	}

	return undefined;
}

function clCliDomain(env: Env): string {
	const domain = env['CL_CLI_DOMAIN']?.trim().toLowerCase() || 'commercelayer.io';
	if (!/^[a-z\d](?:[a-z\d-]*[a-z\d])?(?:\.[a-z\d](?:[a-z\d-]*[a-z\d])?)+$/.test(domain)) {
		fail(`CL_CLI_DOMAIN must be a domain such as commercelayer.io, got ${shown(domain)}`);
	}

	return domain;
}

/** The `cl` CLI's variables as a connection, when CL_CLI_ACCESS_TOKEN is set. */
function clCliEnvConnection(env: Env): Connection | undefined {
	const token = env['CL_CLI_ACCESS_TOKEN']?.trim();
	const organization = env['CL_CLI_ORGANIZATION']?.trim();
	if (!token) {
		if (organization) fail('CL_CLI_ORGANIZATION is set but CL_CLI_ACCESS_TOKEN is not: set it too (or log in with cl)');
		return undefined;
	}

	const fromToken = organizationFromToken(token);
	const slug = organization ?? fromToken?.slug;
	if (!slug) fail('CL_CLI_ACCESS_TOKEN is set but CL_CLI_ORGANIZATION is not: set the organization slug');
	const domain = env['CL_CLI_DOMAIN'] ? clCliDomain(env) : (fromToken?.domain ?? 'commercelayer.io');
	const baseUrl = organizationUrl(slug, 'CL_CLI_ORGANIZATION', domain);
	return {
		kind: 'remote',
		baseUrl,
		auth: {type: 'token', token},
		source: 'cl-cli-env',
		label: labelOf(baseUrl),
		tokenHint: 'Check CL_CLI_ACCESS_TOKEN.',
	};
}

function applicationBaseUrl(app: ClApplication): string {
	if (app.baseUrl) return parseBaseUrl(app.baseUrl, `the cl app ${app.alias ?? app.key}'s baseUrl`);
	return organizationUrl(app.slug, `the cl app ${app.alias ?? app.key}'s slug`, app.domain ?? 'commercelayer.io');
}

function applicationConnection(app: ClApplication, paths: ClCliPaths, authUrl: string | undefined, now: number): Connection {
	const baseUrl = applicationBaseUrl(app);
	const label = applicationLabel(app);
	// Client credentials renew themselves; a saved token is the fallback for applications
	// without a secret (the CLI refreshes those itself).
	if (app.clientId && app.clientSecret) {
		return {
			kind: 'remote',
			baseUrl,
			auth: clientCredentialsAuth({baseUrl, domain: app.domain}, {clientId: app.clientId, clientSecret: app.clientSecret, scope: app.scope}, authUrl),
			source: 'cl-cli-app',
			label,
		};
	}

	const token = readToken(paths, app, now);
	if (token) {
		return {
			kind: 'remote',
			baseUrl,
			auth: {type: 'token', token: token.accessToken},
			source: 'cl-cli-app',
			label,
			tokenHint: `Refresh it with: cl applications:token --alias ${app.alias ?? app.key}`,
		};
	}

	return fail(`${label} has no client secret and no valid saved token: run cl applications:token, or log in again`);
}

/** Credentials for a base URL given without CL_* credentials: the `cl` CLI's, when they are for that organization. */
function clCliCredentialsFor(base: Base, env: Env, paths: ClCliPaths, authUrl: string | undefined, now: number): Connection | undefined {
	if (env['CL_CLI_ACCESS_TOKEN']?.trim()) {
		const connection = clCliEnvConnection(env);
		if (connection?.kind === 'remote' && connection.baseUrl === base.baseUrl) return {...connection, source: 'cl-cli-env'};
	}

	const current = readCurrentApplication(paths);
	if (current.kind === 'error') fail(current.message);
	if (current.kind === 'found' && applicationBaseUrl(current.app) === base.baseUrl) {
		return applicationConnection(current.app, paths, authUrl, now);
	}

	const listed = listApplications(paths);
	if (!listed.ok) fail(listed.message);
	const matching = listed.apps.filter(app => applicationBaseUrl(app) === base.baseUrl);
	if (matching.length === 1) return applicationConnection(matching[0]!, paths, authUrl, now);
	if (matching.length > 1) {
		const names = matching.map(app => app.alias ?? app.key).join(', ');
		fail(`several cl CLI applications are saved for ${labelOf(base.baseUrl)}: pick one with --app (${names})`);
	}

	return undefined;
}

function connectionFor(base: Base, source: 'flags' | 'env', env: Env, paths: ClCliPaths, authUrl: string | undefined, now: number): Connection {
	const auth = envCredentials(env, base, authUrl);
	if (auth) {
		return {
			kind: 'remote',
			baseUrl: base.baseUrl,
			auth,
			source,
			label: labelOf(base.baseUrl),
			...(auth.type === 'token' ? {tokenHint: 'Check CL_ACCESS_TOKEN.'} : {}),
		};
	}

	const fromCli = clCliCredentialsFor(base, env, paths, authUrl, now);
	if (fromCli) return fromCli;
	return fail(`missing credentials for ${labelOf(base.baseUrl)} (${base.from}): set CL_ACCESS_TOKEN, or CL_CLIENT_ID and CL_CLIENT_SECRET`);
}

function resolveConnection(flags: Flags, env: Env, paths: ClCliPaths, now: number): Connection {
	const flagAuthUrl = flags['auth-url'] === undefined ? undefined : parseAuthUrl(flags['auth-url'], '--auth-url');
	const envAuthUrl = env['CL_AUTH_URL']?.trim() ? parseAuthUrl(env['CL_AUTH_URL'], 'CL_AUTH_URL') : undefined;
	const authUrl = flagAuthUrl ?? envAuthUrl;

	if (flags['base-url'] !== undefined && flags.organization !== undefined) fail('use either --base-url or --organization, not both');
	const connectionFlags = (['demo', 'app', 'base-url', 'organization'] as const).filter(name => flags[name] !== undefined && flags[name] !== false);
	if (flags.demo && connectionFlags.length > 1) fail(`--demo cannot be combined with --${connectionFlags.find(name => name !== 'demo')}`);
	if (flags.app !== undefined && connectionFlags.length > 1) fail(`--app cannot be combined with --${connectionFlags.find(name => name !== 'app')}`);

	if (flags.demo) return {kind: 'demo'};

	if (flags.app !== undefined) {
		const alias = flags.app.trim();
		if (alias === '') fail('--app needs the alias of an application saved by the cl CLI');
		const found = findApplicationByAlias(paths, alias);
		if (found.kind === 'error') fail(found.message);
		if (found.kind === 'none') fail(`no cl CLI application with alias ${shown(alias)}`);
		return applicationConnection(found.app, paths, authUrl, now);
	}

	if (flags['base-url'] !== undefined) {
		return connectionFor({baseUrl: parseBaseUrl(flags['base-url']), from: '--base-url'}, 'flags', env, paths, authUrl, now);
	}

	if (flags.organization !== undefined) {
		return connectionFor({baseUrl: organizationUrl(flags.organization), from: '--organization'}, 'flags', env, paths, authUrl, now);
	}

	const envBaseUrl = env['CL_BASE_URL']?.trim();
	if (envBaseUrl) return connectionFor({baseUrl: parseBaseUrl(envBaseUrl, 'CL_BASE_URL'), from: 'CL_BASE_URL'}, 'env', env, paths, authUrl, now);
	const envOrganization = env['CL_ORGANIZATION']?.trim();
	if (envOrganization) {
		return connectionFor({baseUrl: organizationUrl(envOrganization, 'CL_ORGANIZATION'), from: 'CL_ORGANIZATION'}, 'env', env, paths, authUrl, now);
	}

	// Credentials without a base URL: a Commerce Layer token names its organization.
	const token = env['CL_ACCESS_TOKEN']?.trim();
	if (token) {
		const organization = organizationFromToken(token);
		if (!organization) fail('CL_ACCESS_TOKEN is set but no organization: set CL_BASE_URL or CL_ORGANIZATION');
		const baseUrl = organizationUrl(organization.slug, 'the token\'s organization', organization.domain);
		return {kind: 'remote', baseUrl, auth: {type: 'token', token}, source: 'env', label: labelOf(baseUrl), tokenHint: 'Check CL_ACCESS_TOKEN.'};
	}

	if (env['CL_CLIENT_ID']?.trim() || env['CL_CLIENT_SECRET']?.trim()) {
		fail('CL_CLIENT_ID and CL_CLIENT_SECRET need an organization: set CL_ORGANIZATION or CL_BASE_URL');
	}

	const fromCliEnv = clCliEnvConnection(env);
	if (fromCliEnv) return fromCliEnv;

	const current = readCurrentApplication(paths);
	if (current.kind === 'error') fail(current.message);
	if (current.kind === 'found') return applicationConnection(current.app, paths, authUrl, now);

	return {kind: 'demo'};
}

// ---------------------------------------------------------------------------------------------
// Flags

function argumentError(error: unknown): string {
	const {code, message} = error as {code?: string; message?: string};
	const text = message ?? '';
	if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') {
		const option = /'(-[^']*)'/.exec(text)?.[1] ?? 'option';
		const name = option.replace(/^-+/, '').split('=')[0] ?? '';
		const suggestion = option.startsWith('--') ? closest(name, Object.keys(flagOptions)) : undefined;
		const safe = option.length > 40 ? `${option.slice(0, 39)}…` : option;
		return suggestion ? `unknown option ${safe}: did you mean --${suggestion}?` : `unknown option ${safe} (see --help)`;
	}

	if (code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') {
		const option = /'(--?[\w-]+)/.exec(text)?.[1] ?? 'an option';
		if (text.includes('does not take an argument')) return `${option} does not take a value`;
		if (text.includes('ambiguous')) return `${option} needs a value (for a value starting with -, write ${option}=-…)`;
		return `${option} needs a value`;
	}

	if (code === 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL') {
		const argument = /'([^']*)'/.exec(text)?.[1];
		const echo = argument !== undefined && argument.length <= 24 && !/[.=]|eyJ/.test(argument) ? ` ${shown(argument)}` : '';
		return `unexpected argument${echo}: options start with -- (a filter goes in --filter "...")`;
	}

	return 'invalid arguments (see --help)';
}

function parsePageSize(value: string | undefined): number {
	if (value === undefined) return defaultPageSize;
	const text = value.trim();
	if (!/^\d+$/.test(text) || Number(text) < 1 || Number(text) > 25) {
		fail(`--page-size must be a whole number from 1 to 25, got ${shown(value)}`);
	}

	return Number(text);
}

function parseWatch(value: string | undefined): number | undefined {
	if (value === undefined) return undefined;
	const text = value.trim().replace(/s$/i, '');
	const seconds = /^\d+(?:\.\d+)?$/.test(text) ? Number(text) : Number.NaN;
	if (!Number.isFinite(seconds)) fail(`--watch must be a number of seconds (2 or more), got ${shown(value)}`);
	if (seconds < minimumWatchSeconds) fail(`--watch must be at least ${minimumWatchSeconds} seconds, got ${shown(value)}`);
	if (seconds > 86_400) fail(`--watch must be at most 86400 seconds (a day), got ${shown(value)}`);
	return seconds;
}

function parseDownloadDir(value: string | undefined, cwd: string): string {
	if (value === undefined) return cwd;
	if (value.trim() === '') fail('--download-dir needs a directory');
	const path = resolve(cwd, value);
	let isDirectory = false;
	try {
		isDirectory = statSync(path).isDirectory();
	} catch {
		fail(`--download-dir: no such directory ${shown(path)}`);
	}

	if (!isDirectory) fail(`--download-dir: ${shown(path)} is not a directory`);
	return path;
}

function parseSortFlag(value: string | undefined): SortKey[] {
	const result = parseSort(value ?? defaultSort);
	if (!result.ok) {
		// The message is composed here so that the user's value is quoted short and a suggestion
		// comes before the list (which would otherwise be cut at the message's cap).
		const fields = (value ?? '').split(',').map(part => part.trim().replace(/^-/, ''));
		const unknown = fields.find(name => name && !isSortableField(name));
		if (fields.some(name => name === '')) fail(`--sort: invalid sort ${shown(value ?? '')}: expected fields separated by commas, e.g. -created_at,status`);
		// Otherwise a sortable field given twice: the message quotes nothing but that field.
		if (unknown === undefined) fail(`--sort: ${result.error}`);
		const suggestion = closest(unknown, sortableFields);
		const quotedField = shown(unknown.length > 24 ? `${unknown.slice(0, 23)}…` : unknown);
		fail(
			suggestion
				? `--sort: cannot sort by ${quotedField}: did you mean ${suggestion}?`
				: `--sort: cannot sort by ${quotedField}; sortable: ${sortableFields.join(' ')}`,
		);
	}

	return result.keys;
}

function parseFilterFlag(value: string | undefined, now: Date): {filterText: string; filters: Filters} {
	const filterText = (value ?? '').trim();
	const result = parseFilter(filterText, {now});
	if (!result.ok) {
		const column = result.start + 1;
		fail(`--filter: ${result.error} (at column ${column})`);
	}

	// Shown as the prompt would keep it (`failed` -> `status:failed`).
	return {filterText: keptFilterText(filterText), filters: result.filters};
}

const valueFlags = new Set(Object.entries(flagOptions).filter(([, option]) => option.type === 'string').map(([name]) => `--${name}`));

/**
 * `--sort -created_at` is how people write a descending sort, but parseArgs reads a value that
 * starts with a dash as a missing value. A value-taking flag followed by something that is not a
 * flag (`-…` but not `--…`, and not -h) takes it as its value.
 */
function joinDashValues(argv: readonly string[]): string[] {
	const result: string[] = [];
	for (let index = 0; index < argv.length; index++) {
		const argument = argv[index]!;
		if (argument === '--') {
			result.push(...argv.slice(index));
			break;
		}

		const next = argv[index + 1];
		if (valueFlags.has(argument) && next !== undefined && next.startsWith('-') && !next.startsWith('--') && next !== '-h') {
			result.push(`${argument}=${next}`);
			index++;
			continue;
		}

		result.push(argument);
	}

	return result;
}

/** Replaces the environment's secret values in a message, whatever put them there. */
function redactEnv(message: string, env: Env): string {
	let result = message;
	for (const name of ['CL_ACCESS_TOKEN', 'CL_CLIENT_SECRET', 'CL_CLIENT_ID', 'CL_CLI_ACCESS_TOKEN']) {
		const value = env[name]?.trim();
		if (value && value.length >= 4) result = result.split(value).join('[redacted]');
	}

	return result;
}

function wants(argv: readonly string[], ...names: string[]): boolean {
	// Only before a `--` terminator: after it everything is an argument.
	const end = argv.indexOf('--');
	return (end === -1 ? argv : argv.slice(0, end)).some(argument => names.includes(argument));
}

/** Parses the command line and environment. Never throws for bad input; reads the `cl` CLI's files read-only. */
export function parseConfig(argv: string[], env: Env, options: ConfigOptions = {}): ConfigResult {
	if (wants(argv, '--help', '-h')) return {kind: 'help', text: helpText()};
	if (wants(argv, '--version')) return {kind: 'version', text: `cl-exports ${version}`};

	try {
		let flags: Flags;
		try {
			flags = parseArgs({args: joinDashValues(argv), options: flagOptions, strict: true, allowPositionals: false}).values as Flags;
		} catch (error) {
			return {kind: 'error', message: safeMessage(redactEnv(argumentError(error), env))};
		}

		const now = options.now ?? new Date();
		const cwd = options.cwd ?? process.cwd();
		const pageSize = parsePageSize(flags['page-size']);
		const sort = parseSortFlag(flags.sort);
		const {filterText, filters} = parseFilterFlag(flags.filter, now);
		const watchSeconds = parseWatch(flags.watch);
		const json = flags.json ?? false;
		const all = flags.all ?? false;
		if (json && watchSeconds !== undefined) fail('--watch is for the interactive view; it cannot be combined with --json');
		if (all && !json && options.interactive) {
			fail('--all prints every page: use it with --json, or pipe the output (e.g. | less)');
		}

		const downloadDir = parseDownloadDir(flags['download-dir'], cwd);
		const paths = clCliPaths(env, {configHome: options.configHome});
		const connection = resolveConnection(flags, env, paths, now.getTime());
		return {
			kind: 'run',
			config: {
				connection,
				pageSize,
				sort,
				filterText,
				filters,
				...(watchSeconds === undefined ? {} : {watchSeconds}),
				readOnly: flags['read-only'] ?? false,
				downloadDir,
				gunzip: flags.gunzip ?? false,
				json,
				all,
			},
		};
	} catch (error) {
		if (error instanceof ConfigError) return {kind: 'error', message: safeMessage(redactEnv(error.message, env))};
		throw error;
	}
}

// ---------------------------------------------------------------------------------------------
// --help

/** --help fits an 80-column terminal: descriptions start at this column and wrap under themselves. */
const helpWidth = 80;
const descriptionColumn = 24;

type HelpRow = {label: string; description: string};

/** Words wrapped to `width` columns. */
function wrapWords(text: string, width: number): string[] {
	const lines: string[] = [];
	let line = '';
	for (const word of text.split(' ')) {
		if (line !== '' && line.length + 1 + word.length > width) {
			lines.push(line);
			line = word;
		} else {
			line = line === '' ? word : `${line} ${word}`;
		}
	}

	if (line !== '') lines.push(line);
	return lines;
}

/** `  label   description`, the description wrapped under itself; a long label gets a line of its own. */
function helpRowsText(rows: readonly HelpRow[]): string {
	const indent = ' '.repeat(descriptionColumn);
	return rows
		.flatMap(({label, description}) => {
			const lines = wrapWords(description, helpWidth - descriptionColumn);
			const head = `  ${label}`;
			if (head.length + 2 > descriptionColumn) return [head, ...lines.map(line => indent + line)];
			return [head.padEnd(descriptionColumn) + (lines[0] ?? ''), ...lines.slice(1).map(line => indent + line)];
		})
		.join('\n');
}

/** The keys section, from the key map itself (so --help, the footer and the overlay agree). */
function keysHelp(): HelpRow[] {
	const rows: HelpRow[] = [];
	for (const group of keyGroups) {
		const merged = new Map<string, string[]>();
		for (const binding of helpRows().filter(candidate => candidate.group === group)) {
			let description = binding.description;
			if (binding.modes.length === 1 && binding.modes[0] === 'filter') description += ' (in the filter prompt)';
			if (binding.modes.length === 1 && binding.modes[0] === 'detail') description += ' (in the details)';
			if (binding.modes.length === 1 && binding.modes[0] === 'confirm') description += ', after i, t or Ctrl-D';
			if (binding.writes) description += ' (off with --read-only)';
			merged.set(description, [...(merged.get(description) ?? []), ...binding.keys]);
		}

		for (const [description, keys] of merged) rows.push({label: [...new Set(keys)].join(' '), description});
	}

	return rows;
}

export function helpText(): string {
	return `cl-exports ${version}: browse and triage Commerce Layer exports in the terminal

Usage
${helpRowsText([
	{label: 'cl-exports [options]', description: 'the interactive view (a terminal), or a plain table (a pipe)'},
	{label: 'cl-exports --json [--all]', description: 'NDJSON, one export a line'},
])}

Connection (first match wins; flags override the environment)
${helpRowsText([
	{label: '--base-url URL', description: 'API origin, e.g. https://acme.commercelayer.io (http:// only for loopback)'},
	{label: '--organization SLUG', description: 'shorthand for https://SLUG.commercelayer.io'},
	{label: '--auth-url URL', description: 'token endpoint (default https://auth.commercelayer.io/oauth/token for *.commercelayer.io, else <base-url>/oauth/token)'},
	{label: '--app ALIAS', description: 'an application saved by the official cl CLI (cl applications:login)'},
	{label: '--demo', description: 'the embedded demo API (also the default when nothing is configured)'},
])}

Listing
${helpRowsText([
	{label: '--page-size N', description: '1..25 (default 25)'},
	{label: '--sort SPEC', description: `JSON:API sort, e.g. -created_at,status (default -created_at); fields: ${sortableFields.join(' ')}`},
	{label: '--filter TEXT', description: "initial filter, in the prompt's syntax (see Filters)"},
	{label: '--watch SECONDS', description: 'start with watch on, refreshing every SECONDS (2 or more)'},
	{label: '--json', description: 'print NDJSON instead of opening the interactive view'},
	{label: '--all', description: 'with --json or a pipe: every page, in order, paced to the rate limit'},
])}

Actions and files
${helpRowsText([
	{label: '--read-only', description: 'no interrupt, restart or delete'},
	{label: '--download-dir DIR', description: 'where D saves files (default: the current directory)'},
	{label: '--gunzip', description: 'decompress downloads'},
])}

${helpRowsText([
	{label: '-h, --help', description: 'this help'},
	{label: '--version', description: 'the version'},
])}

Environment
${helpRowsText([
	{label: 'CL_BASE_URL', description: 'like --base-url'},
	{label: 'CL_ORGANIZATION', description: 'like --organization'},
	{label: 'CL_ACCESS_TOKEN', description: 'bearer token used as is'},
	{label: 'CL_CLIENT_ID, CL_CLIENT_SECRET', description: 'client_credentials grant (token cached, renewed on expiry)'},
	{label: 'CL_SCOPE', description: 'its scope, e.g. market:code:europe'},
	{label: 'CL_AUTH_URL', description: 'like --auth-url'},
	{label: 'CL_CLI_ORGANIZATION, CL_CLI_DOMAIN, CL_CLI_ACCESS_TOKEN', description: "the cl CLI's variables"},
	{label: 'XDG_CONFIG_HOME', description: "where the cl CLI's saved login is read (read-only)"},
	{label: 'NO_COLOR', description: 'no colours'},
	{label: 'CL_EXPORTS_DEBUG=1', description: 'stack traces for unexpected errors'},
])}

Filters (the prompt's syntax, also for --filter)
${filterSyntaxLines(helpWidth, descriptionColumn).join('\n')}

Keys
${helpRowsText(keysHelp())}

Exit status: 0 ok, 1 a request failed, 2 bad usage or configuration.`;
}
