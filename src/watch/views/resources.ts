// Resources: the estate as a scrollable table (filtered with `/`), and for the selected row a
// detail pane: attributes, tags, relations, its findings and the equivalent `guardian … --json`.

import { escapeControls } from '../../render/escape.js';
import { filterRows, findingsCommand, type ResourceRow, resourceCommand } from '../estate.js';
import { blank, type Column, clip, type Line, table, text, wrapped } from '../lines.js';
import { SEVERITY_TINT } from './overview.js';
import type { ViewInput, ViewOutput } from './view.js';

const COLUMNS: Column<ResourceRow>[] = [
  { header: 'CLOUD', value: (r) => r.cloud, priority: 3, min: 5 },
  { header: 'KIND', value: (r) => r.kind, priority: 0, min: 10, max: 24 },
  { header: 'NAME', value: (r) => r.name, priority: 0, min: 10, max: 40 },
  { header: 'ID', value: (r) => r.id, priority: 4, min: 10, max: 40 },
  { header: 'ACCOUNT', value: (r) => r.account, priority: 5, min: 8, max: 24 },
  { header: 'REGION', value: (r) => r.region, priority: 2, min: 8, max: 18 },
  { header: 'STATE', value: (r) => r.state, priority: 1, min: 5, max: 14 },
  {
    header: 'FINDINGS',
    value: (r) => (r.findings ? String(r.findings) : ''),
    priority: 0,
    min: 4,
    align: 'right',
    tint: (r) => (r.worst ? SEVERITY_TINT[r.worst] : undefined),
  },
];

/** The rows the Resources view lists under the current filter (the reducer's list length). */
export function visibleRows(input: Pick<ViewInput, 'summary' | 'ui'>): ResourceRow[] {
  return filterRows(input.summary.rows, input.ui.filter);
}

function detail(row: ResourceRow, input: ViewInput): Line[] {
  const { resource } = row;
  const safe = (v: unknown) => escapeControls(typeof v === 'string' ? v : JSON.stringify(v));
  const lines: Line[] = [
    text(`${row.name}  (${row.kind})`, { bold: true }),
    text(
      `id ${row.id} · account ${row.account} · region ${row.region} · state ${row.state}${resource.createdAt ? ` · created ${safe(resource.createdAt)}` : ''}`,
    ),
    text('As JSON:', { bold: true }),
    ...wrapped(resourceCommand(resource, input.data.profile), input.width, { color: 'cyan' }, '  '),
    blank,
    text('Attributes', { bold: true }),
  ];
  const attributes = Object.entries(resource.attributes).filter(([, v]) => v !== undefined);
  if (attributes.length === 0) lines.push(text('  none reported', { dim: true }));
  for (const [key, value] of attributes) lines.push(text(`  ${clip(key, 22)} ${safe(value)}`));
  lines.push(text('Tags', { bold: true }));
  const tags = Object.entries(resource.tags);
  if (tags.length === 0) lines.push(text('  none', { dim: true }));
  for (const [key, value] of tags) lines.push(text(`  ${safe(key)} = ${safe(value)}`));
  lines.push(text('Relations', { bold: true }));
  if (resource.relations.length === 0) lines.push(text('  none', { dim: true }));
  for (const relation of resource.relations) lines.push(text(`  ${safe(relation.type)} → ${safe(relation.target)}`));
  const findings = input.summary.findingsOf.get(row.key) ?? [];
  lines.push(text(`Findings ${findings.length}`, { bold: true }));
  for (const f of findings) {
    const [first, ...rest] = wrapped(`${f.ruleId}  ${escapeControls(f.message)}`, input.width - 11);
    lines.push(
      [{ text: `  ${f.severity.padEnd(8)} `, color: SEVERITY_TINT[f.severity] }, ...first],
      ...rest.map((l) => [{ text: ' '.repeat(11) }, ...l]),
    );
  }
  lines.push(
    blank,
    text('As JSON:', { bold: true }),
    ...wrapped(resourceCommand(resource, input.data.profile), input.width, { color: 'cyan' }, '  '),
  );
  if (findings.length > 0) lines.push(...wrapped(findingsCommand(resource, input.data.profile), input.width, { color: 'cyan' }, '  '));
  return lines;
}

export function resources(input: ViewInput): ViewOutput {
  const rows = visibleRows(input);
  const cursor = Math.min(input.ui.cursor.resources, Math.max(0, rows.length - 1));
  const filterLine: Line = input.ui.editingFilter
    ? text(`/${input.ui.filter}▏ (Enter keeps it, Esc clears)`, { color: 'cyan' })
    : input.ui.filter
      ? text(
          `filter: ${input.ui.filter} · ${rows.length.toLocaleString('en-US')} of ${input.summary.rows.length.toLocaleString('en-US')} (Esc clears)`,
          { color: 'cyan' },
        )
      : text(`${rows.length.toLocaleString('en-US')} resources · / to filter · Enter for detail`, { dim: true });
  if (input.ui.detail && rows[cursor]) return { lines: detail(rows[cursor], input).slice(0, input.height), listLength: rows.length };
  if (rows.length === 0)
    return {
      lines: [filterLine, text(input.ui.filter ? 'no resource matches the filter' : 'no resources found', { dim: true })],
      listLength: 0,
    };
  const { lines, dropped } = table(COLUMNS, rows, { width: input.width, height: input.height - 1, selected: cursor });
  return { lines: [filterLine, ...lines], listLength: rows.length, dropped };
}
