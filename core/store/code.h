/*
 * code.h — the one writer of tables codebook, code and code_rule: the code
 * tree (theme > code, any depth), each code's rules and examples, and the
 * codebook file a code came from.
 */
#ifndef THEMA_CODE_H
#define THEMA_CODE_H

#include <stdint.h>

#include "store/store.h"

/* The id of the code at path ("theme/code"), creating it and any missing
 * parent with origin (deductive, inductive or manual) when absent. An empty
 * part ("a//b", "a/") is an input error: "bad code path 'a//b' (empty part)". */
int thema_code_ensure(ThemaStore *st, const char *path, const char *origin, int64_t *id,
                      ThemaError *err);

#endif
