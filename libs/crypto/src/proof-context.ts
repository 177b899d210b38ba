/**
 * The context every proof is bound to (docs/spec.md §5.0): the election's
 * 32-byte base hash and an optional label (e.g. ballot, contest and selection
 * ids, or a trustee and coefficient index). Both enter every Fiat-Shamir
 * challenge, so a proof made for one election, ballot or trustee does not
 * verify for another.
 */
import { cryptoError, type CryptoError } from './errors.js';
import type { HashPart } from './hash.js';
import { err, ok, type Result } from './result.js';

/** Length of the election base hash. */
export const ELECTION_HASH_LENGTH = 32;

/** What a proof is bound to besides its statement. */
export interface ProofContext {
  readonly electionHash: Uint8Array;
  readonly label?: readonly HashPart[];
}

/** Checks a context's election hash length (a bug if wrong: callers build contexts). */
export function checkProofContext(
  context: ProofContext,
  where = 'context',
): Result<true, CryptoError> {
  if (context.electionHash.length !== ELECTION_HASH_LENGTH) {
    return err(
      cryptoError(
        'INVALID_LENGTH',
        `${where}.electionHash`,
        `the election hash is ${ELECTION_HASH_LENGTH} bytes, got ${context.electionHash.length}`,
      ),
    );
  }
  return ok(true);
}

/** The hash parts a context contributes to a challenge: [electionHash, [label…]]. */
export function contextHashParts(context: ProofContext): HashPart[] {
  return [context.electionHash, context.label ?? []];
}
