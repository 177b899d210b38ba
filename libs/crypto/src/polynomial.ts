/**
 * Polynomials over the scalar field and their Feldman commitments, for the
 * threshold key ceremony and threshold decryption (docs/spec.md §6).
 *
 * A trustee's secret polynomial is P(x) = Σ_j a_j·x^j (degree k − 1), shared
 * as P(1), …, P(n); its Feldman commitments are K_j = a_j·G (Feldman, "A
 * practical scheme for non-interactive verifiable secret sharing", FOCS 1987),
 * so that anyone can compute P(l)·G = Σ_j l^j·K_j without learning P(l).
 * Trustee indices are small positive integers (1…255), so both evaluations use
 * Horner's rule with a small multiplier.
 */
import { GroupElement, Scalar } from './group.js';

/** The largest number of trustees (indices are 1…255; spec §6.1). */
export const MAX_TRUSTEES = 255;

/**
 * P(x) = Σ_j coefficients[j]·x^j mod L by Horner's rule. The coefficients are
 * secret; the arithmetic is the backend's bigint field arithmetic, the same as
 * every other scalar operation in the package.
 */
export function evaluatePolynomial(coefficients: readonly Scalar[], x: number): Scalar {
  const xs = Scalar.fromInt(x);
  let acc = Scalar.ZERO;
  for (let j = coefficients.length - 1; j >= 0; j--) {
    acc = acc.multiply(xs).add(coefficients[j]!);
  }
  return acc;
}

/**
 * Σ_j x^j·commitments[j] by Horner's rule: the public image P(x)·G of a share.
 * Variable-time: the commitments and x are public.
 */
export function evaluateCommitments(commitments: readonly GroupElement[], x: number): GroupElement {
  const xs = Scalar.fromInt(x);
  let acc = GroupElement.IDENTITY;
  for (let j = commitments.length - 1; j >= 0; j--) {
    acc = acc.multiplyPublic(xs).add(commitments[j]!);
  }
  return acc;
}
