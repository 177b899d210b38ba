/**
 * The public seed ceremony (issue #6, item 5): the random seed an audit's
 * sample is drawn from must be fixed *after* the results and the ballot
 * manifest are published (so nobody could arrange the paper knowing which
 * ballots will be pulled) and be unpredictable to everyone, the officials
 * included. Arlo's practice is twenty 10-sided dice rolled in public; with
 * several observers who need not trust each other (parties, observers, the
 * electoral body), each rolls dice, and a commit–reveal round makes the
 * combined seed as random as the most honest observer's dice:
 *
 *   1. commit: every observer publishes
 *        SHA-256(ACTA_AUDIT_SEED_COMMIT_V1 ‖ 0x00 ‖ observer ‖ 0x00 ‖ digits ‖ 0x00 ‖ nonce)
 *      where `nonce` is 32 random bytes (hex) kept secret until the reveal —
 *      without it, twenty dice digits (66 bits) could be found from the
 *      commitment by brute force;
 *   2. reveal: once every commitment is published, each observer publishes
 *      its digits and nonce; anyone checks them against the commitment;
 *   3. the seed is the observers' digits concatenated in the order the
 *      commitments were published (a decimal string, as Arlo's seeds are).
 *
 * No observer can choose the seed: when they reveal, every other contribution
 * is already fixed. An observer can refuse to reveal (abort), which is public
 * and restarts the ceremony; this is the one lever commit–reveal leaves, and
 * it only delays (Blum, "Coin flipping by telephone", 1981).
 */
import { encodeHex, err, ok, sha256, type Result } from '@acta/crypto';

/** Domain-separation tag of the commitments. */
export const SEED_COMMIT_TAG = 'ACTA_AUDIT_SEED_COMMIT_V1';
/** Arlo asks for at least 20 digits (twenty 10-sided dice). */
export const MIN_SEED_DIGITS = 20;

const NONCE_HEX = /^[0-9a-f]{64}$/;
const DIGITS = /^[0-9]{1,200}$/;
const COMMITMENT_HEX = /^[0-9a-f]{64}$/;

export type SeedCeremonyCode =
  | 'SEED_CEREMONY_MALFORMED'
  | 'SEED_NO_OBSERVERS'
  | 'SEED_DUPLICATE_OBSERVER'
  | 'SEED_REVEAL_MISSING'
  | 'SEED_REVEAL_UNKNOWN'
  | 'SEED_REVEAL_MISMATCH'
  | 'SEED_TOO_SHORT';

export interface SeedCeremonyProblem {
  readonly code: SeedCeremonyCode;
  readonly where: string;
  readonly message: string;
}

/** A published commitment, in publication order. */
export interface SeedCommitment {
  readonly observer: string;
  /** Hex SHA-256 (see the module header). */
  readonly commitment: string;
}

/** A reveal: the observer's dice digits and the nonce of the commitment. */
export interface SeedReveal {
  readonly observer: string;
  readonly digits: string;
  readonly nonce: string;
}

/** The ceremony as published: the commitments (in order), then the reveals. */
export interface SeedCeremony {
  readonly commitments: readonly SeedCommitment[];
  readonly reveals: readonly SeedReveal[];
}

const utf8 = new TextEncoder();

function checkContribution(observer: string, digits: string, nonce: string): void {
  if (observer.length === 0 || observer.includes('\u0000')) {
    throw new RangeError('an observer is named by a non-empty text without NUL');
  }
  if (!DIGITS.test(digits)) throw new RangeError('a contribution is 1 to 200 decimal digits');
  if (!NONCE_HEX.test(nonce)) throw new RangeError('a nonce is 32 bytes in lowercase hex');
}

/** The commitment an observer publishes before anyone reveals. */
export function commitSeedContribution(observer: string, digits: string, nonce: string): string {
  checkContribution(observer, digits, nonce);
  return encodeHex(
    sha256(utf8.encode(`${SEED_COMMIT_TAG}\u0000${observer}\u0000${digits}\u0000${nonce}`)),
  );
}

/**
 * Checks every reveal against its commitment and combines the seed. Every
 * problem is reported (a missing reveal, one that does not match, an observer
 * who committed twice, a seed shorter than 20 digits), with its place.
 */
export function combineSeedCeremony(
  ceremony: SeedCeremony,
  where = 'ceremony',
): Result<{ readonly seed: string; readonly observers: readonly string[] }, SeedCeremonyProblem[]> {
  const problems: SeedCeremonyProblem[] = [];
  if (ceremony.commitments.length === 0) {
    return err([
      { code: 'SEED_NO_OBSERVERS', where, message: 'no observer committed a contribution' },
    ]);
  }
  const seen = new Set<string>();
  ceremony.commitments.forEach((c, i) => {
    if (seen.has(c.observer)) {
      problems.push({
        code: 'SEED_DUPLICATE_OBSERVER',
        where: `${where}: commitments[${i}]`,
        message: `${c.observer} committed more than once`,
      });
    }
    seen.add(c.observer);
    if (!COMMITMENT_HEX.test(c.commitment)) {
      problems.push({
        code: 'SEED_CEREMONY_MALFORMED',
        where: `${where}: commitments[${i}]`,
        message: 'a commitment is a SHA-256 in lowercase hex (64 characters)',
      });
    }
  });
  const reveals = new Map<string, { reveal: SeedReveal; at: number }>();
  ceremony.reveals.forEach((r, i) => {
    const place = `${where}: reveals[${i}]`;
    if (!seen.has(r.observer)) {
      problems.push({
        code: 'SEED_REVEAL_UNKNOWN',
        where: place,
        message: `${r.observer} made no commitment`,
      });
    } else if (reveals.has(r.observer)) {
      problems.push({
        code: 'SEED_DUPLICATE_OBSERVER',
        where: place,
        message: `${r.observer} revealed twice`,
      });
    } else if (!DIGITS.test(r.digits) || !NONCE_HEX.test(r.nonce)) {
      problems.push({
        code: 'SEED_CEREMONY_MALFORMED',
        where: place,
        message: 'a reveal is decimal digits (1 to 200) and a 64-hex-digit nonce',
      });
    } else {
      reveals.set(r.observer, { reveal: r, at: i });
    }
  });
  const parts: string[] = [];
  ceremony.commitments.forEach((c, i) => {
    const found = reveals.get(c.observer);
    if (found === undefined) {
      problems.push({
        code: 'SEED_REVEAL_MISSING',
        where: `${where}: commitments[${i}]`,
        message: `${c.observer} committed but has not revealed: the ceremony cannot finish (start it again without them)`,
      });
      return;
    }
    const { reveal, at } = found;
    if (commitSeedContribution(reveal.observer, reveal.digits, reveal.nonce) !== c.commitment) {
      problems.push({
        code: 'SEED_REVEAL_MISMATCH',
        where: `${where}: reveals[${at}]`,
        message: `${c.observer}'s digits and nonce do not open their commitment: the contribution was changed after committing`,
      });
      return;
    }
    parts.push(reveal.digits);
  });
  if (problems.length > 0) return err(problems);
  const seed = parts.join('');
  if (seed.length < MIN_SEED_DIGITS) {
    return err([
      {
        code: 'SEED_TOO_SHORT',
        where,
        message: `the seed has ${seed.length} digits; at least ${MIN_SEED_DIGITS} (twenty 10-sided dice) are needed`,
      },
    ]);
  }
  return ok({ seed, observers: ceremony.commitments.map((c) => c.observer) });
}
