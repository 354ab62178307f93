// Statistics, the one table the benchmark prints, and bench/results.json.

export type Verdict = 'pass' | 'miss' | 'n/a' | 'error' | 'info';

export type Budget = {
	/** The figure passes when it is at most this (or below it, when `strict`). */
	max: number;
	strict?: boolean;
	text: string;
};

export type Figure = {
	id: string;
	label: string;
	unit: string;
	median?: number;
	p95?: number;
	/** How many samples the median and p95 are taken over. */
	count?: number;
	budget?: Budget;
	/** Set by `judge`, or by hand for figures that are not a number (watch refresh content). */
	verdict?: Verdict;
	/** Shown instead of the numbers (n/a reason, error). */
	text?: string;
	note?: string;
	samples?: number[];
	detail?: unknown;
};

export function median(values: number[]): number {
	const sorted = [...values].sort((a, b) => a - b);
	if (sorted.length === 0) {
		return Number.NaN;
	}

	const middle = Math.floor(sorted.length / 2);
	return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

/** Nearest-rank 95th percentile. */
export function p95(values: number[]): number {
	const sorted = [...values].sort((a, b) => a - b);
	if (sorted.length === 0) {
		return Number.NaN;
	}

	return sorted[Math.max(0, Math.ceil(sorted.length * 0.95) - 1)]!;
}

export function summary(samples: number[]): Pick<Figure, 'median' | 'p95' | 'count' | 'samples'> {
	return {median: median(samples), p95: p95(samples), count: samples.length, samples};
}

/** pass/miss against the budget, on the median. */
export function judge(figure: Figure): Figure {
	if (figure.verdict !== undefined) {
		return figure;
	}

	if (figure.budget === undefined || figure.median === undefined || Number.isNaN(figure.median)) {
		return {...figure, verdict: figure.budget === undefined ? 'info' : 'error'};
	}

	const {max, strict} = figure.budget;
	const ok = strict ? figure.median < max : figure.median <= max;
	return {...figure, verdict: ok ? 'pass' : 'miss'};
}

function formatNumber(value: number | undefined, unit: string): string {
	if (value === undefined || Number.isNaN(value)) {
		return '—';
	}

	if (unit === 'x') {
		return `${value.toFixed(2)}x`;
	}

	if (unit === '%') {
		return `${value.toFixed(2)} %`;
	}

	if (unit === 'MB') {
		return `${value.toFixed(1)} MB`;
	}

	if (unit === 'ms') {
		return `${value < 100 ? value.toFixed(1) : Math.round(value).toLocaleString('en-US')} ms`;
	}

	if (unit === 'B') {
		return `${Math.round(value).toLocaleString('en-US')} B`;
	}

	return `${Number.isInteger(value) ? value : value.toFixed(1)}${unit === '' ? '' : ` ${unit}`}`;
}

const marks: Record<Verdict, string> = {pass: 'pass', miss: 'MISS', 'n/a': 'n/a', error: 'ERROR', info: ''};

export function table(figures: Figure[]): string {
	const header = ['figure', 'median', 'p95', 'n', 'budget', 'result'];
	const rows = figures.map(figure => {
		const numbers =
			figure.text === undefined
				? [formatNumber(figure.median, figure.unit), formatNumber(figure.p95, figure.unit), figure.count === undefined ? '' : String(figure.count)]
				: [figure.text, '', ''];
		return [figure.label, ...numbers, figure.budget?.text ?? '—', marks[figure.verdict ?? 'info']];
	});
	const widths = header.map((title, column) => Math.max(title.length, ...rows.map(row => [...(row[column] ?? '')].length)));
	const pad = (cells: string[]) =>
		cells
			.map((cell, column) => {
				const width = widths[column] ?? 0;
				const gap = ' '.repeat(Math.max(0, width - [...cell].length));
				// Numbers right-aligned, words left-aligned.
				return column >= 1 && column <= 3 ? gap + cell : cell + gap;
			})
			.join('  ')
			.trimEnd();
	const rule = widths.map(width => '-'.repeat(width)).join('  ');
	return [pad(header), rule, ...rows.map(row => pad(row))].join('\n');
}
