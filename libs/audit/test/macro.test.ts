// MACRO batch-comparison math as Arlo computes it (issue #6, item 2): Arlo's
// test_macro.py cases (error bounds, sample sizes over four rounds, p-values
// with duplicate draws, ties, a worst case, full hand counts) and its snapshot
// values (pending/unauditable ballots: U and p to the last bit), from
// vectors/arlo-macro.json, plus multiple winners and batches without the contest.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createContest, type Contest } from '../src/contest.js';
import {
  computeBatchError,
  computeBatchMaxError,
  computeMacroRisk,
  computeMacroSampleSizes,
  computeMacroU,
  computeUnauditableBallots,
  type AuditedBatch,
  type BatchTally,
  type MacroDraw,
} from '../src/macro.js';

type Counts = Record<string, number>;
interface SmallBatch extends Counts {
  ballots: number;
}
const V = JSON.parse(
  readFileSync(new URL('./vectors/arlo-macro.json', import.meta.url), 'utf8'),
) as {
  riskLimit: number;
  fixture: { contests: Record<string, Counts>; perBatch: Record<string, SmallBatch> };
  test_max_error: { tolerance: number; expected: Record<string, Record<string, number>> };
  test_get_sample_sizes: {
    firstRound: Counts;
    secondRound: Counts;
    thirdRound: Counts;
    fourthRoundContestC: number;
  };
  test_get_sizes_extra_contests: { contest: Counts; perBatch: SmallBatch; firstRound: number };
  test_pending_ballots: {
    contest: Counts;
    batches: ({ batch: string } & SmallBatch)[];
    U: string;
    pNoDiscrepancy: number;
    pOneDiscrepancy: number;
  };
  test_unauditable_ballots: {
    contest: Counts;
    batches: ({ batch: string } & SmallBatch)[];
    U: string;
    UWithoutUnauditable: string;
    p: number;
    pWithoutUnauditable: number;
  };
};
const ALPHA = V.riskLimit;

function makeContest(name: string, counts: Counts, numWinners = 1): Contest {
  const { ballots, ...cands } = counts;
  const r = createContest({
    name,
    candidates: Object.entries(cands).map(([n, votes]) => ({ name: n, votes })),
    ballots: ballots!,
    numWinners,
    votesAllowed: 1,
  });
  if (!r.ok) throw new Error(JSON.stringify(r.error));
  return r.value;
}

function tally(batch: string, counts: SmallBatch): BatchTally {
  const { ballots, ...votes } = counts;
  return { batch, votes: new Map(Object.entries(votes)), ballots };
}

function count(batch: string, counts: Counts): AuditedBatch {
  const votes = Object.entries(counts).filter(([k]) => k !== 'ballots');
  return { batch, votes: new Map(votes) };
}

const empty = (batch: string): BatchTally => ({ batch, votes: new Map(), ballots: 0 });

// Which batches of the big fixture hold each contest.
function holds(contest: string, i: number): boolean {
  if (contest === 'Contest A') return true;
  if (contest === 'Contest B') return i < 100;
  return i < 30 || (i >= 100 && i < 130);
}

function fixture(name: string): { contest: Contest; reported: BatchTally[] } {
  const contest = makeContest(name, V.fixture.contests[name]!);
  const per = V.fixture.perBatch[name]!;
  const half: SmallBatch = {
    winner: per.winner! / 2,
    loser: per.loser! / 2,
    ballots: per.ballots / 2,
  };
  const reported: BatchTally[] = [];
  for (let i = 0; i < 200; i++) {
    reported.push(holds(name, i) ? tally(`Batch ${i}`, per) : empty(`Batch ${i}`));
    reported.push(holds(name, i) ? tally(`Batch ${i} AV`, half) : empty(`Batch ${i} AV`));
  }
  return { contest, reported };
}

const NAMES = ['Contest A', 'Contest B', 'Contest C'] as const;

describe('computeBatchMaxError (Arlo test_max_error)', () => {
  it.each(NAMES)('%s', (name) => {
    const { contest, reported } = fixture(name);
    const exp = V.test_max_error.expected[name]!;
    for (let i = 0; i < 200; i++) {
      for (const [suffix, key] of [
        ['', 'Batch'],
        [' AV', 'Batch AV'],
      ] as const) {
        const b = reported.find((r) => r.batch === `Batch ${i}${suffix}`)!;
        const want = holds(name, i) ? exp[key]! : 0;
        expect(Math.abs(computeBatchMaxError(contest, b) - want)).toBeLessThan(
          V.test_max_error.tolerance,
        );
      }
    }
  });
});

