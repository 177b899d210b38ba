// `acta audit sample-sizes|risk` (BRAVO, Minerva, super-simple), `acta audit
// comparison …` and `acta audit batch …` (issue #6): Arlo's published
// answers come out of the CLI in Arlo's JSON shapes (the expectations are read
// from the vector files, which name their source), and every bad input —
// an impossible contest, a negative count, a risk limit outside (0, 50], a
// malformed CSV — exits 2 with the file and place, never a stack trace.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { audit, auditFiles } from './audit-kit.js';
import { captureOutput } from './capture-output.js';

const output = captureOutput();
const { file } = auditFiles();

function vectors(name: string): Record<string, unknown> {
  const url = new URL(`../../../libs/audit/test/vectors/${name}`, import.meta.url);
  return JSON.parse(readFileSync(url, 'utf8')) as Record<string, unknown>;
}

interface BravoVectors {
  riskLimitPercent: number;
  contests: Record<string, Record<string, number>>;
  sampleSizeCases: { test: string; contest: string; sampleResults: object; expected: unknown }[];
  riskCases: {
    test: string;
    contest: string;
    sampleResults: object;
    expectedPValues?: [string, string, number][];
    tolerance?: number;
    expectedConfirmed?: boolean;
  }[];
}
const bravo = vectors('arlo-bravo.json') as unknown as BravoVectors;

interface MinervaVectors {
  sampleSizes: { contest: object; riskLimitPercent: number; expected: Record<string, number> }[];
  risks: {
    contest: object;
    riskLimitPercent: number;
    sampleResults: object;
    pValue: number;
    confirmed: boolean;
  }[];
}
const minerva = vectors('arlo-minerva.json') as unknown as MinervaVectors;

async function json(...args: string[]): Promise<unknown> {
  output.reset();
  const code = await audit(...args, '--json');
  expect(code, output.err()).toBe(0);
  return JSON.parse(output.out()) as unknown;
}

async function refused(...args: string[]): Promise<string> {
  output.reset();
  expect(await audit(...args)).toBe(2);
  expect(output.err()).not.toMatch(/\n\s+at /);
  return output.err();
}

describe('acta audit sample-sizes / risk --method bravo', () => {
  const first = bravo.sampleSizeCases.find(
    (c) => c.contest === 'test1' && Object.keys(c.sampleResults).length === 0,
  )!;
  const risk = bravo.riskCases.find(
    (c) => c.contest === 'test1' && c.expectedPValues !== undefined,
  )!;
  const contest = file('bravo-contest.json', bravo.contests.test1!);
  const limit = String(bravo.riskLimitPercent);

  it(`prints Arlo's options (${first.test})`, async () => {
    const got = await json(
      'sample-sizes',
      '--method',
      'bravo',
      '--contest',
      contest,
      '--risk-limit',
      limit,
    );
    const expected = Object.fromEntries(
      Object.entries(first.expected as Record<string, { size: number; prob: number | null }>).map(
        ([k, o]) => [k, { size: o.size, prob: o.prob }],
      ),
    );
    expect(got).toEqual(expected);
  });

  it(`prints Arlo's p-values (${risk.test})`, async () => {
    const results = file('bravo-results.json', risk.sampleResults);
    const got = (await json(
      'risk',
      '--method',
      'bravo',
      '--contest',
      contest,
      '--risk-limit',
      limit,
      '--sample-results',
      results,
    )) as { p_values_by_winner_loser: Record<string, number>; confirmed: boolean };
    for (const [w, l, p] of risk.expectedPValues!) {
      expect(Math.abs(got.p_values_by_winner_loser[`${w}|${l}`]! - p)).toBeLessThan(
        risk.tolerance!,
      );
    }
    expect(got.confirmed).toBe(risk.expectedConfirmed);
    output.reset();
    expect(
      await audit(
        'risk',
        '--method',
        'bravo',
        '--contest',
        contest,
        '--risk-limit',
        limit,
        '--sample-results',
        results,
      ),
    ).toBe(0);
    expect(output.out()).toContain('Confirmed');
  });
});

