/*
 * bind_stats.c — thema.stats: the agreement kernels of analysis/ from Lua.
 *
 * The functions of plugins/lib/agreement.lua, with its signatures, its
 * argument errors (word for word, blamed on the caller) and its two error
 * channels: misuse raises "bad argument #n to 'fn' (...)"; a statistic that
 * is undefined for valid data returns nil plus the reason. The Lua library
 * stays as the oracle of tests/lua/stats_spec.lua, which calls both on the
 * same input. Categories keep Lua's equality: a Lua table numbers them, so
 * 1 and 1.0 are one category and 1 and "1" two.
 *
 * Two more: stats.coder_codings and stats.agreement read the reliability
 * data from the store (store/units.c, one statement) and compute the
 * agreement plugin's figures in C (analysis/reliability.c), so that no
 * coding and no unit becomes a Lua table; only the figures and the
 * disagreement rows come back.
 */
#include <lauxlib.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/agreement.h"
#include "analysis/reliability.h"
#include "base/prng.h"
#include "lua/bind.h"
#include "lua/ctx.h"
#include "store/units.h"

/* ---- argument errors, as the Lua library words them ---- */

/* Raise "bad argument #narg to 'fname' (msg)" at the caller's position. The
 * name is fixed, not the one the call site used, so messages are those of the
 * Lua library whatever local name a plugin gives the function. */
__attribute__((noreturn)) static void arg_error(lua_State *L, int narg, const char *fname,
                                                const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  luaL_where(L, 1);
  lua_pushfstring(L, "bad argument #%d to '%s' (", narg, fname);
  lua_pushvfstring(L, fmt, ap);
  lua_pushliteral(L, ")");
  lua_concat(L, 4);
  va_end(ap);
  lua_error(L);
  abort(); /* not reached: lua_error does not return */
}

/* Lua's type(x): "nil" for an absent argument, never "no value". */
static const char *type_of(lua_State *L, int idx) {
  return lua_type(L, idx) == LUA_TNONE ? "nil" : luaL_typename(L, idx);
}

/* The integer at idx when it is an integer-valued number (2 or 2.0, never
 * "2"), as the Lua library's as_integer. */
static int as_integer(lua_State *L, int idx, lua_Integer *out) {
  if (lua_type(L, idx) != LUA_TNUMBER) return 0;
  int ok;
  *out = lua_tointegerx(L, idx, &ok);
  return ok;
}

/* What an integer argument got instead: "non-integer number" or its type. */
static const char *not_integer(lua_State *L, int idx) {
  return lua_type(L, idx) == LUA_TNUMBER ? "non-integer number" : type_of(L, idx);
}

/* ---- reliability matrices from Lua tables ---- */

/* A matrix {coders =, units =, values =} read from argument 1, its values
 * numbered as categories. The stack keeps the matrix's tables alive. */
typedef struct Matrix {
  ThemaRelMatrix m; /* the numbered values */
  int32_t *values;  /* owned by a userdata on the stack */
  int units_idx;    /* stack index of m.units */
  int values_idx;   /* stack index of m.values */
} Matrix;

/* Check argument 1 as the Lua library's check_matrix does, with the same
 * messages in the same order, and number its categories. */
static void check_matrix(lua_State *L, const char *fname, Matrix *out) {
  if (!lua_istable(L, 1)) arg_error(L, 1, fname, "table expected, got %s", type_of(L, 1));
  static const char *const fields[] = {"coders", "units", "values"};
  int idx[3];
  for (int f = 0; f < 3; f++) {
    lua_getfield(L, 1, fields[f]);
    if (!lua_istable(L, -1))
      arg_error(L, 1, fname, "field '%s' must be a table, got %s", fields[f],
                type_of(L, -1));
    idx[f] = lua_gettop(L);
  }
  lua_Integer ncoders = luaL_len(L, idx[0]), nunits = luaL_len(L, idx[1]);
  if (ncoders < 0) ncoders = 0;
  if (nunits < 0) nunits = 0;
  if (ncoders > INT32_MAX || (ncoders && (uint64_t)nunits > SIZE_MAX / 4 / (size_t)ncoders))
    arg_error(L, 1, fname, "matrix too large");
  size_t cells = (size_t)nunits * (size_t)ncoders;
  int32_t *values = lua_newuserdatauv(L, (cells ? cells : 1) * sizeof *values, 0);
  lua_newtable(L); /* category -> id */
  int ids = lua_gettop(L);
  int32_t ncat = 0;
  for (lua_Integer i = 1; i <= nunits; i++) {
    int32_t *row = values + (size_t)(i - 1) * (size_t)ncoders;
    int t = lua_geti(L, idx[2], i);
    if (t == LUA_TNIL) {
      for (lua_Integer j = 0; j < ncoders; j++) row[j] = THEMA_AGREEMENT_MISSING;
      lua_pop(L, 1);
      continue;
    }
    if (t != LUA_TTABLE)
      arg_error(L, 1, fname, "values[%I] must be a table or nil, got %s", (LUAI_UACINT)i,
                type_of(L, -1));
    for (lua_Integer j = 1; j <= ncoders; j++) {
      int vt = lua_geti(L, -1, j);
      if (vt == LUA_TNIL) {
        row[j - 1] = THEMA_AGREEMENT_MISSING;
      } else if (vt == LUA_TSTRING ||
                 (vt == LUA_TNUMBER && lua_tonumber(L, -1) == lua_tonumber(L, -1))) {
        lua_pushvalue(L, -1);
        if (lua_rawget(L, ids) == LUA_TNIL) {
          lua_pushvalue(L, -2);
          lua_pushinteger(L, ncat);
          lua_rawset(L, ids);
          row[j - 1] = ncat++;
        } else {
          row[j - 1] = (int32_t)lua_tointeger(L, -1);
        }
        lua_pop(L, 1);
      } else {
        arg_error(L, 1, fname, "values[%I][%I] must be a string, number or nil, got %s",
                  (LUAI_UACINT)i, (LUAI_UACINT)j,
                  vt == LUA_TNUMBER ? "nan" : type_of(L, -1));
      }
      lua_pop(L, 1);
    }
    lua_pop(L, 1);
  }
  lua_pop(L, 1); /* the ids; the userdata stays */
  out->values = values;
  out->m = (ThemaRelMatrix){values, (size_t)nunits, (int)ncoders, ncat};
  out->units_idx = idx[1];
  out->values_idx = idx[2];
}

