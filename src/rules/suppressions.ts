// Accepted risk: suppressions from the profile or .guardian-suppressions.yaml, each with a reason
// and an optional expiry. An expired suppression stops applying and is reported so it gets reviewed.

import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { UsageError } from '../errors.js';
import { type Finding, SUPPRESSION_SCHEMA, type Suppression } from '../model/finding.js';

export const SUPPRESSIONS_FILE = '.guardian-suppressions.yaml';

/** A suppression and where it was declared ('profile work', '.guardian-suppressions.yaml'). */
export interface DeclaredSuppression extends Suppression {
  origin: string;
}

const FILE_SCHEMA = {
  type: 'object',
  required: ['suppressions'],
  properties: { suppressions: { type: 'array', items: SUPPRESSION_SCHEMA } },
  additionalProperties: false,
} as const;

/**
 * Reads `.guardian-suppressions.yaml` from `directory`. Absent: no suppressions. Present but not
 * YAML, or not of the expected shape: a UsageError naming the file and the first problem.
 */
export async function readSuppressionsFile(directory: string): Promise<DeclaredSuppression[]> {
  const file = path.join(directory, SUPPRESSIONS_FILE);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw new UsageError(`cannot read ${file}: ${(error as Error).message}`);
  }
  const { parse } = await import('yaml');
  let data: unknown;
  try {
    data = parse(text);
  } catch (error) {
    throw new UsageError(`${file} is not valid YAML: ${(error as Error).message.split('\n')[0]}`);
  }
  const problem = await validate(FILE_SCHEMA, data);
  if (problem) {
    throw new UsageError(`${file} is not a suppressions file: ${problem}`, {
      hint: 'expected "suppressions:" with a list of { rule: AWS-EC2-001, resource: <id>, reason: <why>, expires: YYYY-MM-DD }',
    });
  }
  const suppressions = (data as { suppressions: Suppression[] }).suppressions;
  const bad = suppressions.find((s) => s.expires !== undefined && Number.isNaN(expiryTime(s.expires)));
  if (bad) throw new UsageError(`${file}: expires '${bad.expires}' of the suppression for ${bad.rule} is not a real date`);
  return suppressions.map((s) => ({ ...s, origin: SUPPRESSIONS_FILE }));
}

/** Profile suppressions were validated by the config store's schema when stored. */
export function profileSuppressions(profileName: string, suppressions: Suppression[] | undefined): DeclaredSuppression[] {
  return (suppressions ?? []).map((s) => ({ ...s, origin: `profile ${profileName}` }));
}

async function validate(schema: object, data: unknown): Promise<string | undefined> {
  const { Ajv2020 } = await import('ajv/dist/2020.js');
  const check = new Ajv2020({ allErrors: false, strict: false }).compile(schema);
  if (check(data)) return undefined;
  const error = check.errors?.[0];
  if (!error) return 'invalid';
  const where = error.instancePath ? error.instancePath.replace(/^\//, '').replaceAll('/', '.') : 'the top level';
  const extra = error.params && 'additionalProperty' in error.params ? ` '${String(error.params.additionalProperty)}'` : '';
  return `${where} ${error.message}${extra}`;
}

/** A date alone means "through the end of that day, UTC". */
export function expiryTime(expires: string): number {
  const day = expires.slice(0, 10);
  // Date.parse rolls 2026-02-30 over to March; a date that does not round-trip is not a real one.
  if (Number.isNaN(Date.parse(`${day}T00:00:00Z`)) || new Date(`${day}T00:00:00Z`).toISOString().slice(0, 10) !== day) return Number.NaN;
  return expires.length === 10 ? Date.parse(`${day}T23:59:59.999Z`) : Date.parse(expires);
}

export function isExpired(suppression: Suppression, now: Date): boolean {
  return suppression.expires !== undefined && expiryTime(suppression.expires) < now.getTime();
}

function matches(suppression: Suppression, finding: Finding): boolean {
  if (suppression.rule !== '*' && suppression.rule !== finding.ruleId) return false;
  if (suppression.resource === undefined) return true;
  return [finding.resource.id, finding.resource.name, finding.source?.address].includes(suppression.resource);
}

export interface SuppressedFinding {
  finding: Finding;
  suppression: DeclaredSuppression;
}

export interface SuppressionOutcome {
  active: Finding[];
  suppressed: SuppressedFinding[];
  /** Expired suppressions (they no longer apply), with how many findings they would have hidden. */
  expired: { suppression: DeclaredSuppression; wouldMatch: number }[];
}

export function applySuppressions(findings: Finding[], suppressions: DeclaredSuppression[], now: Date): SuppressionOutcome {
  const live = suppressions.filter((s) => !isExpired(s, now));
  const expired = suppressions.filter((s) => isExpired(s, now)).map((suppression) => ({ suppression, wouldMatch: 0 }));
  const active: Finding[] = [];
  const suppressed: SuppressedFinding[] = [];
  for (const finding of findings) {
    const suppression = live.find((s) => matches(s, finding));
    if (suppression) suppressed.push({ finding, suppression });
    else active.push(finding);
    for (const entry of expired) if (matches(entry.suppression, finding)) entry.wouldMatch += 1;
  }
  return { active, suppressed, expired };
}
