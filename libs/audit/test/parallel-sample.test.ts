// Ballot samples drawn on worker threads (issue #6, item 1: 20 million
// ballots in seconds): the parallel draw must be the sequential one bit for
// bit, on random manifests (odd batch names, empty batches, positions across
// 9→10, 99→100 and 999→1000, slices that start and end inside batches),
// seeds, sizes and rounds, with and without replacement, on 1 to 4 workers;
// both must reproduce samples drawn by an independent Python rendering of
// Rivest's sampler on manifests large enough that the fast key skips most
// ballots (test/vectors/python-arlo-samples.json, generate-python-arlo-samples.py);
// and bad input, a missing build and failing workers must be reported.
// The workers run the compiled dist/sample-worker.js: build first (`npx tsc -b`).
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  countManifestBallots,
  drawArloSample,
  selectArloFirstTickets,
  toDrawOptions,
  toSampledBallots,
  type ManifestBatch,
} from '../src/arlo-sample.js';
import {
  countWantedTickets,
  drawConsistentSample,
  drawFromFirstTickets,
} from '../src/consistent-sampler.js';
import {
  BALLOTS_PER_WORKER_AT_LEAST,
  drawArloSampleParallel,
  drawArloSampleWithWorker,
  splitBallots,
} from '../src/parallel-sample.js';

const V = JSON.parse(
  readFileSync(new URL('./vectors/python-arlo-samples.json', import.meta.url), 'utf8'),
) as {
  cases: {
    name: string;
    seed: string;
    manifest: [string, number][];
    rounds: {
      sampleSize: number;
      alreadyDrawn: number;
      withReplacement: boolean;
      sample: [string, string, number, number][];
    }[];
  }[];
};

const rows = (
  sample: readonly { ticket: string; batch: string; position: number; timesSampled: number }[],
) => sample.map((s) => [s.ticket, s.batch, s.position, s.timesSampled]);

describe('samples drawn by Python (independent rendering of Rivest’s sampler)', () => {
  for (const c of V.cases) {
    const manifest = c.manifest.map(([batch, ballots]) => ({ batch, ballots }));
    it.each(c.rounds.map((r, i) => [i, r] as const))(`${c.name}: round %i`, async (_i, r) => {
      const options = {
        seed: c.seed,
        sampleSize: r.sampleSize,
        alreadyDrawn: r.alreadyDrawn,
        withReplacement: r.withReplacement,
      };
      expect(rows(drawArloSample(manifest, options))).toEqual(r.sample);
      expect(rows(await drawArloSampleParallel(manifest, { ...options, workers: 2 }))).toEqual(
        r.sample,
      );
      // Hashed with @noble/hashes (the path off Node.js), in two slices merged.
      const total = countManifestBallots(manifest);
      const draw = toDrawOptions(options);
      const wanted = countWantedTickets(draw);
      const cut = Math.floor(total / 3);
      const tickets = [
        ...selectArloFirstTickets(manifest, c.seed, wanted, 0, cut, 'noble'),
        ...selectArloFirstTickets(manifest, c.seed, wanted, cut, total, 'noble'),
      ];
      expect(rows(toSampledBallots(manifest, drawFromFirstTickets(tickets, draw)))).toEqual(
        r.sample,
      );
    });
  }
});

const NAMES = ['pct', "O'Brien", 'say "hi"', 'tab\tx', 'Año', '🗳', 'back\\slash'];

const manifests = fc
  .array(
    fc.tuple(
      fc.constantFrom(...NAMES),
      fc.oneof(
        { weight: 1, arbitrary: fc.constant(0) },
        { weight: 6, arbitrary: fc.integer({ min: 1, max: 120 }) },
        { weight: 1, arbitrary: fc.integer({ min: 990, max: 1010 }) },
      ),
    ),
    { minLength: 1, maxLength: 8 },
  )
  .map((bs) => bs.map(([name, ballots], i): ManifestBatch => ({ batch: `${name} ${i}`, ballots })));

