/**
 * Seeded randomness. Every number the simulator makes up (prices, volumes, fault draws, request
 * ids) comes from a generator seeded by a hash of the simulator seed and what the number is for,
 * so the same seed gives the same bodies on every machine and in every order of requests.
 */

/** A seeded source of pseudo-random numbers. */
export interface Random {
  /** A float uniformly drawn from [0, 1). */
  next(): number;
  /** A draw from the standard normal distribution (mean 0, standard deviation 1). */
  normal(): number;
  /** An integer uniformly drawn from [0, n). */
  int(n: number): number;
  /** 32 uniformly random bits as an unsigned integer. */
  uint32(): number;
}

/**
 * Hashes any mix of strings and numbers into a 32-bit unsigned integer (cyrb53's mixing, folded to
 * 32 bits). Parts are separated so that `('ab', 'c')` and `('a', 'bc')` differ.
 */
export function hashOf(...parts: ReadonlyArray<string | number>): number {
  let h1 = 0xdeadbeef;
  let h2 = 0x41c6ce57;
  for (const part of parts) {
    const text = typeof part === 'number' ? `#${part}` : `$${part}`;
    for (let i = 0; i < text.length; i++) {
      const ch = text.charCodeAt(i);
      h1 = Math.imul(h1 ^ ch, 2654435761);
      h2 = Math.imul(h2 ^ ch, 1597334677);
    }
    h1 = Math.imul(h1 ^ 0x1f, 2654435761);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return (h1 ^ h2) >>> 0;
}

/** A float in [0, 1) derived from a hash of `parts`: a one-shot draw that needs no generator state. */
export function unitOf(...parts: ReadonlyArray<string | number>): number {
  return hashOf(...parts) / 4294967296;
}

/**
 * Creates a generator (sfc32, which passes PractRand far beyond what the simulator draws) seeded
 * from a hash of `parts`.
 *
 * @example
 * const rng = createRandom(42, 'AAPL', 'day', 20_000);
 * rng.normal(); // the same value on every run
 */
export function createRandom(...parts: ReadonlyArray<string | number>): Random {
  let a = hashOf(...parts, 'a');
  let b = hashOf(...parts, 'b');
  let c = hashOf(...parts, 'c');
  let d = 1;
  const uint32 = (): number => {
    const t = (((a + b) | 0) + d) | 0;
    d = (d + 1) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    c = (c + t) | 0;
    return t >>> 0;
  };
  const next = (): number => uint32() / 4294967296;
  // Warm-up: the first outputs of sfc32 still show the seed's structure.
  for (let i = 0; i < 12; i++) next();
  let spare: number | null = null;
  return {
    next,
    normal() {
      if (spare !== null) {
        const s = spare;
        spare = null;
        return s;
      }
      // Box–Muller; 1 - u keeps the logarithm finite.
      const u = 1 - next();
      const v = next();
      const r = Math.sqrt(-2 * Math.log(u));
      spare = r * Math.sin(2 * Math.PI * v);
      return r * Math.cos(2 * Math.PI * v);
    },
    int: (n) => Math.floor(next() * n),
    uint32,
  };
}

/** A 32-character lower-case hex id derived from `parts`, shaped like Polygon's `request_id`. */
export function hexIdOf(...parts: ReadonlyArray<string | number>): string {
  let out = '';
  for (let i = 0; out.length < 32; i++)
    out += hashOf(...parts, i)
      .toString(16)
      .padStart(8, '0');
  return out.slice(0, 32);
}
