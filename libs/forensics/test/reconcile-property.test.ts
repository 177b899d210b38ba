/**
 * Properties of the reconciliation (issue #7, item 2): the report is a function
 * of the set of collected actas — permuting them never changes it — and adding
 * the very same copy again changes only the duplicate count (and the copies
 * given). Inputs are drawn from few ids, sources and values so that
 * duplicates, conflicts, forged copies and arithmetic failures all occur.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { MesaResult } from '../src/mesa-result.js';
import { reconcileActas } from '../src/reconcile.js';
import type {
  CollectedActa,
  ReconciliationReport,
  SignatureStatus,
} from '../src/reconcile-types.js';

const arbCount = (max: number) => fc.option(fc.integer({ min: 0, max }), { nil: null });

const arbActa: fc.Arbitrary<CollectedActa> = fc
  .record({
    id: fc.constantFrom('m1', 'm2', 'm3', 'm4'),
    source: fc.constantFrom('photo', 'qr', 'csv'),
    signature: fc.constantFrom<SignatureStatus>('verified', 'unsigned', 'unsigned', 'forged'),
    registered: fc.option(fc.constantFrom(20, 25), { nil: null }),
    voters: arbCount(25),
    invalid: arbCount(2),
    votes: fc.record({ A: fc.integer({ min: 0, max: 9 }), B: fc.integer({ min: 0, max: 9 }) }),
    validOffset: fc.constantFrom(0, 0, 0, 1),
  })
  .map((x) => {
    const votes = new Map(Object.entries(x.votes));
    const result: MesaResult = {
      id: x.id,
      region: [],
      registered: x.registered,
      voters: x.voters,
      valid: x.votes.A + x.votes.B + x.validOffset,
      invalid: x.invalid,
      blank: null,
      votes,
      source: x.source,
    };
    return { result, signature: x.signature };
  });

const OFFICIAL: readonly MesaResult[] = [
  {
    id: 'm1',
    region: [],
    registered: 20,
    voters: null,
    valid: 9,
    invalid: 0,
    blank: null,
    votes: new Map([
      ['A', 5],
      ['B', 4],
    ]),
    source: 'cne',
  },
];

function run(collected: readonly CollectedActa[]): ReconciliationReport {
  return reconcileActas({
    collected,
    official: OFFICIAL,
    registeredTotal: 120,
    mesasTotal: 6,
    officialTotals: [
      { label: 'b1', coverage: 0.5, votes: new Map([['A', 10]]) },
      {
        label: 'b2',
        votes: new Map([
          ['A', 30],
          ['B', 3],
        ]),
        valid: 33,
      },
    ],
  });
}

/** The report as text, maps as entry lists (in their order: order must be canonical too). */
function text(r: ReconciliationReport): string {
  return JSON.stringify(r, (_k, v: unknown) =>
    v instanceof Map ? [...(v as Map<unknown, unknown>)] : v,
  );
}

describe('reconciliation properties', () => {
  it('permuting the collected actas never changes the report', () => {
    fc.assert(
      fc.property(
        fc
          .array(arbActa, { maxLength: 14 })
          .chain((actas) =>
            fc.tuple(fc.constant(actas), fc.shuffledSubarray(actas, { minLength: actas.length })),
          ),
        ([actas, shuffled]) => {
          expect(text(run(shuffled))).toBe(text(run(actas)));
        },
      ),
      { numRuns: 300, seed: 20240728 },
    );
  });

  it('adding the very same copy again changes only the duplicate count', () => {
    fc.assert(
      fc.property(
        fc.array(arbActa, { minLength: 1, maxLength: 12 }),
        fc.nat(),
        fc.nat(),
        (actas, pick, at) => {
          const copy = actas[pick % actas.length];
          if (copy === undefined) return;
          const more = [...actas];
          more.splice(at % (actas.length + 1), 0, copy);
          const a = run(actas);
          const b = run(more);
          expect(b.merge.duplicates).toBe(a.merge.duplicates + 1);
          expect(b.merge.copies).toBe(a.merge.copies + 1);
          const same = {
            ...b,
            merge: { ...b.merge, duplicates: a.merge.duplicates, copies: a.merge.copies },
          };
          expect(text(same)).toBe(text(a));
        },
      ),
      { numRuns: 300, seed: 7 },
    );
  });

  it('the worst-case verdict agrees with a brute-force check of the definition', () => {
    // Independent restatement: the leader still leads against every other
    // candidate iff leader − challenger > uncovered for all of them.
    fc.assert(
      fc.property(fc.array(arbActa, { maxLength: 14 }), (actas) => {
        const r = run(actas);
        const cands = r.totals.candidates;
        const top = cands[0];
        if (top === undefined || cands.length < 2) return;
        const uncovered = Math.max(0, 120 - r.coverage.registeredCounted);
        const holds = cands.slice(1).every((c) => top.votes - c.votes > uncovered);
        expect(r.worstCase.leaderStillLeads).toBe(holds);
      }),
      { numRuns: 200, seed: 11 },
    );
  });
});
