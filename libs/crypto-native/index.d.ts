/**
 * Acta's native ristretto255 kernel (RFC 9496; docs/spec.md §1.2, §2.1, §2.4): a C Node-API
 * addon that `libs/crypto/src/group.ts` uses instead of `@noble/curves` when it loads.
 */
/** An opaque group element: POINT_BYTES bytes (your internal representation). */
export type NativePoint = Uint8Array;
/** An opaque fixed-base precomputation table. */
export type NativeTable = Uint8Array;
export interface NativeBinding {
  readonly POINT_BYTES: number;
  readonly version: string;
  identity(): NativePoint;
  generator(): NativePoint;
  /** The fixed-base table of the generator, built once when the addon loads. */
  generatorTable(): NativeTable;
  /** RFC 9496 §4.3.1; null for any invalid/non-canonical 32-byte encoding. */
  decode(encoding: Uint8Array): NativePoint | null;
  /** n = encodings.length / 32 points into out (n·POINT_BYTES); ok[i] = 1 valid / 0 invalid; returns #valid. */
  decodeBatch(encodings: Uint8Array, out: Uint8Array, ok: Uint8Array): number;
  /** RFC 9496 §4.3.2. */
  encode(p: NativePoint): Uint8Array;
  /** n points (concatenated) → n·32 bytes. */
  encodeBatch(points: Uint8Array): Uint8Array;
  /** Encodings of 2·P_i for n points, sharing ONE field inversion (curve25519-dalek's
   * double_and_compress_batch). With `doubled` (n·POINT_BYTES bytes), the points 2·P_i are
   * written there too (it may alias `points`). */
  doubleAndEncodeBatch(points: Uint8Array, doubled?: Uint8Array): Uint8Array;
  /** RFC 9496 §4.3.4: 64 bytes → element. */
  fromUniform(bytes: Uint8Array): NativePoint;
  add(p: NativePoint, q: NativePoint): NativePoint;
  sub(p: NativePoint, q: NativePoint): NativePoint;
  neg(p: NativePoint): NativePoint;
  equals(p: NativePoint, q: NativePoint): boolean;
  isIdentity(p: NativePoint): boolean;
  /** Scalars everywhere: 32-byte little-endian integers, ANY value < 2^256 (reduce mod L inside). */
  mulVartime(p: NativePoint, scalar: Uint8Array): NativePoint; // wNAF, public data only
  mulCT(p: NativePoint, scalar: Uint8Array): NativePoint; // constant-time (secrets)
  createTable(p: NativePoint): NativeTable; // fixed-base precomputation
  mulTable(table: NativeTable, scalar: Uint8Array): NativePoint; // constant-time fixed-base
  /**
   * mulTable for a scalar below a PUBLIC bound 2^bits (1 ≤ bits ≤ 248), e.g. a plaintext vote:
   * only the radix-16 windows the bound allows are processed. Constant-time in the scalar;
   * RangeError if the scalar is not below 2^bits.
   */
  mulTableSmall(table: NativeTable, scalar: Uint8Array, bits: number): NativePoint;
  /** a·P + b·G, variable time (single-proof verification). */
  doubleMulVartime(a: Uint8Array, p: NativePoint, b: Uint8Array): NativePoint;
  /** Σ scalars[i]·points[i]; scalars 32n bytes, points n·POINT_BYTES; variable time.
   * Straus/wNAF for small n, Pippenger with signed digits and a window chosen by n for large n. */
  msmVartime(scalars: Uint8Array, points: Uint8Array): NativePoint;
}
export type NativeLoad =
  | { readonly binding: NativeBinding; readonly path: string }
  | { readonly binding: undefined; readonly error: string };
/** Loads the addon once (cached): ACTA_NATIVE_ADDON_PATH if set, else build/Release/acta_native.node. Never throws. */
export function loadNativeBinding(): NativeLoad;
