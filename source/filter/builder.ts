// The filters under construction: one value per Ransack predicate. A predicate given twice must
// agree (metadata objects are merged key by key), else the error names both values.
import type {FilterValue, Filters} from '../api/types.js';
import {sanitize} from '../text/sanitize.js';
import {FilterError, type Span} from './filter-error.js';

function sameValue(a: FilterValue, b: FilterValue): boolean {
	const normal = (value: FilterValue) =>
		Array.isArray(value) ? JSON.stringify(value.map(String)) : typeof value === 'object' ? JSON.stringify(value) : String(value);
	return normal(a) === normal(b);
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Deep-merges `source` into `target`; returns the dotted path of a conflicting key, if any. */
function mergeObject(target: Record<string, unknown>, source: Record<string, unknown>, path: string[] = []): string | undefined {
	for (const [key, value] of Object.entries(source)) {
		// Own properties only: an inherited one (the prototype's) is never merged into.
		const existing = Object.hasOwn(target, key) ? target[key] : undefined;
		if (existing === undefined) {
			Object.defineProperty(target, key, {value: isPlainObject(value) ? structuredClone(value) : value, enumerable: true, writable: true, configurable: true});
			continue;
		}

		if (isPlainObject(existing) && isPlainObject(value)) {
			const conflict = mergeObject(existing, value, [...path, key]);
			if (conflict) {
				return conflict;
			}

			continue;
		}

		if (JSON.stringify(existing) !== JSON.stringify(value)) {
			return [...path, key].join('.');
		}
	}

	return undefined;
}

export class Builder {
	readonly filters: Filters = {};

	/** `label` names the predicate as the user wrote it, for the duplicate message. */
	put(key: string, value: FilterValue, span: Span, label = key): void {
		const existing = Object.hasOwn(this.filters, key) ? this.filters[key] : undefined;
		if (existing === undefined) {
			this.filters[key] = value;
			return;
		}

		if (key.endsWith('_jcont') && isPlainObject(existing) && isPlainObject(value)) {
			const merged = structuredClone(existing);
			const conflict = mergeObject(merged, value);
			if (conflict) {
				const attribute = key.slice(0, -'_jcont'.length);
				throw new FilterError(`${attribute}.${conflict} is given twice with different values`, span);
			}

			this.filters[key] = merged;
			return;
		}

		if (!sameValue(existing, value)) {
			// Both values are in the hint (short enough to be read whole on an 80-column terminal).
			if (key.endsWith('_eq') && label !== key) {
				throw new FilterError(`${label} is given twice: write ${label}:${showValue(existing)},${showValue(value)} for either`, span);
			}

			throw new FilterError(`${key} is given twice with different values (${showValue(existing)} and ${showValue(value)})`, span);
		}
	}
}

/** A value inside a message: one line, and short. */
function showValue(value: FilterValue): string {
	let text: string;
	if (Array.isArray(value)) {
		text = value.join(',');
	} else if (typeof value === 'object') {
		text = JSON.stringify(value);
	} else {
		text = String(value);
	}

	const line = sanitize(text);
	return line.length > 40 ? `${line.slice(0, 39)}…` : line;
}