/* Argument narg as a coder index in 1..ncoders; returns it 0-based. */
static int check_coder(lua_State *L, int narg, const char *fname, int ncoders) {
  lua_Integer i;
  if (!as_integer(L, narg, &i))
    arg_error(L, narg, fname, "coder index expected, got %s", not_integer(L, narg));
  if (i < 1 || i > ncoders)
    arg_error(L, narg, fname, "coder index %I out of range 1..%d", (LUAI_UACINT)i, ncoders);
  return (int)(i - 1);
}

/* Arguments 2 and 3: two distinct coder indices. */
static void check_pair(lua_State *L, const char *fname, int ncoders, int *a, int *b) {
  *a = check_coder(L, 2, fname, ncoders);
  *b = check_coder(L, 3, fname, ncoders);
  if (*a == *b)
    arg_error(L, 3, fname, "coder index must differ from argument #2 (both %d)", *a + 1);
}

static void pair_counts(const Matrix *mx, int a, int b, ThemaPairCounts *pc) {
  thema_agreement_pair_init(pc, mx->m.ncategories);
  thema_agreement_pair_add(pc, &mx->m, a, b);
}

static int push_fail(lua_State *L, int status) {
  luaL_pushfail(L);
  lua_pushstring(L, thema_agreement_reason(status));
  return 2;
}

/* ---- the Lua library's functions ---- */

/* stats.percent_agreement(m, a, b) -> p, n | nil, msg */
static int stats_percent_agreement(lua_State *L) {
  Matrix mx;
  int a, b;
  lua_settop(L, 3); /* absent arguments read as nil, below what is pushed */
  check_matrix(L, "percent_agreement", &mx);
  check_pair(L, "percent_agreement", mx.m.ncoders, &a, &b);
  ThemaPairCounts pc;
  pair_counts(&mx, a, b, &pc);
  double p;
  int status = thema_agreement_percent(&pc, &p);
  lua_Integer n = pc.n;
  thema_agreement_pair_free(&pc);
  if (status) return push_fail(L, status);
  lua_pushnumber(L, p);
  lua_pushinteger(L, n);
  return 2;
}

/* stats.cohen_kappa(m, a, b) -> kappa, {po=, pe=, n=} | nil, msg */
static int stats_cohen_kappa(lua_State *L) {
  Matrix mx;
  int a, b;
  lua_settop(L, 3); /* absent arguments read as nil, below what is pushed */
  check_matrix(L, "cohen_kappa", &mx);
  check_pair(L, "cohen_kappa", mx.m.ncoders, &a, &b);
  ThemaPairCounts pc;
  pair_counts(&mx, a, b, &pc);
  ThemaKappa k;
  int status = thema_agreement_kappa(&pc, &k);
  thema_agreement_pair_free(&pc);
  if (status) return push_fail(L, status);
  lua_pushnumber(L, k.kappa);
  lua_createtable(L, 0, 3);
  lua_pushnumber(L, k.po);
  lua_setfield(L, -2, "po");
  lua_pushnumber(L, k.pe);
  lua_setfield(L, -2, "pe");
  lua_pushinteger(L, k.n);
  lua_setfield(L, -2, "n");
  return 2;
}

/* stats.disagreements(m, a, b) -> list of {unit=, a=, b=, index=} */
static int stats_disagreements(lua_State *L) {
  Matrix mx;
  int a, b;
  lua_settop(L, 3); /* absent arguments read as nil, below what is pushed */
  check_matrix(L, "disagreements", &mx);
  check_pair(L, "disagreements", mx.m.ncoders, &a, &b);
  lua_newtable(L);
  int out = lua_gettop(L);
  lua_Integer n = 0;
  for (size_t u = 0; u < mx.m.nunits; u++) {
    const int32_t *row = mx.values + u * (size_t)mx.m.ncoders;
    if (row[a] < 0 || row[b] < 0 || row[a] == row[b]) continue;
    lua_createtable(L, 0, 4);
    lua_geti(L, mx.units_idx, (lua_Integer)u + 1);
    lua_setfield(L, -2, "unit");
    lua_geti(L, mx.values_idx, (lua_Integer)u + 1);
    lua_geti(L, -1, a + 1);
    lua_setfield(L, -3, "a");
    lua_geti(L, -1, b + 1);
    lua_setfield(L, -3, "b");
    lua_pop(L, 1);
    lua_pushinteger(L, (lua_Integer)u + 1);
    lua_setfield(L, -2, "index");
    lua_rawseti(L, out, ++n);
  }
  return 1;
}

