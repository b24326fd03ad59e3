// What the engine tells its listeners while it runs: the progress line, the Ink dashboard and
// --verbose all subscribe to these; none of them is known to the engine.

import type { Cloud, ResourceKind } from '../model/resource.js';
import type { ClassifiedError, Scope } from '../providers/types.js';

export type DiscoveryEvent =
  | { type: 'scopes-start'; cloud: Cloud }
  | { type: 'scopes-done'; cloud: Cloud; scopes: number; failures: number; tasks: number }
  | { type: 'page'; scope: Scope; kind: ResourceKind; resources: number }
  | { type: 'task-done'; scope: Scope; kind: ResourceKind; resources: number; pages: number }
  | { type: 'task-failed'; scope: Scope; kind: ResourceKind; error: ClassifiedError; attempts: number }
  | { type: 'retry'; cloud: Cloud; label: string; error: ClassifiedError; attempt: number; delayMs: number };
