/*
 * budget.c — the budgeted allocator (see budget.h).
 */
#include "base/budget.h"

#include <stdlib.h>

void *thema_budget_alloc(void *ud, void *ptr, size_t osize, size_t nsize) {
  ThemaMemBudget *b = ud;
  size_t old = ptr ? osize : 0; /* for a new block, osize is Lua's type tag */
  if (nsize == 0) {
    free(ptr);
    b->used -= old;
    return NULL;
  }
  if (b->limit && nsize > old &&
      nsize - old > b->limit - (b->used < b->limit ? b->used : b->limit)) {
    b->exceeded = 1;
    return NULL;
  }
  void *p = realloc(ptr, nsize);
  if (p) b->used = b->used - old + nsize;
  return p;
}