/* The pairable units of a checked matrix; the caller frees them. */
static void alpha_units(const Matrix *mx, ThemaAlphaUnits *au) {
  memset(au, 0, sizeof *au);
  thema_agreement_units_add(au, &mx->m);
}

/* stats.krippendorff_alpha_nominal(m) -> alpha, {do_=, de=, n=, units=} | nil, msg */
static int stats_krippendorff_alpha_nominal(lua_State *L) {
  Matrix mx;
  lua_settop(L, 1);
  check_matrix(L, "krippendorff_alpha_nominal", &mx);
  ThemaAlphaUnits au;
  alpha_units(&mx, &au);
  ThemaAlpha a;
  int status = thema_agreement_alpha(&au, 0, au.nunits, &a);
  thema_agreement_units_free(&au);
  if (status) return push_fail(L, status);
  lua_pushnumber(L, a.alpha);
  lua_createtable(L, 0, 4);
  lua_pushnumber(L, a.do_);
  lua_setfield(L, -2, "do_");
  lua_pushnumber(L, a.de);
  lua_setfield(L, -2, "de");
  lua_pushinteger(L, a.n);
  lua_setfield(L, -2, "n");
  lua_pushinteger(L, (lua_Integer)a.units);
  lua_setfield(L, -2, "units");
  return 2;
}

/* next([n]): the closure splitmix64 returns; its state is upvalue 1. */
static int prng_next(lua_State *L) {
  ThemaPrng g = {(uint64_t)lua_tointeger(L, lua_upvalueindex(1))};
  lua_Integer n = 0;
  if (!lua_isnoneornil(L, 1) && (!as_integer(L, 1, &n) || n < 1))
    arg_error(L, 1, "next", "positive integer or nil expected");
  if (lua_isnoneornil(L, 1))
    lua_pushinteger(L, (lua_Integer)thema_prng_next(&g));
  else
    lua_pushinteger(L, (lua_Integer)thema_prng_index(&g, (uint64_t)n) + 1);
  lua_pushinteger(L, (lua_Integer)g.state);
  lua_replace(L, lua_upvalueindex(1));
  return 1;
}

/* stats.splitmix64(seed) -> next, where next() is the next 64-bit value and
 * next(n) an unbiased integer in 1..n */
static int stats_splitmix64(lua_State *L) {
  lua_Integer seed;
  if (!as_integer(L, 1, &seed))
    arg_error(L, 1, "splitmix64", "integer expected, got %s", not_integer(L, 1));
  ThemaPrng g;
  thema_prng_seed(&g, seed);
  lua_pushinteger(L, (lua_Integer)g.state);
  lua_pushcclosure(L, prng_next, 1);
  return 1;
}

/* The bootstrap options at argument 2, checked as the Lua library does. */
static void boot_options(lua_State *L, const char *fname, int64_t *samples, double *level,
                         int64_t *seed) {
  *samples = 1000, *level = 0.95, *seed = 1;
  if (lua_isnoneornil(L, 2)) return;
  if (!lua_istable(L, 2))
    arg_error(L, 2, fname, "table or nil expected, got %s", type_of(L, 2));
  static const char *const accepted[] = {"level", "samples", "seed", NULL};
  int first = 0; /* stack index of the smallest unknown name so far */
  lua_pushnil(L);
  while (lua_next(L, 2)) {
    lua_pop(L, 1);
    int known = 0;
    if (lua_type(L, -1) == LUA_TSTRING)
      for (int i = 0; accepted[i]; i++)
        known |= strcmp(lua_tostring(L, -1), accepted[i]) == 0;
    if (known) continue;
    luaL_tolstring(L, -1, NULL);
    if (!first || lua_compare(L, -1, first, LUA_OPLT)) {
      if (first) lua_remove(L, first);
      lua_insert(L, -2); /* name below the key */
      first = lua_gettop(L) - 1;
    } else {
      lua_pop(L, 1);
    }
  }
  if (first)
    arg_error(L, 2, fname, "unknown option '%s' (accepted: level, samples, seed)",
              lua_tostring(L, first));
  lua_Integer i;
  if (lua_getfield(L, 2, "samples") != LUA_TNIL) {
    if (!as_integer(L, -1, &i) || i < 1)
      arg_error(L, 2, fname, "option 'samples' must be a positive integer");
    *samples = i;
  }
  if (lua_getfield(L, 2, "level") != LUA_TNIL) {
    double x = lua_tonumber(L, -1);
    if (lua_type(L, -1) != LUA_TNUMBER || !(x > 0 && x < 1))
      arg_error(L, 2, fname, "option 'level' must be a number between 0 and 1 (exclusive)");
    *level = x;
  }
  if (lua_getfield(L, 2, "seed") != LUA_TNIL) {
    if (!as_integer(L, -1, &i)) arg_error(L, 2, fname, "option 'seed' must be an integer");
    *seed = i;
  }
  lua_pop(L, 3);
}

