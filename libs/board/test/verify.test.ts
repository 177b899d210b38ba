// Verification (RFC 9162 §2.1.3.2 and §2.1.4.2) as properties: every
// generated proof verifies, and fails once any bit of the proof, the leaf or a
// root changes, or the index or a size changes (checked against the true root
// of the changed size: RFC 9162 proofs bind (size, root) pairs, which is why
// tree heads sign both). Then hostile inputs: wrong lengths, unsafe sizes,
// huge proofs, non-arrays — coded errors, and no hashing before the checks.
import { unwrap } from '@acta/crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  EMPTY_TREE_ROOT,
  MerkleTree,
  consistencyProofLength,
  inclusionProofLength,
  verifyConsistency,
  verifyInclusion,
} from '../src/index.js';
import {
  arbIndexAndSize,
  arbSizes,
  codeOf,
  flipBit,
  flipProofBit,
  makeLeaves,
  outcome,
} from './helpers.js';

const MAX = 200;
const LEAVES = makeLeaves(MAX, 3);
const TREE = unwrap(MerkleTree.fromLeafHashes(LEAVES));
const ROOTS = Array.from({ length: MAX + 1 }, (_, n) => unwrap(TREE.root(n)));

function inclusionCheck(index: number, size: number) {
  return {
    leafHash: LEAVES[index]!,
    index,
    treeSize: size,
    proof: unwrap(TREE.inclusionProof(index, size)).proof,
    root: ROOTS[size]!,
  };
}

function consistencyCheck(oldSize: number, newSize: number) {
  return {
    oldSize,
    newSize,
    oldRoot: ROOTS[oldSize]!,
    newRoot: ROOTS[newSize]!,
    proof: unwrap(TREE.consistencyProof(oldSize, newSize)).proof,
  };
}

const REJECTED = [
  'ROOT_MISMATCH',
  'PROOF_LENGTH_MISMATCH',
  'INDEX_OUT_OF_RANGE',
  'SIZE_OUT_OF_RANGE',
];

describe('inclusion: every proof verifies, every change is caught', () => {
  it('verifies', () => {
    fc.assert(
      fc.property(arbIndexAndSize(MAX), ({ index, size }) => {
        expect(outcome(verifyInclusion(inclusionCheck(index, size)))).toBe('ok');
      }),
      { numRuns: 300 },
    );
  });

  it('fails when a bit of the proof, the leaf or the root flips', () => {
    fc.assert(
      fc.property(arbIndexAndSize(MAX), fc.nat(), fc.nat(255), ({ index, size }, pick, bit) => {
        const check = inclusionCheck(index, size);
        if (check.proof.length > 0) {
          const proof = flipProofBit(check.proof, pick % check.proof.length, bit);
          expect(codeOf(verifyInclusion({ ...check, proof }))).toBe('ROOT_MISMATCH');
        }
        expect(codeOf(verifyInclusion({ ...check, leafHash: flipBit(check.leafHash, bit) }))).toBe(
          'ROOT_MISMATCH',
        );
        expect(codeOf(verifyInclusion({ ...check, root: flipBit(check.root, bit) }))).toBe(
          'ROOT_MISMATCH',
        );
      }),
      { numRuns: 300 },
    );
  });

  it('fails when the index changes', () => {
    fc.assert(
      fc.property(
        arbIndexAndSize(MAX).filter(({ size }) => size > 1),
        fc.nat(),
        ({ index, size }, other) => {
          const changed = (index + 1 + (other % (size - 1))) % size;
          const r = verifyInclusion({ ...inclusionCheck(index, size), index: changed });
          expect(REJECTED).toContain(codeOf(r));
        },
      ),
      { numRuns: 300 },
    );
  });

  it('fails when the size changes (against the root of that size)', () => {
    fc.assert(
      fc.property(
        arbIndexAndSize(MAX),
        fc.integer({ min: 1, max: MAX }),
        ({ index, size }, other) => {
          fc.pre(other !== size);
          const r = verifyInclusion({
            ...inclusionCheck(index, size),
            treeSize: other,
            root: ROOTS[other]!,
          });
          expect(REJECTED).toContain(codeOf(r));
        },
      ),
      { numRuns: 300 },
    );
  });

  it('fails for a proof one hash too long or too short', () => {
    fc.assert(
      fc.property(arbIndexAndSize(MAX), ({ index, size }) => {
        const check = inclusionCheck(index, size);
        const longer = [...check.proof, ROOTS[size]!];
        expect(outcome(verifyInclusion({ ...check, proof: longer }))).toBe(
          'PROOF_LENGTH_MISMATCH @ inclusion.proof',
        );
        if (check.proof.length > 0) {
          expect(codeOf(verifyInclusion({ ...check, proof: check.proof.slice(1) }))).toBe(
            'PROOF_LENGTH_MISMATCH',
          );
        }
      }),
      { numRuns: 100 },
    );
  });
});

