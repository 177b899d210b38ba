/**
 * Reading the inputs of `acta actas reconcile` and `acta forensics report`
 * (issue #7): per-mesa result files in any format @acta/forensics imports
 * (detected from the first bytes when --format is not given), generic-CSV
 * column mappings, and the official bulletins file. Files are read whole (the
 * largest, the Russian zip, is 8 MB). A file that cannot be used at all — not
 * there, unknown format, a mapping that does not parse — is a usage error
 * (exit 2) naming the file; rows the importers skip are not errors: they are
 * returned with the mesas read, so the commands count and list every one.
 */
import { readFile, readdir, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { z } from 'zod';
import {
  decodeActaPhotos,
  decodeVeQrPayloads,
  detectFormat,
  importActaQrPayloads,
  importActaRecord,
  parseDeviceKeyLines,
  importAl2013,
  importGenericCsv,
  importRu2012Csv,
  importRu2012Zip,
  importVe2024,
  type CollectedActa,
  type CsvColumnMapping,
  type ImportProblem,
  type ImportResult,
  type OfficialTotals,
} from '@acta/forensics';

/** A mistake in how a forensics command was called, or input it cannot use (exit 2). */
export class ForensicsUsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ForensicsUsageError';
  }
}

/**
 * Runs a command's body and turns a ForensicsUsageError into its one-line
 * message and exit status 2 (main.ts's handler does not know this class;
 * anything else propagates and stays a bug, exit 3).
 */
export async function runForensicsAction(
  setExit: (code: number) => void,
  body: () => Promise<number>,
): Promise<void> {
  try {
    setExit(await body());
  } catch (e) {
    if (!(e instanceof ForensicsUsageError)) throw e;
    process.stderr.write(`acta: ${e.message}\n`);
    setExit(2);
  }
}

/**
 * Input formats: the importers' formats — `acta` is an exported Acta record
 * (its directory, or its entries.ndjson), `acta-qr` a file of Acta's signed
 * acta QR payloads (checked against `--device-keys`), `photo` a photo of an
 * acta (JPEG or PNG) or a directory of them.
 */
export const INPUT_FORMATS = [
  've2024',
  'ru2012',
  'al2013',
  'csv',
  've-qr',
  'acta',
  'acta-qr',
  'photo',
] as const;
export type InputFormat = (typeof INPUT_FORMATS)[number];

/** `--format NAME`, checked against the formats a command accepts. */
export function parseFormat(
  value: string | undefined,
  allowed: readonly InputFormat[],
): InputFormat | undefined {
  if (value === undefined) return undefined;
  const found = allowed.find((f) => f === value);
  if (found === undefined) {
    throw new ForensicsUsageError(`--format must be one of ${allowed.join(', ')}, got ${value}`);
  }
  return found;
}

/** A file's bytes, or a usage error naming it. */
async function readBytes(path: string): Promise<Uint8Array> {
  try {
    return await readFile(path);
  } catch (e) {
    throw new ForensicsUsageError(`cannot read ${path}: ${(e as Error).message}`);
  }
}

/** A file's text (UTF-8; bytes that are not UTF-8 become U+FFFD and fail as counts or ids). */
async function readText(path: string): Promise<string> {
  return new TextDecoder('utf-8').decode(await readBytes(path));
}

/** A JSON file, parsed, or a usage error naming it. */
async function readJson(path: string): Promise<unknown> {
  const text = await readText(path);
  try {
    return JSON.parse(text) as unknown;
  } catch (e) {
    throw new ForensicsUsageError(`${path}: not JSON (${(e as Error).message})`);
  }
}

