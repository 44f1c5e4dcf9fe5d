/*
 * ctx.h — the run context every binding reads: the store, the plugin run in
 * progress, quietness and verbosity, and the path policy. It is held in the
 * Lua registry, as Lua's own libraries keep their state, so a binding needs
 * this header and never the host's: the host sets the context, bindings and
 * the run lifecycle read it. The message handler for protected calls lives
 * here too, since it depends on nothing but the context's verbosity.
 */
#ifndef THEMA_CTX_H
#define THEMA_CTX_H

#include <lua.h>
#include <stdint.h>

#include "base/budget.h"
#include "base/thema.h"
#include "lua/paths.h"
#include "store/store.h"

typedef struct ThemaLuaCtx {
  ThemaStore *st;               /* borrowed: outlives the Lua state */
  int64_t run_id;               /* the plugin run in progress, 0 outside one */
  const char *run_plugin;       /* its name (for log lines), NULL outside one */
  int quiet;                    /* no log or progress on stderr */
  int verbose;                  /* errors of protected calls carry a traceback */
  const ThemaPathPolicy *paths; /* what plugin code may read and write */
  int allow_replace;            /* --allow-replace: plugin runs may delete or replace
                                   what they did not create (other runs' and coders'
                                   codings, a stored codebook, existing codes) */
  const ThemaMemBudget *mem;    /* the Lua state's memory budget, NULL for none */
  int excel;                    /* --excel: CSV writers write for a spreadsheet */
  int xlsx;                     /* --xlsx: every CSV a plugin writes also as .xlsx */
} ThemaLuaCtx;

/* Keep ctx (owned by the caller, which outlives L) in L's registry. */
void thema_ctx_set(lua_State *L, ThemaLuaCtx *ctx);
/* The context of L; raises a Lua error when L has none. */
ThemaLuaCtx *thema_ctx_get(lua_State *L);

/* The message handler for lua_pcall: turns the error object into a string
 * (an object that is not one is described by its type, or converted by its
 * __tostring) and, when the context is verbose, appends a traceback. */
int thema_ctx_handle_error(lua_State *L);

/* thema.input_error(msg): raise msg as an input error — bad data a user can
 * fix (a file, a line, what to do) rather than a fault of the plugin — so
 * that the run fails with exit code 2 instead of 3. The handler above turns
 * it into msg (no traceback) and remembers its kind for the caller. */
int thema_ctx_input_error(lua_State *L);
/* 1 when the last error the handler saw was raised by thema.input_error;
 * clears the mark. */
int thema_ctx_take_input_error(lua_State *L);
/* When err's message is Lua's "not enough memory" and the state's memory
 * budget refused an allocation, say so, with the option that changes it. */
void thema_ctx_note_limits(lua_State *L, ThemaError *err);

#endif
