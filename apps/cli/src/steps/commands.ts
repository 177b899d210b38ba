/**
 * The step commands of `acta` (issue #4 item 9): an election driven by hand,
 * each command one party's action on the board of a working directory
 * (workdir.ts documents its layout), so that an official, a trustee or a
 * tester can run the whole lifecycle step by step:
 *
 *   acta election create   the authority defines the election (keys, devices, witnesses)
 *   acta trustee round1|shares|finish   the key ceremony, one trustee at a time
 *   acta election open     the authority posts the joint election key
 *   acta registry issue|revoke|reissue  voters' cards
 *   acta poll checkin      a voter proves possession of their card at their mesa
 *   acta vote cast|spoil   the mesa's device encrypts a ballot; the receipt is printed
 *   acta mesa close        the device signs the acta; witnesses co-sign it
 *   acta trustee decrypt   a trustee's partial decryption of closed mesas
 *   acta tally             mesa results, then the totals
 *   acta status            what the board holds
 *
 * Exit status: 0 done, 1 the rules refused the action (`acta: CODE at where:
 * message`, recorded on the board where the service records refusals), 2 a
 * usage error (one line). `--json` prints one JSON document on stdout.
 */
import { InvalidArgumentError, type Command } from 'commander';
import { percent, printJson, renderTable } from '../output.js';
import { StepRefusal, StepUsageError } from './errors.js';
import {
  createElection,
  openElection,
  readStatus,
  type CreateElectionReport,
  type OpenElectionReport,
  type StatusReport,
} from './election.js';
import {
  checkIn,
  closeMesa,
  vote,
  type CheckinReport,
  type CloseReport,
  type VoteReport,
} from './polling.js';
import {
  issueCard,
  reissueCard,
  revokeCard,
  type CardReport,
  type RevokeReport,
} from './registry.js';
import { tally, type TallyReport } from './tally.js';
import {
  decryptMesas,
  finishCeremony,
  postRound1,
  postShares,
  type CeremonyStepReport,
  type DecryptReport,
} from './trustee.js';
import { DEFAULT_ELECTION_DIR, requireWorkDir, type BoardSummary } from './workdir.js';

type SetExit = (code: number) => void;

function parseCount(value: string): number {
  if (!/^[0-9]{1,9}$/.test(value))
    throw new InvalidArgumentError('expected a non-negative integer');
  return Number(value);
}

function collect(value: string, previous: readonly string[]): string[] {
  return [...previous, value];
}

function write(text: string): void {
  process.stdout.write(text.endsWith('\n') ? text : `${text}\n`);
}

/**
 * Runs a step: a usage error prints one line and exits 2, a refusal prints
 * `CODE at where: message` and exits 1; anything else is a bug and propagates.
 */
async function runStep(setExit: SetExit, body: () => Promise<void>): Promise<void> {
  try {
    await body();
    setExit(0);
  } catch (e) {
    if (e instanceof StepUsageError) {
      process.stderr.write(`acta: ${e.message}\n`);
      setExit(2);
      return;
    }
    if (e instanceof StepRefusal) {
      process.stderr.write(`acta: ${e.toString()}\n`);
      setExit(1);
      return;
    }
    throw e;
  }
}

/** Prints a report: JSON, or the human form. */
function emit<T>(json: boolean | undefined, report: T, human: (r: T) => string): void {
  if (json === true) printJson(report);
  else write(human(report));
}

function boardLine(b: BoardSummary): string {
  const head =
    b.treeHead === null
      ? 'no signed tree head'
      : `signed tree head size ${b.treeHead.treeSize}, root ${b.treeHead.rootHash}`;
  return `board: ${b.entries.toLocaleString('en-US')} entries, ${head}`;
}

// ---------------------------------------------------------------------------
// Human forms

const LISTED_MESAS = 20;

function showCreate(r: CreateElectionReport): string {
  const lines = [
    `Election ${r.electionId} (${r.name}, ${r.date}) created in ${r.dir}`,
    `${r.mesas.length} mesas · trustees ${r.trustees}, quorum ${r.quorum} · ${r.witnesses} witnesses${r.seed === null ? '' : ` · geography seed ${r.seed}`}`,
    `manifest hash ${r.manifestHash}`,
    `base hash     ${r.baseHash}`,
    boardLine(r.board),
    '',
    renderTable(
      ['Mesa', 'Style', 'Centre', 'Place'],
      r.mesas.slice(0, LISTED_MESAS).map((m) => [m.mesa, m.style, m.centre, m.place]),
    ),
  ];
  if (r.mesas.length > LISTED_MESAS) {
    lines.push(`… and ${r.mesas.length - LISTED_MESAS} more (acta status lists every mesa)`);
  }
  lines.push('');
  for (const c of r.contests) {
    lines.push(`contest ${c.contest} (up to ${c.selectionLimit}): cards ${c.cards.join(', ')}`);
  }
  lines.push(
    '',
    `secrets (mode 0600): ${r.dir}/authority.json, registry.json, trustees/, devices/, witnesses/`,
    `next: acta trustee round1 --dir ${r.dir} --trustee i, for i = 1…${r.trustees}`,
  );
  return lines.join('\n');
}

