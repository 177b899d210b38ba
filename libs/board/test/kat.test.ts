// Known-answer tests: the Certificate Transparency reference data for RFC 6962
// Merkle trees (test/vectors/ct-rfc6962-merkle.json, transcribed from
// transparency-dev/merkle, see its "source"), reproduced bit for bit by every
// path through the package: computeRoot, MerkleFrontier, MerkleTree (built at
// once and by appends), proof generation and verification, including the
// corruption probes of transparency-dev/merkle's proof/verify_test.go.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  EMPTY_TREE_ROOT,
  MerkleFrontier,
  MerkleTree,
  computeRoot,
  hashChildren,
  hashLeaf,
  verifyConsistency,
  verifyInclusion,
  type BoardError,
} from '../src/index.js';
import type { Result } from '@acta/crypto';
import { unwrap } from '@acta/crypto';
import { bytes, codeOf, hex } from './helpers.js';

interface ProofVector {
  readonly index: number;
  readonly treeSize: number;
  readonly proof: string[];
}
interface ConsistencyVector {
  readonly oldSize: number;
  readonly newSize: number;
  readonly proof: string[];
}
interface CtVectors {
  readonly source: string;
  readonly urls: string[];
  readonly hasher: {
    readonly emptyRoot: string;
    readonly emptyLeaf: { data: string; hash: string };
    readonly leaf: { data: string; hash: string };
    readonly node: { left: string; right: string; hash: string };
  };
  readonly leafInputs: string[];
  readonly nodeHashes: string[][];
  readonly rootHashes: string[];
  readonly frontiers: string[][];
  readonly inclusionProofs: ProofVector[];
  readonly consistencyProofs: ConsistencyVector[];
}

const CT = JSON.parse(
  readFileSync(new URL('./vectors/ct-rfc6962-merkle.json', import.meta.url), 'utf8'),
) as CtVectors;

const LEAVES = CT.leafInputs.map((d) => hashLeaf(bytes(d)));
const TREE = unwrap(MerkleTree.fromLeafHashes(LEAVES));

function verifiedCount(results: Result<true, BoardError>[]): number {
  return results.filter((r) => r.ok).length;
}

describe('CT reference vectors: the committed file', () => {
  it('names its source and holds the 8 leaves, 9 roots and the proofs', () => {
    expect(CT.source).toMatch(/transparency-dev\/merkle/);
    expect(CT.urls.some((u) => u.includes('rfc6962'))).toBe(true);
    expect(CT.leafInputs).toHaveLength(8);
    expect(CT.rootHashes).toHaveLength(9);
    expect(CT.inclusionProofs.length).toBeGreaterThanOrEqual(7);
    expect(CT.consistencyProofs.length).toBeGreaterThanOrEqual(5);
  });
});

describe('CT reference vectors: hashing (RFC 6962 §2.1)', () => {
  it('empty tree, empty leaf, a leaf and a node', () => {
    expect(hex(EMPTY_TREE_ROOT)).toBe(CT.hasher.emptyRoot);
    expect(hex(computeRoot([]))).toBe(CT.hasher.emptyRoot);
    expect(hex(hashLeaf(bytes(CT.hasher.emptyLeaf.data)))).toBe(CT.hasher.emptyLeaf.hash);
    expect(hex(hashLeaf(bytes(CT.hasher.leaf.data)))).toBe(CT.hasher.leaf.hash);
    const { left, right, hash } = CT.hasher.node;
    expect(hex(hashChildren(bytes(left), bytes(right)))).toBe(hash);
  });

  it('leaf hashes are the level-0 node hashes', () => {
    expect(LEAVES.map(hex)).toEqual(CT.nodeHashes[0]);
  });

  it('every node hash of the 8-leaf tree', () => {
    CT.nodeHashes.forEach((level, l) =>
      level.forEach((h, i) => expect(hex(TREE.nodeHash(l, i))).toBe(h)),
    );
  });

  for (let size = 0; size <= 8; size++) {
    it(`the root of the first ${size} leaves, every way`, () => {
      const want = CT.rootHashes[size]!;
      expect(hex(computeRoot(LEAVES.slice(0, size)))).toBe(want);
      expect(hex(unwrap(TREE.root(size)))).toBe(want);
      const prefix = unwrap(MerkleTree.fromLeafHashes(LEAVES.slice(0, size)));
      expect(hex(unwrap(prefix.root()))).toBe(want);
      const packed = new Uint8Array(size * 32);
      LEAVES.slice(0, size).forEach((h, i) => packed.set(h, 32 * i));
      expect(hex(unwrap(unwrap(MerkleTree.fromPacked(packed)).root()))).toBe(want);
      const frontier = unwrap(MerkleFrontier.fromLeafHashes(LEAVES.slice(0, size)));
      expect(hex(frontier.root())).toBe(want);
      expect(frontier.nodes().map(hex)).toEqual(CT.frontiers[size]);
    });
  }

  it('appending leaf by leaf gives every prefix root', () => {
    const tree = new MerkleTree();
    const frontier = new MerkleFrontier();
    expect(hex(unwrap(tree.root()))).toBe(CT.rootHashes[0]);
    LEAVES.forEach((leaf, i) => {
      tree.append(leaf);
      frontier.append(leaf);
      expect(hex(unwrap(tree.root()))).toBe(CT.rootHashes[i + 1]);
      expect(hex(frontier.root())).toBe(CT.rootHashes[i + 1]);
    });
  });
});

