/*
 * Scalar multiplication on the Edwards curve of ristretto255 (RFC 9496 §4;
 * docs/spec.md §1.2). Which functions are constant-time is stated on each:
 *
 * - ge_mul_table and ge_mul_ct take SECRET scalars (nonces, keys, votes).
 *   They recode the reduced scalar into 64 signed radix-16 digits, read table
 *   entries with a full scan and masked conditional moves (never an address
 *   that depends on a digit), negate by mask, and always run the same number
 *   of additions and doublings. No branch depends on the scalar.
 * - ge_mul_vartime and ge_double_mul_vartime use width-w NAF with branches
 *   and table indices that depend on the scalar: PUBLIC scalars only
 *   (verification, tallying).
 *
 * Algorithms: ref10 (Bernstein, Duif, Lange, Schwabe, Yang, "High-speed
 * high-security signatures", CHES 2011) for the fixed-base comb; Straus/NAF
 * as in curve25519-dalek for the others.
 */
#include <stdlib.h>

#include "edwards.h"
#include "scalar.h"

static const fe FE_BX = {
    {0x62d608f25d51aULL, 0x412a4b4f6592aULL, 0x75b7171a4b31dULL, 0x1ff60527118feULL,
     0x216936d3cd6e5ULL}};
static const fe FE_BY = {
    {0x6666666666658ULL, 0x4ccccccccccccULL, 0x1999999999999ULL, 0x3333333333333ULL,
     0x6666666666666ULL}};

/* Overwrites a secret buffer in a way the compiler may not elide. */
static void secure_wipe(void *p, size_t n) {
  volatile uint8_t *v = (volatile uint8_t *)p;
  while (n--) *v++ = 0;
}

void ge_p3_generator(ge_p3 *g) {
  g->X = FE_BX;
  g->Y = FE_BY;
  fe_1(&g->Z);
  fe_mul(&g->T, &FE_BX, &FE_BY);
}

void ge_p3_batch_to_niels(ge_niels *out, const ge_p3 *in, fe *scratch, size_t n) {
  fe *zinv = scratch;
  for (size_t i = 0; i < n; i++) zinv[i] = in[i].Z;
  fe_batch_invert(zinv, zinv, scratch + n, n);
  for (size_t i = 0; i < n; i++) {
    fe x, y, xy;
    fe_mul(&x, &in[i].X, &zinv[i]);
    fe_mul(&y, &in[i].Y, &zinv[i]);
    fe_add(&out[i].yplusx, &y, &x);
    fe_weak_reduce(&out[i].yplusx);
    fe_sub(&out[i].yminusx, &y, &x);
    fe_mul(&xy, &x, &y);
    fe_mul(&out[i].xy2d, &xy, &FE_D2);
  }
}

int ge_table_build(ge_niels table[GE_TABLE_ENTRIES], const ge_p3 *p) {
  ge_p3 *pts = malloc(sizeof(ge_p3) * GE_TABLE_ENTRIES);
  fe *scratch = malloc(sizeof(fe) * 2 * GE_TABLE_ENTRIES);
  if (pts == NULL || scratch == NULL) {
    free(pts);
    free(scratch);
    return -1;
  }
  ge_p3 base = *p;
  for (int i = 0; i < GE_TABLE_ROWS; i++) {
    ge_cached base_cached;
    ge_p1p1 t;
    ge_p3_to_cached(&base_cached, &base);
    ge_p3 *row = pts + i * GE_TABLE_COLS;
    row[0] = base;
    for (int j = 1; j < GE_TABLE_COLS; j++) {
      ge_add(&t, &row[j - 1], &base_cached);
      ge_p1p1_to_p3(&row[j], &t);
    }
    /* Next base: 256·base = 32·(8·base). */
    if (i + 1 < GE_TABLE_ROWS) ge_p3_mul_pow2(&base, &row[GE_TABLE_COLS - 1], 5);
  }
  ge_p3_batch_to_niels(table, pts, scratch, GE_TABLE_ENTRIES);
  free(pts);
  free(scratch);
  return 0;
}

/* 1 if a == b, else 0, without a branch. */
static inline uint64_t ct_eq_u64(uint64_t a, uint64_t b) {
  const uint64_t x = a ^ b;
  return ((x | (0 - x)) >> 63) ^ 1;
}

/* |b| and the sign of b, without a branch. */
static inline void ct_abs_digit(uint64_t *abs, uint64_t *neg, int8_t b) {
  const uint64_t ub = (uint64_t)(int64_t)b;
  *neg = ub >> 63;
  *abs = (ub ^ (0 - *neg)) + *neg;
}

