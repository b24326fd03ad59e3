// `guardian predict capacity` end to end: the built binary against Debian's real Prometheus,
// backfilled with weeks of a disk that crosses 90% at a planted time (after a clean-up), and
// against the demo cloud, whose manifest records its filling disks' 90% crossings and resets.
// A Prometheus that is down or refuses the query, and usage errors.

import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateEstate } from '../../src/sandbox/estate/generate.js';
import type { Estate } from '../../src/sandbox/estate/types.js';
import { buildManifest, type DiskFilling } from '../../src/sandbox/manifest.js';
import { type BackfillSeries, type RunningPrometheus, startPrometheus } from '../helpers/prometheus.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
let dir: string;

function guardian(args: string[], extra: Record<string, string> = {}) {
  return execa(process.execPath, ['dist/bin/guardian.js', ...args], {
    reject: false,
    extendEnv: false,
    stdin: 'ignore',
    env: {
      PATH: process.env.PATH,
      HOME: dir,
      CI: 'true',
      GUARDIAN_CONFIG_DIR: join(dir, 'config'),
      GUARDIAN_DATA_DIR: join(dir, 'data'),
      ...extra,
    },
  });
}

interface JsonForecast {
  seriesId: string;
  name: string;
  status: string;
  note: string;
  resource?: { id: string; cloud: string };
  crossesAt?: string;
  earliest?: string;
  latest?: string;
  resetAt?: string;
}

