// Writes a snapshot to disk while discovery runs, so a run's memory does not grow with the
// estate: resources are appended page by page, the fields known only at the end follow them,
// and the finished file is renamed into place. Clouds whose relations need every resource of
// the run (GCP) are spooled to an NDJSON file and appended, resolved, once the run is over.
//
// Layout (valid JSON, one resource per line, which `snapshotResourceLines` relies on):
//   {"schemaVersion":1,"kind":"guardian.snapshot","id":…,"profile":…,"startedAt":…,"request":{…},"resources":[
//   {…},
//   {…}
//   ],"finishedAt":…,"durationMs":…,"complete":…,"interrupted":…,"timedOut":…,"summary":{…},"scopes":[…],"errors":[…],"stats":{…}}

import { closeSync, createReadStream, fdatasyncSync, openSync, rmSync, writeSync } from 'node:fs';
import { mkdir, mkdtemp, rename, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import type { DiscoveryStats, RelationIndex, ScopeSummary, ShardRecord, TaskError } from '../model/discovery.js';
import type { Cloud, Resource } from '../model/resource.js';
import { SNAPSHOT_KIND, SNAPSHOT_VERSION, type Snapshot, type SnapshotMeta, snapshotId } from './snapshot.js';
import { DEFAULT_KEEP, pruneSnapshots, snapshotDir } from './store.js';

export interface SnapshotWriterOptions {
  env: NodeJS.ProcessEnv;
  profile: string;
  startedAt: Date;
  request: Snapshot['request'];
  /** Save in the profile's snapshot folder (default); otherwise a temporary file that `release()` removes. */
  save?: boolean;
  /** Snapshots kept per profile when saving. */
  keep?: number;
  /** Clouds whose relations are resolved after the run: their resources are spooled until `finish`. */
  relations?: ReadonlyMap<Cloud, RelationIndex>;
  /** A merged snapshot: the shards' snapshot ids. */
  mergedFrom?: string[];
}

/** The fields known only when the run is over. */
export interface SnapshotEnd {
  finishedAt: Date;
  complete: boolean;
  interrupted: boolean;
  timedOut: boolean;
  scopes: ScopeSummary[];
  errors: TaskError[];
  stats: DiscoveryStats;
  shard?: ShardRecord;
}

export interface FinishedSnapshot {
  /** Everything the file holds but the resources. */
  snapshot: SnapshotMeta;
  file: string;
  /** False for a temporary file (no saving requested): `release()` removes it. */
  saved: boolean;
  release(): Promise<void>;
}

interface Spool {
  path: string;
  fd: number;
}

/** Batches below this stay in one string before they are written. */
const WRITE_BATCH = 256 * 1024;

function writeAll(fd: number, text: string): void {
  const buffer = Buffer.from(text, 'utf8');
  let offset = 0;
  while (offset < buffer.length) offset += writeSync(fd, buffer, offset, buffer.length - offset);
}

/** Open with O_EXCL, mode 0600; a second run started in the same second gets its own name. */
function openExclusive(path: string): { fd: number; path: string } {
  try {
    return { fd: openSync(path, 'wx', 0o600), path };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    const unique = path.replace(/\.partial$/, `.${process.pid}.partial`);
    return { fd: openSync(unique, 'wx', 0o600), path: unique };
  }
}

async function* readLines(path: string): AsyncGenerator<string> {
  const input = createReadStream(path, 'utf8');
  const lines = createInterface({ input, crlfDelay: Number.POSITIVE_INFINITY });
  try {
    yield* lines;
  } finally {
    lines.close();
    input.destroy();
  }
}

export class SnapshotWriter {
  readonly #options: SnapshotWriterOptions;
  readonly #id: string;
  readonly #dir: string;
  readonly #temporary: boolean;
  readonly #partial: string;
  #fd: number | undefined;
  readonly #spools = new Map<Cloud, Spool>();
  /** Resources in the file's array so far (spooled ones join it in `finish`). */
  #written = 0;
  #seen = 0;
  readonly #byCloud: Record<string, number> = {};
  readonly #byKind: Record<string, number> = {};
  /** The first write error: kept rather than thrown into the engine, and thrown by `finish`. */
  #failure: unknown;
  #closed = false;

  private constructor(options: SnapshotWriterOptions, dir: string, temporary: boolean) {
    this.#options = options;
    this.#id = snapshotId(options.startedAt);
    this.#dir = dir;
    this.#temporary = temporary;
    const { fd, path } = openExclusive(join(dir, `${this.#id}.json.partial`));
    this.#fd = fd;
    this.#partial = path;
    const header = JSON.stringify({
      schemaVersion: SNAPSHOT_VERSION,
      kind: SNAPSHOT_KIND,
      id: this.#id,
      profile: options.profile,
      startedAt: options.startedAt.toISOString(),
      request: options.request,
      mergedFrom: options.mergedFrom,
    });
    writeAll(fd, `${header.slice(0, -1)},"resources":[`);
    // Neither a half-written snapshot nor a temporary one may outlive a process that dies before
    // finish() or release() (a closed stdout pipe, a crash): 'exit' still runs, synchronously.
    process.once('exit', this.#leftover);
  }

  readonly #leftover = (): void => {
    if (this.#temporary) rmSync(this.#dir, { recursive: true, force: true });
    else for (const path of [this.#partial, ...[...this.#spools.values()].map((spool) => spool.path)]) rmSync(path, { force: true });
  };

  static async open(options: SnapshotWriterOptions): Promise<SnapshotWriter> {
    const temporary = options.save === false;
    let dir: string;
    if (temporary) dir = await mkdtemp(join(tmpdir(), 'guardian-snapshot-'));
    else {
      dir = snapshotDir(options.env, options.profile);
      await mkdir(dir, { recursive: true, mode: 0o700 });
    }
    try {
      return new SnapshotWriter(options, dir, temporary);
    } catch (error) {
      if (temporary) await rm(dir, { recursive: true, force: true });
      throw error;
    }
  }

  /** The file being written (renamed when finished). */
  get path(): string {
    return this.#partial;
  }

  /** The resources added so far. */
  get count(): number {
    return this.#seen;
  }

  /** Append one page of resources. Never throws: a write error fails `finish` instead. */
  add(resources: readonly Resource[]): void {
    if (this.#failure !== undefined || this.#closed || resources.length === 0) return;
    try {
      let main = '';
      const spooled = new Map<Cloud, string>();
      for (const resource of resources) {
        this.#seen += 1;
        this.#byCloud[resource.cloud] = (this.#byCloud[resource.cloud] ?? 0) + 1;
        this.#byKind[resource.kind] = (this.#byKind[resource.kind] ?? 0) + 1;
        const index = this.#options.relations?.get(resource.cloud);
        if (index) {
          index.observe(resource);
          spooled.set(resource.cloud, `${spooled.get(resource.cloud) ?? ''}${JSON.stringify(resource)}\n`);
          continue;
        }
        main += `${this.#written > 0 ? ',\n' : '\n'}${JSON.stringify(resource)}`;
        this.#written += 1;
      }
      if (main) writeAll(this.#fd as number, main);
      for (const [cloud, text] of spooled) writeAll(this.#spool(cloud).fd, text);
    } catch (error) {
      this.#failure = error;
    }
  }

  #spool(cloud: Cloud): Spool {
    let spool = this.#spools.get(cloud);
    if (!spool) {
      const path = `${this.#partial}.${cloud}.ndjson`;
      spool = { path, fd: openSync(path, 'wx', 0o600) };
      this.#spools.set(cloud, spool);
    }
    return spool;
  }

  /**
   * Append the spooled clouds' resources with their relations resolved, write the closing fields
   * and move the file into place (pruning old snapshots when saving). On failure nothing is left.
   */
  async finish(end: SnapshotEnd): Promise<FinishedSnapshot> {
    try {
      if (this.#failure !== undefined) throw this.#failure;
      const fd = this.#fd as number;
      for (const [cloud, spool] of this.#spools) {
        const index = this.#options.relations?.get(cloud) as RelationIndex;
        closeSync(spool.fd);
        spool.fd = -1;
        let chunk = '';
        // Line by line: the spool can hold most of the estate.
        for await (const line of readLines(spool.path)) {
          if (!line) continue;
          const resource = index.resolve(JSON.parse(line) as Resource);
          chunk += `${this.#written > 0 ? ',\n' : '\n'}${JSON.stringify(resource)}`;
          this.#written += 1;
          if (chunk.length >= WRITE_BATCH) {
            writeAll(fd, chunk);
            chunk = '';
          }
        }
        if (chunk) writeAll(fd, chunk);
        await rm(spool.path, { force: true });
      }
      const snapshot: SnapshotMeta = {
        schemaVersion: SNAPSHOT_VERSION,
        kind: SNAPSHOT_KIND,
        id: this.#id,
        profile: this.#options.profile,
        startedAt: this.#options.startedAt.toISOString(),
        finishedAt: end.finishedAt.toISOString(),
        durationMs: end.finishedAt.getTime() - this.#options.startedAt.getTime(),
        complete: end.complete,
        interrupted: end.interrupted,
        timedOut: end.timedOut,
        request: this.#options.request,
        ...(this.#options.mergedFrom && { mergedFrom: this.#options.mergedFrom }),
        summary: { resources: this.#written, byCloud: this.#byCloud, byKind: this.#byKind },
        scopes: end.scopes,
        errors: end.errors,
        stats: end.stats,
        ...(end.shard && { shard: end.shard }),
      };
      const trailer = JSON.stringify({
        finishedAt: snapshot.finishedAt,
        durationMs: snapshot.durationMs,
        complete: snapshot.complete,
        interrupted: snapshot.interrupted,
        timedOut: snapshot.timedOut,
        summary: snapshot.summary,
        scopes: snapshot.scopes,
        errors: snapshot.errors,
        stats: snapshot.stats,
        shard: snapshot.shard,
      });
      writeAll(fd, `${this.#written > 0 ? '\n' : ''}],${trailer.slice(1)}\n`);
      if (!this.#temporary) fdatasyncSync(fd);
      closeSync(fd);
      this.#fd = undefined;
      this.#closed = true;
      const file = join(this.#dir, `${this.#id}.json`);
      await rename(this.#partial, file);
      if (!this.#temporary) {
        process.off('exit', this.#leftover);
        await pruneSnapshots(this.#options.env, this.#options.profile, this.#options.keep ?? DEFAULT_KEEP);
      }
      const dir = this.#dir;
      const temporary = this.#temporary;
      const leftover = this.#leftover;
      return {
        snapshot,
        file,
        saved: !temporary,
        release: async () => {
          if (!temporary) return;
          // The hook goes last: a process that dies while removing still removes on exit.
          await rm(dir, { recursive: true, force: true });
          process.off('exit', leftover);
        },
      };
    } catch (error) {
      await this.discard();
      throw error;
    }
  }

  /** Give up on the snapshot: close and remove everything written so far. Idempotent. */
  async discard(): Promise<void> {
    this.#closed = true;
    for (const spool of this.#spools.values()) {
      if (spool.fd >= 0) closeSync(spool.fd);
      spool.fd = -1;
      await rm(spool.path, { force: true });
    }
    if (this.#fd !== undefined) closeSync(this.#fd);
    this.#fd = undefined;
    await rm(this.#partial, { force: true });
    if (this.#temporary) await rm(this.#dir, { recursive: true, force: true });
    process.off('exit', this.#leftover);
  }
}

/**
 * Each resource's JSON text from a file `SnapshotWriter` wrote, in file order, read line by line so
 * printing a snapshot never loads it whole.
 */
export async function* snapshotResourceLines(file: string): AsyncGenerator<string> {
  let header = true;
  for await (const line of readLines(file)) {
    if (header) {
      header = false;
      continue;
    }
    if (line.startsWith(']')) break;
    yield line.endsWith(',') ? line.slice(0, -1) : line;
  }
}
