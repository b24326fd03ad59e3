// Turns the requested profile into cloud providers: a stored profile, the built-in demo (an
// in-process sandbox), or — with nothing configured — each cloud's own ambient credentials.

import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEMO_PROFILE, type Profile } from '../config/profile.js';
import { ConfigError } from '../errors.js';
import { CLOUDS, type Cloud } from '../model/resource.js';
import type { ProviderOptions } from '../providers/factory.js';
import type { CloudProvider } from '../providers/types.js';

export interface CloudSession {
  profileName: string;
  profile: Profile;
  /** The environment the providers read (the process's, plus the demo's files). */
  env: NodeJS.ProcessEnv;
  /** True when no stored profile exists and the clouds' ambient credentials are used. */
  ambient: boolean;
  /**
   * What else tells this session's billing data apart besides the account: the demo's estate
   * (seed, size, day), whose accounts keep their ids while their spend changes. Caches key on it.
   */
  dataScope?: string;
  close(): Promise<void>;
}

/** Which clouds have ambient credentials a user would expect Guardian to pick up. */
export function ambientProfile(env: NodeJS.ProcessEnv): Profile {
  const home = env.HOME ?? homedir();
  const profile: Profile = {};
  const awsFiles = [
    env.AWS_CONFIG_FILE ?? join(home, '.aws', 'config'),
    env.AWS_SHARED_CREDENTIALS_FILE ?? join(home, '.aws', 'credentials'),
  ];
  if (
    env.AWS_ACCESS_KEY_ID ||
    env.AWS_PROFILE ||
    env.AWS_WEB_IDENTITY_TOKEN_FILE ||
    env.AWS_CONTAINER_CREDENTIALS_FULL_URI ||
    awsFiles.some(existsSync)
  ) {
    profile.aws = {};
  }
  if (env.AZURE_CLIENT_ID || env.AZURE_TENANT_ID || existsSync(join(home, '.azure', 'azureProfile.json'))) {
    profile.azure = { auth: 'default', ...(env.AZURE_SUBSCRIPTION_ID ? { subscriptions: [env.AZURE_SUBSCRIPTION_ID] } : {}) };
  }
  const gcpProject = env.GOOGLE_CLOUD_PROJECT ?? env.CLOUDSDK_CORE_PROJECT ?? env.GCLOUD_PROJECT;
  if (gcpProject) profile.gcp = { projects: [gcpProject] };
  return profile;
}

export async function openSession(requested: string | undefined, env: NodeJS.ProcessEnv): Promise<CloudSession> {
  const { openConfigStore } = await import('../config/store.js');
  const store = await openConfigStore(env);
  const name = store.resolveProfileName(requested);
  if (name === DEMO_PROFILE) {
    const { startDemo, demoOptionsFromEnv } = await import('../sandbox/demo.js');
    const dir = await mkdtemp(join(tmpdir(), 'guardian-demo-'));
    try {
      const demo = await startDemo(demoOptionsFromEnv(env), dir);
      return {
        profileName: name,
        profile: demo.profile,
        env: { ...env, ...demo.env },
        ambient: false,
        dataScope: `demo seed ${demo.sandbox.estate.seed} size ${demo.sandbox.estate.size} day ${demo.sandbox.estate.now}`,
        close: async () => {
          await demo.close();
          await rm(dir, { recursive: true, force: true });
        },
      };
    } catch (error) {
      await rm(dir, { recursive: true, force: true });
      throw error;
    }
  }
  const stored = store.getProfile(name);
  if (stored) return { profileName: name, profile: stored, env, ambient: false, close: async () => {} };
  if (requested !== undefined && requested !== 'default') {
    throw new ConfigError(`no profile named '${name}'`, {
      hint: "list them with 'guardian config profiles' or create it with 'guardian config init --profile NAME'",
    });
  }
  const profile = ambientProfile(env);
  if (!profile.aws && !profile.azure && !profile.gcp) {
    throw new ConfigError('no cloud is configured and no AWS, Azure or GCP credentials were found in the environment', {
      hint: "run 'guardian config init', or try Guardian on the built-in sandbox with '--profile demo'",
    });
  }
  return { profileName: name, profile, env, ambient: true, close: async () => {} };
}

/**
 * Build the providers the profile configures, narrowed to `clouds`; SDKs load here, lazily. With
 * `threads` each provider runs in its own worker thread (see providers/remote.ts); the default is
 * threads from the compiled CLI and in-process under the TypeScript test runner, which has no
 * compiled thread entry to start.
 */
export async function createProviders(
  session: CloudSession,
  clouds: Cloud[] | undefined,
  options: ProviderOptions & { threads?: boolean },
): Promise<CloudProvider[]> {
  const { profile, env } = session;
  if (clouds) {
    for (const cloud of clouds) {
      if (!profile[cloud])
        throw new ConfigError(`profile '${session.profileName}' has no ${cloud} settings`, {
          hint: `add them with 'guardian config init --profile ${session.profileName}'`,
        });
    }
  }
  const selected = CLOUDS.filter((cloud) => profile[cloud] && (!clouds || clouds.includes(cloud)));
  const threads = options.threads ?? import.meta.url.endsWith('.js');
  const { threads: _threads, ...providerOptions } = options;
  const create = threads
    ? (await import('../providers/remote.js')).createThreadProvider
    : (await import('../providers/factory.js')).createLocalProvider;
  const started = await Promise.allSettled(selected.map((cloud) => create(cloud, profile, env, providerOptions)));
  const failed = started.find((outcome) => outcome.status === 'rejected');
  if (failed) {
    await Promise.all(started.map((outcome) => (outcome.status === 'fulfilled' ? outcome.value.close?.() : undefined)));
    throw failed.reason;
  }
  return started.map((outcome) => (outcome as PromiseFulfilledResult<CloudProvider>).value);
}
