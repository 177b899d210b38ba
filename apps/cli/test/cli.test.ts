// The acta CLI in-process: help, usage errors (exit 2, one line, no stack
// trace), the demo's JSON report checked against its own invariants, and
// `acta export` of the board the demo kept.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { verifyConsistency, verifyInclusion } from '@acta/board';
import type { BoardConsistency, BoardInclusion } from '@acta/service';
import { runCli, type ElectionDemoReport } from '../src/index.js';
import { captureOutput } from './capture-output.js';

const output = captureOutput();

const argv = (...args: string[]): string[] => ['node', 'acta', ...args];

describe('acta CLI', () => {
  it('prints help with exit 0', async () => {
    expect(await runCli(argv('--help'))).toBe(0);
    expect(output.out()).toContain('Usage: acta');
    expect(output.out()).toContain('demo');
  });

  it.each([
    [['demo', '--voters', 'abc'], 'expected a non-negative integer'],
    [['demo', '--mesas', '0'], '--mesas must be'],
    [['demo', '--trustees', '3', '--quorum', '4'], '--quorum must be'],
    [['demo', '--voters', '0'], '--voters must be'],
    [['demo', '--example', 'lunar'], '--example must be one of national, municipal'],
    [
      [
        'export',
        join(tmpdir(), 'acta-nowhere-out'),
        '--db',
        join(tmpdir(), 'acta-no-such-board.sqlite'),
      ],
      'no board at',
    ],
    [['frobnicate'], 'unknown command'],
  ])('refuses %j with exit 2 and a one-line message', async (args, message) => {
    expect(await runCli(argv(...args))).toBe(2);
    expect(output.err()).toContain(message);
    expect(output.err()).not.toMatch(/\n\s+at /);
  });

  it('runs the demo with --json on a board it keeps, then exports that board', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'acta-cli-'));
    try {
      const db = join(dir, 'board.sqlite');
      const code = await runCli(
        argv(
          'demo',
          '--voters',
          '14',
          '--mesas',
          '3',
          '--trustees',
          '3',
          '--quorum',
          '2',
          '--seed',
          'cli',
          '--db',
          db,
          '--out',
          join(dir, 'record'),
          '--json',
        ),
      );
      expect(code, output.err()).toBe(0);
      const report = JSON.parse(output.out()) as ElectionDemoReport;
      expect(report.counts.registered).toBe(14);
      expect(report.counts.mesas).toBe(3);
      expect(report.counts.cast).toBe(report.counts.checkedIn);
      expect(report.presentTrustees).toEqual([1, 2]);
      expect(report.absentTrustees).toEqual([3]);
      expect(report.checks).toEqual({
        totalsMatchPlaintext: true,
        replayedFromDisk: true,
        findings: 0,
      });
      const [contest] = report.contests;
      expect(contest!.cards).toHaveLength(38);
      const marks = contest!.candidates.reduce((a, c) => a + c.votes, 0);
      expect(marks).toBeLessThanOrEqual(report.counts.cast);
      expect(report.board.treeHead.treeSize).toBe(report.board.entries);
      expect(report.exported?.files).toContain('entries.ndjson');
      const lines = readFileSync(join(dir, 'record', 'entries.ndjson'), 'utf8')
        .trimEnd()
        .split('\n');
      expect(lines).toHaveLength(report.board.entries);

      // The kept board exports again through `acta export`.
      output.reset();
      expect(await runCli(argv('export', join(dir, 'again'), '--db', db, '--json'))).toBe(0);
      const summary = JSON.parse(output.out()) as { entries: number };
      expect(summary.entries).toBe(report.board.entries);
      expect(readFileSync(join(dir, 'again', 'entries.ndjson'), 'utf8')).toBe(
        readFileSync(join(dir, 'record', 'entries.ndjson'), 'utf8'),
      );
      // A voter's receipt: the ballot's inclusion proof against the signed tree head.
      const tracking = JSON.parse(
        readFileSync(join(dir, 'record', 'entries.ndjson'), 'utf8')
          .split('\n')
          .find((l) => l.startsWith('{"type":"ballot"'))!,
      ) as { body: { trackingCode: string } };
      output.reset();
      expect(
        await runCli(
          argv('board', 'proof', '--db', db, '--tracking', tracking.body.trackingCode, '--json'),
        ),
      ).toBe(0);
      const inclusion = JSON.parse(output.out()) as BoardInclusion;
      const head = JSON.parse(readFileSync(join(dir, 'record', 'tree-head.json'), 'utf8')) as {
        rootHash: string;
        treeSize: number;
      };
      expect(inclusion.rootHash).toBe(head.rootHash);
      const check = {
        leafHash: Buffer.from(inclusion.leafHash, 'hex'),
        index: inclusion.index,
        treeSize: inclusion.treeSize,
        proof: inclusion.proof.proof.map((h) => Buffer.from(h, 'hex')),
        root: Buffer.from(head.rootHash, 'hex'),
      };
      expect(verifyInclusion(check).ok).toBe(true);
      expect(verifyInclusion({ ...check, index: check.index + 1 }).ok).toBe(false);
      output.reset();
      expect(
        await runCli(argv('board', 'consistency', '--db', db, '--old-size', '7', '--json')),
      ).toBe(0);
      const consistency = JSON.parse(output.out()) as BoardConsistency;
      expect(
        verifyConsistency({
          oldSize: 7,
          newSize: consistency.newSize,
          oldRoot: Buffer.from(consistency.oldRoot, 'hex'),
          newRoot: Buffer.from(head.rootHash, 'hex'),
          proof: consistency.proof.proof.map((h) => Buffer.from(h, 'hex')),
        }).ok,
      ).toBe(true);
      expect(await runCli(argv('board', 'proof', '--db', db, '--tracking', 'ab'.repeat(32)))).toBe(
        1,
      );
      expect(await runCli(argv('board', 'proof', '--db', db))).toBe(2);

      // A board that exists is never reused by the demo.
      expect(await runCli(argv('demo', '--db', db))).toBe(2);
      expect(output.err()).toContain('already exists');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('runs the municipal example, and mesas without voters', async () => {
    const code = await runCli(
      argv(
        'demo',
        '--example',
        'municipal',
        '--voters',
        '3',
        '--mesas',
        '4',
        '--trustees',
        '2',
        '--quorum',
        '1',
        '--seed',
        'm',
        '--json',
      ),
    );
    expect(code, output.err()).toBe(0);
    const report = JSON.parse(output.out()) as ElectionDemoReport;
    expect(report.contests.length).toBeGreaterThan(1);
    expect(report.checks.totalsMatchPlaintext).toBe(true);
  });
});

describe('acta and the crypto backend', () => {
  const bin = fileURLToPath(new URL('../bin/acta.js', import.meta.url));

  it('says which backend ran, and refuses a backend that does not exist (exit 2, no stack)', () => {
    const ok = spawnSync(
      process.execPath,
      [bin, 'demo', '--voters', '3', '--mesas', '1', '--trustees', '1', '--quorum', '1'],
      {
        encoding: 'utf8',
        env: { ...process.env, ACTA_CRYPTO_BACKEND: 'noble' },
      },
    );
    expect(ok.status, ok.stderr).toBe(0);
    expect(ok.stderr).toContain('crypto backend: noble');
    expect(ok.stdout).toContain('crypto backend noble');

    const bad = spawnSync(process.execPath, [bin, 'demo', '--voters', '2', '--mesas', '1'], {
      encoding: 'utf8',
      env: { ...process.env, ACTA_CRYPTO_BACKEND: 'gpu' },
    });
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain('ACTA_CRYPTO_BACKEND must be "noble" or "native"');
    expect(bad.stderr).not.toMatch(/\n\s+at /);
  });
});
