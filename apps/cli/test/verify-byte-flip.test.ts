// The verifier fails cleanly on damaged records (issue #5, "the tamper suite",
// last item): from one small honest record — reproducible byte for byte
// (seeded crypto, fixed clock), with spoiled ballots so their openings are in
// it — one random byte of one file is XORed with a random non-zero mask, for
// every file and 40 seeds each, and `readRecordDir` + `verifyRecord` must
// return ok === false with an error, never pass and never throw. Each file
// deleted in turn must fail with RECORD_FILE_MISSING. Then the real binary
// (`node apps/cli/bin/acta.js verify`): exit 0 on the honest record, 1 on a
// flipped one (JSON report on stdout, no stack trace), 2 with a one-line
// message for a missing or empty directory and a bad --workers.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSeededRng, generateSigningKeyPair } from '@acta/crypto';
import { buildDemoManifest, parseManifest, type Manifest } from '@acta/protocol';
import { ElectionService, exportRecord, simulateElection } from '@acta/service';
import { openSqliteStore } from '@acta/store';
import { RECORD_FILES, verifyRecord, type VerificationReport } from '@acta/verifier';
import { readRecordDir } from '../src/verify-command.js';

/** Flips per file: enough to reach every kind of field of every file over time. */
const SEEDS_PER_FILE = 40;
const SEED = 'byte-flip';

let root = '';
/** The honest record (never modified). */
let honest = '';
/** The original bytes of each file, and a digest to confirm a replay uses the same record. */
const original = new Map<string, Buffer>();
const digests = new Map<string, string>();

function loadExample(name: string): Manifest {
  const url = import.meta.resolve(`@acta/protocol/examples/${name}`);
  const parsed = parseManifest(JSON.parse(readFileSync(fileURLToPath(url), 'utf8')) as unknown);
  if (!parsed.ok) throw new Error(`example ${name}: ${parsed.error.message}`);
  return parsed.value;
}

/**
 * The municipal example (several contests, two ballot styles), 3 trustees of
 * whom 2 decrypt, half the voters spoiling a ballot first. Keys, nonces and
 * the clock are seeded, so the same seed always yields the same bytes.
 */
async function buildHonestRecord(dir: string, dbPath: string): Promise<void> {
  const manifest = buildDemoManifest(loadExample('municipal.json'), {
    mesas: 2,
    seed: SEED,
  });
  const store = await openSqliteStore(dbPath);
  let tick = 1_700_000_000_000;
  const service = await ElectionService.open({
    store,
    authorityKey: generateSigningKeyPair(createSeededRng(`${SEED}/authority`)).secretKey,
    clock: () => (tick += 7),
  });
  await simulateElection(service, {
    manifest,
    voters: 8,
    trustees: 3,
    quorum: 2,
    absentTrustees: [2],
    seed: SEED,
    deterministicCrypto: true,
    spoilRate: 0.5,
  });
  await service.flush();
  await exportRecord(store, dir);
  await store.close();
}

/** A small seeded PRNG (mulberry32 over an FNV-1a hash of the seed string). */
function prng(seed: string): () => number {
  let h = 0x811c9dc5;
  for (let i = 0; i < seed.length; i++) h = Math.imul(h ^ seed.charCodeAt(i), 0x01000193);
  let a = h >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  };
}

interface Flip {
  readonly file: string;
  readonly seed: number;
  readonly offset: number;
  readonly mask: number;
}

/** The flip a (file, seed) pair names: one offset, one mask in 1…255. */
function flipFor(file: string, seed: number): Flip {
  const size = original.get(file)!.length;
  const next = prng(`${SEED}/${file}/${seed}`);
  return {
    file,
    seed,
    offset: Math.floor(next() * size),
    mask: 1 + Math.floor(next() * 255),
  };
}

/** A copy of the honest record with one byte flipped, in a fresh directory. */
function writeFlipped(flip: Flip): string {
  const dir = join(root, `flip-${flip.file}-${flip.seed}`);
  cpSync(honest, dir, { recursive: true });
  const bytes = Buffer.from(original.get(flip.file)!);
  bytes[flip.offset] = bytes[flip.offset]! ^ flip.mask;
  writeFileSync(join(dir, flip.file), bytes);
  return dir;
}

function describeFlip(f: Flip): string {
  const before = original.get(f.file)![f.offset]!;
  return (
    `seed ${f.seed}: ${f.file} (sha256 ${digests.get(f.file)}) offset ${f.offset} ` +
    `mask 0x${f.mask.toString(16).padStart(2, '0')} ` +
    `(byte 0x${before.toString(16)} -> 0x${(before ^ f.mask).toString(16)})`
  );
}

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'acta-byte-flip-'));
  honest = join(root, 'honest');
  await buildHonestRecord(honest, join(root, 'board.sqlite'));
  for (const name of RECORD_FILES) {
    const bytes = readFileSync(join(honest, name));
    original.set(name, bytes);
    digests.set(name, createHash('sha256').update(bytes).digest('hex').slice(0, 16));
  }
});

afterAll(() => {
  if (root !== '') rmSync(root, { recursive: true, force: true });
});

