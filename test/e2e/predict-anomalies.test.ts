// `guardian predict anomalies` end to end: the built binary over a CSV with a planted spike, over
// the demo cloud's CPU metrics (pinned seed, size and day), bad input, and the exit codes CI reads.

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AZURE_LOCATIONS } from '../../src/sandbox/estate/names.js';

const DEMO = { GUARDIAN_DEMO_SEED: '42', GUARDIAN_DEMO_SIZE: '120', GUARDIAN_DEMO_NOW: '2026-11-25' };
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
      ...DEMO,
      ...extra,
    },
  });
}

const SPIKE_AT = 24 * 25 + 10;

/** 30 days of hourly points on a daily wave with fixed noise, 400 at one hour. */
function spikeCsv(): string {
  let seed = 11;
  const lines = ['timestamp,value'];
  for (let i = 0; i < 24 * 30; i++) {
    seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
    const noise = seed / 2_147_483_648 - 0.5;
    const v = i === SPIKE_AT ? 400 : 100 + 30 * Math.sin((2 * Math.PI * (i % 24)) / 24) + 6 * noise;
    const t = new Date(Date.parse('2026-11-01T00:00:00Z') + i * 3_600_000).toISOString().replace('T', ' ').slice(0, 19);
    lines.push(`${t},${v.toFixed(2)}`);
  }
  return `${lines.join('\n')}\n`;
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'guardian-anomalies-'));
  writeFileSync(join(dir, 'spike.csv'), spikeCsv());
  writeFileSync(join(dir, 'short.csv'), 'timestamp,value\n2026-11-01,1\n2026-11-02,2\n');
  writeFileSync(join(dir, 'bad.csv'), 'timestamp,value\n2026-11-01,1\nyesterday,2\n');
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('guardian predict anomalies --input', () => {
  it('finds the planted spike in a CSV and gives its reason in the table', async () => {
    const run = await guardian(['predict', 'anomalies', '--input', join(dir, 'spike.csv')]);
    expect(run.exitCode).toBe(0);
    expect(run.stdout).toContain('2026-11-26T10:00:00Z');
    expect(run.stdout).toMatch(/\+\d+(\.\d+)?% against the expected \d+(\.\d+)? ± [\d.]+ for 10:00/);
    expect(run.stderr).toMatch(/anomal(y|ies) in 1 of 1 series/);
  });

  it('gives the spike in --json and exits 1 with --fail-on-anomaly', async () => {
    const run = await guardian(['predict', 'anomalies', '--input', join(dir, 'spike.csv'), '--json', '--fail-on-anomaly']);
    expect(run.exitCode).toBe(1);
    const doc = JSON.parse(run.stdout);
    expect(doc.kind).toBe('guardian.predict.anomalies');
    const spike = doc.anomalies.find((a: { time: string }) => a.time === '2026-11-26T10:00:00.000Z');
    expect(spike.value).toBe(400);
    expect(spike.score).toBeGreaterThanOrEqual(doc.threshold);
    expect(doc.series).toHaveLength(1);
    expect(doc.series[0].points).toBe(720);
  });

  it('shows only recent anomalies with --since', async () => {
    const recent = await guardian(['predict', 'anomalies', '--input', join(dir, 'spike.csv'), '--since', '2d', '--json']);
    expect(recent.exitCode).toBe(0);
    expect(JSON.parse(recent.stdout).anomalies.every((a: { time: string }) => a.time >= '2026-11-28T23:00:00.000Z')).toBe(true);
    const week = await guardian(['predict', 'anomalies', '--input', join(dir, 'spike.csv'), '--since', '1w', '--json']);
    expect(JSON.parse(week.stdout).anomalies.some((a: { value: number }) => a.value === 400)).toBe(true);
  });

  it('says a series is too short, exits 0, and 4 under --strict: no verdict over what it could not judge', async () => {
    const plain = await guardian(['predict', 'anomalies', '--input', join(dir, 'short.csv'), '--fail-on-anomaly']);
    expect(plain.exitCode).toBe(0);
    expect(plain.stderr).toContain('too short to judge: 2 usable points');
    const strict = await guardian(['predict', 'anomalies', '--input', join(dir, 'short.csv'), '--fail-on-anomaly', '--strict']);
    expect(strict.exitCode).toBe(4);
  });

  it('refuses a file it cannot read or parse with one line and exit 2', async () => {
    const missing = await guardian(['predict', 'anomalies', '--input', join(dir, 'nope.csv')]);
    expect(missing.exitCode).toBe(2);
    expect(missing.stderr.trim().split('\n')).toHaveLength(1);
    expect(missing.stderr).toContain('no such file');
    const bad = await guardian(['predict', 'anomalies', '--input', join(dir, 'bad.csv')]);
    expect(bad.exitCode).toBe(2);
    expect(bad.stderr).toContain('bad.csv:3: "yesterday" is not a timestamp');
    const neither = await guardian(['predict', 'anomalies']);
    expect(neither.exitCode).toBe(2);
    const threshold = await guardian(['predict', 'anomalies', '--input', join(dir, 'spike.csv'), '--threshold', '2']);
    expect(threshold.exitCode).toBe(2);
  });
});

describe('guardian predict anomalies --metric', () => {
  it('judges the CPU series of the demo estate, one series per machine, each anomaly with its reason', { timeout: 180_000 }, async () => {
    const run = await guardian(['predict', 'anomalies', '--profile', 'demo', '--metric', 'cpu', '--history', '7d', '--json']);
    expect(run.exitCode).toBe(0);
    const doc = JSON.parse(run.stdout);
    expect(doc.series.length).toBeGreaterThan(10);
    for (const s of doc.series) {
      expect(s.id).toMatch(/^(aws|azure|gcp)\/[^/]+\/[^/]+\/.+\/cpu$/);
      expect(s.resource.kind).toMatch(/^(aws|azure|gcp)\./);
      // Machines newer than the window have fewer points; those too short say so instead of guessing.
      if (s.points >= 60) expect(s.scored).toBeGreaterThan(0);
      else if (s.scored === 0) expect(s.notes.join(' ')).toMatch(/too short to judge/);
    }
    for (const a of doc.anomalies) {
      expect(doc.series.some((s: { id: string }) => s.id === a.seriesId)).toBe(true);
      expect(a.reason).toMatch(/^[+−][\d.,]+% against the expected|against the expected/);
      expect(a.time >= '2026-11-18T00:00:00.000Z' && a.time < '2026-11-25T00:00:00.000Z').toBe(true);
    }
  });

  it('stops at --timeout, warns about a cloud that never answered and exits 4 under --strict', { timeout: 180_000 }, async () => {
    const run = await guardian(
      [
        'predict',
        'anomalies',
        '--profile',
        'demo',
        '--metric',
        'cpu',
        '--provider',
        'aws',
        'azure',
        '--history',
        '2d',
        '--timeout',
        '20s',
        '--strict',
        '--json',
      ],
      { GUARDIAN_DEMO_OUTAGE: AZURE_LOCATIONS.join(',') },
    );
    expect(run.exitCode).toBe(4);
    expect(run.stderr).toMatch(/azure/i);
    const doc = JSON.parse(run.stdout);
    expect(doc.incomplete.length).toBeGreaterThan(0);
  });
});
