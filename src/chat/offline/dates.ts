// Time ranges in a question ("last week", "since monday", "in march", "next 30 days") as absolute
// UTC days against an injected today, inclusive on both ends like `costs --from/--to`.
// Calendar words name the whole calendar unit ("this month" is 1–30 November); "so far"/"to date"
// and "since …" end today. A month named alone is its latest occurrence that is not in the future.

import { addDays, addMonths, daysInMonth, monthStart } from '../../costs/period.js';

export interface DayRange {
  /** First day included (YYYY-MM-DD). */
  from: string;
  /** Last day included (YYYY-MM-DD). */
  to: string;
}

const MONTHS = [
  'january',
  'february',
  'march',
  'april',
  'may',
  'june',
  'july',
  'august',
  'september',
  'october',
  'november',
  'december',
] as const;
const WEEKDAYS = ['sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday'] as const;

/** "mar", "sept", "march" → 0-based month; undefined for anything else. */
function monthIndex(word: string): number | undefined {
  const index = MONTHS.findIndex((month) => month === word || month.slice(0, 3) === word || (word === 'sept' && month === 'september'));
  return index < 0 ? undefined : index;
}

/** The same day of the month `months` later, clamped to the target month's length. */
function sameDayLater(iso: string, months: number): string {
  const target = addMonths(iso, months);
  const day = Math.min(Number(iso.slice(8, 10)), daysInMonth(target));
  return `${target.slice(0, 8)}${String(day).padStart(2, '0')}`;
}

function monthRange(year: number, month: number): DayRange {
  const from = new Date(Date.UTC(year, month, 1)).toISOString().slice(0, 10);
  return { from, to: addDays(addMonths(from, 1), -1) };
}

function weekStart(today: string): string {
  const weekday = new Date(`${today}T00:00:00Z`).getUTCDay();
  return addDays(today, -((weekday + 6) % 7));
}

function quarterStart(today: string, offset: number): string {
  const month = Number(today.slice(5, 7)) - 1;
  return addMonths(`${today.slice(0, 4)}-01-01`, Math.floor(month / 3) * 3 + 3 * offset);
}

/** The span of `count` units ending today, as `costs --last` counts it (months keep the day of month). */
function lastSpan(count: number, unit: string, today: string): DayRange {
  if (unit === 'day') return { from: addDays(today, -(count - 1)), to: today };
  if (unit === 'week') return { from: addDays(today, -(7 * count - 1)), to: today };
  const months = unit === 'month' ? count : 12 * count;
  return { from: sameDayLater(addDays(today, 1), -months), to: today };
}

function nextSpan(count: number, unit: string, today: string): DayRange {
  const from = addDays(today, 1);
  if (unit === 'day') return { from, to: addDays(today, count) };
  if (unit === 'week') return { from, to: addDays(today, 7 * count) };
  const months = unit === 'month' ? count : 12 * count;
  return { from, to: addDays(sameDayLater(from, months), -1) };
}

const UNIT = '(day|week|month|year)s?';
const NUMBER_WORDS: Record<string, number> = { a: 1, one: 1, two: 2, three: 3, four: 4, six: 6, twelve: 12 };

function count(text: string): number {
  return NUMBER_WORDS[text] ?? Number(text);
}

/** A date written as 2026-10-15, "oct 15", "15 oct", "1st", "the 1st" (this month), or a weekday. */
function dayOf(text: string, today: string): string | undefined {
  const iso = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (iso) return text;
  const [year, month] = [Number(today.slice(0, 4)), Number(today.slice(5, 7)) - 1];
  const pick = (m: number, d: number): string => {
    let candidate = new Date(Date.UTC(year, m, d)).toISOString().slice(0, 10);
    if (candidate > today) candidate = new Date(Date.UTC(year - 1, m, d)).toISOString().slice(0, 10);
    return candidate;
  };
  const monthDay = /^([a-z]{3,9})\.? (\d{1,2})(?:st|nd|rd|th)?$/.exec(text) ?? /^(\d{1,2})(?:st|nd|rd|th)? ([a-z]{3,9})$/.exec(text);
  if (monthDay) {
    const [a, b] = [monthDay[1], monthDay[2]];
    const monthWord = /^\d/.test(a) ? b : a;
    const dayText = /^\d/.test(a) ? a : b;
    const m = monthIndex(monthWord);
    if (m !== undefined) return pick(m, Number(dayText));
  }
  const ordinal = /^(?:the )?(\d{1,2})(?:st|nd|rd|th)$/.exec(text);
  if (ordinal) return pick(month, Number(ordinal[1]));
  const weekday = WEEKDAYS.indexOf(text as (typeof WEEKDAYS)[number]);
  if (weekday >= 0) {
    const back = (new Date(`${today}T00:00:00Z`).getUTCDay() - weekday + 7) % 7;
    return addDays(today, -back);
  }
  return undefined;
}

