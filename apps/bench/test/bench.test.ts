// The benchmark end to end in quick mode (`npm run bench -- --quick --json`:
// one child process per backend, then the combined report), and the arithmetic
// that combines the two backends, on made-up figures. No timing is asserted:
// figures depend on the machine.
//
// The end-to-end test runs the compiled apps/bench/dist/main.js: a child
// process cannot run the TypeScript sources (the same holds for the worker
// threads of @acta/crypto-parallel). `npm test` builds before it tests.
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { boardPlanFor } from '../src/board-bench.js';
import { verifyPlanFor } from '../src/verify-bench.js';
import { auditPlanFor } from '../src/audit-bench.js';
import { forensicsInputKey, forensicsPlanFor } from '../src/forensics-bench.js';
import { plannedRowKeys, type BackendReport, type RowResult } from '../src/bench.js';
import {
  combineSections,
  deriveRun,
  runFigures,
  runTargets,
  type BenchRun,
} from '../src/combine.js';
import {
  FIXED_FIGURES,
  PARALLEL_CONFIGS,
  PARALLEL_RATIO_KEY,
  PARALLEL_WORKERS_KEY,
  SECTIONS,
  TARGETS,
  deriveBackendFigures,
  deriveElectionGuardFigures,
  evaluateTargets,
  msmFigure,
  msmKey,
  parallelKey,
  planFor,
  type BackendId,
  type FixedKey,
  type RunMode,
} from '../src/figures.js';
import { describeMachine } from '../src/machine.js';
import { measure } from '../src/measure.js';
import { formatJson, formatRunReport, formatTable } from '../src/report.js';

const MAIN = fileURLToPath(new URL('../dist/main.js', import.meta.url));
const ADDON = fileURLToPath(
  new URL('../../../libs/crypto-native/build/Release/acta_native.node', import.meta.url),
);

function isPositiveFinite(x: unknown): boolean {
  return typeof x === 'number' && Number.isFinite(x) && x > 0;
}

/** The unprefixed keys one backend reports under `plan`: rows, parallel section, derived. */
function expectedBackendKeys(backend: BackendId, mode: RunMode): string[] {
  const plan = planFor(backend, mode);
  const derived = deriveBackendFigures(
    new Proxy({}, { get: () => 1 }) as Record<string, number>,
    1,
    plan.parallelBallots,
  ).map((d) => d.key);
  return [
    ...plannedRowKeys(plan),
    ...PARALLEL_CONFIGS.map((c) => parallelKey(plan.parallelBallots, c.id)),
    PARALLEL_WORKERS_KEY,
    PARALLEL_RATIO_KEY,
    ...derived,
  ];
}

const SHARED_KEYS = [
  'modpow4096_bigint_us',
  'modpow4096_openssl_us',
  ...deriveElectionGuardFigures(1, 1).map((d) => d.key),
];

