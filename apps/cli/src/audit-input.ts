/**
 * Reading `acta audit` inputs (issue #6): files are read whole (contests,
 * sample results, ceremonies and CSVs are small), JSON is parsed, and every
 * problem the library reports becomes one usage error (exit 2) naming the
 * file and the place in it — never a stack trace for a user's mistake.
 */
import { readFile } from 'node:fs/promises';
import {
  parseContest,
  parseRiskLimit,
  parseSampleResults,
  type Contest,
  type SampleRound,
} from '@acta/audit';

/** A mistake in how `acta audit` was called, or input it cannot use (exit 2). */
export class AuditUsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'AuditUsageError';
  }
}

/** A place-named problem, as every @acta/audit parser reports them. */
export interface PlacedProblem {
  readonly where: string;
  readonly message: string;
}

/** Throws one usage error listing every problem. */
export function failWith(problems: readonly PlacedProblem[]): never {
  throw new AuditUsageError(problems.map((p) => `${p.where}: ${p.message}`).join('\n'));
}

/** The text of a file, or a usage error naming it. */
export async function readText(path: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (e) {
    throw new AuditUsageError(`cannot read ${path}: ${(e as Error).message}`);
  }
}

/** A JSON file, parsed, or a usage error naming it and what is wrong. */
export async function readJson(path: string): Promise<unknown> {
  const text = await readText(path);
  try {
    return JSON.parse(text) as unknown;
  } catch (e) {
    throw new AuditUsageError(`${path}: not JSON (${(e as Error).message})`);
  }
}

/** A non-negative integer option. */
export function parseCount(name: string, value: string): number {
  if (!/^[0-9]{1,9}$/.test(value)) {
    throw new AuditUsageError(`${name} must be a non-negative integer, got ${value}`);
  }
  return Number(value);
}

/** `--risk-limit PCT`: a percentage in (0, 50], returned as a fraction. */
export function parseRiskLimitOption(value: string): number {
  const n = /^[0-9]+(\.[0-9]+)?$/.test(value) ? Number(value) : Number.NaN;
  const r = parseRiskLimit(n, '--risk-limit');
  if (!r.ok) throw new AuditUsageError(`${r.error.where}: ${r.error.message}`);
  return r.value;
}

/** `--contest FILE`. */
export async function readContest(path: string): Promise<Contest> {
  const r = parseContest(await readJson(path), path);
  if (!r.ok) failWith(r.error);
  return r.value;
}

/** `--sample-results FILE` (absent: no earlier round). */
export async function readSampleResults(
  path: string | undefined,
  contest: Contest,
): Promise<SampleRound[]> {
  if (path === undefined) return [];
  const r = parseSampleResults(await readJson(path), contest, path);
  if (!r.ok) failWith(r.error);
  return r.value;
}
