// The text encodings behind the QR payloads (src/encoding.ts): base64url
// against RFC 4648 §10 test vectors and Node's own codec, canonical decoding
// (every malformed or non-canonical text refused), canonical integers, hex and
// strict UTF-8.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  base64UrlLength,
  decodeBase64Url,
  decodeUtf8Strict,
  encodeBase64Url,
  isLowerHex,
  parseCanonicalUint,
} from '../src/encoding.js';

const ascii = (s: string): Uint8Array => new TextEncoder().encode(s);

describe('base64url', () => {
  it('matches the RFC 4648 §10 vectors (padding removed)', () => {
    const vectors: [string, string][] = [
      ['', ''],
      ['f', 'Zg'],
      ['fo', 'Zm8'],
      ['foo', 'Zm9v'],
      ['foob', 'Zm9vYg'],
      ['fooba', 'Zm9vYmE'],
      ['foobar', 'Zm9vYmFy'],
    ];
    for (const [plain, encoded] of vectors) {
      expect(encodeBase64Url(ascii(plain))).toBe(encoded);
      const back = decodeBase64Url(encoded);
      expect(back.ok && new TextDecoder().decode(back.value)).toBe(plain);
    }
  });

  it('uses the URL-safe alphabet (RFC 4648 §5)', () => {
    expect(encodeBase64Url(Uint8Array.of(0xfb, 0xff, 0xbf))).toBe('-_-_');
    const back = decodeBase64Url('-_-_');
    expect(back.ok && [...back.value]).toEqual([0xfb, 0xff, 0xbf]);
  });

  it("agrees with Node's base64url codec and round-trips (property)", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), (bytes) => {
        const text = encodeBase64Url(bytes);
        expect(text).toBe(Buffer.from(bytes).toString('base64url'));
        expect(text.length).toBe(base64UrlLength(bytes.length));
        const back = decodeBase64Url(text);
        expect(back.ok && [...back.value]).toEqual([...bytes]);
      }),
      { numRuns: 500 },
    );
  });

  it('accepts a text only if it is the encoding of its decoding (property)', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[A-Za-z0-9_-]{0,12}$/), (text) => {
        const r = decodeBase64Url(text);
        if (r.ok) expect(encodeBase64Url(r.value)).toBe(text);
        else expect(['length', 'non-canonical']).toContain(r.error);
      }),
      { numRuns: 1000 },
    );
  });

  it('refuses the wrong alphabet, impossible lengths and non-zero pad bits', () => {
    const cases: [string, string][] = [
      ['Zg==', 'alphabet'],
      ['Zm9v+A', 'alphabet'],
      ['Zm9v/A', 'alphabet'],
      ['Zm 9v', 'alphabet'],
      ['Zm9v\n', 'alphabet'],
      ['Zé', 'alphabet'],
      ['Z', 'length'],
      ['Zm9vY', 'length'],
      ['Zh', 'non-canonical'],
      ['Zm8', 'ok'],
      ['Zm9', 'non-canonical'],
      ['Zm-', 'non-canonical'],
    ];
    for (const [text, fault] of cases) {
      const r = decodeBase64Url(text);
      expect(r.ok ? 'ok' : r.error, text).toBe(fault);
    }
  });
});

describe('small text helpers', () => {
  it('parses canonical decimal integers only', () => {
    expect(parseCanonicalUint('0', 9)).toBe(0);
    expect(parseCanonicalUint('7', 9)).toBe(7);
    expect(parseCanonicalUint('999999999', 9)).toBe(999_999_999);
    for (const bad of [
      '',
      '00',
      '01',
      '-1',
      '+1',
      '1.0',
      '1e3',
      ' 1',
      '1 ',
      '１',
      '1000000000',
      'x',
    ]) {
      expect(parseCanonicalUint(bad, 9), bad).toBeUndefined();
    }
    expect(parseCanonicalUint('123', 2)).toBeUndefined();
    expect(() => parseCanonicalUint('1', 16)).toThrow(RangeError);
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 999_999_999 }), (n) => {
        expect(parseCanonicalUint(String(n), 9)).toBe(n);
      }),
    );
  });

  it('recognizes lowercase hex of an exact length', () => {
    expect(isLowerHex('0a'.repeat(8), 16)).toBe(true);
    expect(isLowerHex('0A'.repeat(8), 16)).toBe(false);
    expect(isLowerHex('0a'.repeat(8), 15)).toBe(false);
    expect(isLowerHex('0g'.repeat(8), 16)).toBe(false);
  });

  it('decodes UTF-8 strictly, keeping a BOM as a character', () => {
    expect(decodeUtf8Strict(ascii('mesa ñ'))).toBe('mesa ñ');
    expect(decodeUtf8Strict(Uint8Array.of(0xff))).toBeUndefined();
    expect(decodeUtf8Strict(Uint8Array.of(0xc3))).toBeUndefined();
    expect(decodeUtf8Strict(Uint8Array.of(0xed, 0xa0, 0x80))).toBeUndefined();
    expect(decodeUtf8Strict(Uint8Array.of(0xef, 0xbb, 0xbf, 0x61))).toBe('\ufeffa');
  });
});
