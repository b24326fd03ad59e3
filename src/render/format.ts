// Which output format a command prints, from the global flags, and whether the output-shaping
// flags (--query, --sort-by, --no-headers) make sense with it. Light on purpose: command files
// import it at start-up, so it loads nothing but the JMESPath parser, and that only for --query.

import { createRequire } from 'node:module';
import { UsageError } from '../errors.js';

export const BASE_FORMATS = ['table', 'json', 'csv', 'markdown'] as const;
export type OutputFormat = 'table' | 'json' | 'csv' | 'markdown' | 'ndjson' | 'sarif' | 'junit';
/** What `--output` accepts: the formats, plus `wide` (a table with every column, nothing cut) and `yaml` (the JSON document as YAML). */
export const OUTPUT_CHOICES = ['table', 'wide', 'json', 'yaml', 'csv', 'markdown', 'ndjson', 'sarif', 'junit'] as const;

/** The global flags that decide the format and its shaping. */
export interface OutputFlags {
  output?: string;
  json?: boolean;
  query?: string;
  sortBy?: string;
  /** false with --no-headers. */
  headers?: boolean;
}

type Jmespath = typeof import('@jmespath-community/jmespath');
let jmespath: Jmespath | undefined;
export function loadJmespath(): Jmespath {
  jmespath ??= createRequire(import.meta.url)('@jmespath-community/jmespath') as Jmespath;
  return jmespath;
}

/** Parse a --query expression now, so a typo is exit 2 before any work rather than after it. */
export function checkQuery(expression: string): void {
  if (expression.trim() === '') throw new UsageError('--query needs a JMESPath expression, for example --query "findings[].ruleId"');
  try {
    loadJmespath().compile(expression);
  } catch (error) {
    throw new UsageError(`--query: ${oneLineMessage(error)} in ${JSON.stringify(expression)}`, {
      hint: 'see https://jmespath.org/tutorial.html',
    });
  }
}

export function oneLineMessage(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return text.split('\n')[0].replace(/\.$/, '');
}

/** Pick the output format from the global flags, checked against what the command supports. */
export function resolveFormat(options: OutputFlags, supported: readonly OutputFormat[], fallback: OutputFormat = 'table'): OutputFormat {
  const requested = options.json ? 'json' : (options.output ?? fallback);
  // wide is a table and yaml is the JSON document, so each is offered wherever its base format is.
  const base = requested === 'wide' ? 'table' : requested === 'yaml' ? 'json' : requested;
  const offered = [...supported];
  if (supported.includes('table')) offered.splice(offered.indexOf('table') + 1, 0, 'wide' as OutputFormat);
  if (supported.includes('json')) offered.splice(offered.indexOf('json') + 1, 0, 'yaml' as OutputFormat);
  if (!(supported as readonly string[]).includes(base)) {
    throw new UsageError(`--output ${requested} is not supported here (choose ${offered.join(', ')})`);
  }
  const format = base as OutputFormat;
  if (options.query !== undefined) {
    if (format !== 'json' && format !== 'ndjson')
      throw new UsageError(`--query filters JSON; it cannot shape --output ${requested} (add --json or -o yaml)`);
    checkQuery(options.query);
  }
  const tabular = format === 'table' || format === 'csv';
  if (options.sortBy !== undefined && !tabular)
    throw new UsageError(
      `--sort-by orders table and CSV rows, not --output ${requested}${format === 'json' ? " (sort JSON with --query, e.g. 'sort_by(items, &name)')" : ''}`,
    );
  if (options.sortBy !== undefined && options.sortBy.replace(/^-/, '').trim() === '')
    throw new UsageError('--sort-by needs a column name, for example --sort-by name (or --sort-by=-name to reverse)');
  if (options.headers === false && !tabular) throw new UsageError(`--no-headers is for table and CSV output, not --output ${requested}`);
  return format;
}