describe('consistency: every proof verifies, every change is caught', () => {
  it('verifies (and from the empty tree)', () => {
    fc.assert(
      fc.property(arbSizes(MAX), ({ oldSize, newSize }) => {
        expect(outcome(verifyConsistency(consistencyCheck(oldSize, newSize)))).toBe('ok');
        expect(outcome(verifyConsistency(consistencyCheck(0, newSize)))).toBe('ok');
      }),
      { numRuns: 300 },
    );
  });

  it('fails when a bit of the proof or of either root flips', () => {
    fc.assert(
      fc.property(arbSizes(MAX), fc.nat(), fc.nat(255), ({ oldSize, newSize }, pick, bit) => {
        const check = consistencyCheck(oldSize, newSize);
        if (check.proof.length > 0) {
          const proof = flipProofBit(check.proof, pick % check.proof.length, bit);
          expect(codeOf(verifyConsistency({ ...check, proof }))).toBe('ROOT_MISMATCH');
        }
        expect(codeOf(verifyConsistency({ ...check, oldRoot: flipBit(check.oldRoot, bit) }))).toBe(
          'ROOT_MISMATCH',
        );
        expect(codeOf(verifyConsistency({ ...check, newRoot: flipBit(check.newRoot, bit) }))).toBe(
          'ROOT_MISMATCH',
        );
      }),
      { numRuns: 300 },
    );
  });

  it('fails when a size changes (against the root of that size)', () => {
    fc.assert(
      fc.property(
        arbSizes(MAX),
        fc.integer({ min: 1, max: MAX }),
        ({ oldSize, newSize }, other) => {
          const check = consistencyCheck(oldSize, newSize);
          if (other !== oldSize && other <= newSize) {
            const r = verifyConsistency({ ...check, oldSize: other, oldRoot: ROOTS[other]! });
            expect(REJECTED).toContain(codeOf(r));
          }
          if (other !== newSize && other >= oldSize) {
            const r = verifyConsistency({ ...check, newSize: other, newRoot: ROOTS[other]! });
            expect(REJECTED).toContain(codeOf(r));
          }
        },
      ),
      { numRuns: 400 },
    );
  });

  it('trees that do not extend each other are never consistent', () => {
    const other = makeLeaves(MAX, 4);
    const forked = unwrap(MerkleTree.fromLeafHashes([...LEAVES.slice(0, 50), ...other.slice(50)]));
    fc.assert(
      fc.property(arbSizes(MAX), ({ oldSize, newSize }) => {
        fc.pre(newSize > 50 && oldSize < newSize);
        // The forked log's own proof, against the honest log's old root when
        // the old tree reaches past the fork point, else the forked new root.
        const proof = unwrap(forked.consistencyProof(oldSize, newSize)).proof;
        const newRoot = unwrap(forked.root(newSize));
        const r = verifyConsistency({ oldSize, newSize, oldRoot: ROOTS[oldSize]!, newRoot, proof });
        expect(codeOf(r)).toBe(oldSize <= 50 ? 'ok' : 'ROOT_MISMATCH');
      }),
      { numRuns: 200 },
    );
  });
});

