// Actas from Acta's own record: a small real election is run here in memory by
// the protocol's own parties (authority, one trustee, devices, poll books,
// voters), every entry accepted by the protocol's state machine — the same
// entries the service would have put on its board and exported. Then the
// record's lines are tampered the way an insider or an outsider would, and the
// importer must say `forged` with the right reason. Expected figures come from
// the votes chosen here (the plaintext the voters cast), not from the importer.
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { createSeededRng, generateSigningKeyPair, type SigningSecretKey } from '@acta/crypto';
import {
  Authority,
  PollBook,
  Trustee,
  VotingDevice,
  applyEntry,
  buildDemoManifest,
  createElectionState,
  createSignedEntry,
  encodeActaQr,
  issueCredential,
  parseManifest,
  serializeEntry,
  signEntryBody,
  type Entry,
  type EntryBody,
  type Manifest,
} from '@acta/protocol';
import { importActaRecord } from '../src/import-acta-record.js';

interface Election {
  readonly lines: readonly string[];
  readonly manifest: Manifest;
  readonly authority: Authority;
  readonly devices: ReadonlyMap<string, SigningSecretKey>;
  /** What the voters of each mesa chose, per card of the contest. */
  readonly cards: ReadonlyMap<string, number[]>;
  readonly registered: ReadonlyMap<string, number>;
  readonly checkedIn: ReadonlyMap<string, number>;
  readonly electionHash: Uint8Array;
}

/** Runs a 3-mesa election of the 38-card Venezuelan ballot, in memory. */
function runElection(): Election {
  const rng = createSeededRng('forensics/import-acta-record');
  const exampleUrl = new URL('../../protocol/examples/national-ve2024.json', import.meta.url);
  const example = parseManifest(JSON.parse(readFileSync(exampleUrl, 'utf8')) as unknown);
  if (!example.ok) throw new Error(example.error.message);
  const manifest = buildDemoManifest(example.value, { mesas: 3, seed: 'forensics-acta-record' });
  const state = createElectionState();
  const lines: string[] = [];
  let time = 1_700_000_000_000;
  const post = (e: Entry): void => {
    const r = applyEntry(state, e);
    if (!r.ok) throw new Error(`${r.error.code} at ${r.error.where}: ${r.error.message}`);
    lines.push(serializeEntry(e));
  };
  const authority = new Authority(generateSigningKeyPair(rng).secretKey);
  const registry = generateSigningKeyPair(rng).secretKey;
  const trustee = new Trustee(1, generateSigningKeyPair(rng).secretKey);
  post(
    authority.defineElection(time++, {
      manifest,
      registryKey: registry.publicKey().toHex(),
      trusteeKeys: [trustee.publicKey],
      quorum: 1,
    }),
  );
  const mesas = [...state.mesas.values()];
  const devices = new Map<string, VotingDevice>();
  const deviceKeys = new Map<string, SigningSecretKey>();
  const books = new Map<string, PollBook>();
  for (const mesa of mesas) {
    const key = generateSigningKeyPair(rng).secretKey;
    const device = new VotingDevice(mesa, key, manifest.electionId);
    const book = new PollBook(mesa.id, generateSigningKeyPair(rng).secretKey);
    devices.set(mesa.id, device);
    deviceKeys.set(mesa.id, key);
    books.set(mesa.id, book);
    post(
      authority.sign('mesa-device', time++, {
        mesa: mesa.id,
        deviceKey: device.publicKey,
        pollWorkerKeys: [book.pollWorkerKey.publicKey().toHex()],
      }),
    );
  }
  post(trustee.round1(time++, state, rng));
  const shares = trustee.shares(time++, state, rng);
  if (!shares.ok) throw new Error(shares.error.message);
  post(shares.value);
  const finished = trustee.finish(state, [shares.value.body as EntryBody<'trustee-shares'>]);
  if (!finished.ok) throw new Error(finished.error.message);
  const key = authority.electionKey(time++, state);
  if (!key.ok) throw new Error(key.error.message);
  post(key.value);

  // Mesa i: 3 + i registered voters; voter v of mesa i votes card (7 i + 5 v) mod 38,
  // the last registered voter of each mesa stays home.
  const cards = new Map<string, number[]>();
  const registered = new Map<string, number>();
  const checkedIn = new Map<string, number>();
  mesas.forEach((mesa, i) => {
    const n = 3 + i;
    const voterCards = [];
    for (let v = 0; v < n; v++) {
      const issued = issueCredential({
        electionId: manifest.electionId,
        manifestHash: state.election!.manifestHash,
        mesa: mesa.id,
        nationalId: `V-${i}-${v}`,
        serial: 1,
        rng,
      });
      if (!issued.ok) throw new Error(issued.error.message);
      const { card, publicRecord } = issued.value;
      post(
        createSignedEntry(
          'registration',
          time++,
          {
            mesa: mesa.id,
            serial: 1,
            credentialKey: publicRecord.credentialPublicKey,
            identityCommitment: publicRecord.identityCommitment,
          },
          registry,
        ),
      );
      voterCards.push(card);
    }
    registered.set(mesa.id, n);
    const book = books.get(mesa.id)!;
    const device = devices.get(mesa.id)!;
    const counts = Array<number>(38).fill(0);
    for (let v = 0; v < n - 1; v++) {
      post(book.checkin(time++, manifest.electionId, voterCards[v]!, book.challenge(rng)));
      const choice = (7 * i + 5 * v) % 38;
      const votes = [Array.from({ length: 38 }, (_, c) => (c === choice ? 1 : 0))];
      const ballot = device.ballot(time++, state, votes, 'cast', rng);
      post(ballot.entry);
      device.accept();
      counts[choice]! += 1;
    }
    cards.set(mesa.id, counts);
    checkedIn.set(mesa.id, n - 1);
    post(device.close(time++, state, { registered: n, checkedIn: n - 1 }));
  });
  for (const mesa of mesas) {
    const d = trustee.decrypt(time++, state, state.mesas.get(mesa.id)!, rng);
    if (!d.ok) throw new Error(d.error.message);
    post(d.value);
    const r = authority.mesaResult(time++, state, state.mesas.get(mesa.id)!);
    if (!r.ok) throw new Error(r.error.message);
    post(r.value);
  }
  post(authority.totals(time++, state));
  return {
    lines,
    manifest,
    authority,
    devices: deviceKeys,
    cards,
    registered,
    checkedIn,
    electionHash: state.key!.electionHash,
  };
}

