/**
 * The election manifest, format `acta-manifest-v1` (docs/spec.md chapter 2,
 * "The manifest"; issue #4 item 1): what is being elected (contests, their
 * candidates and the party cards printed on the ballot, in ballot order),
 * which contests each ballot style holds, and where people vote — the
 * Venezuelan geography state › municipality › parish › centre › mesa, with
 * 9-digit centre codes (state 2, municipality 2, parish 2, centre 3) and mesa
 * ids `<centre code>.<mesa number, 2 digits>` as on the CNE's actas.
 *
 * The manifest is public input and everything downstream trusts its shape, so
 * validation is total and happens here, once, before any hashing:
 *
 *  1. `format` is checked first, so a manifest of a later version is refused
 *     as such (MANIFEST_UNSUPPORTED_FORMAT) rather than as a pile of unknown
 *     fields;
 *  2. zod checks the structure: strict objects (no unknown field), JSON types,
 *     non-empty and bounded lists (MANIFEST_LIMITS);
 *  3. a walk in document order checks every value and cross-reference: id and
 *     code shapes, texts, the date, duplicates, cards naming known candidates,
 *     every candidate on a card, limits, styles naming known contests, mesas
 *     naming known styles, centre codes starting with their parents' codes,
 *     and the total number of mesas.
 *
 * `listManifestProblems` returns every problem found (structural problems if
 * there are any, otherwise every semantic one), capped at
 * MAX_REPORTED_PROBLEMS; `parseManifest` returns the FIRST of them. "First"
 * is deterministic: zod's first issue, else the first problem in document
 * order (contests, then ballot styles, then geography).
 *
 * Texts (names and labels) are hashed as given (spec §3.1, §10.5: no Unicode
 * normalization), so two spellings of one name would make two elections;
 * the manifest therefore only accepts texts that are already NFC, trimmed,
 * well-formed and free of invisible control characters (bidi overrides could
 * make a candidate's name display as another's).
 */
import { z } from 'zod';
import { err, ok, type Result } from '@acta/crypto';
import { protocolError, type ProtocolError, type ProtocolErrorCode } from './errors.js';

// The hash lives in its own module; re-exported here for callers that import both.
export { hashManifest } from './manifest-hash.js';

/** The only manifest format this version reads. */
export const MANIFEST_FORMAT = 'acta-manifest-v1';

/**
 * Bounds of every list (checked before anything is hashed or proved). The
 * per-contest bounds are the crypto core's (spec §10.4: at most 1000
 * selections per contest, limit proofs up to R = 1000); the geographic ones
 * follow from the code widths (2-digit codes and mesa numbers, 3-digit centre
 * numbers) and the national scale (30,026 mesas in Venezuela 2024).
 */
export const MANIFEST_LIMITS = {
  contests: 100,
  candidatesPerContest: 1000,
  cardsPerContest: 1000,
  selectionLimit: 1000,
  ballotStyles: 1000,
  contestsPerStyle: 100,
  states: 99,
  municipalitiesPerState: 99,
  parishesPerMunicipality: 99,
  centresPerParish: 999,
  mesasPerCentre: 99,
  mesas: 100_000,
  idLength: 64,
  textLength: 200,
} as const;

/** `listManifestProblems` stops after this many. */
export const MAX_REPORTED_PROBLEMS = 100;

/** A text in each of the product's two languages. */
export interface LocalizedText {
  readonly es: string;
  readonly en: string;
}

/** Someone (or an option such as "yes") who can win a contest. */
export interface Candidate {
  readonly id: string;
  readonly name: string;
}

/** One markable box on the ballot: a party's card for a candidate. */
export interface Card {
  readonly id: string;
  /** The party (or option) printed on the card. */
  readonly label: string;
  readonly candidateId: string;
}