describe('edge cases the RFC leaves to the implementation', () => {
  const root5 = ROOTS[5]!;
  it('equal sizes need equal roots and an empty proof', () => {
    const same = { oldSize: 5, newSize: 5, oldRoot: root5, newRoot: root5, proof: [] };
    expect(outcome(verifyConsistency(same))).toBe('ok');
    expect(outcome(verifyConsistency({ ...same, newRoot: ROOTS[4]! }))).toBe(
      'ROOT_MISMATCH @ consistency.newRoot',
    );
    expect(outcome(verifyConsistency({ ...same, proof: [root5] }))).toBe(
      'PROOF_LENGTH_MISMATCH @ consistency.proof',
    );
  });

  it('size 0 needs SHA-256("") as its root and an empty proof', () => {
    const empty = { oldSize: 0, newSize: 5, oldRoot: EMPTY_TREE_ROOT, newRoot: root5, proof: [] };
    expect(outcome(verifyConsistency(empty))).toBe('ok');
    expect(outcome(verifyConsistency({ ...empty, oldRoot: root5 }))).toBe(
      'ROOT_MISMATCH @ consistency.oldRoot',
    );
    expect(outcome(verifyConsistency({ ...empty, newSize: 0, newRoot: root5 }))).toBe(
      'ROOT_MISMATCH @ consistency.newRoot',
    );
    expect(outcome(verifyConsistency({ ...empty, newSize: 0, newRoot: EMPTY_TREE_ROOT }))).toBe(
      'ok',
    );
    expect(outcome(verifyConsistency({ ...empty, proof: [root5] }))).toBe(
      'PROOF_LENGTH_MISMATCH @ consistency.proof',
    );
  });

  it('a one-leaf tree: the leaf is the root, the proof is empty', () => {
    const leaf = LEAVES[0]!;
    const one = { leafHash: leaf, index: 0, treeSize: 1, proof: [], root: leaf };
    expect(outcome(verifyInclusion(one))).toBe('ok');
    expect(outcome(verifyInclusion({ ...one, root: EMPTY_TREE_ROOT }))).toBe(
      'ROOT_MISMATCH @ inclusion.root',
    );
  });
});

