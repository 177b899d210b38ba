/**
 * Discrete logarithms of small values: given m·G with 0 ≤ m ≤ max, find m by
 * baby-step giant-step (Shanks). Tallies in exponential ElGamal decrypt to m·G,
 * and a selection's national total stays below 10 million in Acta's design
 * scale (docs/spec.md §4.3), so the default table covers [0, 10 000 000].
 *
 * The baby-step table (j·G for 0 ≤ j < b, keyed by encoding) is built once per
 * bound and reused; a lookup then costs at most ⌈(max+1)/b⌉ giant steps, and
 * exactly one for any m < b — the common case for per-mesa tallies.
 */
import { encodeHex } from './bytes.js';
import { cryptoError, type CryptoError } from './errors.js';
import { GroupElement } from './group.js';
import { err, ok, type Result } from './result.js';

/** The default upper bound of a solvable discrete log. */
export const DEFAULT_DLOG_MAX = 10_000_000;

/** A reusable baby-step giant-step table for logs in [0, maxValue]. */
export class DiscreteLogTable {
  readonly maxValue: number;
  readonly babySteps: number;
  readonly #baby: Map<string, number>;
  /** −b·G: one giant step. */
  readonly #giantStep: GroupElement;

  /**
   * Builds the table. `babySteps` defaults to ⌈√(maxValue+1)⌉, which balances
   * build time against the worst-case lookup.
   */
  constructor(maxValue: number = DEFAULT_DLOG_MAX, babySteps?: number) {
    if (!Number.isSafeInteger(maxValue) || maxValue < 0) {
      throw new RangeError(`maxValue must be a non-negative safe integer, got ${maxValue}`);
    }
    const b = babySteps ?? Math.max(1, Math.ceil(Math.sqrt(maxValue + 1)));
    if (!Number.isSafeInteger(b) || b < 1) throw new RangeError(`babySteps must be ≥ 1, got ${b}`);
    this.maxValue = maxValue;
    this.babySteps = b;
    this.#baby = new Map();
    let acc = GroupElement.IDENTITY;
    for (let j = 0; j < b; j++) {
      this.#baby.set(encodeHex(acc.toBytes()), j);
      acc = acc.add(GroupElement.GENERATOR);
    }
    // acc = b·G now.
    this.#giantStep = acc.negate();
  }

  /** Finds m with element = m·G and 0 ≤ m ≤ maxValue. */
  solve(element: GroupElement, where = 'plaintext'): Result<number, CryptoError> {
    const giants = Math.floor(this.maxValue / this.babySteps);
    let target = element;
    for (let i = 0; i <= giants; i++) {
      const j = this.#baby.get(encodeHex(target.toBytes()));
      if (j !== undefined) {
        const m = i * this.babySteps + j;
        if (m <= this.maxValue) return ok(m);
      }
      target = target.add(this.#giantStep);
    }
    return err(
      cryptoError('DLOG_OUT_OF_RANGE', where, `the plaintext is not in [0, ${this.maxValue}]`),
    );
  }
}

const tables = new Map<number, DiscreteLogTable>();

/** The shared table for a bound, built on first use and then reused. */
export function getDiscreteLogTable(maxValue: number = DEFAULT_DLOG_MAX): DiscreteLogTable {
  let table = tables.get(maxValue);
  if (table === undefined) {
    table = new DiscreteLogTable(maxValue);
    tables.set(maxValue, table);
  }
  return table;
}

/** Finds m with element = m·G and 0 ≤ m ≤ maxValue, using the shared table. */
export function solveDiscreteLog(
  element: GroupElement,
  maxValue: number = DEFAULT_DLOG_MAX,
  where = 'plaintext',
): Result<number, CryptoError> {
  return getDiscreteLogTable(maxValue).solve(element, where);
}
