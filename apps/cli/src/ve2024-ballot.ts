/**
 * The ballot of the 2024 Venezuelan presidential election (../shared/BRIEF.md,
 * "Real data"): one contest, 10 candidates on 38 party cards in ballot order;
 * a voter marks one card and each card counts for its candidate. Used by the
 * demo until election manifests arrive (issue #4).
 */

/** A candidate and the party cards that count for them, in ballot order. */
export interface BallotCandidate {
  readonly code: string;
  readonly name: string;
  readonly cards: readonly string[];
}

/** The 10 candidates of the 2024 ballot and their 38 cards (BRIEF.md). */
export const VE2024_CANDIDATES: readonly BallotCandidate[] = [
  {
    code: 'NM',
    name: 'Nicolás Maduro',
    cards: [
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
    ],
  },
  { code: 'LM', name: 'Luis Eduardo Martínez', cards: ['AD', 'COPEI', 'MR', 'BR', 'DDP', 'UNE'] },
  { code: 'JABE', name: 'Javier Bertucci', cards: ['EL CAMBIO'] },
  { code: 'JOBR', name: 'José Brito', cards: ['PV', 'VU', 'UVV', 'MPJ'] },
  {
    code: 'AE',
    name: 'Antonio Ecarri',
    cards: ['AP', 'MOVEV', 'CMC', 'FV', 'ALIANZA DEL LAPIZ', 'MIN UNIDAD'],
  },
  { code: 'CF', name: 'Claudio Fermín', cards: ['SPV'] },
  { code: 'DC', name: 'Daniel Ceballos', cards: ['VPA', 'AREPA'] },
  { code: 'EG', name: 'Edmundo González', cards: ['UNTC', 'MPV', 'MUD'] },
  { code: 'EM', name: 'Enrique Márquez', cards: ['CENTRADOS'] },
  { code: 'BERA', name: 'Benjamín Rausseo', cards: ['CONDE'] },
];

/** One party card of the ballot, with the candidate it counts for. */
export interface BallotCard {
  readonly index: number;
  readonly party: string;
  readonly candidate: number;
}

/** The 38 cards in ballot order. */
export const VE2024_CARDS: readonly BallotCard[] = VE2024_CANDIDATES.flatMap((c, candidate) =>
  c.cards.map((party) => ({ party, candidate })),
).map((c, index) => ({ ...c, index }));
