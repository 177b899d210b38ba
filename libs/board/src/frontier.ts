/**
 * The Merkle frontier (a "compact range" [0, n) in the terms of
 * transparency-dev/merkle's docs/compact_ranges.md): the roots of the perfect
 * subtrees that cover leaves 0..n−1, one per set bit of n, largest first.
 * O(log n) state is enough to append leaf hashes and to compute the RFC 6962
 * §2.1 root of the current tree at any time, so the board's writer keeps one
 * in memory and a store can checkpoint it (`toJSON` / `fromJSON`) instead of
 * rehashing every entry on start-up.
 */
import { encodeHex, err, ok, type Result } from '@acta/crypto';
import { z } from 'zod';
import { isSafeUint, popcount } from './bits.js';
import { boardError, type BoardError } from './errors.js';
import { HASH_LENGTH, assertHash, emptyRoot, hashChildren } from './hash.js';
import { MAX_JSON_HASHES, decodeHashes, parseShape } from './json.js';

/** JSON checkpoint of a frontier: the size and the subtree roots in hex, largest subtree first. */
export interface MerkleFrontierJson {
  readonly size: number;
  readonly nodes: readonly string[];
}

const frontierSchema = z.strictObject({
  size: z.number(),
  nodes: z.array(z.string()).max(MAX_JSON_HASHES),
});

/** Appendable O(log n) summary of an RFC 6962 tree: size, root, checkpoint. */
export class MerkleFrontier {
  #size = 0;
  // Roots of the perfect subtrees covering [0, size), largest first; the i-th
  // has 2^k leaves for the i-th highest set bit k of size.
  #nodes: Uint8Array[] = [];

  /** Builds the frontier of the tree with these leaf hashes (INVALID_LENGTH for a non-32-byte hash). */
  static fromLeafHashes(leafHashes: readonly Uint8Array[]): Result<MerkleFrontier, BoardError> {
    const frontier = new MerkleFrontier();
    for (let i = 0; i < leafHashes.length; i++) {
      const h = leafHashes[i]!;
      if (!(h instanceof Uint8Array) || h.length !== HASH_LENGTH) {
        return err(
          boardError('INVALID_LENGTH', `leafHashes[${i}]`, `expected 32 bytes, got ${h.length}`),
        );
      }
      frontier.append(h);
    }
    return ok(frontier);
  }

  /**
   * Restores a checkpoint. Checks its shape (a safe size, exactly popcount(size)
   * 32-byte hashes); it cannot check provenance: trust the restored frontier
   * once its root matches a signed tree head.
   */
  static fromJSON(json: unknown, where = 'frontier'): Result<MerkleFrontier, BoardError> {
    const shape = parseShape(frontierSchema, json, where);
    if (!shape.ok) return shape;
    const { size, nodes } = shape.value;
    if (!isSafeUint(size)) {
      return err(
        boardError('SIZE_OUT_OF_RANGE', `${where}.size`, 'expected a non-negative safe integer'),
      );
    }
    const expected = popcount(size);
    if (nodes.length !== expected) {
      return err(
        boardError(
          'INVALID_LENGTH',
          `${where}.nodes`,
          `a frontier of size ${size} has ${expected} nodes, got ${nodes.length}`,
        ),
      );
    }
    const hashes = decodeHashes(nodes, `${where}.nodes`);
    if (!hashes.ok) return hashes;
    const frontier = new MerkleFrontier();
    frontier.#size = size;
    frontier.#nodes = hashes.value;
    return ok(frontier);
  }

  /** Number of leaves appended so far. */
  get size(): number {
    return this.#size;
  }

  /**
   * Appends one leaf hash: merges it with the subtree roots of the trailing
   * set bits of the size (binary increment). Throws RangeError for a hash that
   * is not 32 bytes or a size that would leave the safe integers (caller bugs).
   */
  append(leafHash: Uint8Array): void {
    assertHash(leafHash, 'leafHash');
    if (this.#size >= Number.MAX_SAFE_INTEGER) throw new RangeError('the frontier is full');
    let node: Uint8Array = Uint8Array.from(leafHash);
    for (let s = this.#size; s % 2 === 1; s = Math.floor(s / 2)) {
      node = hashChildren(this.#nodes.pop()!, node);
    }
    this.#nodes.push(node);
    this.#size += 1;
  }

  /** The RFC 6962 root of the current tree (SHA-256("") when empty). */
  root(): Uint8Array {
    const nodes = this.#nodes;
    if (nodes.length === 0) return emptyRoot();
    // MTH splits at the largest power of two, so the smaller subtrees on the
    // right fold first.
    let root: Uint8Array = Uint8Array.from(nodes[nodes.length - 1]!);
    for (let i = nodes.length - 2; i >= 0; i--) root = hashChildren(nodes[i]!, root);
    return root;
  }

  /** Copies of the subtree roots, largest subtree first. */
  nodes(): Uint8Array[] {
    return this.#nodes.map((n) => Uint8Array.from(n));
  }

  /** An independent copy. */
  clone(): MerkleFrontier {
    const copy = new MerkleFrontier();
    copy.#size = this.#size;
    copy.#nodes = this.nodes();
    return copy;
  }

  /** The JSON checkpoint (also what JSON.stringify writes). */
  toJSON(): MerkleFrontierJson {
    return { size: this.#size, nodes: this.#nodes.map((n) => encodeHex(n)) };
  }
}
