/*
 * Variable-time multi-scalar multiplication (docs/spec.md §5.6): the sums
 * behind batch verification and tallies. Public scalars and points only:
 * branches and memory accesses depend on the scalars.
 *
 * - Few terms: Straus's interleaved method with width-5 NAFs (one shared
 *   doubling chain, a table of 8 odd multiples per point).
 * - Many terms: Pippenger's bucket method (Bernstein, Doumen, Lange, Oosterwijk,
 *   "Faster batch forgery identification", INDOCRYPT 2012, §4) with signed
 *   base-2^c digits, so a window needs only 2^(c-1) buckets; c grows with n.
 */
#include <stdlib.h>

#include "msm.h"
#include "scalar.h"

/* Below this many terms Straus beats Pippenger (measured: the curves cross near 190 terms,
 * as in curve25519-dalek). */
#define STRAUS_MAX_TERMS 190

static int msm_straus(ge_p3 *r, const uint8_t *reduced, const ge_p3 *pts, size_t n) {
  ge_cached *tables = malloc(sizeof(ge_cached) * 8 * n);
  int8_t *nafs = malloc((size_t)256 * n);
  if (tables == NULL || nafs == NULL) {
    free(tables);
    free(nafs);
    return -1;
  }
  int top = 0;
  for (size_t j = 0; j < n; j++) {
    const int t = sc_naf(nafs + 256 * j, reduced + 32 * j, 5);
    if (t > top) top = t;
    if (t == 0) continue;
    /* P, 3P, ..., 15P */
    ge_cached *odd = tables + 8 * j;
    ge_p3 p2, cur;
    ge_p1p1 s;
    ge_cached p2c;
    ge_p3_dbl(&s, &pts[j]);
    ge_p1p1_to_p3(&p2, &s);
    ge_p3_to_cached(&p2c, &p2);
    cur = pts[j];
    ge_p3_to_cached(&odd[0], &cur);
    for (int k = 1; k < 8; k++) {
      ge_add(&s, &cur, &p2c);
      ge_p1p1_to_p3(&cur, &s);
      ge_p3_to_cached(&odd[k], &cur);
    }
  }
  if (top == 0) {
    ge_p3_0(r);
    free(tables);
    free(nafs);
    return 0;
  }
  ge_p2 q;
  ge_p3 u;
  ge_p1p1 t;
  fe_0(&q.X);
  fe_1(&q.Y);
  fe_1(&q.Z);
  for (int i = top - 1; i >= 0; i--) {
    ge_p2_dbl(&t, &q);
    for (size_t j = 0; j < n; j++) {
      const int d = nafs[256 * j + (size_t)i];
      if (d > 0) {
        ge_p1p1_to_p3(&u, &t);
        ge_add(&t, &u, &tables[8 * j + (size_t)(d / 2)]);
      } else if (d < 0) {
        ge_p1p1_to_p3(&u, &t);
        ge_sub(&t, &u, &tables[8 * j + (size_t)(-d / 2)]);
      }
    }
    if (i > 0) ge_p1p1_to_p2(&q, &t);
  }
  ge_p1p1_to_p3(r, &t);
  free(tables);
  free(nafs);
  return 0;
}

/*
 * The window minimising the number of point additions: ceil(254/c) windows,
 * each costing about n bucket additions plus 2·2^(c-1) to sum the buckets.
 */
static int msm_window(size_t n) {
  int best = 4;
  double best_cost = 0;
  for (int c = 4; c <= 15; c++) {
    const double windows = (double)((254 + c - 1) / c);
    const double cost = windows * ((double)n + (double)((size_t)1 << c));
    if (c == 4 || cost < best_cost) {
      best = c;
      best_cost = cost;
    }
  }
  return best;
}

static int msm_pippenger(ge_p3 *r, const uint8_t *reduced, const ge_p3 *pts, size_t n) {
  const int c = msm_window(n);
  const int windows = (254 + c - 1) / c;
  const size_t nbuckets = (size_t)1 << (c - 1);
  int16_t *digits = malloc(sizeof(int16_t) * (size_t)windows * n);
  ge_niels *affine = malloc(sizeof(ge_niels) * n);
  fe *scratch = malloc(sizeof(fe) * 2 * n);
  ge_p3 *buckets = malloc(sizeof(ge_p3) * nbuckets);
  uint8_t *used = malloc(nbuckets);
  if (digits == NULL || affine == NULL || scratch == NULL || buckets == NULL || used == NULL) {
    free(digits);
    free(affine);
    free(scratch);
    free(buckets);
    free(used);
    return -1;
  }
  for (size_t i = 0; i < n; i++) sc_signed_digits(digits + i, n, reduced + 32 * i, c, windows);
  /* Affine points (one shared inversion) make every bucket addition a mixed
   * addition, one multiplication cheaper, and take less memory to stream. */
  ge_p3_batch_to_niels(affine, pts, scratch, n);
  free(scratch);
  ge_p3 acc;
  ge_p3_0(&acc);
  for (int k = windows - 1; k >= 0; k--) {
    const int16_t *dk = digits + (size_t)k * n;
    memset(used, 0, nbuckets);
    ge_p1p1 t;
    for (size_t i = 0; i < n; i++) {
      const int d = dk[i];
      if (d == 0) continue;
      const size_t b = (size_t)(d > 0 ? d : -d) - 1;
      if (!used[b]) {
        /* First point in this bucket: start from the identity. */
        ge_p3_0(&buckets[b]);
        used[b] = 1;
      }
      if (d > 0)
        ge_madd(&t, &buckets[b], &affine[i]);
      else
        ge_msub(&t, &buckets[b], &affine[i]);
      ge_p1p1_to_p3(&buckets[b], &t);
    }
    /* sum_b (b+1)·bucket[b] by running sums, from the top bucket down. */
    ge_p3 running, sum;
    int have_running = 0, have_sum = 0;
    for (size_t b = nbuckets; b-- > 0;) {
      if (used[b]) {
        if (have_running) {
          ge_p3_add(&running, &running, &buckets[b]);
        } else {
          running = buckets[b];
          have_running = 1;
        }
      }
      if (have_running) {
        if (have_sum) {
          ge_p3_add(&sum, &sum, &running);
        } else {
          sum = running;
          have_sum = 1;
        }
      }
    }
    if (k != windows - 1) ge_p3_mul_pow2(&acc, &acc, c);
    if (have_sum) ge_p3_add(&acc, &acc, &sum);
  }
  *r = acc;
  free(digits);
  free(affine);
  free(buckets);
  free(used);
  return 0;
}

int ge_msm_vartime(ge_p3 *r, const uint8_t *scalars, const ge_p3 *pts, size_t n) {
  if (n == 0) {
    ge_p3_0(r);
    return 0;
  }
  uint8_t *reduced = malloc((size_t)32 * n);
  if (reduced == NULL) return -1;
  for (size_t i = 0; i < n; i++) sc_reduce(reduced + 32 * i, scalars + 32 * i);
  const int rc = n < STRAUS_MAX_TERMS ? msm_straus(r, reduced, pts, n)
                                      : msm_pippenger(r, reduced, pts, n);
  free(reduced);
  return rc;
}
