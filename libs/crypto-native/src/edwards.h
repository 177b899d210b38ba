/*
 * The twisted Edwards curve -x^2 + y^2 = 1 + d·x^2·y^2 over GF(2^255 - 19)
 * that underlies ristretto255 (RFC 9496 §4; docs/spec.md §1.2).
 *
 * Point models, from Hisil, Wong, Carter, Dawson, "Twisted Edwards curves
 * revisited" (ASIACRYPT 2008), in the naming of ref10 / curve25519-dalek:
 * - ge_p3     extended (X:Y:Z:T), x = X/Z, y = Y/Z, x·y = T/Z;
 * - ge_p2     projective (X:Y:Z), enough for doubling;
 * - ge_p1p1   "completed" ((X:Z),(Y:T)), the output of additions/doublings;
 * - ge_cached (Y+X, Y-X, Z, 2d·T), a point ready to be added ("projective niels");
 * - ge_niels  (y+x, y-x, 2d·x·y), an affine point ready to be added.
 * The addition formulas are complete (a = -1 is a square and d is not), so
 * they have no exceptional cases: the identity and equal inputs just work.
 */
#ifndef ACTA_EDWARDS_H
#define ACTA_EDWARDS_H

#include <stddef.h>

#include "field.h"

typedef struct {
  fe X, Y, Z, T;
} ge_p3;

typedef struct {
  fe X, Y, Z;
} ge_p2;

typedef struct {
  fe X, Y, Z, T;
} ge_p1p1;

typedef struct {
  fe YplusX, YminusX, Z, T2d;
} ge_cached;

typedef struct {
  fe yplusx, yminusx, xy2d;
} ge_niels;

static inline void ge_p3_0(ge_p3 *h) {
  fe_0(&h->X);
  fe_1(&h->Y);
  fe_1(&h->Z);
  fe_0(&h->T);
}

static inline void ge_cached_0(ge_cached *h) {
  fe_1(&h->YplusX);
  fe_1(&h->YminusX);
  fe_1(&h->Z);
  fe_0(&h->T2d);
}

static inline void ge_niels_0(ge_niels *h) {
  fe_1(&h->yplusx);
  fe_1(&h->yminusx);
  fe_0(&h->xy2d);
}

static inline void ge_p1p1_to_p2(ge_p2 *r, const ge_p1p1 *p) {
  fe_mul(&r->X, &p->X, &p->T);
  fe_mul(&r->Y, &p->Y, &p->Z);
  fe_mul(&r->Z, &p->Z, &p->T);
}

static inline void ge_p1p1_to_p3(ge_p3 *r, const ge_p1p1 *p) {
  fe_mul(&r->X, &p->X, &p->T);
  fe_mul(&r->Y, &p->Y, &p->Z);
  fe_mul(&r->Z, &p->Z, &p->T);
  fe_mul(&r->T, &p->X, &p->Y);
}

static inline void ge_p3_to_p2(ge_p2 *r, const ge_p3 *p) {
  r->X = p->X;
  r->Y = p->Y;
  r->Z = p->Z;
}

static inline void ge_p3_to_cached(ge_cached *r, const ge_p3 *p) {
  fe_add(&r->YplusX, &p->Y, &p->X);
  fe_weak_reduce(&r->YplusX);
  fe_sub(&r->YminusX, &p->Y, &p->X);
  r->Z = p->Z;
  fe_mul(&r->T2d, &p->T, &FE_D2);
}

/* r = 2·p (dbl-2008-hwcd). */
static inline void ge_p2_dbl(ge_p1p1 *r, const ge_p2 *p) {
  fe xx, yy, zz2, xy, xy2;
  fe_sq(&xx, &p->X);
  fe_sq(&yy, &p->Y);
  fe_sq(&zz2, &p->Z);
  fe_add(&zz2, &zz2, &zz2);
  fe_add(&xy, &p->X, &p->Y);
  fe_sq(&xy2, &xy);
  fe_add(&r->Y, &yy, &xx);     /* YY + XX */
  fe_sub(&r->Z, &yy, &xx);     /* YY - XX */
  fe_sub(&r->X, &xy2, &r->Y);  /* (X+Y)^2 - YY - XX = 2XY */
  fe_sub(&r->T, &zz2, &r->Z);  /* 2Z^2 - (YY - XX) */
}

