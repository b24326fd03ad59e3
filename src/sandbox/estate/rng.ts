// Seeded randomness for the sandbox: the estate, its metrics and injected faults must be the same
// byte for byte for a seed on every machine and after every dependency upgrade, so the algorithms
// are pinned here rather than borrowed: sfc32 (Chris Doty-Humphrey's PractRand "small fast
// counting" generator) for streams, and a murmur3-style finalizer for stateless hashing.

/** Mixes 32 bits so every input bit affects every output bit (murmur3's fmix32). */
export function mix32(value: number): number {
  let h = value >>> 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** A 32-bit hash of a string (FNV-1a, then mixed): stable ids → stable metric noise. */
export function hashString(text: string, seed = 0): number {
  let h = (0x811c9dc5 ^ seed) >>> 0;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return mix32(h);
}

/** Combines 32-bit words into one hash (order matters). */
export function hashWords(...words: number[]): number {
  let h = 0x9e3779b9;
  for (const word of words) h = mix32((h ^ mix32(word >>> 0)) + 0x7f4a7c15);
  return h;
}

/** A uniform number in [0, 1) from a 32-bit hash. */
export function unitOf(hash: number): number {
  return (hash >>> 0) / 4294967296;
}

export class Rng {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  constructor(seed: number, stream = 0) {
    this.a = mix32(seed ^ 0x9e3779b9);
    this.b = mix32(seed + 0x243f6a88);
    this.c = mix32(stream ^ 0xb7e15162);
    this.d = 1;
    // The first outputs of a freshly seeded sfc32 are correlated with the seed; skip them.
    for (let i = 0; i < 15; i++) this.next();
  }

  /** A child generator for one purpose, so adding draws in one place never shifts another. */
  fork(label: string): Rng {
    return new Rng(hashWords(this.next(), hashString(label)), hashString(label, 1));
  }

  /** A uniform 32-bit unsigned integer. */
  next(): number {
    const t = (((this.a + this.b) >>> 0) + this.d) >>> 0;
    this.d = (this.d + 1) >>> 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) >>> 0;
    this.c = ((this.c << 21) | (this.c >>> 11)) >>> 0;
    this.c = (this.c + t) >>> 0;
    return t;
  }

  /** Uniform in [0, 1). */
  float(): number {
    return this.next() / 4294967296;
  }

  /** Uniform integer in [min, max] (inclusive). */
  int(min: number, max: number): number {
    return min + Math.floor(this.float() * (max - min + 1));
  }

  chance(probability: number): boolean {
    return this.float() < probability;
  }

  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.float() * items.length)];
  }

  /** Picks by weight; weights need not sum to 1. */
  weighted<T>(items: readonly T[], weights: readonly number[]): T {
    let total = 0;
    for (const weight of weights) total += weight;
    let roll = this.float() * total;
    for (let i = 0; i < items.length; i++) {
      roll -= weights[i];
      if (roll < 0) return items[i];
    }
    return items[items.length - 1];
  }

  /** `count` distinct indices out of [0, n), in random order (partial Fisher–Yates). */
  sample(n: number, count: number): number[] {
    const k = Math.min(count, n);
    const swapped = new Map<number, number>();
    const out: number[] = [];
    for (let i = 0; i < k; i++) {
      const j = i + Math.floor(this.float() * (n - i));
      const atJ = swapped.get(j) ?? j;
      swapped.set(j, swapped.get(i) ?? i);
      out.push(atJ);
    }
    return out;
  }

  /** A random permutation of the items (Fisher–Yates), new array. */
  shuffle<T>(items: readonly T[]): T[] {
    const out = items.slice();
    for (let i = out.length - 1; i > 0; i--) {
      const j = Math.floor(this.float() * (i + 1));
      [out[i], out[j]] = [out[j], out[i]];
    }
    return out;
  }

  hex(length: number): string {
    let out = '';
    while (out.length < length) out += this.next().toString(16).padStart(8, '0');
    return out.slice(0, length);
  }

  /** Characters from an alphabet (access keys, secrets, suffixes). */
  chars(length: number, alphabet: string): string {
    let out = '';
    for (let i = 0; i < length; i++) out += alphabet[Math.floor(this.float() * alphabet.length)];
    return out;
  }

  uuid(): string {
    const h = this.hex(32);
    const variant = ((Number.parseInt(h[16], 16) & 0x3) | 0x8).toString(16);
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${h.slice(20, 32)}`;
  }
}