describe('acta audit sample-sizes / risk --method minerva', () => {
  it("prints Arlo's options and p-value", async () => {
    const c = minerva.sampleSizes[0]!;
    const contest = file('minerva-contest.json', c.contest);
    const got = (await json(
      'sample-sizes',
      '--method',
      'minerva',
      '--contest',
      contest,
      '--risk-limit',
      String(c.riskLimitPercent),
    )) as Record<string, { size: number }>;
    for (const [k, size] of Object.entries(c.expected)) expect(got[k]?.size).toBe(size);
    const r = minerva.risks[0]!;
    const got2 = (await json(
      'risk',
      '--method',
      'minerva',
      '--contest',
      file('minerva-contest2.json', r.contest),
      '--risk-limit',
      String(r.riskLimitPercent),
      '--sample-results',
      file('minerva-results.json', r.sampleResults),
    )) as { p_values_by_winner_loser: Record<string, number>; confirmed: boolean };
    expect(Math.max(...Object.values(got2.p_values_by_winner_loser))).toBeCloseTo(r.pValue, 9);
    expect(got2.confirmed).toBe(r.confirmed);
  });
});

describe('acta audit comparison (super-simple)', () => {
  const ss = vectors('arlo-supersimple.json') as {
    riskLimitPercent: number;
    contests: Record<
      string,
      {
        candidates: Record<string, number>;
        ballots: number;
        numWinners: number;
        votesAllowed: number;
      }
    >;
    firstRoundSampleSizes: { expected: Record<string, number> };
    computeRisk: { expectedPValues: Record<string, Record<string, number>> };
  };
  const a = ss.contests['Contest A']!;
  const contest = file('ss-contest.json', {
    ...a.candidates,
    ballots: a.ballots,
    numWinners: 1,
    votesAllowed: 1,
  });
  const limit = String(ss.riskLimitPercent);
  const n = ss.firstRoundSampleSizes.expected['Contest A']!;
  const rows = (marks: (i: number) => string) =>
    `Ballot ID,winner,loser\n${Array.from({ length: n }, (_, i) => `ballot-${i},${marks(i)}`).join('\n')}\n`;
  const cvrs = file(
    'cvrs.csv',
    rows(() => '1,0'),
  );

  it("first-round size, and Arlo's p-values with no discrepancy and one one-vote overstatement", async () => {
    expect(
      await json(
        'sample-sizes',
        '--method',
        'supersimple',
        '--contest',
        contest,
        '--risk-limit',
        limit,
      ),
    ).toEqual({
      supersimple: { size: n, prob: null },
    });
    expect(
      await json('comparison', 'sample-sizes', '--contest', contest, '--risk-limit', limit),
    ).toEqual({
      supersimple: { size: n, prob: null },
    });
    const clean = file(
      'audited-clean.csv',
      rows(() => '1,0'),
    );
    const r1 = (await json(
      'risk',
      '--method',
      'supersimple',
      '--contest',
      contest,
      '--risk-limit',
      limit,
      '--cvrs',
      cvrs,
      '--audited',
      clean,
    )) as {
      p_value: number;
      confirmed: boolean;
    };
    expect(
      Math.abs(r1.p_value - ss.computeRisk.expectedPValues.no_discrepancies!['Contest A']!),
    ).toBeLessThan(0.001);
    expect(r1.confirmed).toBe(true);
    const blank = file(
      'audited-blank.csv',
      rows((i) => (i === 0 ? '0,0' : '1,0')),
    );
    const r2 = (await json(
      'comparison',
      'risk',
      '--contest',
      contest,
      '--risk-limit',
      limit,
      '--cvrs',
      cvrs,
      '--audited',
      blank,
    )) as {
      p_value: number;
      confirmed: boolean;
      discrepancies: Record<string, number>;
    };
    expect(
      Math.abs(r2.p_value - ss.computeRisk.expectedPValues.one_vote_over!['Contest A']!),
    ).toBeLessThan(0.001);
    expect(r2.confirmed).toBe(false);
    expect(r2.discrepancies).toMatchObject({ sample_size: n, '1-over': 1, '2-over': 0 });
  });

  it('draws ballots with their CVR ids BATCH:POSITION', async () => {
    const manifest = file('ss-manifest.csv', 'Batch Name,Number of Ballots\ntab 1,50\ntab 2,50\n');
    const got = (await json(
      'comparison',
      'sample',
      '--seed',
      '12345678901234567890',
      '--manifest',
      manifest,
      '--size',
      '4',
    )) as {
      ballot: string;
      batch: string;
      position: number;
    }[];
    expect(got).toHaveLength(4);
    for (const g of got) expect(g.ballot).toBe(`${g.batch}:${g.position}`);
  });

  it('a malformed CVR file exits 2 naming the row', async () => {
    const bad = file('bad-cvrs.csv', 'Ballot ID,winner,loser\nb1,1,0\nb1,2,0\n');
    const err = await refused(
      'comparison',
      'risk',
      '--contest',
      contest,
      '--risk-limit',
      limit,
      '--cvrs',
      bad,
      '--audited',
      cvrs,
    );
    expect(err).toContain(`${bad} row 3`);
  });
});

