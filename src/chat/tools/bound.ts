// Tool results are bounded before they reach a model: a list becomes its count, the top N rows and
// how many more there are, and a result still too large after that is cut down row by row, so a
// 100,000-resource estate is summarised, never sent whole.

/** Rows a list tool returns by default, and at most. */
export const DEFAULT_LIMIT = 20;
export const MAX_LIMIT = 100;
/** Groups a counting tool returns before summing the rest into `others`. */
export const MAX_GROUPS = 30;
/** The most characters of JSON one tool result may take in the conversation (about 6,000 tokens). */
export const MAX_RESULT_CHARS = 24_000;

export interface Page<Row> {
  /** How many rows matched in all. */
  total: number;
  rows: Row[];
  /** Rows matched but not returned (total − rows.length). */
  more: number;
}

export function page<Row>(rows: readonly Row[], limit: number): Page<Row> {
  const shown = rows.slice(0, Math.max(0, limit));
  return { total: rows.length, rows: shown, more: rows.length - shown.length };
}

export interface Grouped {
  key: string;
  count: number;
}

/** Counts per key, largest first (ties by key), the tail beyond `max` summed as `others`. */
export function countBy<T>(items: Iterable<T>, keyOf: (item: T) => string | undefined, max = MAX_GROUPS) {
  const counts = new Map<string, number>();
  let total = 0;
  for (const item of items) {
    total += 1;
    const key = keyOf(item) ?? '(none)';
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  const groups: Grouped[] = [...counts]
    .map(([key, count]) => ({ key, count }))
    .sort((a, b) => b.count - a.count || a.key.localeCompare(b.key));
  const shown = groups.slice(0, max);
  const rest = groups.slice(max);
  return {
    total,
    groups: shown,
    others: rest.length ? { groups: rest.length, count: rest.reduce((sum, g) => sum + g.count, 0) } : undefined,
  };
}

/**
 * The result as it goes into the conversation: JSON of at most `maxChars`. A result over the bound
 * has its longest array halved (the dropped rows counted in `truncated`) until it fits; a result
 * that cannot be made to fit is replaced by a note saying so.
 */
export function fitForModel(result: unknown, maxChars = MAX_RESULT_CHARS): string {
  let text = JSON.stringify(result ?? null);
  if (text.length <= maxChars) return text;
  const copy = structuredClone(result) as unknown;
  let dropped = 0;
  for (let round = 0; round < 64 && text.length > maxChars; round++) {
    const longest = longestArray(copy);
    if (!longest || longest.length <= 1) break;
    const keep = Math.floor(longest.length / 2);
    dropped += longest.length - keep;
    longest.length = keep;
    text = JSON.stringify({ ...(copy as object), truncated: { rowsDropped: dropped, reason: `result over ${maxChars} characters` } });
  }
  if (text.length <= maxChars) return text;
  return JSON.stringify({
    truncated: {
      reason: `the result is over ${maxChars} characters even summarised; ask a narrower question (a filter or a smaller limit)`,
    },
  });
}

function longestArray(value: unknown): unknown[] | undefined {
  let best: unknown[] | undefined;
  let bestSize = 0;
  const visit = (node: unknown) => {
    if (Array.isArray(node)) {
      const size = JSON.stringify(node).length;
      if (size > bestSize && node.length > 1) {
        best = node;
        bestSize = size;
      }
      for (const item of node) visit(item);
    } else if (node && typeof node === 'object') {
      for (const child of Object.values(node)) visit(child);
    }
  };
  visit(value);
  return best;
}
