// The verifier's tamper suite (issue #5, "The tamper suite"): one honest
// election (tamper-kit.ts) is exported, then taken apart by attackers and
// checked by `verifyRecord`. Every manipulation is one test that requires
// `ok === false`, the expected code, and a `where` naming the place — the
// entry's line `entries.ndjson:N entries[N-1]…` or the file. Each attacker is
// the strongest one for the case: an insider re-signs with the keys they hold
// (and the other insiders repair everything that follows: `kit.reseal`), so
// that what catches the attack is the deep check — a proof, the chain, a count,
// the decryption, the Merkle root — and not a signature that no longer fits.
// The last block shows what the verifier cannot refute, and what the voter
// concerned can check instead.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  GroupElement,
  Scalar,
  createSeededRng,
  generateSigningKeyPair,
  sha256,
  utf8,
  type Rng,
} from '@acta/crypto';
import {
  createSignedEntry,
  issueCredential,
  type CredentialCard,
  type Entry,
  type EntryBody,
} from '@acta/protocol';
import type { VerificationCode, VerificationReport } from '@acta/verifier';
import { TamperKit, insertAfter, lineOf, replaceAt, type BodyJson } from './tamper-kit.js';

let kit: TamperKit;
/** The three mesas by number of cast ballots: `big` (where both spoiled ballots are), `mid`, `small`. */
let big: string;
let mid: string;
let small: string;

beforeAll(async () => {
  kit = await TamperKit.build();
  const byCast = [...kit.mesaIds].sort((a, b) => kit.mesa(b).cast - kit.mesa(a).cast);
  [big, mid, small] = byCast as [string, string, string];
  // The premises the cases rely on (fixed by the seed; checked so a new seed fails loudly).
  expect(kit.mesa(big).spoiled).toBeGreaterThanOrEqual(1);
  expect(kit.mesa(small).cast).toBeGreaterThanOrEqual(5);
  expect(kit.mesa(small).cast).toBeLessThan(kit.mesa(mid).cast);
  for (const id of kit.mesaIds) expect(kit.mesa(id).cast).toBe(kit.mesa(id).checkedIn);
}, 120_000);

afterAll(() => kit?.close());

/** A fresh seeded generator per test, so that every run builds the same attack. */
function rngFor(name: string): Rng {
  return createSeededRng(`tamper-suite/${name}`);
}

/** Every error of a report, one per line (the message of a failed assertion). */
function listing(report: VerificationReport): string {
  return report.errors.map((e) => `${e.code} at ${e.where}: ${e.message}`).join('\n');
}

/**
 * The record fails, and `code` is reported at `where` (exactly, or as a
 * prefix for crypto failures, whose place goes down into the proof).
 */
function expectDetected(
  report: VerificationReport,
  code: VerificationCode,
  where: string,
  match: 'exact' | 'prefix' = 'exact',
): void {
  expect(report.ok, listing(report)).toBe(false);
  const hit = report.errors.some(
    (e) => e.code === code && (match === 'exact' ? e.where === where : e.where.startsWith(where)),
  );
  expect(hit, `expected ${code} at ${where}; the report says:\n${listing(report)}`).toBe(true);
}

/** As `expectDetected`, and nothing else is wrong: the insiders repaired everything else. */
function expectOnly(
  report: VerificationReport,
  code: VerificationCode,
  where: string,
  match: 'exact' | 'prefix' = 'exact',
): void {
  expectDetected(report, code, where, match);
  expect(report.errors.length, listing(report)).toBe(1);
}

/** The honest index of mesa `mesa`'s ballot number `sequence`. */
function ballotAt(mesa: string, sequence: number): number {
  return kit.indexOf('ballot', (b) => b.mesa === mesa && b.sequence === sequence);
}

/** The honest index of the last ballot of `mesa`. */
function lastBallotOf(mesa: string): number {
  return ballotAt(mesa, kit.mesa(mesa).sequence - 1);
}

/** The honest index of the acta of `mesa`. */
function actaOf(mesa: string): number {
  return kit.indexOf('acta', (b) => b.mesa === mesa);
}

/** Registered cards of `mesa` that never checked in (voters who stayed home). */
function absentVoters(mesa: string): CredentialCard[] {
  return kit.insiders.cards.filter(
    (c) => c.mesa === mesa && kit.state.credentials.get(c.publicKey)?.checkedIn === undefined,
  );
}

/** The card of a voter who checked in at `mesa`, with the index of that check-in. */
function voterWhoVoted(
  mesa: string,
  which: 'first' | 'last',
): { card: CredentialCard; at: number } {
  const ins = kit.indicesOf('checkin', (b) => b.mesa === mesa);
  const at = which === 'first' ? ins[0]! : ins.at(-1)!;
  const key = kit.entry(at, 'checkin').body.credentialKey;
  const card = kit.insiders.cards.find((c) => c.publicKey === key);
  if (card === undefined) throw new Error('no card for a check-in');
  return { card, at };
}

/** The check-in of `card` at `mesa` by that mesa's poll worker (who holds its key). */
function checkinBy(mesa: string, card: CredentialCard, time: number, rng: Rng): Entry {
  const pollBook = kit.insiders.pollBooks.get(mesa)!;
  return pollBook.checkin(time, kit.electionId, card, pollBook.challenge(rng));
}

/** The index of the first entry of `list` that satisfies `predicate`. */
function findIn(list: readonly Entry[], predicate: (e: Entry) => boolean): number {
  const i = list.findIndex(predicate);
  if (i < 0) throw new Error('no such entry');
  return i;
}

/** A mesa's result row moved by one vote from card `from` to card `to` (a copy). */
function moveVote(counts: readonly number[], from: number, to: number): number[] {
  const out = [...counts];
  out[from]! -= 1;
  out[to]! += 1;
  return out;
}

/** The first card with at least one vote, and the first with none. */
function donorAndTaker(counts: readonly number[]): { from: number; to: number } {
  const from = counts.findIndex((n) => n > 0);
  const to = counts.findIndex((n) => n === 0);
  if (from < 0 || to < 0) throw new Error('no card to move a vote between');
  return { from, to };
}

/** The JSON of one encrypted selection, as the attacks edit it. */
interface SelectionJson {
  ciphertext: { alpha: string; beta: string };
  proof: unknown;
}

