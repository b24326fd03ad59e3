// guardian scan: posture rules over a live estate, a snapshot (--input) or a Terraform plan
// (--plan), with CI gates (--fail-on, baselines, suppressions) and SARIF/JUnit/Markdown output.
// This file declares the flags; options.ts parses them, run.ts scans and rules.ts lists the rules.

import type { Command } from 'commander';
import { SEVERITIES } from '../../src/model/finding.js';
import { CLOUDS, RESOURCE_KINDS } from '../../src/model/resource.js';
import { FRAMEWORKS } from '../../src/rules/rule.js';
import { type CommandDefinition, contextFor } from '../context.js';
import { suggest } from '../options.js';
import { parseScanOptions, type ScanOptions } from './options.js';
import { listRules } from './rules.js';
import { runScan } from './run.js';

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
      const ctx = contextFor(command, runtime);
      const parsed = await parseScanOptions(ctx, options);
      await (options.listRules ? listRules(ctx, parsed) : runScan(ctx, parsed, options));
    });
  const option = (long: string) => scan.options.find((o) => o.long === long)!;
  suggest(option('--severity'), SEVERITIES);
  suggest(option('--fail-on'), SEVERITIES);
  suggest(option('--framework'), FRAMEWORKS);
  suggest(option('--provider'), CLOUDS);
  suggest(option('--kind'), RESOURCE_KINDS);
};
