/*
 * bind_rx.c — thema.regex: PCRE2 patterns for Lua, compiled once (through
 * rx.c: UTF + UCP, JIT, match limits) and matched many times, with every
 * offset a 0-based code point and every stop exclusive.
 *
 *   local rx = thema.regex("hageland", "iw")    -- nil, msg if invalid
 *   local start, stop, cap1 = rx:find(text [, init])
 *   for start, stop, matched in rx:gmatch(text) do ... end
 *   rx:test(text) -> boolean;  rx:count(text) -> integer
 *
 * Flags, a string of letters: i caseless, a accent-insensitive, w whole word,
 * m multiline. Misuse (a bad argument, an unknown flag, a subject that is not
 * UTF-8, a closed regex) raises; an invalid pattern is an expected failure
 * (codebooks are written by people) and returns nil plus PCRE2's message with
 * the byte offset in the pattern as written. Hitting the match limit raises,
 * naming the pattern.
 *
 * Accent-insensitive matching runs on a stripped copy of the subject: each
 * code point is replaced by its canonical decomposition without marks when
 * that is exactly one code point ("ö" -> "o"), dropped when it is a mark on
 * its own, and kept otherwise (Hangul, letters without a decomposition such
 * as "ø"). The copy therefore maps code point for code point (or to nothing)
 * onto the original, and the map brings every offset and matched text back
 * to the ORIGINAL string; a dropped mark belongs to the match that ends on
 * its base letter. The pattern is stripped the same way before compiling,
 * which reaches its literal text but not escapes such as \x{e9}. The copy and
 * its map come from text/ (thema_text_strip_mapped), the same as the
 * matcher's.
 */
#include <lauxlib.h>
#include <lua.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "base/utf8.h"
#include "lua/args.h"
#include "lua/bind.h"
#include "text/rx.h"
#include "text/text.h"

#define REGEX_MT "thema.Regex"
#define SUBJECT_MT "thema.Subject" /* an accent-stripped subject, which owns memory */

enum { F_CASELESS = 1, F_ACCENT = 2, F_WORD = 4, F_MULTILINE = 8 };

typedef struct Regex {
  ThemaRx *rx; /* the compiled pattern; NULL until compiled and once closed */
  int flags;   /* F_* letters asked for; the pattern as written is user value 1 */
} Regex;

/* A subject prepared for matching; lives in a Lua userdata, so nothing needs
 * freeing when a loop breaks: an accent-stripped one has the metatable
 * SUBJECT_MT, whose __gc frees its copy and map. */
typedef struct Subject {
  const char *orig;    /* the string as given, owned by Lua (kept alive by the caller) */
  size_t olen;         /* bytes of orig */
  size_t ocount;       /* code points of orig */
  const char *text;    /* what is matched: orig, or the accent-stripped copy */
  size_t len;          /* bytes of text */
  ThemaBuf stripped;   /* accent mode: the copy (owned); empty otherwise */
  size_t *map;         /* accent mode: original byte offset of each byte of text, and
                          olen at len (owned); NULL otherwise */
  size_t mapcap;       /* entries allocated in map */
  ThemaUtf8Cursor cur; /* converts increasing byte offsets of orig to code points */
} Subject;

/* A position in the original string. */
typedef struct Pos {
  size_t cp;   /* code point offset */
  size_t byte; /* byte offset */
} Pos;

/* --- accent stripping ------------------------------------------------------ */

/* The pattern with its literal accents stripped, pushed as a Lua string. */
static const char *push_stripped(lua_State *L, const char *s, size_t n) {
  ThemaBuf b = {0};
  thema_text_strip_accents(&b, s, n);
  lua_pushlstring(L, thema_buf_str(&b), b.len);
  thema_buf_free(&b);
  return lua_tostring(L, -1);
}

/* Bytes of the start-of-pattern options ("(*UCP)(*LIMIT_MATCH=1000)") that
 * open the pattern: items of upper-case letters, "_" and "=digits" that are not
 * backtracking verbs, which may stand anywhere. */
static size_t option_prefix(const char *p) {
  static const char *const verbs[] = {"ACCEPT", "FAIL", "F",    "COMMIT",
                                      "PRUNE",  "SKIP", "THEN", NULL};
  size_t i = 0;
  while (p[i] == '(' && p[i + 1] == '*' && p[i + 2] >= 'A' && p[i + 2] <= 'Z') {
    size_t j = i + 2;
    while ((p[j] >= 'A' && p[j] <= 'Z') || p[j] == '_') j++;
    size_t name = j - (i + 2);
    if (p[j] == '=')
      for (j++; p[j] >= '0' && p[j] <= '9'; j++) {}
    if (p[j] != ')') break;
    int verb = 0;
    for (const char *const *v = verbs; *v; v++)
      if (strlen(*v) == name && strncmp(*v, p + i + 2, name) == 0) verb = 1;
    if (verb) break;
    i = j + 1;
  }
  return i;
}

