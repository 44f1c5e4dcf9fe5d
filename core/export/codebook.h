/*
 * codebook.h — the store's codebook written back as a file thema reads:
 * CSV (the columns of thema_codebook_fields, several rules in a cell one per
 * line) or Lua (a list of code tables). Every code, themes included, in path
 * order; the same store gives the same bytes, and importing the file gives
 * the same codes and rules.
 */
#ifndef THEMA_EXPORT_CODEBOOK_H
#define THEMA_EXPORT_CODEBOOK_H

#include "base/thema.h"
#include "store/store.h"

/* Append the codebook in format "csv" or "lua" to out. */
int thema_export_codebook(ThemaStore *st, const char *format, ThemaBuf *out,
                          ThemaError *err);

#endif