/** The selections of contest 0 of a ballot body being edited. */
function selectionsOf(body: BodyJson): SelectionJson[] {
  const contests = body['contests'] as { encrypted: { selections: SelectionJson[] } }[];
  return contests[0]!.encrypted.selections;
}

describe('the honest record', () => {
  it('verifies, also after the kit re-seals it and with an honest earlier head', async () => {
    // The baseline the attacks start from: without it a failure could be the kit's.
    const report = await kit.verify(kit.honest);
    expect(report.ok, listing(report)).toBe(true);
    expect(report.checked.spoiledBallots).toBeGreaterThan(0);
    const resealed = kit.reseal(kit.entries);
    expect(resealed).toEqual(kit.entries);
    expect(kit.seal(resealed, 'keep')).toEqual(kit.honest);
    // An earlier head of the same history, in the file and in an observer's hands.
    const earlier = kit.signHead(kit.honest.lines, {
      size: 150,
      timestamp: kit.head.timestamp - 1,
    });
    const latest = kit.signHead(kit.honest.lines);
    const twoHeads = kit.seal(kit.entries, { heads: [earlier, latest] });
    const again = await kit.verify(twoHeads, { knownTreeHeads: [earlier, latest] });
    expect(again.ok, listing(again)).toBe(true);
    expect(again.checked.treeHeads).toBe(4);
  });
});

