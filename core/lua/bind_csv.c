/*
 * bind_csv.c — thema.csv.parse(text [, name]): a CSV text (as thema's
 * writers make it, or any RFC 4180 file) read by the same reader the
 * importers use (text/csv.h), for plugins that build on other plugins'
 * tables, such as the report.
 */
#include <lauxlib.h>
#include <lua.h>

#include "lua/bind.h"
#include "text/csv.h"

typedef struct Parse {
  lua_State *L;
  int header; /* stack index of the header array */
  int rows;   /* stack index of the rows array */
  lua_Integer n;
} Parse;

static int on_row(const ThemaCsvRow *row, void *ud, ThemaError *err) {
  (void)err;
  Parse *p = ud;
  lua_State *L = p->L;
  if (p->n++ == 0) {
    for (int i = 0; i < row->n; i++) {
      lua_pushstring(L, row->fields[i]);
      lua_rawseti(L, p->header, i + 1);
    }
    return THEMA_OK;
  }
  lua_createtable(L, 0, row->n);
  for (int i = 0; i < row->n; i++) {
    lua_rawgeti(L, p->header, i + 1);
    lua_pushstring(L, row->fields[i]);
    lua_rawset(L, -3);
  }
  lua_rawseti(L, p->rows, p->n - 1);
  return THEMA_OK;
}

/* thema.csv.parse(text [, name]) -> rows, header: rows keyed by the header's
 * names (every value a string), header the names in order. */
static int l_parse(lua_State *L) {
  size_t len;
  const char *text = luaL_checklstring(L, 1, &len);
  const char *name = luaL_optstring(L, 2, "csv");
  lua_settop(L, 2);
  lua_newtable(L); /* 3: header */
  lua_newtable(L); /* 4: rows */
  Parse p = {L, 3, 4, 0};
  ThemaError err = {0};
  if (len && thema_csv_read(name, text, len, ',', on_row, &p, &err))
    return luaL_error(L, "%s", err.msg);
  lua_pushvalue(L, 4);
  lua_pushvalue(L, 3);
  return 2;
}

static const luaL_Reg csv_funcs[] = {{"parse", l_parse}, {NULL, NULL}};

void thema_bind_csv(lua_State *L) {
  luaL_newlib(L, csv_funcs);
  lua_setfield(L, -2, "csv");
}
