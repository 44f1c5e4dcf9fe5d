/*
 * bind_qca.c — thema.qca: the fuzzy-set QCA kernels of analysis/qca.c from
 * Lua. Plain tables cross the boundary: arrays of numbers for sets, an array
 * of case rows for a cases x conditions matrix, records for the figures.
 *
 * Two error channels, as in Lua's own library: misuse (a wrong type, an
 * unknown option) raises "bad argument #n to 'fn' (...)"; bad data that a
 * user can fix (anchors out of order, a membership outside [0, 1], no spread
 * to derive anchors from) returns nil plus the kernel's message, so the
 * caller can say which file, line and condition it came from. An undefined
 * figure (a denominator of 0) is nil in the record.
 *
 * Kernel results that own memory are held by a scratch userdata whose __gc
 * frees them, so a memory error half-way through building the Lua tables
 * leaks nothing.
 */
#include <lauxlib.h>
#include <math.h>
#include <string.h>

#include "analysis/qca.h"
#include "base/fs.h"
#include "lua/args.h"
#include "lua/bind.h"
#include "lua/ctx.h"
#include "text/csv.h"
#include "text/number.h"

#define SCRATCH "thema.QcaScratch"

/* What a call allocated in C, freed by __gc whatever happens. */
typedef struct Scratch {
  ThemaQcaTruthTable tt; /* zeroed until built */
  ThemaQcaSolution sol;  /* zeroed until built */
  ThemaQcaModelFit fit;  /* the fit being pushed, zeroed otherwise */
} Scratch;

static int scratch_gc(lua_State *L) {
  Scratch *s = luaL_checkudata(L, 1, SCRATCH);
  thema_qca_model_fit_free(&s->fit);
  thema_qca_solution_free(&s->sol);
  thema_qca_truth_table_free(&s->tt);
  return 0;
}

static Scratch *push_scratch(lua_State *L) {
  Scratch *s = lua_newuserdatauv(L, sizeof *s, 0);
  memset(s, 0, sizeof *s);
  luaL_setmetatable(L, SCRATCH);
  return s;
}

/* A zeroed double array owned by a userdata left on the stack. */
static double *push_doubles(lua_State *L, size_t n) {
  double *d = lua_newuserdatauv(L, (n ? n : 1) * sizeof *d, 0);
  memset(d, 0, (n ? n : 1) * sizeof *d);
  return d;
}

static int push_fail(lua_State *L, const ThemaError *err) {
  luaL_pushfail(L);
  lua_pushstring(L, err->msg);
  return 2;
}

/* Set field k of the table on top to x, or leave it nil when x is NaN. */
static void set_number(lua_State *L, const char *k, double x) {
  if (isnan(x)) return;
  lua_pushnumber(L, x);
  lua_setfield(L, -2, k);
}

/* Argument arg as an array of n values (n from the `n` given, else its
 * length), each a number or nil (missing, NaN) when allow_missing. */
static double *check_values(lua_State *L, int arg, lua_Integer n, int allow_missing,
                            const char *fname) {
  luaL_checktype(L, arg, LUA_TTABLE);
  if (n < 0) n = luaL_len(L, arg);
  double *v = push_doubles(L, (size_t)n);
  for (lua_Integer i = 1; i <= n; i++) {
    int t = lua_geti(L, arg, i);
    if (t == LUA_TNUMBER) {
      v[i - 1] = lua_tonumber(L, -1);
    } else if (t == LUA_TNIL && allow_missing) {
      v[i - 1] = NAN;
    } else {
      luaL_argerror(L, arg,
                    lua_pushfstring(L, "value [%I] must be a number%s, got %s",
                                    (LUAI_UACINT)i, allow_missing ? " or nil" : "",
                                    luaL_typename(L, -1)));
    }
    lua_pop(L, 1);
  }
  (void)fname;
  return v;
}

/* Field anchors = {exclusion=, crossover=, inclusion=} of the table at t. */
static ThemaQcaAnchors check_anchors(lua_State *L, int arg, int t) {
  static const char *const fields[] = {"exclusion", "crossover", "inclusion", NULL};
  if (lua_getfield(L, t, "anchors") != LUA_TTABLE)
    luaL_argerror(L, arg,
                  lua_pushfstring(L, "field 'anchors' must be a table, got %s",
                                  luaL_typename(L, -1)));
  int a = lua_gettop(L);
  thema_lua_check_fields(L, a, fields);
  double v[3];
  for (int i = 0; i < 3; i++) {
    lua_getfield(L, a, fields[i]);
    v[i] = thema_lua_field_number(L, arg, fields[i]);
    lua_pop(L, 1);
  }
  lua_pop(L, 1);
  return (ThemaQcaAnchors){v[0], v[1], v[2]};
}

