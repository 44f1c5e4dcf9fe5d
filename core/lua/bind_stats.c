/*
 * bind_stats.c — thema.stats: the statistics kernels of analysis/ from Lua.
 */
#include "lua/bind.h"

void thema_bind_stats(lua_State *L) {
  lua_newtable(L);
  lua_setfield(L, -2, "stats");
}
