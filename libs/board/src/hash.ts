/**
 * RFC 6962 §2.1 Merkle Tree Hash (restated in RFC 9162 §2.1.1) over SHA-256:
 *
 *   MTH({})      = SHA-256()
 *   MTH({d(0)})  = SHA-256(0x00 ‖ d(0))                          (leaf hash)
 *   MTH(D[n])    = SHA-256(0x01 ‖ MTH(D[0:k]) ‖ MTH(D[k:n]))     (k = largest power of 2 < n)
 *
 * The 0x00 / 0x01 prefixes separate leaves from interior nodes, so no leaf can
 * be passed off as a subtree (second-preimage resistance, RFC 6962 §2.1).
 * Everything above the leaves works on 32-byte leaf hashes: callers hash each
 * board entry once (`hashLeaf`) and keep the hash next to the bytes.
 */
import { sha256 } from '@acta/crypto';

/** Length of every hash in the tree (SHA-256). */
export const HASH_LENGTH = 32;

const LEAF_PREFIX = 0x00;
const NODE_PREFIX = 0x01;

// Scratch input for interior nodes: 0x01 ‖ left ‖ right, refilled per hash so
// building a tree of a million leaves allocates only the digests.
const nodeInput = new Uint8Array(1 + 2 * HASH_LENGTH);
nodeInput[0] = NODE_PREFIX;

/** The RFC 6962 leaf hash of `data`: SHA-256(0x00 ‖ data). */
export function hashLeaf(data: Uint8Array): Uint8Array {
  const input = new Uint8Array(1 + data.length);
  input[0] = LEAF_PREFIX;
  input.set(data, 1);
  return sha256(input);
}

/**
 * The RFC 6962 interior-node hash SHA-256(0x01 ‖ left ‖ right). Defined by the
 * RFC for any byte strings; inside Acta both children are 32-byte hashes.
 */
export function hashChildren(left: Uint8Array, right: Uint8Array): Uint8Array {
  if (left.length === HASH_LENGTH && right.length === HASH_LENGTH) {
    nodeInput.set(left, 1);
    nodeInput.set(right, 1 + HASH_LENGTH);
    return sha256(nodeInput);
  }
  const input = new Uint8Array(1 + left.length + right.length);
  input[0] = NODE_PREFIX;
  input.set(left, 1);
  input.set(right, 1 + left.length);
  return sha256(input);
}

/**
 * Writes hashChildren(src[a..a+32], src[b..b+32]) to dst at offset d: the
 * inner loop of tree building, on packed arrays of 32-byte hashes.
 */
export function hashChildrenPacked(
  src: Uint8Array,
  a: number,
  b: number,
  dst: Uint8Array,
  d: number,
): void {
  for (let i = 0; i < HASH_LENGTH; i++) {
    nodeInput[1 + i] = src[a + i]!;
    nodeInput[1 + HASH_LENGTH + i] = src[b + i]!;
  }
  dst.set(sha256(nodeInput), d);
}

const EMPTY_ROOT = sha256(new Uint8Array(0));

/**
 * MTH of the empty tree, SHA-256 of the empty string
 * (e3b0c442…b855). A shared constant: do not mutate it.
 */
export const EMPTY_TREE_ROOT: Uint8Array = Uint8Array.from(EMPTY_ROOT);

/** A fresh copy of the empty-tree root (internal: never hands out the shared constant's bytes). */
export function emptyRoot(): Uint8Array {
  return Uint8Array.from(EMPTY_ROOT);
}

/** Whether `bytes` is the empty-tree root (compared with a private copy, immune to mutation). */
export function isEmptyRoot(bytes: Uint8Array): boolean {
  if (bytes.length !== HASH_LENGTH) return false;
  let diff = 0;
  for (let i = 0; i < HASH_LENGTH; i++) diff |= bytes[i]! ^ EMPTY_ROOT[i]!;
  return diff === 0;
}

/** Throws RangeError unless `hash` is a 32-byte Uint8Array (caller bug). */
export function assertHash(hash: Uint8Array, what: string): void {
  if (!(hash instanceof Uint8Array) || hash.length !== HASH_LENGTH) {
    throw new RangeError(`${what} must be a ${HASH_LENGTH}-byte hash`);
  }
}

/**
 * MTH over leaf hashes (RFC 6962 §2.1), computed bottom-up: pairing adjacent
 * nodes level by level and promoting an unpaired last node unchanged yields
 * exactly the split at the largest power of two smaller than n. n − 1 hashes,
 * one packed buffer. Throws RangeError for a leaf hash that is not 32 bytes
 * (leaf hashes come from `hashLeaf`; a wrong length is a bug).
 */
export function computeRoot(leafHashes: readonly Uint8Array[]): Uint8Array {
  const n = leafHashes.length;
  if (n === 0) return emptyRoot();
  const level = new Uint8Array(n * HASH_LENGTH);
  for (let i = 0; i < n; i++) {
    const h = leafHashes[i]!;
    assertHash(h, `leafHashes[${i}]`);
    level.set(h, i * HASH_LENGTH);
  }
  return computePackedRoot(level, n);
}

/**
 * MTH over `count` packed leaf hashes, overwriting `level` (each level is
 * written over the front of the one below: write offset i ≤ read offset 2i).
 */
export function computePackedRoot(level: Uint8Array, count: number): Uint8Array {
  if (count === 0) return emptyRoot();
  let width = count;
  while (width > 1) {
    const pairs = Math.floor(width / 2);
    for (let i = 0; i < pairs; i++) {
      hashChildrenPacked(
        level,
        2 * i * HASH_LENGTH,
        (2 * i + 1) * HASH_LENGTH,
        level,
        i * HASH_LENGTH,
      );
    }
    if (width % 2 === 1) {
      level.copyWithin(pairs * HASH_LENGTH, (width - 1) * HASH_LENGTH, width * HASH_LENGTH);
    }
    width = pairs + (width % 2);
  }
  return level.slice(0, HASH_LENGTH);
}
