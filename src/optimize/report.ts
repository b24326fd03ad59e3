// How `guardian optimize` shows its recommendations: a table sorted by saving with the total and a
// subtotal per action, the JSON document of docs/optimize.md, CSV with every field, and Markdown
// for a pull-request comment.

import type { Evidence, Recommendation } from '../model/recommendation.js';
import { type TableOptions, type TableView, toCsv, toJson, toMarkdown, toTable } from '../render/output.js';
import type { CostRule } from '../rules/cost.js';
import type { OptimizeOutcome } from './run.js';
import { type ActionTotal, type Totals, totalsOf } from './totals.js';

export function money(amount: number | null): string {
  return amount === null ? 'unpriced' : `$${amount.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;
}

function compact(value: number): string {
  if (Math.abs(value) >= 1000) return Math.round(value).toLocaleString('en-US');
  return String(Math.round(value * 100) / 100);
}

export function evidenceText(evidence: Evidence): string {
  if (evidence.type === 'fact') return evidence.fact;
  const days = Math.round((Date.parse(evidence.window.end) - Date.parse(evidence.window.start)) / 86_400_000);
  const op = evidence.comparison === 'below' ? '<' : '≤';
  return `${evidence.metric} ${evidence.stat} ${compact(evidence.value)} ${evidence.unit} ${op} ${compact(evidence.threshold)} over ${days}d`;
}

export function recommendationsView(list: Recommendation[]): TableView<Recommendation> {
  return {
    columns: [
      { header: 'saving', value: (r) => money(r.monthlySaving), align: 'right', sortValue: (r) => r.monthlySaving ?? -1 },
      { header: 'basis', value: (r) => r.priceBasis },
      { header: 'action', value: (r) => r.action, minWidth: 20 },
      { header: 'cloud', value: (r) => r.resource.cloud, priority: 2 },
      { header: 'resource', value: (r) => r.resource.name || r.resource.id, overflow: 'truncate', minWidth: 16, maxWidth: 40 },
      { header: 'region', value: (r) => r.resource.region, priority: 3 },
      { header: 'evidence', value: (r) => r.evidence.map(evidenceText).join('; '), priority: 1, minWidth: 24 },
      { header: 'rule', value: (r) => r.rule, priority: 4, minWidth: 12 },
      // An id is only of use whole: it is left out before it is cut.
      { header: 'id', value: (r) => r.id, priority: 2, minWidth: 14 },
      { header: 'command', value: (r) => r.command.cli, wide: true },
    ],
    rows: list,
  };
}

function actionsView(totals: Totals): TableView<ActionTotal> {
  return {
    columns: [
      { header: 'action', value: (t) => t.action },
      { header: 'count', value: (t) => t.count, align: 'right' },
      { header: 'saving', value: (t) => money(t.monthlySaving), align: 'right' },
      { header: 'unpriced', value: (t) => t.unpriced, align: 'right', priority: 1 },
    ],
    rows: totals.byAction,
  };
}

/** Which figures the rows use: "at list prices", or how many are billed. */
export function basisText(list: Recommendation[]): string {
  const billed = list.filter((r) => r.priceBasis === 'billed').length;
  if (billed === 0) return 'at list prices';
  if (billed === list.length) return 'at what each resource was billed';
  return `(${billed} row(s) at what the resource was billed, ${list.length - billed} at list prices)`;
}

export function totalLine(totals: Totals, list: Recommendation[] = []): string {
  if (totals.count === 0) return 'No recommendation: nothing to stop paying for was found.';
  const overlap = totals.overlapping > 0 ? `; ${totals.overlapping} resource(s) have alternatives, counted once` : '';
  const unpriced = totals.unpriced > 0 ? `; ${totals.unpriced} unpriced` : '';
  return `${totals.count} recommendation(s), ${money(totals.monthlySaving)} a month ${basisText(list)}${overlap}${unpriced}.`;
}

export function toOptimizeTable(list: Recommendation[], options: TableOptions): string {
  const totals = totalsOf(list);
  if (list.length === 0) return totalLine(totals);
  return [
    toTable(recommendationsView(list), options),
    toTable(actionsView(totals), { ...options, sortBy: undefined }),
    totalLine(totals, list),
  ].join('\n');
}

export function toOptimizeCsv(list: Recommendation[], options: Pick<TableOptions, 'sortBy' | 'headers'>): string {
  const view: TableView<Recommendation> = {
    columns: [
      { header: 'id', value: (r) => r.id },
      { header: 'rule', value: (r) => r.rule },
      { header: 'action', value: (r) => r.action },
      { header: 'cloud', value: (r) => r.resource.cloud },
      { header: 'kind', value: (r) => r.resource.kind },
      { header: 'resource', value: (r) => r.resource.id },
      { header: 'name', value: (r) => r.resource.name },
      { header: 'account', value: (r) => r.resource.account },
      { header: 'region', value: (r) => r.resource.region },
      {
        header: 'monthlySaving',
        value: (r) => (r.monthlySaving === null ? '' : r.monthlySaving.toFixed(2)),
        sortValue: (r) => r.monthlySaving ?? -1,
      },
      { header: 'currency', value: (r) => r.currency },
      { header: 'priceBasis', value: (r) => r.priceBasis },
      { header: 'unpriced', value: (r) => r.unpriced ?? '' },
      { header: 'evidence', value: (r) => r.evidence.map(evidenceText).join('; ') },
      { header: 'risk', value: (r) => r.risk },
      { header: 'command', value: (r) => r.command.cli },
    ],
    rows: list,
  };
  return toCsv(view, options);
}

export function toOptimizeJson(
  outcome: OptimizeOutcome,
  list: Recommendation[],
  meta: { thresholds: object; window?: object; plan?: object[] },
): string {
  return toJson('guardian.optimize', {
    source: outcome.source,
    complete: outcome.inventoryComplete && outcome.metricFailures.length === 0,
    thresholds: meta.thresholds,
    ...(meta.window ? { window: meta.window } : {}),
    skippedRules: outcome.skippedRules.map((rule) => rule.id),
    undecided: outcome.undecided.length,
    ...(outcome.metricStats ? { metricCalls: outcome.metricStats } : {}),
    billing: outcome.billing,
    recommendations: list,
    totals: totalsOf(list),
    ...(meta.plan ? { plan: meta.plan } : {}),
  });
}

/** A pull-request comment: the total, the per-action subtotals, then every recommendation with its command. */
export function toOptimizeMarkdown(list: Recommendation[], meta: { source: string }): string {
  const totals = totalsOf(list);
  const lines = [`## Guardian optimize: ${money(totals.monthlySaving)} a month to save`, '', totalLine(totals, list), ''];
  if (list.length === 0) return lines.join('\n');
  lines.push(
    toMarkdown(actionsView(totals)),
    '',
    toMarkdown({
      columns: [
        { header: 'saving a month', value: (r: Recommendation) => money(r.monthlySaving), align: 'right' },
        { header: 'basis', value: (r) => r.priceBasis },
        { header: 'action', value: (r) => r.action },
        { header: 'resource', value: (r) => `${r.resource.name || r.resource.id} (${r.resource.cloud} ${r.resource.region})` },
        { header: 'why', value: (r) => r.evidence.map(evidenceText).join('; ') },
        { header: 'risk', value: (r) => r.risk },
        { header: 'command', value: (r) => r.command.cli },
        { header: 'id', value: (r) => r.id },
      ],
      rows: list,
    }),
    '',
    list.some((r) => r.priceBasis === 'billed')
      ? `Basis "billed": the resource's last 14 days in Cost Explorer's resource-level data, × 730 / 336 hours; "list": the bundled list prices (730 hours a month). Source: ${meta.source}.`
      : `Priced from the bundled list prices (730 hours a month); source: ${meta.source}.`,
  );
  return lines.join('\n');
}

export function costRulesView(rules: CostRule[]): TableView<CostRule> {
  return {
    columns: [
      { header: 'id', value: (r) => r.id },
      { header: 'action', value: (r) => r.action },
      { header: 'title', value: (r) => r.title },
      { header: 'kinds', value: (r) => r.kinds.join(', '), priority: 2 },
      { header: 'metrics', value: (r) => (r.metrics.length ? r.metrics.join(', ') : 'none (works offline)'), priority: 1 },
    ],
    rows: rules,
  };
}
