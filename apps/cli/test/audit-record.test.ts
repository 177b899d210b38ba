// `acta audit record start|draw|results|verify` (issue #6, item 5): an audit
// kept from the CLI verifies from the manifest alone; a record edited after the
// fact fails verification (exit 1) naming the place; a record is never
// overwritten by `start`, and bad input exits 2 without a stack trace.
import { readFileSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { audit, auditFiles } from './audit-kit.js';
import { captureOutput } from './capture-output.js';

const output = captureOutput();
const { file, path } = auditFiles();
const manifest = file(
  'manifest.csv',
  'Batch Name,Number of Ballots\n' +
    Array.from({ length: 10 }, (_, i) => `mesa ${i + 1},100`).join('\n') +
    '\n',
);
const contest = file('contest.json', {
  Ana: 640,
  Bruno: 310,
  ballots: 1000,
  numWinners: 1,
  votesAllowed: 1,
});

interface Round {
  round: number;
  sample: { batch: string; position: number }[];
}

describe('acta audit record', () => {
  it('start, draw, results, verify — and a tampered record fails', async () => {
    const record = path('audit.json');
    const start = ['record', 'start', '--out', record, '--method', 'bravo', '--contest', contest];
    expect(
      await audit(
        ...start,
        '--risk-limit',
        '10',
        '--manifest',
        manifest,
        '--seed',
        '98765432109876543210',
      ),
      output.err(),
    ).toBe(0);
    expect(await audit(...start, '--risk-limit', '10', '--manifest', manifest, '--seed', '1')).toBe(
      2,
    );
    expect(output.err()).toContain('cannot create');

    output.reset();
    expect(
      await audit(
        'record',
        'draw',
        '--record',
        record,
        '--manifest',
        manifest,
        '--size',
        '30',
        '--json',
      ),
    ).toBe(0);
    const round = JSON.parse(output.out()) as Round;
    expect(round.round).toBe(1);
    expect(round.sample).toHaveLength(30);
    // The paper: two ballots in three for Ana, the rest for Bruno.
    const tally = { Ana: 0, Bruno: 0 };
    for (const s of round.sample) tally[s.position % 3 === 0 ? 'Bruno' : 'Ana'] += 1;
    const results = file('round1.json', tally);
    output.reset();
    expect(
      await audit(
        'record',
        'results',
        '--record',
        record,
        '--manifest',
        manifest,
        '--results',
        results,
        '--json',
      ),
    ).toBe(0);
    const risk = JSON.parse(output.out()) as {
      p_values_by_winner_loser: Record<string, number>;
      confirmed: boolean;
    };
    expect(Object.keys(risk.p_values_by_winner_loser)).toEqual(['Ana|Bruno']);

    output.reset();
    expect(
      await audit('record', 'verify', '--record', record, '--manifest', manifest, '--json'),
    ).toBe(0);
    const report = JSON.parse(output.out()) as {
      ok: boolean;
      seed: string;
      status: string;
      rounds: unknown[];
    };
    expect(report).toMatchObject({
      ok: true,
      seed: '98765432109876543210',
      rounds: [{ round: 1, sampleSize: 30 }],
    });
    expect(['confirmed', 'in-progress']).toContain(report.status);
    output.reset();
    expect(await audit('record', 'verify', '--record', record, '--manifest', manifest)).toBe(0);
    expect(output.out()).toContain('The audit record checks');

    // Someone moves a sampled ballot to another one after the fact.
    const json = JSON.parse(readFileSync(record, 'utf8')) as { rounds: Round[] };
    json.rounds[0]!.sample[3]!.position = json.rounds[0]!.sample[3]!.position === 1 ? 2 : 1;
    const forged = file('forged.json', json);
    output.reset();
    expect(await audit('record', 'verify', '--record', forged, '--manifest', manifest)).toBe(1);
    expect(output.out()).toContain(`AUDIT_RECORD_SAMPLE_MISMATCH ${forged}: rounds[0].sample[3]`);

    // Another manifest than the one the audit drew from.
    const other = file('other.csv', 'Batch Name,Number of Ballots\nmesa 1,1000\n');
    output.reset();
    expect(await audit('record', 'verify', '--record', record, '--manifest', other, '--json')).toBe(
      1,
    );
    expect(JSON.parse(output.out())).toMatchObject({
      ok: false,
      problems: [{ code: 'AUDIT_RECORD_MANIFEST_MISMATCH' }],
    });
  });

  it('bad input exits 2 naming the place', async () => {
    const record = path('bad-start.json');
    const badContest = file('bad-contest.json', {
      Ana: 700,
      Bruno: 400,
      ballots: 1000,
      numWinners: 1,
      votesAllowed: 1,
    });
    output.reset();
    expect(
      await audit(
        'record',
        'start',
        '--out',
        record,
        '--method',
        'bravo',
        '--contest',
        badContest,
        '--risk-limit',
        '5',
        '--manifest',
        manifest,
        '--seed',
        '12345678901234567890',
      ),
    ).toBe(2);
    expect(output.err()).toContain(`${badContest}`);
    expect(output.err()).not.toMatch(/\n\s+at /);
    expect(
      await audit(
        'record',
        'start',
        '--out',
        record,
        '--method',
        'plurality',
        '--contest',
        contest,
        '--risk-limit',
        '5',
        '--manifest',
        manifest,
        '--seed',
        '1',
      ),
    ).toBe(2);
    expect(
      await audit(
        'record',
        'start',
        '--out',
        record,
        '--method',
        'bravo',
        '--contest',
        contest,
        '--risk-limit',
        '60',
        '--manifest',
        manifest,
        '--seed',
        '1',
      ),
    ).toBe(2);
    const notJson = file('not.json', '{');
    output.reset();
    expect(await audit('record', 'verify', '--record', notJson, '--manifest', manifest)).toBe(2);
    expect(output.err()).toContain(`${notJson}: not JSON`);
    writeFileSync(path('empty.json'), '{}');
    output.reset();
    expect(
      await audit(
        'record',
        'verify',
        '--record',
        path('empty.json'),
        '--manifest',
        manifest,
        '--json',
      ),
    ).toBe(1);
    const empty = JSON.parse(output.out()) as {
      ok: boolean;
      problems: { code: string; where: string }[];
    };
    expect(empty.ok).toBe(false);
    expect(empty.problems.map((p) => p.code)).toContain('AUDIT_RECORD_MALFORMED');
    expect(empty.problems[0]?.where).toBe(`${path('empty.json')}: format`);
  });
});

describe('acta audit record for a batch comparison (macro)', () => {
  it('start with the actas, draw mesas, enter their hand counts, verify; other actas fail', async () => {
    const mesas = Array.from({ length: 12 }, (_, i) => `mesa ${i + 1}`);
    const mManifest = file(
      'm-manifest.csv',
      `Batch Name,Number of Ballots\n${mesas.map((m) => `${m},80`).join('\n')}\n`,
    );
    const tallies = file(
      'm-actas.csv',
      `Batch Name,Ana,Bruno\n${mesas.map((m) => `${m},50,25`).join('\n')}\n`,
    );
    const mContest = file('m-contest.json', {
      Ana: 600,
      Bruno: 300,
      ballots: 960,
      numWinners: 1,
      votesAllowed: 1,
    });
    const record = path('macro-audit.json');
    const inputs = ['--manifest', mManifest, '--tallies', tallies];
    expect(
      await audit(
        'record',
        'start',
        '--out',
        record,
        '--method',
        'macro',
        '--contest',
        mContest,
        '--risk-limit',
        '10',
        ...inputs,
        '--seed',
        '24682468246824682468',
      ),
      output.err(),
    ).toBe(0);
    output.reset();
    expect(
      await audit('record', 'draw', '--record', record, ...inputs, '--size', '10', '--json'),
    ).toBe(0);
    const round = JSON.parse(output.out()) as { sample: { batch: string }[] };
    const counted = Object.fromEntries(
      [...new Set(round.sample.map((s) => s.batch))].map((m) => [m, { Ana: 50, Bruno: 25 }]),
    );
    output.reset();
    expect(
      await audit(
        'record',
        'results',
        '--record',
        record,
        ...inputs,
        '--results',
        file('m-round1.json', counted),
        '--json',
      ),
    ).toBe(0);
    expect(JSON.parse(output.out())).toMatchObject({ confirmed: true });
    output.reset();
    expect(await audit('record', 'verify', '--record', record, ...inputs)).toBe(0);
    expect(output.out()).toContain('Status: confirmed');
    // The actas published later are not the ones the audit drew from.
    const changed = file(
      'm-actas-2.csv',
      `Batch Name,Ana,Bruno\n${mesas.map((m, i) => (i === 0 ? `${m},51,24` : `${m},50,25`)).join('\n')}\n`,
    );
    output.reset();
    expect(
      await audit(
        'record',
        'verify',
        '--record',
        record,
        '--manifest',
        mManifest,
        '--tallies',
        changed,
        '--json',
      ),
    ).toBe(1);
    expect(JSON.parse(output.out())).toMatchObject({
      ok: false,
      problems: [{ code: 'AUDIT_RECORD_TALLIES_MISMATCH' }],
    });
    // Without the actas, a macro record cannot be recomputed.
    expect(await audit('record', 'verify', '--record', record, '--manifest', mManifest)).toBe(2);
  });
});
