// Reporting periods: --from/--to, --last 30d|12w|3m|1y, --month YYYY-MM, or (default) the month
// to date, each with the same span of the period before it for comparison. Dates are UTC days;
// a period is half-open [start, end) internally, while --to names the last day included.

import { UsageError } from '../errors.js';

export interface Period {
  /** Inclusive first day (ISO). */
  start: string;
  /** Exclusive end (ISO): the day after the last day included. */
  end: string;
  days: number;
  /** How the user asked for it, for headings ("month to date", "last 30 days", "2026-10"). */
  label: string;
}

export interface PeriodOptions {
  from?: string;
  to?: string;
  last?: string;
  month?: string;
}

const DAY_MS = 86_400_000;
const ISO_DAY = /^(\d{4})-(\d{2})-(\d{2})$/;

export function dayNumber(iso: string): number {
  return Math.floor(Date.parse(`${iso}T00:00:00Z`) / DAY_MS);
}
export function isoDay(day: number): string {
  return new Date(day * DAY_MS).toISOString().slice(0, 10);
}
export function addDays(iso: string, days: number): string {
  return isoDay(dayNumber(iso) + days);
}
export function monthStart(iso: string): string {
  return `${iso.slice(0, 7)}-01`;
}
/** First day of the month `months` after (or before, when negative) the month of `iso`. */
export function addMonths(iso: string, months: number): string {
  const date = new Date(`${monthStart(iso)}T00:00:00Z`);
  return new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + months, 1)).toISOString().slice(0, 10);
}
export function daysInMonth(iso: string): number {
  return dayNumber(addMonths(iso, 1)) - dayNumber(monthStart(iso));
}

function parseDay(flag: string, value: string): string {
  const match = ISO_DAY.exec(value.trim());
  const iso = match ? `${match[1]}-${match[2]}-${match[3]}` : '';
  if (!match || Number.isNaN(Date.parse(`${iso}T00:00:00Z`)) || new Date(`${iso}T00:00:00Z`).toISOString().slice(0, 10) !== iso) {
    throw new UsageError(`${flag} '${value}' is not a date (use YYYY-MM-DD, e.g. 2026-10-01)`);
  }
  return iso;
}

function period(start: string, end: string, label: string): Period {
  return { start, end, days: dayNumber(end) - dayNumber(start), label };
}

/** `--last` spans: days, weeks, months or years ending today (inclusive). */
function lastSpan(value: string, today: string): Period {
  const match = /^(\d+)\s*([dwmy])$/i.exec(value.trim());
  const count = match ? Number(match[1]) : 0;
  if (!match || count < 1 || count > 1000) {
    throw new UsageError(`--last '${value}' is not a span (use a number and d, w, m or y, e.g. 30d, 12w, 3m, 1y)`);
  }
  const end = addDays(today, 1);
  const unit = match[2].toLowerCase();
  const names: Record<string, string> = { d: 'day', w: 'week', m: 'month', y: 'year' };
  const label = `last ${count} ${names[unit]}${count === 1 ? '' : 's'}`;
  if (unit === 'd') return period(addDays(end, -count), end, label);
  if (unit === 'w') return period(addDays(end, -7 * count), end, label);
  // Months and years: the same day-of-month `count` months back, so 3m on 25 Nov starts 26 Aug.
  const months = unit === 'm' ? count : 12 * count;
  const back = new Date(`${end}T00:00:00Z`);
  const target = new Date(Date.UTC(back.getUTCFullYear(), back.getUTCMonth() - months, 1));
  const day = Math.min(back.getUTCDate(), daysInMonth(target.toISOString().slice(0, 10)));
  const start = new Date(Date.UTC(target.getUTCFullYear(), target.getUTCMonth(), day)).toISOString().slice(0, 10);
  return period(start, end, label);
}

/** The period the options ask for and the one to compare it with. `today` is the last day with data. */
export function resolvePeriods(options: PeriodOptions, today: string): { current: Period; previous: Period } {
  const chosen = [
    options.from !== undefined || options.to !== undefined ? '--from/--to' : undefined,
    options.last !== undefined ? '--last' : undefined,
    options.month !== undefined ? '--month' : undefined,
  ].filter(Boolean);
  if (chosen.length > 1) throw new UsageError(`choose one of ${chosen.join(', ')} (they each set the period)`);
  const tomorrow = addDays(today, 1);

  if (options.month !== undefined) {
    const match = /^(\d{4})-(\d{2})$/.exec(options.month.trim());
    const month = match ? `${match[1]}-${match[2]}-01` : '';
    if (!match || Number(match[2]) < 1 || Number(match[2]) > 12)
      throw new UsageError(`--month '${options.month}' is not a month (use YYYY-MM, e.g. 2026-10)`);
    if (month > today) throw new UsageError(`--month ${options.month} is in the future (today is ${today})`);
    const end = addMonths(month, 1) < tomorrow ? addMonths(month, 1) : tomorrow;
    const current = period(month, end, month.slice(0, 7));
    const previousStart = addMonths(month, -1);
    // A month still running compares with the same days of the month before.
    const previousEnd = end === tomorrow ? isoDay(Math.min(dayNumber(previousStart) + current.days, dayNumber(month))) : month;
    return { current, previous: period(previousStart, previousEnd, previousStart.slice(0, 7)) };
  }

  if (options.last !== undefined) {
    const current = lastSpan(options.last, today);
    return { current, previous: period(addDays(current.start, -current.days), current.start, `previous ${current.days} days`) };
  }

  if (options.from !== undefined || options.to !== undefined) {
    if (options.from === undefined) throw new UsageError('--to needs --from (the first day of the period)');
    const start = parseDay('--from', options.from);
    const last = options.to !== undefined ? parseDay('--to', options.to) : today;
    if (start > today) throw new UsageError(`--from ${start} is in the future (today is ${today})`);
    if (last < start) throw new UsageError(`--to ${last} is before --from ${start}`);
    const end = addDays(last > today ? today : last, 1);
    const current = period(start, end, `${start} to ${addDays(end, -1)}`);
    return { current, previous: period(addDays(start, -current.days), start, `previous ${current.days} days`) };
  }

  const start = monthStart(today);
  const current = period(start, tomorrow, 'month to date');
  const previousStart = addMonths(start, -1);
  const previousEnd = isoDay(Math.min(dayNumber(previousStart) + current.days, dayNumber(start)));
  return { current, previous: period(previousStart, previousEnd, 'same days last month') };
}
