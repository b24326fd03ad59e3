// The Prometheus source against Debian's real Prometheus (backfilled with promtool): values as
// strings incl. NaN and +Inf, a range over the 11,000-point limit split and joined, a cap on
// hundreds of series, none, Prometheus's own error for a bad query, a server that is down, slow
// or answers 5xx without JSON.

import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, UsageError } from '../../src/errors.js';
import { readPrometheus, sampleValue, seriesName, splitRange } from '../../src/predict/sources/prometheus.js';
import { type BackfillSeries, openMetricsText, type RunningPrometheus, startPrometheus } from '../helpers/prometheus.js';

const HOUR = 3_600_000;
// Whole hours, ending well before the ~3 h Prometheus keeps for its head block.
const END = Math.floor(Date.now() / HOUR) * HOUR - 6 * HOUR;
const START = END - 21 * 24 * HOUR;

function every(stepMs: number, from: number, to: number, value: (t: number, i: number) => number): { t: number; v: number }[] {
  const points = [];
  for (let t = from, i = 0; t <= to; t += stepMs, i++) points.push({ t, v: value(t, i) });
  return points;
}

const FIVE_MIN = 300_000;
const SERIES: BackfillSeries[] = [
  { name: 'disk_used_ratio', labels: { instance: 'a', mountpoint: '/' }, points: every(FIVE_MIN, START, END, (_t, i) => 0.2 + i * 1e-5) },
  {
    name: 'odd_values',
    labels: { instance: 'b' },
    points: every(HOUR, END - 4 * HOUR, END, (_t, i) => [1, Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, 2][i]),
  },
  ...Array.from({ length: 150 }, (_, n) => ({
    name: 'many_series',
    labels: { shard: String(n).padStart(3, '0') },
    points: every(HOUR, END - 2 * HOUR, END, () => n),
  })),
];

let prometheus: RunningPrometheus;
beforeAll(async () => {
  prometheus = await startPrometheus(SERIES);
});
afterAll(async () => {
  await prometheus?.stop();
});

