// A clock the test moves and a watch timer the test fires, shared by the App (refresh times, the
// watch interval) and the demo API (its exports progress with its `now`).
import type {WatchTimers} from '../../source/hooks/use-watch.js';

export type FakeTimers = WatchTimers & {
	/** Runs every active interval's callback once. */
	fire(): void;
	/** The periods (ms) of the active intervals. */
	periods(): number[];
};

export function fakeTimers(): FakeTimers {
	const active = new Map<number, {callback: () => void; ms: number}>();
	let next = 0;
	return {
		setInterval(callback, ms) {
			next++;
			active.set(next, {callback, ms});
			return next;
		},
		clearInterval(handle) {
			active.delete(handle as number);
		},
		fire() {
			for (const timer of [...active.values()]) {
				timer.callback();
			}
		},
		periods() {
			return [...active.values()].map(timer => timer.ms);
		},
	};
}

export type FakeClock = {now: () => number; advance(ms: number): number; readonly time: number};

/** Starts at a fixed instant so the demo's data and the screens are the same on every run. */
export function fakeClock(start = Date.UTC(2026, 10, 15, 12, 0, 0)): FakeClock {
	let time = start;
	return {
		now: () => time,
		advance(ms: number) {
			time += ms;
			return time;
		},
		get time() {
			return time;
		},
	};
}

/** The most requests any sliding window of `windowMs` holds, given their times (the server's window: (t - w, t]). */
export function maxInWindow(times: readonly number[], windowMs: number): number {
	const sorted = [...times].sort((a, b) => a - b);
	let most = 0;
	let start = 0;
	for (let end = 0; end < sorted.length; end++) {
		while ((sorted[start] ?? 0) <= (sorted[end] ?? 0) - windowMs) {
			start++;
		}

		most = Math.max(most, end - start + 1);
	}

	return most;
}

export type ManualClock = {
	now: () => number;
	/** A sleep that ends when the test moves the clock past it (for the client's pacer). */
	sleep: (ms: number, signal?: AbortSignal) => Promise<void>;
	/** Moves the clock, waking each sleeper on the way in time order (and letting it run). */
	advance(ms: number): Promise<void>;
	/** Sleepers not woken yet. */
	readonly sleepers: number;
	readonly time: number;
};

async function turns(count = 3): Promise<void> {
	for (let index = 0; index < count; index++) {
		await new Promise<void>(resolve => {
			setImmediate(resolve);
		});
	}
}

/** A clock that only moves when the test says so; sleeps wait for it. */
export function manualClock(start = Date.UTC(2026, 10, 15, 12, 0, 0)): ManualClock {
	let time = start;
	const sleepers = new Set<{at: number; wake: () => void}>();
	return {
		now: () => time,
		async sleep(ms, signal) {
			await new Promise<void>((resolve, reject) => {
				if (signal?.aborted) {
					reject(signal.reason as Error);
					return;
				}

				const sleeper = {
					at: time + Math.max(0, ms),
					wake() {
						sleepers.delete(sleeper);
						signal?.removeEventListener('abort', onAbort);
						resolve();
					},
				};
				const onAbort = () => {
					sleepers.delete(sleeper);
					reject(signal?.reason as Error);
				};

				sleepers.add(sleeper);
				signal?.addEventListener('abort', onAbort, {once: true});
			});
		},
		async advance(ms) {
			const target = time + ms;
			for (;;) {
				await turns();
				const due = [...sleepers].filter(sleeper => sleeper.at <= target).sort((a, b) => a.at - b.at)[0];
				if (due === undefined) {
					break;
				}

				time = Math.max(time, due.at);
				due.wake();
			}

			time = target;
			await turns();
		},
		get sleepers() {
			return sleepers.size;
		},
		get time() {
			return time;
		},
	};
}
