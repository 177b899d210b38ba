/*
 * Arithmetic in GF(p), p = 2^255 - 19, the base field of Curve25519/ristretto255
 * (RFC 7748 §4.1, RFC 9496 §4; docs/spec.md §1.2).
 *
 * An element is five unsigned 51-bit limbs, value = sum v[i]·2^(51·i), as in
 * curve25519-donna-c64 and curve25519-dalek's u64 backend: 5×5 limb products
 * fit in unsigned __int128 with room for the ×19 folding of 2^255 ≡ 19.
 *
 * Limb bounds (the invariant every caller keeps): "reduced" means every limb
 * < 2^51 + 2^15. fe_mul/fe_sq accept inputs with limbs < 2^54 and return
 * reduced outputs; fe_sub/fe_neg accept subtrahends < 2^54 and return reduced
 * outputs; fe_add does no carrying, so the sum of two reduced elements
 * (< 2^52 + 2^16) is only ever fed to a multiplication or a subtraction.
 *
 * Everything here is constant-time: no branch and no memory address depends
 * on the value of an element. Conditional moves use masks behind a value
 * barrier so that the compiler cannot turn them back into branches.
 *
 * These are static inline functions so that the point formulas inline them.
 */
#ifndef ACTA_FIELD_H
#define ACTA_FIELD_H

#include <stdint.h>
#include <string.h>

typedef unsigned __int128 acta_u128;

typedef struct {
  uint64_t v[5];
} fe;

#define FE_MASK51 ((uint64_t)0x7ffffffffffffULL)

/* Hides a value from the optimizer, so that mask arithmetic stays branch-free. */
static inline uint64_t ct_barrier_u64(uint64_t x) {
  __asm__ volatile("" : "+r"(x));
  return x;
}

/* 0 -> 0, 1 -> all ones; `bit` must be 0 or 1. */
static inline uint64_t ct_mask_u64(uint64_t bit) { return ct_barrier_u64(0 - (bit & 1)); }

static inline uint64_t load64_le(const uint8_t *p) {
  uint64_t x;
  memcpy(&x, p, 8);
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
  x = __builtin_bswap64(x);
#endif
  return x;
}

static inline void store64_le(uint8_t *p, uint64_t x) {
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
  x = __builtin_bswap64(x);
#endif
  memcpy(p, &x, 8);
}

static inline void fe_0(fe *h) { memset(h, 0, sizeof *h); }

static inline void fe_1(fe *h) {
  fe_0(h);
  h->v[0] = 1;
}

static inline void fe_copy(fe *h, const fe *f) { *h = *f; }

/* h = f + g, without carrying (see the bounds above). */
static inline void fe_add(fe *h, const fe *f, const fe *g) {
  for (int i = 0; i < 5; i++) h->v[i] = f->v[i] + g->v[i];
}

/* One round of carries: limbs < 2^64 become < 2^51 + 2^13·19. */
static inline void fe_weak_reduce(fe *h) {
  uint64_t c0 = h->v[0] >> 51, c1 = h->v[1] >> 51, c2 = h->v[2] >> 51, c3 = h->v[3] >> 51,
           c4 = h->v[4] >> 51;
  h->v[0] = (h->v[0] & FE_MASK51) + c4 * 19;
  h->v[1] = (h->v[1] & FE_MASK51) + c0;
  h->v[2] = (h->v[2] & FE_MASK51) + c1;
  h->v[3] = (h->v[3] & FE_MASK51) + c2;
  h->v[4] = (h->v[4] & FE_MASK51) + c3;
}

/* h = f - g: adds 16·p first so that no limb underflows for g < 2^54. */
static inline void fe_sub(fe *h, const fe *f, const fe *g) {
  h->v[0] = (f->v[0] + 0x7ffffffffffed0ULL) - g->v[0];
  h->v[1] = (f->v[1] + 0x7ffffffffffff0ULL) - g->v[1];
  h->v[2] = (f->v[2] + 0x7ffffffffffff0ULL) - g->v[2];
  h->v[3] = (f->v[3] + 0x7ffffffffffff0ULL) - g->v[3];
  h->v[4] = (f->v[4] + 0x7ffffffffffff0ULL) - g->v[4];
  fe_weak_reduce(h);
}

static inline void fe_neg(fe *h, const fe *f) {
  fe zero;
  fe_0(&zero);
  fe_sub(h, &zero, f);
}

