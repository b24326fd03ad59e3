// The sharded-run templates: valid YAML whose shard count, matrix and Indexed Job agree, and whose
// commands are the flags `discover` and `discover merge` really have.

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

const read = (name: string) => readFileSync(new URL(`../../templates/${name}`, import.meta.url), 'utf8');

describe('sharding templates', () => {
  it('GitHub Actions: one matrix job per shard 1…N, merged with --strict after all of them', () => {
    const workflow = parse(read('github-actions-sharded.yml'));
    const shards = Number(workflow.env.SHARDS);
    expect(workflow.jobs.discover.strategy.matrix.shard).toEqual(Array.from({ length: shards }, (_, i) => i + 1));
    const discover = workflow.jobs.discover.steps.find((step: { name?: string }) => step.name === 'Discover').run;
    // biome-ignore lint/suspicious/noTemplateCurlyInString: a GitHub Actions expression, not a JavaScript template
    expect(discover).toContain('guardian discover --shard "${{ matrix.shard }}/$SHARDS" --run-id "$GITHUB_RUN_ID"');
    expect(workflow.jobs.merge.needs).toBe('discover');
    const merge = workflow.jobs.merge.steps.find((step: { name?: string }) => step.name === 'Merge the shards').run;
    expect(merge).toContain('guardian discover merge shard-*.json --out inventory.json --strict');
  });

  it('Kubernetes: an Indexed Job with completions = parallelism = SHARDS, each pod taking JOB_COMPLETION_INDEX', () => {
    const cron = parse(read('k8s-indexed-job.yaml'));
    const job = cron.spec.jobTemplate.spec;
    expect(cron.kind).toBe('CronJob');
    expect(job.completionMode).toBe('Indexed');
    const container = job.template.spec.containers[0];
    const shards = Number(container.env.find((e: { name: string }) => e.name === 'SHARDS').value);
    expect(job.completions).toBe(shards);
    expect(job.parallelism).toBe(shards);
    const script = container.args[0] as string;
    expect(script).toContain('guardian discover --shards "$SHARDS" --run-id "$RUN_ID"');
    expect(script).toContain('guardian discover merge "$dir"/shard-*.json --out');
  });
});
