// The dates a filter may hold: a day (YYYY-MM-DD, today, yesterday, tomorrow) is a local calendar
// day, [start, next); an instant is an ISO date-time, now, or a time before now (-30m, -2h, -3d,
// -1w). The clock is the caller's `now`.

const relativeUnits: Record<string, number> = {s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000};

export type DateValue = {kind: 'day'; start: Date; next: Date} | {kind: 'instant'; at: Date};

function localDay(year: number, monthIndex: number, day: number): DateValue {
	return {kind: 'day', start: new Date(year, monthIndex, day), next: new Date(year, monthIndex, day + 1)};
}

function validCalendarDate(year: number, month: number, day: number): boolean {
	if (month < 1 || month > 12 || day < 1) {
		return false;
	}

	return day <= new Date(Date.UTC(year, month, 0)).getUTCDate();
}

export const isoDateTime =
	/^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?([Zz]|[+-]\d{2}:?\d{2})?$/;

export function parseDate(raw: string, now: Date): DateValue | undefined {
	const text = raw.toLowerCase();
	if (text === 'now') {
		return {kind: 'instant', at: new Date(now.getTime())};
	}

	if (text === 'today') {
		return localDay(now.getFullYear(), now.getMonth(), now.getDate());
	}

	if (text === 'yesterday') {
		return localDay(now.getFullYear(), now.getMonth(), now.getDate() - 1);
	}

	if (text === 'tomorrow') {
		return localDay(now.getFullYear(), now.getMonth(), now.getDate() + 1);
	}

	const relative = /^-?(\d{1,6})([smhdw])$/.exec(text);
	if (relative) {
		return {kind: 'instant', at: new Date(now.getTime() - Number(relative[1]) * relativeUnits[relative[2]!]!)};
	}

	const day = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
	if (day) {
		const [year, month, date] = [Number(day[1]), Number(day[2]), Number(day[3])];
		return validCalendarDate(year, month, date) ? localDay(year, month - 1, date) : undefined;
	}

	const full = isoDateTime.exec(raw);
	if (!full) {
		return undefined;
	}

	const [year, month, date, hours, minutes] = [1, 2, 3, 4, 5].map(index => Number(full[index]));
	const seconds = Number(full[6] ?? 0);
	const millis = Number((full[7] ?? '0').padEnd(3, '0').slice(0, 3));
	if (!validCalendarDate(year!, month!, date!) || hours! > 23 || minutes! > 59 || seconds > 59) {
		return undefined;
	}

	const zone = full[8];
	if (!zone) {
		return {kind: 'instant', at: new Date(year!, month! - 1, date!, hours, minutes, seconds, millis)};
	}

	let offsetMinutes = 0;
	if (zone.toLowerCase() !== 'z') {
		const digits = zone.replace(':', '');
		const zoneHours = Number(digits.slice(1, 3));
		const zoneMinutes = Number(digits.slice(3, 5));
		if (zoneHours > 23 || zoneMinutes > 59) {
			return undefined;
		}

		offsetMinutes = (zoneHours * 60 + zoneMinutes) * (digits.startsWith('-') ? -1 : 1);
	}

	const utc = Date.UTC(year!, month! - 1, date!, hours, minutes, seconds, millis) - offsetMinutes * 60_000;
	return {kind: 'instant', at: new Date(utc)};
}