/** Zod issues as `FILE [0].votes.NM: message` lines. */
function zodProblems(path: string, error: z.ZodError): string {
  return error.issues
    .map((i) => {
      const at = i.path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`)).join('');
      return `${path} ${at === '' ? '(top level)' : at.replace(/^\./, '')}: ${i.message}`;
    })
    .join('\n');
}

const MAPPING_SCHEMA = z.strictObject({
  id: z.union([z.string().min(1), z.array(z.string().min(1)).min(1)]),
  region: z.array(z.string().min(1)).optional(),
  registered: z.string().min(1).optional(),
  voters: z.string().min(1).optional(),
  valid: z.string().min(1).optional(),
  invalid: z.string().min(1).optional(),
  blank: z.string().min(1).optional(),
  candidates: z.array(z.string().min(1)).min(1),
  ignore: z.array(z.string()).optional(),
  delimiter: z.enum([',', ';', '\t']).optional(),
});

/**
 * `--mapping FILE`: the column mapping of a generic CSV, as JSON:
 * `{"id": "MESA" | ["CENTRE","MESA"], "region": [...], "registered": "RE",
 * "voters": ..., "valid": ..., "invalid": ..., "blank": ..., "candidates":
 * ["A","B"], "ignore": [...], "delimiter": ","}`.
 */
export async function readMapping(path: string): Promise<CsvColumnMapping> {
  const parsed = MAPPING_SCHEMA.safeParse(await readJson(path));
  if (!parsed.success) throw new ForensicsUsageError(zodProblems(path, parsed.error));
  const m = parsed.data;
  if (new Set(m.candidates).size !== m.candidates.length) {
    throw new ForensicsUsageError(`${path} candidates: a column is named twice`);
  }
  return {
    id: m.id,
    candidates: m.candidates,
    ...(m.region !== undefined ? { region: m.region } : {}),
    ...(m.registered !== undefined ? { registered: m.registered } : {}),
    ...(m.voters !== undefined ? { voters: m.voters } : {}),
    ...(m.valid !== undefined ? { valid: m.valid } : {}),
    ...(m.invalid !== undefined ? { invalid: m.invalid } : {}),
    ...(m.blank !== undefined ? { blank: m.blank } : {}),
    ...(m.ignore !== undefined ? { ignore: m.ignore } : {}),
    ...(m.delimiter !== undefined ? { delimiter: m.delimiter } : {}),
  };
}

/** One input file, imported. */
export interface LoadedResults {
  readonly path: string;
  readonly format: InputFormat;
  /** Whether the format was detected (not given with --format). */
  readonly detected: boolean;
  readonly imported: ImportResult;
  /**
   * The actas with their signature status, for sources that carry one (Acta's
   * records, QR payloads and photos); absent for foreign sources (unsigned).
   */
  readonly actas?: readonly CollectedActa[];
}

export interface ReadResultsOptions {
  /** The format, when the user gave one; else detected from the first 64 KiB. */
  readonly format?: InputFormat;
  readonly mapping?: CsvColumnMapping;
  /**
   * QR payload files: keep every copy of a mesa (the reconciliation compares
   * copies) instead of skipping the second as a duplicate.
   */
  readonly keepDuplicates?: boolean;
  /** Acta QR payloads and photos: the mesa device keys (`--device-keys FILE`). */
  readonly deviceKeys?: ReadonlyMap<string, string>;
}

const DETECT_BYTES = 64 * 1024;
const ZIP_MAGIC = [0x50, 0x4b, 0x03, 0x04] as const;

const IMAGE_MAGIC: readonly (readonly number[])[] = [
  [0xff, 0xd8, 0xff], // JPEG
  [0x89, 0x50, 0x4e, 0x47], // PNG
];
const IMAGE_NAME = /\.(jpe?g|png)$/i;

function isImage(bytes: Uint8Array): boolean {
  return IMAGE_MAGIC.some((m) => m.every((b, i) => bytes[i] === b));
}

/**
 * An importer's signed actas as an ImportResult for the analyses: the verified
 * ones are the results; forged and unsigned ones are listed as skipped rows
 * (a forensic test must not read figures nobody can vouch for, and they are
 * still counted), besides the importer's own problems.
 */
function signedResult(
  actas: readonly CollectedActa[],
  rows: number,
  problems: readonly ImportProblem[],
): { imported: ImportResult; actas: readonly CollectedActa[] } {
  const listed: ImportProblem[] = [...problems];
  for (const a of actas) {
    if (a.signature === 'verified') continue;
    listed.push({
      code: a.signature === 'forged' ? 'IMPORT_FORGED' : 'IMPORT_UNSIGNED',
      where: a.result.source,
      message:
        a.signature === 'forged'
          ? `mesa ${a.result.id}: the acta's signature does not check — not used`
          : `mesa ${a.result.id}: no device key known for the mesa (give --device-keys) — not used`,
    });
  }
  const results = actas.filter((a) => a.signature === 'verified').map((a) => a.result);
  return { imported: { results, problems: listed, rows, skipped: rows - results.length }, actas };
}

