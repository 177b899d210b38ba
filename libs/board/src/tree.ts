/**
 * Proof generation, RFC 6962 §2.1.1 PATH (audit paths) and §2.1.2
 * PROOF/SUBPROOF (consistency proofs), for any prefix of a log.
 *
 * The algorithms only need the roots of perfect subtrees ("nodes": 2^level
 * leaves starting at a multiple of 2^level), read through `MerkleNodeSource`,
 * so a store that keeps node hashes can serve proofs for millions of entries
 * without rehashing. Every hash the RFC's recursion puts in a proof is the MTH
 * of a range [start, end) with start a multiple of the largest power of two
 * not above end − start; such a range is the fold, right to left, of the
 * aligned nodes that tile it (`rangeHash`). Proofs come out bottom-up, as the
 * RFC orders them, built on the inner/border split of verify.ts (the
 * decompInclProof of transparency-dev/merkle) instead of the RFC's recursion;
 * the tests check them against a literal transcription of that recursion and
 * against the CT reference vectors.
 *
 * `MerkleTree` is the in-memory source: every level is kept in a packed
 * buffer (2n hashes for n leaves), so building costs n − 1 hashes once and
 * each proof O(log n) hashes.
 */
import { err, ok, type Result } from '@acta/crypto';
import { bitLength, isSafeUint, shiftRight, trailingZeros, xor } from './bits.js';
import { boardError, type BoardError } from './errors.js';
import { HASH_LENGTH, assertHash, emptyRoot, hashChildren, hashChildrenPacked } from './hash.js';
import type { ConsistencyProof, InclusionProof } from './proofs.js';

/** Read access to the perfect-subtree roots of a log of `size` leaves. */
export interface MerkleNodeSource {
  /** Number of leaves. */
  readonly size: number;
  /**
   * Root of the perfect subtree of 2^level leaves starting at leaf
   * index·2^level (level 0: the leaf hash). Called only with
   * (index + 1)·2^level ≤ size.
   */
  nodeHash(level: number, index: number): Uint8Array;
}

/** MTH of leaves [start, end), start aligned as in the module header. */
function rangeHash(source: MerkleNodeSource, start: number, end: number): Uint8Array {
  const nodes: Uint8Array[] = [];
  let s = start;
  while (s < end) {
    let level = bitLength(end - s) - 1;
    while (s % 2 ** level !== 0) level--;
    nodes.push(source.nodeHash(level, s / 2 ** level));
    s += 2 ** level;
  }
  let hash = nodes[nodes.length - 1]!;
  for (let i = nodes.length - 2; i >= 0; i--) hash = hashChildren(nodes[i]!, hash);
  return hash;
}

/**
 * The audit path of the node (level, index) in the tree of `treeSize` leaves:
 * for leaves (level 0) this is PATH(index, D[treeSize]). Below the level where
 * the paths to the node and to the last leaf meet, each sibling is a range
 * (only the last can be partial); above it, one left sibling per set bit.
 */
function pathOfNode(
  source: MerkleNodeSource,
  level: number,
  index: number,
  treeSize: number,
): Uint8Array[] {
  const path: Uint8Array[] = [];
  const inner = bitLength(xor(index, shiftRight(treeSize - 1, level)));
  for (let j = 0; j < inner; j++) {
    const width = 2 ** (level + j);
    const start = xor(shiftRight(index, j), 1) * width;
    path.push(rangeHash(source, start, Math.min(start + width, treeSize)));
  }
  for (
    let j = inner, above = shiftRight(index, inner);
    above > 0;
    j++, above = shiftRight(above, 1)
  ) {
    if (above % 2 === 1) path.push(source.nodeHash(level + j, above - 1));
  }
  return path;
}

function sizeError(where: string, message: string): Result<never, BoardError> {
  return err(boardError('SIZE_OUT_OF_RANGE', where, message));
}

/** The RFC 6962 root of the first `size` leaves of `source` (SIZE_OUT_OF_RANGE beyond it). */
export function computeRootOf(
  source: MerkleNodeSource,
  size: number,
): Result<Uint8Array, BoardError> {
  if (!isSafeUint(size) || size > source.size) {
    return sizeError('size', `expected a safe integer in [0, ${source.size}]`);
  }
  return ok(size === 0 ? emptyRoot() : rangeHash(source, 0, size));
}

