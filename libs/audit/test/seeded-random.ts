/**
 * The seeded generator of the audit simulations (tests only): mulberry32
 * (Tommy Ettinger, public domain), a small 32-bit PRNG, uniform in [0, 1),
 * plenty for the Bernoulli draws of simulated audits — and deterministic, so a
 * simulation gives the same counts on every run.
 */
export function createSeededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
