// How a discovery snapshot and a snapshot diff look in each output format.

import { once } from 'node:events';
import type { Writable } from 'node:stream';
import type { InventoryDiff } from '../inventory/diff.js';
import type { ResourceFilter } from '../inventory/filter.js';
import { type GraphFormat, renderGraph } from '../inventory/graph.js';
import { readSnapshot, type SnapshotMeta } from '../inventory/snapshot.js';
import { snapshotResourceLines } from '../inventory/snapshot-writer.js';
import { isUnfinished, type ScopeSummary, type TaskError } from '../model/discovery.js';
import type { Resource } from '../model/resource.js';
import type { Io } from '../render/io.js';
import {
  ndjsonLines,
  type OutputFormat,
  printDocument,
  printText,
  renderView,
  type TableView,
  tableOptions,
  toJson,
  toTable,
} from '../render/output.js';

const tagsText = (tags: Record<string, string>) =>
  Object.entries(tags)
    .map(([k, v]) => `${k}=${v}`)
    .join(';');

export const RESOURCE_VIEW_COLUMNS: TableView<Resource>['columns'] = [
  { header: 'cloud', value: (r) => r.cloud },
  { header: 'account', value: (r) => r.account },
  { header: 'region', value: (r) => r.region },
  { header: 'kind', value: (r) => r.kind },
  { header: 'id', value: (r) => r.id },
  { header: 'name', value: (r) => r.name },
  { header: 'state', value: (r) => r.state },
  { header: 'created', value: (r) => r.createdAt },
  { header: 'tags', value: (r) => tagsText(r.tags) },
];

const byName = (counts: Record<string, number>): [string, number][] => Object.entries(counts).sort((a, b) => a[0].localeCompare(b[0]));

/** What a finished run hands the renderer: the snapshot's counts, and its file for the formats that list resources. */
export interface DiscoveryReport {
  snapshot: SnapshotMeta;
  file: string;
}

async function write(stream: Writable, text: string): Promise<void> {
  if (!stream.write(text)) await once(stream, 'drain');
}

/** The resources of a snapshot file that pass the filter, read line by line. */
async function* matchingResources(file: string, filter: ResourceFilter | undefined): AsyncGenerator<Resource> {
  for await (const line of snapshotResourceLines(file)) {
    const resource = JSON.parse(line) as Resource;
    if (!filter || filter.matches(resource)) yield resource;
  }
}

/** The summary of what a filter lets through, counted in one pass over the file. */
async function matchingSummary(file: string, filter: ResourceFilter): Promise<SnapshotMeta['summary']> {
  const summary: SnapshotMeta['summary'] = { resources: 0, byCloud: {}, byKind: {} };
  for await (const resource of matchingResources(file, filter)) {
    summary.resources += 1;
    summary.byCloud[resource.cloud] = (summary.byCloud[resource.cloud] ?? 0) + 1;
    summary.byKind[resource.kind] = (summary.byKind[resource.kind] ?? 0) + 1;
  }
  return summary;
}

/**
 * Print the snapshot exactly as `toJson` would print it whole, reading the resources from the file
 * one line at a time so printing does not hold the estate either. With a filter, only the matching
 * resources, their summary, and the filter itself (so `discover diff` knows what was left out).
 */
export async function printSnapshotJson(io: Io, report: DiscoveryReport, filter?: ResourceFilter): Promise<void> {
  if (io.shape.query !== undefined || io.shape.yaml) {
    // A query or YAML needs the whole document at once, so this reads the estate into memory.
    const { schemaVersion: _v, kind: _k, ...whole } = await readSnapshot(report.file);
    const resources = filter ? whole.resources.filter(filter.matches) : whole.resources;
    printDocument(io, toJson('guardian.snapshot', { ...whole, ...(filter ? { filter: filter.expressions } : {}), resources }));
    return;
  }
  const { schemaVersion: _v, kind: _k, ...rest } = report.snapshot;
  const summary = filter ? await matchingSummary(report.file, filter) : rest.summary;
  const whole = toJson('guardian.snapshot', { ...rest, ...(filter ? { filter: filter.expressions } : {}), summary, resources: [] });
  const emptyTail = '[]\n}';
  if (summary.resources === 0) {
    io.out(whole);
    return;
  }
  let chunk = `${whole.slice(0, -emptyTail.length)}[`;
  let first = true;
  for await (const resource of matchingResources(report.file, filter)) {
    // toJson's two-space indent, nested two levels deep (the snapshot, then its resources array).
    chunk += `${first ? '\n' : ',\n'}    ${JSON.stringify(resource, null, 2).replaceAll('\n', '\n    ')}`;
    first = false;
    if (chunk.length >= 64 * 1024) {
      await write(io.stdout, chunk);
      chunk = '';
    }
  }
  await write(io.stdout, `${chunk}\n  ]\n}\n`);
}

