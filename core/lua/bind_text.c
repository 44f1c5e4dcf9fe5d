/*
 * bind_text.c — thema.text: the text helpers a plugin needs to count words
 * in Dutch (or English) interviews, in C because they run over every segment.
 *
 *   text.casefold(s)        -> s folded for caseless comparison ("Straße" -> "strasse")
 *   text.strip_accents(s)   -> s without marks, NFC ("coördinatie" -> "coordinatie")
 *   text.normalise(s)       -> s in NFC
 *   text.tokenise(s)        -> { {text=, start=, stop=}, ... }
 *   text.words(s)           -> iterator over start, stop, word
 *   text.stem(word [, lang])  -> Snowball stem | nil, msg (unknown language)
 *   text.stopwords([lang])    -> { word = true, ... } | nil, msg (no list)
 *   text.fillers([lang])      -> { word = true, ... } | nil, msg (no list)
 *   text.tokens(s)            -> { {text=, form=, kind=, start=, stop=, boundary=}, ... }
 *   text.stems(words [, lang]) -> { stem, ... } | nil, msg (unknown language)
 *
 * tokens cuts as the counting commands do (text/tokens.h: clitics and
 * compounds whole, French elisions apart, numbers of kind "number"); form is
 * the folded form that is counted; boundary is true when punctuation or a
 * line break stands before the token.
 *
 * A word is a run of letters, digits and combining marks (Unicode general
 * categories L*, N*, M*; a mark does not start a word) in which an apostrophe
 * (' or U+2019) may stand between two such characters ("zo'n" is one word,
 * "'t" is the word "t"). Offsets are 0-based code points with an exclusive
 * stop. Every function raises on a string that is not valid UTF-8.
 *
 * Stemming defaults to Snowball's "dutch"; the word is case-folded first
 * (thema_text_stemmer_stem does it), as Snowball expects. Stemmers are created once
 * per language and kept in a table that is an upvalue of stem; they are
 * freed with the Lua state. casefold, strip_accents and normalise share a
 * scratch buffer (an upvalue, freed with the state): the result is built in
 * C and copied into a Lua string, so no call leaks if Lua raises.
 */
#include <lauxlib.h>
#include <limits.h>
#include <lua.h>
#include <string.h>

#include "lua/args.h"
#include "lua/bind.h"
#include "text/text.h"
#include "text/tokens.h"
#include "text/wordlists.h"

#define STEMMER_MT "thema.Stemmer"
#define SCRATCH_MT "thema.TextScratch"

typedef struct Stemmer {
  ThemaStemmer *sb; /* owned; NULL until created and once freed */
} Stemmer;

/* Larger scratch buffers are given back after use rather than kept. */
enum { SCRATCH_KEEP = 1 << 20 };

/* The string argument arg, which must be valid UTF-8. */
static const char *check_utf8(lua_State *L, int arg, size_t *n) {
  const char *s = luaL_checklstring(L, arg, n);
  thema_lua_check_utf8(L, arg, s, *n);
  return s;
}

/* __gc of the scratch buffer. */
static int scratch_gc(lua_State *L) {
  thema_buf_free(luaL_checkudata(L, 1, SCRATCH_MT));
  return 0;
}

/* Push argument 1 in NFC after the THEMA_TEXT_* flags; upvalue 1 is the
 * scratch buffer. */
static int push_normalised(lua_State *L, int flags) {
  size_t n;
  const char *s = check_utf8(L, 1, &n);
  ThemaBuf *scratch = lua_touserdata(L, lua_upvalueindex(1));
  ThemaError err = {0};
  thema_buf_reset(scratch);
  thema_text_normalise(scratch, s, n, flags, &err);
  thema_lua_raise_if(L, &err);
  lua_pushlstring(L, thema_buf_str(scratch), scratch->len);
  if (scratch->cap > SCRATCH_KEEP) thema_buf_free(scratch);
  return 1;
}

/* text.casefold(s) -> string */
static int text_casefold(lua_State *L) { return push_normalised(L, THEMA_TEXT_CASEFOLD); }

/* text.strip_accents(s) -> string */
static int text_strip_accents(lua_State *L) {
  return push_normalised(L, THEMA_TEXT_STRIPMARK);
}

/* text.normalise(s) -> string (NFC) */
static int text_normalise(lua_State *L) { return push_normalised(L, 0); }

/* --- words ------------------------------------------------------------------ */

