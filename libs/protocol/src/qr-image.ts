/**
 * QR code images of Acta's payloads (docs/spec.md chapter 2, "Actas" and
 * "Credentials"): the acta's signed payload printed on the tally sheet, the
 * voter's card. Symbols are made by the `qrcode` package (ISO/IEC 18004:2015;
 * never a hand-written encoder), at error correction level M by default
 * (ISO/IEC 18004 §6.5.1: about 15 % of the symbol may be damaged, the usual
 * choice for printed paper), with the standard 4-module quiet zone (§6.3.8).
 *
 * Pure: images are returned as a string (SVG) or bytes (PNG), never written.
 * Text the symbol cannot hold at the chosen level is an expected failure
 * (QR_TOO_LARGE), not an exception. Options are Acta's own, so the package's
 * types never leak into the public API.
 */
import { err, ok, type Result } from '@acta/crypto';
import QRCode from 'qrcode';

/** The codes of QR image failures (local until they join `ProtocolErrorCode` in errors.ts). */
export type QrImageErrorCode =
  /** Empty text: a QR code holds at least one character. */
  | 'QR_EMPTY_TEXT'
  /** Text with an unpaired surrogate: it has no UTF-8 encoding. */
  | 'QR_ILL_FORMED_TEXT'
  /** More than a version-40 symbol holds at the chosen error correction level. */
  | 'QR_TOO_LARGE'
  /** An option outside its range (level, margin, scale). */
  | 'QR_BAD_OPTIONS';

/** An expected failure of QR image rendering: a stable code, a location, a message. */
export class QrImageError extends Error {
  readonly code: QrImageErrorCode;
  readonly where: string;

  constructor(code: QrImageErrorCode, where: string, message: string) {
    super(message);
    this.name = 'QrImageError';
    this.code = code;
    this.where = where;
  }

  /** `CODE at where: message`, for logs and command-line output. */
  override toString(): string {
    return `${this.code} at ${this.where}: ${this.message}`;
  }
}

/** ISO/IEC 18004 error correction levels: L ≈ 7 %, M ≈ 15 %, Q ≈ 25 %, H ≈ 30 % recoverable. */
export type QrErrorCorrection = 'L' | 'M' | 'Q' | 'H';

/** Rendering options. */
export interface QrImageOptions {
  /** Error correction level; default M. */
  readonly errorCorrection?: QrErrorCorrection;
  /** Quiet zone around the symbol, in modules, 0 … 16; default 4 (the standard's minimum). */
  readonly margin?: number;
  /** PNG only: pixels per module, 1 … 32; default 4. */
  readonly scale?: number;
}

/**
 * No QR code holds more than 7089 characters (version 40, level L, all
 * digits): longer text is refused before the encoder sees it.
 */
export const MAX_QR_TEXT_LENGTH = 7089;

const LEVELS: readonly QrErrorCorrection[] = ['L', 'M', 'Q', 'H'];

interface ResolvedOptions {
  readonly errorCorrectionLevel: QrErrorCorrection;
  readonly margin: number;
  readonly scale: number;
}

function fail<T>(code: QrImageErrorCode, where: string, message: string): Result<T, QrImageError> {
  return err(new QrImageError(code, where, message));
}

function inRange(n: number, min: number, max: number): boolean {
  return Number.isInteger(n) && n >= min && n <= max;
}

/** Checks the text and options before any encoding work. */
function prepare(text: string, options: QrImageOptions): Result<ResolvedOptions, QrImageError> {
  const level = options.errorCorrection ?? 'M';
  const margin = options.margin ?? 4;
  const scale = options.scale ?? 4;
  if (!LEVELS.includes(level)) {
    return fail('QR_BAD_OPTIONS', 'options.errorCorrection', 'expected L, M, Q or H');
  }
  if (!inRange(margin, 0, 16)) {
    return fail('QR_BAD_OPTIONS', 'options.margin', 'expected an integer in 0 … 16');
  }
  if (!inRange(scale, 1, 32)) {
    return fail('QR_BAD_OPTIONS', 'options.scale', 'expected an integer in 1 … 32');
  }
  if (typeof text !== 'string' || text.length === 0) {
    return fail('QR_EMPTY_TEXT', 'text', 'a QR code holds at least one character');
  }
  if (!text.isWellFormed()) {
    return fail('QR_ILL_FORMED_TEXT', 'text', 'the text has an unpaired surrogate');
  }
  if (text.length > MAX_QR_TEXT_LENGTH) {
    return fail(
      'QR_TOO_LARGE',
      'text',
      `${text.length} characters; no QR code holds more than ${MAX_QR_TEXT_LENGTH}`,
    );
  }
  return ok({ errorCorrectionLevel: level, margin, scale });
}

/**
 * Maps the encoder's capacity error to QR_TOO_LARGE; anything else it throws
 * is a bug and is rethrown. The encoder reports capacity with this message
 * (qrcode 1.5 core/qrcode.js); the tests pin it, so an upgrade that changes
 * it fails loudly instead of turning capacity errors into exceptions.
 */
function capacityError(e: unknown, level: QrErrorCorrection): QrImageError {
  if (e instanceof Error && /too big to be stored in a QR Code/.test(e.message)) {
    return new QrImageError(
      'QR_TOO_LARGE',
      'text',
      `the text does not fit in a QR code at error correction level ${level}`,
    );
  }
  throw e;
}

/** An SVG image (a standalone `<svg>` element, viewBox in modules) of a QR code of `text`. */
export function renderQrSvg(
  text: string,
  options: QrImageOptions = {},
): Result<string, QrImageError> {
  const opts = prepare(text, options);
  if (!opts.ok) return opts;
  const { errorCorrectionLevel, margin } = opts.value;
  let outcome: { error: unknown } | { svg: string } | undefined;
  // The callback form renders synchronously (the SVG renderer does no I/O).
  QRCode.toString(text, { type: 'svg', errorCorrectionLevel, margin }, (error, svg) => {
    outcome = error ? { error } : { svg };
  });
  if (outcome === undefined) throw new Error('qrcode did not render the SVG synchronously');
  if ('error' in outcome) return err(capacityError(outcome.error, errorCorrectionLevel));
  return ok(outcome.svg);
}

/** A PNG image (black on white, `scale` pixels per module) of a QR code of `text`. */
export async function renderQrPng(
  text: string,
  options: QrImageOptions = {},
): Promise<Result<Uint8Array, QrImageError>> {
  const opts = prepare(text, options);
  if (!opts.ok) return opts;
  const { errorCorrectionLevel, margin, scale } = opts.value;
  let png: Uint8Array;
  try {
    png = await QRCode.toBuffer(text, { type: 'png', errorCorrectionLevel, margin, scale });
  } catch (e) {
    return err(capacityError(e, errorCorrectionLevel));
  }
  // A plain Uint8Array copy: callers never see Node's Buffer.
  return ok(new Uint8Array(png));
}
