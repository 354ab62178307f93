// How far a download is, as the footer shows it.

export type DownloadProgress = {received: number; total?: number};

const byteUnits = ['kB', 'MB', 'GB', 'TB', 'PB'] as const;

/** `512 B`, `1.2 kB`, `34.5 MB`, `123 MB` (powers of 1000). */
export function formatBytes(bytes: number): string {
	if (!Number.isFinite(bytes) || bytes < 1000) {
		return `${Number.isFinite(bytes) ? Math.max(0, Math.round(bytes)) : 0} B`;
	}

	for (const [index, unit] of byteUnits.entries()) {
		const value = bytes / 1000 ** (index + 1);
		const text = value < 99.95 ? value.toFixed(1) : value.toFixed(0);
		if (Number(text) < 1000 || index === byteUnits.length - 1) {
			return `${text} ${unit}`;
		}
	}

	return `${bytes} B`;
}

/** A bar of exactly `width` cells, e.g. `█████░░░░░` for 0.5 and width 10; full only when done. */
export function progressBar(fraction: number, width: number): string {
	const cells = Number.isFinite(width) ? Math.max(0, Math.floor(width)) : 0;
	const part = Number.isFinite(fraction) ? Math.min(1, Math.max(0, fraction)) : 0;
	const filled = Math.min(cells, Math.floor(part * cells));
	return '█'.repeat(filled) + '░'.repeat(cells - filled);
}

/** `████░░░░░░  42% 1.2 MB of 2.9 MB`, or `1.2 MB` when the size is unknown. */
export function describeProgress(progress: DownloadProgress, barWidth = 10): string {
	const {received, total} = progress;
	if (total === undefined || total <= 0) {
		return formatBytes(received);
	}

	const fraction = Math.min(1, received / total);
	const percent = `${Math.floor(fraction * 100)}%`.padStart(4);
	return `${progressBar(fraction, barWidth)} ${percent} ${formatBytes(received)} of ${formatBytes(total)}`;
}
