// Compliance references rules cite, built from one table so benchmark names and versions stay consistent.

import { BENCHMARKS, type Framework, type RuleReference } from './rule.js';

export function cis(framework: Framework, control: string, title: string): RuleReference {
  return { framework, ...BENCHMARKS[framework], control, title };
}

/** AWS Foundational Security Best Practices (Security Hub control ids). */
export function fsbp(control: string, title: string): RuleReference {
  return { framework: 'aws-fsbp', benchmark: 'AWS Foundational Security Best Practices', version: '1.0.0', control, title };
}

/** Microsoft cloud security benchmark. */
export function mcsb(control: string, title: string): RuleReference {
  return { framework: 'azure-mcsb', benchmark: 'Microsoft cloud security benchmark', version: '1.0', control, title };
}
