// `guardian config`: profiles and settings. Declares the subcommands and their flags; the store
// (src/config/store.ts) does the validation and the writing, and this file renders what it returns.

import type { Command } from 'commander';
import { CONFIG_KEYS, MAX_CONCURRENCY } from '../../src/config/keys.js';
import type { ConfigStore } from '../../src/config/store.js';
import { CheckFailed, UsageError } from '../../src/errors.js';
import type { OutputFormat } from '../../src/render/output.js';
import { type CommandContext, type CommandDefinition, contextFor, type Runtime, requestedProfile } from '../context.js';
import { PROFILE_NAMES, suggest } from '../options.js';
import { defineConfigPolicy } from './policy.js';
import { defineConfigTest } from './test.js';

const CONFIG_KEY_NAMES = CONFIG_KEYS.map((k) => k.key);

/** `config init` flags and the key each one fills. */
const INIT_FLAGS = [
  {
    flag: '--aws-profiles <names>',
    option: 'awsProfiles',
    key: 'aws.profiles',
    help: 'AWS named profiles, comma-separated (default: credential chain)',
  },
  {
    flag: '--aws-regions <regions>',
    option: 'awsRegions',
    key: 'aws.regions',
    help: 'AWS regions, comma-separated (default: all enabled)',
  },
  { flag: '--aws-assume-role <role>', option: 'awsAssumeRole', key: 'aws.assumeRole', help: 'role to assume in each member account' },
  { flag: '--aws-accounts <ids>', option: 'awsAccounts', key: 'aws.accounts', help: 'AWS account ids to restrict to' },
  { flag: '--azure-tenant <id>', option: 'azureTenant', key: 'azure.tenantId', help: 'Entra tenant id' },
  {
    flag: '--azure-subscriptions <ids>',
    option: 'azureSubscriptions',
    key: 'azure.subscriptions',
    help: 'subscription ids, comma-separated',
  },
  { flag: '--azure-auth <method>', option: 'azureAuth', key: 'azure.auth', help: 'default, cli, client-secret or managed-identity' },
  { flag: '--azure-client-id <id>', option: 'azureClientId', key: 'azure.clientId', help: 'application (client) id' },
  { flag: '--gcp-projects <ids>', option: 'gcpProjects', key: 'gcp.projects', help: 'GCP project ids, comma-separated' },
  { flag: '--gcp-key-file <path>', option: 'gcpKeyFile', key: 'gcp.keyFile', help: 'service-account key file (default: ADC)' },
  {
    flag: '--gcp-billing-table <table>',
    option: 'gcpBillingTable',
    key: 'gcp.billingExportTable',
    help: 'billing export, project.dataset.table',
  },
  { flag: '--concurrency <n>', option: 'concurrency', key: 'defaults.concurrency', help: `parallel cloud calls (1-${MAX_CONCURRENCY})` },
  {
    flag: '--default-output <format>',
    option: 'defaultOutput',
    key: 'defaults.output',
    help: 'default output: table, json, csv or markdown',
  },
] as const;

type InitOptions = { force?: boolean } & Partial<Record<(typeof INIT_FLAGS)[number]['option'], string>>;

async function openStore(ctx: CommandContext): Promise<{ store: ConfigStore; profile: string }> {
  const { openConfigStore } = await import('../../src/config/store.js');
  const store = await openConfigStore(ctx.env);
  return { store, profile: store.resolveProfileName(requestedProfile(ctx)) };
}

async function format(ctx: CommandContext, supported: readonly OutputFormat[] = ['table', 'json']): Promise<OutputFormat> {
  const { resolveFormat } = await import('../../src/render/output.js');
  return resolveFormat(ctx.globals, supported);
}

async function json(ctx: CommandContext, kind: string, data: object): Promise<void> {
  const { printDocument, toJson } = await import('../../src/render/output.js');
  printDocument(ctx.io, toJson(kind, data));
}

async function readSecretFromStdin(ctx: CommandContext): Promise<string> {
  if (ctx.io.stdin.isTTY)
    throw new UsageError('\'-\' reads the value from stdin; pipe it in (e.g. printf %s "$SECRET" | guardian config set …)');
  const chunks: Buffer[] = [];
  for await (const chunk of ctx.io.stdin) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk)));
  return Buffer.concat(chunks)
    .toString('utf8')
    .replace(/\r?\n$/, '');
}

