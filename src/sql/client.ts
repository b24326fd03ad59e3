// One small face over the two PostgreSQLs Guardian speaks to: a server through `pg` (a team's
// inventory, `--to` / `--from` / `query --db`) and the embedded one through PGlite (the local
// history `guardian query` reads). Both are imported only when used. Connection strings may hold
// a password: it is registered as a secret before anything can print it, and errors name the
// server without it.

import { registerSecret } from '../config/redact.js';
import { ConfigError, UsageError } from '../errors.js';

export interface SqlResult<R> {
  rows: R[];
  fields: { name: string }[];
}

export interface SqlClient {
  /** One statement, `$1`… parameters. */
  query<R = Record<string, unknown>>(text: string, params?: unknown[]): Promise<SqlResult<R>>;
  /** Several statements, no parameters (migrations). */
  exec(text: string): Promise<void>;
  close(): Promise<void>;
  /** Where it is, for messages: `postgres://host:port/db` without credentials, or the local path. */
  readonly where: string;
}

/** A PostgreSQL error as the server said it, in one line (`syntax error at or near "SELEC"`). */
export function postgresMessage(error: unknown): string | undefined {
  const e = error as { severity?: string; code?: string; message?: string; position?: string | number };
  if (typeof e?.code !== 'string' || !/^[0-9A-Z]{5}$/.test(e.code) || typeof e.message !== 'string') return undefined;
  const at = e.position !== undefined && e.position !== '' ? ` (at character ${e.position})` : '';
  return `${e.message}${at}`;
}

/** A `postgres://` / `postgresql://` URL checked, its password registered as a secret, and where it points. */
export function parsePostgresUrl(value: string, flag: string): { url: string; where: string } {
  let parsed: URL;
  try {
    parsed = new URL(value);
  } catch {
    throw new UsageError(`${flag} must be a postgres:// URL (postgres://user:password@host:5432/db), not '${value}'`);
  }
  if (parsed.protocol !== 'postgres:' && parsed.protocol !== 'postgresql:')
    throw new UsageError(`${flag} must be a postgres:// URL, not ${parsed.protocol}//…`);
  if (parsed.password) {
    registerSecret(parsed.password);
    registerSecret(decodeURIComponent(parsed.password));
  }
  return { url: value, where: `postgres://${parsed.host}${parsed.pathname}` };
}

export async function connectPostgres(value: string, flag: string, timeoutMs = 10_000): Promise<SqlClient> {
  const { url, where } = parsePostgresUrl(value, flag);
  const { default: pg } = await import('pg');
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: timeoutMs, application_name: 'guardian' });
  // A connection the server drops between queries is an 'error' event, not a rejected query.
  let lost: Error | undefined;
  client.on('error', (error: Error) => {
    lost = error;
  });
  try {
    await client.connect();
  } catch (error) {
    const detail = postgresMessage(error) ?? (error as NodeJS.ErrnoException).code ?? (error as Error).message;
    throw new ConfigError(`cannot connect to ${where}: ${detail}`);
  }
  return {
    where,
    async query<R>(text: string, params?: unknown[]) {
      if (lost) throw lost;
      const result = await client.query(text, params);
      return { rows: result.rows as R[], fields: result.fields.map((f) => ({ name: f.name })) };
    },
    async exec(text: string) {
      if (lost) throw lost;
      await client.query(text);
    },
    async close() {
      await client.end().catch(() => {});
    },
  };
}

export async function openEmbedded(dir: string): Promise<SqlClient> {
  const { PGlite } = await import('@electric-sql/pglite');
  const db = new PGlite(dir);
  try {
    await db.waitReady;
  } catch (error) {
    throw new ConfigError(`cannot open the local inventory database ${dir}: ${(error as Error).message}`);
  }
  return {
    where: dir,
    async query<R>(text: string, params?: unknown[]) {
      const result = await db.query<R>(text, params);
      return { rows: result.rows, fields: result.fields.map((f) => ({ name: f.name })) };
    },
    async exec(text: string) {
      await db.exec(text);
    },
    async close() {
      await db.close();
    },
  };
}
