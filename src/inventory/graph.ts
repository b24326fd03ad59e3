// The topology as Graphviz DOT or Mermaid: one node per resource that takes part in a relation,
// one edge per relation. A Mermaid graph over Mermaid's default limits would render nowhere, so it
// is grouped by kind instead, and the notice says how to get every resource.

import type { Resource } from '../model/resource.js';
import { escapeControls } from '../render/escape.js';

export type GraphFormat = 'dot' | 'mermaid';

/** Mermaid's defaults: diagrams over `maxTextSize` characters or `maxEdges` edges are refused (mermaid's config schema). */
export const MERMAID_MAX_TEXT = 50_000;
export const MERMAID_MAX_EDGES = 500;

interface Edge {
  from: Resource;
  to: Resource;
  label: string;
}

function edges(resources: Resource[]): { nodes: Resource[]; edges: Edge[] } {
  const byId = new Map(resources.map((r) => [`${r.cloud}|${r.account}|${r.id}`, r]));
  const used = new Set<Resource>();
  const list: Edge[] = [];
  for (const from of resources) {
    for (const relation of from.relations) {
      const to = byId.get(`${from.cloud}|${from.account}|${relation.target}`);
      if (!to) continue;
      list.push({ from, to, label: relation.type });
      used.add(from);
      used.add(to);
    }
  }
  return { nodes: resources.filter((r) => used.has(r)), edges: list };
}

/** A DOT string: backslashes and quotes escaped, line breaks as DOT's `\n` (a centred line break). */
const dotQuote = (text: string) =>
  `"${escapeControls(text, { newlines: true }).replaceAll('\\', '\\\\').replaceAll('"', '\\"').replaceAll('\n', '\\n')}"`;

/** Mermaid label text: one line, without the characters that end a label or start an entity. */
const mermaidText = (text: string) => escapeControls(text).replace(/["<>#|]/g, '_');

function dot(nodes: Resource[], list: Edge[]): string {
  const ids = new Map(nodes.map((node, index) => [node, `n${index}`]));
  const lines = ['digraph guardian {', '  rankdir=LR;', '  node [shape=box, fontsize=10];'];
  for (const node of nodes) lines.push(`  ${ids.get(node)} [label=${dotQuote(`${node.kind}\n${node.name}`)}];`);
  for (const edge of list) lines.push(`  ${ids.get(edge.from)} -> ${ids.get(edge.to)} [label=${dotQuote(edge.label)}];`);
  lines.push('}');
  return lines.join('\n');
}

function mermaid(nodes: Resource[], list: Edge[]): string {
  const ids = new Map(nodes.map((node, index) => [node, `n${index}`]));
  const lines = ['graph LR'];
  for (const node of nodes) lines.push(`  ${ids.get(node)}["${mermaidText(`${node.kind}: ${node.name}`)}"]`);
  for (const edge of list) lines.push(`  ${ids.get(edge.from)} -->|${mermaidText(edge.label)}| ${ids.get(edge.to)}`);
  return lines.join('\n');
}

/** One node per cloud and kind (with how many resources it stands for), one edge per kind → kind relation (with how many). */
function mermaidByKind(nodes: Resource[], list: Edge[]): { text: string; edges: number } {
  const groupOf = (r: Resource) => `${r.cloud}|${r.kind}`;
  const counts = new Map<string, { kind: string; count: number }>();
  for (const node of nodes) {
    const group = counts.get(groupOf(node)) ?? { kind: node.kind, count: 0 };
    group.count += 1;
    counts.set(groupOf(node), group);
  }
  const ids = new Map([...counts.keys()].sort().map((key, index) => [key, `k${index}`]));
  const relations = new Map<string, { from: string; to: string; label: string; count: number }>();
  for (const edge of list) {
    const key = `${groupOf(edge.from)}>${edge.label}>${groupOf(edge.to)}`;
    const relation = relations.get(key) ?? { from: groupOf(edge.from), to: groupOf(edge.to), label: edge.label, count: 0 };
    relation.count += 1;
    relations.set(key, relation);
  }
  const lines = ['graph LR'];
  for (const [key, id] of ids) {
    const { kind, count } = counts.get(key)!;
    lines.push(`  ${id}["${mermaidText(`${kind} × ${count.toLocaleString('en-US')}`)}"]`);
  }
  for (const r of relations.values())
    lines.push(`  ${ids.get(r.from)} -->|${mermaidText(`${r.label} × ${r.count.toLocaleString('en-US')}`)}| ${ids.get(r.to)}`);
  return { text: lines.join('\n'), edges: relations.size };
}

export interface Graph {
  text: string;
  /** Set when the graph printed is not one node per resource, saying why and how to get that. */
  notice?: string;
}

export function renderGraph(resources: Resource[], format: GraphFormat): Graph {
  const { nodes, edges: list } = edges(resources);
  if (format === 'dot') return { text: dot(nodes, list) };
  const whole = mermaid(nodes, list);
  if (list.length <= MERMAID_MAX_EDGES && whole.length <= MERMAID_MAX_TEXT) return { text: whole };
  const grouped = mermaidByKind(nodes, list);
  const over = [
    list.length > MERMAID_MAX_EDGES ? `${list.length.toLocaleString('en-US')} edges (limit ${MERMAID_MAX_EDGES})` : '',
    whole.length > MERMAID_MAX_TEXT
      ? `${whole.length.toLocaleString('en-US')} characters (limit ${MERMAID_MAX_TEXT.toLocaleString('en-US')})`
      : '',
  ]
    .filter(Boolean)
    .join(' and ');
  const how = '--graph dot prints every resource (Graphviz has no such limit); or narrow the graph with --provider, --region or --kind';
  let text = grouped.text;
  let shown = `grouped by kind (${grouped.edges} edges)`;
  if (grouped.edges > MERMAID_MAX_EDGES || text.length > MERMAID_MAX_TEXT) {
    // Even grouped it is too big: keep the first edges that fit and say so.
    const lines = text.split('\n');
    const nodeLines = lines.filter((line) => !line.includes('-->'));
    const edgeLines = lines.filter((line) => line.includes('-->')).slice(0, MERMAID_MAX_EDGES);
    while (edgeLines.length > 0 && [...nodeLines, ...edgeLines].join('\n').length > MERMAID_MAX_TEXT) edgeLines.pop();
    text = [...nodeLines, ...edgeLines].join('\n');
    shown = `grouped by kind and cut to ${edgeLines.length} of ${grouped.edges} edges`;
  }
  const notice = `the whole Mermaid graph has ${over}, over Mermaid's defaults, so it is ${shown}; ${how}`;
  // The comment goes after the diagram type, where every Mermaid version accepts it.
  return { text: text.replace(/^graph LR\n/, `graph LR\n  %% ${notice}\n`), notice };
}

export function toGraph(resources: Resource[], format: GraphFormat): string {
  return renderGraph(resources, format).text;
}
