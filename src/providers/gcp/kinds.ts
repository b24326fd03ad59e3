// Every GCP kind, one service file each (compute.ts): what the provider lists and `config test` probes.

import type { KindSpec } from '../types.js';
import { computeKinds, type GcpKindContext } from './compute.js';

export function gcpKinds(context: GcpKindContext): KindSpec[] {
  return computeKinds(context);
}
