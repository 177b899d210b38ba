// Canonical hashing (spec §3): the exact byte layout, injectivity across
// part types and boundaries, tag validation, pre-encoded parts.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  GroupElement,
  HASH_PART_TYPE,
  Scalar,
  concat,
  EncodedHashPart,
  encodeHashInput,
  encodeHashPart,
  encodeHex,
  hashToBytes,
  hashToElement,
  hashToScalar,
  type HashPart,
} from '../src/index.js';

describe('encodeHashInput', () => {
  it('has the documented byte layout', () => {
    const bytes = encodeHashInput('ACTA_V1_X', [Uint8Array.of(0xab), 7, 'é', [1]]);
    expect(encodeHex(bytes)).toBe(
      [
        '00000009', // len(tag)
        Buffer.from('ACTA_V1_X').toString('hex'),
        '00000004', // number of parts
        '01' + '00000001' + 'ab', // bytes
        '04' + '00000008' + '0000000000000007', // uint
        '05' + '00000002' + 'c3a9', // string (UTF-8)
        '06' + '00000011' + '00000001' + '04' + '00000008' + '0000000000000001', // list [1]
      ].join(''),
    );
  });

  it('encodes elements and scalars as their canonical 32 bytes', () => {
    const bytes = encodeHashInput('ACTA_V1_X', [GroupElement.GENERATOR, Scalar.ONE]);
    const hex = encodeHex(bytes);
    expect(hex).toContain('02' + '00000020' + GroupElement.GENERATOR.toHex());
    expect(hex).toContain('03' + '00000020' + '01' + '00'.repeat(31));
  });

  it('is injective: shifting a boundary or changing a type changes the encoding', () => {
    const pairs: [HashPart[], HashPart[]][] = [
      [
        ['ab', 'c'],
        ['a', 'bc'],
      ],
      [[Uint8Array.of(1, 2)], [Uint8Array.of(1), Uint8Array.of(2)]],
      [['1'], [1]],
      [[[1, 2]], [1, 2]],
      [[[]], []],
      [[Uint8Array.of()], ['']],
    ];
    for (const [a, b] of pairs) {
      expect(encodeHex(encodeHashInput('ACTA_V1_X', a))).not.toBe(
        encodeHex(encodeHashInput('ACTA_V1_X', b)),
      );
    }
  });

  it('writes a string part as its UTF-8 bytes, ASCII or not (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.string({ unit: 'grapheme' }), { maxLength: 6 }), (strings) => {
        const got = encodeHashInput('ACTA_V1_TEST', strings);
        const utf8 = new TextEncoder();
        const parts = strings.map((s) => {
          const b = utf8.encode(s);
          const out = new Uint8Array(5 + b.length);
          out[0] = HASH_PART_TYPE.string;
          new DataView(out.buffer).setUint32(1, b.length);
          out.set(b, 5);
          return out;
        });
        const tag = utf8.encode('ACTA_V1_TEST');
        const head = new Uint8Array(8 + tag.length);
        new DataView(head.buffer).setUint32(0, tag.length);
        head.set(tag, 4);
        new DataView(head.buffer).setUint32(4 + tag.length, strings.length);
        expect(encodeHex(got)).toBe(encodeHex(concat(head, ...parts)));
      }),
      { numRuns: 300 },
    );
  });

  it('separates domains by tag', () => {
    expect(hashToScalar('ACTA_V1_A', [1]).equals(hashToScalar('ACTA_V1_B', [1]))).toBe(false);
  });

  it('never collides on random string lists (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.string()), fc.array(fc.string()), (a, b) => {
        fc.pre(JSON.stringify(a) !== JSON.stringify(b));
        expect(encodeHex(encodeHashInput('ACTA_V1_X', a))).not.toBe(
          encodeHex(encodeHashInput('ACTA_V1_X', b)),
        );
      }),
      { numRuns: 200 },
    );
  });

  it('rejects tags that are not ACTA_Vn_ SCREAMING_SNAKE (a bug)', () => {
    for (const tag of ['acta_v1_x', 'ACTA_X', 'ACTA_V1_', 'ACTA_V1_a', '']) {
      expect(() => encodeHashInput(tag, [])).toThrow(RangeError);
    }
  });

  it('rejects strings with unpaired surrogates, which would encode alike (a bug)', () => {
    for (const bad of ['\uD800', '\uDC00', 'a\uD800b']) {
      expect(() => encodeHashInput('ACTA_V1_X', [bad])).toThrow(RangeError);
    }
    expect(() => encodeHashInput('ACTA_V1_X', ['\uD83D\uDE00'])).not.toThrow();
  });

  it('rejects negative, fractional and unsafe integers (a bug)', () => {
    for (const n of [-1, 1.5, 2 ** 53])
      expect(() => encodeHashInput('ACTA_V1_X', [n])).toThrow(RangeError);
  });

  it('produces the documented hash sizes and valid elements', () => {
    expect(hashToBytes('ACTA_V1_X', []).length).toBe(32);
    expect(hashToScalar('ACTA_V1_X', []).toBytes().length).toBe(32);
    expect(hashToElement('ACTA_V1_X', []).isIdentity()).toBe(false);
  });
});

describe('encodeHashPart', () => {
  const leaf: fc.Arbitrary<HashPart> = fc.oneof(
    fc.string(),
    fc.nat(),
    fc.uint8Array({ maxLength: 40 }),
    fc.constant(GroupElement.GENERATOR),
    fc.constant(Scalar.ONE),
  );
  const part: fc.Arbitrary<HashPart> = fc.letrec<{ part: HashPart }>((tie) => ({
    part: fc.oneof({ depthSize: 'small' }, leaf, fc.array(tie('part'), { maxLength: 4 })),
  })).part;

  it('hashes exactly as the part it encodes, anywhere in an input (property)', () => {
    fc.assert(
      fc.property(fc.array(part, { maxLength: 4 }), part, fc.nat(4), (parts, p, at) => {
        const i = Math.min(at, parts.length);
        const plain = [...parts.slice(0, i), [p, 'x'], ...parts.slice(i)];
        const encoded = [...parts.slice(0, i), [encodeHashPart(p), 'x'], ...parts.slice(i)];
        expect(encodeHex(encodeHashInput('ACTA_V1_X', encoded))).toBe(
          encodeHex(encodeHashInput('ACTA_V1_X', plain)),
        );
      }),
    );
  });

  it('is the part’s own encoding, handed out as a copy, and idempotent', () => {
    const e = encodeHashPart(['é', 7]);
    expect(e).toBeInstanceOf(EncodedHashPart);
    const whole = encodeHashInput('ACTA_V1_X', [['é', 7]]);
    // The input minus its header (tag length, tag, part count) is the part.
    expect(encodeHex(e.bytes())).toBe(encodeHex(whole.subarray(4 + 9 + 4)));
    e.bytes().fill(0);
    expect(encodeHex(e.bytes())).toBe(encodeHex(whole.subarray(4 + 9 + 4)));
    expect(encodeHashPart(e)).toBe(e);
  });
});
