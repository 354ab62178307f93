// What configuration code throws for bad input: parseConfig turns it into the one line the entry
// prints before exiting 2. Anything else thrown is a bug and is not caught there.
import {sanitize} from './text/sanitize.js';

export class ConfigError extends Error {}

export function fail(message: string): never {
	throw new ConfigError(message);
}

/** A user's value inside a message: quoted, one line, short. */
export function shown(value: string): string {
	const line = sanitize(value);
	return JSON.stringify(line.length > 60 ? `${line.slice(0, 59)}…` : line);
}
