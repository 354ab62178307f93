// Where the connection comes from, first match wins:
// 1. flags: --demo, --app, --base-url, --organization;
// 2. CL_BASE_URL / CL_ORGANIZATION with CL_ACCESS_TOKEN or CL_CLIENT_ID + CL_CLIENT_SECRET (a
//    token alone names its organization);
// 3. the `cl` CLI's variables CL_CLI_ORGANIZATION, CL_CLI_DOMAIN, CL_CLI_ACCESS_TOKEN;
// 4. the `cl` CLI's current saved application;
// 5. the embedded demo API.
// A base URL given without credentials borrows the `cl` CLI's, when they are for that organization.
// No message ever holds a token, a client secret or a client id.
import {fail, shown} from '../config-error.js';
import {
	applicationLabel,
	findApplicationByAlias,
	listApplications,
	readCurrentApplication,
	readToken,
	type ClApplication,
	type ClCliPaths,
} from './cl-cli.js';
import {defaultAuthUrl, hostLabel, organizationFromToken, organizationUrl, parseAuthUrl, parseBaseUrl} from './urls.js';

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

/** The flags that choose the connection, as parseArgs read them. */
export type ConnectionFlags = {
	'base-url'?: string;
	organization?: string;
	'auth-url'?: string;
	app?: string;
	demo?: boolean;
};

type Env = Record<string, string | undefined>;

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
	if (token) {
		return {type: 'token', token};
	}

	const clientId = env['CL_CLIENT_ID']?.trim();
	const clientSecret = env['CL_CLIENT_SECRET']?.trim();
	if (clientId && !clientSecret) {
		fail('CL_CLIENT_ID is set but CL_CLIENT_SECRET is not: set both (or CL_ACCESS_TOKEN)');
	}

	if (clientSecret && !clientId) {
		fail('CL_CLIENT_SECRET is set but CL_CLIENT_ID is not: set both (or CL_ACCESS_TOKEN)');
	}

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
		if (organization) {
			fail('CL_CLI_ORGANIZATION is set but CL_CLI_ACCESS_TOKEN is not: set it too (or log in with cl)');
		}

		return undefined;
	}

	const fromToken = organizationFromToken(token);
	const slug = organization ?? fromToken?.slug;
	if (!slug) {
		fail('CL_CLI_ACCESS_TOKEN is set but CL_CLI_ORGANIZATION is not: set the organization slug');
	}

	const domain = env['CL_CLI_DOMAIN'] ? clCliDomain(env) : (fromToken?.domain ?? 'commercelayer.io');
	const baseUrl = organizationUrl(slug, 'CL_CLI_ORGANIZATION', domain);
	return {
		kind: 'remote',
		baseUrl,
		auth: {type: 'token', token},
		source: 'cl-cli-env',
		label: hostLabel(baseUrl),
		tokenHint: 'Check CL_CLI_ACCESS_TOKEN.',
	};
}

function applicationBaseUrl(app: ClApplication): string {
	if (app.baseUrl) {
		return parseBaseUrl(app.baseUrl, `the cl app ${app.alias ?? app.key}'s baseUrl`);
	}

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
		if (connection?.kind === 'remote' && connection.baseUrl === base.baseUrl) {
			return {...connection, source: 'cl-cli-env'};
		}
	}

	const current = readCurrentApplication(paths);
	if (current.kind === 'error') {
		fail(current.message);
	}

	if (current.kind === 'found' && applicationBaseUrl(current.app) === base.baseUrl) {
		return applicationConnection(current.app, paths, authUrl, now);
	}

	const listed = listApplications(paths);
	if (!listed.ok) {
		fail(listed.message);
	}

	const matching = listed.apps.filter(app => applicationBaseUrl(app) === base.baseUrl);
	if (matching.length === 1) {
		return applicationConnection(matching[0]!, paths, authUrl, now);
	}

	if (matching.length > 1) {
		const names = matching.map(app => app.alias ?? app.key).join(', ');
		fail(`several cl CLI applications are saved for ${hostLabel(base.baseUrl)}: pick one with --app (${names})`);
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
			label: hostLabel(base.baseUrl),
			...(auth.type === 'token' ? {tokenHint: 'Check CL_ACCESS_TOKEN.'} : {}),
		};
	}

	const fromCli = clCliCredentialsFor(base, env, paths, authUrl, now);
	if (fromCli) {
		return fromCli;
	}

	return fail(`missing credentials for ${hostLabel(base.baseUrl)} (${base.from}): set CL_ACCESS_TOKEN, or CL_CLIENT_ID and CL_CLIENT_SECRET`);
}

