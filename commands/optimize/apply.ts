// guardian optimize --apply: confirm each item (unless --yes), walk the plan through the journal,
// print what happened. A failed change exits 1 and names the journal a rerun resumes.

import { CheckFailed, Interrupted } from '../../src/errors.js';
import type { PlanItem } from '../../src/optimize/apply/plan.js';
import type { OutputFormat } from '../../src/render/format.js';
import type { CommandContext } from '../context.js';

export async function applyRecommendations(
  ctx: CommandContext,
  items: PlanItem[],
  options: { format: OutputFormat; journal?: string; callTimeoutMs: number; timeoutMs?: number },
): Promise<void> {
  const report = await import('../../src/optimize/apply/report.js');
  const { printDocument, printText, tableOptions, toTable } = await import('../../src/render/output.js');
  if (items.length === 0) {
    ctx.io.log.info('nothing to apply: no recommendation here is one --apply acts on');
    if (options.format === 'json') printDocument(ctx.io, report.applyJson('', []));
    return;
  }
  const { createDialogs } = await import('../../src/dialogs.js');
  const dialogs = createDialogs(ctx.io, ctx.signal);
  const { applyPlan } = await import('../../src/optimize/apply/index.js');
  const { journal, results } = await applyPlan(ctx, items, {
    journal: options.journal,
    callTimeoutMs: options.callTimeoutMs,
    timeoutMs: options.timeoutMs,
    confirm: (item) =>
      ctx.io.yes
        ? Promise.resolve(true)
        : dialogs.confirm(`${item.summary} (${report.callsOf(item).join(' → ')}) Go ahead?`, { flag: '--yes', default: false }),
    onJournal: (path, resumed) => ctx.io.log.info(`journal: ${path}${resumed ? ' (resumed: what it shows done is skipped)' : ''}`),
    onProgress: (line) => ctx.io.log.verbose(line),
  });
  if (options.format === 'json') printDocument(ctx.io, report.applyJson(journal, results));
  else printText(ctx.io, toTable(report.applyView(results), { ...tableOptions(ctx.io), sortBy: undefined }));
  ctx.io.log.info(report.summaryLine(results));
  if (ctx.signal.aborted)
    throw new Interrupted(`interrupted: the journal ${journal} says what was sent`, {
      hint: `rerun with --journal ${journal} to finish, or 'guardian optimize undo ${journal}'`,
    });
  const failed = results.find((r) => r.status === 'failed');
  if (failed) {
    throw new CheckFailed(`${failed.id} (${failed.action} ${failed.resource.id}) failed: ${failed.error?.code}: ${failed.error?.message}`, {
      hint: `the walk stopped there; rerun with --journal ${journal} to finish the rest, or 'guardian optimize undo ${journal}'`,
    });
  }
}
