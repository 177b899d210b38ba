// Tree building and proof generation as algebraic laws (fast-check): every
// root equals the literal RFC 6962 MTH recursion; the frontier, the tree built
// at once, from packed bytes and by appends all agree; generated PATH and
// PROOF equal the RFC recursion and have the lengths the verifier expects;
// sizes out of range are coded errors.
import { unwrap } from '@acta/crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  MerkleFrontier,
  MerkleTree,
  computeRoot,
  consistencyProofLength,
  inclusionProofLength,
  type MerkleNodeSource,
  computeInclusionProof,
} from '../src/index.js';
import {
  arbIndexAndSize,
  arbSizes,
  codeOf,
  hex,
  makeLeaves,
  outcome,
  refPath,
  refProof,
  refRoot,
} from './helpers.js';

const MAX = 300;
const LEAVES = makeLeaves(MAX, 7);
const TREE = unwrap(MerkleTree.fromLeafHashes(LEAVES));

describe('roots', () => {
  it('computeRoot, MerkleTree.root(size) and the frontier equal the RFC recursion', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: MAX }), (size) => {
        const prefix = LEAVES.slice(0, size);
        const want = hex(refRoot(prefix));
        expect(hex(computeRoot(prefix))).toBe(want);
        expect(hex(unwrap(TREE.root(size)))).toBe(want);
        expect(hex(unwrap(MerkleFrontier.fromLeafHashes(prefix)).root())).toBe(want);
      }),
      { numRuns: 150 },
    );
  });

  it('the frontier root equals computeRoot after every append', () => {
    const frontier = new MerkleFrontier();
    for (let i = 0; i < 140; i++) {
      expect(frontier.size).toBe(i);
      expect(hex(frontier.root())).toBe(hex(computeRoot(LEAVES.slice(0, i))));
      expect(frontier.nodes().length).toBe(i.toString(2).split('1').length - 1);
      frontier.append(LEAVES[i]!);
    }
  });

  it('a tree grown by appends equals the tree built at once, node for node', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 200 }), (size) => {
        const grown = new MerkleTree();
        for (const leaf of LEAVES.slice(0, size)) grown.append(leaf);
        const built = unwrap(MerkleTree.fromLeafHashes(LEAVES.slice(0, size)));
        expect(grown.size).toBe(size);
        for (let level = 0; 2 ** level <= size; level++) {
          for (let i = 0; (i + 1) * 2 ** level <= size; i++) {
            expect(hex(grown.nodeHash(level, i))).toBe(hex(built.nodeHash(level, i)));
          }
        }
        for (let s = 0; s <= size; s++) {
          expect(hex(unwrap(grown.root(s)))).toBe(hex(unwrap(built.root(s))));
        }
      }),
      { numRuns: 40 },
    );
  });

  it('fromPacked copies its input and equals fromLeafHashes', () => {
    const packed = new Uint8Array(20 * 32);
    LEAVES.slice(0, 20).forEach((h, i) => packed.set(h, i * 32));
    const tree = unwrap(MerkleTree.fromPacked(packed));
    packed.fill(0);
    expect(hex(unwrap(tree.root()))).toBe(hex(refRoot(LEAVES.slice(0, 20))));
    expect(hex(unwrap(tree.leafHash(19)))).toBe(hex(LEAVES[19]!));
  });

  it('returned hashes are copies: mutating them changes nothing', () => {
    const tree = unwrap(MerkleTree.fromLeafHashes(LEAVES.slice(0, 9)));
    const before = hex(unwrap(tree.root()));
    unwrap(tree.root()).fill(0);
    tree.nodeHash(3, 0).fill(0);
    unwrap(tree.inclusionProof(0)).proof[0]!.fill(0);
    expect(hex(unwrap(tree.root()))).toBe(before);
    const frontier = unwrap(MerkleFrontier.fromLeafHashes(LEAVES.slice(0, 9)));
    frontier.root().fill(0);
    frontier.nodes()[0]!.fill(0);
    expect(hex(frontier.root())).toBe(before);
  });
});

