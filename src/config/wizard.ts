// The questions `guardian config init` asks on a terminal, cloud by cloud, filling in what its
// flags left open. Every answer is parsed as `config set` would parse it.

import type { Dialogs } from '../dialogs.js';
import { CONFIG_KEYS, parseValue } from './keys.js';

/** Settings by section (aws, azure, gcp, defaults), as `putProfile` takes them. */
export type ProfileDraft = Record<string, Record<string, unknown>>;

/** `say` prints a line of guidance on stderr (the command's logger). */
export async function askProfileSettings(
  dialogs: Dialogs,
  say: (line: string) => void,
  profile: string,
  settings: ProfileDraft,
): Promise<void> {
  const put = (key: string, value: unknown) => {
    const [section, name] = key.split('.');
    settings[section] ??= {};
    settings[section][name] = value;
  };
  say(`Setting up profile '${profile}'. Leave an answer empty to use the cloud's own defaults.`);
  const ask = async (key: string, message: string) => {
    const [section, name] = key.split('.');
    if (settings[section]?.[name] !== undefined) return;
    const spec = CONFIG_KEYS.find((k) => k.key === key)!;
    const answer = await dialogs.input(message, {
      validate: (value) => {
        if (value.trim() === '') return true;
        try {
          parseValue(spec, value);
          return true;
        } catch (error) {
          return (error as Error).message;
        }
      },
    });
    if (answer.trim() !== '') put(key, parseValue(spec, answer, process.cwd()));
  };
  const given = (cloud: string) => settings[cloud] !== undefined;
  if (given('aws') || (await dialogs.confirm('Cover AWS?', { default: true }))) {
    await ask('aws.profiles', 'AWS named profiles (comma-separated; empty: the default credential chain)');
    await ask('aws.regions', 'AWS regions (comma-separated; empty: every enabled region)');
    await ask('aws.assumeRole', 'Role to assume in member accounts (empty: none)');
  }
  if (given('azure') || (await dialogs.confirm('Cover Azure?', { default: false }))) {
    await ask('azure.tenantId', 'Azure tenant id (empty: from the credential)');
    await ask('azure.subscriptions', 'Azure subscription ids (comma-separated; empty: all visible)');
    if (settings.azure?.auth === undefined) {
      const auth = await dialogs.select(
        'How should Guardian sign in to Azure?',
        [
          { value: 'default', name: 'default credential chain (env, workload/managed identity, az login)' },
          { value: 'cli', name: 'Azure CLI (az login)' },
          { value: 'client-secret', name: 'app registration with a client secret' },
          { value: 'managed-identity', name: 'managed identity' },
        ],
        { default: 'default' },
      );
      if (auth !== 'default') put('azure.auth', auth);
      if (auth === 'client-secret') {
        await ask('azure.clientId', 'Application (client) id');
        say('Set AZURE_CLIENT_SECRET in the environment, or store it: guardian config set azure.clientSecret - --secret');
      }
    }
  }
  if (given('gcp') || (await dialogs.confirm('Cover GCP?', { default: false }))) {
    await ask('gcp.projects', 'GCP project ids (comma-separated)');
    await ask('gcp.keyFile', 'Service-account key file (empty: Application Default Credentials)');
    await ask('gcp.billingExportTable', 'Billing export table project.dataset.table (empty: none)');
  }
  await ask('defaults.concurrency', "Parallel cloud calls (empty: Guardian's default)");
}
