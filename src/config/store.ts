// The configuration store: profiles, the current profile, per-profile defaults, kept by `conf` in one
// JSON file (mode 0600) with a schema and a migration version. A file Guardian cannot read or that
// breaks the schema is reported and left exactly as it is, never "repaired" by overwriting it.

import { mkdirSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import type Conf from 'conf';
import { ConfigError, UsageError } from '../errors.js';
import { closest } from '../model/suggest.js';
import {
  assertProfileName,
  CONFIG_KEYS,
  isSecretKey,
  lookupKey,
  PROFILE_NAME_PATTERN,
  parseValue,
  profileSchema,
  readKey,
} from './keys.js';
import { DEMO_PROFILE, type Profile, requestedProfileName, SECRET_KEYS } from './profile.js';
import { REDACTED, registerSecret } from './redact.js';

/** The version of the file's layout; conf records it and runs `migrations` when it grows. */
export const STORE_FORMAT_VERSION = '1.0.0';
export const CONFIG_FILE_NAME = 'config.json';
export const DEFAULT_PROFILE = 'default';

export interface StoredConfig {
  currentProfile?: string;
  profiles: Record<string, Profile>;
}

export interface ProfileSummary {
  name: string;
  current: boolean;
  builtIn: boolean;
  /** The clouds the profile has settings for. */
  clouds: string[];
}

type ConfValue = StoredConfig & Record<string, unknown>;

/** Where the store lives: GUARDIAN_CONFIG_DIR, else the platform's per-user config directory. */
export function configDirectory(env: NodeJS.ProcessEnv): string {
  if (env.GUARDIAN_CONFIG_DIR) return env.GUARDIAN_CONFIG_DIR;
  const home = env.HOME || homedir();
  if (process.platform === 'win32') return join(env.APPDATA || join(home, 'AppData', 'Roaming'), 'guardian', 'Config');
  if (process.platform === 'darwin') return join(home, 'Library', 'Preferences', 'guardian');
  return join(env.XDG_CONFIG_HOME || join(home, '.config'), 'guardian');
}

export function configFilePath(env: NodeJS.ProcessEnv): string {
  return join(configDirectory(env), CONFIG_FILE_NAME);
}

/** The schema of the whole file (conf keeps its own bookkeeping under `__internal__`). */
export function storeSchema(): { properties: Record<string, object>; rootSchema: object } {
  return {
    properties: {
      currentProfile: { type: 'string', pattern: PROFILE_NAME_PATTERN },
      profiles: { type: 'object', propertyNames: { pattern: PROFILE_NAME_PATTERN }, additionalProperties: profileSchema() },
    },
    rootSchema: { type: 'object', additionalProperties: false },
  };
}

const FIX_HINT = 'fix it by hand (or move it aside and run guardian config init); Guardian never overwrites a config file it cannot read';

/** Position of a JSON.parse failure as line/column, without quoting the file (it may hold secrets). */
function describeParseFailure(text: string, error: unknown): string {
  const message = error instanceof Error ? error.message : '';
  const lineColumn = /line (\d+) column (\d+)/.exec(message);
  if (lineColumn) return ` at line ${lineColumn[1]}, column ${lineColumn[2]}`;
  const position = /position (\d+)/.exec(message);
  if (!position) return text.trim() === '' ? ' (the file is empty)' : '';
  const before = text.slice(0, Number(position[1])).split('\n');
  return ` at line ${before.length}, column ${before[before.length - 1].length + 1}`;
}

function compareVersions(a: string, b: string): number {
  const pa = a.split('.').map(Number);
  const pb = b.split('.').map(Number);
  for (let i = 0; i < 3; i++) {
    const d = (pa[i] || 0) - (pb[i] || 0);
    if (d !== 0) return Math.sign(d);
  }
  return 0;
}

/**
 * Read and check the file before conf sees it: conf may write while it migrates or fills defaults,
 * and a hand-broken file must come back to its owner untouched with a message saying where it broke.
 */
async function checkFile(path: string): Promise<'absent' | 'ok'> {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return 'absent';
    throw new ConfigError(`cannot read config file ${path} (${code ?? 'unknown error'})`, {
      hint: 'check its permissions (it should be owned by you, mode 600)',
      cause: error,
    });
  }
  let data: unknown;
  try {
    data = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (error) {
    throw new ConfigError(`config file ${path} is not valid JSON${describeParseFailure(text, error)}`, { hint: FIX_HINT });
  }
  if (data === null || typeof data !== 'object' || Array.isArray(data)) {
    throw new ConfigError(`config file ${path} must hold a JSON object`, { hint: FIX_HINT });
  }
  const { __internal__: internal, ...user } = data as Record<string, unknown>;
  const written = (internal as { migrations?: { version?: unknown } } | undefined)?.migrations?.version;
  if (typeof written === 'string' && compareVersions(written, STORE_FORMAT_VERSION) > 0) {
    throw new ConfigError(
      `config file ${path} was written by a newer Guardian (format ${written}, this one reads ${STORE_FORMAT_VERSION})`,
      {
        hint: 'upgrade Guardian, or point GUARDIAN_CONFIG_DIR at another directory',
      },
    );
  }
  const { Ajv2020 } = await import('ajv/dist/2020.js');
  const schema = storeSchema();
  const validate = new Ajv2020({ allErrors: false, strict: false }).compile({ ...schema.rootSchema, properties: schema.properties });
  if (!validate(user)) {
    const first = validate.errors?.[0];
    const where = (first?.instancePath ?? '').split('/').filter(Boolean).join('.') || '(top level)';
    const extra = first?.params && 'additionalProperty' in first.params ? ` '${String(first.params.additionalProperty)}'` : '';
    throw new ConfigError(`config file ${path} breaks the schema: ${where} ${first?.message ?? 'is invalid'}${extra}`, { hint: FIX_HINT });
  }
  return 'ok';
}

export class ConfigStore {
  private stored: StoredConfig;

  private constructor(
    readonly path: string,
    private readonly directory: string,
    private readonly env: NodeJS.ProcessEnv,
    private conf: Conf<ConfValue> | undefined,
    /** Why the file cannot be used; raised by everything that needs it, but not by the built-in demo profile. */
    private readonly broken?: ConfigError,
  ) {
    this.stored = conf ? ConfigStore.snapshot(conf) : { profiles: {} };
    if (!broken) this.registerSecrets();
  }

  /** Opens the store; the file is created only by the first write. */
  static async open(env: NodeJS.ProcessEnv): Promise<ConfigStore> {
    const directory = configDirectory(env);
    const path = join(directory, CONFIG_FILE_NAME);
    try {
      const state = await checkFile(path);
      const conf = state === 'ok' ? await ConfigStore.connect(directory, path) : undefined;
      return new ConfigStore(path, directory, env, conf);
    } catch (error) {
      // A hand-broken file must not take the built-in sandbox down with it: keep the error for
      // whatever reads the file, and let `--profile demo` run.
      if (error instanceof ConfigError) return new ConfigStore(path, directory, env, undefined, error);
      throw error;
    }
  }

  private get data(): StoredConfig {
    if (this.broken) throw this.broken;
    return this.stored;
  }

  private static async connect(directory: string, path: string): Promise<Conf<ConfValue>> {
    const { default: ConfClass } = await import('conf');
    const schema = storeSchema();
    try {
      // The directory holds credentials' settings and stored secrets: only its owner may list it.
      // (conf would create it with the default 0755.)
      mkdirSync(directory, { recursive: true, mode: 0o700 });
      return new ConfClass<ConfValue>({
        cwd: directory,
        configName: 'config',
        fileExtension: 'json',
        schema: schema.properties as never,
        rootSchema: schema.rootSchema as never,
        projectVersion: STORE_FORMAT_VERSION,
        migrations: {
          // The first layout: a hand-written file may lack the profiles map.
          '1.0.0': (store) => {
            if (!store.has('profiles')) store.set('profiles', {});
          },
        },
        configFileMode: 0o600,
        // Never reset a file the user can still repair (conf's default is already false; be explicit).
        clearInvalidConfig: false,
        accessPropertiesByDotNotation: false,
      });
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      const code = (error as NodeJS.ErrnoException).code;
      throw new ConfigError(`cannot open config file ${path}: ${code ?? message.split('\n')[0]}`, { hint: FIX_HINT, cause: error });
    }
  }

  private static snapshot(conf: Conf<ConfValue>): StoredConfig {
    const store = structuredClone(conf.store) as Partial<StoredConfig>;
    return { currentProfile: store.currentProfile, profiles: store.profiles ?? {} };
  }

  private registerSecrets(): void {
    for (const profile of Object.values(this.data.profiles)) {
      for (const key of SECRET_KEYS) {
        const value = readKey(profile, key);
        if (typeof value === 'string') registerSecret(value);
      }
    }
  }

  /** flag > GUARDIAN_PROFILE > the store's current profile > 'default'. */
  resolveProfileName(requested?: string): string {
    const explicit = requestedProfileName(requested, this.env);
    if (explicit && this.isBuiltIn(explicit)) return explicit;
    const name = explicit || this.data.currentProfile || DEFAULT_PROFILE;
    assertProfileName(name);
    return name;
  }

  get currentProfile(): string | undefined {
    return this.data.currentProfile;
  }

  isBuiltIn(name: string): boolean {
    return name === DEMO_PROFILE;
  }

  /** The stored profile (a copy), or undefined. The built-in demo profile is resolved by src/sandbox/demo.ts, not stored. */
  getProfile(name: string): Profile | undefined {
    if (this.isBuiltIn(name)) return undefined;
    const profile = Object.hasOwn(this.data.profiles, name) ? this.data.profiles[name] : undefined;
    return profile ? structuredClone(profile) : undefined;
  }

  /**
   * The profile a run uses: a stored one; an empty one for the implicit 'default' or 'demo' (meaning the
   * clouds' own credential chains, or the sandbox); otherwise a ConfigError naming the profiles there are.
   */
  requireProfile(name: string): Profile {
    const profile = this.getProfile(name);
    if (profile) return profile;
    if (name === DEFAULT_PROFILE || this.isBuiltIn(name)) return {};
    const names = this.listProfiles().map((p) => p.name);
    const suggestion = closest(name, names);
    throw new ConfigError(`no profile named '${name}'${suggestion ? ` (did you mean ${suggestion}?)` : ''}`, {
      hint: `profiles: ${names.join(', ')}; create it with: guardian config init --profile ${name}`,
    });
  }

  listProfiles(): ProfileSummary[] {
    const current = this.data.currentProfile ?? DEFAULT_PROFILE;
    const stored = Object.keys(this.data.profiles)
      .sort()
      .map((name) => ({
        name,
        current: name === current,
        builtIn: false,
        clouds: (['aws', 'azure', 'gcp'] as const).filter((cloud) => {
          const settings = this.data.profiles[name][cloud];
          return settings !== undefined && Object.keys(settings).length > 0;
        }),
      }));
    return [...stored, { name: DEMO_PROFILE, current: current === DEMO_PROFILE, builtIn: true, clouds: ['aws', 'azure', 'gcp'] }];
  }

  getValue(profile: string, key: string): unknown {
    lookupKey(key);
    return readKey(this.getProfile(profile), key);
  }

  /** Parse and store one setting; secrets only with `secret: true`. Returns the stored value. */
  async setValue(
    profile: string,
    key: string,
    text: string,
    options: { secret?: boolean; cwd?: string } = {},
  ): Promise<string | number | string[]> {
    this.assertWritableProfile(profile);
    const spec = lookupKey(key);
    if (spec.secret && !options.secret) {
      throw new UsageError(`${key} is a secret: pass --secret to store it in ${this.path} (plain text, mode 600)`, {
        hint:
          key === 'azure.clientSecret'
            ? 'or leave it out and let the Azure credential chain find it (AZURE_CLIENT_SECRET, az login, managed identity)'
            : 'or leave it out and set it in the environment (GUARDIAN_LLM_API_KEY / OPENAI_API_KEY)',
      });
    }
    if (!spec.secret && options.secret) throw new UsageError(`${key} is not a secret; drop --secret`);
    const value = parseValue(spec, text, options.cwd);
    if (spec.secret) registerSecret(String(value));
    const [section, name] = key.split('.');
    await this.update((data) => {
      data.profiles[profile] ??= {};
      const settings = data.profiles[profile] as Record<string, Record<string, unknown>>;
      settings[section] = { ...settings[section], [name]: value };
    });
    return value;
  }

  /** Remove one setting; false when it was not set. */
  async unsetValue(profile: string, key: string): Promise<boolean> {
    this.assertWritableProfile(profile);
    lookupKey(key);
    if (readKey(this.data.profiles[profile], key) === undefined) return false;
    const [section, name] = key.split('.');
    await this.update((data) => {
      const settings = data.profiles[profile] as Record<string, Record<string, unknown> | undefined>;
      const holder = { ...settings[section] };
      delete holder[name];
      if (Object.keys(holder).length === 0) delete settings[section];
      else settings[section] = holder;
    });
    return true;
  }

  /** Store a whole profile (config init). Refuses to replace one unless `replace`. */
  async putProfile(name: string, profile: Profile, options: { replace?: boolean; makeCurrent?: boolean } = {}): Promise<void> {
    this.assertWritableProfile(name);
    if (this.getProfile(name) && !options.replace) {
      throw new UsageError(`profile '${name}' already exists; pass --force to replace it`);
    }
    await this.update((data) => {
      data.profiles[name] = structuredClone(profile);
      if (options.makeCurrent) data.currentProfile = name;
    });
    this.registerSecrets();
  }

  async deleteProfile(name: string): Promise<void> {
    this.assertWritableProfile(name);
    if (!this.getProfile(name)) this.requireProfile(name);
    await this.update((data) => {
      delete data.profiles[name];
      if (data.currentProfile === name) delete data.currentProfile;
    });
  }

  /** Make a profile the current one; it must exist (or be built in). */
  async useProfile(name: string): Promise<void> {
    assertProfileName(name);
    if (!this.isBuiltIn(name) && !this.getProfile(name)) this.requireProfile(name);
    await this.update((data) => {
      data.currentProfile = name;
    });
  }

  /** A profile with secrets replaced, for every listing that is not asked to show them. */
  redacted(profile: Profile): Profile {
    const copy = structuredClone(profile) as Record<string, Record<string, unknown>>;
    for (const key of SECRET_KEYS) {
      const [section, name] = key.split('.');
      if (copy[section]?.[name] !== undefined) copy[section][name] = REDACTED;
    }
    return copy as Profile;
  }

  /** Every key of a profile that is set, in catalogue order. */
  entries(profile: Profile, options: { showSecrets?: boolean } = {}): { key: string; value: unknown; secret: boolean }[] {
    const result: { key: string; value: unknown; secret: boolean }[] = [];
    for (const spec of CONFIG_KEYS) {
      const value = readKey(profile, spec.key);
      if (value === undefined) continue;
      const secret = isSecretKey(spec.key);
      result.push({ key: spec.key, value: secret && !options.showSecrets ? REDACTED : value, secret });
    }
    return result;
  }

  /** Throws a UsageError for names that cannot be written (invalid, or the built-in demo). */
  assertWritableProfile(name: string): void {
    assertProfileName(name);
    if (this.isBuiltIn(name)) {
      throw new UsageError(`'${name}' is the built-in sandbox profile and cannot be changed`, {
        hint: 'create your own: guardian config init --profile <name>',
      });
    }
  }

  private async update(change: (data: StoredConfig) => void): Promise<void> {
    const next = structuredClone(this.data);
    change(next);
    if (next.currentProfile === undefined) delete next.currentProfile;
    this.conf ??= await ConfigStore.connect(this.directory, this.path);
    try {
      // Whole-store writes: conf validates the result against the schema before it touches the file.
      this.conf.store = next as ConfValue;
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      const message = error instanceof Error ? error.message.split('\n')[0] : String(error);
      throw new ConfigError(`cannot write config file ${this.path}: ${code ?? message}`, { cause: error });
    }
    this.stored = next;
  }
}

/** Open the configuration store named by GUARDIAN_CONFIG_DIR (or the per-user default). */
export function openConfigStore(env: NodeJS.ProcessEnv): Promise<ConfigStore> {
  return ConfigStore.open(env);
}