/* stats.bootstrap_alpha(m [, {samples=, level=, seed=}])
 *   -> {lo=, hi=, level=, samples=, skipped=, alpha=} | nil, msg */
static int stats_bootstrap_alpha(lua_State *L) {
  Matrix mx;
  lua_settop(L, 2);
  check_matrix(L, "bootstrap_alpha", &mx);
  int64_t samples, seed;
  double level;
  boot_options(L, "bootstrap_alpha", &samples, &level, &seed);
  ThemaAlphaUnits au;
  alpha_units(&mx, &au);
  ThemaAlpha point;
  ThemaBootstrap b;
  int status = thema_agreement_alpha(&au, 0, au.nunits, &point);
  if (status == THEMA_AGREEMENT_OK)
    status = thema_agreement_bootstrap(&au, 0, au.nunits, samples, level, seed, &b);
  thema_agreement_units_free(&au);
  if (status) return push_fail(L, status);
  lua_createtable(L, 0, 6);
  lua_pushnumber(L, b.lo);
  lua_setfield(L, -2, "lo");
  lua_pushnumber(L, b.hi);
  lua_setfield(L, -2, "hi");
  lua_pushnumber(L, level);
  lua_setfield(L, -2, "level");
  lua_pushinteger(L, b.samples);
  lua_setfield(L, -2, "samples");
  lua_pushinteger(L, b.skipped);
  lua_setfield(L, -2, "skipped");
  lua_pushnumber(L, point.alpha);
  lua_setfield(L, -2, "alpha");
  return 1;
}

/* stats.quantile(list, p) -> the type-7 quantile of the numbers in list at
 * probability p (the list is not changed; it need not be sorted) */
static int stats_quantile(lua_State *L) {
  if (!lua_istable(L, 1))
    arg_error(L, 1, "quantile", "table expected, got %s", type_of(L, 1));
  lua_Integer n = luaL_len(L, 1);
  if (n < 1) arg_error(L, 1, "quantile", "non-empty list of numbers expected");
  double p = lua_tonumber(L, 2);
  if (lua_type(L, 2) != LUA_TNUMBER)
    arg_error(L, 2, "quantile", "probability expected, got %s", type_of(L, 2));
  if (!(p >= 0 && p <= 1))
    arg_error(L, 2, "quantile", "probability must lie between 0 and 1, not %f", p);
  double *x = lua_newuserdatauv(L, (size_t)n * sizeof *x, 0);
  for (lua_Integer i = 1; i <= n; i++) {
    lua_geti(L, 1, i);
    x[i - 1] = lua_tonumber(L, -1);
    if (lua_type(L, -1) != LUA_TNUMBER || x[i - 1] != x[i - 1])
      arg_error(L, 1, "quantile", "list[%I] must be a number, got %s", (LUAI_UACINT)i,
                lua_type(L, -1) == LUA_TNUMBER ? "nan" : type_of(L, -1));
    lua_pop(L, 1);
  }
  for (lua_Integer i = 1; i < n; i++) { /* insertion sort of a copy: lists are short */
    double v = x[i];
    lua_Integer k = i;
    for (; k > 0 && x[k - 1] > v; k--) x[k] = x[k - 1];
    x[k] = v;
  }
  lua_pushnumber(L, thema_agreement_quantile(x, (size_t)n, p));
  return 1;
}

/* stats.binary_by_code(codings, units, coders, code [, coverage]) -> m
 * Builds the Lua library's matrix of one code (1 applied, 0 examined without
 * it, nil not examined); Lua values throughout, as there. */
