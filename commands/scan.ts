// guardian scan: posture rules over a live estate, a snapshot (--input) or a Terraform plan
// (--plan), with CI gates (--fail-on, baselines, suppressions) and SARIF/JUnit/Markdown output.

import type { Command } from 'commander';
import { UsageError } from '../src/errors.js';
import { isSeverity, SEVERITIES, type Severity } from '../src/model/finding.js';
import { CLOUDS, RESOURCE_KINDS } from '../src/model/resource.js';
import type { OutputFormat } from '../src/render/format.js';
import { FRAMEWORKS, type Framework } from '../src/rules/rule.js';
import { type CommandContext, type CommandDefinition, contextFor } from './context.js';
import { listValues, parseClouds, parseDuration, parseKinds, parseRegions, suggest } from './options.js';

export interface ScanOptions {
  input?: string;
  plan?: string;
  provider?: string[];
  region?: string[];
  kind?: string[];
  rules?: string[];
  skipRules?: string[];
  severity?: string;
  framework?: string[];
  failOn?: string;
  failOnUnverified?: boolean;
  baseline?: string;
  writeBaseline?: string;
  category?: string;
  listRules?: boolean;
  timeout?: string;
  callTimeout?: string;
  strict?: boolean;
}

const FORMATS: OutputFormat[] = ['table', 'json', 'csv', 'markdown', 'sarif', 'junit'];

function parseSeverity(flag: string, value: string | undefined): Severity | undefined {
  if (value === undefined) return undefined;
  const v = value.toLowerCase();
  if (!isSeverity(v)) throw new UsageError(`${flag} takes one of ${SEVERITIES.join(', ')}, not '${value}'`);
  return v;
}

function parseFrameworks(values: string[] | undefined): Framework[] | undefined {
  const list = listValues(values)?.map((v) => v.toLowerCase());
  if (!list) return undefined;
  for (const f of list) {
    if (!(FRAMEWORKS as readonly string[]).includes(f)) throw new UsageError(`--framework takes ${FRAMEWORKS.join(', ')}, not '${f}'`);
  }
  return list as Framework[];
}

export const defineScan: CommandDefinition = (program, runtime) => {
  const scan = program
    .command('scan')
    .description('find misconfigured and exposed resources (live, --input snapshot or --plan terraform)')
    .option('--input <file>', 'scan a saved snapshot instead of discovering')
    .option('--plan <file>', "scan a Terraform plan ('terraform show -json plan.out > plan.json')")
    .option('--provider <clouds...>', 'only these clouds (aws, azure, gcp)')
    .option('--region <regions...>', 'only these regions / locations / zones')
    .option('--kind <kinds...>', 'only these resource kinds (e.g. aws.ec2.security-group, or aws.ec2)')
    .option('--rules <ids...>', 'only these rule ids (comma-separated or repeated)')
    .option('--skip-rules <ids...>', 'never run these rule ids')
    .option('--severity <level>', `only rules of at least this severity (${SEVERITIES.join(', ')})`)
    .option('--framework <names...>', `only rules mapped to this benchmark (${FRAMEWORKS.join(', ')})`)
    .option('--fail-on <level>', 'exit 1 when a finding at or above this severity remains')
    .option('--fail-on-unverified', 'let unverified findings (a value known only after apply, or not reported) count for --fail-on')
    .option('--baseline <file>', 'fail only on findings this baseline does not record')
    .option('--write-baseline <file>', "record this run's findings as the baseline")
    .option('--category <id>', 'SARIF runAutomationDetails category (default: guardian/plan or guardian/<clouds>)')
    .option('--list-rules', 'print the rule catalog instead of scanning')
    .option('--timeout <duration>', 'stop discovering after this long and scan what was found (e.g. 5m)')
    .option('--call-timeout <duration>', 'give up on one cloud call after this long (default 30s)')
    .option('--strict', 'exit 4 when the inventory is incomplete (a listing failed or timed out) and nothing fails --fail-on')
    .addHelpText(
      'after',
      `
Output: --output table|json|csv|markdown|sarif|junit (default table).
Unknown values (not reported by the cloud, or known only after apply) are findings marked
"unverified", never passes: one per resource and unknown value, naming every rule it leaves
undecided. They count for --fail-on only with --fail-on-unverified; otherwise stderr says how many
at or above the threshold were not counted.
Suppressions: "suppressions" in the profile, or ${'.guardian-suppressions.yaml'} in the working directory:
  suppressions:
    - rule: AWS-EC2-001
      resource: sg-0123456789abcdef0
      reason: bastion reachable from the office only via NACL
      expires: 2026-12-31

Examples:
  guardian scan --profile demo
  guardian scan --input snapshot.json --severity high --output markdown
  guardian scan --plan plan.json --fail-on high --output sarif > guardian.sarif
  guardian scan --write-baseline .guardian-baseline.json
  guardian scan --baseline .guardian-baseline.json --fail-on medium
  guardian scan --list-rules --framework cis-aws`,
    )
    .action(async (options: ScanOptions, command: Command) => {
      await runScan(contextFor(command, runtime), options);
    });
  const option = (long: string) => scan.options.find((o) => o.long === long)!;
  suggest(option('--severity'), SEVERITIES);
  suggest(option('--fail-on'), SEVERITIES);
  suggest(option('--framework'), FRAMEWORKS);
  suggest(option('--provider'), CLOUDS);
  suggest(option('--kind'), RESOURCE_KINDS);
};

