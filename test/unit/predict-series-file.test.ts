import { describe, expect, it } from 'vitest';
import { parseSeriesCsv, parseSeriesJson, parseTimestamp } from '../../src/predict/sources/file.js';

describe('series files', () => {
  it('reads the timestamps files write: ISO, NAB-style UTC, dates, epoch seconds and milliseconds', () => {
    const t = Date.parse('2014-07-01T00:30:00Z');
    expect(parseTimestamp('2014-07-01 00:30:00')).toBe(t);
    expect(parseTimestamp('2014-07-01T00:30:00Z')).toBe(t);
    expect(parseTimestamp('2014-07-01T02:30:00+02:00')).toBe(t);
    expect(parseTimestamp(String(t / 1000))).toBe(t);
    expect(parseTimestamp(t)).toBe(t);
    expect(parseTimestamp('2014-07-01')).toBe(Date.parse('2014-07-01T00:00:00Z'));
    expect(parseTimestamp('yesterday')).toBeNaN();
  });

  it('makes one series per value column, in time order, keeping empty, NaN and Inf cells as gaps to report', () => {
    const csv = 'timestamp,cpu,mem\n2026-11-02 00:00:00,2,NaN\n2026-11-01 00:00:00,1,\n2026-11-03 00:00:00,Inf,3\n';
    const [cpu, mem] = parseSeriesCsv(csv, '/tmp/host.csv');
    expect(cpu.name).toBe('host.csv cpu');
    expect(cpu.points.map((p) => p.v)).toEqual([1, 2, Number.POSITIVE_INFINITY]);
    expect(mem.points.map((p) => p.v)).toEqual([Number.NaN, Number.NaN, 3]);
    expect(cpu.points[0].t).toBe(Date.parse('2026-11-01T00:00:00Z'));
  });

  it('reads a headerless two-column CSV as one series named after the file', () => {
    const [one] = parseSeriesCsv('2026-11-01,5\n2026-11-02,6\n', 'spend.csv');
    expect(one.id).toBe('spend.csv');
    expect(one.points).toHaveLength(2);
  });

  it('names the line and the cell it cannot read', () => {
    expect(() => parseSeriesCsv('timestamp,value\n2026-11-01,1\n2026-11-02,lots\n', 'x.csv')).toThrow('x.csv:3: "lots" is not a number');
    expect(() => parseSeriesCsv('timestamp,value\nsoon,1\n', 'x.csv')).toThrow('x.csv:2: "soon" is not a timestamp');
    expect(() => parseSeriesCsv('timestamp\n2026-11-01\n', 'x.csv')).toThrow(/expected columns timestamp,value/);
  });

  it('reads JSON series: one, a list, or { series }, points as {t, v} or [t, v]', () => {
    const one = parseSeriesJson('{"id":"a","points":[{"t":"2026-11-01T00:00:00Z","v":1},[1793577600000,2]]}', 'a.json');
    expect(one[0].points.map((p) => p.v)).toEqual([1, 2]);
    const wrapped = parseSeriesJson('{"series":[{"name":"b","points":[[1793491200,null]]}]}', 'b.json');
    expect(wrapped[0].name).toBe('b');
    expect(wrapped[0].points[0].v).toBeNaN();
    expect(() => parseSeriesJson('[{"id":"c"}]', 'c.json')).toThrow('c.json: series 0 has no "points" array');
    expect(() => parseSeriesJson('{', 'd.json')).toThrow(/d.json is not valid JSON/);
  });
});
