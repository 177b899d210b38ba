/**
 * The board section of the benchmark (issue #4; docs/performance.md, "The
 * election on the board"): what the election service sustains on the embedded
 * SQLite board, on the native backend, in one process —
 *
 *  - ballots cast per second into the board, encryption excluded: ballots are
 *    encrypted by their devices first (untimed), then submitted, each checked
 *    by the state machine (proofs, chain, signature, check-in count) and
 *    stored durably; the mesas submit concurrently, as separate devices do,
 *    so the store group-commits them;
 *  - the same with the encryption included (device time + board time);
 *  - closing and tallying a mesa: its acta, a quorum of trustees' decryption
 *    shares with proofs, the mesa result recombined and checked;
 *  - the wall time of the whole demo election at 10,000 voters in 20 mesas
 *    (what `acta demo --voters 10000 --mesas 20` does, replay included).
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createSeededRng, generateSigningKeyPair } from '@acta/crypto';
import { buildDemoManifest, parseManifest, type Entry, type Manifest } from '@acta/protocol';
import { ElectionService, simulateElection } from '@acta/service';
import { openSqliteStore } from '@acta/store';

/** One measured figure of the section. */
export interface BoardRow {
  readonly key: string;
  readonly label: string;
  readonly value: number;
  readonly unit: string;
}

/** Sizes of a run. */
export interface BoardPlan {
  readonly mesas: number;
  readonly ballotsPerMesa: number;
  readonly demoVoters: number;
  readonly demoMesas: number;
}

/** The plan of a mode: the sizes, or tiny ones for --quick. */
export function boardPlanFor(quick: boolean): BoardPlan {
  return quick
    ? { mesas: 2, ballotsPerMesa: 10, demoVoters: 60, demoMesas: 2 }
    : { mesas: 10, ballotsPerMesa: 100, demoVoters: 10_000, demoMesas: 20 };
}

async function loadNational(): Promise<Manifest> {
  const url = import.meta.resolve('@acta/protocol/examples/national-ve2024.json');
  const parsed = parseManifest(JSON.parse(await readFile(fileURLToPath(url), 'utf8')) as unknown);
  if (!parsed.ok) throw new Error(`the national example does not parse: ${parsed.error.message}`);
  return parsed.value;
}

function must<T>(r: { ok: true; value: T } | { ok: false; error: { message: string } }): T {
  if (!r.ok) throw new Error(`board benchmark: refused: ${r.error.message}`);
  return r.value;
}