export async function runScan(ctx: CommandContext, options: ScanOptions): Promise<void> {
  const { resolveFormat } = await import('../src/render/output.js');
  const format = resolveFormat(ctx.globals, FORMATS);
  const selection = {
    rules: listValues(options.rules),
    skipRules: listValues(options.skipRules),
    severity: parseSeverity('--severity', options.severity),
    frameworks: parseFrameworks(options.framework),
  };
  const failOn = parseSeverity('--fail-on', options.failOn);
  const providers = parseClouds(options.provider);
  const regions = parseRegions(options.region, providers);
  const kinds = parseKinds(options.kind);
  const timeoutMs = parseDuration('--timeout', options.timeout);
  const callTimeoutMs = parseDuration('--call-timeout', options.callTimeout);
  if (options.input && options.plan) throw new UsageError('--input and --plan are two different things to scan; give one');

  const { loadCatalog } = await import('../src/rules/catalog.js');
  const catalog = await loadCatalog();

  if (options.listRules) {
    if (format === 'sarif' || format === 'junit')
      throw new UsageError(`--list-rules prints a catalog; --output ${format} is for scan results`);
    const { selectRules } = await import('../src/rules/engine.js');
    const { ruleCatalogJson, ruleCatalogView } = await import('../src/rules/report.js');
    const { renderView } = await import('../src/render/output.js');
    const rules = selectRules(catalog, selection);
    renderView(ctx.io, format, ruleCatalogView(rules), () => ruleCatalogJson(rules));
    return;
  }

  const { runScan: scanEstate } = await import('../src/scan/run.js');
  const { report, source, incomplete, baselined } = await scanEstate(ctx, {
    catalog,
    selection,
    input: options.input,
    plan: options.plan,
    providers,
    regions,
    kinds,
    timeoutMs,
    callTimeoutMs,
    failOn,
    failOnUnverified: options.failOnUnverified === true,
    baselineFile: options.baseline,
    writeBaselineFile: options.writeBaseline,
    recordPasses: format === 'junit',
  });

  await render(ctx, format, report, { source, category: options.category, plan: options.plan !== undefined, providers });

  if (failOn && report.summary.unverifiedNotCounted > 0) {
    ctx.io.log.warn(
      `${report.summary.unverifiedNotCounted} unverified finding(s) at or above ${failOn} were not counted: a value they need is unknown; pass --fail-on-unverified to fail on them`,
    );
  }
  // A finding on what was listed is a finding whatever was missed (exit 1); a clean scan of an
  // incomplete inventory is not a pass under --strict (exit 4).
  if (failOn && report.summary.failing > 0) {
    const { CheckFailed } = await import('../src/errors.js');
    const scope = baselined ? 'new finding(s)' : 'finding(s)';
    throw new CheckFailed(`${report.summary.failing} ${scope} at or above ${failOn}`, {
      hint: baselined ? undefined : 'accept known ones with --write-baseline FILE and --baseline FILE, or a suppression with a reason',
    });
  }
  if (incomplete && options.strict) {
    const { PartialResult } = await import('../src/errors.js');
    throw new PartialResult(incomplete, { hint: 'the warnings above name the listings that failed' });
  }
}

async function render(
  ctx: CommandContext,
  format: OutputFormat,
  report: import('../src/rules/scan.js').ScanReport,
  meta: { source: string; category?: string; plan: boolean; providers?: string[] },
): Promise<void> {
  const view = await import('../src/rules/report.js');
  switch (format) {
    case 'json': {
      const { printDocument } = await import('../src/render/output.js');
      printDocument(ctx.io, view.toScanJson(report, { source: meta.source }));
      return;
    }
    case 'csv':
      ctx.io.stdout.write(view.toScanCsv(report, ctx.io.shape));
      return;
    case 'markdown':
      ctx.io.out(view.toScanMarkdown(report, { source: meta.source }));
      return;
    case 'sarif': {
      const { MAX_RESULTS_PER_RUN, toSarif } = await import('../src/rules/sarif.js');
      const { PACKAGE_VERSION: VERSION } = await import('../src/build-info.js');
      const { sarifCategory } = await import('../src/scan/run.js');
      const category = sarifCategory(meta.category, meta);
      if (report.findings.length > MAX_RESULTS_PER_RUN) {
        ctx.io.log.warn(
          `SARIF keeps the ${MAX_RESULTS_PER_RUN} most severe of ${report.findings.length} findings (GitHub code scanning's limit per run)`,
        );
      }
      ctx.io.out(JSON.stringify(toSarif(report, { toolVersion: VERSION, category }), null, 2));
      return;
    }
    case 'junit': {
      const { toJunit } = await import('../src/rules/junit.js');
      const remediation = new Map(report.rules.map((rule) => [rule.id, rule.remediation]));
      ctx.io.out(toJunit(report, (id) => remediation.get(id) ?? ''));
      return;
    }
    default: {
      const { printText, tableOptions } = await import('../src/render/output.js');
      printText(ctx.io, view.toScanTable(report, tableOptions(ctx.io)));
      if (report.summary.unknown > 0) {
        ctx.io.log.info(
          `${report.summary.unknown} finding(s) are unverified: a value the rule needs was not known; they are findings, not passes.`,
        );
      }
    }
  }
}
