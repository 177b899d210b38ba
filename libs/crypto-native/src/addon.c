/*
 * The Node-API face of Acta's native ristretto255 kernel (docs/spec.md §1.2,
 * §2.1, §2.4; RFC 9496). libs/crypto/src/group.ts calls these functions
 * through index.js; the API is declared in ../index.d.ts.
 *
 * - Points cross the boundary as opaque 128-byte Uint8Arrays (the canonical
 *   bytes of the extended coordinates X, Y, Z, T), fixed-base tables as
 *   Uint8Arrays with a magic header followed by 32×8 affine niels entries.
 * - Every argument is checked (type, length, table magic); misuse throws a
 *   TypeError or RangeError and never touches memory outside the buffers.
 * - Every returned buffer is fresh: its bytes are its own and no other
 *   result ever overlaps them (small results are views into a shared slab,
 *   see new_small_bytes).
 * - The module is context-aware (NAPI_MODULE_INIT): each environment (main
 *   thread, worker) builds its own generator tables at load time and frees
 *   them when it shuts down; there is no other state.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <node_api.h>

#include "edwards.h"
#include "msm.h"
#include "ristretto.h"
#include "scalar.h"

#define ACTA_NATIVE_VERSION "0.1.0"

#define POINT_BYTES GE_PACKED_BYTES
#define ENCODING_BYTES 32
#define SCALAR_BYTES 32
#define UNIFORM_BYTES 64
#define TABLE_HEADER_BYTES 16
#define TABLE_BYTES (TABLE_HEADER_BYTES + GE_TABLE_ENTRIES * sizeof(ge_niels))

/* "ACTAFBT1" + format word (rows, cols, entry size) + reserved. */
static const uint8_t TABLE_MAGIC[TABLE_HEADER_BYTES] = {
    'A', 'C', 'T', 'A', 'F', 'B', 'T', '1', GE_TABLE_ROWS, GE_TABLE_COLS, (uint8_t)sizeof(ge_niels),
    0, 0, 0, 0, 0};

/*
 * Small results (points, encodings) are carved out of a shared slab: Node 20
 * spends about 2 µs creating an ArrayBuffer of its own for every 128-byte
 * result, more than an addition costs, while a view into an existing buffer
 * costs about 0.1 µs. Views never overlap; a slab lives as long as any view of
 * it does (SLAB_BYTES bounds what one long-lived point keeps alive).
 */
#define SLAB_BYTES 16384

typedef struct {
  ge_niels gen_table[GE_TABLE_ENTRIES];
  ge_niels gen_odd[GE_ODD_MULTIPLES];
  napi_ref slab;      /* the current slab (NULL until the first small result) */
  uint8_t *slab_data; /* its contents */
  size_t slab_used;   /* bytes already handed out */
} acta_state;

/* ---------------------------------------------------------------- helpers */

static void throw_if_none_pending(napi_env env, const char *msg) {
  bool pending = false;
  if (napi_is_exception_pending(env, &pending) == napi_ok && !pending)
    napi_throw_error(env, NULL, msg);
}

static napi_value throw_type(napi_env env, const char *msg) {
  napi_throw_type_error(env, NULL, msg);
  return NULL;
}

static napi_value throw_range(napi_env env, const char *msg) {
  napi_throw_range_error(env, NULL, msg);
  return NULL;
}

static napi_value throw_oom(napi_env env) {
  napi_throw_error(env, "ERR_ACTA_NATIVE_OUT_OF_MEMORY", "acta_native: out of memory");
  return NULL;
}

/* Reads up to `max` arguments; throws unless at least `min` were passed. */
static int get_args(napi_env env, napi_callback_info info, size_t min, size_t max,
                    napi_value *argv, void **data) {
  size_t argc = max;
  if (napi_get_cb_info(env, info, &argc, argv, NULL, data) != napi_ok) {
    throw_if_none_pending(env, "acta_native: cannot read the arguments");
    return 0;
  }
  if (argc < min) {
    throw_type(env, "acta_native: missing argument");
    return 0;
  }
  return 1;
}

