// The verifier accepts honest records (issue #5, "done when"): records the demo
// writes for several seeds and sizes — national and municipal, 1 to 4
// trustees, quorums with absent trustees, mesas without voters — verify with
// no error, with counts and totals equal to what the demo reports, and the
// same report from the worker pool and from the calling thread. Then, on an
// election driven here with a known authority key: trust anchors (right, wrong,
// absent), older signed tree heads an observer kept, and the export of an
// election in progress (accepted only with `partial`). Last, `readLines`, the
// line splitter `acta verify` reads entries.ndjson with.
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultRng, generateSigningKeyPair, type SigningSecretKey } from '@acta/crypto';
import {
  buildDemoManifest,
  createSignedEntry,
  describeTotals,
  parseManifest,
  type Manifest,
  type ProtocolError,
} from '@acta/protocol';
import {
  ElectionService,
  exportRecord,
  simulateElection,
  type SimulationResult,
} from '@acta/service';
import { openSqliteStore, type BoardStore } from '@acta/store';
import { verifyRecord, type VerificationReport, type VerifyOptions } from '@acta/verifier';
import {
  runCli,
  runElectionDemo,
  type ElectionDemoOptions,
  type ElectionDemoReport,
} from '../src/index.js';
import { createProgress } from '../src/progress.js';
import { readLines, readRecordDir } from '../src/verify-command.js';
import { captureOutput } from './capture-output.js';

let root = '';

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'acta-verify-honest-'));
});

afterAll(() => {
  if (root !== '') rmSync(root, { recursive: true, force: true });
});

async function verifyDir(dir: string, options: VerifyOptions = {}): Promise<VerificationReport> {
  return verifyRecord(await readRecordDir(dir), { workers: 0, ...options });
}

const codes = (r: VerificationReport): string[] => r.errors.map((e) => e.code);
const warningCodes = (r: VerificationReport): string[] => r.warnings.map((w) => w.code);

/** The record's entry lines as plain JSON (read here, independently of the verifier). */
interface RawEntry {
  type: string;
  body: Record<string, unknown>;
}
function rawEntries(dir: string): RawEntry[] {
  return readFileSync(join(dir, 'entries.ndjson'), 'utf8')
    .trimEnd()
    .split('\n')
    .map((l) => JSON.parse(l) as RawEntry);
}

/**
 * The proofs a record must have had checked, counted from its raw JSON:
 * one contest proof per contest of every ballot (cast or spoiled), one
 * selection proof per card, and `quorum` decryption shares per card of every
 * acta's tally — none for a mesa with no cast ballot, whose tally (0, 0) has
 * no share to prove (docs/spec-record.md §5.14 rule 7a).
 */
function expectedProofCounts(
  dir: string,
  quorum: number,
): { contestProofs: number; selectionProofs: number; decryptionShares: number } {
  let contestProofs = 0;
  let selectionProofs = 0;
  let tallied = 0;
  for (const e of rawEntries(dir)) {
    if (e.type === 'ballot') {
      const contests = e.body['contests'] as { encrypted: { selections: unknown[] } }[];
      contestProofs += contests.length;
      for (const c of contests) selectionProofs += c.encrypted.selections.length;
    } else if (e.type === 'acta' && (e.body['counts'] as { cast: number }).cast > 0) {
      for (const t of e.body['tally'] as { ciphertexts: unknown[] }[]) {
        tallied += t.ciphertexts.length;
      }
    }
  }
  return { contestProofs, selectionProofs, decryptionShares: quorum * tallied };
}

