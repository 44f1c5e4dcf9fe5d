/*
 * fuzz_docx.c — DOCX and ODT archives (the zip as sniffed: Word or OpenDocument), as a
 * document or, for odd sizes, as a transcript, into the null sink.
 */
#include "fuzz_ingest.h"
#include "ingest/office.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (size > FUZZ_INGEST_MAX) return 0;
  char *s = fuzz_cstr(data, size);
  ThemaSinkNull n;
  thema_sink_null_init(&n);
  ThemaError err = {0};
  ThemaSniff sn;
  thema_sniff_data(s, size, &sn);
  ThemaFormat f = sn.format == THEMA_FORMAT_ODT ? THEMA_FORMAT_ODT : THEMA_FORMAT_DOCX;
  ThemaTurnPattern *pattern = NULL;
  if (thema_turn_pattern_compile(NULL, &pattern, &err)) abort();
  ThemaParasEmit e = {.path = "fuzz.docx", .transcript = size % 2, .pattern = pattern};
  thema_parse_office(&n.base, s, size, f, &e, &err);
  thema_turn_pattern_free(pattern);
  fuzz_check_sink(&n, &err);
  free(s);
  return 0;
}