async function readDeviceKeysFrom(path: string): Promise<ReadonlyMap<string, string>> {
  const { keys, problems } = parseDeviceKeyLines((await readText(path)).split('\n'), path);
  if (problems.length > 0) {
    throw new ForensicsUsageError(problems.map((p) => `${p.where}: ${p.message}`).join('\n'));
  }
  return keys;
}

/** `--device-keys FILE`: lines `<mesa> <64-hex key>` (`#` comments). */
export async function readDeviceKeys(
  path: string | undefined,
): Promise<ReadonlyMap<string, string> | undefined> {
  return path === undefined ? undefined : readDeviceKeysFrom(path);
}

/** An exported Acta record: its directory, or its entries.ndjson (record.json beside it is read when present). */
async function readActaRecord(path: string, isDir: boolean): Promise<LoadedParts> {
  const dir = isDir ? path : dirname(path);
  const entries = isDir ? join(dir, 'entries.ndjson') : path;
  const recordPath = join(dir, 'record.json');
  let recordJson: string | undefined;
  try {
    recordJson = await readFile(recordPath, 'utf8');
  } catch {
    recordJson = undefined; // entries.ndjson alone still carries every signed acta
  }
  const r = importActaRecord(
    {
      ...(recordJson !== undefined ? { recordJson } : {}),
      entryLines: (await readText(entries)).split('\n'),
    },
    { where: entries },
  );
  return signedResult(r.actas, r.rows, r.problems);
}

interface LoadedParts {
  readonly imported: ImportResult;
  readonly actas?: readonly CollectedActa[];
}

/** Photos of actas: one image, or every .jpg/.jpeg/.png of a directory (sorted by name). */
async function readPhotos(
  path: string,
  isDir: boolean,
  deviceKeys: ReadonlyMap<string, string>,
): Promise<LoadedParts> {
  const names = isDir
    ? (await readdir(path)).filter((n) => IMAGE_NAME.test(n)).sort()
    : [basename(path)];
  const dir = isDir ? path : dirname(path);
  const images = [];
  for (const name of names)
    images.push({ name: join(dir, name), bytes: await readBytes(join(dir, name)) });
  if (images.length === 0)
    throw new ForensicsUsageError(`${path}: no .jpg, .jpeg or .png photo in the directory`);
  const r = decodeActaPhotos(images, { acta: { deviceKeys } });
  const problems: ImportProblem[] = [
    ...r.undecodable,
    ...r.inconsistent.map((i) => ({
      code: 'IMPORT_MALFORMED' as const,
      where: i.image,
      message: `${i.code} (${i.kind} QR): ${i.reason}`,
    })),
  ];
  return signedResult(r.actas, r.rows, problems);
}