static inline void fe_carry_wide(fe *h, acta_u128 c0, acta_u128 c1, acta_u128 c2, acta_u128 c3,
                                 acta_u128 c4) {
  uint64_t r0, r1, r2, r3, r4, carry;
  c1 += (uint64_t)(c0 >> 51);
  r0 = (uint64_t)c0 & FE_MASK51;
  c2 += (uint64_t)(c1 >> 51);
  r1 = (uint64_t)c1 & FE_MASK51;
  c3 += (uint64_t)(c2 >> 51);
  r2 = (uint64_t)c2 & FE_MASK51;
  c4 += (uint64_t)(c3 >> 51);
  r3 = (uint64_t)c3 & FE_MASK51;
  carry = (uint64_t)(c4 >> 51);
  r4 = (uint64_t)c4 & FE_MASK51;
  r0 += carry * 19;
  r1 += r0 >> 51;
  r0 &= FE_MASK51;
  h->v[0] = r0;
  h->v[1] = r1;
  h->v[2] = r2;
  h->v[3] = r3;
  h->v[4] = r4;
}

#define FE_M(a, b) ((acta_u128)(a) * (b))

static inline void fe_mul(fe *h, const fe *f, const fe *g) {
  const uint64_t a0 = f->v[0], a1 = f->v[1], a2 = f->v[2], a3 = f->v[3], a4 = f->v[4];
  const uint64_t b0 = g->v[0], b1 = g->v[1], b2 = g->v[2], b3 = g->v[3], b4 = g->v[4];
  const uint64_t b1_19 = b1 * 19, b2_19 = b2 * 19, b3_19 = b3 * 19, b4_19 = b4 * 19;
  acta_u128 c0 = FE_M(a0, b0) + FE_M(a4, b1_19) + FE_M(a3, b2_19) + FE_M(a2, b3_19) +
                 FE_M(a1, b4_19);
  acta_u128 c1 = FE_M(a1, b0) + FE_M(a0, b1) + FE_M(a4, b2_19) + FE_M(a3, b3_19) +
                 FE_M(a2, b4_19);
  acta_u128 c2 = FE_M(a2, b0) + FE_M(a1, b1) + FE_M(a0, b2) + FE_M(a4, b3_19) + FE_M(a3, b4_19);
  acta_u128 c3 = FE_M(a3, b0) + FE_M(a2, b1) + FE_M(a1, b2) + FE_M(a0, b3) + FE_M(a4, b4_19);
  acta_u128 c4 = FE_M(a4, b0) + FE_M(a3, b1) + FE_M(a2, b2) + FE_M(a1, b3) + FE_M(a0, b4);
  fe_carry_wide(h, c0, c1, c2, c3, c4);
}

static inline void fe_sq(fe *h, const fe *f) {
  const uint64_t a0 = f->v[0], a1 = f->v[1], a2 = f->v[2], a3 = f->v[3], a4 = f->v[4];
  const uint64_t a3_19 = a3 * 19, a4_19 = a4 * 19;
  const uint64_t d0 = a0 * 2, d1 = a1 * 2, d2 = a2 * 2, d4 = a4 * 2;
  acta_u128 c0 = FE_M(a0, a0) + FE_M(d1, a4_19) + FE_M(d2, a3_19);
  acta_u128 c1 = FE_M(a3, a3_19) + FE_M(d0, a1) + FE_M(d2, a4_19);
  acta_u128 c2 = FE_M(a1, a1) + FE_M(d0, a2) + FE_M(d4, a3_19);
  acta_u128 c3 = FE_M(a4, a4_19) + FE_M(d0, a3) + FE_M(d1, a2);
  acta_u128 c4 = FE_M(a2, a2) + FE_M(d0, a4) + FE_M(d1, a3);
  fe_carry_wide(h, c0, c1, c2, c3, c4);
}

/* h = f^(2^k), k >= 1. */
static inline void fe_sqn(fe *h, const fe *f, int k) {
  fe_sq(h, f);
  for (int i = 1; i < k; i++) fe_sq(h, h);
}

static inline void fe_mul_small(fe *h, const fe *f, uint32_t n) {
  fe_carry_wide(h, FE_M(f->v[0], n), FE_M(f->v[1], n), FE_M(f->v[2], n), FE_M(f->v[3], n),
                FE_M(f->v[4], n));
}

