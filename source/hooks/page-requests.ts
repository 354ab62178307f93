// Where the list request is sent from: every page the pager asks for (use-exports.ts), and the
// first page, asked for as soon as the connection exists. While the interactive view loads (Ink,
// React, the components) that request is already on its way, so the first frame can show the
// answer instead of "Loading". The pager adopts it when it mounts: the initial state takes the
// answer if it is in (firstPageAction), else use-exports.ts waits for it like any request it sent
// (adoptFirstPage: abort, retry notices).
import type {ExportsClient, RequestOptions, RetryNotice} from '../api/client.js';
import {isAbortError} from '../api/errors.js';
import type {ExportPage, Filters} from '../api/types.js';
import type {SortKey} from '../api/sort.js';
import {pageFailure} from '../state/failures.js';
import {firstQuery, listKey, listRequest, pageKey, parsePageKey} from '../state/list-key.js';
import type {Action, Query} from '../state/types.js';

/** The one call that asks the API for a page of a list. */
export async function sendPageRequest(client: ExportsClient, query: Query, page: number, signal: AbortSignal, options: RequestOptions): Promise<ExportPage> {
	return client.listExports(listRequest(query, page), signal, options);
}

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
	const promise = sendPageRequest(client, query, 1, controller.signal, {
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

/**
 * What the initial state takes from the first page when its answer is in before the first frame
 * (that frame then shows it, or the error: no "Loading"); undefined while it is on its way, or
 * when it is for another list. Not the reducer itself: this module is on the path that sends the
 * request before the view and the state's code are evaluated.
 */
export function firstPageAction(list: string, first: FirstPage | undefined): Action | undefined {
	const key = pageKey(list, 1);
	const outcome = first?.key === key ? first.outcome : undefined;
	if (outcome === undefined) {
		return undefined;
	}

	if (outcome.ok) {
		return {type: 'pageLoaded', key, page: outcome.page, at: outcome.at};
	}

	return isAbortError(outcome.error) ? undefined : {type: 'pageFailed', key, ...pageFailure(outcome.error)};
}

/**
 * The first page, when the pager first asks for pages: still wanted (its answer was not in for
 * the initial state), it is adopted as a request of the pager's own; for another list (the state
 * moved on), it is aborted. Not adopted when it was aborted already, or another request for its
 * page is on its way.
 */
export function adoptFirstPage(first: FirstPage, pager: {list: string; wanted: readonly string[]; sent: (key: string) => boolean}, adopt: (first: FirstPage) => void): void {
	if (!pager.wanted.includes(first.key)) {
		// Its answer is already in the state (firstPageAction), or it is for another list.
		if (parsePageKey(first.key).list !== pager.list) {
			first.controller.abort();
		}
	} else if (!first.controller.signal.aborted && !pager.sent(first.key)) {
		adopt(first);
	}
}