static inline void ge_p3_dbl(ge_p1p1 *r, const ge_p3 *p) {
  ge_p2 q;
  ge_p3_to_p2(&q, p);
  ge_p2_dbl(r, &q);
}

/* r = p + q (add-2008-hwcd-3 with q cached). */
static inline void ge_add(ge_p1p1 *r, const ge_p3 *p, const ge_cached *q) {
  fe ypx, ymx, pp, mm, tt2d, zz, zz2;
  fe_add(&ypx, &p->Y, &p->X);
  fe_sub(&ymx, &p->Y, &p->X);
  fe_mul(&pp, &ypx, &q->YplusX);
  fe_mul(&mm, &ymx, &q->YminusX);
  fe_mul(&tt2d, &p->T, &q->T2d);
  fe_mul(&zz, &p->Z, &q->Z);
  fe_add(&zz2, &zz, &zz);
  fe_sub(&r->X, &pp, &mm);
  fe_add(&r->Y, &pp, &mm);
  fe_add(&r->Z, &zz2, &tt2d);
  fe_sub(&r->T, &zz2, &tt2d);
}

/* r = p - q. */
static inline void ge_sub(ge_p1p1 *r, const ge_p3 *p, const ge_cached *q) {
  fe ypx, ymx, pm, mp, tt2d, zz, zz2;
  fe_add(&ypx, &p->Y, &p->X);
  fe_sub(&ymx, &p->Y, &p->X);
  fe_mul(&pm, &ypx, &q->YminusX);
  fe_mul(&mp, &ymx, &q->YplusX);
  fe_mul(&tt2d, &p->T, &q->T2d);
  fe_mul(&zz, &p->Z, &q->Z);
  fe_add(&zz2, &zz, &zz);
  fe_sub(&r->X, &pm, &mp);
  fe_add(&r->Y, &pm, &mp);
  fe_sub(&r->Z, &zz2, &tt2d);
  fe_add(&r->T, &zz2, &tt2d);
}

/* r = p + q with q affine (madd-2008-hwcd-3: one multiplication fewer). */
static inline void ge_madd(ge_p1p1 *r, const ge_p3 *p, const ge_niels *q) {
  fe ypx, ymx, pp, mm, txy2d, z2;
  fe_add(&ypx, &p->Y, &p->X);
  fe_sub(&ymx, &p->Y, &p->X);
  fe_mul(&pp, &ypx, &q->yplusx);
  fe_mul(&mm, &ymx, &q->yminusx);
  fe_mul(&txy2d, &p->T, &q->xy2d);
  fe_add(&z2, &p->Z, &p->Z);
  fe_sub(&r->X, &pp, &mm);
  fe_add(&r->Y, &pp, &mm);
  fe_add(&r->Z, &z2, &txy2d);
  fe_sub(&r->T, &z2, &txy2d);
}

/* r = p - q with q affine. */
static inline void ge_msub(ge_p1p1 *r, const ge_p3 *p, const ge_niels *q) {
  fe ypx, ymx, pm, mp, txy2d, z2;
  fe_add(&ypx, &p->Y, &p->X);
  fe_sub(&ymx, &p->Y, &p->X);
  fe_mul(&pm, &ypx, &q->yminusx);
  fe_mul(&mp, &ymx, &q->yplusx);
  fe_mul(&txy2d, &p->T, &q->xy2d);
  fe_add(&z2, &p->Z, &p->Z);
  fe_sub(&r->X, &pm, &mp);
  fe_add(&r->Y, &pm, &mp);
  fe_sub(&r->Z, &z2, &txy2d);
  fe_add(&r->T, &z2, &txy2d);
}

/* Convenience wrappers staying in extended coordinates. */
static inline void ge_p3_add(ge_p3 *r, const ge_p3 *p, const ge_p3 *q) {
  ge_cached c;
  ge_p1p1 t;
  ge_p3_to_cached(&c, q);
  ge_add(&t, p, &c);
  ge_p1p1_to_p3(r, &t);
}

static inline void ge_p3_sub(ge_p3 *r, const ge_p3 *p, const ge_p3 *q) {
  ge_cached c;
  ge_p1p1 t;
  ge_p3_to_cached(&c, q);
  ge_sub(&t, p, &c);
  ge_p1p1_to_p3(r, &t);
}

