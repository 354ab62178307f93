// The status overview's requests: one count per status (`page[size]=1`, `meta.record_count`),
// whenever the reducer asks (`overview.seq`: the first frame, a filter kept, `r`, an action, every
// n-th watch refresh; never a page change, which does not change the counts). A newer question
// aborts the older one; answers carry the key and number of the question they answer.
import {useEffect, useRef, type Dispatch} from 'react';
import type {ExportsClient, RetryNotice} from '../api/client.js';
import {isAbortError} from '../api/errors.js';
import {statuses} from '../api/types.js';
import {countFilters, type StatusCounts} from './overview.js';
import type {Action, State} from './reducer.js';
import {errorLine, isRateLimited} from './use-exports.js';

export type UseOverviewOptions = {
	client: ExportsClient;
	state: State;
	dispatch: Dispatch<Action>;
};

export function useOverview({client, state, dispatch}: UseOverviewOptions): void {
	const {key, seq, pending, filters} = state.overview;
	// Not before the first page is on screen (or has failed): the counts must not slow it down.
	// (Once: a later filter's first page does not hold them up, nor ask for them again.)
	const startedOnce = useRef(false);
	startedOnce.current ||= state.total !== undefined || state.error !== undefined;
	const started = startedOnce.current;
	useEffect(() => {
		if (!pending || !started) {
			return;
		}

		const controller = new AbortController();
		const {signal} = controller;
		const onRetry = (notice: RetryNotice) => {
			if (notice.reason === 'rate_limited' && !signal.aborted) {
				dispatch({type: 'rateLimited'});
			}
		};

		Promise.all(statuses.map(async status => client.countExports(countFilters(filters, status), signal, {onRetry}))).then(
			values => {
				if (!signal.aborted) {
					const counts = Object.fromEntries(statuses.map((status, index) => [status, values[index] ?? 0])) as StatusCounts;
					dispatch({type: 'overviewLoaded', key, seq, counts});
				}
			},
			(error: unknown) => {
				if (!signal.aborted && !isAbortError(error)) {
					const line = errorLine(error);
					const text = line.detail === undefined ? line.title : `${line.title}: ${line.detail}`;
					dispatch({type: 'overviewFailed', key, seq, error: text, rateLimited: isRateLimited(error)});
				}
			},
		);
		return () => {
			controller.abort();
		};
		// `filters` belongs to `key`.
		// eslint-disable-next-line react-hooks/exhaustive-deps
	}, [key, seq, started, client]);
}
