// The topology as Graphviz DOT or Mermaid: one node per resource that takes part in a relation,
// one edge per relation.

import type { Resource } from '../model/resource.js';

export type GraphFormat = 'dot' | 'mermaid';

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

const dotQuote = (text: string) => `"${text.replaceAll('\\', '\\\\').replaceAll('"', '\\"')}"`;

export function toGraph(resources: Resource[], format: GraphFormat): string {
  const { nodes, edges: list } = edges(resources);
  const ids = new Map(nodes.map((node, index) => [node, `n${index}`]));
  if (format === 'dot') {
    const lines = ['digraph guardian {', '  rankdir=LR;', '  node [shape=box, fontsize=10];'];
    for (const node of nodes) lines.push(`  ${ids.get(node)} [label=${dotQuote(`${node.kind}\\n${node.name}`)}];`);
    for (const edge of list) lines.push(`  ${ids.get(edge.from)} -> ${ids.get(edge.to)} [label=${dotQuote(edge.label)}];`);
    lines.push('}');
    return lines.join('\n');
  }
  const mermaidText = (text: string) => text.replace(/["<>#]/g, '_');
  const lines = ['graph LR'];
  for (const node of nodes) lines.push(`  ${ids.get(node)}["${mermaidText(`${node.kind}: ${node.name}`)}"]`);
  for (const edge of list) lines.push(`  ${ids.get(edge.from)} -->|${edge.label}| ${ids.get(edge.to)}`);
  return lines.join('\n');
}
