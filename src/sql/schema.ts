// The inventory's SQL schema, the same on a team's PostgreSQL server (`discover --to`) and in the
// embedded one (`guardian query`). A run is keyed by its run id; each shard of it has a row in
// run_shards that says whether its rows were written (`written`, in the one transaction that
// wrote them) or not (`writing`: begun, then lost). The `resources`, `scopes` and `errors` views
// are the latest written, complete run of each profile — what "the estate" means in a query;
// the `all_*` tables keep every run. Documented in docs/inventory-sql.md.

import type { SqlClient } from './client.js';

/** Each migration takes the schema from version i to i + 1; never edit one that has shipped. */
const MIGRATIONS: string[] = [
  `CREATE TABLE runs (
     run_id      text PRIMARY KEY,
     profile     text NOT NULL,
     request     jsonb NOT NULL,
     shard_count integer NOT NULL CHECK (shard_count >= 1),
     created_at  timestamptz NOT NULL DEFAULT now()
   );
   CREATE TABLE run_shards (
     run_id       text NOT NULL REFERENCES runs ON DELETE CASCADE,
     shard        integer NOT NULL CHECK (shard >= 1),
     state        text NOT NULL CHECK (state IN ('writing', 'written')),
     snapshot_id  text,
     started_at   timestamptz,
     finished_at  timestamptz,
     complete     boolean NOT NULL DEFAULT false,
     interrupted  boolean NOT NULL DEFAULT false,
     timed_out    boolean NOT NULL DEFAULT false,
     listed       integer,
     digest       text,
     stats        jsonb,
     written_at   timestamptz,
     PRIMARY KEY (run_id, shard)
   );
   CREATE TABLE all_resources (
     run_id     text NOT NULL,
     shard      integer NOT NULL,
     cloud      text NOT NULL,
     account    text NOT NULL,
     region     text NOT NULL,
     kind       text NOT NULL,
     id         text NOT NULL,
     name       text NOT NULL,
     state      text,
     created_at text,
     tags       jsonb NOT NULL,
     attributes jsonb NOT NULL,
     relations  jsonb NOT NULL,
     PRIMARY KEY (run_id, cloud, account, kind, id),
     FOREIGN KEY (run_id, shard) REFERENCES run_shards ON DELETE CASCADE
   );
   CREATE INDEX all_resources_by_kind ON all_resources (run_id, kind);
   CREATE INDEX all_resources_by_account ON all_resources (run_id, account);
   CREATE INDEX all_resources_by_tag ON all_resources USING gin (tags jsonb_path_ops);
   CREATE TABLE all_scopes (
     run_id           text NOT NULL,
     shard            integer NOT NULL,
     cloud            text NOT NULL,
     account          text NOT NULL,
     region           text NOT NULL,
     type             text NOT NULL,
     label            text NOT NULL,
     status           text NOT NULL,
     resources        integer NOT NULL,
     tasks            integer NOT NULL,
     failed_tasks     integer NOT NULL,
     unfinished_tasks integer NOT NULL,
     PRIMARY KEY (run_id, cloud, account, region),
     FOREIGN KEY (run_id, shard) REFERENCES run_shards ON DELETE CASCADE
   );
   CREATE TABLE all_errors (
     run_id   text NOT NULL,
     shard    integer NOT NULL,
     cloud    text NOT NULL,
     account  text NOT NULL,
     region   text,
     kind     text,
     class    text NOT NULL,
     code     text NOT NULL,
     message  text NOT NULL,
     attempts integer NOT NULL,
     FOREIGN KEY (run_id, shard) REFERENCES run_shards ON DELETE CASCADE
   );
   CREATE INDEX all_errors_by_run ON all_errors (run_id, shard);
   -- A run is complete when every one of its shards was written and was complete.
   CREATE VIEW complete_runs AS
     SELECT r.run_id, r.profile, max(s.finished_at) AS finished_at
       FROM runs r JOIN run_shards s USING (run_id)
      GROUP BY r.run_id, r.profile, r.shard_count
     HAVING count(*) FILTER (WHERE s.state = 'written' AND s.complete) = r.shard_count;
   CREATE VIEW latest_runs AS
     SELECT DISTINCT ON (profile) run_id, profile, finished_at FROM complete_runs ORDER BY profile, finished_at DESC, run_id DESC;
   CREATE VIEW resources AS SELECT a.* FROM all_resources a JOIN latest_runs USING (run_id);
   CREATE VIEW scopes AS SELECT a.* FROM all_scopes a JOIN latest_runs USING (run_id);
   CREATE VIEW errors AS SELECT a.* FROM all_errors a JOIN latest_runs USING (run_id);`,
];

export const SCHEMA_VERSION = MIGRATIONS.length;

/**
 * Bring the database to this Guardian's schema, one transaction per migration, serialised by an
 * advisory lock so shards starting together do not race. A newer schema than this Guardian knows
 * is refused rather than written into.
 */
export async function migrate(sql: SqlClient): Promise<void> {
  await sql.query('SELECT pg_advisory_lock(7261)');
  try {
    await sql.query('CREATE TABLE IF NOT EXISTS guardian_schema (version integer NOT NULL)');
    const { rows } = await sql.query<{ version: number }>('SELECT version FROM guardian_schema');
    let version = rows[0]?.version ?? 0;
    if (rows.length === 0) await sql.query('INSERT INTO guardian_schema (version) VALUES (0)');
    if (version > SCHEMA_VERSION)
      throw new SchemaTooNew(`the database has Guardian schema version ${version}; this Guardian knows up to ${SCHEMA_VERSION}`);
    while (version < SCHEMA_VERSION) {
      await sql.query('BEGIN');
      try {
        await sql.exec(MIGRATIONS[version] as string);
        await sql.query('UPDATE guardian_schema SET version = $1', [version + 1]);
        await sql.query('COMMIT');
      } catch (error) {
        await sql.query('ROLLBACK').catch(() => {});
        throw error;
      }
      version += 1;
    }
  } finally {
    await sql.query('SELECT pg_advisory_unlock(7261)').catch(() => {});
  }
}

export class SchemaTooNew extends Error {}
