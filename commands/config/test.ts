// guardian config test: for each cloud of the profile, whether its credentials work and which
// credential or permission is missing. Exit 3 when any check fails.

import type { Command } from 'commander';
import { pinnedDemoDay } from '../../src/config/profile.js';
import type { CredentialCheckRow } from '../../src/discovery/credentials.js';
import { ConfigError } from '../../src/errors.js';
import { type CommandContext, contextFor, type VerbDefinition } from '../context.js';
import { parseClouds, parseDuration } from '../options.js';

const DEFAULT_TIMEOUT_MS = 60_000;

export const defineConfigTest: VerbDefinition = (config, runtime) => {
  config
    .command('test')
    .description("check the profile's credentials and permissions for each cloud (exit 3 when one fails)")
    .option('--provider <clouds...>', 'only these clouds (aws, azure, gcp)')
    .option('--timeout <duration>', 'a cloud that has not answered by then fails its check (default 60s)')
    .action(async (options: TestOptions, command: Command) => runConfigTest(contextFor(command, runtime), options));
};

interface TestOptions {
  provider?: string[];
  timeout?: string;
}

async function runConfigTest(ctx: CommandContext, options: TestOptions): Promise<void> {
  const { resolveFormat, renderView, toJson } = await import('../../src/render/output.js');
  const format = resolveFormat(ctx.globals, ['table', 'json', 'csv', 'markdown']);
  const clouds = parseClouds(options.provider);
  const timeoutMs = parseDuration('--timeout', options.timeout) ?? DEFAULT_TIMEOUT_MS;
  const { checkCredentials } = await import('../../src/discovery/credentials.js');
  const session = await ctx.openSession();
  const rows: CredentialCheckRow[] = [];
  try {
    // The demo's estate ends on its pinned day (GUARDIAN_DEMO_NOW): the probes ask about that day, as costs does.
    const demoDay = pinnedDemoDay(ctx.profile, ctx.env);
    const now = demoDay ? new Date(`${demoDay}T00:00:00Z`) : ctx.now();
    rows.push(...(await checkCredentials(session.profile, session.env, { clouds, signal: ctx.signal, timeoutMs, now })));
    if (rows.length === 0) throw new ConfigError(`profile '${session.profileName}' configures none of the requested clouds`);
  } finally {
    await session.close();
  }
  renderView(
    ctx.io,
    format,
    {
      columns: [
        { header: 'Cloud', value: (r) => r.cloud },
        { header: 'Check', value: (r) => r.subject, minWidth: 20 },
        { header: 'OK', value: (r) => (r.ok ? 'yes' : 'NO') },
        { header: 'Detail', value: (r) => r.message, minWidth: 30 },
      ],
      rows,
    },
    () => toJson('guardian.credential-checks', { profile: session.profileName, ok: rows.every((r) => r.ok), checks: rows }),
  );
  const failed = rows.filter((r) => !r.ok);
  if (failed.length > 0) {
    throw new ConfigError(
      `${failed.length} credential check(s) failed, first: ${failed[0].cloud} ${failed[0].subject}: ${failed[0].message}`,
    );
  }
}