static inline void ge_p3_neg(ge_p3 *r, const ge_p3 *p) {
  fe_neg(&r->X, &p->X);
  r->Y = p->Y;
  r->Z = p->Z;
  fe_neg(&r->T, &p->T);
}

/* r = 2^k · p, k >= 1. */
static inline void ge_p3_mul_pow2(ge_p3 *r, const ge_p3 *p, int k) {
  ge_p2 q;
  ge_p1p1 t;
  ge_p3_to_p2(&q, p);
  for (int i = 0; i < k - 1; i++) {
    ge_p2_dbl(&t, &q);
    ge_p1p1_to_p2(&q, &t);
  }
  ge_p2_dbl(&t, &q);
  ge_p1p1_to_p3(r, &t);
}

/* Constant-time conditional moves and negations (masks, no branches). */
static inline void ge_cached_cmov(ge_cached *r, const ge_cached *p, uint64_t b) {
  fe_cmov(&r->YplusX, &p->YplusX, b);
  fe_cmov(&r->YminusX, &p->YminusX, b);
  fe_cmov(&r->Z, &p->Z, b);
  fe_cmov(&r->T2d, &p->T2d, b);
}

static inline void ge_niels_cmov(ge_niels *r, const ge_niels *p, uint64_t b) {
  fe_cmov(&r->yplusx, &p->yplusx, b);
  fe_cmov(&r->yminusx, &p->yminusx, b);
  fe_cmov(&r->xy2d, &p->xy2d, b);
}

/* Packed form of a point (the addon's NativePoint): X, Y, Z, T canonical, 32 bytes each. */
#define GE_PACKED_BYTES 128

static inline void ge_p3_pack(uint8_t out[GE_PACKED_BYTES], const ge_p3 *p) {
  fe_tobytes(out, &p->X);
  fe_tobytes(out + 32, &p->Y);
  fe_tobytes(out + 64, &p->Z);
  fe_tobytes(out + 96, &p->T);
}

static inline void ge_p3_unpack(ge_p3 *p, const uint8_t in[GE_PACKED_BYTES]) {
  fe_frombytes(&p->X, in);
  fe_frombytes(&p->Y, in + 32);
  fe_frombytes(&p->Z, in + 64);
  fe_frombytes(&p->T, in + 96);
}

/* ---- defined in edwards.c ---- */

/* The standard generator (RFC 9496 §4.4 / RFC 8032 §5.1). */
void ge_p3_generator(ge_p3 *g);

/* Affine niels forms of n points with one inversion (scratch: 2n field elements). */
void ge_p3_batch_to_niels(ge_niels *out, const ge_p3 *in, fe *scratch, size_t n);

/* Fixed-base comb table: 32 rows × 8 entries, row i entry j = (j+1)·256^i·P. */
#define GE_TABLE_ROWS 32
#define GE_TABLE_COLS 8
#define GE_TABLE_ENTRIES (GE_TABLE_ROWS * GE_TABLE_COLS)
/* Returns 0 on success, -1 if out of memory. */
int ge_table_build(ge_niels table[GE_TABLE_ENTRIES], const ge_p3 *p);

/* r = s·B with the table of B; s any 256-bit integer. Constant-time. */
void ge_mul_table(ge_p3 *r, const ge_niels *table, const uint8_t s[32]);
/* r = s·B for s < 2^(4·(windows − 1)) (a public bound), 1 ≤ windows ≤ 64. Constant-time in s. */
void ge_mul_table_windows(ge_p3 *r, const ge_niels *table, const uint8_t s[32], int windows);

/* r = s·p, s any 256-bit integer. Constant-time. */
void ge_mul_ct(ge_p3 *r, const ge_p3 *p, const uint8_t s[32]);

/* r = s·p, s any 256-bit integer. Variable-time (public data only). */
void ge_mul_vartime(ge_p3 *r, const ge_p3 *p, const uint8_t s[32]);

/* Odd multiples B, 3B, ..., 127B of a point, affine, for width-8 NAF. */
#define GE_ODD_MULTIPLES 64
int ge_odd_multiples_niels(ge_niels out[GE_ODD_MULTIPLES], const ge_p3 *p);

/* r = a·p + b·B where `odd_b` holds the odd multiples of B. Variable-time. */
void ge_double_mul_vartime(ge_p3 *r, const uint8_t a[32], const ge_p3 *p, const uint8_t b[32],
                           const ge_niels odd_b[GE_ODD_MULTIPLES]);

#endif
