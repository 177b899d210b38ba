// PPEB batch samples as Arlo draws them (issue #6, items 1 and 3): Arlo's
// test_sampler.py snapshots (numpy draws weighted by error bounds, tickets,
// times sampled, a second round, a contest in some batches only, full hand
// counts) reproduced exactly, from vectors/arlo-ppeb-snapshots.json; and the
// draw frequencies follow the weights.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createContest, type Contest } from '../src/contest.js';
import { computePpebWeights, type BatchTally } from '../src/macro.js';
import { drawPpebSample } from '../src/ppeb-sample.js';

const V = JSON.parse(
  readFileSync(new URL('./vectors/arlo-ppeb-snapshots.json', import.meta.url), 'utf8'),
) as {
  seed: string;
  jurisdiction: string;
  macroContest: Record<string, number>;
  otherContest: Record<string, number>;
  closeContest: Record<string, number>;
  closeBatches: [string, number, number, number][];
  cases: {
    name: string;
    contest: 'macro' | 'other' | 'close';
    ticketDigits: number;
    sampleSize: number;
    alreadyDrawn: number | string[];
    sample: [string, string, number][];
  }[];
};

function contestOf(counts: Record<string, number>): Contest {
  const r = createContest({
    candidates: [
      { name: 'cand1', votes: counts.cand1! },
      { name: 'cand2', votes: counts.cand2! },
    ],
    ballots: counts.ballots!,
    numWinners: 1,
    votesAllowed: 1,
  });
  if (!r.ok) throw new Error('bad contest');
  return r.value;
}

const t = (batch: string, c1: number, c2: number, ballots: number): BatchTally => ({
  batch,
  votes: new Map([
    ['cand1', c1],
    ['cand2', c2],
  ]),
  ballots,
});

// Arlo's macro_batches fixture, in its insertion order (pct 10 does not exist).
const pcts = [
  ...Array.from({ length: 10 }, (_, i) => i),
  ...Array.from({ length: 9 }, (_, i) => i + 11),
];
const macroBatches = pcts.map((i) =>
  i < 10 ? t(`pct ${i}`, 40, 10, 50) : t(`pct ${i}`, 20, 30, 50),
);
const otherBatches = pcts.map((i) => (i < 10 ? t(`pct ${i}`, 40, 10, 50) : t(`pct ${i}`, 0, 0, 0)));
const closeBatches = V.closeBatches.map(([b, c1, c2, n]) => t(b, c1, c2, n));

const setups = {
  macro: { contest: contestOf(V.macroContest), batches: macroBatches },
  other: { contest: contestOf(V.otherContest), batches: otherBatches },
  close: { contest: contestOf(V.closeContest), batches: closeBatches },
};

describe('drawPpebSample', () => {
  it.each(V.cases.map((c) => [c.name, c] as const))("reproduces Arlo's %s", (_n, c) => {
    const { contest, batches } = setups[c.contest];
    const sample = drawPpebSample(V.seed, contest, batches, c.sampleSize, c.alreadyDrawn, {
      jurisdiction: V.jurisdiction,
      ticketDigits: c.ticketDigits,
    });
    // Arlo's 16-digit era cut tickets plainly at 16 digits; today's trim keeps
    // the digits after any leading 9s (0.9722586520568512 vs 0.97225865205685126).
    const cut = (x: string): string => (c.ticketDigits === 16 ? x.slice(0, 18) : x);
    expect(sample.map((s) => [cut(s.ticket), s.batch, s.timesSampled])).toEqual(c.sample);
    expect(sample.every((s) => s.jurisdiction === V.jurisdiction)).toBe(true);
  });

  it('a later round continues the same draws (18-digit tickets)', () => {
    const { contest, batches } = setups.macro;
    const all = drawPpebSample(V.seed, contest, batches, 12, 0, { jurisdiction: 'Jx 1' });
    const first = drawPpebSample(V.seed, contest, batches, 7, 0, { jurisdiction: 'Jx 1' });
    const names = first.map((s) => s.batch);
    const second = drawPpebSample(V.seed, contest, batches, 5, names, { jurisdiction: 'Jx 1' });
    expect([...first, ...second]).toEqual(all);
    expect(all.every((s) => /^0\.9*\d{18}$/.test(s.ticket))).toBe(true);
  });

  it('never draws a batch without the contest; nothing when no batch holds it', () => {
    const { contest, batches } = setups.other;
    const s = drawPpebSample(V.seed, contest, batches, 15, 0);
    expect(s.every((x) => Number(x.batch.slice(4)) < 10)).toBe(true);
    const nowhere = pcts.map((i) => t(`pct ${i}`, 0, 0, 0));
    expect(drawPpebSample(V.seed, contest, nowhere, 5)).toEqual([]);
  });

  it('draws batches in proportion to their error bounds', () => {
    // Seeded; 1500 draws (in two rounds) among 3000 batches, a third of them
    // with a larger error bound (80 against 50 votes of margin at stake).
    const contest = contestOf({ cand1: 90000, cand2: 60000, ballots: 150000 });
    const batches = Array.from({ length: 3000 }, (_, i) =>
      i % 3 === 0 ? t(`m${i}`, 40, 10, 50) : t(`m${i}`, 25, 25, 50),
    );
    const w = computePpebWeights(contest, batches);
    expect(w.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
    expect(w[0]! / w[1]!).toBeCloseTo(80 / 50, 12);
    const first = drawPpebSample('frequency check', contest, batches, 700);
    const s = [...first, ...drawPpebSample('frequency check', contest, batches, 800, 700)];
    const heavy = s.filter((x) => Number(x.batch.slice(1)) % 3 === 0).length;
    // P(heavy) = 80·1000 / (80·1000 + 50·2000) = 4/9; sd ≈ 19.2, ± 80 is over 4 sd.
    expect(Math.abs(heavy - (1500 * 4) / 9)).toBeLessThan(80);
  });

  it('a tied contest can only be fully counted', () => {
    const contest = contestOf({ cand1: 100, cand2: 100, ballots: 200 });
    const batches = [t('a', 50, 50, 100), t('b', 50, 50, 100), t('c', 0, 0, 0)];
    expect(() => drawPpebSample(V.seed, contest, batches, 1)).toThrow(RangeError);
    expect(drawPpebSample(V.seed, contest, batches, 3).map((s) => s.batch)).toEqual([
      'a',
      'b',
      'c',
    ]);
  });

  it('refuses misuse', () => {
    const { contest, batches } = setups.close;
    expect(() => drawPpebSample(V.seed, contest, [], 1)).toThrow(RangeError);
    expect(() => drawPpebSample(V.seed, contest, batches, -1)).toThrow(RangeError);
    // A full hand count after earlier rounds needs their names.
    expect(() => drawPpebSample(V.seed, contest, batches, 3, 1)).toThrow(RangeError);
  });
});
