// The files behind `attachment_url`: signed links that expire 5 minutes after they are issued (like
// the S3 links of the real service) and gzipped JSON or CSV generated from the export itself, one
// row per exported record, the same bytes every time.
import {createHmac, timingSafeEqual} from 'node:crypto';
import {gzipSync} from 'node:zlib';
import type {DemoContext} from './context.js';
import type {DemoExport} from './model.js';
import {createRandom, hashSeed, type Random} from './random.js';

/** Storage links expire 5 minutes after they are issued, as Commerce Layer's S3 links do. */
export const attachmentTtlSeconds = 300;

/** Commerce Layer rejects exports over 10,000 records, so this only guards against odd data. */
export const maxAttachmentRows = 10_000;

export function signAttachment(key: string, file: string, expires: number): string {
	return createHmac('sha256', key).update(`${file}:${expires}`).digest('hex').slice(0, 40);
}

export function attachmentFileName(item: Pick<DemoExport, 'id' | 'format'>): string {
	return `${item.id}.${item.format}.gz`;
}

export function attachmentUrl(origin: string, key: string, item: Pick<DemoExport, 'id' | 'format'>, nowMs: number): string {
	const file = attachmentFileName(item);
	const expires = Math.floor(nowMs / 1000) + attachmentTtlSeconds;
	return `${origin}/attachments/${file}?expires=${expires}&signature=${signAttachment(key, file, expires)}`;
}

export type AttachmentCheck = 'ok' | 'expired' | 'bad_signature';

export function checkAttachment(key: string, file: string, query: URLSearchParams, nowMs: number): AttachmentCheck {
	const expiresText = query.get('expires') ?? '';
	const signature = query.get('signature') ?? '';
	if (!/^\d+$/.test(expiresText)) {
		return 'bad_signature';
	}

	const expected = Buffer.from(signAttachment(key, file, Number(expiresText)));
	const given = Buffer.from(signature);
	if (expected.length !== given.length || !timingSafeEqual(expected, given)) {
		return 'bad_signature';
	}

	return nowMs >= Number(expiresText) * 1000 ? 'expired' : 'ok';
}

export function s3Error(code: string, message: string, requestId: string): string {
	return `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${code}</Code><Message>${message}</Message><RequestId>${requestId}</RequestId><HostId>cl-exports-demo</HostId></Error>`;
}

type Row = Record<string, unknown>;

const firstNames = ['Giulia', 'Marco', 'Anna', 'Luca', 'Sofia', 'Hiro', 'Mei', 'Olga', 'Pierre', 'Zoe'];
const lastNames = ['Rossi', 'Bianchi', 'Smith', 'Tanaka', 'Müller', 'Dubois', 'García', 'Nowak', 'Lee', 'Kim'];
const cities = [
	['Milano', '20121', 'MI', 'IT'],
	['New York', '10001', 'NY', 'US'],
	['Paris', '75001', '', 'FR'],
	['Berlin', '10115', '', 'DE'],
	['Tokyo', '100-0001', '', 'JP'],
] as const;
const products = ['T-shirt', 'Hoodie', 'Cap', 'Mug', 'Tote bag', 'Sticker pack', 'Notebook', 'Water bottle'];
const colors = ['black', 'white', 'navy', 'red', 'green'];
const currencies = ['EUR', 'USD', 'GBP'];

function iso(ms: number): string {
	return new Date(ms).toISOString();
}

function skuCode(random: Random): string {
	return `${random.pick(['TSHIRT', 'HOODIE', 'CAP', 'MUG', 'BAG'])}${random.pick(['MM', 'WM', 'KD'])}${random.pick(['000000', 'FFFFFF', 'E63E30'])}${random.pick(['XS', 'S', 'M', 'L', 'XL'])}`;
}

function person(random: Random): {first_name: string; last_name: string; email: string} {
	const first = random.pick(firstNames);
	const last = random.pick(lastNames);
	return {first_name: first, last_name: last, email: `${first}.${last}${random.int(1, 99)}@example.com`.toLowerCase()};
}