describe('acta audit batch (MACRO)', () => {
  const macro = vectors('arlo-macro.json') as {
    riskLimit: number;
    test_get_sizes_extra_contests: {
      contest: Record<string, number>;
      perBatch: Record<string, number>;
      firstRound: number;
    };
  };
  const x = macro.test_get_sizes_extra_contests;
  const contest = file('macro-contest.json', {
    cand1: x.contest.cand1,
    cand2: x.contest.cand2,
    ballots: x.contest.ballots,
    numWinners: 1,
    votesAllowed: 1,
  });
  const tallies = file(
    'tallies.csv',
    `Batch Name,cand1,cand2\n${Array.from({ length: 10 }, (_, i) => `Batch ${i},${x.perBatch.cand1},${x.perBatch.cand2}`).join('\n')}\n`,
  );
  const manifest = file(
    'macro-manifest.csv',
    `Batch Name,Number of Ballots\n${Array.from({ length: 10 }, (_, i) => `Batch ${i},${x.perBatch.ballots}`).join('\n')}\n`,
  );
  const limit = String(macro.riskLimit * 100);
  const seed = '01234567890123456789';
  const base = ['--contest', contest, '--tallies', tallies, '--manifest', manifest];

  it("Arlo's first-round size; a clean hand count of the drawn mesas confirms; an altered acta does not", async () => {
    expect(await json('batch', 'sample-sizes', ...base, '--risk-limit', limit)).toEqual({
      macro: { size: x.firstRound, prob: null },
    });
    const drawn = (await json(
      'batch',
      'sample',
      ...base,
      '--seed',
      seed,
      '--size',
      String(x.firstRound),
    )) as {
      batch: string;
      times_sampled: number;
    }[];
    expect(drawn).toHaveLength(x.firstRound);
    const mesas = [...new Set(drawn.map((d) => d.batch))];
    const clean = file(
      'counted.csv',
      `Batch Name,cand1,cand2\n${mesas.map((m) => `${m},40,10`).join('\n')}\n`,
    );
    const args = [
      'batch',
      'risk',
      ...base,
      '--seed',
      seed,
      '--risk-limit',
      limit,
      '--drawn',
      String(x.firstRound),
    ];
    const ok = (await json(...args, '--audited', clean)) as { p_value: number; confirmed: boolean };
    expect(ok.confirmed).toBe(true);
    // The paper of one drawn mesa says the loser won it: its acta was altered.
    const altered = file(
      'altered.csv',
      `Batch Name,cand1,cand2\n${mesas.map((m, i) => (i === 0 ? `${m},10,40` : `${m},40,10`)).join('\n')}\n`,
    );
    const bad = (await json(...args, '--audited', altered)) as {
      p_value: number;
      confirmed: boolean;
    };
    expect(bad.confirmed).toBe(false);
    expect(bad.p_value).toBeGreaterThan(ok.p_value);
    // A hand count missing for a drawn mesa, or of a mesa never drawn.
    const partial = file('partial.csv', `Batch Name,cand1,cand2\n${mesas[0]},40,10\n`);
    if (mesas.length > 1)
      expect(await refused(...args, '--audited', partial)).toContain(
        'no hand count for drawn mesa',
      );
    const notDrawn = ['Batch 0', 'Batch 1', 'Batch 2', 'Batch 3', 'Batch 4'].find(
      (m) => !mesas.includes(m),
    )!;
    const stray = file(
      'stray.csv',
      `Batch Name,cand1,cand2\n${[...mesas, notDrawn].map((m) => `${m},40,10`).join('\n')}\n`,
    );
    expect(await refused(...args, '--audited', stray)).toContain(
      `"${notDrawn}" was hand-counted but not drawn`,
    );
  });

  it('tallies not in the manifest, and a negative count, exit 2 naming the file', async () => {
    const extra = file('extra.csv', 'Batch Name,cand1,cand2\nBatch 99,1,1\n');
    expect(
      await refused(
        'batch',
        'sample-sizes',
        '--contest',
        contest,
        '--tallies',
        extra,
        '--manifest',
        manifest,
        '--risk-limit',
        limit,
      ),
    ).toContain('is not in the manifest');
    const negative = file('negative.csv', 'Batch Name,cand1,cand2\nBatch 0,-1,1\n');
    expect(
      await refused(
        'batch',
        'sample-sizes',
        '--contest',
        contest,
        '--tallies',
        negative,
        '--manifest',
        manifest,
        '--risk-limit',
        limit,
      ),
    ).toContain(`${negative} row 2`);
  });
});