describe('the Prometheus query_range reader', () => {
  it('reads backfilled weeks of a series with its labels, in time order', async () => {
    const read = await readPrometheus({ url: prometheus.url, query: 'disk_used_ratio', start: START, end: END, stepSeconds: 3600 });
    expect(read.total).toBe(1);
    const [series] = read.series;
    expect(series.labels).toEqual({ __name__: 'disk_used_ratio', instance: 'a', mountpoint: '/' });
    expect(series.name).toBe('disk_used_ratio{instance="a",mountpoint="/"}');
    expect(series.points).toHaveLength(21 * 24 + 1);
    expect(series.points[0]).toEqual({ t: START, v: 0.2 });
    expect(series.points.at(-1)!.v).toBeCloseTo(0.2 + 21 * 24 * 12 * 1e-5, 9);
  });

  it('splits a range over 11,000 points per series into several requests and joins them without duplicates', async () => {
    const read = await readPrometheus({ url: prometheus.url, query: 'disk_used_ratio', start: START, end: END, stepSeconds: 60 });
    const expected = (END - START) / 60_000 + 1;
    expect(read.requests).toBe(Math.ceil(expected / 11_000));
    expect(read.notes.join(' ')).toMatch(/read in 3 requests/);
    const ts = read.series[0].points.map((p) => p.t);
    expect(ts).toHaveLength(expected);
    expect(new Set(ts).size).toBe(ts.length);
    expect(ts.every((t, i) => i === 0 || t - ts[i - 1] === 60_000)).toBe(true);
  });

  it('turns "NaN", "+Inf" and "-Inf" into numbers instead of dropping or zeroing them', async () => {
    const read = await readPrometheus({ url: prometheus.url, query: 'odd_values', start: END - 4 * HOUR, end: END, stepSeconds: 3600 });
    expect(read.series[0].points.map((p) => p.v)).toEqual([1, Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, 2]);
  });

  it('says how many series a query returned and keeps the first --max-series of them', async () => {
    const read = await readPrometheus({
      url: prometheus.url,
      query: 'many_series',
      start: END - 2 * HOUR,
      end: END,
      stepSeconds: 3600,
      maxSeries: 20,
    });
    expect(read.total).toBe(150);
    expect(read.series).toHaveLength(20);
    expect(read.series[0].labels.shard).toBe('000');
    expect(read.notes.join(' ')).toMatch(/returned 150 series; reading the first 20/);
  });

  it('returns no series, not an error, for a query that matches nothing', async () => {
    const read = await readPrometheus({ url: prometheus.url, query: 'no_such_metric', start: START, end: END, stepSeconds: 3600 });
    expect(read).toMatchObject({ series: [], total: 0 });
  });

  it("reports a bad query as a usage error with Prometheus's own message on one line", async () => {
    const error = await readPrometheus({
      url: prometheus.url,
      query: 'rate(disk_used_ratio[',
      start: START,
      end: END,
      stepSeconds: 3600,
    }).catch((e) => e);
    expect(error).toBeInstanceOf(UsageError);
    expect(error.message).toMatch(/^Prometheus refused the query: .*parse error/);
    expect(error.message).not.toContain('\n');
  });

  it('reports a Prometheus that is down as a configuration error naming the URL', async () => {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    await new Promise((resolve) => server.close(resolve));
    const error = await readPrometheus({ url: `http://127.0.0.1:${port}`, query: 'up', start: START, end: END, stepSeconds: 3600 }).catch(
      (e) => e,
    );
    expect(error).toBeInstanceOf(ConfigError);
    expect(error.message).toBe(`cannot reach Prometheus at http://127.0.0.1:${port}: ECONNREFUSED`);
  });

  describe('a server that is not a healthy Prometheus', () => {
    let server: Server;
    let url: string;
    beforeAll(async () => {
      server = createServer((request, response) => {
        if (request.url?.startsWith('/slow/')) return; // never answers
        response.writeHead(502, 'Bad Gateway', { 'content-type': 'text/html' }).end('<html><body>upstream\nfailed</body></html>');
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      url = `http://user:s3cret@127.0.0.1:${(server.address() as AddressInfo).port}`;
    });
    afterAll(async () => {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    });

    it('gives up on a slow one after --timeout, saying so', async () => {
      const error = await readPrometheus({
        url: `${url}/slow`,
        query: 'up',
        start: START,
        end: END,
        stepSeconds: 3600,
        timeoutMs: 300,
      }).catch((e) => e);
      expect(error).toBeInstanceOf(ConfigError);
      expect(error.message).toMatch(/did not answer within 0\.3s/);
      expect(error.message).not.toContain('s3cret');
    });

    it('reports a 5xx without JSON by its status, never the password in the URL', async () => {
      const error = await readPrometheus({ url, query: 'up', start: START, end: END, stepSeconds: 3600 }).catch((e) => e);
      expect(error).toBeInstanceOf(ConfigError);
      expect(error.message).toMatch(/answered HTTP 502 Bad Gateway$/);
      expect(error.message).not.toContain('s3cret');
    });
  });
});

describe('Prometheus text', () => {
  it('reads the sample strings Prometheus writes', () => {
    expect(['0.5', '1e3', 'NaN', '+Inf', '-Inf'].map(sampleValue)).toEqual([
      0.5,
      1000,
      Number.NaN,
      Number.POSITIVE_INFINITY,
      Number.NEGATIVE_INFINITY,
    ]);
  });

  it('names a series as Prometheus prints it', () => {
    expect(seriesName({ __name__: 'up', job: 'node', instance: 'a:9100' })).toBe('up{instance="a:9100",job="node"}');
    expect(seriesName({ __name__: 'up' })).toBe('up');
    expect(seriesName({ job: 'x' })).toBe('{job="x"}');
  });

  it('splits a range so that no request has over 11,000 steps and none is missed', () => {
    const ranges = splitRange(0, 25_000 * 60_000, 60);
    expect(ranges).toEqual([
      [0, 10_999 * 60_000],
      [11_000 * 60_000, 21_999 * 60_000],
      [22_000 * 60_000, 25_000 * 60_000],
    ]);
    expect(splitRange(0, 0, 60)).toEqual([[0, 0]]);
  });

  it('writes OpenMetrics in seconds and ends with # EOF', () => {
    expect(
      openMetricsText([
        {
          name: 'm',
          labels: { a: 'x' },
          points: [
            { t: 2000, v: Number.NaN },
            { t: 1000, v: 1 },
          ],
        },
      ]),
    ).toBe('# TYPE m gauge\nm{a="x"} 1 1\nm{a="x"} NaN 2\n# EOF\n');
  });
});
