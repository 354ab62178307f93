// Reads the login saved by Commerce Layer's official CLI (`cl applications:login`), read-only.
//
// Where the CLI keeps it (commercelayer-cli src/config.ts, oclif's Config, configstore 5):
// - `config.json` (configstore, `globalConfigPath`): $XDG_CONFIG_HOME or ~/.config, then
//   `@commercelayer/cli/config.json`; `currentApplication` names the current application by `key`.
// - oclif's configDir: $COMMERCELAYER_CONFIG_DIR, else $XDG_CONFIG_HOME (on Windows %LOCALAPPDATA%)
//   or ~/.config, then `@commercelayer/cli`; its `applications/<key>.config.json` holds the
//   application (slug, domain, baseUrl, clientId, clientSecret, scope, alias, kind, mode) and
//   `applications/<key>.token.json` the current token ({accessToken, expires, ...}).
// Nothing here ever writes, creates or deletes a file.
import {closeSync, constants, existsSync, fstatSync, openSync, readSync, readdirSync} from 'node:fs';
import {homedir} from 'node:os';
import {join} from 'node:path';

export type ClCliPaths = {
	/** configstore's file with `currentApplication`. */
	configFile: string;
	/** oclif configDir + `applications`. */
	applicationsDir: string;
};

export type ClApplication = {
	key: string;
	alias?: string;
	name?: string;
	slug: string;
	domain?: string;
	baseUrl?: string;
	clientId?: string;
	clientSecret?: string;
	/** Joined with ',' as the CLI does when it asks for a token. */
	scope?: string;
	kind?: string;
	mode?: string;
};

export type ClToken = {accessToken: string; expiresAt?: number};

export type ClLookup =
	| {kind: 'none'}
	| {kind: 'found'; app: ClApplication}
	| {kind: 'error'; message: string};

type Env = Record<string, string | undefined>;

const dirname = join('@commercelayer', 'cli');

/**
 * The CLI's files for this environment. `configHome` stands in for $XDG_CONFIG_HOME (tests point it
 * at a fixture directory); $COMMERCELAYER_CONFIG_DIR moves the applications as it does for oclif.
 */
export function clCliPaths(env: Env, options: {configHome?: string; platform?: string} = {}): ClCliPaths {
	const home = env['HOME'] || homedir();
	const xdg = options.configHome ?? (env['XDG_CONFIG_HOME'] || undefined);
	const configstoreBase = xdg ?? join(home, '.config');
	const windows = (options.platform ?? process.platform) === 'win32';
	const oclifBase = xdg ?? ((windows && env['LOCALAPPDATA']) || join(home, '.config'));
	const oclifDir = (options.configHome ? undefined : env['COMMERCELAYER_CONFIG_DIR']) || join(oclifBase, dirname);
	return {
		configFile: join(configstoreBase, dirname, 'config.json'),
		applicationsDir: join(oclifDir, 'applications'),
	};
}