/* Loads 32 little-endian bytes, ignoring the most significant bit (RFC 7748 §5). */
static inline void fe_frombytes(fe *h, const uint8_t s[32]) {
  const uint64_t w0 = load64_le(s), w1 = load64_le(s + 8), w2 = load64_le(s + 16),
                 w3 = load64_le(s + 24);
  h->v[0] = w0 & FE_MASK51;
  h->v[1] = ((w0 >> 51) | (w1 << 13)) & FE_MASK51;
  h->v[2] = ((w1 >> 38) | (w2 << 26)) & FE_MASK51;
  h->v[3] = ((w2 >> 25) | (w3 << 39)) & FE_MASK51;
  h->v[4] = (w3 >> 12) & FE_MASK51;
}

/* The canonical encoding: the unique representative in [0, p), little-endian. */
static inline void fe_tobytes(uint8_t s[32], const fe *f) {
  fe t = *f;
  fe_weak_reduce(&t);
  fe_weak_reduce(&t);
  /* Now t < 2^255 + small; q = 1 iff t >= p, computed from t + 19 >= 2^255. */
  uint64_t q = (t.v[0] + 19) >> 51;
  q = (t.v[1] + q) >> 51;
  q = (t.v[2] + q) >> 51;
  q = (t.v[3] + q) >> 51;
  q = (t.v[4] + q) >> 51;
  t.v[0] += 19 * q;
  t.v[1] += t.v[0] >> 51;
  t.v[0] &= FE_MASK51;
  t.v[2] += t.v[1] >> 51;
  t.v[1] &= FE_MASK51;
  t.v[3] += t.v[2] >> 51;
  t.v[2] &= FE_MASK51;
  t.v[4] += t.v[3] >> 51;
  t.v[3] &= FE_MASK51;
  t.v[4] &= FE_MASK51;
  store64_le(s, t.v[0] | (t.v[1] << 51));
  store64_le(s + 8, (t.v[1] >> 13) | (t.v[2] << 38));
  store64_le(s + 16, (t.v[2] >> 26) | (t.v[3] << 25));
  store64_le(s + 24, (t.v[3] >> 39) | (t.v[4] << 12));
}

/* h = f if b == 1, unchanged if b == 0 (constant-time). */
static inline void fe_cmov(fe *h, const fe *f, uint64_t b) {
  const uint64_t m = ct_mask_u64(b);
  for (int i = 0; i < 5; i++) h->v[i] ^= m & (h->v[i] ^ f->v[i]);
}

/* h = -h if b == 1 (constant-time). */
static inline void fe_cneg(fe *h, uint64_t b) {
  fe n;
  fe_neg(&n, h);
  fe_cmov(h, &n, b);
}

/* RFC 9496 §4.1 IS_NEGATIVE: the low bit of the canonical encoding. */
static inline uint64_t fe_isnegative(const fe *f) {
  uint8_t s[32];
  fe_tobytes(s, f);
  return s[0] & 1;
}

/* 1 if f == 0 mod p, else 0 (constant-time). */
static inline uint64_t fe_iszero(const fe *f) {
  uint8_t s[32];
  fe_tobytes(s, f);
  uint64_t acc = 0;
  for (int i = 0; i < 32; i++) acc |= s[i];
  return ((acc - 1) >> 63) & 1; /* acc < 256, so acc - 1 wraps only for acc = 0 */
}

/* 1 if f == g mod p, else 0 (constant-time). */
static inline uint64_t fe_eq(const fe *f, const fe *g) {
  fe d;
  fe_sub(&d, f, g);
  return fe_iszero(&d);
}

/* RFC 9496 §4.1 CT_ABS. */
static inline void fe_abs(fe *h, const fe *f) {
  *h = *f;
  fe_cneg(h, fe_isnegative(f));
}

/* Defined in field.c (long exponentiation chains, not worth inlining). */
void fe_invert(fe *out, const fe *z);
void fe_pow22523(fe *out, const fe *z);
uint64_t fe_sqrt_ratio_m1(fe *r, const fe *u, const fe *v);
void fe_batch_invert(fe *out, const fe *in, fe *scratch, size_t n);

extern const fe FE_ONE;
extern const fe FE_D;
extern const fe FE_D2;
extern const fe FE_SQRT_M1;
extern const fe FE_INVSQRT_A_MINUS_D;
extern const fe FE_SQRT_AD_MINUS_ONE;
extern const fe FE_ONE_MINUS_D_SQ;
extern const fe FE_D_MINUS_ONE_SQ;

#endif
