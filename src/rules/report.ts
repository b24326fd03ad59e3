// The human and machine views of a scan that are not SARIF or JUnit: a table grouped by severity
// with counts, JSON (with schemaVersion), CSV, and Markdown for a pull-request comment.

import { type Finding, SEVERITIES, severityRank } from '../model/finding.js';
import { type Column, fitText, type TableOptions, type TableView, toCsv, toJson, toMarkdown, toTable } from '../render/output.js';
import type { Rule } from './rule.js';
import { countsForFailOn, ruleMetadata, type ScanReport } from './scan.js';

/** The name alone: the finding's message carries the id, and ARM ids would drown the table. */
function resourceCell(f: Finding): string {
  return f.source?.address ?? (f.resource.name || f.resource.id);
}

/** The rule's remediation for each finding (a finding carries its rule id, the report the rules). */
export function remediationOf(report: Pick<ScanReport, 'rules'>): (ruleId: string) => string {
  const byId = new Map(report.rules.map((rule) => [rule.id, rule.remediation]));
  return (ruleId) => byId.get(ruleId) ?? '';
}

/** In a narrow terminal Where goes first, then the remediation; rule, resource and finding always stay. */
function findingColumns(report: ScanReport): Column<Finding>[] {
  const remediation = remediationOf(report);
  const columns: Column<Finding>[] = [
    { header: 'Rule', value: (f) => f.ruleId, minWidth: 11 },
    { header: 'Resource', value: resourceCell, minWidth: 18 },
    { header: 'Where', value: (f) => `${f.resource.cloud} ${f.resource.account} ${f.resource.region}`, priority: 3, minWidth: 14 },
    { header: 'Finding', value: (f) => (f.status === 'unknown' ? `[unverified] ${f.message}` : f.message), minWidth: 28 },
    { header: 'Remediation', value: (f) => remediation(f.ruleId), priority: 1, minWidth: 30 },
  ];
  return report.summary.new === undefined ? columns : [...columns, { header: 'Baseline', value: (f) => f.baseline, priority: 2 }];
}

export function summaryLine(report: ScanReport): string {
  const s = report.summary;
  const counts = SEVERITIES.filter((sev) => s.bySeverity[sev] > 0).map((sev) => `${s.bySeverity[sev]} ${sev}`);
  const parts = [
    `${s.findings} finding(s)${counts.length ? ` (${counts.join(', ')})` : ''}`,
    `${s.rules} rule(s) over ${s.resources} resource(s)`,
  ];
  if (s.unknown) parts.push(`${s.unknown} unverified`);
  if (s.new !== undefined) parts.push(`${s.new} new since the baseline`);
  if (s.suppressed) parts.push(`${s.suppressed} suppressed`);
  if (report.failOn) parts.push(`${s.failing} at or above --fail-on ${report.failOn}`);
  return parts.join('; ');
}

export function toScanTable(report: ScanReport, options: TableOptions): string {
  const blocks: string[] = [];
  const columns = findingColumns(report);
  for (const severity of SEVERITIES) {
    const rows = report.findings.filter((f) => f.severity === severity);
    if (rows.length === 0) continue;
    blocks.push(`${severity.toUpperCase()} (${rows.length})\n${toTable({ columns, rows }, options)}`);
  }
  if (blocks.length === 0) blocks.push('No findings.');
  blocks.push(fitText(summaryLine(report), options.width));
  return blocks.join('\n\n');
}

export function toScanCsv(report: ScanReport, options: Pick<TableOptions, 'sortBy' | 'headers'> = {}): string {
  const remediation = remediationOf(report);
  const columns: Column<Finding>[] = [
    { header: 'severity', value: (f) => f.severity, sortValue: (f) => severityRank(f.severity) },
    { header: 'status', value: (f) => f.status },
    { header: 'rule', value: (f) => f.ruleId },
    { header: 'title', value: (f) => f.title },
    { header: 'cloud', value: (f) => f.resource.cloud },
    { header: 'account', value: (f) => f.resource.account },
    { header: 'region', value: (f) => f.resource.region },
    { header: 'kind', value: (f) => f.resource.kind },
    { header: 'resource_id', value: (f) => f.resource.id },
    { header: 'resource_name', value: (f) => f.resource.name },
    { header: 'address', value: (f) => f.source?.address },
    { header: 'message', value: (f) => f.message },
    { header: 'baseline', value: (f) => f.baseline },
    { header: 'fingerprint', value: (f) => f.fingerprint },
    { header: 'remediation', value: (f) => remediation(f.ruleId) },
  ];
  return toCsv({ columns, rows: report.findings }, options);
}

