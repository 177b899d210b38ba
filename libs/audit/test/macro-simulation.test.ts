// Seeded simulation of MACRO with PPEB sampling (issue #6, item 4): actas were
// altered in 40 of 200 mesas, enough to flip the outcome (the hand counts, the
// truth, have the reported loser ahead). The audit must confirm this wrong
// outcome in at most alpha of the trials, checked against the binomial 99.9%
// upper quantile of Binomial(trials, alpha); and it must confirm a right
// outcome (no acta altered) after its first round.
import binomialQuantile from '@stdlib/stats-base-dists-binomial-quantile';
import { describe, expect, it } from 'vitest';
import { createContest, type Contest } from '../src/contest.js';
import {
  computeMacroRisk,
  computeMacroSampleSizes,
  type AuditedBatch,
  type BatchTally,
} from '../src/macro.js';
import { drawPpebSample } from '../src/ppeb-sample.js';

const MESAS = 200;
const BALLOTS = 200;
const ALPHA = 0.1;

function tallies(rows: readonly [number, number][]): BatchTally[] {
  return rows.map(([w, l], i) => ({
    batch: `mesa ${i}`,
    votes: new Map([
      ['W', w],
      ['L', l],
    ]),
    ballots: BALLOTS,
  }));
}

function contestOf(reported: readonly BatchTally[]): Contest {
  const sum = (c: string): number => reported.reduce((s, b) => s + (b.votes.get(c) ?? 0), 0);
  const r = createContest({
    candidates: [
      { name: 'W', votes: sum('W') },
      { name: 'L', votes: sum('L') },
    ],
    ballots: MESAS * BALLOTS,
    numWinners: 1,
    votesAllowed: 1,
  });
  if (!r.ok) throw new Error('bad contest');
  return r.value;
}

/** One audit round: size, PPEB draw, hand counts of the drawn mesas, risk. */
function audit(seed: string, reported: BatchTally[], truth: BatchTally[]): boolean {
  const contest = contestOf(reported);
  const sizes = computeMacroSampleSizes(ALPHA, contest, reported);
  if (!sizes.ok) throw new Error(sizes.error.message);
  const draws = drawPpebSample(seed, contest, reported, sizes.value.macro.size);
  const byName = new Map(truth.map((b) => [b.batch, b] as const));
  const audited: AuditedBatch[] = [...new Set(draws.map((d) => d.batch))].map((batch) => ({
    batch,
    votes: byName.get(batch)!.votes,
  }));
  return computeMacroRisk(ALPHA, contest, reported, audited, draws).confirmed;
}

describe('MACRO with PPEB, simulated', () => {
  it('confirms a wrong outcome (altered actas) no more often than alpha', () => {
    // Truth: L ahead, 95–105 in every mesa (19000–21000). The actas of mesas
    // 0–39 move 40 votes from L to W (135–65): reported 20600–19400, W "wins".
    const truth = tallies(Array.from({ length: MESAS }, () => [95, 105] as [number, number]));
    const reported = tallies(
      Array.from({ length: MESAS }, (_, i) => (i < 40 ? [135, 65] : [95, 105])),
    );
    const trials = 150;
    let confirmed = 0;
    for (let t = 0; t < trials; t++) if (audit(`altered ${t}`, reported, truth)) confirmed++;
    const bound = binomialQuantile(0.999, trials, ALPHA);
    expect(confirmed).toBeLessThanOrEqual(bound);
  });

  it('confirms a right outcome in its first round when no acta was altered', () => {
    const rows: [number, number][] = Array.from({ length: MESAS }, (_, i) =>
      i % 2 === 0 ? [120, 80] : [100, 100],
    );
    const truth = tallies(rows);
    const trials = 40;
    let confirmed = 0;
    for (let t = 0; t < trials; t++) if (audit(`clean ${t}`, truth, truth)) confirmed++;
    // With no discrepancy the first-round size makes (1 − 1/U)^n ≤ alpha.
    expect(confirmed).toBe(trials);
  });
});