/** One contest; `cards` is the ballot order, which is also the order of the encrypted selections. */
export interface Contest {
  readonly id: string;
  readonly name: LocalizedText;
  /** A voter marks at most this many cards (1 … cards.length, ≤ 1000). */
  readonly selectionLimit: number;
  /** Seats to fill (results and audits); 1 … candidates.length. */
  readonly numberOfWinners: number;
  readonly candidates: readonly Candidate[];
  readonly cards: readonly Card[];
}

/** The contests on one kind of ballot, in ballot order. */
export interface BallotStyle {
  readonly id: string;
  readonly contests: readonly string[];
}

/** A polling table; its id is `<centre code>.<number, 2 digits>`. */
export interface GeoMesa {
  /** 1 … 99. */
  readonly number: number;
  readonly ballotStyle: string;
}

/** A voting centre; `code` is 9 digits: state, municipality, parish (2 each), centre (3). */
export interface GeoCentre {
  readonly code: string;
  readonly name: string;
  readonly mesas: readonly GeoMesa[];
}

/** A parish; `code` is 2 digits, unique within its municipality. */
export interface GeoParish {
  readonly code: string;
  readonly name: string;
  readonly centres: readonly GeoCentre[];
}

/** A municipality; `code` is 2 digits, unique within its state. */
export interface GeoMunicipality {
  readonly code: string;
  readonly name: string;
  readonly parishes: readonly GeoParish[];
}

/** A state (or the Capital District); `code` is 2 digits. */
export interface GeoState {
  readonly code: string;
  readonly name: string;
  readonly municipalities: readonly GeoMunicipality[];
}

/** Where people vote. */
export interface Geography {
  readonly states: readonly GeoState[];
}

/** A validated election manifest (see the module header). */
export interface Manifest {
  readonly format: typeof MANIFEST_FORMAT;
  /** `[a-z0-9-]{3,64}`. */
  readonly electionId: string;
  readonly name: LocalizedText;
  /** The election day, `YYYY-MM-DD`. */
  readonly date: string;
  readonly contests: readonly Contest[];
  readonly ballotStyles: readonly BallotStyle[];
  readonly geography: Geography;
}

// ---------------------------------------------------------------------------
// Structure (zod): JSON types, strict objects, non-empty bounded lists. Values
// are checked by the walk below, which knows which code each failure gets.

const L = MANIFEST_LIMITS;

function listOf<T extends z.ZodType>(item: T, max: number): z.ZodArray<T> {
  return z.array(item).min(1).max(max);
}

const localizedSchema = z.strictObject({ es: z.string(), en: z.string() });
const integerSchema = z.number().int();

const contestSchema = z.strictObject({
  id: z.string(),
  name: localizedSchema,
  selectionLimit: integerSchema,
  numberOfWinners: integerSchema,
  candidates: listOf(z.strictObject({ id: z.string(), name: z.string() }), L.candidatesPerContest),
  cards: listOf(
    z.strictObject({ id: z.string(), label: z.string(), candidateId: z.string() }),
    L.cardsPerContest,
  ),
});

const mesaSchema = z.strictObject({ number: integerSchema, ballotStyle: z.string() });
const centreSchema = z.strictObject({
  code: z.string(),
  name: z.string(),
  mesas: listOf(mesaSchema, L.mesasPerCentre),
});
const parishSchema = z.strictObject({
  code: z.string(),
  name: z.string(),
  centres: listOf(centreSchema, L.centresPerParish),
});
const municipalitySchema = z.strictObject({
  code: z.string(),
  name: z.string(),
  parishes: listOf(parishSchema, L.parishesPerMunicipality),
});
const stateSchema = z.strictObject({
  code: z.string(),
  name: z.string(),
  municipalities: listOf(municipalitySchema, L.municipalitiesPerState),
});

