// The one hook that turns the list into requests. The reducer decides *what* the screen needs
// (the visible pages the cache lacks, a page to refresh, a reload: `fetchSeq` moves); this hook
// sends it, aborts what a newer list supersedes, prefetches the page ahead of the direction of
// travel once the screen has what it needs, debounces filter typing, and turns answers, failures
// and retry notices into actions. Answers carry the key of the page they answer, so the reducer
// files late ones in the cache and shows only the current list's.
import {useEffect, useRef, type Dispatch} from 'react';
import type {ExportsClient, RetryNotice} from '../api/client.js';
import {isAbortError} from '../api/errors.js';
import type {ExportPage} from '../api/types.js';
import {noticeBackOff, pageFailure, retryLine} from '../state/failures.js';
import {pageOf} from '../state/list.js';
import {pageKey, parsePageKey} from '../state/list-key.js';
import {cacheGet, cacheHas} from '../state/page-cache.js';
import {missingPages, visiblePages} from '../state/selectors.js';
import type {Action, State} from '../state/types.js';
import {adoptFirstPage, sendPageRequest, type FirstPage} from './page-requests.js';

export type UseExportsOptions = {
	client: ExportsClient;
	state: State;
	dispatch: Dispatch<Action>;
	/** Fetch the page ahead once the screen has what it needs (off only for the benchmark's comparison). */
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
 * `seq`: the state's fetchSeq when it was sent (a reload wants answers sent after it).
 */
type Flight = {controller: AbortController; kind: 'main' | 'prefetch'; seq: number; answered?: number; held?: boolean};

export const defaultDebounceMs = 200;
export const defaultStaleMs = 60_000;

export function useExports(options: UseExportsOptions): void {
	const {client, state, dispatch, prefetch = true, debounceMs = defaultDebounceMs, staleMs = defaultStaleMs} = options;
	const now = options.now ?? Date.now;
	const flights = useRef(new Map<string, Flight>());
	const answers = useRef(0);
	const first = useRef(options.first);

	function track(key: string, kind: Flight['kind'], controller: AbortController, request: Promise<ExportPage>): Flight {
		const flight: Flight = {controller, kind, seq: state.fetchSeq};
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
					dispatch({type: 'pageFailed', key, ...pageFailure(error)});
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
	function start(key: string, kind: Flight['kind'], background = kind === 'prefetch'): Flight {
		const controller = new AbortController();
		let flight: Flight | undefined;
		const onHeld = (until: number | undefined) => {
			if (flight !== undefined && !controller.signal.aborted) {
				flight.held = until !== undefined;
				dispatch({type: 'requestHeld', key, until});
			}
		};

		const request = sendPageRequest(client, state.query, parsePageKey(key).page, controller.signal, {
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

	// What the screen needs, whenever that changes: the visible pages the cache lacks, and a page
	// to refresh behind the rows. Requests for another list are aborted: it is not on screen.
	const wanted = missingPages(state).map(page => pageKey(state.key, page));
	if (state.refreshing !== undefined && !wanted.includes(state.refreshing)) {
		wanted.push(state.refreshing);
	}

	const wantedKey = wanted.join(' ');
	useEffect(() => {
		const {key} = state;
		for (const [flightKey, flight] of flights.current) {
			if (parsePageKey(flightKey).list !== key && flight.answered === undefined) {
				abort(flightKey, flight);
			}
		}

		// The first page may have been asked for before the pager mounted (interactive.ts): adopt it.
		const early = first.current;
		first.current = undefined;
		if (early !== undefined) {
			adoptFirstPage(early, {list: key, wanted, sent: flightKey => flights.current.has(flightKey)}, adopted => {
				adopted.listen(onRetryFor(adopted.key));
				track(adopted.key, 'main', adopted.controller, adopted.promise);
			});
		}

		for (const pageWanted of wanted) {
			let flight = pending(pageWanted);
			if (flight !== undefined && flight.answered === undefined && flight.seq < state.fetchSeq) {
				// A reload or a refresh wants an answer sent after it, not one already on its way.
				abort(pageWanted, flight);
				flight = undefined;
			}

			if (flight === undefined) {
				start(pageWanted, 'main', pageWanted === state.refreshing);
			} else if (flight.answered === undefined) {
				// The page being prefetched is now needed: wait for it rather than ask twice.
				flight.kind = 'main';
			}
		}
		// eslint-disable-next-line react-hooks/exhaustive-deps
	}, [state.key, wantedKey, state.fetchSeq, client]);

	// Answered flights leave once the reducer has their answer.
	useEffect(() => {
		for (const [key, flight] of flights.current) {
			if (flight.answered !== undefined && flight.answered <= state.answered) {
				flights.current.delete(key);
			}
		}
	}, [state.answered]);

	// The page ahead of the direction of travel, once the screen has what it needs, so moving on
	// does not wait on the network. Not while the prompt is open: the typed filter is likely to
	// change again.
	const onScreen = state.total !== undefined && wanted.length === 0;
	const size = state.query.size;
	// The page one screenful beyond the window: PgDn (or PgUp) from here finds its rows in.
	const last = Math.max(0, (state.total ?? 0) - 1);
	const edge = state.direction > 0 ? pageOf(Math.min(last, state.top + 2 * state.viewport - 1), size) : pageOf(Math.max(0, state.top - state.viewport), size);
	useEffect(() => {
		if (!prefetch || !onScreen || state.mode === 'filter' || state.error !== undefined || state.total === undefined) {
			return;
		}

		const ahead = pageKey(state.key, edge);
		if (cacheHas(state.pages, ahead) || state.failed.has(ahead) || pending(ahead) !== undefined) {
			return;
		}

		start(ahead, 'prefetch');
		// eslint-disable-next-line react-hooks/exhaustive-deps
	}, [prefetch, onScreen, state.key, edge, state.mode, state.total, state.error, client]);

	// A visible page served from the cache that has grown old is fetched again behind the screen.
	// Checked once per page each time it comes into view, so a page fetched just now is never
	// fetched again.
	const inView = onScreen ? visiblePages(state).map(page => pageKey(state.key, page)) : [];
	const inViewKey = inView.join(' ');
	const checked = useRef(new Set<string>());
	useEffect(() => {
		const seen = new Set(inView);
		for (const key of checked.current) {
			if (!seen.has(key)) {
				checked.current.delete(key);
			}
		}

		for (const key of inView) {
			if (checked.current.has(key)) {
				continue;
			}

			checked.current.add(key);
			const at = cacheGet(state.pages, key)?.at;
			if (state.error === undefined && state.refreshing === undefined && at !== undefined && now() - at > staleMs) {
				dispatch({type: 'refresh', page: parsePageKey(key).page});
				return;
			}
		}
		// eslint-disable-next-line react-hooks/exhaustive-deps
	}, [inViewKey]);

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