describe('computeMacroSampleSizes (Arlo test_get_sample_sizes)', () => {
  const S = V.test_get_sample_sizes;
  const correct = (name: string): Counts => {
    const p = V.fixture.perBatch[name]!;
    return { winner: p.winner!, loser: p.loser! };
  };

  it.each(NAMES)('%s over four rounds', (name) => {
    const { contest, reported } = fixture(name);
    const size = (audited: AuditedBatch[], draws: MacroDraw[]): number => {
      const r = computeMacroSampleSizes(ALPHA, contest, reported, audited, draws);
      if (!r.ok) throw new Error(r.error.message);
      return r.value.macro.size;
    };
    expect(size([], [])).toBe(S.firstRound[name]);
    // Four discrepancy-free batches.
    const audited: AuditedBatch[] = [];
    const draws: MacroDraw[] = [];
    for (let i = 0; i < 4; i++) {
      audited.push(count(`Batch ${i}`, correct(name)));
      draws.push({ ticket: String(i), batch: `Batch ${i}` });
    }
    expect(size(audited, draws)).toBe(S.secondRound[name]);
    // Batches 4–8: A's margin overstated by exactly its share, C correct, B
    // not counted (Arlo skips a draw whose results lack the contest).
    if (name !== 'Contest B') {
      for (let i = 4; i < 9; i++) {
        audited.push(
          count(`Batch ${i}`, name === 'Contest A' ? { winner: 190, loser: 190 } : correct(name)),
        );
        draws.push({ ticket: String(i), batch: `Batch ${i}` });
      }
    }
    expect(size(audited, draws)).toBe(S.thirdRound[name]);
    if (name === 'Contest C') {
      audited.push(count('Batch 9', correct(name)));
      draws.push({ ticket: '9', batch: 'Batch 9' });
      expect(size(audited, draws)).toBe(S.fourthRoundContestC);
    }
  });

  it('a contest in ten batches only (test_get_sizes_extra_contests)', () => {
    const E = V.test_get_sizes_extra_contests;
    const contest = makeContest('test2', E.contest);
    const reported: BatchTally[] = [];
    for (let i = 0; i < 200; i++) {
      reported.push(i < 10 ? tally(`Batch ${i}`, E.perBatch) : empty(`Batch ${i}`));
      reported.push(empty(`Batch ${i} AV`));
    }
    const r = computeMacroSampleSizes(ALPHA, contest, reported);
    expect(r.ok && r.value.macro.size).toBe(E.firstRound);
  });

  it('refuses when every batch is counted, and asks for all batches in a tie', () => {
    const contest = makeContest('t', { winner: 600, loser: 400, ballots: 1000 });
    const reported = [tally('Batch 1', { winner: 600, loser: 400, ballots: 1000 })];
    const done = computeMacroSampleSizes(ALPHA, contest, reported, [
      count('Batch 1', { winner: 500, loser: 500 }),
    ]);
    expect(done.ok ? null : done.error.code).toBe('MACRO_ALL_BATCHES_COUNTED');
    const tied = makeContest('tied', { winner: 50000, loser: 50000, ballots: 100000 });
    const batches = Array.from({ length: 100 }, (_, i) =>
      tally(String(i), { winner: 500, loser: 500, ballots: 1000 }),
    );
    const r = computeMacroSampleSizes(ALPHA, tied, batches);
    expect(r.ok && r.value.macro.size).toBe(100);
  });
});

