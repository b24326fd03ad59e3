// `discover --to postgres://…` and `discover --from postgres://… [--run ID]`: a run written to a
// team's PostgreSQL inventory, or read back from it as a snapshot (src/sql/inventory.ts).

import { PartialResult, UsageError } from '../../src/errors.js';
import type { SnapshotMeta } from '../../src/inventory/snapshot.js';
import type { OutputFormat } from '../../src/render/format.js';
import type { CommandContext } from '../context.js';

/** Refuse a bad --to before discovering: a URL that is not postgres://, a shard without a run id. */
export async function checkTarget(url: string, request: { shard?: unknown; runId?: string }): Promise<void> {
  const { parsePostgresUrl } = await import('../../src/sql/client.js');
  parsePostgresUrl(url, '--to');
  if (request.shard && !request.runId)
    throw new UsageError('--to with --shard needs --run-id (or GUARDIAN_RUN_ID), so the shards land in one run');
}

/** Write the finished run to the server; said on stderr, and any failure is the command's exit. */
export async function writeToDatabase(ctx: CommandContext, url: string, run: { file: string; snapshot: SnapshotMeta }): Promise<void> {
  const { exportRun } = await import('../../src/sql/inventory.js');
  const written = await exportRun(url, run.file, run.snapshot);
  const shard = written.shardCount > 1 ? ` shard ${written.shard}/${written.shardCount}` : '';
  ctx.io.log.info(`wrote ${written.rows.toLocaleString('en-US')} resources to ${written.where} as run ${written.runId}${shard}`);
}

/** Print a run read back from the server like a discovery, and judge it like one. */
export async function readFromDatabase(
  ctx: CommandContext,
  url: string,
  runId: string | undefined,
  format: OutputFormat,
  strict: boolean,
): Promise<void> {
  if (format === 'ndjson') throw new UsageError('--from prints a snapshot: use --json, or the table');
  const { importRun } = await import('../../src/sql/inventory.js');
  const run = await importRun(url, ctx.env, runId);
  try {
    ctx.io.log.verbose(`read run ${run.runId} from ${url.replace(/\/\/[^@/]*@/, '//')}`);
    const { renderDiscovery } = await import('../../src/discovery/report.js');
    await renderDiscovery(ctx.io, format, run, {});
    for (const gap of run.gaps) ctx.io.log.warn(`run ${run.runId}: ${gap}`);
    if (!run.snapshot.complete) {
      const message = `run ${run.runId} is incomplete${run.gaps.length > 0 ? ` (${run.gaps.join('; ')})` : ''}`;
      if (strict) throw new PartialResult(message);
      if (run.gaps.length === 0) ctx.io.log.warn(message);
    }
  } finally {
    await run.release();
  }
}
