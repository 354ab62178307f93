// The status overview's requests: one count per status (`page[size]=1`, `meta.record_count`),
// whenever the reducer asks (`overview.seq`: the first frame, a filter kept, `r`, an action, every
// n-th watch refresh; never a page change, which does not change the counts). A newer question
// aborts the older one; answers carry the key and number of the question they answer.
//
// The counts follow the page, never go beside it: once the page has been answered they go, and
// when the page fails they are dropped (aborted, or not sent) until a page is answered again. A
// failing API is then asked once per reload, not six times; and the counts are never retried (a
// count that fails drops the others too): they are asked for again soon enough.
import {useEffect, useRef, type Dispatch} from 'react';
import type {ExportsClient} from '../api/client.js';
import {isAbortError} from '../api/errors.js';
import {statuses} from '../api/types.js';
import {backOffReason, errorText, isRateLimited} from '../state/failures.js';
import {countFilters} from '../state/overview.js';
import {isLoading} from '../state/selectors.js';
import type {Action, State, StatusCounts} from '../state/types.js';

export type UseOverviewOptions = {
	client: ExportsClient;
	state: State;
	dispatch: Dispatch<Action>;
};

type Asking = {key: string; seq: number; controller: AbortController};

export function useOverview({client, state, dispatch}: UseOverviewOptions): void {
	const {key, seq, pending, filters} = state.overview;
	// The rows on screen are the current list's answer, and nothing is on its way for them.
	const pageAnswered = state.total !== undefined && !isLoading(state) && state.refreshing === undefined && state.error === undefined;
	// The page failed (or is being retried after a failure).
	const pageFailed = state.error !== undefined;
	const asking = useRef<Asking | undefined>(undefined);

	useEffect(() => {
		if (pageFailed) {
			asking.current?.controller.abort();
			asking.current = undefined;
		}
	}, [pageFailed]);

	useEffect(() => {
		const current = asking.current;
		if (current !== undefined && (current.key !== key || current.seq !== seq)) {
			current.controller.abort();
			asking.current = undefined;
		}

		if (!pending || !pageAnswered || asking.current !== undefined) {
			return;
		}

		const controller = new AbortController();
		const mine: Asking = {key, seq, controller};
		asking.current = mine;
		const {signal} = controller;
		const done = () => {
			if (asking.current === mine) {
				asking.current = undefined;
			}
		};

		Promise.all(statuses.map(async status => client.countExports(countFilters(filters, status), signal))).then(
			values => {
				done();
				if (!signal.aborted) {
					const counts = Object.fromEntries(statuses.map((status, index) => [status, values[index] ?? 0])) as StatusCounts;
					dispatch({type: 'overviewLoaded', key, seq, counts});
				}
			},
			(error: unknown) => {
				done();
				if (!signal.aborted && !isAbortError(error)) {
					// The other counts would be thrown away: do not spend the rate limit on them.
					controller.abort();
					dispatch({type: 'overviewFailed', key, seq, error: errorText(error), rateLimited: isRateLimited(error), backOff: backOffReason(error)});
				}
			},
		);
		// `filters` belongs to `key`.
		// eslint-disable-next-line react-hooks/exhaustive-deps
	}, [key, seq, pending, pageAnswered, client]);

	// Nothing outlives the screen.
	useEffect(
		() => () => {
			asking.current?.controller.abort();
		},
		[],
	);
}
