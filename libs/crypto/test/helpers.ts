// Shared test helpers: fast-check arbitraries for scalars and elements, a fixed
// election hash, and bit-flipping of encodings.
import fc from 'fast-check';
import {
  GroupElement,
  Scalar,
  createSeededRng,
  hashToBytes,
  type ProofContext,
} from '../src/index.js';

export const ELECTION_HASH: Uint8Array = hashToBytes('ACTA_V1_TEST_ELECTION', ['test election']);
export const OTHER_ELECTION_HASH: Uint8Array = hashToBytes('ACTA_V1_TEST_ELECTION', [
  'another election',
]);
export const CONTEXT: ProofContext = { electionHash: ELECTION_HASH, label: ['test'] };

/** Arbitrary non-zero scalars, uniformly distributed. */
export const arbScalar: fc.Arbitrary<Scalar> = fc
  .uint8Array({ minLength: 64, maxLength: 64 })
  .map((b) => Scalar.fromUniformBytes(b))
  .filter((s) => !s.isZero());

/** Arbitrary elements (random multiples of the generator). */
export const arbElement: fc.Arbitrary<GroupElement> = arbScalar.map((s) =>
  GroupElement.multiplyGenerator(s),
);

/** A deterministic rng per seed for property tests. */
export const arbRng = fc.integer().map((n) => createSeededRng(`prop-${n}`));

/** A scalar that is different from s. */
export function bump(s: Scalar): Scalar {
  return s.add(Scalar.ONE);
}

/** An element that is different from e. */
export function bumpElement(e: GroupElement): GroupElement {
  return e.add(GroupElement.GENERATOR);
}

/** The error code of a result, or 'ok'. */
export function errorCode(r: { ok: boolean; error?: { code: string } }): string {
  return r.ok ? 'ok' : (r.error?.code ?? '?');
}

/** A copy of `items` with `items[index]` replaced. */
export function replaceAt<T>(items: readonly T[], index: number, value: T): T[] {
  const out = items.slice();
  out[index] = value;
  return out;
}