/* A Uint8Array argument (a Buffer is one too). Throws TypeError otherwise. */
static int get_bytes(napi_env env, napi_value v, const char *type_msg, const uint8_t **data,
                     size_t *len) {
  bool is_ta = false;
  if (napi_is_typedarray(env, v, &is_ta) != napi_ok || !is_ta) {
    throw_type(env, type_msg);
    return 0;
  }
  napi_typedarray_type type;
  size_t length = 0, offset = 0;
  void *ptr = NULL;
  napi_value ab;
  if (napi_get_typedarray_info(env, v, &type, &length, &ptr, &ab, &offset) != napi_ok) {
    throw_if_none_pending(env, "acta_native: cannot read a typed array");
    return 0;
  }
  if (type != napi_uint8_array) {
    throw_type(env, type_msg);
    return 0;
  }
  *data = (const uint8_t *)ptr;
  *len = length;
  return 1;
}

static int get_exact(napi_env env, napi_value v, size_t n, const char *type_msg,
                     const char *len_msg, const uint8_t **data) {
  size_t len;
  if (!get_bytes(env, v, type_msg, data, &len)) return 0;
  if (len != n) {
    throw_range(env, len_msg);
    return 0;
  }
  return 1;
}

static int get_point(napi_env env, napi_value v, ge_p3 *p) {
  const uint8_t *d;
  if (!get_exact(env, v, POINT_BYTES, "acta_native: a point must be a Uint8Array",
                 "acta_native: a point must be POINT_BYTES (128) bytes", &d))
    return 0;
  ge_p3_unpack(p, d);
  return 1;
}

static int get_scalar(napi_env env, napi_value v, const uint8_t **s) {
  return get_exact(env, v, SCALAR_BYTES, "acta_native: a scalar must be a Uint8Array",
                   "acta_native: a scalar must be 32 bytes", s);
}

/* A fresh Uint8Array of n bytes (zero-filled); *data points at its contents. */
static napi_value new_bytes(napi_env env, size_t n, uint8_t **data) {
  napi_value ab, ta;
  void *ptr = NULL;
  if (napi_create_arraybuffer(env, n, &ptr, &ab) != napi_ok ||
      napi_create_typedarray(env, napi_uint8_array, n, ab, 0, &ta) != napi_ok) {
    throw_if_none_pending(env, "acta_native: cannot allocate a Uint8Array");
    return NULL;
  }
  *data = (uint8_t *)ptr;
  return ta;
}

/*
 * A fresh n-byte view (n ≤ 128, a multiple of 32) into the environment's
 * current slab, starting a new slab when it is full. Not zero-filled: every
 * caller writes all n bytes.
 */
static napi_value new_small_bytes(napi_env env, size_t n, uint8_t **data) {
  acta_state *st = NULL;
  if (napi_get_instance_data(env, (void **)&st) != napi_ok || st == NULL) {
    throw_if_none_pending(env, "acta_native: the module state is missing");
    return NULL;
  }
  napi_value ab, ta;
  if (st->slab == NULL || st->slab_used + n > SLAB_BYTES) {
    void *ptr = NULL;
    napi_ref ref;
    if (napi_create_arraybuffer(env, SLAB_BYTES, &ptr, &ab) != napi_ok ||
        napi_create_reference(env, ab, 1, &ref) != napi_ok) {
      throw_if_none_pending(env, "acta_native: cannot allocate a Uint8Array");
      return NULL;
    }
    if (st->slab != NULL) napi_delete_reference(env, st->slab);
    st->slab = ref;
    st->slab_data = ptr;
    st->slab_used = 0;
  } else if (napi_get_reference_value(env, st->slab, &ab) != napi_ok || ab == NULL) {
    throw_if_none_pending(env, "acta_native: cannot allocate a Uint8Array");
    return NULL;
  }
  if (napi_create_typedarray(env, napi_uint8_array, n, ab, st->slab_used, &ta) != napi_ok) {
    throw_if_none_pending(env, "acta_native: cannot allocate a Uint8Array");
    return NULL;
  }
  *data = st->slab_data + st->slab_used;
  st->slab_used += n;
  return ta;
}

