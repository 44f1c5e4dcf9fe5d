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

/* The id of the code at path, 0 when there is none. */
int thema_code_find(ThemaStore *st, const char *path, int64_t *id, ThemaError *err);
/* id itself when a code has that id, 0 otherwise. */
int thema_code_check_id(ThemaStore *st, int64_t id, int64_t *found, ThemaError *err);

/* Set the description, options and colour of code id; a NULL argument
 * keeps the stored value. */
int thema_code_set_details(ThemaStore *st, int64_t id, const char *description,
                           const char *options, const char *colour, ThemaError *err);

/* The kinds of rule a code carries, in this order everywhere. */
enum {
  THEMA_RULE_INCLUDE,
  THEMA_RULE_EXCLUDE,
  THEMA_RULE_MATCH,
  THEMA_RULE_NOMATCH,
  THEMA_RULE_KINDS
};
extern const char *const thema_code_rule_kinds[THEMA_RULE_KINDS];

/* One code of a codebook, as the store keeps it. Strings are borrowed. */
typedef struct ThemaCodeDef {
  const char *name;                           /* the code's own name */
  const char *path;                           /* theme/code; its parent is the prefix */
  const char *description;                    /* NULL when none */
  const char *options;                        /* space-separated: stem fold case partial */
  const char *colour;                         /* NULL when none */
  long line;                                  /* line (or entry) in the codebook file */
  const char *const *rules[THEMA_RULE_KINDS]; /* per kind, its rule lines */
  int nrules[THEMA_RULE_KINDS];               /* how many of each */
} ThemaCodeDef;

/* Store codebook name (from file, with content hash) and its codes (origin
 * deductive, any order: parents are written first), updating codes in place
 * so that existing codings of kept codes survive; codes the new version no
 * longer has are deleted with their codings. With the same name and hash
 * already stored, *unchanged is set and nothing is written. */
int thema_code_save_codebook(ThemaStore *st, const char *name, const char *file,
                             const char *hash, const ThemaCodeDef *codes, int n,
                             int *unchanged, ThemaError *err);

/* Called once per code that has include rules, in path order; the
 * definition is valid during the call. A non-zero return stops the walk
 * and is returned. */
typedef int (*ThemaCodeFn)(void *ud, const ThemaCodeDef *code, ThemaError *err);
int thema_code_each_ruled(ThemaStore *st, ThemaCodeFn fn, void *ud, ThemaError *err);
/* The same for every code (ruled_only 0), themes and codes without rules
 * too: the store's codebook as a whole, for its export. */
int thema_code_each(ThemaStore *st, int ruled_only, ThemaCodeFn fn, void *ud,
                    ThemaError *err);

/* Delete the codes of origin at path root and below it ("inductive",
 * "inductive/..."), with their codings (cascade): a pass that names its
 * codes after what it found replaces its earlier codes this way, inside its
 * run, so a failed run keeps them. *deleted (may be NULL) counts the codes
 * deleted by the statement itself. */
int thema_code_delete_origin_tree(ThemaStore *st, const char *root, const char *origin,
                                  int64_t *deleted, ThemaError *err);

#endif
