/*
 * fuzz_ingest.h — what the importer targets share: fuzz bytes made into a
 * loaded input as text/input.h makes a file (BOM dropped, CR and CRLF
 * turned into LF; bytes a file load would refuse are skipped), and a null
 * sink whose broken contract is a crash.
 */
#ifndef THEMA_FUZZ_INGEST_H
#define THEMA_FUZZ_INGEST_H

#include <stdio.h>
#include <string.h>

#include "base/hash.h"
#include "base/utf8.h"
#include "fuzz.h"
#include "ingest/ingest.h"

/* Importer inputs larger than this add run time, not paths. */
#define FUZZ_INGEST_MAX 65536

/* data[0..size) as the loaded text of a file into *in (zeroed by the caller;
 * free with thema_input_free): 1, or 0 when a load would refuse the bytes
 * (not UTF-8, a NUL, nothing but blanks, too large). */
static inline int fuzz_input(const uint8_t *data, size_t size, ThemaInput *in) {
  const char *s = (const char *)data;
  if (size > FUZZ_INGEST_MAX) return 0;
  thema_hash_sha256(s, size, in->hash);
  if (size >= 3 && memcmp(s, "\xEF\xBB\xBF", 3) == 0) s += 3, size -= 3;
  if (thema_utf8_valid_prefix(s, size) != size || memchr(s, '\0', size)) return 0;
  int blank = 1;
  for (size_t i = 0; i < size; i++) {
    if (s[i] == '\r') {
      thema_buf_putc(&in->buf, '\n');
      if (i + 1 < size && s[i + 1] == '\n') i++;
      continue;
    }
    blank &= s[i] == ' ' || s[i] == '\t' || s[i] == '\n';
    thema_buf_putc(&in->buf, s[i]);
  }
  if (blank) thema_input_free(in);
  return !blank;
}

/* A broken sink contract is a parser bug: crash so the fuzzer keeps it. */
static inline void fuzz_check_sink(ThemaSinkNull *n, const ThemaError *err) {
  if (n->base.broken) {
    fprintf(stderr, "sink contract broken: %s (%s)\n", n->base.why, err->msg);
    abort();
  }
  if (n->base.in_source && err->status == THEMA_OK) {
    fprintf(stderr, "a source was left open without an error\n");
    abort();
  }
  thema_sink_free(&n->base);
}

#endif
