// `guardian predict risk` end to end on the demo cloud: the manifest's scheduled EC2 events and
// planted disk exhaustions, and the saturating machines, rank above every clean machine, each
// with its evidence; a saved snapshot ranks its scheduled events without reading any metric.

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateEstate } from '../../src/sandbox/estate/generate.js';
import type { Estate } from '../../src/sandbox/estate/types.js';
import { buildManifest, type SandboxManifest } from '../../src/sandbox/manifest.js';

const DEMO = { GUARDIAN_DEMO_SEED: '11', GUARDIAN_DEMO_SIZE: '300', GUARDIAN_DEMO_NOW: '2026-11-25' };
const NOW = Date.parse('2026-11-25T00:00:00Z');
const DAY = 86_400_000;
let dir: string;
let estate: Estate;
let manifest: SandboxManifest;

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

interface JsonRisk {
  resource: { id: string; name: string };
  score: number;
  signals: { kind: string; probability: number; at?: string; evidence: string }[];
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'guardian-e2e-risk-'));
  estate = generateEstate({ seed: 11, size: 300, now: DEMO.GUARDIAN_DEMO_NOW });
  manifest = buildManifest(estate);
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe('predict risk --profile demo', () => {
  it('ranks the planted events, exhaustions and saturated machines above every clean one, with evidence, every signal looked at', {
    timeout: 300_000,
  }, async () => {
    const run = await guardian(['predict', 'risk', '--profile', 'demo', '--json']);
    expect(run.exitCode).toBe(0);
    const doc = JSON.parse(run.stdout) as { kind: string; risks: JsonRisk[]; complete: boolean; skipped: unknown[] };
    expect(doc.kind).toBe('guardian.predict.risk');
    expect(doc.complete).toBe(true);
    // Every signal was looked at, the anomaly detector's included.
    expect(doc.skipped).toEqual([]);
    const byId = new Map(doc.risks.map((r, i) => [r.resource.id, { risk: r, rank: i }]));

    const events = manifest.maintenance.filter((m) => Date.parse(m.notBefore) < NOW + 14 * DAY);
    expect(events.length).toBeGreaterThan(0);
    for (const event of events) {
      const found = byId.get(event.id)!.risk.signals.find((s) => s.kind === 'maintenance')!;
      expect(found.evidence).toContain(event.code);
      expect(found.at).toBe(event.notBefore);
    }
    const exhausting = manifest.diskFilling.filter((d) => !d.id.startsWith('/subscriptions/') && Date.parse(d.at90) < NOW + 14 * DAY);
    expect(exhausting.length).toBeGreaterThan(0);
    for (const disk of exhausting) expect(byId.get(disk.id)!.risk.signals.some((s) => s.kind === 'capacity')).toBe(true);
    // Saturating machines that report metrics (a stopped one has none).
    const saturating = estate.resources.filter((r) => {
      const spec = r.spec as { metricProfile?: string; state?: string; status?: string; powerState?: string };
      return (
        spec.metricProfile === 'saturating' &&
        [spec.state, spec.status, spec.powerState].some((s) => /^(running|RUNNING|available)$/.test(s ?? ''))
      );
    });
    expect(saturating.length).toBeGreaterThan(0);
    for (const machine of saturating) expect(byId.get(machine.id)!.risk.signals.map((s) => s.kind)).toContain('saturation');

    const planted = new Set([...events.map((e) => e.id), ...exhausting.map((d) => d.id)]);
    const lowestPlanted = Math.min(...[...planted].map((id) => byId.get(id)!.risk.score));
    const clean = doc.risks.filter((r) => r.signals.length === 0);
    expect(clean.length).toBeGreaterThan(20);
    for (const r of clean) expect(r.score).toBe(0);
    expect(lowestPlanted).toBeGreaterThan(0.5);
    const worstPlantedRank = Math.max(...[...planted].map((id) => byId.get(id)!.rank));
    expect(worstPlantedRank).toBeLessThan(doc.risks.findIndex((r) => r.score === 0));
  });

  it('ranks a saved snapshot’s scheduled events with no metrics read, and says what it did not look at', { timeout: 300_000 }, async () => {
    const discover = await guardian(['discover', '--profile', 'demo', '--provider', 'aws', '--json']);
    expect(discover.exitCode).toBe(0);
    const snapshot = join(dir, 'snapshot.json');
    writeFileSync(snapshot, discover.stdout);
    // No profile at all: a metrics read would have no credentials to use.
    const run = await guardian(['predict', 'risk', '--input', snapshot, '--signals', 'maintenance', '--horizon', '30d']);
    expect(run.exitCode).toBe(0);
    const events = manifest.maintenance;
    for (const event of events) {
      const name = estate.resources.find((r) => r.id === event.id)!.name;
      expect(run.stdout).toMatch(new RegExp(`${name}[^\\n]*maintenance`));
    }
    expect(run.stderr).toMatch(new RegExp(`${events.length} of \\d+ machines have a risk signal within 30d`));
    expect(run.stderr).toMatch(/Azure and GCP maintenance events are not read yet/);
  });

  it('refuses an unknown signal with one line, exit 2', async () => {
    const run = await guardian(['predict', 'risk', '--signals', 'weather']);
    expect(run.exitCode).toBe(2);
    expect(run.stderr).toMatch(/--signals: unknown signal 'weather' \(choose maintenance, capacity, saturation, anomaly\)/);
  });
});
