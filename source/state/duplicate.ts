// `c`: runs an export again, as a new export with the parameters that decide what goes into the
// file: resource type, format, includes, fields, filters and dry data. Nothing else is copied: not
// the reference, reference_origin or metadata (they name the original), not the state. The y/N
// question shows the parameters; once created, the new export is selected at the top of the list
// and, with watch on, followed until it ends. Pure: the request is actions/duplicate.ts's.
import type {ExportCreate, ExportRecord} from '../api/types.js';
import {formatNumber} from '../text/numbers.js';
import {sanitize} from '../text/sanitize.js';
import {displayWidth, truncate} from '../text/width.js';
import {pageKey} from './list-key.js';
import {askOverview} from './overview.js';
import {cacheClear, cacheGet} from './page-cache.js';
import {baseMode, noIds, noRecord, selectedRecord} from './selectors.js';
import type {Handlers, State} from './types.js';

/** The attributes a duplicate copies, in the order the question names them. */
export const duplicatedAttributes = ['resource_type', 'format', 'includes', 'fields', 'filters', 'dry_data'] as const;

function isEmpty(value: unknown): boolean {
	if (value === null || value === undefined || value === '') {
		return true;
	}

	if (Array.isArray(value)) {
		return value.length === 0;
	}

	return typeof value === 'object' && Object.keys(value).length === 0;
}

/**
 * The create attributes of a duplicate: the source's parameters, those without a value (null, empty
 * string, list or object) left out so the API applies its defaults. Undefined when the source does
 * not say its resource type (the one attribute a create needs).
 */
export function duplicateAttributes(record: ExportRecord): ExportCreate | undefined {
	const source = record.attributes ?? {};
	const type = source.resource_type;
	if (typeof type !== 'string' || type.trim() === '') {
		return undefined;
	}

	const attributes: Record<string, unknown> = {};
	for (const name of duplicatedAttributes) {
		const value: unknown = source[name];
		if (!isEmpty(value)) {
			// A copy: the new export's parameters never share objects with the listed row.
			attributes[name] = structuredClone(value);
		}
	}

	return attributes as ExportCreate;
}

/** Why `c` cannot be asked for, or undefined when it can. */
export function duplicateRefusal(record: ExportRecord | undefined, context: {readOnly: boolean}): string | undefined {
	if (context.readOnly) {
		return 'Read-only (--read-only): duplicate is off';
	}

	if (record === undefined) {
		return 'No export selected';
	}

	if (duplicateAttributes(record) === undefined) {
		return `Export ${sanitize(record.id)} does not say its resource type: nothing to duplicate`;
	}

	return undefined;
}

/** `csv`, `includes: prices`, `fields: code, name`, `filters: code_eq=A`, `dry data`: one part each. */
export function describeParameters(attributes: ExportCreate): string[] {
	const parts: string[] = [sanitize(attributes.format ?? 'json')];
	if (attributes.includes && attributes.includes.length > 0) {
		parts.push(`includes: ${attributes.includes.map(value => sanitize(value)).join(', ')}`);
	}

	if (attributes.fields && attributes.fields.length > 0) {
		parts.push(`fields: ${attributes.fields.map(value => sanitize(value)).join(', ')}`);
	}

	if (attributes.filters && Object.keys(attributes.filters).length > 0) {
		const filters = Object.entries(attributes.filters).map(([key, value]) => `${sanitize(key)}=${sanitize(Array.isArray(value) ? value.join(',') : value)}`);
		parts.push(`filters: ${filters.join(' ')}`);
	}

	if (attributes.dry_data === true) {
		parts.push('dry data');
	}

	return parts;
}

/**
 * "Duplicate as a new skus export (csv · fields: code, name · filters: code_eq=A)? y/N", the
 * parameters cut with `…` so that the question fits `width` cells (the question itself is never cut).
 */
export function duplicateQuestion(attributes: ExportCreate, width = 80): string {
	const start = `Duplicate as a new ${sanitize(attributes.resource_type)} export (`;
	const end = ')? y/N';
	const parameters = describeParameters(attributes).join(' · ');
	const room = Math.max(1, width - displayWidth(start) - displayWidth(end));
	return `${start}${truncate(parameters, room)}${end}`;
}

/** The footer once the API created it: "Created export NEWID (skus, csv), a duplicate of OLDID". */
export function duplicateDoneText(created: ExportRecord, sourceId: string): string {
	const type = sanitize(created.attributes?.resource_type ?? 'export');
	const format = sanitize(created.attributes?.format ?? 'json');
	return `Created export ${sanitize(created.id)} (${type}, ${format}), a duplicate of ${sanitize(sourceId)}`;
}

