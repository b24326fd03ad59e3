// Prints a cost report or an estate estimate in the chosen format (render.ts builds the text), and
// the --verbose lines that say what the billing APIs were asked and what that cost.

import type { Cloud } from '../model/resource.js';
import type { OutputFormat } from '../render/format.js';
import type { Io } from '../render/io.js';
import { printDocument, printText, tableOptions } from '../render/output.js';
import type { EstimateOutcome } from './estimate.js';
import * as render from './render.js';
import type { CostsOutcome } from './run.js';

/** Cost Explorer's price per request (https://aws.amazon.com/aws-cost-management/pricing/). */
const COST_EXPLORER_REQUEST_USD = 0.01;

/**
 * The costs CSVs are written record by record rather than from one table view: --no-headers drops
 * the header record (and the command refuses --sort-by, which would mix totals and groupings).
 */
function csv(io: Io, text: string): string {
  return io.shape.headers ? text : text.slice(text.indexOf('\r\n') + 2);
}

export function printCostReport(io: Io, format: OutputFormat, { report, failures, stats }: CostsOutcome): void {
  if (format === 'json')
    printDocument(
      io,
      render.costReportJson(report, failures, stats as Record<string, { requests: number; paidRequests: number; cachedRequests: number }>),
    );
  else if (format === 'csv') io.stdout.write(csv(io, render.costReportCsv(report)));
  else if (format === 'markdown') io.out(render.costReportMarkdown(report));
  else printText(io, render.costReportTable(report, tableOptions(io)));
}

export function printEstimate(io: Io, format: OutputFormat, { estimate, source, complete }: EstimateOutcome, top: number): void {
  if (format === 'json') printDocument(io, render.estimateJson(estimate, source, complete));
  else if (format === 'csv') io.stdout.write(csv(io, render.estimateCsv(estimate)));
  else if (format === 'markdown') io.out(render.estimateMarkdown(estimate));
  else printText(io, render.estimateTable(estimate, { ...tableOptions(io), top }));
  if (estimate.unpriced.length > 0)
    io.log.info(
      `${estimate.unpriced.length} resource(s) could not be priced; they are listed${format === 'table' ? ' above' : ' in the output'}`,
    );
}

/** What each cloud's billing API was asked: Cost Explorer's paid requests and cache hits, the others' requests. */
export function readStatsLines(stats: CostsOutcome['stats']): string[] {
  const lines: string[] = [];
  const aws = stats.aws;
  if (aws) {
    lines.push(
      `Cost Explorer: ${aws.paidRequests} paid request(s) ($${(aws.paidRequests * COST_EXPLORER_REQUEST_USD).toFixed(2)}), ${aws.cachedRequests} answered from the cache`,
    );
  }
  for (const cloud of ['azure', 'gcp'] as const satisfies Cloud[])
    if (stats[cloud]) lines.push(`${cloud}: ${stats[cloud]?.requests} billing request(s)`);
  return lines;
}
