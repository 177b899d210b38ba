// Shared helpers for the native kernel's differential tests: the loaded addon
// (a missing addon fails every test file loudly instead of skipping it),
// conversions to and from @noble/curves points, deterministic random bytes and
// the edge-case scalars every multiplication is checked on.
import { createHash } from 'node:crypto';
import { ristretto255 } from '@noble/curves/ed25519.js';
import { loadNativeBinding, type NativeBinding, type NativePoint } from '../index.js';

const load = loadNativeBinding();
if (load.binding === undefined) {
  throw new Error(
    `the native crypto kernel did not load (${load.error}); build it with ` +
      '`node libs/crypto-native/scripts/build.mjs` — these tests do not skip',
  );
}

export const native: NativeBinding = load.binding;
export const nativePath: string = load.path;

export const NoblePoint = ristretto255.Point;
export type NoblePoint = InstanceType<typeof NoblePoint>;

/** The group order L. */
export const L: bigint = NoblePoint.Fn.ORDER;
/** The field prime p = 2^255 − 19. */
export const P: bigint = 2n ** 255n - 19n;
/** sqrt(−1) mod p (RFC 9496 §4.1 SQRT_M1). */
export const SQRT_M1 =
  19681161376707505956807079304988542015446066515923890162744021073123829784752n;

/** 32-byte little-endian encoding of 0 ≤ n < 2^256. */
export function le32(n: bigint): Uint8Array {
  if (n < 0n || n >= 2n ** 256n) throw new RangeError(`out of range: ${n}`);
  const out = new Uint8Array(32);
  for (let i = 0; i < 32; i++) {
    out[i] = Number((n >> BigInt(8 * i)) & 0xffn);
  }
  return out;
}

/** The little-endian integer of a byte string. */
export function fromLe(bytes: Uint8Array): bigint {
  let n = 0n;
  for (let i = bytes.length - 1; i >= 0; i--) n = (n << 8n) | BigInt(bytes[i]!);
  return n;
}

export function toHex(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString('hex');
}

export function fromHex(hex: string): Uint8Array {
  return new Uint8Array(Buffer.from(hex, 'hex'));
}

export function concat(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let offset = 0;
  for (const p of parts) {
    out.set(p, offset);
    offset += p.length;
  }
  return out;
}

/** A deterministic byte stream (SHA-512 in counter mode), so failures reproduce. */
export function seededBytes(seed: string): (n: number) => Uint8Array {
  let counter = 0;
  let pool: Uint8Array = new Uint8Array(0);
  return (n) => {
    while (pool.length < n) {
      const block = createHash('sha512').update(`${seed}/${counter++}`).digest();
      pool = concat([pool, new Uint8Array(block)]);
    }
    const out = pool.slice(0, n);
    pool = pool.slice(n);
    return out;
  };
}

/** Scalars that stress reduction and recoding (all < 2^256, as the API allows). */
export const EDGE_SCALARS: readonly bigint[] = [
  0n,
  1n,
  2n,
  3n,
  7n,
  8n,
  9n,
  15n,
  16n,
  17n,
  255n,
  256n,
  L - 2n,
  L - 1n,
  L,
  L + 1n,
  2n * L,
  2n * L - 1n,
  15n * L + 7n,
  2n ** 252n,
  2n ** 252n - 1n,
  2n ** 253n - 1n,
  2n ** 255n - 1n,
  2n ** 255n,
  2n ** 256n - 1n,
  // digits that are all 8 (signed-radix-16 carries) and all 15
  BigInt('0x' + '8'.repeat(63)),
  BigInt('0x' + 'f'.repeat(63)),
];

export function toNoble(p: NativePoint): NoblePoint {
  return NoblePoint.fromBytes(native.encode(p));
}

export function fromNoble(q: NoblePoint): NativePoint {
  const p = native.decode(q.toBytes());
  if (p === null) throw new Error('noble produced an encoding the kernel rejects');
  return p;
}

/** The reference s·Q for any 0 ≤ s < 2^256 (noble wants s < L). */
export function nobleMul(q: NoblePoint, s: bigint): NoblePoint {
  return q.multiplyUnsafe(s % L);
}

/** A random element from 64 seeded bytes (the kernel's element derivation). */
export function randomPoint(bytes: (n: number) => Uint8Array): NativePoint {
  return native.fromUniform(bytes(64));
}

/**
 * A point in the kernel's internal layout (X, Y, Z, T as 32-byte little-endian
 * field elements), for crafting representations the API never produces itself.
 */
export function rawPoint(x: bigint, y: bigint, z: bigint, t: bigint): NativePoint {
  const m = (v: bigint) => ((v % P) + P) % P;
  return concat([le32(m(x)), le32(m(y)), le32(m(z)), le32(m(t))]);
}

/** The coordinates of a point in the internal layout. */
export function rawCoordinates(p: NativePoint): [bigint, bigint, bigint, bigint] {
  return [0, 1, 2, 3].map((i) => fromLe(p.subarray(32 * i, 32 * i + 32))) as [
    bigint,
    bigint,
    bigint,
    bigint,
  ];
}
