// What the exports resource lets a client sort and filter by (commercelayer.md §4, §5, §7.1).
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

export const filterableFields = Object.keys(exportFields) as FilterableField[];

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
 * Every Ransack predicate suffix Commerce Layer documents (commercelayer.md §5), longest first so
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
