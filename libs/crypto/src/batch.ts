/**
 * Linear verification equations and their batch verification (docs/spec.md §5.6).
 *
 * Every Acta proof verifies by (1) recomputing its Fiat-Shamir challenge and
 * (2) checking group equations of the form Σ aᵢ·Pᵢ = identity. A proof module
 * exposes the equations as `LinearCheck`s; this module checks them one at a
 * time, or many at once: each equation is multiplied by an independent random
 * weight ρ, equal bases (the generator, the election key) are merged, and one
 * multi-scalar multiplication decides the whole batch. A false equation passes
 * only if the weights hit a root of a non-zero linear form: probability 1/L.
 * When a batch fails, every proof is re-checked on its own to locate the bad
 * ones (Bellare, Garay, Rabin, "Fast batch verification for modular
 * exponentiation and digital signatures", EUROCRYPT 1998, small-exponent test).
 */
import { cryptoError, type CryptoError } from './errors.js';
import type { GroupElement, Scalar } from './group.js';
import { GROUP_ORDER, multiScalarMultiply, multiScalarMultiplyReduced } from './group.js';
import { err, ok, type Result } from './result.js';
import { defaultRng } from './rng.js';

/** One term a·P of a linear check. */
export type LinearTerm = readonly [Scalar, GroupElement];

/** A verification equation Σ aᵢ·Pᵢ = identity, with the place it checks. */
export interface LinearCheck {
  readonly where: string;
  readonly terms: readonly LinearTerm[];
}

/** The failure of one item of a batch. */
export interface BatchFailure {
  readonly index: number;
  readonly error: CryptoError;
}

/** The outcome of a batch verification: which items failed, and why. */
export interface BatchOutcome {
  readonly ok: boolean;
  readonly checked: number;
  readonly failures: readonly BatchFailure[];
  /** True when the combined check failed and items were re-checked one by one. */
  readonly fellBack: boolean;
}

/** Evaluates one check on its own (variable time: public data only). */
export function evaluateLinearCheck(check: LinearCheck): boolean {
  const scalars = check.terms.map((t) => t[0]);
  const elements = check.terms.map((t) => t[1]);
  return multiScalarMultiply(scalars, elements).isIdentity();
}

/** Evaluates several checks one by one; returns the first that fails, if any. */
export function findFailedCheck(checks: readonly LinearCheck[]): LinearCheck | undefined {
  return checks.find((c) => !evaluateLinearCheck(c));
}

/**
 * Combines checks with random weights into a single MSM and tests it. Terms
 * whose element is the same object (GroupElement.GENERATOR, a shared key
 * instance) are merged, so a batch over n proofs under one key costs one MSM
 * with about (terms − shared) entries.
 */
export function evaluateChecksCombined(checks: readonly LinearCheck[]): boolean {
  // Coefficients accumulate as unreduced BigInts (one reduction per distinct
  // element at the end, not one per term): at national scale this loop runs
  // for billions of terms.
  const merged = new Map<GroupElement, bigint>();
  const weights = defaultRng.randomBytes(32 * checks.length);
  const view = new DataView(weights.buffer, weights.byteOffset, weights.byteLength);
  for (let k = 0; k < checks.length; k++) {
    const weight = readWeight(view, 32 * k);
    for (const [a, p] of checks[k]!.terms) {
      const w = a.toBigInt() * weight;
      const prev = merged.get(p);
      merged.set(p, prev === undefined ? w : prev + w);
    }
  }
  const values: bigint[] = [];
  for (const v of merged.values()) values.push(v % GROUP_ORDER);
  return multiScalarMultiplyReduced(values, [...merged.keys()]).isIdentity();
}

/**
 * A batch weight: 252 uniformly random bits (spec §5.6), i.e. uniform in
 * [0, 2^252) ⊂ [0, L). For any fixed other weights at most one value of a
 * false equation's weight makes the batch pass, so it passes with
 * probability ≤ 2^−252; no reduction is needed.
 */
function readWeight(view: DataView, offset: number): bigint {
  return (
    view.getBigUint64(offset, true) |
    (view.getBigUint64(offset + 8, true) << 64n) |
    (view.getBigUint64(offset + 16, true) << 128n) |
    (BigInt.asUintN(60, view.getBigUint64(offset + 24, true)) << 192n)
  );
}

/**
 * Verifies many items at once. `toChecks` recomputes an item's challenge and
 * returns its equations (or the error that stops it early, e.g. a challenge
 * mismatch); the equations of all well-formed items are then checked in one
 * combined MSM, and only on failure item by item.
 */
export function verifyBatch<T>(
  items: readonly T[],
  toChecks: (item: T, index: number) => Result<readonly LinearCheck[], CryptoError>,
): BatchOutcome {
  const failures: BatchFailure[] = [];
  const pending: { index: number; checks: readonly LinearCheck[] }[] = [];
  items.forEach((item, index) => {
    const r = toChecks(item, index);
    if (r.ok) pending.push({ index, checks: r.value });
    else failures.push({ index, error: r.error });
  });
  let fellBack = false;
  if (pending.length > 0 && !evaluateChecksCombined(pending.flatMap((p) => p.checks))) {
    fellBack = true;
    for (const p of pending) {
      const bad = findFailedCheck(p.checks);
      if (bad !== undefined) {
        failures.push({
          index: p.index,
          error: cryptoError(
            'PROOF_EQUATION_FAILED',
            bad.where,
            'a verification equation does not hold',
          ),
        });
      }
    }
    failures.sort((a, b) => a.index - b.index);
  }
  return { ok: failures.length === 0, checked: items.length, failures, fellBack };
}

/**
 * Decides a single proof (or contest) from its checks: all equations at once
 * in one random-weight MSM (one Pippenger run over the distinct bases is much
 * cheaper than one per equation), and only if that fails, one by one to name
 * the failing equation. Weights come from the system CSPRNG by default.
 */
export function verifyLinearChecks(
  checks: Result<readonly LinearCheck[], CryptoError>,
  message: string,
): Result<true, CryptoError> {
  if (!checks.ok) return checks;
  if (evaluateChecksCombined(checks.value)) return ok(true);
  // A combination of true equations is true, so some equation fails here.
  const bad = findFailedCheck(checks.value);
  return err(cryptoError('PROOF_EQUATION_FAILED', bad?.where ?? 'proof', message));
}
