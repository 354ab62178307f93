// The detail pane, the help overlay and the peek overlay are not on the first frame: they are
// loaded after it (once the first rows are in, or as soon as one is asked for), so the first frame
// does not wait for their code.
import {useEffect, useState} from 'react';

type DetailModule = typeof import('./DetailPane.js');
type HelpModule = typeof import('./HelpOverlay.js');
type PeekModule = typeof import('./PeekOverlay.js');
let detailModule: DetailModule | undefined;
let helpModule: HelpModule | undefined;
let peekModule: PeekModule | undefined;
let preloading: Promise<void> | undefined;

function preload(): Promise<void> {
	preloading ??= Promise.all([import('./DetailPane.js'), import('./HelpOverlay.js'), import('./PeekOverlay.js')]).then(([detail, help, peek]) => {
		detailModule = detail;
		helpModule = help;
		peekModule = peek;
	});
	return preloading;
}

/** The modules once loaded (undefined until then); `wanted` starts loading them. */
export function useLazyModules(wanted: boolean): {detail?: DetailModule; help?: HelpModule; peek?: PeekModule} {
	const [, setLoaded] = useState(false);
	useEffect(() => {
		if (!wanted || (detailModule && helpModule && peekModule)) {
			return;
		}

		let live = true;
		preload().then(
			() => {
				if (live) {
					setLoaded(true);
				}
			},
			() => {},
		);
		return () => {
			live = false;
		};
	}, [wanted]);
	return {detail: detailModule, help: helpModule, peek: peekModule};
}
