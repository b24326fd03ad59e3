// `guardian config init`: create or replace a profile from flags, asking on a terminal for what
// they leave open. src/config/init.ts decides and writes; this file declares the flags and renders.

import type { Command } from 'commander';
import { MAX_CONCURRENCY } from '../../src/config/keys.js';
import { type CommandContext, contextFor, type VerbDefinition } from '../context.js';
import { suggest } from '../options.js';
import { format, json, openProfile } from './verb.js';

/** Each flag and the key it fills. */
const INIT_FLAGS = [
  ['--aws-profiles <names>', 'awsProfiles', 'aws.profiles', 'AWS named profiles, comma-separated (default: credential chain)'],
  ['--aws-regions <regions>', 'awsRegions', 'aws.regions', 'AWS regions, comma-separated (default: all enabled)'],
  ['--aws-assume-role <role>', 'awsAssumeRole', 'aws.assumeRole', 'role to assume in each member account'],
  ['--aws-accounts <ids>', 'awsAccounts', 'aws.accounts', 'AWS account ids to restrict to'],
  ['--azure-tenant <id>', 'azureTenant', 'azure.tenantId', 'Entra tenant id'],
  ['--azure-subscriptions <ids>', 'azureSubscriptions', 'azure.subscriptions', 'subscription ids, comma-separated'],
  ['--azure-auth <method>', 'azureAuth', 'azure.auth', 'default, cli, client-secret or managed-identity'],
  ['--azure-client-id <id>', 'azureClientId', 'azure.clientId', 'application (client) id'],
  ['--gcp-projects <ids>', 'gcpProjects', 'gcp.projects', 'GCP project ids, comma-separated'],
  ['--gcp-key-file <path>', 'gcpKeyFile', 'gcp.keyFile', 'service-account key file (default: ADC)'],
  ['--gcp-billing-table <table>', 'gcpBillingTable', 'gcp.billingExportTable', 'billing export, project.dataset.table'],
  ['--concurrency <n>', 'concurrency', 'defaults.concurrency', `parallel cloud calls (1-${MAX_CONCURRENCY})`],
  ['--default-output <format>', 'defaultOutput', 'defaults.output', 'default output: table, json, csv or markdown'],
] as const;

type InitOptions = { force?: boolean } & Partial<Record<(typeof INIT_FLAGS)[number][1], string>>;

export const defineConfigInit: VerbDefinition = (config, runtime) => {
  const init = config
    .command('init')
    .description('create or replace a profile (asks on a terminal; flags only in CI, with --yes or without a TTY)')
    .option('-f, --force', 'replace the profile if it exists');
  for (const [flag, , , help] of INIT_FLAGS) init.option(flag, help);
  suggest(init.options.find((o) => o.long === '--azure-auth')!, ['default', 'cli', 'client-secret', 'managed-identity']);
  suggest(init.options.find((o) => o.long === '--default-output')!, ['table', 'json', 'csv', 'markdown']);
  init.action(async (options: InitOptions, command: Command) => runInit(contextFor(command, runtime), options));
};

async function runInit(ctx: CommandContext, options: InitOptions): Promise<void> {
  const { store, profile } = await openProfile(ctx);
  const output = await format(ctx);
  const values = INIT_FLAGS.flatMap(([, option, key]) => {
    const text = options[option];
    return text === undefined ? [] : [{ key, text }];
  });
  const { initProfile } = await import('../../src/config/init.js');
  const { existsSync } = await import('node:fs');
  const outcome = await initProfile(
    { store, dialogs: await ctx.dialogs(), log: ctx.io.log, fileExists: existsSync },
    { profile, values, force: options.force === true, cwd: ctx.cwd },
  );
  if (!outcome.written) {
    ctx.io.log.info('nothing changed');
    return;
  }
  if (output === 'json') {
    await json(ctx, 'config.init', { profile, current: outcome.current, path: store.path, settings: store.redacted(outcome.settings) });
    return;
  }
  ctx.io.log.info(`wrote profile '${profile}' to ${store.path}${outcome.madeCurrent ? ' (now the current profile)' : ''}`);
  const { formatValue } = await import('../../src/config/keys.js');
  for (const entry of store.entries(outcome.settings)) ctx.io.out(`${entry.key} = ${formatValue(entry.value)}`);
}
