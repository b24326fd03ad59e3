// `guardian config set KEY VALUE`: one setting of the profile in use (the store parses and checks
// it); a secret only with --secret, and from stdin with '-' so it stays out of shell history.

import type { Command } from 'commander';
import { CONFIG_KEYS } from '../../src/config/keys.js';
import { UsageError } from '../../src/errors.js';
import { type CommandContext, contextFor, type VerbDefinition } from '../context.js';
import { suggest } from '../options.js';
import { CONFIG_KEY_NAMES, format, json, openProfile } from './verb.js';

export const defineConfigSet: VerbDefinition = (config, runtime) => {
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
};

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

async function readSecretFromStdin(ctx: CommandContext): Promise<string> {
  if (ctx.io.stdin.isTTY)
    throw new UsageError('\'-\' reads the value from stdin; pipe it in (e.g. printf %s "$SECRET" | guardian config set …)');
  const chunks: Buffer[] = [];
  for await (const chunk of ctx.io.stdin) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk)));
  return Buffer.concat(chunks)
    .toString('utf8')
    .replace(/\r?\n$/, '');
}

async function runSet(ctx: CommandContext, key: string, text: string, options: { secret?: boolean }): Promise<void> {
  const { store, profile } = await openProfile(ctx);
  const output = await format(ctx);
  const { lookupKey, formatValue } = await import('../../src/config/keys.js');
  const spec = lookupKey(key);
  const fromStdin = text === '-' && spec.secret && options.secret;
  const input = fromStdin ? await readSecretFromStdin(ctx) : text;
  const value = await store.setValue(profile, key, input, { secret: options.secret, cwd: ctx.cwd });
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
