// `acta forensics report` (issue #7, item 3), run in-process on a seeded
// synthetic election in the Venezuelan CSV layout (binomial counts around
// mesa-level turnout and share) with a planted effect: in 120 of 400 mesas the
// leader's votes are rewritten to sit exactly on an integer percentage of the
// ballots, so the integer-peak test must flag the share (Kobak et al.), and
// those mesas must head its list. With --out it writes SVG files that are
// well-formed SVG documents carrying their titles, and a report.html linking
// every one of them. Bad input exits 2 naming the file and row.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createRandom } from '@acta/forensics';
import { auditFiles } from './audit-kit.js';
import { captureOutput } from './capture-output.js';
import { runCli } from '../src/index.js';

const output = captureOutput();
const { file, path } = auditFiles();
const forensics = (...args: string[]): Promise<number> =>
  runCli(['node', 'acta', 'forensics', ...args]);

const HEADER =
  'COD_EDO,EDO,COD_MUN,MUN,COD_PAR,PAR,CENTRO,MESA,RE,VOTOS_VALIDOS,VOTOS_NULOS,EG,NM,LM,JABE,JOBR,AE,CF,DC,EM,BERA,URL';
const MESAS = 400;
const PLANTED = 120;

/** The synthetic file; planted mesas are the first PLANTED. */
function syntheticElection(): string {
  const random = createRandom('forensics-report-test');
  const lines = [HEADER];
  for (let i = 0; i < MESAS; i++) {
    const registered = 300 + random.nextInt(400);
    const turnout = Math.min(0.95, Math.max(0.3, 0.62 + 0.06 * random.nextNormal()));
    const voters = random.nextBinomial(registered, turnout);
    const nulls = random.nextBinomial(voters, 0.01);
    const valid = voters - nulls;
    const share = Math.min(0.95, Math.max(0.2, 0.55 + 0.07 * random.nextNormal()));
    let eg = random.nextBinomial(valid, share);
    // Planted: EG's votes moved to the count nearest an integer percentage of the ballots.
    if (i < PLANTED) eg = Math.round((Math.round((100 * eg) / voters) * voters) / 100);
    const lm = random.nextBinomial(valid - eg, 0.05);
    const nm = valid - eg - lm;
    const centre = 10113000 + Math.floor(i / 99) + 1;
    const mesa = (i % 99) + 1;
    lines.push(
      `1,DTTO. CAPITAL,1,MP. LIBERTADOR,13,PQ. EL RECREO,${centre},${mesa},${registered},${valid},${nulls},${eg},${nm},${lm},0,0,0,0,0,0,0,https://example.org/${i}.jpg`,
    );
  }
  return `${lines.join('\n')}\n`;
}

const election = file('election.csv', syntheticElection());
const SVGS = [
  'fingerprint.svg',
  'klimek-fitted.svg',
  'turnout-histogram.svg',
  'share-histogram.svg',
  'integer-peaks.svg',
  'digits-second.svg',
  'digits-last.svg',
];

/**
 * Whether a text is one well-formed XML element tree rooted at <svg> in the
 * SVG namespace: every tag closed in order (vega writes no comments, CDATA or
 * processing instructions; attribute values are quoted and hold no '>').
 */
