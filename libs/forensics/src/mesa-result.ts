/**
 * Per-mesa results, the one shape every importer produces and every analysis
 * reads (issue #7): a polling table's counts as its acta reports them, with
 * where it is and where the figures came from. Importers (Acta's own record,
 * generic CSV, the 2024 Venezuelan opposition CSV, Venezuelan acta QR payloads,
 * the Russian 2012 and Albanian 2013 files) map their columns onto it; the
 * reconciliation and the forensic tests never see a source format.
 *
 * A count a source does not give is `null`, never 0: "the acta does not say"
 * and "nobody voted" are different facts, and a test that needs the count
 * leaves such mesas out (and says how many).
 */

/** One mesa's results. */
export interface MesaResult {
  /**
   * The mesa's key, unique within an election and the same in every source
   * that reports the mesa (so collected and official figures can be joined):
   * for Venezuela the 9-digit centre code and the 2-digit mesa, `"010113042.01"`.
   */
  readonly id: string;
  /** Where it is, largest area first (e.g. state, municipality, parish, centre); may be empty. */
  readonly region: readonly string[];
  /** Registered voters of the mesa (the electoral roll). */
  readonly registered: number | null;
  /** Voters who took part (ballots issued or cast): the numerator of turnout. */
  readonly voters: number | null;
  /** Valid votes (the sum of the candidates' votes, when the acta is consistent). */
  readonly valid: number | null;
  /** Null (spoiled, invalid) votes. */
  readonly invalid: number | null;
  /** Blank votes, where the source separates them from null votes. */
  readonly blank: number | null;
  /** Votes per candidate (or party), in the source's order. */
  readonly votes: ReadonlyMap<string, number>;
  /** Where the figures came from: a file and its row, a QR payload, a photo. */
  readonly source: string;
}

/** Why an input row (or payload, or image) was not imported. */
export type ImportCode =
  | 'IMPORT_MALFORMED'
  | 'IMPORT_MISSING_COLUMN'
  | 'IMPORT_UNKNOWN_COLUMN'
  | 'IMPORT_BAD_COUNT'
  | 'IMPORT_NEGATIVE_COUNT'
  | 'IMPORT_BAD_ID'
  | 'IMPORT_DUPLICATE_MESA'
  | 'IMPORT_WRONG_FIELD_COUNT'
  | 'IMPORT_UNREADABLE_IMAGE'
  | 'IMPORT_NO_QR'
  | 'IMPORT_FORGED'
  | 'IMPORT_UNSIGNED'
  | 'IMPORT_EMPTY';

/** One problem, with its place (`FILE row N`, `FILE: payload`, an image's name). */
export interface ImportProblem {
  readonly code: ImportCode;
  readonly where: string;
  readonly message: string;
}

/**
 * What an import gives: the mesas read, and every row skipped with why —
 * nothing is dropped silently; `rows` counts the data rows seen, so that
 * `results.length + skipped === rows` always holds.
 */
export interface ImportResult {
  readonly results: readonly MesaResult[];
  readonly problems: readonly ImportProblem[];
  readonly rows: number;
  readonly skipped: number;
}
