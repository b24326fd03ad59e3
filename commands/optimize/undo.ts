// guardian optimize undo JOURNAL: reverse what the journal shows done and say what cannot be.

import { CheckFailed } from '../../src/errors.js';
import type { CommandContext } from '../context.js';
import { parseDuration } from '../options.js';

export async function runOptimizeUndo(
  ctx: CommandContext,
  journal: string,
  options: { callTimeout?: string; timeout?: string },
): Promise<void> {
  const { resolveFormat, printDocument, printText, tableOptions, toTable } = await import('../../src/render/output.js');
  const format = resolveFormat(ctx.globals, ['table', 'json']);
  const { DEFAULT_CALL_TIMEOUT_MS } = await import('../../src/discovery/run.js');
  const callTimeoutMs = parseDuration('--call-timeout', options.callTimeout) ?? DEFAULT_CALL_TIMEOUT_MS;
  const timeoutMs = parseDuration('--timeout', options.timeout);
  const { undoFromJournal } = await import('../../src/optimize/apply/index.js');
  const results = await undoFromJournal(ctx, journal, { callTimeoutMs, timeoutMs });
  const report = await import('../../src/optimize/apply/report.js');
  if (format === 'json') printDocument(ctx.io, report.undoJson(journal, results));
  else if (results.length === 0) ctx.io.log.info(`${journal} records no change: nothing to undo`);
  else printText(ctx.io, toTable(report.undoView(results), { ...tableOptions(ctx.io), sortBy: undefined }));
  for (const r of results) if (r.status === 'cannot undo' && r.note) ctx.io.log.warn(`${r.id}: ${r.note}`);
  const failed = results.find((r) => r.status === 'failed');
  if (failed) {
    throw new CheckFailed(
      `undoing ${failed.id} (${failed.action} ${failed.resource.id}) failed: ${failed.error?.code}: ${failed.error?.message}`,
      {
        hint: `run 'guardian optimize undo ${journal}' again to retry; what it shows undone is skipped`,
      },
    );
  }
}
