/*
 * bind_ingest.c — thema.import(kind, files [, options]) for scripts: the
 * importers of ingest/ (the kinds of ingest/kinds.h) inside the script's
 * transaction, all files of one call or none.
 */
#include <lauxlib.h>
#include <string.h>

#include "ingest/codebook.h"
#include "ingest/kinds.h"
#include "lua/args.h"
#include "lua/bind.h"
#include "lua/ctx.h"
#include "store/code.h"
#include "store/query.h"

/* What the store held before a plugin run imported a codebook: the number
 * of codes, and whether any code of the file was already there. */
typedef struct CodebookBefore {
  int64_t codes;  /* codes in the store */
  int new_codes;  /* codes of the file the store did not have */
  int file_codes; /* codes in the file */
} CodebookBefore;

static int codebook_before(ThemaStore *st, const char *path, CodebookBefore *b,
                           ThemaError *err) {
  ThemaCodebook cb;
  memset(b, 0, sizeof *b);
  if (!thema_codebook_load(path, &cb, err) &&
      !thema_query_count(st, THEMA_CODES, NULL, 0, &b->codes, err)) {
    b->file_codes = cb.n;
    for (int i = 0; i < cb.n && !err->status; i++) {
      int64_t id = 0;
      if (!thema_code_find(st, cb.codes[i].path, &id, err) && !id) b->new_codes++;
    }
  }
  thema_codebook_free(&cb);
  return err->status;
}

/* Inside a plugin run, a codebook import may only add codes: one that
 * changed or removed a stored code (and with it its codings, a person's
 * too) is the user's decision, made with --allow-replace or with `thema
 * import codebook` itself. Checked on what the import did, so that every
 * way of replacing counts: a changed file, or another file of that name. */
static int codebook_replaced(ThemaStore *st, const char *path, const CodebookBefore *b,
                             const ThemaImportResult *r, ThemaError *err) {
  if (r->unchanged) return THEMA_OK;
  int64_t after = 0;
  if (thema_query_count(st, THEMA_CODES, NULL, 0, &after, err)) return err->status;
  if (b->new_codes == b->file_codes && after == b->codes + b->file_codes) return THEMA_OK;
  return thema_error_set(err, THEMA_EUSAGE,
                         "%s: importing this codebook in a plugin run would change or "
                         "remove codes the store holds (and their codings); import it "
                         "with 'thema import codebook %s' first, or let the run replace "
                         "it with --allow-replace",
                         path, path);
}

/* thema.import(kind, path_or_list [, options]) -> {files=, segments=, ...}
 * For scripts: runs inside the script's transaction. */
