import {describe, expect, test} from 'vitest';
import {formatAge, formatClock, formatCompact, formatTimestamp} from '../source/text/dates.js';

// 2024-11-28 15:30:00 in Rome (UTC+1 in winter).
const now = Date.parse('2024-11-28T14:30:00Z');
const rome = {now, timeZone: 'Europe/Rome'};

describe('formatCompact', () => {
	test('today: only the local time', () => {
		expect(formatCompact('2024-11-28T13:05:00Z', rome)).toBe('14:05');
		expect(formatCompact('2024-11-27T23:30:00Z', rome)).toBe('00:30'); // already the 28th in Rome
	});

	test('this year: month, day and time', () => {
		expect(formatCompact('2024-11-27T22:59:00Z', rome)).toBe('Nov 27 23:59');
		expect(formatCompact('2024-03-05T08:00:00Z', rome)).toBe('Mar  5 09:00');
	});

	test('other years: month, day and year', () => {
		expect(formatCompact('2023-12-31T10:00:00Z', rome)).toBe('Dec 31 2023');
	});

	test('short form for narrow tables', () => {
		expect(formatCompact('2024-11-28T13:05:00Z', {...rome, short: true})).toBe('14:05');
		expect(formatCompact('2024-11-27T10:00:00Z', {...rome, short: true})).toBe('Nov 27');
		expect(formatCompact('2023-12-31T10:00:00Z', {...rome, short: true})).toBe('Dec 2023');
	});

	test('follows the time zone', () => {
		expect(formatCompact('2024-11-28T13:05:00Z', {now, timeZone: 'America/New_York'})).toBe('08:05');
		expect(formatCompact('2024-11-28T16:00:00Z', {now, timeZone: 'Asia/Tokyo'})).toBe('Nov 29 01:00'); // tomorrow in Tokyo
	});

	test('missing or invalid dates', () => {
		expect(formatCompact(null, rome)).toBe('—');
		expect(formatCompact(undefined, rome)).toBe('—');
		expect(formatCompact('not a date', rome)).toBe('—');
	});

	test('at most 12 cells', () => {
		for (let day = 0; day < 800; day += 7) {
			expect(formatCompact(now - day * 86_400_000, rome).length).toBeLessThanOrEqual(12);
		}
	});
});

describe('formatTimestamp', () => {
	test('local ISO 8601 with the offset', () => {
		expect(formatTimestamp('2024-11-28T13:05:09.123Z', {timeZone: 'Europe/Rome'})).toBe('2024-11-28T14:05:09+01:00');
		expect(formatTimestamp('2024-07-01T13:05:09Z', {timeZone: 'Europe/Rome'})).toBe('2024-07-01T15:05:09+02:00');
		expect(formatTimestamp('2024-11-28T13:05:09Z', {timeZone: 'UTC'})).toBe('2024-11-28T13:05:09+00:00');
		expect(formatTimestamp('2024-11-28T13:05:09Z', {timeZone: 'Asia/Kolkata'})).toBe('2024-11-28T18:35:09+05:30');
		expect(formatTimestamp('2024-11-28T13:05:09Z', {timeZone: 'America/New_York'})).toBe('2024-11-28T08:05:09-05:00');
		expect(formatTimestamp(null)).toBe('—');
	});

	test('the same instant as the input', () => {
		const iso = '2024-11-28T13:05:09Z';
		expect(Date.parse(formatTimestamp(iso, {timeZone: 'Pacific/Auckland'}))).toBe(Date.parse(iso));
	});
});

describe('formatClock', () => {
	test('time of day', () => {
		expect(formatClock(Date.parse('2024-11-28T13:05:09Z'), {timeZone: 'Europe/Rome'})).toBe('14:05:09');
	});
});

describe('formatAge', () => {
	test('relative to now', () => {
		expect(formatAge(now - 2000, {now})).toBe('just now');
		expect(formatAge(now - 42_000, {now})).toBe('42 s ago');
		expect(formatAge(now - 3 * 60_000, {now})).toBe('3 min ago');
		expect(formatAge(now - 5 * 3_600_000, {now})).toBe('5 h ago');
		expect(formatAge(now - 2 * 86_400_000, {now})).toBe('2 d ago');
		expect(formatAge(now - 90 * 86_400_000, {now})).toBe('3 mo ago');
		expect(formatAge(now - 800 * 86_400_000, {now})).toBe('2 y ago');
		expect(formatAge(now + 4 * 60_000, {now})).toBe('in 4 min');
		expect(formatAge(new Date(now - 60_000).toISOString(), {now: new Date(now)})).toBe('1 min ago');
		expect(formatAge(undefined, {now})).toBe('—');
	});
});
