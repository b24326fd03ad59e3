// Parsers for the sandbox's settings, shared by `guardian sandbox` flags and the demo profile's
// GUARDIAN_DEMO_* variables. Each takes the name the user typed, so a bad value is one line
// naming the flag or variable (UsageError, exit 2) before anything starts.

import { UsageError } from '../errors.js';
import { MAX_ESTATE_SIZE, MIN_ESTATE_SIZE, normalizeEstateOptions } from './estate/generate.js';
import type { OperationFault, ThrottleOptions } from './server/faults.js';

export function parseSeed(name: string, value: string): number {
  const n = /^\d+$/.test(value.trim()) ? Number(value) : Number.NaN;
  if (!Number.isInteger(n) || n > 0xffffffff) throw new UsageError(`${name} takes a whole number from 0 to 4294967295, not '${value}'`);
  return n;
}

export function parseSize(name: string, value: string): number {
  const n = /^\d+$/.test(value.trim().replaceAll('_', '')) ? Number(value.trim().replaceAll('_', '')) : Number.NaN;
  if (!Number.isInteger(n) || n < MIN_ESTATE_SIZE || n > MAX_ESTATE_SIZE) {
    throw new UsageError(
      `${name} takes a number of resources from ${MIN_ESTATE_SIZE} to ${MAX_ESTATE_SIZE.toLocaleString('en-US')}, not '${value}'`,
    );
  }
  return n;
}

/** A UTC day, YYYY-MM-DD; returns it as the estate's ISO midnight. */
export function parseDay(name: string, value: string): string {
  try {
    return normalizeEstateOptions({ seed: 0, size: MIN_ESTATE_SIZE, now: value.trim() }).now;
  } catch {
    throw new UsageError(`${name} takes a UTC day like 2026-01-31, not '${value}'`);
  }
}

/** "MS" or "MS:JITTER" (milliseconds). */
export function parseLatency(name: string, value: string): { latencyMs: number; jitterMs: number } {
  const match = /^(\d+(?:\.\d+)?)(?::(\d+(?:\.\d+)?))?$/.exec(value.trim());
  if (!match) throw new UsageError(`${name} takes milliseconds, optionally with jitter (e.g. 50 or 50:20), not '${value}'`);
  return { latencyMs: Number(match[1]), jitterMs: Number(match[2] ?? 0) };
}

/** "CAPACITY:REFILL_PER_SECOND", e.g. "100:20" (EC2's non-mutating bucket). */
export function parseThrottle(name: string, value: string): ThrottleOptions {
  const match = /^(\d+):(\d+(?:\.\d+)?)$/.exec(value.trim());
  const capacity = match ? Number(match[1]) : 0;
  const refillPerSecond = match ? Number(match[2]) : 0;
  if (!match || capacity < 1 || refillPerSecond <= 0) {
    throw new UsageError(`${name} takes CAPACITY:REFILL_PER_SECOND with both above zero (e.g. 100:20), not '${value}'`);
  }
  return { capacity, refillPerSecond };
}

/** A share of requests: 0 to 1 (e.g. 0.05), or a percentage (5%). */
export function parseRate(name: string, value: string): number {
  const text = value.trim();
  const percent = text.endsWith('%');
  const n = /^\d+(\.\d+)?%?$/.test(text) ? Number(percent ? text.slice(0, -1) : text) / (percent ? 100 : 1) : Number.NaN;
  if (!Number.isFinite(n) || n < 0 || n > 1)
    throw new UsageError(`${name} takes a rate from 0 to 1 (or a percentage such as 5%), not '${value}'`);
  return n;
}

/** on/off (also true/false, 1/0, yes/no). */
export function parseSwitch(name: string, value: string): boolean {
  const text = value.trim().toLowerCase();
  if (['on', 'true', '1', 'yes'].includes(text)) return true;
  if (['off', 'false', '0', 'no'].includes(text)) return false;
  throw new UsageError(`${name} takes on or off, not '${value}'`);
}

/** Region names, comma-separated and/or repeated. */
export function parseOutageRegions(name: string, values: string | string[]): string[] {
  const list = (Array.isArray(values) ? values : [values])
    .flatMap((v) => v.split(','))
    .map((v) => v.trim())
    .filter(Boolean);
  for (const region of list) {
    if (!/^[a-z][a-z0-9-]*[a-z0-9]$/.test(region)) throw new UsageError(`${name} takes region names (e.g. eu-west-1), not '${region}'`);
  }
  return [...new Set(list)];
}

export function parsePort(name: string, value: string): number {
  const n = /^\d+$/.test(value.trim()) ? Number(value) : Number.NaN;
  if (!Number.isInteger(n) || n > 65_535) throw new UsageError(`${name} takes a port from 0 to 65535 (0: any free port), not '${value}'`);
  return n;
}

/**
 * "OPERATION[#N][:error|:denied]", repeated or comma-separated: fail every call of an operation
 * (or only its Nth) with the service's 5xx (error, the default) or its permission error (denied).
 * Operations by their permission names: DeleteVolume, Microsoft.Compute/disks/delete, compute.disks.delete.
 */
export function parseOperationFaults(name: string, values: string | string[]): OperationFault[] {
  const faults: OperationFault[] = [];
  for (const text of (Array.isArray(values) ? values : [values]).flatMap((v) => v.split(',')).map((v) => v.trim())) {
    if (!text) continue;
    const match = /^([A-Za-z][\w./-]*)(?:#(\d+))?(?::(error|denied))?$/.exec(text);
    const nth = match?.[2] === undefined ? undefined : Number(match[2]);
    if (!match || nth === 0) {
      throw new UsageError(`${name} takes OPERATION[#N][:error|:denied] (e.g. DeleteVolume#2:denied), not '${text}'`);
    }
    faults.push({ operation: match[1], nth, answer: match[3] === 'denied' ? 'denied' : 'server-error' });
  }
  return faults;
}

/** A duration in whole milliseconds, 0 or more (e.g. how long a pending change takes to settle). */
export function parseMilliseconds(name: string, value: string): number {
  const n = /^\d+$/.test(value.trim()) ? Number(value) : Number.NaN;
  if (!Number.isSafeInteger(n)) throw new UsageError(`${name} takes whole milliseconds, 0 or more (e.g. 1000), not '${value}'`);
  return n;
}
