/*
 * bind_source.c — thema.add_source{...}: the write API for importers written
 * in Lua. A source with its text, its front matter and its segments goes
 * through the same store sink as every built-in importer, so the core checks
 * what it checks for them: valid UTF-8 without NUL, a name that is a name,
 * segments in order with offsets inside the text, a changed source under the
 * same name refused unless replace. One call is all or nothing (a savepoint
 * inside the command's transaction). Plugin runs cannot add sources: they
 * read the corpus; a script or an importer (`thema import NAME`) can.
 */
#include <lauxlib.h>
#include <lua.h>
#include <stdlib.h>
#include <string.h>

#include "base/hash.h"
#include "base/utf8.h"
#include "ingest/sink_store.h"
#include "lua/args.h"
#include "lua/bind.h"
#include "lua/ctx.h"
#include "text/meta.h"

#define SOURCE_BOX "thema.source.box"

/* What must be freed whatever happens: in a userdata, collected after an
 * error raised half-way. */
typedef struct SegSpec {
  size_t start, stop;            /* code points */
  const char *speaker, *section; /* borrowed from the argument table */
  double t0, t1;                 /* seconds, -1 for none */
  size_t attr0;                  /* its attributes: attr_keys[attr0 .. attr0 + nattrs) */
  int nattrs;
} SegSpec;

typedef struct SourceBox {
  SegSpec *segs;                   /* every segment, checked before anything is written */
  char **attr_keys, **attr_values; /* every segment's attributes, owned copies */
  size_t nattr, capattr;
  ThemaBuf text;
  ThemaMeta meta;
  ThemaSinkStore sink;
  int sink_live;
  ThemaImportResult res;
} SourceBox;

static int box_gc(lua_State *L) {
  SourceBox *b = luaL_checkudata(L, 1, SOURCE_BOX);
  free(b->segs);
  b->segs = NULL;
  for (size_t i = 0; i < b->nattr; i++) {
    free(b->attr_keys[i]);
    free(b->attr_values[i]);
  }
  free(b->attr_keys);
  free(b->attr_values);
  b->attr_keys = b->attr_values = NULL;
  b->nattr = b->capattr = 0;
  thema_buf_free(&b->text);
  thema_meta_free(&b->meta);
  if (b->sink_live) thema_sink_free(&b->sink.base);
  b->sink_live = 0;
  return 0;
}

static const char *field_string(lua_State *L, int t, const char *k, const char *what) {
  int type = lua_getfield(L, t, k);
  const char *s = NULL;
  if (type == LUA_TSTRING || type == LUA_TNUMBER)
    s = lua_tostring(L, -1);
  else if (type != LUA_TNIL)
    luaL_error(L, "add_source: %s: '%s' must be a string, not a %s", what, k,
               luaL_typename(L, -1));
  lua_pop(L, 1); /* the string stays alive in the table it came from */
  return s;
}

static int field_number(lua_State *L, int t, const char *k, double *v, const char *what) {
  int type = lua_getfield(L, t, k);
  int isnum = 0;
  if (type != LUA_TNIL) *v = lua_tonumberx(L, -1, &isnum);
  if (type != LUA_TNIL && !isnum)
    luaL_error(L, "add_source: %s: '%s' must be a number", what, k);
  lua_pop(L, 1);
  return type != LUA_TNIL;
}

static void check_utf8(lua_State *L, const char *s, size_t n, const char *what) {
  size_t ok = thema_utf8_valid_prefix(s, n);
  if (ok < n)
    luaL_error(L, "add_source: %s is not valid UTF-8 (byte %d)", what, (int)ok + 1);
  if (memchr(s, '\0', n)) luaL_error(L, "add_source: %s holds a NUL byte", what);
}

/* Segment i's attributes = { key = "value", ... } (table at index t), copied
 * into b: keys are names, values strings or numbers, both valid UTF-8. */