/* --- the Regex userdata ---------------------------------------------------- */

static Regex *check_open(lua_State *L, int idx) {
  Regex *r = luaL_checkudata(L, idx, REGEX_MT);
  if (!r->rx) luaL_error(L, "attempt to use a closed regex");
  return r;
}

/* __gc and __close: idempotent. */
static int regex_close(lua_State *L) {
  Regex *r = luaL_checkudata(L, 1, REGEX_MT);
  thema_rx_free(r->rx);
  r->rx = NULL;
  return 0;
}

static int regex_tostring(lua_State *L) {
  Regex *r = luaL_checkudata(L, 1, REGEX_MT);
  if (!r->rx) {
    lua_pushliteral(L, "thema.Regex (closed)");
    return 1;
  }
  char letters[5];
  int k = 0;
  if (r->flags & F_CASELESS) letters[k++] = 'i';
  if (r->flags & F_ACCENT) letters[k++] = 'a';
  if (r->flags & F_WORD) letters[k++] = 'w';
  if (r->flags & F_MULTILINE) letters[k++] = 'm';
  letters[k] = '\0';
  lua_getiuservalue(L, 1, 1);
  lua_pushfstring(L, "thema.Regex(\"%s\", \"%s\")", lua_tostring(L, -1), letters);
  return 1;
}

/* Raise a matching error (the match limit, mostly), naming the pattern. */
static int raise_match_error(lua_State *L, int rxidx, const ThemaError *err) {
  const char *msg = err->msg;
  if (strncmp(msg, "regex: ", 7) == 0) msg += 7; /* the "what" given at compile */
  lua_getiuservalue(L, rxidx, 1);
  return luaL_error(L, "regex '%s': %s", lua_tostring(L, -1), msg);
}

/* thema.regex(pattern [, flags]) -> Regex | nil, msg */
static int rx_new(lua_State *L) {
  size_t plen;
  const char *pattern = luaL_checklstring(L, 1, &plen);
  const char *letters = luaL_optstring(L, 2, "");
  int flags = 0;
  for (const char *f = letters; *f; f++) {
    switch (*f) {
      case 'i': flags |= F_CASELESS; break;
      case 'a': flags |= F_ACCENT; break;
      case 'w': flags |= F_WORD; break;
      case 'm': flags |= F_MULTILINE; break;
      default:
        return luaL_argerror(
            L, 2,
            lua_pushfstring(L, "unknown flag '%c' (expected letters from \"iawm\")", *f));
    }
  }
  if (strlen(pattern) != plen) {
    luaL_pushfail(L);
    lua_pushfstring(L, "regex: invalid pattern: NUL byte at offset %I (write \\x00)",
                    (lua_Integer)strlen(pattern));
    return 2;
  }
  size_t valid = thema_utf8_valid_prefix(pattern, plen);
  if (valid != plen) {
    luaL_pushfail(L);
    lua_pushfstring(L, "regex: invalid pattern: invalid UTF-8 at offset %I",
                    (lua_Integer)valid);
    return 2;
  }
  Regex *r = lua_newuserdatauv(L, sizeof *r, 1);
  memset(r, 0, sizeof *r);
  luaL_setmetatable(L, REGEX_MT);
  lua_pushvalue(L, 1);
  lua_setiuservalue(L, -2, 1);
  r->flags = flags;
  int top = lua_gettop(L); /* the userdata */

  ThemaError err = {0};
  int rxflags = ((flags & F_CASELESS) ? THEMA_RX_CASELESS : 0) |
                ((flags & F_MULTILINE) ? THEMA_RX_MULTILINE : 0);
  const char *source = pattern;
  if (flags & (F_ACCENT | F_WORD)) {
    /* Check the pattern as written first: its error offsets are the ones
     * that mean something to its author, and the wrapper below could hide
     * an unbalanced ")" ("a)(b" becomes a valid pattern inside it). */
    ThemaRx *check = thema_rx_compile(pattern, rxflags, "regex", &err);
    if (!check) {
      luaL_pushfail(L);
      lua_pushstring(L, err.msg);
      return 2;
    }
    thema_rx_free(check);
  }
  if (flags & F_ACCENT) source = push_stripped(L, source, plen);
  if (flags & F_WORD) {
    /* Start-of-pattern options such as (*UCP) stay in front of the wrapper;
     * \E ends a \Q that the pattern leaves open, so it cannot swallow the ")". */
    size_t head = option_prefix(source);
    lua_pushlstring(L, source, head);
    source = lua_pushfstring(L, "%s(?<!\\w)(?:%s\\E)(?!\\w)", lua_tostring(L, -1),
                             source + head);
  }
  r->rx = thema_rx_compile(source, rxflags, "regex", &err);
  if (!r->rx) {
    luaL_pushfail(L);
    lua_pushstring(L, err.msg);
    return 2;
  }
  lua_settop(L, top);
  return 1;
}