async function runList(ctx: CommandContext, options: { showSecrets?: boolean }): Promise<void> {
  const { store, profile } = await openStore(ctx);
  const settings = store.requireProfile(profile);
  const output = await format(ctx, ['table', 'json', 'csv', 'markdown']);
  if (output === 'json') {
    await json(ctx, 'config', {
      profile,
      builtIn: store.isBuiltIn(profile),
      path: store.path,
      settings: options.showSecrets ? settings : store.redacted(settings),
    });
    return;
  }
  const { formatValue } = await import('../../src/config/keys.js');
  const entries: { key: string; value: unknown }[] = store.entries(settings, { showSecrets: options.showSecrets });
  // Suppressions are structured records, not a dotted key: count them here, --json shows them whole.
  if (settings.suppressions?.length) entries.push({ key: 'suppressions', value: `${settings.suppressions.length} (see --json)` });
  if (entries.length === 0 && output === 'table') {
    ctx.io.log.info(
      store.isBuiltIn(profile)
        ? `'${profile}' is the built-in sandbox profile; it has no stored settings`
        : `profile '${profile}' has no settings: Guardian uses each cloud's own credential chain (set some with guardian config init or config set)`,
    );
    return;
  }
  const { renderView } = await import('../../src/render/output.js');
  renderView(
    ctx.io,
    output,
    {
      columns: [
        { header: 'KEY', value: (e) => e.key },
        { header: 'VALUE', value: (e) => formatValue(e.value) },
      ],
      rows: entries,
    },
    () => '',
  );
}

async function runGet(ctx: CommandContext, key: string, options: { showSecrets?: boolean }): Promise<void> {
  const { store, profile } = await openStore(ctx);
  const { lookupKey, formatValue } = await import('../../src/config/keys.js');
  const spec = lookupKey(key);
  store.requireProfile(profile);
  const stored = store.getValue(profile, key);
  const { REDACTED } = await import('../../src/config/redact.js');
  const value = spec.secret && stored !== undefined && !options.showSecrets ? REDACTED : stored;
  if ((await format(ctx)) === 'json') await json(ctx, 'config.value', { profile, key, value: value ?? null });
  else if (value !== undefined) ctx.io.out(formatValue(value));
  // Like `git config KEY`: an unset key is exit 1, so a script can tell it from an empty answer.
  if (value === undefined) throw new CheckFailed(`${key} is not set in profile '${profile}'`);
}

async function runSet(ctx: CommandContext, key: string, text: string, options: { secret?: boolean }): Promise<void> {
  const { store, profile } = await openStore(ctx);
  const output = await format(ctx);
  const { lookupKey, formatValue } = await import('../../src/config/keys.js');
  const spec = lookupKey(key);
  const fromStdin = text === '-' && spec.secret && options.secret;
  const input = fromStdin ? await readSecretFromStdin(ctx) : text;
  const value = await store.setValue(profile, key, input, { secret: options.secret, cwd: process.cwd() });
  if (spec.secret && !fromStdin) {
    ctx.io.log.warn(
      `a secret given as an argument stays in your shell history and is visible to other users in the process list; next time pipe it in: printenv VAR | guardian config set ${key} - --secret`,
    );
  }
  const { REDACTED } = await import('../../src/config/redact.js');
  const shown = spec.secret ? REDACTED : value;
  if (output === 'json') await json(ctx, 'config.set', { profile, key, value: shown, path: store.path });
  else ctx.io.log.info(`${key} = ${formatValue(shown)} (profile '${profile}', ${store.path})`);
}

async function runUnset(ctx: CommandContext, key: string): Promise<void> {
  const { store, profile } = await openStore(ctx);
  const output = await format(ctx);
  store.requireProfile(profile);
  const removed = await store.unsetValue(profile, key);
  if (output === 'json') await json(ctx, 'config.unset', { profile, key, removed });
  else ctx.io.log.info(removed ? `unset ${key} (profile '${profile}')` : `${key} was not set in profile '${profile}'`);
}

async function runProfiles(ctx: CommandContext): Promise<void> {
  const { store } = await openStore(ctx);
  const output = await format(ctx, ['table', 'json', 'csv', 'markdown']);
  const profiles = store.listProfiles();
  const active = store.resolveProfileName(requestedProfile(ctx));
  if (output === 'json') {
    await json(ctx, 'config.profiles', { current: store.currentProfile ?? null, active, profiles });
    return;
  }
  const { renderView } = await import('../../src/render/output.js');
  renderView(
    ctx.io,
    output,
    {
      columns: [
        { header: 'CURRENT', value: (p) => (p.current ? '*' : '') },
        { header: 'NAME', value: (p) => p.name },
        { header: 'CLOUDS', value: (p) => (p.clouds.length ? p.clouds.join(',') : '(credential chains)') },
        { header: 'TYPE', value: (p) => (p.builtIn ? 'built-in sandbox' : 'stored') },
      ],
      rows: profiles,
    },
    () => '',
  );
}

