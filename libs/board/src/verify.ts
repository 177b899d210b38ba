/**
 * Verification of Merkle proofs from untrusted sources, exactly the
 * algorithms of RFC 9162 §2.1.3.2 (inclusion) and §2.1.4.2 (consistency),
 * which verify the proofs that RFC 6962 §2.1.1 PATH and §2.1.2 PROOF produce.
 *
 * Before any hashing, every input is checked: sizes and indices are
 * non-negative safe integers in range, every hash is 32 bytes, and the proof
 * has exactly the number of hashes that the sizes imply (the decomposition of
 * transparency-dev/merkle's proof/verify.go). So a hostile proof of a million
 * hashes costs one comparison, and the RFC loops' own "sn is 0: fail" exits
 * can no longer trigger (they stay, as in the RFC, as a second line).
 */
import { bytesEqual, err, ok, type Result } from '@acta/crypto';
import {
  bitLength,
  isPowerOfTwo,
  isSafeUint,
  popcount,
  shiftRight,
  trailingZeros,
  xor,
} from './bits.js';
import { boardError, type BoardError } from './errors.js';
import { HASH_LENGTH, hashChildren, isEmptyRoot } from './hash.js';

/** What `verifyInclusion` checks: leaf `leafHash` sits at `index` of the tree of `treeSize` leaves with root `root`. */
export interface InclusionCheck {
  readonly leafHash: Uint8Array;
  readonly index: number;
  readonly treeSize: number;
  readonly proof: readonly Uint8Array[];
  readonly root: Uint8Array;
}

/** What `verifyConsistency` checks: the tree (`newSize`, `newRoot`) extends (`oldSize`, `oldRoot`). */
export interface ConsistencyCheck {
  readonly oldSize: number;
  readonly newSize: number;
  readonly oldRoot: Uint8Array;
  readonly newRoot: Uint8Array;
  readonly proof: readonly Uint8Array[];
}

/**
 * Number of hashes in the inclusion proof of leaf `index` in a tree of
 * `treeSize` leaves (0 ≤ index < treeSize): the levels below the point where
 * the paths to `index` and to the last leaf meet (`inner`), plus one left
 * sibling per set bit of index above it (`border`).
 */
export function inclusionProofLength(index: number, treeSize: number): number {
  if (!isSafeUint(index) || !isSafeUint(treeSize) || index >= treeSize) {
    throw new RangeError('inclusionProofLength needs 0 ≤ index < treeSize (safe integers)');
  }
  const inner = bitLength(xor(index, treeSize - 1));
  return inner + popcount(shiftRight(index, inner));
}

/**
 * Number of hashes in the consistency proof from `oldSize` to `newSize`
 * (0 ≤ oldSize ≤ newSize): 0 when oldSize is 0 or equal to newSize; otherwise
 * the inclusion path of the old tree's last perfect subtree, plus that
 * subtree's root unless it is the whole old tree (oldSize a power of two).
 */
export function consistencyProofLength(oldSize: number, newSize: number): number {
  if (!isSafeUint(oldSize) || !isSafeUint(newSize) || oldSize > newSize) {
    throw new RangeError('consistencyProofLength needs 0 ≤ oldSize ≤ newSize (safe integers)');
  }
  if (oldSize === 0 || oldSize === newSize) return 0;
  const inner = bitLength(xor(oldSize - 1, newSize - 1));
  const border = popcount(shiftRight(oldSize - 1, inner));
  const shift = trailingZeros(oldSize);
  return (isPowerOfTwo(oldSize) ? 0 : 1) + inner - shift + border;
}

function checkHash(hash: unknown, where: string): Result<true, BoardError> {
  if (!(hash instanceof Uint8Array) || hash.length !== HASH_LENGTH) {
    const got = hash instanceof Uint8Array ? `${hash.length} bytes` : 'not a byte array';
    return err(boardError('INVALID_LENGTH', where, `expected a 32-byte hash, got ${got}`));
  }
  return ok(true);
}

function checkProof(
  proof: readonly Uint8Array[],
  expected: number,
  where: string,
): Result<true, BoardError> {
  if (!Array.isArray(proof)) {
    return err(boardError('PROOF_LENGTH_MISMATCH', where, 'the proof is not a list of hashes'));
  }
  if (proof.length !== expected) {
    return err(
      boardError(
        'PROOF_LENGTH_MISMATCH',
        where,
        `these sizes imply ${expected} hashes, the proof has ${proof.length}`,
      ),
    );
  }
  for (let i = 0; i < proof.length; i++) {
    const h = checkHash(proof[i], `${where}[${i}]`);
    if (!h.ok) return h;
  }
  return ok(true);
}

function sizeError(where: string, message: string): Result<never, BoardError> {
  return err(boardError('SIZE_OUT_OF_RANGE', where, message));
}

function rootMismatch(where: string, message: string): Result<never, BoardError> {
  return err(boardError('ROOT_MISMATCH', where, message));
}

/**
 * Verifies an inclusion proof (RFC 9162 §2.1.3.2). Errors: SIZE_OUT_OF_RANGE,
 * INDEX_OUT_OF_RANGE, INVALID_LENGTH, PROOF_LENGTH_MISMATCH, ROOT_MISMATCH.
 */
