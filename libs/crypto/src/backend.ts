/**
 * Group backends (issue #3): the arithmetic behind `GroupElement`, chosen once
 * per process. `noble` is @noble/curves in pure JavaScript and runs anywhere;
 * `native` is Acta's C kernel (@acta/crypto-native, a Node-API addon built by
 * `npm ci`), 30–50× faster. Selection: `ACTA_CRYPTO_BACKEND=noble|native`
 * forces one; otherwise native when the addon loaded, noble if not.
 *
 * A backend works on its own opaque point type P and table type T; scalars
 * arrive as `ScalarInput` (value and cached little-endian bytes). Operations
 * named CT are constant-time in both backends (secrets); the others are
 * variable-time and only for public data (docs/spec.md §10.1).
 */
import { pippenger } from '@noble/curves/abstract/curve.js';
import { ristretto255, ristretto255_hasher } from '@noble/curves/ed25519.js';
import type { NativeBinding, NativePoint, NativeTable } from '@acta/crypto-native';
import { isNode } from './platform.js';

/** What a backend needs of a scalar: its value in [0, L) and its cached 32-byte LE encoding. */
export interface ScalarInput {
  toBigInt(): bigint;
  /** The encoding itself (not a copy): backends must not mutate it. */
  encoding(): Uint8Array;
}

/** The operations every backend provides (P: its point type, T: its fixed-base table type). */
export interface GroupBackend<P, T> {
  readonly name: BackendName;
  readonly identity: P;
  readonly generator: P;
  readonly generatorTable: T;
  decode(bytes: Uint8Array): P | undefined;
  /** Decodes n concatenated encodings; undefined where invalid. */
  decodeMany(bytes: Uint8Array, n: number): (P | undefined)[];
  encode(p: P): Uint8Array;
  /** 2·pᵢ for every point, with the encodings of the doubles (native: one shared inversion). */
  doubleAndEncodeMany(points: readonly P[]): { points: P[]; encodings: Uint8Array[] };
  fromUniform(bytes: Uint8Array): P;
  add(p: P, q: P): P;
  sub(p: P, q: P): P;
  neg(p: P): P;
  equals(p: P, q: P): boolean;
  isIdentity(p: P): boolean;
  /** p·s in constant time (s may be secret). */
  mulCT(p: P, s: ScalarInput): P;
  /** p·s in variable time (public data). */
  mulVartime(p: P, s: ScalarInput): P;
  createTable(p: P): T;
  /** Fixed-base p·s from a table, constant-time. */
  mulTableCT(t: T, s: ScalarInput): P;
  /** mulTableCT for s below a PUBLIC bound 2^bits (faster when the bound is small). */
  mulTableSmallCT(t: T, s: ScalarInput, bits: number): P;
  /** Σ sᵢ·pᵢ in variable time (public data); scalars are integers in [0, L). */
  msmVartime(scalars: readonly bigint[], points: readonly P[]): P;
  /** Bytes of the flat form of a point (0: the backend has none; see GroupElement.writeTransfer). */
  readonly rawLength: number;
  /** The flat form of a point (rawLength bytes; never mutate it). */
  exportRaw(p: P): Uint8Array;
  /** A point from its flat form, unchecked: only for bytes exportRaw produced in this process. */
  importRaw(bytes: Uint8Array): P;
}

/** The two backends. */
export type BackendName = 'noble' | 'native';

// ---------------------------------------------------------------------------
// noble

const NoblePoint = ristretto255.Point;
type NP = InstanceType<typeof NoblePoint>;

/** Below this many terms, separate wNAF multiplications beat noble's Pippenger (measured). */
const NOBLE_PIPPENGER_MIN_TERMS = 8;

/**
 * noble's constant-time multiply rejects 0, and a vote is 0 half the time, so
 * a shortcut `if (s == 0) return identity` would leak it through timing. We
 * compute P·(s+1) − P instead, which always runs the same ladder; s+1 is zero
 * only for s = L−1, where P·s is computed directly (s ≠ 0 there).
 */
function nobleMulCT(p: NP, s: ScalarInput): NP {
  const shifted = NoblePoint.Fn.add(s.toBigInt(), 1n);
  if (shifted === 0n) return p.multiply(s.toBigInt());
  return p.multiply(shifted).subtract(p);
}

