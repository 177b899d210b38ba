/**
 * A whole simulated election on a board (issue #4, "npm run demo"): every
 * party is played by this process — the authority, the registry, n trustees
 * (of whom only a quorum shows up to decrypt), a device and a poll book per
 * mesa, witnesses and the voters — but every one of them goes through the
 * election service exactly as separate machines would: signed entries,
 * checked by the state machine, durable on the board before they count.
 *
 * Voters have preferences drawn from a seeded generator (so a seed replays
 * the same election), turn out with a per-mesa probability, and a few spoil a
 * ballot first to challenge the device (Benaloh). The plaintext choices are
 * kept aside so callers can check the decrypted totals against them.
 */
import {
  createSeededRng,
  defaultRng,
  generateSigningKeyPair,
  type Rng,
  type SigningSecretKey,
} from '@acta/crypto';
import {
  PollBook,
  Trustee,
  VotingDevice,
  createSignedEntry,
  issueCredential,
  type BallotReceipt,
  type DeviceBallot,
  type CredentialCard,
  type Entry,
  type EntryBody,
  type Manifest,
  type MesaState,
  type PaperRecord,
  type ProtocolError,
} from '@acta/protocol';
import { createEncryptionPool } from './encrypt-pool.js';
import type { ElectionService, Receipt } from './service.js';

/** What to simulate. */
export interface SimulationOptions {
  readonly manifest: Manifest;
  /** Registered voters, spread over the manifest's mesas. */
  readonly voters: number;
  readonly trustees: number;
  readonly quorum: number;
  /** Trustees that do not show up to decrypt (at most trustees − quorum). */
  readonly absentTrustees?: readonly number[];
  /** Seeds every random choice of the simulation (voters, turnout, preferences). */
  readonly seed: string;
  /**
   * Seeds the cryptographic randomness too (keys, nonces), making the whole
   * record reproducible — for tests only; by default it comes from the system CSPRNG.
   */
  readonly deterministicCrypto?: boolean;
  /** Fraction of voters who spoil one ballot before casting (default 0.02). */
  readonly spoilRate?: number;
  /**
   * Encrypt the devices' ballots on worker threads (default true; always off
   * with deterministicCrypto, whose draws all come from one seeded generator).
   */
  readonly encryptionThreads?: boolean;
  /** Called for every ballot once the board acknowledged it (durable). */
  readonly onBallot?: (receipt: BallotReceipt) => void;
  /** Stop after this phase (tests drive the rest by hand; `totals` is then empty). */
  readonly stopAfter?: SimulationPhase;
  /** Progress: phase name, items done, items in the phase. */
  readonly onProgress?: (phase: SimulationPhase, done: number, total: number) => void;
}

/** The phases of a simulation, in order. */
export type SimulationPhase =
  'setup' | 'ceremony' | 'registry' | 'voting' | 'closing' | 'decryption' | 'results';

/** The outcome of a simulation. */
export interface SimulationResult {
  /** What the voters chose, per contest per card (the truth the totals must equal). */
  readonly expected: Record<string, number[]>;
  /** The totals entry's results (from the board). */
  readonly totals: EntryBody<'totals'>['results'];
  readonly mesas: number;
  readonly registered: number;
  readonly checkedIn: number;
  readonly cast: number;
  readonly spoiled: number;
  readonly entries: number;
  readonly receipts: readonly BallotReceipt[];
  readonly paper: readonly PaperRecord[];
  /** Secret material of the simulated parties (tests use it to attack the board). */
  readonly parties: {
    readonly registryKey: SigningSecretKey;
    readonly trustees: readonly Trustee[];
    readonly devices: ReadonlyMap<string, VotingDevice>;
    readonly pollBooks: ReadonlyMap<string, PollBook>;
    readonly cards: readonly CredentialCard[];
    readonly witnesses: readonly SigningSecretKey[];
  };
  readonly phaseSeconds: Readonly<Record<SimulationPhase, number>>;
}

/** Fails loudly: in a simulation of honest parties, a refusal is a bug. */
function must<T>(r: { ok: true; value: T } | { ok: false; error: ProtocolError }, what: string): T {
  if (!r.ok)
    throw new Error(
      `simulation: ${what} was refused: ${r.error.code} at ${r.error.where}: ${r.error.message}`,
    );
  return r.value;
}

/** A deterministic number in [0, 1) from the simulation rng. */
function uniform(rng: Rng): number {
  const b = rng.randomBytes(6);
  let n = 0;
  for (const x of b) n = n * 256 + x;
  return n / 2 ** 48;
}

