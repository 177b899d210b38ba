// The native kernel's argument checks (every misuse throws a TypeError or
// RangeError and never crashes the process), fresh return buffers, views at odd
// offsets, the loader, and loading in worker threads (context-aware module).
import { Worker } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import { loadNativeBinding, type NativeBinding } from '../index.js';
import { concat, native, nativePath, randomPoint, seededBytes, toHex } from './helpers.js';

const PB = native.POINT_BYTES;
const G = native.generator();
const S = new Uint8Array(32).fill(3);
const TABLE = native.generatorTable();

/** Values that are not Uint8Arrays. */
const NOT_BYTES: readonly unknown[] = [
  undefined,
  null,
  42,
  'bytes',
  [1, 2, 3],
  {},
  new Uint16Array(64),
  new Int8Array(128),
  new Uint8ClampedArray(128),
  new ArrayBuffer(128),
  new DataView(new ArrayBuffer(128)),
];

// The binding with its types erased, to call functions with wrong arguments.
const loose = native as unknown as Record<string, (...args: unknown[]) => unknown>;

function call(name: keyof NativeBinding, ...args: unknown[]): unknown {
  return loose[name]!(...args);
}

function expectThrows(kind: typeof TypeError | typeof RangeError, thunk: () => unknown): void {
  expect(thunk).toThrow(kind);
}