// Candidates of the 38 cards in ballot order (shared/BRIEF.md), by the example manifest's ids.
const RUNS: readonly (readonly [string, number])[] = [
  ['maduro', 13],
  ['martinez', 6],
  ['bertucci', 1],
  ['brito', 4],
  ['ecarri', 6],
  ['fermin', 1],
  ['ceballos', 2],
  ['gonzalez', 3],
  ['marquez', 1],
  ['rausseo', 1],
];
const OWNER = RUNS.flatMap(([c, n]) => Array<string>(n).fill(c));

type Json = Record<string, unknown>;
const parse = (line: string): { type: string; time: number; body: Json } =>
  JSON.parse(line) as { type: string; time: number; body: Json };
const actaIndexes = (lines: readonly string[]): number[] =>
  lines.flatMap((l, i) => (parse(l).type === 'acta' ? [i] : []));

let election: Election;
beforeAll(() => {
  election = runElection();
});

describe('importActaRecord: an honest record', () => {
  it('reads every acta as verified, with the figures the voters produced', () => {
    const started = performance.now();
    const r = importActaRecord(
      { recordJson: '{"format":"acta-record-v1"}', entryLines: election.lines },
      { where: 'rec' },
    );
    const ms = performance.now() - started;
    expect(r.problems).toEqual([]);
    expect(r.forged).toEqual([]);
    expect(r.electionId).toBe(election.manifest.electionId);
    expect(r.contest).toBe('president');
    expect(r.actas).toHaveLength(3);
    expect(r.rows).toBe(3);
    expect(r.skipped).toBe(0);
    for (const acta of r.actas) {
      expect(acta.signature).toBe('verified');
      const m = acta.result;
      const cards = election.cards.get(m.id)!;
      const expected = new Map<string, number>(RUNS.map(([c]) => [c, 0]));
      cards.forEach((n, i) => expected.set(OWNER[i]!, expected.get(OWNER[i]!)! + n));
      expect(Object.fromEntries(m.votes)).toEqual(Object.fromEntries(expected));
      expect(m.registered).toBe(election.registered.get(m.id));
      expect(m.voters).toBe(election.checkedIn.get(m.id));
      expect(m.valid).toBe(election.checkedIn.get(m.id)); // one mark per cast ballot
      expect(m.invalid).toBe(0);
      expect(m.blank).toBe(0);
      expect(m.region).toHaveLength(4);
      expect(m.region[3]).toBe(m.id.slice(0, 9));
      expect(m.source).toMatch(/^rec line \d+$/);
      expect(r.deviceKeys.get(m.id)).toBe(election.devices.get(m.id)!.publicKey().toHex());
    }
    // Takes the 3 mesas' entries, not a replay: a few milliseconds.
    expect(ms).toBeLessThan(2000);
  });

  it('renames candidates with candidateKeys and pins the authority key', () => {
    const r = importActaRecord(
      { entryLines: election.lines },
      {
        candidateKeys: new Map([
          ['gonzalez', 'EG'],
          ['maduro', 'NM'],
        ]),
        authorityKey: election.authority.publicKey,
      },
    );
    expect(r.forged).toEqual([]);
    expect([...r.actas[0]!.result.votes.keys()].slice(0, 2)).toEqual(['NM', 'martinez']);
    expect(r.actas[0]!.result.votes.has('EG')).toBe(true);
  });
});

