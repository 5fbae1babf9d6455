// A seeded pseudo-random number generator for reproducible draws. Pure: no I/O, no Math.random.
//
// Everything here is 32-bit integer arithmetic (Math.imul, |0, >>>0), so the same seed gives the
// same numbers on every machine and every JavaScript engine. Recorded draws depend on it: changing
// any constant or step below changes every past draw, and the known-answer tests will fail.
//
// - cyrb128 (bryc, public domain): hashes a string (its UTF-16 code units) into four 32-bit words.
//   This is the variant whose last step is `h1 ^= h2 ^ h3 ^ h4; h2 ^= h1; h3 ^= h1; h4 ^= h1`.
// - sfc32 (Chris Doty-Humphrey's Small Fast Counting generator, from PractRand), 128-bit state,
//   seeded with the four words directly (no outputs discarded).

/** The 128-bit cyrb128 hash of a string, as four unsigned 32-bit integers. */
export function cyrb128(text: string): [number, number, number, number] {
  let h1 = 1779033703;
  let h2 = 3144134277;
  let h3 = 1013904242;
  let h4 = 2773480762;
  for (let i = 0; i < text.length; i++) {
    const k = text.charCodeAt(i);
    h1 = h2 ^ Math.imul(h1 ^ k, 597399067);
    h2 = h3 ^ Math.imul(h2 ^ k, 2869860233);
    h3 = h4 ^ Math.imul(h3 ^ k, 951274213);
    h4 = h1 ^ Math.imul(h4 ^ k, 2716044179);
  }
  h1 = Math.imul(h3 ^ (h1 >>> 18), 597399067);
  h2 = Math.imul(h4 ^ (h2 >>> 22), 2869860233);
  h3 = Math.imul(h1 ^ (h3 >>> 17), 951274213);
  h4 = Math.imul(h2 ^ (h4 >>> 19), 2716044179);
  h1 ^= h2 ^ h3 ^ h4;
  h2 ^= h1;
  h3 ^= h1;
  h4 ^= h1;
  return [h1 >>> 0, h2 >>> 0, h3 >>> 0, h4 >>> 0];
}

export interface Prng {
  /** The next raw output, an integer in [0, 2^32). */
  nextUint32(): number;
  /** An unbiased integer in [0, n), for an integer 1 ≤ n ≤ 2^53 (rejection sampling, no modulo bias). */
  nextBelow(n: number): number;
}

const TWO_32 = 2 ** 32;
const TWO_53 = 2 ** 53;

export function sfc32(seedA: number, seedB: number, seedC: number, seedD: number): Prng {
  let a = seedA | 0;
  let b = seedB | 0;
  let c = seedC | 0;
  let d = seedD | 0;
  const nextUint32 = (): number => {
    const t = (((a + b) | 0) + d) | 0;
    d = (d + 1) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    c = (c + t) | 0;
    return t >>> 0;
  };
  const nextBelow = (n: number): number => {
    if (!Number.isInteger(n) || n < 1 || n > TWO_53) throw new RangeError(`nextBelow: n must be an integer in [1, 2^53], got ${n}`);
    if (n <= TWO_32) {
      // Accept only the largest multiple of n below 2^32, so every remainder is equally likely.
      const limit = TWO_32 - (TWO_32 % n);
      for (;;) {
        const x = nextUint32();
        if (x < limit) return x % n;
      }
    }
    // 53 bits from two outputs: 32 high bits, then the top 21 bits of the next output.
    // All values stay below 2^53, so every operation is exact in an IEEE double.
    const limit = TWO_53 - (TWO_53 % n);
    for (;;) {
      const x = nextUint32() * 2 ** 21 + (nextUint32() >>> 11);
      if (x < limit) return x % n;
    }
  };
  return { nextUint32, nextBelow };
}

/** The generator for a text seed: cyrb128(text) → sfc32. */
export function prngFromText(text: string): Prng {
  const [a, b, c, d] = cyrb128(text);
  return sfc32(a, b, c, d);
}

// Crockford's base 32: digits and capitals without I, L, O, U, so a seed read aloud or typed back
// cannot be mistaken. Typed input is forgiving: lower case, O for 0, I and L for 1, spaces and dashes.
export const SEED_ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
export const SEED_LENGTH = 12; // 60 bits
export const SEED_MAX_LENGTH = 64;

/**
 * A fresh seed from entropy the caller supplies (e.g. crypto.randomBytes(8)): 12 characters of
 * Crockford base 32 taken from the first 60 bits of the bytes.
 */
export function newSeed(randomBytes: Uint8Array): string {
  if (randomBytes.length < 8) throw new RangeError('newSeed needs at least 8 random bytes');
  let out = '';
  let acc = 0;
  let bits = 0;
  for (const byte of randomBytes) {
    acc = ((acc << 8) | byte) & 0xffff; // at most 12 pending bits ever matter
    bits += 8;
    while (bits >= 5 && out.length < SEED_LENGTH) {
      bits -= 5;
      out += SEED_ALPHABET[(acc >>> bits) & 31];
    }
    if (out.length === SEED_LENGTH) break;
  }
  return out;
}

/**
 * The canonical form of a seed as typed: whitespace and dashes removed, ASCII letters upper-cased,
 * O read as 0, I and L read as 1. Applied to every seed (including free text such as a published
 * lottery number), so "7k3m-9qxa-2bhd" and "7K3M9QXA2BHD" give the same draw. Idempotent.
 */
export function normalizeSeed(input: string): string {
  return input
    .replace(/[\s\-\u2010-\u2015\uff0d]/g, '')
    .replace(/[a-z]/g, (ch) => ch.toUpperCase())
    .replace(/O/g, '0')
    .replace(/[IL]/g, '1');
}

/** For display: groups of four, "7K3M-9QXA-2BHD". normalizeSeed undoes it. */
export function formatSeed(seed: string): string {
  return (seed.match(/.{1,4}/gu) ?? []).join('-');
}
