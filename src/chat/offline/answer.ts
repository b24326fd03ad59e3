// The answers of the offline interpreter: for each intent, the tool calls its entities make and the
// template their results fill, with the figures and resource ids the tools returned. An entity a
// tool cannot filter by is said in the answer ("not narrowed by …"), never silently dropped.

import { addDays } from '../../costs/period.js';
import type { DayRange } from './dates.js';
import type { Entities } from './entities.js';
import { INTENTS, type Intent } from './intents.js';
import { type Calls, concreteKinds, money, n, plural, regionGlob, resolveAccount, safe, scopeOf, stateGlob } from './route.js';

type Json = Record<string, unknown>;
interface Row {
  id: string;
  name: string;
  kind: string;
  cloud: string;
  account: string;
  region: string;
  state?: string;
}
interface Total {
  currency: string;
  amount: number;
  previous?: number;
  change?: number;
  changePercent?: number | null;
}
interface SpendGroup extends Total {
  cloud: string;
  key: string;
  share?: number;
}
interface Spend {
  /** Half-open [start, end), as `guardian costs` reports it. */
  period: { start: string; end: string; label: string };
  totals: Total[];
  groups: SpendGroup[];
  missing: unknown[];
}

export interface AnswerContext {
  calls: Calls;
  /** The last day with data (UTC): relative periods were resolved against it. */
  today: string;
}

const LIST_ROWS = 10;

function resourceLine(r: Row): string {
  const name = r.name && r.name !== r.id ? `${safe(r.name)} (${safe(r.id)})` : safe(r.id);
  return `- ${name} — ${r.kind}, ${safe(r.account)}, ${safe(r.region)}${r.state ? `, ${safe(r.state)}` : ''}`;
}

function notNarrowed(entities: Entities, names: (keyof Entities)[], tool: string): string[] {
  const ignored = names.filter((name) => entities[name] !== undefined);
  return ignored.length
    ? [`(Not narrowed by ${ignored.join(', ')}: ${tool} does not filter by ${ignored.length === 1 ? 'it' : 'them'}.)`]
    : [];
}

/** The inventory filters of the entities, with the account resolved; one filter set per concrete kind. */
async function inventoryFilters(ctx: AnswerContext, e: Entities): Promise<{ filters: Json[]; accounts?: string[] } | string> {
  const accounts = await resolveAccount(ctx.calls, e.account);
  if (accounts && accounts.length === 0) return `No account in the estate matches "${safe(e.account)}".`;
  if (accounts && accounts.length > 1)
    return `"${safe(e.account)}" matches ${accounts.length} accounts: ${accounts.map(safe).join(', ')}. Name one.`;
  const base: Json = {};
  if (e.cloud) base.cloud = e.cloud;
  if (accounts) base.account = accounts[0];
  const region = regionGlob(e.region);
  if (region) base.region = region;
  if (e.tag) base.tag = e.tag;
  const state = stateGlob(e.state, e.kind);
  if (state) base.state = state;
  const kinds = concreteKinds(e.kind, e.cloud);
  if (kinds && kinds.length === 0) return `There are no ${e.kind} kinds on ${e.cloud} in Guardian's inventory.`;
  return { filters: kinds ? kinds.map((kind) => ({ ...base, kind })) : [base], accounts };
}

const KIND_NOUNS: Record<string, [string, string]> = {
  address: ['address', 'addresses'],
  'load-balancer': ['load balancer', 'load balancers'],
};

/** "stopped instances", "1 address": what an answer counts, in the number it has. */
function whatOf(e: Entities, count?: number): string {
  const [one, many] = e.kind ? (KIND_NOUNS[e.kind] ?? [e.kind, `${e.kind}s`]) : ['resource', 'resources'];
  return `${e.state ? `${e.state} ` : ''}${count === 1 ? one : many}`;
}

async function inventoryCount(ctx: AnswerContext, e: Entities): Promise<string> {
  const found = await inventoryFilters(ctx, e);
  if (typeof found === 'string') return found;
  const { kind, ...rest } = found.filters[0];
  const by = kind ? 'kind' : 'cloud';
  const counts = await ctx.calls.call<{ total: number; groups: { key: string; count: number }[] }>('inventory_counts', { by, ...rest });
  const wanted = new Set(found.filters.map((f) => f.kind));
  const groups = kind ? counts.groups.filter((g) => wanted.has(g.key)) : counts.groups;
  const total = groups.reduce((sum, g) => sum + g.count, 0);
  const breakdown = groups.length > 1 || !kind ? `: ${groups.map((g) => `${safe(g.key)} ${n(g.count)}`).join(', ')}` : '';
  return `${n(total)} ${whatOf(e, total)}${scopeOf(e, found.accounts)}${total ? breakdown : ''}.`;
}