function trusteeList(indices: readonly number[]): string {
  return `trustee${indices.length === 1 ? '' : 's'} ${indices.join(', ')}`;
}

function showCeremony(r: CeremonyStepReport): string {
  const head =
    r.step === 'finish'
      ? `trustee ${r.trustee}: key share derived from the shares on the board (kept in its secrets file)`
      : `trustee ${r.trustee}: ${r.step === 'round1' ? 'round 1' : 'shares'} posted (entry ${r.index})`;
  const waiting =
    r.waitingFor.length > 0
      ? `waiting for ${r.step === 'round1' ? 'round 1' : 'the shares'} of ${trusteeList(r.waitingFor)}`
      : r.step === 'round1'
        ? 'every trustee posted round 1: next, acta trustee shares'
        : r.step === 'shares'
          ? 'every trustee posted its shares: next, acta trustee finish (each), then acta election open'
          : '';
  return [head, waiting, boardLine(r.board)].filter((l) => l !== '').join('\n');
}

function showOpen(r: OpenElectionReport): string {
  return [
    `election ${r.electionId} is open: election key posted (entry ${r.index})`,
    `joint key     ${r.jointKey}`,
    `election hash ${r.electionHash}`,
    boardLine(r.board),
  ].join('\n');
}

function showCard(r: CardReport): string {
  return [
    r.supersedes === null
      ? `card issued for mesa ${r.mesa}, serial ${r.serial} (national id …${r.nationalIdHint}) (entry ${r.index})`
      : `card reissued for mesa ${r.mesa}, serial ${r.serial} (national id …${r.nationalIdHint}) (entry ${r.index}); it supersedes and revokes ${r.supersedes}`,
    `card file: ${r.card} (SECRET: the voter's credential, mode 0600)`,
    ...(r.qr === null ? [] : [`card QR code: ${r.qr} (SECRET, mode 0600)`]),
    `credential key      ${r.credentialKey}`,
    `identity commitment ${r.identityCommitment}`,
    boardLine(r.board),
  ].join('\n');
}

function showRevoke(r: RevokeReport): string {
  return [
    `credential ${r.credentialKey} (mesa ${r.mesa}, serial ${r.serial}) revoked (entry ${r.index})`,
    boardLine(r.board),
  ].join('\n');
}

function showCheckin(r: CheckinReport): string {
  return [
    `checked in at mesa ${r.mesa}: card serial ${r.serial} (national id …${r.nationalIdHint}) (entry ${r.index})`,
    `mesa ${r.mesa}: ${r.checkedIn} checked in, ${r.cast} cast`,
    boardLine(r.board),
  ].join('\n');
}

function showVote(r: VoteReport): string {
  const rc = r.receipt;
  const lines = [
    rc.disposition === 'cast'
      ? `ballot cast at mesa ${rc.mesa}, sequence ${rc.sequence} (entry ${r.index})`
      : `ballot spoiled at mesa ${rc.mesa}, sequence ${rc.sequence} (entry ${r.index}): its opening is on the board for anyone to check; it is never counted`,
    '',
    'Receipt',
    `  tracking code ${rc.display}`,
    `  full code     ${rc.trackingCode}`,
    `  QR            ${rc.qr}`,
  ];
  if (r.paperText !== null) {
    lines.push('', 'Paper record (into the ballot box, for audits)', r.paperText.trimEnd());
  }
  lines.push('', boardLine(r.board));
  return lines.join('\n');
}