/**
 * The first time range the (lower-cased, normalised) text names, or undefined. `today` is the
 * injected clock's UTC day; nothing here reads the wall clock.
 */
export function parseTimeRange(text: string, today: string): DayRange | undefined {
  const year = Number(today.slice(0, 4));
  const month = Number(today.slice(5, 7)) - 1;
  let match: RegExpExecArray | null;

  if ((match = new RegExp(`\\b(?:last|past|previous) (\\d+|a|one|two|three|four|six|twelve) ${UNIT}\\b`).exec(text))) {
    return lastSpan(count(match[1]), match[2], today);
  }
  if ((match = new RegExp(`\\bnext (\\d+|a|one|two|three|four|six|twelve) ${UNIT}\\b`).exec(text))) {
    return nextSpan(count(match[1]), match[2], today);
  }
  if ((match = /\bsince (last (?:week|month|year)|yesterday)\b/.exec(text))) {
    const start = parseTimeRange(match[1], today);
    return start && { from: start.from, to: today };
  }
  if ((match = /\bsince (?:the )?(\d{4}-\d{2}-\d{2}|[a-z]{3,9}\.? \d{1,2}(?:st|nd|rd|th)?|\d{1,2}(?:st|nd|rd|th)? [a-z]{3,9}|\d{1,2}(?:st|nd|rd|th)|[a-z]+day)\b/.exec(text))) {
    const from = dayOf(match[1], today);
    if (from && from <= today) return { from, to: today };
  }
  if ((match = /\bbetween (\d{4}-\d{2}-\d{2}) and (\d{4}-\d{2}-\d{2})\b/.exec(text))) return { from: match[1], to: match[2] };
  if ((match = /\bfrom (\d{4}-\d{2}-\d{2}) (?:to|until|through) (\d{4}-\d{2}-\d{2})\b/.exec(text))) return { from: match[1], to: match[2] };
  if (/\btoday\b/.test(text)) return { from: today, to: today };
  if (/\byesterday\b/.test(text)) return { from: addDays(today, -1), to: addDays(today, -1) };
  if (/\b(?:month[- ]to[- ]date|mtd|so far this month)\b/.test(text)) return { from: monthStart(today), to: today };
  if (/\b(?:year[- ]to[- ]date|ytd|so far this year)\b/.test(text)) return { from: `${year}-01-01`, to: today };
  if (/\b(?:past|last) week\b/.test(text) && /\bpast week\b/.test(text)) return { from: addDays(today, -6), to: today };
  if (/\blast week\b/.test(text)) {
    const start = addDays(weekStart(today), -7);
    return { from: start, to: addDays(start, 6) };
  }
  if (/\bthis week\b/.test(text)) return { from: weekStart(today), to: addDays(weekStart(today), 6) };
  if (/\bnext week\b/.test(text)) return { from: addDays(weekStart(today), 7), to: addDays(weekStart(today), 13) };
  if (/\b(?:last|previous|past) month\b/.test(text)) return monthRange(year, month - 1);
  if (/\bthis month\b|\bthis month's\b/.test(text)) return monthRange(year, month);
  if (/\bnext month\b/.test(text)) return monthRange(year, month + 1);
  if (/\b(?:last|previous|past) quarter\b/.test(text)) return { from: quarterStart(today, -1), to: addDays(quarterStart(today, 0), -1) };
  if (/\bthis quarter\b/.test(text)) return { from: quarterStart(today, 0), to: addDays(quarterStart(today, 1), -1) };
  if (/\bnext quarter\b/.test(text)) return { from: quarterStart(today, 1), to: addDays(quarterStart(today, 2), -1) };
  if (/\b(?:last|previous|past) year\b/.test(text)) return { from: `${year - 1}-01-01`, to: `${year - 1}-12-31` };
  if (/\bthis year\b/.test(text)) return { from: `${year}-01-01`, to: `${year}-12-31` };
  if ((match = /\b(?:in|during|for|of) (january|february|march|april|may|june|july|august|september|october|november|december|jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec)(?: (\d{4}))?\b/.exec(text))) {
    const m = monthIndex(match[1]) as number;
    const y = match[2] ? Number(match[2]) : m > month ? year - 1 : year;
    return monthRange(y, m);
  }
  if ((match = /\b(\d{4})-(\d{2})\b(?!-)/.exec(text))) return monthRange(Number(match[1]), Number(match[2]) - 1);
  return undefined;
}

/** True when the whole range lies after today: a question about the future. */
export function isFuture(range: DayRange, today: string): boolean {
  return range.from > today;
}
