// The chat tools over an estate held in memory: their arguments are checked against the schema
// before they run, their answers are bounded (a 100,000-resource estate is summarised, never sent
// whole), and a bad call comes back as an error outcome instead of a throw.

import { describe, expect, it } from 'vitest';
import { CHAT_TOOLS, fitForModel, MAX_RESULT_CHARS, runTool, type ToolContext } from '../../src/chat/tools/index.js';
import type { Resource } from '../../src/model/resource.js';
import { snapshotEstate } from './chat-estate.js';

function machine(n: number): Resource {
  return {
    cloud: n % 3 === 0 ? 'gcp' : 'aws',
    kind: n % 3 === 0 ? 'gcp.compute.instance' : 'aws.ec2.instance',
    id: `i-${n.toString(16).padStart(8, '0')}`,
    name: `web-${n}`,
    account: n % 2 === 0 ? '111111111111' : '222222222222',
    region: ['eu-west-1', 'us-east-1', 'ap-south-1'][n % 3],
    state: n % 5 === 0 ? 'stopped' : 'running',
    tags: { env: n % 4 === 0 ? 'prod' : 'dev', team: `team-${n % 50}` },
    attributes: { instanceType: 't3.micro', ingress: [{ protocol: 'tcp', source: '0.0.0.0/0' }] },
    relations: n > 0 ? [{ type: 'in-network', target: 'i-00000000' }] : [],
  };
}

function estateOf(resources: Resource[]): ToolContext {
  const estate = snapshotEstate(resources);
  return { estate, signal: new AbortController().signal };
}

const big = Array.from({ length: 100_000 }, (_, n) => machine(n));

