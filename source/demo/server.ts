// The embedded demo API: a real HTTP server on loopback that speaks the part of the Commerce Layer
// protocol cl-exports uses: the client_credentials token endpoint, the exports resource with
// JSON:API paging, sorting, Ransack filters, sparse fieldsets and lifecycle triggers, the API's
// error bodies, rate-limit headers, and the gzipped attachment files. Tests drive it through
// `injectFault` (the next matching requests) and `setFaults` (lasting faults: a 5xx storm, random
// 429s, a failing token endpoint), and read what it received from `requests`. Nothing in here
// prints: `main.ts` does the talking.
// This file makes the server and its context (context.ts); handler.ts answers each request, with
// routes.ts for the exports resource.
import {createServer} from 'node:http';
import type {AddressInfo} from 'node:net';
import type {ExportRecord} from '../api/types.js';
import type {DemoContext, DemoFault, DemoFaultModes, DemoRequest} from './context.js';
import {generateDemoData} from './data.js';
import {handle} from './handler.js';
import {createRandom, hashSeed} from './random.js';
import {defaultRateLimit} from './read-limit.js';
import {attributesOf, serialize} from './resources.js';
import {DemoStore} from './store.js';
import {demoClientId, demoClientSecret, demoOrganization, TokenStore} from './tokens.js';

export type {DemoFault, DemoFaultModes, DemoRequest} from './context.js';
export {demoClientId, demoClientSecret, demoOrganization} from './tokens.js';
export {defaultRateLimit} from './read-limit.js';

export type DemoServerOptions = {
	port?: number;
	host?: string;
	count?: number;
	seed?: number;
	now?: () => number;
	latencyMs?: number;
	tokenTtlSeconds?: number;
	rateLimit?: false | {limit: number; windowMs: number};
	/** Lasting faults, from the start (also switched on and off with `setFaults`). */
	faults?: DemoFaultModes;
};


export type DemoServer = {
	url: string;
	token: string;
	clientId: string;
	clientSecret: string;
	organization: string;
	requests: DemoRequest[];
	clearRequests(): void;
	injectFault(fault: DemoFault): void;
	/** Replaces the lasting faults (`{}`: none). */
	setFaults(modes: DemoFaultModes): void;
	readonly faults: DemoFaultModes;
	/** All exports as the API would return them now (after progress), unsorted, unpaged. */
	allExports(): ExportRecord[];
	close(): Promise<void>;
};


/** The token the server hands out ready-made (run-server.ts prints it; tests use it): valid for years. */
const longLivedTtlSeconds = 10 * 365 * 24 * 3600;

export async function startDemoServer(options: DemoServerOptions = {}): Promise<DemoServer> {
	const now = options.now ?? Date.now;
	const seed = options.seed ?? 1;
	const anchor = now();
	const store = new DemoStore(generateDemoData({count: options.count ?? 300, seed, anchor}), {seed, now});
	const ctx: DemoContext = {
		now,
		seed,
		anchor,
		store,
		signingKey: `cl-exports-demo:${seed}`,
		tokens: new TokenStore({now, organizationId: store.organizationId}),
		tokenTtlSeconds: options.tokenTtlSeconds ?? 7200,
		rateLimit: options.rateLimit === undefined ? defaultRateLimit : options.rateLimit,
		latencyMs: options.latencyMs ?? 0,
		faults: [],
		modes: {...options.faults},
		faultRandom: createRandom(hashSeed('faults', seed)),
		reads: [],
		writes: [],
		requests: [],
		timers: new Set(),
		files: new Map(),
		origin: '',
	};

	const server = createServer((request, response) => {
		handle(ctx, request, response).catch(() => {
			// Only reachable if answering itself failed (e.g. the socket went away): drop the connection.
			response.destroy();
		});
	});

	await new Promise<void>((resolve, reject) => {
		server.once('error', reject);
		server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => {
			server.off('error', reject);
			resolve();
		});
	});

	const address = server.address() as AddressInfo;
	const host = address.family === 'IPv6' || address.address.includes(':') ? `[${address.address}]` : address.address;
	ctx.origin = `http://${host}:${address.port}`;
	const token = ctx.tokens.issue(longLivedTtlSeconds, 'market:all');

	let closing: Promise<void> | undefined;
	return {
		url: ctx.origin,
		token,
		clientId: demoClientId,
		clientSecret: demoClientSecret,
		organization: demoOrganization,
		requests: ctx.requests,
		clearRequests() {
			ctx.requests.length = 0;
		},
		injectFault(fault) {
			ctx.faults.push({fault, left: fault.times ?? 1});
		},
		setFaults(next) {
			ctx.modes = {...next};
		},
		get faults() {
			return ctx.modes;
		},
		allExports() {
			return ctx.store.all().map(item => serialize(ctx, item, attributesOf(ctx, item)));
		},
		close() {
			closing ??= new Promise<void>(resolve => {
				for (const timer of ctx.timers) {
					clearTimeout(timer);
				}

				ctx.timers.clear();
				server.close(() => {
					resolve();
				});
				server.closeAllConnections();
			});
			return closing;
		},
	};
}