const manifestSchema = z.strictObject({
  format: z.literal(MANIFEST_FORMAT),
  electionId: z.string(),
  name: localizedSchema,
  date: z.string(),
  contests: listOf(contestSchema, L.contests),
  ballotStyles: listOf(
    z.strictObject({ id: z.string(), contests: listOf(z.string(), L.contestsPerStyle) }),
    L.ballotStyles,
  ),
  geography: z.strictObject({ states: listOf(stateSchema, L.states) }),
});

/** Renders a zod path as `manifest.contests[0].cards[3]`. */
function pathOf(where: string, path: readonly PropertyKey[]): string {
  let out = where;
  for (const p of path) out += typeof p === 'number' ? `[${p}]` : `.${String(p)}`;
  return out;
}

/** Maps one zod issue to a coded problem. */
function fromZodIssue(issue: z.core.$ZodIssue, where: string): ProtocolError {
  const at = pathOf(where, issue.path);
  if (issue.code === 'unrecognized_keys') {
    const key = issue.keys[0] ?? '';
    return protocolError(
      'MANIFEST_UNKNOWN_FIELD',
      `${at}.${key.slice(0, L.idLength)}`,
      `unknown field ${quote(key)} (manifest objects are strict)`,
    );
  }
  if (issue.code === 'too_small' && issue.origin === 'array') {
    return protocolError('MANIFEST_EMPTY_LIST', at, 'must hold at least one element');
  }
  if (issue.code === 'too_big' && issue.origin === 'array') {
    return protocolError(
      'MANIFEST_TOO_LARGE',
      at,
      `holds more than ${String(issue.maximum)} elements`,
    );
  }
  return protocolError('MANIFEST_MALFORMED', at, issue.message);
}

// ---------------------------------------------------------------------------
// Values

const ELECTION_ID_RE = /^[a-z0-9-]{3,64}$/;
const ID_RE = /^[a-z0-9-]{1,64}$/;
/** State, municipality and parish codes: 01 … 99. */
const UNIT_CODE_RE = /^(?:0[1-9]|[1-9][0-9])$/;
/** Centre codes: 9 digits whose last three (the centre number) are 001 … 999. */
const CENTRE_CODE_RE = /^[0-9]{6}(?:00[1-9]|0[1-9][0-9]|[1-9][0-9]{2})$/;
const DATE_RE = /^([0-9]{4})-([0-9]{2})-([0-9]{2})$/;

/** Quotes public input in a message, shortened so that errors stay small. */
function quote(value: string): string {
  return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
}

/**
 * Code points refused in texts: C0/C1 controls, zero-width and bidi
 * formatting characters, line/paragraph separators, the BOM. An explicit list
 * (not a Unicode property class) so that every implementation, whatever its
 * Unicode version, accepts exactly the same texts.
 */
function isInvisible(cp: number): boolean {
  return (
    cp <= 0x1f ||
    (cp >= 0x7f && cp <= 0x9f) ||
    cp === 0xad ||
    cp === 0x061c ||
    (cp >= 0x200b && cp <= 0x200f) ||
    (cp >= 0x2028 && cp <= 0x202e) ||
    (cp >= 0x2060 && cp <= 0x2069) ||
    cp === 0xfeff
  );
}

