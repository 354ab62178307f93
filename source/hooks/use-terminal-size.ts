// The terminal's size, following resizes. Ink re-lays out on 'resize' but does not re-render
// components that computed something from stdout.columns/rows, so subscribe here.
import {useStdout} from 'ink';
import {useEffect, useState} from 'react';

export type TerminalSize = {columns: number; rows: number};

/** When stdout has no size (a pipe, ink-testing-library). */
export const defaultSize: TerminalSize = {columns: 100, rows: 30};

function sizeOf(stdout: NodeJS.WriteStream): TerminalSize {
	return {
		columns: stdout.columns > 0 ? stdout.columns : defaultSize.columns,
		rows: stdout.rows > 0 ? stdout.rows : defaultSize.rows,
	};
}

export function useTerminalSize(): TerminalSize {
	const {stdout} = useStdout();
	const [size, setSize] = useState(() => sizeOf(stdout));
	useEffect(() => {
		const onResize = () => {
			const next = sizeOf(stdout);
			setSize(previous => (previous.columns === next.columns && previous.rows === next.rows ? previous : next));
		};

		onResize();
		stdout.on('resize', onResize);
		return () => {
			stdout.off('resize', onResize);
		};
	}, [stdout]);
	return size;
}
