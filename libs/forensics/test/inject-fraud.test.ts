/**
 * Property tests of the fraud injectors: each changes what it claims and
 * nothing else — the ground-truth ids are exactly the mesas changed, totals
 * are preserved where the pattern preserves them, registered voters are never
 * exceeded unless the scenario allows it.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { injectFraud } from '../src/inject-fraud.js';
import type { FraudScenario } from '../src/inject-fraud.js';
import type { MesaResult } from '../src/mesa-result.js';
import { DEFAULT_SPREAD, simulateElection } from '../src/simulate-election.js';

const cache = new Map<number, MesaResult[]>();
/** A few honest elections, made once (the properties vary the fraud, not the election). */
const election = (seed: number): MesaResult[] => {
  const key = seed % 4;
  const hit = cache.get(key);
  if (hit !== undefined) return hit;
  const made = make(key, 150);
  cache.set(key, made);
  return made;
};
const make = (seed: number, mesas: number): MesaResult[] =>
  simulateElection({
    mesas,
    seed,
    regions: 5,
    meanTurnout: 0.6,
    spread: DEFAULT_SPREAD,
    candidates: [
      { name: 'A', share: 0.5 },
      { name: 'B', share: 0.35 },
      { name: 'C', share: 0.15 },
    ],
    mesaSize: { min: 200, max: 600 },
  });

const sumVotes = (r: MesaResult): number => [...r.votes.values()].reduce((p, c) => p + c, 0);
const total = (rs: readonly MesaResult[], f: (r: MesaResult) => number): number =>
  rs.reduce((p, r) => p + f(r), 0);

/** The ids whose records differ, and checks that unaltered mesas are the same objects. */
function changedIds(before: readonly MesaResult[], after: readonly MesaResult[]): string[] {
  expect(after).toHaveLength(before.length);
  const ids: string[] = [];
  before.forEach((b, i) => {
    const a = after[i] as MesaResult;
    expect(a.id).toBe(b.id);
    const same =
      a.registered === b.registered &&
      a.voters === b.voters &&
      a.valid === b.valid &&
      a.invalid === b.invalid &&
      [...b.votes].every(([k, v]) => a.votes.get(k) === v);
    if (!same) ids.push(b.id);
    else expect(a).toBe(b);
    // Never touched, whatever the fraud.
    expect(a.registered).toBe(b.registered);
    expect(a.invalid).toBe(b.invalid);
    expect(a.region).toBe(b.region);
  });
  return ids;
}

function checkConsistent(rs: readonly MesaResult[], allowOver: boolean): void {
  for (const r of rs) {
    expect(sumVotes(r)).toBe(r.valid);
    expect((r.valid ?? 0) + (r.invalid ?? 0)).toBe(r.voters);
    if (!allowOver) expect(r.voters ?? 0).toBeLessThanOrEqual(r.registered ?? 0);
    for (const v of r.votes.values()) expect(v).toBeGreaterThanOrEqual(0);
  }
}

const fraction = fc.double({ min: 0, max: 1, noNaN: true });
const unit = fc.double({ min: 0.01, max: 1, noNaN: true });

