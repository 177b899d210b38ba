/**
 * The prime-order group ristretto255 (RFC 9496) and its scalar field, wrapped
 * in Acta's own types. Callers see `GroupElement` and `Scalar` and nothing
 * else; the arithmetic behind them is a backend chosen per process
 * (backend.ts: Acta's native C kernel, or @noble/curves), so the backend can
 * change without touching any caller.
 *
 * Two multiplication flavours exist on purpose:
 * - `multiply` is constant-time and is the one to use with secret scalars
 *   (nonces, secret keys, shares, plaintext votes);
 * - `multiplyPublic` and `multiScalarMultiply` are variable-time and are only
 *   for public data (proof verification, tallying).
 */
import { ristretto255 } from '@noble/curves/ed25519.js';
import { backend } from './backend.js';
import { decodeHex, encodeHex } from './bytes.js';
import { cryptoError, type CryptoError } from './errors.js';
import { err, ok, type Result } from './result.js';
import { defaultRng, type Rng } from './rng.js';

// Scalar-field arithmetic (mod L) stays in BigInt: it costs well under a
// microsecond per operation, far below any group operation.
const Fn = ristretto255.Point.Fn;

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

const MASK64 = (1n << 64n) - 1n;

/** Little-endian bytes → integer, 64 bits at a time (4× faster than hex parsing). */
function bytesToBigIntLE(bytes: Uint8Array): bigint {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let n = 0n;
  for (let i = bytes.length - 8; i >= 0; i -= 8) n = (n << 64n) | view.getBigUint64(i, true);
  return n;
}

/** Integer in [0, 2^256) → 32 little-endian bytes. */
function bigIntToBytes32LE(n: bigint): Uint8Array {
  const out = new Uint8Array(32);
  const view = new DataView(out.buffer);
  for (let i = 0; i < 32; i += 8) {
    view.setBigUint64(i, n & MASK64, true);
    n >>= 64n;
  }
  return out;
}

/** A scalar modulo the group order L. Immutable. */
export class Scalar {
  static readonly ZERO: Scalar = new Scalar(0n);
  static readonly ONE: Scalar = new Scalar(1n);

  readonly #value: bigint;
  #bytes: Uint8Array | undefined;

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
    const n = bytesToBigIntLE(bytes);
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
    return new Scalar(Fn.create(bytesToBigIntLE(bytes)));
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

  /** The canonical 32-byte little-endian encoding (cached; a fresh copy each call). */
  toBytes(): Uint8Array {
    return this.encoding().slice();
  }

