// Shared by the ui-*.test.tsx files: export records like the API's, and frame helpers.
import stripAnsi from 'strip-ansi';
import stringWidth from 'string-width';
import type {ExportAttributes, ExportRecord} from '../../source/api/types.js';

export function exportRecord(id: string, attributes: ExportAttributes = {}, extra: Partial<ExportRecord> = {}): ExportRecord {
	return {
		id,
		type: 'exports',
		attributes: {
			resource_type: 'orders',
			format: 'csv',
			status: 'completed',
			records_count: 1234,
			created_at: '2024-11-28T10:00:00.000Z',
			reference: `ref-${id}`,
			...attributes,
		},
		...extra,
	};
}

const statuses = ['pending', 'in_progress', 'interrupted', 'failed', 'completed'];
const types = ['orders', 'customer_addresses', 'skus', 'prices', 'sku_list_items'];
const references = [
	'summer-sale-2024',
	'注文のエクスポート月次',
	'weekly 👍 backup',
	'family 👨‍👩‍👧 export',
	'flags 🇮🇹🇯🇵 report',
	'cafe\u0301 crème brûlée',
	'nightly',
];

/** `count` varied exports: every status, CJK and emoji references, counts up to millions. */
export function exportRows(count: number): ExportRecord[] {
	return Array.from({length: count}, (_, index) =>
		exportRecord(`Exp${String(index).padStart(7, '0')}`, {
			status: statuses[index % statuses.length],
			resource_type: types[index % types.length],
			format: index % 2 === 0 ? 'csv' : 'json',
			records_count: index * 98_765,
			created_at: new Date(Date.parse('2024-11-28T10:00:00Z') - index * 7 * 3_600_000).toISOString(),
			reference: references[index % references.length],
		}));
}

export function plain(frame: string | undefined): string {
	return stripAnsi(frame ?? '');
}

export function lines(frame: string | undefined): string[] {
	return plain(frame).split('\n');
}

export function widths(frame: string | undefined): number[] {
	return lines(frame).map(line => stringWidth(line));
}

/** Waits until `check` passes (polling; never a fixed sleep). */
export async function waitFor(check: () => void, timeoutMs = 3000): Promise<void> {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		try {
			check();
			return;
		} catch (error) {
			if (Date.now() > deadline) {
				throw error;
			}

			await new Promise(resolve => setTimeout(resolve, 5));
		}
	}
}
