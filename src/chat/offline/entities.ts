// The entities of a question: cloud, account, region, kind of resource, a resource's name or id, a
// tag, a state, a severity, a billed service, a rule id, a scan topic, an optimize action, a time
// range and an amount. Everything here reads only the user's text; nothing from the cloud.

import type { Severity } from '../../model/finding.js';
import type { RecommendationAction } from '../../model/recommendation.js';
import type { Cloud } from '../../model/resource.js';
import { type DayRange, parseTimeRange } from './dates.js';
import { cloudOfRegion, PLACES, regionsOfPlace } from './places.js';
import type { Normalised } from './text.js';

/** Kinds of resource across the clouds; the router turns one into the clouds' own kinds. */
export const KIND_CLASSES = [
  'instance',
  'volume',
  'snapshot',
  'firewall',
  'address',
  'network',
  'image',
  'database',
  'bucket',
  'load-balancer',
] as const;
export type KindClass = (typeof KIND_CLASSES)[number];

export const STATES = ['running', 'stopped', 'unattached', 'attached'] as const;
export type StateClass = (typeof STATES)[number];

/** Scan topics a question can name instead of a rule id; the router picks the rules by title. */
export const TOPICS = ['ssh', 'rdp', 'encryption', 'imds', 'tls', 'backups'] as const;
export type Topic = (typeof TOPICS)[number];

export interface Amount {
  value: number;
  currency: string;
}

export interface Entities {
  cloud?: Cloud;
  account?: string;
  /** One region code, or each cloud's region of a place the question named without a cloud. */
  region?: string | string[];
  kind?: KindClass;
  resource?: string;
  /** `key=value`, or a bare key where the question is about a key ("per team", "no owner tag"). */
  tag?: string;
  state?: StateClass;
  severity?: Severity;
  service?: string;
  rule?: string;
  topic?: Topic;
  action?: RecommendationAction;
  period?: DayRange;
  amount?: Amount;
}

export type EntityName = keyof Entities;

/** What the text says, before the intent decides which of it applies. */
export interface Extraction extends Omit<Entities, 'cloud' | 'tag'> {
  /** A cloud named outright ("aws", "in azure"). */
  cloud?: Cloud;
  /** A cloud implied by a kind word ("ec2s", "nsg", "compute engine instances"). */
  cloudOfKind?: Cloud;
  /** A cloud implied by the word for an account ("subscription" → azure, "project" → gcp). */
  cloudOfAccount?: Cloud;
  /** `key=value` written out, or an environment word ("prod", "staging"). */
  tag?: string;
  /** A tag key named on its own ("per team", "missing the owner tag"). */
  tagKey?: string;
}

interface KindWord {
  pattern: RegExp;
  kind: KindClass;
  cloud?: Cloud;
}