static lua_Integer opt_count(lua_State *L, int t) {
  lua_Integer n = -1;
  if (lua_getfield(L, t, "n") != LUA_TNIL) {
    n = thema_lua_field_integer(L, t, "n");
    if (n < 0) luaL_argerror(L, t, "field 'n' must not be negative");
  }
  lua_pop(L, 1);
  return n;
}

/* qca.calibrate(values, {method=, anchors=, convention=, n=})
 *   -> memberships (nil where values are), or nil, msg */
static int qca_calibrate(lua_State *L) {
  static const char *const fields[] = {"method", "anchors", "convention", "n", NULL};
  luaL_checktype(L, 2, LUA_TTABLE);
  thema_lua_check_fields(L, 2, fields);
  const char *method = thema_lua_opt_field(L, 2, "method");
  const char *conv = thema_lua_opt_field(L, 2, "convention");
  if (!method) method = "direct";
  if (!conv) conv = "rqca";
  int direct = strcmp(method, "direct") == 0;
  if (!direct && strcmp(method, "indirect") != 0)
    luaL_argerror(
        L, 2,
        lua_pushfstring(L, "method must be 'direct' or 'indirect', not '%s'", method));
  ThemaQcaConvention c = THEMA_QCA_RQCA;
  if (strcmp(conv, "fsqca") == 0)
    c = THEMA_QCA_FSQCA;
  else if (strcmp(conv, "rqca") != 0)
    luaL_argerror(
        L, 2, lua_pushfstring(L, "convention must be 'rqca' or 'fsqca', not '%s'", conv));
  ThemaQcaAnchors a = check_anchors(L, 2, 2);
  lua_Integer n = opt_count(L, 2);
  double *raw = check_values(L, 1, n, 1, "calibrate");
  if (n < 0) n = luaL_len(L, 1);
  double *out = push_doubles(L, (size_t)n);
  ThemaError err = {0};
  int rc = direct ? thema_qca_calibrate_direct(raw, (size_t)n, a, c, out, &err)
                  : thema_qca_calibrate_indirect(raw, (size_t)n, a, out, &err);
  if (rc) return push_fail(L, &err);
  lua_createtable(L, (int)n, 0);
  for (lua_Integer i = 0; i < n; i++) {
    if (isnan(out[i])) continue;
    lua_pushnumber(L, out[i]);
    lua_rawseti(L, -2, i + 1);
  }
  return 1;
}

/* qca.anchors(values [, n]) -> {exclusion=, crossover=, inclusion=}, or nil, msg */
static int qca_anchors(lua_State *L) {
  lua_Integer n = luaL_optinteger(L, 2, -1);
  double *raw = check_values(L, 1, n, 1, "anchors");
  if (n < 0) n = luaL_len(L, 1);
  ThemaQcaAnchors a;
  ThemaError err = {0};
  if (thema_qca_anchors_from_data(raw, (size_t)n, &a, &err)) return push_fail(L, &err);
  lua_createtable(L, 0, 3);
  set_number(L, "exclusion", a.exclusion);
  set_number(L, "crossover", a.crossover);
  set_number(L, "inclusion", a.inclusion);
  return 1;
}

/* qca.log_odds(convention) -> the log-odds at the inclusion anchor */
static int qca_log_odds(lua_State *L) {
  static const char *const names[] = {"rqca", "fsqca", NULL};
  int c = luaL_checkoption(L, 1, "rqca", names);
  lua_pushnumber(L, thema_qca_anchor_log_odds(c ? THEMA_QCA_FSQCA : THEMA_QCA_RQCA));
  return 1;
}

/* Arguments 1 and 2 as two sets of one length. */
static size_t check_pair(lua_State *L, double **x, double **y) {
  lua_Integer n = luaL_len(L, (luaL_checktype(L, 1, LUA_TTABLE), 1));
  luaL_checktype(L, 2, LUA_TTABLE);
  if (luaL_len(L, 2) != n)
    luaL_argerror(L, 2,
                  lua_pushfstring(L, "the outcome has %I values, the condition %I",
                                  (LUAI_UACINT)luaL_len(L, 2), (LUAI_UACINT)n));
  *x = check_values(L, 1, n, 0, "x");
  *y = check_values(L, 2, n, 0, "y");
  return (size_t)n;
}