function createNobleBackend(): GroupBackend<NP, NP> {
  // noble keeps fixed-base tables beside the point object (window 8 here; its
  // own BASE default window is smaller and about 3× slower).
  const table = (p: NP): NP => NoblePoint.fromBytes(p.toBytes()).precompute(8, false);
  const decode = (bytes: Uint8Array): NP | undefined => {
    try {
      return NoblePoint.fromBytes(bytes);
    } catch {
      return undefined;
    }
  };
  return {
    name: 'noble',
    identity: NoblePoint.ZERO,
    generator: NoblePoint.BASE,
    generatorTable: table(NoblePoint.BASE),
    decode,
    decodeMany: (bytes, n) =>
      Array.from({ length: n }, (_, i) => decode(bytes.subarray(32 * i, 32 * i + 32))),
    encode: (p) => p.toBytes(),
    doubleAndEncodeMany(points) {
      const doubled = points.map((p) => p.double());
      return { points: doubled, encodings: doubled.map((p) => p.toBytes()) };
    },
    fromUniform: (bytes) => ristretto255_hasher.deriveToCurve!(bytes),
    add: (p, q) => p.add(q),
    sub: (p, q) => p.subtract(q),
    neg: (p) => p.negate(),
    equals: (p, q) => p.equals(q),
    isIdentity: (p) => p.is0(),
    mulCT: nobleMulCT,
    mulVartime: (p, s) => p.multiplyUnsafe(s.toBigInt()),
    createTable: table,
    mulTableCT: nobleMulCT,
    mulTableSmallCT: nobleMulCT,
    msmVartime(scalars, points) {
      if (points.length >= NOBLE_PIPPENGER_MIN_TERMS) {
        return pippenger(NoblePoint, [...points], [...scalars]);
      }
      let acc = NoblePoint.ZERO;
      for (let i = 0; i < points.length; i++) {
        const n = scalars[i]!;
        if (n !== 0n) acc = acc.add(points[i]!.multiplyUnsafe(n));
      }
      return acc;
    },
    rawLength: 0,
    exportRaw() {
      throw new Error('the noble backend has no flat point form');
    },
    importRaw() {
      throw new Error('the noble backend has no flat point form');
    },
  };
}

// ---------------------------------------------------------------------------
// native

function createNativeBackend(b: NativeBinding): GroupBackend<NativePoint, NativeTable> {
  const size = b.POINT_BYTES;
  // Arguments cross into C through reusable buffers of their own
  // ArrayBuffers. Node 20 keeps a fresh small Uint8Array (a scalar's
  // encoding, a decoded hex string) inside the JavaScript heap and must move
  // it out (~4 µs) the first time native code reads it: far more than the
  // copy. Secret scalars are wiped from the buffer after each call.
  const scalarArg = new Uint8Array(new ArrayBuffer(32));
  const encodingArg = new Uint8Array(new ArrayBuffer(32));
  const uniformArg = new Uint8Array(new ArrayBuffer(64));
  const withScalar = <T>(s: ScalarInput, f: (arg: Uint8Array) => T, secret: boolean): T => {
    scalarArg.set(s.encoding());
    try {
      return f(scalarArg);
    } finally {
      if (secret) scalarArg.fill(0);
    }
  };
  return {
    name: 'native',
    identity: b.identity(),
    generator: b.generator(),
    generatorTable: b.generatorTable(),
    decode(bytes) {
      encodingArg.set(bytes);
      return b.decode(encodingArg) ?? undefined;
    },
    decodeMany(bytes, n) {
      const out = new Uint8Array(n * size);
      const okFlags = new Uint8Array(n);
      b.decodeBatch(bytes.subarray(0, 32 * n), out, okFlags);
      // Views, not copies: one ArrayBuffer for the batch (see scalarArg).
      return Array.from({ length: n }, (_, i) =>
        okFlags[i] === 1 ? out.subarray(i * size, (i + 1) * size) : undefined,
      );
    },
    encode: (p) => b.encode(p),
    doubleAndEncodeMany(points) {
      // curve25519-dalek's double-and-compress: the encodings of 2·P for a
      // batch cost one shared field inversion instead of one inverse square
      // root per point (8× cheaper per element than `encode`).
      const packed = new Uint8Array(size * points.length);
      points.forEach((p, i) => packed.set(p, size * i));
      const doubled = new Uint8Array(size * points.length);
      const all = b.doubleAndEncodeBatch(packed, doubled);
      return {
        points: points.map((_, i) => doubled.subarray(size * i, size * (i + 1))),
        encodings: points.map((_, i) => all.slice(32 * i, 32 * i + 32)),
      };
    },
    fromUniform(bytes) {
      uniformArg.set(bytes);
      return b.fromUniform(uniformArg);
    },
    add: (p, q) => b.add(p, q),
    sub: (p, q) => b.sub(p, q),
    neg: (p) => b.neg(p),
    equals: (p, q) => b.equals(p, q),
    isIdentity: (p) => b.isIdentity(p),
    mulCT: (p, s) => withScalar(s, (arg) => b.mulCT(p, arg), true),
    mulVartime: (p, s) => withScalar(s, (arg) => b.mulVartime(p, arg), false),
    createTable: (p) => b.createTable(p),
    mulTableCT: (t, s) => withScalar(s, (arg) => b.mulTable(t, arg), true),
    mulTableSmallCT: (t, s, bits) => withScalar(s, (arg) => b.mulTableSmall(t, arg, bits), true),
    msmVartime(scalars, points) {
      // One packed buffer each for scalars and points: one call into C.
      const n = points.length;
      const sc = new Uint8Array(32 * n);
      const view = new DataView(sc.buffer);
      const pts = new Uint8Array(size * n);
      for (let i = 0; i < n; i++) {
        let v = scalars[i]!;
        for (let off = 32 * i; off < 32 * i + 32; off += 8) {
          view.setBigUint64(off, v & MASK64, true);
          v >>= 64n;
        }
        pts.set(points[i]!, size * i);
      }
      return b.msmVartime(sc, pts);
    },
    // A native point IS its flat form (POINT_BYTES of extended coordinates).
    rawLength: size,
    exportRaw: (p) => p,
    importRaw(bytes) {
      if (bytes.length !== size) throw new RangeError(`a flat point is ${size} bytes`);
      return bytes;
    },
  };
}