function isRecord(value: unknown): value is Record<string, unknown> {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The CLI's files are a few hundred bytes; anything this big is not one of them. */
export const maxClFileBytes = 1024 * 1024;

/**
 * A regular file's text, at most `maxClFileBytes`. Anything else put in a file's place (a FIFO,
 * /dev/zero, a directory) is refused rather than read: reading a FIFO waits for a writer that
 * may never come, and /dev/zero never ends. The file is opened without blocking, so a FIFO is
 * refused at once too.
 */
function readRegularFile(path: string): {ok: true; text: string} | {ok: false; reason: string} {
	let fd: number;
	try {
		fd = openSync(path, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
	} catch (error) {
		return {ok: false, reason: (error as {code?: string}).code ?? 'unreadable'};
	}

	try {
		const info = fstatSync(fd);
		if (!info.isFile()) {
			return {ok: false, reason: 'not a regular file'};
		}

		if (info.size > maxClFileBytes) {
			return {ok: false, reason: `larger than ${maxClFileBytes / 1024 / 1024} MB`};
		}

		const buffer = Buffer.alloc(maxClFileBytes + 1);
		let length = 0;
		for (let read = -1; read !== 0 && length < buffer.length; length += read) {
			read = readSync(fd, buffer, length, buffer.length - length, null);
		}

		if (length > maxClFileBytes) {
			return {ok: false, reason: `larger than ${maxClFileBytes / 1024 / 1024} MB`};
		}

		return {ok: true, text: buffer.subarray(0, length).toString('utf8')};
	} catch (error) {
		return {ok: false, reason: (error as {code?: string}).code ?? 'unreadable'};
	} finally {
		closeSync(fd);
	}
}

function readJson(path: string, what: string): {ok: true; value: Record<string, unknown>} | {ok: false; message: string} {
	const file = readRegularFile(path);
	if (!file.ok) {
		return {ok: false, message: `cannot read the cl CLI's ${what} (${path}): ${file.reason}`};
	}

	const {text} = file;

	try {
		const value: unknown = JSON.parse(text);
		if (!isRecord(value)) {
			return {ok: false, message: `the cl CLI's ${what} (${path}) is not a JSON object`};
		}

		return {ok: true, value};
	} catch {
		return {ok: false, message: `the cl CLI's ${what} (${path}) is not valid JSON`};
	}
}

function optionalString(value: unknown): string | undefined {
	return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
}

function toApplication(value: Record<string, unknown>, key: string): ClApplication | undefined {
	const slug = optionalString(value['slug']);
	if (!slug) {
		return undefined;
	}

	const scope = Array.isArray(value['scope'])
		? value['scope'].filter((item): item is string => typeof item === 'string').map(item => item.trim()).join(',')
		: optionalString(value['scope']);
	return {
		key,
		alias: optionalString(value['alias']),
		name: optionalString(value['name']),
		slug,
		domain: optionalString(value['domain']),
		baseUrl: optionalString(value['baseUrl']),
		clientId: optionalString(value['clientId']),
		clientSecret: optionalString(value['clientSecret']),
		scope: scope || undefined,
		kind: optionalString(value['kind']),
		mode: optionalString(value['mode']),
	};
}

function applicationFile(paths: ClCliPaths, key: string): string {
	return join(paths.applicationsDir, `${key}.config.json`);
}

/** Keys are generated by the CLI (`Date.now().toString(36)`); refuse anything that could leave the directory. */
function safeKey(key: string): boolean {
	return /^[\w.-]+$/.test(key) && !key.includes('..');
}

function readApplication(paths: ClCliPaths, key: string): ClLookup {
	if (!safeKey(key)) {
		return {kind: 'error', message: `the cl CLI's current application has an invalid key`};
	}

	const path = applicationFile(paths, key);
	if (!existsSync(path)) {
		return {kind: 'error', message: `the cl CLI's current application (${key}) has no file ${path}: run cl applications to check`};
	}

	const json = readJson(path, 'application file');
	if (!json.ok) {
		return {kind: 'error', message: json.message};
	}

	const app = toApplication(json.value, key);
	if (!app) {
		return {kind: 'error', message: `the cl CLI's application file ${path} has no organization slug`};
	}

	return {kind: 'found', app};
}

/** The application `cl` currently uses (`cl applications:current`), if any. */
export function readCurrentApplication(paths: ClCliPaths): ClLookup {
	if (!existsSync(paths.configFile)) {
		return {kind: 'none'};
	}

	const json = readJson(paths.configFile, 'configuration');
	if (!json.ok) {
		return {kind: 'error', message: json.message};
	}

	const current = json.value['currentApplication'];
	if (current === undefined || current === null) {
		return {kind: 'none'};
	}

	if (!isRecord(current)) {
		return {kind: 'error', message: `the cl CLI's configuration (${paths.configFile}) has an invalid currentApplication`};
	}

	const key = optionalString(current['key']);
	if (!key) {
		return {kind: 'none'};
	}

	return readApplication(paths, key);
}

/** Every saved application; files that cannot be read are reported, not skipped silently. */
export function listApplications(paths: ClCliPaths): {ok: true; apps: ClApplication[]} | {ok: false; message: string} {
	let names: string[];
	try {
		names = readdirSync(paths.applicationsDir);
	} catch {
		return {ok: true, apps: []};
	}

	const apps: ClApplication[] = [];
	for (const name of names.sort()) {
		const match = /^([^.]+)\.config\.json$/.exec(name);
		if (!match) {
			continue;
		}

		const found = readApplication(paths, match[1]!);
		if (found.kind === 'error') {
			return {ok: false, message: found.message};
		}

		if (found.kind === 'found') {
			apps.push(found.app);
		}
	}

	return {ok: true, apps};
}

/** The saved application with this alias (`cl applications:login --alias`). */
export function findApplicationByAlias(paths: ClCliPaths, alias: string): ClLookup {
	const listed = listApplications(paths);
	if (!listed.ok) {
		return {kind: 'error', message: listed.message};
	}

	const app = listed.apps.find(candidate => candidate.alias === alias) ?? listed.apps.find(candidate => candidate.key === alias);
	if (app) {
		return {kind: 'found', app};
	}

	const aliases = listed.apps.map(candidate => candidate.alias).filter((name): name is string => Boolean(name));
	const known = aliases.length > 0 ? ` (saved: ${aliases.join(', ')})` : ' (none saved: log in with cl applications:login)';
	return {kind: 'error', message: `no cl CLI application with alias "${alias}"${known}`};
}

/** The application's saved token, when there is one that is not about to expire (30 s, as the CLI). */
export function readToken(paths: ClCliPaths, app: ClApplication, now: number): ClToken | undefined {
	if (!safeKey(app.key)) {
		return undefined;
	}

	const path = join(paths.applicationsDir, `${app.key}.token.json`);
	if (!existsSync(path)) {
		return undefined;
	}

	const json = readJson(path, 'token file');
	if (!json.ok) {
		return undefined;
	}

	const accessToken = optionalString(json.value['accessToken']);
	if (!accessToken) {
		return undefined;
	}

	const expires = json.value['expires'];
	const expiresAt = typeof expires === 'string' || typeof expires === 'number' ? new Date(expires).getTime() : Number.NaN;
	if (Number.isNaN(expiresAt) || now >= expiresAt - 30_000) {
		return undefined;
	}

	return {accessToken, expiresAt};
}

/** How the header names an application: its alias, else its key. */
export function applicationLabel(app: ClApplication): string {
	return `cl app ${app.alias ?? app.key}`;
}