static void push_sufficiency(lua_State *L, ThemaQcaSufficiency s) {
  lua_createtable(L, 0, 3);
  set_number(L, "consistency", s.consistency);
  set_number(L, "pri", s.pri);
  set_number(L, "coverage", s.coverage);
}

/* qca.sufficiency(x, y) -> {consistency=, pri=, coverage=}, or nil, msg */
static int qca_sufficiency(lua_State *L) {
  double *x, *y;
  size_t n = check_pair(L, &x, &y);
  ThemaQcaSufficiency s;
  ThemaError err = {0};
  if (thema_qca_sufficiency(x, y, n, &s, &err)) return push_fail(L, &err);
  push_sufficiency(L, s);
  return 1;
}

/* qca.necessity(x, y) -> {consistency=, relevance=, coverage=}, or nil, msg */
static int qca_necessity(lua_State *L) {
  double *x, *y;
  size_t n = check_pair(L, &x, &y);
  ThemaQcaNecessity s;
  ThemaError err = {0};
  if (thema_qca_necessity(x, y, n, &s, &err)) return push_fail(L, &err);
  lua_createtable(L, 0, 3);
  set_number(L, "consistency", s.consistency);
  set_number(L, "relevance", s.relevance);
  set_number(L, "coverage", s.coverage);
  return 1;
}

/* A cases x conditions problem: argument 1 the case rows (arrays of k
 * numbers), argument 2 the outcome, argument 3 the options. */
typedef struct Problem {
  double *x, *y;
  size_t n;
  int k;
  ThemaQcaTruthOptions opts;
} Problem;

static void check_problem(lua_State *L, const char *const *fields, Problem *p) {
  luaL_checktype(L, 1, LUA_TTABLE);
  luaL_checktype(L, 2, LUA_TTABLE);
  if (lua_isnoneornil(L, 3)) {
    lua_settop(L, 2);
    lua_newtable(L);
  }
  luaL_checktype(L, 3, LUA_TTABLE);
  thema_lua_check_fields(L, 3, fields);
  lua_Integer n = luaL_len(L, 1);
  if (n < 1) luaL_argerror(L, 1, "no case");
  if (luaL_len(L, 2) != n)
    luaL_argerror(L, 2,
                  lua_pushfstring(L, "the outcome has %I values for %I cases",
                                  (LUAI_UACINT)luaL_len(L, 2), (LUAI_UACINT)n));
  lua_geti(L, 1, 1);
  if (!lua_istable(L, -1)) luaL_argerror(L, 1, "each case must be an array of memberships");
  lua_Integer k = luaL_len(L, -1);
  lua_pop(L, 1);
  if (k < 1 || k > THEMA_QCA_MAX_CONDITIONS)
    luaL_argerror(L, 1,
                  lua_pushfstring(L, "a case has %I conditions; 1 to %d are accepted",
                                  (LUAI_UACINT)k, THEMA_QCA_MAX_CONDITIONS));
  p->n = (size_t)n;
  p->k = (int)k;
  p->x = push_doubles(L, p->n * (size_t)k);
  for (lua_Integer i = 1; i <= n; i++) {
    if (lua_geti(L, 1, i) != LUA_TTABLE || luaL_len(L, -1) != k)
      luaL_argerror(L, 1,
                    lua_pushfstring(L, "case %I must be an array of %I memberships",
                                    (LUAI_UACINT)i, (LUAI_UACINT)k));
    for (lua_Integer j = 1; j <= k; j++) {
      if (lua_geti(L, -1, j) != LUA_TNUMBER)
        luaL_argerror(L, 1,
                      lua_pushfstring(L, "case %I, condition %I: number expected, got %s",
                                      (LUAI_UACINT)i, (LUAI_UACINT)j,
                                      luaL_typename(L, -1)));
      p->x[(size_t)(i - 1) * (size_t)k + (size_t)(j - 1)] = lua_tonumber(L, -1);
      lua_pop(L, 1);
    }
    lua_pop(L, 1);
  }
  p->y = check_values(L, 2, n, 0, "y");
  p->opts = (ThemaQcaTruthOptions){0.8, 0.0, 1};
  if (lua_getfield(L, 3, "incl_cut") != LUA_TNIL)
    p->opts.incl_cut = thema_lua_field_number(L, 3, "incl_cut");
  if (lua_getfield(L, 3, "pri_cut") != LUA_TNIL)
    p->opts.pri_cut = thema_lua_field_number(L, 3, "pri_cut");
  if (lua_getfield(L, 3, "n_cut") != LUA_TNIL) {
    lua_Integer c = thema_lua_field_integer(L, 3, "n_cut");
    if (c < 1) luaL_argerror(L, 3, "field 'n_cut' must be at least 1");
    p->opts.n_cut = (size_t)c;
  }
  lua_pop(L, 3);
}

