/*
 * ristretto255 encoding, decoding, equality and element derivation, exactly as
 * in RFC 9496 §4.3.1–§4.3.4 (docs/spec.md §2.1, §2.4), plus the batched
 * double-and-encode of curve25519-dalek (RistrettoPoint::double_and_compress_batch).
 *
 * Timing: decode rejects early (variable time) — encodings are public data.
 * Encode, equality and element derivation are written with masks and fixed
 * exponentiation chains, so they happen to be constant-time too.
 */
#include <stdlib.h>

#include "ristretto.h"

int ristretto_decode(ge_p3 *p, const uint8_t s_bytes[32]) {
  fe s, ss, u1, u2, u2_sqr, v, t, invsqrt, den_x, den_y, x, y, tt;
  uint8_t check[32];
  /* s must be canonical (< p, which also excludes a set top bit) and non-negative. */
  fe_frombytes(&s, s_bytes);
  fe_tobytes(check, &s);
  if (memcmp(check, s_bytes, 32) != 0) return 0;
  if (check[0] & 1) return 0;

  fe_sq(&ss, &s);
  fe_sub(&u1, &FE_ONE, &ss);   /* 1 - s^2 */
  fe_add(&u2, &FE_ONE, &ss);   /* 1 + s^2 */
  fe_weak_reduce(&u2);
  fe_sq(&u2_sqr, &u2);
  fe_sq(&t, &u1);
  fe_mul(&t, &t, &FE_D);       /* D·u1^2 */
  fe_neg(&t, &t);
  fe_sub(&v, &t, &u2_sqr);     /* -(D·u1^2) - u2^2 */
  fe_mul(&t, &v, &u2_sqr);
  const uint64_t was_square = fe_sqrt_ratio_m1(&invsqrt, &FE_ONE, &t);
  fe_mul(&den_x, &invsqrt, &u2);
  fe_mul(&den_y, &invsqrt, &den_x);
  fe_mul(&den_y, &den_y, &v);
  fe_mul(&x, &s, &den_x);
  fe_add(&x, &x, &x);
  fe_weak_reduce(&x);
  fe_abs(&x, &x);              /* CT_ABS(2·s·den_x) */
  fe_mul(&y, &u1, &den_y);
  fe_mul(&tt, &x, &y);
  if (!was_square || fe_isnegative(&tt) || fe_iszero(&y)) return 0;
  p->X = x;
  p->Y = y;
  fe_1(&p->Z);
  p->T = tt;
  return 1;
}

void ristretto_encode(uint8_t out[32], const ge_p3 *p) {
  fe u1, u2, t, invsqrt, den1, den2, z_inv, ix0, iy0, enchanted, x, y, den_inv, s, tmp;
  fe zpy, zmy;
  fe_add(&zpy, &p->Z, &p->Y);
  fe_sub(&zmy, &p->Z, &p->Y);
  fe_mul(&u1, &zpy, &zmy);            /* (Z + Y)(Z - Y) */
  fe_mul(&u2, &p->X, &p->Y);          /* X·Y */
  fe_sq(&t, &u2);
  fe_mul(&t, &t, &u1);                /* u1·u2^2 */
  (void)fe_sqrt_ratio_m1(&invsqrt, &FE_ONE, &t);
  fe_mul(&den1, &invsqrt, &u1);
  fe_mul(&den2, &invsqrt, &u2);
  fe_mul(&z_inv, &den1, &den2);
  fe_mul(&z_inv, &z_inv, &p->T);      /* den1·den2·T */
  fe_mul(&ix0, &p->X, &FE_SQRT_M1);
  fe_mul(&iy0, &p->Y, &FE_SQRT_M1);
  fe_mul(&enchanted, &den1, &FE_INVSQRT_A_MINUS_D);
  fe_mul(&tmp, &p->T, &z_inv);
  const uint64_t rotate = fe_isnegative(&tmp);
  x = p->X;
  y = p->Y;
  fe_cmov(&x, &iy0, rotate);
  fe_cmov(&y, &ix0, rotate);
  den_inv = den2;
  fe_cmov(&den_inv, &enchanted, rotate);
  fe_mul(&tmp, &x, &z_inv);
  fe_cneg(&y, fe_isnegative(&tmp));
  fe_sub(&tmp, &p->Z, &y);
  fe_mul(&s, &den_inv, &tmp);
  fe_abs(&s, &s);
  fe_tobytes(out, &s);
}