async function runUse(ctx: CommandContext, name: string): Promise<void> {
  const { openConfigStore } = await import('../../src/config/store.js');
  const store = await openConfigStore(ctx.env);
  const output = await format(ctx);
  await store.useProfile(name);
  if (output === 'json') await json(ctx, 'config.use', { current: name, path: store.path });
  else ctx.io.log.info(`now using profile '${name}'`);
  if (ctx.env.GUARDIAN_PROFILE && ctx.env.GUARDIAN_PROFILE !== name) {
    ctx.io.log.warn(`GUARDIAN_PROFILE=${ctx.env.GUARDIAN_PROFILE} is set and still takes precedence in this shell`);
  }
}

async function runDelete(ctx: CommandContext, name: string): Promise<void> {
  const { openConfigStore } = await import('../../src/config/store.js');
  const store = await openConfigStore(ctx.env);
  const output = await format(ctx);
  if (!store.isBuiltIn(name)) store.requireProfile(name);
  if (!store.isBuiltIn(name)) {
    const { createDialogs } = await import('../../src/dialogs.js');
    const sure = await createDialogs(ctx.io, ctx.signal).confirm(`Delete profile '${name}' from ${store.path}?`, {
      default: false,
      fallback: ctx.io.yes ? true : undefined,
      flag: '--yes',
    });
    if (!sure) {
      ctx.io.log.info('nothing deleted');
      return;
    }
  }
  await store.deleteProfile(name);
  if (output === 'json') await json(ctx, 'config.delete', { profile: name, path: store.path });
  else ctx.io.log.info(`deleted profile '${name}'`);
}

async function runPath(ctx: CommandContext): Promise<void> {
  const { configFilePath } = await import('../../src/config/store.js');
  const { existsSync } = await import('node:fs');
  const path = configFilePath(ctx.env);
  if ((await format(ctx)) === 'json') await json(ctx, 'config.path', { path, exists: existsSync(path) });
  else ctx.io.out(path);
}

async function runInit(ctx: CommandContext, options: InitOptions): Promise<void> {
  const { store, profile } = await openStore(ctx);
  const output = await format(ctx);
  const { lookupKey, parseValue } = await import('../../src/config/keys.js');
  const { createDialogs } = await import('../../src/dialogs.js');
  const dialogs = createDialogs(ctx.io, ctx.signal);
  const settings: Record<string, Record<string, unknown>> = {};
  const put = (key: string, value: unknown) => {
    const [section, name] = key.split('.');
    settings[section] ??= {};
    settings[section][name] = value;
  };
  for (const { option, key } of INIT_FLAGS) {
    const text = options[option];
    if (text !== undefined) put(key, parseValue(lookupKey(key), text, process.cwd()));
  }

  const exists = store.getProfile(profile) !== undefined;
  if (store.isBuiltIn(profile)) store.assertWritableProfile(profile);
  let replace = options.force === true;
  if (exists && !replace && dialogs.interactive) {
    replace = await dialogs.confirm(`Profile '${profile}' exists. Replace it?`, { default: false });
    if (!replace) {
      ctx.io.log.info('nothing changed');
      return;
    }
  }
  if (exists && !replace) throw new UsageError(`profile '${profile}' already exists; pass --force to replace it`);

  if (dialogs.interactive) {
    const { askProfileSettings } = await import('../../src/config/wizard.js');
    await askProfileSettings(dialogs, (line) => ctx.io.log.info(line), profile, settings);
  }

  const keyFile = settings.gcp?.keyFile;
  if (typeof keyFile === 'string') {
    const { existsSync } = await import('node:fs');
    if (!existsSync(keyFile)) ctx.io.log.warn(`gcp.keyFile ${keyFile} does not exist yet`);
  }
  const makeCurrent = store.currentProfile === undefined;
  await store.putProfile(profile, settings, { replace, makeCurrent });
  if (output === 'json') {
    await json(ctx, 'config.init', {
      profile,
      current: makeCurrent || store.currentProfile === profile,
      path: store.path,
      settings: store.redacted(settings),
    });
    return;
  }
  ctx.io.log.info(`wrote profile '${profile}' to ${store.path}${makeCurrent ? ' (now the current profile)' : ''}`);
  const { formatValue } = await import('../../src/config/keys.js');
  for (const entry of store.entries(settings)) ctx.io.out(`${entry.key} = ${formatValue(entry.value)}`);
}

/** Every key, what it holds and what it accepts, for `config set --help`. */
function keysHelp(): string {
  const width = Math.max(...CONFIG_KEYS.map((k) => k.key.length)) + 2;
  const accepts = (k: (typeof CONFIG_KEYS)[number]) => {
    if (k.choices) return ` (${k.choices.join(', ')})`;
    if (k.type === 'integer') return ` (${k.minimum}-${k.maximum})`;
    if (k.type === 'list') return ' (comma-separated)';
    return '';
  };
  return `
Keys:
${CONFIG_KEYS.map((k) => `  ${k.key.padEnd(width)}${k.description}${accepts(k)}${k.secret ? ' [secret: --secret]' : ''}`).join('\n')}

Examples:
  guardian config set aws.regions eu-west-1,us-east-1
  guardian --profile prod config set azure.subscriptions 00000000-0000-0000-0000-000000000000
  printenv CLIENT_SECRET | guardian config set azure.clientSecret - --secret`;
}

