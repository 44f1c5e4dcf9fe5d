/*
 * csvread.h — RFC 4180 CSV through libcsv, row by row, with the line each
 * row starts on, delimiter sniffing and strict errors (unbalanced quotes,
 * ragged rows) that name the file and line.
 */
#ifndef THEMA_CSVREAD_H
#define THEMA_CSVREAD_H

#include <stddef.h>

#include "base/thema.h"

typedef struct ThemaCsvRow {
  char **fields; /* NUL-terminated field texts, owned by the reader */
  int n;         /* number of fields */
  long line;     /* 1-based line the row starts on */
} ThemaCsvRow;

/* Called once per row, the header included (row->line of the first row is the
 * header's). A non-zero return stops reading and is returned. */
typedef int (*ThemaCsvRowFn)(const ThemaCsvRow *row, void *ud, ThemaError *err);

/* The most frequent of ',', ';' and tab in the first line outside quotes. */
char thema_csv_sniff(const char *text, size_t len);

/* Read text[0..len) as CSV with delimiter delim (0: sniff). Every row must
 * have as many fields as the header. */
int thema_csv_read(const char *path, const char *text, size_t len, char delim,
                   ThemaCsvRowFn fn, void *ud, ThemaError *err);

/* Index of the header field named name (ASCII case-insensitive), or -1. */
int thema_csv_column(const ThemaCsvRow *header, const char *name);

/* Append field s[0..n) to out as a CSV field, quoted when it holds the
 * delimiter, a quote, CR or LF (RFC 4180). */
void thema_csv_quote(ThemaBuf *out, const char *s, size_t n, char delim);
#endif
