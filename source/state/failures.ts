// How a failed request reads in the state: the footer's error line, whether it was the rate
// limit, and whether (and why) watch mode should back off. The effects hooks turn what a request
// throws into actions with these.
import type {RetryNotice} from '../api/client.js';
import {ApiError, describeError} from '../api/errors.js';
import type {ErrorLine} from './types.js';

/** The footer's line for a failure: the API's title and detail, or one line for anything else. */
export function errorLine(error: unknown): ErrorLine {
	if (error instanceof ApiError) {
		return error.detail === undefined ? {title: error.title} : {title: error.title, detail: error.detail};
	}

	return {title: describeError(error)};
}

/** The same as one line of text: `title: detail`. */
export function errorText(error: unknown): string {
	const line = errorLine(error);
	return line.detail === undefined || line.detail === line.title ? line.title : `${line.title}: ${line.detail}`;
}

/** A 429 that outlasted the retries. */
export function isRateLimited(error: unknown): boolean {
	return error instanceof ApiError && error.status === 429;
}

/** `server error 503` with the wait beside it (the footer adds `· retrying in 2 s`, once). */
export function retryLine(notice: RetryNotice): ErrorLine {
	const retryInSeconds = Math.max(1, Math.ceil(notice.delayMs / 1000));
	return {title: notice.cause, retryInSeconds};
}

/** A page request's failure, as the `pageFailed` action carries it. */
export function pageFailure(error: unknown): {error: ErrorLine; rateLimited: boolean; backOff: string | undefined} {
	return {error: errorLine(error), rateLimited: isRateLimited(error), backOff: backOffReason(error)};
}

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
