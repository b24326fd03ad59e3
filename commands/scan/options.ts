// `guardian scan`'s flags as they arrive, and as values: every flag parsed and checked (one line
// and exit 2 for a bad one) before the catalog loads or a cloud is called, for scanning and
// --list-rules alike.

import { UsageError } from '../../src/errors.js';
import { isSeverity, SEVERITIES, type Severity } from '../../src/model/finding.js';
import type { Cloud, ResourceKind } from '../../src/model/resource.js';
import type { OutputFormat } from '../../src/render/format.js';
import type { RuleSelection } from '../../src/rules/engine.js';
import { FRAMEWORKS, type Framework } from '../../src/rules/rule.js';
import type { CommandContext } from '../context.js';
import { listValues, parseClouds, parseDuration, parseKinds, parseRegions } from '../options.js';

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

export interface ParsedScan {
  format: OutputFormat;
  selection: RuleSelection;
  failOn?: Severity;
  providers?: Cloud[];
  regions?: string[];
  kinds?: ResourceKind[];
  timeoutMs?: number;
  callTimeoutMs?: number;
}

const FORMATS: OutputFormat[] = ['table', 'json', 'csv', 'markdown', 'sarif', 'junit'];

export async function parseScanOptions(ctx: CommandContext, options: ScanOptions): Promise<ParsedScan> {
  const { resolveFormat } = await import('../../src/render/output.js');
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
  return { format, selection, failOn, providers, regions, kinds, timeoutMs, callTimeoutMs };
}

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