/* t = b·(row entry), reading all 8 entries (constant-time lookup). */
static void select_niels(ge_niels *t, const ge_niels row[GE_TABLE_COLS], int8_t b) {
  uint64_t babs, neg;
  ct_abs_digit(&babs, &neg, b);
  ge_niels_0(t);
  for (uint64_t j = 0; j < GE_TABLE_COLS; j++) ge_niels_cmov(t, &row[j], ct_eq_u64(babs, j + 1));
  ge_niels minus;
  minus.yplusx = t->yminusx;
  minus.yminusx = t->yplusx;
  fe_neg(&minus.xy2d, &t->xy2d);
  ge_niels_cmov(t, &minus, neg);
}

static void select_cached(ge_cached *t, const ge_cached table[8], int8_t b) {
  uint64_t babs, neg;
  ct_abs_digit(&babs, &neg, b);
  ge_cached_0(t);
  for (uint64_t j = 0; j < 8; j++) ge_cached_cmov(t, &table[j], ct_eq_u64(babs, j + 1));
  ge_cached minus;
  minus.YplusX = t->YminusX;
  minus.YminusX = t->YplusX;
  minus.Z = t->Z;
  fe_neg(&minus.T2d, &t->T2d);
  ge_cached_cmov(t, &minus, neg);
}

/*
 * Fixed-base comb (ref10 ge_scalarmult_base): with s = sum e[i]·16^i,
 * s·B = sum_{i odd} e[i]·16^i·B + sum_{i even} e[i]·16^i·B, and 16^(2k)·B is
 * row k of the table. 64 mixed additions and 4 doublings. Constant-time.
 */
void ge_mul_table(ge_p3 *r, const ge_niels *table, const uint8_t s[32]) {
  ge_mul_table_windows(r, table, s, 64);
}

/*
 * The comb restricted to the lowest `windows` signed radix-16 digits, for a
 * scalar known (publicly) to be below 2^(4·(windows − 1)), e.g. a plaintext
 * count: the signed digits above are then all 0 (the recoding carries at most
 * one digit past the top nibble), so skipping them changes nothing. The
 * work depends only on `windows`, not on the scalar: constant-time in s.
 */
void ge_mul_table_windows(ge_p3 *r, const ge_niels *table, const uint8_t s[32], int windows) {
  uint8_t a[32];
  int8_t e[64];
  ge_p3 h;
  ge_p1p1 t;
  ge_p2 q;
  ge_niels sel;
  sc_reduce(a, s);
  sc_recode_radix16(e, a);
  ge_p3_0(&h);
  for (int i = 1; i < windows; i += 2) {
    select_niels(&sel, table + (i / 2) * GE_TABLE_COLS, e[i]);
    ge_madd(&t, &h, &sel);
    ge_p1p1_to_p3(&h, &t);
  }
  ge_p3_dbl(&t, &h);
  ge_p1p1_to_p2(&q, &t);
  ge_p2_dbl(&t, &q);
  ge_p1p1_to_p2(&q, &t);
  ge_p2_dbl(&t, &q);
  ge_p1p1_to_p2(&q, &t);
  ge_p2_dbl(&t, &q);
  ge_p1p1_to_p3(&h, &t);
  for (int i = 0; i < windows; i += 2) {
    select_niels(&sel, table + (i / 2) * GE_TABLE_COLS, e[i]);
    ge_madd(&t, &h, &sel);
    ge_p1p1_to_p3(&h, &t);
  }
  *r = h;
  secure_wipe(a, sizeof a);
  secure_wipe(e, sizeof e);
  secure_wipe(&sel, sizeof sel);
}

/*
 * Variable-base constant-time multiplication (curve25519-dalek's
 * variable_base::mul): a table of P..8P, then Horner's rule over the 64
 * signed radix-16 digits, each step 4 doublings and one table addition,
 * with the masked lookup above. Constant-time.
 */
void ge_mul_ct(ge_p3 *r, const ge_p3 *p, const uint8_t s[32]) {
  uint8_t a[32];
  int8_t e[64];
  ge_cached table[8], sel;
  ge_p3 cur, h;
  ge_p1p1 t;
  ge_p2 q;
  ge_p3_to_cached(&table[0], p);
  cur = *p;
  for (int j = 1; j < 8; j++) {
    ge_add(&t, &cur, &table[0]);
    ge_p1p1_to_p3(&cur, &t);
    ge_p3_to_cached(&table[j], &cur);
  }
  sc_reduce(a, s);
  sc_recode_radix16(e, a);
  ge_p3_0(&h);
  select_cached(&sel, table, e[63]);
  ge_add(&t, &h, &sel);
  for (int i = 62; i >= 0; i--) {
    ge_p1p1_to_p2(&q, &t);
    ge_p2_dbl(&t, &q);
    ge_p1p1_to_p2(&q, &t);
    ge_p2_dbl(&t, &q);
    ge_p1p1_to_p2(&q, &t);
    ge_p2_dbl(&t, &q);
    ge_p1p1_to_p2(&q, &t);
    ge_p2_dbl(&t, &q);
    ge_p1p1_to_p3(&h, &t);
    select_cached(&sel, table, e[i]);
    ge_add(&t, &h, &sel);
  }
  ge_p1p1_to_p3(r, &t);
  secure_wipe(a, sizeof a);
  secure_wipe(e, sizeof e);
  secure_wipe(&sel, sizeof sel);
}

