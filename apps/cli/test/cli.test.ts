// The acta CLI in-process: help, usage errors (exit 2, one line, no stack
// trace), and the demo's JSON report checked against its own invariants.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { runCli, runDemoElection, type DemoReport } from '../src/index.js';

let out = '';
let errText = '';

beforeEach(() => {
  out = '';
  errText = '';
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    out += String(chunk);
    return true;
  });
  vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
    errText += String(chunk);
    return true;
  });
});

afterEach(() => {
  vi.restoreAllMocks();
});

const argv = (...args: string[]): string[] => ['node', 'acta', ...args];

describe('acta CLI', () => {
  it('prints help with exit 0', async () => {
    expect(await runCli(argv('--help'))).toBe(0);
    expect(out).toContain('Usage: acta');
    expect(out).toContain('demo');
  });

  it.each([
    [['demo', '--voters', 'abc'], 'expected a non-negative integer'],
    [['demo', '--voters', '10', '--mesas', '11'], '--mesas must be'],
    [['demo', '--trustees', '3', '--quorum', '4'], '--quorum must be'],
    [['demo', '--voters', '0'], '--voters must be'],
    [['frobnicate'], 'unknown command'],
  ])('refuses %j with exit 2 and a one-line message', async (args, message) => {
    expect(await runCli(argv(...args))).toBe(2);
    expect(errText).toContain(message);
    expect(errText).not.toMatch(/\n\s+at /);
  });

  it('runs the demo with --json: one JSON document whose totals are the sum of the mesas', async () => {
    expect(
      await runCli(
        argv(
          'demo',
          '--voters',
          '12',
          '--mesas',
          '3',
          '--trustees',
          '3',
          '--quorum',
          '2',
          '--seed',
          'cli',
          '--json',
        ),
      ),
    ).toBe(0);
    const report = JSON.parse(out) as DemoReport;
    expect(report.ballots).toBe(12);
    expect(report.mesas).toHaveLength(3);
    expect(report.presentTrustees).toHaveLength(2);
    expect(report.absentTrustees).toHaveLength(1);
    report.cardTotals.forEach((card, c) => {
      expect(card.votes).toBe(report.mesas.reduce((s, m) => s + m.cardVotes[c]!, 0));
    });
    const valid = report.candidateTotals.reduce((s, c) => s + c.votes, 0);
    expect(valid + report.blankBallots).toBe(12);
    expect(report.checks.totalsMatchPlaintext).toBe(true);
    expect(report.checks.selectionProofsVerified).toBe(12 * 38);
    expect(report.checks.decryptionSharesVerified).toBe(3 * 38 * 2);
  });
});

describe('demo election', () => {
  it('is reproducible from its seed and differs across seeds', () => {
    const quiet = {
      step: () => ({ tick: () => undefined, done: () => undefined }),
      note: () => undefined,
    };
    const options = { voters: 6, mesas: 2, trustees: 2, quorum: 2, seed: 's1' };
    const a = runDemoElection(options, quiet);
    const b = runDemoElection(options, quiet);
    const c = runDemoElection({ ...options, seed: 's2' }, quiet);
    expect(a.jointPublicKey).toBe(b.jointPublicKey);
    expect(a.mesas).toEqual(b.mesas);
    expect(a.jointPublicKey).not.toBe(c.jointPublicKey);
  });
});

describe('acta and the crypto backend', () => {
  const bin = fileURLToPath(new URL('../bin/acta.js', import.meta.url));

  it('says which backend ran, and refuses a backend that does not exist (exit 2, no stack)', () => {
    const ok = spawnSync(
      process.execPath,
      [bin, 'demo', '--voters', '2', '--mesas', '1', '--trustees', '1', '--quorum', '1'],
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
