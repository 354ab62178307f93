// The one hook that turns the reducer's query into requests. The reducer decides *whether* a
// fetch is needed (a query the page cache lacks, a reload: `fetchSeq` moves); this hook sends it,
// aborts the request a newer query supersedes, prefetches the next page once a page is on screen,
// debounces filter typing, and turns answers, failures and retry notices into actions. Answers
// carry the key of the query they answer, so the reducer drops late ones.
import {useEffect, useRef, type Dispatch} from 'react';
import type {ExportsClient, RetryNotice} from '../api/client.js';
import {ApiError, describeError, isAbortError} from '../api/errors.js';
import type {ListQuery} from '../api/types.js';
import {cacheHas} from './page-cache.js';
import {queryKey, toListQuery, type Action, type ErrorLine, type State} from './reducer.js';

export type UseExportsOptions = {
	client: ExportsClient;
	state: State;
	dispatch: Dispatch<Action>;
	/** Fetch the next page once a page is on screen (off only for the benchmark's comparison). */
	prefetch?: boolean;
	/** Quiet time after the last key before a typed filter is sent. */
	debounceMs?: number;
	/** A cached page older than this is shown at once and fetched again behind it. */
	staleMs?: number;
	/** The clock of refresh times and stale pages (tests move it). */
	now?: () => number;
};

type Flight = {controller: AbortController; kind: 'main' | 'prefetch'};

export const defaultDebounceMs = 200;
export const defaultStaleMs = 60_000;

export function useExports(options: UseExportsOptions): void {
	const {client, state, dispatch, prefetch = true, debounceMs = defaultDebounceMs, staleMs = defaultStaleMs} = options;
	const now = options.now ?? Date.now;
	const flights = useRef(new Map<string, Flight>());
	const lastFetchedKey = useRef<string | undefined>(undefined);

	function start(key: string, query: ListQuery, kind: Flight['kind']): Flight {
		const controller = new AbortController();
		const flight: Flight = {controller, kind};
		flights.current.set(key, flight);
		const onRetry = (notice: RetryNotice) => {
			dispatch({type: 'requestRetrying', key, error: retryLine(notice), rateLimited: notice.reason === 'rate_limited'});
		};

		client.listExports(query, controller.signal, {onRetry}).then(
			page => {
				if (!controller.signal.aborted) {
					dispatch({type: 'pageLoaded', key, page, at: now()});
				}
			},
			(error: unknown) => {
				if (!controller.signal.aborted && !isAbortError(error)) {
					dispatch({type: 'pageFailed', key, error: errorLine(error), rateLimited: isRateLimited(error)});
				}
			},
		).finally(() => {
			if (flights.current.get(key) === flight) {
				flights.current.delete(key);
			}
		});
		return flight;
	}

	function abort(key: string, flight: Flight): void {
		flight.controller.abort();
		if (flights.current.get(key) === flight) {
			flights.current.delete(key);
		}
	}

	// The current query, whenever the reducer asks for it. A new key or a new fetchSeq runs the
	// cleanup first, which aborts the request the new query supersedes.
	useEffect(() => {
		const {key} = state;
		const refetch = lastFetchedKey.current === key;
		lastFetchedKey.current = key;
		// A load shows "loading"; a refresh (watch, a stale page, after an action) keeps the rows as they are.
		if (state.loading !== key && state.refreshing !== key) {
			return;
		}

		let flight = flights.current.get(key);
		if (flight !== undefined && refetch) {
			// A reload wants an answer sent after it, not one already on its way.
			abort(key, flight);
			flight = undefined;
		}

		if (flight === undefined) {
			flight = start(key, toListQuery(state.query), 'main');
		} else {
			// The page being prefetched is now the one on screen: wait for it rather than ask twice.
			flight.kind = 'main';
		}

		const current = flight;
		return () => {
			if (current.kind === 'main') {
				abort(key, current);
			}
		};
		// eslint-disable-next-line react-hooks/exhaustive-deps
	}, [state.key, state.fetchSeq, client]);

	// The next page, once this one is on screen, so paging forward does not wait on the network.
	// Not while the prompt is open: the typed filter is likely to change again.
	const onScreen = state.rowsKey === state.key && state.loading === undefined;
	useEffect(() => {
		if (!prefetch || !onScreen || state.mode === 'filter' || state.error !== undefined) {
			return;
		}

		const next = state.query.page + 1;
		if (state.pageCount === undefined || next > state.pageCount) {
			return;
		}

		const nextKey = queryKey({...state.query, page: next});
		if (cacheHas(state.pages, nextKey) || flights.current.has(nextKey)) {
			return;
		}

		start(nextKey, toListQuery(state.query, next), 'prefetch');
		// eslint-disable-next-line react-hooks/exhaustive-deps
	}, [prefetch, onScreen, state.key, state.mode, state.pageCount, state.error, client]);

	// A page served from the cache that has grown old is fetched again behind the screen. Checked
	// once per query the screen moves to, so a page fetched just now is never fetched again.
	const checkedKey = useRef<string | undefined>(undefined);
	useEffect(() => {
		if (!onScreen || checkedKey.current === state.key) {
			return;
		}

		checkedKey.current = state.key;
		if (state.error === undefined && state.refreshedAt !== undefined && now() - state.refreshedAt > staleMs) {
			dispatch({type: 'refresh'});
		}
		// eslint-disable-next-line react-hooks/exhaustive-deps
	}, [onScreen, state.key]);

	// Filter typing: the draft is applied once the keys pause, and never when it does not parse.
	const draftOk = state.mode === 'filter' && state.filter.check.ok;
	useEffect(() => {
		if (!draftOk) {
			return;
		}

		const timer = setTimeout(() => {
			// The typing clock (the prompt stamps its edits with Date.now), not the data clock `now`.
			dispatch({type: 'filterApplied', at: Date.now(), quietMs: debounceMs});
		}, debounceMs);
		return () => {
			clearTimeout(timer);
		};
		// eslint-disable-next-line react-hooks/exhaustive-deps
	}, [draftOk, state.filter.draft, debounceMs, dispatch]);

	// Nothing outlives the screen.
	useEffect(() => {
		const current = flights.current;
		return () => {
			for (const flight of current.values()) {
				flight.controller.abort();
			}

			current.clear();
		};
	}, []);
}

/** The footer's line for a failure: the API's title and detail, or one line for anything else. */
export function errorLine(error: unknown): ErrorLine {
	if (error instanceof ApiError) {
		return error.detail === undefined ? {title: error.title} : {title: error.title, detail: error.detail};
	}

	return {title: describeError(error)};
}

/** A 429 that outlasted the retries. */
export function isRateLimited(error: unknown): boolean {
	return error instanceof ApiError && error.status === 429;
}

export function retryLine(notice: RetryNotice): ErrorLine {
	const retryInSeconds = Math.max(1, Math.ceil(notice.delayMs / 1000));
	if (notice.reason === 'rate_limited') {
		return {title: 'rate limited', retryInSeconds};
	}

	return {title: notice.message, retryInSeconds};
}
