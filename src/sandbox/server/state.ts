// The server's service-owned state, one typed slot per use: a module declares its slot once
// (`serverSlot` for what must outlive every request — issued tokens, registered keys — and
// `estateSlot` for lookups and memos derived from the estate's resources) and reads it with
// `ctx.state.get(SLOT)`, which builds the value on first use. Estate slots are dropped whenever
// the estate changes (EstateStore), so no module serves a listing from before a mutation.

import type { Estate } from '../estate/types.js';
import type { EstateIndex } from './index-estate.js';

/** What a slot's first value is built from. */
export interface StateSource {
  estate: Estate;
  index: EstateIndex;
}

export interface StateSlot<T> {
  /** For debugging only: slots are told apart by identity, not by name. */
  readonly name: string;
  /** 'server': lives as long as the server; 'estate': derived from resources, rebuilt after a change. */
  readonly lifetime: 'server' | 'estate';
  create(source: StateSource): T;
}

/** State that lives as long as the server (issued tokens, registered keys, submitted jobs). */
export function serverSlot<T>(name: string, create: (source: StateSource) => T): StateSlot<T> {
  return { name, lifetime: 'server', create };
}

/** A lookup or memo derived from the estate's resources: dropped when the estate changes. */
export function estateSlot<T>(name: string, create: (source: StateSource) => T): StateSlot<T> {
  return { name, lifetime: 'estate', create };
}

export class SandboxState {
  private readonly values = new Map<StateSlot<unknown>, unknown>();

  constructor(private readonly source: () => StateSource) {}

  get<T>(slot: StateSlot<T>): T {
    if (this.values.has(slot)) return this.values.get(slot) as T;
    const value = slot.create(this.source());
    this.values.set(slot, value);
    return value;
  }

  /** The estate changed: every value derived from its resources is rebuilt on next use. */
  estateChanged(): void {
    for (const slot of this.values.keys()) if (slot.lifetime === 'estate') this.values.delete(slot);
  }
}
