// Parsers for option values shared by several commands (each throws a UsageError naming the
// flag, so a bad value is one line and exit 2 before any work starts), and the completion values
// a command attaches to its options and arguments.

import type { Argument, Option } from 'commander';
import { UsageError } from '../src/errors.js';
import { allKnownRegions, cloudsOfRegion } from '../src/model/regions.js';
import { CLOUDS, type Cloud, RESOURCE_KINDS, type ResourceKind } from '../src/model/resource.js';
import { didYouMean } from '../src/model/suggest.js';

/** Values given as repeated flags and/or comma-separated lists. */
export function listValues(values: string | string[] | undefined): string[] | undefined {
  if (values === undefined) return undefined;
  const list = (Array.isArray(values) ? values : [values])
    .flatMap((v) => v.split(','))
    .map((v) => v.trim())
    .filter(Boolean);
  return list.length > 0 ? [...new Set(list)] : undefined;
}

export function parsePositiveInt(flag: string, value: string | undefined, max = 100_000): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value.trim())) throw new UsageError(`${flag} takes a whole number, not '${value}'`);
  const n = Number(value);
  if (n < 1 || n > max) throw new UsageError(`${flag} must be between 1 and ${max.toLocaleString('en-US')}, not ${value}`);
  return n;
}

const UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/** "500ms", "30s", "5m", "1h", or a bare number of seconds. */
export function parseDuration(flag: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const match = /^(\d+(?:\.\d+)?)(ms|s|m|h)?$/.exec(value.trim());
  if (!match) throw new UsageError(`${flag} takes a duration such as 500ms, 30s or 5m, not '${value}'`);
  const ms = Math.round(Number(match[1]) * UNITS[match[2] ?? 's']);
  if (ms <= 0) throw new UsageError(`${flag} must be more than zero`);
  return ms;
}

export function parseClouds(values: string | string[] | undefined): Cloud[] | undefined {
  const list = listValues(values)?.map((v) => v.toLowerCase());
  if (!list) return undefined;
  for (const cloud of list) {
    if (!(CLOUDS as readonly string[]).includes(cloud))
      throw new UsageError(`--provider: unknown cloud '${cloud}' (choose ${CLOUDS.join(', ')})${didYouMean(cloud, CLOUDS)}`);
  }
  return list as Cloud[];
}

export function parseRegions(values: string | string[] | undefined, clouds?: Cloud[]): string[] | undefined {
  const list = listValues(values);
  if (!list) return undefined;
  for (const region of list) {
    const owners = cloudsOfRegion(region);
    if (owners.length === 0)
      throw new UsageError(`--region: '${region}' is not a region of AWS, Azure or GCP${didYouMean(region, allKnownRegions())}`);
    if (clouds && !owners.some((cloud) => clouds.includes(cloud))) {
      throw new UsageError(`--region: '${region}' is a ${owners.join('/')} region, but --provider is ${clouds.join(',')}`);
    }
  }
  return list;
}

/** Kinds by full name (aws.ec2.instance) or a prefix that selects several (aws.ec2, gcp). */
export function parseKinds(values: string | string[] | undefined): ResourceKind[] | undefined {
  const list = listValues(values);
  if (!list) return undefined;
  const kinds = new Set<ResourceKind>();
  for (const value of list) {
    const matches = RESOURCE_KINDS.filter((kind) => kind === value || kind.startsWith(`${value}.`));
    if (matches.length === 0)
      throw new UsageError(
        `--kind: unknown resource kind '${value}'${didYouMean(value, RESOURCE_KINDS)}; see 'guardian discover --list-kinds'`,
      );
    for (const kind of matches) kinds.add(kind);
  }
  return [...kinds];
}

/** Repeated flags collected in order (`--filter a --filter b`), one expression each: no comma splitting. */
export const collect = (value: string, previous: string[] | undefined): string[] => [...(previous ?? []), value];

/**
 * A suggestion that is looked up when the user presses Tab (`guardian __complete profiles`), because
 * it changes without Guardian changing: the profiles in the config store.
 */
export const PROFILE_NAMES = '@profiles';
const SUGGESTIONS = Symbol.for('guardian.completion.suggestions');
type Suggestible = (Option | Argument) & { [SUGGESTIONS]?: readonly string[] };

/** Offer these values when completing an option's or argument's value, without commander enforcing them. */
export function suggest<T extends Option | Argument>(target: T, values: readonly string[]): T {
  (target as Suggestible)[SUGGESTIONS] = values;
  return target;
}

/** The values `suggest` attached, for the completion generators. */
export function suggestionsOf(target: Option | Argument): readonly string[] | undefined {
  return (target as Suggestible)[SUGGESTIONS];
}
