/*
 * GF(2^255 - 19): constants, inversion, square roots and batch inversion
 * (RFC 9496 §4 and §4.2; docs/spec.md §1.2).
 *
 * Inversion and the square-root ratio use fixed addition chains (the ones of
 * ref10 and curve25519-dalek), so they are constant-time: the sequence of
 * squarings and multiplications never depends on the input.
 */
#include "field.h"

/* Constants of RFC 9496 §4.1 (and d, 2d of RFC 8032 §5.1), as 51-bit limbs. */
const fe FE_ONE = {{1, 0, 0, 0, 0}};
const fe FE_D = {
    {0x34dca135978a3ULL, 0x1a8283b156ebdULL, 0x5e7a26001c029ULL, 0x739c663a03cbbULL,
     0x52036cee2b6ffULL}};
const fe FE_D2 = {
    {0x69b9426b2f159ULL, 0x35050762add7aULL, 0x3cf44c0038052ULL, 0x6738cc7407977ULL,
     0x2406d9dc56dffULL}};
const fe FE_SQRT_M1 = {
    {0x61b274a0ea0b0ULL, 0x0d5a5fc8f189dULL, 0x7ef5e9cbd0c60ULL, 0x78595a6804c9eULL,
     0x2b8324804fc1dULL}};
const fe FE_INVSQRT_A_MINUS_D = {
    {0x0fdaa805d40eaULL, 0x2eb482e57d339ULL, 0x007610274bc58ULL, 0x6510b613dc8ffULL,
     0x786c8905cfaffULL}};
const fe FE_SQRT_AD_MINUS_ONE = {
    {0x7f6a0497b2e1bULL, 0x1836f0a97afd2ULL, 0x7d747f6be7638ULL, 0x456079e7e6498ULL,
     0x376931bf2b834ULL}};
const fe FE_ONE_MINUS_D_SQ = {
    {0x409c1945fc176ULL, 0x719abc6a1fc4fULL, 0x1c37f90b20684ULL, 0x06bccca55eedfULL,
     0x029072a8b2b3eULL}};
const fe FE_D_MINUS_ONE_SQ = {
    {0x55aaa44ed4d20ULL, 0x59603c3332635ULL, 0x26d3baf4a7928ULL, 0x120a66e6997a9ULL,
     0x5968b37af66c2ULL}};

/* out = z^(2^250 - 1), t3 = z^11: the common prefix of both chains. */
static void fe_pow22501(fe *out, fe *t3, const fe *z) {
  fe t0, t1, t2, t4, t5, t7, t13, t;
  fe_sq(&t0, z);          /* 2 */
  fe_sqn(&t1, &t0, 2);    /* 8 */
  fe_mul(&t2, z, &t1);    /* 9 */
  fe_mul(t3, &t0, &t2);   /* 11 */
  fe_sq(&t4, t3);         /* 22 */
  fe_mul(&t5, &t2, &t4);  /* 2^5 - 1 */
  fe_sqn(&t, &t5, 5);     /* 2^10 - 2^5 */
  fe_mul(&t7, &t, &t5);   /* 2^10 - 1 */
  fe_sqn(&t, &t7, 10);    /* 2^20 - 2^10 */
  fe_mul(&t1, &t, &t7);   /* 2^20 - 1 */
  fe_sqn(&t, &t1, 20);    /* 2^40 - 2^20 */
  fe_mul(&t, &t, &t1);    /* 2^40 - 1 */
  fe_sqn(&t, &t, 10);     /* 2^50 - 2^10 */
  fe_mul(&t13, &t, &t7);  /* 2^50 - 1 */
  fe_sqn(&t, &t13, 50);   /* 2^100 - 2^50 */
  fe_mul(&t1, &t, &t13);  /* 2^100 - 1 */
  fe_sqn(&t, &t1, 100);   /* 2^200 - 2^100 */
  fe_mul(&t, &t, &t1);    /* 2^200 - 1 */
  fe_sqn(&t, &t, 50);     /* 2^250 - 2^50 */
  fe_mul(out, &t, &t13);  /* 2^250 - 1 */
}

/* out = z^(p - 2) = 1/z (and 0 for z = 0). Constant-time. */
void fe_invert(fe *out, const fe *z) {
  fe t19, t3, t;
  fe_pow22501(&t19, &t3, z);
  fe_sqn(&t, &t19, 5); /* 2^255 - 2^5 */
  fe_mul(out, &t, &t3); /* 2^255 - 21 = p - 2 */
}

/* out = z^((p - 5) / 8) = z^(2^252 - 3). Constant-time. */
void fe_pow22523(fe *out, const fe *z) {
  fe t19, t3, t;
  fe_pow22501(&t19, &t3, z);
  fe_sqn(&t, &t19, 2); /* 2^252 - 4 */
  fe_mul(out, &t, z);  /* 2^252 - 3 */
}

/*
 * RFC 9496 §4.2 SQRT_RATIO_M1(u, v): r = CT_ABS(sqrt(u/v)) or
 * CT_ABS(sqrt(SQRT_M1·u/v)); returns was_square (1 if u/v is a square,
 * including u = 0; 0 otherwise, and 0 for v = 0, u != 0). Constant-time.
 */
uint64_t fe_sqrt_ratio_m1(fe *r, const fe *u, const fe *v) {
  fe v3, v7, t, check, neg_u, neg_u_i, r_prime;
  fe_sq(&v3, v);
  fe_mul(&v3, &v3, v); /* v^3 */
  fe_sq(&v7, &v3);
  fe_mul(&v7, &v7, v); /* v^7 */
  fe_mul(&t, u, &v7);
  fe_pow22523(&t, &t);  /* (u·v^7)^((p-5)/8) */
  fe_mul(&t, &t, &v3);
  fe_mul(r, &t, u);     /* (u·v^3)·(u·v^7)^((p-5)/8) */
  fe_sq(&check, r);
  fe_mul(&check, &check, v);
  fe_neg(&neg_u, u);
  fe_mul(&neg_u_i, &neg_u, &FE_SQRT_M1);
  const uint64_t correct_sign = fe_eq(&check, u);
  const uint64_t flipped_sign = fe_eq(&check, &neg_u);
  const uint64_t flipped_sign_i = fe_eq(&check, &neg_u_i);
  fe_mul(&r_prime, r, &FE_SQRT_M1);
  fe_cmov(r, &r_prime, flipped_sign | flipped_sign_i);
  fe_abs(r, r);
  return correct_sign | flipped_sign;
}

/*
 * Montgomery's trick: out[i] = 1/in[i] for n elements with one inversion.
 * Every in[i] must be non-zero (a zero poisons the whole batch; callers
 * substitute 1 and fix up). `scratch` holds n elements; out may alias in.
 * Constant-time in the values (the work depends only on n).
 */
void fe_batch_invert(fe *out, const fe *in, fe *scratch, size_t n) {
  if (n == 0) return;
  fe acc = FE_ONE;
  for (size_t i = 0; i < n; i++) {
    scratch[i] = acc; /* product of in[0..i-1] */
    fe_mul(&acc, &acc, &in[i]);
  }
  fe_invert(&acc, &acc); /* 1 / product of all */
  for (size_t i = n; i-- > 0;) {
    fe inv_i, next;
    fe_mul(&inv_i, &acc, &scratch[i]); /* 1/in[i] */
    fe_mul(&next, &acc, &in[i]);       /* 1 / product of in[0..i-1] */
    out[i] = inv_i;
    acc = next;
  }
}