static napi_value return_point(napi_env env, const ge_p3 *p) {
  uint8_t *d;
  napi_value out = new_small_bytes(env, POINT_BYTES, &d);
  if (out != NULL) ge_p3_pack(d, p);
  return out;
}

/* Unpacks n concatenated points into a fresh array (NULL for n = 0). */
static int unpack_points(napi_env env, napi_value v, ge_p3 **pts, size_t *n) {
  const uint8_t *d;
  size_t len;
  if (!get_bytes(env, v, "acta_native: points must be a Uint8Array", &d, &len)) return 0;
  if (len % POINT_BYTES != 0) {
    throw_range(env, "acta_native: points must be a multiple of POINT_BYTES (128) bytes");
    return 0;
  }
  *n = len / POINT_BYTES;
  *pts = NULL;
  if (*n == 0) return 1;
  *pts = malloc(sizeof(ge_p3) * *n);
  if (*pts == NULL) {
    throw_oom(env);
    return 0;
  }
  for (size_t i = 0; i < *n; i++) ge_p3_unpack(&(*pts)[i], d + POINT_BYTES * i);
  return 1;
}

/* --------------------------------------------------------------- exports */

static napi_value js_identity(napi_env env, napi_callback_info info) {
  (void)info;
  ge_p3 p;
  ge_p3_0(&p);
  return return_point(env, &p);
}

static napi_value js_generator(napi_env env, napi_callback_info info) {
  (void)info;
  ge_p3 p;
  ge_p3_generator(&p);
  return return_point(env, &p);
}

static napi_value js_generator_table(napi_env env, napi_callback_info info) {
  void *data;
  if (!get_args(env, info, 0, 0, NULL, &data)) return NULL;
  const acta_state *st = data;
  uint8_t *d;
  napi_value out = new_bytes(env, TABLE_BYTES, &d);
  if (out == NULL) return NULL;
  memcpy(d, TABLE_MAGIC, TABLE_HEADER_BYTES);
  memcpy(d + TABLE_HEADER_BYTES, st->gen_table, sizeof st->gen_table);
  return out;
}

/* Variable-time (public encodings). */
static napi_value js_decode(napi_env env, napi_callback_info info) {
  napi_value argv[1];
  const uint8_t *enc;
  if (!get_args(env, info, 1, 1, argv, NULL)) return NULL;
  if (!get_exact(env, argv[0], ENCODING_BYTES, "acta_native: an encoding must be a Uint8Array",
                 "acta_native: an encoding must be 32 bytes", &enc))
    return NULL;
  ge_p3 p;
  if (!ristretto_decode(&p, enc)) {
    napi_value null_value;
    napi_get_null(env, &null_value);
    return null_value;
  }
  return return_point(env, &p);
}

static napi_value js_decode_batch(napi_env env, napi_callback_info info) {
  napi_value argv[3];
  const uint8_t *enc, *out_c, *ok_c;
  size_t enc_len, out_len, ok_len;
  if (!get_args(env, info, 3, 3, argv, NULL)) return NULL;
  if (!get_bytes(env, argv[0], "acta_native: encodings must be a Uint8Array", &enc, &enc_len) ||
      !get_bytes(env, argv[1], "acta_native: out must be a Uint8Array", &out_c, &out_len) ||
      !get_bytes(env, argv[2], "acta_native: ok must be a Uint8Array", &ok_c, &ok_len))
    return NULL;
  if (enc_len % ENCODING_BYTES != 0)
    return throw_range(env, "acta_native: encodings must be a multiple of 32 bytes");
  const size_t n = enc_len / ENCODING_BYTES;
  if (out_len != n * POINT_BYTES)
    return throw_range(env, "acta_native: out must be n·POINT_BYTES bytes for n encodings");
  if (ok_len != n) return throw_range(env, "acta_native: ok must be n bytes for n encodings");
  uint8_t *out = (uint8_t *)out_c, *ok = (uint8_t *)ok_c;
  uint8_t *copy = NULL;
  if (n > 0) {
    /* The caller may pass overlapping views: decode from a private copy. */
    copy = malloc(enc_len);
    if (copy == NULL) return throw_oom(env);
    memcpy(copy, enc, enc_len);
  }
  double valid = 0;
  for (size_t i = 0; i < n; i++) {
    ge_p3 p;
    const int good = ristretto_decode(&p, copy + ENCODING_BYTES * i);
    if (!good) ge_p3_0(&p); /* invalid slots hold the identity, never garbage */
    ge_p3_pack(out + POINT_BYTES * i, &p);
    ok[i] = (uint8_t)good;
    valid += good;
  }
  free(copy);
  napi_value result;
  napi_create_double(env, valid, &result);
  return result;
}