async function inventoryList(ctx: AnswerContext, e: Entities, extra: Json = {}, heading?: string): Promise<string> {
  const found = await inventoryFilters(ctx, e);
  if (typeof found === 'string') return found;
  let total = 0;
  const rows: Row[] = [];
  for (const filter of found.filters) {
    const result = await ctx.calls.call<{ total: number; resources: Row[] }>('inventory_resources', {
      ...filter,
      ...extra,
      limit: LIST_ROWS,
    });
    total += result.total;
    rows.push(...result.resources);
  }
  const what = `${heading ?? ''}${whatOf(e)}${scopeOf(e, found.accounts)}`;
  if (total === 0) return `No ${what} in the estate.`;
  const shown = rows.slice(0, LIST_ROWS);
  const more = total - shown.length;
  return [
    `${n(total)} ${heading ?? ''}${whatOf(e, total)}${scopeOf(e, found.accounts)}:`,
    ...shown.map(resourceLine),
    ...(more > 0 ? [`…and ${n(more)} more.`] : []),
  ].join('\n');
}

const ID = /^(?:[a-z]+-[0-9a-f]{8,17}|arn:.+|\/subscriptions\/.+|\d{6,})$/;

/** The resource a name or id names: exact id, exact name, else the only partial match. */
async function findResource(ctx: AnswerContext, e: Entities): Promise<Row | string> {
  const key = e.resource as string;
  const args: Json = ID.test(key) ? { id: key } : { name: key };
  const result = await ctx.calls.call<{ total: number; resources: Row[] }>('inventory_resources', { ...args, limit: 20 });
  const exact = result.resources.find((r) => r.id === key || r.name.toLowerCase() === key.toLowerCase());
  if (exact) return exact;
  if (result.total === 0) return `No resource named or with the id "${safe(key)}" in the estate.`;
  if (result.total === 1) return result.resources[0];
  return [
    `"${safe(key)}" matches ${n(result.total)} resources; which one?`,
    ...result.resources.slice(0, LIST_ROWS).map(resourceLine),
  ].join('\n');
}

async function inventoryFind(ctx: AnswerContext, e: Entities): Promise<string> {
  const resource = await findResource(ctx, e);
  if (typeof resource === 'string') return resource;
  const full = resource as Row & { tags?: Record<string, string>; createdAt?: string };
  const tags = Object.entries(full.tags ?? {}).map(([k, v]) => `${safe(k)}=${safe(v)}`);
  return [
    `${safe(full.name || full.id)} is ${full.kind} ${safe(full.id)} in ${full.cloud} account ${safe(full.account)}, region ${safe(full.region)}${full.state ? `, state ${safe(full.state)}` : ''}.`,
    ...(full.createdAt ? [`Created ${safe(full.createdAt)}.`] : []),
    ...(tags.length ? [`Tags: ${tags.join(', ')}.`] : ['No tags.']),
  ].join('\n');
}

async function inventoryRelations(ctx: AnswerContext, e: Entities): Promise<string> {
  const resource = await findResource(ctx, e);
  if (typeof resource === 'string') return resource;
  type Link = { type: string; id: string; name?: string; kind?: string };
  const result = await ctx.calls.call<{ relations: { rows: Link[] }; referrers: { rows: Link[] } }>('inventory_relations', {
    id: resource.id,
  });
  const kinds = new Set(concreteKinds(e.kind, e.cloud) ?? []);
  const keep = (link: Link) => kinds.size === 0 || (link.kind !== undefined && kinds.has(link.kind as never));
  const line = (link: Link, arrow: string) =>
    `- ${arrow} ${link.type}: ${link.name ? `${safe(link.name)} (${safe(link.id)})` : safe(link.id)}${link.kind ? `, ${link.kind}` : ''}`;
  const out = result.relations.rows.filter(keep).map((l) => line(l, '→'));
  const back = result.referrers.rows.filter(keep).map((l) => line(l, '←'));
  const title = `${safe(resource.name || resource.id)} (${safe(resource.id)}, ${resource.kind})`;
  if (!out.length && !back.length) return `${title} has no ${e.kind ? `${e.kind} ` : ''}relations in the inventory.`;
  return [`${title}:`, ...out, ...back].join('\n');
}

async function inventoryUntagged(ctx: AnswerContext, e: Entities): Promise<string> {
  const keys = e.tag ? [e.tag.split('=')[0]] : ['owner', 'team', 'env'];
  const found = await inventoryFilters(ctx, { ...e, tag: undefined });
  if (typeof found === 'string') return found;
  const lines: string[] = [];
  for (const key of keys) {
    let missing = 0;
    let total = 0;
    for (const filter of found.filters) {
      const counts = await ctx.calls.call<{ total: number; groups: { key: string; count: number }[] }>('inventory_counts', {
        by: `tag:${key}`,
        ...filter,
      });
      total += counts.total;
      missing += counts.groups.find((g) => g.key === '(none)')?.count ?? 0;
    }
    lines.push(`${n(missing)} of ${n(total)} ${whatOf(e)}${scopeOf({ ...e, tag: undefined }, found.accounts)} have no ${safe(key)} tag.`);
  }
  return lines.join('\n');
}

async function inventorySummary(ctx: AnswerContext, e: Entities): Promise<string> {
  const found = await inventoryFilters(ctx, e);
  if (typeof found === 'string') return found;
  const filter = found.filters[0];
  type Counts = { total: number; groups: { key: string; count: number }[]; others?: { groups: number; count: number } };
  const byCloud = await ctx.calls.call<Counts>('inventory_counts', { by: 'cloud', ...filter });
  const byKind = await ctx.calls.call<Counts>('inventory_counts', { by: 'kind', ...filter });
  const byRegion = await ctx.calls.call<Counts>('inventory_counts', { by: 'region', ...filter });
  const list = (c: Counts, top = 30) =>
    c.groups
      .slice(0, top)
      .map((g) => `${safe(g.key)} ${n(g.count)}`)
      .join(', ');
  return [
    `${n(byCloud.total)} resources${scopeOf(e, found.accounts)}: ${list(byCloud)}.`,
    `By kind: ${list(byKind)}.`,
    `Busiest regions: ${list(byRegion, 8)}.`,
  ].join('\n');
}

