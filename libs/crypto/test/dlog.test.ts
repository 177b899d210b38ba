// Baby-step giant-step discrete logs (spec §4.3).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  DiscreteLogTable,
  GroupElement,
  Scalar,
  getDiscreteLogTable,
  solveDiscreteLog,
  unwrap,
} from '../src/index.js';

const G = GroupElement.GENERATOR;

describe('discrete log', () => {
  it('solves small values and the table edges', () => {
    const table = new DiscreteLogTable(1000);
    for (const m of [0, 1, 2, 31, 32, 33, 999, 1000]) {
      expect(unwrap(table.solve(G.multiplyPublic(Scalar.fromInt(m))))).toBe(m);
    }
  });

  it('refuses values above the bound and non-multiples with a coded error', () => {
    const table = new DiscreteLogTable(1000);
    const r = table.solve(G.multiplyPublic(Scalar.fromInt(1001)), 'mesa 7');
    expect(r.ok ? 'ok' : `${r.error.code}@${r.error.where}`).toBe('DLOG_OUT_OF_RANGE@mesa 7');
    expect(table.solve(G.multiplyPublic(Scalar.fromInt(1).negate())).ok).toBe(false);
  });

  it('solves values across the default 10-million range', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 10_000_000 }), (m) => {
        expect(unwrap(solveDiscreteLog(G.multiplyPublic(Scalar.fromInt(m))))).toBe(m);
      }),
      { numRuns: 8 },
    );
    expect(unwrap(solveDiscreteLog(G.multiplyPublic(Scalar.fromInt(10_000_000))))).toBe(10_000_000);
    expect(solveDiscreteLog(G.multiplyPublic(Scalar.fromInt(10_000_001))).ok).toBe(false);
  });

  it('builds the shared table once and reuses it', () => {
    expect(getDiscreteLogTable(5000)).toBe(getDiscreteLogTable(5000));
  });

  it('works with an unbalanced table', () => {
    const t = new DiscreteLogTable(100, 7);
    for (let m = 0; m <= 100; m += 9)
      expect(unwrap(t.solve(G.multiplyPublic(Scalar.fromInt(m))))).toBe(m);
  });

  it('rejects invalid table parameters (a bug)', () => {
    expect(() => new DiscreteLogTable(-1)).toThrow(RangeError);
    expect(() => new DiscreteLogTable(10, 0)).toThrow(RangeError);
  });
});
