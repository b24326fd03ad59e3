// `guardian metrics` end to end: the built binary on --profile demo (pinned seed, size and day),
// every point of --json checked against the estate's metric generator in each cloud's scale; a
// snapshot as --input with --id; what EC2 lacks; usage errors; --strict over a cloud that is down.

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateEstate } from '../../src/sandbox/estate/generate.js';
import { type MetricName, metricSeries } from '../../src/sandbox/estate/metrics.js';
import { AZURE_LOCATIONS } from '../../src/sandbox/estate/names.js';
import type { Estate } from '../../src/sandbox/estate/types.js';

const DEMO = { GUARDIAN_DEMO_SEED: '42', GUARDIAN_DEMO_SIZE: '300', GUARDIAN_DEMO_NOW: '2026-11-25' };
const NOW_MS = Date.parse('2026-11-25T00:00:00Z');
let dir: string;
let estate: Estate;

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
      ...DEMO,
      ...extra,
    },
  });
}

interface JsonSeries {
  resource: { cloud: string; kind: string; id: string; name: string };
  metric: MetricName;
  unit: string;
  periodSeconds: number;
  stat: string;
  points: [string, number][];
}

/** The generator's series in the cloud's own scale (GCP CPU as a ratio, Azure disk ops per second). */
function truth(series: JsonSeries, startMs: number, endMs: number, stat: 'avg' | 'max'): [string, number][] {
  const record = estate.resources.find((r) => r.id === series.resource.id)!;
  const raw = metricSeries(estate.seed, estate.now, record, series.metric, { startMs, endMs, periodSeconds: series.periodSeconds, stat });
  const scale =
    series.resource.cloud === 'gcp' && series.metric === 'cpu'
      ? (v: number) => v * 0.01
      : series.resource.cloud === 'azure' && series.metric.startsWith('disk')
        ? (v: number) => Math.round((v / 300) * 10_000) / 10_000
        : (v: number) => v;
  return raw.timestamps.map((t, i) => [new Date(t).toISOString(), scale(raw.values[i])]);
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'guardian-e2e-metrics-'));
  estate = generateEstate({ seed: 42, size: 300, now: DEMO.GUARDIAN_DEMO_NOW });
});

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe('guardian metrics --profile demo', () => {
  it('prints every machine’s points exactly as each cloud returned them', { timeout: 180_000 }, async () => {
    const run = await guardian(['metrics', '--profile', 'demo', '--since', '6h', '--stat', 'maximum', '--json']);
    expect(run.stderr).not.toMatch(/not read/);
    expect(run.exitCode).toBe(0);
    const doc = JSON.parse(run.stdout) as { kind: string; window: { start: string; end: string }; series: JsonSeries[]; complete: boolean };
    expect(doc.kind).toBe('guardian.metrics');
    expect(doc.complete).toBe(true);
    expect(doc.window).toEqual({
      start: new Date(NOW_MS - 6 * 3_600_000).toISOString(),
      end: new Date(NOW_MS).toISOString(),
      periodSeconds: 300,
    });
    expect(new Set(doc.series.map((s) => s.resource.cloud))).toEqual(new Set(['aws', 'azure', 'gcp']));
    const kinds = new Set(doc.series.map((s) => s.resource.kind));
    expect(kinds).toEqual(new Set(['aws.ec2.instance', 'aws.rds.instance', 'azure.compute.vm', 'gcp.compute.instance']));
    for (const series of doc.series) {
      expect(series.points.length, `${series.resource.id} ${series.metric}`).toBe(72);
      expect(series.points, `${series.resource.id} ${series.metric}`).toEqual(truth(series, NOW_MS - 6 * 3_600_000, NOW_MS, 'max'));
    }
    expect(run.stderr).toMatch(/^memory unknown: EC2 publishes no memory metric/m);
  });

  it('reads a snapshot’s machines with --input, narrowed by --id, as a table and CSV', { timeout: 180_000 }, async () => {
    const snapshot = join(dir, 'snapshot.json');
    const discovered = await guardian(['discover', '--profile', 'demo', '--provider', 'aws', '--json', '--no-save']);
    expect(discovered.exitCode).toBe(0);
    writeFileSync(snapshot, discovered.stdout);
    const running = estate.resources.find((r) => r.kind === 'aws.ec2.instance' && r.spec.state === 'running')!;
    const table = await guardian([
      'metrics',
      '--profile',
      'demo',
      '--input',
      snapshot,
      '--id',
      running.id,
      '--metric',
      'cpu',
      '--since',
      '1d',
    ]);
    expect(table.exitCode).toBe(0);
    expect(table.stdout).toContain(running.name);
    expect(table.stdout).toMatch(/p50.*p95.*max/);
    const csv = await guardian([
      'metrics',
      '--profile',
      'demo',
      '--input',
      snapshot,
      '--id',
      running.id,
      '--since',
      '1d',
      '--output',
      'csv',
    ]);
    const rows = csv.stdout.trim().split('\r\n');
    expect(rows[0]).toBe('cloud,resource,region,metric,unit,stat,points,p50,p95,max');
    expect(rows.slice(1).map((row) => row.split(',')[3])).toEqual(['cpu', 'network-in', 'network-out', 'disk-read-ops', 'disk-write-ops']);
    const cpu = truth(
      {
        resource: { cloud: 'aws', kind: running.kind, id: running.id, name: running.name },
        metric: 'cpu',
        unit: '',
        periodSeconds: 300,
        stat: '',
        points: [],
      },
      NOW_MS - 86_400_000,
      NOW_MS,
      'avg',
    ).map(([, v]) => v);
    expect(Number(rows[1].split(',')[9])).toBe(Math.round(Math.max(...cpu) * 1000) / 1000);
  });

  it('refuses bad flags with one line and exit 2', { timeout: 60_000 }, async () => {
    for (const args of [
      ['--metric', 'cpux'],
      ['--since', 'fortnight'],
      ['--since', '20d', '--period', '60'],
      ['--period', '45'],
      ['--kind', 'aws.s3.bucket'],
    ]) {
      const run = await guardian(['metrics', '--profile', 'demo', ...args]);
      expect(run.exitCode, args.join(' ')).toBe(2);
      expect(run.stderr.trim().split('\n')).toHaveLength(run.stderr.includes('hint') ? 2 : 1);
    }
  });

  it('warns about a cloud that never answered and exits 4 under --strict', { timeout: 180_000 }, async () => {
    const run = await guardian(
      ['metrics', '--profile', 'demo', '--provider', 'aws', 'azure', '--since', '1h', '--call-timeout', '5s', '--strict', '--json'],
      {
        GUARDIAN_DEMO_OUTAGE: AZURE_LOCATIONS.join(','),
      },
    );
    expect(run.exitCode).toBe(4);
    expect(run.stderr).toMatch(/^warning: azure \S+: \d+ series not read: CallTimeout/m);
    expect(run.stderr).not.toMatch(/^warning: aws/m);
    const doc = JSON.parse(run.stdout) as { series: JsonSeries[]; complete: boolean };
    expect(doc.complete).toBe(false);
    expect(doc.series.some((s) => s.resource.cloud === 'aws')).toBe(true);
  });
});
