// Security: findings by severity, then by rule (most severe first); Enter drills into the
// selected rule's findings, one line per resource with the finding's own sentence.

import { escapeControls } from '../../render/escape.js';
import type { RuleCount } from '../estate.js';
import { blank, type Column, type Line, table, text } from '../lines.js';
import { SEVERITY_TINT, severityLine } from './overview.js';
import type { ViewInput, ViewOutput } from './view.js';

const COLUMNS: Column<RuleCount>[] = [
  { header: 'SEVERITY', value: (r) => r.severity, min: 4, tint: (r) => SEVERITY_TINT[r.severity] },
  { header: 'RULE', value: (r) => r.ruleId, min: 8 },
  { header: 'TITLE', value: (r) => r.title, priority: 1, min: 10, max: 70 },
  { header: 'FINDINGS', value: (r) => String(r.count), align: 'right', min: 4 },
];

export function security(input: ViewInput): ViewOutput {
  const { data, summary, ui, width, height } = input;
  const rules = summary.byRule;
  const head: Line[] = [text(`Findings ${data.findings.length.toLocaleString('en-US')}`, { bold: true }), severityLine(summary.bySeverity)];
  if (data.incomplete) head.push(text(`findings cover what was found: ${data.incomplete}`, { color: 'yellow' }));
  if (rules.length === 0) return { lines: [...head, blank, text('no findings', { dim: true })], listLength: 0 };
  const cursor = Math.min(ui.cursor.security, rules.length - 1);
  if (ui.detail) {
    const rule = rules[cursor];
    const findings = data.findings.filter((f) => f.ruleId === rule.ruleId);
    const lines: Line[] = [
      [
        { text: `${rule.severity} `, color: SEVERITY_TINT[rule.severity], bold: true },
        { text: `${rule.ruleId} ${rule.title}`, bold: true },
      ],
      text(`${findings.length} finding(s) · Esc back`, { dim: true }),
      blank,
    ];
    for (const f of findings.slice(0, Math.max(1, height - lines.length - 1)))
      lines.push(
        text(
          `${escapeControls(f.resource.name)} (${escapeControls(f.resource.id)})${f.status === 'unknown' ? ' [unverified]' : ''}: ${escapeControls(f.message)}`,
        ),
      );
    if (findings.length > height - 4)
      lines.push(text(`… ${findings.length - (height - 4)} more: guardian scan --rules ${rule.ruleId} --json`, { dim: true }));
    return { lines: lines.slice(0, height), listLength: rules.length };
  }
  const drawn = table(COLUMNS, rules, { width, height: height - head.length - 1, selected: cursor });
  return { lines: [...head, blank, ...drawn.lines], listLength: rules.length, dropped: drawn.dropped };
}