int ristretto_equals(const ge_p3 *p, const ge_p3 *q) {
  fe a, b;
  fe_mul(&a, &p->X, &q->Y);
  fe_mul(&b, &p->Y, &q->X);
  const uint64_t e1 = fe_eq(&a, &b);
  fe_mul(&a, &p->Y, &q->Y);
  fe_mul(&b, &p->X, &q->X);
  const uint64_t e2 = fe_eq(&a, &b);
  return (int)(e1 | e2);
}

/* Equality with the identity (0:1:1:0): X == 0 or Y == 0. */
int ristretto_is_identity(const ge_p3 *p) {
  return (int)(fe_iszero(&p->X) | fe_iszero(&p->Y));
}

/* RFC 9496 §4.3.4 MAP (the Elligator 2 variant of ristretto255). */
static void ristretto_map(ge_p3 *p, const uint8_t bytes[32]) {
  fe t, r, u, v, s, s_prime, c, n, w0, w1, w2, w3, tmp, rd, ss;
  fe_frombytes(&t, bytes); /* the top bit is ignored, as the RFC requires */
  fe_sq(&r, &t);
  fe_mul(&r, &r, &FE_SQRT_M1);            /* r = SQRT_M1·t^2 */
  fe_add(&u, &r, &FE_ONE);
  fe_mul(&u, &u, &FE_ONE_MINUS_D_SQ);     /* u = (r + 1)·ONE_MINUS_D_SQ */
  fe_mul(&rd, &r, &FE_D);
  fe_neg(&tmp, &FE_ONE);
  fe_sub(&tmp, &tmp, &rd);                /* -1 - r·D */
  fe_add(&v, &r, &FE_D);
  fe_mul(&v, &tmp, &v);                   /* v = (-1 - r·D)·(r + D) */
  const uint64_t was_square = fe_sqrt_ratio_m1(&s, &u, &v);
  fe_mul(&s_prime, &s, &t);
  fe_abs(&s_prime, &s_prime);
  fe_neg(&s_prime, &s_prime);             /* s' = -CT_ABS(s·t) */
  fe_cmov(&s, &s_prime, was_square ^ 1);
  fe_neg(&c, &FE_ONE);
  fe_cmov(&c, &r, was_square ^ 1);        /* c = -1 if was_square else r */
  fe_sub(&tmp, &r, &FE_ONE);
  fe_mul(&n, &c, &tmp);
  fe_mul(&n, &n, &FE_D_MINUS_ONE_SQ);
  fe_sub(&n, &n, &v);                     /* N = c·(r - 1)·D_MINUS_ONE_SQ - v */
  fe_mul(&w0, &s, &v);
  fe_add(&w0, &w0, &w0);                  /* w0 = 2·s·v */
  fe_weak_reduce(&w0);
  fe_mul(&w1, &n, &FE_SQRT_AD_MINUS_ONE); /* w1 = N·SQRT_AD_MINUS_ONE */
  fe_sq(&ss, &s);
  fe_sub(&w2, &FE_ONE, &ss);              /* w2 = 1 - s^2 */
  fe_add(&w3, &FE_ONE, &ss);              /* w3 = 1 + s^2 */
  fe_weak_reduce(&w3);
  fe_mul(&p->X, &w0, &w3);
  fe_mul(&p->Y, &w2, &w1);
  fe_mul(&p->Z, &w1, &w3);
  fe_mul(&p->T, &w0, &w2);
}

void ristretto_from_uniform(ge_p3 *p, const uint8_t b[64]) {
  ge_p3 p1, p2;
  ristretto_map(&p1, b);
  ristretto_map(&p2, b + 32);
  ge_p3_add(p, &p1, &p2);
}

typedef struct {
  fe e, f, g, h, eg, fh;
} batch_state;

