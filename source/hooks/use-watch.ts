// Watch mode's clock: while watch is on and not paused (filter prompt, y/N question), a tick every
// period (longer after 429s, 5xx and network errors). The reducer decides what a tick does
// (refresh the page, every n-th time the overview too, or nothing while the previous refresh is
// still on its way), so ticks never pile requests up. The timer functions are injectable so tests
// can drive the clock.
import {useEffect, type Dispatch} from 'react';
import {watchPaused, watchPeriodMs} from '../state/selectors.js';
import type {Action, State} from '../state/types.js';

export type WatchTimers = {
	setInterval(callback: () => void, ms: number): unknown;
	clearInterval(handle: unknown): void;
};

export const systemTimers: WatchTimers = {
	setInterval(callback, ms) {
		return setInterval(callback, ms);
	},
	clearInterval(handle) {
		clearInterval(handle as NodeJS.Timeout);
	},
};

export type UseWatchOptions = {
	state: State;
	dispatch: Dispatch<Action>;
	timers?: WatchTimers;
};

export function useWatch({state, dispatch, timers = systemTimers}: UseWatchOptions): void {
	const running = state.watch.on && !watchPaused(state);
	const period = watchPeriodMs(state);
	useEffect(() => {
		if (!running) {
			return;
		}

		const handle = timers.setInterval(() => {
			dispatch({type: 'watchTick'});
		}, period);
		return () => {
			timers.clearInterval(handle);
		};
	}, [running, period, timers, dispatch]);
}
