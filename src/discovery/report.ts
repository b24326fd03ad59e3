// How a discovery snapshot and a snapshot diff look in each output format.

import type { InventoryDiff } from '../inventory/diff.js';
import { type GraphFormat, toGraph } from '../inventory/graph.js';
import type { Snapshot } from '../inventory/snapshot.js';
import type { Resource } from '../model/resource.js';
import type { Io } from '../render/io.js';
import { type OutputFormat, renderView, type TableView, toJson, toTable } from '../render/output.js';

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

function countBy<T>(items: T[], key: (item: T) => string): [string, number][] {
  const counts = new Map<string, number>();
  for (const item of items) counts.set(key(item), (counts.get(key(item)) ?? 0) + 1);
  return [...counts].sort((a, b) => a[0].localeCompare(b[0]));
}

export function renderDiscovery(
  io: Io,
  format: OutputFormat,
  snapshot: Snapshot,
  options: { graph?: GraphFormat; streamed: boolean },
): void {
  if (options.graph) {
    io.out(toGraph(snapshot.resources, options.graph));
    return;
  }
  if (options.streamed) {
    io.log.info(`${snapshot.resources.length.toLocaleString('en-US')} resources in ${(snapshot.durationMs / 1000).toFixed(1)} s`);
    return;
  }
  if (format !== 'table') {
    renderView(io, format, { columns: RESOURCE_VIEW_COLUMNS, rows: snapshot.resources }, () => {
      const { schemaVersion: _v, kind: _k, ...rest } = snapshot;
      return toJson('guardian.snapshot', rest);
    });
    return;
  }
  const color = io.color && io.stdoutIsTTY;
  const byCloud = countBy(snapshot.resources, (r) => r.cloud);
  const sections: string[] = [];
  sections.push(
    `Discovered ${snapshot.resources.length.toLocaleString('en-US')} resources in ${(snapshot.durationMs / 1000).toFixed(1)} s` +
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
      { color },
    ),
  );
  sections.push(
    toTable(
      {
        columns: [
          { header: 'Kind', value: (row: [string, number]) => row[0] },
          { header: 'Count', value: (row: [string, number]) => row[1], align: 'right' },
        ],
        rows: countBy(snapshot.resources, (r) => r.kind),
      },
      { color },
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
            { header: 'Error', value: (e) => `${e.code}: ${e.message}`.slice(0, 120) },
            { header: 'Attempts', value: (e) => e.attempts, align: 'right' },
          ],
          rows: snapshot.errors,
        },
        { color },
      ),
    );
  }
  io.out(sections.join('\n\n'));
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
      { header: 'cloud', value: (r) => r.resource.cloud },
      { header: 'account', value: (r) => r.resource.account },
      { header: 'region', value: (r) => r.resource.region },
      { header: 'kind', value: (r) => r.resource.kind },
      { header: 'id', value: (r) => r.resource.id },
      { header: 'name', value: (r) => r.resource.name },
      { header: 'detail', value: (r) => r.detail },
    ],
    rows,
  };
  if (format === 'table') {
    io.out(
      `${files.before} → ${files.after}: ${diff.added.length} added, ${diff.removed.length} removed, ${diff.changed.length} changed, ${diff.unchanged} unchanged`,
    );
    if (rows.length > 0)
      io.out(
        toTable(
          {
            ...view,
            columns: view.columns.map((c) => (c.header === 'detail' ? { ...c, value: (r: DiffRow) => r.detail.slice(0, 100) } : c)),
          },
          { color: io.color && io.stdoutIsTTY },
        ),
      );
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