static void segment_attributes(lua_State *L, SourceBox *b, int t, lua_Integer i,
                               SegSpec *g) {
  g->attr0 = b->nattr;
  g->nattrs = 0;
  int type = lua_getfield(L, t, "attributes");
  if (type == LUA_TNIL) {
    lua_pop(L, 1);
    return;
  }
  if (type != LUA_TTABLE)
    luaL_error(L,
               "add_source: segment %d: 'attributes' must be a table of names and values",
               (int)i);
  int a = lua_gettop(L);
  for (lua_pushnil(L); lua_next(L, a); lua_pop(L, 1)) {
    if (lua_type(L, -2) != LUA_TSTRING || !*lua_tostring(L, -2) ||
        (lua_type(L, -1) != LUA_TSTRING && lua_type(L, -1) != LUA_TNUMBER))
      luaL_error(L,
                 "add_source: segment %d: 'attributes' holds names and strings or numbers, "
                 "e.g. attributes = { lang = \"fr\" }",
                 (int)i);
    size_t kn, vn;
    const char *k = lua_tolstring(L, -2, &kn);
    lua_pushvalue(L, -1); /* a copy to convert: lua_next needs the key as it is */
    const char *v = lua_tolstring(L, -1, &vn);
    check_utf8(L, k, kn, "a segment attribute's name");
    check_utf8(L, v, vn, "a segment attribute's value");
    if (b->nattr == b->capattr) {
      b->capattr = b->capattr ? 2 * b->capattr : 16;
      b->attr_keys = thema_xrealloc(b->attr_keys, b->capattr * sizeof *b->attr_keys);
      b->attr_values = thema_xrealloc(b->attr_values, b->capattr * sizeof *b->attr_values);
    }
    b->attr_keys[b->nattr] = thema_xstrdup(k);
    b->attr_values[b->nattr] = thema_xstrdup(v);
    b->nattr++;
    g->nattrs++;
    lua_pop(L, 1);
  }
  lua_pop(L, 1);
}

/* thema.add_source{ name =, kind = "transcript"|"document", text =,
 *   meta = { title =, date =, ... }, segments = { ... }, replace = false }
 *   -> { source = name, segments = n, unchanged = bool } */
