/*
 * Variable-time multi-scalar multiplication sum s_i·P_i (docs/spec.md §5.6
 * batch verification; public data only).
 */
#ifndef ACTA_MSM_H
#define ACTA_MSM_H

#include "edwards.h"

/*
 * r = sum scalars[i]·pts[i] for n terms; scalars are n 32-byte little-endian
 * integers of any value < 2^256 (reduced mod L here). Variable-time.
 * Returns 0, or -1 if out of memory.
 */
int ge_msm_vartime(ge_p3 *r, const uint8_t *scalars, const ge_p3 *pts, size_t n);

#endif