/* --- subjects ---------------------------------------------------------------- */

/* __gc of an accent-stripped Subject: idempotent. */
static int subject_gc(lua_State *L) {
  Subject *sub = luaL_checkudata(L, 1, SUBJECT_MT);
  thema_buf_free(&sub->stripped);
  free(sub->map);
  sub->map = NULL;
  return 0;
}

/* Check the string at arg and push a userdata holding a Subject for it. The
 * string must stay reachable while the Subject is used. */
static Subject *push_subject(lua_State *L, const Regex *r, int arg) {
  size_t n;
  const char *s = luaL_checklstring(L, arg, &n);
  thema_lua_check_utf8(L, arg, s, n);
  Subject *sub = lua_newuserdatauv(L, sizeof *sub, 0);
  memset(sub, 0, sizeof *sub);
  sub->orig = sub->text = s;
  sub->olen = sub->len = n;
  sub->ocount = thema_utf8_count(s, n);
  if (r->flags & F_ACCENT) {
    luaL_setmetatable(L, SUBJECT_MT); /* before it owns anything */
    thema_text_strip_mapped(&sub->stripped, &sub->map, &sub->mapcap, s, n);
    sub->text = sub->stripped.data;
    sub->len = sub->stripped.len;
  }
  return sub;
}

/* Byte offset in sub->text where a search from original code point cp starts. */
static size_t start_byte(const Subject *sub, size_t cp) {
  size_t b = thema_utf8_byte_offset(sub->orig, sub->olen, cp);
  if (!sub->map) return b;
  size_t lo = 0, hi = sub->len; /* map[len] == olen >= b */
  while (lo < hi) {             /* the first byte of text from at or after b */
    size_t mid = lo + (hi - lo) / 2;
    if (sub->map[mid] < b)
      lo = mid + 1;
    else
      hi = mid;
  }
  return lo;
}

/* The original position of byte offset b of sub->text; offsets passed to one
 * Subject should increase (a smaller one makes its cursor start over). */
static Pos position(Subject *sub, size_t b) {
  size_t ob = sub->map ? sub->map[b] : b;
  return (Pos){thema_utf8_cursor_advance(&sub->cur, sub->orig, ob), ob};
}

/* Match from byte start: 1 with the span in ov[0..1], 0 when none; raises on a
 * matching error. ov stays valid until the next match on the same rx. */
static int match(lua_State *L, int rxidx, Subject *sub, size_t start, PCRE2_SIZE **ov) {
  Regex *r = check_open(L, rxidx);
  ThemaError err = {0};
  int rc = thema_rx_match(r->rx, sub->text, sub->len, start, ov, &err);
  if (rc < 0) raise_match_error(L, rxidx, &err);
  return rc;
}

/* Where to search after the match [s, e): past an empty match by one code point.
 * Returns sub->len + 1 when the subject is used up. */
static size_t next_start(const Subject *sub, size_t s, size_t e) {
  if (e > s) return e;
  if (e >= sub->len) return sub->len + 1;
  size_t l;
  thema_utf8_decode(sub->text + e, sub->len - e, &l);
  return e + l;
}

/* --- methods --------------------------------------------------------------- */