export function verifyInclusion(
  check: InclusionCheck,
  where = 'inclusion',
): Result<true, BoardError> {
  const { leafHash, index, treeSize, proof, root } = check;
  if (!isSafeUint(treeSize) || treeSize === 0) {
    return sizeError(`${where}.treeSize`, 'expected a positive safe integer');
  }
  if (!isSafeUint(index) || index >= treeSize) {
    return err(
      boardError('INDEX_OUT_OF_RANGE', `${where}.index`, `expected 0 ≤ index < ${treeSize}`),
    );
  }
  const lengths = [checkHash(leafHash, `${where}.leafHash`), checkHash(root, `${where}.root`)];
  for (const l of lengths) if (!l.ok) return l;
  const shape = checkProof(proof, inclusionProofLength(index, treeSize), `${where}.proof`);
  if (!shape.ok) return shape;

  // RFC 9162 §2.1.3.2 steps 2-5, fn and sn as in the RFC.
  let fn = index;
  let sn = treeSize - 1;
  let r = leafHash;
  for (const p of proof) {
    if (sn === 0) {
      return err(boardError('PROOF_LENGTH_MISMATCH', `${where}.proof`, 'the proof is too long'));
    }
    if (fn % 2 === 1 || fn === sn) {
      r = hashChildren(p, r);
      while (fn % 2 === 0 && fn !== 0) {
        fn = shiftRight(fn, 1);
        sn = shiftRight(sn, 1);
      }
    } else {
      r = hashChildren(r, p);
    }
    fn = shiftRight(fn, 1);
    sn = shiftRight(sn, 1);
  }
  if (sn !== 0) {
    return err(boardError('PROOF_LENGTH_MISMATCH', `${where}.proof`, 'the proof is too short'));
  }
  if (!bytesEqual(r, root)) {
    return rootMismatch(`${where}.root`, 'the proof does not lead from the leaf to this root');
  }
  return ok(true);
}

/**
 * Verifies a consistency proof (RFC 9162 §2.1.4.2) for 0 < oldSize < newSize.
 * The cases the RFC leaves out are decided without hashing, as CT's
 * verifiers do: oldSize = newSize needs an empty proof and equal roots;
 * oldSize = 0 needs an empty proof and, stricter than CT, oldRoot = SHA-256("")
 * (the only root a tree of size 0 can have). Errors: SIZE_OUT_OF_RANGE,
 * INVALID_LENGTH, PROOF_LENGTH_MISMATCH, ROOT_MISMATCH.
 */
export function verifyConsistency(
  check: ConsistencyCheck,
  where = 'consistency',
): Result<true, BoardError> {
  const { oldSize, newSize, oldRoot, newRoot, proof } = check;
  if (!isSafeUint(newSize))
    return sizeError(`${where}.newSize`, 'expected a non-negative safe integer');
  if (!isSafeUint(oldSize))
    return sizeError(`${where}.oldSize`, 'expected a non-negative safe integer');
  if (oldSize > newSize) {
    return sizeError(`${where}.oldSize`, `the old size ${oldSize} exceeds the new size ${newSize}`);
  }
  const lengths = [checkHash(oldRoot, `${where}.oldRoot`), checkHash(newRoot, `${where}.newRoot`)];
  for (const l of lengths) if (!l.ok) return l;
  const shape = checkProof(proof, consistencyProofLength(oldSize, newSize), `${where}.proof`);
  if (!shape.ok) return shape;

  if (oldSize === 0) {
    if (!isEmptyRoot(oldRoot)) {
      return rootMismatch(`${where}.oldRoot`, 'a tree of size 0 has root SHA-256("")');
    }
    if (newSize === 0 && !isEmptyRoot(newRoot)) {
      return rootMismatch(`${where}.newRoot`, 'a tree of size 0 has root SHA-256("")');
    }
    return ok(true);
  }
  if (oldSize === newSize) {
    if (!bytesEqual(oldRoot, newRoot)) {
      return rootMismatch(`${where}.newRoot`, 'two trees of the same size have different roots');
    }
    return ok(true);
  }

  // RFC 9162 §2.1.4.2 steps 2-7. Step 2: if oldSize is a power of two, the
  // old root is itself the first node of the path.
  const path = isPowerOfTwo(oldSize) ? [oldRoot, ...proof] : proof;
  let fn = oldSize - 1;
  let sn = newSize - 1;
  while (fn % 2 === 1) {
    fn = shiftRight(fn, 1);
    sn = shiftRight(sn, 1);
  }
  let fr = path[0]!;
  let sr = path[0]!;
  for (let i = 1; i < path.length; i++) {
    const c = path[i]!;
    if (sn === 0) {
      return err(boardError('PROOF_LENGTH_MISMATCH', `${where}.proof`, 'the proof is too long'));
    }
    if (fn % 2 === 1 || fn === sn) {
      fr = hashChildren(c, fr);
      sr = hashChildren(c, sr);
      while (fn % 2 === 0 && fn !== 0) {
        fn = shiftRight(fn, 1);
        sn = shiftRight(sn, 1);
      }
    } else {
      sr = hashChildren(sr, c);
    }
    fn = shiftRight(fn, 1);
    sn = shiftRight(sn, 1);
  }
  if (sn !== 0) {
    return err(boardError('PROOF_LENGTH_MISMATCH', `${where}.proof`, 'the proof is too short'));
  }
  if (!bytesEqual(fr, oldRoot)) {
    return rootMismatch(`${where}.oldRoot`, 'the proof does not lead to the old root');
  }
  if (!bytesEqual(sr, newRoot)) {
    return rootMismatch(`${where}.newRoot`, 'the proof does not lead to the new root');
  }
  return ok(true);
}
