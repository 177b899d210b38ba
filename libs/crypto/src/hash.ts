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
import { sha256, sha512 } from './digest.js';
import { GroupElement, Scalar } from './group.js';

/** One value fed to a hash. Arrays are nested lists. */
export type HashPart =
  Uint8Array | GroupElement | Scalar | number | string | EncodedHashPart | readonly HashPart[];

/**
 * A part already in its canonical encoding (`encodeHashPart`): hashing it
 * writes exactly the bytes the part itself would have produced, so a large
 * value hashed under several tags (a ballot's contests: its entry leaf, its
 * signature, its tracking code) is encoded once. Not a new part type: the
 * encoding of an input is the same with or without it.
 */
export class EncodedHashPart {
  readonly #bytes: Uint8Array;

  /** Use `encodeHashPart`: only it makes bytes that are a part's encoding. */
  private constructor(bytes: Uint8Array) {
    this.#bytes = bytes;
  }

  /** @internal */
  static wrap(bytes: Uint8Array): EncodedHashPart {
    return new EncodedHashPart(bytes);
  }

  /** The part's encoding (type ‖ u32be(len) ‖ payload); a copy. */
  bytes(): Uint8Array {
    return this.#bytes.slice();
  }

  /** @internal The encoding itself, for the writer. */
  view(): Uint8Array {
    return this.#bytes;
  }
}

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

const textEncoder = new TextEncoder();

/** Matches a string with a code unit above 0x7f (a string that is not ASCII). */
const NON_ASCII_RE = /[^\u0000-\u007f]/u; // eslint-disable-line no-control-regex -- the ASCII range itself

/**
 * Encoded size of a part (header 5 bytes + payload). The UTF-8 length of each
 * string is remembered in `strings`, in visiting order, for the write pass,
 * which encodes the string straight into the output (TextEncoder.encodeInto).
 * An ASCII string (hex, ids: nearly all of them) is its own length.
 */
function sizeOf(part: HashPart, strings: number[]): number {
  if (part instanceof Uint8Array) return 5 + part.length;
  if (part instanceof EncodedHashPart) return part.view().length;
  if (part instanceof GroupElement || part instanceof Scalar) return 5 + 32;
  if (typeof part === 'number') {
    if (!Number.isSafeInteger(part) || part < 0) {
      throw new RangeError(`hash part must be a non-negative safe integer, got ${part}`);
    }
    return 5 + 8;
  }
  if (typeof part === 'string') {
    // An unpaired surrogate would be replaced by U+FFFD, making two different
    // strings encode alike: such strings are refused, so encoding stays injective.
    if (!part.isWellFormed()) throw new RangeError('hash part is not a well-formed UTF-16 string');
    const length = NON_ASCII_RE.test(part) ? textEncoder.encode(part).length : part.length;
    strings.push(length);
    return 5 + length;
  }
  let inner = 4;
  for (const p of part) inner += sizeOf(p, strings);
  return 5 + inner;
}

/** Writes parts into one preallocated buffer (no intermediate arrays). */
class Writer {
  readonly bytes: Uint8Array;
  readonly #view: DataView;
  #offset = 0;
  #stringIndex = 0;

  constructor(
    size: number,
    readonly strings: readonly number[],
  ) {
    this.bytes = new Uint8Array(size);
    this.#view = new DataView(this.bytes.buffer);
  }

  header(type: number, length: number): void {
    this.bytes[this.#offset] = type;
    this.#view.setUint32(this.#offset + 1, length);
    this.#offset += 5;
  }

  u32(n: number): void {
    this.#view.setUint32(this.#offset, n);
    this.#offset += 4;
  }

  raw(b: Uint8Array): void {
    this.bytes.set(b, this.#offset);
    this.#offset += b.length;
  }

  part(part: HashPart): void {
    if (part instanceof Uint8Array) {
      this.header(HASH_PART_TYPE.bytes, part.length);
      this.raw(part);
    } else if (part instanceof EncodedHashPart) {
      this.raw(part.view());
    } else if (part instanceof GroupElement) {
      this.header(HASH_PART_TYPE.element, 32);
      this.raw(part.encoding());
    } else if (part instanceof Scalar) {
      this.header(HASH_PART_TYPE.scalar, 32);
      this.raw(part.encoding());
    } else if (typeof part === 'number') {
      this.header(HASH_PART_TYPE.uint, 8);
      this.#view.setBigUint64(this.#offset, BigInt(part));
      this.#offset += 8;
    } else if (typeof part === 'string') {
      const length = this.strings[this.#stringIndex++]!;
      this.header(HASH_PART_TYPE.string, length);
      textEncoder.encodeInto(part, this.bytes.subarray(this.#offset, this.#offset + length));
      this.#offset += length;
    } else {
      const start = this.#offset;
      this.#offset += 5;
      this.u32(part.length);
      for (const p of part) this.part(p);
      const length = this.#offset - start - 5;
      this.bytes[start] = HASH_PART_TYPE.list;
      this.#view.setUint32(start + 1, length);
    }
  }
}

/**
 * The canonical encoding of a tagged hash input:
 * u32be(len(tag)) ‖ tag ‖ u32be(#parts) ‖ part₁ ‖ … where each part is
 * type ‖ u32be(len) ‖ payload. Tags are SCREAMING_SNAKE `ACTA_V1_…` strings.
 */
export function encodeHashInput(tag: string, parts: readonly HashPart[]): Uint8Array {
  if (!TAG_RE.test(tag)) throw new RangeError(`not an Acta domain-separation tag: ${tag}`);
  const tagBytes = textEncoder.encode(tag);
  const strings: number[] = [];
  let size = 4 + tagBytes.length + 4;
  for (const p of parts) size += sizeOf(p, strings);
  const w = new Writer(size, strings);
  w.u32(tagBytes.length);
  w.raw(tagBytes);
  w.u32(parts.length);
  for (const p of parts) w.part(p);
  return w.bytes;
}

/** The canonical encoding of one part (docs/spec.md §3.1), to hash it many times cheaply. */
export function encodeHashPart(part: HashPart): EncodedHashPart {
  if (part instanceof EncodedHashPart) return part;
  const strings: number[] = [];
  const w = new Writer(sizeOf(part, strings), strings);
  w.part(part);
  return EncodedHashPart.wrap(w.bytes);
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
