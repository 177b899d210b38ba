/**
 * Venezuelan acta QR payloads (2024 presidential election; shared/BRIEF.md)
 * decoded into `MesaResult`s, for the acta cross-check of issue #7.
 *
 * A payload is plain text, `<acta id>!<38 comma-separated integers>!<int>!<int>`,
 * e.g. `201301006.01.1.0001!140,7,…,1,1!0!0`:
 *
 * - the acta id is the 9-digit centre code (state 2, municipality 2, parish
 *   2, centre 3 digits), `.MM` the mesa, then `.D.DDDD`; the mesa's id is
 *   `"201301006.01"`, the key the opposition CSV's importer gives the same
 *   mesa (import-ve2024.ts);
 * - the 38 integers are the party cards in ballot order (`VE2024_CARDS`),
 *   summed into the ten candidates (keys as in `VE2024_CANDIDATES`, the
 *   CSV's order);
 * - the two trailing integers are **believed to be** the null and the blank
 *   votes (no published specification says so): `invalid` and `blank`;
 * - valid = the sum of the 38 cards; registered and voters are `null`: the
 *   payload does not carry them.
 * - region = the centre code's prefixes, largest first: state (2 digits),
 *   municipality (4), parish (6), centre (9) — the payload has codes, not
 *   the names the CSV gives.
 *
 * The payload carries no signature (the paper acta's HMAC can only be
 * checked by the authority), so a decoded payload proves nothing about who
 * wrote it; the reconciliation treats it as unsigned.
 *
 * The grammar is libs/protocol's (`parseVenezuelanActaQr`, the one
 * definition of the payload in the code base: canonical decimal integers — no
 * sign, no leading zero, at most 9 digits — exactly 38 cards, at most 1024
 * characters); this module trims the scanned text, maps the protocol's error
 * codes onto the importers' (`VE_ACTA_QR_SECTIONS` and `_COUNT_COUNT` →
 * IMPORT_WRONG_FIELD_COUNT, `_BAD_ACTA_ID` → IMPORT_BAD_ID, `_BAD_INTEGER` →
 * IMPORT_BAD_COUNT or IMPORT_NEGATIVE_COUNT, `_TOO_LONG` → IMPORT_MALFORMED)
 * and adds what the protocol does not know: which party card counts for
 * which candidate (`VE2024_CARDS`).
 */
import { err, ok, type Result } from '@acta/crypto';
import { MAX_VE_ACTA_QR_LENGTH, VE_ACTA_CARDS, parseVenezuelanActaQr } from '@acta/protocol';
import { quoteCell } from './import-generic-csv.js';
import { VE2024_CANDIDATE_CODES } from './import-ve2024.js';
import type { ImportProblem, ImportResult, MesaResult } from './mesa-result.js';

/** A party card of the 2024 ballot and the candidate it counts for. */
export interface VeCard {
  readonly party: string;
  /** The candidate's code (`VE2024_CANDIDATES`). */
  readonly candidate: string;
}

const cards = (candidate: string, parties: readonly string[]): VeCard[] =>
  parties.map((party) => ({ party, candidate }));

/** The 38 party cards in ballot order (shared/BRIEF.md). */
export const VE2024_CARDS: readonly VeCard[] = [
  ...cards('NM', [
    'PSUV',
    'PCV',
    'TUPAMARO',
    'PPT',
    'MSV',
    'PODEMOS',
    'MEP',
    'APC',
    'ORA',
    'UPV',
    'EV',
    'PVV',
    'PFV',
  ]),
  ...cards('LM', ['AD', 'COPEI', 'MR', 'BR', 'DDP', 'UNE']),
  ...cards('JABE', ['EL CAMBIO']),
  ...cards('JOBR', ['PV', 'VU', 'UVV', 'MPJ']),
  ...cards('AE', ['AP', 'MOVEV', 'CMC', 'FV', 'ALIANZA DEL LAPIZ', 'MIN UNIDAD']),
  ...cards('CF', ['SPV']),
  ...cards('DC', ['VPA', 'AREPA']),
  ...cards('EG', ['UNTC', 'MPV', 'MUD']),
  ...cards('EM', ['CENTRADOS']),
  ...cards('BERA', ['CONDE']),
];

