/*
 * Scalars modulo L (RFC 9496 §4; docs/spec.md §1.2, §2.2): reduction of any
 * 256-bit integer, and the digit recodings used by the multiplications
 * (signed radix 16 for the constant-time ones, width-w NAF and signed
 * base-2^c digits for the variable-time ones).
 */
#include <stddef.h>

#include "field.h"
#include "scalar.h"

/* L = 2^252 + C, C < 2^125, as 64-bit little-endian words. */
static const uint64_t L_WORDS[4] = {0x5812631a5cf5d3edULL, 0x14def9dea2f79cd6ULL, 0,
                                    0x1000000000000000ULL};
static const uint64_t C_WORDS[2] = {0x5812631a5cf5d3edULL, 0x14def9dea2f79cd6ULL};

static inline uint64_t sbb64(uint64_t a, uint64_t b, uint64_t *borrow) {
  const acta_u128 d = (acta_u128)a - b - *borrow;
  *borrow = (uint64_t)(d >> 127); /* |a - b - borrow| < 2^65, so bit 127 is the sign */
  return (uint64_t)d;
}

static inline uint64_t adc64(uint64_t a, uint64_t b, uint64_t *carry) {
  const acta_u128 s = (acta_u128)a + b + *carry;
  *carry = (uint64_t)(s >> 64);
  return (uint64_t)s;
}

/*
 * Write a = hi·2^252 + lo with hi < 16. Since 2^252 ≡ -C (mod L),
 * a ≡ lo + L - hi·C, which lies in (0, 2L): one conditional subtraction of L
 * (by mask, not by branch) finishes the reduction. Constant-time.
 */
void sc_reduce(uint8_t out[32], const uint8_t in[32]) {
  uint64_t a[4];
  for (int i = 0; i < 4; i++) a[i] = load64_le(in + 8 * i);
  const uint64_t hi = a[3] >> 60;
  a[3] &= 0x0fffffffffffffffULL;

  const acta_u128 m0 = (acta_u128)hi * C_WORDS[0];
  const acta_u128 m1 = (acta_u128)hi * C_WORDS[1] + (uint64_t)(m0 >> 64);
  const uint64_t t[4] = {(uint64_t)m0, (uint64_t)m1, (uint64_t)(m1 >> 64), 0};

  uint64_t r[4], s[4], carry = 0, borrow = 0;
  for (int i = 0; i < 4; i++) r[i] = adc64(a[i], L_WORDS[i], &carry);
  for (int i = 0; i < 4; i++) r[i] = sbb64(r[i], t[i], &borrow);
  borrow = 0;
  for (int i = 0; i < 4; i++) s[i] = sbb64(r[i], L_WORDS[i], &borrow);
  /* borrow = 1 iff r < L: keep r; otherwise take s = r - L. */
  const uint64_t keep_r = ct_mask_u64(borrow);
  for (int i = 0; i < 4; i++) store64_le(out + 8 * i, (r[i] & keep_r) | (s[i] & ~keep_r));
}

void sc_recode_radix16(int8_t e[64], const uint8_t a[32]) {
  for (int i = 0; i < 32; i++) {
    e[2 * i] = (int8_t)(a[i] & 15);
    e[2 * i + 1] = (int8_t)((a[i] >> 4) & 15);
  }
  /* Each e[i] is in [0, 16] after adding the carry, so e[i] + 8 >= 0 and the
   * shift is an unsigned-style division; no branch depends on the digits. */
  int carry = 0;
  for (int i = 0; i < 63; i++) {
    int v = e[i] + carry;
    carry = (v + 8) >> 4;
    e[i] = (int8_t)(v - carry * 16);
  }
  e[63] = (int8_t)(e[63] + carry);
}

int sc_naf(int8_t naf[256], const uint8_t a[32], int w) {
  uint64_t x[5];
  for (int i = 0; i < 4; i++) x[i] = load64_le(a + 8 * i);
  x[4] = 0;
  memset(naf, 0, 256);
  const uint64_t width = (uint64_t)1 << w;
  const uint64_t window_mask = width - 1;
  int pos = 0, top = 0;
  uint64_t carry = 0;
  while (pos < 256) {
    const int idx = pos / 64, bit = pos % 64;
    uint64_t bits = x[idx] >> bit;
    if (bit > 64 - w) bits |= x[idx + 1] << (64 - bit);
    const uint64_t window = carry + (bits & window_mask);
    if ((window & 1) == 0) {
      pos += 1;
      continue;
    }
    if (window < width / 2) {
      carry = 0;
      naf[pos] = (int8_t)window;
    } else {
      carry = 1;
      naf[pos] = (int8_t)((int)window - (int)width);
    }
    top = pos + 1;
    pos += w;
  }
  return top;
}

void sc_signed_digits(int16_t *out, size_t stride, const uint8_t a[32], int c, int count) {
  uint64_t x[5];
  for (int i = 0; i < 4; i++) x[i] = load64_le(a + 8 * i);
  x[4] = 0;
  const uint64_t mask = ((uint64_t)1 << c) - 1;
  const int64_t half = (int64_t)1 << (c - 1);
  int64_t carry = 0;
  for (int k = 0; k < count; k++) {
    const int pos = k * c;
    int64_t window = 0;
    if (pos < 256) {
      const int idx = pos / 64, bit = pos % 64;
      uint64_t bits = x[idx] >> bit;
      if (bit > 64 - c) bits |= x[idx + 1] << (64 - bit);
      window = (int64_t)(bits & mask);
    }
    window += carry;
    if (k == count - 1) {
      /* The top window of a reduced scalar is < 2^(c-1), so with its carry it
       * is at most 2^(c-1): no further carry is needed. */
      out[(size_t)k * stride] = (int16_t)window;
    } else {
      carry = (window + half) >> c;
      out[(size_t)k * stride] = (int16_t)(window - carry * ((int64_t)1 << c));
    }
  }
}
