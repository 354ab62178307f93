// One generated export of a given status, the slices of a CLI `exports:all` group, and the
// awkward records (long, wide, null, empty, hostile text) the UI must cope with.
import {day, notStarted, type DemoExport, type DemoKind} from './model.js';
import type {Random} from './random.js';
import {errorLogs, fieldsByType, filtersByType, includesByType, interruptLogs, people, referenceOrigins, references} from './sample-values.js';

export function makeExport(random: Random, id: string, kind: DemoKind, createdAt: number, resourceType: string): DemoExport {
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
		...notStarted,
		records_count: records,
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
	if (roll < 0.55) {
		return {};
	}

	if (roll < 0.7) {
		return {requested_by: random.pick(people)};
	}

	if (roll < 0.8) {
		return {requested_by: random.pick(people), ticket: `OPS-${random.int(100, 999)}`};
	}

	if (roll < 0.88) {
		return {priority: random.pick(['high', 'low', 'normal']), retries: random.int(0, 3)};
	}

	if (roll < 0.94) {
		return {tags: random.pick([['nightly'], ['nightly', 'erp'], ['finance', 'audit']]), batch: random.int(1, 40)};
	}

	return {source: {system: random.pick(['erp', 'pim', 'crm']), region: random.pick(['eu', 'us'])}, dry_run: random.chance(0.5)};
}

export function makeGroup(random: Random, newId: () => string, createdAt: number, groupIndex: number): DemoExport[] {
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
export function addAwkwardRecords(exports: DemoExport[]): void {
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
