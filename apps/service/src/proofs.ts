/**
 * Proofs from the board (RFC 6962 §2.1.1–2; docs/spec-record.md §9.3–9.4):
 * what a voter needs to check that their ballot is in the log a signed tree
 * head commits to, and what an observer holding an older tree head needs to
 * check that the log only grew. The leaf hashes come from the store, read in
 * bounded pages; the tree is rebuilt in memory (64 bytes per leaf).
 */
import {
  MerkleTree,
  encodeConsistencyProof,
  encodeInclusionProof,
  type ConsistencyProofJson,
  type InclusionProofJson,
} from '@acta/board';
import { encodeHex } from '@acta/crypto';
import type { BoardStore } from '@acta/store';

/** Leaf hashes read per store call. */
const PAGE = 100_000;

async function loadTree(store: BoardStore, size: number): Promise<MerkleTree> {
  const packed = new Uint8Array(32 * size);
  for (let from = 0; from < size; from += PAGE) {
    const to = Math.min(size, from + PAGE);
    packed.set(await store.leafHashes(from, to), 32 * from);
  }
  const tree = MerkleTree.fromPacked(packed);
  if (!tree.ok)
    throw new Error(`the store's leaf hashes do not form a tree: ${tree.error.message}`);
  return tree.value;
}

/** An inclusion proof with what it is about. */
export interface BoardInclusion {
  readonly index: number;
  readonly kind: string;
  readonly leafHash: string;
  readonly treeSize: number;
  readonly rootHash: string;
  readonly proof: InclusionProofJson;
}

/**
 * The inclusion proof of entry `index` in the tree of the latest signed tree
 * head (whose size and root it names), or undefined when the index is not
 * covered by a signed tree head yet.
 */
export async function proveInclusion(
  store: BoardStore,
  index: number,
): Promise<BoardInclusion | undefined> {
  const head = await store.latestTreeHead();
  const entry = await store.get(index);
  if (head === undefined || entry === undefined || index >= head.treeSize) return undefined;
  const tree = await loadTree(store, head.treeSize);
  const proof = tree.inclusionProof(index, head.treeSize);
  const root = tree.root(head.treeSize);
  if (!proof.ok || !root.ok) throw new Error('an index within the tree has no proof (a bug)');
  return {
    index,
    kind: entry.kind,
    leafHash: encodeHex(entry.leafHash),
    treeSize: head.treeSize,
    rootHash: encodeHex(root.value),
    proof: encodeInclusionProof(proof.value),
  };
}

/** A consistency proof between two signed sizes of the log. */
export interface BoardConsistency {
  readonly oldSize: number;
  readonly oldRoot: string;
  readonly newSize: number;
  readonly newRoot: string;
  readonly proof: ConsistencyProofJson;
}

/**
 * The consistency proof from size `oldSize` to the latest signed tree head,
 * or undefined when `oldSize` is larger than that head (or negative).
 */
export async function proveConsistency(
  store: BoardStore,
  oldSize: number,
): Promise<BoardConsistency | undefined> {
  const head = await store.latestTreeHead();
  if (
    head === undefined ||
    !Number.isSafeInteger(oldSize) ||
    oldSize < 0 ||
    oldSize > head.treeSize
  ) {
    return undefined;
  }
  const tree = await loadTree(store, head.treeSize);
  const proof = tree.consistencyProof(oldSize, head.treeSize);
  const oldRoot = tree.root(oldSize);
  const newRoot = tree.root(head.treeSize);
  if (!proof.ok || !oldRoot.ok || !newRoot.ok)
    throw new Error('sizes within the tree have no proof (a bug)');
  return {
    oldSize,
    oldRoot: encodeHex(oldRoot.value),
    newSize: head.treeSize,
    newRoot: encodeHex(newRoot.value),
    proof: encodeConsistencyProof(proof.value),
  };
}