describe('ballots', () => {
  it('alter one selection ciphertext (BALLOT_PROOF)', async () => {
    // Attacker: every insider (the device re-signs, the trustees decrypt
    // again, the witnesses co-sign the new acta, the authority re-signs
    // results, totals and the tree head). The device takes a vote away from a
    // card by subtracting the generator from β — the tally still decrypts and
    // every count and the chain agree with it — and only the 0/1 proof, which
    // no key can forge, is left to catch it.
    const i = ballotAt(mid, 5);
    const card = kit.mesa(mid).acta!.results[0]!.findIndex((n) => n > 0);
    const edited = kit.resignBallot(kit.entries[i]!, (body) => {
      const s = selectionsOf(body)[card]!;
      const beta = GroupElement.decodeHex(s.ciphertext.beta);
      if (!beta.ok) throw new Error(beta.error.message);
      s.ciphertext.beta = beta.value.subtract(GroupElement.GENERATOR).toHex();
    });
    const record = kit.seal(kit.reseal(replaceAt(kit.entries, i, edited), new Set([i])));
    const report = await kit.verify(record);
    // The failure names the very selection whose ciphertext was changed.
    expectOnly(
      report,
      'BALLOT_PROOF',
      `${lineOf(i)}.body.contests[0].encrypted.selections[${card}]`,
      'prefix',
    );
    // The one test on the worker pool: the same verdict, found on another thread.
    const pooled = await kit.verify(record, { workers: 2 });
    expect(pooled.workers).toBe(2);
    expect(pooled.errors).toEqual(report.errors);
  });

  it('replace a ballot with another valid ballot (CHAIN_BROKEN)', async () => {
    // Attacker: the device (and the authority, for the tree head). It swaps a
    // voter's ballot for one of its own — valid proofs, a valid tracking code
    // at the same place in the chain, its own signature — and leaves the rest
    // of the chain alone so that every later voter still finds their code.
    // The next ballot's previous code then names the tracking code of the
    // ballot that was removed: the chain is what catches it. (Re-chaining
    // everything after it would change every later voter's code; replacing
    // the LAST ballot is only refutable by its voter: see the last block.)
    const i = ballotAt(big, 3);
    const old = kit.entry(i, 'ballot');
    const forged = kit.deviceBallot({
      mesa: big,
      sequence: 3,
      previousCode: old.body.previousCode,
      time: old.time,
      rng: rngFor('replace'),
    });
    expect((forged.body as EntryBody<'ballot'>).trackingCode).not.toBe(old.body.trackingCode);
    const report = await kit.verify(kit.seal(replaceAt(kit.entries, i, forged)));
    const next = ballotAt(big, 4);
    expectDetected(report, 'CHAIN_BROKEN', `${lineOf(next)}.body.previousCode`);
    // The forged ballot itself passes every check: it is its successor that fails.
    expect(report.errors.some((e) => e.where.startsWith(`${lineOf(i)}.`))).toBe(false);
  });

  it('add a ballot with no check-in (NO_CHECKIN)', async () => {
    // Attacker: the device stuffs a valid cast ballot at the end of its
    // chain; the other insiders repair everything after it. Every check-in of
    // the mesa already has its cast ballot, so there is none for this one.
    const last = lastBallotOf(mid);
    const m = kit.mesa(mid);
    const stuffed = kit.deviceBallot({
      mesa: mid,
      sequence: m.sequence,
      previousCode: m.chainHead,
      time: kit.entries[last]!.time + 1,
      rng: rngFor('stuff'),
    });
    const entries = insertAfter(kit.entries, last, stuffed);
    const report = await kit.verify(kit.seal(kit.reseal(entries, new Set([last + 1]))));
    expectOnly(report, 'NO_CHECKIN', `${lineOf(last + 1)}.body`);
  });

  it('add a check-in and a ballot for a credential never registered (UNKNOWN_CREDENTIAL)', async () => {
    // Attacker: the poll worker and the device, with a card they made
    // themselves (its possession signature is genuine). The registry never
    // registered its key, so the check-in is refused — and with it the ballot.
    const rng = rngFor('ghost');
    const issued = issueCredential({
      electionId: kit.electionId,
      manifestHash: kit.state.election!.manifestHash,
      mesa: small,
      nationalId: 'V-99999999',
      serial: 1,
      rng,
    });
    if (!issued.ok) throw new Error(issued.error.message);
    const last = lastBallotOf(small);
    const m = kit.mesa(small);
    const time = kit.entries[last]!.time;
    const checkin = checkinBy(small, issued.value.card, time + 1, rng);
    const ballot = kit.deviceBallot({
      mesa: small,
      sequence: m.sequence,
      previousCode: m.chainHead,
      time: time + 2,
      rng,
    });
    const entries = insertAfter(kit.entries, last, checkin, ballot);
    const report = await kit.verify(kit.seal(kit.reseal(entries, new Set([last + 1, last + 2]))));
    expectDetected(report, 'UNKNOWN_CREDENTIAL', `${lineOf(last + 1)}.body.credentialKey`);
    expectDetected(report, 'NO_CHECKIN', `${lineOf(last + 2)}.body`);
    expect(report.errors.length, listing(report)).toBe(2);
  });

  it('drop a ballot (CHAIN_BROKEN)', async () => {
    // Attacker: the board operator (the authority: it re-signs the tree head
    // over the shorter log). The next ballot of the mesa now arrives with a
    // sequence number one too high; proofs are bound to their sequence, so
    // not even the device could renumber the rest without re-encrypting it.
    const i = ballotAt(big, 5);
    const entries = kit.entries.filter((_, j) => j !== i);
    const report = await kit.verify(kit.seal(entries));
    const next = findIn(
      entries,
      (e) => e.type === 'ballot' && e.body.mesa === big && e.body.sequence === 6,
    );
    expectDetected(report, 'CHAIN_BROKEN', `${lineOf(next)}.body.sequence`);
  });

  it('reorder the chain (CHAIN_BROKEN)', async () => {
    // Attacker: the board operator swaps two ballots of a mesa in the log and
    // re-signs the tree head: the later one now comes where the chain expects
    // the earlier one.
    const a = ballotAt(big, 8);
    const b = ballotAt(big, 9);
    const entries = kit.entries.map((e, j) =>
      j === a ? kit.entries[b]! : j === b ? kit.entries[a]! : e,
    );
    const report = await kit.verify(kit.seal(entries));
    expectDetected(report, 'CHAIN_BROKEN', `${lineOf(a)}.body.sequence`);
  });

  it('reorder the chain, renumbered by the device (BALLOT_PROOF)', async () => {
    // Attacker: the device itself swaps two of its ballots and renumbers them
    // (sequence, previous and tracking codes, signatures), and the other
    // insiders repair the rest: the chain is whole again, but each ballot's
    // proofs were made for its original position.
    const a = ballotAt(big, 8);
    const b = ballotAt(big, 9);
    const first = kit.resignBallot(kit.entries[b]!, (body) => {
      body['sequence'] = 8;
    });
    const second = kit.resignBallot(kit.entries[a]!, (body) => {
      body['sequence'] = 9;
    });
    const entries = replaceAt(replaceAt(kit.entries, a, first), b, second);
    const report = await kit.verify(kit.seal(kit.reseal(entries)));
    expectDetected(report, 'BALLOT_PROOF', `${lineOf(a)}.body.contests[0].encrypted`, 'prefix');
    expectDetected(report, 'BALLOT_PROOF', `${lineOf(b)}.body.contests[0].encrypted`, 'prefix');
    expect(
      report.errors.every((e) => e.code === 'BALLOT_PROOF'),
      listing(report),
    ).toBe(true);
  });

  it('duplicate a ballot in another mesa (BALLOT_PROOF)', async () => {
    // Attacker: the other mesa's device (with every insider repairing what
    // follows). It copies a ballot cast in one mesa over a ballot of its own —
    // same style, a voter who really checked in, re-chained, re-signed — so
    // the copy is counted twice. Its proofs name the mesa and position they
    // were made for.
    const source = kit.entry(ballotAt(big, 2), 'ballot');
    const i = ballotAt(mid, 2);
    const copy = kit.resignBallot(kit.entries[i]!, (body) => {
      body['contests'] = JSON.parse(JSON.stringify(source.body.contests)) as unknown;
    });
    const report = await kit.verify(
      kit.seal(kit.reseal(replaceAt(kit.entries, i, copy), new Set([i]))),
    );
    expectOnly(report, 'BALLOT_PROOF', `${lineOf(i)}.body.contests[0].encrypted`, 'prefix');
  });

  it('use a proof from another election (BALLOT_PROOF)', async () => {
    // Attacker: every insider. The device encrypts under this election's key
    // but with the proofs of another election (say a runoff that reuses the
    // key ceremony): the ciphertexts decrypt, the tracking code is this
    // chain's, and only the election hash inside the proofs' context differs.
    const i = ballotAt(small, 3);
    const old = kit.entry(i, 'ballot');
    const foreign = kit.deviceBallot({
      mesa: small,
      sequence: 3,
      previousCode: old.body.previousCode,
      time: old.time,
      rng: rngFor('foreign'),
      electionHash: sha256(utf8('another election')),
    });
    const report = await kit.verify(
      kit.seal(kit.reseal(replaceAt(kit.entries, i, foreign), new Set([i]))),
    );
    expectOnly(report, 'BALLOT_PROOF', `${lineOf(i)}.body.contests[0].encrypted`, 'prefix');
  });

  it("change a spoiled ballot's randomness (SPOIL_OPENING_MISMATCH)", async () => {
    // Attacker: the device, which encrypted something other than what the
    // voter chose and, challenged, publishes an opening it made up. It
    // re-signs the ballot (the tracking code does not cover the opening). The
    // refused ballot also leaves a gap in its mesa's chain, which no one can
    // close (later proofs are bound to their sequence numbers).
    const i = kit.indexOf(
      'ballot',
      (b) => b.mesa === big && b.disposition === 'spoiled' && b.sequence < 15,
    );
    const edited = kit.resign(kit.entries[i]!, (body) => {
      const opening = body['opening'] as { nonces: string[] }[];
      opening[0]!.nonces[0] = Scalar.random(rngFor('nonce')).toHex();
    });
    const report = await kit.verify(kit.seal(replaceAt(kit.entries, i, edited)));
    expectDetected(report, 'SPOIL_OPENING_MISMATCH', `${lineOf(i)}.body.opening[0].votes[0]`);
  });

  it('count a spoiled ballot as cast (NO_CHECKIN)', async () => {
    // Attacker: the device turns a challenged (spoiled) ballot into a cast one
    // — the tracking code does not cover the disposition — drops its opening
    // and re-signs; the insiders repair what follows. The voter's check-in is
    // now used by the spoiled ballot, so the ballot they really cast has none.
    const i = kit.indexOf(
      'ballot',
      (b) => b.mesa === big && b.disposition === 'spoiled' && b.sequence < 15,
    );
    const edited = kit.resign(kit.entries[i]!, (body) => {
      body['disposition'] = 'cast';
      delete body['opening'];
    });
    const report = await kit.verify(
      kit.seal(kit.reseal(replaceAt(kit.entries, i, edited), new Set([i]))),
    );
    const cast = ballotAt(big, kit.entry(i, 'ballot').body.sequence + 1);
    expectDetected(report, 'NO_CHECKIN', `${lineOf(cast)}.body`);
  });

  it('cast a ballot after the mesa closed (MESA_CLOSED)', async () => {
    // Attacker: the device adds a valid ballot after its acta (late stuffing).
    const acta = actaOf(small);
    const m = kit.mesa(small);
    const late = kit.deviceBallot({
      mesa: small,
      sequence: m.sequence,
      previousCode: m.chainHead,
      time: kit.entries[acta]!.time + 1,
      rng: rngFor('late'),
    });
    const report = await kit.verify(kit.seal(insertAfter(kit.entries, acta, late)));
    expectOnly(report, 'MESA_CLOSED', `${lineOf(acta + 1)}.body.mesa`);
  });
});

