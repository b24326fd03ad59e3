// `guardian watch` in a real terminal: the built binary on --profile demo inside a detached tmux
// session of a fixed size (its own server socket in a temporary directory), driven with send-keys
// and read with capture-pane. Each view must show the figures `discover --json`, `costs --json`,
// `scan --json` and `optimize --json` give for the same pinned estate; the window is resized; `q`
// exits 0 and leaves the terminal as it found it (the raw output leaves the alternate screen and
// shows the cursor again). Off a terminal it refuses with exit 2.

import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { execa, execaSync } from 'execa';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';

vi.setConfig({ testTimeout: 240_000, hookTimeout: 240_000 });

const BIN = resolve('dist/bin/guardian.js');
const DEMO = { GUARDIAN_DEMO_SEED: '42', GUARDIAN_DEMO_SIZE: '300', GUARDIAN_DEMO_NOW: '2026-11-25' };
let dir: string;
let env: Record<string, string>;

function guardian(args: string[]) {
  return execa(process.execPath, [BIN, ...args], { reject: false, extendEnv: false, stdin: 'ignore', env });
}

const money = (n: number) => n.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
const count = (n: number) => n.toLocaleString('en-US');

interface Figures {
  resources: number;
  byCloud: Record<string, number>;
  usd: number;
  usdProjection: number;
  findings: number;
  bySeverity: Record<string, number>;
  savings: number;
  recommendations: number;
  /** What `predict anomalies --costs --since 7d --history 90d` flags: how many, and the series flagged on the newest day. */
  anomalies: number;
  newestAnomalies: string[];
}
let figures: Figures;
let snapshotFile: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'guardian-e2e-watch-'));
  env = {
    PATH: process.env.PATH ?? '',
    HOME: dir,
    GUARDIAN_CONFIG_DIR: join(dir, 'config'),
    GUARDIAN_DATA_DIR: join(dir, 'data'),
    TERM: 'xterm-256color',
    ...DEMO,
  };
  const [discover, costs, scan, optimize, anomalies] = await Promise.all([
    guardian(['discover', '--profile', 'demo', '--json', '--no-save']),
    guardian(['costs', '--profile', 'demo', '--json']),
    guardian(['scan', '--profile', 'demo', '--json']),
    guardian(['optimize', '--profile', 'demo', '--json']),
    guardian(['predict', 'anomalies', '--profile', 'demo', '--costs', '--history', '90d', '--since', '7d', '--json']),
  ]);
  for (const run of [discover, costs, scan, optimize, anomalies]) expect(run.exitCode, run.stderr).toBe(0);
  const flagged = (JSON.parse(anomalies.stdout).anomalies as { t: number; seriesName: string }[]) ?? [];
  const newest = Math.max(...flagged.map((a) => a.t));
  snapshotFile = join(dir, 'snapshot.json');
  writeFileSync(snapshotFile, discover.stdout);
  const d = JSON.parse(discover.stdout);
  const c = JSON.parse(costs.stdout);
  const s = JSON.parse(scan.stdout);
  const o = JSON.parse(optimize.stdout);
  figures = {
    resources: d.summary.resources,
    byCloud: d.summary.byCloud,
    usd: c.totals.find((t: { currency: string }) => t.currency === 'USD').amount,
    usdProjection: c.projections.find((p: { currency: string }) => p.currency === 'USD').projectedMonthEnd,
    findings: s.summary.findings,
    bySeverity: s.summary.bySeverity,
    savings: o.totals.monthlySaving,
    recommendations: o.totals.count,
    anomalies: flagged.length,
    newestAnomalies: flagged.filter((a) => a.t === newest).map((a) => a.seriesName),
  };
});

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** tmux on a server of its own: TMUX_TMPDIR keeps its socket in the test's directory. */
function tmux(...args: string[]) {
  return execaSync('tmux', ['-L', 'guardian-watch', ...args], { env: { ...process.env, TMUX_TMPDIR: dir }, reject: false });
}
const screen = () => tmux('capture-pane', '-p', '-t', 'watch').stdout;

