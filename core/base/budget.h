/*
 * budget.h — a memory budget for an embedded interpreter: an allocator with
 * the shape of Lua's lua_Alloc (this layer does not include Lua) that
 * refuses any allocation taking the total past a limit. The Lua host gives
 * one to the state of plugins and scripts, the Lua codebook reader one to
 * its own data-only state, so that a 35-byte `s = s .. s` loop fails with
 * "not enough memory" at the limit instead of asking the system for 64 GB.
 */
#ifndef THEMA_BUDGET_H
#define THEMA_BUDGET_H

#include <stddef.h>

typedef struct ThemaMemBudget {
  size_t used;  /* bytes held through the allocator */
  size_t limit; /* the most it may hold; 0 for no limit */
  int exceeded; /* set once an allocation has been refused */
} ThemaMemBudget;

/* lua_Alloc: ud is the ThemaMemBudget; ptr NULL means a new block (osize
 * then tells its kind, not its size); nsize 0 frees. Returns NULL when the
 * block would take the total past the limit (or the system has no memory). */
void *thema_budget_alloc(void *ud, void *ptr, size_t osize, size_t nsize);

#endif
