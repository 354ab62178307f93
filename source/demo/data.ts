// The demo organization: a deterministic set of exports generated from a seed and the moment the
// server starts (the "anchor"). Nothing here reads Math.random or the wall clock, so two servers
// with the same seed and anchor hold the same data, byte for byte.

export type Random = {
	/** Uniform in [0, 1). */
	next(): number;
	/** Integer in [min, max], both included. */
	int(min: number, max: number): number;
	pick<T>(items: readonly T[]): T;
	chance(probability: number): boolean;
	/** A Commerce Layer style id: 10 letters, mixed case (e.g. `XAyRWNUzyN`). */
	id(): string;
	hex(length: number): string;
};

const letters = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

/** mulberry32: small, fast, and good enough for demo data. */
export function createRandom(seed: number): Random {
	let state = seed >>> 0;
	const next = () => {
		state = (state + 0x6d_2b_79_f5) >>> 0;
		let t = state;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
	};

	const int = (min: number, max: number) => min + Math.floor(next() * (max - min + 1));
	return {
		next,
		int,
		pick<T>(items: readonly T[]): T {
			return items[int(0, items.length - 1)] as T;
		},
		chance: probability => next() < probability,
		id() {
			let id = '';
			for (let index = 0; index < 10; index++) id += letters[int(0, letters.length - 1)];
			return id;
		},
		hex(length) {
			let text = '';
			for (let index = 0; index < length; index++) text += int(0, 15).toString(16);
			return text;
		},
	};
}

/** FNV-1a over the parts, for seeding a Random from (seed, id) pairs. */
export function hashSeed(...parts: Array<string | number>): number {
	let hash = 0x81_1c_9d_c5;
	for (const char of parts.join('\u0000')) {
		hash ^= char.codePointAt(0) ?? 0;
		hash = Math.imul(hash, 0x01_00_01_93) >>> 0;
	}

	return hash >>> 0;
}

/**
 * How a pending or running export advances with the clock. Before `startsAt` it is pending; from
 * then on it is in progress, with `base` records done at `from` and `perMs` more each millisecond
 * (counted in whole ticks, so the numbers move in visible steps).
 */
export type Run = {startsAt: number; from: number; base: number; perMs: number};

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

export type DemoEvent = {id: string; name: string};

export type DemoData = {
	organizationId: string;
	/** Webhook topics an export goes through; `events_id` filters match them. */
	events: {create: DemoEvent; start: DemoEvent; complete: DemoEvent; interrupt: DemoEvent};
	/** Ordered by created_at, oldest first. */
	exports: DemoExport[];
};

/** commercelayer.md §7.5 (the CLI's list plus the Dashboard's order_subscriptions), with rough weights. */
export const resourceTypes: ReadonlyArray<readonly [string, number]> = [
	['orders', 12],
	['skus', 12],
	['customers', 8],
	['prices', 8],
	['stock_items', 7],
	['line_items', 5],
	['shipments', 4],
	['addresses', 4],
	['price_tiers', 2],
	['sku_lists', 2],
	['bundles', 2],
	['coupons', 2],
	['gift_cards', 2],
	['customer_addresses', 2],
	['tags', 2],
	['returns', 2],
	['transactions', 2],
	['authorizations', 1],
	['captures', 1],
	['refunds', 1],
	['voids', 1],
	['customer_payment_sources', 1],
	['customer_subscriptions', 1],
	['line_item_options', 1],
	['payment_methods', 1],
	['shipping_categories', 1],
	['shipping_methods', 1],
	['sku_list_items', 1],
	['sku_options', 1],
	['stock_transfers', 1],
	['tax_categories', 1],
	['order_subscriptions', 1],
];

const totalWeight = resourceTypes.reduce((sum, [, weight]) => sum + weight, 0);

function pickResourceType(random: Random): string {
	let roll = random.next() * totalWeight;
	for (const [type, weight] of resourceTypes) {
		roll -= weight;
		if (roll < 0) return type;
	}

	return 'orders';
}