describe('CT reference vectors: inclusion proofs (PATH, RFC 9162 §2.1.3.2)', () => {
  for (const v of CT.inclusionProofs) {
    it(`leaf ${v.index} in a tree of ${v.treeSize}`, () => {
      const generated = unwrap(TREE.inclusionProof(v.index, v.treeSize));
      expect(generated.proof.map(hex)).toEqual(v.proof);
      const root = bytes(CT.rootHashes[v.treeSize]!);
      const check = {
        leafHash: LEAVES[v.index]!,
        index: v.index,
        treeSize: v.treeSize,
        proof: v.proof.map(bytes),
        root,
      };
      expect(verifyInclusion(check)).toEqual({ ok: true, value: true });
    });
  }

  // The corruption probes of transparency-dev/merkle proof/verify_test.go
  // (corruptInclusionProof): none may verify.
  for (const v of CT.inclusionProofs.filter((p) => p.treeSize > 1)) {
    it(`no corruption of leaf ${v.index} in ${v.treeSize} verifies`, () => {
      const proof = v.proof.map(bytes);
      const root = bytes(CT.rootHashes[v.treeSize]!);
      const leafHash = LEAVES[v.index]!;
      const base = { leafHash, index: v.index, treeSize: v.treeSize, proof, root };
      const some = bytes('abacaba000000000000000000000000000000000000000000060061e00123456');
      const probes = [
        { ...base, index: v.index - 1 },
        { ...base, index: v.index + 1 },
        { ...base, index: v.index ^ 2 },
        { ...base, treeSize: v.treeSize * 2 },
        { ...base, treeSize: Math.floor(v.treeSize / 2) },
        { ...base, leafHash: new TextEncoder().encode('WrongLeaf') },
        { ...base, root: EMPTY_TREE_ROOT },
        { ...base, root: some },
        { ...base, proof: [...proof, new Uint8Array(0)] },
        { ...base, proof: [...proof, root] },
        { ...base, proof: [new Uint8Array(0), ...proof] },
        { ...base, proof: [root, ...proof] },
        { ...base, proof: proof.slice(0, -1) },
        ...(proof.length > 1 ? [{ ...base, proof: [proof[0]!, some, ...proof.slice(1)] }] : []),
        ...proof.map((_, i) => ({
          ...base,
          proof: proof.map((h, j) =>
            j === i ? Uint8Array.from(h, (b, k) => (k === 0 ? b ^ 8 : b)) : h,
          ),
        })),
      ];
      expect(verifiedCount(probes.map((p) => verifyInclusion(p)))).toBe(0);
    });
  }
});

describe('CT reference vectors: consistency proofs (PROOF, RFC 9162 §2.1.4.2)', () => {
  for (const v of CT.consistencyProofs) {
    it(`from ${v.oldSize} to ${v.newSize}`, () => {
      const generated = unwrap(TREE.consistencyProof(v.oldSize, v.newSize));
      expect(generated.proof.map(hex)).toEqual(v.proof);
      const check = {
        oldSize: v.oldSize,
        newSize: v.newSize,
        oldRoot: bytes(CT.rootHashes[v.oldSize]!),
        newRoot: bytes(CT.rootHashes[v.newSize]!),
        proof: v.proof.map(bytes),
      };
      expect(verifyConsistency(check)).toEqual({ ok: true, value: true });
    });
  }

  // corruptConsistencyProof of proof/verify_test.go, for the non-trivial proofs.
  for (const v of CT.consistencyProofs.filter((p) => p.proof.length > 0)) {
    it(`no corruption of ${v.oldSize} → ${v.newSize} verifies`, () => {
      const proof = v.proof.map(bytes);
      const oldRoot = bytes(CT.rootHashes[v.oldSize]!);
      const newRoot = bytes(CT.rootHashes[v.newSize]!);
      const base = { oldSize: v.oldSize, newSize: v.newSize, oldRoot, newRoot, proof };
      const wrong = new TextEncoder().encode('WrongRoot');
      const probes = [
        { ...base, oldSize: v.oldSize - 1 },
        { ...base, oldSize: v.oldSize + 1 },
        { ...base, oldSize: v.oldSize ^ 2 },
        { ...base, newSize: v.newSize * 2 },
        { ...base, newSize: Math.floor(v.newSize / 2) },
        { ...base, oldRoot: wrong },
        { ...base, newRoot: wrong },
        { ...base, oldRoot: newRoot, newRoot: oldRoot },
        { ...base, proof: [] },
        { ...base, proof: [...proof, new Uint8Array(0)] },
        { ...base, proof: [...proof, oldRoot] },
        { ...base, proof: [...proof, newRoot] },
        { ...base, proof: [new Uint8Array(0), ...proof] },
        { ...base, proof: [oldRoot, ...proof] },
        { ...base, proof: [newRoot, ...proof] },
        { ...base, proof: [proof[0]!, ...proof] },
        { ...base, proof: proof.slice(0, -1) },
        ...proof.map((_, i) => ({
          ...base,
          proof: proof.map((h, j) =>
            j === i ? Uint8Array.from(h, (b, k) => (k === 0 ? b ^ 16 : b)) : h,
          ),
        })),
      ];
      const verified = probes.filter((p) => verifyConsistency(p).ok).length;
      expect(verified).toBe(0);
    });
  }

  it('every pair of sizes up to 8 agrees with the vectors and verifies', () => {
    for (let newSize = 0; newSize <= 8; newSize++) {
      for (let oldSize = 0; oldSize <= newSize; oldSize++) {
        const { proof } = unwrap(TREE.consistencyProof(oldSize, newSize));
        const check = {
          oldSize,
          newSize,
          oldRoot: bytes(CT.rootHashes[oldSize]!),
          newRoot: bytes(CT.rootHashes[newSize]!),
          proof,
        };
        expect(codeOf(verifyConsistency(check)), `${oldSize} → ${newSize}`).toBe('ok');
      }
    }
  });
});
