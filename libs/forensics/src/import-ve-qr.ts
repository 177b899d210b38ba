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
 * Counts are canonical decimal integers (no sign, no leading zero, at most 9
 * digits), as the CNE's payloads write them and as libs/protocol's parser
 * (`parseVenezuelanActaQr`) accepts them; this package does not depend on
 * libs/protocol, so it reads the same grammar on its own.
 */
import { err, ok, type Result } from '@acta/crypto';
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

/** The longest payload looked at (a real one is about 120 characters). */
export const MAX_VE_QR_PAYLOAD_LENGTH = 1024;

const ACTA_ID = /^([0-9]{9})\.([0-9]{2})\.[0-9]\.[0-9]{4}$/;
const MAX_DIGITS = 9;

/** Where each card's votes go: the candidate's index in VE2024_CANDIDATE_CODES. */
const CARD_TO_CANDIDATE: Int32Array = Int32Array.from(VE2024_CARDS, (card) => {
  const at = VE2024_CANDIDATE_CODES.indexOf(card.candidate);
  if (at < 0) throw new RangeError(`card ${card.party}: unknown candidate ${card.candidate}`);
  return at;
});

/** A canonical count, or -1. */
function parseCanonical(text: string): number {
  if (text.length === 0 || text.length > MAX_DIGITS) return -1;
  if (text.length > 1 && text.charCodeAt(0) === 48) return -1;
  let value = 0;
  for (let i = 0; i < text.length; i++) {
    const digit = text.charCodeAt(i) - 48;
    if (digit < 0 || digit > 9) return -1;
    value = value * 10 + digit;
  }
  return value;
}

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
 * Decodes one payload (surrounding spaces and line ends dropped); `where` is
 * its place (`"scan.txt line 3"`), used as the result's `source`.
 */
export function decodeVeQrPayload(
  payload: string,
  where: string,
): Result<MesaResult, ImportProblem> {
  if (payload.length > MAX_VE_QR_PAYLOAD_LENGTH) {
    return err({
      code: 'IMPORT_MALFORMED',
      where,
      message: `${payload.length} characters; a Venezuelan acta payload has at most ${MAX_VE_QR_PAYLOAD_LENGTH}`,
    });
  }
  const text = payload.trim();
  const sections = text.split('!');
  if (sections.length !== 4) {
    return err({
      code: 'IMPORT_WRONG_FIELD_COUNT',
      where,
      message: `${sections.length} "!"-separated sections, expected 4 (acta id, 38 card counts, two integers)`,
    });
  }
  const [actaId = '', countsText = '', nullText = '', blankText = ''] = sections;
  const id = ACTA_ID.exec(actaId);
  if (id === null) {
    return err({
      code: 'IMPORT_BAD_ID',
      where,
      message: `${quoteCell(actaId)} is not an acta id CCCCCCCCC.MM.D.DDDD (9-digit centre, 2-digit mesa)`,
    });
  }
  const countTexts = countsText.split(',');
  if (countTexts.length !== VE2024_CARDS.length) {
    return err({
      code: 'IMPORT_WRONG_FIELD_COUNT',
      where,
      message: `${countTexts.length} card counts, the 2024 ballot has ${VE2024_CARDS.length} cards`,
    });
  }
  const sums = new Float64Array(VE2024_CANDIDATE_CODES.length);
  let valid = 0;
  for (let i = 0; i < countTexts.length; i++) {
    const cell = countTexts[i] ?? '';
    const n = parseCanonical(cell);
    if (n < 0) {
      const card = VE2024_CARDS[i];
      return err(badCount(cell, `card ${i + 1} (${card?.party ?? '?'})`, where));
    }
    const k = CARD_TO_CANDIDATE[i] ?? 0;
    sums[k] = (sums[k] ?? 0) + n;
    valid += n;
  }
  const invalid = parseCanonical(nullText);
  if (invalid < 0) return err(badCount(nullText, 'the first trailing integer (null votes)', where));
  const blank = parseCanonical(blankText);
  if (blank < 0)
    return err(badCount(blankText, 'the second trailing integer (blank votes)', where));
  const votes = new Map<string, number>();
  for (let c = 0; c < VE2024_CANDIDATE_CODES.length; c++) {
    votes.set(VE2024_CANDIDATE_CODES[c] ?? '', sums[c] ?? 0);
  }
  const centre = id[1] ?? '';
  return ok({
    id: `${centre}.${id[2] ?? ''}`,
    region: [centre.slice(0, 2), centre.slice(0, 4), centre.slice(0, 6), centre],
    registered: null,
    voters: null,
    valid,
    invalid,
    blank,
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
