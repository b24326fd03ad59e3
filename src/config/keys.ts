// The settings a profile can hold, as dotted keys: the one catalogue that `config get/set/unset`
// validate against, the JSON schema of the store is built from, and completions list.

import { resolve } from 'node:path';
import { UsageError } from '../errors.js';
import { SUPPRESSION_SCHEMA } from '../model/finding.js';
import { closest } from '../model/suggest.js';
import { SECRET_KEYS } from './profile.js';

export type KeyType = 'string' | 'list' | 'integer';

export interface ConfigKey {
  key: string;
  type: KeyType;
  description: string;
  secret?: boolean;
  choices?: readonly string[];
  /** Each string (or each list item) must match. */
  pattern?: string;
  /** What the pattern means, for the error message. */
  patternHint?: string;
  minimum?: number;
  maximum?: number;
  /** A file path: stored absolute, so the profile means the same from any directory. */
  path?: boolean;
}

const AWS_ACCOUNT = '^[0-9]{12}$';
const GUID = '^[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}$';

/** The most calls in flight that `--concurrency` and the stored default may ask for (one bound for both). */
export const MAX_CONCURRENCY = 1000;
const URL = '^https?://[^\\s]+$';
const GCP_TABLE = '^[a-z][a-z0-9-]{4,28}[a-z0-9]\\.[A-Za-z0-9_]{1,1024}\\.[A-Za-z0-9_$-]{1,1024}$';

export const CONFIG_KEYS: readonly ConfigKey[] = [
  { key: 'aws.profiles', type: 'list', description: 'named profiles from ~/.aws/config to cover (default: the AWS credential chain)' },
  {
    key: 'aws.regions',
    type: 'list',
    description: 'regions to cover (default: every enabled region)',
    pattern: '^[a-z]{2}(-[a-z]+)+-[0-9]+$',
    patternHint: 'an AWS region such as eu-west-1',
  },
  { key: 'aws.assumeRole', type: 'string', description: 'role to assume in each Organizations member account' },
  {
    key: 'aws.accounts',
    type: 'list',
    description: 'restrict to these account ids',
    pattern: AWS_ACCOUNT,
    patternHint: 'a 12-digit AWS account id',
  },
  {
    key: 'aws.endpoint',
    type: 'string',
    description: 'custom endpoint for every AWS service',
    pattern: URL,
    patternHint: 'an http(s) URL',
  },
  { key: 'azure.tenantId', type: 'string', description: 'Microsoft Entra tenant id' },
  {
    key: 'azure.subscriptions',
    type: 'list',
    description: 'subscription ids to cover (default: every visible subscription)',
    pattern: GUID,
    patternHint: 'a subscription id (a GUID such as 00000000-0000-0000-0000-000000000000)',
  },
  {
    key: 'azure.auth',
    type: 'string',
    description: 'how to authenticate (default: DefaultAzureCredential)',
    choices: ['default', 'cli', 'client-secret', 'managed-identity'],
  },
  { key: 'azure.clientId', type: 'string', description: 'application (client) id for client-secret auth' },
  { key: 'azure.clientSecret', type: 'string', description: 'client secret (stored only with --secret)', secret: true },
  { key: 'azure.endpoint', type: 'string', description: 'Resource Manager endpoint', pattern: URL, patternHint: 'an http(s) URL' },
  { key: 'azure.authorityHost', type: 'string', description: 'Entra authority host', pattern: URL, patternHint: 'an http(s) URL' },
  {
    key: 'azure.caFile',
    type: 'string',
    description: 'PEM file of the CA that signs the endpoint and authority certificates (private clouds)',
    path: true,
  },
  { key: 'gcp.projects', type: 'list', description: 'project ids to cover' },
  { key: 'gcp.keyFile', type: 'string', description: 'service-account key file (default: Application Default Credentials)', path: true },
  {
    key: 'gcp.billingExportTable',
    type: 'string',
    description: 'Cloud Billing export table',
    pattern: GCP_TABLE,
    patternHint: 'project.dataset.table',
  },
  { key: 'gcp.endpoint', type: 'string', description: 'Compute API endpoint override', pattern: URL, patternHint: 'an http(s) URL' },
  { key: 'defaults.concurrency', type: 'integer', description: 'parallel cloud calls', minimum: 1, maximum: MAX_CONCURRENCY },
  { key: 'defaults.output', type: 'string', description: 'default output format', choices: ['table', 'json', 'csv', 'markdown'] },
  { key: 'llm.baseUrl', type: 'string', description: 'OpenAI-compatible API base URL', pattern: URL, patternHint: 'an http(s) URL' },
  { key: 'llm.model', type: 'string', description: 'model name' },
  { key: 'llm.apiKey', type: 'string', description: 'API key (stored only with --secret)', secret: true },
];