function showClose(r: CloseReport): string {
  const lines = [
    `mesa ${r.mesa} closed: acta at entry ${r.index} (leaf ${r.leafHash})`,
    '',
    renderTable(
      ['Registered', 'Checked in', 'Cast', 'Spoiled'],
      [[r.counts.registered, r.counts.checkedIn, r.counts.cast, r.counts.spoiled]],
    ),
  ];
  for (const c of r.results) {
    const marked = c.cards.filter((x) => x.votes > 0);
    lines.push(
      '',
      `${c.contest}: the device's counts (the decrypted tally must confirm them)`,
      renderTable(
        ['Card', 'Votes'],
        marked.map((x) => [x.id, x.votes]),
      ),
    );
    if (marked.length < c.cards.length) {
      lines.push(`the other ${c.cards.length - marked.length} cards: 0 votes`);
    }
  }
  lines.push('', `chain head ${r.chainHead}`, `acta QR payload: ${r.qr}`);
  if (r.qrImage !== null) lines.push(`acta QR image: ${r.qrImage}`);
  lines.push(
    r.cosignedBy.length > 0 ? `co-signed by ${r.cosignedBy.join(', ')}` : 'no co-signatures yet',
    boardLine(r.board),
  );
  return lines.join('\n');
}

function showDecrypt(r: DecryptReport): string {
  const lines = [
    r.decrypted.length === 0
      ? `trustee ${r.trustee}: nothing to decrypt`
      : `trustee ${r.trustee} decrypted ${r.decrypted.map((d) => `${d.mesa} (entry ${d.index})`).join(', ')}`,
  ];
  if (r.alreadyDecrypted.length > 0) {
    lines.push(`already decrypted: ${r.alreadyDecrypted.join(', ')}`);
  }
  lines.push(boardLine(r.board));
  return lines.join('\n');
}

function showTally(r: TallyReport): string {
  const lines: string[] = [];
  if (r.posted.length > 0) {
    lines.push(
      `posted the results of ${r.posted.map((p) => `${p.mesa} (trustees ${p.trustees.join(', ')})`).join(', ')}`,
    );
  }
  if (r.pending.length > 0) {
    lines.push(
      `waiting: ${r.pending
        .map((p) =>
          p.waitingFor === 'closing'
            ? `${p.mesa} (open)`
            : `${p.mesa} (decryptions ${p.decryptions}/${r.quorum})`,
        )
        .join(', ')}`,
    );
  }
  if (r.totals !== null) {
    lines.push(
      `totals (entry ${r.totals.index}): the sum of ${r.totals.mesas} mesas' decrypted results`,
    );
    for (const c of r.totals.contests) {
      const marks = c.candidates.reduce((a, x) => a + x.votes, 0);
      lines.push(
        '',
        `${c.name} (${c.contest}, up to ${c.selectionLimit} mark${c.selectionLimit === 1 ? '' : 's'})`,
        renderTable(
          ['Candidate', 'Votes', 'Share of marks'],
          [...c.candidates]
            .sort((a, b) => b.votes - a.votes)
            .map((x) => [x.name, x.votes, percent(x.votes, marks)]),
        ),
        renderTable(
          ['Card', 'Label', 'Candidate', 'Votes'],
          c.cards.filter((x) => x.votes > 0).map((x) => [x.id, x.label, x.candidate, x.votes]),
        ),
      );
    }
  }
  lines.push(
    '',
    r.findings.length === 0
      ? 'findings: none (every acta agrees with its decrypted tally)'
      : `findings: ${r.findings.map((f) => `${f.code} at ${f.where}: ${f.message}`).join('; ')}`,
    boardLine(r.board),
  );
  return lines.join('\n');
}

function showStatus(r: StatusReport): string {
  const c = r.ceremony;
  const list = (xs: readonly number[]): string => (xs.length === 0 ? 'none' : xs.join(', '));
  const active = r.mesas.filter((m) => m.registered > 0 || m.checkedIn > 0 || m.closed);
  const shown = r.mesas.length <= LISTED_MESAS ? r.mesas : active;
  const lines = [
    `Election ${r.electionId} (${r.name}): phase ${r.phase}`,
    `ceremony: ${c.trustees} trustees, quorum ${c.quorum}; round 1 by ${list(c.round1)}; shares by ${list(c.shares)}; election key ${c.keyPosted ? 'posted' : 'not posted'}`,
    `credentials: ${r.credentials.registered} valid, ${r.credentials.revoked} revoked · ${r.witnesses} witnesses · totals ${r.totalsPosted ? 'posted' : 'not posted'}`,
    `entries: ${Object.entries(r.entriesByType)
      .map(([k, v]) => `${k} ${v}`)
      .join(', ')}`,
    boardLine(r.board),
    '',
    renderTable(
      ['Mesa', 'Registered', 'Checked in', 'Cast', 'Spoiled', 'Closed', 'Decrypted by', 'Result'],
      shown.map((m) => [
        m.mesa,
        m.registered,
        m.checkedIn,
        m.cast,
        m.spoiled,
        m.closed ? `yes (${m.cosignatures} co-sig.)` : 'no',
        list(m.decryptions),
        m.result ? 'yes' : 'no',
      ]),
    ),
  ];
  if (shown.length < r.mesas.length) {
    lines.push(
      `(${r.mesas.length - shown.length} mesas without activity not shown; --json lists all)`,
    );
  }
  lines.push(
    r.findings.length === 0
      ? 'findings: none'
      : `findings: ${r.findings.map((f) => `${f.code} at ${f.where}`).join('; ')}`,
  );
  return lines.join('\n');
}

