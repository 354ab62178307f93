// The --help text. The filter syntax comes from the parser's own description of it and the keys
// from the key map the handlers use, so --help, the footer and the `?` overlay say the same.
import {sortableFields} from './api/fields.js';
import {filterSyntaxLines, wrapWords} from './filter/syntax.js';
import {helpRows, keyGroups} from './state/keys.js';
import {version} from './version.js';

/** --help fits an 80-column terminal: descriptions start at this column and wrap under themselves. */
const helpWidth = 80;
const descriptionColumn = 24;

type HelpRow = {label: string; description: string};

/** `  label   description`, the description wrapped under itself; a long label gets a line of its own. */
function helpRowsText(rows: readonly HelpRow[]): string {
	const indent = ' '.repeat(descriptionColumn);
	return rows
		.flatMap(({label, description}) => {
			const lines = wrapWords(description, helpWidth - descriptionColumn);
			const head = `  ${label}`;
			if (head.length + 2 > descriptionColumn) {
				return [head, ...lines.map(line => indent + line)];
			}

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
			if (binding.modes.length === 1 && binding.modes[0] === 'filter') {
				description += ' (in the filter prompt)';
			}

			if (binding.modes.length === 1 && binding.modes[0] === 'detail') {
				description += ' (in the details)';
			}

			if (binding.modes.length === 1 && binding.modes[0] === 'confirm') {
				description += ', after i, t, Ctrl-D, c, or D with marks';
			}

			if (binding.writes) {
				description += ' (off with --read-only)';
			}

			merged.set(description, [...(merged.get(description) ?? []), ...binding.keys]);
		}

		for (const [description, keys] of merged) {
			rows.push({label: [...new Set(keys)].join(' '), description});
		}
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