static napi_value js_encode(napi_env env, napi_callback_info info) {
  napi_value argv[1];
  ge_p3 p;
  if (!get_args(env, info, 1, 1, argv, NULL) || !get_point(env, argv[0], &p)) return NULL;
  uint8_t *d;
  napi_value out = new_small_bytes(env, ENCODING_BYTES, &d);
  if (out != NULL) ristretto_encode(d, &p);
  return out;
}

static napi_value js_encode_batch(napi_env env, napi_callback_info info) {
  napi_value argv[1];
  const uint8_t *pts;
  size_t len;
  if (!get_args(env, info, 1, 1, argv, NULL) ||
      !get_bytes(env, argv[0], "acta_native: points must be a Uint8Array", &pts, &len))
    return NULL;
  if (len % POINT_BYTES != 0)
    return throw_range(env, "acta_native: points must be a multiple of POINT_BYTES (128) bytes");
  const size_t n = len / POINT_BYTES;
  uint8_t *d;
  napi_value out = new_bytes(env, n * ENCODING_BYTES, &d);
  if (out == NULL) return NULL;
  for (size_t i = 0; i < n; i++) {
    ge_p3 p;
    ge_p3_unpack(&p, pts + POINT_BYTES * i);
    ristretto_encode(d + ENCODING_BYTES * i, &p);
  }
  return out;
}

/*
 * Encodings of 2·P_i (one shared inversion). With a second argument of
 * n·POINT_BYTES bytes, the doubled points themselves are written there too,
 * so a caller needs no further call per point.
 */
static napi_value js_double_and_encode_batch(napi_env env, napi_callback_info info) {
  napi_value argv[2];
  size_t argc = 2;
  ge_p3 *pts;
  size_t n;
  uint8_t *doubled = NULL;
  if (napi_get_cb_info(env, info, &argc, argv, NULL, NULL) != napi_ok) {
    throw_if_none_pending(env, "acta_native: cannot read the arguments");
    return NULL;
  }
  if (argc < 1) return throw_type(env, "acta_native: missing argument");
  if (!unpack_points(env, argv[0], &pts, &n)) return NULL;
  napi_valuetype second = napi_undefined;
  if (argc >= 2 && napi_typeof(env, argv[1], &second) != napi_ok) second = napi_undefined;
  if (second != napi_undefined) {
    const uint8_t *d2;
    size_t len2;
    if (!get_bytes(env, argv[1], "acta_native: the doubled-points output must be a Uint8Array",
                   &d2, &len2)) {
      free(pts);
      return NULL;
    }
    if (len2 != n * POINT_BYTES) {
      free(pts);
      return throw_range(env, "acta_native: the doubled-points output must be n·POINT_BYTES bytes");
    }
    doubled = (uint8_t *)d2;
  }
  uint8_t *d;
  napi_value out = new_bytes(env, n * ENCODING_BYTES, &d);
  if (out != NULL && ristretto_double_and_encode_batch(d, pts, n) != 0) out = throw_oom(env);
  if (out != NULL && doubled != NULL) {
    /* Written only after every input was read: the output may alias the input. */
    for (size_t i = 0; i < n; i++) {
      ge_p1p1 t;
      ge_p3 r;
      ge_p3_dbl(&t, &pts[i]);
      ge_p1p1_to_p3(&r, &t);
      ge_p3_pack(doubled + POINT_BYTES * i, &r);
    }
  }
  free(pts);
  return out;
}