function address(random: Random): Row {
	const [city, zip, state, country] = random.pick(cities);
	const who = person(random);
	return {
		first_name: who.first_name,
		last_name: who.last_name,
		line_1: `Via ${random.pick(lastNames)} ${random.int(1, 200)}`,
		city,
		zip_code: zip,
		state_code: state,
		country_code: country,
		phone: `+39 02 ${random.int(1_000_000, 9_999_999)}`,
	};
}

const generators: Record<string, (random: Random, index: number) => Row> = {
	orders: (random, index) => {
		const cents = random.int(900, 45_000);
		return {
			number: 20_000 + index,
			status: random.pick(['placed', 'approved', 'cancelled', 'placed']),
			payment_status: random.pick(['authorized', 'paid', 'voided', 'refunded']),
			fulfillment_status: random.pick(['unfulfilled', 'in_progress', 'fulfilled']),
			currency_code: random.pick(currencies),
			subtotal_amount_cents: cents,
			total_amount_cents: cents + 700,
			customer_email: person(random).email,
			skus_count: random.int(1, 6),
			placed_at: iso(Date.UTC(2026, 0, 1) + index * 3_600_000),
			customer_id: random.id(),
			market_id: random.id(),
		};
	},
	skus: random => ({
		code: skuCode(random),
		name: `${random.pick(colors)} ${random.pick(products)}`.replace(/^./, char => char.toUpperCase()),
		description: 'Soft organic cotton, printed in the EU.',
		pieces_per_pack: random.pick([null, 1, 6, 12]),
		weight: random.int(50, 900),
		unit_of_weight: 'gr',
		do_not_ship: random.chance(0.05),
		shipping_category_id: random.id(),
	}),
	customers: random => ({email: person(random).email, status: random.pick(['prospect', 'acquired', 'repeat']), customer_group_id: random.chance(0.3) ? random.id() : null}),
	prices: random => {
		const cents = random.int(500, 12_000);
		return {sku_code: skuCode(random), currency_code: random.pick(currencies), amount_cents: cents, compare_at_amount_cents: cents + random.int(0, 2000), price_list_id: random.id()};
	},
	stock_items: random => ({sku_code: skuCode(random), quantity: random.int(0, 500), stock_location_id: random.id()}),
	line_items: random => {
		const quantity = random.int(1, 4);
		const unit = random.int(500, 9000);
		return {sku_code: skuCode(random), name: random.pick(products), quantity, unit_amount_cents: unit, total_amount_cents: unit * quantity, item_type: 'skus', order_id: random.id()};
	},
	addresses: random => address(random),
	customer_addresses: random => ({...address(random), customer_id: random.id(), address_id: random.id()}),
	shipments: (random, index) => ({
		number: `${20_000 + index}/S/001`,
		status: random.pick(['draft', 'packing', 'ready_to_ship', 'shipped', 'delivered']),
		currency_code: random.pick(currencies),
		order_id: random.id(),
		shipping_method_id: random.id(),
	}),
	coupons: random => ({code: `SAVE${random.int(5, 50)}-${random.hex(6).toUpperCase()}`, usage_limit: random.pick([null, 1, 100]), usage_count: random.int(0, 50), promotion_rule_id: random.id()}),
	gift_cards: random => ({
		code: random.hex(16),
		status: random.pick(['draft', 'inactive', 'active', 'redeemed']),
		currency_code: random.pick(currencies),
		balance_cents: random.int(0, 20_000),
		recipient_email: random.chance(0.5) ? person(random).email : null,
	}),
};

function genericRow(random: Random, index: number, type: string): Row {
	return {name: `${type.replace(/_/g, ' ')} ${index + 1}`, reference: random.chance(0.3) ? `ref-${random.int(1, 9999)}` : null};
}