static int stats_binary_by_code(lua_State *L) {
  const char *fname = "binary_by_code";
  for (int a = 1; a <= 3; a++)
    if (!lua_istable(L, a)) arg_error(L, a, fname, "table expected, got %s", type_of(L, a));
  if (lua_isnoneornil(L, 4)) arg_error(L, 4, fname, "code expected, got nil");
  if (!lua_isnoneornil(L, 5) && !lua_istable(L, 5))
    arg_error(L, 5, fname, "table or nil expected, got %s", type_of(L, 5));
  int has_coverage = !lua_isnoneornil(L, 5);
  lua_settop(L, 5);
  lua_newtable(L); /* 6: unit -> index */
  lua_newtable(L); /* 7: coder -> index */
  lua_newtable(L); /* 8: out units */
  lua_newtable(L); /* 9: out coders */
  for (int which = 0; which < 2; which++) {
    int list = which ? 3 : 2, index = which ? 7 : 6, copy = which ? 9 : 8;
    for (lua_Integer i = 1; lua_geti(L, list, i) != LUA_TNIL; i++) {
      lua_pushvalue(L, -1);
      if (lua_rawget(L, index) != LUA_TNIL)
        arg_error(L, list, fname, "duplicate %s id '%s'", which ? "coder" : "unit",
                  luaL_tolstring(L, -2, NULL));
      lua_pop(L, 1);
      lua_pushvalue(L, -1);
      lua_pushinteger(L, i);
      lua_rawset(L, index);
      lua_rawseti(L, copy, i);
    }
    lua_pop(L, 1);
  }
  lua_Integer nunits = (lua_Integer)lua_rawlen(L, 8),
              ncoders = (lua_Integer)lua_rawlen(L, 9);
  lua_createtable(L, (int)nunits, 0); /* 10: values */
  for (lua_Integer i = 1; i <= nunits; i++) {
    lua_newtable(L);
    lua_rawseti(L, 10, i);
  }
  if (has_coverage) {
    for (lua_Integer j = 1; j <= ncoders; j++) {
      lua_rawgeti(L, 9, j);
      int t = lua_gettable(L, 5);
      if (t != LUA_TNIL && t != LUA_TTABLE) {
        const char *got = type_of(L, -1);
        lua_rawgeti(L, 9, j);
        arg_error(L, 5, fname, "coverage['%s'] must be a table, got %s",
                  luaL_tolstring(L, -1, NULL), got);
      }
      if (t == LUA_TTABLE) {
        for (lua_Integer i = 1; i <= nunits; i++) {
          lua_rawgeti(L, 8, i);
          if (lua_gettable(L, -2) != LUA_TNIL && lua_toboolean(L, -1)) {
            lua_rawgeti(L, 10, i);
            lua_pushinteger(L, 0);
            lua_rawseti(L, -2, j);
            lua_pop(L, 1);
          }
          lua_pop(L, 1);
        }
      }
      lua_pop(L, 1);
    }
  }
  for (lua_Integer n = 1; lua_geti(L, 1, n) != LUA_TNIL; n++) {
    if (!lua_istable(L, -1))
      arg_error(L, 1, fname, "codings[%I] must be a table, got %s", (LUAI_UACINT)n,
                type_of(L, -1));
    lua_getfield(L, -1, "unit");
    lua_rawget(L, 6);
    lua_getfield(L, -2, "coder");
    lua_rawget(L, 7);
    if (!lua_isnil(L, -2) && !lua_isnil(L, -1)) {
      lua_Integer i = lua_tointeger(L, -2), j = lua_tointeger(L, -1);
      lua_rawgeti(L, 10, i);
      lua_getfield(L, -4, "code");
      int same = lua_compare(L, -1, 4, LUA_OPEQ);
      lua_pop(L, 1);
      if (same) {
        lua_pushinteger(L, 1);
        lua_rawseti(L, -2, j);
      } else if (!has_coverage && lua_rawgeti(L, -1, j) == LUA_TNIL) {
        lua_pushinteger(L, 0);
        lua_rawseti(L, -3, j);
        lua_pop(L, 1);
      } else if (!has_coverage) {
        lua_pop(L, 1);
      }
      lua_pop(L, 1);
    }
    lua_pop(L, 3);
  }
  lua_pop(L, 1);
  lua_createtable(L, 0, 4);
  lua_pushvalue(L, 9);
  lua_setfield(L, -2, "coders");
  lua_pushvalue(L, 8);
  lua_setfield(L, -2, "units");
  lua_pushvalue(L, 10);
  lua_setfield(L, -2, "values");
  lua_pushvalue(L, 4);
  lua_setfield(L, -2, "code");
  return 1;
}

/* ---- from the store ---- */

/* A coder description {run = ID} or {coder = NAME} at stack index idx, for
 * error messages `what` (e.g. "coders[2]"). name is kept alive by the table. */
static void check_coder_spec(lua_State *L, int narg, const char *fname, int idx,
                             const char *what, ThemaUnitsCoder *c) {
  if (!lua_istable(L, idx))
    arg_error(L, narg, fname, "%s must be a table {run = ID} or {coder = NAME}, got %s",
              what, type_of(L, idx));
  int run_t = lua_getfield(L, idx, "run");
  int coder_t = lua_getfield(L, idx, "coder");
  lua_Integer run = 0;
  if ((run_t == LUA_TNIL) == (coder_t == LUA_TNIL))
    arg_error(L, narg, fname, "%s needs one of the fields run and coder", what);
  if (run_t != LUA_TNIL && (!as_integer(L, -2, &run) || run < 1))
    arg_error(L, narg, fname, "%s: field 'run' must be a positive integer", what);
  if (coder_t != LUA_TNIL && coder_t != LUA_TSTRING)
    arg_error(L, narg, fname, "%s: field 'coder' must be a string, got %s", what,
              type_of(L, -1));
  c->run_id = run;
  c->human = coder_t == LUA_TSTRING ? lua_tostring(L, -1) : NULL;
  lua_pop(L, 2);
  lua_pushnil(L); /* no other field */
  while (lua_next(L, idx)) {
    lua_pop(L, 1);
    const char *k = lua_type(L, -1) == LUA_TSTRING ? lua_tostring(L, -1) : NULL;
    if (!k || (strcmp(k, "run") != 0 && strcmp(k, "coder") != 0))
      arg_error(L, narg, fname, "%s: unknown field '%s' (accepted: coder, run)", what,
                luaL_tolstring(L, -1, NULL));
  }
}

/* The list of strings at stack index idx (what names it in messages), or
 * NULL when it is nil. The pointers live in a userdata pushed onto the stack,
 * which also keeps the list (and so its strings) alive. */