const includesByType: Record<string, string[][]> = {
	orders: [['customer'], ['line_items'], ['customer', 'line_items', 'shipping_address'], ['line_items.line_item_options']],
	skus: [['prices'], ['stock_items'], ['prices.price_tiers'], ['shipping_category']],
	customers: [['customer_addresses'], ['customer_group']],
	prices: [['sku'], ['price_tiers']],
	stock_items: [['sku'], ['stock_location']],
	line_items: [['item'], ['line_item_options']],
	shipments: [['shipping_method'], ['stock_location', 'shipping_address']],
};

const fieldsByType: Record<string, string[][]> = {
	orders: [['number', 'status', 'total_amount_cents', 'currency_code'], ['number', 'customer_email', 'placed_at']],
	skus: [['code', 'name'], ['code', 'name', 'prices.*'], ['code', 'name', 'prices.price_tiers.price_amount_cents']],
	customers: [['email', 'status'], ['email', 'created_at']],
	prices: [['sku_code', 'amount_cents', 'currency_code']],
	stock_items: [['sku_code', 'quantity']],
};

const filtersByType: Record<string, Array<Record<string, unknown>>> = {
	orders: [{status_eq: 'placed'}, {status_in: ['placed', 'approved']}, {market_code_eq: 'EU'}],
	skus: [{code_start: 'TSHIRT'}, {shipping_category_name_eq: 'Merchandise'}],
	customers: [{status_eq: 'repeat'}, {email_end: '@example.com'}],
	prices: [{currency_code_eq: 'EUR'}, {price_list_name_eq: 'Europe (EUR)'}],
	stock_items: [{quantity_gt: 0}, {stock_location_name_eq: 'Milan warehouse'}],
};

const references = [
	'nightly-catalog',
	'weekly-finance',
	'erp-sync',
	'backoffice',
	'marketing-feed',
	'warehouse-recount',
	'black-friday-prep',
	'quarterly-audit',
	'summer sale',
	'summer sale recap',
	'migration-2026',
	'google-shopping-feed',
];

const referenceOrigins = ['dashboard', 'erp-connector', 'zapier', 'backoffice', 'make.com', 'netsuite-sync'];

const people = ['ops@acme.test', 'finance@acme.test', 'giulia@acme.test', 'marco.rossi@acme.test', 'dev@acme.test'];

const errorLogs: Array<Record<string, unknown>> = [
	{RuntimeError: 'query timeout'},
	{'ActiveRecord::QueryCanceled': 'PG::QueryCanceled: ERROR:  canceling statement due to statement timeout'},
	{'Aws::S3::Errors::ServiceUnavailable': 'Please reduce your request rate.'},
	{NoMethodError: "undefined method `code' for nil:NilClass"},
	{'Timeout::Error': 'execution expired'},
	{'Redis::CannotConnectError': 'Error connecting to Redis on 10.0.3.21:6379 (Errno::ECONNREFUSED)', attempts: 3},
];

const interruptLogs: Array<Record<string, unknown>> = [
	{Interrupted: 'Export interrupted by the user'},
	{Interrupted: 'Export interrupted: worker shutdown', 'Sidekiq::Shutdown': 'Sidekiq::Shutdown'},
	{Interrupted: 'Export interrupted by the user', requested_by: 'ops@acme.test'},
];

const minute = 60_000;
const hour = 60 * minute;
const day = 24 * hour;

/** Progress moves in steps of this many milliseconds. */
export const progressTickMs = 1000;

type Kind = 'completed' | 'in_progress' | 'pending' | 'interrupted' | 'failed' | 'queued';

