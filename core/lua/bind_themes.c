/*
 * bind_themes.c — thema.corpus.themes: the inductive pass's C side from Lua.
 *
 *   local th = thema.corpus.themes{ filters = {...}, method = "nmf", k = 8, ... }
 *   th:summary()     -> plain table: selection, themes with their figures,
 *                       quotes (segment ids), phrases, near duplicates, the
 *                       overlap with every code not under inductive/
 *   th:store(paths)  -> codings written: the earlier inductive codes go (with
 *                       their codings), paths[t] becomes theme t's code
 *                       (origin inductive) coding the segments it covers
 *   th:rows()        -> the selected segments' ids, in the order of the matrix
 *   th:tokens(id)    -> the terms of a selected segment, space-separated (for
 *                       exports that must see the pass's own tokens)
 *   th:close()
 *
 * The segments are read, tokenised and weighed in one pass
 * (analysis/theme_input), the themes fitted by analysis/themes; nothing
 * crosses into Lua but options and figures. Misuse raises; bad input (no
 * segment left, more themes than segments, an unknown language) raises with
 * the kernel's message.
 */
#include <lauxlib.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/theme_input.h"
#include "analysis/themes.h"
#include "lua/args.h"
#include "lua/bind.h"
#include "lua/ctx.h"
#include "store/code.h"
#include "store/coding.h"
#include "store/query.h"

#define THEMES_MT "thema.Themes"
#define QUOTES 5
#define PHRASE_TERMS 20

typedef struct Themes {
  int open;             /* 1 until closed */
  ThemaThemeInput in;   /* the segments and their matrix */
  ThemaThemeSet set;    /* the themes */
  double min_share;     /* coverage rule */
  double merge_cosine;  /* near duplicates: term cosine at least this */
  double merge_jaccard; /* or segment Jaccard at least this */
  uint8_t *covered;     /* n × k */
  int ncodes;           /* codes reviewed */
  char **code_path;     /* their paths, sorted */
  int64_t *code_ptr;    /* ncodes + 1 offsets into code_rows */
  int32_t *code_rows;   /* selected rows each code codes */
  int64_t *shared;      /* k × ncodes */
  int64_t *code_size;   /* ncodes */
} Themes;

static int themes_close(lua_State *L) {
  Themes *t = luaL_checkudata(L, 1, THEMES_MT);
  if (!t->open) return 0;
  t->open = 0;
  thema_theme_input_free(&t->in);
  thema_themes_free(&t->set);
  free(t->covered);
  for (int c = 0; c < t->ncodes; c++) free(t->code_path[c]);
  free(t->code_path);
  free(t->code_ptr);
  free(t->code_rows);
  free(t->shared);
  free(t->code_size);
  return 0;
}

static Themes *check_open(lua_State *L) {
  Themes *t = luaL_checkudata(L, 1, THEMES_MT);
  luaL_argcheck(L, t->open, 1, "themes already closed");
  return t;
}

/* ---- options ---- */

static int opt_int(lua_State *L, int t, const char *k, int def) {
  if (lua_getfield(L, t, k) == LUA_TNIL) {
    lua_pop(L, 1);
    return def;
  }
  lua_Integer v = thema_lua_field_integer(L, 1, k);
  lua_pop(L, 1);
  return (int)v;
}

static double opt_num(lua_State *L, int t, const char *k, double def) {
  if (lua_getfield(L, t, k) == LUA_TNIL) {
    lua_pop(L, 1);
    return def;
  }
  double v = thema_lua_field_number(L, 1, k);
  lua_pop(L, 1);
  return v;
}

/* A list of strings at field k, kept alive by a table left on the stack;
 * *n entries, stored in a userdata also left on the stack. */
static const char **opt_list(lua_State *L, int t, const char *k, int *n) {
  *n = 0;
  int ty = lua_getfield(L, t, k); /* stays on the stack */
  if (ty == LUA_TNIL) return NULL;
  if (ty != LUA_TTABLE)
    luaL_argerror(L, 1, lua_pushfstring(L, "field '%s' must be a list of strings", k));
  lua_Integer len = luaL_len(L, -1);
  const char **a = lua_newuserdatauv(L, (size_t)(len + 1) * sizeof *a, 0);
  for (lua_Integer i = 1; i <= len; i++) {
    lua_geti(L, -2, i);
    if (lua_type(L, -1) != LUA_TSTRING)
      luaL_argerror(L, 1, lua_pushfstring(L, "field '%s' must be a list of strings", k));
    a[i - 1] = lua_tostring(L, -1); /* lives in the list table */
    lua_pop(L, 1);
  }
  a[len] = NULL;
  *n = (int)len;
  return a;
}