/** Why a text is refused, or undefined when it is acceptable. */
function textProblem(text: string): string | undefined {
  if (text.length === 0) return 'must not be empty';
  if (text.length > L.textLength) return `longer than ${L.textLength} characters`;
  if (!text.isWellFormed()) return 'not well-formed Unicode (lone surrogate)';
  for (const ch of text) {
    if (isInvisible(ch.codePointAt(0)!))
      return 'contains a control or invisible formatting character';
  }
  if (text.trim() !== text) return 'has leading or trailing white space';
  if (text.normalize('NFC') !== text) return 'not in Unicode normalization form NFC';
  return undefined;
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

function isCalendarDate(text: string): boolean {
  const m = DATE_RE.exec(text);
  if (m === null) return false;
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  return year >= 1 && month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth(year, month);
}

/** The problems of a structurally valid manifest, in document order. */
class Walk {
  readonly problems: ProtocolError[] = [];

  get full(): boolean {
    return this.problems.length >= MAX_REPORTED_PROBLEMS;
  }

  add(code: ProtocolErrorCode, where: string, message: string): void {
    if (!this.full) this.problems.push(protocolError(code, where, message));
  }

  id(value: string, where: string, re: RegExp = ID_RE): void {
    if (!re.test(value)) {
      const shape = re === ELECTION_ID_RE ? '[a-z0-9-]{3,64}' : '[a-z0-9-]{1,64}';
      this.add('MANIFEST_BAD_ID', where, `${quote(value)} is not an id of the form ${shape}`);
    }
  }

  text(value: string, where: string): void {
    const problem = textProblem(value);
    if (problem !== undefined) this.add('MANIFEST_BAD_TEXT', where, problem);
  }

  localized(value: LocalizedText, where: string): void {
    this.text(value.es, `${where}.es`);
    this.text(value.en, `${where}.en`);
  }

  /** Records `key` in `seen`; reports `code` when it is already there. */
  unique(
    seen: Set<string>,
    key: string,
    code: ProtocolErrorCode,
    where: string,
    what: string,
  ): void {
    if (seen.has(key)) this.add(code, where, `duplicate ${what} ${quote(key)}`);
    else seen.add(key);
  }
}

function walkContest(w: Walk, c: Contest, at: string, contestIds: Set<string>): void {
  w.id(c.id, `${at}.id`);
  w.unique(contestIds, c.id, 'MANIFEST_DUPLICATE_ID', `${at}.id`, 'contest');
  w.localized(c.name, `${at}.name`);
  const candidates = new Set<string>();
  c.candidates.forEach((cand, i) => {
    w.id(cand.id, `${at}.candidates[${i}].id`);
    w.unique(
      candidates,
      cand.id,
      'MANIFEST_DUPLICATE_ID',
      `${at}.candidates[${i}].id`,
      'candidate',
    );
    w.text(cand.name, `${at}.candidates[${i}].name`);
  });
  const cards = new Set<string>();
  const onCards = new Set<string>();
  c.cards.forEach((card, i) => {
    const cardAt = `${at}.cards[${i}]`;
    w.id(card.id, `${cardAt}.id`);
    w.unique(cards, card.id, 'MANIFEST_DUPLICATE_ID', `${cardAt}.id`, 'card');
    w.text(card.label, `${cardAt}.label`);
    if (!candidates.has(card.candidateId)) {
      w.add(
        'MANIFEST_UNKNOWN_CANDIDATE',
        `${cardAt}.candidateId`,
        `contest ${quote(c.id)} has no candidate ${quote(card.candidateId)}`,
      );
    }
    onCards.add(card.candidateId);
  });
  c.candidates.forEach((cand, i) => {
    if (!onCards.has(cand.id)) {
      w.add(
        'MANIFEST_CANDIDATE_WITHOUT_CARD',
        `${at}.candidates[${i}]`,
        `candidate ${quote(cand.id)} appears on no card`,
      );
    }
  });
  const maxLimit = Math.min(c.cards.length, L.selectionLimit);
  if (c.selectionLimit < 1 || c.selectionLimit > maxLimit) {
    w.add(
      'MANIFEST_SELECTION_LIMIT',
      `${at}.selectionLimit`,
      `${c.selectionLimit} is outside [1, ${maxLimit}] (${c.cards.length} cards, at most ${L.selectionLimit})`,
    );
  }
  if (c.numberOfWinners < 1 || c.numberOfWinners > c.candidates.length) {
    w.add(
      'MANIFEST_WINNERS',
      `${at}.numberOfWinners`,
      `${c.numberOfWinners} is outside [1, ${c.candidates.length}] (the number of candidates)`,
    );
  }
}

function walkGeography(w: Walk, g: Geography, at: string, styles: ReadonlySet<string>): void {
  const stateCodes = new Set<string>();
  g.states.forEach((s, si) => {
    const sAt = `${at}.states[${si}]`;
    if (unitCode(w, s.code, `${sAt}.code`, 'state'))
      w.unique(stateCodes, s.code, 'MANIFEST_DUPLICATE_CODE', `${sAt}.code`, 'state code');
    w.text(s.name, `${sAt}.name`);
    const munCodes = new Set<string>();
    s.municipalities.forEach((m, mi) => {
      const mAt = `${sAt}.municipalities[${mi}]`;
      if (unitCode(w, m.code, `${mAt}.code`, 'municipality')) {
        w.unique(munCodes, m.code, 'MANIFEST_DUPLICATE_CODE', `${mAt}.code`, 'municipality code');
      }
      w.text(m.name, `${mAt}.name`);
      const parishCodes = new Set<string>();
      m.parishes.forEach((p, pi) => {
        const pAt = `${mAt}.parishes[${pi}]`;
        if (unitCode(w, p.code, `${pAt}.code`, 'parish')) {
          w.unique(parishCodes, p.code, 'MANIFEST_DUPLICATE_CODE', `${pAt}.code`, 'parish code');
        }
        w.text(p.name, `${pAt}.name`);
        const prefix = `${s.code}${m.code}${p.code}`;
        const centreCodes = new Set<string>();
        p.centres.forEach((c, ci) => {
          const cAt = `${pAt}.centres[${ci}]`;
          if (!CENTRE_CODE_RE.test(c.code)) {
            w.add(
              'MANIFEST_BAD_CODE',
              `${cAt}.code`,
              `centre code ${quote(c.code)} is not 9 digits ending in a centre number 001…999`,
            );
          } else if (!c.code.startsWith(prefix)) {
            w.add(
              'MANIFEST_CODE_PREFIX',
              `${cAt}.code`,
              `centre code ${quote(c.code)} does not start with its state, municipality and parish codes ${quote(prefix)}`,
            );
          } else {
            w.unique(centreCodes, c.code, 'MANIFEST_DUPLICATE_CODE', `${cAt}.code`, 'centre code');
          }
          w.text(c.name, `${cAt}.name`);
          const numbers = new Set<string>();
          c.mesas.forEach((mesa, ni) => {
            const nAt = `${cAt}.mesas[${ni}]`;
            if (mesa.number < 1 || mesa.number > L.mesasPerCentre) {
              w.add(
                'MANIFEST_BAD_CODE',
                `${nAt}.number`,
                `mesa number ${mesa.number} is outside 1…99`,
              );
            } else {
              // Centre codes are unique (same parents ⇒ same prefix ⇒ same parish, where they
              // are checked), so a mesa id repeats exactly when a centre repeats a number.
              const id = formatMesaId(c.code, mesa.number);
              w.unique(numbers, id, 'MANIFEST_DUPLICATE_MESA', `${nAt}.number`, 'mesa');
            }
            if (!styles.has(mesa.ballotStyle)) {
              w.add(
                'MANIFEST_UNKNOWN_STYLE',
                `${nAt}.ballotStyle`,
                `no ballot style ${quote(mesa.ballotStyle)}`,
              );
            }
          });
        });
      });
    });
  });
}

/** Checks a 2-digit code; true when it has the right shape. */
function unitCode(w: Walk, code: string, where: string, what: string): boolean {
  if (UNIT_CODE_RE.test(code)) return true;
  w.add('MANIFEST_BAD_CODE', where, `${what} code ${quote(code)} is not two digits 01…99`);
  return false;
}

function countMesas(g: Geography): number {
  let n = 0;
  for (const s of g.states) {
    for (const m of s.municipalities) {
      for (const p of m.parishes) for (const c of p.centres) n += c.mesas.length;
    }
  }
  return n;
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    for (const v of Object.values(value)) deepFreeze(v);
    Object.freeze(value);
  }
  return value;
}

