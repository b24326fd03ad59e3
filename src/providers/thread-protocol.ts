// The messages between the discovery engine (main thread) and a provider thread. Scopes cross as
// plain data: their provider-private handle stays in the thread and is referred to by a key.

import type { Profile } from '../config/profile.js';
import type { Cloud, ResourceKind } from '../model/resource.js';
import type { ProviderOptions } from './factory.js';
import type { ClassifiedError, FaceName, Page, Scope, ScopeListing } from './types.js';

export interface ThreadInit {
  cloud: Cloud;
  profile: Profile;
  env: NodeJS.ProcessEnv;
  options: ProviderOptions;
}

/** An error as it crosses the thread boundary; Guardian's own errors keep their class and hint. */
export interface SerializedError {
  name: string;
  message: string;
  hint?: string;
  stack?: string;
}

export type ToThread =
  | { op: 'listScopes'; id: number; regions?: string[] }
  | { op: 'listPage'; id: number; scope: string; kind: ResourceKind; token?: string; raw: boolean; countRequests: boolean }
  | { op: 'face'; id: number; face: FaceName; query: unknown }
  | { op: 'abort'; id: number }
  | { op: 'close'; id: number };

export type FromThread =
  | { op: 'ready'; kinds: { kind: ResourceKind; scopeType: Scope['type']; permissions: readonly string[] }[]; faces: FaceName[] }
  | { op: 'init-failed'; error: SerializedError }
  /** `value` is a page, a scope listing, or a face's answer (plain data). */
  | { op: 'done'; id: number; value: Page | ScopeListing | unknown }
  | { op: 'failed'; id: number; classified: ClassifiedError; error: SerializedError }
  | { op: 'request'; id: number; service: string };

export function serializeError(error: unknown): SerializedError {
  if (error instanceof Error) {
    const hint = (error as { hint?: unknown }).hint;
    return { name: error.name, message: error.message, stack: error.stack, ...(typeof hint === 'string' ? { hint } : {}) };
  }
  return { name: 'Error', message: String(error) };
}
