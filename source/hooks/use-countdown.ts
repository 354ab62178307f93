// Whole seconds left until a time, redrawn only when the number changes: the header's "next
// request in 6 s" while the client's pacer holds the page the user asked for. The clock and the
// timer are injectable so tests can drive them (the same timers as watch mode).
import {useEffect, useState} from 'react';
import {systemTimers, type WatchTimers} from './use-watch.js';

/** Seconds left (at least 1) until `until`, or undefined once it has passed or when there is none. */
export function secondsLeft(until: number | undefined, now: number): number | undefined {
	if (until === undefined || until <= now) {
		return undefined;
	}

	return Math.ceil((until - now) / 1000);
}

export function useCountdown(until: number | undefined, now: () => number = Date.now, timers: WatchTimers = systemTimers): number | undefined {
	const [left, setLeft] = useState(() => secondsLeft(until, now()));
	useEffect(() => {
		setLeft(secondsLeft(until, now()));
		if (until === undefined) {
			return;
		}

		// A few times a second, so the number changes close to when it should; React skips the
		// redraws where it did not.
		const handle = timers.setInterval(() => {
			setLeft(secondsLeft(until, now()));
		}, 250);
		return () => {
			timers.clearInterval(handle);
		};
	}, [until, now, timers]);
	return until === undefined ? undefined : left;
}