/* Push array of k 0/1 values of config. */
static void push_config(lua_State *L, uint32_t config, int k) {
  lua_createtable(L, k, 0);
  for (int j = 0; j < k; j++) {
    lua_pushinteger(L, (config >> (k - 1 - j)) & 1);
    lua_rawseti(L, -2, j + 1);
  }
}

/* qca.truth_table(cases, outcome [, {incl_cut=, pri_cut=, n_cut=}])
 *   -> rows (all 2^k, by configuration: {config=, n=, incl=, pri=, outcome=
 *      1|0|"?", cases = {case indices}}), or nil, msg */
static int qca_truth_table(lua_State *L) {
  static const char *const fields[] = {"incl_cut", "pri_cut", "n_cut", NULL};
  Problem p;
  check_problem(L, fields, &p);
  Scratch *s = push_scratch(L);
  ThemaError err = {0};
  if (thema_qca_truth_table(p.x, p.y, p.n, p.k, p.opts, &s->tt, &err))
    return push_fail(L, &err);
  lua_createtable(L, (int)s->tt.nrows, 0);
  for (size_t r = 0; r < s->tt.nrows; r++) {
    const ThemaQcaRow *row = &s->tt.rows[r];
    lua_createtable(L, 0, 6);
    push_config(L, row->config, p.k);
    lua_setfield(L, -2, "config");
    lua_pushinteger(L, (lua_Integer)row->n);
    lua_setfield(L, -2, "n");
    set_number(L, "incl", row->incl);
    set_number(L, "pri", row->pri);
    if (row->outcome == THEMA_QCA_OUT_REMAINDER)
      lua_pushliteral(L, "?");
    else
      lua_pushinteger(L, row->outcome == THEMA_QCA_OUT_TRUE);
    lua_setfield(L, -2, "outcome");
    lua_createtable(L, (int)row->n, 0);
    lua_Integer c = 0;
    for (size_t i = 0; i < p.n; i++)
      if (s->tt.case_row[i] == (int64_t)r) {
        lua_pushinteger(L, (lua_Integer)i + 1);
        lua_rawseti(L, -2, ++c);
      }
    lua_setfield(L, -2, "cases");
    lua_rawseti(L, -2, (lua_Integer)r + 1);
  }
  return 1;
}

/* Push term t's expression over the names at index names. */
static void push_term(lua_State *L, ThemaQcaTerm t, const char *const *names, int k) {
  ThemaBuf b = {0};
  thema_qca_term_format(t, names, k, &b);
  lua_pushstring(L, thema_buf_str(&b));
  thema_buf_free(&b);
}

/* qca.minimise(cases, outcome, {names=, remainders=, incl_cut=, pri_cut=,
 *   n_cut=}) -> {primes = {expression...}, models = {{expression=,
 *   consistency=, pri=, coverage=, terms = {{expression=, consistency=, pri=,
 *   coverage=, unique_coverage=, cases = {indices above 0.5}}}}}}, or nil, msg */
