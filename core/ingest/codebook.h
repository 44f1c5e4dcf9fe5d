/*
 * codebook.h — codebook files: CSV (one row per code, a column per field of
 * thema_codebook_fields, several patterns or examples in a cell one per
 * line) or Lua (a file returning a list of code tables with the same
 * fields, read as data in an empty environment).
 */
#ifndef THEMA_INGEST_CODEBOOK_H
#define THEMA_INGEST_CODEBOOK_H

#include "deductive/codebook.h"

/* Read the codebook file at path (.lua is Lua, anything else CSV) into *cb
 * and resolve its paths. *cb is owned by the caller: free it with
 * thema_codebook_free, also after an error. Errors name the file, the line
 * (or entry) and the code. */
int thema_codebook_load(const char *path, ThemaCodebook *cb, ThemaError *err);

/* The readers behind it, on text already loaded (for tests and fuzzers):
 * codes are appended to cb, whose path names the file in messages. */
int thema_codebook_read_csv(ThemaCodebook *cb, const char *text, size_t len,
                            ThemaError *err);
int thema_codebook_read_lua(ThemaCodebook *cb, const char *text, size_t len,
                            ThemaError *err);

#endif