// ── costs ──────────────────────────────────────────────────────────────────────────────────────

/** The bill's service names for the service words of a question. */
const SERVICE_KEYS: Record<string, RegExp> = {
  ec2: /^Amazon Elastic Compute Cloud/,
  s3: /^Amazon Simple Storage Service$/,
  rds: /^Amazon Relational Database Service$/,
  cloudwatch: /^AmazonCloudWatch$/,
  bigquery: /^BigQuery$/,
  'compute-engine': /^Compute Engine$/,
  'cloud-storage': /^Cloud Storage$/,
};

function periodArgs(period: DayRange | undefined, today: string): Json {
  if (!period) return {};
  const to = period.to > today ? today : period.to;
  return { from: period.from, to };
}

function spendArgs(ctx: AnswerContext, e: Entities, groupBy: string, top = 10): Json {
  return { groupBy, ...periodArgs(e.period, ctx.today), ...(e.cloud ? { clouds: [e.cloud] } : {}), top };
}

function totalsLine(totals: Total[]): string {
  return totals
    .map((t) => {
      const change =
        typeof t.changePercent === 'number'
          ? ` (${t.changePercent >= 0 ? '+' : ''}${t.changePercent}% on the period before, ${money(t.previous ?? 0, t.currency)})`
          : '';
      return `${money(t.amount, t.currency)}${change}`;
    })
    .join('; ');
}

function periodText(spend: Spend): string {
  return `${spend.period.start} to ${addDays(spend.period.end, -1)}`;
}

function groupLine(g: SpendGroup, i: number): string {
  return `${i + 1}. ${safe(g.key)} (${g.cloud}) ${money(g.amount, g.currency)}${typeof g.share === 'number' ? `, ${g.share}%` : ''}`;
}

function missingNote(spend: Spend): string[] {
  return spend.missing.length ? [`(Incomplete: ${plural(spend.missing.length, 'cloud')} did not report spend.)`] : [];
}

/** The row(s) of a region or account grouping the entity names. */
async function oneGroup(ctx: AnswerContext, e: Entities, dimension: 'region' | 'account'): Promise<string> {
  const wanted =
    dimension === 'region'
      ? Array.isArray(e.region)
        ? e.region
        : [e.region as string]
      : ((await resolveAccount(ctx.calls, e.account)) ?? []);
  const spend = await ctx.calls.call<Spend>('costs_spend', spendArgs(ctx, e, dimension, 30));
  const rows = spend.groups.filter((g) => wanted.some((w) => g.key === w || g.key.startsWith(`${w}-`)));
  const what = wanted.map(safe).join(' or ');
  const head = rows.length
    ? `Spend in ${dimension} ${what}, ${periodText(spend)}: ${rows.map((g) => `${money(g.amount, g.currency)} (${g.cloud}${typeof g.changePercent === 'number' ? `, ${g.changePercent >= 0 ? '+' : ''}${g.changePercent}%` : ''})`).join('; ')}.`
    : `No spend billed to ${dimension} ${what}, ${periodText(spend)}.`;
  return [
    head,
    `(The billing tool groups spend by service, region or account; it does not break one ${dimension} down further.)`,
    ...missingNote(spend),
  ].join('\n');
}

async function costsGrouped(ctx: AnswerContext, e: Entities, groupBy: 'service' | 'region' | 'account'): Promise<string> {
  const spend = await ctx.calls.call<Spend>('costs_spend', spendArgs(ctx, e, groupBy));
  const label = { service: 'services', region: 'regions', account: 'accounts' }[groupBy];
  if (!spend.groups.length) return [`No spend reported, ${periodText(spend)}.`, ...missingNote(spend)].join('\n');
  return [
    `Top ${label} by spend${e.cloud ? ` in ${e.cloud}` : ''}, ${periodText(spend)} — total ${totalsLine(spend.totals)}:`,
    ...spend.groups.map(groupLine),
    ...missingNote(spend),
  ].join('\n');
}

async function costsTopServices(ctx: AnswerContext, e: Entities): Promise<string> {
  if (e.region) return oneGroup(ctx, e, 'region');
  if (e.account) return oneGroup(ctx, e, 'account');
  return costsGrouped(ctx, e, 'service');
}

async function costsService(ctx: AnswerContext, e: Entities, trend: boolean): Promise<string> {
  const spend = await ctx.calls.call<Spend>('costs_spend', spendArgs(ctx, e, 'service', 30));
  const pattern = SERVICE_KEYS[e.service as string];
  const rows = spend.groups.filter((g) => pattern?.test(g.key));
  if (!rows.length) return [`No ${safe(e.service)} spend billed, ${periodText(spend)}.`, ...missingNote(spend)].join('\n');
  const lines = rows.map(
    (g) =>
      `${safe(g.key)} (${g.cloud}): ${money(g.amount, g.currency)}${typeof g.changePercent === 'number' ? `, ${g.changePercent >= 0 ? 'up' : 'down'} ${Math.abs(g.changePercent)}% on the period before (${money(g.previous ?? 0, g.currency)})` : ''}`,
  );
  return [`${trend ? 'Trend of' : 'Spend on'} ${safe(e.service)}, ${periodText(spend)}:`, ...lines, ...missingNote(spend)].join('\n');
}