/** How many exports of each status: mostly completed, a handful of the others, ≤10 running at once. */
export function planStatuses(count: number): Record<Kind, number> {
	const plan: Record<Kind, number> = {completed: 0, in_progress: 0, pending: 0, interrupted: 0, failed: 0, queued: 0};
	let left = count;
	const take = (kind: Kind, wanted: number) => {
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
		while (usedIds.has(id)) id = random.id();
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
	const base = (kind: Kind, createdAt: number, type = pickResourceType(random)): DemoExport =>
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
		if (index === 0) item.resource_type = 'skus';
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
	if (count >= 50) addAwkwardRecords(exports);
	return {organizationId, events, exports};
}

function makeExport(random: Random, id: string, kind: Kind, createdAt: number, resourceType: string): DemoExport {
	const format = random.chance(0.7) ? 'json' : 'csv';
	const records = random.chance(0.03) ? 10_000 : random.chance(0.05) ? 5000 : Math.max(1, Math.round(Math.exp(random.next() * Math.log(9000))));
	const includesChoices = includesByType[resourceType];
	const includes = includesChoices && random.chance(0.4) ? [...random.pick(includesChoices)] : [];
	const fieldsChoices = fieldsByType[resourceType];
	const fields = fieldsChoices && random.chance(0.3) ? [...random.pick(fieldsChoices)] : random.chance(0.1) ? ['*'] : [];
	const filterChoices = filtersByType[resourceType];
	const filters: Record<string, unknown> =
		filterChoices && random.chance(0.45)
			? {...random.pick(filterChoices)}
			: random.chance(0.2)
				? {created_at_gteq: new Date(createdAt - random.int(1, 90) * day).toISOString().slice(0, 10)}
				: {};
	const hasReference = random.chance(0.55);
	const reference = hasReference ? `${random.pick(references)}${random.chance(0.5) ? `-${random.int(1, 999)}` : ''}` : null;
	const referenceOrigin = hasReference && random.chance(0.8) ? random.pick(referenceOrigins) : null;
	const metadata = makeMetadata(random);
	const startedAt = createdAt + random.int(1, 45) * 1000;
	const item: DemoExport = {
		id,
		resource_type: resourceType,
		format,
		status: kind,
		includes,
		fields,
		filters,
		dry_data: random.chance(0.12),
		jwt_filters: false,
		started_at: null,
		completed_at: null,
		interrupted_at: null,
		estimated_completion_at: null,
		records_count: records,
		processed_count: 0,
		progress: 0,
		errors_log: null,
		created_at: createdAt,
		updated_at: createdAt,
		reference,
		reference_origin: referenceOrigin,
		metadata,
		trace_id: random.hex(32),
		run: null,
	};

	const speedPerSecond = random.int(60, 450);
	const durationMs = Math.ceil((records / speedPerSecond) * 1000) + random.int(500, 4000);
	switch (kind) {
		case 'completed': {
			Object.assign(item, {
				started_at: startedAt,
				completed_at: startedAt + durationMs,
				estimated_completion_at: startedAt + durationMs,
				processed_count: records,
				progress: 100,
				updated_at: startedAt + durationMs,
			});
			break;
		}

		case 'interrupted': {
			const processed = Math.floor(records * random.next() * 0.9);
			const interruptedAt = startedAt + Math.floor(durationMs * random.next() * 0.9) + 1000;
			Object.assign(item, {
				started_at: startedAt,
				interrupted_at: interruptedAt,
				processed_count: processed,
				progress: Math.floor((processed * 100) / records),
				errors_log: {...random.pick(interruptLogs)},
				updated_at: interruptedAt,
			});
			break;
		}

		case 'failed': {
			const processed = random.chance(0.3) ? 0 : Math.floor(records * random.next() * 0.95);
			Object.assign(item, {
				started_at: startedAt,
				processed_count: processed,
				progress: Math.floor((processed * 100) / records),
				errors_log: {...random.pick(errorLogs)},
				updated_at: startedAt + random.int(2, 600) * 1000,
			});
			break;
		}

		case 'queued': {
			Object.assign(item, {processed_count: null, progress: null});
			break;
		}

		case 'pending':
		case 'in_progress': {
			break;
		}
	}

	return item;
}

function makeMetadata(random: Random): Record<string, unknown> {
	const roll = random.next();
	if (roll < 0.55) return {};
	if (roll < 0.7) return {requested_by: random.pick(people)};
	if (roll < 0.8) return {requested_by: random.pick(people), ticket: `OPS-${random.int(100, 999)}`};
	if (roll < 0.88) return {priority: random.pick(['high', 'low', 'normal']), retries: random.int(0, 3)};
	if (roll < 0.94) return {tags: random.pick([['nightly'], ['nightly', 'erp'], ['finance', 'audit']]), batch: random.int(1, 40)};
	return {source: {system: random.pick(['erp', 'pim', 'crm']), region: random.pick(['eu', 'us'])}, dry_run: random.chance(0.5)};
}

function makeGroup(random: Random, newId: () => string, createdAt: number, groupIndex: number): DemoExport[] {
	const groupId = random.hex(8) + random.id().slice(0, 4).toLowerCase();
	const resourceType = ['orders', 'skus', 'customers'][groupIndex % 3] ?? 'orders';
	const total = random.int(10_500, 14_900);
	const items: DemoExport[] = [];
	let offset = 0;
	for (let part = 1; offset < total; part++) {
		const size = Math.min(5000, total - offset);
		const item = makeExport(random, newId(), 'completed', createdAt + part * 1000, resourceType);
		const startedAt = createdAt + part * 1000 + 2000;
		const duration = Math.ceil(size / 200) * 1000;
		Object.assign(item, {
			format: 'json',
			reference: `${groupId}-${part}`,
			reference_origin: 'cli-plugin-exports',
			records_count: size,
			processed_count: size,
			progress: 100,
			started_at: startedAt,
			completed_at: startedAt + duration,
			estimated_completion_at: startedAt + duration,
			updated_at: startedAt + duration,
			includes: [],
			fields: [],
			filters: {id_gt: `grp${groupIndex}${String(offset).padStart(6, '0')}`, id_lteq: `grp${groupIndex}${String(offset + size).padStart(6, '0')}`},
			metadata: {},
		});
		items.push(item);
		offset += size;
	}

	return items;
}

/**
 * Records that are awkward on purpose, among the newest ones so the first pages show them: the UI
 * must cope with long text, wide characters, nulls, escape sequences and an unknown status.
 */
function addAwkwardRecords(exports: DemoExport[]): void {
	const recentCompleted = exports
		.map((item, index) => ({item, index}))
		.filter(({item}) => item.status === 'completed' && item.reference_origin !== 'cli-plugin-exports')
		.slice(-30);
	const slot = (n: number) => recentCompleted[recentCompleted.length - 1 - n * 4]?.item;

	const long = slot(1);
	if (long) {
		long.reference = `quarterly-reconciliation-${'very-long-reference-'.repeat(14)}end`;
		long.reference_origin = 'a-reference-origin-that-is-also-much-longer-than-any-column-could-show';
	}

	const wide = slot(2);
	if (wide) {
		wide.reference = '夏のセール 🎉 2026 商品一覧';
		wide.reference_origin = '后台导出';
		wide.metadata = {note: '导出客户数据 ✅', emoji: '👩‍💻🚀', 한국어: '내보내기'};
	}

	const nulls = slot(3);
	if (nulls) {
		Object.assign(nulls, {
			includes: null,
			fields: null,
			filters: null,
			dry_data: null,
			jwt_filters: null,
			estimated_completion_at: null,
			processed_count: null,
			progress: null,
			errors_log: null,
			reference: null,
			reference_origin: null,
			metadata: null,
		});
	}

	const empty = slot(5);
	if (empty) {
		// Empty strings are not NULL: `reference_blank` finds them, `reference_null` does not.
		empty.reference = '';
		empty.reference_origin = '';
	}

	const hostile = slot(4);
	if (hostile) {
		hostile.reference = 'evil\u001B[31mRED\u001B[0m\u0007bell\rcr\u001B]0;pwned\u0007';
		hostile.metadata = {note: 'tab\there\u001B[2J', ok: true};
	}
}