static napi_value js_from_uniform(napi_env env, napi_callback_info info) {
  napi_value argv[1];
  const uint8_t *b;
  if (!get_args(env, info, 1, 1, argv, NULL) ||
      !get_exact(env, argv[0], UNIFORM_BYTES, "acta_native: uniform bytes must be a Uint8Array",
                 "acta_native: fromUniform needs 64 bytes", &b))
    return NULL;
  ge_p3 p;
  ristretto_from_uniform(&p, b);
  return return_point(env, &p);
}

static napi_value js_add(napi_env env, napi_callback_info info) {
  napi_value argv[2];
  ge_p3 p, q, r;
  if (!get_args(env, info, 2, 2, argv, NULL) || !get_point(env, argv[0], &p) ||
      !get_point(env, argv[1], &q))
    return NULL;
  ge_p3_add(&r, &p, &q);
  return return_point(env, &r);
}

static napi_value js_sub(napi_env env, napi_callback_info info) {
  napi_value argv[2];
  ge_p3 p, q, r;
  if (!get_args(env, info, 2, 2, argv, NULL) || !get_point(env, argv[0], &p) ||
      !get_point(env, argv[1], &q))
    return NULL;
  ge_p3_sub(&r, &p, &q);
  return return_point(env, &r);
}

static napi_value js_neg(napi_env env, napi_callback_info info) {
  napi_value argv[1];
  ge_p3 p, r;
  if (!get_args(env, info, 1, 1, argv, NULL) || !get_point(env, argv[0], &p)) return NULL;
  ge_p3_neg(&r, &p);
  return return_point(env, &r);
}

static napi_value js_equals(napi_env env, napi_callback_info info) {
  napi_value argv[2], result;
  ge_p3 p, q;
  if (!get_args(env, info, 2, 2, argv, NULL) || !get_point(env, argv[0], &p) ||
      !get_point(env, argv[1], &q))
    return NULL;
  napi_get_boolean(env, ristretto_equals(&p, &q) != 0, &result);
  return result;
}

static napi_value js_is_identity(napi_env env, napi_callback_info info) {
  napi_value argv[1], result;
  ge_p3 p;
  if (!get_args(env, info, 1, 1, argv, NULL) || !get_point(env, argv[0], &p)) return NULL;
  napi_get_boolean(env, ristretto_is_identity(&p) != 0, &result);
  return result;
}

/* Variable-time: public scalars only. */
static napi_value js_mul_vartime(napi_env env, napi_callback_info info) {
  napi_value argv[2];
  ge_p3 p, r;
  const uint8_t *s;
  if (!get_args(env, info, 2, 2, argv, NULL) || !get_point(env, argv[0], &p) ||
      !get_scalar(env, argv[1], &s))
    return NULL;
  ge_mul_vartime(&r, &p, s);
  return return_point(env, &r);
}

/* Constant-time in the scalar (secrets). */
static napi_value js_mul_ct(napi_env env, napi_callback_info info) {
  napi_value argv[2];
  ge_p3 p, r;
  const uint8_t *s;
  if (!get_args(env, info, 2, 2, argv, NULL) || !get_point(env, argv[0], &p) ||
      !get_scalar(env, argv[1], &s))
    return NULL;
  ge_mul_ct(&r, &p, s);
  return return_point(env, &r);
}

static napi_value js_create_table(napi_env env, napi_callback_info info) {
  napi_value argv[1];
  ge_p3 p;
  if (!get_args(env, info, 1, 1, argv, NULL) || !get_point(env, argv[0], &p)) return NULL;
  ge_niels *table = malloc(sizeof(ge_niels) * GE_TABLE_ENTRIES);
  if (table == NULL) return throw_oom(env);
  if (ge_table_build(table, &p) != 0) {
    free(table);
    return throw_oom(env);
  }
  uint8_t *d;
  napi_value out = new_bytes(env, TABLE_BYTES, &d);
  if (out != NULL) {
    memcpy(d, TABLE_MAGIC, TABLE_HEADER_BYTES);
    memcpy(d + TABLE_HEADER_BYTES, table, sizeof(ge_niels) * GE_TABLE_ENTRIES);
  }
  free(table);
  return out;
}