describe('argument checks', () => {
  const pointFns: [keyof NativeBinding, (bad: unknown) => unknown[]][] = [
    ['encode', (b) => [b]],
    ['neg', (b) => [b]],
    ['isIdentity', (b) => [b]],
    ['createTable', (b) => [b]],
    ['add', (b) => [G, b]],
    ['add', (b) => [b, G]],
    ['sub', (b) => [G, b]],
    ['equals', (b) => [b, G]],
    ['mulVartime', (b) => [b, S]],
    ['mulCT', (b) => [b, S]],
    ['doubleMulVartime', (b) => [S, b, S]],
  ];

  it.each(pointFns)('%s rejects non-Uint8Array points with TypeError', (name, args) => {
    for (const bad of NOT_BYTES) expectThrows(TypeError, () => call(name, ...args(bad)));
  });

  it.each(pointFns)('%s rejects points of the wrong length with RangeError', (name, args) => {
    for (const n of [0, 32, PB - 1, PB + 1, 2 * PB]) {
      expectThrows(RangeError, () => call(name, ...args(new Uint8Array(n))));
    }
  });

  const scalarFns: [keyof NativeBinding, (bad: unknown) => unknown[]][] = [
    ['mulVartime', (b) => [G, b]],
    ['mulCT', (b) => [G, b]],
    ['mulTable', (b) => [TABLE, b]],
    ['doubleMulVartime', (b) => [b, G, S]],
    ['doubleMulVartime', (b) => [S, G, b]],
  ];

  it.each(scalarFns)('%s checks its scalars', (name, args) => {
    for (const bad of NOT_BYTES) expectThrows(TypeError, () => call(name, ...args(bad)));
    for (const n of [0, 31, 33, 64]) {
      expectThrows(RangeError, () => call(name, ...args(new Uint8Array(n))));
    }
  });

  it('decode and fromUniform check type and length', () => {
    for (const bad of NOT_BYTES) {
      expectThrows(TypeError, () => call('decode', bad));
      expectThrows(TypeError, () => call('fromUniform', bad));
    }
    for (const n of [0, 31, 33, 64])
      expectThrows(RangeError, () => call('decode', new Uint8Array(n)));
    for (const n of [0, 32, 63, 65]) {
      expectThrows(RangeError, () => call('fromUniform', new Uint8Array(n)));
    }
  });

  it('batch functions check multiples and matching lengths', () => {
    for (const bad of NOT_BYTES) {
      expectThrows(TypeError, () => call('encodeBatch', bad));
      expectThrows(TypeError, () => call('doubleAndEncodeBatch', bad));
      expectThrows(TypeError, () => call('decodeBatch', bad, new Uint8Array(0), new Uint8Array(0)));
      expectThrows(TypeError, () => call('decodeBatch', new Uint8Array(0), bad, new Uint8Array(0)));
      expectThrows(TypeError, () => call('decodeBatch', new Uint8Array(0), new Uint8Array(0), bad));
      expectThrows(TypeError, () => call('msmVartime', bad, new Uint8Array(0)));
      expectThrows(TypeError, () => call('msmVartime', new Uint8Array(0), bad));
    }
    expectThrows(RangeError, () => call('encodeBatch', new Uint8Array(PB + 1)));
    expectThrows(RangeError, () => call('doubleAndEncodeBatch', new Uint8Array(PB - 1)));
    for (const bad of NOT_BYTES.filter((v) => v !== undefined)) {
      expectThrows(TypeError, () => call('doubleAndEncodeBatch', G, bad));
    }
    for (const n of [0, PB - 1, PB + 1, 2 * PB]) {
      expectThrows(RangeError, () => call('doubleAndEncodeBatch', G, new Uint8Array(n)));
    }
    const enc = native.encode(G);
    const two = concat([enc, enc]);
    expectThrows(RangeError, () =>
      call('decodeBatch', new Uint8Array(33), new Uint8Array(PB), new Uint8Array(1)),
    );
    expectThrows(RangeError, () => call('decodeBatch', two, new Uint8Array(PB), new Uint8Array(2)));
    expectThrows(RangeError, () =>
      call('decodeBatch', two, new Uint8Array(3 * PB), new Uint8Array(2)),
    );
    expectThrows(RangeError, () =>
      call('decodeBatch', two, new Uint8Array(2 * PB), new Uint8Array(1)),
    );
    expectThrows(RangeError, () =>
      call('decodeBatch', two, new Uint8Array(2 * PB), new Uint8Array(3)),
    );
    expectThrows(RangeError, () => call('msmVartime', new Uint8Array(33), G));
    expectThrows(RangeError, () => call('msmVartime', new Uint8Array(64), G));
    expectThrows(RangeError, () => call('msmVartime', S, concat([G, G])));
    expectThrows(RangeError, () => call('msmVartime', S, new Uint8Array(PB + 3)));
  });

  it('mulTable checks the table: type, length and magic', () => {
    for (const bad of NOT_BYTES) expectThrows(TypeError, () => call('mulTable', bad, S));
    expectThrows(RangeError, () => call('mulTable', G, S)); // a point is not a table
    for (const n of [0, 16, TABLE.length - 1, TABLE.length + 1]) {
      expectThrows(RangeError, () => call('mulTable', new Uint8Array(n), S));
    }
    for (const offset of [0, 3, 8, 15]) {
      const corrupt = TABLE.slice();
      corrupt[offset]! ^= 1;
      expectThrows(TypeError, () => call('mulTable', corrupt, S));
    }
    expectThrows(TypeError, () => call('mulTable', new Uint8Array(TABLE.length), S));
  });

  it('missing arguments throw TypeError', () => {
    const names: (keyof NativeBinding)[] = [
      'decode',
      'decodeBatch',
      'encode',
      'encodeBatch',
      'doubleAndEncodeBatch',
      'fromUniform',
      'add',
      'sub',
      'neg',
      'equals',
      'isIdentity',
      'mulVartime',
      'mulCT',
      'createTable',
      'mulTable',
      'doubleMulVartime',
      'msmVartime',
    ];
    for (const name of names) expectThrows(TypeError, () => call(name));
    expectThrows(TypeError, () => call('add', G));
    expectThrows(TypeError, () => call('doubleMulVartime', S, G));
    expectThrows(TypeError, () => call('decodeBatch', new Uint8Array(0), new Uint8Array(0)));
  });

  it('garbage points of the right length never crash (results are just garbage)', () => {
    const bytes = seededBytes('garbage');
    for (let i = 0; i < 50; i++) {
      const junk = i === 0 ? new Uint8Array(PB).fill(0xff) : bytes(PB);
      native.encode(junk);
      native.add(junk, G);
      native.mulCT(junk, S);
      native.mulVartime(junk, S);
      native.mulTable(native.createTable(junk), S);
      native.doubleMulVartime(S, junk, S);
      native.msmVartime(concat([S, S]), concat([junk, G]));
      native.doubleAndEncodeBatch(concat([junk, G]));
      const junkTable = concat([TABLE.subarray(0, 16), bytes(TABLE.length - 16)]);
      native.mulTable(junkTable, S);
    }
    expect(native.isIdentity(new Uint8Array(PB))).toBe(true); // X = Y = 0 counts as X = 0
  });
});