describe('npm run bench -- --quick --json', () => {
  it(
    'runs both backends in child processes and prints every figure once, as JSON',
    { timeout: 120_000 },
    async () => {
      expect(existsSync(MAIN), `${MAIN} is missing: run npm run build`).toBe(true);
      const { stdout, stderr } = await promisify(execFile)(
        process.execPath,
        ['--expose-gc', MAIN, '--quick', '--json'],
        { maxBuffer: 16 * 1024 * 1024 },
      );
      // stdout carries only the JSON object.
      const json = JSON.parse(stdout) as Record<string, unknown>;
      const nativeBuilt = existsSync(process.env.ACTA_NATIVE_ADDON_PATH ?? ADDON);
      const backends: BackendId[] = nativeBuilt ? ['native', 'noble'] : ['noble'];
      const quickBoard = boardPlanFor(true);
      const expected = [
        ...backends.flatMap((b) => expectedBackendKeys(b, 'quick').map((k) => `${b}_${k}`)),
        ...SHARED_KEYS,
        // The audit section (issue #6) runs on any backend.
        ...auditPlanFor(true).ballots.flatMap((n) => [
          `audit_sample_${n}_ballots_s`,
          `audit_sample_${n}_ballots_peak_rss_mib`,
          `audit_sample_${n}_ballots_parallel_s`,
          `audit_sample_${n}_ballots_parallel_peak_rss_mib`,
        ]),
        `audit_bravo_sample_sizes_${auditPlanFor(true).contestBallots}_ballots_ms`,
        `audit_minerva_sample_sizes_${auditPlanFor(true).contestBallots}_ballots_ms`,
        // The forensics section (issue #7) runs on any backend; quick: a simulated election.
        ...['import_s', 'distributions_s', 'klimek_s', 'digits_s', 'peaks_s', 'correlation_s']
          .concat(['report_s', 'peak_rss_mib'])
          .map((k) => `forensics_${forensicsInputKey(forensicsPlanFor(true))}_${k}`),
        `forensics_reconcile_${forensicsPlanFor(true).actas}_actas_s`,
        // The board section (issue #4) runs on the native backend only.
        ...(nativeBuilt
          ? [
              'board_cast_ballots_per_s_excluding_encryption',
              'board_cast_ballots_per_s_including_encryption',
              'board_close_and_tally_ms_per_mesa',
              `board_demo_${quickBoard.demoVoters}_voters_${quickBoard.demoMesas}_mesas_s`,
              // The verifier section (issue #5): one worker, and one per core.
              ...verifyPlanFor(true).records.flatMap(({ voters }) =>
                [...new Set([1, availableParallelism()])].flatMap((w) =>
                  ['s', 'ballots_per_s', 'selection_proofs_per_s'].map(
                    (unit) => `verify_${voters}_voters_${w}_workers_${unit}`,
                  ),
                ),
              ),
            ]
          : []),
      ];
      const numeric = Object.keys(json).filter(
        (k) => typeof json[k] === 'number' && k !== 'seconds',
      );
      expect(numeric.sort()).toEqual([...expected].sort());
      for (const key of [...expected, 'seconds']) {
        expect(isPositiveFinite(json[key]), key).toBe(true);
      }
      if (nativeBuilt) {
        expect(numeric.some((k) => k.startsWith('native_'))).toBe(true);
        expect(numeric.some((k) => k.startsWith('noble_'))).toBe(true);
      }
      // The issue #3 keys, named as the report names them.
      for (const b of backends) {
        for (const key of [
          'element_decode_us',
          'selection_batch_per_s',
          'ballot38_encrypt_prove_ms',
          'verify_8_ballots_all_cores_per_s',
        ]) {
          expect(isPositiveFinite(json[`${b}_${key}`]), `${b}_${key}`).toBe(true);
        }
      }

      const info = json.backends as Record<string, { available: boolean; name?: string }>;
      expect(info.noble).toMatchObject({ available: true, name: 'noble' });
      expect(info.native?.available).toBe(nativeBuilt);
      if (nativeBuilt) expect(info.native?.name).toBe('native');

      const targets = json.targets as Record<
        string,
        { target: number; measured: number | null; met: boolean; backend: string }
      >;
      expect(Object.keys(targets).sort()).toEqual(TARGETS.map((t) => t.key).sort());
      for (const t of TARGETS) {
        const got = targets[t.key]!;
        expect(got.target).toBe(t.target);
        expect(got.backend).toBe(nativeBuilt ? 'native' : 'noble');
        if (nativeBuilt) {
          expect(isPositiveFinite(got.measured), t.key).toBe(true);
          const measured = got.measured!;
          expect(got.met).toBe(
            t.comparison === 'at_least' ? measured >= t.target : measured <= t.target,
          );
          expect(measured).toBe(json[`native_${t.key}`]);
        }
      }

      expect(json.mode).toBe('quick');
      const machine = json.machine as Record<string, unknown>;
      expect(typeof machine.cpu).toBe('string');
      expect(isPositiveFinite(machine.cores)).toBe(true);
      expect(machine.node).toBe(process.version);
      const sizes = json.sizes as Record<string, { msm_terms: number[]; parallel_ballots: number }>;
      for (const b of backends) {
        expect(sizes[b]?.msm_terms).toEqual(planFor(b, 'quick').msmSizes);
      }

      // The report (on stderr with --json): progress from both children, then
      // one table per section with both backends, the targets and the summary.
      for (const b of backends) expect(stderr).toContain(`[${b}] ${SECTIONS.encoding}`);
      for (const title of Object.values(SECTIONS)) expect(stderr).toContain(`\n${title}\n`);
      expect(stderr).toContain('| operation');
      expect(stderr).toContain('native speed-up');
      expect(stderr).toContain('RFC 3526 group 16');
      expect(stderr).toContain('\nTargets\n');
    },
  );
});

