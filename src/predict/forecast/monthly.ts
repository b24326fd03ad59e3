// Charges billed once a month on the same day (a reservation's fee on the 1st, a support plan):
// a weekly model would either smear them over every day or repeat them every week. They are
// found in the history (a day well over its month's typical day, on the same day of the month in
// at least two of the last three whole months), taken out before a model is fitted, and added
// back once on their day in the forecast. The same rule as the costs projection's one-offs.

const DAY_MS = 86_400_000;
/** Whole months searched. */
const MONTHS = 3;

export interface MonthlyCharge {
  /** Day of the month (a 31 lands on the last day of shorter months). */
  dayOfMonth: number;
  /** The mean excess over a typical day in the months it was seen. */
  amount: number;
  seenIn: number;
  of: number;
}

interface Calendar {
  year: number;
  month: number;
  date: number;
  daysInMonth: number;
}

function calendar(day: number): Calendar {
  const d = new Date(day * DAY_MS);
  const year = d.getUTCFullYear();
  const month = d.getUTCMonth();
  return { year, month, date: d.getUTCDate(), daysInMonth: new Date(Date.UTC(year, month + 1, 0)).getUTCDate() };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** Whether `day` is the charge day `dom` of its month (29–31 clamp to a shorter month's last day). */
export function isChargeDay(day: number, dom: number): boolean {
  const c = calendar(day);
  return c.date === Math.min(dom, c.daysInMonth);
}

/** Charges in a daily history (values[i] is day `firstDay + i`), from its last whole months. */
export function findMonthlyCharges(values: number[], firstDay: number): MonthlyCharge[] {
  const lastDay = firstDay + values.length - 1;
  const months: { start: number; length: number }[] = [];
  let cursor = lastDay;
  // Walk back month by month from the last whole month in the history.
  const end = calendar(lastDay);
  cursor = end.date === end.daysInMonth ? lastDay : lastDay - end.date;
  while (months.length < MONTHS) {
    const c = calendar(cursor);
    const start = cursor - c.date + 1;
    if (start < firstDay) break;
    months.push({ start, length: c.daysInMonth });
    cursor = start - 1;
  }
  const excesses = new Map<number, number[]>();
  for (const { start, length } of months) {
    const days = values.slice(start - firstDay, start - firstDay + length);
    const typical = median(days);
    const deviation = 1.4826 * median(days.map((v) => Math.abs(v - typical)));
    days.forEach((value, i) => {
      const excess = value - typical;
      if (excess > Math.max(4 * deviation, 0.25 * Math.abs(typical))) {
        // The last day of a short month stands for every later day of the month.
        const dom = i === length - 1 && length < 31 ? 31 : i + 1;
        excesses.set(dom, [...(excesses.get(dom) ?? []), excess]);
      }
    });
  }
  const found: MonthlyCharge[] = [];
  for (const [dayOfMonth, list] of excesses) {
    if (list.length < 2) continue;
    found.push({ dayOfMonth, amount: list.reduce((sum, v) => sum + v, 0) / list.length, seenIn: list.length, of: months.length });
  }
  return found.sort((a, b) => a.dayOfMonth - b.dayOfMonth);
}

/** The history with each charge day replaced by the median of the same weekday around it. */
export function withoutCharges(values: number[], firstDay: number, charges: MonthlyCharge[]): number[] {
  if (charges.length === 0) return values;
  const charged = values.map((_, i) => charges.some((c) => isChargeDay(firstDay + i, c.dayOfMonth)));
  return values.map((value, i) => {
    if (!charged[i]) return value;
    const around = [-14, -7, 7, 14].map((k) => i + k).filter((j) => j >= 0 && j < values.length && !charged[j]);
    return around.length > 0 ? median(around.map((j) => values[j])) : value;
  });
}

/** The charges that fall on the `h` days after `lastDay`, by day. */
export function chargesAhead(lastDay: number, h: number, charges: MonthlyCharge[]): number[] {
  return Array.from({ length: h }, (_, i) =>
    charges.filter((c) => isChargeDay(lastDay + 1 + i, c.dayOfMonth)).reduce((sum, c) => sum + c.amount, 0),
  );
}
