/*
 * bind_corpus.c — thema.corpus: the familiarisation tables of the command
 * line (analysis/corpus over analysis/dtm) for plugins, as arrays of plain
 * rows in the commands' order.
 *
 *   corpus.freq(opts)          -> { {term=, n=, count=, per_1000=, segments=
 *                                    [, stem=] [, group=]}, ... }
 *   corpus.keyness(opts)       -> { {term=, n=, target=, reference=,
 *                                    target_per_1000=, reference_per_1000=,
 *                                    g2=, log_ratio=, p=, kwic=}, ... }
 *   corpus.collocations(opts)  -> { {first=, second=, count=, first_count=,
 *                                    second_count=, pmi=, npmi=, g2=}, ... }
 *
 * opts (all optional unless said): filters (a table as for thema.segments),
 * by (a grouping spec; keyness: required), group (keyness: required),
 * against, lang, stem, stopwords (false keeps them), fillers (false keeps
 * them), numbers, leave_out (a list of words, or a path of a list file as
 * the commands' --stopwords), min, min_chars, ngram (N or {N, M}), limit
 * (0 or nil: all). The counter lives in a userdata, so an error raised
 * half-way frees it with the state's next collection.
 */
#include <lauxlib.h>
#include <lua.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/corpus.h"
#include "analysis/dtm.h"
#include "lua/args.h"
#include "lua/bind.h"
#include "lua/ctx.h"
#include "store/grouping.h"
#include "text/tokens.h"
#include "text/wordlists.h"

#define COUNTER_MT "thema.CorpusCounter"

typedef struct Counter {
  ThemaDtm *d;       /* owned; NULL once freed */
  ThemaVocab *leave; /* owned; NULL when none */
  void *rows;        /* a table's rows while they are pushed; owned */
} Counter;

static int counter_gc(lua_State *L) {
  Counter *c = luaL_checkudata(L, 1, COUNTER_MT);
  thema_dtm_free(c->d);
  thema_vocab_free(c->leave);
  free(c->rows);
  c->d = NULL;
  c->leave = NULL;
  c->rows = NULL;
  return 0;
}

static const char *const fields[] = {
    "filters", "by",        "group", "against",   "lang",  "stem",  "stopwords", "fillers",
    "numbers", "leave_out", "min",   "min_chars", "ngram", "limit", NULL};

static int opt_bool(lua_State *L, int t, const char *k, int dflt) {
  int ty = lua_getfield(L, t, k);
  int v = ty == LUA_TNIL ? dflt : lua_toboolean(L, -1);
  if (ty != LUA_TNIL && ty != LUA_TBOOLEAN)
    luaL_argerror(L, 1, lua_pushfstring(L, "field '%s' must be a boolean", k));
  lua_pop(L, 1);
  return v;
}

static lua_Integer opt_int(lua_State *L, int t, const char *k, lua_Integer dflt,
                           lua_Integer lo, lua_Integer hi) {
  if (lua_getfield(L, t, k) == LUA_TNIL) {
    lua_pop(L, 1);
    return dflt;
  }
  lua_Integer v = thema_lua_field_integer(L, 1, k);
  if (v < lo || v > hi)
    luaL_argerror(L, 1, lua_pushfstring(L, "field '%s' must be from %I to %I", k, lo, hi));
  lua_pop(L, 1);
  return v;
}

