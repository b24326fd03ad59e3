// Baselines: `--write-baseline FILE` records today's findings by fingerprint; `--baseline FILE`
// marks findings already recorded so that CI fails only on new ones.

import { readFile, writeFile } from 'node:fs/promises';
import { UsageError } from '../errors.js';
import type { Finding } from '../model/finding.js';

export const BASELINE_KIND = 'guardian.scan-baseline';
export const BASELINE_VERSION = 1;

export interface BaselineEntry {
  fingerprint: string;
  ruleId: string;
  resource: string;
}

export interface Baseline {
  schemaVersion: typeof BASELINE_VERSION;
  kind: typeof BASELINE_KIND;
  createdAt: string;
  findings: BaselineEntry[];
}

export function buildBaseline(findings: Finding[], now: Date): Baseline {
  const entries = new Map<string, BaselineEntry>();
  for (const f of findings) entries.set(f.fingerprint, { fingerprint: f.fingerprint, ruleId: f.ruleId, resource: f.resource.id });
  return {
    schemaVersion: BASELINE_VERSION,
    kind: BASELINE_KIND,
    createdAt: now.toISOString(),
    findings: [...entries.values()].sort((a, b) => a.fingerprint.localeCompare(b.fingerprint)),
  };
}

export async function writeBaseline(file: string, baseline: Baseline): Promise<void> {
  try {
    await writeFile(file, `${JSON.stringify(baseline, null, 2)}\n`);
  } catch (error) {
    throw new UsageError(`cannot write baseline ${file}: ${(error as Error).message}`);
  }
}

/** The fingerprints a baseline file records; anything that is not a baseline is a usage error naming the file. */
export async function readBaseline(file: string): Promise<Set<string>> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new UsageError(`cannot read baseline ${file}: ${code === 'ENOENT' ? 'no such file' : (error as Error).message}`, {
      hint: code === 'ENOENT' ? `create it with: guardian scan --write-baseline ${file}` : undefined,
    });
  }
  let data: Partial<Baseline>;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new UsageError(`baseline ${file} is not valid JSON: ${(error as Error).message}`);
  }
  if (typeof data !== 'object' || data === null || data.kind !== BASELINE_KIND || !Array.isArray(data.findings)) {
    throw new UsageError(`${file} is not a Guardian scan baseline (expected "kind": "${BASELINE_KIND}" and a "findings" list)`);
  }
  if (data.schemaVersion !== BASELINE_VERSION) {
    throw new UsageError(
      `baseline ${file} has schemaVersion ${String(data.schemaVersion)}; this Guardian reads version ${BASELINE_VERSION}`,
    );
  }
  const fingerprints = new Set<string>();
  data.findings.forEach((entry, index) => {
    if (typeof entry?.fingerprint !== 'string') throw new UsageError(`baseline ${file}: findings[${index}] has no fingerprint`);
    fingerprints.add(entry.fingerprint);
  });
  return fingerprints;
}
