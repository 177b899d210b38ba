/*
 * ristretto255 (RFC 9496 §4.3; docs/spec.md §2.1, §2.4) on top of the Edwards
 * points of edwards.h: decoding, encoding, equality, element derivation and
 * curve25519-dalek's batched double-and-encode.
 */
#ifndef ACTA_RISTRETTO_H
#define ACTA_RISTRETTO_H

#include "edwards.h"

/* RFC 9496 §4.3.1. Returns 1 and sets *p for a valid encoding, 0 otherwise. */
int ristretto_decode(ge_p3 *p, const uint8_t s[32]);

/* RFC 9496 §4.3.2. */
void ristretto_encode(uint8_t s[32], const ge_p3 *p);

/* RFC 9496 §4.3.3. */
int ristretto_equals(const ge_p3 *p, const ge_p3 *q);
int ristretto_is_identity(const ge_p3 *p);

/* RFC 9496 §4.3.4 element derivation: MAP(b[0..32]) + MAP(b[32..64]). */
void ristretto_from_uniform(ge_p3 *p, const uint8_t b[64]);

/*
 * out[32·i..] = ENCODE(2·pts[i]) for n points, with one field inversion.
 * Returns 0, or -1 if out of memory.
 */
int ristretto_double_and_encode_batch(uint8_t *out, const ge_p3 *pts, size_t n);

#endif
