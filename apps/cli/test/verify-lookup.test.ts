// What a voter can check with `acta verify --credential/--tracking`
// (docs/spec-verifier.md §1.3): a credential's registration and check-in are
// listed with their mesa and entry; a registered voter who did not vote has no
// check-in; a key never registered and a receipt whose ballot is missing are
// said so; tracking codes are found from their hex, display and receipt-QR
// forms; a spoiled ballot is found as spoiled; a ballot that fails the
// verification is listed as not accepted; and the CLI says all of it in words.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { formatTrackingCode } from '@acta/protocol';
import { verifyRecord, type VerificationReport } from '@acta/verifier';
import { runCli, runElectionDemo } from '../src/index.js';
import { createProgress } from '../src/progress.js';
import { readRecordDir } from '../src/verify-command.js';

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
    const r = indexOf(
      (e) => e.type === 'registration' && !checkedIn.has(e.body['credentialKey']),
    );
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
});