/* ---- the review: every visible coding of a code not under inductive/ ---- */

typedef struct Pair {
  int32_t code, row;
} Pair;

static int by_pair(const void *a, const void *b) {
  const Pair *x = a, *y = b;
  if (x->code != y->code) return x->code < y->code ? -1 : 1;
  return (x->row > y->row) - (x->row < y->row);
}

static int is_inductive(const char *path) {
  return !strcmp(path, "inductive") || !strncmp(path, "inductive/", 10);
}

static int read_codes(ThemaStore *st, Themes *t, ThemaError *err) {
  ThemaCursor *cur = NULL;
  if (thema_query_open(st, THEMA_CODES, NULL, 0, &cur, err)) return err->status;
  int cp = thema_cursor_column(cur, "path");
  size_t cap = 0;
  int r;
  while ((r = thema_cursor_step(cur, err)) == 1) { /* codes come in path order */
    const char *path = thema_cursor_text(cur, cp, NULL);
    if (is_inductive(path)) continue;
    if ((size_t)t->ncodes == cap) {
      cap = cap ? cap * 2 : 64;
      t->code_path = thema_xrealloc(t->code_path, cap * sizeof *t->code_path);
    }
    t->code_path[t->ncodes++] = thema_xstrdup(path);
  }
  thema_cursor_close(cur);
  if (r < 0) return err->status;
  Pair *pairs = NULL;
  size_t np = 0, pcap = 0;
  if (thema_query_open(st, THEMA_CODINGS, NULL, 0, &cur, err)) return err->status;
  int cc = thema_cursor_column(cur, "code"), cs = thema_cursor_column(cur, "segment");
  while ((r = thema_cursor_step(cur, err)) == 1) {
    const char *path = thema_cursor_text(cur, cc, NULL);
    if (is_inductive(path)) continue;
    int32_t row = thema_theme_input_row(&t->in, thema_cursor_int(cur, cs));
    if (row < 0) continue; /* a segment the selection left out */
    /* the code's index: binary search over the sorted paths */
    int lo = 0, hi = t->ncodes - 1, found = -1;
    while (lo <= hi) {
      int mid = (lo + hi) / 2, c = strcmp(t->code_path[mid], path);
      if (!c) {
        found = mid;
        break;
      }
      if (c < 0)
        lo = mid + 1;
      else
        hi = mid - 1;
    }
    if (found < 0) continue;
    if (np == pcap) {
      pcap = pcap ? pcap * 2 : 1024;
      pairs = thema_xrealloc(pairs, pcap * sizeof *pairs);
    }
    pairs[np++] = (Pair){found, row};
  }
  thema_cursor_close(cur);
  if (r < 0) {
    free(pairs);
    return err->status;
  }
  if (np) qsort(pairs, np, sizeof *pairs, by_pair); /* a store without codings: none */
  t->code_ptr = thema_xcalloc((size_t)t->ncodes + 1, sizeof *t->code_ptr);
  t->code_rows = thema_xmalloc((np ? np : 1) * sizeof *t->code_rows);
  size_t u = 0;
  for (size_t i = 0; i < np; i++) {
    if (i && pairs[i].code == pairs[i - 1].code && pairs[i].row == pairs[i - 1].row)
      continue;
    t->code_rows[u++] = pairs[i].row;
    t->code_ptr[pairs[i].code + 1]++;
  }
  for (int c = 0; c < t->ncodes; c++) t->code_ptr[c + 1] += t->code_ptr[c];
  free(pairs);
  int k = t->set.k;
  t->shared =
      thema_xcalloc((size_t)k * (size_t)(t->ncodes ? t->ncodes : 1), sizeof *t->shared);
  t->code_size = thema_xcalloc((size_t)(t->ncodes ? t->ncodes : 1), sizeof *t->code_size);
  thema_themes_overlap(t->covered, t->in.n, k, t->code_ptr, t->code_rows, t->ncodes,
                       t->shared, t->code_size);
  return THEMA_OK;
}

