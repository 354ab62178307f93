// How often watch mode may ask, so that it never runs into Commerce Layer's limits for exports
// reads (per IP: 25 per 10 s and 100 per minute on a test organization, 50 and 200 on a live
// one). One refresh is 1 list request; the status overview is 5 more (one count per
// status). Watch takes at most `share` of each limit, so keys, copy and download still have room
// while it runs: the page is refreshed every period and the overview only every `overviewEvery`
// periods, the smallest number that keeps both windows in budget. At `--watch 2` on a test
// organization that is the page every 2 s and the counts every 12 s: 30 + 25 = 55 reads a minute,
// at most 11 in any 10 s. Its requests are never retried, and after a failure that waiting cures
// (429, 5xx, the network) its period doubles, up to 8 times (slowDown, below).
import {backgroundShare} from '../api/rate-limit.js';
import type {State} from './types.js';

export type ReadLimits = {per10s: number; perMinute: number};

export const readLimits: Record<'test' | 'live', ReadLimits> = {
	test: {per10s: 25, perMinute: 100},
	live: {per10s: 50, perMinute: 200},
};

/** The part of each limit watch mode may use (the client's pacer holds its requests beyond it). */
export const watchShare = backgroundShare;

/** Requests in one overview refresh. */
export const overviewRequests = 5;

export type WatchPlan = {
	periodMs: number;
	/** The overview is refreshed on every n-th refresh of the page. */
	overviewEvery: number;
	overviewPeriodMs: number;
	/** Requests watch sends, at most, per 10 s and per minute (nothing else going on). */
	readsPer10s: number;
	readsPerMinute: number;
	limits: ReadLimits;
};

/**
 * Most refreshes a sliding window of `windowMs` can hold when they come every `everyMs`. Timers
 * drift by a few milliseconds, so a short (burst) window is counted as holding one more whenever
 * it could (two overviews 10 s apart both fall in a 10 s window if the second comes a little
 * early); over a minute what matters is the average.
 */
function inWindow(windowMs: number, everyMs: number): number {
	return windowMs <= 10_000 ? Math.floor(windowMs / everyMs) + 1 : Math.ceil(windowMs / everyMs);
}

function reads(windowMs: number, periodMs: number, every: number): number {
	return inWindow(windowMs, periodMs) + overviewRequests * inWindow(windowMs, periodMs * every);
}

/** The plan for a period (ms) and the API's mode (`meta.mode`; anything but `live` counts as test). */
export function watchPlan(periodMs: number, mode?: string): WatchPlan {
	const limits = readLimits[mode === 'live' ? 'live' : 'test'];
	const period = Math.max(1000, periodMs);
	let every = 1;
	while (every < 60 && (reads(10_000, period, every) > limits.per10s * watchShare || reads(60_000, period, every) > limits.perMinute * watchShare)) {
		every++;
	}

	return {
		periodMs: period,
		overviewEvery: every,
		overviewPeriodMs: period * every,
		readsPer10s: reads(10_000, period, every),
		readsPerMinute: reads(60_000, period, every),
		limits,
	};
}

/** `2 s`, `1.5 s`, `2 min` */
export function formatSeconds(ms: number): string {
	const seconds = ms / 1000;
	if (seconds >= 120 && seconds % 60 === 0) {
		return `${seconds / 60} min`;
	}

	return `${Number.isInteger(seconds) ? seconds : Number(seconds.toFixed(1))} s`;
}

const maxSlowdown = 8;
const cleanRefreshesToRecover = 5;

/**
 * A failure watch backs off from (a 429, a 5xx, the network; `reason` names it, undefined for any
 * other failure): watch doubles its period (up to 8×). Its requests are not retried, so at 8× a
 * failing API gets one request every 16 s at `--watch 2`.
 */
export function slowDown(state: State, reason?: string): State {
	if (!state.watch.on || reason === undefined) {
		return state;
	}

	return {...state, watch: {...state.watch, slowdown: Math.min(maxSlowdown, state.watch.slowdown * 2), clean: 0, slowedBy: reason}};
}

/** The back-off reason an action carries (older actions only say whether it was a 429). */
export function backOffOf(action: {backOff?: string; rateLimited?: boolean}): string | undefined {
	return action.backOff ?? (action.rateLimited ? '429' : undefined);
}

/** A page answered while watch is on: after 5 in a row, a slowed watch halves its period again. */
export function cleanRefresh(state: State): State {
	if (state.watch.slowdown === 1) {
		return state;
	}

	const clean = state.watch.clean + 1;
	if (clean < cleanRefreshesToRecover) {
		return {...state, watch: {...state.watch, clean}};
	}

	const slowdown = Math.max(1, state.watch.slowdown / 2);
	return {...state, watch: {...state.watch, slowdown, clean: 0, slowedBy: slowdown === 1 ? undefined : state.watch.slowedBy}};
}