describe('hostile inputs are coded errors, checked before hashing', () => {
  const good = inclusionCheck(5, 13);
  const goodC = consistencyCheck(6, 13);
  const cases: [string, () => { ok: boolean; error?: { code: string; where: string } }, string][] =
    [
      [
        'negative size',
        () => verifyInclusion({ ...good, treeSize: -13 }),
        'SIZE_OUT_OF_RANGE @ inclusion.treeSize',
      ],
      [
        'size 0',
        () => verifyInclusion({ ...good, treeSize: 0 }),
        'SIZE_OUT_OF_RANGE @ inclusion.treeSize',
      ],
      [
        'unsafe size',
        () => verifyInclusion({ ...good, treeSize: 2 ** 53 }),
        'SIZE_OUT_OF_RANGE @ inclusion.treeSize',
      ],
      [
        'Infinity size',
        () => verifyInclusion({ ...good, treeSize: Infinity }),
        'SIZE_OUT_OF_RANGE @ inclusion.treeSize',
      ],
      [
        'fractional index',
        () => verifyInclusion({ ...good, index: 1.5 }),
        'INDEX_OUT_OF_RANGE @ inclusion.index',
      ],
      [
        'index = size',
        () => verifyInclusion({ ...good, index: 13 }),
        'INDEX_OUT_OF_RANGE @ inclusion.index',
      ],
      [
        'negative index',
        () => verifyInclusion({ ...good, index: -1 }),
        'INDEX_OUT_OF_RANGE @ inclusion.index',
      ],
      [
        'short leaf',
        () => verifyInclusion({ ...good, leafHash: new Uint8Array(31) }),
        'INVALID_LENGTH @ inclusion.leafHash',
      ],
      [
        'long root',
        () => verifyInclusion({ ...good, root: new Uint8Array(33) }),
        'INVALID_LENGTH @ inclusion.root',
      ],
      [
        'empty proof hash',
        () =>
          verifyInclusion({
            ...good,
            proof: good.proof.map((h, i) => (i === 2 ? new Uint8Array(0) : h)),
          }),
        'INVALID_LENGTH @ inclusion.proof[2]',
      ],
      [
        'a million hashes',
        () => verifyInclusion({ ...good, proof: new Array<Uint8Array>(1_000_000).fill(good.root) }),
        'PROOF_LENGTH_MISMATCH @ inclusion.proof',
      ],
      [
        'not an array',
        () => verifyInclusion({ ...good, proof: 'abc' as unknown as Uint8Array[] }),
        'PROOF_LENGTH_MISMATCH @ inclusion.proof',
      ],
      [
        'a string as a hash',
        () => verifyInclusion({ ...good, leafHash: 'x'.repeat(32) as unknown as Uint8Array }),
        'INVALID_LENGTH @ inclusion.leafHash',
      ],
      [
        'huge sizes, empty proof',
        () =>
          verifyInclusion({
            ...good,
            index: Number.MAX_SAFE_INTEGER - 1,
            treeSize: Number.MAX_SAFE_INTEGER,
          }),
        'PROOF_LENGTH_MISMATCH @ inclusion.proof',
      ],
      [
        'old > new',
        () => verifyConsistency({ ...goodC, oldSize: 14 }),
        'SIZE_OUT_OF_RANGE @ consistency.oldSize',
      ],
      [
        'negative new',
        () => verifyConsistency({ ...goodC, newSize: -1 }),
        'SIZE_OUT_OF_RANGE @ consistency.newSize',
      ],
      [
        'NaN old',
        () => verifyConsistency({ ...goodC, oldSize: NaN }),
        'SIZE_OUT_OF_RANGE @ consistency.oldSize',
      ],
      [
        'short old root',
        () => verifyConsistency({ ...goodC, oldRoot: new Uint8Array(1) }),
        'INVALID_LENGTH @ consistency.oldRoot',
      ],
      [
        'short new root',
        () => verifyConsistency({ ...goodC, newRoot: new Uint8Array(64) }),
        'INVALID_LENGTH @ consistency.newRoot',
      ],
      [
        'a million consistency hashes',
        () =>
          verifyConsistency({
            ...goodC,
            proof: new Array<Uint8Array>(1_000_000).fill(goodC.oldRoot),
          }),
        'PROOF_LENGTH_MISMATCH @ consistency.proof',
      ],
      [
        'bad consistency hash',
        () =>
          verifyConsistency({
            ...goodC,
            proof: goodC.proof.map((h, i) => (i === 0 ? h.subarray(1) : h)),
          }),
        'INVALID_LENGTH @ consistency.proof[0]',
      ],
    ];
  for (const [name, run, want] of cases) it(name, () => expect(outcome(run())).toBe(want));

  it('the where prefix is the caller’s', () => {
    expect(outcome(verifyInclusion({ ...good, index: 99 }, 'receipt.inclusion'))).toBe(
      'INDEX_OUT_OF_RANGE @ receipt.inclusion.index',
    );
  });

  it('proof lengths at the top of the safe range stay small', () => {
    const n = Number.MAX_SAFE_INTEGER;
    expect(inclusionProofLength(n - 1, n)).toBeLessThanOrEqual(53);
    expect(inclusionProofLength(0, n)).toBe(53);
    expect(consistencyProofLength(n - 1, n)).toBeLessThanOrEqual(54);
    expect(() => inclusionProofLength(5, 5)).toThrow(RangeError);
    expect(() => consistencyProofLength(6, 5)).toThrow(RangeError);
  });
});
