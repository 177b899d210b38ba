/**
 * Canonical, length-prefixed, domain-separated hashing (docs/spec.md §3).
 *
 * Every hash in Acta is over `encodeHashInput(tag, parts)`: the tag and each
 * part are length-prefixed and typed, so no two different inputs share an
 * encoding (no ad-hoc concatenation, no JSON). Fiat-Shamir challenges hash the
 * whole statement (election hash, keys, ciphertexts, bounds) and the
 * commitments: "strong" Fiat-Shamir (Bernhard, Pereira, Warinschi, "How not to
 * prove yourself", ASIACRYPT 2012), which Helios' weak variant lacked.
 */
import { sha256, sha512 } from '@noble/hashes/sha2.js';
import { GroupElement, Scalar } from './group.js';

/** One value fed to a hash. Arrays are nested lists. */
export type HashPart = Uint8Array | GroupElement | Scalar | number | string | readonly HashPart[];

/** Type bytes of the canonical encoding (docs/spec.md §3.1). */
export const HASH_PART_TYPE = {
  bytes: 0x01,
  element: 0x02,
  scalar: 0x03,
  uint: 0x04,
  string: 0x05,
  list: 0x06,
} as const;

const TAG_RE = /^ACTA_V[0-9]+_[A-Z0-9_]+$/;

class ByteWriter {
  #chunks: Uint8Array[] = [];
  #length = 0;

  push(bytes: Uint8Array): void {
    this.#chunks.push(bytes);
    this.#length += bytes.length;
  }

  u8(n: number): void {
    this.push(Uint8Array.of(n));
  }

  u32(n: number): void {
    const b = new Uint8Array(4);
    new DataView(b.buffer).setUint32(0, n);
    this.push(b);
  }

  finish(): Uint8Array {
    const out = new Uint8Array(this.#length);
    let offset = 0;
    for (const c of this.#chunks) {
      out.set(c, offset);
      offset += c.length;
    }
    return out;
  }
}

function encodePart(w: ByteWriter, part: HashPart): void {
  if (part instanceof Uint8Array) {
    w.u8(HASH_PART_TYPE.bytes);
    w.u32(part.length);
    w.push(part);
  } else if (part instanceof GroupElement) {
    w.u8(HASH_PART_TYPE.element);
    w.u32(32);
    w.push(part.toBytes());
  } else if (part instanceof Scalar) {
    w.u8(HASH_PART_TYPE.scalar);
    w.u32(32);
    w.push(part.toBytes());
  } else if (typeof part === 'number') {
    if (!Number.isSafeInteger(part) || part < 0) {
      throw new RangeError(`hash part must be a non-negative safe integer, got ${part}`);
    }
    const b = new Uint8Array(8);
    new DataView(b.buffer).setBigUint64(0, BigInt(part));
    w.u8(HASH_PART_TYPE.uint);
    w.u32(8);
    w.push(b);
  } else if (typeof part === 'string') {
    // An unpaired surrogate would be replaced by U+FFFD, making two different
    // strings encode alike: such strings are refused, so encoding stays injective.
    if (!part.isWellFormed()) throw new RangeError('hash part is not a well-formed UTF-16 string');
    const b = new TextEncoder().encode(part);
    w.u8(HASH_PART_TYPE.string);
    w.u32(b.length);
    w.push(b);
  } else {
    const inner = new ByteWriter();
    inner.u32(part.length);
    for (const p of part) encodePart(inner, p);
    const bytes = inner.finish();
    w.u8(HASH_PART_TYPE.list);
    w.u32(bytes.length);
    w.push(bytes);
  }
}

/**
 * The canonical encoding of a tagged hash input:
 * u32be(len(tag)) ‖ tag ‖ u32be(#parts) ‖ part₁ ‖ … where each part is
 * type ‖ u32be(len) ‖ payload. Tags are SCREAMING_SNAKE `ACTA_V1_…` strings.
 */
export function encodeHashInput(tag: string, parts: readonly HashPart[]): Uint8Array {
  if (!TAG_RE.test(tag)) throw new RangeError(`not an Acta domain-separation tag: ${tag}`);
  const w = new ByteWriter();
  const tagBytes = new TextEncoder().encode(tag);
  w.u32(tagBytes.length);
  w.push(tagBytes);
  w.u32(parts.length);
  for (const p of parts) encodePart(w, p);
  return w.finish();
}

/** SHA-512 of the canonical input, reduced modulo L: challenges and derived scalars. */
export function hashToScalar(tag: string, parts: readonly HashPart[]): Scalar {
  return Scalar.fromUniformBytes(sha512(encodeHashInput(tag, parts)));
}

/** SHA-256 of the canonical input: identifiers, the election hash, tracking codes. */
export function hashToBytes(tag: string, parts: readonly HashPart[]): Uint8Array {
  return sha256(encodeHashInput(tag, parts));
}

/** SHA-512 of the canonical input, then RFC 9496 §4.3.4 element derivation. */
export function hashToElement(tag: string, parts: readonly HashPart[]): GroupElement {
  return GroupElement.fromUniformBytes(sha512(encodeHashInput(tag, parts)));
}