function noise(i: number): number {
  const x = Math.sin(i * 78.233) * 12345.6789;
  return (x - Math.floor(x)) * 2 - 1;
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'guardian-e2e-capacity-'));
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe('predict capacity --prometheus, against a real Prometheus', () => {
  // Three weeks of 5-minute points ending 6 h ago (Prometheus keeps the last ~3 h for its head block).
  const end = Math.floor(Date.now() / HOUR) * HOUR - 6 * HOUR;
  const start = end - 21 * DAY;
  // The planted disk climbs 1.5 pp a day, crosses 90% four days after the data ends, and was cleaned
  // up (30 pp freed) nine days before the end: fitting across the clean-up would date it far later.
  const planted = end + 4 * DAY;
  const level = (t: number) => 90 - (1.5 * (planted - t)) / DAY;
  const cleanup = end - 9 * DAY;
  const points: BackfillSeries['points'] = [];
  const flat: BackfillSeries['points'] = [];
  for (let t = start, i = 0; t <= end; t += 5 * 60_000, i++) {
    const outlier = i % 397 === 0 ? 40 : 0;
    points.push({ t, v: Math.min(99, level(t) + (t < cleanup ? 30 : 0)) + 0.3 * noise(i) + outlier });
    flat.push({ t, v: 41 + 0.3 * noise(i + 7) });
  }
  const series: BackfillSeries[] = [
    { name: 'disk_used_percent', labels: { instance: 'web-1', mountpoint: '/' }, points },
    { name: 'disk_used_percent', labels: { instance: 'web-2', mountpoint: '/' }, points: flat },
  ];
  let prometheus: RunningPrometheus;
  beforeAll(async () => {
    prometheus = await startPrometheus(series);
  });
  afterAll(async () => {
    await prometheus?.stop();
  });

  it('puts the planted crossing inside the interval, fitting only the points after the clean-up', async () => {
    const run = await guardian([
      'predict',
      'capacity',
      '--prometheus',
      prometheus.url,
      '--promql',
      'disk_used_percent',
      '--since',
      '22d',
      '--json',
    ]);
    expect(run.stderr).toBe('');
    expect(run.exitCode).toBe(0);
    const doc = JSON.parse(run.stdout) as { kind: string; forecasts: JsonForecast[]; complete: boolean };
    expect(doc.kind).toBe('guardian.predict.capacity');
    const [web1, web2] = doc.forecasts;
    expect(web1.name).toBe('disk_used_percent{instance="web-1",mountpoint="/"}');
    expect(web1.status).toBe('exhausts');
    expect(Date.parse(web1.earliest!)).toBeLessThanOrEqual(planted);
    expect(Date.parse(web1.latest!)).toBeGreaterThanOrEqual(planted);
    expect(Math.abs(Date.parse(web1.resetAt!) - cleanup)).toBeLessThanOrEqual(HOUR);
    expect(web2.status).not.toMatch(/exhausts|crossed/);
    expect(web2.crossesAt ?? '9999').not.toMatch(/^20(2|3)/);
  });

  it('reads a 0-1 ratio query with --ratio and prints a table sorted by time to exhaustion', async () => {
    const run = await guardian([
      'predict',
      'capacity',
      '--prometheus',
      prometheus.url,
      '--promql',
      'disk_used_percent / 100',
      '--ratio',
      '--since',
      '22d',
      '--step',
      '1h',
    ]);
    expect(run.exitCode).toBe(0);
    const rows = run.stdout.split('\n').filter((line) => line.includes('instance='));
    expect(rows[0]).toMatch(/web-1.*exhausts/);
    expect(rows[1]).toMatch(/web-2/);
    // The soonest crossing's chart follows the table.
    expect(run.stdout).toContain('{instance="web-1",mountpoint="/"}: history and the fitted line to 90%');
    expect(run.stderr).toMatch(/2 series from Prometheus at http:\/\/127\.0\.0\.1:\d+: 0 over 90% already, 1 reaching it within 30d/);
  });

  it('says when a percent query looks like a ratio, and when a query matches nothing', async () => {
    const ratio = await guardian([
      'predict',
      'capacity',
      '--prometheus',
      prometheus.url,
      '--promql',
      'disk_used_percent / 1000',
      '--since',
      '22d',
      '--step',
      '1h',
      '--json',
    ]);
    expect(ratio.exitCode).toBe(0);
    expect(ratio.stderr).toMatch(/every value is between 0 and 1: if the query returns a ratio, pass --ratio/);
    const none = await guardian(['predict', 'capacity', '--prometheus', prometheus.url, '--promql', 'no_such_metric', '--json']);
    expect(none.exitCode).toBe(0);
    expect(none.stderr).toMatch(/no fill-level series in Prometheus at/);
    expect(JSON.parse(none.stdout).forecasts).toEqual([]);
  });

  it("reports a query Prometheus refuses in one line with Prometheus's message, exit 2", async () => {
    const run = await guardian(['predict', 'capacity', '--prometheus', prometheus.url, '--promql', 'sum(disk_used_percent']);
    expect(run.exitCode).toBe(2);
    expect(run.stderr).toMatch(/^guardian: Prometheus refused the query: .*parse error/);
    expect(run.stderr).not.toMatch(/\n\s+at /);
  });
});

describe('predict capacity against a Prometheus that is not there', () => {
  it('exits 3 naming the URL, without a stack trace', async () => {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as { port: number };
    await new Promise((resolve) => server.close(resolve));
    const run = await guardian(['predict', 'capacity', '--prometheus', `http://127.0.0.1:${port}`, '--promql', 'up', '--timeout', '10s']);
    expect(run.exitCode).toBe(3);
    expect(run.stderr).toMatch(new RegExp(`cannot reach Prometheus at http://127\\.0\\.0\\.1:${port}: ECONNREFUSED`));
    expect(run.stderr).not.toMatch(/\n\s+at /);
  });
});

