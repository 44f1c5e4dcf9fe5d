/*
 * meta.h — "key: value" metadata of sources: front matter and sidecars.
 */
#ifndef THEMA_META_H
#define THEMA_META_H

#include <stddef.h>

#include "base/thema.h"

/* Front matter: "---" on the first line, "key: value" lines, "---". */
typedef struct ThemaMeta {
  char **keys, **values; /* owned; parallel arrays of n entries */
  int n;
} ThemaMeta;

/* Parse front matter at the start of text; *body is the byte offset just past
 * it (0 when there is none) and *body_line the 1-based line it starts on. */
int thema_meta_parse_front(const char *path, const char *text, size_t len, ThemaMeta *meta,
                           size_t *body, long *body_line, ThemaError *err);
/* Parse a whole file of "key: value" lines ('#' starts a comment). */
int thema_meta_parse_lines(const char *path, const char *text, size_t len, long first_line,
                           ThemaMeta *meta, ThemaError *err);
/* The value of key, or NULL; borrowed from meta (valid until it is freed). */
const char *thema_meta_get(const ThemaMeta *meta, const char *key);
void thema_meta_free(ThemaMeta *meta);

#endif