describe('check-ins and credentials', () => {
  it('check in a voter at the wrong mesa (WRONG_MESA)', async () => {
    // Attacker: the poll worker and device of another mesa, holding the card
    // of a voter who stayed home (the registry kept it): a genuine possession
    // signature, countersigned — at a mesa the voter is not registered at.
    const card = absentVoters(big)[0]!;
    const { entries, last } = voteAfterLastBallot(small, card, rngFor('wrong-mesa'));
    const report = await kit.verify(kit.seal(kit.reseal(entries, new Set([last + 1, last + 2]))));
    expectDetected(report, 'WRONG_MESA', `${lineOf(last + 1)}.body.mesa`);
    expectDetected(report, 'NO_CHECKIN', `${lineOf(last + 2)}.body`);
    expect(report.errors.length, listing(report)).toBe(2);
  });

  it('check in a voter who already voted, at another mesa (ALREADY_CHECKED_IN)', async () => {
    // Attacker: another mesa's poll worker and device with a card that has
    // already been used (a double vote): one check-in per credential, anywhere.
    const rng = rngFor('twice');
    const { card } = voterWhoVoted(big, 'first');
    const last = lastBallotOf(mid);
    const checkin = checkinBy(mid, card, kit.entries[last]!.time + 1, rng);
    const entries = insertAfter(kit.entries, last, checkin);
    const report = await kit.verify(kit.seal(kit.reseal(entries, new Set([last + 1]))));
    expectOnly(report, 'ALREADY_CHECKED_IN', `${lineOf(last + 1)}.body.credentialKey`);
  });

  it('a revoked credential votes (REVOKED_CREDENTIAL)', async () => {
    // Attacker: whoever holds a card the registry revoked (reported stolen),
    // with the poll worker and device; the insiders repair the acta (one
    // voter fewer registered) and what follows. The revocation is on the
    // board before the check-in, so the check-in — and its ballot — fail.
    const { card, at } = voterWhoVoted(small, 'last');
    const revocation = createSignedEntry(
      'revocation',
      kit.entries[at]!.time - 1,
      { credentialKey: card.publicKey, reason: 'reported stolen' },
      kit.insiders.registry,
    );
    const entries = insertAfter(kit.entries, at - 1, revocation);
    const report = await kit.verify(kit.seal(kit.reseal(entries, new Set([at + 1]))));
    expectDetected(report, 'REVOKED_CREDENTIAL', `${lineOf(at + 1)}.body.credentialKey`);
    // Its ballot, the mesa's last, has no check-in left.
    expectDetected(report, 'NO_CHECKIN', `${lineOf(lastBallotOf(small) + 1)}.body`);
  });
});