/* Close the Themes at the top of the stack and raise err. */
__attribute__((noreturn)) static void fail(lua_State *L, const ThemaError *err) {
  lua_pushcfunction(L, themes_close);
  lua_pushvalue(L, -2);
  lua_call(L, 1, 0);
  if (err->status == THEMA_EINPUT || err->status == THEMA_EUSAGE) {
    /* the user's data or options: an input error (exit 2), not a bug */
    lua_pushcfunction(L, thema_ctx_input_error);
    lua_pushstring(L, err->msg);
    lua_call(L, 1, 0);
  }
  thema_lua_raise_if(L, err);
  abort(); /* not reached */
}

/* corpus.themes(options) -> Themes */
static int corpus_themes(lua_State *L) {
  static const char *const fields[] = {"filters",
                                       "method",
                                       "k",
                                       "k_min",
                                       "k_max",
                                       "seed",
                                       "language",
                                       "stem",
                                       "min_df",
                                       "max_df",
                                       "top_terms",
                                       "min_terms",
                                       "stability_runs",
                                       "subsample",
                                       "max_iter",
                                       "tol",
                                       "min_share",
                                       "exclude_speakers",
                                       "exclude_roles",
                                       "procedural",
                                       "min_words",
                                       "word_files",
                                       "max_terms",
                                       "min_cooc",
                                       "resolution",
                                       "merge_cosine",
                                       "merge_jaccard",
                                       "stop_words",
                                       NULL};
  luaL_checktype(L, 1, LUA_TTABLE);
  thema_lua_check_fields(L, 1, fields);
  ThemaLuaCtx *ctx = thema_ctx_get(L);
  ThemaThemeOptions o = {0};
  const char *method = thema_lua_opt_field(L, 1, "method");
  if (!method || !strcmp(method, "nmf"))
    o.method = THEMA_THEMES_NMF;
  else if (!strcmp(method, "leiden"))
    o.method = THEMA_THEMES_LEIDEN;
  else
    luaL_argerror(L, 1, "field 'method' must be 'nmf' or 'leiden'");
  o.k = opt_int(L, 1, "k", 0);
  luaL_argcheck(L, o.k >= 0, 1, "field 'k' must be 0 (choose) or a positive integer");
  o.k_min = opt_int(L, 1, "k_min", 3);
  o.k_max = opt_int(L, 1, "k_max", 12);
  lua_getfield(L, 1, "seed");
  o.seed = lua_isnil(L, -1) ? 1 : thema_lua_field_integer(L, 1, "seed");
  lua_pop(L, 1);
  o.top_terms = opt_int(L, 1, "top_terms", PHRASE_TERMS);
  o.min_terms = opt_int(L, 1, "min_terms", 3);
  o.stability_runs = opt_int(L, 1, "stability_runs", 5);
  o.subsample = opt_num(L, 1, "subsample", 0.8);
  luaL_argcheck(L, o.subsample > 0 && o.subsample <= 1, 1,
                "field 'subsample' must be in (0, 1]");
  o.max_iter = opt_int(L, 1, "max_iter", 200);
  o.tol = opt_num(L, 1, "tol", 1e-4);
  o.graph.max_terms = opt_int(L, 1, "max_terms", 1000);
  o.graph.min_cooc = opt_int(L, 1, "min_cooc", 3);
  o.graph.resolution = opt_num(L, 1, "resolution", 1);
  ThemaSelectRule rule = {0};
  rule.exclude_speakers = opt_list(L, 1, "exclude_speakers", &rule.nexclude_speakers);
  rule.exclude_roles = opt_list(L, 1, "exclude_roles", &rule.nexclude_roles);
  lua_getfield(L, 1, "procedural");
  if (lua_isnil(L, -1))
    rule.procedural = thema_theme_procedural_default;
  else if (lua_type(L, -1) == LUA_TSTRING)
    rule.procedural = lua_tostring(L, -1);
  else if (lua_isboolean(L, -1) && !lua_toboolean(L, -1))
    rule.procedural = NULL;
  else
    luaL_argerror(L, 1, "field 'procedural' must be a pattern or false");
  rule.min_words = opt_int(L, 1, "min_words", 4);
  ThemaTermOptions to = {0};
  to.language = thema_lua_opt_field(L, 1, "language");
  if (!to.language) to.language = "dutch";
  lua_getfield(L, 1, "stem");
  to.stem = lua_isnil(L, -1) ? 1 : lua_toboolean(L, -1);
  to.min_df = opt_int(L, 1, "min_df", 2);
  to.max_df = opt_num(L, 1, "max_df", 0.5);
  to.word_files = opt_list(L, 1, "word_files", &to.nword_files);
  int nextra;
  to.extra_words = opt_list(L, 1, "stop_words", &nextra);
  double min_share = opt_num(L, 1, "min_share", 0.35);
  double merge_cosine = opt_num(L, 1, "merge_cosine", 0.3);
  double merge_jaccard = opt_num(L, 1, "merge_jaccard", 0.5);

  lua_getfield(L, 1, "filters");
  ThemaCursor *cur = thema_bind_query(L, THEMA_SEGMENTS, lua_gettop(L));
  Themes *t = lua_newuserdatauv(L, sizeof *t, 0);
  memset(t, 0, sizeof *t);
  luaL_setmetatable(L, THEMES_MT);
  t->open = 1;
  t->min_share = min_share;
  t->merge_cosine = merge_cosine;
  t->merge_jaccard = merge_jaccard;
  ThemaError err = {0};
  if (thema_theme_input_read(cur, &rule, &to, &t->in, &err) == THEMA_OK) {
    if (t->in.n == 0) {
      thema_error_set(
          &err, THEMA_EINPUT,
          "themes: the selection is empty: %lld segments read, %lld left out for "
          "the speaker, %lld for the role, %lld as procedural, %lld as shorter "
          "than %d content words; widen the filters or relax the rule",
          (long long)t->in.counts_by.read, (long long)t->in.counts_by.speaker,
          (long long)t->in.counts_by.role, (long long)t->in.counts_by.procedural,
          (long long)t->in.counts_by.short_turns, rule.min_words);
    } else {
      ThemaPostings P;
      thema_postings_build(&t->in.tfidf, &P);
      thema_themes_fit(&t->in.tfidf, &P, &o, &t->set, &err);
      thema_postings_free(&P);
    }
  }
  if (err.status) fail(L, &err);
  int k = t->set.k;
  t->covered = thema_xcalloc((size_t)t->in.n * (size_t)k + 1, 1);
  for (int32_t i = 0; i < t->in.n; i++)
    for (int u = 0; u < k; u++)
      t->covered[(size_t)i * (size_t)k + (size_t)u] =
          (uint8_t)thema_themes_covers(&t->set, i, u, min_share);
  if (read_codes(ctx->st, t, &err)) fail(L, &err);
  return 1;
}