export async function renderDiscovery(
  io: Io,
  format: OutputFormat,
  report: DiscoveryReport,
  /** `streamed`: the resources already went to stdout as NDJSON (`printed` of them, after the filter). */
  options: { graph?: GraphFormat; streamed?: { printed: number }; filter?: ResourceFilter },
): Promise<void> {
  const { snapshot } = report;
  const { filter } = options;
  const matching = async () => {
    const resources = (await readSnapshot(report.file)).resources;
    return filter ? resources.filter(filter.matches) : resources;
  };
  if (options.graph) {
    // A graph needs every resource at once (edges point anywhere), so it reads the file back.
    const graph = renderGraph(await matching(), options.graph);
    io.out(graph.text);
    if (graph.notice) io.log.warn(graph.notice);
    return;
  }
  if (options.streamed) {
    const shown = filter ? `, ${options.streamed.printed.toLocaleString('en-US')} printed (--filter ${filter.expressions.join(' ')})` : '';
    io.log.info(`${count(snapshot.summary.resources, 'resource')} in ${(snapshot.durationMs / 1000).toFixed(1)} s${shown}`);
    return;
  }
  if (format === 'json') {
    await printSnapshotJson(io, report, filter);
    return;
  }
  if (format !== 'table') {
    // CSV and Markdown list every resource in one table, so they read the finished file back.
    const rows = await matching();
    renderView(io, format, { columns: RESOURCE_VIEW_COLUMNS, rows }, () => toJson('guardian.snapshot', { ...snapshot, resources: rows }));
    return;
  }
  const table = tableOptions(io);
  const sections: string[] = [summaryLine(snapshot)];
  sections.push(
    toTable(
      {
        columns: [
          { header: 'Cloud', value: (s) => s.cloud },
          { header: 'Account', value: (s) => s.account },
          { header: 'Region', value: (s) => s.region },
          { header: 'Resources', value: (s) => s.resources, align: 'right' },
          { header: 'Status', value: scopeStatus },
        ],
        rows: [...snapshot.scopes].sort((a, b) => `${a.cloud}${a.account}${a.region}`.localeCompare(`${b.cloud}${b.account}${b.region}`)),
      },
      table,
    ),
  );
  if (filter) {
    // A filter asks which resources: list them (the scopes above still say how the whole run went).
    const rows = await matching();
    sections.push(
      `${count(rows.length, 'resource')} of ${snapshot.summary.resources.toLocaleString('en-US')} match --filter ${filter.expressions.join(' ')}`,
    );
    if (rows.length > 0) sections.push(toTable({ columns: RESOURCE_VIEW_COLUMNS, rows }, table));
  } else {
    sections.push(
      toTable(
        {
          columns: [
            { header: 'Kind', value: (row: [string, number]) => row[0] },
            { header: 'Count', value: (row: [string, number]) => row[1], align: 'right' },
          ],
          rows: byName(snapshot.summary.byKind),
        },
        table,
      ),
    );
  }
  const failures = snapshot.errors.filter((e) => !isUnfinished(e));
  if (failures.length > 0 && io.verbose) {
    sections.push(
      toTable(
        {
          columns: [
            { header: 'Cloud', value: (e) => e.cloud },
            { header: 'Account', value: (e) => e.account },
            { header: 'Region', value: (e) => e.region },
            { header: 'Kind', value: (e) => e.kind ?? '(scopes)' },
            { header: 'Error', value: (e) => `${e.code}: ${e.message}`, maxWidth: 120, minWidth: 30, overflow: 'truncate' },
            { header: 'Attempts', value: (e) => e.attempts, align: 'right', priority: 1 },
          ],
          rows: failures,
        },
        table,
      ),
    );
  } else if (failures.length > 0) {
    const groups = groupErrors(failures);
    const shown = groups.slice(0, MAX_ERROR_GROUPS);
    sections.push(
      toTable(
        {
          columns: [
            { header: 'Cloud', value: (g) => g.cloud },
            { header: 'Account', value: (g) => g.account },
            { header: 'Region', value: (g) => g.region },
            { header: 'Error', value: (g) => `${g.code}: ${g.message}`, maxWidth: 100, minWidth: 30, overflow: 'truncate' },
            { header: 'Listings', value: (g) => g.kinds.length, align: 'right' },
            { header: 'Kinds', value: (g) => kindsText(g.kinds), priority: 1 },
          ],
          rows: shown,
        },
        table,
      ),
    );
    const more = groups.length - shown.length;
    sections.push(
      `${failures.length.toLocaleString('en-US')} failed listing(s), one row per scope and error` +
        `${more > 0 ? `; ${more.toLocaleString('en-US')} more row(s) not shown` : ''}` +
        ' — every listing: --verbose, or the "errors" field of --json',
    );
  }
  printText(io, sections.join('\n\n'));
}

