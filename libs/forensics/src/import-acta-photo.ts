// pngjs ships no types: its ambient declaration must join every program that
// compiles this file (the package's and the tests'), hence a reference, not an import.
// eslint-disable-next-line @typescript-eslint/triple-slash-reference
/// <reference path="./pngjs.d.ts" />
/**
 * Photos of actas (issue #7, item 1 and "Bad input"): the QR code of a
 * photographed tally sheet, decoded from a JPEG or PNG file and read as an
 * Acta acta QR (`ACTA1!…`, signed: import-acta-qr.ts) or a 2024 Venezuelan
 * acta QR (`<acta id>!<38 counts>!<int>!<int>`, unsigned: import-ve-qr.ts).
 *
 * Well-kept libraries do the decoding, never hand-written decoders: jpeg-js
 * and pngjs for the pixels, jsQR (a port of ZXing's detector and decoder) for
 * the symbol. The issue asks to tell apart
 *  - **undecodable** images: not an image, corrupted, too large, or no QR code
 *    found (`IMPORT_UNREADABLE_IMAGE`, `IMPORT_NO_QR`) — a photo to retake;
 *  - **decodable but inconsistent** ones: a QR code whose text is not an acta
 *    payload, whose arithmetic fails, or whose signature is forged — an acta
 *    that says something wrong, which is itself a finding.
 *
 * Every image is hostile: its byte length is bounded before anything else,
 * its dimensions are read from the header (PNG's IHDR, JPEG's SOF marker) and
 * bounded before the decoder allocates pixels, and jpeg-js runs with its own
 * resolution and memory limits as a second line.
 *
 * jsQR works on RGBA pixels and is slow on large photos, which are also where
 * it most often misses a small, blurred symbol; so each image is tried as a
 * box-averaged copy whose long side is at most `scanSide` pixels (a phone
 * photo of a sheet is ~3000-4000 px; the QR stays well above jsQR's minimum
 * module size), then at full resolution, then both with inverted colours
 * (light modules on dark, a photographed screen or negative).
 */
import jsQRModule from 'jsqr';
import jpeg from 'jpeg-js';
import { PNG } from 'pngjs';
import { decodeActaQrPayload, type ActaQrContext, type ActaQrFinding } from './import-acta-qr.js';
import { decodeVeQrPayload } from './import-ve-qr.js';
import type { ImportProblem } from './mesa-result.js';
import type { CollectedActa } from './reconcile-types.js';

// jsqr is a CommonJS bundle whose exports object is the function itself, with
// a `default` property pointing back at it: `.default` is the same function
// under Node's and TypeScript's (NodeNext) views of the module.
const jsQR = jsQRModule.default;

/** An image file as the caller read it. */
export interface ActaPhoto {
  /** The file's name, used in every message. */
  readonly name: string;
  readonly bytes: Uint8Array;
}

export interface DecodeActaPhotosOptions {
  /** Keys and manifest to verify Acta payloads against (none: every Acta payload is `unsigned`). */
  readonly acta?: ActaQrContext;
  /** Largest file accepted, in bytes; default 32 MiB. */
  readonly maxBytes?: number;
  /** Largest image accepted, in pixels (width × height); default 50 million. */
  readonly maxPixels?: number;
  /** Long side of the downscaled copy tried first; default 1600. */
  readonly scanSide?: number;
}

/** What kind of payload a QR code held. */
export type PhotoPayloadKind = 'acta' | 'venezuelan' | 'unknown';

/** Why a decoded QR code does not give a consistent, verified acta. */
export type PhotoInconsistencyCode =
  /** The text is neither an Acta nor a Venezuelan payload. */
  | 'PHOTO_UNKNOWN_PAYLOAD'
  /** The payload looks like one but does not parse (the parser's code in the reason). */
  | 'PHOTO_BAD_PAYLOAD'
  /** An Acta payload whose signature fails, or signed for another election. */
  | 'PHOTO_FORGED'
  /** A payload whose numbers contradict themselves. */
  | 'PHOTO_ARITHMETIC';

