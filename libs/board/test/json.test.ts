// JSON forms at the boundary: proofs and frontier checkpoints round-trip, and
// every malformed input (shape, sizes, hex, lengths, huge lists) is a coded
// error naming the field.
import { unwrap } from '@acta/crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  MerkleFrontier,
  MerkleTree,
  encodeConsistencyProof,
  encodeInclusionProof,
  parseConsistencyProof,
  parseInclusionProof,
  verifyInclusion,
} from '../src/index.js';
import { arbIndexAndSize, arbSizes, hex, makeLeaves, outcome } from './helpers.js';

const LEAVES = makeLeaves(100, 11);
const TREE = unwrap(MerkleTree.fromLeafHashes(LEAVES));
const H = 'ab'.repeat(32);

describe('inclusion and consistency proofs as JSON', () => {
  it('round-trip through JSON text', () => {
    fc.assert(
      fc.property(arbIndexAndSize(100), arbSizes(100), ({ index, size }, { oldSize, newSize }) => {
        const inc = unwrap(TREE.inclusionProof(index, size));
        const incBack = unwrap(
          parseInclusionProof(JSON.parse(JSON.stringify(encodeInclusionProof(inc)))),
        );
        expect(incBack.index).toBe(index);
        expect(incBack.treeSize).toBe(size);
        expect(incBack.proof.map(hex)).toEqual(inc.proof.map(hex));
        const root = unwrap(TREE.root(size));
        expect(outcome(verifyInclusion({ ...incBack, leafHash: LEAVES[index]!, root }))).toBe('ok');
        const con = unwrap(TREE.consistencyProof(oldSize, newSize));
        const conBack = unwrap(
          parseConsistencyProof(JSON.parse(JSON.stringify(encodeConsistencyProof(con)))),
        );
        expect(conBack).toEqual({
          oldSize,
          newSize,
          proof: con.proof.map((h) => Uint8Array.from(h)),
        });
      }),
      { numRuns: 100 },
    );
  });

  it('the JSON form is plain: sizes as numbers, lowercase hex bottom-up', () => {
    const json = encodeInclusionProof(unwrap(TREE.inclusionProof(0, 2)));
    expect(json).toEqual({ index: 0, treeSize: 2, proof: [hex(LEAVES[1]!)] });
  });

  const inclusionCases: [string, unknown, string][] = [
    ['not an object', 'proof', 'MALFORMED_JSON @ p'],
    ['null', null, 'MALFORMED_JSON @ p'],
    ['missing proof', { index: 0, treeSize: 2 }, 'MALFORMED_JSON @ p.proof'],
    ['extra field', { index: 0, treeSize: 1, proof: [], root: H }, 'MALFORMED_JSON @ p'],
    ['string size', { index: 0, treeSize: '2', proof: [H] }, 'MALFORMED_JSON @ p.treeSize'],
    ['number in proof', { index: 0, treeSize: 2, proof: [7] }, 'MALFORMED_JSON @ p.proof[0]'],
    [
      '65 hashes',
      { index: 0, treeSize: 2, proof: new Array(65).fill(H) },
      'MALFORMED_JSON @ p.proof',
    ],
    [
      'a million hashes',
      { index: 0, treeSize: 2, proof: new Array(1_000_000).fill(H) },
      'MALFORMED_JSON @ p.proof',
    ],
    ['negative size', { index: 0, treeSize: -2, proof: [H] }, 'SIZE_OUT_OF_RANGE @ p.treeSize'],
    ['unsafe size', { index: 0, treeSize: 2 ** 53, proof: [H] }, 'SIZE_OUT_OF_RANGE @ p.treeSize'],
    ['size 0', { index: 0, treeSize: 0, proof: [] }, 'SIZE_OUT_OF_RANGE @ p.treeSize'],
    ['index = size', { index: 2, treeSize: 2, proof: [H] }, 'INDEX_OUT_OF_RANGE @ p.index'],
    ['fractional index', { index: 0.5, treeSize: 2, proof: [H] }, 'INDEX_OUT_OF_RANGE @ p.index'],
    ['too few hashes', { index: 0, treeSize: 3, proof: [H] }, 'PROOF_LENGTH_MISMATCH @ p.proof'],
    [
      'too many hashes',
      { index: 0, treeSize: 2, proof: [H, H] },
      'PROOF_LENGTH_MISMATCH @ p.proof',
    ],
    [
      'short hash',
      { index: 0, treeSize: 2, proof: ['ab'.repeat(31)] },
      'INVALID_LENGTH @ p.proof[0]',
    ],
    [
      'uppercase hex',
      { index: 0, treeSize: 2, proof: ['AB'.repeat(32)] },
      'INVALID_HEX @ p.proof[0]',
    ],
    ['not hex', { index: 0, treeSize: 2, proof: ['zz'.repeat(32)] }, 'INVALID_HEX @ p.proof[0]'],
    [
      '0x prefix',
      { index: 0, treeSize: 2, proof: ['0x' + 'ab'.repeat(31)] },
      'INVALID_HEX @ p.proof[0]',
    ],
  ];
  for (const [name, json, want] of inclusionCases) {
    it(`inclusion: ${name}`, () => expect(outcome(parseInclusionProof(json, 'p'))).toBe(want));
  }

  const consistencyCases: [string, unknown, string][] = [
    ['array', [], 'MALFORMED_JSON @ c'],
    ['missing sizes', { proof: [] }, 'MALFORMED_JSON @ c.oldSize'],
    ['old > new', { oldSize: 3, newSize: 2, proof: [] }, 'SIZE_OUT_OF_RANGE @ c.oldSize'],
    ['negative new', { oldSize: 0, newSize: -1, proof: [] }, 'SIZE_OUT_OF_RANGE @ c.newSize'],
    [
      'unsafe old',
      { oldSize: 2 ** 60, newSize: 2 ** 61, proof: [] },
      'SIZE_OUT_OF_RANGE @ c.newSize',
    ],
    [
      'non-empty proof for equal sizes',
      { oldSize: 4, newSize: 4, proof: [H] },
      'PROOF_LENGTH_MISMATCH @ c.proof',
    ],
    [
      'empty proof for 3 → 4',
      { oldSize: 3, newSize: 4, proof: [] },
      'PROOF_LENGTH_MISMATCH @ c.proof',
    ],
    ['bad hash', { oldSize: 1, newSize: 2, proof: ['ab'] }, 'INVALID_LENGTH @ c.proof[0]'],
  ];
  for (const [name, json, want] of consistencyCases) {
    it(`consistency: ${name}`, () => expect(outcome(parseConsistencyProof(json, 'c'))).toBe(want));
  }
});

