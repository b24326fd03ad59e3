// Machine families as the price tables know them: the next size down in a type's family, and the
// current-generation equivalent of a previous-generation type. A size exists for Guardian when the
// bundled table prices it, so every target named here has a list price.

import { priceCatalog } from './catalog.js';

export type MachineCloud = 'aws' | 'azure' | 'gcp';

/** EC2 sizes from smallest to largest (metal and the odd sizes of c5 sit where their vCPUs put them). */
const AWS_SIZES = [
  'nano',
  'micro',
  'small',
  'medium',
  'large',
  'xlarge',
  '2xlarge',
  '4xlarge',
  '8xlarge',
  '9xlarge',
  '10xlarge',
  '12xlarge',
  '16xlarge',
  '18xlarge',
  '24xlarge',
  '32xlarge',
];

function knownTypes(cloud: MachineCloud): string[] {
  const catalog = priceCatalog();
  if (cloud === 'aws') return Object.keys(catalog.ec2.prices);
  if (cloud === 'azure') return Object.keys(catalog.azure.vmSizes);
  return Object.keys(catalog.gcp.machineTypes);
}

/** A type's family and its rank within it: m6i.2xlarge → (m6i, 6); Standard_D8s_v5 → (Standard_D#s_v5, 8); n2-standard-8 → (n2-standard, 8). */
function familyOf(cloud: MachineCloud, type: string): { family: string; rank: number } | undefined {
  if (cloud === 'aws') {
    const dot = type.indexOf('.');
    const rank = AWS_SIZES.indexOf(type.slice(dot + 1));
    return dot > 0 && rank >= 0 ? { family: type.slice(0, dot), rank } : undefined;
  }
  if (cloud === 'azure') {
    const match = /^(Standard|Basic)_([A-Z]+)(\d+)(.*)$/.exec(type);
    return match ? { family: `${match[1]}_${match[2]}#${match[4]}`, rank: Number(match[3]) } : undefined;
  }
  const match = /^(.+)-(\d+)$/.exec(type);
  return match ? { family: match[1], rank: Number(match[2]) } : undefined;
}

/** The next smaller size of the type's own family that the price tables list, if any. */
export function oneSizeDown(cloud: MachineCloud, type: string): string | undefined {
  const own = familyOf(cloud, type);
  if (!own) return undefined;
  let best: { type: string; rank: number } | undefined;
  for (const candidate of knownTypes(cloud)) {
    const other = familyOf(cloud, candidate);
    if (!other || other.family !== own.family || other.rank >= own.rank) continue;
    if (!best || other.rank > best.rank) best = { type: candidate, rank: other.rank };
  }
  return best?.type;
}

/** Previous-generation EC2 families and their current equivalents, best first (same size, same architecture). */
const AWS_CURRENT: Record<string, string[]> = {
  t1: ['t3'],
  t2: ['t3'],
  m1: ['m6i', 't3'],
  m3: ['m6i', 't3'],
  m4: ['m6i', 'm7i'],
  c3: ['c6i'],
  c4: ['c6i'],
  r3: ['r6i'],
  r4: ['r6i'],
};

/** Azure previous generations (v2 and v3/v4 D and E series, basic and A series) and the v5 sizes that replace them. */
const AZURE_CURRENT: Record<string, string[]> = {
  Basic_A1: ['Standard_B1ms'],
  Standard_A1: ['Standard_B1ms'],
  Standard_A2: ['Standard_B2s'],
  Standard_A1_v2: ['Standard_B1ms'],
  Standard_A2_v2: ['Standard_B2s'],
  Standard_A4_v2: ['Standard_B4ms', 'Standard_D4as_v5'],
  Standard_D1_v2: ['Standard_B1ms'],
  Standard_D2_v2: ['Standard_D2as_v5', 'Standard_D2s_v5'],
  Standard_D3_v2: ['Standard_D4as_v5', 'Standard_D4s_v5'],
  Standard_D4_v2: ['Standard_D8as_v5', 'Standard_D8s_v5'],
  Standard_DS1_v2: ['Standard_B1ms'],
  Standard_DS2_v2: ['Standard_D2as_v5', 'Standard_D2s_v5'],
  Standard_DS3_v2: ['Standard_D4as_v5', 'Standard_D4s_v5'],
  Standard_D2_v3: ['Standard_D2as_v5', 'Standard_D2s_v5'],
  Standard_D4_v3: ['Standard_D4as_v5', 'Standard_D4s_v5'],
  Standard_D2s_v3: ['Standard_D2as_v5', 'Standard_D2s_v5'],
  Standard_D4s_v3: ['Standard_D4as_v5', 'Standard_D4s_v5'],
  Standard_D8s_v3: ['Standard_D8as_v5', 'Standard_D8s_v5'],
  Standard_D16s_v3: ['Standard_D16as_v5', 'Standard_D16s_v5'],
  Standard_D2s_v4: ['Standard_D2as_v5', 'Standard_D2s_v5'],
  Standard_D4s_v4: ['Standard_D4as_v5', 'Standard_D4s_v5'],
  Standard_E2s_v3: ['Standard_E2s_v5'],
  Standard_E4s_v3: ['Standard_E4s_v5'],
  Standard_E8s_v3: ['Standard_E8s_v5'],
  Standard_E16s_v3: ['Standard_E16s_v5'],
};

/** GCP's first generation (n1, g1, f1) and the E2/N2 types that replace it. */
const GCP_CURRENT: Record<string, string[]> = {
  'f1-micro': ['e2-micro'],
  'g1-small': ['e2-small'],
  'n1-standard-1': ['e2-medium'],
};

function gcpCandidates(type: string): string[] {
  const explicit = GCP_CURRENT[type];
  if (explicit) return explicit;
  const match = /^n1-(standard|highmem|highcpu)-(\d+)$/.exec(type);
  return match ? [`e2-${match[1]}-${match[2]}`, `n2-${match[1]}-${match[2]}`] : [];
}

/** Whether the type is a previous generation Guardian knows a current equivalent for. */
export function isPreviousGeneration(cloud: MachineCloud, type: string): boolean {
  return currentCandidates(cloud, type).length > 0;
}

function currentCandidates(cloud: MachineCloud, type: string): string[] {
  if (cloud === 'aws') {
    const dot = type.indexOf('.');
    const families = AWS_CURRENT[type.slice(0, dot)] ?? [];
    return families.map((family) => `${family}.${type.slice(dot + 1)}`);
  }
  if (cloud === 'azure') return AZURE_CURRENT[type] ?? [];
  return gcpCandidates(type);
}

/**
 * The current-generation equivalents of a previous-generation type that the tables price, best
 * first. The caller picks the first that is cheaper where the machine runs.
 */
export function currentEquivalents(cloud: MachineCloud, type: string): string[] {
  const known = new Set(knownTypes(cloud));
  return currentCandidates(cloud, type).filter((candidate) => known.has(candidate));
}