describe('input validation (exit 2)', () => {
  const good = file('good.json', {
    cand1: 600,
    cand2: 400,
    ballots: 1000,
    numWinners: 1,
    votesAllowed: 1,
  });
  const sizes = (contest: string, limit = '10') =>
    refused('sample-sizes', '--method', 'bravo', '--contest', contest, '--risk-limit', limit);

  it('an impossible contest: votes above ballots, a winner below a loser, a negative or non-numeric count', async () => {
    const above = file('above.json', {
      cand1: 700,
      cand2: 400,
      ballots: 1000,
      numWinners: 1,
      votesAllowed: 1,
    });
    expect(await sizes(above)).toContain(`${above}: 1100 votes in all`);
    const below = file('below.json', {
      cand1: 300,
      cand2: 400,
      winners: ['cand1'],
      ballots: 1000,
      numWinners: 1,
      votesAllowed: 1,
    });
    expect(await sizes(below)).toContain(
      'reported winner cand1 has 300 votes, fewer than cand2 with 400',
    );
    const negative = file('negative.json', {
      cand1: -3,
      cand2: 400,
      ballots: 1000,
      numWinners: 1,
      votesAllowed: 1,
    });
    expect(await sizes(negative)).toContain(`${negative}: cand1: -3 is not a count`);
    const text = file('text.json', {
      cand1: 'many',
      cand2: 400,
      ballots: 1000,
      numWinners: 1,
      votesAllowed: 1,
    });
    expect(await sizes(text)).toContain(`${text}: cand1: "many" is not a count`);
  });

  it('a risk limit outside (0, 50], a bad method, bad sample results', async () => {
    for (const limit of ['0', '51', '-5', 'ten', '100']) {
      expect(await sizes(good, limit)).toContain('--risk-limit');
    }
    expect(
      await refused(
        'sample-sizes',
        '--method',
        'plurality',
        '--contest',
        good,
        '--risk-limit',
        '10',
      ),
    ).toContain('--method must be');
    const results = file('bad-results.json', { round1: { cand1: -1, cand9: 2 } });
    const err = await refused(
      'risk',
      '--method',
      'bravo',
      '--contest',
      good,
      '--risk-limit',
      '10',
      '--sample-results',
      results,
    );
    expect(err).toContain(`${results}: round1.cand1`);
    expect(err).toContain(`${results}: round1.cand9`);
  });
});
