// The demo organization: a deterministic set of exports generated from a seed and the moment the
// server starts (the "anchor"). Nothing here reads Math.random or the wall clock, so two servers
// with the same seed and anchor hold the same data, byte for byte.
import {addAwkwardRecords, makeExport, makeGroup} from './make-export.js';
import {day, hour, minute, type DemoData, type DemoExport, type DemoKind} from './model.js';
import {createRandom, hashSeed} from './random.js';
import {pickResourceType, resourceTypes} from './sample-values.js';

/** How many exports of each status: mostly completed, a handful of the others, ≤10 running at once. */
export function planStatuses(count: number): Record<DemoKind, number> {
	const plan: Record<DemoKind, number> = {completed: 0, in_progress: 0, pending: 0, interrupted: 0, failed: 0, queued: 0};
	let left = count;
	const take = (kind: DemoKind, wanted: number) => {
		const n = Math.max(0, Math.min(left, wanted));
		plan[kind] += n;
		left -= n;
	};

	take('completed', 1);
	take('in_progress', Math.min(6, Math.ceil(count * 0.02)));
	take('failed', Math.max(1, Math.round(count * 0.02)));
	take('interrupted', Math.max(1, Math.round(count * 0.017)));
	take('pending', Math.min(3, Math.ceil(count * 0.01)));
	take('queued', count >= 20 ? 1 : 0);
	plan.completed += left;
	return plan;
}

export type GenerateOptions = {count: number; seed: number; anchor: number};

export function generateDemoData({count, seed, anchor}: GenerateOptions): DemoData {
	const random = createRandom(hashSeed('cl-exports demo', seed));
	const usedIds = new Set<string>();
	const newId = () => {
		let id = random.id();
		while (usedIds.has(id)) {
			id = random.id();
		}

		usedIds.add(id);
		return id;
	};

	const organizationId = newId();
	const events = {
		create: {id: newId(), name: 'exports.create'},
		start: {id: newId(), name: 'exports.start'},
		complete: {id: newId(), name: 'exports.complete'},
		interrupt: {id: newId(), name: 'exports.interrupt'},
	};

	const plan = planStatuses(count);
	const exports: DemoExport[] = [];
	const base = (kind: DemoKind, createdAt: number, type = pickResourceType(random)): DemoExport =>
		makeExport(random, newId(), kind, createdAt, type);

	// CLI `exports:all` groups: 5,000-record slices sharing `<group>-<n>` references (3 slices each).
	const groupCount = plan.completed >= 60 ? 3 : 0;
	const singles = plan.completed - groupCount * 2;
	const groupSlots = [0.3, 0.6, 0.9].slice(0, groupCount).map(at => Math.floor(singles * at));

	// Completed, interrupted and failed exports spread over the 30 days before the anchor.
	const spread = (): number => anchor - 30 * day + Math.floor(random.next() * (30 * day - 2 * hour));
	const completedTimes = Array.from({length: singles}, spread).sort((a, b) => a - b);
	let forced = 0;
	for (const [index, createdAt] of completedTimes.entries()) {
		const group = groupSlots.indexOf(index);
		if (group >= 0) {
			exports.push(...makeGroup(random, newId, createdAt, group));
			continue;
		}

		// Every resource type shows up at least once (7 and the list's length share no factor).
		const forceType = forced < resourceTypes.length && singles >= resourceTypes.length * 2;
		const type = forceType ? (resourceTypes[(forced++ * 7) % resourceTypes.length]?.[0] ?? 'orders') : pickResourceType(random);
		exports.push(base('completed', createdAt, type));
	}

	for (let index = 0; index < plan.failed; index++) {
		// Two of them failed today, so "what failed today" has an answer.
		const createdAt = index === 0 ? anchor - 3 * hour - random.int(0, 30) * minute : index === 1 ? anchor - 9 * hour : spread();
		exports.push(base('failed', createdAt));
	}

	for (let index = 0; index < plan.interrupted; index++) {
		const createdAt = index === 0 ? anchor - 5 * hour - random.int(0, 40) * minute : spread();
		const item = base('interrupted', createdAt);
		if (index === 1) {
			// Interrupted before it ever started.
			item.started_at = null;
			item.processed_count = 0;
			item.progress = 0;
			item.interrupted_at = createdAt + random.int(5, 90) * 1000;
			item.updated_at = item.interrupted_at;
		}

		exports.push(item);
	}

	// Running exports: each finishes some time after the anchor, the first ones within minutes.
	const finishIn = [80, 150, 260, 420, 620, 900];
	for (let index = 0; index < plan.in_progress; index++) {
		const records = random.int(2000, 9500);
		const doneFraction = 0.1 + random.next() * 0.6;
		const done = Math.floor(records * doneFraction);
		const remainingMs = ((finishIn[index % finishIn.length] ?? 600) + random.int(0, 40)) * 1000;
		const perMs = (records - done) / remainingMs;
		const startedAt = anchor - Math.ceil(done / perMs);
		const item = base('in_progress', startedAt - random.int(2, 40) * 1000);
		Object.assign(item, {
			started_at: startedAt,
			completed_at: null,
			records_count: records,
			processed_count: done,
			progress: Math.floor((done * 100) / records),
			updated_at: anchor,
			estimated_completion_at: anchor + remainingMs,
			errors_log: null,
		});
		if (index === 0) {
			item.resource_type = 'skus';
		}

		item.run = {startsAt: startedAt, from: anchor, base: done, perMs};
		exports.push(item);
	}

	const startIn = [25, 70, 140];
	for (let index = 0; index < plan.pending; index++) {
		const createdAt = anchor - random.int(5, 120) * 1000;
		const item = base('pending', createdAt);
		const records = random.int(800, 6000);
		item.records_count = records;
		const startsAt = anchor + (startIn[index % startIn.length] ?? 60) * 1000;
		item.run = {startsAt, from: startsAt, base: 0, perMs: records / (random.int(60, 240) * 1000)};
		exports.push(item);
	}

	for (let index = 0; index < plan.queued; index++) {
		// A status this version of cl-exports does not know: shown as is, never advances.
		const item = base('queued', anchor - 40 * minute);
		exports.push(item);
	}

	exports.sort((a, b) => a.created_at - b.created_at || (a.id < b.id ? -1 : 1));
	if (count >= 50) {
		addAwkwardRecords(exports);
	}

	return {organizationId, events, exports};
}
