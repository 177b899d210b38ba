/**
 * What a worker (or the calling thread, with `workers: 0`) does with one
 * chunk: the batch verification of encrypted contests (docs/spec.md §5.5,
 * §5.6) and homomorphic sums of ciphertexts (§4.2). Both pool modes run these
 * same functions, so a pool's outcome does not depend on how many threads it
 * has.
 */
import {
  contestChecks,
  cryptoError,
  decodeEncryptedContest,
  err,
  ok,
  sumElements,
  verifyBatch,
  type Ciphertext,
  type ContestItem,
  type CryptoError,
  type GroupElement,
  type ProofContext,
  type Result,
} from '@acta/crypto';
import type { ChunkVerification, ParallelBatchFailure } from './protocol.js';

/** Distinct election keys a thread keeps tables for; more than this clears the cache. */
const MAX_CACHED_KEYS = 64;

/**
 * A thread's cache of election keys with their fixed-base tables
 * (`precompute()`), by encoding: building a table costs many
 * multiplications, and every chunk under the same key would otherwise pay it.
 * It also makes every contest under one key share one key object, which the
 * batch merges into a single term (docs/spec.md §5.6).
 */
export class PrecomputedKeyCache {
  readonly #keys = new Map<string, GroupElement>();

  /** The cached key with `key`'s value, creating it (with tables) on first use. */
  resolve(key: GroupElement): GroupElement {
    const hex = key.toHex();
    const cached = this.#keys.get(hex);
    if (cached !== undefined) return cached;
    if (this.#keys.size >= MAX_CACHED_KEYS) this.#keys.clear();
    // The identity is no key: its contests fail their checks, it needs no table.
    const value = key.isPrecomputed() || key.isIdentity() ? key : key.precompute();
    this.#keys.set(hex, value);
    return value;
  }
}

/**
 * The decoding rule the JSON form imposes (decodeEncryptedContest,
 * docs/spec.md §5.5 and §5.4): proof commitments are not the identity;
 * ciphertexts may be. Returns the first violation in the contest's order,
 * located as the JSON decoder would locate it under `where`.
 */
export function findForbiddenIdentity(item: ContestItem, where: string): CryptoError | undefined {
  const { selections, limitProof } = item.contest;
  const check = (
    commitments: readonly { a: GroupElement; b: GroupElement }[],
    path: string,
  ): CryptoError | undefined => {
    for (let j = 0; j < commitments.length; j++) {
      const { a, b } = commitments[j]!;
      for (const [name, x] of [
        ['a', a],
        ['b', b],
      ] as const) {
        if (x.isIdentity()) {
          return cryptoError(
            'IDENTITY_ELEMENT',
            `${path}.commitments[${j}].${name}`,
            'the identity element is not allowed here',
          );
        }
      }
    }
    return undefined;
  };
  for (let i = 0; i < selections.length; i++) {
    const bad = check(selections[i]!.proof.commitments, `${where}.selections[${i}].proof`);
    if (bad !== undefined) return bad;
  }
  return check(limitProof.commitments, `${where}.limitProof`);
}

/** The path of the contest with global index `index`. */
export function contestPath(index: number): string {
  return `contest[${index}]`;
}

/**
 * Applies the per-contest decoding rules to a chunk's items (whose key has
 * been resolved): an item breaking them becomes its failure.
 */
export function admitContestItems(
  items: readonly ContestItem[],
  base: number,
): Result<ContestItem, CryptoError>[] {
  return items.map((item, k) => {
    const bad = findForbiddenIdentity(item, contestPath(base + k));
    return bad === undefined ? ok(item) : err(bad);
  });
}

function toFailure(
  index: number,
  error: CryptoError,
  stage: ParallelBatchFailure['stage'],
): ParallelBatchFailure {
  return { index, code: error.code, where: error.where, message: error.message, stage };
}

/**
 * Verifies a chunk: `batchVerifyContests` with global contest indices in the
 * paths (`contest[base + k]`), i.e. every admitted contest's checks in one
 * combined MSM and, only if it fails, contest by contest. Entries that
 * already failed (decoding rules) are reported as they are.
 */
export function verifyContestEntries(
  entries: readonly Result<ContestItem, CryptoError>[],
  base: number,
): ChunkVerification {
  const failures: ParallelBatchFailure[] = [];
  const items: ContestItem[] = [];
  const indices: number[] = [];
  entries.forEach((entry, k) => {
    if (entry.ok) {
      items.push(entry.value);
      indices.push(base + k);
    } else {
      failures.push(toFailure(base + k, entry.error, 'decode'));
    }
  });
  const outcome = verifyBatch(items, (item, k) =>
    contestChecks(item.context, item.publicKey, item.contest, item.limit, contestPath(indices[k]!)),
  );
  for (const f of outcome.failures) failures.push(toFailure(indices[f.index]!, f.error, 'verify'));
  failures.sort((a, b) => a.index - b.index);
  return { checked: entries.length, fellBack: outcome.fellBack, failures };
}

/** The homomorphic sum of each piece (docs/spec.md §4.2): two element sums, one wrapper each. */
export function sumPieces(pieces: readonly (readonly Ciphertext[])[]): Ciphertext[] {
  return pieces.map((piece) => ({
    alpha: sumElements(piece.map((c) => c.alpha)),
    beta: sumElements(piece.map((c) => c.beta)),
  }));
}

/**
 * One contest to verify in its JSON form (`EncryptedContestJson`, untrusted):
 * decoded where it is verified, so that the thread which found it need not
 * decode its proofs (the verifier of a record: issue #5).
 */
export interface EncodedContestItem {
  readonly context: ProofContext;
  readonly publicKey: GroupElement;
  /** The contest as JSON (`decodeEncryptedContest`'s input). */
  readonly contest: unknown;
  readonly limit: number;
}

/**
 * Decodes a chunk of JSON contests (`decodeEncryptedContest`, which applies
 * the identity rules of `findForbiddenIdentity` itself): a contest that does
 * not decode becomes its failure, located under `contest[base + k]`.
 */
export function decodeEncodedItems(
  items: readonly EncodedContestItem[],
  base: number,
): Result<ContestItem, CryptoError>[] {
  return items.map((item, k) => {
    const contest = decodeEncryptedContest(item.contest, contestPath(base + k));
    if (!contest.ok) return contest;
    return ok({
      context: item.context,
      publicKey: item.publicKey,
      contest: contest.value,
      limit: item.limit,
    });
  });
}