function byTagCommand(key: string): string {
  return `Spend by tag is not something the chat tools read. Run: guardian costs --group-by tag:${safe(key)}`;
}

async function costsTotal(ctx: AnswerContext, e: Entities): Promise<string> {
  if (e.tag) return byTagCommand(e.tag.split('=')[0]);
  if (e.service) return costsService(ctx, e, false);
  if (e.region) return oneGroup(ctx, e, 'region');
  if (e.account) return oneGroup(ctx, e, 'account');
  const spend = await ctx.calls.call<Spend>('costs_spend', spendArgs(ctx, e, 'service', 3));
  return [
    `Spend${e.cloud ? ` in ${e.cloud}` : ''}, ${periodText(spend)}: ${totalsLine(spend.totals)}.`,
    ...(spend.groups.length ? [`Largest: ${spend.groups.map((g) => `${safe(g.key)} ${money(g.amount, g.currency)}`).join(', ')}.`] : []),
    ...missingNote(spend),
  ].join('\n');
}

async function costsTrend(ctx: AnswerContext, e: Entities): Promise<string> {
  if (e.service) return costsService(ctx, e, true);
  const spend = await ctx.calls.call<Spend>('costs_spend', spendArgs(ctx, e, 'service', 5));
  const movers = [...spend.groups]
    .filter((g) => typeof g.change === 'number')
    .sort((a, b) => Math.abs(b.change ?? 0) - Math.abs(a.change ?? 0));
  return [
    `Spend${e.cloud ? ` in ${e.cloud}` : ''}, ${periodText(spend)}: ${totalsLine(spend.totals)}.`,
    ...(movers.length
      ? [
          `Biggest moves: ${movers
            .slice(0, 3)
            .map((g) => `${safe(g.key)} ${(g.change ?? 0) >= 0 ? '+' : ''}${money(g.change ?? 0, g.currency)}`)
            .join(', ')}.`,
        ]
      : []),
    ...notNarrowed(e, ['account', 'region'], 'costs_spend'),
    ...missingNote(spend),
  ].join('\n');
}

interface Projection {
  currency: string;
  month: string;
  monthToDate: number;
  projectedMonthEnd: number;
  daysElapsed: number;
  daysInMonth: number;
}

async function costsProjection(ctx: AnswerContext, e: Entities, budget?: { value: number; currency: string }): Promise<string> {
  const args: Json = { ...(e.cloud ? { clouds: [e.cloud] } : {}), ...(budget?.currency === 'USD' ? { budget: budget.value } : {}) };
  const result = await ctx.calls.call<{ projections: Projection[]; budget?: { exceeded?: boolean }; missing: unknown[] }>(
    'costs_projection',
    args,
  );
  if (!result.projections.length) return 'No spend this month to project from.';
  const lines = result.projections.map(
    (p) =>
      `${p.month}${e.cloud ? ` (${e.cloud})` : ''}: ${money(p.monthToDate, p.currency)} so far (day ${p.daysElapsed} of ${p.daysInMonth}), projected ${money(p.projectedMonthEnd, p.currency)} at month end.`,
  );
  if (budget) {
    const same = result.projections.find((p) => p.currency === budget.currency);
    if (!same) lines.push(`No ${budget.currency} spend to compare the ${money(budget.value, budget.currency)} budget with.`);
    else {
      const over = same.projectedMonthEnd > budget.value;
      lines.push(
        `Against the ${money(budget.value, budget.currency)} budget: ${over ? 'OVER' : 'within'} — projected ${money(same.projectedMonthEnd, budget.currency)}, ${money(Math.abs(same.projectedMonthEnd - budget.value), budget.currency)} ${over ? 'above' : 'below'} it.`,
      );
    }
  }
  if (result.missing.length) lines.push(`(Incomplete: ${plural(result.missing.length, 'cloud')} did not report this month's spend.)`);
  return [...lines, ...notNarrowed(e, ['account', 'service'], 'costs_projection')].join('\n');
}

async function costsEstimate(ctx: AnswerContext, e: Entities): Promise<string> {
  const found = await inventoryFilters(ctx, e);
  if (typeof found === 'string') return found;
  type Estimate = { monthly: number; mostExpensive: { rows: (Row & { monthly: number })[] }; unpriced: { count: number } };
  let monthly = 0;
  let unpriced = 0;
  const rows: (Row & { monthly: number })[] = [];
  for (const filter of found.filters) {
    const estimate = await ctx.calls.call<Estimate>('costs_estimate', { ...filter, top: 5 });
    monthly += estimate.monthly;
    unpriced += estimate.unpriced.count;
    rows.push(...estimate.mostExpensive.rows);
  }
  rows.sort((a, b) => b.monthly - a.monthly);
  return [
    `At public list prices, ${whatOf(e)}${scopeOf(e, found.accounts)} run at ${money(Math.round(monthly * 100) / 100, 'USD')} a month.`,
    ...(rows.length ? ['Most expensive:', ...rows.slice(0, 5).map((r) => `${resourceLine(r)}: ${money(r.monthly, 'USD')}/month`)] : []),
    ...(unpriced ? [`${plural(unpriced, 'resource')} could not be priced.`] : []),
  ].join('\n');
}

