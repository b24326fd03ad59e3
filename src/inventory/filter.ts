// `--filter` expressions over resources, kubectl/awscli style: `tag:env=prod`, `state=running`,
// `name!=web-*`, `tag:owner` (the tag is set), `!tag:owner` (it is not). Repeated filters are
// ANDed. Values may be globs (picomatch, where `*` also crosses `/`, since ids and ARNs hold them).

import picomatch from 'picomatch';
import { UsageError } from '../errors.js';
import type { Resource } from '../model/resource.js';
import { didYouMean } from '../model/suggest.js';

export const FILTER_KEYS = ['tag:KEY', 'state', 'name', 'id', 'account', 'region', 'kind', 'cloud'] as const;
const FIELDS = ['state', 'name', 'id', 'account', 'region', 'kind', 'cloud'] as const;
type Field = (typeof FIELDS)[number];

export interface ResourceFilter {
  /** The expressions as given, for messages and the printed snapshot. */
  expressions: string[];
  matches(resource: Resource): boolean;
}

function valueMatcher(value: string): (text: string | undefined) => boolean {
  if (!picomatch.scan(value).isGlob) return (text) => text === value;
  // bash: a single `*` matches `/` too (ids, ARNs and Azure resource ids are full of them).
  const isMatch = picomatch(value, { bash: true, dot: true });
  return (text) => text !== undefined && isMatch(text);
}

function parseOne(expression: string): (resource: Resource) => boolean {
  const text = expression.trim();
  const bad = (why: string) =>
    new UsageError(`--filter '${expression}': ${why} (e.g. tag:env=prod, state=running, name!=web-*, !tag:owner)`);
  const match = /^(!?)([^=!]+?)\s*(?:(!=|=)\s*(.*))?$/.exec(text);
  if (!match) throw bad('expected KEY=VALUE, KEY!=VALUE, tag:KEY or !tag:KEY');
  const [, negated, rawKey, operator, value] = match;
  const key = rawKey.trim();
  if (key.startsWith('tag:')) {
    const tag = key.slice(4);
    if (!tag) throw bad('tag: needs a tag key');
    if (operator === undefined) return negated ? (r) => !(tag in r.tags) : (r) => tag in r.tags;
    if (negated) throw bad("'!' goes with a bare tag:KEY; use tag:KEY!=VALUE");
    const matches = valueMatcher(value);
    // Like kubectl's `env!=prod`: a resource without the tag is not "prod" either.
    return operator === '=' ? (r) => tag in r.tags && matches(r.tags[tag]) : (r) => !(tag in r.tags) || !matches(r.tags[tag]);
  }
  if (!(FIELDS as readonly string[]).includes(key))
    throw bad(`unknown key '${key}'${didYouMean(key, [...FIELDS, 'tag'])}; keys are ${FILTER_KEYS.join(', ')}`);
  if (operator === undefined || negated) throw bad(`${key} needs a value: ${key}=VALUE or ${key}!=VALUE`);
  if (value === '') throw bad(`${key} needs a value after '${operator}'`);
  const field = key as Field;
  const matches = valueMatcher(value);
  return operator === '=' ? (r) => matches(r[field]) : (r) => !matches(r[field]);
}

/** Parse repeated `--filter` values (each one expression; all must match). Undefined when none. */
export function parseFilters(values: string | string[] | undefined): ResourceFilter | undefined {
  const expressions = (Array.isArray(values) ? values : values === undefined ? [] : [values]).filter((v) => v.trim() !== '');
  if (values !== undefined && expressions.length === 0) throw new UsageError('--filter needs an expression such as tag:env=prod');
  if (expressions.length === 0) return undefined;
  const tests = expressions.map(parseOne);
  return { expressions, matches: (resource) => tests.every((test) => test(resource)) };
}
