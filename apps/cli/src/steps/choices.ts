/**
 * A voter's choices as typed on the command line, checked against the mesa's
 * ballot style before anything is encrypted (docs/spec.md §2.6: a ballot holds
 * every contest of the style, each a 0/1 vote per card within the contest's
 * selection limit). `--choice CONTEST=CARD[,CARD...]`, repeatable; card ids
 * are the manifest's; a contest of the style that is not given is blank
 * (zero marks), and `--choice CONTEST=` marks it blank explicitly.
 *
 * Every problem is a usage error (exit 2): a ballot that the device would
 * refuse to encrypt is the operator's mistake, not a refusal by the board.
 * Messages name contests and list the cards a contest has, never the cards the
 * voter marked (a vote is a secret, even a mistyped one).
 */
import { z } from 'zod';
import { parseMesaId, type ElectionState, type MesaState } from '@acta/protocol';
import { usage } from './errors.js';

const ID = '[a-z0-9-]{1,64}';
const choiceSchema = z.string().regex(new RegExp(`^${ID}=(${ID}(,${ID})*)?$`));

/** One `--choice` option: a contest and the cards marked in it. */
export interface ChoiceOption {
  readonly contest: string;
  readonly cards: readonly string[];
}

/** Parses one `--choice` value (shape only; the style is checked by `buildVotes`). */
export function parseChoiceOption(text: string): ChoiceOption {
  const parsed = choiceSchema.safeParse(text);
  if (!parsed.success) {
    throw usage('--choice expects CONTEST=CARD[,CARD...] with manifest ids ([a-z0-9-])');
  }
  const eq = parsed.data.indexOf('=');
  const cards = parsed.data.slice(eq + 1);
  return { contest: parsed.data.slice(0, eq), cards: cards === '' ? [] : cards.split(',') };
}

/**
 * The votes of a ballot for `mesa`, one 0/1 row per contest of its style in
 * ballot order, from the `--choice` options.
 */
export function buildVotes(mesa: MesaState, options: readonly ChoiceOption[]): number[][] {
  const given = new Map<string, readonly string[]>();
  for (const o of options) {
    if (given.has(o.contest)) throw usage(`--choice: contest ${o.contest} is given twice`);
    given.set(o.contest, o.cards);
  }
  const styleContests = new Set(mesa.contests.map((c) => c.id));
  for (const contest of given.keys()) {
    if (!styleContests.has(contest)) {
      throw usage(
        `--choice: mesa ${mesa.id} (style ${mesa.style}) has no contest ${contest}; its contests are ${[...styleContests].join(', ')}`,
      );
    }
  }
  return mesa.contests.map((c) => {
    const marked = given.get(c.id) ?? [];
    const row = c.cardIds.map(() => 0);
    for (const card of marked) {
      const i = c.cardIds.indexOf(card);
      if (i < 0) {
        throw usage(
          `--choice: a card not in contest ${c.id}; its cards are ${c.cardIds.join(', ')}`,
        );
      }
      if (row[i] === 1) throw usage(`--choice: a card is marked twice in contest ${c.id}`);
      row[i] = 1;
    }
    if (marked.length > c.limit) {
      throw usage(
        `--choice: contest ${c.id} allows at most ${c.limit} mark${c.limit === 1 ? '' : 's'}`,
      );
    }
    return row;
  });
}

/** The mesa named by a `--mesa` option: its shape, then that the election has it. */
export function requireMesa(state: ElectionState, id: string, option = '--mesa'): MesaState {
  const shape = parseMesaId(id, option);
  if (!shape.ok) throw usage(`${option}: ${shape.error.message}`);
  const mesa = state.mesas.get(id);
  if (mesa === undefined) {
    throw usage(`${option}: election ${state.election?.id ?? ''} has no mesa ${id}`);
  }
  return mesa;
}

/** Checks the shape of a mesa id before the board is opened. */
export function checkMesaIdShape(id: string, option = '--mesa'): void {
  const shape = parseMesaId(id, option);
  if (!shape.ok) throw usage(`${option}: ${shape.error.message}`);
}
