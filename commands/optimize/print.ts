// guardian optimize's output without --apply: the recommendations in the chosen format, and the
// plan of what --apply would do (a table after them, `plan` in the JSON).

import type { Recommendation } from '../../src/model/recommendation.js';
import type { Plan } from '../../src/optimize/apply/plan.js';
import type { OptimizeOutcome } from '../../src/optimize/run.js';
import type { OutputFormat } from '../../src/render/format.js';
import type { CommandContext } from '../context.js';

export async function printRecommendations(
  ctx: CommandContext,
  format: OutputFormat,
  shown: { outcome: OptimizeOutcome; list: Recommendation[]; plan: Plan; meta: { thresholds: object; window?: object } },
): Promise<void> {
  const { outcome, list, plan, meta } = shown;
  const report = await import('../../src/optimize/report.js');
  const applyReport = await import('../../src/optimize/apply/report.js');
  const { printDocument, printText, tableOptions, toTable } = await import('../../src/render/output.js');
  switch (format) {
    case 'json':
      printDocument(ctx.io, report.toOptimizeJson(outcome, list, { ...meta, plan: applyReport.planJson(plan.items) }));
      break;
    case 'csv':
      ctx.io.stdout.write(report.toOptimizeCsv(list, ctx.io.shape));
      break;
    case 'markdown':
      ctx.io.out(report.toOptimizeMarkdown(list, { source: outcome.source }));
      break;
    default:
      printText(ctx.io, report.toOptimizeTable(list, tableOptions(ctx.io)));
      if (plan.items.length > 0) {
        const view = toTable(applyReport.planView(plan.items), { ...tableOptions(ctx.io), sortBy: undefined });
        printText(ctx.io, `\nWhat --apply would do (dry run: nothing was changed):\n${view}`);
      }
  }
}
