/*
 * bind_csv.c — thema.csv.parse(text [, name]): a CSV text (as thema's
 * writers make it, or any RFC 4180 file) read by the same reader the
 * importers use (text/csv.h), for plugins that build on other plugins'
 * tables, such as the report.
 */
#include <lauxlib.h>
#include <lua.h>
#include <string.h>

#include "lua/bind.h"
#include "text/csv.h"

typedef struct Parse {
  lua_State *L;
  int excel;  /* a spreadsheet's CSV (it began with a BOM): guards come off */
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
    const char *f = row->fields[i];
    /* The apostrophe the spreadsheet dialect puts before a formula's first
     * character is not part of the value. */
    if (p->excel && f[0] == '\'' && f[1] && strchr("=+-@\t\r", f[1])) f++;
    lua_pushstring(L, f);
    lua_rawset(L, -3);
  }
  lua_rawseti(L, p->rows, p->n - 1);
  return THEMA_OK;
}

/* thema.csv.parse(text [, name]) -> rows, header: rows keyed by the header's
 * names (every value a string, as written: a spreadsheet's decimal comma
 * stays), header the names in order. */
static int l_parse(lua_State *L) {
  size_t len;
  const char *text = luaL_checklstring(L, 1, &len);
  const char *name = luaL_optstring(L, 2, "csv");
  lua_settop(L, 2);
  lua_newtable(L); /* 3: header */
  lua_newtable(L); /* 4: rows */
  Parse p = {L, 0, 3, 4, 0};
  /* thema's own CSV, or the spreadsheet dialect (--excel): a BOM, ';'. */
  if (len >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0) {
    text += 3;
    len -= 3;
    p.excel = 1;
  }
  ThemaError err = {0};
  if (len && thema_csv_read(name, text, len, p.excel ? ';' : ',', on_row, &p, &err))
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
