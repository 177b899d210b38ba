/**
 * The prime-order group ristretto255 (RFC 9496) and its scalar field, wrapped
 * in Acta's own types. This is the only module that touches `@noble/curves`
 * group arithmetic: callers see `GroupElement` and `Scalar` and nothing else,
 * so a faster backend can replace noble here without changing any caller.
 *
 * Two multiplication flavours exist on purpose:
 * - `multiply` is constant-time and is the one to use with secret scalars
 *   (nonces, secret keys, shares);
 * - `multiplyPublic` and `multiScalarMultiply` are variable-time and are only
 *   for public data (proof verification, tallying).
 */
import { pippenger } from '@noble/curves/abstract/curve.js';
import { ristretto255, ristretto255_hasher } from '@noble/curves/ed25519.js';
import { bytesToNumberLE, numberToBytesLE } from '@noble/curves/utils.js';
import { decodeHex, encodeHex } from './bytes.js';
import { cryptoError, type CryptoError } from './errors.js';
import { err, ok, type Result } from './result.js';
import { defaultRng, type Rng } from './rng.js';

const Point = ristretto255.Point;
type NoblePoint = InstanceType<typeof Point>;
const Fn = Point.Fn;

/** The order L of ristretto255: 2^252 + 27742317777372353535851937790883648493. */
export const GROUP_ORDER: bigint = Fn.ORDER;
/** Length in bytes of an encoded group element (RFC 9496 §4.3.2). */
export const ELEMENT_LENGTH = 32;
/** Length in bytes of an encoded scalar (little-endian, canonical, < L). */
export const SCALAR_LENGTH = 32;
/** Length of the uniform byte strings that map to scalars and elements. */
export const UNIFORM_LENGTH = 64;

/** Options for decoding a group element. */
export interface DecodeElementOptions {
  /** Accept the identity element (default false: most statements forbid it). */
  readonly allowIdentity?: boolean;
}

/** A scalar modulo the group order L. Immutable. */
export class Scalar {
  static readonly ZERO: Scalar = new Scalar(0n);
  static readonly ONE: Scalar = new Scalar(1n);

  readonly #value: bigint;

  private constructor(value: bigint) {
    this.#value = value;
  }

  /** The scalar n mod L (any bigint, negative ones included). */
  static fromBigInt(n: bigint): Scalar {
    return new Scalar(Fn.create(n));
  }

  /** The scalar for a safe integer (counts, indices, small plaintexts). */
  static fromInt(n: number): Scalar {
    if (!Number.isSafeInteger(n)) throw new RangeError(`not a safe integer: ${n}`);
    return Scalar.fromBigInt(BigInt(n));
  }

  /**
   * Decodes a canonical 32-byte little-endian scalar; rejects values ≥ L
   * (docs/spec.md §2.2). `where` names the field for errors.
   */
  static decode(bytes: Uint8Array, where = 'scalar'): Result<Scalar, CryptoError> {
    if (bytes.length !== SCALAR_LENGTH) {
      return err(
        cryptoError(
          'INVALID_LENGTH',
          where,
          `a scalar is ${SCALAR_LENGTH} bytes, got ${bytes.length}`,
        ),
      );
    }
    const n = bytesToNumberLE(bytes);
    if (n >= GROUP_ORDER) {
      return err(
        cryptoError('NON_CANONICAL_SCALAR', where, 'scalar is not reduced modulo the group order'),
      );
    }
    return ok(new Scalar(n));
  }

  /** Decodes a scalar from 64 hex digits (see `decode`). */
  static decodeHex(hex: unknown, where = 'scalar'): Result<Scalar, CryptoError> {
    const bytes = decodeHex(hex, where, SCALAR_LENGTH);
    return bytes.ok ? Scalar.decode(bytes.value, where) : bytes;
  }

  /** Reduces 64 uniform bytes modulo L (wide reduction: bias below 2^-250). */
  static fromUniformBytes(bytes: Uint8Array): Scalar {
    if (bytes.length !== UNIFORM_LENGTH) {
      throw new RangeError(`fromUniformBytes needs ${UNIFORM_LENGTH} bytes, got ${bytes.length}`);
    }
    return new Scalar(Fn.create(bytesToNumberLE(bytes)));
  }

  /** A uniformly random non-zero scalar from `rng` (default: the system CSPRNG). */
  static random(rng: Rng = defaultRng): Scalar {
    for (;;) {
      const s = Scalar.fromUniformBytes(rng.randomBytes(UNIFORM_LENGTH));
      if (!s.isZero()) return s;
    }
  }

