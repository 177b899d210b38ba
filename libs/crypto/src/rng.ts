/**
 * Randomness sources. Production code uses the system CSPRNG; tests and
 * known-answer vectors use a seeded deterministic generator so that any future
 * backend must reproduce the committed vectors bit for bit.
 */
import { sha512 } from './digest.js';
import { randomBytes } from '@noble/hashes/utils.js';

/** A source of random bytes. */
export interface Rng {
  randomBytes(length: number): Uint8Array;
}

/** Bytes fetched from the system CSPRNG at a time (see `defaultRng`). */
const POOL_SIZE = 8192;
let pool = new Uint8Array(0);
let poolOffset = 0;

/**
 * The system CSPRNG (crypto.getRandomValues). Bytes are drawn 8 KiB at a time
 * and handed out once each, in order: a call to getRandomValues costs a few
 * microseconds, more than a 64-byte scalar draw is worth, and a ballot draws
 * hundreds of them. Every byte is used once and the pool is never reused.
 */
export const defaultRng: Rng = {
  randomBytes(length: number): Uint8Array {
    if (length > POOL_SIZE / 4) {
      // getRandomValues serves at most 65,536 bytes per call.
      const out = new Uint8Array(length);
      for (let off = 0; off < length; off += 65536) {
        out.set(randomBytes(Math.min(65536, length - off)), off);
      }
      return out;
    }
    if (poolOffset + length > pool.length) {
      pool = randomBytes(POOL_SIZE);
      poolOffset = 0;
    }
    const out = pool.slice(poolOffset, poolOffset + length);
    // Wipe what was handed out, so the pool only ever holds unused bytes.
    pool.fill(0, poolOffset, poolOffset + length);
    poolOffset += length;
    return out;
  },
};

const SEEDED_RNG_TAG = new TextEncoder().encode('ACTA_V1_SEEDED_RNG');

/**
 * A deterministic generator for tests and vectors (docs/spec.md §8.1): block i
 * is SHA-512(len(tag) ‖ tag ‖ len(seed) ‖ seed ‖ u64be(i)), concatenated.
 * Never use it for real secrets.
 */
export function createSeededRng(seed: Uint8Array | string): Rng {
  const seedBytes =
    typeof seed === 'string' ? new TextEncoder().encode(seed) : Uint8Array.from(seed);
  // The hashed input is prefix ‖ u64be(counter); the counter is rewritten in place.
  const input = new Uint8Array(4 + SEEDED_RNG_TAG.length + 4 + seedBytes.length + 8);
  const view = new DataView(input.buffer);
  view.setUint32(0, SEEDED_RNG_TAG.length);
  input.set(SEEDED_RNG_TAG, 4);
  view.setUint32(4 + SEEDED_RNG_TAG.length, seedBytes.length);
  input.set(seedBytes, 8 + SEEDED_RNG_TAG.length);
  const counterOffset = input.length - 8;
  let counter = 0n;
  let block: Uint8Array = new Uint8Array(0);
  let used = 0;
  return {
    randomBytes(length: number): Uint8Array {
      const out = new Uint8Array(length);
      let filled = 0;
      while (filled < length) {
        if (used === block.length) {
          view.setBigUint64(counterOffset, counter);
          counter += 1n;
          block = sha512(input);
          used = 0;
        }
        const take = Math.min(length - filled, block.length - used);
        out.set(block.subarray(used, used + take), filled);
        used += take;
        filled += take;
      }
      return out;
    },
  };
}