/* P, 3P, 5P, ..., 15P as cached points (for width-5 NAF). */
static void odd_multiples_cached(ge_cached out[8], const ge_p3 *p) {
  ge_p3 p2, cur;
  ge_p1p1 t;
  ge_cached p2c;
  ge_p3_dbl(&t, p);
  ge_p1p1_to_p3(&p2, &t);
  ge_p3_to_cached(&p2c, &p2);
  cur = *p;
  ge_p3_to_cached(&out[0], &cur);
  for (int j = 1; j < 8; j++) {
    ge_add(&t, &cur, &p2c);
    ge_p1p1_to_p3(&cur, &t);
    ge_p3_to_cached(&out[j], &cur);
  }
}

/* Variable-time: branches on the NAF digits. Public scalars only. */
void ge_mul_vartime(ge_p3 *r, const ge_p3 *p, const uint8_t s[32]) {
  uint8_t a[32];
  int8_t naf[256];
  ge_cached odd[8];
  sc_reduce(a, s);
  const int top = sc_naf(naf, a, 5);
  if (top == 0) {
    ge_p3_0(r);
    return;
  }
  odd_multiples_cached(odd, p);
  ge_p2 q;
  ge_p3 u;
  ge_p1p1 t;
  fe_0(&q.X);
  fe_1(&q.Y);
  fe_1(&q.Z);
  for (int i = top - 1; i >= 0; i--) {
    ge_p2_dbl(&t, &q);
    const int d = naf[i];
    if (d > 0) {
      ge_p1p1_to_p3(&u, &t);
      ge_add(&t, &u, &odd[d / 2]);
    } else if (d < 0) {
      ge_p1p1_to_p3(&u, &t);
      ge_sub(&t, &u, &odd[-d / 2]);
    }
    if (i > 0) ge_p1p1_to_p2(&q, &t);
  }
  ge_p1p1_to_p3(r, &t);
}

int ge_odd_multiples_niels(ge_niels out[GE_ODD_MULTIPLES], const ge_p3 *p) {
  ge_p3 pts[GE_ODD_MULTIPLES];
  fe scratch[2 * GE_ODD_MULTIPLES];
  ge_p3 p2;
  ge_p1p1 t;
  ge_cached p2c;
  ge_p3_dbl(&t, p);
  ge_p1p1_to_p3(&p2, &t);
  ge_p3_to_cached(&p2c, &p2);
  pts[0] = *p;
  for (int j = 1; j < GE_ODD_MULTIPLES; j++) {
    ge_add(&t, &pts[j - 1], &p2c);
    ge_p1p1_to_p3(&pts[j], &t);
  }
  ge_p3_batch_to_niels(out, pts, scratch, GE_ODD_MULTIPLES);
  return 0;
}

/* a·P + b·B by interleaved NAFs (width 5 for P, width 8 for B). Variable-time. */
void ge_double_mul_vartime(ge_p3 *r, const uint8_t a_in[32], const ge_p3 *p,
                           const uint8_t b_in[32], const ge_niels odd_b[GE_ODD_MULTIPLES]) {
  uint8_t a[32], b[32];
  int8_t naf_a[256], naf_b[256];
  ge_cached odd_a[8];
  sc_reduce(a, a_in);
  sc_reduce(b, b_in);
  const int top_a = sc_naf(naf_a, a, 5);
  const int top_b = sc_naf(naf_b, b, 8);
  const int top = top_a > top_b ? top_a : top_b;
  if (top == 0) {
    ge_p3_0(r);
    return;
  }
  if (top_a > 0) odd_multiples_cached(odd_a, p);
  ge_p2 q;
  ge_p3 u;
  ge_p1p1 t;
  fe_0(&q.X);
  fe_1(&q.Y);
  fe_1(&q.Z);
  for (int i = top - 1; i >= 0; i--) {
    ge_p2_dbl(&t, &q);
    const int da = naf_a[i], db = naf_b[i];
    if (da > 0) {
      ge_p1p1_to_p3(&u, &t);
      ge_add(&t, &u, &odd_a[da / 2]);
    } else if (da < 0) {
      ge_p1p1_to_p3(&u, &t);
      ge_sub(&t, &u, &odd_a[-da / 2]);
    }
    if (db > 0) {
      ge_p1p1_to_p3(&u, &t);
      ge_madd(&t, &u, &odd_b[db / 2]);
    } else if (db < 0) {
      ge_p1p1_to_p3(&u, &t);
      ge_msub(&t, &u, &odd_b[-db / 2]);
    }
    if (i > 0) ge_p1p1_to_p2(&q, &t);
  }
  ge_p1p1_to_p3(r, &t);
}