/* text.tokenise(s) -> array of {text=, start=, stop=} */
static int text_tokenise(lua_State *L) {
  ThemaWordScan sc = {0};
  sc.s = check_utf8(L, 1, &sc.n);
  lua_newtable(L);
  ThemaWord w;
  for (lua_Integer i = 1; thema_text_next_word(&sc, &w); i++) {
    lua_createtable(L, 0, 3);
    lua_pushlstring(L, sc.s + w.bstart, w.bstop - w.bstart);
    lua_setfield(L, -2, "text");
    lua_pushinteger(L, (lua_Integer)w.start);
    lua_setfield(L, -2, "start");
    lua_pushinteger(L, (lua_Integer)w.stop);
    lua_setfield(L, -2, "stop");
    lua_rawseti(L, -2, i);
  }
  return 1;
}

/* The words iterator; upvalues: the text, the byte offset and the code-point
 * offset where scanning resumes. */
static int words_next(lua_State *L) {
  ThemaWordScan sc = {0};
  sc.s = lua_tolstring(L, lua_upvalueindex(1), &sc.n);
  sc.byte = (size_t)lua_tointeger(L, lua_upvalueindex(2));
  sc.cp = (size_t)lua_tointeger(L, lua_upvalueindex(3));
  ThemaWord w;
  int found = thema_text_next_word(&sc, &w);
  lua_pushinteger(L, (lua_Integer)sc.byte);
  lua_replace(L, lua_upvalueindex(2));
  lua_pushinteger(L, (lua_Integer)sc.cp);
  lua_replace(L, lua_upvalueindex(3));
  if (!found) return 0;
  lua_pushinteger(L, (lua_Integer)w.start);
  lua_pushinteger(L, (lua_Integer)w.stop);
  lua_pushlstring(L, sc.s + w.bstart, w.bstop - w.bstart);
  return 3;
}

/* text.words(s) -> iterator over start, stop, word */
static int text_words(lua_State *L) {
  size_t n;
  check_utf8(L, 1, &n);
  lua_settop(L, 1);
  lua_pushinteger(L, 0);
  lua_pushinteger(L, 0);
  lua_pushcclosure(L, words_next, 3);
  return 1;
}

/* --- stemming ----------------------------------------------------------------- */

static int stemmer_gc(lua_State *L) {
  Stemmer *st = luaL_checkudata(L, 1, STEMMER_MT);
  thema_text_stemmer_free(st->sb);
  st->sb = NULL;
  return 0;
}

/* text.stem(word [, language]) -> stem | nil, msg; upvalue 1: the stemmer cache */
static int text_stem(lua_State *L) {
  size_t n;
  const char *word = check_utf8(L, 1, &n);
  const char *lang = luaL_optstring(L, 2, "dutch");
  luaL_argcheck(L, n <= INT_MAX, 1, "word too long");
  lua_settop(L, 2);
  Stemmer *st;
  if (lua_getfield(L, lua_upvalueindex(1), lang) == LUA_TUSERDATA) {
    st = lua_touserdata(L, -1);
  } else {
    lua_pop(L, 1);
    st = lua_newuserdatauv(L, sizeof *st, 0);
    memset(st, 0, sizeof *st);
    luaL_setmetatable(L, STEMMER_MT);
    st->sb = thema_text_stemmer_new(lang);
    if (!st->sb) {
      luaL_pushfail(L);
      lua_pushfstring(L, "unknown stemmer language '%s'", lang);
      return 2;
    }
    lua_pushvalue(L, -1);
    lua_setfield(L, lua_upvalueindex(1), lang);
  }
  size_t len;
  const char *out = thema_text_stemmer_stem(st->sb, word, n, &len);
  lua_pushlstring(L, out, len);
  return 1;
}

/* text.stopwords([language]) -> set | nil, msg */
static int text_stopwords(lua_State *L) {
  const char *lang = luaL_optstring(L, 1, "dutch");
  const char *const *list = thema_wordlist_stopwords(lang);
  if (!list) {
    luaL_pushfail(L);
    lua_pushfstring(L, "no stop word list for language '%s' (have: %s)", lang,
                    thema_wordlist_stop_languages());
    return 2;
  }
  lua_newtable(L);
  for (; *list; list++) {
    lua_pushboolean(L, 1);
    lua_setfield(L, -2, *list);
  }
  return 1;
}

/* text.fillers([language]) -> set | nil, msg */
static int text_fillers(lua_State *L) {
  const char *lang = luaL_optstring(L, 1, "dutch");
  const char *const *list = thema_wordlist_fillers(lang);
  if (!list) {
    luaL_pushfail(L);
    lua_pushfstring(L, "no filler list for language '%s' (have: dutch, english, french)",
                    lang);
    return 2;
  }
  lua_newtable(L);
  for (; *list; list++) {
    lua_pushboolean(L, 1);
    lua_setfield(L, -2, *list);
  }
  return 1;
}