/* rx:find(s [, init]) -> start, stop, captures... | nil */
static int regex_find(lua_State *L) {
  Regex *r = check_open(L, 1);
  lua_settop(L, 3); /* the Subject goes above the optional init */
  Subject *sub = push_subject(L, r, 2);
  lua_Integer init = luaL_optinteger(L, 3, 0);
  luaL_argcheck(L, init >= 0, 3, "initial position must not be negative");
  if ((size_t)init > sub->ocount) {
    luaL_pushfail(L);
    return 1;
  }
  PCRE2_SIZE *ov;
  if (!match(L, 1, sub, start_byte(sub, (size_t)init), &ov)) {
    luaL_pushfail(L);
    return 1;
  }
  int groups = thema_rx_groups(r->rx);
  luaL_checkstack(L, groups + 2, "too many captures");
  size_t s = ov[0], e = ov[1] < ov[0] ? ov[0] : ov[1];
  Pos ps = position(sub, s);
  Pos pe = position(sub, e);
  lua_pushinteger(L, (lua_Integer)ps.cp);
  lua_pushinteger(L, (lua_Integer)pe.cp);
  for (int g = 1; g <= groups; g++) {
    if (ov[2 * g] == PCRE2_UNSET) {
      lua_pushnil(L);
      continue;
    }
    size_t cs = ov[2 * g], ce = ov[2 * g + 1] < cs ? cs : ov[2 * g + 1];
    if (sub->map) { /* back to the original bytes */
      cs = sub->map[cs];
      ce = sub->map[ce];
    }
    lua_pushlstring(L, sub->orig + cs, ce - cs);
  }
  return 2 + groups;
}

/* rx:test(s) -> boolean */
static int regex_test(lua_State *L) {
  Regex *r = check_open(L, 1);
  Subject *sub = push_subject(L, r, 2);
  PCRE2_SIZE *ov;
  lua_pushboolean(L, match(L, 1, sub, 0, &ov));
  return 1;
}

/* rx:count(s) -> integer */
static int regex_count(lua_State *L) {
  Regex *r = check_open(L, 1);
  Subject *sub = push_subject(L, r, 2);
  lua_Integer n = 0;
  PCRE2_SIZE *ov;
  for (size_t at = 0; at <= sub->len && match(L, 1, sub, at, &ov); n++)
    at = next_start(sub, ov[0], ov[1] < ov[0] ? ov[0] : ov[1]);
  lua_pushinteger(L, n);
  return 1;
}

/* The gmatch iterator; upvalues: the Regex, the subject string, the Subject,
 * and the byte offset of the next search. */
static int gmatch_next(lua_State *L) {
  Subject *sub = lua_touserdata(L, lua_upvalueindex(3));
  size_t at = (size_t)lua_tointeger(L, lua_upvalueindex(4));
  PCRE2_SIZE *ov;
  if (at > sub->len || !match(L, lua_upvalueindex(1), sub, at, &ov)) {
    lua_pushinteger(L, (lua_Integer)sub->len + 1);
    lua_replace(L, lua_upvalueindex(4)); /* stay finished */
    return 0;
  }
  size_t s = ov[0], e = ov[1] < ov[0] ? ov[0] : ov[1];
  lua_pushinteger(L, (lua_Integer)next_start(sub, s, e));
  lua_replace(L, lua_upvalueindex(4));
  Pos ps = position(sub, s);
  Pos pe = position(sub, e);
  lua_pushinteger(L, (lua_Integer)ps.cp);
  lua_pushinteger(L, (lua_Integer)pe.cp);
  lua_pushlstring(L, sub->orig + ps.byte, pe.byte - ps.byte);
  return 3;
}

/* rx:gmatch(s) -> iterator over start, stop, matched */
static int regex_gmatch(lua_State *L) {
  Regex *r = check_open(L, 1);
  luaL_checkstring(L, 2);
  lua_settop(L, 2); /* the Regex and the subject become upvalues 1 and 2 */
  push_subject(L, r, 2);
  lua_pushinteger(L, 0);
  lua_pushcclosure(L, gmatch_next, 4);
  return 1;
}

static const luaL_Reg regex_methods[] = {{"find", regex_find},
                                         {"gmatch", regex_gmatch},
                                         {"test", regex_test},
                                         {"count", regex_count},
                                         {NULL, NULL}};

static const luaL_Reg regex_meta[] = {{"__gc", regex_close},
                                      {"__close", regex_close},
                                      {"__tostring", regex_tostring},
                                      {"__index", NULL}, /* placeholder for the methods */
                                      {NULL, NULL}};

static const luaL_Reg subject_meta[] = {{"__gc", subject_gc}, {NULL, NULL}};

void thema_bind_rx(lua_State *L) {
  if (luaL_newmetatable(L, REGEX_MT)) {
    luaL_setfuncs(L, regex_meta, 0);
    luaL_newlib(L, regex_methods);
    lua_setfield(L, -2, "__index");
  }
  lua_pop(L, 1);
  if (luaL_newmetatable(L, SUBJECT_MT)) luaL_setfuncs(L, subject_meta, 0);
  lua_pop(L, 1);
  lua_pushcfunction(L, rx_new);
  lua_setfield(L, -2, "regex");
}
