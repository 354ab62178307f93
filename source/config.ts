// Flags + environment -> Config, or one line saying what is wrong (the entry exits 2 with it).
// Flags override the environment. The connection is resolved in connection/resolve.ts; this file
// reads the rest of the command line. No message ever holds a token, a client secret or a client id.
import {statSync} from 'node:fs';
import {resolve} from 'node:path';
import {parseArgs} from 'node:util';
import {isSortableField, sortableFields} from './api/fields.js';
import {parseSort, type SortKey} from './api/sort.js';
import type {Filters} from './api/types.js';
import {ConfigError, fail, shown} from './config-error.js';
import {clCliPaths} from './connection/cl-cli.js';
import {resolveConnection, type Connection, type ConnectionFlags} from './connection/resolve.js';
import {parseFilter} from './filter/parse.js';
import {keptFilterText} from './filter/status-terms.js';
import {helpText} from './help.js';
import {closest} from './text/did-you-mean.js';
import {sanitize} from './text/sanitize.js';
import {version} from './version.js';

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

type Flags = ConnectionFlags & {
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
		if (text.includes('does not take an argument')) {
			return `${option} does not take a value`;
		}

		if (text.includes('ambiguous')) {
			return `${option} needs a value (for a value starting with -, write ${option}=-…)`;
		}

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
	if (value === undefined) {
		return defaultPageSize;
	}

	const text = value.trim();
	if (!/^\d+$/.test(text) || Number(text) < 1 || Number(text) > 25) {
		fail(`--page-size must be a whole number from 1 to 25, got ${shown(value)}`);
	}

	return Number(text);
}

function parseWatch(value: string | undefined): number | undefined {
	if (value === undefined) {
		return undefined;
	}

	const text = value.trim().replace(/s$/i, '');
	const seconds = /^\d+(?:\.\d+)?$/.test(text) ? Number(text) : Number.NaN;
	if (!Number.isFinite(seconds)) {
		fail(`--watch must be a number of seconds (2 or more), got ${shown(value)}`);
	}

	if (seconds < minimumWatchSeconds) {
		fail(`--watch must be at least ${minimumWatchSeconds} seconds, got ${shown(value)}`);
	}

	if (seconds > 86_400) {
		fail(`--watch must be at most 86400 seconds (a day), got ${shown(value)}`);
	}

	return seconds;
}

function parseDownloadDir(value: string | undefined, cwd: string): string {
	if (value === undefined) {
		return cwd;
	}

	if (value.trim() === '') {
		fail('--download-dir needs a directory');
	}

	const path = resolve(cwd, value);
	let isDirectory = false;
	try {
		isDirectory = statSync(path).isDirectory();
	} catch {
		fail(`--download-dir: no such directory ${shown(path)}`);
	}

	if (!isDirectory) {
		fail(`--download-dir: ${shown(path)} is not a directory`);
	}

	return path;
}

function parseSortFlag(value: string | undefined): SortKey[] {
	const result = parseSort(value ?? defaultSort);
	if (!result.ok) {
		// The message is composed here so that the user's value is quoted short and a suggestion
		// comes before the list (which would otherwise be cut at the message's cap).
		const fields = (value ?? '').split(',').map(part => part.trim().replace(/^-/, ''));
		const unknown = fields.find(name => name && !isSortableField(name));
		if (fields.some(name => name === '')) {
			fail(`--sort: invalid sort ${shown(value ?? '')}: expected fields separated by commas, e.g. -created_at,status`);
		}

		// Otherwise a sortable field given twice: the message quotes nothing but that field.
		if (unknown === undefined) {
			fail(`--sort: ${result.error}`);
		}

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
		if (value && value.length >= 4) {
			result = result.split(value).join('[redacted]');
		}
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
	if (wants(argv, '--help', '-h')) {
		return {kind: 'help', text: helpText()};
	}

	if (wants(argv, '--version')) {
		return {kind: 'version', text: `cl-exports ${version}`};
	}

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
		if (json && watchSeconds !== undefined) {
			fail('--watch is for the interactive view; it cannot be combined with --json');
		}

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
		if (error instanceof ConfigError) {
			return {kind: 'error', message: safeMessage(redactEnv(error.message, env))};
		}

		throw error;
	}
}

