// How far the detail pane can scroll for the selected export, told to the reducer before the
// frame is drawn, so that a scroll key right after Enter already has its range. The measure is
// the pane's own (maxDetailScroll, loaded with the pane after the first frame): 0 until then.
import {useLayoutEffect, useMemo, type Dispatch} from 'react';
import type {ExportRecord} from '../api/types.js';
import type {Action} from '../state/types.js';

export type DetailMeasure = (record: ExportRecord, width: number, height: number) => number;

export function useDetailScroll(dispatch: Dispatch<Action>, record: ExportRecord | undefined, pane: {width: number; height: number}, measure: DetailMeasure | undefined): number {
	const {width, height} = pane;
	const maxScroll = useMemo(() => (height === 0 || record === undefined || measure === undefined ? 0 : measure(record, width, height)), [record, measure, width, height]);
	useLayoutEffect(() => {
		dispatch({type: 'detailMeasured', maxScroll});
	}, [maxScroll, dispatch]);
	return maxScroll;
}
