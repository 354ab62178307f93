// Client-side pacing for the exports read class (commercelayer.md §8): sliding windows, counted
// per process, so that paging fast or walking --all stays under the server's limits instead of
// collecting 429s.
import {raceAbort, sleep as defaultSleep} from './http.js';
import {abortError} from './errors.js';

export type RateWindow = {limit: number; windowMs: number};

export type RateMode = 'test' | 'live';

/** Test organizations: 25 per 10 s burst, 100 per minute average. */
export const testWindows: readonly RateWindow[] = [
	{limit: 25, windowMs: 10_000},
	{limit: 100, windowMs: 60_000},
];

/** Live organizations: 50 per 10 s burst, 200 per minute average. */
export const liveWindows: readonly RateWindow[] = [
	{limit: 50, windowMs: 10_000},
	{limit: 200, windowMs: 60_000},
];

export interface RateLimiter {
	/** Resolves when a request may be sent (and counts it); rejects with the abort error on abort. */
	acquire(signal?: AbortSignal): Promise<void>;
	setMode(mode: RateMode): void;
	readonly mode: RateMode;
}

export type RateLimiterOptions = {
	/** The windows in test mode (default testWindows). */
	windows?: readonly RateWindow[];
	/** The windows in live mode (default liveWindows). */
	liveWindows?: readonly RateWindow[];
	mode?: RateMode;
	now?: () => number;
	sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
};

export function createRateLimiter(options: RateLimiterOptions = {}): RateLimiter {
	const now = options.now ?? Date.now;
	const sleep = options.sleep ?? defaultSleep;
	const windowsByMode: Record<RateMode, readonly RateWindow[]> = {
		test: options.windows ?? testWindows,
		live: options.liveWindows ?? liveWindows,
	};
	let mode: RateMode = options.mode ?? 'test';
	// Times at which requests were let through, oldest first.
	let granted: number[] = [];
	// Waiters take turns in arrival order.
	let queue: Promise<void> = Promise.resolve();

	/** 0 when a request may go now, else how long until the fullest window frees a slot. */
	function waitNeeded(at: number): number {
		const windows = windowsByMode[mode];
		const longest = Math.max(0, ...windows.map(window => window.windowMs));
		granted = granted.filter(time => time > at - longest);
		let wait = 0;
		for (const {limit, windowMs} of windows) {
			const inWindow = granted.filter(time => time > at - windowMs);
			if (inWindow.length >= limit) {
				// The slot frees when the request `limit` places back leaves the window.
				const blocking = inWindow[inWindow.length - limit] ?? at;
				wait = Math.max(wait, blocking + windowMs - at);
			}
		}

		return wait;
	}

	async function takeSlot(signal?: AbortSignal): Promise<void> {
		for (;;) {
			if (signal?.aborted) {
				throw abortError(signal);
			}

			const at = now();
			const wait = waitNeeded(at);
			if (wait <= 0) {
				granted.push(at);
				return;
			}

			await sleep(wait, signal);
		}
	}

	return {
		async acquire(signal?: AbortSignal) {
			const turn = queue.then(async () => takeSlot(signal));
			queue = turn.catch(() => undefined);
			return raceAbort(turn, signal);
		},
		setMode(next: RateMode) {
			mode = next;
		},
		get mode() {
			return mode;
		},
	};
}