// Longer phrases first: "security group" before "group", "compute engine instance" before "instance".
const KIND_WORDS: KindWord[] = [
  { pattern: /\b(?:network security groups?|nsgs?)\b/, kind: 'firewall', cloud: 'azure' },
  { pattern: /\b(?:security groups?|sgs?)\b/, kind: 'firewall', cloud: 'aws' },
  { pattern: /\bfirewall(?: rules?)?s?\b/, kind: 'firewall' },
  { pattern: /\b(?:compute engine|gce)(?: instances?| vms?)?\b/, kind: 'instance', cloud: 'gcp' },
  { pattern: /\bec2s?(?: instances?)?\b/, kind: 'instance', cloud: 'aws' },
  { pattern: /\b(?:ebs)(?: volumes?)?\b/, kind: 'volume', cloud: 'aws' },
  { pattern: /\bmanaged disks?\b/, kind: 'volume', cloud: 'azure' },
  { pattern: /\bpersistent disks?\b/, kind: 'volume', cloud: 'gcp' },
  { pattern: /\b(?:elastic ips?|eips?)\b/, kind: 'address', cloud: 'aws' },
  { pattern: /\bamis?\b/, kind: 'image', cloud: 'aws' },
  { pattern: /\brds(?: instances?| databases?| dbs?)?\b/, kind: 'database', cloud: 'aws' },
  { pattern: /\bs3(?: buckets?)?\b/, kind: 'bucket', cloud: 'aws' },
  { pattern: /\b(?:albs?|elbs?|nlbs?)\b/, kind: 'load-balancer', cloud: 'aws' },
  { pattern: /\bload[- ]?balancers?\b|\blbs\b/, kind: 'load-balancer' },
  { pattern: /\b(?:instances?|vms?|virtual machines?|servers?|machines?)\b/, kind: 'instance' },
  { pattern: /\b(?:volumes?|disks?)\b/, kind: 'volume' },
  { pattern: /\bsnapshots?\b/, kind: 'snapshot' },
  { pattern: /\b(?:public|static|external) (?:ips?|ip addresses|addresses)\b|\bip addresses\b|\bips\b|\baddresses\b/, kind: 'address' },
  { pattern: /\b(?:vpcs?|vnets?|networks?)\b/, kind: 'network' },
  { pattern: /\bimages?\b/, kind: 'image' },
  { pattern: /\b(?:databases?|dbs?)\b/, kind: 'database' },
  { pattern: /\bbuckets?\b/, kind: 'bucket' },
];

const CLOUD_WORDS: [RegExp, Cloud][] = [
  [/\b(?:aws|amazon)\b/, 'aws'],
  [/\b(?:azure|microsoft)\b/, 'azure'],
  [/\b(?:gcp|google cloud|google)\b/, 'gcp'],
];

/** Billed services, by the words people use; the router matches them to the bill's service names. */
export const SERVICES: [RegExp, string][] = [
  [/\bcompute engine\b|\bgce\b/, 'compute-engine'],
  [/\bec2\b/, 'ec2'],
  [/\bs3\b/, 's3'],
  [/\brds\b/, 'rds'],
  [/\bcloudwatch\b/, 'cloudwatch'],
  [/\bbigquery\b|\bbig query\b/, 'bigquery'],
  [/\bcloud storage\b/, 'cloud-storage'],
];

const ENVIRONMENTS: [RegExp, string][] = [
  [/\b(?:prod|production)\b/, 'prod'],
  [/\b(?:staging|stage)\b/, 'staging'],
  [/\b(?:dev|development)\b/, 'dev'],
];

/** Tag keys people name on their own ("per team"), → the key as the estate spells it. */
const TAG_KEYS: [RegExp, string][] = [
  [/\bcost[- ]?cent(?:er|re)s?\b/, 'cost-center'],
  [/\bteams?\b/, 'team'],
  [/\b(?:envs?|environments?)\b/, 'env'],
  [/\bowners?\b/, 'owner'],
  [/\b(?:apps?|applications?)\b/, 'app'],
  [/\btiers?\b/, 'tier'],
];

const ACCOUNT_WORD = /\b(?:accounts?|subscriptions?|projects?)\b/;
const NOT_AN_ACCOUNT_NAME = new Set([
  'the',
  'a',
  'an',
  'this',
  'that',
  'which',
  'what',
  'each',
  'every',
  'per',
  'by',
  'top',
  'aws',
  'azure',
  'gcp',
  'google',
  'our',
  'my',
  'an',
  'any',
  'all',
  'one',
  'same',
  'whole',
]);

const RULE_ID = /\b((?:aws|az|gcp)-[a-z0-9]{2,4}-\d{3})\b/;
const RESOURCE_ID =
  /^(?:(?:i|vol|snap|sg|eipalloc|eni|vpc|subnet|ami|igw|nat|rtb|lt)-[0-9a-f]{8,17}|arn:[a-z0-9-]+:[^\s]+|\/subscriptions\/[^\s]+|projects\/[^\s]+)$/;
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const PROJECT_ID = /^[a-z][a-z0-9]*(?:-[a-z0-9]+)*-\d{6}$/;