describe('actas', () => {
  it('change an acta count (ACTA_COUNT_MISMATCH)', async () => {
    // Attacker: the device (the witnesses would co-sign anything). It claims
    // one more cast ballot than its chain holds, in the acta and in its QR
    // payload alike, and re-signs both: the record's own count refutes it.
    const i = actaOf(small);
    const edited = kit.resignActa(kit.entries[i]!, (body) => {
      (body['counts'] as { cast: number }).cast += 1;
    });
    const report = await kit.verify(
      kit.seal(kit.reseal(replaceAt(kit.entries, i, edited), new Set([i]))),
    );
    expectDetected(report, 'ACTA_COUNT_MISMATCH', `${lineOf(i)}.body.counts.cast`);
  });

  it("change an acta's results (ACTA_RESULT_MISMATCH)", async () => {
    // Attacker: the device and both witnesses (the classic acta fraud). The
    // acta moves one vote between cards, its QR payload says the same, the
    // witnesses co-sign it; every rule of the acta holds. The trustees'
    // decryption of the mesa's tally then says otherwise.
    const i = actaOf(mid);
    const results = kit.entry(i, 'acta').body.results[0]!.counts;
    const { from, to } = donorAndTaker(results);
    const edited = kit.resignActa(kit.entries[i]!, (body) => {
      (body['results'] as { counts: number[] }[])[0]!.counts = moveVote(results, from, to);
    });
    const report = await kit.verify(
      kit.seal(kit.reseal(replaceAt(kit.entries, i, edited), new Set([i]))),
    );
    expectOnly(report, 'ACTA_RESULT_MISMATCH', `${lineOf(i)}.body.results`);
  });

  it("swap two mesas' actas (ACTA_RESULT_MISMATCH, ACTA_RESULT_IMPLAUSIBLE)", async () => {
    // Attacker: the two devices and the witnesses. Each device signs an acta
    // (and QR) stating the other mesa's results. The smaller mesa's results
    // fit the bigger mesa's ballots and are refuted by its decryption; the
    // bigger mesa's have more marks than the smaller one has ballots.
    const a = actaOf(mid);
    const b = actaOf(small);
    const ra = kit.entry(a, 'acta').body.results;
    const rb = kit.entry(b, 'acta').body.results;
    const marks = (r: typeof ra): number => r[0]!.counts.reduce((x, y) => x + y, 0);
    expect(marks(rb)).toBeLessThanOrEqual(kit.mesa(mid).cast);
    expect(marks(ra)).toBeGreaterThan(kit.mesa(small).cast);
    const swapped = replaceAt(
      replaceAt(
        kit.entries,
        a,
        kit.resignActa(kit.entries[a]!, (body) => {
          body['results'] = JSON.parse(JSON.stringify(rb)) as unknown;
        }),
      ),
      b,
      kit.resignActa(kit.entries[b]!, (body) => {
        body['results'] = JSON.parse(JSON.stringify(ra)) as unknown;
      }),
    );
    const report = await kit.verify(kit.seal(kit.reseal(swapped, new Set([a, b]))));
    expectDetected(report, 'ACTA_RESULT_MISMATCH', `${lineOf(a)}.body.results`);
    expectDetected(report, 'ACTA_RESULT_IMPLAUSIBLE', `${lineOf(b)}.body.results[0]`);
  });

  it('re-sign an altered acta with a key not on the board (SIGNATURE_INVALID)', async () => {
    // Attacker: the board operator (it re-signs the tree head) without the
    // device's key: it alters the results and signs the acta and its QR with
    // a key of its own. Only the mesa's registered device key counts.
    const i = actaOf(mid);
    const results = kit.entry(i, 'acta').body.results[0]!.counts;
    const { from, to } = donorAndTaker(results);
    const forger = generateSigningKeyPair(rngFor('forger')).secretKey;
    const edited = kit.resignActa(
      kit.entries[i]!,
      (body) => {
        (body['results'] as { counts: number[] }[])[0]!.counts = moveVote(results, from, to);
      },
      forger,
    );
    const report = await kit.verify(kit.seal(replaceAt(kit.entries, i, edited)));
    expectDetected(report, 'SIGNATURE_INVALID', `${lineOf(i)}.body.signature`);
  });

  it('publish an acta whose QR payload disagrees with it (ACTA_QR_MISMATCH)', async () => {
    // Attacker: the device, whose printed acta (the QR the witnesses
    // photographed) told the truth, posts different results on the board and
    // re-signs the entry but cannot change the paper: the payload disagrees.
    // (Re-encoding the QR too is the case "change an acta's results".)
    const i = actaOf(big);
    const acta = kit.entry(i, 'acta');
    const { from, to } = donorAndTaker(acta.body.results[0]!.counts);
    const edited = kit.resign(acta, (body) => {
      (body['results'] as { counts: number[] }[])[0]!.counts = moveVote(
        acta.body.results[0]!.counts,
        from,
        to,
      );
    });
    const report = await kit.verify(kit.seal(replaceAt(kit.entries, i, edited)));
    expectDetected(report, 'ACTA_QR_MISMATCH', `${lineOf(i)}.body.qr`);
  });

  it('co-sign an acta with a key that is not a witness (UNKNOWN_WITNESS)', async () => {
    // Attacker: the authority adds a co-signature by a "witness" it never
    // registered, to make an acta look observed.
    const i = actaOf(small);
    const fake = generateSigningKeyPair(rngFor('fake-witness')).secretKey;
    const cosign =
      kit.entries[kit.indexOf('acta-cosign', (b, j) => b.mesa === small && j === i + 1)]!;
    const extra = kit.resign(
      cosign,
      (body) => {
        body['witnessKey'] = fake.publicKey().toHex();
      },
      fake,
    );
    const report = await kit.verify(kit.seal(insertAfter(kit.entries, i + 2, extra)));
    expectOnly(report, 'UNKNOWN_WITNESS', `${lineOf(i + 3)}.body.witnessKey`);
  });
});

describe('decryption, results and totals', () => {
  it('forge a decryption share (DECRYPTION_SHARE_INVALID)', async () => {
    // Attacker: a trustee posts a wrong partial decryption (its share shifted
    // by the generator, which shifts the card's decrypted count) under its
    // own signature; it cannot make the proof fit the wrong share. The mesa
    // result that names it then lacks a quorum of valid shares.
    const i = kit.indexOf('decryption', (b) => b.mesa === mid && b.trustee === 1);
    const edited = kit.resign(kit.entries[i]!, (body) => {
      const lists = body['shares'] as { shares: { share: string }[] }[];
      const s = lists[0]!.shares[3]!;
      const share = GroupElement.decodeHex(s.share);
      if (!share.ok) throw new Error(share.error.message);
      s.share = share.value.add(GroupElement.GENERATOR).toHex();
    });
    const report = await kit.verify(
      kit.seal(kit.reseal(replaceAt(kit.entries, i, edited), new Set([i]))),
    );
    expectDetected(
      report,
      'DECRYPTION_SHARE_INVALID',
      `${lineOf(i)}.body.shares[0].shares[3]`,
      'prefix',
    );
  });

  it('a mesa result that is not what the shares give (RESULT_MISMATCH)', async () => {
    // Attacker: the authority, which signs mesa results, moves one vote in a
    // mesa's result; the shares on the board recombine to the true counts.
    const i = kit.indexOf('mesa-result', (b) => b.mesa === small);
    const counts = kit.entry(i, 'mesa-result').body.results[0]!.counts;
    const { from, to } = donorAndTaker(counts);
    const edited = kit.resign(kit.entries[i]!, (body) => {
      (body['results'] as { counts: number[] }[])[0]!.counts = moveVote(counts, from, to);
    });
    const report = await kit.verify(
      kit.seal(kit.reseal(replaceAt(kit.entries, i, edited), new Set([i]))),
    );
    expectDetected(report, 'RESULT_MISMATCH', `${lineOf(i)}.body.results[0]`);
  });

  it('change a national total (TOTALS_MISMATCH)', async () => {
    // Attacker: the authority moves one vote between two candidates in the
    // totals (cards and candidates consistently), re-signs the entry and the
    // tree head and rewrites totals.json to match: the sum of the mesa
    // results refutes it.
    const i = kit.indexOf('totals');
    const contest = kit.manifest.contests[0]!;
    const cards = kit.entry(i, 'totals').body.results[0]!.cards;
    const { from, to } = donorAndTaker(cards);
    const edited = kit.resign(kit.entries[i]!, (body) => {
      const r = (body['results'] as { cards: number[]; candidates: Record<string, number> }[])[0]!;
      r.cards = moveVote(cards, from, to);
      r.candidates[contest.cards[from]!.candidateId]! -= 1;
      r.candidates[contest.cards[to]!.candidateId]! += 1;
    });
    const report = await kit.verify(kit.seal(replaceAt(kit.entries, i, edited)));
    expectDetected(report, 'TOTALS_MISMATCH', `${lineOf(i)}.body.results`);
  });
});