const MASK64 = (1n << 64n) - 1n;

// ---------------------------------------------------------------------------
// selection

/** Which backend runs, and why. */
export interface BackendInfo {
  readonly name: BackendName;
  /** Why this backend was chosen (for the "backend: …" line commands print). */
  readonly reason: string;
  /** Set when ACTA_CRYPTO_BACKEND asked for native and the addon did not load. */
  readonly error?: string;
}

function readRequest(): string | undefined {
  const env = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process
    ?.env;
  const value = env?.ACTA_CRYPTO_BACKEND;
  return value === undefined || value === '' ? undefined : value;
}

async function loadNative(): Promise<{ binding?: NativeBinding; error: string }> {
  if (!isNode) return { error: 'not running on Node.js' };
  try {
    const mod = await import('@acta/crypto-native');
    const load = mod.loadNativeBinding();
    return load.binding !== undefined
      ? { binding: load.binding, error: '' }
      : { error: load.error };
  } catch (e) {
    return { error: e instanceof Error ? e.message : String(e) };
  }
}

async function selectBackend(): Promise<{
  backend: GroupBackend<unknown, unknown>;
  info: BackendInfo;
}> {
  const requested = readRequest();
  if (requested !== undefined && requested !== 'noble' && requested !== 'native') {
    return {
      backend: createNobleBackend(),
      info: {
        name: 'noble',
        reason: `ACTA_CRYPTO_BACKEND=${requested} is not a backend (noble or native)`,
        error: `ACTA_CRYPTO_BACKEND must be "noble" or "native", got "${requested}"`,
      },
    };
  }
  if (requested === 'noble') {
    return {
      backend: createNobleBackend(),
      info: { name: 'noble', reason: 'forced by ACTA_CRYPTO_BACKEND=noble' },
    };
  }
  const native = await loadNative();
  if (native.binding !== undefined) {
    return {
      backend: createNativeBackend(native.binding),
      info: {
        name: 'native',
        reason:
          requested === 'native'
            ? 'forced by ACTA_CRYPTO_BACKEND=native'
            : 'the native addon loaded',
      },
    };
  }
  return {
    backend: createNobleBackend(),
    info:
      requested === 'native'
        ? {
            name: 'noble',
            reason: 'ACTA_CRYPTO_BACKEND=native but the native addon did not load',
            error: `the native crypto kernel is not available: ${native.error}`,
          }
        : {
            name: 'noble',
            reason: `the native addon is not available (${native.error}); running on the slower noble backend`,
          },
  };
}

const selected = await selectBackend();

/** The backend of this process. */
export const backend: GroupBackend<unknown, unknown> = selected.backend;

/** Which backend this process runs on, and why. */
export function getCryptoBackend(): BackendInfo {
  return selected.info;
}
