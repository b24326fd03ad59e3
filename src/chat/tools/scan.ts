// scan_* tools: the security findings of the session's inventory (the same rule catalog, engine
// and suppressions as `guardian scan`), filtered by severity, rule, resource, cloud or kind; and
// one rule's detail with the resources it flags.

import { atLeast, SEVERITIES, type Severity } from '../../model/finding.js';
import { DEFAULT_LIMIT, MAX_LIMIT, page } from './bound.js';
import { RESOURCE_FILTER_SCHEMA } from './filters.js';
import type { ChatTool } from './types.js';

interface FindingsArgs {
  severity?: Severity;
  rule?: string;
  resource?: string;
  cloud?: string;
  kind?: string;
  limit?: number;
}

export const scanFindings: ChatTool<FindingsArgs> = {
  name: 'scan_findings',
  description:
    'Security findings (misconfigurations, public exposure) of the discovered estate, most severe first: counts by severity and up to `limit` findings, each naming its rule and resource. Filters: minimum severity, rule id, resource id or name, cloud, kind.',
  parameters: {
    type: 'object',
    additionalProperties: false,
    properties: {
      severity: { type: 'string', enum: [...SEVERITIES], description: 'this severity or more severe' },
      rule: { type: 'string', minLength: 1, description: 'a rule id such as AWS-EC2-001' },
      resource: { type: 'string', minLength: 1, description: "a resource's id, or part of its name" },
      cloud: RESOURCE_FILTER_SCHEMA.cloud,
      kind: RESOURCE_FILTER_SCHEMA.kind,
      limit: { type: 'integer', minimum: 1, maximum: MAX_LIMIT, description: `findings to return (default ${DEFAULT_LIMIT})` },
    },
  },
  async run(args, ctx) {
    const report = await ctx.estate.scan();
    const needle = args.resource?.toLowerCase();
    const matched = report.findings.filter(
      (f) =>
        (!args.severity || atLeast(f.severity, args.severity)) &&
        (!args.rule || f.ruleId.toLowerCase() === args.rule.toLowerCase()) &&
        (!needle || f.resource.id === args.resource || f.resource.name.toLowerCase().includes(needle)) &&
        (!args.cloud || f.resource.cloud === args.cloud) &&
        (!args.kind || f.resource.kind.includes(args.kind.toLowerCase())),
    );
    const bySeverity = Object.fromEntries(SEVERITIES.map((s) => [s, matched.filter((f) => f.severity === s).length]));
    const { total, rows, more } = page(matched, args.limit ?? DEFAULT_LIMIT);
    return {
      total,
      bySeverity,
      unverified: matched.filter((f) => f.status === 'unknown').length,
      findings: rows.map(({ ruleId, title, severity, status, message, resource }) => ({
        ruleId,
        title,
        severity,
        status,
        message,
        resource,
      })),
      more,
      estate: { resources: report.summary.resources, rules: report.summary.rules, suppressed: report.summary.suppressed },
    };
  },
};

export const scanRule: ChatTool<{ rule: string; limit?: number }> = {
  name: 'scan_rule',
  description:
    "One security rule's detail: title, severity, what it checks, its remediation and compliance references, and the resources it flags in this estate.",
  parameters: {
    type: 'object',
    additionalProperties: false,
    required: ['rule'],
    properties: {
      rule: { type: 'string', minLength: 1, description: 'the rule id, e.g. AWS-EC2-001' },
      limit: { type: 'integer', minimum: 1, maximum: MAX_LIMIT, description: `flagged resources to return (default ${DEFAULT_LIMIT})` },
    },
  },
  async run(args, ctx) {
    const report = await ctx.estate.scan();
    const rule = report.rules.find((r) => r.id.toLowerCase() === args.rule.toLowerCase());
    if (!rule) {
      const { didYouMean } = await import('../../model/suggest.js');
      throw new Error(
        `no security rule '${args.rule}'${didYouMean(
          args.rule,
          report.rules.map((r) => r.id),
        )}`,
      );
    }
    const flagged = report.findings.filter((f) => f.ruleId === rule.id);
    const { id, title, severity, description, remediation, references, kinds } = rule;
    const { total, rows, more } = page(flagged, args.limit ?? DEFAULT_LIMIT);
    return {
      rule: { id, title, severity, description, remediation, references, kinds },
      flagged: total,
      findings: rows.map(({ status, message, resource }) => ({ status, message, resource })),
      more,
    };
  },
};