/* text.tokens(s) -> array of {text=, form=, kind=, start=, stop=, boundary=}; upvalue 1
 * is the scratch buffer */
static int text_tokens(lua_State *L) {
  size_t n;
  const char *s = check_utf8(L, 1, &n);
  ThemaBuf *scratch = lua_touserdata(L, lua_upvalueindex(1));
  ThemaTokenScan sc;
  ThemaToken t;
  thema_tokens_begin(&sc, s, n);
  lua_newtable(L);
  for (lua_Integer i = 1; thema_tokens_next(&sc, &t); i++) {
    lua_createtable(L, 0, 6);
    lua_pushlstring(L, s + t.bstart, t.bstop - t.bstart);
    lua_setfield(L, -2, "text");
    thema_buf_reset(scratch);
    thema_tokens_fold(scratch, s + t.bstart, t.bstop - t.bstart);
    lua_pushlstring(L, thema_buf_str(scratch), scratch->len);
    lua_setfield(L, -2, "form");
    lua_pushstring(L, t.kind == THEMA_TOKEN_NUMBER ? "number" : "word");
    lua_setfield(L, -2, "kind");
    lua_pushinteger(L, (lua_Integer)t.start);
    lua_setfield(L, -2, "start");
    lua_pushinteger(L, (lua_Integer)t.stop);
    lua_setfield(L, -2, "stop");
    lua_pushboolean(L, t.boundary);
    lua_setfield(L, -2, "boundary");
    lua_rawseti(L, -2, i);
  }
  return 1;
}

/* text.stems(words [, language]) -> array of stems | nil, msg: through text.stem, so
 * the stemmer cache is shared. */
static int text_stems(lua_State *L) {
  luaL_checktype(L, 1, LUA_TTABLE);
  const char *lang = luaL_optstring(L, 2, "dutch");
  lua_Integer n = (lua_Integer)lua_rawlen(L, 1);
  lua_createtable(L, (int)n, 0);
  for (lua_Integer i = 1; i <= n; i++) {
    lua_pushvalue(L, lua_upvalueindex(1)); /* text.stem */
    lua_rawgeti(L, 1, i);
    if (lua_type(L, -1) != LUA_TSTRING)
      return luaL_argerror(L, 1, lua_pushfstring(L, "word %I is not a string", i));
    lua_pushstring(L, lang);
    lua_call(L, 2, 2);
    if (lua_isnil(L, -2)) return 2;
    lua_pop(L, 1);
    lua_rawseti(L, -2, i);
  }
  return 1;
}

static const luaL_Reg text_funcs[] = {
    {"tokenise", text_tokenise},
    {"words", text_words},
    {"stopwords", text_stopwords},
    {"fillers", text_fillers},
    {"stem", NULL}, /* placeholder: a closure over the stemmer cache */
    {NULL, NULL}};

/* The functions that share the scratch buffer (their upvalue 1). */
static const luaL_Reg text_mapped_funcs[] = {{"casefold", text_casefold},
                                             {"strip_accents", text_strip_accents},
                                             {"normalise", text_normalise},
                                             {"tokens", text_tokens},
                                             {NULL, NULL}};

void thema_bind_text(lua_State *L) {
  if (luaL_newmetatable(L, STEMMER_MT)) {
    lua_pushcfunction(L, stemmer_gc);
    lua_setfield(L, -2, "__gc");
  }
  lua_pop(L, 1);
  if (luaL_newmetatable(L, SCRATCH_MT)) {
    lua_pushcfunction(L, scratch_gc);
    lua_setfield(L, -2, "__gc");
  }
  lua_pop(L, 1);
  luaL_newlib(L, text_funcs);
  ThemaBuf *scratch = lua_newuserdatauv(L, sizeof *scratch, 0);
  memset(scratch, 0, sizeof *scratch);
  luaL_setmetatable(L, SCRATCH_MT);
  luaL_setfuncs(L, text_mapped_funcs, 1);
  lua_newtable(L); /* language -> Stemmer */
  lua_pushcclosure(L, text_stem, 1);
  lua_pushvalue(L, -1);
  lua_pushcclosure(L, text_stems, 1);
  lua_setfield(L, -3, "stems");
  lua_setfield(L, -2, "stem");
  lua_setfield(L, -2, "text");
}
