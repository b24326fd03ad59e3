// `guardian scan`'s output in each format: the report as a table, JSON, CSV, Markdown, SARIF (with
// GitHub's per-run limit said on stderr) or JUnit, and the rule catalog for --list-rules.

import type { Cloud } from '../model/resource.js';
import type { OutputFormat } from '../render/format.js';
import type { Io } from '../render/io.js';
import type { Rule } from '../rules/rule.js';
import type { ScanReport } from '../rules/scan.js';

export interface ScanMeta {
  /** Where the resources came from (ScanOutcome.source). */
  source: string;
  /** --category, for SARIF. */
  category?: string;
  plan: boolean;
  providers?: Cloud[];
}

export async function renderScan(io: Io, format: OutputFormat, report: ScanReport, meta: ScanMeta): Promise<void> {
  const view = await import('../rules/report.js');
  switch (format) {
    case 'json': {
      const { printDocument } = await import('../render/output.js');
      printDocument(io, view.toScanJson(report, { source: meta.source }));
      return;
    }
    case 'csv':
      io.stdout.write(view.toScanCsv(report, io.shape));
      return;
    case 'markdown':
      io.out(view.toScanMarkdown(report, { source: meta.source }));
      return;
    case 'sarif': {
      const { MAX_RESULTS_PER_RUN, toSarif } = await import('../rules/sarif.js');
      const { PACKAGE_VERSION } = await import('../build-info.js');
      const { sarifCategory } = await import('./run.js');
      const category = sarifCategory(meta.category, meta);
      if (report.findings.length > MAX_RESULTS_PER_RUN) {
        io.log.warn(
          `SARIF keeps the ${MAX_RESULTS_PER_RUN} most severe of ${report.findings.length} findings (GitHub code scanning's limit per run)`,
        );
      }
      io.out(JSON.stringify(toSarif(report, { toolVersion: PACKAGE_VERSION, category }), null, 2));
      return;
    }
    case 'junit': {
      const { toJunit } = await import('../rules/junit.js');
      const remediation = new Map(report.rules.map((rule) => [rule.id, rule.remediation]));
      io.out(toJunit(report, (id) => remediation.get(id) ?? ''));
      return;
    }
    default: {
      const { printText, tableOptions } = await import('../render/output.js');
      printText(io, view.toScanTable(report, tableOptions(io)));
      if (report.summary.unknown > 0) {
        io.log.info(
          `${report.summary.unknown} finding(s) are unverified: a value the rule needs was not known; they are findings, not passes.`,
        );
      }
    }
  }
}

/** `scan --list-rules`: the selected rules of the catalog. */
export async function renderRuleCatalog(io: Io, format: OutputFormat, rules: Rule[]): Promise<void> {
  const { ruleCatalogJson, ruleCatalogView } = await import('../rules/report.js');
  const { renderView } = await import('../render/output.js');
  renderView(io, format, ruleCatalogView(rules), () => ruleCatalogJson(rules));
}