// ---------------------------------------------------------------------------
// Combining two backends, on made-up figures.

/** A backend report whose every row costs `scale` units, and whose parallel rates are 1/scale. */
function fakeReport(backend: BackendId, mode: RunMode, scale: number): BackendReport {
  const plan = planFor(backend, mode);
  const rows: RowResult[] = plannedRowKeys(plan).map((key) => {
    const figure = Object.hasOwn(FIXED_FIGURES, key)
      ? FIXED_FIGURES[key as FixedKey]
      : msmFigure(Number(/\d+/.exec(key)![0]));
    return {
      key,
      section: figure.section,
      label: figure.label,
      value: scale,
      unit: key.includes('_ms') ? 'ms' : 'µs',
      per: figure.per,
      perSecond: 1e6 / scale,
      calls: 1,
      samples: 1,
      spread: 0,
    };
  });
  const parallelRows = PARALLEL_CONFIGS.map((c, i) => ({
    id: c.id,
    key: parallelKey(plan.parallelBallots, c.id),
    label: c.label,
    workers: i === 2 ? 2 : i,
    ballots: plan.parallelBallots,
    seconds: 1,
    ballotsPerSecond: (i === 2 ? 200 : 100) / scale,
    selectionProofsPerSecond: ((i === 2 ? 200 : 100) / scale) * 38,
  }));
  const figures: Record<string, number> = {};
  for (const row of rows) figures[row.key] = row.value;
  for (const row of parallelRows) figures[row.key] = row.ballotsPerSecond;
  figures[PARALLEL_WORKERS_KEY] = 2;
  figures[PARALLEL_RATIO_KEY] = 2;
  return {
    backend: { name: backend, reason: 'test' },
    plan,
    rows,
    parallel: {
      backend,
      ballots: plan.parallelBallots,
      chunkSize: 16,
      rows: parallelRows,
      figures,
    },
    figures,
    seconds: 1,
  };
}

function modpowRows(bigIntUs: number, openSslUs: number): RowResult[] {
  return (['modpow4096_bigint_us', 'modpow4096_openssl_us'] as const).map((key) => ({
    key,
    section: 'modpow',
    label: FIXED_FIGURES[key].label,
    value: key === 'modpow4096_bigint_us' ? bigIntUs : openSslUs,
    unit: 'µs',
    per: 'op',
    perSecond: 1,
    calls: 1,
    samples: 1,
    spread: 0,
  }));
}

function fakeRun(withNative: boolean): BenchRun {
  return {
    mode: 'standard',
    machine: describeMachine(new Date(0)),
    native: withNative ? fakeReport('native', 'standard', 2) : undefined,
    ...(withNative ? {} : { nativeUnavailable: 'no addon' }),
    noble: fakeReport('noble', 'standard', 60),
    modpow: modpowRows(5000, 1000),
    seconds: 10,
  };
}

describe('npm run bench -- --sections', () => {
  it('runs only the sections named, and refuses an unknown one', async () => {
    expect(existsSync(MAIN), `${MAIN} is missing: run npm run build`).toBe(true);
    const run = promisify(execFile);
    const nativeBuilt = existsSync(process.env.ACTA_NATIVE_ADDON_PATH ?? ADDON);
    const { stdout } = await run(
      process.execPath,
      ['--expose-gc', MAIN, '--quick', '--json', '--sections', 'verify'],
      { maxBuffer: 16 * 1024 * 1024 },
    );
    const json = JSON.parse(stdout) as Record<string, unknown>;
    const numeric = Object.keys(json).filter((k) => typeof json[k] === 'number' && k !== 'seconds');
    // Without the native addon the verify section is skipped (it says so), and nothing else runs.
    expect(numeric.length > 0).toBe(nativeBuilt);
    expect(numeric.every((k) => k.startsWith('verify_'))).toBe(true);
    await expect(run(process.execPath, [MAIN, '--sections', 'crypto,nope'])).rejects.toMatchObject({
      code: 2,
    });
  }, 120_000);
});