// ── scan ───────────────────────────────────────────────────────────────────────────────────────

interface FindingRow {
  ruleId: string;
  title?: string;
  severity?: string;
  message: string;
  resource: Row;
}
interface Findings {
  total: number;
  bySeverity: Record<string, number>;
  findings: FindingRow[];
}

const TOPIC_TITLES: Record<string, RegExp> = {
  ssh: /\bSSH\b/,
  rdp: /\bRDP\b/,
  encryption: /encrypt/i,
  imds: /IMDS/,
  tls: /\bTLS\b|HTTP/,
  backups: /backup/i,
};

function findingLine(f: FindingRow): string {
  return `- [${f.severity ?? '?'}] ${f.ruleId}: ${safe(f.message)}`;
}

function severityLine(bySeverity: Record<string, number>): string {
  return Object.entries(bySeverity)
    .filter(([, c]) => c > 0)
    .map(([s, c]) => `${s} ${n(c)}`)
    .join(', ');
}

async function scanFindings(ctx: AnswerContext, e: Entities): Promise<string> {
  const base: Json = { ...(e.severity ? { severity: e.severity } : {}), ...(e.cloud ? { cloud: e.cloud } : {}), limit: LIST_ROWS };
  const kinds = concreteKinds(e.kind, e.cloud);
  let calls: Json[];
  if (e.topic) {
    const { loadCatalog } = await import('../../rules/catalog.js');
    const rules = (await loadCatalog()).filter(
      (r) =>
        TOPIC_TITLES[e.topic as string].test(r.title) &&
        (!e.cloud || r.id.toLowerCase().startsWith(e.cloud === 'azure' ? 'az-' : `${e.cloud}-`)) &&
        (!kinds || r.kinds.some((k) => kinds.includes(k as never))),
    );
    if (!rules.length) return `No rule of Guardian's catalog checks ${e.topic}${e.kind ? ` on ${e.kind}s` : ''}.`;
    calls = rules.map((r) => ({ ...base, rule: r.id }));
  } else calls = kinds ? kinds.map((kind) => ({ ...base, kind })) : [base];
  let total = 0;
  const bySeverity: Record<string, number> = {};
  const rows: FindingRow[] = [];
  for (const args of calls) {
    const result = await ctx.calls.call<Findings>('scan_findings', args);
    total += result.total;
    for (const [s, c] of Object.entries(result.bySeverity)) bySeverity[s] = (bySeverity[s] ?? 0) + c;
    rows.push(...result.findings);
  }
  const what = `${e.severity ? `${e.severity}-or-worse ` : ''}findings${e.topic ? ` about ${e.topic}` : ''}${e.kind ? ` on ${e.kind}s` : ''}${e.cloud ? ` in ${e.cloud}` : ''}`;
  const ignored = notNarrowed(e, ['account', 'region', 'tag'], 'scan_findings');
  if (total === 0) return [`No ${what}.`, ...ignored].join('\n');
  return [
    `${n(total)} ${what} (${severityLine(bySeverity)}):`,
    ...rows.slice(0, LIST_ROWS).map(findingLine),
    ...(total > LIST_ROWS ? [`…and ${n(total - Math.min(rows.length, LIST_ROWS))} more.`] : []),
    ...ignored,
  ].join('\n');
}

interface RuleDetail {
  rule: { id: string; title: string; severity: string; description: string; remediation: string; references?: unknown };
  flagged: number;
  findings: { message: string; resource: Row }[];
}

async function scanByRule(ctx: AnswerContext, e: Entities): Promise<string> {
  const detail = await ctx.calls.call<RuleDetail>('scan_rule', { rule: e.rule, limit: LIST_ROWS });
  const head = `${detail.rule.id} (${detail.rule.severity}): ${detail.rule.title} — ${plural(detail.flagged, 'resource')} flagged.`;
  return [
    head,
    ...detail.findings.map((f) => `- ${safe(f.message)}`),
    ...(detail.flagged > detail.findings.length ? [`…and ${n(detail.flagged - detail.findings.length)} more.`] : []),
    ...notNarrowed(e, ['cloud', 'account', 'region'], 'scan_rule'),
  ].join('\n');
}

async function scanExplainRule(ctx: AnswerContext, e: Entities): Promise<string> {
  const detail = await ctx.calls.call<RuleDetail>('scan_rule', { rule: e.rule, limit: 3 });
  const r = detail.rule;
  return [
    `${r.id} (${r.severity}): ${r.title}.`,
    safe(r.description),
    `Fix: ${safe(r.remediation)}`,
    `It flags ${plural(detail.flagged, 'resource')} in this estate.`,
  ].join('\n');
}