/** A decodable photo whose acta is not consistent. */
export interface PhotoInconsistency {
  readonly image: string;
  readonly code: PhotoInconsistencyCode;
  readonly kind: PhotoPayloadKind;
  readonly reason: string;
  /** The decoded text (shortened to 200 characters), so a reader can see what the QR said. */
  readonly text: string;
}

export interface ActaPhotoImport {
  /** Every acta read (forged and inconsistent ones included, with their status). */
  readonly actas: readonly CollectedActa[];
  /** Images that could not be decoded or hold no QR code. */
  readonly undecodable: readonly ImportProblem[];
  /** Images whose QR decoded but whose acta is inconsistent (payload, arithmetic, signature). */
  readonly inconsistent: readonly PhotoInconsistency[];
  /** Acta payloads no known key could verify, and every Venezuelan payload (unsigned by design). */
  readonly unsigned: readonly ActaQrFinding[];
  /** Images given; `actas.length + skipped`. */
  readonly rows: number;
  readonly skipped: number;
}

/** Decoded RGBA pixels. */
interface Pixels {
  readonly width: number;
  readonly height: number;
  readonly data: Uint8Array;
}

const PNG_MAGIC = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a] as const;

function startsWith(bytes: Uint8Array, magic: readonly number[]): boolean {
  return bytes.length >= magic.length && magic.every((b, i) => bytes[i] === b);
}

function u16(b: Uint8Array, at: number): number {
  return ((b[at] ?? 0) << 8) | (b[at + 1] ?? 0);
}

function u32(b: Uint8Array, at: number): number {
  return u16(b, at) * 65536 + u16(b, at + 2);
}

/** PNG dimensions from IHDR (the first chunk by the PNG spec, §5.6), or undefined. */
function pngSize(b: Uint8Array): { width: number; height: number } | undefined {
  if (b.length < 24 || String.fromCharCode(...b.subarray(12, 16)) !== 'IHDR') return undefined;
  return { width: u32(b, 16), height: u32(b, 20) };
}

/**
 * JPEG dimensions from the first start-of-frame marker (ITU-T T.81 §B.2.2),
 * walking the marker segments by their lengths; undefined when none is found.
 */
function jpegSize(b: Uint8Array): { width: number; height: number } | undefined {
  let at = 2;
  while (at + 9 < b.length) {
    if (b[at] !== 0xff) return undefined;
    const marker = b[at + 1] ?? 0;
    if (marker === 0xff) {
      at += 1; // fill byte
      continue;
    }
    if (marker === 0xd8 || marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7)) {
      at += 2;
      continue;
    }
    const length = u16(b, at + 2);
    const isSof =
      marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc;
    if (isSof) return { height: u16(b, at + 5), width: u16(b, at + 7) };
    if (length < 2) return undefined;
    at += 2 + length;
  }
  return undefined;
}

type Decoded = { ok: true; pixels: Pixels } | { ok: false; problem: ImportProblem };

function unreadable(name: string, message: string): Decoded {
  return { ok: false, problem: { code: 'IMPORT_UNREADABLE_IMAGE', where: name, message } };
}

/** Decodes the image's pixels within the limits (see the module header). */
function decodePixels(photo: ActaPhoto, maxBytes: number, maxPixels: number): Decoded {
  const { name, bytes } = photo;
  if (bytes.length > maxBytes) {
    return unreadable(name, `${bytes.length} bytes, more than the ${maxBytes} accepted`);
  }
  const isPng = startsWith(bytes, PNG_MAGIC);
  const isJpeg = startsWith(bytes, [0xff, 0xd8, 0xff]);
  if (!isPng && !isJpeg) return unreadable(name, 'not a PNG or JPEG image (unknown magic bytes)');
  const size = isPng ? pngSize(bytes) : jpegSize(bytes);
  if (size === undefined) {
    return unreadable(
      name,
      `corrupted ${isPng ? 'PNG' : 'JPEG'}: no image header with its dimensions`,
    );
  }
  if (size.width < 1 || size.height < 1 || size.width * size.height > maxPixels) {
    return unreadable(
      name,
      `${size.width} × ${size.height} pixels, outside 1 … ${maxPixels} pixels accepted`,
    );
  }
  try {
    const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length);
    if (isPng) {
      const png = PNG.sync.read(buffer);
      return { ok: true, pixels: { width: png.width, height: png.height, data: png.data } };
    }
    const image = jpeg.decode(bytes, {
      useTArray: true,
      formatAsRGBA: true,
      maxResolutionInMP: maxPixels / 1e6,
      maxMemoryUsageInMB: Math.ceil((maxPixels * 8) / (1024 * 1024)) + 64,
    });
    if (image.width !== size.width || image.height !== size.height) {
      return unreadable(name, 'corrupted JPEG: the decoded size is not the header size');
    }
    return { ok: true, pixels: image };
  } catch (e) {
    const why = e instanceof Error ? e.message : String(e);
    return unreadable(name, `corrupted ${isPng ? 'PNG' : 'JPEG'}: ${why.slice(0, 200)}`);
  }
}

