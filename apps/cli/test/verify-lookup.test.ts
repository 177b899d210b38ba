// What a voter can check with `acta verify --credential/--tracking`
// (docs/spec-verifier.md §1.3): a credential's registration and check-in are
// listed with their mesa and entry; a registered voter who did not vote has no
// check-in; a key never registered and a receipt whose ballot is missing are
// said so; tracking codes are found from their hex, display and receipt-QR
// forms; a spoiled ballot is found as spoiled; a ballot that fails the
// verification is listed as not accepted (even when no error is listed); a
// refused check-in with the credential is listed; and the CLI says it in words.
// Then other options: the actas' co-signers, the base hash as trust anchor, a
// tree head that cannot be checked, --max-errors.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { defaultRng, generateSigningKeyPair } from '@acta/crypto';
import {
  buildDemoManifest,
  formatTrackingCode,
  parseManifest,
  type Manifest,
} from '@acta/protocol';
import { ElectionService, exportRecord, simulateElection } from '@acta/service';
import { openSqliteStore } from '@acta/store';
import { verifyRecord, type VerificationReport } from '@acta/verifier';
import { runCli, runElectionDemo } from '../src/index.js';
import { createProgress } from '../src/progress.js';
import { readRecordDir } from '../src/verify-command.js';

function municipal(): Manifest {
  const url = new URL('../../../libs/protocol/examples/municipal.json', import.meta.url);
  const m = parseManifest(JSON.parse(readFileSync(url, 'utf8')) as unknown);
  if (!m.ok) throw new Error(m.error.message);
  return m.value;
}

interface Raw {
  type: string;
  body: Record<string, unknown>;
}

let dir = '';
let entries: Raw[] = [];
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'acta-verify-lookup-'));
  await runElectionDemo(
    {
      example: 'municipal',
      voters: 30,
      mesas: 2,
      trustees: 3,
      quorum: 2,
      seed: 'lookup',
      out: join(dir, 'record'),
    },
    createProgress({ quiet: true }),
  );
  entries = readFileSync(join(dir, 'record', 'entries.ndjson'), 'utf8')
    .trimEnd()
    .split('\n')
    .map((l) => JSON.parse(l) as Raw);
}, 120_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function look(
  record: string,
  credentials: string[],
  trackingCodes: string[],
): Promise<VerificationReport> {
  return verifyRecord(await readRecordDir(record), {
    workers: 0,
    lookup: { credentials, trackingCodes },
  });
}

const indexOf = (pred: (e: Raw) => boolean): number => entries.findIndex(pred);

