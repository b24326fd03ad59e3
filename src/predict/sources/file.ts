// Series from a file a person saved: CSV (`timestamp,value`, or several value columns — one series
// each) or JSON (a Series, an array of them, or `{ "series": [...] }`, points as `{t, v}` or
// `[t, v]`). Timestamps are ISO 8601 (UTC unless they say otherwise), "YYYY-MM-DD hh:mm:ss"
// (UTC, as NAB writes them), or epoch seconds/milliseconds.

import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { UsageError } from '../../errors.js';
import type { Series, TimePoint } from '../../model/series.js';

export async function readSeriesFile(path: string): Promise<Series[]> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a directory' : (error as Error).message;
    throw new UsageError(`cannot read ${path}: ${why}`);
  }
  const trimmed = text.trimStart();
  return trimmed.startsWith('{') || trimmed.startsWith('[') ? parseSeriesJson(text, path) : parseSeriesCsv(text, path);
}

/** Epoch ms of a timestamp as files write them; NaN when it is none of the accepted forms. */
export function parseTimestamp(raw: unknown): number {
  if (typeof raw === 'number') return raw < 1e11 ? raw * 1000 : raw;
  if (typeof raw !== 'string') return Number.NaN;
  const text = raw.trim();
  if (/^\d+(\.\d+)?$/.test(text)) return parseTimestamp(Number(text));
  // "2014-07-01 00:00:00" and "2014-07-01": no zone given, read as UTC (Date.parse would take local time).
  const m = /^(\d{4}-\d{2}-\d{2})(?:[ T](\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?))?$/.exec(text);
  if (m) return Date.parse(`${m[1]}T${m[2] ?? '00:00:00'}Z`);
  return /^\d{4}-\d{2}-\d{2}T/.test(text) ? Date.parse(text) : Number.NaN;
}

/** A value cell: empty, "NaN", "Inf" and the like become NaN/±Infinity, which the detector skips and reports. */
function parseValue(raw: string): number {
  const text = raw.trim();
  if (text === '' || /^nan$/i.test(text) || /^null$/i.test(text)) return Number.NaN;
  if (/^[+]?inf(inity)?$/i.test(text)) return Number.POSITIVE_INFINITY;
  if (/^-inf(inity)?$/i.test(text)) return Number.NEGATIVE_INFINITY;
  const value = Number(text);
  return value;
}

export function parseSeriesCsv(text: string, path: string): Series[] {
  const lines = text.split(/\r?\n/).filter((line) => line.trim() !== '');
  if (lines.length === 0) throw new UsageError(`${path} is empty`);
  const cells = (line: string) => line.split(',').map((c) => c.trim().replace(/^"(.*)"$/, '$1'));
  const first = cells(lines[0]);
  const hasHeader = Number.isNaN(parseTimestamp(first[0]));
  const header = hasHeader ? first : first.map((_, i) => (i === 0 ? 'timestamp' : `value${i === 1 ? '' : i}`));
  if (header.length < 2) throw new UsageError(`${path}: expected columns timestamp,value (got "${lines[0].slice(0, 80)}")`);
  const columns = header.slice(1).map(() => [] as TimePoint[]);
  const body = hasHeader ? lines.slice(1) : lines;
  body.forEach((line, index) => {
    const row = cells(line);
    const lineNo = index + (hasHeader ? 2 : 1);
    const t = parseTimestamp(row[0]);
    if (Number.isNaN(t)) throw new UsageError(`${path}:${lineNo}: "${row[0].slice(0, 40)}" is not a timestamp`);
    for (let c = 1; c < header.length; c++) {
      const v = parseValue(row[c] ?? '');
      if (Number.isNaN(v) && (row[c] ?? '').trim() !== '' && !/^(nan|null)$/i.test((row[c] ?? '').trim())) {
        throw new UsageError(`${path}:${lineNo}: "${(row[c] ?? '').slice(0, 40)}" is not a number`);
      }
      columns[c - 1].push({ t, v });
    }
  });
  const name = basename(path);
  return columns.map((points, i) => {
    const column = header[i + 1];
    const single = header.length === 2;
    return {
      id: single ? name : `${name}#${column}`,
      name: single ? name : `${name} ${column}`,
      labels: { file: name, column },
      points: ordered(points, path),
    };
  });
}

/** In time order, one point per timestamp (the last one a file gives wins). */
function ordered(points: TimePoint[], path: string): TimePoint[] {
  const byTime = new Map<number, TimePoint>();
  for (const p of points) byTime.set(p.t, p);
  if (byTime.size === 0) throw new UsageError(`${path} has no data rows`);
  return [...byTime.values()].sort((a, b) => a.t - b.t);
}

export function parseSeriesJson(text: string, path: string): Series[] {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new UsageError(`${path} is not valid JSON: ${(error as Error).message}`);
  }
  const list = Array.isArray(data) ? data : isObject(data) && Array.isArray(data.series) ? data.series : [data];
  const name = basename(path);
  return list.map((item: unknown, index: number) => {
    if (!isObject(item) || !Array.isArray(item.points)) {
      throw new UsageError(`${path}: series ${index} has no "points" array`);
    }
    const points = item.points.map((p: unknown, i: number) => {
      const [rawT, rawV] = Array.isArray(p) ? p : isObject(p) ? [p.t ?? p.timestamp, p.v ?? p.value] : [undefined, undefined];
      const t = parseTimestamp(rawT);
      if (Number.isNaN(t)) throw new UsageError(`${path}: series ${index} point ${i} has no readable timestamp`);
      const v = typeof rawV === 'number' ? rawV : rawV === null ? Number.NaN : typeof rawV === 'string' ? parseValue(rawV) : Number.NaN;
      return { t, v };
    });
    const id = typeof item.id === 'string' ? item.id : `${name}#${index}`;
    const labels = isObject(item.labels) ? Object.fromEntries(Object.entries(item.labels).map(([k, v]) => [k, String(v)])) : {};
    return {
      id,
      name: typeof item.name === 'string' ? item.name : id,
      unit: typeof item.unit === 'string' ? item.unit : undefined,
      labels,
      points: ordered(points, path),
    };
  });
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