/** Rows of the grouped error table before it is cut (the rest is in --verbose and --json). */
const MAX_ERROR_GROUPS = 20;

export interface ErrorGroup {
  cloud: string;
  account: string;
  region: string;
  code: string;
  /** The first listing's message: the listings of a group fail the same way. */
  message: string;
  /** The kinds whose listing failed ('(scopes)' for the scope listing itself). */
  kinds: string[];
}

/** Failed listings grouped by scope and error code, the largest groups first. */
export function groupErrors(errors: readonly TaskError[]): ErrorGroup[] {
  const groups = new Map<string, ErrorGroup>();
  for (const error of errors) {
    const region = error.region ?? '';
    const key = `${error.cloud}|${error.account}|${region}|${error.code}`;
    let group = groups.get(key);
    if (!group) {
      group = { cloud: error.cloud, account: error.account, region, code: error.code, message: error.message, kinds: [] };
      groups.set(key, group);
    }
    group.kinds.push(error.kind ?? '(scopes)');
  }
  return [...groups.values()].sort(
    (a, b) => b.kinds.length - a.kinds.length || `${a.cloud}${a.account}${a.region}`.localeCompare(`${b.cloud}${b.account}${b.region}`),
  );
}

function kindsText(kinds: string[]): string {
  const shown = kinds.slice(0, 3).join(', ');
  return kinds.length > 3 ? `${shown} +${kinds.length - 3}` : shown;
}

function count(n: number, what: string): string {
  return `${n.toLocaleString('en-US')} ${what}${n === 1 ? '' : 's'}`;
}

/** How a scope's listings ended: "ok", "failed (10/10 listings)", "not finished (8 of 10 listings)"… */
export function scopeStatus(scope: ScopeSummary): string {
  const unfinished = scope.unfinishedTasks ?? 0;
  if (scope.status === 'ok') return 'ok';
  if (scope.status === 'failed') return `failed (${scope.failedTasks}/${scope.tasks} listings)`;
  if (scope.status === 'unfinished') return `not finished (${unfinished} of ${count(scope.tasks, 'listing')})`;
  return `partial (${scope.failedTasks} of ${count(scope.tasks, 'listing')} failed${unfinished ? `, ${unfinished} not finished` : ''})`;
}

/**
 * Why a snapshot is incomplete, in a phrase ("interrupted: 190 of 220 listings did not finish,
 * 3 failed"), or undefined when it is complete.
 */
export function incompleteness(
  snapshot: Pick<SnapshotMeta, 'complete' | 'interrupted' | 'timedOut' | 'errors' | 'stats'>,
): string | undefined {
  if (snapshot.complete) return undefined;
  const unfinished = snapshot.errors.filter(isUnfinished);
  const failures = snapshot.errors.filter((e) => !isUnfinished(e));
  const failedScopes = new Set(failures.map((e) => `${e.cloud}|${e.account}|${e.region ?? ''}`)).size;
  const tasks = snapshot.stats.tasks;
  const parts: string[] = [];
  const unfinishedTasks = unfinished.filter((e) => e.kind).length;
  if (unfinishedTasks > 0) parts.push(`${unfinishedTasks.toLocaleString('en-US')} of ${count(tasks, 'listing')} did not finish`);
  const unlisted = unfinished.filter((e) => !e.kind).map((e) => e.cloud);
  if (unlisted.length > 0) parts.push(`the accounts and regions of ${[...new Set(unlisted)].join(', ')} were not listed`);
  if (failures.length > 0) parts.push(`${count(failures.length, 'listing')} failed in ${count(failedScopes, 'scope')}`);
  const why = snapshot.interrupted ? 'interrupted' : snapshot.timedOut ? 'stopped by --timeout' : '';
  return [why, parts.join(', ')].filter(Boolean).join(': ') || 'incomplete';
}

/** "Discovered 1,234 resources in 5.2 s (aws 1,000, gcp 234)", and why the run is incomplete when it is. */
export function summaryLine(snapshot: SnapshotMeta): string {
  const byCloud = byName(snapshot.summary.byCloud);
  const clouds = byCloud.length > 0 ? ` (${byCloud.map(([c, n]) => `${c} ${n.toLocaleString('en-US')}`).join(', ')})` : '';
  const why = incompleteness(snapshot);
  return (
    `Discovered ${count(snapshot.summary.resources, 'resource')} in ${(snapshot.durationMs / 1000).toFixed(1)} s${clouds}` +
    (why ? ` — INCOMPLETE, ${why}` : '')
  );
}

