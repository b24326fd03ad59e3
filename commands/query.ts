// `guardian query SQL`: SQL over the inventory — the embedded local history of every saved
// snapshot, or a team's PostgreSQL inventory with --db — read-only, printed like any table.

import type { Command } from 'commander';
import { UsageError } from '../src/errors.js';
import { type CommandContext, type CommandDefinition, contextFor } from './context.js';
import { parseDuration } from './options.js';

interface QueryOptions {
  db?: string;
  file?: string;
  timeout?: string;
}

export const defineQuery: CommandDefinition = (program, runtime) => {
  program
    .command('query')
    .description('run SQL over the inventory: every saved snapshot (embedded PostgreSQL), or a team server with --db')
    .argument('[sql]', 'one SQL statement (or --file, or - for stdin)')
    .option('--db <url>', 'query this PostgreSQL inventory (postgres://…) instead of the local history')
    .option('--file <path>', 'read the statement from a file')
    .option('--timeout <duration>', 'give up connecting to --db after this long (default 10s)')
    .addHelpText(
      'after',
      `
Tables: resources, scopes and errors hold the latest complete run of each profile;
all_resources, all_scopes and all_errors every run (run_id); runs and run_shards describe them.
Columns of resources: run_id, shard, cloud, account, region, kind, id, name, state, created_at
(ISO 8601 text), tags, attributes and relations (jsonb). See docs/inventory-sql.md.
The local history is brought up to date from the saved snapshots when a query opens it.
Queries run in a read-only transaction.

Examples:
  guardian query "SELECT kind, count(*) FROM resources WHERE tags->>'env' = 'prod' GROUP BY 1"
  guardian query "SELECT id, region FROM resources WHERE state = 'available'" --json
  guardian query --db postgres://db/inv "SELECT run_id, count(*) FROM all_resources GROUP BY 1"
  guardian query --file report.sql -o csv > report.csv`,
    )
    .action(async (text: string | undefined, options: QueryOptions, command: Command) => {
      await runQueryCommand(contextFor(command, runtime), text, options);
    });
};

async function statementOf(ctx: CommandContext, text: string | undefined, options: QueryOptions): Promise<string> {
  if (text !== undefined && options.file !== undefined) throw new UsageError('give the SQL as an argument or with --file, not both');
  if (options.file !== undefined) {
    const { readFile } = await import('node:fs/promises');
    return readFile(options.file, 'utf8').catch((error: NodeJS.ErrnoException) => {
      throw new UsageError(`cannot read ${options.file}: ${error.code === 'ENOENT' ? 'no such file' : error.code}`);
    });
  }
  if (text === '-') {
    const chunks: Buffer[] = [];
    for await (const chunk of ctx.io.stdin) chunks.push(Buffer.from(chunk));
    return Buffer.concat(chunks).toString('utf8');
  }
  if (text === undefined) throw new UsageError('guardian query needs a SQL statement', { hint: 'see: guardian query --help' });
  return text;
}

async function runQueryCommand(ctx: CommandContext, text: string | undefined, options: QueryOptions): Promise<void> {
  const { resolveFormat, renderView, toJson } = await import('../src/render/output.js');
  const format = resolveFormat(ctx.globals, ['table', 'json', 'csv', 'markdown', 'ndjson']);
  const statement = await statementOf(ctx, text, options);
  const timeoutMs = parseDuration('--timeout', options.timeout);
  const { queryInventory } = await import('../src/sql/inventory.js');
  const { cellOf, jsonRow } = await import('../src/sql/query.js');
  if (!options.db) ctx.io.log.verbose('opening the local inventory (the embedded PostgreSQL under the data directory)');
  const result = await queryInventory(statement, { db: options.db, env: ctx.env, timeoutMs });
  if (result.synced && (result.synced.imported > 0 || result.synced.dropped > 0))
    ctx.io.log.verbose(`local inventory: ${result.synced.imported} snapshots imported, ${result.synced.dropped} pruned ones dropped`);
  const view = {
    columns: result.columns.map((name) => ({ header: name, value: (row: Record<string, unknown>) => cellOf(row[name]) })),
    rows: result.rows,
  };
  const rows = result.rows.map(jsonRow);
  renderView(ctx.io, format, format === 'ndjson' ? { ...view, rows } : view, () => toJson('query', { columns: result.columns, rows }));
  if (format === 'table') ctx.io.log.info(`${result.rows.length.toLocaleString('en-US')} ${result.rows.length === 1 ? 'row' : 'rows'}`);
}
