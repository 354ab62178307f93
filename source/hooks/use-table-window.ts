// The window of rows the table draws. The reducer moves the window by screenfuls, so it is told
// how many rows the table shows (before the frame is drawn, so that a key right after already
// moves by the new height); until it has the new height, the selection is kept inside the window
// drawn now.
import {useLayoutEffect, useMemo, type Dispatch} from 'react';
import {fitTop} from '../state/list.js';
import {windowRows} from '../state/selectors.js';
import type {Action, State, WindowRow} from '../state/types.js';

export function useTableWindow(state: State, dispatch: Dispatch<Action>, visible: number): {top: number; rows: WindowRow[]} {
	useLayoutEffect(() => {
		dispatch({type: 'viewportMeasured', rows: visible});
	}, [visible, dispatch]);
	const top = fitTop(state.top, state.selection.index, visible, state.total ?? 0);
	const windowState = top === state.top && visible === state.viewport ? state : {...state, top, viewport: visible};
	const rows = useMemo(
		() => windowRows(windowState),
		// What windowRows reads of the state.
		// eslint-disable-next-line react-hooks/exhaustive-deps
		[state.pages, state.key, top, visible, state.total, state.stale, state.failed],
	);
	return {top, rows};
}
