// What the views read, derived once per refresh: counts, rows with cloud text escaped, findings per
// resource, the savings total with each resource counted once, the filter and the copyable commands.

import { describe, expect, it } from 'vitest';
import { filterRows, resourceCommand, shellWord, summarize } from '../../src/watch/estate.js';
import { fixtureData, fixtureResources } from './watch-fixture.js';

describe('watch estate summary', () => {
  it('counts resources by cloud, kind and state, and findings by severity and rule', async () => {
    const data = await fixtureData();
    const summary = summarize(data);
    expect(summary.byCloud).toEqual([
      { key: 'aws', count: 32 },
      { key: 'azure', count: 1 },
      { key: 'gcp', count: 1 },
    ]);
    expect(summary.byKind[0]).toEqual({ key: 'aws.ec2.instance', count: 30 });
    expect(summary.byState.find((s) => s.key === 'running')?.count).toBe(31);
    expect(Object.values(summary.bySeverity).reduce((a, b) => a + b)).toBe(data.findings.length);
    expect(summary.byRule[0]).toMatchObject({ ruleId: 'AWS-EC2-001', severity: 'critical', count: 1 });
    const sg = summary.rows.find((r) => r.id === 'sg-0open');
    expect(sg).toMatchObject({ findings: 1, worst: 'critical' });
  });

  it('adds each resource once to the savings total, and counts unpriced recommendations apart', async () => {
    const data = await fixtureData();
    const [first] = data.recommendations ?? [];
    const twice = {
      ...data,
      recommendations: [first, { ...first, id: 'opt-2', monthlySaving: 1 }, { ...first, id: 'opt-3', monthlySaving: null }],
    };
    expect(summarize(twice).savings).toEqual({ monthly: first.monthlySaving, count: 3, unpriced: 1 });
  });

  it('escapes cloud text in the rows and filters on every word, tags included', async () => {
    const summary = summarize(await fixtureData());
    expect(summary.rows.find((r) => r.id === '4242')?.name).toBe('\\x1b[31mevil\\x1b]0;pwned\\x07');
    expect(filterRows(summary.rows, 'SPARE').map((r) => r.id)).toEqual(['vol-0spare']);
    expect(filterRows(summary.rows, 'team=search').map((r) => r.id)).toEqual(['vol-0spare']);
    expect(filterRows(summary.rows, 'aws env=prod')).toHaveLength(15);
    expect(filterRows(summary.rows, '  ')).toHaveLength(summary.rows.length);
  });

  it('writes the equivalent discover command with the id as a literal filter, quoted for the shell', () => {
    const [sg] = fixtureResources(0);
    expect(resourceCommand(sg, 'prod')).toBe(
      'guardian discover --profile prod --provider aws --region eu-west-1 --kind aws.ec2.security-group --filter id=sg-0open --json',
    );
    const odd = { ...sg, id: "arn:aws:x:*:it's" };
    expect(resourceCommand(odd, 'prod')).toContain(`--filter 'id=arn:aws:x:\\*:it'\\''s'`);
    expect(shellWord('a b')).toBe("'a b'");
  });
});