/* Read opts (argument 1) into a counter pushed on the stack, and count. */
static Counter *count(lua_State *L, const char *fn, int keep_rows, int pairs,
                      int64_t *min_count, int64_t *limit, int64_t dflt_min) {
  luaL_checktype(L, 1, LUA_TTABLE);
  thema_lua_check_fields(L, 1, fields);
  ThemaDtmOptions o;
  thema_dtm_defaults(&o);
  const char *lang = thema_lua_opt_field(L, 1, "lang");
  if (lang) o.language = lang;
  o.stem = opt_bool(L, 1, "stem", 0);
  o.stopwords = opt_bool(L, 1, "stopwords", 1);
  o.fillers = opt_bool(L, 1, "fillers", 1);
  o.numbers = opt_bool(L, 1, "numbers", 0);
  o.min_chars = (int)opt_int(L, 1, "min_chars", 1, 1, 100);
  *min_count = opt_int(L, 1, "min", dflt_min, 1, INT64_MAX);
  *limit = opt_int(L, 1, "limit", 0, 0, INT64_MAX);
  int ty = lua_getfield(L, 1, "ngram");
  if (ty == LUA_TNUMBER) {
    o.ngram_min = o.ngram_max = (int)thema_lua_field_integer(L, 1, "ngram");
  } else if (ty == LUA_TTABLE) {
    lua_rawgeti(L, -1, 1);
    o.ngram_min = (int)thema_lua_field_integer(L, 1, "ngram");
    lua_pop(L, 1);
    lua_rawgeti(L, -1, 2);
    o.ngram_max = (int)thema_lua_field_integer(L, 1, "ngram");
    lua_pop(L, 1);
  } else if (ty != LUA_TNIL) {
    luaL_argerror(L, 1, "field 'ngram' must be N or {N, M}");
  }
  lua_pop(L, 1);
  o.keep_rows = keep_rows;
  o.pairs = pairs;
  Counter *c = lua_newuserdatauv(L, sizeof *c, 0);
  memset(c, 0, sizeof *c);
  luaL_setmetatable(L, COUNTER_MT);
  int cidx = lua_gettop(L);
  ThemaError err = {0};
  ty = lua_getfield(L, 1, "leave_out");
  if (ty == LUA_TSTRING) {
    c->leave = thema_vocab_new();
    thema_wordlist_read(c->leave, lua_tostring(L, -1), &err);
    thema_lua_raise_if(L, &err);
  } else if (ty == LUA_TTABLE) {
    c->leave = thema_vocab_new();
    ThemaBuf f = {0};
    for (lua_Integer i = 1;; i++) {
      if (lua_rawgeti(L, -1, i) == LUA_TNIL) {
        lua_pop(L, 1);
        break;
      }
      size_t n;
      const char *w = lua_tolstring(L, -1, &n);
      if (!w) {
        thema_buf_free(&f);
        luaL_argerror(L, 1, "field 'leave_out' must list strings");
      }
      thema_buf_reset(&f);
      thema_tokens_fold(&f, w, n);
      thema_vocab_intern(c->leave, thema_buf_str(&f), f.len, NULL);
      lua_pop(L, 1);
    }
    thema_buf_free(&f);
  } else if (ty != LUA_TNIL) {
    luaL_argerror(L, 1, "field 'leave_out' must be a list of words or a file path");
  }
  lua_pop(L, 1);
  o.leave_out = c->leave;
  if (thema_dtm_new(&o, &c->d, &err)) thema_lua_raise_if(L, &err);
  lua_getfield(L, 1, "filters"); /* stays on the stack: its strings */
  int fidx = lua_gettop(L);
  ThemaCursor *segments = thema_bind_query(L, THEMA_SEGMENTS, fidx);
  const char *by = thema_lua_opt_field(L, 1, "by");
  ThemaStore *st = thema_ctx_get(L)->st;
  if (by) {
    ThemaGrouping g;
    if (thema_grouping_parse(st, by, &g, &err) ||
        thema_dtm_read_grouped_over(c->d, st, &g, segments, &err))
      thema_lua_raise_if(L, &err);
  } else if (thema_dtm_read_cursor(c->d, segments, &err)) {
    thema_lua_raise_if(L, &err);
  }
  lua_settop(L, cidx);
  if (thema_dtm_nsegments(c->d) == 0)
    luaL_error(L, "%s: no segments match the filters", fn);
  thema_dtm_finish(c->d);
  return c;
}

static void set_str(lua_State *L, const char *k, const char *v) {
  lua_pushstring(L, v);
  lua_setfield(L, -2, k);
}
static void set_int(lua_State *L, const char *k, int64_t v) {
  lua_pushinteger(L, (lua_Integer)v);
  lua_setfield(L, -2, k);
}
static void set_num(lua_State *L, const char *k, double v) {
  lua_pushnumber(L, v);
  lua_setfield(L, -2, k);
}

static void push_freq(lua_State *L, Counter *c, const char *group, const int64_t *counts,
                      const int64_t *docs, int64_t min_count, int64_t limit,
                      lua_Integer *at) {
  ThemaFreqRow *rows;
  int64_t n;
  thema_corpus_freq(c->d, counts, docs, min_count, limit, &rows, &n);
  c->rows = rows;
  for (int64_t i = 0; i < n; i++) {
    ThemaTerm t;
    thema_dtm_term(c->d, rows[i].term, &t);
    lua_createtable(L, 0, 7);
    set_str(L, "term", t.label);
    set_int(L, "n", t.n);
    set_int(L, "count", rows[i].count);
    set_num(L, "per_1000", rows[i].per_1000);
    set_int(L, "segments", rows[i].docs);
    if (strcmp(t.label, t.key) != 0) set_str(L, "stem", t.key);
    if (group) set_str(L, "group", group);
    lua_rawseti(L, -2, ++*at);
  }
  c->rows = NULL;
  free(rows);
}

/* corpus.freq(opts) -> rows */
static int corpus_freq(lua_State *L) {
  int64_t min_count, limit;
  int by = lua_istable(L, 1) && lua_getfield(L, 1, "by") != LUA_TNIL;
  if (lua_istable(L, 1)) lua_pop(L, 1);
  Counter *c = count(L, "freq", by, 0, &min_count, &limit, 1);
  lua_newtable(L);
  lua_Integer at = 0;
  if (!by) {
    push_freq(L, c, NULL, NULL, NULL, min_count, limit, &at);
    return 1;
  }
  int ng = thema_dtm_ngroups(c->d);
  uint32_t nt = thema_dtm_nterms(c->d);
  /* counts and docs in one block kept by the counter */
  int64_t *block = thema_xmalloc(2 * (nt ? nt : 1) * sizeof *block);
  char **labels = thema_xmalloc((size_t)(ng ? ng : 1) * sizeof *labels);
  for (int g = 0; g < ng; g++) labels[g] = (char *)thema_dtm_group_label(c->d, g);
  qsort(labels, (size_t)ng, sizeof *labels, thema_cmp_str);
  for (int g = 0; g < ng; g++) {
    thema_dtm_group_counts(c->d, thema_dtm_group_find(c->d, labels[g]), block,
                           block + (nt ? nt : 1));
    push_freq(L, c, labels[g], block, block + (nt ? nt : 1), min_count, limit, &at);
  }
  free(labels);
  free(block);
  return 1;
}

