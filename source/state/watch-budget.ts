// How often watch mode may ask, so that it never runs into Commerce Layer's limits for exports
// reads (commercelayer.md §8: test 25 per 10 s and 100 per minute; live 50 per 10 s and 200 per
// minute, per IP). One refresh is 1 list request; the status overview is 5 more (one count per
// status). Watch takes at most `share` of each limit, so keys, copy and download still have room
// while it runs: the page is refreshed every period and the overview only every `overviewEvery`
// periods, the smallest number that keeps both windows in budget. At `--watch 2` on a test
// organization that is the page every 2 s and the counts every 12 s: 30 + 25 = 55 reads a minute,
// at most 11 in any 10 s. Its requests are never retried, and after a failure that waiting cures
// (429, 5xx, the network) its period doubles, up to 8 times (triage-reducer.ts).
import {ApiError} from '../api/errors.js';
import {backgroundShare} from '../api/rate-limit.js';
import type {RetryNotice} from '../api/http.js';

export type ReadLimits = {per10s: number; perMinute: number};

export const readLimits: Record<'test' | 'live', ReadLimits> = {
	test: {per10s: 25, perMinute: 100},
	live: {per10s: 50, perMinute: 200},
};

/** The part of each limit watch mode may use (the client's pacer holds its requests beyond it). */
export const watchShare = backgroundShare;

/**
 * Why watch should back off after this failure, in a word for the header (`429`, `503`,
 * `network`, `timeout`), or undefined for a failure that waiting would not cure (a 400, a 404).
 */
export function backOffReason(error: unknown): string | undefined {
	if (!(error instanceof ApiError)) {
		return undefined;
	}

	if (error.status === 429 || (error.status !== undefined && error.status >= 500)) {
		return String(error.status);
	}

	return error.kind === 'network' || error.kind === 'timeout' ? error.kind : undefined;
}

/** The same for a retry notice (the request is being tried again). */
export function noticeBackOff(notice: RetryNotice): string {
	return notice.status === undefined ? 'network' : String(notice.status);
}

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