function firstMatch<T>(text: string, table: [RegExp, T][]): { value: T; index: number } | undefined {
  let best: { value: T; index: number } | undefined;
  for (const [pattern, value] of table) {
    const match = pattern.exec(text);
    if (match && (!best || match.index < best.index)) best = { value, index: match.index };
  }
  return best;
}

function isRegionCode(token: string): boolean {
  return cloudOfRegion(token) !== undefined;
}

/** A name as Guardian's estates spell them: words joined by hyphens, at least three parts, with a digit. */
function looksLikeName(token: string): boolean {
  return (
    /^[a-z][a-z0-9]*(?:-[a-z0-9]+){2,}$/.test(token) &&
    /\d/.test(token) &&
    !isRegionCode(token) &&
    !RULE_ID.test(token) &&
    !PROJECT_ID.test(token) &&
    !GUID.test(token) &&
    !/^\d{4}-\d{2}-\d{2}$/.test(token)
  );
}

/** A token that names something (a resource, region, rule, instance type or tag pair) rather than saying a word. */
function isIdentifier(token: string): boolean {
  return (
    looksLikeName(token) ||
    RESOURCE_ID.test(token) ||
    isRegionCode(token) ||
    RULE_ID.test(token) ||
    /^[a-z][a-z0-9]*\.[a-z0-9.]+$/.test(token) ||
    /^(?!tag[:=])[a-z][\w.-]*[=:][^\s=:]+$/.test(token)
  );
}

/** The question with its identifiers blanked, for reading the words around them. */
export function wordsOnly(tokens: string[]): string {
  return tokens.map((token) => (isIdentifier(token) ? '_' : token)).join(' ');
}

