// The interactive path (connection -> page 1 -> the full-screen view), bundled apart from the rest
// as one classic script, dist/interactive.cjs, that cli.tsx compiles with V8's code cache (see
// code-cache.ts): most of start-up was V8 compiling Ink, React and our view, and a cached compile
// is several times cheaper. Everything this path uses is in the script (the client, its error
// classes, the view), so no class exists twice in one process.
import type {Config} from './config.js';
import {connect} from './connection/connect.js';
import {requestFirstPage} from './hooks/page-requests.js';

export type InteractiveOptions = {
	/** Called with the connection's secrets (tokens, client secrets) as soon as they are known. */
	remember(secrets: readonly string[]): void;
	/** Called once the view has drawn its first frame (cli.tsx then writes the code cache). */
	onFirstFrame?(): void;
	/** yoga's WebAssembly, being compiled in the background (see yoga-sync in scripts/build.js). */
	yoga?: Promise<unknown>;
};

/** The view: Ink, React, yoga and the components, evaluated on first use. */
export async function loadView(): Promise<typeof import('./ui/tui.js')> {
	return import('./ui/tui.js');
}

/** How long after page 1 settles the first data frame is surely drawn (frames are throttled to 60 fps). */
const firstFrameSettleMs = 200;

export async function runInteractive(config: Config, options: InteractiveOptions): Promise<number> {
	const connected = await connect(config);
	// Page 1 is asked for now, and the view (Ink, React: the bulk of the code) is evaluated while
	// the request is on its way, not before it is sent nor after the answer.
	const first = requestFirstPage(connected.client, config);
	options.remember(connected.secrets);
	try {
		// The view instantiates yoga as it loads, from this module (compiled off this thread) when given.
		if (options.yoga !== undefined) {
			(globalThis as Record<symbol, unknown>)[Symbol.for('cl-exports.yoga')] = await options.yoga;
		}

		const {runTui} = await loadView();
		const {onFirstFrame} = options;
		if (onFirstFrame !== undefined) {
			// Page 1 is drawn as soon as it is in (or has failed): a moment later, so is the frame.
			const later = () => setTimeout(onFirstFrame, firstFrameSettleMs).unref();
			first.promise.then(later, later);
		}

		try {
			return await runTui({config, client: connected.client, source: connected.source, demo: connected.demo, first});
		} finally {
			first.controller.abort();
		}
	} finally {
		options.remember(connected.secrets);
		await connected.close();
	}
}