static const char **string_list(lua_State *L, int narg, const char *fname, int idx,
                                const char *what, int *n) {
  *n = 0;
  if (lua_isnil(L, idx)) return NULL;
  if (!lua_istable(L, idx))
    arg_error(L, narg, fname, "%s must be a list of strings, got %s", what,
              type_of(L, idx));
  idx = lua_absindex(L, idx);
  lua_Integer len = (lua_Integer)lua_rawlen(L, idx);
  if (len < 1 || len > 30000)
    arg_error(L, narg, fname, "%s must be a list of 1 to 30000 strings", what);
  const char **out = lua_newuserdatauv(L, (size_t)len * sizeof *out, 1);
  lua_pushvalue(L, idx);
  lua_setiuservalue(L, -2, 1);
  for (lua_Integer i = 1; i <= len; i++) {
    if (lua_rawgeti(L, idx, i) != LUA_TSTRING)
      arg_error(L, narg, fname, "%s[%I] must be a string, got %s", what, (LUAI_UACINT)i,
                type_of(L, -1));
    out[i - 1] = lua_tostring(L, -1);
    lua_pop(L, 1);
  }
  *n = (int)len;
  return out;
}

/* stats.coder_codings(coder [, sources]) -> codings, sources: how many
 * visible codings the coder ({run = ID} or {coder = NAME}) has, in the
 * sources named (all when nil), and in how many sources they lie. */
static int stats_coder_codings(lua_State *L) {
  const char *fname = "coder_codings";
  ThemaUnitsCoder c;
  check_coder_spec(L, 1, fname, 1, "the coder", &c);
  lua_settop(L, 2);
  ThemaUnitsSpec spec = {&c, 1, NULL, 0};
  spec.sources = string_list(L, 2, fname, 2, "sources", &spec.nsources);
  int64_t codings, sources;
  ThemaError err = {0};
  if (thema_units_count(thema_ctx_get(L)->st, &c, &spec, &codings, &sources, &err))
    return luaL_error(L, "%s", err.msg);
  lua_pushinteger(L, codings);
  lua_pushinteger(L, sources);
  return 2;
}

#define RELIABILITY_BOX "thema.ReliabilityBox"

/* What stats.agreement holds while it works, freed by __gc even when a Lua
 * error (out of memory) interrupts it. */
typedef struct Box {
  ThemaUnitsCursor *cursor; /* the reading, NULL once done */
  ThemaReliability *rel;    /* the builder */
  ThemaRelCoding *codings;  /* the current unit's codings, converted */
  size_t cap;               /* entries allocated */
} Box;

static int box_gc(lua_State *L) {
  Box *b = luaL_checkudata(L, 1, RELIABILITY_BOX);
  thema_units_close(b->cursor);
  thema_reliability_free(b->rel);
  free(b->codings);
  memset(b, 0, sizeof *b);
  return 0;
}

static void set_number(lua_State *L, const char *k, double x) {
  lua_pushnumber(L, x);
  lua_setfield(L, -2, k);
}

static void set_integer(lua_State *L, const char *k, lua_Integer x) {
  lua_pushinteger(L, x);
  lua_setfield(L, -2, k);
}

static void set_reason(lua_State *L, const char *k, int status) {
  if (status == THEMA_AGREEMENT_OK) return;
  lua_pushstring(L, thema_agreement_reason(status));
  lua_setfield(L, -2, k);
}

/* One matrix's figures as a table (see stats.agreement). */
static void push_figures(lua_State *L, const ThemaRelFigures *f) {
  lua_createtable(L, 0, 16);
  set_integer(L, "units", (lua_Integer)f->units);
  set_integer(L, "coders", f->coders);
  if (f->npercent) set_number(L, "percent", f->percent);
  if (f->nkappa) set_number(L, "kappa", f->kappa);
  if (f->alpha_status == THEMA_AGREEMENT_OK) {
    set_number(L, "alpha", f->alpha.alpha);
    set_number(L, "do_", f->alpha.do_);
    set_number(L, "de", f->alpha.de);
    set_integer(L, "values", f->alpha.n);
    if (f->boot_status == THEMA_AGREEMENT_OK) {
      set_number(L, "alpha_lo", f->boot.lo);
      set_number(L, "alpha_hi", f->boot.hi);
    }
    set_integer(L, "samples", f->boot.samples);
    set_integer(L, "skipped", f->boot.skipped);
    set_reason(L, "interval_why", f->boot_status);
  }
  set_reason(L, "alpha_why", f->alpha_status);
  lua_createtable(L, f->npairs, 0);
  for (int k = 0; k < f->npairs; k++) {
    const ThemaPairFigure *p = &f->pairs[k];
    lua_createtable(L, 0, 7);
    set_integer(L, "a", p->a + 1);
    set_integer(L, "b", p->b + 1);
    set_integer(L, "units", p->n);
    if (p->percent_status == THEMA_AGREEMENT_OK)
      set_number(L, "percent", 100.0 * p->percent);
    if (p->kappa_status == THEMA_AGREEMENT_OK) set_number(L, "kappa", p->kappa.kappa);
    set_reason(L, "percent_why", p->percent_status);
    set_reason(L, "kappa_why", p->kappa_status);
    lua_rawseti(L, -2, k + 1);
  }
  lua_setfield(L, -2, "pairs");
}