/**
 * PATH(index, D[treeSize]) of RFC 6962 §2.1.1 over the first `treeSize`
 * leaves of `source`. Errors: SIZE_OUT_OF_RANGE, INDEX_OUT_OF_RANGE.
 */
export function computeInclusionProof(
  source: MerkleNodeSource,
  index: number,
  treeSize: number,
): Result<InclusionProof, BoardError> {
  if (!isSafeUint(treeSize) || treeSize === 0 || treeSize > source.size) {
    return sizeError('treeSize', `expected a safe integer in [1, ${source.size}]`);
  }
  if (!isSafeUint(index) || index >= treeSize) {
    return err(boardError('INDEX_OUT_OF_RANGE', 'index', `expected 0 ≤ index < ${treeSize}`));
  }
  return ok({ index, treeSize, proof: pathOfNode(source, 0, index, treeSize) });
}

/**
 * PROOF(oldSize, D[newSize]) of RFC 6962 §2.1.2 over `source`: empty when
 * oldSize is 0 or newSize. Otherwise the old tree's last perfect subtree
 * (level = trailing zeros of oldSize) is the node the SUBPROOF recursion ends
 * on: the proof is that node's root (omitted when it is the whole old tree,
 * the RFC's b = true case) followed by its audit path in the new tree.
 * Errors: SIZE_OUT_OF_RANGE.
 */
export function computeConsistencyProof(
  source: MerkleNodeSource,
  oldSize: number,
  newSize: number,
): Result<ConsistencyProof, BoardError> {
  if (!isSafeUint(newSize) || newSize > source.size) {
    return sizeError('newSize', `expected a safe integer in [0, ${source.size}]`);
  }
  if (!isSafeUint(oldSize) || oldSize > newSize) {
    return sizeError('oldSize', `expected a safe integer in [0, ${newSize}]`);
  }
  if (oldSize === 0 || oldSize === newSize) return ok({ oldSize, newSize, proof: [] });
  const level = trailingZeros(oldSize);
  const index = shiftRight(oldSize - 1, level);
  const proof = index === 0 ? [] : [source.nodeHash(level, index)];
  proof.push(...pathOfNode(source, level, index, newSize));
  return ok({ oldSize, newSize, proof });
}

/**
 * An in-memory RFC 6962 tree over leaf hashes that keeps every level, so
 * roots of any prefix and proofs between any sizes cost O(log n) hashes.
 * Appendable; memory is about 64 bytes per leaf.
 */
export class MerkleTree implements MerkleNodeSource {
  #size = 0;
  // #levels[k] holds the floor(size / 2^k) complete nodes of level k, packed,
  // in a buffer with spare capacity for appends.
  #levels: Uint8Array[] = [];