describe('chat tools', () => {
  it('name every tool after its capability, with an object schema that refuses unknown parameters', () => {
    for (const tool of CHAT_TOOLS) {
      expect(tool.name).toMatch(/^(inventory|costs|scan|optimize|predict)_[a-z_]+$/);
      expect(tool.parameters).toMatchObject({ type: 'object', additionalProperties: false });
    }
    expect(new Set(CHAT_TOOLS.map((t) => t.name)).size).toBe(CHAT_TOOLS.length);
    // Every capability is reachable from chat.
    expect(new Set(CHAT_TOOLS.map((t) => t.name.split('_')[0]))).toEqual(new Set(['inventory', 'costs', 'scan', 'optimize', 'predict']));
  });

  it('summarise a 100,000-resource estate as a count, the top rows and how many more', async () => {
    const outcome = await runTool('inventory_resources', '{}', estateOf(big));
    expect(outcome.ok).toBe(true);
    const result = (outcome as { result: { total: number; resources: unknown[]; more: number } }).result;
    expect(result.total).toBe(100_000);
    expect(result.resources).toHaveLength(20);
    expect(result.more).toBe(99_980);
    expect(fitForModel(result).length).toBeLessThanOrEqual(MAX_RESULT_CHARS);
  });

  it('count by a dimension with the tail beyond the largest groups summed as others', async () => {
    const outcome = await runTool('inventory_counts', { by: 'tag:team', cloud: 'aws' }, estateOf(big));
    const result = (outcome as { result: { total: number; groups: { count: number }[]; others: { groups: number; count: number } } })
      .result;
    const aws = big.filter((r) => r.cloud === 'aws').length;
    expect(result.total).toBe(aws);
    expect(result.groups).toHaveLength(30);
    expect(result.others.groups).toBe(20);
    expect(result.groups.reduce((s, g) => s + g.count, 0) + result.others.count).toBe(aws);
  });

  it('filter by region glob, kind fragment, tag key=value, state and name', async () => {
    const outcome = await runTool(
      'inventory_resources',
      { region: 'eu-*', kind: 'instance', tag: 'ENV=Prod', state: 'running', name: 'web-1', limit: 100 },
      estateOf(big.slice(0, 2000)),
    );
    const result = (outcome as { result: { total: number; resources: Resource[] } }).result;
    const expected = big
      .slice(0, 2000)
      .filter((r) => r.region === 'eu-west-1' && r.tags.env === 'prod' && r.state === 'running' && r.name.includes('web-1'));
    expect(result.total).toBe(expected.length);
    expect(result.resources.map((r) => r.id)).toEqual(expected.slice(0, 100).map((r) => r.id));
    // Lists (ingress rules) stay out of a row: scalar attributes only.
    expect(result.resources[0]).toMatchObject({ attributes: { instanceType: 't3.micro' } });
    expect(result.resources[0]).not.toHaveProperty('attributes.ingress');
  });

  it('give a resource its relations both ways, the referrers bounded', async () => {
    const outcome = await runTool('inventory_relations', { id: 'i-00000000' }, estateOf(big.slice(0, 500)));
    const result = (outcome as { result: { found: boolean; referrers: { total: number; rows: unknown[]; more: number } } }).result;
    expect(result.found).toBe(true);
    expect(result.referrers.total).toBe(499);
    expect(result.referrers.rows).toHaveLength(100);
    expect(result.referrers.more).toBe(399);
  });

  it('refuse arguments that do not fit the schema before running the tool', async () => {
    const ctx = estateOf(big.slice(0, 10));
    expect(await runTool('inventory_resources', { limit: 1000 }, ctx)).toMatchObject({
      ok: false,
      error: expect.stringMatching(/invalid arguments for inventory_resources: limit must be <= 100/),
    });
    expect(await runTool('inventory_resources', { colour: 'red' }, ctx)).toMatchObject({
      ok: false,
      error: expect.stringMatching(/unknown parameter 'colour'/),
    });
    expect(await runTool('inventory_counts', { by: 'weather' }, ctx)).toMatchObject({ ok: false });
    expect(await runTool('inventory_counts', '{"by": "region"', ctx)).toMatchObject({
      ok: false,
      error: expect.stringMatching(/not valid JSON/),
    });
  });

  it('answer an unknown tool with the names of the real ones', async () => {
    const outcome = await runTool('delete_everything', '{}', estateOf([]));
    expect(outcome).toMatchObject({ ok: false, error: expect.stringMatching(/there is no tool 'delete_everything'.*inventory_resources/) });
  });

  it('turn a tool that throws into an error outcome', async () => {
    const outcome = await runTool('scan_findings', {}, estateOf([]));
    expect(outcome).toMatchObject({ ok: false, error: 'scan_findings failed: no scan in this test' });
  });

  it('refuse billing questions on a snapshot session, naming the tool that can answer', async () => {
    const outcome = await runTool('costs_spend', {}, estateOf([]));
    expect(outcome).toMatchObject({ ok: false, error: expect.stringMatching(/saved snapshot.*costs_estimate/) });
  });

  it('price the estate at list prices with the most expensive resources first', async () => {
    const outcome = await runTool('costs_estimate', { cloud: 'aws', top: 3 }, estateOf(big.slice(0, 300)));
    const result = (outcome as { result: { monthly: number; mostExpensive: { rows: { monthly: number }[]; total: number } } }).result;
    expect(result.monthly).toBeGreaterThan(0);
    expect(result.mostExpensive.rows).toHaveLength(3);
  });
});

describe('fitForModel', () => {
  it('halves the longest list until the JSON fits, counting what it dropped', () => {
    const rows = Array.from({ length: 5000 }, (_, n) => ({ id: `r-${n}`, note: 'x'.repeat(40) }));
    const text = fitForModel({ total: 5000, rows }, 10_000);
    expect(text.length).toBeLessThanOrEqual(10_000);
    const parsed = JSON.parse(text);
    expect(parsed.total).toBe(5000);
    expect(parsed.rows.length + parsed.truncated.rowsDropped).toBe(5000);
  });

  it('leaves a small result as it is', () => {
    expect(fitForModel({ a: 1 })).toBe('{"a":1}');
  });
});