/* Shared by mulTable and mulTableSmall: `windows` radix-16 digits (64 = all). */
static napi_value mul_table_common(napi_env env, napi_value tv, const uint8_t *s, int windows) {
  const uint8_t *t;
  if (!get_exact(env, tv, TABLE_BYTES, "acta_native: a table must be a Uint8Array",
                 "acta_native: not a fixed-base table (wrong length)", &t))
    return NULL;
  if (memcmp(t, TABLE_MAGIC, TABLE_HEADER_BYTES) != 0)
    return throw_type(env, "acta_native: not a fixed-base table (bad magic)");
  const uint8_t *entries = t + TABLE_HEADER_BYTES;
  ge_niels *aligned = NULL;
  if (((uintptr_t)entries % _Alignof(ge_niels)) != 0) {
    /* A view at an odd offset: work on an aligned copy. */
    aligned = malloc(sizeof(ge_niels) * GE_TABLE_ENTRIES);
    if (aligned == NULL) return throw_oom(env);
    memcpy(aligned, entries, sizeof(ge_niels) * GE_TABLE_ENTRIES);
  }
  ge_p3 r;
  ge_mul_table_windows(&r, aligned != NULL ? aligned : (const ge_niels *)(const void *)entries, s,
                       windows);
  free(aligned);
  return return_point(env, &r);
}

/* Constant-time in the scalar (secrets). */
static napi_value js_mul_table(napi_env env, napi_callback_info info) {
  napi_value argv[2];
  const uint8_t *s;
  if (!get_args(env, info, 2, 2, argv, NULL) || !get_scalar(env, argv[1], &s)) return NULL;
  return mul_table_common(env, argv[0], s, 64);
}

/*
 * mulTable(table, s) for a scalar below a PUBLIC bound 2^bits (a plaintext
 * count, e.g. a vote in {0, 1}): only the radix-16 windows that bound allows
 * are processed. Constant-time in s; the work depends only on `bits`. A scalar
 * at or above the bound is a programming error (RangeError).
 */
static napi_value js_mul_table_small(napi_env env, napi_callback_info info) {
  napi_value argv[3];
  const uint8_t *s;
  int32_t bits;
  if (!get_args(env, info, 3, 3, argv, NULL) || !get_scalar(env, argv[1], &s)) return NULL;
  if (napi_get_value_int32(env, argv[2], &bits) != napi_ok)
    return throw_type(env, "acta_native: bits must be a number");
  if (bits < 1 || bits > 248) return throw_range(env, "acta_native: bits must be in [1, 248]");
  /* s < 2^bits, checked without looking at the bits below the bound. */
  uint8_t high = 0;
  for (int i = bits; i < 256; i++) high |= (uint8_t)((s[i / 8] >> (i % 8)) & 1);
  if (high != 0) return throw_range(env, "acta_native: the scalar is not below 2^bits");
  /* s < 2^bits has ⌈bits/4⌉ nonzero nibbles; signed recoding can carry one
   * digit further (a nibble of 7 plus a carry becomes −8 and carries again). */
  int windows = (bits + 3) / 4 + 1;
  return mul_table_common(env, argv[0], s, windows > 64 ? 64 : windows);
}

/* Variable-time: a·P + b·G for public a, b. */
static napi_value js_double_mul_vartime(napi_env env, napi_callback_info info) {
  napi_value argv[3];
  void *data;
  const uint8_t *a, *b;
  ge_p3 p, r;
  if (!get_args(env, info, 3, 3, argv, &data) || !get_scalar(env, argv[0], &a) ||
      !get_point(env, argv[1], &p) || !get_scalar(env, argv[2], &b))
    return NULL;
  const acta_state *st = data;
  ge_double_mul_vartime(&r, a, &p, b, st->gen_odd);
  return return_point(env, &r);
}

