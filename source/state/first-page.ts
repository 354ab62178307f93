// The first page, asked for as soon as the connection exists: while the interactive view loads
// (Ink, React, the components), the request is already on its way, and the first frame can show
// the answer instead of "Loading". The pager adopts the request as its own when it mounts: it
// takes the answer if it is in, or waits for it like any request it sent (abort, retry notices).
import type {ExportsClient, RetryNotice} from '../api/client.js';
import type {ExportPage, Filters} from '../api/types.js';
import type {SortKey} from '../api/sort.js';
import {firstQuery, listKey, pageKey, toListQuery} from './list-key.js';

export type FirstPageOutcome = {ok: true; page: ExportPage; at: number} | {ok: false; error: unknown};

export type FirstPage = {
	/** The page key the answer is for (page 1 of the first list). */
	readonly key: string;
	readonly controller: AbortController;
	readonly promise: Promise<ExportPage>;
	/** Set as soon as the request settles. */
	readonly outcome: FirstPageOutcome | undefined;
	/** Retry notices from now on (and the last one so far) go to `onRetry`. */
	listen(onRetry: (notice: RetryNotice) => void): void;
};

export type FirstPageOptions = {pageSize: number; sort: SortKey[]; filterText?: string; filters?: Filters};

export function requestFirstPage(client: ExportsClient, options: FirstPageOptions, now: () => number = Date.now): FirstPage {
	const query = firstQuery(options);
	const controller = new AbortController();
	let outcome: FirstPageOutcome | undefined;
	let last: RetryNotice | undefined;
	let listener: ((notice: RetryNotice) => void) | undefined;
	const promise = client.listExports(toListQuery(query, 1), controller.signal, {
		onRetry(notice) {
			last = notice;
			listener?.(notice);
		},
	});
	promise.then(
		page => {
			outcome = {ok: true, page, at: now()};
		},
		(error: unknown) => {
			outcome = {ok: false, error};
		},
	);
	return {
		key: pageKey(listKey(query), 1),
		controller,
		promise,
		get outcome() {
			return outcome;
		},
		listen(onRetry) {
			listener = onRetry;
			if (last !== undefined && outcome === undefined) {
				onRetry(last);
			}
		},
	};
}
