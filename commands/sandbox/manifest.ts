// `guardian sandbox manifest`: the ground truth of an estate (counts, planted conditions,
// identities, true costs), as a table of counts or the whole manifest with --json.

import type { Command } from 'commander';
import type { SandboxManifest } from '../../src/sandbox/manifest.js';
import { type CommandContext, contextFor, type VerbDefinition } from '../context.js';
import { type EstateFlags, estateFlags, estateOptions } from './estate.js';

export const defineSandboxManifest: VerbDefinition = (sandbox, runtime) => {
  estateFlags(
    sandbox.command('manifest').description('print the ground truth of an estate: counts, planted conditions, identities, true costs'),
  ).action(async (flags: EstateFlags, command: Command) => runManifest(contextFor(command, runtime), flags));
};

async function runManifest(ctx: CommandContext, flags: EstateFlags): Promise<void> {
  const { resolveFormat, toJson, renderView } = await import('../../src/render/output.js');
  const format = resolveFormat(ctx.globals, ['table', 'json', 'csv', 'markdown']);
  const options = await estateOptions(flags);
  const { generateEstate } = await import('../../src/sandbox/estate/generate.js');
  const { buildManifest } = await import('../../src/sandbox/manifest.js');
  const manifest = buildManifest(generateEstate(options));
  renderView(ctx.io, format, manifestView(manifest), () => toJson('sandbox-manifest', manifest));
  if (format === 'table') {
    const planted = Object.values(manifest.planted).reduce((sum, ids) => sum + ids.length, 0);
    ctx.io.log.info(
      `seed ${manifest.seed}, ${manifest.counts.total} resources as of ${manifest.now.slice(0, 10)}; ${planted} planted conditions (--json for ids, costs and identities)`,
    );
  }
}

interface CountRow {
  cloud: string;
  account: string;
  name: string;
  kind: string;
  count: number;
}

function manifestView(manifest: SandboxManifest) {
  const rows: CountRow[] = [];
  for (const [account, counts] of Object.entries(manifest.counts.byAccount)) {
    for (const [kind, count] of Object.entries(counts.byKind))
      rows.push({ cloud: counts.cloud, account, name: counts.name, kind, count: count ?? 0 });
  }
  return {
    columns: [
      { header: 'Cloud', value: (r: CountRow) => r.cloud },
      { header: 'Account', value: (r: CountRow) => r.account },
      { header: 'Name', value: (r: CountRow) => r.name },
      { header: 'Kind', value: (r: CountRow) => r.kind },
      { header: 'Count', value: (r: CountRow) => r.count, align: 'right' as const },
    ],
    rows,
  };
}