describe('computeMacroRisk (Arlo test_compute_risk and friends)', () => {
  it.each(NAMES)('%s: p-values, and duplicates counted per draw', (name) => {
    const { contest, reported } = fixture(name);
    const correct = V.fixture.perBatch[name]!;
    const audited: AuditedBatch[] = [];
    const draws: MacroDraw[] = [];
    for (let i = 0; i < 30; i++) {
      audited.push(count(`Batch ${i}`, correct));
      draws.push({ ticket: String(i), batch: `Batch ${i}` });
    }
    if (name !== 'Contest B') {
      for (let i = 100; i < 106; i++) {
        audited.push(
          count(`Batch ${i}`, name === 'Contest A' ? { winner: 190, loser: 190 } : correct),
        );
        draws.push({ ticket: String(i), batch: `Batch ${i}` });
      }
    }
    const base = { 'Contest A': 20 / 21, 'Contest B': 10 / 11, 'Contest C': 20 / 23 }[name];
    const first = { 'Contest A': 30, 'Contest B': 30, 'Contest C': 36 }[name];
    const r1 = computeMacroRisk(ALPHA, contest, reported, audited, draws);
    expect(Math.abs(r1.pValue - base ** first)).toBeLessThan(1e-4);
    expect(r1.confirmed).toBe(true);
    if (name !== 'Contest B') {
      for (let i = 100; i < 103; i++) draws.push({ ticket: String(i + 6), batch: `Batch ${i}` });
    }
    const again = { 'Contest A': 30, 'Contest B': 30, 'Contest C': 39 }[name];
    const r2 = computeMacroRisk(ALPHA, contest, reported, audited, draws);
    expect(Math.abs(r2.pValue - base ** again)).toBeLessThan(1e-4);
    expect(r2.confirmed).toBe(true);
  });

  it('a full hand count has no risk, even drawn twice over', () => {
    const { contest, reported } = fixture('Contest A');
    const audited = reported.map((b) => count(b.batch, Object.fromEntries(b.votes)));
    const draws = [...reported, ...reported].map((b, i) => ({ ticket: String(i), batch: b.batch }));
    expect(computeMacroRisk(ALPHA, contest, reported, audited, draws)).toEqual({
      pValue: 0,
      confirmed: true,
    });
  });

  it('the worst case: a batch all for the loser (test_worst_case)', () => {
    const contest = makeContest('t', { winner: 1000, loser: 0, ballots: 1000 });
    const reported = [
      tally('Batch 1', { winner: 500, loser: 0, ballots: 500 }),
      tally('Batch 2', { winner: 500, loser: 0, ballots: 500 }),
    ];
    const r = computeMacroRisk(
      ALPHA,
      contest,
      reported,
      [count('Batch 1', { winner: 0, loser: 500 })],
      [{ ticket: '1', batch: 'Batch 1' }],
    );
    expect(r).toEqual({ pValue: 1, confirmed: false });
  });

  it('tied and close contests never confirm short of a full count', () => {
    const tied = makeContest('tied', { winner: 50000, loser: 50000, ballots: 100000 });
    const batches = Array.from({ length: 100 }, (_, i) =>
      tally(String(i), { winner: 500, loser: 500, ballots: 1000 }),
    );
    const one = computeMacroRisk(
      ALPHA,
      tied,
      batches,
      [count('0', { winner: 500, loser: 500 })],
      [{ ticket: '1', batch: '0' }],
    );
    expect(one.pValue).toBeGreaterThan(ALPHA);
    expect(one.confirmed).toBe(false);
    const close = makeContest('close', { winner: 200, loser: 198, ballots: 400 });
    const cb = [
      tally('1', { winner: 100, loser: 0, ballots: 100 }),
      tally('2', { winner: 100, loser: 0, ballots: 100 }),
      tally('3', { winner: 0, loser: 100, ballots: 100 }),
      tally('4', { winner: 0, loser: 98, ballots: 100 }),
    ];
    const sizes = computeMacroSampleSizes(ALPHA, close, cb);
    expect(sizes.ok && sizes.value.macro.size).toBe(4);
    const c1 = computeMacroRisk(
      ALPHA,
      close,
      cb,
      [count('1', { winner: 100, loser: 0 })],
      [{ ticket: '1', batch: '1' }],
    );
    expect(c1.pValue).toBeGreaterThan(ALPHA);
    expect(c1.confirmed).toBe(false);
  });

  it("Arlo's pending-ballots snapshot: U and p to the last bit", () => {
    const P = V.test_pending_ballots;
    const contest = makeContest('Contest', P.contest);
    const reported = P.batches.map(({ batch, ...c }) => tally(batch, c));
    expect(computeUnauditableBallots(contest, reported)).toBe(2);
    expect(computeMacroU(contest, reported)).toBe(Number(P.U));
    const audited = reported.slice(0, 3).map((b) => count(b.batch, Object.fromEntries(b.votes)));
    const draws = audited.map((a, i) => ({ ticket: String(i), batch: a.batch }));
    expect(computeMacroRisk(ALPHA, contest, reported, audited, draws).pValue).toBe(
      P.pNoDiscrepancy,
    );
    const wrong = [...audited];
    wrong[2] = count('Batch 3', { winner: 90, loser: 2, third: 10 });
    expect(computeMacroRisk(ALPHA, contest, reported, wrong, draws).pValue).toBe(P.pOneDiscrepancy);
    const sizes = computeMacroSampleSizes(ALPHA, contest, reported);
    expect(sizes.ok && sizes.value.macro.size).toBe(4);
  });

  it("Arlo's unauditable-ballots snapshot: ballots no batch holds count for the loser", () => {
    const P = V.test_unauditable_ballots;
    const contest = makeContest('Contest', P.contest);
    const reported = P.batches.map(({ batch, ...c }) => tally(batch, c));
    const whole = reported.map((b, i) =>
      i === 0 ? tally('Batch 1', { winner: 60, loser: 40, third: 0, ballots: 100 }) : b,
    );
    expect(computeMacroU(contest, reported)).toBe(Number(P.U));
    expect(computeMacroU(contest, whole)).toBe(Number(P.UWithoutUnauditable));
    const risk = (rep: BatchTally[]): number => {
      const audited = rep.slice(0, 3).map((b) => count(b.batch, Object.fromEntries(b.votes)));
      const draws = audited.map((a, i) => ({ ticket: String(i), batch: a.batch }));
      return computeMacroRisk(ALPHA, contest, rep, audited, draws).pValue;
    };
    expect(risk(reported)).toBe(P.p);
    expect(risk(whole)).toBe(P.pWithoutUnauditable);
  });
});