  add(other: Scalar): Scalar {
    return new Scalar(Fn.add(this.#value, other.#value));
  }

  subtract(other: Scalar): Scalar {
    return new Scalar(Fn.sub(this.#value, other.#value));
  }

  multiply(other: Scalar): Scalar {
    return new Scalar(Fn.mul(this.#value, other.#value));
  }

  negate(): Scalar {
    return new Scalar(Fn.neg(this.#value));
  }

  /** The multiplicative inverse. Inverting zero is a bug and throws. */
  invert(): Scalar {
    if (this.#value === 0n) throw new RangeError('cannot invert the zero scalar');
    return new Scalar(Fn.inv(this.#value));
  }

  isZero(): boolean {
    return this.#value === 0n;
  }

  equals(other: Scalar): boolean {
    return this.#value === other.#value;
  }

  /** The canonical 32-byte little-endian encoding. */
  toBytes(): Uint8Array {
    return numberToBytesLE(this.#value, SCALAR_LENGTH);
  }

  toHex(): string {
    return encodeHex(this.toBytes());
  }

  /** The value in [0, L). */
  toBigInt(): bigint {
    return this.#value;
  }

  toString(): string {
    return `Scalar(${this.toHex()})`;
  }
}

let unwrapPoint: (element: GroupElement) => NoblePoint;
let wrapPoint: (point: NoblePoint) => GroupElement;

/** An element of ristretto255. Immutable; caches its canonical encoding. */
export class GroupElement {
  /** The identity element (encoded as 32 zero bytes). */
  static readonly IDENTITY: GroupElement = new GroupElement(Point.ZERO);
  /**
   * The standard generator B of RFC 9496 §4.4, with fixed-base tables (window
   * 8) built at load time: noble's own BASE tables use a smaller window and
   * multiply about 3× slower.
   */
  static readonly GENERATOR: GroupElement = new GroupElement(
    Point.fromBytes(Point.BASE.toBytes()).precompute(8, false),
    undefined,
    true,
  );

  readonly #point: NoblePoint;
  #encoded: Uint8Array | undefined;
  /** Whether fixed-base tables are attached (multiplications are ~3× faster). */
  readonly #precomputed: boolean;

  private constructor(point: NoblePoint, encoded?: Uint8Array, precomputed = false) {
    this.#point = point;
    this.#encoded = encoded;
    this.#precomputed = precomputed;
  }

  /**
   * Decodes a canonical 32-byte encoding (RFC 9496 §4.3.1), rejecting every
   * non-canonical or invalid encoding, and the identity unless allowed.
   */
  static decode(
    bytes: Uint8Array,
    where = 'element',
    options: DecodeElementOptions = {},
  ): Result<GroupElement, CryptoError> {
    if (bytes.length !== ELEMENT_LENGTH) {
      return err(
        cryptoError(
          'INVALID_LENGTH',
          where,
          `an element is ${ELEMENT_LENGTH} bytes, got ${bytes.length}`,
        ),
      );
    }
    let point: NoblePoint;
    try {
      point = Point.fromBytes(bytes);
    } catch {
      return err(cryptoError('INVALID_ELEMENT', where, 'not a canonical ristretto255 encoding'));
    }
    if (point.is0() && options.allowIdentity !== true) {
      return err(
        cryptoError('IDENTITY_ELEMENT', where, 'the identity element is not allowed here'),
      );
    }
    return ok(new GroupElement(point, Uint8Array.from(bytes)));
  }

  /** Decodes an element from 64 hex digits (see `decode`). */
  static decodeHex(
    hex: unknown,
    where = 'element',
    options: DecodeElementOptions = {},
  ): Result<GroupElement, CryptoError> {
    const bytes = decodeHex(hex, where, ELEMENT_LENGTH);
    return bytes.ok ? GroupElement.decode(bytes.value, where, options) : bytes;
  }

  /** The element derived from 64 uniform bytes (RFC 9496 §4.3.4, element derivation). */
  static fromUniformBytes(bytes: Uint8Array): GroupElement {
    if (bytes.length !== UNIFORM_LENGTH) {
      throw new RangeError(`fromUniformBytes needs ${UNIFORM_LENGTH} bytes, got ${bytes.length}`);
    }
    return new GroupElement(ristretto255_hasher.deriveToCurve!(bytes));
  }

  /** g·s for the generator, using its fixed-base tables. Constant-time. */
  static multiplyGenerator(s: Scalar): GroupElement {
    return GroupElement.GENERATOR.multiply(s);
  }

  add(other: GroupElement): GroupElement {
    return new GroupElement(this.#point.add(other.#point));
  }

  subtract(other: GroupElement): GroupElement {
    return new GroupElement(this.#point.subtract(other.#point));
  }

  negate(): GroupElement {
    return new GroupElement(this.#point.negate());
  }

  /**
   * this·s without branching on the secret (safe for secret scalars such as a
   * plaintext vote, a nonce or a key share). Uses tables if precomputed.
   *
   * noble's constant-time multiply rejects 0, and a vote is 0 half the time, so
   * a shortcut `if (s == 0) return identity` would leak it through timing. We
   * compute P·(s+1) − P instead, which always runs the same ladder; s+1 is zero
   * only for s = L−1, where P·s is computed directly (s ≠ 0 there).
   */
  multiply(s: Scalar): GroupElement {
    const shifted = s.add(Scalar.ONE).toBigInt();
    if (shifted === 0n) return new GroupElement(this.#point.multiply(s.toBigInt()));
    return new GroupElement(this.#point.multiply(shifted).subtract(this.#point));
  }

  /** this·s in variable time: only for public scalars (verification, tallying). */
  multiplyPublic(s: Scalar): GroupElement {
    return new GroupElement(this.#point.multiplyUnsafe(s.toBigInt()));
  }

  /**
   * Returns this element with fixed-base tables attached (window 8), for an
   * element multiplied many times: the generator already has them, the
   * election public key and trustee keys should get them once.
   */
  precompute(): GroupElement {
    if (this.#precomputed) return this;
    const copy = Point.fromBytes(this.toBytes());
    return new GroupElement(copy.precompute(8, false), this.#encoded, true);
  }

  /** Whether this element carries fixed-base tables (see `precompute`). */
  isPrecomputed(): boolean {
    return this.#precomputed;
  }

  isIdentity(): boolean {
    return this.#point.is0();
  }

  equals(other: GroupElement): boolean {
    return this.#point.equals(other.#point);
  }

  /** The canonical 32-byte encoding (RFC 9496 §4.3.2). Cached. */
  toBytes(): Uint8Array {
    if (this.#encoded === undefined) this.#encoded = this.#point.toBytes();
    return this.#encoded.slice();
  }

  toHex(): string {
    return encodeHex(this.toBytes());
  }

  toString(): string {
    return `GroupElement(${this.toHex()})`;
  }

  static {
    // Module-private access to the backend point, so that no noble type
    // appears in this class's public declaration.
    unwrapPoint = (element) => element.#point;
    wrapPoint = (point) => new GroupElement(point);
  }
}

/** Below this many terms, separate wNAF multiplications beat Pippenger (measured). */
const PIPPENGER_MIN_TERMS = 8;

/**
 * Σ scalars[i]·elements[i]. Variable-time: for public data only (batch proof
 * verification, tallies). Terms whose element has fixed-base tables (the
 * generator, a precomputed election key) use those tables; the others go
 * through Pippenger's bucket method, or separate wNAF multiplications when
 * there are too few of them for buckets to pay off.
 */
export function multiScalarMultiply(
  scalars: readonly Scalar[],
  elements: readonly GroupElement[],
): GroupElement {
  if (scalars.length !== elements.length) {
    throw new RangeError(
      `MSM needs as many scalars (${scalars.length}) as elements (${elements.length})`,
    );
  }
  let acc = Point.ZERO;
  const points: NoblePoint[] = [];
  const ns: bigint[] = [];
  for (let i = 0; i < elements.length; i++) {
    const e = elements[i]!;
    const n = scalars[i]!.toBigInt();
    if (n === 0n) continue;
    if (e.isPrecomputed()) acc = acc.add(unwrapPoint(e).multiplyUnsafe(n));
    else {
      points.push(unwrapPoint(e));
      ns.push(n);
    }
  }
  if (points.length >= PIPPENGER_MIN_TERMS) acc = acc.add(pippenger(Point, points, ns));
  else for (let i = 0; i < points.length; i++) acc = acc.add(points[i]!.multiplyUnsafe(ns[i]!));
  return wrapPoint(acc);
}

/** Σ elements (the identity for an empty list). */
export function sumElements(elements: readonly GroupElement[]): GroupElement {
  let acc = Point.ZERO;
  for (const e of elements) acc = acc.add(unwrapPoint(e));
  return wrapPoint(acc);
}
