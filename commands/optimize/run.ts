// guardian optimize's run: flags to a request, the recommendations printed, and with --apply the
// safe ones walked through the journal (src/optimize/apply).

import { ConfigError, Interrupted, PartialResult, UsageError } from '../../src/errors.js';
import { type OutputFormat, resolveFormat } from '../../src/render/format.js';
import { type CommandContext, requestedProfile } from '../context.js';
import { listValues, parseClouds, parseDuration, parsePositiveInt, parseRegions } from '../options.js';

export interface OptimizeOptions {
  input?: string;
  provider?: string[];
  region?: string[];
  rules?: string[];
  skipRules?: string[];
  listRules?: boolean;
  minSaving?: string;
  since?: string;
  idleCpu?: string;
  idleNetwork?: string;
  rightsizeCpu?: string;
  stoppedDays?: string;
  snapshotAge?: string;
  concurrency?: string;
  scopeConcurrency?: string;
  timeout?: string;
  callTimeout?: string;
  strict?: boolean;
  apply?: boolean | string[];
  journal?: string;
  priceBasis?: string;
}

const FORMATS: OutputFormat[] = ['table', 'json', 'csv', 'markdown'];

/** A number within [min, max]; a bad value is one line and exit 2. */
function parseNumber(flag: string, value: string | undefined, min: number, max: number): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value.trim());
  if (value.trim() === '' || !Number.isFinite(n)) throw new UsageError(`${flag} takes a number, not '${value}'`);
  if (n < min || n > max) throw new UsageError(`${flag} must be between ${min} and ${max.toLocaleString('en-US')}, not ${value}`);
  return n;
}

/** Now, or the end of the demo cloud's pinned day (its metrics end there). */
function nowMs(ctx: CommandContext): number {
  const demoDay = ctx.env.GUARDIAN_DEMO_NOW?.trim();
  if (requestedProfile(ctx) === 'demo' && demoDay && /^\d{4}-\d{2}-\d{2}$/.test(demoDay)) return Date.parse(`${demoDay}T00:00:00Z`);
  return Date.now();
}

