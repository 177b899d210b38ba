// Test helpers: a literal transcription of RFC 6962 §2.1 (MTH), §2.1.1 (PATH)
// and §2.1.2 (PROOF/SUBPROOF) recursions, hashing with @acta/crypto's sha256
// directly (not the package's hashChildren), as an independent reference for
// the package's iterative algorithms; deterministic leaf hashes; bit flips.
import { concat, decodeHex, encodeHex, sha256, unwrap } from '@acta/crypto';
import fc from 'fast-check';

export function hex(bytes: Uint8Array): string {
  return encodeHex(bytes);
}

export function bytes(h: string): Uint8Array {
  return unwrap(decodeHex(h, 'test'));
}

/** "CODE @ where" or "ok", for compact assertions. */
export function outcome(r: { ok: boolean; error?: { code: string; where: string } }): string {
  return r.ok ? 'ok' : `${r.error?.code ?? '?'} @ ${r.error?.where ?? '?'}`;
}

/** The code of a failed result, or 'ok'. */
export function codeOf(r: { ok: boolean; error?: { code: string } }): string {
  return r.ok ? 'ok' : (r.error?.code ?? '?');
}

export function refLeaf(data: Uint8Array): Uint8Array {
  return sha256(concat(Uint8Array.of(0), data));
}

function refNode(left: Uint8Array, right: Uint8Array): Uint8Array {
  return sha256(concat(Uint8Array.of(1), left, right));
}

/** Largest power of two strictly smaller than n (n ≥ 2). */
function split(n: number): number {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

/** MTH(D[n]) over leaf hashes. */
export function refRoot(leaves: readonly Uint8Array[]): Uint8Array {
  const n = leaves.length;
  if (n === 0) return sha256(new Uint8Array(0));
  if (n === 1) return leaves[0]!;
  const k = split(n);
  return refNode(refRoot(leaves.slice(0, k)), refRoot(leaves.slice(k)));
}

/** PATH(m, D[n]). */
export function refPath(m: number, leaves: readonly Uint8Array[]): Uint8Array[] {
  const n = leaves.length;
  if (n === 1) return [];
  const k = split(n);
  if (m < k) return [...refPath(m, leaves.slice(0, k)), refRoot(leaves.slice(k))];
  return [...refPath(m - k, leaves.slice(k)), refRoot(leaves.slice(0, k))];
}

function refSubproof(m: number, leaves: readonly Uint8Array[], b: boolean): Uint8Array[] {
  const n = leaves.length;
  if (m === n) return b ? [] : [refRoot(leaves)];
  const k = split(n);
  if (m <= k) return [...refSubproof(m, leaves.slice(0, k), b), refRoot(leaves.slice(k))];
  return [...refSubproof(m - k, leaves.slice(k), false), refRoot(leaves.slice(0, k))];
}

/** PROOF(m, D[n]) for 0 < m ≤ n (RFC 6962 defines it for 0 < m < n; m = n gives []). */
export function refProof(m: number, leaves: readonly Uint8Array[]): Uint8Array[] {
  return refSubproof(m, leaves, true);
}

/** n deterministic, distinct leaf hashes (the leaf inputs are "<seed>:<i>"). */
export function makeLeaves(n: number, seed = 0): Uint8Array[] {
  const enc = new TextEncoder();
  return Array.from({ length: n }, (_, i) => refLeaf(enc.encode(`${seed}:${i}`)));
}

/** A copy of `b` with one bit flipped. */
export function flipBit(b: Uint8Array, bit: number): Uint8Array {
  const out = Uint8Array.from(b);
  out[bit >> 3]! ^= 1 << (bit & 7);
  return out;
}

/** A copy of a hash list with one bit of one hash flipped. */
export function flipProofBit(proof: readonly Uint8Array[], i: number, bit: number): Uint8Array[] {
  return proof.map((h, j) => (j === i ? flipBit(h, bit) : h));
}

/** (index, size) with 0 ≤ index < size ≤ max. */
export function arbIndexAndSize(max: number): fc.Arbitrary<{ index: number; size: number }> {
  return fc
    .integer({ min: 1, max })
    .chain((size) =>
      fc.record({ index: fc.integer({ min: 0, max: size - 1 }), size: fc.constant(size) }),
    );
}

/** (oldSize, newSize) with 1 ≤ oldSize ≤ newSize ≤ max. */
export function arbSizes(max: number): fc.Arbitrary<{ oldSize: number; newSize: number }> {
  return fc
    .integer({ min: 1, max })
    .chain((newSize) =>
      fc.record({ oldSize: fc.integer({ min: 1, max: newSize }), newSize: fc.constant(newSize) }),
    );
}
