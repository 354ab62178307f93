// Client-side pacing for a rate-limit class (docs/commerce-layer-api.md, Rate limits): the exports
// reads, and the writes, which have a pacer of their own with the same numbers. Sliding windows,
// counted per process, so that paging fast, walking --all or a bulk action stays under the
// server's limits instead of collecting 429s.
//
// The server counts a request when it arrives, which is some time after the pacer let it go (the
// connection, the network) and before its answer comes back. So a request stays in the pacer's
// windows from the moment it is let go until its answer is in plus the window: whatever the delays,
// the server never sees more in a window than the pacer allowed.
//
// Background work (watch refreshes, status counts, prefetches, retries) may only fill `share` of
// each window, so that a key the user presses always finds room, even after a storm of failures.
import {sleep as defaultSleep} from './http.js';
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

/** The part of each window background requests may fill (watch mode promises to stay within it). */
export const backgroundShare = 0.6;

export type AcquireOptions = {
	/** The part (0..1] of each window this request may fill: 1 for what the user asked for. */
	share?: number;
	/** Told when the request has to wait (with the time it expects to go), and `undefined` once it goes. */
	onWait?: (until: number | undefined) => void;
};

/** Called once the answer (or the failure) is in. */
export type Release = () => void;

export interface RateLimiter {
	/** Resolves when a request may be sent (and counts it); rejects with the abort error on abort. */
	acquire(signal?: AbortSignal, options?: AcquireOptions): Promise<Release>;
	/** Lets nothing through for `ms` (the server answered 429 with Retry-After). */
	pauseFor(ms: number): void;
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
	/** A request never released is counted as answered this long after it went (default 60 s). */
	maxInFlightMs?: number;
};

/** A request let through: when it went, and when its answer came (undefined while on its way). */
type Slot = {start: number; end?: number};

type Waiter = {share: number; wake?: () => void};

export function createRateLimiter(options: RateLimiterOptions = {}): RateLimiter {
	const now = options.now ?? Date.now;
	const sleep = options.sleep ?? defaultSleep;
	const maxInFlightMs = options.maxInFlightMs ?? 60_000;
	const windowsByMode: Record<RateMode, readonly RateWindow[]> = {
		test: options.windows ?? testWindows,
		live: options.liveWindows ?? liveWindows,
	};
	let mode: RateMode = options.mode ?? 'test';
	let slots: Slot[] = [];
	let pausedUntil = Number.NEGATIVE_INFINITY;
	// Waiters in arrival order: one goes before those behind it that may fill no more than it may.
	const waiters: Waiter[] = [];

	/** When the server may last have counted the slot: its answer, or now while it is on its way. */
	function lastSeen(slot: Slot, at: number): number {
		return slot.end ?? Math.min(at, slot.start + maxInFlightMs);
	}

	/** 0 when a request filling up to `share` may go at `at`, else how long until one may. */
	function waitNeeded(at: number, share: number): number {
		const windows = windowsByMode[mode];
		const longest = Math.max(0, ...windows.map(window => window.windowMs));
		slots = slots.filter(slot => lastSeen(slot, at) > at - longest);
		let wait = Math.max(0, pausedUntil - at);
		for (const {limit, windowMs} of windows) {
			const room = Math.max(1, Math.floor(limit * share));
			const inWindow = slots
				.map(slot => lastSeen(slot, at))
				.filter(time => time > at - windowMs)
				.sort((a, b) => a - b);
			if (inWindow.length >= room) {
				// A slot frees when the request `room` places back leaves the window.
				const blocking = inWindow[inWindow.length - room] ?? at;
				wait = Math.max(wait, blocking + windowMs - at);
			}
		}

		return wait;
	}

	/** Until `wait` ms have passed (undefined: no timer), a waiter ahead has gone, or the signal aborts. */
	async function rest(waiter: Waiter, wait: number | undefined, signal?: AbortSignal): Promise<void> {
		await new Promise<void>((resolve, reject) => {
			const timer = new AbortController();
			let done = false;
			const finish = (settle: () => void) => {
				if (done) {
					return;
				}

				done = true;
				waiter.wake = undefined;
				signal?.removeEventListener('abort', onAbort);
				timer.abort();
				settle();
			};

			const onAbort = () => {
				finish(() => {
					reject(abortError(signal));
				});
			};

			waiter.wake = () => {
				finish(resolve);
			};

			signal?.addEventListener('abort', onAbort, {once: true});
			if (wait !== undefined) {
				sleep(wait, timer.signal).then(
					() => {
						finish(resolve);
					},
					() => {},
				);
			}
		});
	}

	return {
		async acquire(signal?: AbortSignal, acquireOptions: AcquireOptions = {}) {
			if (signal?.aborted) {
				throw abortError(signal);
			}

			const share = Math.min(1, Math.max(0.01, acquireOptions.share ?? 1));
			const waiter: Waiter = {share};
			waiters.push(waiter);
			let told = false;
			try {
				for (;;) {
					if (signal?.aborted) {
						throw abortError(signal);
					}

					const at = now();
					const ahead = waiters.slice(0, waiters.indexOf(waiter)).some(other => other.share >= share);
					const wait = ahead ? undefined : waitNeeded(at, share);
					if (wait !== undefined && wait <= 0) {
						const slot: Slot = {start: at};
						slots.push(slot);
						if (told) {
							acquireOptions.onWait?.(undefined);
						}

						return () => {
							slot.end ??= now();
						};
					}

					if (wait !== undefined) {
						told = true;
						acquireOptions.onWait?.(at + wait);
					}

					await rest(waiter, wait, signal);
				}
			} finally {
				// Those behind it may be next now.
				const index = waiters.indexOf(waiter);
				waiters.splice(index, 1);
				for (const behind of waiters.slice(index)) {
					behind.wake?.();
				}
			}
		},
		pauseFor(ms: number) {
			pausedUntil = Math.max(pausedUntil, now() + ms);
		},
		setMode(next: RateMode) {
			mode = next;
		},
		get mode() {
			return mode;
		},
	};
}