/** `c`: the question with the parameters, or why not. */
export function askDuplicate(state: State): State {
	const record = selectedRecord(state);
	if (state.duplicate !== undefined) {
		return {...state, notice: {text: `Wait: the duplicate of export ${sanitize(state.duplicate.id)} is on its way`, tone: 'error'}};
	}

	const refused = record === undefined && !state.readOnly ? noRecord(state) : duplicateRefusal(record, {readOnly: state.readOnly});
	const attributes = record === undefined ? undefined : duplicateAttributes(record);
	if (refused !== undefined || record === undefined || attributes === undefined) {
		return {...state, notice: {text: refused ?? noRecord(state), tone: 'error'}};
	}

	return {...state, mode: 'confirm', confirm: {kind: 'duplicate', id: record.id, attributes, question: duplicateQuestion(attributes)}};
}

/** The question answered yes: the job for the effects hook. */
export function startDuplicate(state: State, id: string, attributes: ExportCreate): State {
	const seq = state.seq + 1;
	return {
		...state,
		mode: baseMode(state),
		confirm: undefined,
		seq,
		duplicate: {seq, id, attributes},
		notice: {text: `Creating a duplicate of export ${sanitize(id)}…`, tone: 'info'},
	};
}

/** Statuses an export does not leave by itself. */
const ended = new Set(['completed', 'failed', 'interrupted']);

/**
 * The duplicate just created, in the pages that just came in (`arrived`, by page key): when the
 * list's first page is in without it, the footer says the filter or the sort leaves it out; when
 * a page shows that it ended, the footer says so, once.
 */
export function trackedEnd(state: State, arrived: ReadonlyMap<string, readonly ExportRecord[]>): State {
	const {tracked} = state;
	if (tracked === undefined) {
		return state;
	}

	const found = [...arrived.values()].flat().find(record => record.id === tracked.id);
	let next = state;
	if (tracked.listed === undefined && arrived.has(pageKey(state.key, 1))) {
		const listed = arrived.get(pageKey(state.key, 1))?.some(record => record.id === tracked.id) === true;
		const {notice} = state;
		const said = listed || notice === undefined ? notice : {...notice, text: `${notice.text} (this filter or sort does not show it at the top)`};
		next = {...state, tracked: {...tracked, listed}, notice: said};
	}

	const status = found?.attributes?.status;
	if (found === undefined || typeof status !== 'string' || !ended.has(status)) {
		return next;
	}

	const count = found.attributes.records_count;
	const what = status === 'completed' && typeof count === 'number' ? `: ${formatNumber(count)} record${count === 1 ? '' : 's'}` : '';
	return {...next, tracked: undefined, notice: {text: `Export ${sanitize(found.id)} ${sanitize(status)}${what}`, tone: status === 'completed' ? 'info' : 'error'}};
}

export const duplicateHandlers = {
	askDuplicate,

	duplicateDone(state, action) {
		if (state.duplicate?.seq !== action.seq) {
			return state;
		}

		const {id} = state.duplicate;
		const follow = state.watch.on ? ': watching it' : ' · w to watch';
		const notice = {text: `${duplicateDoneText(action.created, id)}${follow}`, tone: 'info' as const};
		// The list from the top, the selection on the new export once its page is in (the newest
		// first, as the list is by default). What page 1 showed stays, dimmed, until then.
		const size = state.query.size;
		const firstPage = cacheGet(state.pages, pageKey(state.key, 1))?.page.data.slice(0, Math.min(size, state.viewport)) ?? [];
		return {
			...state,
			duplicate: undefined,
			notice,
			tracked: {id: action.created.id},
			pages: cacheClear(state.pages),
			failed: noIds,
			refreshing: undefined,
			stale: firstPage.length > 0 ? {top: 0, rows: firstPage} : undefined,
			total: undefined,
			top: 0,
			selection: {id: action.created.id, index: 0, follow: true},
			detail: {...state.detail, scroll: 0},
			fetchSeq: state.fetchSeq + 1,
			overview: askOverview(state.overview),
			watch: {...state.watch, sinceOverview: 0},
		};
	},

	duplicateFailed(state, action) {
		if (state.duplicate?.seq !== action.seq) {
			return state;
		}

		return {...state, duplicate: undefined, notice: {text: action.message, tone: 'error'}};
	},
} satisfies Partial<Handlers>;
