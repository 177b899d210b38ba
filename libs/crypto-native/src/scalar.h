/*
 * Scalars modulo the group order L = 2^252 + 27742317777372353535851937790883648493
 * (RFC 9496 §4; docs/spec.md §1.2, §2.2), and their recodings for scalar
 * multiplication.
 */
#ifndef ACTA_SCALAR_H
#define ACTA_SCALAR_H

#include <stddef.h>
#include <stdint.h>

/* out = in mod L for any 256-bit little-endian integer. Constant-time. */
void sc_reduce(uint8_t out[32], const uint8_t in[32]);

/*
 * Signed radix-16 digits e[0..63] in [-8, 8] with a = sum e[i]·16^i, for a
 * reduced scalar a < 2^253 (ref10's ge_scalarmult_base). Constant-time.
 */
void sc_recode_radix16(int8_t e[64], const uint8_t a[32]);

/*
 * Width-w non-adjacent form (2 <= w <= 8) of a reduced scalar: odd digits in
 * (-2^(w-1), 2^(w-1)), at least w-1 zeros between non-zero digits. Returns
 * one past the highest non-zero position (0 for a = 0). Variable-time.
 */
int sc_naf(int8_t naf[256], const uint8_t a[32], int w);

/*
 * Signed base-2^c digits (1 <= c <= 15) of a reduced scalar a < 2^253:
 * `count` = ceil(254 / c) digits, d[k] in [-2^(c-1), 2^(c-1)], a = sum d[k]·2^(c·k).
 * Digit k is written to out[k * stride]. Variable-time (for the MSM).
 */
void sc_signed_digits(int16_t *out, size_t stride, const uint8_t a[32], int c, int count);

#endif
