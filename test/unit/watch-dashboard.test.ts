// The dashboard's frames as ink-testing-library draws them: each view with the figures of the
// fixture estate (judged by the real rules), keys, the filter, a narrow terminal, a resize, a
// failed refresh keeping the last good data, an empty estate, and cloud text escaped.

import { render } from 'ink-testing-library';
import { createElement as h } from 'react';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Anomaly } from '../../src/model/anomaly.js';
import { Dashboard, type DashboardProps, WatchApp } from '../../src/watch/Dashboard.js';
import { summarize, type WatchData } from '../../src/watch/estate.js';
import { createRefreshLoop, type LoopState } from '../../src/watch/loop.js';
import { emptyData, fixtureData, NOW } from './watch-fixture.js';

const KEYS = { down: '\u001b[B', up: '\u001b[A', pageDown: '\u001b[6~', end: '\u001b[F', tab: '\t', enter: '\r', escape: '\u001b' };

let data: WatchData;
beforeAll(async () => {
  data = await fixtureData({ budget: 3000 });
});

const loaded = (d: WatchData, status: LoopState['status'] = { running: false, nextAt: new Date(NOW.getTime() + 42_000) }): LoopState => ({
  data: d,
  summary: summarize(d),
  status,
});

function draw(props: Partial<DashboardProps> = {}) {
  const all: DashboardProps = {
    loop: loaded(data),
    now: NOW,
    columns: 100,
    rows: 40,
    color: false,
    source: { profile: 'test', live: true },
    onRefresh: () => {},
    onQuit: () => {},
    ...props,
  };
  const app = render(h(Dashboard, all));
  return { ...app, props: all };
}

/** Write keys and wait until the frame shows `text`. */
async function press(app: ReturnType<typeof draw>, keys: string, text: string | RegExp) {
  app.stdin.write(keys);
  await vi.waitFor(() => expect(app.lastFrame()).toMatch(text));
  return app.lastFrame() ?? '';
}

const apps: { unmount(): void }[] = [];
afterEach(() => {
  for (const app of apps.splice(0)) app.unmount();
});
const open = (props: Partial<DashboardProps> = {}) => {
  const app = draw(props);
  apps.push(app);
  return app;
};

