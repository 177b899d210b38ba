// The state machine's deferred-proof mode (ApplyOptions.deferContestProof,
// used by the verifier of issue #5): replaying a simulated board with the
// ballot proofs handed out gives exactly the state of the ordinary replay
// (every tally, chain head and count), every handed-out proof verifies, and a
// ballot whose proof was forged by its own device is accepted by the deferred
// replay — only its handed-out proof fails (and the acta it no longer
// matches) — while the ordinary replay refuses it with BALLOT_PROOF.
// Proof-free rules (chains, style, signatures) still run.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  decodeEncryptedContest,
  generateSigningKeyPair,
  verifyContest,
  type SigningSecretKey,
} from '@acta/crypto';
import {
  applyEntry,
  buildDemoManifest,
  computeTrackingCode,
  createElectionState,
  parseManifest,
  parseEntryLine,
  signEntryBody,
  type DeferredContestProof,
  type ElectionState,
  type Entry,
  type EntryBody,
  type Manifest,
} from '@acta/protocol';
import { openSqliteStore } from '@acta/store';
import { ElectionService, simulateElection } from '../src/index.js';

const dir = mkdtempSync(join(tmpdir(), 'acta-deferred-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function example(name: 'national-ve2024' | 'municipal'): Manifest {
  const url = new URL(`../../../libs/protocol/examples/${name}.json`, import.meta.url);
  const m = parseManifest(JSON.parse(readFileSync(url, 'utf8')) as unknown);
  if (!m.ok) throw new Error(m.error.message);
  return m.value;
}

const entries: Entry[] = [];
let deviceKeys = new Map<string, SigningSecretKey>();

beforeAll(async () => {
  const store = await openSqliteStore(join(dir, 'board.sqlite'));
  let t = 1_790_000_000_000;
  const service = await ElectionService.open({
    store,
    authorityKey: generateSigningKeyPair().secretKey,
    clock: () => (t += 3),
  });
  const result = await simulateElection(service, {
    manifest: buildDemoManifest(example('municipal'), { mesas: 2, seed: 'deferred' }),
    voters: 24,
    trustees: 3,
    quorum: 2,
    seed: 'deferred',
    deterministicCrypto: true,
    spoilRate: 0.2,
  });
  deviceKeys = new Map([...result.parties.devices].map(([mesa, d]) => [mesa, d.key]));
  const decoder = new TextDecoder();
  for await (const e of store.entries()) {
    const parsed = parseEntryLine(decoder.decode(e.payload));
    if (!parsed.ok) throw new Error(parsed.error.message);
    entries.push(parsed.value);
  }
  await store.close();
}, 120_000);

function replay(list: readonly Entry[], defer: boolean) {
  const state = createElectionState();
  const jobs: DeferredContestProof[] = [];
  const refusals: string[] = [];
  for (const entry of list) {
    const r = applyEntry(state, entry, defer ? { deferContestProof: (job) => jobs.push(job) } : {});
    if (!r.ok) refusals.push(`${r.error.code} at ${r.error.where}`);
  }
  return { state, jobs, refusals };
}

function summary(state: ElectionState) {
  return [...state.mesas.values()].map((m) => ({
    id: m.id,
    counts: [m.registered, m.checkedIn, m.cast, m.spoiled, m.sequence],
    chainHead: m.chainHead,
    tally: m.tally.map((row) => row.map((c) => `${c.alpha.toHex()}${c.beta.toHex()}`)),
    result: m.result?.counts,
  }));
}

function plainState(): ElectionState {
  return replay(entries, false).state;
}

function verifyJob(job: DeferredContestProof): boolean {
  const contest = decodeEncryptedContest(job.encrypted, job.where);
  return contest.ok && verifyContest(job.context, job.publicKey, contest.value, job.limit).ok;
}

describe('deferred ballot proofs', () => {
  it('give the state of the ordinary replay, and every handed-out proof verifies', () => {
    const plain = replay(entries, false);
    const deferred = replay(entries, true);
    expect(plain.refusals).toEqual([]);
    expect(deferred.refusals).toEqual([]);
    expect(plain.state.totals).toBeDefined();
    expect(summary(deferred.state)).toEqual(summary(plain.state));
    expect(deferred.state.counts).toEqual(plain.state.counts);
    const ballots = entries.filter((e) => e.type === 'ballot');
    // One job per contest of every ballot, cast or spoiled, in record order.
    expect(deferred.jobs.length).toBe(ballots.reduce((n, e) => n + e.body.contests.length, 0));
    expect(deferred.jobs.every((j, i) => i === 0 || j.entry >= deferred.jobs[i - 1]!.entry)).toBe(
      true,
    );
    expect(deferred.jobs.every(verifyJob)).toBe(true);
  });

  it('hand out a forged proof instead of refusing it; the ordinary replay refuses it', () => {
    // The last ballot of a mesa, so that no later ballot continues its chain.
    const acta = entries.findIndex((e) => e.type === 'acta');
    const mesa = (entries[acta] as Entry & { type: 'acta' }).body.mesa;
    const at = entries.findLastIndex(
      (e, i) => i < acta && e.type === 'ballot' && e.body.mesa === mesa,
    );
    const ballot = entries[at] as Entry & { type: 'ballot' };
    // The device swaps two selections' proofs, recomputes the tracking code
    // and re-signs: the ciphertexts, the ballot's chain link and its signature
    // are right, only a proof is wrong (and the acta's chain head, which the
    // device did not re-sign, no longer matches).
    const encrypted = structuredClone(ballot.body.contests[0]!.encrypted) as {
      selections: { proof: unknown }[];
    };
    const [p0, p1] = [encrypted.selections[0]!.proof, encrypted.selections[1]!.proof];
    encrypted.selections[0]!.proof = p1;
    encrypted.selections[1]!.proof = p0;
    const { signature: _old, ...unsigned } = ballot.body;
    const contests = [
      { ...ballot.body.contests[0]!, encrypted },
      ...ballot.body.contests.slice(1),
    ] as EntryBody<'ballot'>['contests'];
    const trackingCode = computeTrackingCode(
      plainState().key!.electionHash,
      unsigned.mesa,
      unsigned.sequence,
      unsigned.previousCode,
      contests,
    );
    const body = signEntryBody(
      'ballot',
      { ...unsigned, contests, trackingCode },
      deviceKeys.get(ballot.body.mesa)!,
    );
    const forged = [...entries];
    forged[at] = { ...ballot, body };

    const plain = replay(forged, false);
    expect(plain.refusals[0]).toMatch(
      new RegExp(`^BALLOT_PROOF at entries\\[${at}\\]\\.body\\.contests\\[0\\]\\.encrypted`),
    );
    const deferred = replay(forged, true);
    expect(deferred.refusals[0]).toMatch(
      new RegExp(`^ACTA_CHAIN_MISMATCH at entries\\[${acta}\\]\\.body\\.chainHead`),
    );
    const failing = deferred.jobs.filter((j) => !verifyJob(j));
    expect(failing.map((j) => [j.entry, j.where])).toEqual([
      [at, `entries[${at}].body.contests[0].encrypted`],
    ]);
  });

  it('still apply every other ballot rule (here: the chain) without the proofs', () => {
    const mesa = entries.find((e) => e.type === 'ballot')!.body;
    const ballots = entries.flatMap((e, i) =>
      e.type === 'ballot' && e.body.mesa === mesa.mesa ? [i] : [],
    );
    const [first, second] = [ballots[0]!, ballots[1]!];
    const swapped = [...entries];
    swapped[first] = entries[second]!;
    swapped[second] = entries[first]!;
    const deferred = replay(swapped, true);
    expect(deferred.refusals[0]).toMatch(/^CHAIN_BROKEN at /);
  });
});
