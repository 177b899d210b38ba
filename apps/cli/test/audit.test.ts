// `acta audit sample` (issue #6): the sample Arlo's own test draws, as JSON in
// Arlo's shape; a second round continues the first; every bad input — a
// malformed manifest row, a bad size, an unreadable file — exits 2 with a
// message naming the file and row, never a stack trace.
import { describe, expect, it } from 'vitest';
import { audit, auditFiles } from './audit-kit.js';
import { captureOutput } from './capture-output.js';

const output = captureOutput();
const { file, path } = auditFiles();
const SEED = '12345678901234567890abcdefghijklmnopqrstuvwxyz😊';

const manifest = file(
  'manifest.csv',
  'Batch Name,Number of Ballots\npct 1,25\npct 2,25\npct 3,25\npct 4,25\n',
);
const sample = (...args: string[]) =>
  audit('sample', '--seed', SEED, '--manifest', manifest, ...args);

describe('acta audit sample', () => {
  it("prints Arlo's sample for Arlo's test manifest, in Arlo's JSON shape", async () => {
    expect(await sample('--size', '3', '--json'), output.err()).toBe(0);
    expect(JSON.parse(output.out())).toEqual([
      { ticket: '0.000617786129909912', batch: 'pct 2', position: 3, times_sampled: 1 },
      { ticket: '0.002991631653037245', batch: 'pct 3', position: 24, times_sampled: 1 },
      { ticket: '0.012057030610635061', batch: 'pct 1', position: 25, times_sampled: 1 },
    ]);
  });

  it('continues an earlier round with --already-drawn', async () => {
    expect(await sample('--size', '20', '--json')).toBe(0);
    const all = JSON.parse(output.out()) as unknown[];
    output.reset();
    expect(await sample('--size', '8', '--already-drawn', '12', '--json')).toBe(0);
    expect(JSON.parse(output.out())).toEqual(all.slice(12));
  });

  it('exits 2 on bad input, naming the file and row', async () => {
    const bad = file('bad.csv', 'Batch Name,Number of Ballots\npct 1,25\npct 1,3\npct 2,x\n');
    const code = await audit('sample', '--seed', 's', '--manifest', bad, '--size', '1');
    expect(code).toBe(2);
    expect(output.err()).toContain(`${bad} row 3: batch "pct 1" is also on row 2`);
    expect(output.err()).toContain(`${bad} row 4: "x" is not a number of ballots`);
    expect(output.err()).not.toMatch(/\n\s+at /);
    output.reset();
    expect(await sample('--size', '-1')).toBe(2);
    expect(await sample('--size', '3', '--already-drawn', '1.5')).toBe(2);
    expect(
      await audit('sample', '--seed', 's', '--manifest', path('none.csv'), '--size', '1'),
    ).toBe(2);
    expect(output.err()).toContain('cannot read');
  });
});

describe('acta audit sample on a large manifest', () => {
  it('draws on worker threads the sample the sequential sampler draws', async () => {
    const { drawArloSample } = await import('@acta/audit');
    const batches = Array.from({ length: 500 }, (_, i) => ({
      batch: `mesa ${i + 1}`,
      ballots: 1000,
    }));
    const big = file(
      'big.csv',
      `Batch Name,Number of Ballots\n${batches.map((b) => `${b.batch},${b.ballots}`).join('\n')}\n`,
    );
    output.reset();
    expect(await audit('sample', '--seed', SEED, '--manifest', big, '--size', '50', '--json')).toBe(
      0,
    );
    const expected = drawArloSample(batches, { seed: SEED, sampleSize: 50 }).map((s) => ({
      ticket: s.ticket,
      batch: s.batch,
      position: s.position,
      times_sampled: s.timesSampled,
    }));
    expect(JSON.parse(output.out())).toEqual(expected);
  });
});