  /** Builds the tree over these leaf hashes (INVALID_LENGTH for a hash that is not 32 bytes). */
  static fromLeafHashes(leafHashes: readonly Uint8Array[]): Result<MerkleTree, BoardError> {
    const packed = new Uint8Array(leafHashes.length * HASH_LENGTH);
    for (let i = 0; i < leafHashes.length; i++) {
      const h = leafHashes[i]!;
      if (!(h instanceof Uint8Array) || h.length !== HASH_LENGTH) {
        return err(boardError('INVALID_LENGTH', `leafHashes[${i}]`, 'expected a 32-byte hash'));
      }
      packed.set(h, i * HASH_LENGTH);
    }
    return ok(MerkleTree.#build(packed));
  }

  /**
   * Builds the tree over n leaf hashes packed in n × 32 bytes (as a store
   * keeps them). The bytes are copied. INVALID_LENGTH if not a multiple of 32.
   */
  static fromPacked(packed: Uint8Array): Result<MerkleTree, BoardError> {
    if (packed.length % HASH_LENGTH !== 0) {
      return err(
        boardError(
          'INVALID_LENGTH',
          'packed',
          `${packed.length} bytes is not a whole number of 32-byte hashes`,
        ),
      );
    }
    return ok(MerkleTree.#build(Uint8Array.from(packed)));
  }

  static #build(leaves: Uint8Array): MerkleTree {
    const tree = new MerkleTree();
    tree.#size = leaves.length / HASH_LENGTH;
    tree.#levels = [leaves];
    let below = leaves;
    for (let count = Math.floor(tree.#size / 2); count > 0; count = Math.floor(count / 2)) {
      const level = new Uint8Array(count * HASH_LENGTH);
      for (let i = 0; i < count; i++) {
        hashChildrenPacked(
          below,
          2 * i * HASH_LENGTH,
          (2 * i + 1) * HASH_LENGTH,
          level,
          i * HASH_LENGTH,
        );
      }
      tree.#levels.push(level);
      below = level;
    }
    return tree;
  }

  /** Number of leaves. */
  get size(): number {
    return this.#size;
  }

  /**
   * Appends a leaf hash and completes the nodes it closes (one per trailing
   * set bit of the old size). Throws RangeError for a hash that is not 32 bytes.
   */
  append(leafHash: Uint8Array): void {
    assertHash(leafHash, 'leafHash');
    let index = this.#size;
    this.#put(0, index, leafHash);
    for (let level = 0; index % 2 === 1; level++) {
      const buf = this.#levels[level]!;
      const parent = Math.floor(index / 2);
      this.#reserve(level + 1, parent);
      hashChildrenPacked(
        buf,
        (index - 1) * HASH_LENGTH,
        index * HASH_LENGTH,
        this.#levels[level + 1]!,
        parent * HASH_LENGTH,
      );
      index = parent;
    }
    this.#size += 1;
  }

  #reserve(level: number, index: number): void {
    const needed = (index + 1) * HASH_LENGTH;
    const buf = this.#levels[level];
    if (buf !== undefined && buf.length >= needed) return;
    const grown = new Uint8Array(Math.max(needed, 2 * (buf?.length ?? 0), 64 * HASH_LENGTH));
    if (buf !== undefined) grown.set(buf);
    this.#levels[level] = grown;
  }

  #put(level: number, index: number, hash: Uint8Array): void {
    this.#reserve(level, index);
    this.#levels[level]!.set(hash, index * HASH_LENGTH);
  }

  /**
   * Root of the perfect subtree (level, index) (see MerkleNodeSource). Throws
   * RangeError if that subtree is not complete in this tree (a caller bug).
   */
  nodeHash(level: number, index: number): Uint8Array {
    if (!isSafeUint(level) || !isSafeUint(index) || (index + 1) * 2 ** level > this.#size) {
      throw new RangeError(
        `node (${level}, ${index}) is not a complete subtree of a tree of ${this.#size}`,
      );
    }
    const at = index * HASH_LENGTH;
    return this.#levels[level]!.slice(at, at + HASH_LENGTH);
  }

  /** The leaf hash at `index` (INDEX_OUT_OF_RANGE beyond the tree). */
  leafHash(index: number): Result<Uint8Array, BoardError> {
    if (!isSafeUint(index) || index >= this.#size) {
      return err(boardError('INDEX_OUT_OF_RANGE', 'index', `expected 0 ≤ index < ${this.#size}`));
    }
    return ok(this.nodeHash(0, index));
  }

  /** The RFC 6962 root of the first `size` leaves (default: all). */
  root(size: number = this.#size): Result<Uint8Array, BoardError> {
    return computeRootOf(this, size);
  }

  /** PATH(index, D[treeSize]) (RFC 6962 §2.1.1); treeSize defaults to the whole tree. */
  inclusionProof(index: number, treeSize: number = this.#size): Result<InclusionProof, BoardError> {
    return computeInclusionProof(this, index, treeSize);
  }

  /** PROOF(oldSize, D[newSize]) (RFC 6962 §2.1.2); newSize defaults to the whole tree. */
  consistencyProof(
    oldSize: number,
    newSize: number = this.#size,
  ): Result<ConsistencyProof, BoardError> {
    return computeConsistencyProof(this, oldSize, newSize);
  }
}