/*
 * dalek's double_and_compress_batch: for P = (X:Y:Z:T), 2P has (in the
 * "e, f, g, h" notation of the doubling formula) X' = e·f, Y' = g·h, Z' = f·g,
 * T' = e·h, and its encoding needs only 1/(e·g) and 1/(f·h) besides fixed
 * constants, so all n encodings share one inversion of prod(eg·fh).
 *
 * eg·fh is zero exactly when e = 2XY is zero, i.e. when P (hence 2P) is the
 * identity; such a product is replaced by 1 in the batch and its inverse set
 * to 0, which makes s = 0, the identity's encoding (as dalek's per-point
 * inversion of 0 would). Variable-time in n only.
 */
int ristretto_double_and_encode_batch(uint8_t *out, const ge_p3 *pts, size_t n) {
  if (n == 0) return 0;
  batch_state *st = malloc(sizeof(batch_state) * n);
  fe *inv = malloc(sizeof(fe) * n * 2);
  uint8_t *is_zero = malloc(n);
  if (st == NULL || inv == NULL || is_zero == NULL) {
    free(st);
    free(inv);
    free(is_zero);
    return -1;
  }
  for (size_t i = 0; i < n; i++) {
    const ge_p3 *p = &pts[i];
    batch_state *b = &st[i];
    fe xx, yy, zz, dtt, y2, prod;
    fe_sq(&xx, &p->X);
    fe_sq(&yy, &p->Y);
    fe_sq(&zz, &p->Z);
    fe_sq(&dtt, &p->T);
    fe_mul(&dtt, &dtt, &FE_D);
    fe_add(&y2, &p->Y, &p->Y);
    fe_mul(&b->e, &p->X, &y2); /* 2XY */
    fe_add(&b->f, &zz, &dtt);  /* Z^2 + d·T^2 */
    fe_weak_reduce(&b->f);
    fe_add(&b->g, &yy, &xx);   /* Y^2 - a·X^2, a = -1 */
    fe_weak_reduce(&b->g);
    fe_sub(&b->h, &zz, &dtt);  /* Z^2 - d·T^2 */
    fe_mul(&b->eg, &b->e, &b->g);
    fe_mul(&b->fh, &b->f, &b->h);
    fe_mul(&prod, &b->eg, &b->fh);
    const uint64_t z = fe_iszero(&prod);
    is_zero[i] = (uint8_t)z;
    fe_cmov(&prod, &FE_ONE, z);
    inv[i] = prod;
  }
  fe_batch_invert(inv, inv, inv + n, n);
  for (size_t i = 0; i < n; i++) {
    const batch_state *b = &st[i];
    fe zinv, tinv, magic, e, g, h, minus_e, f_sqrta, tmp, s;
    fe zero;
    fe_0(&zero);
    fe_cmov(&inv[i], &zero, is_zero[i]);
    fe_mul(&zinv, &b->eg, &inv[i]);
    fe_mul(&tinv, &b->fh, &inv[i]);
    magic = FE_INVSQRT_A_MINUS_D;
    fe_mul(&tmp, &b->eg, &zinv);
    const uint64_t negcheck1 = fe_isnegative(&tmp);
    e = b->e;
    g = b->g;
    h = b->h;
    fe_neg(&minus_e, &e);
    fe_mul(&f_sqrta, &b->f, &FE_SQRT_M1);
    fe_cmov(&e, &b->g, negcheck1);
    fe_cmov(&g, &minus_e, negcheck1);
    fe_cmov(&h, &f_sqrta, negcheck1);
    fe_cmov(&magic, &FE_SQRT_M1, negcheck1);
    fe_mul(&tmp, &h, &e);
    fe_mul(&tmp, &tmp, &zinv);
    fe_cneg(&g, fe_isnegative(&tmp));
    fe_mul(&tmp, &g, &tinv);
    fe_mul(&tmp, &magic, &tmp);
    fe_sub(&s, &h, &g);
    fe_mul(&s, &s, &tmp);
    fe_abs(&s, &s);
    fe_tobytes(out + 32 * i, &s);
  }
  free(st);
  free(inv);
  free(is_zero);
  return 0;
}