  /** @internal The cached encoding itself, for backends (never mutate it). */
  encoding(): Uint8Array {
    if (this.#bytes === undefined) this.#bytes = bigIntToBytes32LE(this.#value);
    return this.#bytes;
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

/** A backend point with its fixed-base table, when one was built. */
interface Inner {
  readonly point: unknown;
  readonly table: unknown;
}

let innerOf: (element: GroupElement) => Inner;
let wrapPoint: (point: unknown) => GroupElement;

/** An element of ristretto255. Immutable; caches its canonical encoding. */
export class GroupElement {
  /** The identity element (encoded as 32 zero bytes). */
  static readonly IDENTITY: GroupElement = new GroupElement(backend.identity);
  /** The standard generator B of RFC 9496 §4.4, with fixed-base tables. */
  static readonly GENERATOR: GroupElement = new GroupElement(
    backend.generator,
    undefined,
    backend.generatorTable,
  );

  readonly #point: unknown;
  #encoded: Uint8Array | undefined;
  /** The fixed-base table, when precomputed (multiplications are several times faster). */
  readonly #table: unknown;

  private constructor(point: unknown, encoded?: Uint8Array, table?: unknown) {
    this.#point = point;
    this.#encoded = encoded;
    this.#table = table;
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
    const point = backend.decode(bytes);
    return GroupElement.#checkDecoded(point, Uint8Array.from(bytes), where, options);
  }

  static #checkDecoded(
    point: unknown,
    bytes: Uint8Array,
    where: string,
    options: DecodeElementOptions,
  ): Result<GroupElement, CryptoError> {
    if (point === undefined) {
      return err(cryptoError('INVALID_ELEMENT', where, 'not a canonical ristretto255 encoding'));
    }
    if (options.allowIdentity !== true && backend.isIdentity(point)) {
      return err(
        cryptoError('IDENTITY_ELEMENT', where, 'the identity element is not allowed here'),
      );
    }
    return ok(new GroupElement(point, bytes));
  }

  /**
   * Decodes many encodings at once (one backend call: the native kernel
   * decodes a batch without per-element overhead). `where(i)` names item i.
   */
  static decodeMany(
    encodings: readonly Uint8Array[],
    where: (index: number) => string,
    options: DecodeElementOptions = {},
  ): Result<GroupElement[], CryptoError> {
    const n = encodings.length;
    const all = new Uint8Array(ELEMENT_LENGTH * n);
    for (let i = 0; i < n; i++) {
      const e = encodings[i]!;
      if (e.length !== ELEMENT_LENGTH) {
        return err(
          cryptoError(
            'INVALID_LENGTH',
            where(i),
            `an element is ${ELEMENT_LENGTH} bytes, got ${e.length}`,
          ),
        );
      }
      all.set(e, ELEMENT_LENGTH * i);
    }
    const points = backend.decodeMany(all, n);
    const out: GroupElement[] = [];
    for (let i = 0; i < n; i++) {
      const r = GroupElement.#checkDecoded(
        points[i],
        all.slice(ELEMENT_LENGTH * i, ELEMENT_LENGTH * (i + 1)),
        where(i),
        options,
      );
      if (!r.ok) return r;
      out.push(r.value);
    }
    return ok(out);
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
    return new GroupElement(backend.fromUniform(bytes));
  }

  /** G·s for the generator, using its fixed-base tables. Constant-time. */
  static multiplyGenerator(s: Scalar): GroupElement {
    return GroupElement.GENERATOR.multiply(s);
  }

  /**
   * 2·eᵢ for every element, with their encodings computed together (one
   * shared field inversion on the native backend instead of one inverse square
   * root each). A prover that needs many fresh elements AND their encodings
   * (for its Fiat-Shamir challenge) computes their halves and doubles them here.
   */
  static doubleMany(elements: readonly GroupElement[]): GroupElement[] {
    const { points, encodings } = backend.doubleAndEncodeMany(elements.map((e) => e.#point));
    return points.map((p, i) => new GroupElement(p, encodings[i]));
  }

  /**
   * @internal Bytes per element in the in-process transfer form (see
   * writeTransfer): the encoding, then the backend's own representation of
   * the point when it has a flat one (native: 128 bytes; noble: none).
   */
  static readonly TRANSFER_LENGTH: number = ELEMENT_LENGTH + backend.rawLength;

  /**
   * @internal Writes elements in the in-process transfer form, TRANSFER_LENGTH
   * bytes each from `offset`: how @acta/crypto-parallel hands decoded elements
   * to its worker threads without making them decode (an inverse square root
   * each) or encode them again. Never a record or wire format.
   */
  static writeTransfer(elements: readonly GroupElement[], out: Uint8Array, offset = 0): void {
    const stride = GroupElement.TRANSFER_LENGTH;
    if (offset < 0 || offset + stride * elements.length > out.length) {
      throw new RangeError('writeTransfer: the output is too short');
    }
    elements.forEach((e, i) => {
      const at = offset + stride * i;
      out.set(e.encoding(), at);
      if (backend.rawLength > 0) out.set(backend.exportRaw(e.#point), at + ELEMENT_LENGTH);
    });
  }

  /**
   * @internal Reads `n` elements written by writeTransfer IN THIS PROCESS
   * (another thread of it): with the native backend the point is taken as it
   * is, unchecked, so these bytes must never come from outside — anything
   * external goes through `decode`. The identity is accepted (callers decide
   * per statement). A noble process decodes the encodings (its form has
   * nothing else); an encoding that does not decode is a bug (RangeError).
   */
  static readTransfer(bytes: Uint8Array, n: number, offset = 0): GroupElement[] {
    const stride = GroupElement.TRANSFER_LENGTH;
    if (!Number.isSafeInteger(n) || n < 0 || offset < 0 || offset + stride * n > bytes.length) {
      throw new RangeError('readTransfer: the input is too short');
    }
    if (backend.rawLength === 0) {
      const encodings = Array.from({ length: n }, (_, i) =>
        bytes.subarray(offset + stride * i, offset + stride * i + ELEMENT_LENGTH),
      );
      const decoded = GroupElement.decodeMany(encodings, () => 'transfer', {
        allowIdentity: true,
      });
      if (!decoded.ok) throw new RangeError(`readTransfer: ${decoded.error.message}`);
      return decoded.value;
    }
    const out: GroupElement[] = [];
    for (let i = 0; i < n; i++) {
      const at = offset + stride * i;
      out.push(
        new GroupElement(
          backend.importRaw(bytes.subarray(at + ELEMENT_LENGTH, at + stride)),
          bytes.slice(at, at + ELEMENT_LENGTH),
        ),
      );
    }
    return out;
  }

  add(other: GroupElement): GroupElement {
    return new GroupElement(backend.add(this.#point, other.#point));
  }

  subtract(other: GroupElement): GroupElement {
    return new GroupElement(backend.sub(this.#point, other.#point));
  }

  negate(): GroupElement {
    return new GroupElement(backend.neg(this.#point));
  }

  /**
   * this·s in constant time (safe for secret scalars such as a plaintext vote,
   * a nonce or a key share). Uses the fixed-base table if precomputed.
   */
  multiply(s: Scalar): GroupElement {
    return new GroupElement(
      this.#table !== undefined
        ? backend.mulTableCT(this.#table, s)
        : backend.mulCT(this.#point, s),
    );
  }

  /**
   * this·s for a scalar below a PUBLIC bound 2^bits (1 ≤ bits ≤ 248), such as a
   * plaintext count, in constant time in s. With a fixed-base table only the
   * windows the bound allows are computed (a vote costs a tenth of a full
   * multiplication); otherwise this is `multiply`. A scalar at or above the
   * bound is a programming error (RangeError).
   */
  multiplyBelow(s: Scalar, bits: number): GroupElement {
    if (!Number.isInteger(bits) || bits < 1 || bits > 248) {
      throw new RangeError(`bits must be an integer in [1, 248], got ${bits}`);
    }
    if (s.toBigInt() >> BigInt(bits) !== 0n) {
      throw new RangeError(`the scalar is not below 2^${bits}`);
    }
    if (this.#table === undefined) return this.multiply(s);
    return new GroupElement(backend.mulTableSmallCT(this.#table, s, bits));
  }

  /** this·s in variable time: only for public scalars (verification, tallying). */
  multiplyPublic(s: Scalar): GroupElement {
    // A fixed-base table beats any variable-base method, constant-time or not.
    return new GroupElement(
      this.#table !== undefined
        ? backend.mulTableCT(this.#table, s)
        : backend.mulVartime(this.#point, s),
    );
  }

  /**
   * Returns this element with a fixed-base table attached, for an element
   * multiplied many times: the generator already has one, the election public
   * key and trustee keys should get one once.
   */
  precompute(): GroupElement {
    if (this.#table !== undefined) return this;
    return new GroupElement(this.#point, this.#encoded, backend.createTable(this.#point));
  }

  /** Whether this element carries a fixed-base table (see `precompute`). */
  isPrecomputed(): boolean {
    return this.#table !== undefined;
  }

  isIdentity(): boolean {
    return backend.isIdentity(this.#point);
  }

  equals(other: GroupElement): boolean {
    return backend.equals(this.#point, other.#point);
  }

  /** The canonical 32-byte encoding (RFC 9496 §4.3.2). Cached; a fresh copy each call. */
  toBytes(): Uint8Array {
    return this.encoding().slice();
  }

  /** @internal The cached encoding itself, for hashing (never mutate it). */
  encoding(): Uint8Array {
    if (this.#encoded === undefined) this.#encoded = backend.encode(this.#point);
    return this.#encoded;
  }

  toHex(): string {
    return encodeHex(this.toBytes());
  }

  toString(): string {
    return `GroupElement(${this.toHex()})`;
  }

  static {
    // Module-private access to the backend point, so that no backend type
    // appears in this class's public declaration.
    innerOf = (element) => ({ point: element.#point, table: element.#table });
    wrapPoint = (point) => new GroupElement(point);
  }
}

/**
 * Σ scalars[i]·elements[i]. Variable-time: for public data only (batch proof
 * verification, tallies). Terms whose element has a fixed-base table (the
 * generator, a precomputed election key) use it; the others go to the
 * backend's multi-scalar multiplication (Pippenger for many terms).
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
  return multiScalarMultiplyReduced(
    scalars.map((s) => s.toBigInt()),
    elements,
  );
}

/**
 * @internal `multiScalarMultiply` for integers already reduced into [0, L)
 * (batch verification builds its coefficients as BigInts, avoiding one Scalar
 * object per term).
 */
export function multiScalarMultiplyReduced(
  values: readonly bigint[],
  elements: readonly GroupElement[],
): GroupElement {
  let acc: unknown = backend.identity;
  const points: unknown[] = [];
  const inputs: bigint[] = [];
  for (let i = 0; i < elements.length; i++) {
    const v = values[i]!;
    if (v === 0n) continue;
    const { point, table } = innerOf(elements[i]!);
    if (table !== undefined) {
      acc = backend.add(acc, backend.mulTableCT(table, Scalar.fromBigInt(v)));
    } else {
      points.push(point);
      inputs.push(v);
    }
  }
  if (points.length > 0) acc = backend.add(acc, backend.msmVartime(inputs, points));
  return wrapPoint(acc);
}

/** Σ elements (the identity for an empty list). */
export function sumElements(elements: readonly GroupElement[]): GroupElement {
  let acc: unknown = backend.identity;
  for (const e of elements) acc = backend.add(acc, innerOf(e).point);
  return wrapPoint(acc);
}