/** A box-averaged copy whose long side is at most `side` (the input itself when it already is). */
function downscale(p: Pixels, side: number): Pixels {
  const k = Math.ceil(Math.max(p.width, p.height) / side);
  if (k <= 1) return p;
  const w = Math.floor(p.width / k);
  const h = Math.floor(p.height / k);
  const out = new Uint8Array(w * h * 4);
  const sums = new Uint32Array(w * 3);
  const area = k * k;
  for (let y = 0; y < h; y++) {
    sums.fill(0);
    for (let dy = 0; dy < k; dy++) {
      let src = (y * k + dy) * p.width * 4;
      for (let x = 0; x < w; x++) {
        let r = 0;
        let g = 0;
        let b = 0;
        for (let dx = 0; dx < k; dx++) {
          r += p.data[src]!;
          g += p.data[src + 1]!;
          b += p.data[src + 2]!;
          src += 4;
        }
        sums[x * 3] = sums[x * 3]! + r;
        sums[x * 3 + 1] = sums[x * 3 + 1]! + g;
        sums[x * 3 + 2] = sums[x * 3 + 2]! + b;
      }
    }
    let dst = y * w * 4;
    for (let x = 0; x < w; x++) {
      out[dst] = sums[x * 3]! / area;
      out[dst + 1] = sums[x * 3 + 1]! / area;
      out[dst + 2] = sums[x * 3 + 2]! / area;
      out[dst + 3] = 255;
      dst += 4;
    }
  }
  return { width: w, height: h, data: out };
}

function scan(p: Pixels): string | undefined {
  const clamped = new Uint8ClampedArray(p.data.buffer, p.data.byteOffset, p.width * p.height * 4);
  try {
    // Inversion is done here (`invert`), not by jsQR's own option, which in
    // our tests missed plain light-on-dark symbols that decode once inverted.
    const found = jsQR(clamped, p.width, p.height, { inversionAttempts: 'dontInvert' });
    return found === null ? undefined : found.data;
  } catch {
    // jsQR 1.4 throws a TypeError from its locator on some images (finder
    // patterns it cannot order): for the caller that is "no QR code found".
    return undefined;
  }
}

/** The negative of an image (light modules on dark: a photographed screen, a negative). */
function invert(p: Pixels): Pixels {
  const out = new Uint8Array(p.data.length);
  for (let i = 0; i < out.length; i += 4) {
    out[i] = 255 - p.data[i]!;
    out[i + 1] = 255 - p.data[i + 1]!;
    out[i + 2] = 255 - p.data[i + 2]!;
    out[i + 3] = 255;
  }
  return { width: p.width, height: p.height, data: out };
}

/**
 * The QR code's text, trying the attempts of the module header in order:
 * the copy of long side ≤ scanSide, a copy of half that size (box averaging
 * also smooths sensor noise, which throws jsQR's finder-pattern search off),
 * then the full image when it is larger; each as is, then inverted.
 */
