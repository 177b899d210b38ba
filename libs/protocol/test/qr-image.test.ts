// QR images (src/qr-image.ts): the SVG is a well-formed standalone <svg>
// whose size follows the QR version (ISO/IEC 18004: 17 + 4·version modules
// plus the quiet zone); the PNG has the PNG signature and an IHDR whose
// dimensions are (modules + 2·margin)·scale; text over capacity at the chosen
// level is QR_TOO_LARGE; bad options and bad text have their codes. Decoding
// the images back is a later issue.
import { inflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { createSeededRng, generateSigningKeyPair, hashToBytes, encodeHex } from '@acta/crypto';
import { encodeActaQr } from '../src/acta-qr.js';
import {
  MAX_QR_TEXT_LENGTH,
  renderQrPng,
  renderQrSvg,
  type QrImageError,
} from '../src/qr-image.js';

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

type Outcome = { ok: true } | { ok: false; error: QrImageError };

function codeOf(r: Outcome): string {
  return r.ok ? 'ok' : r.error.code;
}

/** Width and height of a PNG from its IHDR chunk (PNG spec §11.2.2), after checking the layout. */
function pngSize(png: Uint8Array): { width: number; height: number } {
  expect([...png.subarray(0, 8)]).toEqual(PNG_SIGNATURE);
  const view = new DataView(png.buffer, png.byteOffset, png.byteLength);
  expect(view.getUint32(8)).toBe(13);
  expect(new TextDecoder().decode(png.subarray(12, 16))).toBe('IHDR');
  expect(new TextDecoder().decode(png.subarray(png.length - 8, png.length - 4))).toBe('IEND');
  return { width: view.getUint32(16), height: view.getUint32(20) };
}

/** Modules per side of a QR code of this version. */
function modules(version: number): number {
  return 17 + 4 * version;
}

function svgSide(svg: string): number {
  const m = /viewBox="0 0 (\d+) (\d+)"/.exec(svg);
  expect(m).not.toBeNull();
  expect(m![1]).toBe(m![2]);
  return Number(m![1]);
}

/** An acta payload of the national ballot, as a device prints it. */
function nationalActa(): string {
  const rng = createSeededRng('qr-image');
  const device = generateSigningKeyPair(rng);
  return encodeActaQr(
    {
      electionHash: hashToBytes('ACTA_V1_TEST_ELECTION', ['qr image']),
      mesa: '201301006.01',
      registered: 535,
      checkedIn: 369,
      cast: 368,
      spoiled: 1,
      counts: [
        [
          140, 7, 10, 8, 1, 7, 1, 0, 2, 3, 0, 1, 8, 1, 0, 1, 0, 3, 1, 1, 0, 1, 0, 0, 0, 0, 0, 0, 1,
          2, 0, 0, 0, 5, 7, 155, 1, 1,
        ],
      ],
      chainHead: encodeHex(rng.randomBytes(32)),
    },
    device.secretKey,
  );
}

/** Reverses PNG scanline filters (PNG spec §9) for 8-bit samples, `bpp` bytes per pixel. */
function unfilter(raw: Uint8Array, width: number, height: number, bpp: number): Uint8Array {
  const stride = width * bpp;
  expect(raw.length).toBe((stride + 1) * height);
  const out = new Uint8Array(stride * height);
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (stride + 1)]!;
    for (let i = 0; i < stride; i++) {
      const x = raw[y * (stride + 1) + 1 + i]!;
      const a = i >= bpp ? out[y * stride + i - bpp]! : 0;
      const b = y > 0 ? out[(y - 1) * stride + i]! : 0;
      const c = i >= bpp && y > 0 ? out[(y - 1) * stride + i - bpp]! : 0;
      let predictor: number;
      switch (filter) {
        case 0:
          predictor = 0;
          break;
        case 1:
          predictor = a;
          break;
        case 2:
          predictor = b;
          break;
        case 3:
          predictor = (a + b) >> 1;
          break;
        case 4: {
          const p = a + b - c;
          const pa = Math.abs(p - a);
          const pb = Math.abs(p - b);
          const pc = Math.abs(p - c);
          predictor = pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
          break;
        }
        default:
          throw new Error(`unknown PNG filter ${filter}`);
      }
      out[y * stride + i] = (x + predictor) & 255;
    }
  }
  return out;
}