/* corpus.keyness(opts) -> rows */
static int corpus_keyness(lua_State *L) {
  luaL_checktype(L, 1, LUA_TTABLE);
  const char *by = thema_lua_opt_field(L, 1, "by");
  const char *group = thema_lua_opt_field(L, 1, "group");
  const char *against = thema_lua_opt_field(L, 1, "against");
  if (!by || !group) luaL_argerror(L, 1, "keyness needs fields 'by' and 'group'");
  int64_t min_count, limit;
  Counter *c = count(L, "keyness", 1, 0, &min_count, &limit, 3);
  int target = thema_dtm_group_find(c->d, group), other = THEMA_CORPUS_REST;
  if (target < 0) return luaL_error(L, "keyness: no group '%s' under '%s'", group, by);
  if (against && (other = thema_dtm_group_find(c->d, against)) < 0)
    return luaL_error(L, "keyness: no group '%s' under '%s'", against, by);
  ThemaKeyRow *rows;
  int64_t n;
  ThemaError err = {0};
  if (thema_corpus_keyness(c->d, target, other, min_count, &rows, &n, &err))
    thema_lua_raise_if(L, &err);
  c->rows = rows;
  if (limit > 0 && n > limit) n = limit;
  lua_createtable(L, (int)n, 0);
  ThemaBuf kwic = {0};
  for (int64_t i = 0; i < n; i++) {
    ThemaTerm t;
    const ThemaKeyness *k = &rows[i].k;
    thema_dtm_term(c->d, rows[i].term, &t);
    lua_createtable(L, 0, 10);
    set_str(L, "term", t.label);
    set_int(L, "n", t.n);
    set_int(L, "target", k->a);
    set_int(L, "reference", k->b);
    set_num(L, "target_per_1000", 1000.0 * (double)k->a / (double)k->n1);
    set_num(L, "reference_per_1000", 1000.0 * (double)k->b / (double)k->n2);
    set_num(L, "g2", k->g2);
    set_num(L, "log_ratio", k->log_ratio);
    set_num(L, "p", k->p);
    thema_buf_reset(&kwic);
    thema_corpus_kwic_pattern(c->d, rows[i].term, &kwic);
    lua_pushlstring(L, thema_buf_str(&kwic), kwic.len);
    lua_setfield(L, -2, "kwic");
    lua_rawseti(L, -2, (lua_Integer)i + 1);
  }
  thema_buf_free(&kwic);
  c->rows = NULL;
  free(rows);
  return 1;
}

/* corpus.collocations(opts) -> rows */
static int corpus_collocations(lua_State *L) {
  int64_t min_count, limit;
  Counter *c = count(L, "collocations", 0, 1, &min_count, &limit, 3);
  ThemaCollocRow *rows;
  int64_t n;
  thema_corpus_collocations(c->d, min_count, &rows, &n);
  c->rows = rows;
  if (limit > 0 && n > limit) n = limit;
  lua_createtable(L, (int)n, 0);
  for (int64_t i = 0; i < n; i++) {
    ThemaTerm x, y;
    thema_dtm_term(c->d, rows[i].x, &x);
    thema_dtm_term(c->d, rows[i].y, &y);
    lua_createtable(L, 0, 8);
    set_str(L, "first", x.label);
    set_str(L, "second", y.label);
    set_int(L, "count", rows[i].count);
    set_int(L, "first_count", rows[i].x_first);
    set_int(L, "second_count", rows[i].y_second);
    set_num(L, "pmi", rows[i].assoc.pmi);
    set_num(L, "npmi", rows[i].assoc.npmi);
    set_num(L, "g2", rows[i].assoc.g2);
    lua_rawseti(L, -2, (lua_Integer)i + 1);
  }
  c->rows = NULL;
  free(rows);
  return 1;
}

static const luaL_Reg corpus_funcs[] = {{"freq", corpus_freq},
                                        {"keyness", corpus_keyness},
                                        {"collocations", corpus_collocations},
                                        {NULL, NULL}};

void thema_bind_corpus(lua_State *L) {
  if (luaL_newmetatable(L, COUNTER_MT)) {
    lua_pushcfunction(L, counter_gc);
    lua_setfield(L, -2, "__gc");
  }
  lua_pop(L, 1);
  luaL_newlib(L, corpus_funcs);
  lua_setfield(L, -2, "corpus");
}