describe('the key ceremony', () => {
  it("forge a trustee's round-1 proof (BAD_CEREMONY_MESSAGE)", async () => {
    // Attacker: a trustee posts round-1 commitments with a coefficient proof
    // that does not hold (as it would to commit to a polynomial it does not
    // know), under its own signature. Round-1 proofs are checked as a set
    // when the joint key is posted.
    const i = kit.indexOf('trustee-round1', (b) => b.trustee === 3);
    const edited = kit.resign(kit.entries[i]!, (body) => {
      const message = body['message'] as { coefficientProofs: { response: string }[] };
      const r = Scalar.decodeHex(message.coefficientProofs[0]!.response);
      if (!r.ok) throw new Error(r.error.message);
      message.coefficientProofs[0]!.response = r.value.add(Scalar.ONE).toHex();
    });
    const report = await kit.verify(kit.seal(replaceAt(kit.entries, i, edited)));
    expectDetected(report, 'BAD_CEREMONY_MESSAGE', `${lineOf(kit.indexOf('election-key'))}.body`);
  });

  it('post a joint key the commitments do not define (JOINT_KEY_MISMATCH)', async () => {
    // Attacker: the authority posts a joint key whose secret it knows, so that
    // it could decrypt every ballot alone, and re-signs the entry.
    const i = kit.indexOf('election-key');
    const own = GroupElement.multiplyGenerator(Scalar.random(rngFor('joint-key')));
    const edited = kit.resign(kit.entries[i]!, (body) => {
      (body['jointKey'] as { publicKey: string }).publicKey = own.toHex();
    });
    const report = await kit.verify(kit.seal(replaceAt(kit.entries, i, edited)));
    expectDetected(report, 'JOINT_KEY_MISMATCH', `${lineOf(i)}.body.jointKey`);
  });
});

describe('the log and its tree heads', () => {
  it('truncate the log, keeping the published tree head (TREE_HEAD_BEYOND_RECORD)', async () => {
    // Attacker: anyone serving the record (no key) drops the last entries —
    // the last mesa's decryption and result and the totals — and fixes up
    // record.json; the published head covers entries the record lacks.
    const cut = kit.indexOf('mesa-result', (b) => b.mesa === kit.mesaIds.at(-1)) - 4;
    const report = await kit.verify(kit.seal(kit.entries.slice(0, cut), 'keep'));
    expectDetected(report, 'TREE_HEAD_BEYOND_RECORD', 'tree-heads.ndjson:1');
  });

  it("truncate the log and re-sign, against an observer's head (TREE_HEAD_BEYOND_RECORD)", async () => {
    // Attacker: the authority itself cuts the log and signs a fresh head over
    // what is left. The record is consistent, but an observer who kept the
    // head published before holds a signed claim to more entries.
    const cut = kit.indexOf('totals') - 5;
    const record = kit.seal(kit.entries.slice(0, cut));
    const observed = kit.honest.files['tree-head.json']!.trimEnd();
    const report = await kit.verify(record, { knownTreeHeads: [observed], partial: true });
    expectOnly(report, 'TREE_HEAD_BEYOND_RECORD', 'known tree head 1');
  });

  it("fork the log: an observer's earlier head (TREE_HEADS_FORK)", async () => {
    // Attacker: every insider rewrites history behind an observer's back — the
    // device replaces the last ballot of a mesa, the others repair the acta,
    // decryptions, results and totals, the authority signs a new head. On its
    // own that record verifies (see the last block). But an observer kept a
    // head signed while the voting was under way, and this record's first
    // entries do not hash to it: the authority signed two histories.
    const i = lastBallotOf(small);
    const size = i + 20;
    const observed = kit.signHead(kit.honest.lines, { size, timestamp: kit.head.timestamp - 1000 });
    const record = kit.seal(replaceLastBallot(i));
    const alone = await kit.verify(record);
    expect(alone.ok, listing(alone)).toBe(true);
    const report = await kit.verify(record, { knownTreeHeads: [observed] });
    expectOnly(report, 'TREE_HEADS_FORK', 'known tree head 1 treeHead.rootHash');
  });

  it('fork the log: two heads in tree-heads.ndjson (TREE_HEADS_FORK)', async () => {
    // The same rewrite, but the board's own file still lists the head it
    // signed before the rewrite, next to the new one.
    const i = lastBallotOf(small);
    const earlier = kit.signHead(kit.honest.lines, {
      size: i + 20,
      timestamp: kit.head.timestamp - 1000,
    });
    const entries = replaceLastBallot(i);
    const latest = kit.signHead(kit.seal(entries).lines);
    const report = await kit.verify(kit.seal(entries, { heads: [earlier, latest] }));
    expectOnly(report, 'TREE_HEADS_FORK', 'tree-heads.ndjson:1 treeHead.rootHash');
  });

  it("alter an entry's time without re-signing the tree head (TREE_ROOT_MISMATCH)", async () => {
    // Attacker: anyone serving the record (no key) changes a ballot's time —
    // no entry signature covers it, the Merkle leaf does.
    const i = ballotAt(mid, 4);
    const line = kit.honest.lines[i]!;
    const entry = kit.entries[i]!;
    const altered = line.replace(`"time":${entry.time},`, `"time":${entry.time + 60_000},`);
    expect(altered).not.toBe(line);
    const report = await kit.verify(kit.seal(replaceAt(kit.honest.lines, i, altered), 'keep'));
    expectOnly(report, 'TREE_ROOT_MISMATCH', 'tree-heads.ndjson:1 treeHead.rootHash');
  });

  it('a tree head signed by another key (TREE_HEAD_SIGNATURE)', async () => {
    // Attacker: someone without the authority key alters an entry's time and
    // signs a head of their own over the new root.
    const i = ballotAt(mid, 4);
    const entry = kit.entries[i]!;
    const lines = replaceAt(kit.honest.lines, i, serializeWithTime(entry, entry.time + 60_000));
    const impostor = generateSigningKeyPair(rngFor('impostor')).secretKey;
    const head = kit.signHead(lines, { key: impostor });
    const report = await kit.verify(kit.seal(lines, { heads: [head] }));
    expectOnly(report, 'TREE_HEAD_SIGNATURE', 'tree-heads.ndjson:1 treeHead.signature');
  });

  it('a tree head of another log (TREE_HEAD_LOG_ID)', async () => {
    // Attacker: the authority passes off a head it signed for another log
    // (its test election, say) as this election's.
    const head = kit.signHead(kit.honest.lines, { logId: 'test-election-2024' });
    const report = await kit.verify(kit.seal(kit.entries, { heads: [head] }));
    expectOnly(report, 'TREE_HEAD_LOG_ID', 'tree-heads.ndjson:1 treeHead.logId');
  });

  it('entries after the latest signed tree head (ENTRIES_NOT_COVERED)', async () => {
    // Attacker: the board serves entries no signed head binds (here the
    // totals, appended after the last head it signed): nothing stops them
    // from being swapped later without trace, so they do not count.
    const n = kit.entries.length;
    const head = kit.signHead(kit.honest.lines, { size: n - 1 });
    const report = await kit.verify(kit.seal(kit.entries, { heads: [head] }));
    expectOnly(report, 'ENTRIES_NOT_COVERED', `entries.ndjson:${n}`);
  });
});

