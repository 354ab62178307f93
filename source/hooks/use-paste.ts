// Ink 7's usePaste for Ink 6.8: the handler gets each bracketed paste, whole and as one line
// (ui/key-input.ts), and never as keys. The pastes come from the KeyInput that ui/tui.tsx hands
// Ink as its stdin; a stdin without pastes (a test's) simply never calls the handler.
import {useStdin} from 'ink';
import {useEffect} from 'react';

export function usePaste(handler: (text: string) => void, options: {isActive?: boolean} = {}): void {
	const {stdin} = useStdin();
	const active = options.isActive !== false;
	useEffect(() => {
		if (!active) {
			return;
		}

		stdin.on('paste', handler);
		return () => {
			stdin.off('paste', handler);
		};
	}, [active, stdin, handler]);
}
