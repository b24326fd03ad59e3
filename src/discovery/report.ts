// How a discovery snapshot and a snapshot diff look in each output format.

import { once } from 'node:events';
import type { Writable } from 'node:stream';
import type { InventoryDiff } from '../inventory/diff.js';
import { type GraphFormat, renderGraph } from '../inventory/graph.js';
import { readSnapshot, type SnapshotMeta } from '../inventory/snapshot.js';
import { snapshotResourceLines } from '../inventory/snapshot-writer.js';
import type { Resource } from '../model/resource.js';
import type { Io } from '../render/io.js';
import {
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

/**
 * Print the snapshot exactly as `toJson` would print it whole, reading the resources from the file
 * one line at a time so printing does not hold the estate either.
 */
export async function printSnapshotJson(io: Io, report: DiscoveryReport): Promise<void> {
  if (io.shape.query !== undefined || io.shape.yaml) {
    // A query or YAML needs the whole document at once, so this reads the estate into memory.
    const { schemaVersion: _v, kind: _k, ...whole } = await readSnapshot(report.file);
    printDocument(io, toJson('guardian.snapshot', whole));
    return;
  }
  const { schemaVersion: _v, kind: _k, ...rest } = report.snapshot;
  const whole = toJson('guardian.snapshot', { ...rest, resources: [] });
  const emptyTail = '[]\n}';
  if (report.snapshot.summary.resources === 0) {
    io.out(whole);
    return;
  }
  let chunk = `${whole.slice(0, -emptyTail.length)}[`;
  let first = true;
  for await (const line of snapshotResourceLines(report.file)) {
    // toJson's two-space indent, nested two levels deep (the snapshot, then its resources array).
    chunk += `${first ? '\n' : ',\n'}    ${JSON.stringify(JSON.parse(line), null, 2).replaceAll('\n', '\n    ')}`;
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
  options: { graph?: GraphFormat; streamed: boolean },
): Promise<void> {
  const { snapshot } = report;
  if (options.graph) {
    // A graph needs every resource at once (edges point anywhere), so it reads the file back.
    const graph = renderGraph((await readSnapshot(report.file)).resources, options.graph);
    io.out(graph.text);
    if (graph.notice) io.log.warn(graph.notice);
    return;
  }
  if (options.streamed) {
    io.log.info(`${snapshot.summary.resources.toLocaleString('en-US')} resources in ${(snapshot.durationMs / 1000).toFixed(1)} s`);
    return;
  }
  if (format === 'json') {
    await printSnapshotJson(io, report);
    return;
  }
  if (format !== 'table') {
    // CSV and Markdown list every resource in one table, so they read the finished file back.
    const { schemaVersion: _v, kind: _k, ...whole } = await readSnapshot(report.file);
    renderView(io, format, { columns: RESOURCE_VIEW_COLUMNS, rows: whole.resources }, () => toJson('guardian.snapshot', whole));
    return;
  }
  const table = tableOptions(io);
  const byCloud = byName(snapshot.summary.byCloud);
  const sections: string[] = [];
  sections.push(
    `Discovered ${snapshot.summary.resources.toLocaleString('en-US')} resources in ${(snapshot.durationMs / 1000).toFixed(1)} s` +
      ` (${byCloud.map(([c, n]) => `${c} ${n.toLocaleString('en-US')}`).join(', ')})${snapshot.complete ? '' : ' — INCOMPLETE'}`,
  );
  sections.push(
    toTable(
      {
        columns: [
          { header: 'Cloud', value: (s) => s.cloud },
          { header: 'Account', value: (s) => s.account },
          { header: 'Region', value: (s) => s.region },
          { header: 'Resources', value: (s) => s.resources, align: 'right' },
          { header: 'Status', value: (s) => (s.status === 'ok' ? 'ok' : `${s.status} (${s.failedTasks}/${s.tasks} listings failed)`) },
        ],
        rows: [...snapshot.scopes].sort((a, b) => `${a.cloud}${a.account}${a.region}`.localeCompare(`${b.cloud}${b.account}${b.region}`)),
      },
      table,
    ),
  );
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
  if (snapshot.errors.length > 0) {
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
          rows: snapshot.errors,
        },
        table,
      ),
    );
  }
  printText(io, sections.join('\n\n'));
}

interface DiffRow {
  change: 'added' | 'removed' | 'changed';
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
      `${files.before} → ${files.after}: ${diff.added.length} added, ${diff.removed.length} removed, ${diff.changed.length} changed, ${diff.unchanged} unchanged`,
    );
    if (rows.length > 0) io.out(toTable(view, tableOptions(io)));
    return;
  }
  renderView(io, format, view, () =>
    toJson('guardian.diff', {
      before: files.before,
      after: files.after,
      counts: { added: diff.added.length, removed: diff.removed.length, changed: diff.changed.length, unchanged: diff.unchanged },
      added: diff.added,
      removed: diff.removed,
      changed: diff.changed,
    }),
  );
}
