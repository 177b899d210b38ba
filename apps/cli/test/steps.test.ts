// The step commands in-process (issue #4 item 9): a whole election driven by
// hand through `runCli` — create (3 trustees, quorum 2, 2 mesas), the key
// ceremony, open, cards for a few voters, check-ins, a spoiled then a cast
// ballot, both mesas closed, two trustees decrypting (the third absent), the
// tally — with the printed totals checked against the choices made. On the
// way: the refusals the rules make (exit 1 with their code), the usage errors
// (exit 2, one line, no stack), the secrets files' mode, the phase `acta
// status` reports, and that no secret of any party reached the board.
import {
  existsSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { openSqliteStore } from '@acta/store';
import { runCli } from '../src/index.js';
import type { CreateElectionReport, StatusReport } from '../src/steps/election.js';
import type { CardReport } from '../src/steps/registry.js';
import type { CloseReport, VoteReport } from '../src/steps/polling.js';
import type { TallyReport } from '../src/steps/tally.js';
import type { DecryptReport } from '../src/steps/trustee.js';

let out = '';
let errText = '';

beforeEach(() => {
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    out += String(chunk);
    return true;
  });
  vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
    errText += String(chunk);
    return true;
  });
});

afterEach(() => {
  vi.restoreAllMocks();
});