static int l_add_source(lua_State *L) {
  static const char *const fields[] = {"name", "kind",     "format",  "text",
                                       "meta", "segments", "replace", NULL};
  static const char *const seg_fields[] = {"start",    "stop",       "text",
                                           "speaker",  "section",    "time_start",
                                           "time_end", "attributes", NULL};
  luaL_checktype(L, 1, LUA_TTABLE);
  lua_settop(L, 1);
  thema_lua_check_fields(L, 1, fields);
  ThemaLuaCtx *h = thema_ctx_get(L);
  if (h->run_id != 0)
    return luaL_error(L, "add_source: plugin runs read the corpus; add sources from a "
                         "script or an importer ('thema import NAME FILE')");
  const char *name = field_string(L, 1, "name", "the source");
  if (!name || !*name || strchr(name, '/') || name[0] == '.')
    return luaL_error(L, "add_source: 'name' must name the source (not empty, no '/', not "
                         "starting with '.')");
  const char *kind = field_string(L, 1, "kind", "the source");
  if (!kind) kind = "document";
  if (strcmp(kind, "transcript") && strcmp(kind, "document"))
    return luaL_error(L, "add_source: 'kind' is transcript or document, not '%s'", kind);
  const char *format = field_string(L, 1, "format", "the source");
  lua_getfield(L, 1, "replace");
  int replace = lua_toboolean(L, -1);
  lua_pop(L, 1);
  SourceBox *b = lua_newuserdatauv(L, sizeof *b, 0); /* 2 */
  memset(b, 0, sizeof *b);
  luaL_setmetatable(L, SOURCE_BOX);
  if (lua_getfield(L, 1, "segments") != LUA_TTABLE) /* 3 */
    return luaL_error(L, "add_source: 'segments' must be a list of segments");
  lua_Integer nseg = (lua_Integer)lua_rawlen(L, 3);
  size_t tlen;
  const char *text = NULL;
  if (lua_getfield(L, 1, "text") == LUA_TSTRING) { /* 4 */
    text = lua_tolstring(L, 4, &tlen);
  } else if (!lua_isnil(L, 4)) {
    return luaL_error(L, "add_source: 'text' must be a string");
  } else {
    /* No text: the segments' texts, joined by blank lines, are the text. */
    for (lua_Integer i = 1; i <= nseg; i++) {
      lua_rawgeti(L, 3, i);
      if (!lua_istable(L, -1))
        return luaL_error(L, "add_source: segment %d must be a table", (int)i);
      const char *st = field_string(L, lua_gettop(L), "text", "a segment");
      if (!st)
        return luaL_error(
            L,
            "add_source: segment %d: without the source's 'text', give each segment its 'text'",
            (int)i);
      if (i > 1) thema_buf_puts(&b->text, "\n\n");
      thema_buf_puts(&b->text, st);
      lua_pop(L, 1);
    }
    text = b->text.data ? b->text.data : "";
    tlen = b->text.len;
  }
  check_utf8(L, text, tlen, "the text");
  if (tlen == 0 || nseg == 0)
    return luaL_error(L, "add_source: '%s' has no text or no segments", name);
  /* Front matter as the importers read it: known keys fill the source's
   * columns (title, date, network, kind), the others become attributes. */
  if (lua_getfield(L, 1, "meta") == LUA_TTABLE) { /* 5 */
    int n = 0;
    for (lua_pushnil(L); lua_next(L, 5); lua_pop(L, 1)) n++;
    b->meta.keys = thema_xcalloc((size_t)n + 1, sizeof *b->meta.keys);
    b->meta.values = thema_xcalloc((size_t)n + 1, sizeof *b->meta.values);
    for (lua_pushnil(L); lua_next(L, 5); lua_pop(L, 1)) {
      if (lua_type(L, -2) != LUA_TSTRING || !lua_isstring(L, -1))
        return luaL_error(L, "add_source: 'meta' holds names and strings or numbers");
      b->meta.keys[b->meta.n] = thema_xstrdup(lua_tostring(L, -2));
      b->meta.values[b->meta.n] = thema_xstrdup(lua_tostring(L, -1));
      b->meta.n++;
    }
  } else if (!lua_isnil(L, 5)) {
    return luaL_error(L, "add_source: 'meta' must be a table");
  }
  /* The hash: of everything that makes the source, so that adding the same
   * again is "unchanged" and a changed one is refused unless replace. */
  ThemaBuf all = {0};
  thema_buf_printf(&all, "%s\n%s\n", kind, format ? format : "");
  for (int i = 0; i < b->meta.n; i++)
    thema_buf_printf(&all, "%s=%s\n", b->meta.keys[i], b->meta.values[i]);
  thema_buf_append(&all, text, tlen);
  char hash[65];
  thema_hash_sha256(all.data, all.len, hash);
  thema_buf_free(&all);
  /* Every segment checked first: once the savepoint is open, nothing may
   * raise before it is released or rolled back. */
  size_t cps = thema_utf8_count(text, tlen), at = 0;
  b->segs = thema_xcalloc((size_t)nseg, sizeof *b->segs);
  for (lua_Integer i = 1; i <= nseg; i++) {
    lua_rawgeti(L, 3, i);
    int t = lua_gettop(L);
    if (!lua_istable(L, t))
      return luaL_error(L, "add_source: segment %d must be a table", (int)i);
    thema_lua_check_fields(L, t, seg_fields);
    double start = -1, stop = -1, t0 = -1, t1 = -1;
    int has_start = field_number(L, t, "start", &start, "a segment");
    int has_stop = field_number(L, t, "stop", &stop, "a segment");
    const char *stext = field_string(L, t, "text", "a segment");
    if (!has_start || !has_stop) {
      if (!lua_isnil(L, 4) || !stext)
        return luaL_error(L,
                          "add_source: segment %d needs 'start' and 'stop' (code points "
                          "into the text)",
                          (int)i);
      start = (double)at; /* joined: its place in the joined text */
      stop = start + (double)thema_utf8_count(stext, strlen(stext));
      at = (size_t)stop + 2;
    }
    if (start < 0 || stop < start || stop > (double)cps || start != (double)(size_t)start ||
        stop != (double)(size_t)stop)
      return luaL_error(L,
                        "add_source: segment %d: %f-%f is not a span of whole code points "
                        "inside the text (0-%d)",
                        (int)i, start, stop, (int)cps);
    if (i > 1 && start < (double)b->segs[i - 2].stop)
      return luaL_error(L,
                        "add_source: segment %d starts at %d, before segment %d ends (%d): "
                        "segments follow each other in the text",
                        (int)i, (int)start, (int)i - 1, (int)b->segs[i - 2].stop);
    field_number(L, t, "time_start", &t0, "a segment");
    field_number(L, t, "time_end", &t1, "a segment");
    SegSpec *g = &b->segs[i - 1];
    *g = (SegSpec){(size_t)start,
                   (size_t)stop,
                   field_string(L, t, "speaker", "a segment"),
                   field_string(L, t, "section", "a segment"),
                   t0,
                   t1,
                   0,
                   0};
    segment_attributes(L, b, t, i, g);
    if (strcmp(kind, "transcript") == 0 && !g->speaker)
      return luaL_error(L, "add_source: segment %d of a transcript has no 'speaker'",
                        (int)i);
    lua_pop(L, 1);
  }
  ThemaError err = {0};
  if (thema_store_savepoint(h->st, "add_source", &err)) return luaL_error(L, "%s", err.msg);
  thema_sink_store_init(&b->sink, h->st, replace, &b->res);
  b->sink_live = 1;
  ThemaSourceRec src = {.kind = kind,
                        .format = format ? format : "lua",
                        .path = name,
                        .hash = hash,
                        .text = text,
                        .len = tlen,
                        .meta = b->meta.n ? &b->meta : NULL};
  int unchanged = 0;
  if (!thema_sink_begin_source(&b->sink.base, &src, &unchanged, &err) && !unchanged) {
    for (lua_Integer i = 1; i <= nseg && !err.status; i++) {
      const SegSpec *g = &b->segs[i - 1];
      size_t bb = thema_utf8_byte_offset(text, tlen, g->start);
      size_t be = thema_utf8_byte_offset(text, tlen, g->stop);
      ThemaSegmentRec seg = {
          .ordinal = (long)i,
          .speaker = g->speaker,
          .section = g->section,
          .start = g->start,
          .end = g->stop,
          .timed = g->t0 >= 0,
          .time_start = g->t0,
          .time_end = g->t1 >= 0 ? g->t1 : g->t0,
          .text = text + bb,
          .len = be - bb,
          .attr_keys = g->nattrs ? (const char *const *)b->attr_keys + g->attr0 : NULL,
          .attr_values = g->nattrs ? (const char *const *)b->attr_values + g->attr0 : NULL,
          .nattrs = g->nattrs};
      thema_sink_add_segment(&b->sink.base, &seg, &err);
    }
    if (!err.status) thema_sink_end_source(&b->sink.base, &err);
  }
  thema_sink_free(&b->sink.base);
  b->sink_live = 0;
  if (err.status) {
    thema_store_rollback_to(h->st, "add_source");
    return luaL_error(L, "%s", err.msg);
  }
  if (thema_store_release(h->st, "add_source", &err)) return luaL_error(L, "%s", err.msg);
  lua_createtable(L, 0, 3);
  lua_pushstring(L, name);
  lua_setfield(L, -2, "source");
  lua_pushinteger(L, b->res.segments);
  lua_setfield(L, -2, "segments");
  lua_pushboolean(L, unchanged);
  lua_setfield(L, -2, "unchanged");
  return 1;
}

void thema_bind_source(lua_State *L) {
  if (luaL_newmetatable(L, SOURCE_BOX)) {
    lua_pushcfunction(L, box_gc);
    lua_setfield(L, -2, "__gc");
  }
  lua_pop(L, 1);
  lua_pushcfunction(L, l_add_source);
  lua_setfield(L, -2, "add_source");
}
