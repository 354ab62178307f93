// The demo's exports and their lifecycle. Running exports advance lazily: whenever the store is
// read it first brings every record up to the clock, so the answers depend only on the data and
// the time, never on how often anyone asked.
import type {ExportCreate, ExportUpdate} from '../api/types.js';
import {notStarted, progressTickMs, type DemoData, type DemoEvent, type DemoExport} from './model.js';
import {createRandom, hashSeed} from './random.js';
import {resourceTypes} from './sample-values.js';

export type LifecycleError = {kind: 'invalid_transition'; event: 'interrupt' | 'start'; from: string};

/** A restarted or new export waits this long before it starts running. */
export const startDelayMs = 2000;

export class DemoStore {
	readonly organizationId: string;
	readonly events: DemoData['events'];
	private readonly records = new Map<string, DemoExport>();
	private readonly seed: number;
	private readonly now: () => number;
	private created = 0;

	constructor(data: DemoData, options: {seed: number; now: () => number}) {
		this.organizationId = data.organizationId;
		this.events = data.events;
		this.seed = options.seed;
		this.now = options.now;
		for (const item of data.exports) {
			this.records.set(item.id, item);
		}
	}

	/** Every export, brought up to the clock, oldest first. */
	all(): DemoExport[] {
		const now = this.now();
		const items = [...this.records.values()];
		for (const item of items) {
			advance(item, now);
		}

		return items;
	}

	get(id: string): DemoExport | undefined {
		const item = this.records.get(id);
		if (item) {
			advance(item, this.now());
		}

		return item;
	}

	/** The lifecycle events an export has been through (`events_id`). */
	eventsOf(item: DemoExport): DemoEvent[] {
		const list: DemoEvent[] = [this.events.create];
		if (item.started_at !== null) {
			list.push(this.events.start);
		}

		if (item.status === 'completed') {
			list.push(this.events.complete);
		}

		if (item.interrupted_at !== null) {
			list.push(this.events.interrupt);
		}

		return list;
	}

	update(id: string, input: ExportUpdate): {ok: true; item: DemoExport} | {ok: false; error: LifecycleError} | undefined {
		const item = this.get(id);
		if (!item) {
			return undefined;
		}

		const now = this.now();
		if (input._interrupt === true && input._start === true) {
			return {ok: false, error: {kind: 'invalid_transition', event: 'start', from: item.status}};
		}

		if (input._interrupt === true) {
			if (item.status !== 'pending' && item.status !== 'in_progress') {
				return {ok: false, error: {kind: 'invalid_transition', event: 'interrupt', from: item.status}};
			}

			item.status = 'interrupted';
			item.interrupted_at = now;
			item.estimated_completion_at = null;
			item.run = null;
		}

		if (input._start === true) {
			if (item.status !== 'interrupted' && item.status !== 'failed') {
				return {ok: false, error: {kind: 'invalid_transition', event: 'start', from: item.status}};
			}

			const records = item.records_count ?? 100;
			const random = createRandom(hashSeed(this.seed, item.id, 'restart', now));
			const startsAt = now + startDelayMs;
			// A restart starts over: the fields of an export that has not started yet, but its settings.
			const {jwt_filters: _settings, ...reset} = notStarted;
			Object.assign(item, {status: 'pending', ...reset});
			item.run = {startsAt, from: startsAt, base: 0, perMs: records / (random.int(30, 90) * 1000)};
		}

		if ('reference' in input) {
			item.reference = input.reference ?? null;
		}

		if ('reference_origin' in input) {
			item.reference_origin = input.reference_origin ?? null;
		}

		if ('metadata' in input) {
			item.metadata = input.metadata ?? null;
		}

		item.updated_at = now;
		return {ok: true, item};
	}

	delete(id: string): boolean {
		return this.records.delete(id);
	}

	create(input: ExportCreate): DemoExport {
		const now = this.now();
		const random = createRandom(hashSeed(this.seed, 'create', this.created++, now));
		let id = random.id();
		while (this.records.has(id)) {
			id = random.id();
		}

		// records_count is known right after creation; the demo has no real resources to count.
		const records = random.int(20, 5000);
		const startsAt = now + startDelayMs;
		const item: DemoExport = {
			id,
			resource_type: input.resource_type,
			format: input.format ?? 'json',
			status: 'pending',
			includes: input.includes ?? [],
			fields: input.fields ?? [],
			filters: input.filters ?? {},
			dry_data: input.dry_data ?? false,
			...notStarted,
			records_count: records,
			created_at: now,
			updated_at: now,
			reference: input.reference ?? null,
			reference_origin: input.reference_origin ?? null,
			metadata: input.metadata ?? {},
			trace_id: random.hex(32),
			run: {startsAt, from: startsAt, base: 0, perMs: records / (random.int(20, 60) * 1000)},
		};
		this.records.set(id, item);
		return item;
	}
}

export const exportableTypes: ReadonlySet<string> = new Set(resourceTypes.map(([type]) => type));

/** Brings a pending or running export up to `now`: starts it, moves its counts, completes it. */
export function advance(item: DemoExport, now: number): void {
	const run = item.run;
	if (!run || (item.status !== 'pending' && item.status !== 'in_progress')) {
		return;
	}

	if (now < run.startsAt) {
		return;
	}

	const total = item.records_count ?? 0;
	item.status = 'in_progress';
	item.started_at = run.startsAt;
	const remaining = Math.max(0, total - run.base);
	const finishAt = run.from + Math.ceil(remaining / run.perMs);
	if (now >= finishAt || remaining === 0) {
		const completedAt = Math.max(run.startsAt, finishAt);
		Object.assign(item, {
			status: 'completed',
			completed_at: completedAt,
			estimated_completion_at: completedAt,
			processed_count: total,
			progress: 100,
			updated_at: completedAt,
			run: null,
		});
		return;
	}

	const elapsed = Math.max(0, now - run.from);
	const ticked = Math.floor(elapsed / progressTickMs) * progressTickMs;
	const processed = Math.min(total, run.base + Math.floor(ticked * run.perMs));
	item.processed_count = processed;
	item.progress = total > 0 ? Math.floor((processed * 100) / total) : 0;
	item.updated_at = Math.max(item.updated_at, run.startsAt, run.from + ticked);
	item.estimated_completion_at = finishAt;
}
