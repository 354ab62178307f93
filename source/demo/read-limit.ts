// The rate limit on reads: a sliding window of `limit` GETs per `windowMs`, as the real API counts
// them (writes have a limit of their own, not modelled here).
import type {DemoContext} from './context.js';
import {HttpError} from './jsonapi.js';

export const defaultRateLimit = {limit: 25, windowMs: 10_000};

/**
 * One more read in the sliding window: the X-Ratelimit-* headers for the answer, or a 429
 * with Retry-After (seconds until the oldest read in the window leaves it).
 */
export function countRead(ctx: DemoContext): Record<string, string> {
	if (!ctx.rateLimit) {
		return {};
	}

	const at = ctx.now();
	while (ctx.reads.length > 0 && (ctx.reads[0] ?? 0) <= at - ctx.rateLimit.windowMs) {
		ctx.reads.shift();
	}

	const interval = String(Math.round(ctx.rateLimit.windowMs / 1000));
	const limitHeaders = {'X-Ratelimit-Limit': String(ctx.rateLimit.limit), 'X-Ratelimit-Interval': interval};
	if (ctx.reads.length >= ctx.rateLimit.limit) {
		const retryAfter = Math.max(1, Math.ceil(((ctx.reads[0] ?? at) + ctx.rateLimit.windowMs - at) / 1000));
		const detail = `You have exceeded the rate limit of ${ctx.rateLimit.limit} requests per ${interval} seconds. Retry in ${retryAfter} seconds.`;
		throw new HttpError(429, [{title: 'Too many requests', detail, code: 'TOO_MANY_REQUESTS', status: '429'}], {
			'Retry-After': String(retryAfter),
			...limitHeaders,
			'X-Ratelimit-Remaining': '0',
		});
	}

	ctx.reads.push(at);
	return {...limitHeaders, 'X-Ratelimit-Remaining': String(ctx.rateLimit.limit - ctx.reads.length)};
}