async function scanResource(ctx: AnswerContext, e: Entities): Promise<string> {
  const result = await ctx.calls.call<Findings>('scan_findings', { resource: e.resource, limit: LIST_ROWS });
  if (result.total === 0) return `No findings for ${safe(e.resource)}.`;
  return [
    `${plural(result.total, 'finding')} for ${safe(e.resource)} (${severityLine(result.bySeverity)}):`,
    ...result.findings.map(findingLine),
  ].join('\n');
}

// ── optimize ───────────────────────────────────────────────────────────────────────────────────

interface Recommendation {
  id: string;
  action: string;
  resource: Row;
  summary: string;
  monthlySaving: number | null;
  currency: string;
  command: string;
}
interface Totals {
  count: number;
  monthlySaving: number;
  currency: string;
  unpriced: number;
  byAction: { action: string; count: number; monthlySaving: number }[];
}

/** The summary names the resource and its id already (`Stop EC2 instance "web" (i-0abc): …`). */
function recommendationLine(r: Recommendation): string {
  const saving = r.monthlySaving === null ? 'unpriced' : `${money(r.monthlySaving, r.currency)}/month`;
  return `- ${r.action}, ${saving}: ${safe(r.summary)}`;
}

async function optimizeAnswer(ctx: AnswerContext, e: Entities): Promise<string> {
  const accounts = await resolveAccount(ctx.calls, e.account);
  if (accounts && accounts.length !== 1) {
    return accounts.length
      ? `"${safe(e.account)}" matches ${accounts.length} accounts: ${accounts.map(safe).join(', ')}. Name one.`
      : `No account in the estate matches "${safe(e.account)}".`;
  }
  const filter: Json = {
    ...(e.action ? { action: e.action } : {}),
    ...(e.cloud ? { cloud: e.cloud } : {}),
    ...(accounts ? { account: accounts[0] } : {}),
  };
  const totals = await ctx.calls.call<Totals>('optimize_totals', filter);
  const list = await ctx.calls.call<{ recommendations: Recommendation[] }>('optimize_recommendations', { ...filter, limit: 5 });
  const scope = scopeOf({ cloud: e.cloud }, accounts);
  if (totals.count === 0)
    return [`No ${e.action ? `${e.action} ` : ''}recommendations${scope}.`, ...notNarrowed(e, ['region', 'kind', 'tag'], 'optimize')].join(
      '\n',
    );
  return [
    `${money(totals.monthlySaving, totals.currency)} a month from ${plural(totals.count, `${e.action ? `${e.action} ` : ''}recommendation`)}${scope}${totals.unpriced ? ` (${n(totals.unpriced)} unpriced)` : ''}.`,
    ...(e.action
      ? []
      : [`By action: ${totals.byAction.map((a) => `${a.action} ${n(a.count)} (${money(a.monthlySaving, totals.currency)})`).join(', ')}.`]),
    'Largest:',
    ...list.recommendations.map(recommendationLine),
    ...notNarrowed(e, ['region', 'kind', 'tag'], 'optimize'),
    'Nothing is changed from chat; review with guardian optimize, apply with guardian optimize --apply.',
  ].join('\n');
}

async function optimizeResource(ctx: AnswerContext, e: Entities): Promise<string> {
  const list = await ctx.calls.call<{ total: number; recommendations: Recommendation[] }>('optimize_recommendations', {
    resource: e.resource,
    limit: LIST_ROWS,
  });
  if (list.total === 0) return `No cost recommendation for ${safe(e.resource)}.`;
  return [
    `${plural(list.total, 'recommendation')} for ${safe(e.resource)}:`,
    ...list.recommendations.flatMap((r) => [recommendationLine(r), `  to apply it yourself: ${safe(r.command)}`]),
  ].join('\n');
}

// ── predict, help, changes, declining ──────────────────────────────────────────────────────────

const PREDICT_TOOL: Partial<Record<Intent, string>> = {
  predict_costs: 'predict_costs',
  predict_capacity: 'predict_capacity',
  predict_anomalies: 'predict_anomalies',
  predict_risk: 'predict_risk',
};

/** A predict tool's arguments: the entities its schema has a parameter for. */
function predictArgs(parameters: Json, e: Entities, today: string): Json {
  const properties = (parameters.properties ?? {}) as Json;
  const args: Json = {};
  const offer = (name: string, value: unknown) => {
    if (value !== undefined && name in properties) args[name] = value;
  };
  offer('cloud', e.cloud);
  offer('clouds', e.cloud ? [e.cloud] : undefined);
  offer('account', e.account);
  offer('region', regionGlob(e.region));
  offer('kind', e.kind);
  offer('tag', e.tag);
  offer('service', e.service);
  offer('resource', e.resource);
  offer('from', e.period?.from);
  offer('to', e.period?.to);
  // A period ahead ("the next 30 days", "next month") is how far to look: the days up to its end.
  const ahead = e.period?.to ? Math.round((Date.parse(e.period.to) - Date.parse(today)) / 86_400_000) : 0;
  if (ahead >= 1) offer('horizonDays', Math.min(ahead, 366));
  return args;
}

