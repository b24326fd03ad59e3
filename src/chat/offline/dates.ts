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
  const last = (from: string): DayRange => ({ from, to: today });
  // Most specific first: "since last week" before "last week", "last 3 months" before "last month".
  const spans: [RegExp, (match: RegExpExecArray) => DayRange | undefined][] = [
    [new RegExp(`\\b(?:last|past|previous) (\\d+|a|one|two|three|four|six|twelve) ${UNIT}\\b`), (m) => lastSpan(count(m[1]), m[2], today)],
    [new RegExp(`\\bnext (\\d+|a|one|two|three|four|six|twelve) ${UNIT}\\b`), (m) => nextSpan(count(m[1]), m[2], today)],
    [
      /\bsince (last (?:week|month|year)|yesterday)\b/,
      (m) => {
        const start = parseTimeRange(m[1], today);
        return start && last(start.from);
      },
    ],
    [
      /\bsince (?:the )?(\d{4}-\d{2}-\d{2}|[a-z]{3,9}\.? \d{1,2}(?:st|nd|rd|th)?|\d{1,2}(?:st|nd|rd|th)? [a-z]{3,9}|\d{1,2}(?:st|nd|rd|th)|[a-z]+day)\b/,
      (m) => {
        const from = dayOf(m[1], today);
        return from && from <= today ? last(from) : undefined;
      },
    ],
    [/\bbetween (\d{4}-\d{2}-\d{2}) and (\d{4}-\d{2}-\d{2})\b/, (m) => ({ from: m[1], to: m[2] })],
    [/\bfrom (\d{4}-\d{2}-\d{2}) (?:to|until|through) (\d{4}-\d{2}-\d{2})\b/, (m) => ({ from: m[1], to: m[2] })],
    [/\btoday\b/, () => last(today)],
    [/\byesterday\b/, () => ({ from: addDays(today, -1), to: addDays(today, -1) })],
    [/\b(?:month[- ]to[- ]date|mtd|so far this month)\b/, () => last(monthStart(today))],
    [/\b(?:year[- ]to[- ]date|ytd|so far this year)\b/, () => last(`${year}-01-01`)],
    [/\bpast week\b/, () => last(addDays(today, -6))],
    [/\b(?:last|previous) week\b/, () => ({ from: addDays(weekStart(today), -7), to: addDays(weekStart(today), -1) })],
    [/\bthis week\b/, () => ({ from: weekStart(today), to: addDays(weekStart(today), 6) })],
    [/\bnext week\b/, () => ({ from: addDays(weekStart(today), 7), to: addDays(weekStart(today), 13) })],
    [/\b(?:last|previous|past) month\b/, () => monthRange(year, month - 1)],
    [/\bthis month\b/, () => monthRange(year, month)],
    [/\bnext month\b/, () => monthRange(year, month + 1)],
    [/\b(?:last|previous|past) quarter\b/, () => ({ from: quarterStart(today, -1), to: addDays(quarterStart(today, 0), -1) })],
    [/\bthis quarter\b/, () => ({ from: quarterStart(today, 0), to: addDays(quarterStart(today, 1), -1) })],
    [/\bnext quarter\b/, () => ({ from: quarterStart(today, 1), to: addDays(quarterStart(today, 2), -1) })],
    [/\b(?:last|previous|past) year\b/, () => ({ from: `${year - 1}-01-01`, to: `${year - 1}-12-31` })],
    [/\bthis year\b/, () => ({ from: `${year}-01-01`, to: `${year}-12-31` })],
    [
      /\b(?:in|during|for|of) (january|february|march|april|may|june|july|august|september|october|november|december|jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec)(?: (\d{4}))?\b/,
      (m) => {
        const index = monthIndex(m[1]) as number;
        return monthRange(m[2] ? Number(m[2]) : index > month ? year - 1 : year, index);
      },
    ],
    [/\b(\d{4})-(\d{2})\b(?!-)/, (m) => monthRange(Number(m[1]), Number(m[2]) - 1)],
  ];
  for (const [pattern, range] of spans) {
    const match = pattern.exec(text);
    const found = match ? range(match) : undefined;
    if (found) return found;
  }
  return undefined;
}

/** True when the whole range lies after today: a question about the future. */
export function isFuture(range: DayRange, today: string): boolean {
  return range.from > today;
}