function checkSvg(text: string): string | null {
  if (!/^<svg [^>]*xmlns="http:\/\/www\.w3\.org\/2000\/svg"/.test(text)) return 'no <svg> root';
  const stack: string[] = [];
  const tags = /<(\/?)([A-Za-z][\w:.-]*)((?:\s+[\w:.-]+="[^"]*")*)\s*(\/?)>/g;
  let last = 0;
  let roots = 0;
  for (let m = tags.exec(text); m !== null; m = tags.exec(text)) {
    if (text.slice(last, m.index).includes('<')) return `stray "<" before offset ${m.index}`;
    last = m.index + m[0].length;
    const [, close, name = '', , selfClosing] = m;
    if (close === '/') {
      if (stack.pop() !== name) return `</${name}> closes the wrong element`;
    } else if (selfClosing !== '/') {
      if (stack.length === 0) roots++;
      stack.push(name);
    }
  }
  if (text.slice(last).trim() !== '') return 'text after the root';
  if (stack.length !== 0 || roots !== 1) return 'unclosed or several roots';
  return null;
}

interface ReportJson {
  input: { format: string; detected: boolean; read: number; skipped: number };
  leader: string;
  analysed: number;
  draws: number;
  summary: { test: string; flagged: boolean | null }[];
  integerPeaks: {
    share: { observed: number; flagged: boolean };
    mesasOnIntegers: { id: string; sharePercent: number | null }[];
  };
  files: string[];
}

describe('acta forensics report', () => {
  it('flags the planted integer shares, writes well-formed SVG plots and an HTML linking them', async () => {
    const out = path('report');
    const code = await forensics(
      'report',
      '--input',
      election,
      '--out',
      out,
      // 200 draws: a Monte Carlo p-value is at least 1/(draws + 1), so 50 could never reach 0.01.
      '--draws',
      '200',
      '--klimek-draws',
      '5',
      '--json',
    );
    expect(code, output.err()).toBe(0);
    const r = JSON.parse(output.out()) as ReportJson;
    expect(r.input).toMatchObject({ format: 've2024', detected: true, read: MESAS, skipped: 0 });
    expect(r.leader).toBe('EG');
    expect(r.analysed).toBe(MESAS);
    expect(r.draws).toBe(200);
    // The planted mesas are all at integer shares (voters ≥ 100 in every mesa here).
    expect(r.integerPeaks.share.observed).toBeGreaterThanOrEqual(PLANTED);
    expect(r.integerPeaks.share.flagged).toBe(true);
    expect(
      r.summary.find((s) => s.test === 'Integer peaks: share of Edmundo González Urrutia')?.flagged,
    ).toBe(true);
    // Every test is in the summary.
    for (const prefix of [
      'Turnout distribution',
      'Klimek',
      '2BL mean: EG',
      'Integer peaks: turnout',
      'Correlation: Pearson, by mesa',
    ]) {
      expect(
        r.summary.some((s) => s.test.startsWith(prefix)),
        prefix,
      ).toBe(true);
    }
    expect(r.files).toEqual([...SVGS, 'report.html']);
    const titles: Record<string, string> = {
      'fingerprint.svg': 'Election fingerprint',
      'integer-peaks.svg': 'Integer-percentage excess',
      'turnout-histogram.svg': 'Turnout',
      'digits-second.svg': 'Second digits (2BL) vs Benford',
    };
    for (const name of SVGS) {
      const svg = readFileSync(join(out, name), 'utf8');
      expect(checkSvg(svg), name).toBeNull();
      const title = titles[name];
      if (title !== undefined) expect(svg, name).toContain(`>${title}</text>`);
    }
    const html = readFileSync(join(out, 'report.html'), 'utf8');
    expect(html).toMatch(/^<!DOCTYPE html>/);
    for (const name of SVGS) expect(html).toContain(`<img src="${name}"`);
    expect(html).toContain('Null hypothesis.');
    expect(html).toContain('Evidence, not proof.');
    expect(html).toContain('Mesas at integer percentages least likely under the null');
  });

  it('prints the summary table with a flag column and progress on stderr', async () => {
    expect(
      await forensics('report', '--input', election, '--draws', '200', '--klimek-draws', '0'),
    ).toBe(0);
    expect(output.out()).toMatch(/Integer peaks: share of Edmundo González Urrutia.*│ YES/);
    expect(output.out()).toContain('no interval (0 draws)');
    expect(output.err()).toMatch(/integer peaks \(Monte Carlo draws\)\s+200 in/);
  });

  it('gives the same report for the same seed', async () => {
    const run = async (seed: string): Promise<string> => {
      output.reset();
      expect(
        await forensics(
          'report',
          '--input',
          election,
          '--draws',
          '50',
          '--klimek-draws',
          '3',
          '--seed',
          seed,
          '--json',
        ),
      ).toBe(0);
      const r = JSON.parse(output.out()) as Record<string, unknown>;
      delete r.seconds;
      return JSON.stringify(r);
    };
    expect(await run('a')).toBe(await run('a'));
  });

  const fixture = new URL(
    '../../../libs/forensics/test/fixtures/ru2012-extract.csv',
    import.meta.url,
  );
  it('detects the Russian layout of a committed fixture', async () => {
    expect(
      await forensics(
        'report',
        '--input',
        fixture.pathname,
        '--draws',
        '50',
        '--klimek-draws',
        '0',
        '--json',
      ),
      output.err(),
    ).toBe(0);
    const r = JSON.parse(output.out()) as ReportJson;
    expect(r.input).toMatchObject({ format: 'ru2012', detected: true, read: 2 });
    expect(r.leader).toBe('Putin');
  });

  it('reads past bad rows, listing them; exits 2 naming file and row when nothing is usable', async () => {
    const lines = syntheticElection().split('\n');
    lines[3] = (lines[3] ?? '').replace(/,(\d+),(\d+),(\d+),(\d+)/, ',$1,$2,$3,-$4');
    const someBad = file('some-bad.csv', lines.join('\n'));
    expect(
      await forensics('report', '--input', someBad, '--draws', '50', '--klimek-draws', '0'),
    ).toBe(0);
    expect(output.out()).toContain(`${MESAS - 1} mesas read, 1 rows skipped`);
    expect(output.out()).toContain(`${someBad} row 4`);
    output.reset();
    const allBad = file(
      'all-bad.csv',
      `${HEADER}\n1,A,1,B,1,C,10113001,1,500,x,0,1,1,1,0,0,0,0,0,0,0,\n`,
    );
    expect(await forensics('report', '--input', allBad)).toBe(2);
    expect(output.err()).toContain(`no usable mesa in ${allBad}`);
    expect(output.err()).toContain(`${allBad} row 2`);
    output.reset();
    expect(await forensics('report', '--input', path('missing.csv'))).toBe(2);
    expect(output.err()).toContain(`cannot read ${path('missing.csv')}`);
    output.reset();
    expect(await forensics('report', '--input', election, '--draws', 'many')).toBe(2);
    expect(output.err()).toContain('--draws must be a non-negative integer');
    output.reset();
    const generic = file('generic.csv', 'mesa,a,b\n1,2,3\n');
    expect(await forensics('report', '--input', generic)).toBe(2);
    expect(output.err()).toContain('--mapping');
    expect(output.err()).not.toMatch(/\n\s+at /);
  });
});
