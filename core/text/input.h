/*
 * input.h — files as importers read them: normalised, validated UTF-8 text
 * and the content hash of the raw bytes.
 */
#ifndef THEMA_INPUT_H
#define THEMA_INPUT_H

#include "base/thema.h"

/* A file read as text: BOM removed, CRLF and lone CR turned into LF, checked
 * to be non-empty valid UTF-8 (errors name line and column). */
typedef struct ThemaInput {
  ThemaBuf buf;  /* the normalised text */
  char hash[65]; /* SHA-256 of the raw file bytes, lower-case hex */
} ThemaInput;

/* Load path into *t (zeroed by the caller); on error *err names the line and
 * column. t->buf is owned by t: release it with thema_input_free, also after
 * an error. */
int thema_input_load(const char *path, ThemaInput *t, ThemaError *err);
void thema_input_free(ThemaInput *t);

#endif
