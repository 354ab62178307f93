// Dates as people read them in a table and a detail pane. The table's form changes only when the
// day does (no ticking seconds, which would redraw rows and cost bytes over SSH); the detail pane
// shows the full local timestamp with its offset, which is unambiguous to paste into a ticket.

export type DateOptions = {
	/** The current time (ms or Date); default `Date.now()`. */
	now?: number | Date;
	/** An IANA time zone such as `Europe/Rome`; default the system's. */
	timeZone?: string;
};

type Parts = {year: string; month: string; day: string; hour: string; minute: string; second: string; offset: string};

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string | undefined): Intl.DateTimeFormat {
	const key = timeZone ?? '';
	let cached = formatters.get(key);
	if (!cached) {
		cached = new Intl.DateTimeFormat('en-US', {
			timeZone,
			year: 'numeric',
			month: '2-digit',
			day: '2-digit',
			hour: '2-digit',
			minute: '2-digit',
			second: '2-digit',
			hourCycle: 'h23',
			timeZoneName: 'longOffset',
		});
		formatters.set(key, cached);
	}

	return cached;
}

const monthNames = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

function toDate(value: string | number | Date | null | undefined): Date | undefined {
	if (value === null || value === undefined || value === '') {
		return undefined;
	}

	const date = value instanceof Date ? value : new Date(value);
	return Number.isNaN(date.getTime()) ? undefined : date;
}

function nowMs(options: DateOptions | undefined): number {
	const now = options?.now;
	if (now === undefined) {
		return Date.now();
	}

	return typeof now === 'number' ? now : now.getTime();
}

const two = (value: number) => String(value).padStart(2, '0');

function parts(date: Date, timeZone: string | undefined): Parts {
	if (timeZone === undefined) {
		// The system's zone: Date's own local-time fields, with no Intl formatter to create (several
		// milliseconds on the way to the first frame) and no formatToParts per cell.
		const offset = -date.getTimezoneOffset();
		const sign = offset < 0 ? '-' : '+';
		return {
			year: String(date.getFullYear()),
			month: two(date.getMonth() + 1),
			day: two(date.getDate()),
			hour: two(date.getHours()),
			minute: two(date.getMinutes()),
			second: two(date.getSeconds()),
			offset: `${sign}${two(Math.floor(Math.abs(offset) / 60))}:${two(Math.abs(offset) % 60)}`,
		};
	}

	const result: Parts = {year: '', month: '', day: '', hour: '', minute: '', second: '', offset: ''};
	for (const part of formatter(timeZone).formatToParts(date)) {
		if (part.type === 'timeZoneName') {
			// "GMT+01:00", or plain "GMT" for a zero offset.
			result.offset = part.value === 'GMT' ? '+00:00' : part.value.replace('GMT', '');
		} else if (part.type in result) {
			result[part.type as keyof Parts] = part.value;
		}
	}

	return result;
}

/**
 * The created column: `14:05` for today, `Nov 28 14:05` for this year, `Nov 28 2023` before it
 * (at most 12 cells). With `short` (narrow terminals): `14:05`, `Nov 28`, `Nov 2023` (at most 8).
 * Missing or invalid dates give `—`.
 */
export function formatCompact(value: string | number | Date | null | undefined, options?: DateOptions & {short?: boolean}): string {
	const date = toDate(value);
	if (!date) {
		return '—';
	}

	const timeZone = options?.timeZone;
	const at = parts(date, timeZone);
	const today = parts(new Date(nowMs(options)), timeZone);
	if (at.year === today.year && at.month === today.month && at.day === today.day) {
		return `${at.hour}:${at.minute}`;
	}

	const month = monthNames[Number(at.month) - 1] ?? at.month;
	const day = String(Number(at.day)).padStart(2, ' ');
	if (at.year === today.year) {
		return options?.short ? `${month} ${day}` : `${month} ${day} ${at.hour}:${at.minute}`;
	}

	return options?.short ? `${month} ${at.year}` : `${month} ${day} ${at.year}`;
}

/** The detail pane: local ISO 8601 with the offset, e.g. `2024-11-28T14:05:09+01:00`; `—` if missing. */
export function formatTimestamp(value: string | number | Date | null | undefined, options?: Pick<DateOptions, 'timeZone'>): string {
	const date = toDate(value);
	if (!date) {
		return '—';
	}

	const at = parts(date, options?.timeZone);
	return `${at.year}-${at.month}-${at.day}T${at.hour}:${at.minute}:${at.second}${at.offset}`;
}

/** Wall-clock time of day, `14:05:09`, for "refreshed at". */
export function formatClock(value: string | number | Date | null | undefined, options?: Pick<DateOptions, 'timeZone'>): string {
	const date = toDate(value);
	if (!date) {
		return '—';
	}

	const at = parts(date, options?.timeZone);
	return `${at.hour}:${at.minute}:${at.second}`;
}

/** How long ago (or how far ahead): `just now`, `42 s ago`, `3 min ago`, `5 h ago`, `2 d ago`, `in 4 min`. */
export function formatAge(value: string | number | Date | null | undefined, options?: Pick<DateOptions, 'now'>): string {
	const date = toDate(value);
	if (!date) {
		return '—';
	}

	const delta = nowMs(options) - date.getTime();
	const seconds = Math.floor(Math.abs(delta) / 1000);
	if (seconds < 5) {
		return 'just now';
	}

	let amount: string;
	if (seconds < 60) {
		amount = `${seconds} s`;
	} else if (seconds < 3600) {
		amount = `${Math.floor(seconds / 60)} min`;
	} else if (seconds < 86_400) {
		amount = `${Math.floor(seconds / 3600)} h`;
	} else if (seconds < 86_400 * 60) {
		amount = `${Math.floor(seconds / 86_400)} d`;
	} else if (seconds < 86_400 * 730) {
		amount = `${Math.floor(seconds / (86_400 * 30))} mo`;
	} else {
		amount = `${Math.floor(seconds / (86_400 * 365))} y`;
	}

	return delta >= 0 ? `${amount} ago` : `in ${amount}`;
}
