// Ballot samples as Arlo draws them (issue #6, item 1): Arlo's own snapshot
// tests reproduced exactly (a seed with an emoji, 4 batches of 25, a round
// and a second round), positions always within their batch, and bad manifests
// refused.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { drawArloSample, type ManifestBatch } from '../src/index.js';

const V = JSON.parse(
  readFileSync(new URL('./vectors/arlo-test-sampler-snapshots.json', import.meta.url), 'utf8'),
) as {
  seed: string;
  manifest: ManifestBatch[];
  cases: {
    name: string;
    sampleSize: number;
    alreadyDrawn: number;
    sample: [string, string, number, number][];
  }[];
};

describe('drawArloSample', () => {
  it.each(V.cases.map((c) => [c.name, c] as const))("reproduces Arlo's %s", (_name, c) => {
    const sample = drawArloSample(V.manifest, {
      seed: V.seed,
      sampleSize: c.sampleSize,
      alreadyDrawn: c.alreadyDrawn,
    });
    expect(sample.map((s) => [s.ticket, s.batch, s.position, s.timesSampled])).toEqual(c.sample);
  });

  it('draws positions within their batch, and never an empty batch', () => {
    const manifest = [
      { batch: 'a', ballots: 3 },
      { batch: 'empty', ballots: 0 },
      { batch: 'O\'Brien "2"', ballots: 7 },
    ];
    const sample = drawArloSample(manifest, { seed: 'x', sampleSize: 200 });
    expect(sample).toHaveLength(200);
    for (const s of sample) {
      const b = manifest.find((m) => m.batch === s.batch)!;
      expect(s.position).toBeGreaterThanOrEqual(1);
      expect(s.position).toBeLessThanOrEqual(b.ballots);
    }
    // Without replacement: every ballot once, then no more.
    const all = drawArloSample(manifest, { seed: 'x', sampleSize: 50, withReplacement: false });
    expect(all).toHaveLength(10);
    expect(new Set(all.map((s) => `${s.batch}#${s.position}`)).size).toBe(10);
  });

  it('refuses a batch with a negative or fractional number of ballots', () => {
    expect(() =>
      drawArloSample([{ batch: 'a', ballots: -1 }], { seed: 's', sampleSize: 1 }),
    ).toThrow(RangeError);
    expect(() =>
      drawArloSample([{ batch: 'a', ballots: 1.5 }], { seed: 's', sampleSize: 1 }),
    ).toThrow(RangeError);
  });
});
