// The faults a test asks for: injected ones (the next matching requests) and lasting ones (a 5xx
// storm, connection resets, a share of reads refused with 429, a failing token endpoint).
import type {DemoContext, DemoFault} from './context.js';

export function takeFault(ctx: DemoContext, method: string, path: string, search: string): DemoFault | undefined {
	const index = ctx.faults.findIndex(({fault}) => {
		if (fault.method && fault.method.toUpperCase() !== method) {
			return false;
		}

		if (fault.path === undefined) {
			return true;
		}

		if (typeof fault.path === 'string') {
			return fault.path === path || fault.path === path + search;
		}

		fault.path.lastIndex = 0;
		if (fault.path.test(path)) {
			return true;
		}

		fault.path.lastIndex = 0;
		return fault.path.test(path + search);
	});
	const entry = ctx.faults[index];
	if (!entry) {
		return undefined;
	}

	entry.left--;
	if (entry.left <= 0) {
		ctx.faults.splice(index, 1);
	}

	return entry.fault;
}

/** The lasting fault (`modes`) this request meets, if any. */
export function lastingFault(ctx: DemoContext, method: string, path: string): {kind: 'reset'} | {kind: 'status'; status: number; headers?: Record<string, string>} | undefined {
	if (path === '/oauth/token') {
		return ctx.modes.tokenStatus === undefined ? undefined : {kind: 'status', status: ctx.modes.tokenStatus};
	}

	if (path !== '/api' && !path.startsWith('/api/')) {
		return undefined;
	}

	if (ctx.modes.storm === 'reset') {
		return {kind: 'reset'};
	}

	if (ctx.modes.storm !== undefined) {
		return {kind: 'status', status: ctx.modes.storm};
	}

	const share = ctx.modes.rateLimitedShare ?? 0;
	if (method === 'GET' && share > 0 && ctx.faultRandom.next() < share) {
		return {kind: 'status', status: 429, headers: {'Retry-After': String(ctx.modes.rateLimitedRetryAfter ?? 2)}};
	}

	return undefined;
}