/** Prints each page of resources as NDJSON lines as discovery delivers it (those `filter` matches), counting them. */
export function ndjsonStream(io: Io, filter?: ResourceFilter): { onResources(resources: Resource[]): void; printed(): number } {
  let printed = 0;
  return {
    onResources: (resources) => {
      const shown = filter ? resources.filter(filter.matches) : resources;
      printed += shown.length;
      if (shown.length > 0) io.stdout.write(ndjsonLines(io, shown));
    },
    printed: () => printed,
  };
}

/** `discover --list-kinds`: every kind Guardian discovers and its cloud. */
export function renderKinds(io: Io, format: OutputFormat, kinds: readonly string[]): void {
  const view: TableView<string> = {
    columns: [
      { header: 'Kind', value: (k) => k },
      { header: 'Cloud', value: (k) => k.split('.')[0] },
    ],
    rows: [...kinds],
  };
  renderView(io, format, view, () => toJson('guardian.kinds', { kinds }));
}

interface DiffRow {
  change: 'added' | 'removed' | 'changed' | 'not compared';
  resource: Resource;
  detail: string;
}

export function renderDiff(io: Io, format: OutputFormat, diff: InventoryDiff, files: { before: string; after: string }): void {
  const rows: DiffRow[] = [
    ...diff.added.map((resource) => ({ change: 'added' as const, resource, detail: '' })),
    ...diff.removed.map((resource) => ({ change: 'removed' as const, resource, detail: '' })),
    ...diff.changed.map(({ resource, changes }) => ({
      change: 'changed' as const,
      resource,
      detail: changes.map((c) => `${c.field}: ${JSON.stringify(c.before)} → ${JSON.stringify(c.after)}`).join('; '),
    })),
    ...diff.notCompared.map(({ resource, foundIn, reason }) => ({
      change: 'not compared' as const,
      resource,
      detail: `only in ${foundIn}; ${reason}`,
    })),
  ];
  const view: TableView<DiffRow> = {
    columns: [
      { header: 'change', value: (r) => r.change },
      { header: 'cloud', value: (r) => r.resource.cloud, priority: 3 },
      { header: 'account', value: (r) => r.resource.account, priority: 2 },
      { header: 'region', value: (r) => r.resource.region, priority: 2 },
      { header: 'kind', value: (r) => r.resource.kind, minWidth: 16 },
      { header: 'id', value: (r) => r.resource.id, priority: 1, minWidth: 12, overflow: 'truncate' },
      { header: 'name', value: (r) => r.resource.name, minWidth: 12 },
      { header: 'detail', value: (r) => r.detail, maxWidth: 100, minWidth: 20, overflow: 'truncate' },
    ],
    rows,
  };
  if (format === 'table') {
    printText(
      io,
      `${files.before} → ${files.after}: ${diff.added.length} added, ${diff.removed.length} removed, ${diff.changed.length} changed, ${diff.unchanged} unchanged` +
        (diff.notCompared.length > 0 ? `, ${diff.notCompared.length} not compared (a snapshot did not finish looking for them)` : ''),
    );
    const compared = rows.filter((r) => r.change !== 'not compared');
    const table = tableOptions(io);
    if (compared.length > 0)
      io.out(
        toTable(
          {
            columns: view.columns,
            rows: compared,
          },
          table,
        ),
      );
    if (diff.notCompared.length > 0) {
      // One row per reason: an interrupted snapshot leaves thousands of resources unknown, for a handful of reasons.
      const groups = new Map<string, { foundIn: string; reason: string; resources: number }>();
      for (const { foundIn, reason } of diff.notCompared) {
        const key = `${foundIn}|${reason}`;
        const group = groups.get(key) ?? { foundIn, reason, resources: 0 };
        group.resources += 1;
        groups.set(key, group);
      }
      const sorted = [...groups.values()].sort((a, b) => b.resources - a.resources || a.reason.localeCompare(b.reason));
      const shown = sorted.slice(0, MAX_ERROR_GROUPS);
      io.out(
        toTable(
          {
            columns: [
              { header: 'not compared', value: (g) => g.resources, align: 'right' },
              { header: 'found only in', value: (g) => g.foundIn },
              { header: 'why the other snapshot cannot tell', value: (g) => g.reason },
            ],
            rows: shown,
          },
          table,
        ),
      );
      if (sorted.length > shown.length)
        io.out(
          `${(sorted.length - shown.length).toLocaleString('en-US')} more reason(s) not shown; every resource: --json ("notCompared")`,
        );
    }
    return;
  }
  renderView(io, format, view, () =>
    toJson('guardian.diff', {
      before: files.before,
      after: files.after,
      counts: {
        added: diff.added.length,
        removed: diff.removed.length,
        changed: diff.changed.length,
        unchanged: diff.unchanged,
        notCompared: diff.notCompared.length,
      },
      added: diff.added,
      removed: diff.removed,
      changed: diff.changed,
      notCompared: diff.notCompared,
    }),
  );
}
