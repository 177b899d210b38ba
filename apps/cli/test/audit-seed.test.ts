// `acta audit seed commit|combine` and `acta audit sample --ceremony` (issue
// #6, item 5): commitments made by the CLI open with the revealed digits, the
// seed is the digits in commitment order and draws the same sample as
// `--seed`; a changed reveal fails the ceremony (exit 1) and stops the sample
// (exit 2); malformed input exits 2 naming the file.
import { describe, expect, it } from 'vitest';
import { audit, auditFiles } from './audit-kit.js';
import { captureOutput } from './capture-output.js';

const output = captureOutput();
const { file } = auditFiles();
const manifest = file('manifest.csv', 'Batch Name,Number of Ballots\nmesa 1,300\nmesa 2,200\n');

async function commit(
  observer: string,
  digits: string,
): Promise<{ commitment: string; nonce: string }> {
  output.reset();
  expect(await audit('seed', 'commit', '--observer', observer, '--digits', digits, '--json')).toBe(
    0,
  );
  const r = JSON.parse(output.out()) as { observer: string; commitment: string; nonce: string };
  expect(r.observer).toBe(observer);
  return r;
}

describe('acta audit seed', () => {
  it('commit, reveal, combine: the seed draws the same sample as --seed', async () => {
    const a = await commit('party A', '0123456789');
    const b = await commit('party B', '9876543210');
    expect(a.nonce).not.toBe(b.nonce);
    const ceremony = file('ceremony.json', {
      commitments: [
        { observer: 'party A', commitment: a.commitment },
        { observer: 'party B', commitment: b.commitment },
      ],
      reveals: [
        { observer: 'party B', digits: '9876543210', nonce: b.nonce },
        { observer: 'party A', digits: '0123456789', nonce: a.nonce },
      ],
    });
    output.reset();
    expect(await audit('seed', 'combine', '--ceremony', ceremony, '--json')).toBe(0);
    expect(JSON.parse(output.out())).toEqual({
      ok: true,
      seed: '01234567899876543210',
      observers: ['party A', 'party B'],
    });
    output.reset();
    expect(
      await audit(
        'sample',
        '--ceremony',
        ceremony,
        '--manifest',
        manifest,
        '--size',
        '5',
        '--json',
      ),
    ).toBe(0);
    const viaCeremony = output.out();
    output.reset();
    expect(
      await audit(
        'sample',
        '--seed',
        '01234567899876543210',
        '--manifest',
        manifest,
        '--size',
        '5',
        '--json',
      ),
    ).toBe(0);
    expect(output.out()).toBe(viaCeremony);

    // A reveal changed after the commitments were published.
    const forged = file('forged.json', {
      commitments: [
        { observer: 'party A', commitment: a.commitment },
        { observer: 'party B', commitment: b.commitment },
      ],
      reveals: [
        { observer: 'party A', digits: '0123456789', nonce: a.nonce },
        { observer: 'party B', digits: '9876543211', nonce: b.nonce },
      ],
    });
    output.reset();
    expect(await audit('seed', 'combine', '--ceremony', forged)).toBe(1);
    expect(output.out()).toContain(`SEED_REVEAL_MISMATCH ${forged}: reveals[1]`);
    output.reset();
    expect(await audit('sample', '--ceremony', forged, '--manifest', manifest, '--size', '5')).toBe(
      2,
    );
    expect(output.err()).toContain('the seed ceremony failed');
  });

  it('exits 2 on malformed input, naming the file and field', async () => {
    expect(await audit('seed', 'commit', '--observer', 'x', '--digits', '12a')).toBe(2);
    expect(
      await audit('seed', 'commit', '--observer', 'x', '--digits', '12', '--nonce', 'zz'),
    ).toBe(2);
    const bad = file('bad.json', { commitments: [{ observer: 3 }] });
    output.reset();
    expect(await audit('seed', 'combine', '--ceremony', bad)).toBe(2);
    expect(output.err()).toContain(`${bad}: commitments.0.observer`);
    expect(output.err()).not.toMatch(/\n\s+at /);
    expect(await audit('sample', '--manifest', manifest, '--size', '1')).toBe(2);
    expect(output.err()).toContain('exactly one of --seed or --ceremony');
  });

  it('a fixed nonce gives the documented commitment', async () => {
    const nonce = 'ab'.repeat(32);
    output.reset();
    expect(
      await audit('seed', 'commit', '--observer', 'A', '--digits', '1', '--nonce', nonce, '--json'),
    ).toBe(0);
    const { createHash } = await import('node:crypto');
    const expected = createHash('sha256')
      .update(`ACTA_AUDIT_SEED_COMMIT_V1\u0000A\u00001\u0000${nonce}`)
      .digest('hex');
    expect(JSON.parse(output.out())).toEqual({ observer: 'A', commitment: expected, nonce });
  });
});
