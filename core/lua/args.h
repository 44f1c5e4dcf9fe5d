/*
 * args.h — argument checks every binding shares, in the manner of lauxlib:
 * errors name the argument and the function ("bad argument #1 to
 * 'add_coding' (unknown field 'x'; accepted: ...)").
 */
#ifndef THEMA_ARGS_H
#define THEMA_ARGS_H

#include <lua.h>
#include <stddef.h>

#include "base/thema.h"

/* Raise unless every key of the table at index t is one of allowed (a
 * NULL-terminated list); the message lists the accepted keys. */
void thema_lua_check_fields(lua_State *L, int t, const char *const *allowed);

/* Field k of the table at t as a string, NULL when nil; raises naming the
 * field when it is neither. The string lives as long as the table. */
const char *thema_lua_opt_field(lua_State *L, int t, const char *k);

/* The integer at the top of the stack, or raise naming field of argument
 * arg. */
lua_Integer thema_lua_field_integer(lua_State *L, int arg, const char *field);
lua_Number thema_lua_field_number(lua_State *L, int arg, const char *field);

/* Raise err's message as a Lua error when err holds one. */
void thema_lua_raise_if(lua_State *L, const ThemaError *err);

/* Raise unless s[0..n) (argument arg) is valid UTF-8; the message gives the
 * 0-based byte offset of the first bad byte. */
void thema_lua_check_utf8(lua_State *L, int arg, const char *s, size_t n);

#endif