describe('beyond Arlo’s tests', () => {
  it('two winners: every winner–loser pair bounds the error', () => {
    const contest = makeContest('two', { a: 500, b: 400, c: 300, d: 100, ballots: 1300 }, 2);
    const batch = tally('m1', { a: 50, b: 40, c: 30, d: 10, ballots: 130 });
    // Pairs: a–c (200), a–d (400), b–c (100), b–d (300); the worst is b–c.
    expect(computeBatchMaxError(contest, batch)).toBeCloseTo((40 - 30 + 130) / 100, 12);
    // Moving 5 votes from b to c overstates b–c by 10 (10/100), a–c by 5 (5/200).
    const e = computeBatchError(contest, batch, count('m1', { a: 50, b: 35, c: 35, d: 10 }));
    expect(e).toEqual({ countedAs: 10, weightedError: 0.1 });
    expect(computeBatchError(contest, batch, count('m1', Object.fromEntries(batch.votes)))).toBe(
      null,
    );
  });

  it('a batch without the contest has no error bound and is skipped when drawn', () => {
    const contest = makeContest('c', { w: 60, l: 40, ballots: 100 });
    const reported = [
      tally('m1', { w: 30, l: 20, ballots: 50 }),
      tally('m2', { w: 30, l: 20, ballots: 50 }),
      empty('elsewhere'),
    ];
    expect(computeBatchMaxError(contest, reported[2]!)).toBe(0);
    const audited = [count('m1', { w: 30, l: 20 }), count('elsewhere', {})];
    const withIt = computeMacroRisk(0.1, contest, reported, audited, [
      { ticket: '0.1', batch: 'm1' },
      { ticket: '0.2', batch: 'elsewhere' },
    ]);
    const without = computeMacroRisk(0.1, contest, reported, audited.slice(0, 1), [
      { ticket: '0.1', batch: 'm1' },
    ]);
    expect(withIt).toEqual(without);
  });

  it('never confirms when the hand count holds more ballots than the batch reported', () => {
    const contest = makeContest('c', { w: 600, l: 400, ballots: 1000 });
    const reported = Array.from({ length: 10 }, (_, i) =>
      tally(`m${i}`, { w: 60, l: 40, ballots: 100 }),
    );
    // 300 loser votes in a batch that reported 100 ballots: taint above 1.
    const r = computeMacroRisk(
      0.1,
      contest,
      reported,
      [count('m0', { w: 0, l: 300 })],
      [{ ticket: '0.5', batch: 'm0' }],
    );
    expect(r).toEqual({ pValue: 1, confirmed: false });
  });

  it('refuses draws of batches never reported or never counted', () => {
    const contest = makeContest('c', { w: 60, l: 40, ballots: 100 });
    const reported = [
      tally('m1', { w: 30, l: 20, ballots: 50 }),
      tally('m2', { w: 30, l: 20, ballots: 50 }),
    ];
    expect(() =>
      computeMacroRisk(0.1, contest, reported, [], [{ ticket: '0.1', batch: 'm1' }]),
    ).toThrow(RangeError);
    expect(() =>
      computeMacroRisk(0.1, contest, reported, [count('zz', {})], [{ ticket: '0.1', batch: 'zz' }]),
    ).toThrow(RangeError);
  });
});