describe('predict capacity --profile demo', () => {
  // Seed 11 plants a filling disk with a clean-up on an EC2 instance and one already past 90% on GCP.
  const DEMO = { GUARDIAN_DEMO_SEED: '11', GUARDIAN_DEMO_SIZE: '300', GUARDIAN_DEMO_NOW: '2026-11-25' };
  const NOW = Date.parse('2026-11-25T00:00:00Z');
  let estate: Estate;
  let filling: DiskFilling[];
  beforeAll(() => {
    estate = generateEstate({ seed: 11, size: 300, now: DEMO.GUARDIAN_DEMO_NOW });
    // Azure publishes no guest disk metric: its filling VMs cannot be seen.
    filling = buildManifest(estate).diskFilling.filter((d) => !d.id.startsWith('/subscriptions/'));
  });

  it("finds the manifest's planted exhaustions, its clean-up, and ranks them above every clean machine", { timeout: 300_000 }, async () => {
    const run = await guardian(['predict', 'capacity', '--profile', 'demo', '--json'], DEMO);
    expect(run.exitCode).toBe(0);
    expect(run.stderr).toMatch(/disk used unknown: Azure Monitor has no guest filesystem platform metric/);
    const doc = JSON.parse(run.stdout) as { forecasts: JsonForecast[]; complete: boolean };
    expect(doc.complete).toBe(true);
    expect(filling.some((d) => d.reset) && filling.some((d) => Date.parse(d.at90) < NOW)).toBe(true);
    const ranks = new Map(doc.forecasts.map((f, i) => [f.resource?.id, i]));
    for (const planted of filling) {
      const forecast = doc.forecasts.find((f) => f.resource?.id === planted.id)!;
      expect(forecast, planted.id).toBeDefined();
      if (Date.parse(planted.at90) <= NOW) {
        expect(forecast.status).toBe('crossed');
      } else {
        expect(forecast.status).toBe('exhausts');
        expect(Date.parse(forecast.earliest!)).toBeLessThanOrEqual(Date.parse(planted.at90));
        expect(Date.parse(forecast.latest!)).toBeGreaterThanOrEqual(Date.parse(planted.at90));
      }
      if (planted.reset && forecast.status !== 'crossed')
        expect(Math.abs(Date.parse(forecast.resetAt!) - Date.parse(planted.reset.at))).toBeLessThanOrEqual(HOUR);
      expect(ranks.get(planted.id)!).toBeLessThan(filling.length);
    }
    const clean = doc.forecasts.filter((f) => !filling.some((d) => d.id === f.resource?.id));
    expect(clean.length).toBeGreaterThan(10);
    for (const f of clean) expect(f.status, f.name).not.toMatch(/exhausts|crossed/);
    expect(clean.some((f) => f.name.endsWith(' storage'))).toBe(true);
  });

  it('refuses an --id that names no machine of the inventory, exit 2', { timeout: 300_000 }, async () => {
    const run = await guardian(['predict', 'capacity', '--profile', 'demo', '--id', 'i-0000000000nothere'], DEMO);
    expect(run.exitCode).toBe(2);
    expect(run.stderr).toMatch(/--id: no machine 'i-0000000000nothere' in /);
  });
});

describe('predict capacity usage', () => {
  it('refuses flags that do not go together and values out of range, exit 2', async () => {
    for (const [args, message] of [
      [['--promql', 'up'], /--promql needs --prometheus URL/],
      [['--prometheus', 'http://127.0.0.1:9', '--query', 'up'], /give the PromQL with --promql: --query is the JMESPath filter/],
      [['--prometheus', 'http://127.0.0.1:9'], /--prometheus needs --promql EXPR/],
      [['--prometheus', 'ftp://x', '--promql', 'up'], /--prometheus must be an http:\/\/ or https:\/\/ URL/],
      [['--prometheus', 'http://127.0.0.1:9', '--promql', 'up', '--input', 'x.json'], /--input reads the clouds/],
      [['--threshold', '150'], /--threshold is a percentage above 0 and at most 100/],
      [['--horizon', 'soon'], /--horizon takes a span/],
      [['--ratio'], /--ratio goes with --prometheus/],
    ] as const) {
      const run = await guardian(['predict', 'capacity', ...args]);
      expect(run.exitCode, args.join(' ')).toBe(2);
      expect(run.stderr).toMatch(message);
    }
  });
});