describe('voter lookups', () => {
  it('list a voter’s registration and check-in, and nothing for a voter who did not vote', async () => {
    const c = indexOf((e) => e.type === 'checkin');
    const voter = entries[c]!.body['credentialKey'] as string;
    const checkedIn = new Set(
      entries.filter((e) => e.type === 'checkin').map((e) => e.body['credentialKey']),
    );
    const r = indexOf((e) => e.type === 'registration' && !checkedIn.has(e.body['credentialKey']));
    expect(r).toBeGreaterThan(0);
    const abstainer = entries[r]!.body['credentialKey'] as string;
    const report = await look(
      join(dir, 'record'),
      [voter.toUpperCase(), abstainer, 'ab'.repeat(32), 'nope'],
      [],
    );
    expect(report.ok).toBe(true);
    const [v, a, unknown, bad] = report.lookups;
    const reg = indexOf((e) => e.type === 'registration' && e.body['credentialKey'] === voter);
    expect(v!.normalized).toBe(voter);
    expect(v!.found).toEqual([
      { entry: reg, type: 'registration', mesa: entries[reg]!.body['mesa'], accepted: true },
      { entry: c, type: 'checkin', mesa: entries[c]!.body['mesa'], accepted: true },
    ]);
    expect(a!.found.map((h) => h.type)).toEqual(['registration']);
    expect(unknown!.found).toEqual([]);
    expect(bad!.normalized).toBeNull();
  });

  it('find a ballot by every form of its tracking code, cast or spoiled', async () => {
    const cast = indexOf((e) => e.type === 'ballot' && e.body['disposition'] === 'cast');
    const spoiled = indexOf((e) => e.type === 'ballot' && e.body['disposition'] === 'spoiled');
    const b = entries[cast]!.body;
    const code = b['trackingCode'] as string;
    const qr = `ACTA1R:x:${b['mesa'] as string}:${b['sequence'] as number}:${code}`;
    const forms = [
      code,
      code.toUpperCase(),
      formatTrackingCode(code),
      formatTrackingCode(code).toLowerCase(),
      qr,
    ];
    const queries = [...forms, 'ZZZZ-ZZZZ-ZZZZ-ZZZZ'];
    if (spoiled >= 0) queries.push(entries[spoiled]!.body['trackingCode'] as string);
    const report = await look(join(dir, 'record'), [], queries);
    for (const l of report.lookups.slice(0, forms.length)) {
      expect(l.found).toEqual([
        {
          entry: cast,
          type: 'ballot',
          mesa: b['mesa'],
          sequence: b['sequence'],
          disposition: 'cast',
          trackingCode: code,
          accepted: true,
        },
      ]);
    }
    expect(report.lookups[forms.length]!.found).toEqual([]);
    if (spoiled >= 0) {
      expect(report.lookups[forms.length + 1]!.found[0]!.disposition).toBe('spoiled');
    }
  });

  it('mark a looked-up ballot that fails the verification as not accepted', async () => {
    const tampered = join(dir, 'tampered');
    const cast = indexOf((e) => e.type === 'ballot' && e.body['disposition'] === 'cast');
    const lines = readFileSync(join(dir, 'record', 'entries.ndjson'), 'utf8').split('\n');
    const e = JSON.parse(lines[cast]!) as { body: { style: string } };
    e.body.style = `${e.body.style}x`;
    lines[cast] = JSON.stringify(e);
    const { cpSync } = await import('node:fs');
    cpSync(join(dir, 'record'), tampered, { recursive: true });
    writeFileSync(join(tampered, 'entries.ndjson'), lines.join('\n'));
    const report = await look(tampered, [], [entries[cast]!.body['trackingCode'] as string]);
    expect(report.ok).toBe(false);
    expect(report.lookups[0]!.found[0]!.accepted).toBe(false);
  });

  it('are said in words by acta verify', async () => {
    const c = indexOf((e) => e.type === 'checkin');
    const voter = entries[c]!.body['credentialKey'] as string;
    const out: string[] = [];
    const spy = vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
      out.push(String(chunk));
      return true;
    });
    let status: number;
    try {
      status = await runCli([
        'node',
        'acta',
        'verify',
        join(dir, 'record'),
        '--workers',
        '0',
        '--credential',
        voter,
        '--tracking',
        'ZZZZ-ZZZZ-ZZZZ-ZZZZ',
      ]);
    } finally {
      spy.mockRestore();
    }
    const text = out.join('');
    expect(status).toBe(0);
    expect(text).toContain(
      `this credential checked in at mesa ${entries[c]!.body['mesa'] as string} (entry ${c})`,
    );
    expect(text).toContain('NOT in the record: if this is your receipt, your ballot is missing');
  });

  it('count a ballot as accepted only if nothing failed at it, however few errors are listed', async () => {
    const tampered = join(dir, 'tampered-sig');
    const cast = indexOf((e) => e.type === 'ballot' && e.body['disposition'] === 'cast');
    const lines = readFileSync(join(dir, 'record', 'entries.ndjson'), 'utf8').split('\n');
    const e = JSON.parse(lines[cast]!) as { body: { signature: string } };
    e.body.signature = `${e.body.signature.slice(0, -2)}${e.body.signature.endsWith('00') ? '01' : '00'}`;
    lines[cast] = JSON.stringify(e);
    const { cpSync } = await import('node:fs');
    cpSync(join(dir, 'record'), tampered, { recursive: true });
    writeFileSync(join(tampered, 'entries.ndjson'), lines.join('\n'));
    const report = await verifyRecord(await readRecordDir(tampered), {
      workers: 0,
      maxErrors: 0,
      lookup: { trackingCodes: [entries[cast]!.body['trackingCode'] as string] },
    });
    expect(report.errors).toEqual([]);
    expect(report.errorCount).toBeGreaterThan(0);
    expect(report.lookups[0]!.found[0]!.accepted).toBe(false);
  });

  it('list the refused attempts to check in with a credential', async () => {
    // A second check-in with a card that already voted is refused by the
    // board and recorded (a refusal entry naming the card's key): the card's
    // holder sees that someone tried to vote in their name.
    const store = await openSqliteStore(join(dir, 'refusal.sqlite'));
    const authority = generateSigningKeyPair().secretKey;
    const service = await ElectionService.open({ store, authorityKey: authority });
    const sim = await simulateElection(service, {
      manifest: buildDemoManifest(municipal(), { mesas: 1, seed: 'refusal' }),
      voters: 6,
      trustees: 1,
      quorum: 1,
      seed: 'refusal',
      deterministicCrypto: true,
      stopAfter: 'voting',
    });
    const state = service.state;
    const card = sim.parties.cards.find((c) => state.credentials.get(c.publicKey)?.checkedIn)!;
    const pollBook = sim.parties.pollBooks.get(card.mesa)!;
    const again = await service.submit(
      pollBook.checkin(service.now(), state.election!.id, card, pollBook.challenge(defaultRng)),
    );
    expect(again.ok).toBe(false);
    await service.signTreeHead();
    await exportRecord(store, join(dir, 'refusal'));
    await store.close();
    const report = await verifyRecord(await readRecordDir(join(dir, 'refusal')), {
      workers: 0,
      partial: true,
      lookup: { credentials: [card.publicKey] },
    });
    expect(report.ok).toBe(true);
    expect(report.lookups[0]!.found.map((h) => [h.type, h.mesa, h.accepted])).toEqual([
      ['registration', card.mesa, true],
      ['checkin', card.mesa, true],
      ['refusal', card.mesa, true],
    ]);
  });
});

