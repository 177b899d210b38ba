/**
 * The manifest hash (docs/spec.md chapter 2, "The manifest"), the first input
 * of the election base hash: every field of a validated `acta-manifest-v1`
 * manifest, in a fixed order, as one canonical typed, length-prefixed hash
 * input (spec §3.1) — never JSON text, so that key order, white space and
 * number spelling in the JSON cannot change it, and any change of any field
 * does.
 *
 *   manifestHash = SHA-256(HashInput("ACTA_V1_MANIFEST", [
 *     format,                       string "acta-manifest-v1"
 *     electionId,                   string
 *     [name.es, name.en],           list of 2 strings
 *     date,                         string "YYYY-MM-DD"
 *     [contest…],                   list, manifest order; each contest is
 *       [id,                          string
 *        [name.es, name.en],          list of 2 strings
 *        selectionLimit,              uint
 *        numberOfWinners,             uint
 *        [[candidate.id, candidate.name]…],          list of lists, manifest order
 *        [[card.id, card.label, card.candidateId]…]] list of lists, ballot order
 *     [[style.id, [contestId…]]…],  list, manifest order; contest ids in style order
 *     [state…]                      list, manifest order; each geographic unit is
 *       state        = [code, name, [municipality…]]
 *       municipality = [code, name, [parish…]]
 *       parish       = [code, name, [centre…]]
 *       centre       = [code, name, [mesa…]]        code: the 9-digit string
 *       mesa         = [number, ballotStyle]         number: uint, style id: string
 *   ]))
 *
 * All strings are type 0x05 (UTF-8, as given: the manifest only admits NFC
 * texts), all numbers type 0x04, all lists type 0x06 (spec §3.1). Lists keep
 * the manifest's order: the order of cards is the ballot order (and the order
 * of the encrypted selections), so reordering anything is a different election.
 * Every position is fixed by the format version, so the encoding is injective
 * over valid manifests; a field added in a later format gets a new format
 * string, hence a new hash.
 */
import { hashToBytes, type HashPart } from '@acta/crypto';
import type { Contest, GeoState, LocalizedText, Manifest } from './manifest.js';

/** The domain-separation tag of the manifest hash (spec §3.2 style). */
export const MANIFEST_HASH_TAG = 'ACTA_V1_MANIFEST';

function localizedParts(text: LocalizedText): HashPart {
  return [text.es, text.en];
}

function contestParts(c: Contest): HashPart {
  return [
    c.id,
    localizedParts(c.name),
    c.selectionLimit,
    c.numberOfWinners,
    c.candidates.map((cand): HashPart => [cand.id, cand.name]),
    c.cards.map((card): HashPart => [card.id, card.label, card.candidateId]),
  ];
}

function stateParts(s: GeoState): HashPart {
  return [
    s.code,
    s.name,
    s.municipalities.map((m): HashPart => [
      m.code,
      m.name,
      m.parishes.map((p): HashPart => [
        p.code,
        p.name,
        p.centres.map((c): HashPart => [
          c.code,
          c.name,
          c.mesas.map((mesa): HashPart => [mesa.number, mesa.ballotStyle]),
        ]),
      ]),
    ]),
  ];
}

/** The hash parts of a manifest, in the order documented above. */
export function manifestHashParts(manifest: Manifest): HashPart[] {
  return [
    manifest.format,
    manifest.electionId,
    localizedParts(manifest.name),
    manifest.date,
    manifest.contests.map(contestParts),
    manifest.ballotStyles.map((style): HashPart => [style.id, style.contests]),
    manifest.geography.states.map(stateParts),
  ];
}

/**
 * The 32-byte manifest hash of a validated manifest (parse it with
 * `parseManifest` first: an unvalidated object may throw RangeError on a
 * value the encoding cannot carry, such as a negative number).
 */
export function hashManifest(manifest: Manifest): Uint8Array {
  return hashToBytes(MANIFEST_HASH_TAG, manifestHashParts(manifest));
}