describe('the small files and the trust anchors', () => {
  it('tampered manifest.json copy (COPY_MISMATCH)', async () => {
    // Attacker: anyone serving the record renames a candidate in the
    // convenience copy, which a careless reader might open instead of the
    // signed election entry.
    const text = kit.honest.files['manifest.json']!;
    const name = kit.manifest.contests[0]!.candidates[0]!.name;
    const forged = text.replace(JSON.stringify(name), JSON.stringify(`${name} (withdrawn)`));
    expect(forged).not.toBe(text);
    const report = await kit.verify(kit.withFiles(kit.honest, { 'manifest.json': forged }));
    expectOnly(report, 'COPY_MISMATCH', 'manifest.json');
  });

  it('record.json states the wrong entry count (RECORD_JSON_MISMATCH)', async () => {
    // Attacker: anyone serving the record: record.json is nobody's signature.
    const r = JSON.parse(kit.honest.files['record.json']!) as { entries: number };
    r.entries += 1;
    const forged = `${JSON.stringify(r, null, 2)}\n`;
    const report = await kit.verify(kit.withFiles(kit.honest, { 'record.json': forged }));
    expectOnly(report, 'RECORD_JSON_MISMATCH', 'record.json');
  });

  it('a record of another authority (TRUST_ANCHOR_MISMATCH)', async () => {
    // Attacker: whoever runs a whole election of their own — internally
    // flawless — and passes it off as this one. Only keys from a source
    // independent of the record (the gazette, the trustees) can tell.
    const other = generateSigningKeyPair(rngFor('gazette')).secretKey.publicKey().toHex();
    const report = await kit.verify(kit.honest, { authorityKey: other });
    expectOnly(report, 'TRUST_ANCHOR_MISMATCH', 'entries.ndjson:1 entries[0].body.authorityKey');
    // The right anchors pass: the check fails only on a mismatch.
    const right = await kit.verify(kit.honest, {
      authorityKey: kit.insiders.authority.publicKey,
      electionHash: Buffer.from(kit.state.key!.electionHash).toString('hex'),
    });
    expect(right.ok, listing(right)).toBe(true);
  });

  it('a record of another election (TRUST_ANCHOR_MISMATCH)', async () => {
    // The same attacker, caught by the extended election hash the trustees
    // announced (it binds the manifest, the keys and the joint key).
    const hash = Buffer.from(sha256(utf8('another election'))).toString('hex');
    const report = await kit.verify(kit.honest, { electionHash: hash });
    // The record states its election hash in the election-key entry: the place is that line.
    const key = kit.indexOf('election-key');
    expectOnly(report, 'TRUST_ANCHOR_MISMATCH', `${lineOf(key)}.body.electionHash`);
  });
});