static int l_import(lua_State *L) {
  static const char *const fields[] = {"replace",  "speaker_pattern", "heading_pattern",
                                       "preamble", "coder",           NULL};
  const char *name = luaL_checkstring(L, 1);
  const ThemaImportKind *k = thema_import_kind_find(name);
  if (!k) return luaL_argerror(L, 1, lua_pushfstring(L, "invalid option '%s'", name));
  lua_settop(L, 3); /* a missing path must not become the list pushed below */
  ThemaLuaCtx *h = thema_ctx_get(L);
  /* Plugins read the corpus; only their instrument (a codebook) may be
   * imported from inside a run. */
  luaL_argcheck(L, h->run_id == 0 || k->in_run, 1,
                "plugins may import only a codebook; import sources from a script");
  ThemaImportOptions opt = {0};
  if (!lua_isnoneornil(L, 3)) {
    luaL_checktype(L, 3, LUA_TTABLE);
    thema_lua_check_fields(L, 3, fields);
    lua_getfield(L, 3, "replace");
    opt.replace = lua_toboolean(L, -1);
    /* A list of patterns: alternatives, joined one per line (ingest/turn.h). */
    if (lua_getfield(L, 3, "speaker_pattern") == LUA_TTABLE) {
      luaL_Buffer b;
      luaL_buffinit(L, &b);
      for (lua_Integer i = 1; lua_rawgeti(L, -2, i) != LUA_TNIL; i++) {
        if (lua_type(L, -1) != LUA_TSTRING)
          return luaL_error(L, "speaker_pattern: entry %d must be a string", (int)i);
        if (i > 1) luaL_addchar(&b, '\n');
        luaL_addvalue(&b);
      }
      lua_pop(L, 1);
      luaL_pushresult(&b);
      lua_setfield(L, 3, "speaker_pattern"); /* kept alive by the options table */
    }
    lua_pop(L, 1);
    opt.speaker_pattern = thema_lua_opt_field(L, 3, "speaker_pattern");
    opt.heading_pattern = thema_lua_opt_field(L, 3, "heading_pattern");
    const char *pre = thema_lua_opt_field(L, 3, "preamble");
    if (pre) {
      static const char *const modes[] = {"keep", "skip", "refuse", NULL};
      opt.preamble = -1;
      for (int j = 0; modes[j]; j++)
        if (strcmp(pre, modes[j]) == 0) opt.preamble = j;
      if (opt.preamble < 0)
        return luaL_error(L, "preamble: keep, skip or refuse, not '%s'", pre);
    }
    opt.coder = thema_lua_opt_field(L, 3, "coder");
  }
  lua_newtable(L);
  int list = lua_gettop(L);
  if (lua_type(L, 2) == LUA_TSTRING) {
    lua_pushvalue(L, 2);
    lua_rawseti(L, list, 1);
  } else {
    luaL_checktype(L, 2, LUA_TTABLE);
    for (lua_Integer i = 1; lua_rawgeti(L, 2, i) != LUA_TNIL; i++) lua_rawseti(L, list, i);
    lua_pop(L, 1);
  }
  long files = 0, unchanged = 0, segments = 0, observations = 0, rows = 0;
  /* All files of one call or none, as for `thema import`, even when the
   * script catches the error and goes on. */
  ThemaError sperr = {0};
  if (thema_store_savepoint(h->st, "import", &sperr)) return luaL_error(L, "%s", sperr.msg);
  for (lua_Integer i = 1; lua_rawgeti(L, list, i) != LUA_TNIL; i++) {
    ThemaError err = {0};
    if (lua_type(L, -1) != LUA_TSTRING)
      thema_error_set(&err, THEMA_EUSAGE,
                      "bad argument #2 to 'import' (entry %d: path expected, got %s)",
                      (int)i, luaL_typename(L, -1));
    const char *path = lua_tostring(L, -1);
    if (!err.status && !thema_paths_allowed(h->paths, h->run_plugin, path, 0))
      thema_error_set(&err, THEMA_EINPUT, "%s: outside the project folder", path);
    ThemaImportResult r = {0};
    int guard = h->run_id && !h->allow_replace && k->import == thema_import_codebook;
    CodebookBefore before;
    if (!err.status && guard) codebook_before(h->st, path, &before, &err);
    if (err.status || k->import(h->st, path, &opt, &r, &err) ||
        (guard && codebook_replaced(h->st, path, &before, &r, &err))) {
      thema_store_rollback_to(h->st, "import");
      return luaL_error(L, "%s", err.msg);
    }
    files++;
    unchanged += r.unchanged;
    segments += r.segments;
    observations += r.observations;
    rows += r.rows;
    lua_pop(L, 1);
  }
  if (thema_store_release(h->st, "import", &sperr)) return luaL_error(L, "%s", sperr.msg);
  lua_createtable(L, 0, 5);
  lua_pushinteger(L, files);
  lua_setfield(L, -2, "files");
  lua_pushinteger(L, unchanged);
  lua_setfield(L, -2, "unchanged");
  lua_pushinteger(L, segments);
  lua_setfield(L, -2, "segments");
  lua_pushinteger(L, observations);
  lua_setfield(L, -2, "observations");
  lua_pushinteger(L, rows);
  lua_setfield(L, -2, "rows");
  return 1;
}

void thema_bind_ingest(lua_State *L) {
  lua_pushcfunction(L, l_import);
  lua_setfield(L, -2, "import");
}