function describeResult(value: unknown, depth = 0): string[] {
  if (value === null || typeof value !== 'object') return [safe(value)];
  const lines: string[] = [];
  for (const [key, item] of Object.entries(value as Json)) {
    if (Array.isArray(item)) {
      lines.push(`${key}: ${n(item.length)}`);
      for (const row of item.slice(0, 5)) lines.push(`  - ${safe(typeof row === 'object' ? JSON.stringify(row) : row)}`);
    } else if (item !== null && typeof item === 'object' && depth < 1)
      lines.push(`${key}:`, ...describeResult(item, depth + 1).map((l) => `  ${l}`));
    else lines.push(`${key}: ${safe(typeof item === 'object' ? JSON.stringify(item) : item)}`);
  }
  return lines;
}

async function predictAnswer(ctx: AnswerContext, intent: Intent, e: Entities, parameters: Json | undefined): Promise<string> {
  const name = PREDICT_TOOL[intent] as string;
  if (!parameters)
    return `Forecasts are not among this build's chat tools (no ${name}); guardian predict answers that when it is installed.`;
  const result = await ctx.calls.call(name, predictArgs(parameters, e, ctx.today));
  if (name === 'predict_costs') return forecastAnswer(result as unknown as ForecastResult);
  if (name === 'predict_anomalies') return anomaliesAnswer(result as unknown as AnomaliesResult);
  if (name === 'predict_capacity') return capacityAnswer(result as unknown as CapacityResult);
  if (name === 'predict_risk') return riskAnswer(result as unknown as RiskResult);
  return [`${name}:`, ...describeResult(result)].join('\n');
}

interface ForecastResult {
  horizon: { kind: 'month-end' } | { kind: 'days'; days: number };
  missing: { cloud: string }[];
  forecasts: {
    series: string;
    unit?: string;
    status: 'ok' | 'skipped';
    notes: string[];
    model?: string;
    backtestError?: number;
    total?: { to: string; toDate: number; forecast: number; interval80?: [number, number]; interval95?: [number, number] };
  }[];
}

/** The forecast totals, the overall one first, each with its interval and the model the backtest chose. */
function forecastAnswer(result: ForecastResult): string {
  const to = result.horizon.kind === 'month-end' ? 'month end' : `the next ${plural(result.horizon.days, 'day')}`;
  const lines = [`Spend forecast to ${to} (predict costs):`];
  for (const f of result.forecasts) {
    const unit = f.unit ?? 'USD';
    if (f.status !== 'ok' || !f.total) {
      lines.push(`- ${safe(f.series)}: no forecast (${safe(f.notes.join('; ') || 'not enough history')})`);
      continue;
    }
    const t = f.total;
    const band = t.interval80 ? `, 80% between ${money(t.interval80[0], unit)} and ${money(t.interval80[1], unit)}` : '';
    const wide = t.interval95 ? `, 95% ${money(t.interval95[0], unit)}–${money(t.interval95[1], unit)}` : '';
    const model = f.model
      ? ` [${f.model}${typeof f.backtestError === 'number' ? `, backtest error ${(f.backtestError * 100).toFixed(1)}%` : ''}]`
      : '';
    lines.push(`- ${safe(f.series)}: ${money(t.forecast, unit)} by ${t.to}${band}${wide}${model}`);
    if (lines.length > 8) break;
  }
  if (result.missing.length > 0) lines.push(`Not included (no figures): ${result.missing.map((m) => m.cloud).join(', ')}.`);
  return lines.join('\n');
}

interface CapacityResult {
  series: number;
  complete: boolean;
  notes: string[];
  soonest: {
    total: number;
    rows: { resource: string; status: string; level?: number; crossesAt?: string; earliest?: string; latest?: string }[];
  };
}

const day = (iso: string | undefined) => (iso ? iso.slice(0, 16).replace('T', ' ') : 'unbounded');

function capacityAnswer(result: CapacityResult): string {
  const { total, rows } = result.soonest;
  const lines = [
    total === 0
      ? `Nothing crosses its threshold in ${plural(result.series, 'series', 'series')} (predict capacity).`
      : `${plural(total, 'disk or store', 'disks or stores')} full or filling, of ${plural(result.series, 'series', 'series')} (predict capacity), soonest first:`,
    ...rows
      .slice(0, 8)
      .map((r) =>
        r.status === 'crossed'
          ? `- ${safe(r.resource)}: already over (${r.level ?? '?'}%)`
          : `- ${safe(r.resource)}: at ${r.level ?? '?'}%, crosses about ${day(r.crossesAt)} (between ${day(r.earliest)} and ${day(r.latest)})`,
      ),
  ];
  if (total > 8) lines.push(`…and ${n(total - 8)} more.`);
  if (!result.complete) lines.push('Some series could not be read; the list may be short.');
  return lines.join('\n');
}

interface RiskResult {
  machines: number;
  complete: boolean;
  skipped: { kind: string; reason: string }[];
  atRisk: { total: number; rows: { resource: string; name: string; score: number; signals: { kind: string; evidence: string }[] }[] };
}

function riskAnswer(result: RiskResult): string {
  const { total, rows } = result.atRisk;
  const lines = [
    total === 0
      ? `No risk signal on ${plural(result.machines, 'machine')} (predict risk).`
      : `${plural(total, 'machine')} of ${n(result.machines)} with a risk signal (predict risk), most at risk first:`,
    ...rows
      .slice(0, 8)
      .map(
        (r) =>
          `- ${safe(r.resource)}${r.name && r.name !== r.resource ? ` (${safe(r.name)})` : ''}: ${Math.round(r.score * 100)}% — ${r.signals.map((x) => safe(x.evidence)).join('; ')}`,
      ),
  ];
  if (total > 8) lines.push(`…and ${n(total - 8)} more.`);
  for (const s of result.skipped) lines.push(`Not looked at: ${s.kind} (${safe(s.reason)}).`);
  return lines.join('\n');
}

