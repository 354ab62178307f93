// What every part of the demo server works on: its clock, its data, the tokens it issued, the faults
// it was told to make, the reads in its rate-limit window and the requests it logged. One context is
// made per server (server.ts) and passed to each handler, so the parts are plain functions.
import type {Random} from './random.js';
import type {DemoStore} from './store.js';
import type {TokenStore} from './tokens.js';

/**
 * Faults that last until switched off, for trying the client under a bad hour of the API: every
 * `/api` request failing (a 5xx storm, or connection resets), a share of the reads refused with
 * 429 (someone else on the same IP spending the budget), the token endpoint failing.
 */
export type DemoFaultModes = {
	/** Every `/api` request answered with this status (the API's error body for it), or its connection reset. */
	storm?: number | 'reset';
	/** The share (0..1) of `/api` reads answered 429 with `Retry-After`, picked at random (seeded). */
	rateLimitedShare?: number;
	/** The `Retry-After` (seconds) of those 429s; default 2. */
	rateLimitedRetryAfter?: number;
	/** Every token request answered with this status. */
	tokenStatus?: number;
};

export type DemoRequest = {
	method: string;
	path: string;
	/** The query string as sent (still percent-encoded), without the `?`. */
	search: string;
	/** The same, decoded: `{'page[number]': '1', 'filter[q][status_eq]': 'failed'}`. */
	query: Record<string, string>;
	authorization?: string;
	headers: Record<string, string | string[] | undefined>;
	status: number;
	at: number;
};

export type DemoFault = {method?: string; path?: string | RegExp; times?: number} & (
	| {kind: 'status'; status: number; body?: unknown; headers?: Record<string, string>}
	| {kind: 'reset'}
	| {kind: 'hang'}
	| {kind: 'malformed'}
	| {kind: 'html'; status: number}
);

export type DemoContext = {
	now: () => number;
	seed: number;
	/** The server's start time: the generated data and the events' dates are relative to it. */
	anchor: number;
	store: DemoStore;
	/** The key that signs attachment links. */
	signingKey: string;
	tokens: TokenStore;
	tokenTtlSeconds: number;
	rateLimit: false | {limit: number; windowMs: number};
	latencyMs: number;
	/** Injected faults waiting for their requests, with how many requests each has left. */
	faults: Array<{fault: DemoFault; left: number}>;
	modes: DemoFaultModes;
	faultRandom: Random;
	/** When each read of the current rate-limit window arrived. */
	reads: number[];
	/** When each write (POST, PATCH, DELETE) of its own rate-limit window arrived. */
	writes: number[];
	requests: DemoRequest[];
	/** Pending latency timers, cleared on close. */
	timers: Set<NodeJS.Timeout>;
	/** Attachment bodies, made once per export. */
	files: Map<string, Buffer>;
	/** `http://127.0.0.1:PORT`, known once the server listens. */
	origin: string;
};
