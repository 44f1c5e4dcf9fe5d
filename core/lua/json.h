/*
 * json.h — deterministic JSON of a Lua value, for run records (the params
 * column) and for thema.json and out.json: the same value always gives the
 * same bytes.
 */
#ifndef THEMA_JSON_H
#define THEMA_JSON_H

#include <lua.h>

#include "base/thema.h"

/* The JSON of the value at idx into out (reset first; the caller owns and
 * frees it): object keys sorted, a table with keys exactly 1..n as an array,
 * an empty table as {}, integers without a decimal point, integral floats
 * below 1e15 with ".0", other floats with %.17g, NaN and infinities as null.
 * Fails (never raises) on functions, userdata, threads, tables that mix
 * array and object keys or have non-string keys, and nesting deeper than 64;
 * reads tables raw, so no metamethod runs. */
int thema_json_encode(lua_State *L, int idx, ThemaBuf *out, ThemaError *err);

#endif
