// The rate limits: a sliding window of `limit` requests per `windowMs` for reads (GET), as the real
// API counts them, and one of its own for writes (POST, PATCH, DELETE), with the same numbers.
import type {DemoContext} from './context.js';
import {HttpError} from './jsonapi.js';

export const defaultRateLimit = {limit: 25, windowMs: 10_000};

/**
 * One more request of its class (reads, or writes) in that class's sliding window: the
 * X-Ratelimit-* headers for the answer, or a 429 with Retry-After (seconds until the oldest request
 * of the class in the window leaves it).
 */
export function countRequest(ctx: DemoContext, method: string): Record<string, string> {
	if (!ctx.rateLimit) {
		return {};
	}

	const counted = method === 'GET' || method === 'HEAD' ? ctx.reads : ctx.writes;
	const at = ctx.now();
	while (counted.length > 0 && (counted[0] ?? 0) <= at - ctx.rateLimit.windowMs) {
		counted.shift();
	}

	const interval = String(Math.round(ctx.rateLimit.windowMs / 1000));
	const limitHeaders = {'X-Ratelimit-Limit': String(ctx.rateLimit.limit), 'X-Ratelimit-Interval': interval};
	if (counted.length >= ctx.rateLimit.limit) {
		const retryAfter = Math.max(1, Math.ceil(((counted[0] ?? at) + ctx.rateLimit.windowMs - at) / 1000));
		const detail = `You have exceeded the rate limit of ${ctx.rateLimit.limit} requests per ${interval} seconds. Retry in ${retryAfter} seconds.`;
		throw new HttpError(429, [{title: 'Too many requests', detail, code: 'TOO_MANY_REQUESTS', status: '429'}], {
			'Retry-After': String(retryAfter),
			...limitHeaders,
			'X-Ratelimit-Remaining': '0',
		});
	}

	counted.push(at);
	return {...limitHeaders, 'X-Ratelimit-Remaining': String(ctx.rateLimit.limit - counted.length)};
}