describe('combining the backends', () => {
  it('puts both backends side by side with the native speed-up, per unit of work', () => {
    const sections = combineSections(fakeRun(true));
    expect(sections.map((s) => s.id)).toEqual([
      'encoding',
      'multiplication',
      'msm',
      'ballot',
      'proofs',
      'parallel',
    ]);
    const decode = sections[0]!.rows.find((r) => r.id === 'element_decode_us')!;
    expect(decode.native?.value).toBe(2);
    expect(decode.noble?.value).toBe(60);
    expect(decode.speedup).toBe(30);
    // Rates: higher is better, so the speed-up is native / noble.
    const allCores = sections[5]!.rows.find((r) => r.id === 'all_cores')!;
    expect(allCores.native?.key).toBe(parallelKey(10_000, 'all_cores'));
    expect(allCores.noble?.key).toBe(parallelKey(200, 'all_cores'));
    expect(allCores.speedup).toBe(30);
    expect(allCores.unit).toBe('ballots/s');
  });

  it('computes no speed-up for a size only one backend ran', () => {
    const msm = combineSections(fakeRun(true))[2]!;
    expect(msm.rows.map((r) => r.id)).toEqual([64, 1024, 16_384, 131_072].map(msmKey));
    const largest = msm.rows[3]!;
    expect(largest.native?.value).toBe(2);
    expect(largest.noble).toBeUndefined();
    expect(largest.speedup).toBeUndefined();
    expect(formatRunReport(fakeRun(true))).toContain('noble ran MSMs up to 16,384 terms');
  });

  it('prefixes every backend figure and keeps the ElectionGuard figures unprefixed', () => {
    const figures = runFigures(fakeRun(true));
    expect(figures.native_element_decode_us).toBe(2);
    expect(figures.noble_element_decode_us).toBe(60);
    expect(figures.native_selection_batch_per_s).toBe(500_000);
    expect(figures.native_verify_10000_ballots_all_cores_per_s).toBe(100);
    expect(figures.noble_verify_200_ballots_in_thread_per_s).toBeCloseTo(100 / 60, 12);
    expect(figures.modpow4096_openssl_us).toBe(1000);
    expect(figures.eg_selection_verify_openssl_ms).toBe(10);
    expect(figures.native_msm_131072_us_per_term).toBe(2);
    expect(figures.noble_msm_131072_us_per_term).toBeUndefined();
    for (const value of Object.values(figures)) expect(isPositiveFinite(value)).toBe(true);
  });

  it('checks the targets on native, or on noble when native did not run, and says so', () => {
    const withNative = runTargets(fakeRun(true));
    expect(withNative.map((t) => [t.key, t.backend, t.measured, t.met])).toEqual([
      ['selection_batch_per_s', 'native', 500_000, true],
      ['element_decode_us', 'native', 2, true],
      ['msm_16384_us_per_term', 'native', 2, true],
      ['ballot38_encrypt_prove_ms', 'native', 2, true],
    ]);
    const nobleOnly = fakeRun(false);
    expect(runTargets(nobleOnly).map((t) => [t.backend, t.met])).toEqual([
      ['noble', false],
      ['noble', false],
      ['noble', false],
      ['noble', false],
    ]);
    const report = formatRunReport(nobleOnly);
    expect(report).toContain('Backend native: NOT AVAILABLE (no addon)');
    expect(report).toContain('measured (noble)');
    const json = JSON.parse(formatJson(nobleOnly)) as Record<string, unknown>;
    expect(json.backends).toMatchObject({ native: { available: false, reason: 'no addon' } });
    expect(Object.keys(json).some((k) => k.startsWith('native_'))).toBe(false);
    expect(isPositiveFinite(json.noble_element_decode_us)).toBe(true);
  });

  it('derives the comparison and national-scale figures from the measured ones', () => {
    const figures: Record<string, number> = {
      selection_batch380_us_per_proof: 500,
      selection_verify_us: 2000,
      ballot38_batch10_ms_per_ballot: 36,
      ballot38_verify_one_by_one_ms: 180,
      [parallelKey(200, 'all_cores')]: 31,
    };
    const d = Object.fromEntries(
      deriveBackendFigures(figures, 1000, 200).map((f) => [f.key, f.value]),
    );
    expect(d.selection_batch_per_s).toBe(2000);
    expect(d.eg_openssl_vs_acta_selection_verify_ratio).toBe(5);
    expect(d.eg_openssl_vs_acta_batched_selection_ratio).toBe(20);
    // 471.2 M proofs × 500 µs = 235,600 s = 65.44 h.
    expect(d.ve2024_selection_proofs_batched_core_hours).toBeCloseTo(235_600 / 3600, 9);
    // 12.4 M ballots × 36 ms = 446,400 s = 124 h.
    expect(d.ve2024_verify_batched_core_hours).toBeCloseTo(124, 9);
    expect(d.ve2024_verify_one_by_one_core_hours).toBeCloseTo(620, 9);
    expect(d.ve2024_verify_all_cores_hours).toBeCloseTo(12_400_000 / 31 / 3600, 9);
    const eg = Object.fromEntries(
      deriveElectionGuardFigures(5000, 1000).map((f) => [f.key, f.value]),
    );
    expect(eg.eg_selection_verify_bigint_ms).toBe(50);
    expect(eg.eg_selection_verify_openssl_ms).toBe(10);
    expect(eg.ve2024_selection_proofs).toBe(12_400_000 * 38);
    expect(eg.ve2024_eg_openssl_selection_core_hours).toBeCloseTo((471_200_000 * 0.01) / 3600, 6);
    expect(() => deriveBackendFigures({}, 1000, 200)).toThrow(RangeError);
  });

  it('meets a target exactly at its bound, and not beyond it', () => {
    const at = (decodeUs: number, perS: number): boolean[] =>
      evaluateTargets(
        {
          element_decode_us: decodeUs,
          selection_batch_per_s: perS,
          msm_16384_us_per_term: 6,
          ballot38_encrypt_prove_ms: 5,
        },
        'native',
      ).map((t) => t.met);
    expect(at(10, 20_000)).toEqual([true, true, true, true]);
    expect(at(10.01, 19_999)).toEqual([false, false, true, true]);
    expect(evaluateTargets({}, 'native').every((t) => t.measured === null && !t.met)).toBe(true);
  });

  it('scales noble down in a standard run only, and tells the plan apart', () => {
    expect(planFor('native', 'standard')).toMatchObject({
      msmSizes: [64, 1024, 16_384, 131_072],
      parallelBallots: 10_000,
      scaledDown: false,
    });
    expect(planFor('noble', 'standard')).toMatchObject({
      msmSizes: [64, 1024, 16_384],
      parallelBallots: 200,
      scaledDown: true,
    });
    expect(planFor('noble', 'full')).toEqual(planFor('native', 'full'));
    expect(deriveRun(fakeRun(true)).native).toBeDefined();
  });

  it('prints Markdown tables whose columns line up', () => {
    const table = formatTable(
      ['a', 'bb'],
      [
        ['xyz', '1'],
        ['w', '22'],
      ],
      [false, true],
    );
    expect(table.split('\n')).toEqual([
      '| a   | bb |',
      '| --- | -: |',
      '| xyz |  1 |',
      '| w   | 22 |',
    ]);
  });
});

describe('measure', () => {
  it('times at least the minimum number of samples and calls', () => {
    let calls = 0;
    const m = measure(
      () => {
        calls++;
        return calls;
      },
      { minTimeMs: 5, minSamples: 3, warmupMs: 0 },
    );
    expect(m.samples).toBeGreaterThanOrEqual(3);
    expect(m.calls).toBeGreaterThanOrEqual(3);
    // Warm-up calls are not counted as timed calls.
    expect(calls).toBeGreaterThan(m.calls);
    expect(isPositiveFinite(m.usPerCall)).toBe(true);
    expect(m.spread).toBeGreaterThanOrEqual(0);
  });

  it('without warm-up, counts a first call that fills a whole sample', () => {
    let calls = 0;
    const busy = (): number => {
      calls++;
      const until = performance.now() + 3;
      while (performance.now() < until);
      return calls;
    };
    const m = measure(busy, { minTimeMs: 10, minSamples: 1, warmupMs: 0 });
    expect(m.calls).toBe(calls);
    expect(m.usPerCall).toBeGreaterThanOrEqual(3000);
  });
});
