// The demo's records: exports as it stores them (times in epoch milliseconds), and the webhook
// events they go through.

/**
 * How a pending or running export advances with the clock. Before `startsAt` it is pending; from
 * then on it is in progress, with `base` records done at `from` and `perMs` more each millisecond
 * (counted in whole ticks, so the numbers move in visible steps).
 */
export type Run = {startsAt: number; from: number; base: number; perMs: number};

/** Progress moves in steps of this many milliseconds. */
export const progressTickMs = 1000;

/** One export as the demo stores it: times in epoch milliseconds, attachment_url computed on read. */
export type DemoExport = {
	id: string;
	resource_type: string;
	format: string;
	status: string;
	includes: string[] | null;
	fields: string[] | null;
	filters: Record<string, unknown> | null;
	dry_data: boolean | null;
	jwt_filters: boolean | null;
	started_at: number | null;
	completed_at: number | null;
	interrupted_at: number | null;
	estimated_completion_at: number | null;
	records_count: number | null;
	processed_count: number | null;
	progress: number | null;
	errors_log: Record<string, unknown> | null;
	created_at: number;
	updated_at: number;
	reference: string | null;
	reference_origin: string | null;
	metadata: Record<string, unknown> | null;
	trace_id: string;
	run: Run | null;
};

/** An export before it starts: no times but its creation, nothing processed, no errors. */
export const notStarted = {
	jwt_filters: false,
	started_at: null,
	completed_at: null,
	interrupted_at: null,
	estimated_completion_at: null,
	processed_count: 0,
	progress: 0,
	errors_log: null,
} satisfies Partial<DemoExport>;

export type DemoEvent = {id: string; name: string};

export type DemoData = {
	organizationId: string;
	/** Webhook topics an export goes through; `events_id` filters match them. */
	events: {create: DemoEvent; start: DemoEvent; complete: DemoEvent; interrupt: DemoEvent};
	/** Ordered by created_at, oldest first. */
	exports: DemoExport[];
};

/** The statuses generated: the API's five and one it does not have, which the UI must show as is. */
export type DemoKind = 'completed' | 'in_progress' | 'pending' | 'interrupted' | 'failed' | 'queued';

export const minute = 60_000;
export const hour = 60 * minute;
export const day = 24 * hour;