static int qca_minimise(lua_State *L) {
  static const char *const fields[] = {"names",   "remainders", "incl_cut",
                                       "pri_cut", "n_cut",      NULL};
  lua_settop(L, 3);
  luaL_checktype(L, 3, LUA_TTABLE);
  lua_getfield(L, 3, "remainders");
  int remainders = lua_toboolean(L, -1);
  lua_pop(L, 1);
  if (lua_getfield(L, 3, "names") != LUA_TTABLE)
    luaL_argerror(L, 3, "field 'names' must be an array of condition names");
  int names_idx = lua_gettop(L);
  Problem p;
  check_problem(L, fields, &p);
  if (luaL_len(L, names_idx) != p.k)
    luaL_argerror(L, 3,
                  lua_pushfstring(L, "field 'names' has %I names for %d conditions",
                                  (LUAI_UACINT)luaL_len(L, names_idx), p.k));
  const char **names = lua_newuserdatauv(L, (size_t)p.k * sizeof *names, 0);
  for (int j = 0; j < p.k; j++) {
    if (lua_geti(L, names_idx, j + 1) != LUA_TSTRING)
      luaL_argerror(L, 3, lua_pushfstring(L, "names[%d] must be a string", j + 1));
    names[j] = lua_tostring(L, -1); /* alive: the names table holds it */
    lua_pop(L, 1);
  }
  Scratch *s = push_scratch(L);
  ThemaError err = {0};
  if (thema_qca_truth_table(p.x, p.y, p.n, p.k, p.opts, &s->tt, &err) ||
      thema_qca_minimise(&s->tt, remainders, &s->sol, &err))
    return push_fail(L, &err);
  double *m = push_doubles(L, p.n);
  lua_createtable(L, 0, 2);
  lua_createtable(L, (int)s->sol.nprimes, 0);
  for (size_t i = 0; i < s->sol.nprimes; i++) {
    push_term(L, s->sol.primes[i], names, p.k);
    lua_rawseti(L, -2, (lua_Integer)i + 1);
  }
  lua_setfield(L, -2, "primes");
  lua_createtable(L, (int)s->sol.nmodels, 0);
  for (size_t mi = 0; mi < s->sol.nmodels; mi++) {
    const ThemaQcaModel *model = &s->sol.models[mi];
    if (thema_qca_model_fit(p.x, p.y, p.n, p.k, model, &s->fit, &err))
      return push_fail(L, &err);
    lua_createtable(L, 0, 5);
    luaL_Buffer b;
    luaL_buffinit(L, &b);
    for (size_t t = 0; t < model->nterms; t++) {
      if (t) luaL_addstring(&b, " + ");
      push_term(L, model->terms[t], names, p.k);
      luaL_addvalue(&b);
    }
    luaL_pushresult(&b);
    lua_setfield(L, -2, "expression");
    set_number(L, "consistency", s->fit.model.consistency);
    set_number(L, "pri", s->fit.model.pri);
    set_number(L, "coverage", s->fit.model.coverage);
    lua_createtable(L, (int)model->nterms, 0);
    for (size_t t = 0; t < model->nterms; t++) {
      push_sufficiency(L, s->fit.terms[t]);
      push_term(L, model->terms[t], names, p.k);
      lua_setfield(L, -2, "expression");
      set_number(L, "unique_coverage", s->fit.unique_coverage[t]);
      thema_qca_term_membership(p.x, p.n, p.k, model->terms[t], m);
      lua_newtable(L);
      lua_Integer c = 0;
      for (size_t i = 0; i < p.n; i++)
        if (m[i] > 0.5) {
          lua_pushinteger(L, (lua_Integer)i + 1);
          lua_rawseti(L, -2, ++c);
        }
      lua_setfield(L, -2, "cases");
      lua_rawseti(L, -2, (lua_Integer)t + 1);
    }
    lua_setfield(L, -2, "terms");
    thema_qca_model_fit_free(&s->fit);
    lua_rawseti(L, -2, (lua_Integer)mi + 1);
  }
  lua_setfield(L, -2, "models");
  return 1;
}

/* ---- a cases x conditions table from a CSV file ---- */

typedef struct DataRead {
  lua_State *L;
  const char *path;
  char decimal; /* the decimal mark of the file's numbers */
  int rows;     /* stack index of the rows table */
  int header;   /* stack index of the header array */
  lua_Integer n;
} DataRead;

/* One row: the header into d->header, a data row into d->rows as {line=,
 * case=, values = {number or nil}}. A cell that is not a number stops the
 * read with "FILE:LINE: ...". */