describe('frontier checkpoints', () => {
  it('round-trip through JSON text and keep appending identically', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 60 }),
        fc.integer({ min: 0, max: 40 }),
        (size, more) => {
          const frontier = unwrap(MerkleFrontier.fromLeafHashes(LEAVES.slice(0, size)));
          const restored = unwrap(MerkleFrontier.fromJSON(JSON.parse(JSON.stringify(frontier))));
          expect(restored.size).toBe(size);
          expect(hex(restored.root())).toBe(hex(frontier.root()));
          for (const leaf of LEAVES.slice(size, size + more)) {
            restored.append(leaf);
            frontier.append(leaf);
          }
          expect(hex(restored.root())).toBe(hex(frontier.root()));
          expect(hex(restored.root())).toBe(hex(unwrap(TREE.root(Math.min(100, size + more)))));
        },
      ),
      { numRuns: 60 },
    );
  });

  it('clone is independent', () => {
    const a = unwrap(MerkleFrontier.fromLeafHashes(LEAVES.slice(0, 5)));
    const b = a.clone();
    b.append(LEAVES[5]!);
    expect(a.size).toBe(5);
    expect(hex(a.root())).toBe(hex(unwrap(TREE.root(5))));
    expect(hex(b.root())).toBe(hex(unwrap(TREE.root(6))));
  });

  const cases: [string, unknown, string][] = [
    ['not an object', 42, 'MALFORMED_JSON @ f'],
    ['extra field', { size: 0, nodes: [], root: H }, 'MALFORMED_JSON @ f'],
    ['negative size', { size: -1, nodes: [] }, 'SIZE_OUT_OF_RANGE @ f.size'],
    ['unsafe size', { size: 2 ** 53, nodes: [H] }, 'SIZE_OUT_OF_RANGE @ f.size'],
    ['too few nodes', { size: 3, nodes: [H] }, 'INVALID_LENGTH @ f.nodes'],
    ['too many nodes', { size: 4, nodes: [H, H] }, 'INVALID_LENGTH @ f.nodes'],
    ['huge node list', { size: 1, nodes: new Array(100_000).fill(H) }, 'MALFORMED_JSON @ f.nodes'],
    ['bad hex', { size: 1, nodes: ['g'.repeat(64)] }, 'INVALID_HEX @ f.nodes[0]'],
    ['short node', { size: 2, nodes: ['00'] }, 'INVALID_LENGTH @ f.nodes[0]'],
  ];
  for (const [name, json, want] of cases) {
    it(`fromJSON: ${name}`, () => expect(outcome(MerkleFrontier.fromJSON(json, 'f'))).toBe(want));
  }
});
