// Waiting for what the user would see, instead of sleeping: poll a frame (or any condition) until
// it holds, and fail with the last frame on screen when it never does.
import stripAnsi from 'strip-ansi';

export type FrameMatcher = string | RegExp | ((frame: string) => boolean);

export type WaitOptions = {timeoutMs?: number; intervalMs?: number; message?: string};

function matches(frame: string, matcher: FrameMatcher): boolean {
	if (typeof matcher === 'string') {
		return frame.includes(matcher);
	}

	if (matcher instanceof RegExp) {
		return matcher.test(frame);
	}

	return matcher(frame);
}

function describe(matcher: FrameMatcher): string {
	return typeof matcher === 'function' ? 'the condition' : JSON.stringify(String(matcher));
}

const tick = async (ms: number) =>
	new Promise<void>(resolve => {
		setTimeout(resolve, ms);
	});

/** Resolves when `condition` returns a truthy value (returned), polling every few ms. */
export async function waitFor<T>(condition: () => T | undefined | false, options: WaitOptions = {}): Promise<T> {
	const timeoutMs = options.timeoutMs ?? 5000;
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		const value = condition();
		if (value) {
			return value;
		}

		if (Date.now() > deadline) {
			throw new Error(`Timed out after ${timeoutMs} ms waiting for ${options.message ?? 'a condition'}`);
		}

		await tick(options.intervalMs ?? 5);
	}
}

/** The last frame without colours, as a user reads it. */
export function plain(frame: string | undefined): string {
	return stripAnsi(frame ?? '');
}

/** Resolves with the (plain) frame once it matches; on timeout, fails showing the last frame. */
export async function waitForFrame(lastFrame: () => string | undefined, matcher: FrameMatcher, options: WaitOptions = {}): Promise<string> {
	const timeoutMs = options.timeoutMs ?? 5000;
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		const frame = plain(lastFrame());
		if (matches(frame, matcher)) {
			return frame;
		}

		if (Date.now() > deadline) {
			throw new Error(`Timed out after ${timeoutMs} ms waiting for ${options.message ?? describe(matcher)} in the frame:\n${frame}`);
		}

		await tick(options.intervalMs ?? 5);
	}
}