function extractTagPairs(original: string): string | undefined {
  for (const raw of original.split(/\s+/)) {
    const token = raw.replace(/^[("'`]+|[)"'`,;!?.]+$/g, '');
    if (/^arn:/i.test(token) || RULE_ID.test(token.toLowerCase())) continue;
    const match = /^([A-Za-z][\w.-]*)[=:]([^\s=:]+)$/.exec(token);
    if (!match || match[1].toLowerCase() === 'tag') continue;
    return `${match[1]}=${match[2]}`;
  }
  return undefined;
}

function extractAmount(text: string): Amount | undefined {
  const pattern =
    /(?:^|\s)([$€£])?\s?(\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?)\s?(k|m|thousand|million)?\b(?:\s?(usd|dollars?|eur|euros?|gbp|pounds?))?/g;
  for (const match of text.matchAll(pattern)) {
    const [, symbol, digits, scale, word] = match;
    if (!symbol && !scale && !word && !/budget|over|under|exceed|within|above|below/.test(text)) continue;
    const value = Number(digits.replace(/,/g, '')) * (scale === 'k' || scale === 'thousand' ? 1000 : scale ? 1_000_000 : 1);
    if (!symbol && !scale && !word && value < 100) continue;
    const currency = symbol === '€' || /^eur/.test(word ?? '') ? 'EUR' : symbol === '£' || /^(gbp|pound)/.test(word ?? '') ? 'GBP' : 'USD';
    return { value: Math.round(value * 100) / 100, currency };
  }
  return undefined;
}

function extractAccount(normalised: Normalised): { account?: string; cloudOfAccount?: Cloud; index?: number } {
  const { tokens } = normalised;
  let cloudOfAccount: Cloud | undefined;
  let account: string | undefined;
  let index: number | undefined;
  for (const token of tokens) {
    if (/^subscriptions?$/.test(token)) cloudOfAccount ??= 'azure';
    if (/^projects?$/.test(token)) cloudOfAccount ??= 'gcp';
  }
  for (const [i, token] of tokens.entries()) {
    if (/^\d{12}$/.test(token) || GUID.test(token) || PROJECT_ID.test(token)) {
      account = token;
      index = i;
      break;
    }
  }
  if (!account) {
    for (const [i, token] of tokens.entries()) {
      if (!ACCOUNT_WORD.test(token) || i === 0) continue;
      const before = tokens[i - 1];
      if (/^[a-z][a-z0-9-]*$/.test(before) && !NOT_AN_ACCOUNT_NAME.has(before)) {
        account = before;
        index = i - 1;
        break;
      }
    }
  }
  return { account, cloudOfAccount, index };
}

function extractResource(normalised: Normalised, exclude: Set<string>): string | undefined {
  if (normalised.quoted.length) return normalised.quoted[0];
  const originals = normalised.original.split(/\s+/).map((raw) => raw.replace(/^[("'`]+|[)"'`,;!?.]+$/g, ''));
  for (const token of originals) {
    const lower = token.toLowerCase();
    if (exclude.has(lower)) continue;
    if (RESOURCE_ID.test(token) || looksLikeName(lower)) return token;
  }
  return undefined;
}

function extractRegion(text: string, tokens: string[], cloud: Cloud | undefined): string | string[] | undefined {
  for (const token of tokens) if (isRegionCode(token)) return token;
  for (const place of Object.keys(PLACES)) {
    if (new RegExp(`\\b${place}\\b`).test(text)) {
      const regions = regionsOfPlace(place, cloud);
      if (regions.length === 1) return regions[0];
      if (regions.length > 1) return regions;
    }
  }
  return undefined;
}

function extractState(text: string): StateClass | undefined {
  const table: [RegExp, StateClass][] = [
    [/\b(?:unattached|detached|unassociated|orphaned|unused|free|not attached|not in use)\b/, 'unattached'],
    [/\b(?:stopped|deallocated|terminated|shut off|powered off)\b/, 'stopped'],
    [/(?<!what is )\b(?:running|are up|up right now|powered on)\b/, 'running'],
    [/\b(?:in use|in-use|associated)\b|\bare attached\b/, 'attached'],
  ];
  return firstMatch(text, table)?.value;
}

function extractSeverity(text: string): Severity | undefined {
  const table: [RegExp, Severity][] = [
    [/\b(?:critical|crit|criticals|sev ?1)\b/, 'critical'],
    [/\b(?:high|highs)(?:[- ]sev(?:erity)?)?\b|\bsev(?:erity)? high\b/, 'high'],
    [/\b(?:medium|med)(?:[- ]sev(?:erity)?)?\b|\bsev(?:erity)? medium\b/, 'medium'],
    [/\blow(?:[- ]sev(?:erity)?)\b|\bsev(?:erity)? low\b|\blow severity\b/, 'low'],
    [/\binfo(?:rmational)?\b/, 'info'],
  ];
  return firstMatch(text, table)?.value;
}

function extractTopic(text: string): Topic | undefined {
  const table: [RegExp, Topic][] = [
    [/\bssh\b|\bport 22\b/, 'ssh'],
    [/\brdp\b|\bport 3389\b/, 'rdp'],
    [/\b(?:unencrypted|encrypted|encryption|not encrypted)\b/, 'encryption'],
    [/\bimds(?:v1)?\b/, 'imds'],
    [/\b(?:tls|ssl)\b/, 'tls'],
    [/\bbackups?\b/, 'backups'],
  ];
  return firstMatch(text, table)?.value;
}

function extractAction(text: string, kind: KindClass | undefined): RecommendationAction | undefined {
  if (/\bgp2\b|\bgp3\b/.test(text)) return 'change-volume-type';
  if (/\b(?:right[- ]?siz\w*|downsiz\w*|resiz\w*|smaller (?:size|type)s?)\b/.test(text)) return 'resize';
  if (/\b(?:moderni[sz]\w*|previous[- ]generation|old(?:er)? generation|older instance types?)\b/.test(text)) return 'modernize';
  if (/\bstopped (?:for|since) (?:weeks|months|days|ages|a long time|long)\b|\blong[- ]stopped\b/.test(text)) return 'delete-stopped';
  if (/\breleas\w*\b/.test(text) || (kind === 'address' && /\b(?:unused|unassociated|free|idle)\b/.test(text))) return 'release-address';
  if (kind === 'snapshot' && /\b(?:old|orphaned|stale|delet\w*|remov\w*)\b/.test(text)) return 'delete-snapshot';
  if (kind === 'database' && /\b(?:idle|unused|drop|delet\w*|remov\w*)\b/.test(text)) return 'delete-database';
  if (kind === 'load-balancer' && /\b(?:idle|unused|delet\w*|remov\w*)\b/.test(text)) return 'delete-load-balancer';
  if (kind === 'volume' && /\b(?:unattached|orphaned|detached|unused|delet\w*|remov\w*)\b/.test(text)) return 'delete-volume';
  if ((kind === 'instance' || kind === undefined) && /\bidle\b|\b(?:could|can|should) stop\b/.test(text)) return 'stop';
  return undefined;
}

/** Everything the text names; the intent then keeps the entities its tool takes. */
export function extractEntities(normalised: Normalised, today: string): Extraction {
  const { text, tokens } = normalised;
  const found: Extraction = {};

  const rule = RULE_ID.exec(text);
  if (rule) found.rule = rule[1].toUpperCase();

  const cloud = firstMatch(text.replace(RULE_ID, '_'), CLOUD_WORDS);
  if (cloud) found.cloud = cloud.value;

  const { account, cloudOfAccount, index: accountIndex } = extractAccount(normalised);
  if (account) found.account = account;
  if (cloudOfAccount) found.cloudOfAccount = cloudOfAccount;

  // Words inside a name or an account ("checkout-data-test-00ah", "the prod project") are part of
  // it: not a kind, an environment or a state.
  const unnamed = tokens.map((token, i) => (i === accountIndex || isIdentifier(token) ? '_' : token)).join(' ');
  let kind: { word: KindWord; index: number } | undefined;
  for (const word of KIND_WORDS) {
    const match = word.pattern.exec(unnamed);
    if (match && (!kind || match.index < kind.index)) kind = { word, index: match.index };
  }
  if (kind) {
    found.kind = kind.word.kind;
    if (kind.word.cloud) found.cloudOfKind = kind.word.cloud;
  }

  const region = extractRegion(text, tokens, found.cloud ?? found.cloudOfKind ?? found.cloudOfAccount);
  if (region) found.region = region;

  const exclude = new Set([account, typeof region === 'string' ? region : undefined].filter((x): x is string => !!x));
  const resource = extractResource(normalised, exclude);
  if (resource) found.resource = resource;

  const pair = extractTagPairs(normalised.original);
  if (pair) found.tag = pair;
  else {
    const env = firstMatch(unnamed, ENVIRONMENTS);
    if (env) found.tag = `env=${env.value}`;
  }
  const tagKey = /\btag[: ]([a-z][\w-]*)\b/.exec(text)?.[1] ?? firstMatch(unnamed, TAG_KEYS)?.value;
  if (tagKey) found.tagKey = tagKey;

  const state = extractState(unnamed);
  if (state) found.state = state;
  const severity = extractSeverity(unnamed);
  if (severity) found.severity = severity;
  const service = firstMatch(text, SERVICES);
  if (service) found.service = service.value;
  const topic = extractTopic(unnamed);
  if (topic) found.topic = topic;
  const action = extractAction(unnamed, found.kind);
  if (action) found.action = action;
  const period = parseTimeRange(unnamed, today);
  if (period) found.period = period;
  const amount = extractAmount(unnamed);
  if (amount) found.amount = amount;
  return found;
}
