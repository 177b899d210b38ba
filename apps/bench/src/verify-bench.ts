/**
 * The verifier section of the benchmark (issue #5; docs/performance.md,
 * "Verifying a record"): how fast `acta verify` checks the exported record of
 * the demo election — the national 38-card ballot, 3-of-5 trustees, two
 * absent, 500 voters per mesa — at 10,000 and 100,000 registered voters, with
 * one worker thread for the ballot proofs and with one per core. Figures:
 * wall time, ballots per second and selection proofs per second.
 *
 * Writing a 100,000-voter record takes the simulated election about ten
 * minutes on the benchmark machine, so records are kept between runs in the
 * system's temporary directory, under a name that says what they hold; a kept
 * record that no longer verifies (the format changed) is written again.
 */
import { createReadStream, existsSync } from 'node:fs';
import { mkdir, readFile, rm } from 'node:fs/promises';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { generateSigningKeyPair } from '@acta/crypto';
import { buildDemoManifest, parseManifest, type Manifest } from '@acta/protocol';
import { ElectionService, exportRecord, simulateElection } from '@acta/service';
import { openSqliteStore } from '@acta/store';
import { RECORD_FILES, splitRecordLines, verifyRecord, type RecordSource } from '@acta/verifier';
import type { BoardRow } from './board-bench.js';

/** The sizes of a run: registered voters and mesas of each record. */
export interface VerifyPlan {
  readonly records: readonly { readonly voters: number; readonly mesas: number }[];
}

/** The sizes, or a tiny one for --quick. */
export function verifyPlanFor(quick: boolean): VerifyPlan {
  return quick
    ? { records: [{ voters: 60, mesas: 2 }] }
    : {
        records: [
          { voters: 10_000, mesas: 20 },
          { voters: 100_000, mesas: 200 },
        ],
      };
}

const SEED = 'bench-verify';

async function loadNational(): Promise<Manifest> {
  const url = import.meta.resolve('@acta/protocol/examples/national-ve2024.json');
  const parsed = parseManifest(JSON.parse(await readFile(fileURLToPath(url), 'utf8')) as unknown);
  if (!parsed.ok) throw new Error(`the national example does not parse: ${parsed.error.message}`);
  return parsed.value;
}

async function readSource(dir: string): Promise<RecordSource> {
  const files: Record<string, string> = {};
  for (const name of RECORD_FILES) {
    if (name !== 'entries.ndjson' && existsSync(join(dir, name))) {
      files[name] = await readFile(join(dir, name), 'utf8');
    }
  }
  const stream = createReadStream(join(dir, 'entries.ndjson'), { highWaterMark: 1 << 20 });
  return { files, entryLines: splitRecordLines(stream as AsyncIterable<Uint8Array>) };
}

/** Writes the demo election's record into `dir`. */
async function writeRecord(
  dir: string,
  national: Manifest,
  voters: number,
  mesas: number,
  say: (text: string) => void,
): Promise<void> {
  await rm(dir, { recursive: true, force: true });
  await mkdir(dir, { recursive: true });
  const started = performance.now();
  const store = await openSqliteStore(join(dir, 'board.sqlite'));
  try {
    const service = await ElectionService.open({
      store,
      authorityKey: generateSigningKeyPair().secretKey,
    });
    let last = 0;
    await simulateElection(service, {
      manifest: buildDemoManifest(national, { mesas, seed: SEED }),
      voters,
      trustees: 5,
      quorum: 3,
      absentTrustees: [4, 5],
      seed: SEED,
      onProgress: (phase, done, total) => {
        const now = performance.now();
        if (now - last > 30_000 || done === total) {
          last = now;
          say(`  writing the record: ${phase} ${done}/${total}`);
        }
      },
    });
    await exportRecord(store, join(dir, 'record'));
  } finally {
    await store.close();
  }
  await rm(join(dir, 'board.sqlite'), { force: true });
  say(`  record written in ${((performance.now() - started) / 1000).toFixed(0)} s`);
}

/** Runs the section; `onRow` is called as each figure is measured. */
export async function runVerifyBench(
  plan: VerifyPlan,
  onRow: (row: BoardRow) => void,
  say: (text: string) => void,
): Promise<BoardRow[]> {
  const rows: BoardRow[] = [];
  const national = await loadNational();
  const all = availableParallelism();
  for (const { voters, mesas } of plan.records) {
    const dir = join(
      tmpdir(),
      'acta-bench-records',
      `national-${voters}-voters-${mesas}-mesas-${SEED}`,
    );
    const record = join(dir, 'record');
    const measure = async (workers: number) => {
      const started = performance.now();
      const report = await verifyRecord(await readSource(record), { workers });
      return { report, seconds: (performance.now() - started) / 1000 };
    };
    // All workers first: it also tells whether a kept record still verifies.
    const runs: { workers: number; run: Awaited<ReturnType<typeof measure>> }[] = [];
    for (let attempt = 0; runs.length === 0; attempt++) {
      if (!existsSync(join(record, 'record.json'))) {
        say(`writing the ${voters}-voter record (kept in ${dir} for later runs)`);
        await writeRecord(dir, national, voters, mesas, say);
      }
      const run = await measure(all);
      if (run.report.ok) {
        runs.push({ workers: all, run });
      } else if (attempt === 0) {
        say(
          `  the kept record no longer verifies (${run.report.errors[0]?.code}): writing it again`,
        );
        await rm(dir, { recursive: true, force: true });
      } else {
        const e = run.report.errors[0];
        throw new Error(`a freshly written record does not verify: ${e?.code} at ${e?.where}`);
      }
    }
    if (all !== 1) runs.push({ workers: 1, run: await measure(1) });
    for (const { workers, run } of runs.sort((a, b) => a.workers - b.workers)) {
      const { report, seconds } = run;
      if (!report.ok) throw new Error(`the record stopped verifying: ${report.errors[0]?.code}`);
      const tag = `verify_${voters}_voters_${workers}_workers`;
      const what = `${voters.toLocaleString('en-US')} voters (${report.checked.ballots.toLocaleString('en-US')} ballots), ${workers} worker${workers === 1 ? '' : 's'}`;
      for (const row of [
        { key: `${tag}_s`, label: `verify the record: ${what}`, value: seconds, unit: 's' },
        {
          key: `${tag}_ballots_per_s`,
          label: `  ballots verified per second`,
          value: report.checked.ballots / seconds,
          unit: 'ballots/s',
        },
        {
          key: `${tag}_selection_proofs_per_s`,
          label: `  selection proofs verified per second`,
          value: report.checked.selectionProofs / seconds,
          unit: 'proofs/s',
        },
      ]) {
        rows.push(row);
        onRow(row);
      }
    }
  }
  return rows;
}