describe('other verifier options', () => {
  it('name, per acta, the witnesses who co-signed it', async () => {
    const report = await verifyRecord(await readRecordDir(join(dir, 'record')), { workers: 0 });
    const names = new Map(
      entries.filter((e) => e.type === 'witness').map((e) => [e.body['key'], e.body['name']]),
    );
    const actas = entries.flatMap((e, i) => (e.type === 'acta' ? [i] : []));
    expect(report.actas.map((a) => a.entry)).toEqual(actas);
    for (const a of report.actas) {
      const leaf = entries.filter((e) => e.type === 'acta-cosign' && e.body['mesa'] === a.mesa);
      expect(a.witnesses).toEqual(leaf.map((e) => names.get(e.body['witnessKey'])).sort());
      expect(a.witnesses.length).toBeGreaterThan(0);
    }
  });

  it('take the base hash as a trust anchor', async () => {
    const record = join(dir, 'record');
    const election = entries[0]!.body as { baseHash: string };
    const right = await verifyRecord(await readRecordDir(record), {
      workers: 0,
      baseHash: election.baseHash.toUpperCase(),
    });
    expect(right.ok).toBe(true);
    expect(right.warnings.map((w) => w.code)).not.toContain('NO_TRUST_ANCHOR');
    const wrong = await verifyRecord(await readRecordDir(record), {
      workers: 0,
      baseHash: 'ab'.repeat(32),
    });
    expect(wrong.errors).toEqual([
      expect.objectContaining({
        code: 'TRUST_ANCHOR_MISMATCH',
        where: 'entries.ndjson:1 entries[0].body.baseHash',
      }),
    ]);
  });

  it('never count a tree head whose signature cannot be checked', async () => {
    // No election entry, so no authority key: a head with a zero signature
    // over an empty log is not evidence of anything.
    const head = JSON.stringify({
      logId: 'x',
      treeSize: 0,
      rootHash: 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
      timestamp: 1,
      signature: '00'.repeat(64),
    });
    const report = await verifyRecord(
      { files: { 'tree-heads.ndjson': `${head}\n` }, entryLines: [] },
      { workers: 0, partial: true },
    );
    expect(report.ok).toBe(false);
    expect(report.checked.treeHeads).toBe(0);
    expect(report.errors).toContainEqual(
      expect.objectContaining({
        code: 'TREE_HEAD_SIGNATURE',
        where: 'tree-heads.ndjson:1 treeHead.signature',
      }),
    );
  });

  it('accept --max-errors above the worker limit, and refuse a non-number', async () => {
    const err: string[] = [];
    const spy = vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => {
      err.push(String(chunk));
      return true;
    });
    const out = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    try {
      const record = join(dir, 'record');
      const base = ['node', 'acta', 'verify', record, '--workers', '0', '--json'];
      expect(await runCli([...base, '--max-errors', '2000'])).toBe(0);
      expect(await runCli([...base, '--max-errors', 'lots'])).toBe(2);
    } finally {
      spy.mockRestore();
      out.mockRestore();
    }
    expect(err.join('')).toContain('--max-errors must be an integer');
  });
});