/* ---- summary ---- */

static void set_num(lua_State *L, const char *k, double v) {
  lua_pushnumber(L, v);
  lua_setfield(L, -2, k);
}
static void set_int(lua_State *L, const char *k, lua_Integer v) {
  lua_pushinteger(L, v);
  lua_setfield(L, -2, k);
}
static void set_str(lua_State *L, const char *k, const char *v) {
  lua_pushstring(L, v);
  lua_setfield(L, -2, k);
}

typedef struct Phrase {
  int64_t count;
  int a, b; /* places in the top list */
} Phrase;

static int by_phrase(const void *x, const void *y) {
  const Phrase *p = x, *q = y;
  if (p->count != q->count) return p->count > q->count ? -1 : 1;
  if (p->a != q->a) return p->a - q->a;
  return p->b - q->b;
}

/* The two-word phrases of theme u: adjacent terms both among its top terms,
 * counted over the segments it covers; the three most frequent seen twice. */
static void push_phrases(lua_State *L, const Themes *t, int u) {
  const ThemaThemeSet *s = &t->set;
  const int32_t *top = s->top + (size_t)u * (size_t)s->top_terms;
  int nt = 0;
  while (nt < s->top_terms && nt < PHRASE_TERMS && top[nt] >= 0) nt++;
  int64_t counts[PHRASE_TERMS * PHRASE_TERMS] = {0};
  int k = s->k;
  for (int32_t i = 0; i < t->in.n; i++) {
    if (!t->covered[(size_t)i * (size_t)k + (size_t)u]) continue;
    int prev = -1;
    for (int64_t p = t->in.seq_ptr[i]; p < t->in.seq_ptr[i + 1]; p++) {
      int32_t c = t->in.seq[p], at = -1;
      for (int j = 0; c >= 0 && j < nt; j++)
        if (top[j] == c) at = j;
      if (prev >= 0 && at >= 0 && prev != at) counts[prev * PHRASE_TERMS + at]++;
      prev = at;
    }
  }
  Phrase ph[PHRASE_TERMS * PHRASE_TERMS];
  int np = 0;
  for (int a = 0; a < nt; a++)
    for (int b = 0; b < nt; b++)
      if (counts[a * PHRASE_TERMS + b] >= 2)
        ph[np++] = (Phrase){counts[a * PHRASE_TERMS + b], a, b};
  qsort(ph, (size_t)np, sizeof *ph, by_phrase);
  lua_newtable(L);
  for (int i = 0; i < np && i < 3; i++) {
    lua_pushfstring(L, "%s %s", t->in.surface[top[ph[i].a]], t->in.surface[top[ph[i].b]]);
    lua_rawseti(L, -2, i + 1);
  }
}

