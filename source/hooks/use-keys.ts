// Keys by mode: one useInput per mode, active only in that mode, so a `q` or an `s` typed in the
// filter prompt is a letter. Handlers read no state: they dispatch the key, and the reducer looks
// it up in the key map for the mode the state is in when the key is applied. So no key is lost or
// misread however fast keys come, even before React has moved the handlers to a new mode.
import {useInput, type Key} from 'ink';
import {useCallback, useLayoutEffect, useReducer, useRef, type Dispatch} from 'react';
import {matchGlobalBinding} from '../state/keys.js';
import type {Action, Mode} from '../state/types.js';
import {usePaste} from './use-paste.js';

export function useKeys(mode: Mode, dispatch: Dispatch<Action>): void {
	const onKey = useCallback((input: string, key: Key) => {
		dispatch({type: 'keyPressed', input, key, at: Date.now()});
	}, [dispatch]);
	const onGlobal = useCallback((input: string, key: Key) => {
		const binding = matchGlobalBinding(input, key);
		if (binding !== undefined) {
			dispatch(binding.action);
		}
	}, [dispatch]);
	// A paste is never keys. In the filter prompt its text input inserts it; elsewhere the reducer
	// only says so.
	const onPaste = useCallback(() => {
		dispatch({type: 'pasted'});
	}, [dispatch]);

	useHandlersLiveOnModeChange(mode);
	usePaste(onPaste);

	// Always active: Ctrl-C quits from anywhere. It also keeps raw mode on while the mode handlers
	// hand over to each other (Ink turns raw mode off, and resets its key parser, when no input
	// hook is active).
	useInput(onGlobal, {isActive: true});
	useInput(onKey, {isActive: mode === 'browse'});
	useInput(onKey, {isActive: mode === 'detail'});
	useInput(onKey, {isActive: mode === 'filter'});
	useInput(onKey, {isActive: mode === 'help'});
	useInput(onKey, {isActive: mode === 'confirm'});
	useInput(onKey, {isActive: mode === 'peek'});
}

/**
 * Ink subscribes a useInput handler in a passive effect, which React runs some time after the
 * commit. A synchronous update scheduled from a layout effect makes React flush the pending
 * passive effects first, so the new mode's handlers (and the prompt's text input) are subscribed
 * in the same commit that changed the mode, before the next key is read.
 */
function useHandlersLiveOnModeChange(mode: Mode): void {
	const [, settle] = useReducer((count: number) => count + 1, 0);
	const previous = useRef(mode);
	useLayoutEffect(() => {
		if (previous.current !== mode) {
			previous.current = mode;
			settle();
		}
	}, [mode]);
}
