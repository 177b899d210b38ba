/**
 * Lookups over a validated manifest (docs/spec.md chapter 2, "The manifest";
 * issue #4 item 1): the flat list of mesas with their place in the geography
 * state › municipality › parish › centre › mesa, mesa ids as on the CNE's
 * actas (`<9-digit centre code>.<2-digit mesa number>`), the contests of a
 * ballot style, and the card → candidate mapping that turns a ballot's card
 * counts into candidate totals (the 38 cards → 10 candidates of the 2024
 * Venezuelan ballot, where each party card counts for its candidate).
 *
 * `indexManifest` builds the maps once per manifest object and remembers them
 * (a WeakMap), so that `findMesa` is O(1) for a service handling a national
 * election's 30,000 mesas. This relies on manifests being immutable, which
 * `parseManifest` enforces by freezing them.
 */
import { err, ok, type Result } from '@acta/crypto';
import { protocolError, type ProtocolError } from './errors.js';
import {
  formatMesaId,
  type BallotStyle,
  type Candidate,
  type Contest,
  type Manifest,
} from './manifest.js';

/** A mesa and where it is. Codes are the manifest's (2 digits each, 9 for the centre). */
export interface MesaInfo {
  /** `<centre code>.<number, 2 digits>`, e.g. `010101001.01`. */
  readonly id: string;
  readonly number: number;
  /** Position in manifest order (0-based). */
  readonly index: number;
  readonly ballotStyle: string;
  readonly stateCode: string;
  readonly stateName: string;
  readonly municipalityCode: string;
  readonly municipalityName: string;
  readonly parishCode: string;
  readonly parishName: string;
  readonly centreCode: string;
  readonly centreName: string;
}

/** The lookups of one manifest. */
export interface ManifestIndex {
  /** Every mesa in manifest order. */
  readonly mesas: readonly MesaInfo[];
  readonly mesaById: ReadonlyMap<string, MesaInfo>;
  readonly contestById: ReadonlyMap<string, Contest>;
  readonly styleById: ReadonlyMap<string, BallotStyle>;
}

const indexes = new WeakMap<Manifest, ManifestIndex>();

function buildIndex(manifest: Manifest): ManifestIndex {
  const mesas: MesaInfo[] = [];
  const mesaById = new Map<string, MesaInfo>();
  for (const s of manifest.geography.states) {
    for (const m of s.municipalities) {
      for (const p of m.parishes) {
        for (const c of p.centres) {
          for (const mesa of c.mesas) {
            const info: MesaInfo = Object.freeze({
              id: formatMesaId(c.code, mesa.number),
              number: mesa.number,
              index: mesas.length,
              ballotStyle: mesa.ballotStyle,
              stateCode: s.code,
              stateName: s.name,
              municipalityCode: m.code,
              municipalityName: m.name,
              parishCode: p.code,
              parishName: p.name,
              centreCode: c.code,
              centreName: c.name,
            });
            mesas.push(info);
            mesaById.set(info.id, info);
          }
        }
      }
    }
  }
  return {
    mesas: Object.freeze(mesas),
    mesaById,
    contestById: new Map(manifest.contests.map((c) => [c.id, c])),
    styleById: new Map(manifest.ballotStyles.map((s) => [s.id, s])),
  };
}

/**
 * The lookups of a manifest, built on first use and remembered for the
 * manifest object (which must not be mutated afterwards; parsed manifests are
 * frozen).
 */
export function indexManifest(manifest: Manifest): ManifestIndex {
  let index = indexes.get(manifest);
  if (index === undefined) {
    index = buildIndex(manifest);
    indexes.set(manifest, index);
  }
  return index;
}

/** Every mesa with its id, place and ballot style, in manifest order. */
export function listMesas(manifest: Manifest): readonly MesaInfo[] {
  return indexManifest(manifest).mesas;
}

/** The mesa with this id (`010101001.01`), or undefined; O(1) after the first call. */
export function findMesa(manifest: Manifest, mesaId: string): MesaInfo | undefined {
  return indexManifest(manifest).mesaById.get(mesaId);
}

/** The contests of a ballot style in ballot order, or undefined for an unknown style. */
export function contestsOfStyle(
  manifest: Manifest,
  styleId: string,
): readonly Contest[] | undefined {
  const index = indexManifest(manifest);
  const style = index.styleById.get(styleId);
  if (style === undefined) return undefined;
  // A validated manifest's styles only name its contests.
  return style.contests.map((id) => index.contestById.get(id)!);
}

/** The candidate a card (0-based ballot position) counts for, or undefined past the last card. */
export function cardCandidate(contest: Contest, cardIndex: number): Candidate | undefined {
  const card = contest.cards[cardIndex];
  if (card === undefined) return undefined;
  return contest.candidates.find((cand) => cand.id === card.candidateId);
}

/**
 * Candidate totals from per-card counts in ballot order: each card's count
 * goes to its candidate (2024 Venezuela: González = UNTC + MPV + MUD). Every
 * candidate of the contest appears, in manifest order, zeros included.
 * The counts must already be validated (one non-negative safe integer per
 * card): anything else is a programmer error (RangeError).
 */
export function candidateTotals(
  contest: Contest,
  cardCounts: readonly number[],
): Record<string, number> {
  if (cardCounts.length !== contest.cards.length) {
    throw new RangeError(
      `contest ${contest.id} has ${contest.cards.length} cards, got ${cardCounts.length} counts`,
    );
  }
  const totals: Record<string, number> = {};
  for (const cand of contest.candidates) totals[cand.id] = 0;
  contest.cards.forEach((card, i) => {
    const n = cardCounts[i]!;
    if (!Number.isSafeInteger(n) || n < 0) {
      throw new RangeError(`count ${i} is not a non-negative safe integer`);
    }
    const sum = (totals[card.candidateId] ?? 0) + n;
    if (!Number.isSafeInteger(sum)) throw new RangeError('candidate total overflows');
    totals[card.candidateId] = sum;
  });
  return totals;
}

/** A mesa id taken apart. */
export interface MesaIdParts {
  /** The 9-digit centre code. */
  readonly centreCode: string;
  /** 1 … 99. */
  readonly mesaNumber: number;
}

/**
 * Same shapes as the manifest accepts: state, municipality and parish 01…99,
 * centre 001…999, mesa 01…99.
 */
const MESA_ID_RE =
  /^((?:0[1-9]|[1-9][0-9]){3}(?:00[1-9]|0[1-9][0-9]|[1-9][0-9]{2}))\.(0[1-9]|[1-9][0-9])$/;

/**
 * Parses a mesa id `<9-digit centre code>.<2-digit mesa number>` (e.g.
 * `010101001.01`). Only the shape is checked: whether the mesa exists is
 * `findMesa`'s question.
 */
export function parseMesaId(text: string, where = 'mesa'): Result<MesaIdParts, ProtocolError> {
  const m = MESA_ID_RE.exec(text);
  if (m === null) {
    const shown = JSON.stringify(text.length > 40 ? `${text.slice(0, 40)}…` : text);
    return err(
      protocolError(
        'BAD_MESA_ID',
        where,
        `${shown} is not a mesa id <centre code, 9 digits>.<mesa number, 2 digits>`,
      ),
    );
  }
  return ok({ centreCode: m[1]!, mesaNumber: Number(m[2]) });
}