interface AnomaliesResult {
  source: string;
  series: number;
  incomplete: string[];
  anomalies: { total: number; rows: { series: string; at: string; reason: string }[] };
}

function anomaliesAnswer(result: AnomaliesResult): string {
  const { total, rows } = result.anomalies;
  const head =
    total === 0
      ? `No anomaly in ${plural(result.series, 'series', 'series')} (predict anomalies).`
      : `${plural(total, 'anomaly', 'anomalies')} in ${plural(result.series, 'series', 'series')} (predict anomalies), strongest first:`;
  const lines = [head, ...rows.slice(0, 8).map((a) => `- ${safe(a.series)} at ${a.at.slice(0, 16).replace('T', ' ')}: ${safe(a.reason)}`)];
  if (total > 8) lines.push(`…and ${n(total - 8)} more.`);
  if (result.incomplete.length > 0) lines.push(`Incomplete: ${safe(result.incomplete.join('; '))}.`);
  return lines.join('\n');
}

export function capabilities(): string {
  const lines = Object.entries(INTENTS)
    .filter(([intent, spec]) => spec.says && intent !== 'help')
    .map(([, spec]) => `- ${spec.says}`);
  return [
    "I answer from Guardian's read-only tools (offline: no model). I can tell you:",
    ...lines,
    'For example: "which databases are public?", "what\'s costing us most last month?", "critical findings in aws", "what can I cut in the data account?"',
  ].join('\n');
}

async function changeRequest(ctx: AnswerContext, e: Entities): Promise<string> {
  const lines = ['I only read the estate; nothing is changed from chat.'];
  if (e.resource) {
    const list = await ctx.calls.call<{ total: number; recommendations: Recommendation[] }>('optimize_recommendations', {
      resource: e.resource,
      limit: 3,
    });
    for (const r of list.recommendations)
      lines.push(`Guardian recommends: ${r.action} ${safe(r.resource.id)}. To do it yourself: ${safe(r.command)}`);
    if (!list.total) lines.push(`Guardian has no recommendation for ${safe(e.resource)}; change it with your cloud's console or CLI.`);
  }
  lines.push(
    'To review what Guardian would change: guardian optimize. To apply the safe recommendations (it asks before each): guardian optimize --apply [ids].',
  );
  return lines.join('\n');
}

export function decline(missing?: string): string {
  const why = missing
    ? `I need ${missing === 'amount' ? 'an amount (e.g. "a $5k budget")' : `a ${missing}`} to answer that.`
    : "I can't answer that from Guardian's tools.";
  return `${why}\n${capabilities()}`;
}

/** The answer to one interpreted question; every figure in it comes from a tool call in `ctx.calls`. */
export async function answerIntent(ctx: AnswerContext, intent: Intent, e: Entities, predictParameters?: Json): Promise<string> {
  switch (intent) {
    case 'inventory_count':
      return inventoryCount(ctx, e);
    case 'inventory_list':
    case 'inventory_by_tag':
    case 'inventory_by_state':
      return inventoryList(ctx, e);
    case 'inventory_public':
      return inventoryList(ctx, e, { public: true }, 'public ');
    case 'inventory_find':
      return inventoryFind(ctx, e);
    case 'inventory_relations':
      return inventoryRelations(ctx, e);
    case 'inventory_untagged':
      return inventoryUntagged(ctx, e);
    case 'inventory_summary':
      return inventorySummary(ctx, e);
    case 'costs_top_services':
      return costsTopServices(ctx, e);
    case 'costs_by_region':
      return costsGrouped(ctx, e, 'region');
    case 'costs_by_account':
      return costsGrouped(ctx, e, 'account');
    case 'costs_by_tag':
      return byTagCommand(e.tag ?? 'KEY');
    case 'costs_trend':
      return costsTrend(ctx, e);
    case 'costs_total':
      return costsTotal(ctx, e);
    case 'costs_projection':
      return costsProjection(ctx, e);
    case 'costs_budget':
      return costsProjection(ctx, e, e.amount);
    case 'costs_estimate':
      return costsEstimate(ctx, e);
    case 'scan_findings':
      return scanFindings(ctx, e);
    case 'scan_by_rule':
      return scanByRule(ctx, e);
    case 'scan_explain_rule':
      return scanExplainRule(ctx, e);
    case 'scan_resource':
      return scanResource(ctx, e);
    case 'optimize_savings':
    case 'optimize_by_action':
      return optimizeAnswer(ctx, e);
    case 'optimize_resource':
      return optimizeResource(ctx, e);
    case 'predict_costs':
    case 'predict_capacity':
    case 'predict_anomalies':
    case 'predict_risk':
      return predictAnswer(ctx, intent, e, predictParameters);
    case 'help':
      return capabilities();
    case 'change_request':
      return changeRequest(ctx, e);
    case 'out_of_scope':
      return decline();
  }
}