function findQrText(p: Pixels, scanSide: number): string | undefined {
  const first = downscale(p, scanSide);
  const sizes = [first];
  const half = downscale(first, Math.max(64, Math.floor(Math.max(first.width, first.height) / 2)));
  if (half !== first && Math.min(half.width, half.height) >= 64) sizes.push(half);
  if (first !== p) sizes.push(p);
  for (const s of sizes) {
    const text = scan(s);
    if (text !== undefined) return text;
  }
  for (const s of sizes) {
    const text = scan(invert(s));
    if (text !== undefined) return text;
  }
  return undefined;
}

function shorten(text: string): string {
  return text.length > 200 ? `${text.slice(0, 200)}…` : text;
}

/**
 * Decodes every photo (in order) and reads its QR code as an acta; see the
 * module header for what goes where. The acta's `source` is the image's name.
 */
export function decodeActaPhotos(
  images: readonly ActaPhoto[],
  options: DecodeActaPhotosOptions = {},
): ActaPhotoImport {
  const maxBytes = options.maxBytes ?? 32 * 1024 * 1024;
  const maxPixels = options.maxPixels ?? 50_000_000;
  const scanSide = options.scanSide ?? 1600;
  if (!(scanSide >= 64) || !(maxPixels >= 1) || !(maxBytes >= 1)) {
    throw new RangeError('maxBytes, maxPixels ≥ 1 and scanSide ≥ 64 expected');
  }
  const context: ActaQrContext = options.acta ?? { deviceKeys: new Map() };
  const actas: CollectedActa[] = [];
  const undecodable: ImportProblem[] = [];
  const inconsistent: PhotoInconsistency[] = [];
  const unsigned: ActaQrFinding[] = [];
  for (const image of images) {
    const decoded = decodePixels(image, maxBytes, maxPixels);
    if (!decoded.ok) {
      undecodable.push(decoded.problem);
      continue;
    }
    const raw = findQrText(decoded.pixels, scanSide);
    if (raw === undefined) {
      undecodable.push({
        code: 'IMPORT_NO_QR',
        where: image.name,
        message: 'no QR code found in the image',
      });
      continue;
    }
    const text = raw.trim();
    const kind: PhotoPayloadKind = text.startsWith('ACTA1!')
      ? 'acta'
      : /^[0-9]{9}\.[0-9]{2}\./.test(text)
        ? 'venezuelan'
        : 'unknown';
    const flag = (code: PhotoInconsistencyCode, reason: string): void => {
      inconsistent.push({ image: image.name, code, kind, reason, text: shorten(text) });
    };
    switch (kind) {
      case 'unknown':
        flag(
          'PHOTO_UNKNOWN_PAYLOAD',
          'the QR code holds neither an Acta (ACTA1!…) nor a Venezuelan acta payload',
        );
        break;
      case 'venezuelan': {
        const ve = decodeVeQrPayload(text, image.name);
        if (!ve.ok) {
          flag('PHOTO_BAD_PAYLOAD', `${ve.error.code}: ${ve.error.message}`);
          break;
        }
        actas.push({ result: ve.value, signature: 'unsigned' });
        unsigned.push({
          mesa: ve.value.id,
          source: image.name,
          code: 'NO_DEVICE_KEY',
          reason:
            'a Venezuelan acta payload carries no signature anyone but the authority can check',
        });
        break;
      }
      case 'acta': {
        const d = decodeActaQrPayload(text, image.name, context);
        if (!d.ok) {
          flag('PHOTO_BAD_PAYLOAD', d.error.message);
          break;
        }
        actas.push(d.value.acta);
        const f = d.value.finding;
        if (d.value.acta.signature === 'forged') {
          flag('PHOTO_FORGED', f?.reason ?? 'the signature fails');
        } else if (d.value.inconsistent) {
          flag('PHOTO_ARITHMETIC', f?.reason ?? 'the numbers contradict each other');
        }
        if (d.value.acta.signature === 'unsigned' && f !== undefined) unsigned.push(f);
        break;
      }
      default: {
        const never: never = kind;
        throw new Error(`unhandled payload kind ${String(never)}`);
      }
    }
  }
  const rows = images.length;
  return { actas, undecodable, inconsistent, unsigned, rows, skipped: rows - actas.length };
}