describe('guardian watch dashboard', () => {
  it('shows the header and the overview: resources by cloud, spend, projection, budget, findings, savings, no anomaly data', () => {
    const frame = open().lastFrame() ?? '';
    expect(frame).toContain('guardian watch · profile test · aws 2 scopes, azure 1 scope, gcp 1 scope');
    expect(frame).toContain('refreshed 12:00:00 UTC · next in 42s');
    expect(frame).toMatch(/Resources 34/);
    expect(frame).toMatch(/aws\s+32/);
    expect(frame).toContain('$3,000.00');
    expect(frame).toContain('month-end projection $3,600.00');
    expect(frame).toContain('budget $3,000.00: exceeded (projection)');
    const summary = summarize(data);
    expect(frame).toContain(`Findings ${data.findings.length}`);
    expect(frame).toContain(`critical ${summary.bySeverity.critical}`);
    expect(frame).toContain(`$${summary.savings?.monthly.toFixed(2)} a month over ${data.recommendations?.length} recommendation(s)`);
    expect(frame).toContain('no anomaly data');
  });

  it('lists resources, scrolls with the arrows and PgDn, and opens the detail with its command on Enter', async () => {
    const app = open({ rows: 20 });
    let frame = await press(app, '2', 'CLOUD');
    expect(frame).toContain('34 resources');
    expect(frame).toMatch(/› aws .*app-000/);
    frame = await press(app, KEYS.down, /› aws .*app-001/);
    frame = await press(app, KEYS.pageDown, /› aws .*app-012/);
    frame = await press(app, KEYS.end, /› gcp/);
    frame = await press(app, KEYS.enter, 'As JSON:');
    expect(frame).toContain('gcp.compute.disk');
    expect(frame.replace(/\n\s+/g, ' ')).toContain(
      'guardian discover --profile test --provider gcp --region europe-west1-b --kind gcp.compute.disk --filter id=4242 --json',
    );
    frame = await press(app, KEYS.escape, 'CLOUD');
  });

  it('filters with / as it is typed, shows the match count, and Esc clears it', async () => {
    const app = open();
    await press(app, '2', 'CLOUD');
    let frame = await press(app, '/spare', '/spare');
    expect(frame).toContain('spare-disk');
    expect(frame).not.toContain('app-000');
    frame = await press(app, KEYS.enter, 'filter: spare · 1 of 34');
    frame = await press(app, KEYS.enter, 'Attributes');
    expect(frame).toContain('volumeType');
    expect(frame).toContain('team = search');
    expect(frame).toContain('AWS-EC2-011');
    frame = await press(app, KEYS.escape, 'filter: spare');
    frame = await press(app, KEYS.escape, '34 resources');
    await press(app, '/nothing-like-it\r', 'no resource matches the filter');
  });

  it('shows cloud text escaped: a name with terminal escapes cannot drive the terminal', async () => {
    const app = open();
    await press(app, '2', 'CLOUD');
    const frame = await press(app, KEYS.end, /› gcp/);
    expect(frame).toContain('\\x1b[31m');
    expect(frame).not.toContain('\u001b');
    expect(frame).not.toContain('\u0007');
  });

  it('shows the costs view: trend chart, top services and accounts, the budget bar', async () => {
    const app = open();
    const frame = await press(app, '3', 'Top services');
    expect(frame).toContain('month to date 2026-11-01 → 2026-11-25: $3,000.00');
    expect(frame).toContain('█');
    expect(frame).toMatch(/Amazon EC2\s+aws\s+\$2,500\.00\s+83\.3%/);
    expect(frame).toMatch(/Amazon S3\s+aws\s+\$500\.00/);
    expect(frame).toContain('Top accounts');
    expect(frame).toMatch(/111122223333\s+aws\s+\$3,000\.00/);
    expect(frame).toMatch(/budget \$3,000\.00 █+ 120% projected · exceeded \(projection\)/);
  });

  it('shows findings by severity and rule in the security view, and drills into a rule with Enter', async () => {
    const app = open();
    let frame = await press(app, '4', 'SEVERITY');
    expect(frame).toMatch(/› critical\s+AWS-EC2-001/);
    frame = await press(app, KEYS.enter, 'finding(s) · Esc back');
    expect(frame).toContain('web-sg (sg-0open)');
    frame = await press(app, KEYS.escape, 'SEVERITY');
  });

  it('lists the savings, largest first, and shows one with how to apply it', async () => {
    const app = open();
    let frame = await press(app, '5', 'SAVES/MO');
    const first = data.recommendations?.[0];
    expect(frame).toContain(`$${first?.monthlySaving?.toFixed(2)}`);
    frame = await press(app, KEYS.enter, 'Apply with');
    expect(frame).toContain(`guardian optimize --apply ${first?.id}`);
  });

  it('says there is no anomaly data until a detector hands the dashboard anomalies, then lists them newest first', async () => {
    const app = open();
    expect(await press(app, '6', 'no anomaly data')).not.toContain('SCORE');
    const anomalies: Anomaly[] = [
      {
        seriesId: 'a',
        seriesName: 'aws spend',
        t: Date.parse('2026-11-24T00:00:00Z'),
        value: 400,
        expected: 120,
        spread: 10,
        score: 0.97,
        reason: '+233% against the expected 120 ± 10',
      },
      {
        seriesId: 'b',
        seriesName: 'cpu i-1',
        t: Date.parse('2026-11-20T00:00:00Z'),
        value: 99,
        expected: 20,
        spread: 5,
        score: 0.91,
        reason: 'cpu at 99%',
      },
    ];
    app.rerender(h(Dashboard, { ...app.props, loop: loaded({ ...data, anomalies }) }));
    const frame = await press(app, '', 'SCORE');
    expect(frame.indexOf('aws spend')).toBeLessThan(frame.indexOf('cpu i-1'));
    expect(await press(app, '1', 'Latest anomalies')).toContain('aws spend: +233%');
  });

  it('drops columns, not rows, in a narrow terminal and redraws when the size changes', async () => {
    const app = open({ columns: 60 });
    let frame = await press(app, '2', /CLOUD|KIND/);
    expect(frame.split('\n').find((l) => l.includes('CLOUD'))).not.toContain('ACCOUNT');
    expect(frame).toContain('hidden at 60 columns: ');
    for (const line of frame.split('\n')) expect(line.length).toBeLessThanOrEqual(60);
    const shown = frame.split('\n').filter((l) => /app-0\d\d/.test(l)).length;
    app.rerender(h(Dashboard, { ...app.props, columns: 140 }));
    frame = await press(app, '', 'ACCOUNT');
    expect(frame.split('\n').filter((l) => /app-0\d\d/.test(l)).length).toBe(shown);
  });

  it('redraws at the new size when the terminal is resized', async () => {
    const loop = createRefreshLoop({ refresh: async () => data, now: () => NOW });
    const app = render(h(WatchApp, { loop, clock: () => NOW, color: false, source: { profile: 'test', live: true }, onQuit: () => {} }));
    apps.push(app);
    loop.start();
    await vi.waitFor(() => expect(app.lastFrame()).toContain('Resources 34'));
    app.stdin.write('2');
    await vi.waitFor(() => expect(app.lastFrame()).toContain('ACCOUNT'));
    Object.defineProperty(app.stdout, 'columns', { value: 50, configurable: true });
    app.stdout.emit('resize');
    await vi.waitFor(() => expect(app.lastFrame()).toContain('hidden at 50 columns'));
    await loop.stop();
  });

  it('keeps the last good data on screen with the error when a refresh fails', async () => {
    let calls = 0;
    const loop = createRefreshLoop({
      refresh: async () => {
        calls += 1;
        if (calls === 2) throw new Error('no scope could be reached: aws RequestTimeout: the endpoint did not answer');
        return data;
      },
      now: () => NOW,
    });
    const app = render(h(WatchApp, { loop, clock: () => NOW, color: false, source: { profile: 'test', live: true }, onQuit: () => {} }));
    apps.push(app);
    loop.start();
    await vi.waitFor(() => expect(app.lastFrame()).toContain('Resources 34'));
    app.stdin.write('r');
    await vi.waitFor(() =>
      expect(app.lastFrame()).toContain('refresh failed (showing the data of 12:00:00 UTC): no scope could be reached'),
    );
    expect(app.lastFrame()).toContain('Resources 34');
    await loop.stop();
  });

  it('shows the progress line while a refresh runs and answers keys meanwhile', async () => {
    const app = open({ loop: { ...loaded(data), status: { running: true, progress: 'discovering: aws 3/10 listings, 12 resources' } } });
    expect(app.lastFrame()).toContain('refreshing: discovering: aws 3/10 listings, 12 resources');
    expect(await press(app, '2', 'CLOUD')).toContain('refreshing:');
  });

  it('draws an empty estate without inventing anything', async () => {
    const app = open({ loop: loaded(emptyData()) });
    let frame = app.lastFrame() ?? '';
    expect(frame).toContain('Resources 0');
    expect(frame).toContain('spend could not be read: AccessDenied');
    expect(frame).toContain('$0.00 a month over 0 recommendation(s)');
    frame = await press(app, '2', 'no resources found');
    frame = await press(app, '3', 'spend could not be read');
    frame = await press(app, '4', 'no findings');
    frame = await press(app, '5', 'no recommendations');
    frame = await press(app, '6', 'no anomaly data');
  });

  it('says the first refresh failed when there is no data to keep', () => {
    const frame = open({ loop: { status: { running: false, error: 'no profile named x' } } }).lastFrame() ?? '';
    expect(frame).toContain('refresh failed: no profile named x');
    expect(frame).toContain('no data yet: the first refresh failed; r tries again');
  });

  it('shows help on ?, calls for a refresh on r and quits on q', async () => {
    const quits: string[] = [];
    let refreshes = 0;
    const app = open({ onQuit: (how) => quits.push(how), onRefresh: () => refreshes++ });
    await press(app, '?', 'Keys');
    await press(app, KEYS.escape, 'Resources 34');
    app.stdin.write('r');
    await vi.waitFor(() => expect(refreshes).toBe(1));
    app.stdin.write('q');
    await vi.waitFor(() => expect(quits).toEqual(['quit']));
    app.stdin.write('\u0003');
    await vi.waitFor(() => expect(quits).toEqual(['quit', 'interrupt']));
  });

  it('writes no colour or style escapes without colour (NO_COLOR, CI)', () => {
    const frames = open({ color: false }).frames.join('');
    expect(frames).not.toMatch(/\u001b\[[0-9;]*m/);
  });
});
