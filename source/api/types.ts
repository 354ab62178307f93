// The shapes cl-exports reads from and sends to the Commerce Layer Core API (JSON:API).
// Everything the server sends is typed as possibly missing or null: the API adds attributes
// over time and older records lack the newer ones.

export const statuses = ['pending', 'in_progress', 'interrupted', 'failed', 'completed'] as const;
export type KnownStatus = (typeof statuses)[number];

export type ExportAttributes = {
	resource_type?: string | null;
	format?: string | null;
	/** One of `statuses`, or a value this version does not know (shown as is). */
	status?: string | null;
	includes?: string[] | null;
	fields?: string[] | null;
	filters?: Record<string, unknown> | null;
	dry_data?: boolean | null;
	jwt_filters?: boolean | null;
	started_at?: string | null;
	completed_at?: string | null;
	interrupted_at?: string | null;
	estimated_completion_at?: string | null;
	records_count?: number | null;
	processed_count?: number | null;
	progress?: number | null;
	attachment_url?: string | null;
	errors_log?: Record<string, unknown> | null;
	created_at?: string | null;
	updated_at?: string | null;
	reference?: string | null;
	reference_origin?: string | null;
	metadata?: Record<string, unknown> | null;
	[attribute: string]: unknown;
};

export type RelationshipLinks = {links?: {self?: string; related?: string}};

export type ExportRecord = {
	id: string;
	type: string;
	attributes: ExportAttributes;
	links?: {self?: string};
	relationships?: Record<string, RelationshipLinks>;
	meta?: {mode?: string; organization_id?: string; trace_id?: string; [key: string]: unknown};
};

export type PageLinks = {first?: string; prev?: string; next?: string; last?: string; self?: string};

/** One page of `GET /api/exports`. */
export type ExportPage = {
	data: ExportRecord[];
	meta: {record_count: number; page_count: number};
	links: PageLinks;
};

/**
 * A Ransack predicate value as the official SDK takes it: arrays are sent comma-joined
 * (`_in`, `_not_in`, `_any`, `_all`), objects JSON-encoded (`_jcont`), the rest as strings.
 */
export type FilterValue = string | number | boolean | Array<string | number> | Record<string, unknown>;

/** Ransack predicates without the `filter[q]` wrapper, e.g. `{status_in: ['failed'], reference_cont: 'x'}`. */
export type Filters = Record<string, FilterValue>;

/** One list request, `GET /api/exports?…`: one page of the exports that match. */
export type ListRequest = {
	/** 1-based. */
	page: number;
	/** 1..25. */
	size: number;
	/** JSON:API sort keys, e.g. `['-created_at']`. */
	sort?: string[];
	filters?: Filters;
	/** Sparse fieldset for `fields[exports]`. */
	fields?: string[];
};

/** Attributes that `PATCH /api/exports/:id` accepts: `_start` and `_interrupt` are triggers, the rest are stored. */
export type ExportUpdate = {
	_start?: boolean;
	_interrupt?: boolean;
	reference?: string | null;
	reference_origin?: string | null;
	metadata?: Record<string, unknown> | null;
};

/** Attributes that `POST /api/exports` accepts. */
export type ExportCreate = {
	resource_type: string;
	format?: string;
	includes?: string[];
	fields?: string[];
	filters?: Record<string, unknown>;
	dry_data?: boolean;
	reference?: string | null;
	reference_origin?: string | null;
	metadata?: Record<string, unknown> | null;
};