/** Profile names double as shell words and JSON keys; no dots, so a dotted key path stays unambiguous. */
export const PROFILE_NAME_PATTERN = '^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$';

for (const secret of SECRET_KEYS) {
  if (!CONFIG_KEYS.some((k) => k.key === secret && k.secret)) throw new Error(`config key catalogue is missing secret ${secret}`);
}

export function isSecretKey(key: string): boolean {
  return (SECRET_KEYS as readonly string[]).includes(key);
}

export function lookupKey(key: string): ConfigKey {
  const found = CONFIG_KEYS.find((k) => k.key === key);
  if (found) return found;
  const suggestion = closest(
    key,
    CONFIG_KEYS.map((k) => k.key),
  );
  throw new UsageError(`unknown config key '${key}'${suggestion ? ` (did you mean ${suggestion}?)` : ''}`, {
    hint: 'guardian config list shows every key; keys are <cloud>.<setting>, e.g. aws.regions',
  });
}

/** Turn the text a user typed into the value the key stores: lists are comma-separated, numbers parsed. */
export function parseValue(spec: ConfigKey, text: string, cwd?: string): string | number | string[] {
  switch (spec.type) {
    case 'integer': {
      const value = Number(text.trim());
      if (!/^-?\d+$/.test(text.trim()) || !Number.isSafeInteger(value)) {
        throw new UsageError(`${spec.key} must be a whole number, got '${text}'`);
      }
      if ((spec.minimum !== undefined && value < spec.minimum) || (spec.maximum !== undefined && value > spec.maximum)) {
        throw new UsageError(`${spec.key} must be between ${spec.minimum} and ${spec.maximum}, got ${value}`);
      }
      return value;
    }
    case 'list': {
      const items = text
        .split(',')
        .map((item) => item.trim())
        .filter(Boolean);
      if (items.length === 0)
        throw new UsageError(`${spec.key} needs at least one value (a comma-separated list); use config unset to clear it`);
      for (const item of items) checkString(spec, item);
      return [...new Set(items)];
    }
    default: {
      const value = text.trim();
      if (value === '') throw new UsageError(`${spec.key} cannot be empty; use config unset to clear it`);
      checkString(spec, value);
      return spec.path && cwd ? resolve(cwd, value) : value;
    }
  }
}

function checkString(spec: ConfigKey, value: string): void {
  if (spec.choices && !spec.choices.includes(value)) {
    const suggestion = closest(value, spec.choices);
    throw new UsageError(
      `${spec.key} must be one of ${spec.choices.join(', ')}, got '${value}'${suggestion ? ` (did you mean ${suggestion}?)` : ''}`,
    );
  }
  if (spec.pattern && !new RegExp(spec.pattern).test(value)) {
    throw new UsageError(`${spec.key}: '${value}' is not ${spec.patternHint ?? `a value matching ${spec.pattern}`}`);
  }
}

/** Format a stored value for people: lists comma-separated, like they are typed. */
export function formatValue(value: unknown): string {
  if (Array.isArray(value)) return value.join(',');
  if (value === undefined || value === null) return '';
  return String(value);
}

function keySchema(spec: ConfigKey): object {
  const text: Record<string, unknown> = { type: 'string', minLength: 1 };
  if (spec.choices) text.enum = [...spec.choices];
  if (spec.pattern) text.pattern = spec.pattern;
  if (spec.type === 'integer') return { type: 'integer', minimum: spec.minimum, maximum: spec.maximum };
  if (spec.type === 'list') return { type: 'array', items: text, uniqueItems: true };
  return text;
}

/** The JSON schema of one profile, built from the catalogue so the two cannot drift apart. */
export function profileSchema(): object {
  const sections: Record<string, { type: 'object'; additionalProperties: false; properties: Record<string, object> }> = {};
  for (const spec of CONFIG_KEYS) {
    const [section, name] = spec.key.split('.');
    sections[section] ??= { type: 'object', additionalProperties: false, properties: {} };
    sections[section].properties[name] = keySchema(spec);
  }
  return {
    type: 'object',
    additionalProperties: false,
    properties: { ...sections, suppressions: { type: 'array', items: SUPPRESSION_SCHEMA } },
  };
}

/** Read a dotted key from a profile. */
export function readKey(profile: object | undefined, key: string): unknown {
  const [section, name] = key.split('.');
  const holder = (profile as Record<string, Record<string, unknown> | undefined> | undefined)?.[section];
  return holder?.[name];
}

export function assertProfileName(name: string): void {
  if (!new RegExp(PROFILE_NAME_PATTERN).test(name)) {
    throw new UsageError(
      `'${name}' is not a valid profile name (letters, digits, '_' and '-', up to 64 characters, starting with a letter or digit)`,
    );
  }
}