/** Reads and imports one per-mesa results file (or an Acta record or photo directory). */
export async function readResults(
  path: string,
  options: ReadResultsOptions = {},
): Promise<LoadedResults> {
  const isDir = await stat(path).then(
    (st) => st.isDirectory(),
    (e: unknown) => {
      throw new ForensicsUsageError(`cannot read ${path}: ${(e as Error).message}`);
    },
  );
  const deviceKeys = options.deviceKeys ?? new Map<string, string>();
  if (isDir) {
    const hasEntries = await stat(join(path, 'entries.ndjson')).then(
      (st) => st.isFile(),
      () => false,
    );
    const format = options.format ?? (hasEntries ? 'acta' : 'photo');
    if (format !== 'acta' && format !== 'photo') {
      throw new ForensicsUsageError(
        `${path} is a directory: an Acta record (acta) or photos of actas (photo), not ${format}`,
      );
    }
    const parts =
      format === 'acta'
        ? await readActaRecord(path, true)
        : await readPhotos(path, true, deviceKeys);
    return { path, format, detected: options.format === undefined, ...parts };
  }
  const bytes = await readBytes(path);
  if (bytes.length === 0) throw new ForensicsUsageError(`${path} is empty`);
  let format = options.format;
  const detected = format === undefined;
  const text = (): string => new TextDecoder('utf-8').decode(bytes);
  if (format === undefined) {
    const found = isImage(bytes) ? 'photo' : detectFormat(bytes.subarray(0, DETECT_BYTES));
    if (found === null) {
      throw new ForensicsUsageError(
        `cannot tell the format of ${path} from its first line: give --format (${INPUT_FORMATS.join(', ')})`,
      );
    }
    // detectFormat says `acta` for both a record's entries and QR payload lines.
    format = found === 'acta' && text().startsWith('ACTA1!') ? 'acta-qr' : found;
  }
  let imported: ImportResult;
  switch (format) {
    case 've2024':
      imported = importVe2024(text(), path);
      break;
    case 'ru2012':
      imported = ZIP_MAGIC.every((b, i) => bytes[i] === b)
        ? importRu2012Zip(bytes, path)
        : importRu2012Csv(text(), path);
      break;
    case 'al2013':
      imported = importAl2013(text(), path);
      break;
    case 'csv':
      if (options.mapping === undefined) {
        throw new ForensicsUsageError(
          `${path} is a CSV of no known layout: give its columns with --mapping FILE`,
        );
      }
      imported = importGenericCsv(text(), options.mapping, path);
      break;
    case 've-qr':
      imported = decodeVeQrPayloads(text().split('\n'), path, {
        duplicates: options.keepDuplicates === true ? 'keep' : 'skip',
      });
      break;
    case 'acta':
      return { path, format, detected, ...(await readActaRecord(path, false)) };
    case 'acta-qr': {
      const r = importActaQrPayloads(text().split('\n'), path, { deviceKeys });
      const inconsistent = r.inconsistent.map((f) => ({
        code: 'IMPORT_MALFORMED' as const,
        where: f.source,
        message: `mesa ${f.mesa}: ${f.code}: ${f.reason}`,
      }));
      return {
        path,
        format,
        detected,
        ...signedResult(r.actas, r.rows, [...r.problems, ...inconsistent]),
      };
    }
    case 'photo':
      return { path, format, detected, ...(await readPhotos(path, false, deviceKeys)) };
    default: {
      const never: never = format;
      throw new Error(`unhandled format ${String(never)}`);
    }
  }
  return { path, format, detected, imported };
}

const BULLETIN_SCHEMA = z.array(
  z.strictObject({
    label: z.string().min(1),
    coverage: z.number().optional(),
    votes: z.record(z.string().min(1), z.number()),
    valid: z.number().optional(),
    invalid: z.number().optional(),
    percentages: z.record(z.string().min(1), z.string()).optional(),
  }),
);

/**
 * `--official-totals FILE`: official bulletins without per-mesa figures, as
 * JSON `[{label, coverage?, votes: {KEY: n}, valid?, invalid?, percentages?:
 * {KEY: "51.20"}}]`, in publication order. Only the shape is checked here; the
 * reconciliation checks every figure (a count that is not one is a finding).
 */
export async function readBulletins(path: string): Promise<OfficialTotals[]> {
  const parsed = BULLETIN_SCHEMA.safeParse(await readJson(path));
  if (!parsed.success) throw new ForensicsUsageError(zodProblems(path, parsed.error));
  return parsed.data.map((b) => ({
    label: b.label,
    votes: new Map(Object.entries(b.votes)),
    ...(b.coverage !== undefined ? { coverage: b.coverage } : {}),
    ...(b.valid !== undefined ? { valid: b.valid } : {}),
    ...(b.invalid !== undefined ? { invalid: b.invalid } : {}),
    ...(b.percentages !== undefined ? { percentages: new Map(Object.entries(b.percentages)) } : {}),
  }));
}

/** A non-negative integer option (`--registered-total`, `--draws`, …). */
export function parseCountOption(name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (!/^[0-9]{1,15}$/.test(value) || !Number.isSafeInteger(Number(value))) {
    throw new ForensicsUsageError(`${name} must be a non-negative integer, got ${value}`);
  }
  return Number(value);
}

/**
 * A value made JSON-ready: Maps become objects, typed arrays arrays, and
 * non-finite numbers (a statistic of no data is NaN) null — JSON.stringify
 * would otherwise write `{}` for a Map and drop nothing but mislead.
 */
export function toJsonValue(value: unknown): unknown {
  if (value instanceof Map) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of value as Map<unknown, unknown>) out[String(k)] = toJsonValue(v);
    return out;
  }
  if (ArrayBuffer.isView(value) && !(value instanceof DataView)) {
    return Array.from(value as unknown as ArrayLike<number>, (x) => toJsonValue(x));
  }
  if (Array.isArray(value)) return value.map((v) => toJsonValue(v));
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = toJsonValue(v);
    return out;
  }
  return value;
}