describe('what the verifier cannot refute, and what the voter can check', () => {
  it('a check-in and a ballot for a registered voter who did not vote', async () => {
    // Attacker: the authority, the device and the poll worker of the mesa,
    // AND the card of a voter who stayed home (the registry kept it). The
    // check-in carries the voter's genuine possession signature, the ballot is
    // valid, and the other insiders repair the acta (one more voter checked
    // in and cast), co-signatures, decryptions, results, totals and the tree
    // head. Nothing in the record distinguishes this from the voter coming to
    // vote: the verifier must pass it (it reports what the record proves).
    // What refutes it is the voter: the record publishes a check-in for
    // their credential key, which they can look up (their card holds the
    // key), and they never made it. A credential is the voter's only proof of
    // presence, so whoever holds a copy of it can vote in their name.
    const card = absentVoters(small)[0]!;
    const voted = voteAfterLastBallot(small, card, rngFor('stayed-home'));
    const last = voted.last;
    const entries = kit.reseal(voted.entries);
    const report = await kit.verify(kit.seal(entries));
    expect(report.ok, listing(report)).toBe(true);
    expect(report.errors).toEqual([]);
    expect(report.checked.checkins).toBe(kit.simulation.checkedIn + 1);
    // The voter's check: in the honest record there is no check-in for their
    // key; in this one there is exactly one, at the mesa, just before the ballot.
    const mine = (list: readonly Entry[]): number[] =>
      list.flatMap((e, i) =>
        e.type === 'checkin' && e.body.credentialKey === card.publicKey ? [i] : [],
      );
    expect(mine(kit.entries)).toEqual([]);
    expect(mine(entries)).toEqual([last + 1]);
  });

  it('the device replaces the last ballot of a mesa (only its voter can tell)', async () => {
    // Attacker: every insider. The device swaps the mesa's last ballot for one
    // of its own at the same place in the chain; the acta, decryptions,
    // results, totals and the head are redone to match. No later ballot names
    // the removed one, so the record is consistent. What refutes it is the
    // voter's receipt: its tracking code is not on the board. (An observer who
    // kept an earlier tree head also catches it: see "fork the log".)
    const i = lastBallotOf(small);
    const entries = replaceLastBallot(i);
    const report = await kit.verify(kit.seal(entries));
    expect(report.ok, listing(report)).toBe(true);
    const lost = kit.entry(i, 'ballot').body.trackingCode;
    const receipt = kit.simulation.receipts.find((r) => r.trackingCode === lost);
    expect(receipt?.disposition).toBe('cast');
    const codes = entries.flatMap((e) => (e.type === 'ballot' ? [e.body.trackingCode] : []));
    expect(codes).not.toContain(lost);
  });

  it("the device swaps which of a voter's two ballots counts (only the voter can tell)", async () => {
    // A voter challenges a ballot (spoils it) and then casts a second one.
    // Tracking codes are fixed before the voter decides (spec-record §6.2:
    // they cover neither the disposition nor the opening), and the device
    // knows every nonce it drew. Attacker: every insider. The device posts the
    // challenged ballot as cast and the voter's real ballot as spoiled, with
    // its opening; the acta and what follows are redone. Check-ins, counts,
    // chain, proofs and openings all hold, so the verifier passes both
    // records — but the totals differ, and the voter's real choice is public.
    // Only the voter's receipts, which state each code's disposition, refute
    // the swap.
    const i = lastBallotOf(small);
    const old = kit.entry(i, 'ballot');
    const pair = (first: 'cast' | 'spoiled', second: 'cast' | 'spoiled'): Entry[] => {
      const challenged = kit.deviceBallot({
        mesa: small,
        sequence: old.body.sequence,
        previousCode: old.body.previousCode,
        time: old.time,
        rng: rngFor('challenged'),
        card: 2,
        disposition: first,
      });
      const chosen = kit.deviceBallot({
        mesa: small,
        sequence: old.body.sequence + 1,
        previousCode: (challenged.body as EntryBody<'ballot'>).trackingCode,
        time: old.time + 1,
        rng: rngFor('chosen'),
        card: 0,
        disposition: second,
      });
      return [challenged, chosen];
    };
    const withPair = (p: Entry[]): Entry[] =>
      kit.reseal([...kit.entries.slice(0, i), ...p, ...kit.entries.slice(i + 1)]);
    const honestPair = pair('spoiled', 'cast');
    const swappedPair = pair('cast', 'spoiled');
    const honest = await kit.verify(kit.seal(withPair(honestPair)));
    const swapped = await kit.verify(kit.seal(withPair(swappedPair)));
    expect(honest.ok, listing(honest)).toBe(true);
    expect(swapped.ok, listing(swapped)).toBe(true);
    const codes = (p: Entry[]): string[] =>
      p.map((e) => (e.body as EntryBody<'ballot'>).trackingCode);
    expect(codes(swappedPair)).toEqual(codes(honestPair));
    const cards = (r: VerificationReport): number[] => r.totals!.results[0]!.cards;
    expect(cards(swapped)[2]! - cards(honest)[2]!).toBe(1);
    expect(cards(honest)[0]! - cards(swapped)[0]!).toBe(1);
  });

  it('the insiders drop the last ballot of a mesa (a warning, and its voter can tell)', async () => {
    // Attacker: every insider. The last cast ballot of a mesa disappears and
    // the acta is redone with one ballot fewer than check-ins. A voter may
    // check in and leave without voting, so the verifier can only warn
    // (CHECKIN_WITHOUT_BALLOT); the voter's receipt code is missing.
    const i = lastBallotOf(small);
    const lost = kit.entry(i, 'ballot').body.trackingCode;
    const entries = kit.reseal(kit.entries.filter((_, j) => j !== i));
    const report = await kit.verify(kit.seal(entries));
    expect(report.ok, listing(report)).toBe(true);
    expect(report.warnings).toContainEqual(
      expect.objectContaining({ code: 'CHECKIN_WITHOUT_BALLOT', where: `mesa ${small}` }),
    );
    const codes = entries.flatMap((e) => (e.type === 'ballot' ? [e.body.trackingCode] : []));
    expect(codes).not.toContain(lost);
  });
});

describe('what the verifier cannot refute: a mesa that never opened', () => {
  it('the insiders suppress a whole mesa (its voters can tell)', async () => {
    // Attacker: every insider. A mesa's device is never posted, and nothing of
    // the mesa follows — no check-in, ballot, acta or result — while its
    // voters stay registered; the totals are the sum of the other mesas. A
    // mesa may fail to open for honest reasons, so the record is consistent
    // and the verifier passes it; it counts the mesas opened and warns
    // (MESA_NOT_OPENED) about a mesa with registered voters that never
    // opened, so every reader sees it. Each voter of that mesa can see that
    // their mesa has no device on the board and no check-in for their key.
    const entries = kit.reseal(
      kit.entries.filter(
        (e) => e.type === 'registration' || (e.body as { mesa?: string }).mesa !== small,
      ),
    );
    const report = await kit.verify(kit.seal(entries));
    expect(report.ok, listing(report)).toBe(true);
    expect(report.checked.mesas).toBe(3);
    expect(report.checked.mesasOpened).toBe(2);
    expect(report.warnings).toContainEqual(
      expect.objectContaining({ code: 'MESA_NOT_OPENED', where: `mesa ${small}` }),
    );
    expect(report.checked.registrations).toBe(kit.simulation.registered);
    const voter = voterWhoVoted(small, 'first').card;
    expect(entries.some((e) => e.type === 'mesa-device' && e.body.mesa === small)).toBe(false);
    expect(
      entries.some((e) => e.type === 'checkin' && e.body.credentialKey === voter.publicKey),
    ).toBe(false);
  });
});

/**
 * The honest entries with, after `mesa`'s last ballot, a check-in of `card`
 * by that mesa's poll worker and a cast ballot by its device (not resealed).
 */
function voteAfterLastBallot(
  mesa: string,
  card: CredentialCard,
  rng: Rng,
): { entries: Entry[]; last: number } {
  const last = lastBallotOf(mesa);
  const m = kit.mesa(mesa);
  const time = kit.entries[last]!.time;
  const checkin = checkinBy(mesa, card, time + 1, rng);
  const ballot = kit.deviceBallot({
    mesa,
    sequence: m.sequence,
    previousCode: m.chainHead,
    time: time + 2,
    rng,
  });
  return { entries: insertAfter(kit.entries, last, checkin, ballot), last };
}

/** The honest entries with the ballot at `i` (a mesa's last) replaced by the device, resealed. */
function replaceLastBallot(i: number): Entry[] {
  const old = kit.entry(i, 'ballot');
  const forged = kit.deviceBallot({
    mesa: old.body.mesa,
    sequence: old.body.sequence,
    previousCode: old.body.previousCode,
    time: old.time,
    rng: rngFor('replace-last'),
    card: 1,
  });
  return kit.reseal(replaceAt(kit.entries, i, forged), new Set([i]));
}

/** An entry's JSON line with another `time` (no signature covers it). */
function serializeWithTime(entry: Entry, time: number): string {
  return JSON.stringify({ type: entry.type, time, body: entry.body });
}