/** Runs a whole election through `service` (which must be on an empty board). */
export async function simulateElection(
  service: ElectionService,
  options: SimulationOptions,
): Promise<SimulationResult> {
  const { manifest } = options;
  const sim = createSeededRng(`acta-demo-simulation/${options.seed}`);
  const crypto: Rng =
    options.deterministicCrypto === true
      ? createSeededRng(`acta-demo-crypto/${options.seed}`)
      : defaultRng;
  const progress = options.onProgress ?? (() => undefined);
  const phaseSeconds = {} as Record<SimulationPhase, number>;
  let phaseStart = performance.now();
  let phase: SimulationPhase = 'setup';
  const enter = (next: SimulationPhase): void => {
    phaseSeconds[phase] = (performance.now() - phaseStart) / 1000;
    phase = next;
    phaseStart = performance.now();
  };
  const absent = new Set(options.absentTrustees ?? []);
  if (absent.size > options.trustees - options.quorum) {
    throw new RangeError('more absent trustees than the quorum allows');
  }
  const time = (): number => service.now();
  const submit = async (entry: Entry, what: string): Promise<Receipt> =>
    must(await service.submit(entry), what);

  const expected: Record<string, number[]> = {};
  for (const c of manifest.contests) expected[c.id] = c.cards.map(() => 0);
  const receipts: BallotReceipt[] = [];
  const paper: PaperRecord[] = [];
  const cards: CredentialCard[] = [];
  const finish = (totals: EntryBody<'totals'>['results']): SimulationResult => {
    phaseSeconds[phase] = (performance.now() - phaseStart) / 1000;
    let registered = 0;
    let checkedIn = 0;
    let cast = 0;
    let spoiled = 0;
    for (const m of service.state.mesas.values()) {
      registered += m.registered;
      checkedIn += m.checkedIn;
      cast += m.cast;
      spoiled += m.spoiled;
    }
    return {
      expected,
      totals,
      mesas: service.state.mesas.size,
      registered,
      checkedIn,
      cast,
      spoiled,
      entries: service.size,
      receipts,
      paper,
      parties: { registryKey, trustees, devices, pollBooks, cards, witnesses },
      phaseSeconds,
    };
  };

  // -- setup: the election entry (authority), devices, witnesses
  progress('setup', 0, 1);
  const registryKey = generateSigningKeyPair(crypto).secretKey;
  const trustees = Array.from(
    { length: options.trustees },
    (_, i) => new Trustee(i + 1, generateSigningKeyPair(crypto).secretKey),
  );
  await submit(
    service.authority.defineElection(time(), {
      manifest,
      registryKey: registryKey.publicKey().toHex(),
      trusteeKeys: trustees.map((t) => t.publicKey),
      quorum: options.quorum,
    }),
    'the election',
  );
  const state = service.state;
  const mesas = [...state.mesas.values()];
  const devices = new Map<string, VotingDevice>();
  const pollBooks = new Map<string, PollBook>();
  const devicePosts: Promise<Receipt>[] = [];
  for (const mesa of mesas) {
    const device = new VotingDevice(
      mesa,
      generateSigningKeyPair(crypto).secretKey,
      state.election!.id,
    );
    const pollBook = new PollBook(mesa.id, generateSigningKeyPair(crypto).secretKey);
    devices.set(mesa.id, device);
    pollBooks.set(mesa.id, pollBook);
    devicePosts.push(
      submit(
        service.authority.sign('mesa-device', time(), {
          mesa: mesa.id,
          deviceKey: device.publicKey,
          pollWorkerKeys: [pollBook.pollWorkerKey.publicKey().toHex()],
        }),
        `the device of mesa ${mesa.id}`,
      ),
    );
  }
  await Promise.all(devicePosts);
  const witnesses = [
    generateSigningKeyPair(crypto).secretKey,
    generateSigningKeyPair(crypto).secretKey,
  ];
  for (const [i, w] of witnesses.entries()) {
    await submit(
      service.authority.sign('witness', time(), {
        name: `Witness ${i + 1}`,
        key: w.publicKey().toHex(),
      }),
      'a witness',
    );
  }
  progress('setup', 1, 1);
  if (options.stopAfter === 'setup') return finish([]);

  // -- ceremony: round 1, shares, every trustee checks its shares, the joint key
  enter('ceremony');
  const steps = 2 * trustees.length + 1;
  let step = 0;
  for (const t of trustees) {
    await submit(t.round1(time(), state, crypto), `round 1 of trustee ${t.index}`);
    progress('ceremony', ++step, steps);
  }
  const shareBodies: EntryBody<'trustee-shares'>[] = [];
  for (const t of trustees) {
    const e = must(t.shares(time(), state, crypto), `the shares of trustee ${t.index}`);
    await submit(e, `the shares of trustee ${t.index}`);
    shareBodies.push(e.body as EntryBody<'trustee-shares'>);
    progress('ceremony', ++step, steps);
  }
  for (const t of trustees) must(t.finish(state, shareBodies), `trustee ${t.index} finishing`);
  await submit(
    must(service.authority.electionKey(time(), state), 'the joint key'),
    'the election key',
  );
  progress('ceremony', steps, steps);
  if (options.stopAfter === 'ceremony') return finish([]);

  // -- registry: credentials spread over the mesas (unevenly, like real ones)
  enter('registry');
  const weights = mesas.map(() => 0.5 + uniform(sim));
  const weightSum = weights.reduce((a, b) => a + b, 0);
  const votersOf = new Map<string, CredentialCard[]>(mesas.map((m) => [m.id, []]));
  const registrations: Promise<Receipt>[] = [];
  for (let v = 0; v < options.voters; v++) {
    let x = uniform(sim) * weightSum;
    let mi = 0;
    while (mi < mesas.length - 1 && x >= weights[mi]!) x -= weights[mi++]!;
    const mesa = mesas[mi]!;
    const issued = issueCredential({
      electionId: state.election!.id,
      manifestHash: state.election!.manifestHash,
      mesa: mesa.id,
      nationalId: `V-${String(10_000_000 + v)}`,
      serial: 1,
      rng: crypto,
    });
    if (!issued.ok)
      throw new Error(`simulation: issuing a credential failed: ${issued.error.message}`);
    const { card, publicRecord } = issued.value;
    cards.push(card);
    votersOf.get(mesa.id)!.push(card);
    registrations.push(
      submit(
        createSignedEntry(
          'registration',
          time(),
          {
            mesa: mesa.id,
            serial: 1,
            credentialKey: publicRecord.credentialPublicKey,
            identityCommitment: publicRecord.identityCommitment,
          },
          registryKey,
        ),
        `registration ${v}`,
      ),
    );
    if (registrations.length >= 256) {
      await Promise.all(registrations.splice(0));
      progress('registry', v + 1, options.voters);
    }
  }
  await Promise.all(registrations);
  progress('registry', options.voters, options.voters);
  if (options.stopAfter === 'registry') return finish([]);

  // -- voting: every mesa at once (the board group-commits their entries)
  enter('voting');
  const spoilRate = options.spoilRate ?? 0.02;
  // Preferences: one popularity vector per contest, tilted per mesa.
  const popularity = new Map(
    manifest.contests.map((c) => [c.id, c.cards.map(() => uniform(sim) ** 2)]),
  );
  let voted = 0;
  const plan = mesas.map((mesa) => {
    const turnout = 0.55 + 0.35 * uniform(sim);
    const tilt = mesa.contests.map((c) => c.cardIds.map(() => 0.5 + uniform(sim)));
    const ballots = votersOf.get(mesa.id)!.flatMap((card) => {
      if (uniform(sim) >= turnout) return [];
      const votes = mesa.contests.map((c, ci) =>
        chooseVotes(c.limit, popularity.get(c.id)!, tilt[ci]!, sim),
      );
      const spoilFirst = uniform(sim) < spoilRate;
      const spoilVotes = spoilFirst
        ? mesa.contests.map((c, ci) => chooseVotes(c.limit, popularity.get(c.id)!, tilt[ci]!, sim))
        : undefined;
      return [{ card, votes, spoilVotes }];
    });
    return { mesa, ballots };
  });
  const totalBallots = plan.reduce((a, p) => a + p.ballots.length, 0);
  // The devices encrypt on other cores (the board checks on this one), unless
  // the crypto must be reproducible: then every draw comes from one seeded rng here.
  const pool =
    options.deterministicCrypto === true || options.encryptionThreads === false
      ? undefined
      : createEncryptionPool();
  const makeBallot = async (
    device: VotingDevice,
    votes: readonly (readonly number[])[],
    disposition: 'cast' | 'spoiled',
  ): Promise<DeviceBallot> => {
    if (pool === undefined) return device.ballot(time(), state, votes, disposition, crypto);
    const request = device.prepareBallot(state, votes);
    const encryption = await pool.encrypt(request);
    return device.finishBallot(time(), request, encryption, disposition, crypto);
  };
  try {
    await Promise.all(
      plan.map(async ({ mesa, ballots }) => {
        const device = devices.get(mesa.id)!;
        const pollBook = pollBooks.get(mesa.id)!;
        for (const b of ballots) {
          await submit(
            pollBook.checkin(time(), state.election!.id, b.card, pollBook.challenge(crypto)),
            `a check-in at ${mesa.id}`,
          );
          if (b.spoilVotes !== undefined) {
            const spoiled = await makeBallot(device, b.spoilVotes, 'spoiled');
            await submitBallot(service, device, spoiled.entry, `a spoiled ballot at ${mesa.id}`);
            receipts.push(spoiled.receipt);
            options.onBallot?.(spoiled.receipt);
          }
          const cast = await makeBallot(device, b.votes, 'cast');
          await submitBallot(service, device, cast.entry, `a ballot at ${mesa.id}`);
          receipts.push(cast.receipt);
          options.onBallot?.(cast.receipt);
          if (cast.paper !== undefined) paper.push(cast.paper);
          mesa.contests.forEach((c, ci) =>
            b.votes[ci]!.forEach((v, i) => (expected[c.id]![i]! += v)),
          );
          voted += 1;
          if (voted % 50 === 0) progress('voting', voted, totalBallots);
        }
      }),
    );
  } finally {
    await pool?.close();
  }
  progress('voting', totalBallots, totalBallots);
  if (options.stopAfter === 'voting') return finish([]);

  // -- closing: each device prints its acta; both witnesses co-sign it
  enter('closing');
  let closed = 0;
  for (const mesa of mesas) {
    const device = devices.get(mesa.id)!;
    const acta = device.close(time(), state, {
      registered: mesa.registered,
      checkedIn: mesa.checkedIn,
    });
    const receipt = await submit(acta, `the acta of ${mesa.id}`);
    await Promise.all(
      witnesses.map((w) =>
        submit(
          createSignedEntry(
            'acta-cosign',
            time(),
            {
              mesa: mesa.id,
              acta: receipt.leafHash,
              witnessKey: w.publicKey().toHex(),
            },
            w,
          ),
          `a co-signature of ${mesa.id}`,
        ),
      ),
    );
    progress('closing', ++closed, mesas.length);
  }
  if (options.stopAfter === 'closing') return finish([]);

  // -- decryption: the present trustees decrypt every mesa; results per mesa
  enter('decryption');
  const present = trustees.filter((t) => !absent.has(t.index));
  let decrypted = 0;
  for (const mesa of mesas) {
    await Promise.all(
      present.map((t) =>
        submit(
          must(t.decrypt(time(), state, mesa, crypto), `decryption by ${t.index}`),
          `decryption of ${mesa.id}`,
        ),
      ),
    );
    await submit(
      must(service.authority.mesaResult(time(), state, mesa), `result of ${mesa.id}`),
      `result of ${mesa.id}`,
    );
    progress('decryption', ++decrypted, mesas.length);
  }

  // -- results: the totals, then a signed tree head over everything
  enter('results');
  const totalsEntry = service.authority.totals(time(), state);
  await submit(totalsEntry, 'the totals');
  await service.signTreeHead();
  return finish((totalsEntry.body as EntryBody<'totals'>).results);
}

async function submitBallot(
  service: ElectionService,
  device: VotingDevice,
  entry: Entry,
  what: string,
): Promise<void> {
  const r = await service.submit(entry);
  if (!r.ok) {
    device.reject();
    must(r, what);
  }
  device.accept();
}

/**
 * A voter's marks in one contest: up to `limit` distinct cards, drawn by
 * weight (popularity × the mesa's tilt); occasionally fewer (an undervote).
 */
function chooseVotes(
  limit: number,
  popularity: readonly number[],
  tilt: readonly number[],
  rng: Rng,
): number[] {
  const votes = popularity.map(() => 0);
  const marks =
    limit === 1
      ? uniform(rng) < 0.985
        ? 1
        : 0
      : Math.max(0, limit - Math.floor(uniform(rng) * 2));
  for (let k = 0; k < marks; k++) {
    const weights = popularity.map((p, i) => (votes[i] === 1 ? 0 : p * tilt[i]!));
    const sum = weights.reduce((a, b) => a + b, 0);
    if (sum === 0) break;
    let x = uniform(rng) * sum;
    let i = 0;
    while (i < weights.length - 1 && x >= weights[i]!) x -= weights[i++]!;
    votes[i] = 1;
  }
  return votes;
}

export type { MesaState };
