// guardian config policy aws|azure|gcp: the least-privilege document Guardian needs in one cloud,
// built from the permissions its specs and faces declare — an IAM policy (AWS), a custom role
// definition (Azure) or a custom role YAML for `gcloud iam roles create --file` (GCP).

import type { Command } from 'commander';
import { UsageError } from '../../src/errors.js';
import { CLOUDS, type Cloud } from '../../src/model/resource.js';
import { type CommandContext, contextFor, type Runtime } from '../context.js';
import { listValues, parseKinds, suggest } from '../options.js';

const FACES = ['costs', 'metrics', 'changes'] as const;
/** Read-only by default: the changes face (optimize --apply's write calls) only when named. */
const DEFAULT_FACES = ['costs', 'metrics'] as const;

export function defineConfigPolicy(config: Command, runtime: Runtime): void {
  const policy = config
    .command('policy')
    .description('print the least-privilege IAM policy (aws), custom role (azure) or custom role YAML (gcp) Guardian needs')
    .argument('<cloud>', CLOUDS.join(', '))
    .option('--kind <kinds...>', 'only the permissions of these kinds (e.g. aws.ec2.instance, or aws.ec2 for all EC2 kinds)')
    .option(
      '--with <faces...>',
      `and of these faces: ${FACES.join(', ')} or none (default: ${DEFAULT_FACES.join(', ')}; changes is optimize --apply's write calls)`,
    )
    .action(async (cloud: string, options: PolicyOptions, command: Command) =>
      runConfigPolicy(contextFor(command, runtime), cloud, options),
    );
  suggest(policy.registeredArguments[0], CLOUDS);
  suggest(policy.options.find((option) => option.long === '--with')!, [...FACES, 'none']);
}

interface PolicyOptions {
  kind?: string[];
  with?: string[];
}

function parseFaces(values: string[] | undefined): (typeof FACES)[number][] {
  const list = listValues(values);
  if (!list) return [...DEFAULT_FACES];
  if (list.length === 1 && list[0] === 'none') return [];
  for (const face of list) {
    if (!(FACES as readonly string[]).includes(face))
      throw new UsageError(`--with: unknown face '${face}' (choose ${FACES.join(', ')}, or none)`);
  }
  return list as (typeof FACES)[number][];
}

async function runConfigPolicy(ctx: CommandContext, cloudArg: string, options: PolicyOptions): Promise<void> {
  const cloud = cloudArg.toLowerCase();
  if (!(CLOUDS as readonly string[]).includes(cloud)) throw new UsageError(`unknown cloud '${cloudArg}' (choose ${CLOUDS.join(', ')})`);
  const kinds = parseKinds(options.kind);
  const faces = parseFaces(options.with);
  const { resolveFormat, printDocument } = await import('../../src/render/output.js');
  resolveFormat(ctx.globals, ['json'], 'json');
  const { buildPolicy, policyProfile } = await import('../../src/discovery/policy.js');
  const { profile } = await policyProfile(ctx.profile, ctx);
  const { document, notes } = await buildPolicy(cloud as Cloud, profile, ctx.env, { kinds, faces });
  for (const note of notes) ctx.io.log.warn(note);
  // GCP's custom role is YAML as gcloud reads it; --json (or --query) gives the same role as JSON.
  if (cloud === 'gcp' && !ctx.globals.json && ctx.globals.output === undefined && ctx.globals.query === undefined) {
    const { stringify } = await import('yaml');
    ctx.io.out(stringify(document, { lineWidth: 0 }));
    return;
  }
  printDocument(ctx.io, JSON.stringify(document, null, 2));
}