function readManifest(dir: string): Manifest {
  const parsed = parseManifest(JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')));
  if (!parsed.ok) throw new Error(`manifest.json: ${parsed.error.message}`);
  return parsed.value;
}

// ---------------------------------------------------------------------------
// Records the demo writes.

const DEMOS: readonly Omit<ElectionDemoOptions, 'out'>[] = [
  { example: 'national', voters: 30, mesas: 3, trustees: 3, quorum: 2, seed: 'honest-1' },
  { example: 'national', voters: 9, mesas: 1, trustees: 1, quorum: 1, seed: 'honest-2' },
  { example: 'national', voters: 40, mesas: 4, trustees: 5, quorum: 3, seed: 'honest-3' },
  { example: 'municipal', voters: 24, mesas: 3, trustees: 4, quorum: 2, seed: 'honest-4' },
  // More mesas than voters: some mesas open and close with no ballot.
  { example: 'municipal', voters: 3, mesas: 4, trustees: 2, quorum: 2, seed: 'honest-5' },
];

describe.each(
  DEMOS.map(
    (d) =>
      [
        `${d.example} ${d.voters}v/${d.mesas}m ${d.quorum}-of-${d.trustees} seed ${d.seed}`,
        d,
      ] as const,
  ),
)('the demo record %s', (_label, options) => {
  let dir = '';
  let demo: ElectionDemoReport;
  let inThread: VerificationReport;

  beforeAll(async () => {
    dir = join(root, options.seed);
    demo = await runElectionDemo({ ...options, out: dir }, createProgress({ quiet: true }));
    inThread = await verifyDir(dir, { workers: 0 });
    // Writing and replaying a record on the noble backend takes tens of
    // seconds on two cores, more when the machine is busy.
  }, 300_000);

  it('verifies: ok, no errors, only the NO_TRUST_ANCHOR warning', () => {
    expect(inThread.errors).toEqual([]);
    expect(inThread.errorCount).toBe(0);
    expect(inThread.ok).toBe(true);
    expect(inThread.complete).toBe(true);
    expect(warningCodes(inThread)).toEqual(['NO_TRUST_ANCHOR']);
    expect(inThread.workers).toBe(0);
  });

  it('checks as many of each thing as the demo reports', () => {
    const c = inThread.checked;
    const n = demo.counts;
    const byType = demo.board.byType;
    expect(inThread.electionId).toBe(demo.electionId);
    expect(inThread.electionHash).toBe(demo.electionHash);
    expect(inThread.entries).toBe(demo.board.entries);
    expect(inThread.treeSize).toBe(demo.board.treeHead.treeSize);
    expect(c.entries).toBe(demo.board.entries);
    expect(c.treeHeads).toBe(1);
    expect(c.trustees).toBe(options.trustees);
    expect(demo.absentTrustees).toHaveLength(options.trustees - options.quorum);
    expect(c.mesas).toBe(n.mesas);
    expect(c.mesasOpened).toBe(n.mesas);
    expect(c.registrations).toBe(n.registered);
    expect(c.revocations).toBe(0);
    expect(c.checkins).toBe(n.checkedIn);
    expect(c.castBallots).toBe(n.cast);
    expect(c.spoiledBallots).toBe(n.spoiled);
    expect(c.ballots).toBe(n.cast + n.spoiled);
    expect(c.actas).toBe(n.mesas);
    expect(c.cosignatures).toBe(byType['acta-cosign']);
    expect(c.mesaResults).toBe(n.mesas);
    expect(c.totals).toBe(1);
    expect(c.refusals).toBe(byType['refusal'] ?? 0);
    expect(byType['decryption']).toBe(n.mesas * options.quorum);
    const proofs = expectedProofCounts(dir, options.quorum);
    expect(c.contestProofs).toBe(proofs.contestProofs);
    expect(c.selectionProofs).toBe(proofs.selectionProofs);
    expect(c.decryptionShares).toBe(proofs.decryptionShares);
    // Every entry's signature, the voter's on each check-in, the QR payload's
    // on each acta, and the one tree head's.
    expect(c.signatures).toBe(c.entries + c.checkins + c.actas + c.treeHeads);
  });

  it("proves the demo's totals (which the demo checked against the plaintext choices)", () => {
    expect(demo.checks.totalsMatchPlaintext).toBe(true);
    expect(inThread.totals).not.toBeNull();
    expect(inThread.totals!.mesas).toBe(demo.counts.mesas);
    const proven = describeTotals(readManifest(dir), inThread.totals!.results);
    expect(proven).toEqual(demo.contests.map(({ matchesPlaintext: _m, ...view }) => view));
    // And totals.json, the copy a reader would open, says the same.
    const copy = JSON.parse(readFileSync(join(dir, 'totals.json'), 'utf8')) as {
      results: unknown;
    };
    expect(copy.results).toEqual(inThread.totals!.results);
  });

  it('gives the same report on 2 worker threads as in this thread', async () => {
    const pooled = await verifyDir(dir, { workers: 2 });
    expect(pooled.workers).toBe(2);
    const { workers: _a, ...onPool } = pooled;
    const { workers: _b, ...onThread } = inThread;
    expect(onPool).toEqual(onThread);
  });

  it("accepts the demo's election hash as a trust anchor (no warning left)", async () => {
    const anchored = await verifyDir(dir, { electionHash: demo.electionHash });
    expect(anchored.errors).toEqual([]);
    expect(anchored.ok).toBe(true);
    expect(anchored.warnings).toEqual([]);
  });
});

// ---------------------------------------------------------------------------
// An election driven here: the authority key is ours (an independent source
// for the anchor), and the record is exported twice — mid-way and at the end.

interface Driven {
  readonly authorityKey: SigningSecretKey;
  readonly electionHash: string;
  readonly sim: SimulationResult;
  /** Exported after voting, with a tree head signed there. */
  readonly partialDir: string;
  /** Exported at the end: three tree heads (after voting, after closing, at the end). */
  readonly fullDir: string;
  readonly partialEntries: number;
  readonly quorum: number;
}

function must<T>(r: { ok: true; value: T } | { ok: false; error: ProtocolError }): T {
  if (!r.ok) throw new Error(`refused: ${r.error.code} at ${r.error.where}: ${r.error.message}`);
  return r.value;
}

async function driveElection(): Promise<Driven> {
  const url = import.meta.resolve('@acta/protocol/examples/municipal.json');
  const example = parseManifest(JSON.parse(readFileSync(fileURLToPath(url), 'utf8')) as unknown);
  if (!example.ok) throw new Error(example.error.message);
  const manifest = buildDemoManifest(example.value, { mesas: 3, seed: 'driven' });
  const authorityKey = generateSigningKeyPair().secretKey;
  const store: BoardStore = await openSqliteStore(join(root, 'driven.sqlite'));
  try {
    const service = await ElectionService.open({ store, authorityKey });
    const quorum = 2;
    const sim = await simulateElection(service, {
      manifest,
      voters: 20,
      trustees: 3,
      quorum,
      absentTrustees: [1],
      seed: 'driven',
      spoilRate: 0.2,
      encryptionThreads: false,
      stopAfter: 'voting',
    });
    // Polls still open: a signed tree head, and the record as it stands.
    await service.signTreeHead();
    const partialDir = join(root, 'driven-partial');
    const partial = await exportRecord(store, partialDir);

    // Then the rest, by hand, as the simulation would: actas and co-signatures…
    const { state } = service;
    const { devices, trustees, witnesses } = sim.parties;
    for (const mesa of state.mesas.values()) {
      const acta = devices.get(mesa.id)!.close(service.now(), state, {
        registered: mesa.registered,
        checkedIn: mesa.checkedIn,
      });
      const receipt = must(await service.submit(acta));
      for (const w of witnesses) {
        const body = { mesa: mesa.id, acta: receipt.leafHash, witnessKey: w.publicKey().toHex() };
        must(await service.submit(createSignedEntry('acta-cosign', service.now(), body, w)));
      }
    }
    await service.signTreeHead();
    // …the present trustees' decryptions, the results, the totals.
    for (const mesa of state.mesas.values()) {
      for (const t of trustees.filter((x) => x.index !== 1)) {
        must(await service.submit(must(t.decrypt(service.now(), state, mesa, defaultRng))));
      }
      must(await service.submit(must(service.authority.mesaResult(service.now(), state, mesa))));
    }
    must(await service.submit(service.authority.totals(service.now(), state)));
    await service.signTreeHead();
    const fullDir = join(root, 'driven-full');
    await exportRecord(store, fullDir);
    return {
      authorityKey,
      electionHash: Buffer.from(state.key!.electionHash).toString('hex'),
      sim,
      partialDir,
      fullDir,
      partialEntries: partial.entries,
      quorum,
    };
  } finally {
    await store.close();
  }
}

describe('an election driven here, exported mid-way and at the end', () => {
  let d: Driven;
  let authorityHex = '';
  let olderHead = '';

  beforeAll(async () => {
    d = await driveElection();
    authorityHex = d.authorityKey.publicKey().toHex();
    olderHead = readFileSync(join(d.partialDir, 'tree-head.json'), 'utf8');
  }, 300_000);

  it('the full record verifies, with totals equal to the voters’ plaintext choices', async () => {
    const r = await verifyDir(d.fullDir);
    expect(r.errors).toEqual([]);
    expect(r.ok).toBe(true);
    expect(r.checked.treeHeads).toBe(3);
    expect(r.checked.castBallots).toBe(d.sim.cast);
    expect(r.checked.spoiledBallots).toBe(d.sim.spoiled);
    expect(r.checked.checkins).toBe(d.sim.checkedIn);
    expect(r.checked.registrations).toBe(d.sim.registered);
    expect(r.checked.decryptionShares).toBe(
      expectedProofCounts(d.fullDir, d.quorum).decryptionShares,
    );
    expect(r.totals).not.toBeNull();
    const byContest = Object.fromEntries(r.totals!.results.map((c) => [c.contest, c.cards]));
    expect(byContest).toEqual(d.sim.expected);
  });

  describe('trust anchors', () => {
    it('the right authority key and election hash pass, with no warning', async () => {
      for (const anchors of [
        { authorityKey: authorityHex, electionHash: d.electionHash },
        { authorityKey: authorityHex },
        { electionHash: d.electionHash },
        // Hex is compared without regard to case.
        { authorityKey: authorityHex.toUpperCase(), electionHash: d.electionHash.toUpperCase() },
      ]) {
        const r = await verifyDir(d.fullDir, anchors);
        expect(r.errors, JSON.stringify(anchors)).toEqual([]);
        expect(r.ok).toBe(true);
        expect(r.warnings).toEqual([]);
        expect(r.authorityKey).toBe(authorityHex);
        expect(r.electionHash).toBe(d.electionHash);
      }
    });

    it('a wrong authority key fails with TRUST_ANCHOR_MISMATCH (and only that)', async () => {
      const other = generateSigningKeyPair().secretKey.publicKey().toHex();
      const r = await verifyDir(d.fullDir, { authorityKey: other });
      expect(r.ok).toBe(false);
      expect(codes(r)).toEqual(['TRUST_ANCHOR_MISMATCH']);
      expect(r.errors[0]!.message).toContain(other);
      expect(r.totals).toBeNull();
    });

    it('a wrong election hash fails with TRUST_ANCHOR_MISMATCH (and only that)', async () => {
      const last = d.electionHash.at(-1) === '0' ? '1' : '0';
      const wrong = `${d.electionHash.slice(0, -1)}${last}`;
      const r = await verifyDir(d.fullDir, { electionHash: wrong });
      expect(r.ok).toBe(false);
      expect(codes(r)).toEqual(['TRUST_ANCHOR_MISMATCH']);
      // Right key, wrong hash: still a mismatch.
      const both = await verifyDir(d.fullDir, { authorityKey: authorityHex, electionHash: wrong });
      expect(codes(both)).toEqual(['TRUST_ANCHOR_MISMATCH']);
    });

    it('no anchor: verifies, with the NO_TRUST_ANCHOR warning', async () => {
      const r = await verifyDir(d.fullDir);
      expect(r.ok).toBe(true);
      expect(warningCodes(r)).toEqual(['NO_TRUST_ANCHOR']);
    });
  });

  describe('older signed tree heads', () => {
    it('the head exported mid-way, kept by an observer, is a prefix of the final record', async () => {
      const r = await verifyDir(d.fullDir, { knownTreeHeads: [olderHead] });
      expect(r.errors).toEqual([]);
      expect(r.ok).toBe(true);
      expect(r.checked.treeHeads).toBe(4);
      expect(JSON.parse(olderHead)).toMatchObject({ treeSize: d.partialEntries });
    });

    it('every head the board published, given as known heads, verifies', async () => {
      const heads = readFileSync(join(d.fullDir, 'tree-heads.ndjson'), 'utf8')
        .trimEnd()
        .split('\n');
      expect(heads).toHaveLength(3);
      expect(heads[0]).toBe(olderHead.trimEnd());
      const r = await verifyDir(d.fullDir, { knownTreeHeads: heads });
      expect(r.errors).toEqual([]);
      expect(r.checked.treeHeads).toBe(6);
    });

    it('the final head, given to the mid-way record, says entries are missing', async () => {
      const finalHead = readFileSync(join(d.fullDir, 'tree-head.json'), 'utf8');
      const r = await verifyDir(d.partialDir, { partial: true, knownTreeHeads: [finalHead] });
      expect(r.ok).toBe(false);
      expect(codes(r)).toEqual(['TREE_HEAD_BEYOND_RECORD']);
    });
  });

  describe('the record of an election in progress', () => {
    it('verifies with partial: true (RECORD_PARTIAL), as far as it goes', async () => {
      const r = await verifyDir(d.partialDir, {
        partial: true,
        authorityKey: authorityHex,
        electionHash: d.electionHash,
      });
      expect(r.errors).toEqual([]);
      expect(r.ok).toBe(true);
      expect(r.complete).toBe(false);
      expect(warningCodes(r)).toEqual(['RECORD_PARTIAL']);
      expect(r.totals).toBeNull();
      expect(r.entries).toBe(d.partialEntries);
      expect(r.treeSize).toBe(d.partialEntries);
      expect(r.checked.castBallots).toBe(d.sim.cast);
      expect(r.checked.spoiledBallots).toBe(d.sim.spoiled);
      expect(r.checked.checkins).toBe(d.sim.checkedIn);
      expect(r.checked.actas).toBe(0);
      expect(r.checked.totals).toBe(0);
    });

    it('fails without it: RECORD_INCOMPLETE (and only that)', async () => {
      const r = await verifyDir(d.partialDir);
      expect(r.ok).toBe(false);
      expect(codes(r)).toEqual(['RECORD_INCOMPLETE']);
    });
  });

  describe('the same through `acta verify` (in-process)', () => {
    const output = captureOutput();
    const verify = (...args: string[]) => runCli(['node', 'acta', 'verify', ...args]);

    it('--authority-key, --election-hash and --tree-head: exit 0, no warning', async () => {
      const headFile = join(root, 'observer-head.json');
      writeFileSync(headFile, olderHead);
      const code = await verify(
        d.fullDir,
        '--workers',
        '0',
        '--authority-key',
        authorityHex,
        '--election-hash',
        d.electionHash,
        '--tree-head',
        headFile,
        '--json',
      );
      expect(code, output.err()).toBe(0);
      const r = JSON.parse(output.out()) as VerificationReport;
      expect(r.ok).toBe(true);
      expect(r.warnings).toEqual([]);
      expect(r.checked.treeHeads).toBe(4);
    });

    it('--partial: exit 0 on the mid-way record, exit 1 without it', async () => {
      expect(
        await verify(d.partialDir, '--workers', '0', '--partial', '--json'),
        output.err(),
      ).toBe(0);
      expect((JSON.parse(output.out()) as VerificationReport).complete).toBe(false);
      output.reset();
      expect(await verify(d.partialDir, '--workers', '0', '--json')).toBe(1);
      expect(codes(JSON.parse(output.out()) as VerificationReport)).toEqual(['RECORD_INCOMPLETE']);
    });
  });
});

// ---------------------------------------------------------------------------
// readLines: how acta verify splits entries.ndjson (splitRecordLines), and
// how the verifier judges the bytes of a line.

describe('readLines', () => {
  const read = async (name: string, content: string | Buffer) => {
    const path = join(root, name);
    writeFileSync(path, content);
    const got: { text: string; terminated: boolean }[] = [];
    for await (const line of readLines(path)) {
      got.push({ text: Buffer.from(line.bytes).toString('utf8'), terminated: line.terminated });
    }
    return got;
  };
  const lines = async (name: string, content: string | Buffer): Promise<string[]> =>
    (await read(name, content)).map((l) => l.text);

  it('splits on \\n only: a \\r stays in its line', async () => {
    expect(await lines('crlf', 'a\r\nb\r\n\r\nc\rd\n')).toEqual(['a\r', 'b\r', '\r', 'c\rd']);
  });

  it('returns a last line without its newline, marked unterminated, and no empty line after a final newline', async () => {
    expect(await read('tail', 'x\ny')).toEqual([
      { text: 'x', terminated: true },
      { text: 'y', terminated: false },
    ]);
    expect(await lines('final', 'x\ny\n')).toEqual(['x', 'y']);
    expect(await lines('blank', '\n\n')).toEqual(['', '']);
    expect(await lines('empty', '')).toEqual([]);
  });

  it('joins lines across 1 MiB read chunks (a newline at either edge, a character split, three chunks)', async () => {
    const MiB = 1 << 20;
    const expected = [
      'a'.repeat(MiB - 1), // its \n is the last byte of chunk 1
      'b'.repeat(MiB), // fills chunk 2; its \n is the first byte of chunk 3
      'é'.repeat(600_000), // 1.2 MB: a 2-byte character straddles chunks 3 and 4
      'x\r',
      'd'.repeat(2 * MiB + MiB / 2), // spans three chunks
      'tail without newline',
    ];
    const content = expected.join('\n');
    const bytes = Buffer.from(content, 'utf8');
    // The construction is what the comments say.
    expect(bytes[MiB - 1]).toBe(0x0a);
    expect(bytes[2 * MiB]).toBe(0x0a);
    expect(bytes[3 * MiB - 1]).toBe(0xc3);
    expect(bytes[3 * MiB]).toBe(0xa9);
    const got = await lines('big', bytes);
    expect(got.map((l) => l.length)).toEqual(expected.map((l) => l.length));
    // Compared as booleans: a diff of megabyte strings helps nobody.
    expect(got.map((l, i) => l === expected[i])).toEqual(expected.map(() => true));
  });
});

describe('the bytes of entries.ndjson', () => {
  let honest = '';
  beforeAll(async () => {
    honest = join(root, 'bytes-honest');
    await runElectionDemo(
      {
        example: 'municipal',
        voters: 6,
        mesas: 1,
        trustees: 1,
        quorum: 1,
        seed: 'bytes',
        out: honest,
      },
      createProgress({ quiet: true }),
    );
  });

  /** A copy of the honest record with entries.ndjson's bytes changed by `edit`. */
  const withEntries = (name: string, edit: (bytes: Buffer) => Buffer): string => {
    const dir = join(root, name);
    cpSync(honest, dir, { recursive: true });
    writeFileSync(join(dir, 'entries.ndjson'), edit(readFileSync(join(honest, 'entries.ndjson'))));
    return dir;
  };
  const lineStart = (bytes: Buffer, line: number): number => {
    let at = 0;
    for (let i = 1; i < line; i++) at = bytes.indexOf(0x0a, at) + 1;
    return at;
  };

  it('refuses a byte order mark at the start of a line (it is not stripped)', async () => {
    const dir = withEntries('bom', (b) => {
      const at = lineStart(b, 5);
      return Buffer.concat([b.subarray(0, at), Buffer.from([0xef, 0xbb, 0xbf]), b.subarray(at)]);
    });
    const r = await verifyDir(dir);
    expect(r.ok).toBe(false);
    // The line's leaf changed too, so the signed root no longer matches.
    expect(r.errors).toContainEqual(
      expect.objectContaining({ code: 'MALFORMED_JSON', where: 'entries.ndjson:5 entries[4]' }),
    );
  });

  it('refuses ill-formed UTF-8 (never replaced by U+FFFD)', async () => {
    const dir = withEntries('utf8', (b) => {
      const copy = Buffer.from(b);
      copy[lineStart(b, 3) + 2] = 0xff;
      return copy;
    });
    const r = await verifyDir(dir);
    // (Later entries that needed the refused one fail too.)
    expect(codes(r)).toContain('TREE_ROOT_MISMATCH');
    expect(r.errors).toContainEqual({
      code: 'MALFORMED_ENTRY',
      where: 'entries.ndjson:3 entries[2]',
      message: 'not well-formed UTF-8',
    });
  });

  it('refuses a file that does not end with a newline', async () => {
    const dir = withEntries('no-final-newline', (b) => b.subarray(0, b.length - 1));
    const r = await verifyDir(dir);
    const last = readFileSync(join(honest, 'entries.ndjson'), 'utf8').trimEnd().split('\n').length;
    expect(codes(r)).toEqual(['MALFORMED_ENTRY']);
    expect(r.errors[0]!.where).toBe(`entries.ndjson:${last}`);
  });
});