export function toScanJson(report: ScanReport, meta: { source: string }): string {
  const remediation = remediationOf(report);
  return toJson('guardian.scan', {
    source: meta.source,
    failOn: report.failOn ?? null,
    summary: report.summary,
    findings: report.findings.map((finding) => ({ ...finding, remediation: remediation(finding.ruleId) })),
    suppressed: report.suppressed.map(({ finding, suppression }) => ({
      ...finding,
      remediation: remediation(finding.ruleId),
      suppression,
    })),
    expiredSuppressions: report.expiredSuppressions.map(({ suppression, wouldMatch }) => ({ ...suppression, wouldMatch })),
    rules: report.rules.map((rule) => ({ id: rule.id, title: rule.title, severity: rule.severity, remediation: rule.remediation })),
  });
}

const MARKDOWN_ROWS = 50;
const ICON: Record<string, string> = { critical: '🟥', high: '🟧', medium: '🟨', low: '🟦', info: '⬜' };

/** A pull-request comment: verdict, counts, the first findings, and remediation per rule in a details block. */
export function toScanMarkdown(report: ScanReport, meta: { source: string }): string {
  const s = report.summary;
  const failing = report.failOn ? report.findings.filter((f) => countsForFailOn(f, report.failOn, report.failOnUnverified)).length : 0;
  const verdict = report.failOn
    ? failing > 0
      ? `❌ **${failing} finding(s) at or above ${report.failOn}** fail this check.`
      : `✅ No finding at or above ${report.failOn}${s.unverifiedNotCounted ? ` (${s.unverifiedNotCounted} unverified one(s) not counted; --fail-on-unverified counts them)` : ''}.`
    : s.findings > 0
      ? `⚠️ ${s.findings} finding(s).`
      : '✅ No findings.';
  const lines = [
    `### Guardian scan`,
    '',
    verdict,
    '',
    `Scanned ${s.resources} resource(s) from \`${meta.source}\` with ${s.rules} rule(s).`,
    '',
  ];
  lines.push('| Severity | Findings |', '| --- | ---: |');
  for (const severity of SEVERITIES) lines.push(`| ${ICON[severity]} ${severity} | ${s.bySeverity[severity]} |`);
  const extras = [
    s.unknown ? `${s.unknown} unverified (a value was unknown)` : '',
    s.new !== undefined ? `${s.new} new since the baseline` : '',
    s.suppressed ? `${s.suppressed} suppressed` : '',
    report.expiredSuppressions.length ? `${report.expiredSuppressions.length} expired suppression(s) no longer apply` : '',
  ].filter(Boolean);
  if (extras.length) lines.push('', extras.join(' · '));
  if (report.findings.length > 0) {
    const view: TableView<Finding> = {
      // The remediation is given once per rule below the table, not on every row.
      columns: [{ header: 'Severity', value: (f) => f.severity }, ...findingColumns(report).filter((c) => c.header !== 'Remediation')],
      rows: report.findings.slice(0, MARKDOWN_ROWS),
    };
    lines.push('', toMarkdown(view));
    if (report.findings.length > MARKDOWN_ROWS)
      lines.push('', `…and ${report.findings.length - MARKDOWN_ROWS} more (see the SARIF or JSON output).`);
    const ruleIds = [...new Set(report.findings.map((f) => f.ruleId))];
    lines.push('', '<details><summary>How to fix</summary>', '');
    for (const rule of report.rules.filter((r) => ruleIds.includes(r.id))) {
      lines.push(`- **${rule.id}** ${rule.title}: ${rule.remediation.replaceAll('|', '\\|')}`);
    }
    lines.push('', '</details>');
  }
  return lines.join('\n');
}

/** In a narrow terminal the kinds go first, then the references; -o wide adds the remediation. */
export function ruleCatalogView(rules: Rule[]): TableView<Rule> {
  return {
    columns: [
      { header: 'Id', value: (r) => r.id, minWidth: 11 },
      { header: 'Severity', value: (r) => r.severity, minWidth: 8, sortValue: (r) => severityRank(r.severity) },
      { header: 'Title', value: (r) => r.title, minWidth: 30 },
      { header: 'Kinds', value: (r) => r.kinds.join(', '), priority: 2, minWidth: 16 },
      {
        header: 'References',
        priority: 1,
        minWidth: 16,
        value: (r) =>
          r.references
            .map((ref) => `${ref.framework.toUpperCase()} ${ref.framework.startsWith('cis-') ? `v${ref.version} ` : ''}${ref.control}`)
            .join(', '),
      },
      { header: 'Remediation', value: (r) => r.remediation, wide: true },
    ],
    rows: rules,
  };
}

export function ruleCatalogJson(rules: Rule[]): string {
  return toJson('guardian.rules', { rules: rules.map(ruleMetadata) });
}
