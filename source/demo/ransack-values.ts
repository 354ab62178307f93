// Values as Ransack on PostgreSQL sees them, for the demo's filters: booleans as Rails casts them,
// ISO dates, typed casts of filter and attribute values, LIKE patterns, jsonb containment.
import type {FieldType} from '../api/fields.js';

const trueValues = new Set(['1', 't', 'T', 'true', 'TRUE', 'True', 'on', 'ON', 'On', 'y', 'yes']);

const falseValues = new Set(['0', 'f', 'F', 'false', 'FALSE', 'False', 'off', 'OFF', 'Off', 'n', 'no']);

export function castBoolean(value: string): boolean | undefined {
	if (trueValues.has(value)) {
		return true;
	}

	if (falseValues.has(value)) {
		return false;
	}

	return undefined;
}

/** How deep a `_jcont` value may nest here: matching walks it recursively. */
export const maxJsonDepth = 100;

/** Whether JSON text nests deeper than maxJsonDepth (counted on the text, before parsing it). */
export function jsonTooDeep(text: string): boolean {
	let depth = 0;
	let inString = false;
	for (let index = 0; index < text.length; index++) {
		const char = text[index];
		if (inString) {
			if (char === '\\') {
				index++;
			} else if (char === '"') {
				inString = false;
			}
		} else if (char === '"') {
			inString = true;
		} else if (char === '{' || char === '[') {
			depth++;
			if (depth > maxJsonDepth) {
				return true;
			}
		} else if (char === '}' || char === ']') {
			depth--;
		}
	}

	return false;
}

export function parseJson(text: string): unknown {
	try {
		return JSON.parse(text) as unknown;
	} catch {
		return undefined;
	}
}

const isoDate = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?\s*(Z|[+-]\d{2}(?::?\d{2})?)?)?$/i;

/** Epoch ms for an ISO 8601 date or date-time; a date alone is midnight UTC, like Rails' Time.zone (UTC). */
export function parseDateTime(text: string): number | undefined {
	const match = isoDate.exec(text.trim());
	if (!match) {
		return undefined;
	}

	const [, year, month, dayOfMonth, hours = '0', minutes = '0', seconds = '0', fraction = '0', zone] = match;
	const ms = Number(fraction.padEnd(3, '0').slice(0, 3));
	let time = Date.UTC(Number(year), Number(month) - 1, Number(dayOfMonth), Number(hours), Number(minutes), Number(seconds), ms);
	const check = new Date(time);
	if (check.getUTCMonth() !== Number(month) - 1 || check.getUTCDate() !== Number(dayOfMonth)) {
		return undefined;
	}

	if (zone && zone.toUpperCase() !== 'Z') {
		const sign = zone.startsWith('-') ? -1 : 1;
		const digits = zone.slice(1).replace(':', '');
		time -= sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2, 4) || '0')) * 60_000;
	}

	return Number.isNaN(time) ? undefined : time;
}

export type Scalar = string | number;

/** A filter value in the attribute's type, or undefined when it does not cast. */
export function castValue(type: FieldType | undefined, value: string): Scalar | undefined {
	switch (type) {
		case 'integer': {
			return /^\s*-?\d+(\.\d+)?\s*$/.test(value) ? Math.trunc(Number(value)) : undefined;
		}

		case 'datetime': {
			return parseDateTime(value);
		}

		default: {
			return value;
		}
	}
}

/** An attribute value in comparable form: ms for dates, numbers, strings; null for SQL NULL. */
export function castAttribute(type: FieldType | undefined, value: unknown): Scalar | null {
	if (value === null || value === undefined) {
		return null;
	}

	if (type === 'datetime' && typeof value === 'string') {
		return Date.parse(value);
	}

	if (typeof value === 'number') {
		return value;
	}

	if (typeof value === 'string') {
		return value;
	}

	return JSON.stringify(value);
}

/** The text a LIKE operates on (dates as the API shows them). */
export function asText(value: unknown): string | null {
	if (value === null || value === undefined) {
		return null;
	}

	if (typeof value === 'string') {
		return value;
	}

	if (typeof value === 'number' || typeof value === 'boolean') {
		return String(value);
	}

	return JSON.stringify(value);
}

export function likeToRegExp(pattern: string): RegExp {
	let source = '';
	for (let index = 0; index < pattern.length; index++) {
		const char = pattern[index] ?? '';
		if (char === '\\' && index + 1 < pattern.length) {
			source += escapeRegExp(pattern[++index] ?? '');
		} else if (char === '%') {
			source += '[\\s\\S]*';
		} else if (char === '_') {
			source += '[\\s\\S]';
		} else {
			source += escapeRegExp(char);
		}
	}

	return new RegExp(`^${source}$`, 'iu');
}

function escapeRegExp(text: string): string {
	return text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}

export const fold = (text: string) => text.toLowerCase();

/** PostgreSQL jsonb `@>`: objects by key recursively, arrays by element, scalars by equality. */
export function jsonContains(container: unknown, contained: unknown): boolean {
	if (Array.isArray(container)) {
		if (Array.isArray(contained)) {
			return contained.every(item => container.some(candidate => jsonContains(candidate, item)));
		}

		// A top-level array contains a bare scalar.
		return !isObject(contained) && container.some(candidate => candidate === contained);
	}

	if (isObject(container)) {
		if (!isObject(contained)) {
			return false;
		}

		// Own keys only, as jsonb has: `{"__proto__":{}}` or `{"constructor":{}}` is not in every object.
		return Object.entries(contained).every(([key, value]) => Object.hasOwn(container, key) && jsonContains(container[key], value));
	}

	return container === contained;
}

function isObject(value: unknown): value is Record<string, unknown> {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}