describe('proof generation', () => {
  it('inclusion proofs equal PATH(m, D[n]) and have the expected length', () => {
    fc.assert(
      fc.property(arbIndexAndSize(MAX), ({ index, size }) => {
        const got = unwrap(TREE.inclusionProof(index, size));
        expect(got.index).toBe(index);
        expect(got.treeSize).toBe(size);
        expect(got.proof.map(hex)).toEqual(refPath(index, LEAVES.slice(0, size)).map(hex));
        expect(got.proof.length).toBe(inclusionProofLength(index, size));
      }),
      { numRuns: 300 },
    );
  });

  it('consistency proofs equal PROOF(m, D[n]) and have the expected length', () => {
    fc.assert(
      fc.property(arbSizes(MAX), ({ oldSize, newSize }) => {
        const got = unwrap(TREE.consistencyProof(oldSize, newSize));
        expect(got.proof.map(hex)).toEqual(refProof(oldSize, LEAVES.slice(0, newSize)).map(hex));
        expect(got.proof.length).toBe(consistencyProofLength(oldSize, newSize));
      }),
      { numRuns: 300 },
    );
  });

  it('exhaustively for every tree up to 40 leaves', () => {
    for (let n = 1; n <= 40; n++) {
      const prefix = LEAVES.slice(0, n);
      for (let m = 0; m < n; m++) {
        expect(unwrap(TREE.inclusionProof(m, n)).proof.map(hex)).toEqual(
          refPath(m, prefix).map(hex),
        );
      }
      for (let m = 1; m <= n; m++) {
        expect(unwrap(TREE.consistencyProof(m, n)).proof.map(hex)).toEqual(
          refProof(m, prefix).map(hex),
        );
      }
    }
  });

  it('the empty tree and trivial consistency', () => {
    expect(unwrap(TREE.consistencyProof(0, 10)).proof).toEqual([]);
    expect(unwrap(TREE.consistencyProof(10, 10)).proof).toEqual([]);
    expect(unwrap(new MerkleTree().consistencyProof(0)).proof).toEqual([]);
    expect(consistencyProofLength(0, 0)).toBe(0);
  });

  it('works through any MerkleNodeSource (a source over the leaves alone)', () => {
    // A naive source computing each node from its leaves: slow, but shows the
    // algorithms need nothing beyond the interface.
    const leaves = LEAVES.slice(0, 27);
    const source: MerkleNodeSource = {
      size: leaves.length,
      nodeHash: (level, index) =>
        refRoot(leaves.slice(index * 2 ** level, (index + 1) * 2 ** level)),
    };
    for (let m = 0; m < 27; m++) {
      expect(unwrap(computeInclusionProof(source, m, 27)).proof.map(hex)).toEqual(
        refPath(m, leaves).map(hex),
      );
    }
  });
});

describe('sizes out of range are coded errors', () => {
  const tree = unwrap(MerkleTree.fromLeafHashes(LEAVES.slice(0, 10)));
  const cases: [string, () => { ok: boolean; error?: { code: string; where: string } }, string][] =
    [
      ['root beyond the tree', () => tree.root(11), 'SIZE_OUT_OF_RANGE @ size'],
      ['negative root size', () => tree.root(-1), 'SIZE_OUT_OF_RANGE @ size'],
      ['fractional root size', () => tree.root(2.5), 'SIZE_OUT_OF_RANGE @ size'],
      ['NaN root size', () => tree.root(NaN), 'SIZE_OUT_OF_RANGE @ size'],
      [
        'inclusion in a size beyond',
        () => tree.inclusionProof(0, 11),
        'SIZE_OUT_OF_RANGE @ treeSize',
      ],
      ['inclusion in size 0', () => tree.inclusionProof(0, 0), 'SIZE_OUT_OF_RANGE @ treeSize'],
      ['index = size', () => tree.inclusionProof(10), 'INDEX_OUT_OF_RANGE @ index'],
      ['negative index', () => tree.inclusionProof(-1), 'INDEX_OUT_OF_RANGE @ index'],
      ['unsafe index', () => tree.inclusionProof(2 ** 53, 10), 'INDEX_OUT_OF_RANGE @ index'],
      ['old > new', () => tree.consistencyProof(6, 5), 'SIZE_OUT_OF_RANGE @ oldSize'],
      ['new beyond', () => tree.consistencyProof(1, 11), 'SIZE_OUT_OF_RANGE @ newSize'],
      ['negative old', () => tree.consistencyProof(-1), 'SIZE_OUT_OF_RANGE @ oldSize'],
      [
        'unsafe new',
        () => tree.consistencyProof(1, Number.MAX_SAFE_INTEGER + 1),
        'SIZE_OUT_OF_RANGE @ newSize',
      ],
      ['leaf beyond', () => tree.leafHash(10), 'INDEX_OUT_OF_RANGE @ index'],
    ];
  for (const [name, run, want] of cases) it(name, () => expect(outcome(run())).toBe(want));

  it('bad leaf hashes are INVALID_LENGTH when building, bugs when appending', () => {
    expect(outcome(MerkleTree.fromLeafHashes([LEAVES[0]!, new Uint8Array(31)]))).toBe(
      'INVALID_LENGTH @ leafHashes[1]',
    );
    expect(outcome(MerkleTree.fromPacked(new Uint8Array(33)))).toBe('INVALID_LENGTH @ packed');
    expect(outcome(MerkleFrontier.fromLeafHashes([new Uint8Array(33)]))).toBe(
      'INVALID_LENGTH @ leafHashes[0]',
    );
    expect(() => new MerkleTree().append(new Uint8Array(31))).toThrow(RangeError);
    expect(() => new MerkleFrontier().append(new Uint8Array(0))).toThrow(RangeError);
    expect(() => computeRoot([new Uint8Array(1)])).toThrow(RangeError);
    expect(() => tree.nodeHash(2, 2)).toThrow(RangeError);
    expect(codeOf(tree.root(10))).toBe('ok');
  });
});