static int count_distinct(const int32_t *v, int32_t n, const uint8_t *covered, int k, int u,
                          int32_t range) {
  if (range <= 0) return 0;
  uint8_t *seen = thema_xcalloc((size_t)range, 1);
  int c = 0;
  for (int32_t i = 0; i < n; i++)
    if (covered[(size_t)i * (size_t)k + (size_t)u] && v[i] >= 0 && !seen[v[i]]) {
      seen[v[i]] = 1;
      c++;
    }
  free(seen);
  return c;
}

/* th:summary() -> table */
static int themes_summary(lua_State *L) {
  Themes *t = check_open(L);
  const ThemaThemeSet *s = &t->set;
  int k = s->k;
  lua_newtable(L);
  lua_newtable(L); /* selection */
  set_int(L, "read", t->in.counts_by.read);
  set_int(L, "speaker", t->in.counts_by.speaker);
  set_int(L, "role", t->in.counts_by.role);
  set_int(L, "procedural", t->in.counts_by.procedural);
  set_int(L, "short", t->in.counts_by.short_turns);
  set_int(L, "kept", t->in.counts_by.kept);
  lua_setfield(L, -2, "selection");
  set_int(L, "segments", t->in.n);
  set_int(L, "terms", t->in.tfidf.ncols);
  set_int(L, "iterations", s->iterations);
  lua_newtable(L);
  for (int c = 0; c < s->ncandidates; c++) {
    lua_newtable(L);
    set_int(L, "k", s->candidates[c].k);
    set_num(L, "stability", s->candidates[c].stability);
    set_num(L, "coherence", s->candidates[c].coherence);
    lua_rawseti(L, -2, c + 1);
  }
  lua_setfield(L, -2, "candidates");
  int64_t *size = thema_xcalloc((size_t)k + 1, sizeof *size);
  for (int32_t i = 0; i < t->in.n; i++)
    for (int u = 0; u < k; u++) size[u] += t->covered[(size_t)i * (size_t)k + (size_t)u];
  lua_newtable(L); /* themes */
  int32_t *rows = thema_xmalloc(QUOTES * sizeof *rows);
  for (int u = 0; u < k; u++) {
    lua_newtable(L);
    set_int(L, "number", u + 1);
    lua_newtable(L);
    lua_newtable(L);
    lua_newtable(L);
    const int32_t *top = s->top + (size_t)u * (size_t)s->top_terms;
    for (int j = 0; j < s->top_terms && top[j] >= 0; j++) {
      lua_pushstring(L, t->in.surface[top[j]]);
      lua_rawseti(L, -4, j + 1);
      lua_pushstring(L, thema_vocab_str(t->in.terms, (uint32_t)top[j], NULL));
      lua_rawseti(L, -3, j + 1);
      lua_pushnumber(L, s->term[(size_t)u * (size_t)s->ncols + (size_t)top[j]]);
      lua_rawseti(L, -2, j + 1);
    }
    lua_setfield(L, -4, "weights");
    lua_setfield(L, -3, "stems");
    lua_setfield(L, -2, "terms");
    push_phrases(L, t, u);
    lua_setfield(L, -2, "phrases");
    set_int(L, "segments", size[u]);
    set_int(L, "speakers",
            count_distinct(t->in.speaker, t->in.n, t->covered, k, u,
                           (int32_t)thema_vocab_size(t->in.speakers)));
    set_int(L, "sources",
            count_distinct(t->in.source, t->in.n, t->covered, k, u,
                           (int32_t)thema_vocab_size(t->in.sources)));
    set_num(L, "coherence", s->coherence[u]);
    if (s->stability[u] >= 0) {
      set_num(L, "stability", s->stability[u]);
      set_num(L, "match", s->match[u]);
    }
    int nq = thema_themes_representative(s, u, t->min_share, QUOTES, rows);
    lua_newtable(L);
    for (int q = 0; q < nq; q++) {
      lua_newtable(L);
      set_int(L, "segment", t->in.segment_id[rows[q]]);
      const double *w = s->weight + (size_t)rows[q] * (size_t)k;
      double sum = 0;
      for (int v = 0; v < k; v++) sum += w[v];
      set_num(L, "share", w[u] / sum);
      lua_rawseti(L, -2, q + 1);
    }
    lua_setfield(L, -2, "quotes");
    lua_rawseti(L, -2, u + 1);
  }
  free(rows);
  lua_setfield(L, -2, "themes");
  /* near duplicates */
  lua_newtable(L);
  int nd = 0;
  for (int a = 0; a < k; a++)
    for (int b = a + 1; b < k; b++) {
      double cos = thema_themes_term_cosine(s, a, b);
      int64_t both = 0;
      for (int32_t i = 0; i < t->in.n; i++)
        both += t->covered[(size_t)i * (size_t)k + (size_t)a] &&
                t->covered[(size_t)i * (size_t)k + (size_t)b];
      int64_t uni = size[a] + size[b] - both;
      double jac = uni ? (double)both / (double)uni : 0;
      if (cos < t->merge_cosine && jac < t->merge_jaccard) continue;
      lua_newtable(L);
      set_int(L, "a", a + 1);
      set_int(L, "b", b + 1);
      set_num(L, "cosine", cos);
      set_int(L, "shared", both);
      set_num(L, "jaccard", jac);
      lua_rawseti(L, -2, ++nd);
    }
  lua_setfield(L, -2, "duplicates");
  /* overlap with the codes */
  lua_newtable(L);
  int no = 0;
  for (int u = 0; u < k; u++)
    for (int c = 0; c < t->ncodes; c++) {
      int64_t sh = t->shared[(size_t)u * (size_t)t->ncodes + (size_t)c],
              cs = t->code_size[c];
      lua_newtable(L);
      set_int(L, "theme", u + 1);
      set_str(L, "code", t->code_path[c]);
      set_int(L, "shared", sh);
      set_int(L, "theme_segments", size[u]);
      set_int(L, "code_segments", cs);
      int64_t uni = size[u] + cs - sh;
      set_num(L, "jaccard", uni ? (double)sh / (double)uni : 0);
      set_num(L, "share_of_theme", size[u] ? (double)sh / (double)size[u] : 0);
      set_num(L, "share_of_code", cs ? (double)sh / (double)cs : 0);
      lua_rawseti(L, -2, ++no);
    }
  lua_setfield(L, -2, "overlap");
  free(size);
  return 1;
}