/** The records in an export's file: as many as records_count (≤ 10,000), shaped by its type and options. */
export function attachmentRows(item: DemoExport, seed: number): Row[] {
	const random = createRandom(hashSeed(seed, item.id, 'attachment'));
	const count = Math.min(maxAttachmentRows, Math.max(0, item.records_count ?? 0));
	const generate = generators[item.resource_type];
	const wanted = item.fields && item.fields.length > 0 && !item.fields.includes('*') ? item.fields.filter(field => !field.includes('.')) : undefined;
	const rows: Row[] = [];
	const base = item.created_at - 400 * 24 * 3_600_000;
	for (let index = 0; index < count; index++) {
		const createdAt = base + index * 3_600_000 + random.int(0, 3_599_999);
		let row: Row = {
			id: random.id(),
			...(generate ? generate(random, index) : genericRow(random, index, item.resource_type)),
			created_at: iso(createdAt),
			updated_at: iso(createdAt + random.int(0, 30) * 86_400_000),
			reference: null,
			metadata: {},
		};
		if (wanted) {
			row = Object.fromEntries([['id', row['id']], ...wanted.filter(key => key !== 'id' && key in row).map(key => [key, row[key]])]);
		}

		if (item.dry_data) {
			// "skip redundant attributes (ids, timestamps, blanks)".
			row = Object.fromEntries(
				Object.entries(row).filter(
					([key, value]) =>
						key !== 'id' && !key.endsWith('_id') && key !== 'created_at' && key !== 'updated_at' && value !== null && value !== '' && !isEmptyObject(value),
				),
			);
		}

		rows.push(row);
	}

	return rows;
}

function isEmptyObject(value: unknown): boolean {
	return typeof value === 'object' && value !== null && !Array.isArray(value) && Object.keys(value).length === 0;
}

function csvCell(value: unknown): string {
	if (value === null || value === undefined) {
		return '';
	}

	const text = typeof value === 'object' ? JSON.stringify(value) : String(value);
	return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function toCsv(rows: readonly Row[]): string {
	const columns: string[] = [];
	for (const row of rows) {
		for (const key of Object.keys(row)) {
			if (!columns.includes(key)) {
				columns.push(key);
			}
		}
	}

	const lines = [columns.join(',')];
	for (const row of rows) {
		lines.push(columns.map(column => csvCell(row[column])).join(','));
	}

	return `${lines.join('\n')}\n`;
}

/** The uncompressed file: a JSON array or CSV with a header line. */
export function attachmentText(item: DemoExport, seed: number): string {
	const rows = attachmentRows(item, seed);
	return item.format === 'csv' ? toCsv(rows) : JSON.stringify(rows);
}

/** The gzipped file (gzip's mtime is 0, so the bytes are stable); `cache` keeps a few recent ones. */
export function attachmentBody(item: DemoExport, seed: number, cache?: Map<string, Buffer>): Buffer {
	const key = `${item.id}:${item.format}:${item.records_count ?? 0}`;
	const hit = cache?.get(key);
	if (hit) {
		return hit;
	}

	const body = gzipSync(attachmentText(item, seed));
	if (cache) {
		cache.set(key, body);
		if (cache.size > 16) {
			cache.delete(cache.keys().next().value as string);
		}
	}

	return body;
}

/** The answer to `GET /attachments/FILE?expires=…&signature=…`, with S3's XML errors. */
export function serveAttachment(ctx: DemoContext, file: string, query: URLSearchParams): {status: number; body: string | Buffer; headers: Record<string, string>} {
	const requestId = hashSeed(file, query.toString()).toString(16).toUpperCase().padStart(8, '0');
	const xml = {'Content-Type': 'application/xml'};
	const check = checkAttachment(ctx.signingKey, file, query, ctx.now());
	if (check === 'bad_signature') {
		return {
			status: 403,
			body: s3Error('SignatureDoesNotMatch', 'The request signature we calculated does not match the signature you provided. Check your key and signing method.', requestId),
			headers: xml,
		};
	}

	if (check === 'expired') {
		return {status: 403, body: s3Error('AccessDenied', 'Request has expired', requestId), headers: xml};
	}

	const match = /^([^/.]+)\.(json|csv)\.gz$/.exec(file);
	const item = match ? ctx.store.get(match[1] ?? '') : undefined;
	if (!item || item.status !== 'completed' || attachmentFileName(item) !== file) {
		return {status: 404, body: s3Error('NoSuchKey', 'The specified key does not exist.', requestId), headers: xml};
	}

	const body = attachmentBody(item, ctx.seed, ctx.files);
	return {
		status: 200,
		body,
		headers: {
			'Content-Type': 'application/gzip',
			'Content-Disposition': `attachment; filename="${file}"`,
			ETag: `"${hashSeed(item.id, body.length).toString(16)}"`,
			'Last-Modified': new Date(item.completed_at ?? item.updated_at).toUTCString(),
		},
	};
}