const root = mkdtempSync(join(tmpdir(), 'acta-steps-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

interface Run {
  readonly code: number;
  readonly out: string;
  readonly err: string;
}

/** Runs `acta …`, capturing what it printed. */
async function acta(...args: string[]): Promise<Run> {
  out = '';
  errText = '';
  const code = await runCli(['node', 'acta', ...args]);
  return { code, out, err: errText };
}

/** Runs `acta … --json` and expects success; returns the parsed document. */
async function actaJson<T>(...args: string[]): Promise<T> {
  const r = await acta(...args, '--json');
  expect(r.code, `${args.join(' ')}: ${r.err}`).toBe(0);
  return JSON.parse(r.out) as T;
}

/** Expects a refusal by the rules: exit 1, `acta: CODE at …` on one line. */
function expectRefusal(r: Run, code: string): void {
  expect(r.code, r.err).toBe(1);
  expect(r.err).toMatch(new RegExp(`^acta: ${code} at \\S`, 'm'));
  expect(r.err).not.toMatch(/\n\s+at /);
}

/** Expects a usage error: exit 2, one line starting `acta: `, no stack. */
function expectUsage(r: Run, message: string | RegExp): void {
  expect(r.code, r.err).toBe(2);
  expect(r.err).toMatch(message);
  expect(
    r.err
      .trimEnd()
      .split('\n')
      .filter((l) => l.startsWith('acta: ')),
  ).toHaveLength(1);
  expect(r.err).not.toMatch(/\n\s+at /);
}

function mode(path: string): number {
  return statSync(path).mode & 0o777;
}

describe('an election driven by hand', () => {
  const dir = join(root, 'election');
  const D = ['--dir', dir];
  // What each voter chooses in the one contest of the national ballot, by card id.
  const expected = new Map<string, number>();
  const castVote = (card: string | undefined): void => {
    if (card !== undefined) expected.set(card, (expected.get(card) ?? 0) + 1);
  };

  it('runs from create to the totals, refusing what the rules refuse', async () => {
    // -- create
    const created = await actaJson<CreateElectionReport>(
      'election',
      'create',
      ...D,
      '--example',
      'national',
      '--mesas',
      '2',
      '--seed',
      'steps',
      '--trustees',
      '3',
      '--quorum',
      '2',
    );
    expect(created.mesas).toHaveLength(2);
    expect(created.trustees).toBe(3);
    expect(created.quorum).toBe(2);
    expect(created.witnesses).toBe(2);
    // the election, 2 devices, 2 witnesses
    expect(created.board.entries).toBe(5);
    expect(created.board.treeHead?.treeSize).toBe(5);
    const [m1, m2] = created.mesas.map((m) => m.mesa) as [string, string];

    // Secrets files: mode 0600, and only in the directory's secret places.
    const secrets = [
      join(dir, 'authority.json'),
      join(dir, 'registry.json'),
      ...[1, 2, 3].map((i) => join(dir, 'trustees', `${i}.json`)),
      join(dir, 'devices', `${m1}.json`),
      join(dir, 'devices', `${m2}.json`),
      join(dir, 'witnesses', '1.json'),
      join(dir, 'witnesses', '2.json'),
    ];
    for (const f of secrets) expect(mode(f), f).toBe(0o600);
    for (const d of ['trustees', 'devices', 'witnesses', 'cards']) {
      expect(mode(join(dir, d)), d).toBe(0o700);
    }

    // A directory that holds an election is never reused.
    expectUsage(await acta('election', 'create', ...D), /already holds an election/);

    let status = await actaJson<StatusReport>('status', ...D);
    expect(status.phase).toBe('ceremony');
    expect(status.ceremony.round1).toEqual([]);

    // -- the ceremony; the election cannot open before it is complete
    expectRefusal(await acta('election', 'open', ...D), 'OUT_OF_ORDER');
    for (const i of ['1', '2', '3']) {
      const r = await acta('trustee', 'round1', ...D, '--trustee', i);
      expect(r.code, r.err).toBe(0);
      expect(r.out).toContain(`trustee ${i}: round 1 posted`);
    }
    expectRefusal(await acta('trustee', 'round1', ...D, '--trustee', '2'), 'DUPLICATE');
    expectRefusal(await acta('trustee', 'finish', ...D, '--trustee', '1'), 'OUT_OF_ORDER');
    for (const i of ['1', '2', '3']) {
      expect((await acta('trustee', 'shares', ...D, '--trustee', i)).code).toBe(0);
    }
    for (const i of ['1', '2', '3']) {
      expect((await acta('trustee', 'finish', ...D, '--trustee', i)).code).toBe(0);
    }
    expectUsage(
      await acta('trustee', 'finish', ...D, '--trustee', '4'),
      /--trustee must be in \[1, 3\]/,
    );
    for (const i of [1, 2, 3]) {
      const t = JSON.parse(readFileSync(join(dir, 'trustees', `${i}.json`), 'utf8')) as {
        keyShare?: string;
      };
      expect(t.keyShare).toMatch(/^[0-9a-f]{64}$/);
      expect(mode(join(dir, 'trustees', `${i}.json`))).toBe(0o600);
    }
    const opened = await acta('election', 'open', ...D);
    expect(opened.code, opened.err).toBe(0);
    expect(opened.out).toContain('election key posted');
    status = await actaJson<StatusReport>('status', ...D);
    expect(status.phase).toBe('open');
    expect(status.ceremony).toMatchObject({
      round1: [1, 2, 3],
      shares: [1, 2, 3],
      keyPosted: true,
    });

    // -- the registry
    const issue = (mesa: string, id: string, name: string, ...extra: string[]) =>
      actaJson<CardReport>(
        'registry',
        'issue',
        ...D,
        '--mesa',
        mesa,
        '--national-id',
        id,
        '--out',
        join(root, `${name}.json`),
        ...extra,
      );
    const ana = await issue(m1, 'V-10000001', 'ana', '--qr', join(root, 'ana.svg'));
    expect(ana.serial).toBe(1);
    expect(ana.nationalIdHint).toBe('001');
    expect(mode(join(root, 'ana.json'))).toBe(0o600);
    expect(mode(join(root, 'ana.svg'))).toBe(0o600);
    expect(readFileSync(join(root, 'ana.svg'), 'utf8')).toContain('<svg');
    await issue(m1, 'V-10000002', 'beto');
    await issue(m2, 'V-10000003', 'carla');
    await issue(m2, 'V-10000004', 'dario');
    await issue(m2, 'V-10000005', 'eva');
    // One person, one first card (the registry's private table).
    expectUsage(
      await acta('registry', 'issue', ...D, '--mesa', m1, '--national-id', 'V-10000002'),
      /already issued a card to this national id/,
    );
    expect(readFileSync(join(dir, 'registry.json'), 'utf8')).toContain('V-10000005');
    expectUsage(
      await acta('registry', 'issue', ...D, '--mesa', '12', '--national-id', 'V-1'),
      /--mesa: "12" is not a mesa id/,
    );
    expectUsage(
      await acta('registry', 'issue', ...D, '--mesa', '990101001.01', '--national-id', 'V-1'),
      /has no mesa 990101001\.01/,
    );

    // -- mesa 1: Ana spoils a ballot (Benaloh), then casts; a second check-in is refused
    const card = (name: string): string => join(root, `${name}.json`);
    const checkin = await acta('poll', 'checkin', ...D, '--card', card('ana'));
    expect(checkin.code, checkin.err).toBe(0);
    expect(checkin.out).toContain(`checked in at mesa ${m1}`);
    expectRefusal(await acta('poll', 'checkin', ...D, '--card', card('ana')), 'ALREADY_CHECKED_IN');
    // A voter who checked in stays on the register (else the acta could never balance).
    expectRefusal(
      await acta('registry', 'revoke', ...D, '--card', card('ana'), '--reason', 'lost'),
      'ALREADY_CHECKED_IN',
    );

    const spoiled = await actaJson<VoteReport>(
      'vote',
      'spoil',
      ...D,
      '--mesa',
      m1,
      '--choice',
      'president=psuv',
    );
    expect(spoiled.receipt.disposition).toBe('spoiled');
    expect(spoiled.receipt.sequence).toBe(0);
    expect(spoiled.paper).toBeNull();
    const receiptQr = join(root, 'receipt.svg');
    const cast = await acta(
      'vote',
      'cast',
      ...D,
      '--mesa',
      m1,
      '--choice',
      'president=untc',
      '--qr',
      receiptQr,
    );
    expect(cast.code, cast.err).toBe(0);
    castVote('untc');
    expect(readFileSync(receiptQr, 'utf8')).toMatch(/^<svg[\s\S]*<\/svg>\s*$/);
    expect(cast.out).toMatch(/tracking code [0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}/);
    expect(cast.out).toContain(`ACTA1R:${created.electionId}:${m1}:1:`);
    expect(cast.out).toContain('president: untc');

    // A cast ballot needs an unused check-in (recorded as a refusal on the board).
    expectRefusal(
      await acta('vote', 'cast', ...D, '--mesa', m1, '--choice', 'president=psuv'),
      'NO_CHECKIN',
    );

    // Bad choices are usage errors: nothing is encrypted, nothing reaches the board.
    const before = (await actaJson<StatusReport>('status', ...D)).board.entries;
    for (const [choice, message] of [
      ['president=nope', /a card not in contest president; its cards are psuv, /],
      ['mayor=partido-azul', /has no contest mayor/],
      ['president=psuv,untc', /contest president allows at most 1 mark/],
      ['president', /--choice expects CONTEST=CARD/],
    ] as const) {
      expectUsage(await acta('vote', 'cast', ...D, '--mesa', m1, '--choice', choice), message);
    }
    expectUsage(
      await acta(
        'vote',
        'cast',
        ...D,
        '--mesa',
        m1,
        '--choice',
        'president=psuv',
        '--choice',
        'president=mud',
      ),
      /given twice/,
    );
    expect((await actaJson<StatusReport>('status', ...D)).board.entries).toBe(before);

    expect((await acta('poll', 'checkin', ...D, '--card', card('beto'))).code).toBe(0);
    const beto = await actaJson<VoteReport>(
      'vote',
      'cast',
      ...D,
      '--mesa',
      m1,
      '--choice',
      'president=psuv',
    );
    castVote('psuv');
    expect(beto.paper?.choices).toEqual([{ contest: 'president', marked: ['psuv'] }]);
    expect(beto.receipt.trackingCode).not.toBe(spoiled.receipt.trackingCode);

    // -- mesa 2: Carla votes; Dario's card is revoked, then reissued; Eva votes blank
    expect((await acta('poll', 'checkin', ...D, '--card', card('carla'))).code).toBe(0);
    expect((await acta('vote', 'cast', ...D, '--mesa', m2, '--choice', 'president=mpv')).code).toBe(
      0,
    );
    castVote('mpv');

    const revoked = await acta(
      'registry',
      'revoke',
      ...D,
      '--card',
      card('dario'),
      '--reason',
      'card lost',
    );
    expect(revoked.code, revoked.err).toBe(0);
    expectRefusal(
      await acta('poll', 'checkin', ...D, '--card', card('dario')),
      'REVOKED_CREDENTIAL',
    );
    expectUsage(
      await acta(
        'registry',
        'reissue',
        ...D,
        '--card',
        card('dario'),
        '--national-id',
        'V-99999999',
      ),
      /does not match the identity/,
    );
    const reissued = await actaJson<CardReport>(
      'registry',
      'reissue',
      ...D,
      '--card',
      card('dario'),
      '--national-id',
      'V-10000004',
      '--out',
      card('dario2'),
    );
    expect(reissued.serial).toBe(2);
    expect(reissued.mesa).toBe(m2);
    expect(mode(card('dario2'))).toBe(0o600);
    // The same old card cannot be reissued twice (two live cards for one person).
    expectRefusal(
      await acta(
        'registry',
        'reissue',
        ...D,
        '--card',
        card('dario'),
        '--national-id',
        'V-10000004',
      ),
      'BAD_REISSUE',
    );
    expect((await acta('poll', 'checkin', ...D, '--card', card('dario2'))).code).toBe(0);
    expect(
      (await acta('vote', 'cast', ...D, '--mesa', m2, '--choice', 'president=untc')).code,
    ).toBe(0);
    castVote('untc');
    expect((await acta('poll', 'checkin', ...D, '--card', card('eva'))).code).toBe(0);
    expect((await acta('vote', 'cast', ...D, '--mesa', m2)).code).toBe(0);

    // -- closing: mesa 1 with both witnesses' co-signatures
    const closed1 = await actaJson<CloseReport>(
      'mesa',
      'close',
      ...D,
      '--mesa',
      m1,
      '--witness-sign',
      '--qr',
      join(root, 'acta1.svg'),
    );
    expect(closed1.counts).toEqual({ registered: 2, checkedIn: 2, cast: 2, spoiled: 1 });
    expect(closed1.cosignedBy).toEqual(['Witness 1', 'Witness 2']);
    expect(closed1.qr.startsWith('ACTA1')).toBe(true);
    const device1 = closed1.results[0]!.cards.filter((c) => c.votes > 0);
    expect(device1).toEqual([
      { id: 'psuv', votes: 1 },
      { id: 'untc', votes: 1 },
    ]);
    expect(existsSync(join(root, 'acta1.svg'))).toBe(true);
    status = await actaJson<StatusReport>('status', ...D);
    expect(status.phase).toBe('closing');

    // Nothing more is accepted at a closed mesa.
    expectRefusal(
      await acta('vote', 'cast', ...D, '--mesa', m1, '--choice', 'president=psuv'),
      'MESA_CLOSED',
    );
    expectRefusal(await acta('mesa', 'close', ...D, '--mesa', m1), 'MESA_CLOSED');

    const closed2 = await acta('mesa', 'close', ...D, '--mesa', m2);
    expect(closed2.code, closed2.err).toBe(0);
    expect(closed2.out).toContain(`mesa ${m2} closed`);
    expect(closed2.out).toMatch(/acta QR payload: ACTA1/);
    status = await actaJson<StatusReport>('status', ...D);
    expect(status.phase).toBe('tallying');

    // -- decryption by trustees 1 and 3 (trustee 2 stays away), then the tally
    const pending = await actaJson<TallyReport>('tally', ...D);
    expect(pending.totals).toBeNull();
    expect(pending.pending.map((p) => p.waitingFor)).toEqual(['decryptions', 'decryptions']);
    const d1 = await actaJson<DecryptReport>('trustee', 'decrypt', ...D, '--trustee', '1');
    expect(d1.decrypted.map((d) => d.mesa)).toEqual([m1, m2]);
    expectRefusal(
      await acta('trustee', 'decrypt', ...D, '--trustee', '1', '--mesa', m1),
      'DUPLICATE',
    );
    const again = await actaJson<DecryptReport>('trustee', 'decrypt', ...D, '--trustee', '1');
    expect(again.decrypted).toEqual([]);
    expect(again.alreadyDecrypted).toEqual([m1, m2]);
    expect((await acta('trustee', 'decrypt', ...D, '--trustee', '3')).code).toBe(0);

    const result = await actaJson<TallyReport>('tally', ...D);
    expect(result.posted.map((p) => p.mesa).sort()).toEqual([m1, m2].sort());
    expect(result.posted.every((p) => p.trustees.join() === '1,3')).toBe(true);
    expect(result.pending).toEqual([]);
    expect(result.findings).toEqual([]);
    const president = result.totals!.contests.find((c) => c.contest === 'president')!;
    expect(president.cards).toHaveLength(38);
    for (const c of president.cards) expect(c.votes, c.id).toBe(expected.get(c.id) ?? 0);
    const byCandidate = Object.fromEntries(president.candidates.map((c) => [c.id, c.votes]));
    expect(byCandidate).toMatchObject({ gonzalez: 3, maduro: 1 });
    expect(president.candidates.reduce((a, c) => a + c.votes, 0)).toBe(4);
    expect(result.totals!.mesas).toBe(2);

    // The people's table, printed again on a later run (nothing new is posted).
    const table = await acta('tally', ...D);
    expect(table.code, table.err).toBe(0);
    expect(table.out).toContain('Edmundo González Urrutia');
    expect(table.out).toMatch(/Edmundo González Urrutia\s*│\s*3\s*│\s*75\.00%/);
    expect(table.out).not.toContain('posted the results');

    status = await actaJson<StatusReport>('status', ...D);
    expect(status.phase).toBe('complete');
    expect(status.totalsPosted).toBe(true);
    expect(status.credentials).toEqual({ registered: 5, revoked: 1 });
    expect(status.entriesByType).toMatchObject({
      election: 1,
      'trustee-round1': 3,
      'trustee-shares': 3,
      'election-key': 1,
      registration: 6,
      revocation: 1,
      checkin: 5,
      ballot: 6,
      acta: 2,
      'acta-cosign': 2,
      decryption: 4,
      'mesa-result': 2,
      totals: 1,
    });
    // Refused check-ins, ballots, actas and decryptions are on the board.
    expect(status.entriesByType['refusal']).toBe(6);
    const m1Status = status.mesas.find((m) => m.mesa === m1)!;
    expect(m1Status).toMatchObject({
      cast: 2,
      spoiled: 1,
      closed: true,
      cosignatures: 2,
      result: true,
    });
    expect(m1Status.decryptions).toEqual([1, 3]);
    expect(status.board.treeHead?.treeSize).toBe(status.board.entries);

    const human = await acta('status', ...D);
    expect(human.out).toContain('phase complete');
  });

  it('never puts a secret on the board', async () => {
    const hexes = new Set<string>();
    const walk = (value: unknown, key: string): void => {
      if (typeof value === 'string') {
        if (
          /secret|signingKey|keyShare|transportSecretKey|coefficients|identitySalt|pollWorkerKey|deviceKey/i.test(
            key,
          ) &&
          /^[0-9a-f]{64}$/.test(value)
        ) {
          hexes.add(value);
        }
      } else if (Array.isArray(value)) {
        for (const v of value) walk(v, key);
      } else if (typeof value === 'object' && value !== null) {
        for (const [k, v] of Object.entries(value)) walk(v, k);
      }
    };
    const files = [
      join(dir, 'authority.json'),
      join(dir, 'registry.json'),
      ...['trustees', 'devices', 'witnesses'].flatMap((d) =>
        readdirSync(join(dir, d)).map((f) => join(dir, d, f)),
      ),
      ...['ana', 'beto', 'carla', 'dario', 'dario2', 'eva'].map((n) => join(root, `${n}.json`)),
    ];
    for (const f of files) walk(JSON.parse(readFileSync(f, 'utf8')) as unknown, '');
    // authority, registry, 3 × (signing key, 2 coefficients, transport key, key share),
    // 2 × (device, poll worker), 2 witnesses, 6 card keys, 5 salts (a reissue keeps its salt)
    expect(hexes.size).toBeGreaterThanOrEqual(34);
    const store = await openSqliteStore(join(dir, 'board.sqlite'), { readonly: true });
    try {
      let text = '';
      for await (const e of store.entries()) text += new TextDecoder().decode(e.payload);
      for (const h of await store.treeHeads()) text += h.json;
      expect(text.length).toBeGreaterThan(10_000);
      for (const h of hexes) expect(text.includes(h), 'a secret is on the board').toBe(false);
      expect(text).not.toContain('V-1000000');
    } finally {
      await store.close();
    }
  });

  it('refuses what needs an election, and what is called wrongly (exit 2, one line)', async () => {
    const nowhere = join(root, 'nowhere');
    expectUsage(await acta('status', '--dir', nowhere), /does not exist/);
    expectUsage(await acta('tally', '--dir', root), /holds no election/);
    expectUsage(
      await acta('poll', 'checkin', ...D, '--card', join(root, 'missing.json')),
      /cannot read a card file/,
    );
    expectUsage(
      await acta(
        'election',
        'create',
        '--dir',
        join(root, 'x'),
        '--trustees',
        '2',
        '--quorum',
        '3',
      ),
      /--quorum must be in/,
    );
    expectUsage(
      await acta('election', 'create', '--dir', join(root, 'y'), '--example', 'lunar'),
      /--example must be one of national, municipal/,
    );
    expect(existsSync(join(root, 'y', 'board.sqlite'))).toBe(false);
    const manifest = join(root, 'manifest.json');
    writeFileSync(manifest, '{"format":"acta-manifest-v1","electionId":"x"}');
    expectUsage(
      await acta('election', 'create', '--dir', join(root, 'z'), '--manifest', manifest),
      /manifest\.json: MANIFEST_MALFORMED at manifest/,
    );
    expectUsage(
      await acta(
        'election',
        'create',
        '--dir',
        join(root, 'z'),
        '--manifest',
        manifest,
        '--mesas',
        '2',
      ),
      /--mesas builds a demo geography/,
    );
    expect(existsSync(join(root, 'z', 'board.sqlite'))).toBe(false);
    // A manifest file is posted as it is (its own geography).
    const example = fileURLToPath(
      new URL('../../../libs/protocol/examples/municipal.json', import.meta.url),
    );
    const own = await actaJson<CreateElectionReport>(
      'election',
      'create',
      '--dir',
      join(root, 'z'),
      '--manifest',
      example,
      '--trustees',
      '1',
      '--quorum',
      '1',
    );
    expect(own.seed).toBeNull();
    expect(own.mesas).toHaveLength(25);
    expect(own.board.entries).toBe(1 + 25 + 2);
    expect((await acta('trustee', 'round1', ...D)).code).toBe(2); // --trustee is required
    expect((await acta('trustee', 'round1', ...D, '--trustee', 'one')).code).toBe(2);
  });
});

describe('the municipal example by hand', () => {
  it('checks choices against the mesa style, several marks per contest', async () => {
    const dir = join(root, 'municipal');
    const D = ['--dir', dir];
    const created = await actaJson<CreateElectionReport>(
      'election',
      'create',
      ...D,
      '--example',
      'municipal',
      '--mesas',
      '1',
      '--trustees',
      '1',
      '--quorum',
      '1',
      '--witnesses',
      '0',
    );
    const mesa = created.mesas[0]!.mesa;
    for (const s of ['round1', 'shares', 'finish']) {
      expect((await acta('trustee', s, ...D, '--trustee', '1')).code).toBe(0);
    }
    expect((await acta('election', 'open', ...D)).code).toBe(0);
    await actaJson<CardReport>(
      'registry',
      'issue',
      ...D,
      '--mesa',
      mesa,
      '--national-id',
      'M-1',
      '--out',
      join(root, 'm1.json'),
    );
    expect((await acta('poll', 'checkin', ...D, '--card', join(root, 'm1.json'))).code).toBe(0);
    expectUsage(
      await acta(
        'vote',
        'cast',
        ...D,
        '--mesa',
        mesa,
        '--choice',
        'council=maria-fernandez-partido-azul,pedro-salazar-partido-azul,rosa-guerrero-partido-azul,miguel-castillo-frente-rojo,carmen-rojas-frente-rojo,andres-molina-frente-rojo',
      ),
      /contest council allows at most 5 marks/,
    );
    const ballot = await actaJson<VoteReport>(
      'vote',
      'cast',
      ...D,
      '--mesa',
      mesa,
      '--choice',
      'mayor=partido-azul',
      '--choice',
      'council=maria-fernandez-partido-azul,elena-vargas-movimiento-verde',
      '--choice',
      'referendum-parks=yes',
    );
    const marked = Object.fromEntries(ballot.paper!.choices.map((c) => [c.contest, c.marked]));
    expect(marked['council']).toEqual([
      'maria-fernandez-partido-azul',
      'elena-vargas-movimiento-verde',
    ]);
    expect(marked['mayor']).toEqual(['partido-azul']);
    expectUsage(
      await acta('mesa', 'close', ...D, '--mesa', mesa, '--witness-sign'),
      /holds no witness key/,
    );
    expect((await acta('mesa', 'close', ...D, '--mesa', mesa)).code).toBe(0);
    expect((await acta('trustee', 'decrypt', ...D, '--trustee', '1')).code).toBe(0);
    const result = await actaJson<TallyReport>('tally', ...D);
    const council = result.totals!.contests.find((c) => c.contest === 'council')!;
    expect(council.cards.filter((c) => c.votes > 0).map((c) => c.id)).toEqual([
      'maria-fernandez-partido-azul',
      'elena-vargas-movimiento-verde',
    ]);
    const parks = result.totals!.contests.find((c) => c.contest === 'referendum-parks')!;
    expect(parks.candidates.find((c) => c.votes === 1)).toBeDefined();
  });
});