describe('buffers', () => {
  it('accepts Buffers and views at any offset (tables included)', () => {
    const bytes = seededBytes('views');
    const p = randomPoint(bytes);
    const expected = toHex(native.encode(native.mulTable(TABLE, S)));
    for (const offset of [1, 3, 7, 8]) {
      const big = new Uint8Array(TABLE.length + offset + 5);
      big.set(TABLE, offset);
      const view = big.subarray(offset, offset + TABLE.length);
      expect(toHex(native.encode(native.mulTable(view, S)))).toBe(expected);
      const pbig = new Uint8Array(PB + offset);
      pbig.set(p, offset);
      expect(native.equals(pbig.subarray(offset), p)).toBe(true);
    }
    expect(toHex(native.encode(Buffer.from(p)))).toBe(toHex(native.encode(p)));
  });

  it('returns fresh plain Uint8Arrays that never overlap', () => {
    const a = native.generator();
    const b = native.generator();
    expect(a).not.toBe(b);
    // Small results are views into a shared slab (addon.c, new_small_bytes):
    // distinct, non-overlapping bytes, across slab boundaries too.
    const results: Uint8Array[] = [a, b];
    for (let i = 0; i < 600; i++) {
      results.push(i % 2 === 0 ? native.add(a, b) : native.encode(native.neg(a)));
    }
    const spans = results
      .map((r) => ({ buffer: r.buffer, start: r.byteOffset, end: r.byteOffset + r.byteLength }))
      .sort((x, y) => x.start - y.start);
    for (let i = 0; i < spans.length; i++) {
      for (let j = i + 1; j < spans.length && spans[j]!.start < spans[i]!.end; j++) {
        expect(spans[j]!.buffer).not.toBe(spans[i]!.buffer);
      }
    }
    expect(Object.getPrototypeOf(a)).toBe(Uint8Array.prototype);
    a.fill(0);
    expect(toHex(native.encode(native.generator()))).toBe(toHex(native.encode(b)));
    const e1 = native.encode(b);
    const e2 = native.encode(b);
    expect(e1).not.toBe(e2);
  });

  it('decodeBatch tolerates out overlapping its input', () => {
    const bytes = seededBytes('overlap');
    const points = [randomPoint(bytes), randomPoint(bytes), native.identity()];
    const encodings = concat(points.map((p) => native.encode(p)));
    const arena = new Uint8Array(3 * PB);
    arena.set(encodings, 0); // the encodings sit where out's first slot is written
    const ok = new Uint8Array(3);
    expect(native.decodeBatch(arena.subarray(0, 96), arena, ok)).toBe(3);
    points.forEach((p, i) => {
      expect(native.equals(arena.subarray(i * PB, (i + 1) * PB), p)).toBe(true);
    });
  });
});

describe('loader', () => {
  it('loads once and caches the result', () => {
    const a = loadNativeBinding();
    expect(a).toBe(loadNativeBinding());
    expect(a.binding).toBe(native);
    expect(native.POINT_BYTES).toBe(128);
    expect(native.version).toMatch(/^\d+\.\d+\.\d+$/);
  });

  it('uses ACTA_NATIVE_ADDON_PATH when set (the sanitizer run relies on it)', () => {
    const fromEnv = process.env.ACTA_NATIVE_ADDON_PATH;
    if (fromEnv !== undefined && fromEnv !== '') expect(nativePath).toBe(fromEnv);
    else expect(nativePath).toMatch(/build[\\/]Release[\\/]acta_native\.node$/);
  });

  it('loads in worker threads, concurrently, and unloads with them', async () => {
    const code = `
      const { parentPort, workerData } = require('node:worker_threads');
      const b = require(workerData.path);
      const s = new Uint8Array(32).fill(5);
      const p = b.mulTable(b.generatorTable(), s);
      parentPort.postMessage(Buffer.from(b.encode(b.mulCT(b.generator(), s))).toString('hex') +
        ':' + Buffer.from(b.encode(p)).toString('hex'));
    `;
    const expected = toHex(native.encode(native.mulCT(G, new Uint8Array(32).fill(5))));
    const run = () =>
      new Promise<string>((resolve, reject) => {
        const w = new Worker(code, { eval: true, workerData: { path: nativePath } });
        w.once('message', (m: string) => {
          void w.terminate().then(() => resolve(m));
        });
        w.once('error', reject);
      });
    const results = await Promise.all([run(), run(), run()]);
    for (const r of results) expect(r).toBe(`${expected}:${expected}`);
  });
});
