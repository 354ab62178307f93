// What the generated exports are made of: resource types with their weights, includes, fields and
// filters per type, references, people, and the error logs of failed and interrupted exports.
import type {Random} from './random.js';

/** The resource types Commerce Layer can export (the CLI's list and the Dashboard's order_subscriptions), with rough weights. */
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

export function pickResourceType(random: Random): string {
	let roll = random.next() * totalWeight;
	for (const [type, weight] of resourceTypes) {
		roll -= weight;
		if (roll < 0) {
			return type;
		}
	}

	return 'orders';
}

export const includesByType: Record<string, string[][]> = {
	orders: [['customer'], ['line_items'], ['customer', 'line_items', 'shipping_address'], ['line_items.line_item_options']],
	skus: [['prices'], ['stock_items'], ['prices.price_tiers'], ['shipping_category']],
	customers: [['customer_addresses'], ['customer_group']],
	prices: [['sku'], ['price_tiers']],
	stock_items: [['sku'], ['stock_location']],
	line_items: [['item'], ['line_item_options']],
	shipments: [['shipping_method'], ['stock_location', 'shipping_address']],
};

export const fieldsByType: Record<string, string[][]> = {
	orders: [['number', 'status', 'total_amount_cents', 'currency_code'], ['number', 'customer_email', 'placed_at']],
	skus: [['code', 'name'], ['code', 'name', 'prices.*'], ['code', 'name', 'prices.price_tiers.price_amount_cents']],
	customers: [['email', 'status'], ['email', 'created_at']],
	prices: [['sku_code', 'amount_cents', 'currency_code']],
	stock_items: [['sku_code', 'quantity']],
};

export const filtersByType: Record<string, Array<Record<string, unknown>>> = {
	orders: [{status_eq: 'placed'}, {status_in: ['placed', 'approved']}, {market_code_eq: 'EU'}],
	skus: [{code_start: 'TSHIRT'}, {shipping_category_name_eq: 'Merchandise'}],
	customers: [{status_eq: 'repeat'}, {email_end: '@example.com'}],
	prices: [{currency_code_eq: 'EUR'}, {price_list_name_eq: 'Europe (EUR)'}],
	stock_items: [{quantity_gt: 0}, {stock_location_name_eq: 'Milan warehouse'}],
};

export const references = [
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

export const referenceOrigins = ['dashboard', 'erp-connector', 'zapier', 'backoffice', 'make.com', 'netsuite-sync'];

export const people = ['ops@acme.test', 'finance@acme.test', 'giulia@acme.test', 'marco.rossi@acme.test', 'dev@acme.test'];

export const errorLogs: Array<Record<string, unknown>> = [
	{RuntimeError: 'query timeout'},
	{'ActiveRecord::QueryCanceled': 'PG::QueryCanceled: ERROR:  canceling statement due to statement timeout'},
	{'Aws::S3::Errors::ServiceUnavailable': 'Please reduce your request rate.'},
	{NoMethodError: "undefined method `code' for nil:NilClass"},
	{'Timeout::Error': 'execution expired'},
	{'Redis::CannotConnectError': 'Error connecting to Redis on 10.0.3.21:6379 (Errno::ECONNREFUSED)', attempts: 3},
];

export const interruptLogs: Array<Record<string, unknown>> = [
	{Interrupted: 'Export interrupted by the user'},
	{Interrupted: 'Export interrupted: worker shutdown', 'Sidekiq::Shutdown': 'Sidekiq::Shutdown'},
	{Interrupted: 'Export interrupted by the user', requested_by: 'ops@acme.test'},
];
