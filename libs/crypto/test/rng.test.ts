// Randomness sources: the pooled system CSPRNG and the seeded test generator.
import { describe, expect, it } from 'vitest';
import { createSeededRng, defaultRng, encodeHex } from '../src/index.js';

describe('defaultRng', () => {
  it('serves small and very large requests (above the 65,536-byte getRandomValues limit)', () => {
    for (const n of [0, 1, 32, 64, 2048, 2049, 65_536, 200_001]) {
      expect(defaultRng.randomBytes(n)).toHaveLength(n);
    }
  });

  it('never hands out the same bytes twice', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 2000; i++) seen.add(encodeHex(defaultRng.randomBytes(16)));
    expect(seen.size).toBe(2000);
    const big = defaultRng.randomBytes(150_000);
    // A buffer of that size from a CSPRNG has every byte value many times.
    expect(new Set(big).size).toBe(256);
  });
});

describe('createSeededRng', () => {
  it('is deterministic per seed and independent of how reads are split', () => {
    const a = createSeededRng('s');
    const b = createSeededRng('s');
    const whole = a.randomBytes(100);
    const parts = new Uint8Array([...b.randomBytes(30), ...b.randomBytes(70)]);
    expect(encodeHex(parts)).toBe(encodeHex(whole));
    expect(encodeHex(createSeededRng('t').randomBytes(100))).not.toBe(encodeHex(whole));
  });
});