/** The longest payload looked at (a real one is about 120 characters): the protocol's bound. */
export const MAX_VE_QR_PAYLOAD_LENGTH: number = MAX_VE_ACTA_QR_LENGTH;

if (VE2024_CARDS.length !== VE_ACTA_CARDS) {
  throw new RangeError(
    `VE2024_CARDS has ${VE2024_CARDS.length} cards, the protocol ${VE_ACTA_CARDS}`,
  );
}

/** Where each card's votes go: the candidate's index in VE2024_CANDIDATE_CODES. */
const CARD_TO_CANDIDATE: Int32Array = Int32Array.from(VE2024_CARDS, (card) => {
  const at = VE2024_CANDIDATE_CODES.indexOf(card.candidate);
  if (at < 0) throw new RangeError(`card ${card.party}: unknown candidate ${card.candidate}`);
  return at;
});

function badCount(text: string, what: string, where: string): ImportProblem {
  return /^\s*-\s*[0-9]+\s*$/.test(text) && !/^\s*-\s*0+\s*$/.test(text)
    ? { code: 'IMPORT_NEGATIVE_COUNT', where, message: `${what} is negative: ${quoteCell(text)}` }
    : {
        code: 'IMPORT_BAD_COUNT',
        where,
        message: `${what} ${quoteCell(text)} is not a decimal integer (no sign, no leading zero, ≤ 9 digits)`,
      };
}

/**
 * The importer's problem for a protocol parse failure. For a bad integer the
 * protocol names the field (`veActaQr.counts[i]`, `veActaQr.trailing[k]`); the
 * cell is looked up again here to name its card and tell a negative count.
 */
function toProblem(
  code: string,
  at: string,
  message: string,
  text: string,
  where: string,
): ImportProblem {
  switch (code) {
    case 'VE_ACTA_QR_TOO_LONG':
      return {
        code: 'IMPORT_MALFORMED',
        where,
        message: `${text.length} characters; a Venezuelan acta payload has at most ${MAX_VE_QR_PAYLOAD_LENGTH}`,
      };
    case 'VE_ACTA_QR_SECTIONS':
      return {
        code: 'IMPORT_WRONG_FIELD_COUNT',
        where,
        message: `${text.split('!').length} "!"-separated sections, expected 4 (acta id, 38 card counts, two integers)`,
      };
    case 'VE_ACTA_QR_BAD_ACTA_ID':
      return {
        code: 'IMPORT_BAD_ID',
        where,
        message: `${quoteCell(text.split('!')[0] ?? '')} is not an acta id CCCCCCCCC.MM.D.DDDD (9-digit centre, 2-digit mesa)`,
      };
    case 'VE_ACTA_QR_COUNT_COUNT':
      return {
        code: 'IMPORT_WRONG_FIELD_COUNT',
        where,
        message: `${(text.split('!')[1] ?? '').split(',').length} card counts, the 2024 ballot has ${VE2024_CARDS.length} cards`,
      };
    case 'VE_ACTA_QR_BAD_INTEGER': {
      const sections = text.split('!');
      const card = /\.counts\[([0-9]+)\]$/.exec(at);
      if (card !== null) {
        const i = Number(card[1]);
        const cell = (sections[1] ?? '').split(',')[i] ?? '';
        return badCount(cell, `card ${i + 1} (${VE2024_CARDS[i]?.party ?? '?'})`, where);
      }
      return at.endsWith('trailing[0]')
        ? badCount(sections[2] ?? '', 'the first trailing integer (null votes)', where)
        : badCount(sections[3] ?? '', 'the second trailing integer (blank votes)', where);
    }
    default:
      // The protocol's parser has no other Venezuelan codes; a new one is reported as it comes.
      return { code: 'IMPORT_MALFORMED', where, message: `${code} at ${at}: ${message}` };
  }
}

