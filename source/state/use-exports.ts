// The one hook that turns the reducer's query into requests. The reducer decides *whether* a
// fetch is needed (a query the page cache lacks, a reload: `fetchSeq` moves); this hook sends it,
// aborts the request a newer query supersedes, prefetches the next page once a page is on screen,
// debounces filter typing, and turns answers, failures and retry notices into actions. Answers
// carry the key of the query they answer, so the reducer drops late ones.
import {useEffect, useRef, type Dispatch} from 'react';
import type {ExportsClient, RetryNotice} from '../api/client.js';
import {ApiError, describeError, isAbortError} from '../api/errors.js';
import type {ExportPage, ListQuery} from '../api/types.js';
import type {FirstPage} from './first-page.js';
import {cacheHas} from './page-cache.js';
import {queryKey, toListQuery, type Action, type ErrorLine, type State} from './reducer.js';
import {backOffReason, noticeBackOff} from './watch-budget.js';

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
	/** The first page's request, sent before the pager mounted (its answer may be in the state already). */
	first?: FirstPage;
};

/**
 * A request on its way, or answered: `answered` is the number of its `pageLoaded` action. An
 * answered flight stays here until the reducer has taken the answer (`state.answered` reaches
 * it): until then an effect that runs with an older state must not ask for the page again.
 */
type Flight = {controller: AbortController; kind: 'main' | 'prefetch'; answered?: number; held?: boolean};

export const defaultDebounceMs = 200;
export const defaultStaleMs = 60_000;

export function useExports(options: UseExportsOptions): void {
	const {client, state, dispatch, prefetch = true, debounceMs = defaultDebounceMs, staleMs = defaultStaleMs} = options;
	const now = options.now ?? Date.now;
	const flights = useRef(new Map<string, Flight>());
	const lastFetchedKey = useRef<string | undefined>(undefined);
	const answers = useRef(0);
	const first = useRef(options.first);

	function track(key: string, kind: Flight['kind'], controller: AbortController, request: Promise<ExportPage>): Flight {
		const flight: Flight = {controller, kind};
		flights.current.set(key, flight);
		request.then(
			page => {
				if (!controller.signal.aborted) {
					answers.current++;
					flight.answered = answers.current;
					dispatch({type: 'pageLoaded', key, page, at: now(), seq: flight.answered});
				}
			},
			(error: unknown) => {
				if (!controller.signal.aborted && !isAbortError(error)) {
					dispatch({type: 'pageFailed', key, error: errorLine(error), rateLimited: isRateLimited(error), backOff: backOffReason(error)});
				}
			},
		).finally(() => {
			if (flight.answered === undefined && flights.current.get(key) === flight) {
				flights.current.delete(key);
			}
		});
		return flight;
	}

	function onRetryFor(key: string): (notice: RetryNotice) => void {
		return notice => {
			dispatch({type: 'requestRetrying', key, error: retryLine(notice), rateLimited: notice.reason === 'rate_limited', backOff: noticeBackOff(notice)});
		};
	}

	/**
	 * `background`: a prefetch, or a refresh behind the rows (watch, a stale page): not retried (it
	 * is asked for again anyway), and kept to its part of the rate limit. What the user asked for is
	 * retried, and when the pacer holds it the header counts down.
	 */
	function start(key: string, query: ListQuery, kind: Flight['kind'], background = kind === 'prefetch'): Flight {
		const controller = new AbortController();
		let flight: Flight | undefined;
		const onHeld = (until: number | undefined) => {
			if (flight !== undefined && !controller.signal.aborted) {
				flight.held = until !== undefined;
				dispatch({type: 'requestHeld', key, until});
			}
		};

		const request = client.listExports(query, controller.signal, {
			onRetry: onRetryFor(key),
			...(background ? {retry: false, background: true} : {onHeld}),
		});
		flight = track(key, kind, controller, request);
		return flight;
	}

	function abort(key: string, flight: Flight): void {
		if (flight.held) {
			dispatch({type: 'requestHeld', key, until: undefined});
		}

		flight.controller.abort();
		if (flights.current.get(key) === flight) {
			flights.current.delete(key);
		}
	}

	/** The flight for `key` unless its answer is already in `state` (it is in the cache, or was, and is gone). */
	function pending(key: string): Flight | undefined {
		const flight = flights.current.get(key);
		if (flight?.answered !== undefined && flight.answered <= state.answered) {
			flights.current.delete(key);
			return undefined;
		}

		return flight;
	}

	// The current query, whenever the reducer asks for it. A new key or a new fetchSeq runs the
	// cleanup first, which aborts the request the new query supersedes.
	useEffect(() => {
		const {key} = state;
		const refetch = lastFetchedKey.current === key;
		lastFetchedKey.current = key;
		// The first page may have been asked for before the pager mounted (cli.tsx): adopt it.
		const early = first.current;
		first.current = undefined;
		if (early !== undefined && (early.key !== key || state.loading !== key)) {
			// Its answer is already in the state (App's init), or it is for another query.
			if (early.key !== key) {
				early.controller.abort();
			}
		} else if (early !== undefined && !early.controller.signal.aborted && !flights.current.has(key)) {
			early.listen(onRetryFor(key));
			track(key, 'main', early.controller, early.promise);
		}

		// A load shows "loading"; a refresh (watch, a stale page, after an action) keeps the rows as they are.
		if (state.loading !== key && state.refreshing !== key) {
			return;
		}

		let flight = pending(key);
		if (flight !== undefined && refetch) {
			// A reload wants an answer sent after it, not one already on its way.
			abort(key, flight);
			flight = undefined;
		}

		if (flight === undefined) {
			flight = start(key, toListQuery(state.query), 'main', state.refreshing === key);
		} else if (flight.answered !== undefined) {
			// Answered after this state was made (a prefetch that landed during the key press):
			// the reducer is about to show it.
			return;
		} else {
			// The page being prefetched is now the one on screen: wait for it rather than ask twice.
			flight.kind = 'main';
		}

		const current = flight;
		return () => {
			if (current.kind === 'main' && current.answered === undefined) {
				abort(key, current);
			}
		};
		// eslint-disable-next-line react-hooks/exhaustive-deps
	}, [state.key, state.fetchSeq, client]);

	// Answered flights leave once the reducer has their answer.
	useEffect(() => {
		for (const [key, flight] of flights.current) {
			if (flight.answered !== undefined && flight.answered <= state.answered) {
				flights.current.delete(key);
			}
		}
	}, [state.answered]);

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
		if (cacheHas(state.pages, nextKey) || pending(nextKey) !== undefined) {
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

/** `server error 503` with the wait beside it (the footer adds `· retrying in 2 s`, once). */
export function retryLine(notice: RetryNotice): ErrorLine {
	const retryInSeconds = Math.max(1, Math.ceil(notice.delayMs / 1000));
	return {title: notice.cause, retryInSeconds};
}