describe('renderQrSvg', () => {
  it('returns one well-formed standalone svg element', () => {
    const r = renderQrSvg('ACTA1!hello');
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    const svg = r.value.trim();
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    expect(svg.endsWith('</svg>')).toBe(true);
    expect(svg.match(/<svg\b/g)).toHaveLength(1);
    expect(svg).toMatch(/<path [^>]*d="M[^"]+"\/>/);
    // Balanced: every element is self-closed except the root.
    expect(svg.replace(/<path [^>]*\/>/g, '')).toMatch(/^<svg [^>]*><\/svg>$/);
  });

  it('has (17 + 4·version) modules plus the quiet zone', () => {
    // 11 bytes at level M fit version 1 (capacity 14 bytes).
    const r = renderQrSvg('ACTA1!hello');
    expect(r.ok && svgSide(r.value)).toBe(modules(1) + 2 * 4);
    const noMargin = renderQrSvg('ACTA1!hello', { margin: 0 });
    expect(noMargin.ok && svgSide(noMargin.value)).toBe(modules(1));
  });

  it('uses level M by default: more text needs a larger symbol than at L', () => {
    // 15 bytes: over version 1-M (14 bytes), within version 1-L (17 bytes).
    const text = 'ACTA1!abcdefghi';
    const m = renderQrSvg(text);
    const explicitM = renderQrSvg(text, { errorCorrection: 'M' });
    const l = renderQrSvg(text, { errorCorrection: 'L' });
    expect(m.ok && l.ok && [svgSide(m.value), svgSide(l.value)]).toEqual([
      modules(2) + 8,
      modules(1) + 8,
    ]);
    expect(m.ok && explicitM.ok && m.value === explicitM.value).toBe(true);
  });

  it('renders a national acta payload', () => {
    const text = nationalActa();
    const r = renderQrSvg(text);
    expect(r.ok).toBe(true);
    if (r.ok) expect(svgSide(r.value)).toBeGreaterThan(modules(10));
  });

  it('refuses text beyond the capacity at the chosen level (QR_TOO_LARGE)', () => {
    // Byte mode at version 40: 2953 bytes at L, 2331 at M, 1273 at H.
    const bytes = (n: number): string => 'a'.repeat(n);
    expect(codeOf(renderQrSvg(bytes(2331)))).toBe('ok');
    expect(codeOf(renderQrSvg(bytes(2332)))).toBe('QR_TOO_LARGE');
    expect(codeOf(renderQrSvg(bytes(2332), { errorCorrection: 'L' }))).toBe('ok');
    expect(codeOf(renderQrSvg(bytes(1274), { errorCorrection: 'H' }))).toBe('QR_TOO_LARGE');
    // Digits pack denser (numeric mode): 5596 fit at M, not 5597.
    expect(codeOf(renderQrSvg('7'.repeat(5596)))).toBe('ok');
    expect(codeOf(renderQrSvg('7'.repeat(5597)))).toBe('QR_TOO_LARGE');
    expect(codeOf(renderQrSvg('7'.repeat(MAX_QR_TEXT_LENGTH + 1), { errorCorrection: 'L' }))).toBe(
      'QR_TOO_LARGE',
    );
  });

  it('refuses empty or ill-formed text and bad options', () => {
    expect(codeOf(renderQrSvg(''))).toBe('QR_EMPTY_TEXT');
    expect(codeOf(renderQrSvg('a\ud800b'))).toBe('QR_ILL_FORMED_TEXT');
    const bad: object[] = [
      { errorCorrection: 'X' },
      { errorCorrection: 'medium' },
      { margin: -1 },
      { margin: 17 },
      { margin: 1.5 },
      { scale: 0 },
      { scale: 33 },
    ];
    for (const options of bad) {
      const r = renderQrSvg('x', options);
      expect(codeOf(r), JSON.stringify(options)).toBe('QR_BAD_OPTIONS');
    }
  });
});

describe('renderQrPng', () => {
  it('returns a PNG whose IHDR has (modules + 2·margin)·scale pixels a side', async () => {
    const r = await renderQrPng('ACTA1!hello');
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.value).toBeInstanceOf(Uint8Array);
    expect(Buffer.isBuffer(r.value)).toBe(false);
    expect(pngSize(r.value)).toEqual({ width: (21 + 8) * 4, height: (21 + 8) * 4 });
    const big = await renderQrPng('ACTA1!hello', { scale: 10, margin: 2 });
    expect(big.ok && pngSize(big.value)).toEqual({ width: (21 + 4) * 10, height: (21 + 4) * 10 });
  });

  it('draws black modules on white: the quiet zone is white, the finder corner black', async () => {
    const r = await renderQrPng('ACTA1!hello', { scale: 1, margin: 4 });
    if (!r.ok) throw r.error;
    const { width } = pngSize(r.value);
    // Concatenate the IDAT chunks and inflate (PNG spec §10); one filter byte per row.
    const view = new DataView(r.value.buffer, r.value.byteOffset, r.value.byteLength);
    const idat: Uint8Array[] = [];
    let colorType = -1;
    for (let off = 8; off < r.value.length;) {
      const length = view.getUint32(off);
      const type = new TextDecoder().decode(r.value.subarray(off + 4, off + 8));
      if (type === 'IHDR') colorType = r.value[off + 8 + 9]!;
      if (type === 'IDAT') idat.push(r.value.subarray(off + 8, off + 8 + length));
      off += 12 + length;
    }
    expect(colorType).toBe(6); // RGBA, 8 bits per channel
    const pixels = unfilter(inflateSync(Buffer.concat(idat)), width, width, 4);
    const pixel = (x: number, y: number): number[] => [
      ...pixels.subarray((y * width + x) * 4, (y * width + x) * 4 + 4),
    ];
    const white = [255, 255, 255, 255];
    const black = [0, 0, 0, 255];
    // Quiet zone; then the top-left finder pattern (ISO/IEC 18004 §6.3.3): a 7×7 dark ring,
    // a light ring, a dark 3×3 centre.
    expect(pixel(0, 0)).toEqual(white);
    expect(pixel(3, 3)).toEqual(white);
    expect(pixel(4, 4)).toEqual(black);
    expect(pixel(10, 4)).toEqual(black);
    expect(pixel(5, 5)).toEqual(white);
    expect(pixel(7, 7)).toEqual(black);
    expect(pixel(width - 1, width - 1)).toEqual(white);
  });

  it('reports capacity and input errors as values', async () => {
    expect(codeOf(await renderQrPng('a'.repeat(2332)))).toBe('QR_TOO_LARGE');
    expect(codeOf(await renderQrPng(''))).toBe('QR_EMPTY_TEXT');
    expect(codeOf(await renderQrPng('x', { scale: 0 }))).toBe('QR_BAD_OPTIONS');
  });

  it('renders a national acta payload', async () => {
    const r = await renderQrPng(nationalActa(), { scale: 2 });
    expect(r.ok).toBe(true);
    if (r.ok) expect(pngSize(r.value).width % 2).toBe(0);
  });
});