describe('drawArloSampleParallel', () => {
  it('draws what drawArloSample draws (random manifests, seeds, sizes, rounds, workers)', async () => {
    await fc.assert(
      fc.asyncProperty(
        manifests,
        fc.string(),
        fc.nat(60),
        fc.nat(30),
        fc.boolean(),
        fc.integer({ min: 1, max: 4 }),
        async (manifest, seed, sampleSize, alreadyDrawn, withReplacement, workers) => {
          const options = { seed, sampleSize, alreadyDrawn, withReplacement };
          const sequential = drawArloSample(manifest, options);
          expect(await drawArloSampleParallel(manifest, { ...options, workers })).toEqual(
            sequential,
          );
          // The generic sampler, fed the ids (batch, position) as Python values.
          const ids = manifest.flatMap((b) =>
            Array.from({ length: b.ballots }, (_, k) => [b.batch, k + 1] as const),
          );
          const generic = [
            ...drawConsistentSample(ids, {
              seed,
              withReplacement,
              drop: alreadyDrawn,
              take: sampleSize,
              digits: 18,
            }),
          ];
          expect(sequential.map((s) => [s.ticket, s.batch, s.position, s.timesSampled])).toEqual(
            generic.map((d) => [d.ticket, d.id[0], d.id[1], d.generation]),
          );
        },
      ),
      { seed: 6, numRuns: 12 },
    );
  });

  it('draws the same on 1 and 3 workers from 60,000 ballots, and on 0 (this thread)', async () => {
    const manifest = Array.from({ length: 120 }, (_, i) => ({ batch: `b${i}`, ballots: 500 }));
    const options = { seed: 'acta 2026', sampleSize: 150, alreadyDrawn: 50 };
    const sequential = drawArloSample(manifest, options);
    expect(sequential).toHaveLength(150);
    for (const workers of [0, 1, 3]) {
      expect(await drawArloSampleParallel(manifest, { ...options, workers })).toEqual(sequential);
    }
  });

  it('handles more workers than ballots, empty manifests and empty samples', async () => {
    const manifest = [
      { batch: 'a', ballots: 0 },
      { batch: 'b', ballots: 2 },
    ];
    const sample = await drawArloSampleParallel(manifest, { seed: 's', sampleSize: 5, workers: 7 });
    expect(sample).toEqual(drawArloSample(manifest, { seed: 's', sampleSize: 5 }));
    expect(sample).toHaveLength(5);
    expect(await drawArloSampleParallel([], { seed: 's', sampleSize: 5 })).toEqual([]);
    expect(await drawArloSampleParallel(manifest, { seed: 's', sampleSize: 0 })).toEqual([]);
  });

  it('by default, draws small manifests in this thread and large ones on workers', async () => {
    const throwing = new URL('data:text/javascript,throw new Error("boom")');
    const options = { seed: 'default', sampleSize: 20 };
    const small = [{ batch: 'a', ballots: BALLOTS_PER_WORKER_AT_LEAST - 1 }];
    expect(await drawArloSampleWithWorker(throwing, small, options)).toEqual(
      drawArloSample(small, options),
    );
    const large = [{ batch: 'a', ballots: BALLOTS_PER_WORKER_AT_LEAST }];
    await expect(drawArloSampleWithWorker(throwing, large, options)).rejects.toThrow(/boom/);
    expect(await drawArloSampleParallel(large, options)).toEqual(drawArloSample(large, options));
  });

  it('rejects bad counts and manifests with a RangeError, as drawArloSample throws', async () => {
    const m = [{ batch: 'a', ballots: 3 }];
    for (const workers of [-1, 1.5, 5000]) {
      await expect(
        drawArloSampleParallel(m, { seed: 's', sampleSize: 1, workers }),
      ).rejects.toThrow(RangeError);
    }
    await expect(
      drawArloSampleParallel([{ batch: 'a', ballots: -1 }], { seed: 's', sampleSize: 1 }),
    ).rejects.toThrow(RangeError);
    await expect(
      drawArloSampleParallel([{ batch: '\u0085', ballots: 1 }], { seed: 's', sampleSize: 1 }),
    ).rejects.toThrow(RangeError);
    await expect(drawArloSampleParallel(m, { seed: 's', sampleSize: -2 })).rejects.toThrow(
      RangeError,
    );
  });

  it('reports a missing build and failing workers', async () => {
    const m = [{ batch: 'a', ballots: 30 }];
    const options = { seed: 's', sampleSize: 3, workers: 2 };
    await expect(
      drawArloSampleWithWorker(new URL('file:///nonexistent/sample-worker.js'), m, options),
    ).rejects.toThrow(/missing; build first/);
    const throwing = new URL('data:text/javascript,throw new Error("boom")');
    await expect(drawArloSampleWithWorker(throwing, m, options)).rejects.toThrow(
      /sample worker \d failed: boom/,
    );
    const silent = new URL('data:text/javascript,process.exit(3)');
    await expect(drawArloSampleWithWorker(silent, m, options)).rejects.toThrow(
      /exited \(code 3\) without an answer/,
    );
  });
});

describe('splitBallots', () => {
  it('cuts the ballots into contiguous slices of nearly equal size', () => {
    fc.assert(
      fc.property(fc.nat(10_000), fc.integer({ min: 1, max: 64 }), (total, parts) => {
        const slices = splitBallots(total, parts);
        expect(slices).toHaveLength(Math.min(total, parts));
        let next = 0;
        for (const [from, to] of slices) {
          expect(from).toBe(next);
          expect(to - from).toBeGreaterThanOrEqual(Math.floor(total / parts));
          expect(to - from).toBeLessThanOrEqual(Math.ceil(total / parts));
          next = to;
        }
        expect(next).toBe(slices.length === 0 ? 0 : total);
      }),
      { seed: 7, numRuns: 200 },
    );
  });
});