describe('the honest record the flips start from', () => {
  it('verifies, has every file, and holds spoiled ballots and an absent trustee', async () => {
    const report = await verifyRecord(await readRecordDir(honest), { workers: 0 });
    expect(report.errors).toEqual([]);
    expect(report.ok).toBe(true);
    expect(report.complete).toBe(true);
    expect(report.checked.spoiledBallots).toBeGreaterThan(0);
    expect(report.checked.castBallots).toBeGreaterThan(0);
    expect(report.checked.trustees).toBe(3);
    for (const name of RECORD_FILES) expect(original.get(name)!.length).toBeGreaterThan(0);
  });
});

describe('one flipped byte in any file fails the record, cleanly', () => {
  it.each(RECORD_FILES.map((f) => [f]))(
    `%s: ${SEEDS_PER_FILE} seeded flips (readRecordDir + verifyRecord, workers 0)`,
    async (file) => {
      // Every flip runs; the failures are collected so one run names them all.
      const problems: string[] = [];
      for (let seed = 0; seed < SEEDS_PER_FILE; seed++) {
        const flip = flipFor(file, seed);
        const dir = writeFlipped(flip);
        let report: VerificationReport;
        try {
          report = await verifyRecord(await readRecordDir(dir), { workers: 0 });
        } catch (e) {
          problems.push(`${describeFlip(flip)} THREW ${String((e as Error).stack ?? e)}`);
          continue;
        } finally {
          rmSync(dir, { recursive: true, force: true });
        }
        if (report.ok || report.errors.length === 0 || report.errorCount < 1) {
          problems.push(
            `${describeFlip(flip)} PASSED (ok ${report.ok}, ${report.errors.length} errors)`,
          );
          continue;
        }
        for (const e of report.errors) {
          if (
            typeof e.code !== 'string' ||
            typeof e.where !== 'string' ||
            typeof e.message !== 'string' ||
            e.code.length === 0
          ) {
            problems.push(`${describeFlip(flip)} malformed issue ${JSON.stringify(e)}`);
          }
        }
        // A verdict of "failed" must not come with proven totals.
        if (report.totals !== null) problems.push(`${describeFlip(flip)} reported totals`);
      }
      expect(problems).toEqual([]);
    },
  );
});

describe('a missing file fails the record', () => {
  it.each(RECORD_FILES.map((f) => [f]))('without %s: RECORD_FILE_MISSING', async (file) => {
    const dir = join(root, `missing-${file}`);
    cpSync(honest, dir, { recursive: true });
    rmSync(join(dir, file));
    try {
      const report = await verifyRecord(await readRecordDir(dir), { workers: 0 });
      expect(report.ok).toBe(false);
      expect(report.errors.length).toBeGreaterThan(0);
      expect(
        report.errors.filter((e) => e.code === 'RECORD_FILE_MISSING').map((e) => e.where),
      ).toContain(file);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('acta verify, the real binary', () => {
  const bin = fileURLToPath(new URL('../bin/acta.js', import.meta.url));
  const run = (...args: string[]) =>
    spawnSync(process.execPath, [bin, 'verify', ...args], { encoding: 'utf8' });
  const noStack = /\n\s+at /;

  it('exits 0 on the honest record (summary, and --json)', () => {
    const text = run(honest, '--workers', '0');
    expect(text.status, text.stderr).toBe(0);
    expect(text.stdout).toContain('VERIFIED');
    const json = run(honest, '--json');
    expect(json.status, json.stderr).toBe(0);
    const report = JSON.parse(json.stdout) as VerificationReport;
    expect(report.ok).toBe(true);
    expect(report.errors).toEqual([]);
  });

  it('exits 1 on a flipped record: the JSON report on stdout, no stack trace', () => {
    const flip = flipFor('entries.ndjson', 0);
    const dir = writeFlipped(flip);
    try {
      const json = run(dir, '--json');
      expect(json.status, `${describeFlip(flip)}\n${json.stderr}`).toBe(1);
      expect(json.stderr).not.toMatch(noStack);
      const report = JSON.parse(json.stdout) as {
        ok: unknown;
        checked: Record<string, unknown>;
        errors: { code: unknown; where: unknown; message: unknown }[];
      };
      expect(report.ok).toBe(false);
      expect(typeof report.checked).toBe('object');
      expect(typeof report.checked['entries']).toBe('number');
      expect(report.errors.length).toBeGreaterThan(0);
      for (const e of report.errors) {
        expect(Object.keys(e).sort()).toEqual(['code', 'message', 'where']);
        expect(typeof e.code).toBe('string');
        expect(typeof e.where).toBe('string');
        expect(typeof e.message).toBe('string');
      }
      const text = run(dir, '--workers', '0');
      expect(text.status).toBe(1);
      expect(text.stdout).toContain('FAILED');
      expect(text.stderr).not.toMatch(noStack);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it.each([
    ['a missing directory', () => [join(root, 'no-such-record')], 'is not a directory'],
    [
      'an empty directory',
      () => {
        const empty = join(root, 'empty');
        mkdirSync(empty, { recursive: true });
        return [empty];
      },
      'holds no record',
    ],
    ['--workers abc', () => [honest, '--workers', 'abc'], '--workers must be an integer'],
  ])('exits 2 for %s, with a one-line message', (_name, args, message) => {
    const r = run(...args());
    expect(r.status, r.stderr).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain(message);
    expect(r.stderr).not.toMatch(noStack);
    expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
  });
});