/** Runs the section; `onRow` is called as each figure is measured. */
export async function runBoardBench(
  plan: BoardPlan,
  onRow: (row: BoardRow) => void,
): Promise<BoardRow[]> {
  const rows: BoardRow[] = [];
  const emit = (row: BoardRow): void => {
    rows.push(row);
    onRow(row);
  };
  const national = await loadNational();
  const dir = await mkdtemp(join(tmpdir(), 'acta-bench-board-'));
  try {
    // -- an election at polls open, every voter registered
    const manifest = buildDemoManifest(national, { mesas: plan.mesas, seed: 'bench' });
    const store = await openSqliteStore(join(dir, 'cast.sqlite'));
    const service = await ElectionService.open({
      store,
      authorityKey: generateSigningKeyPair().secretKey,
    });
    const voters = plan.mesas * plan.ballotsPerMesa;
    const sim = await simulateElection(service, {
      manifest,
      voters: voters * 2,
      trustees: 5,
      quorum: 3,
      seed: 'bench',
      stopAfter: 'registry',
    });
    const state = service.state;
    const electionId = state.election!.id;
    const rng = createSeededRng('acta-bench-board');
    const mesas = [...state.mesas.values()];
    const byMesa = new Map<string, typeof sim.parties.cards>();
    for (const card of sim.parties.cards) {
      const list = byMesa.get(card.mesa) ?? [];
      byMesa.set(card.mesa, [...list, card]);
    }
    // Check-ins first (untimed): every ballot below needs one.
    await Promise.all(
      mesas.map(async (mesa) => {
        const pollBook = sim.parties.pollBooks.get(mesa.id)!;
        const cards = (byMesa.get(mesa.id) ?? []).slice(0, plan.ballotsPerMesa);
        if (cards.length < plan.ballotsPerMesa) {
          throw new Error(`board benchmark: mesa ${mesa.id} has too few voters`);
        }
        for (const card of cards) {
          must(
            await service.submit(
              pollBook.checkin(service.now(), electionId, card, pollBook.challenge(rng)),
            ),
          );
        }
      }),
    );
    // Encrypt every ballot (the devices' work), then submit (the board's).
    const encryptStart = performance.now();
    const ballots = new Map<string, Entry[]>();
    for (const mesa of mesas) {
      const device = sim.parties.devices.get(mesa.id)!;
      const list: Entry[] = [];
      for (let i = 0; i < plan.ballotsPerMesa; i++) {
        const votes = mesa.contests.map((c) =>
          c.cardIds.map((_, k) => Number(k === (i * 7) % c.cardIds.length)),
        );
        list.push(device.ballot(service.now(), state, votes, 'cast', rng).entry);
        device.accept();
      }
      ballots.set(mesa.id, list);
    }
    const encryptSeconds = (performance.now() - encryptStart) / 1000;
    const castStart = performance.now();
    await Promise.all(
      mesas.map(async (mesa) => {
        for (const entry of ballots.get(mesa.id)!) must(await service.submit(entry));
      }),
    );
    const castSeconds = (performance.now() - castStart) / 1000;
    emit({
      key: 'board_cast_ballots_per_s_excluding_encryption',
      label: `ballots cast into the board, encryption excluded (${voters} ballots, ${plan.mesas} mesas at once)`,
      value: voters / castSeconds,
      unit: 'ballots/s',
    });
    emit({
      key: 'board_cast_ballots_per_s_including_encryption',
      label: 'ballots cast into the board, encryption included (one core)',
      value: voters / (castSeconds + encryptSeconds),
      unit: 'ballots/s',
    });

    // -- close and tally every mesa: acta, 3 decryptions, the mesa result
    const trustees = sim.parties.trustees;
    // The ceremony ran before the registry: every trustee holds its key share.
    const closeStart = performance.now();
    for (const mesa of mesas) {
      const device = sim.parties.devices.get(mesa.id)!;
      must(
        await service.submit(
          device.close(service.now(), state, {
            registered: mesa.registered,
            checkedIn: mesa.checkedIn,
          }),
        ),
      );
      for (const t of trustees.slice(0, 3)) {
        must(await service.submit(must(t.decrypt(service.now(), state, mesa, rng))));
      }
      must(await service.submit(must(service.authority.mesaResult(service.now(), state, mesa))));
    }
    const closeSeconds = (performance.now() - closeStart) / 1000;
    emit({
      key: 'board_close_and_tally_ms_per_mesa',
      label: `close and tally one mesa of ${plan.ballotsPerMesa} ballots (acta, 3 trustees' shares, result)`,
      value: (1000 * closeSeconds) / plan.mesas,
      unit: 'ms/mesa',
    });
    await store.close();

    // -- the whole demo election, replay included
    const demoManifest = buildDemoManifest(national, { mesas: plan.demoMesas, seed: 'bench-demo' });
    const demoStart = performance.now();
    const demoPath = join(dir, 'demo.sqlite');
    const demoStore = await openSqliteStore(demoPath);
    const demo = await ElectionService.open({
      store: demoStore,
      authorityKey: generateSigningKeyPair().secretKey,
    });
    await simulateElection(demo, {
      manifest: demoManifest,
      voters: plan.demoVoters,
      trustees: 5,
      quorum: 3,
      absentTrustees: [4, 5],
      seed: 'bench-demo',
    });
    await demoStore.close();
    const reopened = await openSqliteStore(demoPath, { readonly: true });
    await ElectionService.open({
      store: reopened,
      authorityKey: generateSigningKeyPair().secretKey,
    });
    await reopened.close();
    emit({
      key: `board_demo_${plan.demoVoters}_voters_${plan.demoMesas}_mesas_s`,
      label: `acta demo wall time, ${plan.demoVoters.toLocaleString('en-US')} voters in ${plan.demoMesas} mesas (replay included)`,
      value: (performance.now() - demoStart) / 1000,
      unit: 's',
    });
    return rows;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