/** The connection the flags and environment ask for (see the top of this file); a ConfigError when they cannot be used. */
export function resolveConnection(flags: ConnectionFlags, env: Env, paths: ClCliPaths, now: number): Connection {
	const flagAuthUrl = flags['auth-url'] === undefined ? undefined : parseAuthUrl(flags['auth-url'], '--auth-url');
	const envAuthUrl = env['CL_AUTH_URL']?.trim() ? parseAuthUrl(env['CL_AUTH_URL'], 'CL_AUTH_URL') : undefined;
	const authUrl = flagAuthUrl ?? envAuthUrl;

	if (flags['base-url'] !== undefined && flags.organization !== undefined) {
		fail('use either --base-url or --organization, not both');
	}

	const connectionFlags = (['demo', 'app', 'base-url', 'organization'] as const).filter(name => flags[name] !== undefined && flags[name] !== false);
	if (flags.demo && connectionFlags.length > 1) {
		fail(`--demo cannot be combined with --${connectionFlags.find(name => name !== 'demo')}`);
	}

	if (flags.app !== undefined && connectionFlags.length > 1) {
		fail(`--app cannot be combined with --${connectionFlags.find(name => name !== 'app')}`);
	}

	if (flags.demo) {
		return {kind: 'demo'};
	}

	if (flags.app !== undefined) {
		const alias = flags.app.trim();
		if (alias === '') {
			fail('--app needs the alias of an application saved by the cl CLI');
		}

		const found = findApplicationByAlias(paths, alias);
		if (found.kind === 'error') {
			fail(found.message);
		}

		if (found.kind === 'none') {
			fail(`no cl CLI application with alias ${shown(alias)}`);
		}

		return applicationConnection(found.app, paths, authUrl, now);
	}

	if (flags['base-url'] !== undefined) {
		return connectionFor({baseUrl: parseBaseUrl(flags['base-url']), from: '--base-url'}, 'flags', env, paths, authUrl, now);
	}

	if (flags.organization !== undefined) {
		return connectionFor({baseUrl: organizationUrl(flags.organization), from: '--organization'}, 'flags', env, paths, authUrl, now);
	}

	const envBaseUrl = env['CL_BASE_URL']?.trim();
	if (envBaseUrl) {
		return connectionFor({baseUrl: parseBaseUrl(envBaseUrl, 'CL_BASE_URL'), from: 'CL_BASE_URL'}, 'env', env, paths, authUrl, now);
	}

	const envOrganization = env['CL_ORGANIZATION']?.trim();
	if (envOrganization) {
		return connectionFor({baseUrl: organizationUrl(envOrganization, 'CL_ORGANIZATION'), from: 'CL_ORGANIZATION'}, 'env', env, paths, authUrl, now);
	}

	// Credentials without a base URL: a Commerce Layer token names its organization.
	const token = env['CL_ACCESS_TOKEN']?.trim();
	if (token) {
		const organization = organizationFromToken(token);
		if (!organization) {
			fail('CL_ACCESS_TOKEN is set but no organization: set CL_BASE_URL or CL_ORGANIZATION');
		}

		const baseUrl = organizationUrl(organization.slug, 'the token\'s organization', organization.domain);
		return {kind: 'remote', baseUrl, auth: {type: 'token', token}, source: 'env', label: hostLabel(baseUrl), tokenHint: 'Check CL_ACCESS_TOKEN.'};
	}

	if (env['CL_CLIENT_ID']?.trim() || env['CL_CLIENT_SECRET']?.trim()) {
		fail('CL_CLIENT_ID and CL_CLIENT_SECRET need an organization: set CL_ORGANIZATION or CL_BASE_URL');
	}

	const fromCliEnv = clCliEnvConnection(env);
	if (fromCliEnv) {
		return fromCliEnv;
	}

	const current = readCurrentApplication(paths);
	if (current.kind === 'error') {
		fail(current.message);
	}

	if (current.kind === 'found') {
		return applicationConnection(current.app, paths, authUrl, now);
	}

	return {kind: 'demo'};
}