// ---------------------------------------------------------------------------
// The command tree

interface DirOptions {
  dir: string;
  json?: boolean;
}

function withDir(cmd: Command): Command {
  return cmd
    .option('--dir <dir>', 'the election working directory', DEFAULT_ELECTION_DIR)
    .option('--json', 'print the result as one JSON document');
}

/** Adds the step commands (election, trustee, registry, poll, vote, mesa, tally, status). */
export function registerStepCommands(program: Command, setExit: SetExit): void {
  const step = (body: () => Promise<void>): Promise<void> => runStep(setExit, body);

  const election = program
    .command('election')
    .description('the authority: create an election in a working directory, open it');
  withDir(
    election
      .command('create')
      .description(
        'define an election on a new board: manifest, keys of the authority, registry, trustees, devices and witnesses (secrets in the directory, mode 0600)',
      )
      .option('--example <name>', 'national (the 38-card Venezuelan ballot) or municipal')
      .option('--manifest <file>', 'an acta-manifest-v1 JSON file instead of an example')
      .option('--mesas <m>', 'replace the example geography by m demo mesas', parseCount)
      .option('--seed <s>', 'seed of the demo geography (default: random)')
      .option('--trustees <n>', 'trustees holding the key', parseCount, 3)
      .option('--quorum <k>', 'trustees needed to decrypt', parseCount, 2)
      .option('--witnesses <w>', 'witnesses who may co-sign actas', parseCount, 2),
  ).action(
    (
      o: DirOptions & {
        example?: string;
        manifest?: string;
        mesas?: number;
        seed?: string;
        trustees: number;
        quorum: number;
        witnesses: number;
      },
    ) =>
      step(async () => {
        const report = await createElection({ ...o, quiet: o.json === true });
        emit(o.json, report, showCreate);
      }),
  );
  withDir(
    election
      .command('open')
      .description(
        'the authority posts the joint election key (after every trustee posted round 1 and shares)',
      ),
  ).action((o: DirOptions) =>
    step(async () => {
      emit(o.json, await openElection(requireWorkDir(o.dir), o.json === true), showOpen);
    }),
  );

  const trustee = program
    .command('trustee')
    .description('a trustee: the key ceremony and decryption');
  const ceremony = [
    ['round1', 'post the commitments to a fresh polynomial, with proofs', postRound1],
    ['shares', 'post the encrypted shares of the polynomial for every other trustee', postShares],
    ['finish', 'read the shares sent to this trustee and derive its key share', finishCeremony],
  ] as const;
  for (const [name, description, run] of ceremony) {
    withDir(
      trustee
        .command(name)
        .description(description)
        .requiredOption('--trustee <i>', 'the trustee (1…n)', parseCount),
    ).action((o: DirOptions & { trustee: number }) =>
      step(async () => {
        emit(o.json, await run(requireWorkDir(o.dir), o.trustee, o.json === true), showCeremony);
      }),
    );
  }
  withDir(
    trustee
      .command('decrypt')
      .description("post this trustee's partial decryption of every closed mesa (or of --mesa)")
      .requiredOption('--trustee <i>', 'the trustee (1…n)', parseCount)
      .option('--mesa <mesa>', 'only this mesa'),
  ).action((o: DirOptions & { trustee: number; mesa?: string }) =>
    step(async () => {
      const r = await decryptMesas(requireWorkDir(o.dir), o.trustee, o.mesa, o.json === true);
      emit(o.json, r, showDecrypt);
    }),
  );

  const registry = program.command('registry').description("the registry: voters' cards");
  withDir(
    registry
      .command('issue')
      .description(
        'issue a card (credential) to a voter of a mesa and post its pseudonymous registration',
      )
      .requiredOption('--mesa <mesa>', 'the mesa id, e.g. 010101001.01')
      .requiredOption(
        '--national-id <id>',
        "the voter's national id (kept by the registry, never posted)",
      )
      .option('--out <file>', 'the card file to write (default: under DIR/cards)')
      .option('--qr <file>', "also write the card's QR code (.svg or .png)"),
  ).action((o: DirOptions & { mesa: string; nationalId: string; out?: string; qr?: string }) =>
    step(async () => {
      const r = await issueCard(requireWorkDir(o.dir), { ...o, quiet: o.json === true });
      emit(o.json, r, showCard);
    }),
  );
  withDir(
    registry
      .command('revoke')
      .description('revoke a card')
      .requiredOption('--card <file>', 'the card file')
      .requiredOption('--reason <text>', 'why (posted on the board)'),
  ).action((o: DirOptions & { card: string; reason: string }) =>
    step(async () => {
      const r = await revokeCard(requireWorkDir(o.dir), { ...o, quiet: o.json === true });
      emit(o.json, r, showRevoke);
    }),
  );
  withDir(
    registry
      .command('reissue')
      .description('issue a new card to the holder of a card; the old one is revoked by it')
      .requiredOption('--card <file>', 'the card to replace')
      .requiredOption('--national-id <id>', "the holder's national id (must match the card)")
      .option('--out <file>', 'the new card file (default: under DIR/cards)'),
  ).action((o: DirOptions & { card: string; nationalId: string; out?: string }) =>
    step(async () => {
      const r = await reissueCard(requireWorkDir(o.dir), { ...o, quiet: o.json === true });
      emit(o.json, r, showCard);
    }),
  );

  const poll = program.command('poll').description('the poll book of a mesa');
  withDir(
    poll
      .command('checkin')
      .description(
        "check a voter in at their card's mesa (the card signs the poll book's challenge)",
      )
      .requiredOption('--card <file>', "the voter's card file"),
  ).action((o: DirOptions & { card: string }) =>
    step(async () => {
      const r = await checkIn(requireWorkDir(o.dir), { ...o, quiet: o.json === true });
      emit(o.json, r, showCheckin);
    }),
  );

  const voteCommand = program
    .command('vote')
    .description("a mesa's voting device: cast a ballot, or spoil one to challenge the device");
  for (const [name, disposition, description] of [
    [
      'cast',
      'cast',
      'encrypt and cast a ballot (needs an unused check-in); prints the receipt and the paper record',
    ],
    [
      'spoil',
      'spoiled',
      'encrypt a ballot and spoil it (Benaloh challenge: its opening is published, it is never counted)',
    ],
  ] as const) {
    withDir(
      voteCommand
        .command(name)
        .description(description)
        .requiredOption('--mesa <mesa>', 'the mesa id')
        .option(
          '--choice <contest=cards>',
          'CONTEST=CARD[,CARD...] with manifest ids, repeatable; contests not given are blank',
          collect,
          [] as string[],
        )
        .option('--qr <file>', "also write the receipt's QR code (.svg or .png)"),
    ).action((o: DirOptions & { mesa: string; choice: string[]; qr?: string }) =>
      step(async () => {
        const r = await vote(requireWorkDir(o.dir), {
          mesa: o.mesa,
          choices: o.choice,
          disposition,
          ...(o.qr !== undefined ? { qr: o.qr } : {}),
          quiet: o.json === true,
        });
        emit(o.json, r, showVote);
      }),
    );
  }

  const mesa = program.command('mesa').description('a mesa');
  withDir(
    mesa
      .command('close')
      .description('close the mesa: its device signs the acta (printed with its QR payload)')
      .requiredOption('--mesa <mesa>', 'the mesa id')
      .option('--witness-sign', 'every witness of the directory co-signs the acta')
      .option('--qr <file>', "also write the acta's QR code (.svg or .png)"),
  ).action((o: DirOptions & { mesa: string; witnessSign?: boolean; qr?: string }) =>
    step(async () => {
      const r = await closeMesa(requireWorkDir(o.dir), {
        mesa: o.mesa,
        witnessSign: o.witnessSign === true,
        ...(o.qr !== undefined ? { qr: o.qr } : {}),
        quiet: o.json === true,
      });
      emit(o.json, r, showClose);
    }),
  );

  withDir(
    program
      .command('tally')
      .description(
        'post the results of mesas decrypted by a quorum, then the totals once every mesa has one; print the results',
      ),
  ).action((o: DirOptions) =>
    step(async () => {
      emit(o.json, await tally(requireWorkDir(o.dir), o.json === true), showTally);
    }),
  );

  withDir(
    program
      .command('status')
      .description('what the board holds: entries by type, per-mesa counts, the phase'),
  ).action((o: DirOptions) =>
    step(async () => {
      emit(o.json, await readStatus(requireWorkDir(o.dir), o.json === true), showStatus);
    }),
  );
}