static int data_row(const ThemaCsvRow *row, void *ud, ThemaError *err) {
  DataRead *d = ud;
  lua_State *L = d->L;
  if (row->n < 2)
    return thema_error_at(err, THEMA_EINPUT, d->path, row->line, 0,
                          "a cases x conditions table needs a case column and at least one "
                          "more column");
  if (row->line == 1 || lua_rawlen(L, d->header) == 0) {
    for (int j = 0; j < row->n; j++) {
      lua_pushstring(L, row->fields[j]);
      lua_rawseti(L, d->header, j + 1);
    }
    return THEMA_OK;
  }
  lua_createtable(L, 0, 3);
  lua_pushinteger(L, row->line);
  lua_setfield(L, -2, "line");
  lua_pushstring(L, row->fields[0]);
  lua_setfield(L, -2, "case");
  lua_createtable(L, row->n - 1, 0);
  for (int j = 1; j < row->n; j++) {
    double v;
    int percent = 0;
    const char *f = row->fields[j];
    int rc = thema_number_parse(f, strlen(f), d->decimal, &v, &percent);
    if (rc == THEMA_NUM_BAD || (rc == THEMA_NUM_OK && !isfinite(v))) {
      lua_rawgeti(L, d->header, j + 1);
      thema_error_at(err, THEMA_EINPUT, d->path, row->line, 0,
                     "column %s of case '%s': '%s' is not a number; give a number (decimal "
                     "mark '%c') or leave the cell empty for a missing value",
                     lua_tostring(L, -1), row->fields[0], f, d->decimal);
      lua_pop(L, 3);
      return THEMA_EINPUT;
    }
    if (rc == THEMA_NUM_OK) {
      lua_pushnumber(L, percent ? v / 100.0 : v);
      lua_rawseti(L, -2, j);
    }
  }
  lua_setfield(L, -2, "values");
  lua_rawseti(L, d->rows, ++d->n);
  return THEMA_OK;
}

/* qca.read_data(path) -> {header = {names}, rows = {{line=, case=, values=}}},
 * or nil, "FILE:LINE: msg". A byte order mark is skipped and the delimiter
 * sniffed; with ';' numbers take
 * a decimal comma ("0,95"), otherwise a decimal point; "" and "-" are
 * missing (nil). The path must be readable under the sandbox's policy. */
static int qca_read_data(lua_State *L) {
  const char *path = luaL_checkstring(L, 1);
  ThemaLuaCtx *ctx = thema_ctx_get(L);
  ThemaError err = {0};
  if (ctx->paths && !thema_paths_allowed(ctx->paths, ctx->run_plugin, path, 0)) {
    thema_error_set(&err, THEMA_EINPUT, "%s: outside the folders a plugin may read", path);
    return push_fail(L, &err);
  }
  ThemaBuf text = {0};
  if (thema_fs_read(path, &text, &err)) {
    thema_buf_free(&text);
    return push_fail(L, &err);
  }
  /* Copy the text into Lua's memory, so a raise below leaks nothing. */
  size_t len = text.len;
  char *copy = lua_newuserdatauv(L, len ? len : 1, 0);
  memcpy(copy, thema_buf_str(&text), len);
  thema_buf_free(&text);
  /* A spreadsheet's UTF-8 byte order mark is not part of the first name. */
  const char *body = copy;
  if (len >= 3 && memcmp(copy, "\xEF\xBB\xBF", 3) == 0) body += 3, len -= 3;
  char delim = thema_csv_sniff(body, len);
  lua_createtable(L, 0, 2);
  int result = lua_gettop(L);
  lua_newtable(L);
  int header = lua_gettop(L);
  lua_newtable(L);
  int rows = lua_gettop(L);
  DataRead d = {L, path, delim == ';' ? ',' : '.', rows, header, 0};
  if (thema_csv_read(path, body, len, delim, data_row, &d, &err)) return push_fail(L, &err);
  if (lua_rawlen(L, header) == 0) {
    thema_error_set(&err, THEMA_EINPUT, "%s: empty file; a header row is expected", path);
    return push_fail(L, &err);
  }
  lua_setfield(L, result, "rows");
  lua_setfield(L, result, "header");
  return 1;
}

static const luaL_Reg qca_funcs[] = {{"read_data", qca_read_data},
                                     {"calibrate", qca_calibrate},
                                     {"anchors", qca_anchors},
                                     {"log_odds", qca_log_odds},
                                     {"sufficiency", qca_sufficiency},
                                     {"necessity", qca_necessity},
                                     {"truth_table", qca_truth_table},
                                     {"minimise", qca_minimise},
                                     {NULL, NULL}};

void thema_bind_qca(lua_State *L) {
  if (luaL_newmetatable(L, SCRATCH)) {
    lua_pushcfunction(L, scratch_gc);
    lua_setfield(L, -2, "__gc");
  }
  lua_pop(L, 1);
  luaL_newlib(L, qca_funcs);
  lua_setfield(L, -2, "qca");
}
