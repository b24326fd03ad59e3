// `guardian scan` itself: src/scan/run.ts gets the resources and judges them, src/scan/render.ts
// prints the report, and src/scan/verdict.ts says what it means for the exit code.

import { CheckFailed, PartialResult } from '../../src/errors.js';
import type { CommandContext } from '../context.js';
import type { ParsedScan, ScanOptions } from './options.js';

export async function runScan(ctx: CommandContext, parsed: ParsedScan, options: ScanOptions): Promise<void> {
  const { format, selection, failOn, providers, regions, kinds, timeoutMs, callTimeoutMs } = parsed;
  const { loadCatalog } = await import('../../src/rules/catalog.js');
  const catalog = await loadCatalog();
  const { runScan: scanEstate } = await import('../../src/scan/run.js');
  const scanned = await scanEstate(ctx, {
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
  const { renderScan } = await import('../../src/scan/render.js');
  const meta = { source: scanned.source, category: options.category, plan: options.plan !== undefined, providers };
  await renderScan(ctx.io, format, scanned.report, meta);

  const { judgeScan } = await import('../../src/scan/verdict.js');
  const verdict = judgeScan(scanned, { failOn, strict: options.strict === true });
  for (const warning of verdict.warnings) ctx.io.log.warn(warning);
  if (verdict.outcome === 'check-failed') throw new CheckFailed(verdict.message!, { hint: verdict.hint });
  if (verdict.outcome === 'partial') throw new PartialResult(verdict.message!, { hint: verdict.hint });
}