/**
 * Decodes one payload (surrounding spaces and line ends dropped); `where` is
 * its place (`"scan.txt line 3"`), used as the result's `source`.
 */
export function decodeVeQrPayload(
  payload: string,
  where: string,
): Result<MesaResult, ImportProblem> {
  // Bounded before trimming, so a huge line of spaces is refused unread.
  if (payload.length > MAX_VE_QR_PAYLOAD_LENGTH) {
    return err(toProblem('VE_ACTA_QR_TOO_LONG', '', '', payload, where));
  }
  const text = payload.trim();
  const parsed = parseVenezuelanActaQr(text);
  if (!parsed.ok) {
    return err(toProblem(parsed.error.code, parsed.error.where, parsed.error.message, text, where));
  }
  const q = parsed.value;
  const sums = new Float64Array(VE2024_CANDIDATE_CODES.length);
  let valid = 0;
  for (let i = 0; i < q.counts.length; i++) {
    const n = q.counts[i] ?? 0;
    const k = CARD_TO_CANDIDATE[i] ?? 0;
    sums[k] = (sums[k] ?? 0) + n;
    valid += n;
  }
  const votes = new Map<string, number>();
  for (let c = 0; c < VE2024_CANDIDATE_CODES.length; c++) {
    votes.set(VE2024_CANDIDATE_CODES[c] ?? '', sums[c] ?? 0);
  }
  const centre = q.centreCode;
  return ok({
    id: q.mesaId,
    region: [centre.slice(0, 2), centre.slice(0, 4), centre.slice(0, 6), centre],
    registered: null,
    voters: null,
    valid,
    invalid: q.trailing[0],
    blank: q.trailing[1],
    votes,
    source: where,
  });
}

/** Options of `decodeVeQrPayloads`. */
export interface DecodeVeQrOptions {
  /**
   * What to do with a second payload of a mesa already read: `'skip'` (the
   * default, like every importer: skipped and listed as
   * `IMPORT_DUPLICATE_MESA`) or `'keep'` (every copy returned, for the
   * reconciliation, which compares copies and flags conflicting ones).
   */
  readonly duplicates?: 'skip' | 'keep';
}

/**
 * Decodes a file of payloads, one per line (`lines`, e.g. the text split on
 * "\n"); `where` names the file: sources are `"<file> line N"` (1-based).
 * Lines that are empty or only spaces are not payloads and not counted.
 */
export function decodeVeQrPayloads(
  lines: readonly string[],
  where: string,
  options: DecodeVeQrOptions = {},
): ImportResult {
  const keep = options.duplicates === 'keep';
  const results: MesaResult[] = [];
  const problems: ImportProblem[] = [];
  const firstLineOf = new Map<string, number>();
  let rows = 0;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? '';
    if (line.trim() === '') continue;
    rows++;
    const at = `${where} line ${i + 1}`;
    const decoded = decodeVeQrPayload(line, at);
    if (!decoded.ok) {
      problems.push(decoded.error);
      continue;
    }
    const first = firstLineOf.get(decoded.value.id);
    if (first !== undefined && !keep) {
      problems.push({
        code: 'IMPORT_DUPLICATE_MESA',
        where: at,
        message: `mesa ${decoded.value.id} already read at line ${first}; this copy skipped`,
      });
      continue;
    }
    if (first === undefined) firstLineOf.set(decoded.value.id, i + 1);
    results.push(decoded.value);
  }
  if (rows === 0) {
    problems.push({ code: 'IMPORT_EMPTY', where, message: `${where} holds no payload` });
  }
  return { results, problems, rows, skipped: rows - results.length };
}