describe('injectFraud', () => {
  it('ballot stuffing: raises voters and the winner only, in the mesas it names', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 1e6 }), fraction, unit, (seed, f, intensity) => {
        const before = election(seed);
        const out = injectFraud(before, { kind: 'ballot-stuffing', fraction: f, intensity }, seed);
        expect(changedIds(before, out.results)).toEqual(out.altered);
        checkConsistent(out.results, false);
        expect(out.altered.length).toBeLessThanOrEqual(Math.round(f * before.length));
        out.results.forEach((a, i) => {
          const b = before[i] as MesaResult;
          const dv = (a.voters ?? 0) - (b.voters ?? 0);
          expect(dv).toBeGreaterThanOrEqual(0);
          expect((a.votes.get('A') ?? 0) - (b.votes.get('A') ?? 0)).toBe(dv);
          expect(a.votes.get('B')).toBe(b.votes.get('B'));
          expect(a.votes.get('C')).toBe(b.votes.get('C'));
        });
        expect(total(out.results, (r) => r.voters ?? 0) - total(before, (r) => r.voters ?? 0)).toBe(
          out.added,
        );
      }),
      { numRuns: 20, seed: 11 },
    );
  });

  it('spread votes: adds exactly the fabricated votes asked for, or says how many did not fit', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 1e6 }),
        fc.integer({ min: 0, max: 200000 }),
        fc.integer({ min: 1, max: 150 }),
        fc.boolean(),
        (seed, votes, mesas, allowOverRegistered) => {
          const before = election(seed);
          const scenario: FraudScenario = {
            kind: 'spread-votes',
            votes,
            mesas,
            allowOverRegistered,
          };
          const out = injectFraud(before, scenario, seed);
          expect(changedIds(before, out.results)).toEqual(out.altered);
          checkConsistent(out.results, allowOverRegistered);
          expect(out.added + out.unplaced).toBe(votes);
          if (allowOverRegistered) expect(out.unplaced).toBe(0);
          expect(
            total(out.results, (r) => r.votes.get('A') ?? 0) -
              total(before, (r) => r.votes.get('A') ?? 0),
          ).toBe(out.added);
          expect(out.altered.length).toBeLessThanOrEqual(mesas);
          // Thin and even: no mesa gets more than ⌈votes/mesas⌉.
          out.results.forEach((a, i) => {
            expect((a.voters ?? 0) - ((before[i] as MesaResult).voters ?? 0)).toBeLessThanOrEqual(
              Math.ceil(votes / mesas),
            );
          });
        },
      ),
      { numRuns: 20, seed: 12 },
    );
  });

  it('altered actas: moves votes between two candidates, all totals kept', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 1e6 }), fraction, unit, (seed, f, share) => {
        const before = election(seed);
        const out = injectFraud(before, { kind: 'altered-actas', fraction: f, share }, seed);
        expect(changedIds(before, out.results)).toEqual(out.altered);
        checkConsistent(out.results, false);
        out.results.forEach((a, i) => {
          const b = before[i] as MesaResult;
          expect(a.voters).toBe(b.voters);
          expect(a.valid).toBe(b.valid);
          expect(a.votes.get('C')).toBe(b.votes.get('C'));
          // Default: from the runner-up (B) to the winner (A).
          expect((a.votes.get('A') ?? 0) - (b.votes.get('A') ?? 0)).toBe(
            (b.votes.get('B') ?? 0) - (a.votes.get('B') ?? 0),
          );
        });
        expect(out.added).toBe(0);
      }),
      { numRuns: 20, seed: 13 },
    );
  });

  it('turnout inflation: adds voters split in proportion, shares barely move', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 1e6 }),
        fraction,
        fc.double({ min: 0.01, max: 2, noNaN: true }),
        (seed, f, factor) => {
          const before = election(seed);
          const out = injectFraud(before, { kind: 'turnout-inflation', fraction: f, factor }, seed);
          expect(changedIds(before, out.results)).toEqual(out.altered);
          checkConsistent(out.results, false);
          out.results.forEach((a, i) => {
            const b = before[i] as MesaResult;
            if (a === b) return;
            const added = (a.voters ?? 0) - (b.voters ?? 0);
            expect(added).toBeLessThanOrEqual(Math.round(factor * (b.voters ?? 0)));
            // Largest remainder: each candidate's new share within 1 vote of proportional.
            for (const [k, v] of b.votes) {
              const exact = v + (added * v) / (b.valid ?? 1);
              expect(Math.abs((a.votes.get(k) ?? 0) - exact)).toBeLessThan(1);
            }
          });
        },
      ),
      { numRuns: 20, seed: 14 },
    );
  });

  it('is deterministic for a seed, and refuses bad scenarios', () => {
    const before = election(3);
    const s: FraudScenario = { kind: 'ballot-stuffing', fraction: 0.2, intensity: 0.5 };
    expect(injectFraud(before, s, 9).altered).toEqual(injectFraud(before, s, 9).altered);
    expect(injectFraud(before, s, 9).altered).not.toEqual(injectFraud(before, s, 10).altered);
    expect(injectFraud(before, s, 9).altered).toHaveLength(30);
    expect(() =>
      injectFraud(before, { kind: 'ballot-stuffing', fraction: 2, intensity: 0.5 }, 1),
    ).toThrow(RangeError);
    expect(() => injectFraud(before, { kind: 'spread-votes', votes: 10, mesas: 0 }, 1)).toThrow(
      RangeError,
    );
    expect(() =>
      injectFraud(
        before,
        { kind: 'altered-actas', fraction: 0.1, share: 0.5, from: 'A', to: 'A' },
        1,
      ),
    ).toThrow(RangeError);
    expect(() =>
      injectFraud(before, { kind: 'turnout-inflation', fraction: 0.1, factor: -1 }, 1),
    ).toThrow(RangeError);
  });
});