export const defineConfig: CommandDefinition = (program: Command, runtime: Runtime) => {
  const config = program
    .command('config')
    .description('manage profiles, cloud settings and stored credentials')
    .addHelpText(
      'after',
      `
Keys: ${CONFIG_KEY_NAMES.join(', ')} (guardian config set --help says what each holds)
Lists are comma-separated. The store lives in $GUARDIAN_CONFIG_DIR or the per-user config directory
(see: guardian config path). The built-in 'demo' profile runs against the local sandbox.

Examples:
  guardian config init                                   # asks on a terminal
  guardian config init --profile prod --aws-profiles prod-admin --aws-regions eu-west-1,us-east-1 --yes
  guardian config set aws.regions eu-west-1,eu-central-1
  guardian config get aws.regions                        # exit 1 when it is not set
  printenv CLIENT_SECRET | guardian config set azure.clientSecret - --secret
  guardian config profiles
  guardian config use prod
  guardian config test --profile prod                    # checks every credential and permission`,
    );

  const init = config
    .command('init')
    .description('create or replace a profile (asks on a terminal; flags only in CI, with --yes or without a TTY)')
    .option('-f, --force', 'replace the profile if it exists');
  for (const { flag, help } of INIT_FLAGS) init.option(flag, help);
  suggest(init.options.find((o) => o.long === '--azure-auth')!, ['default', 'cli', 'client-secret', 'managed-identity']);
  suggest(init.options.find((o) => o.long === '--default-output')!, ['table', 'json', 'csv', 'markdown']);
  init.action(async (options: InitOptions, command: Command) => runInit(contextFor(command, runtime), options));

  config
    .command('list')
    .alias('ls')
    .description('show the settings of the profile in use (secrets redacted)')
    .option('--show-secrets', 'print stored secrets in clear')
    .action(async (options: { showSecrets?: boolean }, command: Command) => runList(contextFor(command, runtime), options));

  const get = config
    .command('get')
    .description('print one setting of the profile in use')
    .argument('<key>', 'dotted key, e.g. aws.regions')
    .option('--show-secrets', 'print a stored secret in clear')
    .action(async (key: string, options: { showSecrets?: boolean }, command: Command) =>
      runGet(contextFor(command, runtime), key, options),
    );
  suggest(get.registeredArguments[0], CONFIG_KEY_NAMES);

  const set = config
    .command('set')
    .description('set one setting of the profile in use (creates the profile); lists are comma-separated')
    .argument('<key>', 'dotted key, e.g. aws.regions')
    .argument('<value>', "the value; for a secret, '-' reads it from stdin")
    .option('--secret', 'confirm storing a secret (azure.clientSecret, llm.apiKey) in the config file')
    .action(async (key: string, value: string, options: { secret?: boolean }, command: Command) =>
      runSet(contextFor(command, runtime), key, value, options),
    )
    .addHelpText('after', keysHelp);
  suggest(set.registeredArguments[0], CONFIG_KEY_NAMES);

  const unset = config
    .command('unset')
    .description('remove one setting from the profile in use')
    .argument('<key>', 'dotted key, e.g. aws.regions')
    .action(async (key: string, _options: object, command: Command) => runUnset(contextFor(command, runtime), key));
  suggest(unset.registeredArguments[0], CONFIG_KEY_NAMES);

  config
    .command('profiles')
    .description('list profiles (the current one is marked *)')
    .action(async (_options: object, command: Command) => runProfiles(contextFor(command, runtime)));

  const use = config
    .command('use')
    .description('make a profile the current one')
    .argument('<name>', 'profile name')
    .action(async (name: string, _options: object, command: Command) => runUse(contextFor(command, runtime), name));
  suggest(use.registeredArguments[0], [PROFILE_NAMES]);

  const remove = config
    .command('delete')
    .alias('rm')
    .description('delete a stored profile (asks first; --yes in scripts)')
    .argument('<name>', 'profile name')
    .action(async (name: string, _options: object, command: Command) => runDelete(contextFor(command, runtime), name));
  suggest(remove.registeredArguments[0], [PROFILE_NAMES]);

  config
    .command('path')
    .description('print the path of the config file')
    .action(async (_options: object, command: Command) => runPath(contextFor(command, runtime)));

  defineConfigTest(config, runtime);
  defineConfigPolicy(config, runtime);
};
