// A real Prometheus for tests: Debian's `prometheus` and `promtool` (scripts/ci-apt.sh installs
// them), started on 127.0.0.1 on a free port in a temporary directory whose TSDB was backfilled
// beforehand with `promtool tsdb create-blocks-from openmetrics`. The traps (see
// shared/REFERENCE.md): OpenMetrics timestamps are seconds, the file ends with `# EOF`, weeks of
// data need --max-block-duration, the default retention (15 d) would delete older blocks, and the
// last ~3 h belong to the head block, so backfilled samples should end before them.

import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

export interface BackfillSeries {
  /** The metric name; series of one name are written as one gauge family. */
  name: string;
  labels?: Record<string, string>;
  /** Epoch milliseconds (whole seconds are written) and values; NaN and ±Infinity are allowed. */
  points: { t: number; v: number }[];
}

export interface RunningPrometheus {
  /** http://127.0.0.1:PORT */
  url: string;
  dir: string;
  stop(): Promise<void>;
}

const run = promisify(execFile);

/** The OpenMetrics text promtool reads: one gauge family per name, samples in time order, seconds, `# EOF`. */
export function openMetricsText(series: BackfillSeries[]): string {
  const families = new Map<string, BackfillSeries[]>();
  for (const one of series) families.set(one.name, [...(families.get(one.name) ?? []), one]);
  const lines: string[] = [];
  for (const [name, members] of families) {
    lines.push(`# TYPE ${name} gauge`);
    for (const member of members) {
      const labels = Object.entries(member.labels ?? {})
        .map(([key, value]) => `${key}=${JSON.stringify(value)}`)
        .join(',');
      const head = labels ? `${name}{${labels}}` : name;
      const sorted = [...member.points].sort((a, b) => a.t - b.t);
      for (const { t, v } of sorted) lines.push(`${head} ${sampleText(v)} ${Math.floor(t / 1000)}`);
    }
  }
  lines.push('# EOF');
  return `${lines.join('\n')}\n`;
}

function sampleText(v: number): string {
  if (Number.isNaN(v)) return 'NaN';
  if (v === Number.POSITIVE_INFINITY) return '+Inf';
  if (v === Number.NEGATIVE_INFINITY) return '-Inf';
  return String(v);
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (address && typeof address === 'object' ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

async function waitReady(url: string, child: ChildProcess, output: () => string, deadlineMs: number): Promise<void> {
  const until = Date.now() + deadlineMs;
  while (Date.now() < until) {
    if (child.exitCode !== null) throw new Error(`prometheus exited with ${child.exitCode}: ${output().slice(-2000)}`);
    try {
      const response = await fetch(`${url}/-/ready`, { signal: AbortSignal.timeout(1000) });
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`prometheus was not ready within ${deadlineMs} ms: ${output().slice(-2000)}`);
}

/** Backfills `series` and starts Prometheus over them; `stop()` ends it and removes the directory. */
export async function startPrometheus(series: BackfillSeries[], options: { readyWithinMs?: number } = {}): Promise<RunningPrometheus> {
  const dir = mkdtempSync(join(tmpdir(), 'guardian-prometheus-'));
  const data = join(dir, 'data');
  const input = join(dir, 'backfill.om');
  const config = join(dir, 'prometheus.yml');
  try {
    writeFileSync(input, openMetricsText(series));
    writeFileSync(config, 'global:\n  scrape_interval: 1m\nscrape_configs: []\n');
    if (series.length > 0)
      await run('promtool', ['tsdb', 'create-blocks-from', 'openmetrics', '--quiet', '--max-block-duration=168h', input, data]);
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
  for (let attempt = 1; ; attempt++) {
    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    let log = '';
    const child = spawn(
      'prometheus',
      [
        `--config.file=${config}`,
        `--storage.tsdb.path=${data}`,
        '--storage.tsdb.retention.time=365d',
        `--web.listen-address=127.0.0.1:${port}`,
        '--log.level=warn',
      ],
      { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    child.stdout?.on('data', (chunk) => (log += chunk));
    child.stderr?.on('data', (chunk) => (log += chunk));
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    const stop = async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited;
      rmSync(dir, { recursive: true, force: true });
    };
    try {
      await waitReady(url, child, () => log, options.readyWithinMs ?? 30_000);
      return { url, dir, stop };
    } catch (error) {
      if (child.exitCode === null) child.kill('SIGKILL');
      await exited;
      // Another process took the port between freePort() and the bind: try another.
      if (attempt < 3 && /address already in use/.test(log)) continue;
      rmSync(dir, { recursive: true, force: true });
      throw error;
    }
  }
}
