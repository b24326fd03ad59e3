// The terminal band chart: history then the forecast band, fitted to the width, plain characters only.

import { describe, expect, it } from 'vitest';
import { bandChart, CHART_SYMBOLS } from '../../src/render/chart.js';

const DAY = 86_400_000;
const T0 = Date.UTC(2026, 9, 1);
const history = Array.from({ length: 60 }, (_, i) => ({ t: T0 + i * DAY, v: 100 + i + (i % 7 === 0 ? 20 : 0) }));
const forecast = Array.from({ length: 30 }, (_, i) => ({
  t: T0 + (60 + i) * DAY,
  mean: 160 + i,
  lower80: 150 + i,
  upper80: 170 + i,
  lower95: 140 + i,
  upper95: 180 + i,
}));

describe('bandChart', () => {
  it('fits the width it is given, labels included, and ends with a date axis from first to last day', () => {
    for (const width of [40, 80, 120]) {
      const lines = bandChart({ history, forecast }, { width, height: 8 });
      expect(lines).toHaveLength(10);
      for (const line of lines) expect([...line].length).toBeLessThanOrEqual(width);
      expect(lines[9]).toMatch(/2026-10-01 .*2026-12-29$/);
    }
  });

  it('draws the history before the band and the band around the forecast, with no escape sequences', () => {
    const lines = bandChart({ history, forecast }, { width: 80, height: 10 });
    const text = lines.join('\n');
    expect(text).not.toMatch(/\x1b/);
    const plot = lines.slice(0, 10).map((line) => line.slice(line.indexOf('┤') + 1));
    const firstBand = Math.min(...plot.map((row) => row.search(/[▒░◦]/)).filter((i) => i >= 0));
    const lastHistory = Math.max(...plot.map((row) => row.lastIndexOf(CHART_SYMBOLS.history)));
    expect(lastHistory).toBeLessThan(firstBand);
    expect(text).toContain(CHART_SYMBOLS.band80);
    expect(text).toContain(CHART_SYMBOLS.band95);
  });

  it('leaves a gap blank, draws a flat line in the middle and returns nothing for nothing finite', () => {
    const gappy = history.map((p, i) => (i === 59 ? { ...p, v: Number.NaN } : p));
    const lines = bandChart({ history: gappy.slice(50) }, { width: 40, height: 5 });
    const plot = lines.slice(0, 5).map((line) => line.slice(line.indexOf('┤') + 1));
    expect(plot.every((row) => row.length < 10)).toBe(true);
    const flat = bandChart({ history: history.map((p) => ({ ...p, v: 5 })) }, { width: 40, height: 5 });
    expect(flat[2]).toContain(CHART_SYMBOLS.history);
    expect(bandChart({ history: [{ t: T0, v: Number.NaN }] })).toEqual([]);
  });
});
