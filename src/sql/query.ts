// `guardian query`: one SQL statement over the inventory schema, read-only, on the embedded
// local history or a team's server. PostgreSQL's own message is the error, in one line.

import { UsageError } from '../errors.js';
import { postgresMessage, type SqlClient } from './client.js';

export interface QueryResult {
  columns: string[];
  rows: Record<string, unknown>[];
}

/** Run `text` in a read-only transaction (rolled back), so a query can never change the inventory. */
export async function runQuery(sql: SqlClient, text: string): Promise<QueryResult> {
  if (text.trim() === '') throw new UsageError('the query is empty');
  await sql.query('BEGIN READ ONLY');
  try {
    const result = await sql.query(text);
    return { columns: result.fields.map((f) => f.name), rows: result.rows };
  } catch (error) {
    const message = postgresMessage(error);
    if (message) throw new UsageError(`query failed: ${message}`);
    throw error;
  } finally {
    await sql.query('ROLLBACK').catch(() => {});
  }
}

/** A cell as a table or CSV shows it: timestamps in ISO 8601, JSON as JSON, NULL as empty. */
export function cellOf(value: unknown): string | number | boolean | null {
  if (value === null || value === undefined) return null;
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'bigint') return bigintValue(value);
  if (typeof value === 'object') return JSON.stringify(value);
  return value as string | number | boolean;
}

/** A bigint (count(*) is one) as a number while it is exact, else as its digits. */
function bigintValue(value: bigint): number | string {
  return value <= BigInt(Number.MAX_SAFE_INTEGER) && value >= BigInt(Number.MIN_SAFE_INTEGER) ? Number(value) : value.toString();
}

/** A row for JSON output: the same values, with timestamps as ISO 8601 and big integers as numbers while exact. */
export function jsonRow(row: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(row).map(([k, v]) => [k, v instanceof Date ? v.toISOString() : typeof v === 'bigint' ? bigintValue(v) : v]),
  );
}
