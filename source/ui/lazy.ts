// The detail pane and the help overlay are not on the first frame: they are loaded after it (once
// the first rows are in, or as soon as one is asked for), so the first frame does not wait for
// their code.
import {useEffect, useState} from 'react';

type DetailModule = typeof import('./DetailPane.js');
type HelpModule = typeof import('./HelpOverlay.js');
let detailModule: DetailModule | undefined;
let helpModule: HelpModule | undefined;
let preloading: Promise<void> | undefined;

function preload(): Promise<void> {
	preloading ??= Promise.all([import('./DetailPane.js'), import('./HelpOverlay.js')]).then(([detail, help]) => {
		detailModule = detail;
		helpModule = help;
	});
	return preloading;
}

/** The modules once loaded (undefined until then); `wanted` starts loading them. */
export function useLazyModules(wanted: boolean): {detail?: DetailModule; help?: HelpModule} {
	const [, setLoaded] = useState(false);
	useEffect(() => {
		if (!wanted || (detailModule && helpModule)) {
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
	return {detail: detailModule, help: helpModule};
}