/* th:store(paths) -> codings written */
static int themes_store(lua_State *L) {
  Themes *t = check_open(L);
  luaL_checktype(L, 2, LUA_TTABLE);
  ThemaLuaCtx *ctx = thema_ctx_get(L);
  luaL_argcheck(L, ctx->run_id != 0, 1, "themes are stored inside a plugin run");
  int k = t->set.k;
  luaL_argcheck(L, luaL_len(L, 2) == k, 2,
                lua_pushfstring(L, "one code path per theme expected (%d)", k));
  for (int u = 1; u <= k; u++) {
    lua_geti(L, 2, u);
    const char *p = lua_tostring(L, -1);
    if (!p || strncmp(p, "inductive/", 10) != 0)
      luaL_argerror(L, 2,
                    lua_pushfstring(L, "paths[%d] must be a code under inductive/", u));
    lua_pop(L, 1);
  }
  ThemaError err = {0};
  thema_code_delete_origin_tree(ctx->st, "inductive", "inductive", NULL, &err);
  thema_lua_raise_if(L, &err);
  int64_t *ids = lua_newuserdatauv(L, (size_t)(k + 1) * sizeof *ids, 0);
  for (int u = 0; u < k; u++) {
    lua_geti(L, 2, u + 1);
    ids[u] = thema_bind_code_ensure(L, lua_tostring(L, -1), "inductive");
    lua_pop(L, 1);
  }
  lua_Integer written = 0;
  for (int32_t i = 0; i < t->in.n; i++) {
    const double *w = t->set.weight + (size_t)i * (size_t)k;
    double sum = 0;
    for (int u = 0; u < k; u++) sum += w[u];
    for (int u = 0; u < k; u++) {
      if (!t->covered[(size_t)i * (size_t)k + (size_t)u]) continue;
      int64_t s0, s1;
      int found = thema_query_segment_span(ctx->st, t->in.segment_id[i], &s0, &s1, &err);
      thema_lua_raise_if(L, &err);
      if (!found) continue;
      double share = w[u] / sum;
      ThemaCodingRow row = {.code_id = ids[u],
                            .segment_id = t->in.segment_id[i],
                            .start = s0,
                            .end = s1,
                            .run_id = ctx->run_id,
                            .weight = &share};
      thema_coding_add(ctx->st, &row, NULL, &err);
      thema_lua_raise_if(L, &err);
      written++;
    }
  }
  lua_pushinteger(L, written);
  return 1;
}

