// `guardian scan --list-rules`: the rules of the catalog the selection flags choose, instead of a scan.

import { UsageError } from '../../src/errors.js';
import type { CommandContext } from '../context.js';
import type { ParsedScan } from './options.js';

export async function listRules(ctx: CommandContext, { format, selection }: ParsedScan): Promise<void> {
  const { loadCatalog } = await import('../../src/rules/catalog.js');
  const catalog = await loadCatalog();
  if (format === 'sarif' || format === 'junit')
    throw new UsageError(`--list-rules prints a catalog; --output ${format} is for scan results`);
  const { selectRules } = await import('../../src/rules/engine.js');
  const { renderRuleCatalog } = await import('../../src/scan/render.js');
  await renderRuleCatalog(ctx.io, format, selectRules(catalog, selection));
}
