// What the benchmark knows about the demo organization (every export id, page by page, in the
// app's default order) and how it reads the app's screen against it.
import type {DemoRequest, DemoServer} from '../source/demo/server.js';

export type Catalog = {
	pages: string[][];
	/** Page number (1-based) of every export id. */
	pageOf: Map<string, number>;
};

type ListBody = {data?: Array<{id?: unknown}>; meta?: {page_count?: unknown}};

/** Asks the demo API for every page in the default order (-created_at), as the app will see it. */
export async function fetchCatalog(server: DemoServer, pageSize = 25): Promise<Catalog> {
	const pages: string[][] = [];
	const pageOf = new Map<string, number>();
	for (let page = 1; ; page++) {
		const search = new URLSearchParams({sort: '-created_at', 'page[number]': String(page), 'page[size]': String(pageSize)});
		const response = await fetch(`${server.url}/api/exports?${search.toString()}`, {
			headers: {authorization: `Bearer ${server.token}`, accept: 'application/vnd.api+json'},
		});
		if (!response.ok) {
			throw new Error(`the demo API answered ${response.status} to page ${page}`);
		}

		const body = (await response.json()) as ListBody;
		const ids = (body.data ?? []).map(item => String(item.id));
		if (ids.length === 0) {
			break;
		}

		pages.push(ids);
		for (const id of ids) {
			pageOf.set(id, page);
		}

		if (typeof body.meta?.page_count === 'number' && page >= body.meta.page_count) {
			break;
		}
	}

	return {pages, pageOf};
}

const idPattern = /[A-Za-z0-9]{6,}/g;

function idsIn(line: string, catalog: Catalog): string[] {
	return (line.match(idPattern) ?? []).filter(token => catalog.pageOf.has(token));
}

/** Export ids in the table's rows, top to bottom. */
export function tableIds(lines: string[], catalog: Catalog): string[] {
	return lines.filter(line => line.startsWith('│')).flatMap(line => idsIn(line, catalog));
}

/** The id on the selected row (drawn `│>`). */
export function selectedId(lines: string[], catalog: Catalog): string | undefined {
	const line = lines.find(text => text.startsWith('│>'));
	return line === undefined ? undefined : idsIn(line, catalog)[0];
}

export function isSelected(id: string, catalog: Catalog): (lines: string[]) => boolean {
	return lines => selectedId(lines, catalog) === id;
}

/** Rows of the table at 80x24 (the terminal the benchmark runs in). */
export const screenRows = 14;

/** Every export id, in the app's default order. */
export function allIds(catalog: Catalog): string[] {
	return catalog.pages.flat();
}

/** The list position of the first row of screenful `screen` (1-based) after `screen - 1` PgDn from the top. */
export function screenTop(screen: number, catalog: Catalog, rows = screenRows): number {
	const total = allIds(catalog).length;
	return Math.max(0, Math.min((screen - 1) * rows, total - rows));
}

/** The API pages screenful `screen` shows rows of. */
export function screenPages(screen: number, catalog: Catalog, rows = screenRows, pageSize = 25): number[] {
	const top = screenTop(screen, catalog, rows);
	const last = Math.min(allIds(catalog).length, top + rows) - 1;
	const pages: number[] = [];
	for (let page = Math.floor(top / pageSize) + 1; page <= Math.floor(last / pageSize) + 1; page++) {
		pages.push(page);
	}

	return pages;
}

/**
 * Screenful `screen` is on screen: the table's border says where it is in the list, every row is
 * the export at its position, and the selection is one of them.
 */
export function showsScreen(screen: number, catalog: Catalog, rows = screenRows): (lines: string[]) => boolean {
	const ids = allIds(catalog);
	const top = screenTop(screen, catalog, rows);
	const expected = ids.slice(top, top + rows);
	const label = ` ${(top + 1).toLocaleString('en-US')}-${(top + expected.length).toLocaleString('en-US')} of `;
	return lines => {
		if (!lines.some(line => line.includes(label))) {
			return false;
		}

		const shown = tableIds(lines, catalog);
		const selected = selectedId(lines, catalog);
		return shown.length === expected.length && shown.every((id, index) => id === expected[index]) && selected !== undefined && expected.includes(selected);
	};
}

/** The first rows are on screen (after start-up, or a reload). */
export function showsPage(page: 1, catalog: Catalog): (lines: string[]) => boolean {
	return showsScreen(page, catalog);
}

/** A list request (GET /api/exports), as opposed to one export, a count or a token. */
export function isListRequest(request: DemoRequest): boolean {
	return request.method === 'GET' && request.path === '/api/exports';
}

/** A list request whose page size is 1: a count (the header's status overview). */
export function isCountRequest(request: DemoRequest): boolean {
	return isListRequest(request) && request.query['page[size]'] === '1';
}

export function describeRequest(request: DemoRequest): string {
	const filters = Object.entries(request.query)
		.filter(([name]) => name.startsWith('filter'))
		.map(([name, value]) => `${name.replace(/^filter\[q\]\[(.*)\]$/, '$1')}=${value}`);
	return `page ${request.query['page[number]'] ?? '?'}${filters.length > 0 ? ` ${filters.join(' ')}` : ''}`;
}
