/*
 * bind_compare.c — thema.compare: the kernels of analysis/contingency.h
 * from Lua, for comparing groups.
 *
 *   fisher(a, b, c, d)        -> { p, p_greater, p_less, odds_ratio,
 *                                  log_odds, log_odds_se, ci_lo, ci_hi,
 *                                  expected }
 *   gini(values)              -> g
 *   top_share(values)         -> share
 *   cooccurrence(n_ab, n_a, n_b, n) -> jaccard, lift
 *   keyness(a, b, n1, n2)     -> { g2, log_ratio, p }  (analysis/keyness.h)
 *   idf(df, ndocs)            -> the smoothed idf of analysis/keyness.h
 *
 * Misuse (a non-integer count, a negative value, inconsistent counts)
 * raises "bad argument #n to 'f' (...)"; there is no undefined figure: an
 * empty table gives p = 1, an empty list a Gini of 0.
 */
#include <lauxlib.h>
#include <math.h>
#include <stdlib.h>

#include "analysis/contingency.h"
#include "analysis/keyness.h"
#include "lua/bind.h"

/* z of the two-sided 95% normal interval. */
#define Z95 1.959963984540054

static int64_t check_count(lua_State *L, int arg) {
  int ok;
  lua_Integer v = lua_tointegerx(L, arg, &ok);
  if (!ok || lua_type(L, arg) != LUA_TNUMBER)
    luaL_typeerror(L, arg, "non-negative integer count");
  luaL_argcheck(L, v >= 0, arg, "count must not be negative");
  return (int64_t)v;
}

static void set_number(lua_State *L, const char *k, double v) {
  lua_pushnumber(L, v);
  lua_setfield(L, -2, k);
}

/* thema.compare.fisher(a, b, c, d) -> table */
static int compare_fisher(lua_State *L) {
  int64_t n[4];
  for (int i = 0; i < 4; i++) n[i] = check_count(L, i + 1);
  ThemaFisher f;
  luaL_argcheck(L, thema_fisher_2x2(n[0], n[1], n[2], n[3], &f) == 0, 1,
                "the table is empty (a + b + c + d is 0)");
  lua_createtable(L, 0, 9);
  set_number(L, "p", f.p);
  set_number(L, "p_greater", f.p_greater);
  set_number(L, "p_less", f.p_less);
  set_number(L, "odds_ratio", f.odds_ratio);
  set_number(L, "log_odds", f.log_odds);
  set_number(L, "log_odds_se", f.log_odds_se);
  set_number(L, "ci_lo", exp(f.log_odds - Z95 * f.log_odds_se));
  set_number(L, "ci_hi", exp(f.log_odds + Z95 * f.log_odds_se));
  set_number(L, "expected", f.expected);
  return 1;
}

/* The numbers of the list at arg, in a userdata pushed on the stack. */
static double *check_values(lua_State *L, int arg, size_t *n) {
  luaL_checktype(L, arg, LUA_TTABLE);
  *n = (size_t)lua_rawlen(L, arg);
  double *x = lua_newuserdatauv(L, (*n ? *n : 1) * sizeof *x, 0);
  for (size_t i = 0; i < *n; i++) {
    lua_rawgeti(L, arg, (lua_Integer)i + 1);
    int ok;
    x[i] = lua_tonumberx(L, -1, &ok);
    if (!ok || lua_type(L, -1) != LUA_TNUMBER)
      luaL_argerror(L, arg,
                    lua_pushfstring(L, "value %d must be a number, got %s", (int)i + 1,
                                    luaL_typename(L, -1)));
    lua_pop(L, 1);
  }
  return x;
}

typedef int (*Dominance)(const double *, size_t, double *);

static int dominance(lua_State *L, Dominance fn) {
  size_t n;
  double *x = check_values(L, 1, &n), g;
  luaL_argcheck(L, fn(x, n, &g) == 0, 1, "values must be finite and not negative");
  lua_pushnumber(L, g);
  return 1;
}

/* thema.compare.gini(values) -> number */
static int compare_gini(lua_State *L) { return dominance(L, thema_gini); }

/* thema.compare.top_share(values) -> number */
static int compare_top_share(lua_State *L) { return dominance(L, thema_top_share); }

/* thema.compare.cooccurrence(n_ab, n_a, n_b, n) -> jaccard, lift */
static int compare_cooccurrence(lua_State *L) {
  int64_t n[4];
  for (int i = 0; i < 4; i++) n[i] = check_count(L, i + 1);
  double j, lift;
  luaL_argcheck(L, thema_cooccurrence(n[0], n[1], n[2], n[3], &j, &lift) == 0, 1,
                "inconsistent counts: need n_ab <= n_a, n_b <= n");
  lua_pushnumber(L, j);
  lua_pushnumber(L, lift);
  return 2;
}

/* thema.compare.keyness(a, b, n1, n2) -> { g2, log_ratio, p }: a of n1 units
 * of the group, b of n2 of the rest (the shared kernel of the inductive pass,
 * over units instead of tokens). */
static int compare_keyness(lua_State *L) {
  int64_t n[4];
  for (int i = 0; i < 4; i++) n[i] = check_count(L, i + 1);
  ThemaKeyness k;
  luaL_argcheck(L, thema_keyness(n[0], n[1], n[2], n[3], &k) == 0, 1,
                "inconsistent counts: need a <= n1, b <= n2, n1 + n2 > 0");
  lua_createtable(L, 0, 3);
  set_number(L, "g2", k.g2);
  set_number(L, "log_ratio", k.log_ratio);
  set_number(L, "p", k.p);
  return 1;
}

/* thema.compare.idf(df, ndocs) -> number */
static int compare_idf(lua_State *L) {
  int64_t df = check_count(L, 1), nd = check_count(L, 2);
  luaL_argcheck(L, df <= nd, 1, "df must not exceed ndocs");
  lua_pushnumber(L, thema_tfidf_idf(df, nd));
  return 1;
}

static const luaL_Reg compare_funcs[] = {{"fisher", compare_fisher},
                                         {"keyness", compare_keyness},
                                         {"idf", compare_idf},
                                         {"gini", compare_gini},
                                         {"top_share", compare_top_share},
                                         {"cooccurrence", compare_cooccurrence},
                                         {NULL, NULL}};

void thema_bind_compare(lua_State *L) {
  luaL_newlib(L, compare_funcs);
  lua_setfield(L, -2, "compare");
}
