// Exports and events as JSON:API resources: the attributes a client sees now, sparse fieldsets,
// relationships with their links, and the `included` events.
import type {ExportRecord} from '../api/types.js';
import {attachmentUrl} from './attachments.js';
import type {DemoContext} from './context.js';
import type {DemoEvent, DemoExport} from './model.js';
import {attributeOrder, clone, iso, relationshipNames} from './jsonapi.js';

/**
 * The attribute values a client sees now: dates as ISO strings and a fresh attachment_url. With
 * `forMatching`, objects are shared rather than copied (nothing leaves the server) and the
 * attachment_url is only signed when a filter or sort reads it.
 */
export function attributesOf(ctx: DemoContext, item: DemoExport, forMatching?: {url: boolean}): Record<string, unknown> {
	const copy = forMatching ? <T>(value: T) => value : clone;
	const url = item.status === 'completed' && (!forMatching || forMatching.url);
	return {
		resource_type: item.resource_type,
		format: item.format,
		status: item.status,
		includes: copy(item.includes),
		fields: copy(item.fields),
		filters: copy(item.filters),
		dry_data: item.dry_data,
		jwt_filters: item.jwt_filters,
		started_at: iso(item.started_at),
		completed_at: iso(item.completed_at),
		interrupted_at: iso(item.interrupted_at),
		estimated_completion_at: iso(item.estimated_completion_at),
		records_count: item.records_count,
		processed_count: item.processed_count,
		progress: item.progress,
		attachment_url: url ? attachmentUrl(ctx.origin, ctx.signingKey, item, ctx.now()) : null,
		errors_log: copy(item.errors_log),
		created_at: iso(item.created_at),
		updated_at: iso(item.updated_at),
		reference: item.reference,
		reference_origin: item.reference_origin,
		metadata: copy(item.metadata),
	};
}

export function exportLink(ctx: DemoContext, id: string) {
	return `${ctx.origin}/api/exports/${encodeURIComponent(id)}`;
}

export function serialize(ctx: DemoContext, item: DemoExport, attributes: Record<string, unknown>, fields?: Set<string>, include: string[] = []): ExportRecord {
	const self = exportLink(ctx, item.id);
	const shown = (name: string) => !fields || fields.has(name);
	const relationships: NonNullable<ExportRecord['relationships']> = {};
	for (const name of relationshipNames) {
		if (!shown(name)) {
			continue;
		}

		const relationship: Record<string, unknown> = {links: {self: `${self}/relationships/${name}`, related: `${self}/${name}`}};
		if (include.includes(name)) {
			relationship['data'] = name === 'events' ? ctx.store.eventsOf(item).map(event => ({type: 'events', id: event.id})) : [];
		}

		relationships[name] = relationship;
	}

	return {
		id: item.id,
		type: 'exports',
		links: {self},
		attributes: Object.fromEntries(attributeOrder.filter(shown).map(name => [name, attributes[name]])),
		relationships,
		meta: {mode: 'test', organization_id: ctx.store.organizationId, trace_id: item.trace_id},
	};
}

export function eventResource(ctx: DemoContext, event: DemoEvent) {
	return {
		id: event.id,
		type: 'events',
		links: {self: `${ctx.origin}/api/events/${event.id}`},
		attributes: {
			name: event.name,
			created_at: iso(ctx.anchor - 400 * 86_400_000),
			updated_at: iso(ctx.anchor - 400 * 86_400_000),
			reference: null,
			reference_origin: null,
			metadata: {},
		},
		relationships: {
			webhooks: {links: {self: `${ctx.origin}/api/events/${event.id}/relationships/webhooks`, related: `${ctx.origin}/api/events/${event.id}/webhooks`}},
		},
		meta: {mode: 'test', organization_id: ctx.store.organizationId},
	};
}

/** How Ransack conditions read an export's attributes (`events_id` through its events). */
export function readerFor(ctx: DemoContext, item: DemoExport, attributes: Record<string, unknown>) {
	return (attribute: string): unknown[] => {
		if (attribute === 'events_id') {
			return ctx.store.eventsOf(item).map(event => event.id);
		}

		if (attribute === 'id') {
			return [item.id];
		}

		return [attributes[attribute]];
	};
}

export function includedFor(ctx: DemoContext, items: DemoExport[], include: string[]): unknown[] | undefined {
	if (!include.includes('events')) {
		return include.length > 0 ? [] : undefined;
	}

	const seen = new Map<string, DemoEvent>();
	for (const item of items) {
		for (const event of ctx.store.eventsOf(item)) {
			seen.set(event.id, event);
		}
	}

	return [...seen.values()].map(event => eventResource(ctx, event));
}