static void push_result(lua_State *L, const ThemaRelResult *res, int ncoders, int nominal) {
  lua_createtable(L, 0, 8);
  set_integer(L, "units", (lua_Integer)res->nunits);
  set_integer(L, "nconflicts", res->nconflicts);
  if (res->nconflicts > 0) {
    lua_createtable(L, (int)res->nconflicts_shown, 0);
    for (size_t i = 0; i < res->nconflicts_shown; i++) {
      const ThemaRelConflict *c = &res->conflicts[i];
      lua_createtable(L, 0, 4);
      set_integer(L, "coder", c->coder + 1);
      lua_pushstring(L, c->source);
      lua_setfield(L, -2, "source");
      set_integer(L, "segment", c->ordinal);
      lua_createtable(L, 2, 0);
      lua_pushstring(L, c->code_lo);
      lua_rawseti(L, -2, 1);
      lua_pushstring(L, c->code_hi);
      lua_rawseti(L, -2, 2);
      lua_setfield(L, -2, "codes");
      lua_rawseti(L, -2, (lua_Integer)i + 1);
    }
    lua_setfield(L, -2, "conflicts");
    return;
  }
  lua_createtable(L, (int)res->ncodes, 0);
  for (size_t i = 0; i < res->ncodes; i++) {
    lua_pushstring(L, res->codes[i]);
    lua_rawseti(L, -2, (lua_Integer)i + 1);
  }
  lua_setfield(L, -2, "codes");
  lua_createtable(L, (int)res->ncodes, 0);
  for (size_t i = 0; i < res->ncodes; i++) {
    push_figures(L, &res->by_code[i]);
    lua_rawseti(L, -2, (lua_Integer)i + 1);
  }
  lua_setfield(L, -2, "by_code");
  push_figures(L, res->overall);
  lua_setfield(L, -2, "overall");
  lua_createtable(L, (int)res->nsegments, 0);
  for (size_t i = 0; i < res->nsegments; i++) {
    const ThemaRelSegment *s = &res->segments[i];
    lua_createtable(L, 0, 4);
    lua_pushstring(L, s->source);
    lua_setfield(L, -2, "source");
    set_integer(L, "segment", s->ordinal);
    if (s->speaker) {
      lua_pushstring(L, s->speaker);
      lua_setfield(L, -2, "speaker");
    }
    lua_pushlstring(L, s->text, s->text_len);
    lua_setfield(L, -2, "text");
    lua_rawseti(L, -2, (lua_Integer)i + 1);
  }
  lua_setfield(L, -2, "segments");
  lua_createtable(L, (int)res->ndisagreements, 0);
  for (size_t i = 0; i < res->ndisagreements; i++) {
    const ThemaRelDisagreement *d = &res->disagreements[i];
    lua_createtable(L, 0, 3);
    if (d->code >= 0) {
      lua_pushstring(L, res->codes[d->code]);
      lua_setfield(L, -2, "code");
    }
    set_integer(L, "segment", (lua_Integer)d->segment + 1);
    lua_createtable(L, ncoders, 0);
    for (int j = 0; j < ncoders; j++) {
      if (d->values[j] < 0) continue;
      if (nominal)
        lua_pushstring(L, res->code_paths[d->values[j]]);
      else
        lua_pushinteger(L, d->values[j]);
      lua_rawseti(L, -2, j + 1);
    }
    lua_setfield(L, -2, "values");
    lua_rawseti(L, -2, (lua_Integer)i + 1);
  }
  lua_setfield(L, -2, "disagreements");
}

/* Field k of the table at 1 as an optional integer (default def). */
static int64_t opt_integer_field(lua_State *L, const char *fname, const char *k,
                                 int64_t def, int64_t min) {
  lua_Integer v = def;
  if (lua_getfield(L, 1, k) != LUA_TNIL && (!as_integer(L, -1, &v) || v < min))
    arg_error(L, 1, fname, "field '%s' must be an integer%s", k,
              min > INT64_MIN ? " of at least 1" : "");
  lua_pop(L, 1);
  return v;
}

/* stats.agreement{coders =, sources =, codes =, mode =, samples =, seed =,
 * level =} -> result: the agreement plugin's figures, computed from the
 * store in C (docs in the thema.stats reference). */