describe('importActaRecord: tampered records', () => {
  it("an outsider changes an acta's count (signature no longer verifies): forged", () => {
    const lines = [...election.lines];
    const at = actaIndexes(lines)[1]!;
    const e = parse(lines[at]!);
    const results = e.body['results'] as { contest: string; counts: number[] }[];
    results[0]!.counts[0]! += 5;
    lines[at] = JSON.stringify(e);
    const r = importActaRecord({ entryLines: lines });
    expect(r.actas.map((a) => a.signature)).toEqual(['verified', 'forged', 'verified']);
    expect(r.forged).toHaveLength(1);
    expect(r.forged[0]!.code).toBe('ACTA_SIGNATURE_INVALID');
    expect(r.forged[0]!.source).toBe(`record line ${at + 1}`);
    // The forged copy still carries what it claims, for the reconciliation's report.
    expect(r.actas[1]!.result.votes.get('maduro')).toBe(
      election.cards
        .get(r.actas[1]!.result.id)!
        .slice(0, 13)
        .reduce((a, b) => a + b, 0) + 5,
    );
  });

  it('the device re-signs altered counts: the QR (and the decrypted tally) give it away', () => {
    const lines = [...election.lines];
    const at = actaIndexes(lines)[0]!;
    const e = parse(lines[at]!);
    const mesa = e.body['mesa'] as string;
    const body: Json = { ...e.body };
    delete body['signature'];
    const results = body['results'] as { contest: string; counts: number[] }[];
    const moved = results[0]!.counts.indexOf(1);
    results[0]!.counts[moved] = 0;
    results[0]!.counts[35] = (results[0]!.counts[35] ?? 0) + 1; // a vote moved to MUD
    const signed = signEntryBody('acta', body as never, election.devices.get(mesa)!);
    lines[at] = JSON.stringify({ type: 'acta', time: e.time, body: signed });
    const r = importActaRecord({ entryLines: lines });
    expect(r.forged.map((f) => f.code)).toEqual(['QR_MISMATCH']);

    // And with the QR re-signed too, the trustees' decryption still disagrees.
    const counts = body['counts'] as {
      registered: number;
      checkedIn: number;
      cast: number;
      spoiled: number;
    };
    body['qr'] = encodeActaQr(
      {
        electionHash: election.electionHash,
        mesa,
        ...counts,
        counts: [results[0]!.counts],
        chainHead: body['chainHead'] as string,
      },
      election.devices.get(mesa)!,
    );
    const resigned = signEntryBody('acta', body as never, election.devices.get(mesa)!);
    lines[at] = JSON.stringify({ type: 'acta', time: e.time, body: resigned });
    const r2 = importActaRecord({ entryLines: lines });
    expect(r2.forged.map((f) => f.code)).toEqual(['RESULT_MISMATCH']);
    expect(r2.actas[0]!.result.votes.get('gonzalez')).toBeGreaterThan(0);
  });

  it('a device key the authority did not sign: NO_DEVICE; another authority key: AUTHORITY_UNTRUSTED', () => {
    const lines = [...election.lines];
    const at = lines.findIndex((l) => parse(l).type === 'mesa-device');
    const e = parse(lines[at]!);
    e.body['deviceKey'] = generateSigningKeyPair(createSeededRng('x'))
      .secretKey.publicKey()
      .toHex();
    lines[at] = JSON.stringify(e);
    const r = importActaRecord({ entryLines: lines });
    expect(r.forged.map((f) => f.code)).toEqual(['NO_DEVICE']);
    expect(r.problems.map((p) => p.code)).toEqual(['IMPORT_MALFORMED']);

    const other = importActaRecord(
      { entryLines: election.lines },
      { authorityKey: generateSigningKeyPair(createSeededRng('y')).secretKey.publicKey().toHex() },
    );
    expect(other.actas.every((a) => a.signature === 'forged')).toBe(true);
    expect(new Set(other.forged.map((f) => f.code))).toEqual(new Set(['AUTHORITY_UNTRUSTED']));
  });

  it('a corrupted acta line is counted and listed, the other actas still read', () => {
    const lines = [...election.lines];
    const at = actaIndexes(lines)[2]!;
    lines[at] = lines[at]!.slice(0, 200);
    const r = importActaRecord(
      { recordJson: '{"format":"other"}', entryLines: lines },
      { where: 'r' },
    );
    expect(r.actas).toHaveLength(2);
    expect(r.rows).toBe(3);
    expect(r.skipped).toBe(1);
    expect(r.problems.map((p) => [p.code, p.where])).toEqual([
      ['IMPORT_MALFORMED', 'r record.json'],
      ['IMPORT_MALFORMED', `r line ${at + 1}`],
    ]);
  });

  it('no election entry: every acta is reported, none silently dropped', () => {
    const r = importActaRecord({ entryLines: election.lines.slice(1) });
    expect(r.actas).toHaveLength(0);
    expect(r.rows).toBe(3);
    expect(r.skipped).toBe(3);
    expect(r.problems.filter((p) => p.code === 'IMPORT_BAD_ID')).toHaveLength(3);
  });
});
