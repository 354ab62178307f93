// Numbers as the table and header show them, `1,234,567` (en-US grouping). Whole numbers, the
// only kind the API counts in, are grouped by hand: an Intl.NumberFormat costs several
// milliseconds to create, on the way to the first frame.

let intl: Intl.NumberFormat | undefined;

/** A count as a cell shows it: `1,234`, or `—` when the server sent no number. */
export function countOrDash(value: unknown): string {
	return typeof value === 'number' && Number.isFinite(value) ? formatNumber(value) : '—';
}

export function formatNumber(value: number): string {
	if (Number.isSafeInteger(value)) {
		const digits = String(Math.abs(value));
		let grouped = '';
		for (let end = digits.length; end > 0; end -= 3) {
			const group = digits.slice(Math.max(0, end - 3), end);
			grouped = grouped === '' ? group : `${group},${grouped}`;
		}

		return value < 0 ? `-${grouped}` : grouped;
	}

	intl ??= new Intl.NumberFormat('en-US');
	return intl.format(value);
}
