// Verdicts from a single boolean or enumerated attribute, so that every rule treats an unknown
// value the same way: as unknown, never as a pass.

import type { Resource } from '../model/resource.js';
import { fail, label, PASS, unknown, type Verdict } from './rule.js';

export interface FlagCheck {
  /** The attribute the rule reads. */
  attribute: string;
  /** The value that is a finding. */
  bad: boolean;
  /** How the resource is called in messages: 'EBS volume'. */
  noun: string;
  /** Completes "<noun "name" (id)> …": 'is not encrypted at rest'. */
  failure: string;
  /** Completes "Could not verify whether <noun> …": 'is encrypted at rest'. */
  question: string;
}

export function flagCheck(resource: Resource, spec: FlagCheck): Verdict {
  const value = resource.attributes[spec.attribute];
  if (value === spec.bad) return fail(`${label(spec.noun, resource)} ${spec.failure}.`);
  if (typeof value === 'boolean') return PASS;
  return unknown(resource, label(spec.noun, resource), [spec.attribute], spec.question);
}