/** Validation with every problem (capped), and the manifest when there is none. */
function validate(
  json: unknown,
  where: string,
): { readonly manifest?: Manifest; readonly problems: readonly ProtocolError[] } {
  if (typeof json === 'object' && json !== null && !Array.isArray(json) && 'format' in json) {
    const format = json.format;
    if (format !== MANIFEST_FORMAT) {
      const shown = typeof format === 'string' ? quote(format) : typeof format;
      const problem = protocolError(
        'MANIFEST_UNSUPPORTED_FORMAT',
        `${where}.format`,
        `format ${shown} is not ${MANIFEST_FORMAT}`,
      );
      return { problems: [problem] };
    }
  }
  const parsed = manifestSchema.safeParse(json);
  if (!parsed.success) {
    const issues = parsed.error.issues.slice(0, MAX_REPORTED_PROBLEMS);
    return { problems: issues.map((issue) => fromZodIssue(issue, where)) };
  }
  const m: Manifest = parsed.data;
  const total = countMesas(m.geography);
  if (total > L.mesas) {
    const problem = protocolError(
      'MANIFEST_TOO_LARGE',
      `${where}.geography`,
      `${total} mesas; at most ${L.mesas}`,
    );
    return { problems: [problem] };
  }
  const w = new Walk();
  w.id(m.electionId, `${where}.electionId`, ELECTION_ID_RE);
  w.localized(m.name, `${where}.name`);
  if (!isCalendarDate(m.date)) {
    w.add('MANIFEST_BAD_DATE', `${where}.date`, `${quote(m.date)} is not a date YYYY-MM-DD`);
  }
  const contests = new Set<string>();
  m.contests.forEach((c, i) => walkContest(w, c, `${where}.contests[${i}]`, contests));
  const styles = new Set<string>();
  m.ballotStyles.forEach((style, i) => {
    const at = `${where}.ballotStyles[${i}]`;
    w.id(style.id, `${at}.id`);
    w.unique(styles, style.id, 'MANIFEST_DUPLICATE_ID', `${at}.id`, 'ballot style');
    const inStyle = new Set<string>();
    style.contests.forEach((id, j) => {
      if (!contests.has(id)) {
        w.add('MANIFEST_UNKNOWN_CONTEST', `${at}.contests[${j}]`, `no contest ${quote(id)}`);
      }
      w.unique(inStyle, id, 'MANIFEST_DUPLICATE_ID', `${at}.contests[${j}]`, 'contest');
    });
  });
  walkGeography(w, m.geography, `${where}.geography`, styles);
  if (w.problems.length > 0) return { problems: w.problems };
  return { manifest: deepFreeze(m), problems: [] };
}

/**
 * Parses and validates a manifest (JSON already decoded). On failure, the
 * first problem (see the module header); `where` (default `manifest`) is the
 * root of every path in errors, e.g. `manifest.contests[0].cards[3].candidateId`.
 * The returned manifest is deeply frozen.
 */
export function parseManifest(json: unknown, where = 'manifest'): Result<Manifest, ProtocolError> {
  const { manifest, problems } = validate(json, where);
  const first = problems[0];
  if (first !== undefined) return err(first);
  if (manifest === undefined) throw new Error('manifest validation returned nothing'); // a bug
  return ok(manifest);
}

/**
 * Every problem of a manifest (empty when it is valid), for an authoring tool
 * that wants to show them all: the structural problems if there are any,
 * otherwise every semantic problem in document order; at most
 * MAX_REPORTED_PROBLEMS.
 */
export function listManifestProblems(json: unknown, where = 'manifest'): readonly ProtocolError[] {
  return validate(json, where).problems;
}

/** The id of mesa `number` of centre `centreCode`: `010101001.01`. */
export function formatMesaId(centreCode: string, number: number): string {
  return `${centreCode}.${String(number).padStart(2, '0')}`;
}
