// What one refresh of `guardian watch` hands the views (`WatchData`), and what the views read from
// it (`EstateSummary`): counts, rows and indexes derived once per refresh, never during a render,
// so a keystroke costs a filter over prepared rows and nothing more. Pure.

import type { CostReport } from '../costs/report.js';
import type { Anomaly } from '../model/anomaly.js';
import { type Finding, SEVERITIES, type Severity, severityRank } from '../model/finding.js';
import type { Recommendation } from '../model/recommendation.js';
import { type Cloud, type Resource, resourceKey } from '../model/resource.js';
import { totalsOf } from '../optimize/totals.js';
import { escapeControls } from '../render/escape.js';

export interface ScopeCount {
  cloud: Cloud;
  scopes: number;
  /** Scopes with a failed or unfinished listing. */
  incomplete: number;
}

/** One refresh's data, or a snapshot's. Each part a refresh could not read says why instead. */
export interface WatchData {
  profile: string;
  clouds: Cloud[];
  scopes: ScopeCount[];
  /** When the data was read (a snapshot: when it was taken). */
  at: Date;
  /** 'live', or the snapshot file shown with --input. */
  source: string;
  resources: Resource[];
  /** Why the inventory is incomplete, when it is. */
  incomplete?: string;
  findings: Finding[];
  costs?: CostReport;
  /** Why there are no cost figures (a snapshot has none, the billing query failed). */
  costsNote?: string;
  recommendations?: Recommendation[];
  savingsNote?: string;
  /** Predict's detector over the last 90 days' daily spend, the last 7 days' flags; undefined: no anomaly data (a snapshot, a failed read), never invented. */
  anomalies?: Anomaly[];
  /** Why there are no anomalies to show, or what they do not cover. */
  anomaliesNote?: string;
}

export interface Count {
  key: string;
  count: number;
}

/** One line of the Resources view: cloud text escaped once, and the lower-case text a filter searches. */
export interface ResourceRow {
  key: string;
  resource: Resource;
  cloud: string;
  kind: string;
  name: string;
  id: string;
  account: string;
  region: string;
  state: string;
  findings: number;
  /** The most severe finding's severity, if any. */
  worst?: Severity;
  search: string;
}

export interface RuleCount {
  ruleId: string;
  title: string;
  severity: Severity;
  count: number;
}

export interface EstateSummary {
  byCloud: Count[];
  byKind: Count[];
  byState: Count[];
  rows: ResourceRow[];
  bySeverity: Record<Severity, number>;
  byRule: RuleCount[];
  findingsOf: Map<string, Finding[]>;
  /** USD a month over the priced recommendations, each resource once (optimize's total). */
  savings?: { monthly: number; count: number; unpriced: number };
}

const safe = (text: string | undefined) => escapeControls(text ?? '');

function counted(values: Iterable<string>): Count[] {
  const counts = new Map<string, number>();
  for (const value of values) counts.set(value, (counts.get(value) ?? 0) + 1);
  return [...counts].map(([key, count]) => ({ key, count })).sort((a, b) => b.count - a.count || a.key.localeCompare(b.key));
}

const findingKey = (f: Finding) => resourceKey(f.resource);

export function summarize(data: WatchData): EstateSummary {
  const findingsOf = new Map<string, Finding[]>();
  for (const finding of data.findings) {
    const key = findingKey(finding);
    const list = findingsOf.get(key);
    if (list) list.push(finding);
    else findingsOf.set(key, [finding]);
  }
  const rows: ResourceRow[] = data.resources.map((resource) => {
    const key = resourceKey(resource);
    const found = findingsOf.get(key) ?? [];
    const worst = found.reduce<Severity | undefined>(
      (w, f) => (w === undefined || severityRank(f.severity) < severityRank(w) ? f.severity : w),
      undefined,
    );
    const row = {
      key,
      resource,
      cloud: resource.cloud,
      kind: resource.kind,
      name: safe(resource.name),
      id: safe(resource.id),
      account: safe(resource.account),
      region: safe(resource.region),
      state: safe(resource.state ?? '-'),
      findings: found.length,
      worst,
    };
    const tags = Object.entries(resource.tags)
      .map(([k, v]) => `${k}=${v}`)
      .join(' ');
    return {
      ...row,
      search: `${row.cloud} ${row.kind} ${row.name} ${row.id} ${row.account} ${row.region} ${row.state} ${safe(tags)}`.toLowerCase(),
    };
  });
  rows.sort(
    (a, b) => a.cloud.localeCompare(b.cloud) || a.kind.localeCompare(b.kind) || a.name.localeCompare(b.name) || a.id.localeCompare(b.id),
  );

  const bySeverity = Object.fromEntries(SEVERITIES.map((s) => [s, 0])) as Record<Severity, number>;
  const rules = new Map<string, RuleCount>();
  for (const finding of data.findings) {
    bySeverity[finding.severity] += 1;
    const rule = rules.get(finding.ruleId);
    if (rule) rule.count += 1;
    else rules.set(finding.ruleId, { ruleId: finding.ruleId, title: safe(finding.title), severity: finding.severity, count: 1 });
  }
  const byRule = [...rules.values()].sort(
    (a, b) => severityRank(a.severity) - severityRank(b.severity) || b.count - a.count || a.ruleId.localeCompare(b.ruleId),
  );

  // optimize's own total: each resource once (stopping and resizing one machine are alternatives).
  const totals = data.recommendations ? totalsOf(data.recommendations) : undefined;
  const savings = totals && { monthly: totals.monthlySaving, count: totals.count, unpriced: totals.unpriced };

  return {
    byCloud: counted(data.resources.map((r) => r.cloud)),
    byKind: counted(data.resources.map((r) => r.kind)),
    byState: counted(data.resources.map((r) => safe(r.state ?? 'unknown'))),
    rows,
    bySeverity,
    byRule,
    findingsOf,
    savings,
  };
}

/**
 * The rows a filter keeps: every space-separated term must appear somewhere in the row (cloud,
 * kind, name, id, account, region, state, tags), case-insensitively.
 */
export function filterRows(rows: ResourceRow[], filter: string): ResourceRow[] {
  const terms = filter.toLowerCase().split(/\s+/).filter(Boolean);
  if (terms.length === 0) return rows;
  return rows.filter((row) => terms.every((term) => row.search.includes(term)));
}

/** A word for a POSIX shell: bare when it is plain, else single-quoted. */
export function shellWord(text: string): string {
  return /^[\w@%+=:,./-]+$/.test(text) ? text : `'${text.replace(/'/g, `'\\''`)}'`;
}

/** The `guardian discover … --json` command that prints this resource as the dashboard read it. */
export function resourceCommand(resource: Resource, profile: string): string {
  const words = [
    'guardian',
    'discover',
    '--profile',
    profile,
    '--provider',
    resource.cloud,
    ...(resource.region && resource.region !== 'global' ? ['--region', resource.region] : []),
    '--kind',
    resource.kind,
    '--filter',
    `id=${resource.id.replace(/[*?[\]{}()!\\]/g, '\\$&')}`,
    '--json',
  ];
  return escapeControls(words.map(shellWord).join(' '));
}

/** The `guardian scan … --json` command that judges this resource's kind where it lives. */
export function findingsCommand(resource: Resource, profile: string): string {
  const words = [
    'guardian',
    'scan',
    '--profile',
    profile,
    '--provider',
    resource.cloud,
    ...(resource.region && resource.region !== 'global' ? ['--region', resource.region] : []),
    '--kind',
    resource.kind,
    '--json',
  ];
  return escapeControls(words.map(shellWord).join(' '));
}