/* th:tokens(segment_id) -> "term term ..." or nil when not selected */
static int themes_tokens(lua_State *L) {
  Themes *t = check_open(L);
  int32_t row = thema_theme_input_row(&t->in, luaL_checkinteger(L, 2));
  if (row < 0) return 0;
  luaL_Buffer b;
  luaL_buffinit(L, &b);
  int first = 1;
  for (int64_t p = t->in.seq_ptr[row]; p < t->in.seq_ptr[row + 1]; p++) {
    if (t->in.seq[p] < 0) continue;
    if (!first) luaL_addchar(&b, ' ');
    luaL_addstring(&b, thema_vocab_str(t->in.terms, (uint32_t)t->in.seq[p], NULL));
    first = 0;
  }
  luaL_pushresult(&b);
  return 1;
}

/* th:rows() -> { segment id, ... } of the selected segments, in row order */
static int themes_rows(lua_State *L) {
  Themes *t = check_open(L);
  lua_createtable(L, t->in.n, 0);
  for (int32_t i = 0; i < t->in.n; i++) {
    lua_pushinteger(L, t->in.segment_id[i]);
    lua_rawseti(L, -2, i + 1);
  }
  return 1;
}

static const luaL_Reg themes_methods[] = {
    {"summary", themes_summary}, {"rows", themes_rows},   {"store", themes_store},
    {"tokens", themes_tokens},   {"close", themes_close}, {NULL, NULL}};
static const luaL_Reg themes_meta[] = {
    {"__gc", themes_close}, {"__close", themes_close}, {NULL, NULL}};

void thema_bind_themes(lua_State *L) {
  luaL_newmetatable(L, THEMES_MT);
  luaL_setfuncs(L, themes_meta, 0);
  luaL_newlib(L, themes_methods);
  lua_setfield(L, -2, "__index");
  lua_pop(L, 1);
  /* thema.corpus, created here when no other part of it came first */
  if (lua_getfield(L, -1, "corpus") != LUA_TTABLE) {
    lua_pop(L, 1);
    lua_newtable(L);
    lua_pushvalue(L, -1);
    lua_setfield(L, -3, "corpus");
  }
  lua_pushcfunction(L, corpus_themes);
  lua_setfield(L, -2, "themes");
  lua_pop(L, 1);
}