export async function runOptimizeCommand(ctx: CommandContext, options: OptimizeOptions): Promise<void> {
  const format = resolveFormat(ctx.globals, FORMATS);
  const apply =
    options.apply === undefined || options.apply === false ? undefined : options.apply === true ? [] : (listValues(options.apply) ?? []);
  if (apply && options.input)
    throw new UsageError('--apply acts on the clouds and needs live credentials: it cannot work from a snapshot (--input)');
  if (apply && !ctx.io.yes && !ctx.io.interactive)
    throw new UsageError(`--apply asks before each change and cannot ask here (${ctx.io.ci ? 'CI is set' : 'not a terminal'}); pass --yes`);
  if (options.journal && !apply) throw new UsageError('--journal goes with --apply');
  // A journal to resume is read first: a damaged one is refused before anything is discovered.
  const { existsSync } = await import('node:fs');
  const journalDone = new Set<string>();
  if (options.journal && existsSync(options.journal)) {
    const { historyOf, readJournal } = await import('../../src/optimize/apply/journal.js');
    for (const [id, history] of historyOf(readJournal(options.journal).records)) if (history.done) journalDone.add(id);
  }
  const { PRICE_BASIS_CHOICES } = await import('../../src/optimize/billed.js');
  const priceBasis = (options.priceBasis ?? 'auto').trim() as (typeof PRICE_BASIS_CHOICES)[number];
  if (!PRICE_BASIS_CHOICES.includes(priceBasis))
    throw new UsageError(`--price-basis takes ${PRICE_BASIS_CHOICES.join(', ')}, not '${options.priceBasis}'`);
  const providers = parseClouds(options.provider);
  const regions = parseRegions(options.region, providers);
  const minSaving = parseNumber('--min-saving', options.minSaving, 0, 1e9);
  const { DEFAULT_THRESHOLDS } = await import('../../src/rules/cost.js');
  const thresholds = {
    idleCpuPercent: parseNumber('--idle-cpu', options.idleCpu, 0, 100) ?? DEFAULT_THRESHOLDS.idleCpuPercent,
    idleNetworkBytesPerSecond:
      (parseNumber('--idle-network', options.idleNetwork, 0, 1e9) ?? DEFAULT_THRESHOLDS.idleNetworkBytesPerSecond / 1024) * 1024,
    rightsizeCpuPercent: parseNumber('--rightsize-cpu', options.rightsizeCpu, 0, 100) ?? DEFAULT_THRESHOLDS.rightsizeCpuPercent,
    stoppedDays: parsePositiveInt('--stopped-days', options.stoppedDays, 3650) ?? DEFAULT_THRESHOLDS.stoppedDays,
    snapshotAgeDays: parsePositiveInt('--snapshot-age', options.snapshotAge, 3650) ?? DEFAULT_THRESHOLDS.snapshotAgeDays,
  };
  const now = nowMs(ctx);
  const { resolveWindow } = await import('../../src/metrics/window.js');
  // Hourly averages: 336 points a series over 14 days, the p95 taken over them.
  const window = resolveWindow({ since: options.since ?? '14d', period: '3600' }, now);
  const timeoutMs = parseDuration('--timeout', options.timeout);
  const { DEFAULT_CALL_TIMEOUT_MS, DEFAULT_CONCURRENCY } = await import('../../src/discovery/run.js');
  const callTimeoutMs = parseDuration('--call-timeout', options.callTimeout) ?? DEFAULT_CALL_TIMEOUT_MS;
  const concurrency = parsePositiveInt('--concurrency', options.concurrency, 1024) ?? DEFAULT_CONCURRENCY;
  const scopeConcurrency = parsePositiveInt('--scope-concurrency', options.scopeConcurrency, 1024) ?? 10;

  const { loadCostCatalog } = await import('../../src/rules/catalog.js');
  const { selectRules } = await import('../../src/rules/engine.js');
  const catalog = await loadCostCatalog();
  const rules = selectRules(catalog, { rules: listValues(options.rules), skipRules: listValues(options.skipRules) }, 'optimize').filter(
    (rule) => !providers || providers.some((cloud) => rule.kinds.some((kind) => kind.startsWith(`${cloud}.`))),
  );
  const report = await import('../../src/optimize/report.js');
  const { renderView, toJson } = await import('../../src/render/output.js');
  if (options.listRules) {
    renderView(ctx.io, format, report.costRulesView(rules), () =>
      toJson('guardian.cost-rules', { rules: rules.map(({ recommend: _, ...rule }) => rule) }),
    );
    return;
  }

  const { runOptimize } = await import('../../src/optimize/run.js');
  const outcome = await runOptimize(ctx, {
    rules,
    thresholds,
    input: options.input,
    providers,
    regions,
    window,
    now: new Date(now),
    signal: ctx.signal,
    timeoutMs,
    callTimeoutMs,
    concurrency,
    scopeConcurrency,
    priceBasis,
    onRetry: (cloud, error, attempt, delayMs) =>
      ctx.io.log.verbose(`${cloud} call: ${error.code} (attempt ${attempt}); retrying in ${delayMs} ms`),
  });
  if (ctx.signal.aborted) throw new Interrupted('interrupted before every recommendation was made');

  const { atLeastSaving } = await import('../../src/optimize/totals.js');
  const { failureLines, gapLines } = await import('../../src/metrics/report.js');
  if (outcome.skippedRules.length > 0)
    ctx.io.log.warn(
      `offline (--input): skipped ${outcome.skippedRules.length} rule(s) that need metrics: ${outcome.skippedRules.map((r) => r.id).join(', ')}`,
    );
  for (const line of gapLines(outcome.metricGaps)) ctx.io.log.info(line);
  for (const line of failureLines(outcome.metricFailures)) ctx.io.log.warn(line);
  const { billing } = outcome;
  if (billing.status === 'not-enabled') {
    if (priceBasis === 'billed')
      throw new ConfigError(
        `--price-basis billed: Cost Explorer's resource-level data is not enabled for this account (${billing.message})`,
        {
          hint: 'opt in to hourly and resource-level data in the AWS Cost Management preferences, or use --price-basis auto',
        },
      );
    ctx.io.log.info("Cost Explorer's resource-level data is not enabled for this account: AWS savings are at list prices");
  } else if (billing.status === 'failed') {
    if (priceBasis === 'billed')
      throw new ConfigError(`--price-basis billed: reading what each resource was billed failed (${billing.message})`);
    ctx.io.log.warn(`reading what each AWS resource was billed failed (${billing.message}): its savings are at list prices`);
  } else if (billing.status === 'read') {
    ctx.io.log.verbose(
      `billed figures for ${billing.rows} row(s) from ${billing.resources} resources' bills ${billing.window?.start}…${billing.window?.end} (${billing.requests?.paidRequests ?? 0} paid Cost Explorer request(s), ${billing.requests?.cachedRequests ?? 0} cached)`,
    );
  }
  if (!outcome.inventoryComplete) ctx.io.log.warn(`the inventory (${outcome.source}) is incomplete: recommendations cover what was found`);
  if (outcome.undecided.length > 0) {
    const reasons = new Map<string, number>();
    for (const u of outcome.undecided) reasons.set(u.reason, (reasons.get(u.reason) ?? 0) + 1);
    for (const [reason, n] of [...reasons].slice(0, 5)) ctx.io.log.warn(`${n} resource(s) not judged: ${reason}`);
  }

  const list = atLeastSaving(outcome.recommendations, minSaving);
  const { planOf } = await import('../../src/optimize/apply/plan.js');
  const plan = planOf(list, outcome.resources, apply, journalDone);
  for (const { recommendation: r, by } of plan.superseded)
    ctx.io.log.info(`${r.id} (${r.action} ${r.resource.id}) is left out of the plan: ${by} acts on the same resource`);
  if (apply) {
    const { applyRecommendations } = await import('./apply.js');
    if (journalDone.size > 0) ctx.io.log.info(`${journalDone.size} item(s) the journal shows done are skipped`);
    await applyRecommendations(ctx, plan.items, { format, journal: options.journal, callTimeoutMs, timeoutMs });
  } else {
    const { printRecommendations } = await import('./print.js');
    await printRecommendations(ctx, format, { outcome, list, plan, meta: { thresholds, window: options.input ? undefined : window } });
    if (plan.items.length > 0 && !options.input)
      ctx.io.log.info(
        `dry run: ${plan.items.length} of ${list.length} recommendation(s) can be applied with --apply [ids…] (asks before each, or --yes)`,
      );
  }

  // Missing data, not a verdict: a failed listing or metric read leaves resources unjudged.
  const partial = !outcome.inventoryComplete || outcome.metricFailures.length > 0 || billing.status === 'failed';
  if (partial && options.strict) {
    throw new PartialResult('some resources could not be judged: the inventory or their metrics are incomplete', {
      hint: 'see the warnings above',
    });
  }
}
