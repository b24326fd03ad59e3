// guardian config test: for each cloud of the profile, whether its credentials work and which
// credential or permission is missing. Exit 3 when any check fails.

import type { Command } from 'commander';
import { ConfigError } from '../src/errors.js';
import type { Cloud } from '../src/model/resource.js';
import { type CommandContext, contextFor, type Runtime } from './context.js';
import { parseClouds } from './options.js';

export interface CredentialCheckRow {
  cloud: Cloud;
  subject: string;
  ok: boolean;
  message: string;
}

export function defineConfigTest(config: Command, runtime: Runtime): void {
  config
    .command('test')
    .description("check the profile's credentials and permissions for each cloud (exit 3 when one fails)")
    .option('--provider <clouds...>', 'only these clouds (aws, azure, gcp)')
    .action(async (options: { provider?: string[] }, command: Command) => runConfigTest(contextFor(command, runtime), options));
}

async function runConfigTest(ctx: CommandContext, options: { provider?: string[] }): Promise<void> {
  const { resolveFormat, renderView, toJson } = await import('../src/render/output.js');
  const format = resolveFormat(ctx.globals, ['table', 'json', 'csv', 'markdown']);
  const clouds = parseClouds(options.provider);
  const { openSession } = await import('../src/discovery/session.js');
  const session = await openSession(ctx.globals.profile ?? ctx.env.GUARDIAN_PROFILE, ctx.env);
  const rows: CredentialCheckRow[] = [];
  try {
    const { profile, env } = session;
    const wanted = (cloud: Cloud) => Boolean(profile[cloud]) && (!clouds || clouds.includes(cloud));
    const signal = ctx.signal;
    const work: Promise<void>[] = [];
    if (wanted('aws') && profile.aws) {
      const settings = profile.aws;
      work.push(
        (async () => {
          const { checkAwsCredentials } = await import('../src/providers/aws/index.js');
          for (const check of await checkAwsCredentials(settings, env, { signal })) {
            rows.push({
              cloud: 'aws',
              subject: `profile ${check.profile}`,
              ok: check.ok && check.problem === undefined,
              message: check.problem ?? `account ${check.account} as ${check.arn}`,
            });
            for (const permission of check.checks) {
              rows.push({
                cloud: 'aws',
                subject: `${check.profile}: ${permission.action}`,
                ok: permission.ok,
                message: permission.ok ? 'allowed' : `${permission.code}: ${permission.message}`,
              });
            }
          }
        })(),
      );
    }
    if (wanted('azure') && profile.azure) {
      const settings = profile.azure;
      work.push(
        (async () => {
          const { checkAzureCredentials } = await import('../src/providers/azure/index.js');
          const report = await checkAzureCredentials(settings, env, { signal });
          for (const check of report.checks) {
            rows.push({
              cloud: 'azure',
              subject: check.subject,
              ok: check.ok,
              message: check.hint ? `${check.message} — ${check.hint}` : check.message,
            });
          }
        })(),
      );
    }
    if (wanted('gcp') && profile.gcp) {
      const settings = profile.gcp;
      work.push(
        (async () => {
          const { checkGcpCredentials } = await import('../src/providers/gcp/index.js');
          const report = await checkGcpCredentials(settings, env, { signal });
          for (const check of report.checks) rows.push({ cloud: 'gcp', subject: check.subject, ok: check.ok, message: check.message });
        })(),
      );
    }
    if (work.length === 0) throw new ConfigError(`profile '${session.profileName}' configures none of the requested clouds`);
    await Promise.all(work);
  } finally {
    await session.close();
  }
  rows.sort((a, b) => a.cloud.localeCompare(b.cloud));
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
