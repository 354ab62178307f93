// What a call that must fail failed with. The test fails when the call succeeds instead.
import {ApiError} from '../../source/api/errors.js';

/** The ApiError a promise is rejected with; any other error is thrown on, to fail the test. */
export async function failure(promise: Promise<unknown>): Promise<ApiError> {
	const error = await rejection(promise);
	if (error instanceof ApiError) {
		return error;
	}

	throw error;
}

/** Whatever a promise is rejected with. */
export async function rejection(promise: Promise<unknown>): Promise<unknown> {
	return promise.then(
		() => {
			throw new Error('expected the call to fail');
		},
		(error: unknown) => error,
	);
}