async function until(check: (text: string) => boolean, what: string): Promise<string> {
  let text = '';
  await vi.waitFor(
    () => {
      text = screen();
      if (!check(text)) throw new Error(`the screen does not show ${what}:\n${text}`);
    },
    { timeout: 180_000, interval: 250 },
  );
  return text;
}

describe('guardian watch in a terminal', () => {
  it('shows the estate, costs, findings and savings the --json commands give, resizes, and quits cleanly on q', async () => {
    const raw = join(dir, 'raw.log');
    const exit = join(dir, 'exit');
    const go = join(dir, 'go');
    const envs = Object.entries(env)
      .map(([k, v]) => `${k}='${v}'`)
      .join(' ');
    // The shell waits for `go` so that pipe-pane records the dashboard's very first byte.
    const script = `while [ ! -f '${go}' ]; do sleep 0.05; done; env -i ${envs} '${process.execPath}' '${BIN}' watch --profile demo --interval 10m 2>'${join(dir, 'stderr')}'; echo $? > '${exit}'`;
    writeFileSync(join(dir, 'run.sh'), script);
    expect(tmux('new-session', '-d', '-s', 'watch', '-x', '120', '-y', '40', `sh '${join(dir, 'run.sh')}'`).exitCode).toBe(0);
    try {
      tmux('pipe-pane', '-o', '-t', 'watch', `cat >> '${raw}'`);
      writeFileSync(go, '');

      // Overview: the same figures as discover, costs, scan and optimize --json.
      let text = await until((t) => t.includes('next in'), 'a finished refresh');
      expect(text).toContain('guardian watch · profile demo');
      expect(text).toContain(`Resources ${count(figures.resources)}`);
      for (const [cloud, n] of Object.entries(figures.byCloud)) expect(text).toMatch(new RegExp(`\\b${cloud}\\s+${count(n)}\\b`));
      expect(text).toContain(`$${money(figures.usd)}`);
      expect(text).toContain(`month-end projection $${money(figures.usdProjection)}`);
      expect(text).toContain(`Findings ${count(figures.findings)}`);
      for (const [severity, n] of Object.entries(figures.bySeverity)) expect(text).toContain(`${severity} ${n}`);
      expect(text).toContain(`$${money(figures.savings)} a month over ${figures.recommendations} recommendation(s)`);
      if (figures.anomalies === 0) expect(text).toContain('no anomalies');
      else expect(text).toContain('Latest anomalies');

      tmux('send-keys', '-t', 'watch', '2');
      text = await until((t) => t.includes('CLOUD'), 'the resources table');
      expect(text).toContain(`${count(figures.resources)} resources`);
      tmux('send-keys', '-t', 'watch', '/', 'detached', 'Enter');
      text = await until((t) => t.includes('filter: detached'), 'the filter');
      tmux('send-keys', '-t', 'watch', 'Enter');
      text = await until((t) => t.includes('As JSON:'), 'the detail pane');
      expect(text.replace(/\n\s+/g, ' ')).toMatch(
        /guardian discover --profile demo --provider \w+ --region \S+ --kind \S+ --filter id=\S+ --json/,
      );
      tmux('send-keys', '-t', 'watch', 'Escape');
      await until((t) => t.includes('filter: detached') && t.includes('CLOUD'), 'the filtered table again');
      tmux('send-keys', '-t', 'watch', 'Escape');
      await until((t) => t.includes(`${count(figures.resources)} resources`), 'the filter cleared');

      tmux('send-keys', '-t', 'watch', '3');
      text = await until((t) => t.includes('Top services'), 'the costs view');
      expect(text).toContain(`month to date 2026-11-01 → 2026-11-25: $${money(figures.usd)}`);

      tmux('send-keys', '-t', 'watch', '4');
      text = await until((t) => t.includes('SEVERITY'), 'the security view');
      expect(text).toContain(`Findings ${count(figures.findings)}`);

      tmux('send-keys', '-t', 'watch', '5');
      text = await until((t) => t.includes('SAVES/MO'), 'the savings view');
      expect(text).toContain(`$${money(figures.savings)} a month over ${figures.recommendations} recommendation(s)`);

      // Anomalies: predict anomalies --costs over the same 90 days, the last 7 days' flags.
      tmux('send-keys', '-t', 'watch', '6');
      if (figures.anomalies === 0) await until((t) => t.includes('no anomalies in the last 7 days'), 'the anomalies view');
      else {
        text = await until((t) => t.includes('REASON'), 'the anomalies view');
        expect(figures.newestAnomalies.some((name) => text.includes(name.slice(0, 20)))).toBe(true);
      }

      // A narrow window: columns go, the rows stay, and nothing is drawn past the edge.
      tmux('send-keys', '-t', 'watch', '2');
      await until((t) => t.includes('ACCOUNT'), 'the wide table');
      tmux('resize-window', '-t', 'watch', '-x', '64', '-y', '30');
      text = await until((t) => t.includes('hidden at 64 columns'), 'the table redrawn for 64 columns');
      for (const line of text.split('\n')) expect(line.length).toBeLessThanOrEqual(64);
      expect(text.split('\n').filter((l) => l.startsWith('› ') || l.startsWith('  ')).length).toBeGreaterThan(15);

      tmux('send-keys', '-t', 'watch', 'q');
      await vi.waitFor(() => expect(existsSync(exit)).toBe(true), { timeout: 30_000, interval: 100 });
      expect(readFileSync(exit, 'utf8').trim(), readFileSync(join(dir, 'stderr'), 'utf8')).toBe('0');
      await vi.waitFor(() => expect(readFileSync(raw, 'utf8')).toContain('\u001b[?1049l'), { timeout: 10_000 });
      const output = readFileSync(raw, 'utf8');
      expect(output.indexOf('\u001b[?1049h')).toBeGreaterThanOrEqual(0);
      expect(output.lastIndexOf('\u001b[?1049l')).toBeGreaterThan(output.lastIndexOf('\u001b[?1049h'));
      expect(output.lastIndexOf('\u001b[?25h')).toBeGreaterThan(output.lastIndexOf('\u001b[?25l'));
    } finally {
      tmux('kill-server');
    }
  });

  it('shows a snapshot given with --input once, without refreshing and without spend', async () => {
    const exit = join(dir, 'exit-input');
    const envs = Object.entries(env)
      .map(([k, v]) => `${k}='${v}'`)
      .join(' ');
    const script = `env -i ${envs} '${process.execPath}' '${BIN}' watch --input '${snapshotFile}' 2>'${join(dir, 'stderr-input')}'; echo $? > '${exit}'`;
    writeFileSync(join(dir, 'run-input.sh'), script);
    expect(tmux('new-session', '-d', '-s', 'watch', '-x', '120', '-y', '40', `sh '${join(dir, 'run-input.sh')}'`).exitCode).toBe(0);
    try {
      let text = await until((t) => t.includes('not refreshed (--input)'), 'the snapshot shown');
      expect(text).toContain(`snapshot ${snapshotFile}`);
      expect(text).toContain(`Resources ${count(figures.resources)}`);
      expect(text).toContain(`Findings ${count(figures.findings)}`);
      expect(text).not.toContain('next in');
      tmux('send-keys', '-t', 'watch', '3');
      text = await until((t) => t.includes('a snapshot holds no spend'), 'the costs view of a snapshot');
      tmux('send-keys', '-t', 'watch', 'q');
      await vi.waitFor(() => expect(existsSync(exit)).toBe(true), { timeout: 30_000, interval: 100 });
      expect(readFileSync(exit, 'utf8').trim(), readFileSync(join(dir, 'stderr-input'), 'utf8')).toBe('0');
    } finally {
      tmux('kill-server');
    }
  });

  it('refuses to start off a terminal with exit 2 and one line naming the --json commands', async () => {
    const run = await guardian(['watch', '--profile', 'demo']);
    expect(run.exitCode).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
    expect(run.stderr).toContain('watch needs a terminal');
    expect(run.stderr).toContain('guardian discover --json, costs --json, scan --json or optimize --json');
  });

  it('refuses --json before touching any cloud', async () => {
    const json = await guardian(['watch', '--profile', 'demo', '--json']);
    expect(json.exitCode).toBe(2);
    expect(json.stderr).toContain('watch draws a dashboard, not a document');
  });
});