/* Variable-time. */
static napi_value js_msm_vartime(napi_env env, napi_callback_info info) {
  napi_value argv[2];
  const uint8_t *scalars;
  size_t slen, n;
  ge_p3 *pts;
  if (!get_args(env, info, 2, 2, argv, NULL) ||
      !get_bytes(env, argv[0], "acta_native: scalars must be a Uint8Array", &scalars, &slen))
    return NULL;
  if (slen % SCALAR_BYTES != 0)
    return throw_range(env, "acta_native: scalars must be a multiple of 32 bytes");
  if (!unpack_points(env, argv[1], &pts, &n)) return NULL;
  if (n != slen / SCALAR_BYTES) {
    free(pts);
    return throw_range(env, "acta_native: msmVartime needs as many scalars as points");
  }
  ge_p3 r;
  const int rc = ge_msm_vartime(&r, scalars, pts, n);
  free(pts);
  if (rc != 0) return throw_oom(env);
  return return_point(env, &r);
}

/* ------------------------------------------------------------------ init */

static void free_state(void *arg) { free(arg); }

NAPI_MODULE_INIT() {
  acta_state *st = malloc(sizeof *st);
  if (st == NULL) {
    napi_throw_error(env, NULL, "acta_native: out of memory while loading");
    return NULL;
  }
  ge_p3 g;
  ge_p3_generator(&g);
  if (ge_table_build(st->gen_table, &g) != 0 || ge_odd_multiples_niels(st->gen_odd, &g) != 0) {
    free(st);
    napi_throw_error(env, NULL, "acta_native: out of memory while loading");
    return NULL;
  }
  st->slab = NULL;
  st->slab_data = NULL;
  st->slab_used = 0;
  /* The slab reference is released with the environment (Node finalizes an
   * environment's references when it is torn down). */
  if (napi_set_instance_data(env, st, NULL, NULL) != napi_ok ||
      napi_add_env_cleanup_hook(env, free_state, st) != napi_ok) {
    free(st);
    throw_if_none_pending(env, "acta_native: cannot register the cleanup hook");
    return NULL;
  }
  napi_value point_bytes, version;
  if (napi_create_uint32(env, POINT_BYTES, &point_bytes) != napi_ok ||
      napi_create_string_utf8(env, ACTA_NATIVE_VERSION, NAPI_AUTO_LENGTH, &version) != napi_ok) {
    throw_if_none_pending(env, "acta_native: cannot create the exports");
    return NULL;
  }
#define FN(name, fn) {name, NULL, fn, NULL, NULL, NULL, napi_enumerable, st}
  const napi_property_descriptor props[] = {
      {"POINT_BYTES", NULL, NULL, NULL, NULL, point_bytes, napi_enumerable, NULL},
      {"version", NULL, NULL, NULL, NULL, version, napi_enumerable, NULL},
      FN("identity", js_identity),
      FN("generator", js_generator),
      FN("generatorTable", js_generator_table),
      FN("decode", js_decode),
      FN("decodeBatch", js_decode_batch),
      FN("encode", js_encode),
      FN("encodeBatch", js_encode_batch),
      FN("doubleAndEncodeBatch", js_double_and_encode_batch),
      FN("fromUniform", js_from_uniform),
      FN("add", js_add),
      FN("sub", js_sub),
      FN("neg", js_neg),
      FN("equals", js_equals),
      FN("isIdentity", js_is_identity),
      FN("mulVartime", js_mul_vartime),
      FN("mulCT", js_mul_ct),
      FN("createTable", js_create_table),
      FN("mulTable", js_mul_table),
      FN("mulTableSmall", js_mul_table_small),
      FN("doubleMulVartime", js_double_mul_vartime),
      FN("msmVartime", js_msm_vartime),
  };
#undef FN
  if (napi_define_properties(env, exports, sizeof props / sizeof props[0], props) != napi_ok) {
    throw_if_none_pending(env, "acta_native: cannot define the exports");
    return NULL;
  }
  return exports;
}