static int stats_agreement(lua_State *L) {
  const char *fname = "agreement";
  if (!lua_istable(L, 1)) arg_error(L, 1, fname, "table expected, got %s", type_of(L, 1));
  lua_settop(L, 1);
  static const char *const fields[] = {"coders",  "sources", "codes", "mode",
                                       "samples", "seed",    "level", NULL};
  lua_pushnil(L);
  while (lua_next(L, 1)) {
    lua_pop(L, 1);
    int known = 0;
    if (lua_type(L, -1) == LUA_TSTRING)
      for (int i = 0; fields[i]; i++) known |= strcmp(lua_tostring(L, -1), fields[i]) == 0;
    if (!known)
      arg_error(L, 1, fname,
                "unknown field '%s' (accepted: codes, coders, level, mode, samples, seed, "
                "sources)",
                luaL_tolstring(L, -1, NULL));
  }
  if (lua_getfield(L, 1, "coders") != LUA_TTABLE)
    arg_error(L, 1, fname, "field 'coders' must be a list of coders, got %s",
              type_of(L, -1));
  int coders_idx = lua_gettop(L);
  lua_Integer ncoders = (lua_Integer)lua_rawlen(L, coders_idx);
  if (ncoders < 2 || ncoders > 1000)
    arg_error(L, 1, fname, "field 'coders' must list 2 to 1000 coders, not %I",
              (LUAI_UACINT)ncoders);
  ThemaUnitsCoder *coders = lua_newuserdatauv(L, (size_t)ncoders * sizeof *coders, 0);
  for (lua_Integer j = 1; j <= ncoders; j++) {
    lua_rawgeti(L, coders_idx, j);
    char what[32];
    snprintf(what, sizeof what, "coders[%d]", (int)j);
    check_coder_spec(L, 1, fname, lua_gettop(L), what, &coders[j - 1]);
    for (lua_Integer k = 1; k < j; k++) {
      const ThemaUnitsCoder *x = &coders[k - 1], *y = &coders[j - 1];
      if (x->run_id == y->run_id && (x->run_id || strcmp(x->human, y->human) == 0))
        arg_error(L, 1, fname, "coders[%d] is the same coder as coders[%d]", (int)j,
                  (int)k);
    }
    lua_pop(L, 1); /* the names live in the coders table */
  }
  ThemaUnitsSpec spec = {coders, (int)ncoders, NULL, 0};
  lua_getfield(L, 1, "sources");
  spec.sources = string_list(L, 1, fname, -1, "field 'sources'", &spec.nsources);
  ThemaRelOptions o = {.ncoders = (int)ncoders};
  lua_getfield(L, 1, "codes");
  o.codes = string_list(L, 1, fname, -1, "field 'codes'", &o.ncodes);
  lua_getfield(L, 1, "mode");
  const char *mode = lua_isnil(L, -1) ? "binary" : lua_tostring(L, -1);
  if (!mode || (strcmp(mode, "binary") != 0 && strcmp(mode, "nominal") != 0))
    arg_error(L, 1, fname, "field 'mode' must be 'binary' or 'nominal'");
  o.nominal = strcmp(mode, "nominal") == 0;
  lua_pop(L, 1);
  o.samples = opt_integer_field(L, fname, "samples", 1000, 1);
  o.seed = opt_integer_field(L, fname, "seed", 1, INT64_MIN);
  o.level = 0.95;
  if (lua_getfield(L, 1, "level") != LUA_TNIL) {
    o.level = lua_tonumber(L, -1);
    if (lua_type(L, -1) != LUA_TNUMBER || !(o.level > 0 && o.level < 1))
      arg_error(L, 1, fname, "field 'level' must be a number between 0 and 1 (exclusive)");
  }
  lua_pop(L, 1);

  Box *box = lua_newuserdatauv(L, sizeof *box, 0);
  memset(box, 0, sizeof *box);
  luaL_setmetatable(L, RELIABILITY_BOX);
  ThemaError err = {0};
  if (thema_units_open(thema_ctx_get(L)->st, &spec, &box->cursor, &err))
    return luaL_error(L, "%s", err.msg);
  box->rel = thema_reliability_new(&o);
  ThemaUnit unit;
  int rc;
  while ((rc = thema_units_next(box->cursor, &unit, &err)) > 0) {
    if (unit.ncodings > box->cap) {
      box->cap = 2 * unit.ncodings;
      box->codings = thema_xrealloc(box->codings, box->cap * sizeof *box->codings);
    }
    for (size_t i = 0; i < unit.ncodings; i++)
      box->codings[i] = (ThemaRelCoding){unit.codings[i].coder, unit.codings[i].code_id,
                                         unit.codings[i].code};
    ThemaRelUnit ru = {unit.source,   unit.ordinal, unit.speaker, unit.text,
                       unit.text_len, box->codings, unit.ncodings};
    thema_reliability_add(box->rel, &ru);
  }
  thema_units_close(box->cursor);
  box->cursor = NULL;
  if (rc < 0) return luaL_error(L, "%s", err.msg);
  push_result(L, thema_reliability_finish(box->rel), (int)ncoders, o.nominal);
  thema_reliability_free(box->rel); /* now, not at the next collection: it is large */
  box->rel = NULL;
  return 1;
}

static const luaL_Reg stats_funcs[] = {
    {"percent_agreement", stats_percent_agreement},
    {"cohen_kappa", stats_cohen_kappa},
    {"disagreements", stats_disagreements},
    {"krippendorff_alpha_nominal", stats_krippendorff_alpha_nominal},
    {"splitmix64", stats_splitmix64},
    {"bootstrap_alpha", stats_bootstrap_alpha},
    {"binary_by_code", stats_binary_by_code},
    {"quantile", stats_quantile},
    {"coder_codings", stats_coder_codings},
    {"agreement", stats_agreement},
    {NULL, NULL}};

void thema_bind_stats(lua_State *L) {
  if (luaL_newmetatable(L, RELIABILITY_BOX)) {
    lua_pushcfunction(L, box_gc);
    lua_setfield(L, -2, "__gc");
  }
  lua_pop(L, 1);
  luaL_newlib(L, stats_funcs);
  lua_setfield(L, -2, "stats");
}
