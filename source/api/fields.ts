// What the exports resource lets a client sort and filter by (docs/commerce-layer-api.md, Sorting
// and Filtering).
// Shared by the filter parser, the configuration (--sort) and the demo API, so the three agree.

export type FieldType = 'string' | 'enum' | 'datetime' | 'integer' | 'json' | 'relationship';

export const exportFields = {
	id: 'string',
	resource_type: 'string',
	format: 'enum',
	status: 'enum',
	started_at: 'datetime',
	completed_at: 'datetime',
	interrupted_at: 'datetime',
	records_count: 'integer',
	processed_count: 'integer',
	attachment_url: 'string',
	errors_log: 'json',
	created_at: 'datetime',
	updated_at: 'datetime',
	reference: 'string',
	reference_origin: 'string',
	metadata: 'json',
	events_id: 'relationship',
} as const satisfies Record<string, FieldType>;

export type FilterableField = keyof typeof exportFields;

export const sortableFields = [
	'id',
	'resource_type',
	'format',
	'status',
	'started_at',
	'completed_at',
	'interrupted_at',
	'records_count',
	'processed_count',
	'attachment_url',
	'created_at',
	'updated_at',
	'reference',
	'reference_origin',
] as const;

export type SortableField = (typeof sortableFields)[number];

export function isSortableField(name: string): name is SortableField {
	return (sortableFields as readonly string[]).includes(name);
}

export const formats = ['csv', 'json'] as const;

/**
 * Every Ransack predicate suffix Commerce Layer documents (docs/commerce-layer-api.md), longest first so
 * that `status_not_eq_or_null` is split as `status` + `not_eq_or_null`, not `status_not` + `eq_or_null`.
 */
export const predicates = [
	'not_eq_or_null',
	'not_in_or_null',
	'does_not_match_any',
	'does_not_match_all',
	'does_not_match',
	'not_start_any',
	'not_start_all',
	'not_end_any',
	'not_end_all',
	'not_cont_all',
	'not_cont_any',
	'eq_or_null',
	'in_or_null',
	'matches_any',
	'matches_all',
	'not_eq_all',
	'start_any',
	'start_all',
	'end_any',
	'end_all',
	'cont_any',
	'cont_all',
	'lteq_any',
	'lteq_all',
	'gteq_any',
	'gteq_all',
	'lt_any',
	'lt_all',
	'gt_any',
	'gt_all',
	'not_null',
	'not_start',
	'not_end',
	'not_cont',
	'not_eq',
	'not_in',
	'matches',
	'present',
	'blank',
	'start',
	'end',
	'cont',
	'jcont',
	'lteq',
	'gteq',
	'null',
	'true',
	'false',
	'eq',
	'in',
	'lt',
	'gt',
] as const;

export type Predicate = (typeof predicates)[number];

/**
 * What each type of field answers, as predicate bases: a predicate is answered when its base is
 * listed, its base being the predicate without `_any`/`_all` and `_or_null` (`not_eq_or_null` ->
 * `not_eq`, `cont_all` -> `cont`). Ransack builds SQL for any pair, but PostgreSQL refuses a LIKE
 * on a number or a date, an order on the fixed set of statuses means nothing, and a JSON column
 * only compares as JSON, so the API answers those with an error: better said before sending.
 */
const typeBases: Record<FieldType, readonly string[]> = {
	string: ['eq', 'not_eq', 'in', 'not_in', 'cont', 'not_cont', 'start', 'not_start', 'end', 'not_end', 'matches', 'does_not_match', 'lt', 'lteq', 'gt', 'gteq', 'null', 'not_null', 'present', 'blank'],
	enum: ['eq', 'not_eq', 'in', 'not_in', 'null', 'not_null', 'present', 'blank'],
	datetime: ['eq', 'not_eq', 'in', 'not_in', 'lt', 'lteq', 'gt', 'gteq', 'null', 'not_null', 'present', 'blank'],
	integer: ['eq', 'not_eq', 'in', 'not_in', 'lt', 'lteq', 'gt', 'gteq', 'null', 'not_null', 'present', 'blank'],
	json: ['jcont', 'null', 'not_null', 'present', 'blank'],
	relationship: ['eq', 'not_eq', 'in', 'not_in', 'null', 'not_null', 'present', 'blank'],
};

/** The short list a message names (the `not_`, `_any`, `_all` and `_or_null` forms go with them). */
const typeSummaries: Record<FieldType, string> = {
	string: '_eq _in _cont _start _end _matches _lt _gt _null _present',
	enum: '_eq _in _null _present',
	datetime: '_eq _in _lt _lteq _gt _gteq _null _present',
	integer: '_eq _in _lt _lteq _gt _gteq _null _present',
	json: '_jcont _null _present',
	relationship: '_eq _in _null _present',
};

function predicateBase(predicate: Predicate): string {
	return predicate.replace(/_or_null$/, '').replace(/_(any|all)$/, '');
}

/** Whether a field of this type answers the predicate (see typeBases). */
export function supportsPredicate(type: FieldType, predicate: Predicate): boolean {
	return typeBases[type].includes(predicateBase(predicate));
}

/** The predicates a field of this type takes, for a message: `_eq _in _lt …`. */
export function predicateSummary(type: FieldType): string {
	return typeSummaries[type];
}

/** Predicates whose value is a comma-separated list. */
export function isListPredicate(predicate: string): boolean {
	return /(^|_)(in|any|all)$/.test(predicate) || predicate.endsWith('in_or_null');
}

/**
 * Splits a Ransack key such as `reference_or_reference_origin_cont` into its attributes and
 * predicate, or returns undefined when it names no known predicate.
 */
export function splitPredicateKey(key: string): {attributes: string[]; predicate: Predicate} | undefined {
	for (const predicate of predicates) {
		const suffix = `_${predicate}`;
		if (key.length > suffix.length && key.endsWith(suffix)) {
			return {attributes: key.slice(0, -suffix.length).split('_or_'), predicate};
		}
	}

	return undefined;
}
