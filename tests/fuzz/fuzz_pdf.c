/*
 * fuzz_pdf.c — PDF documents through poppler (text by page, paragraphs by line gaps), into the null sink.
 */
#include "fuzz_ingest.h"
#include "ingest/office.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (size > FUZZ_INGEST_MAX) return 0;
  char *s = fuzz_cstr(data, size);
  ThemaSinkNull n;
  thema_sink_null_init(&n);
  ThemaError err = {0};
  ThemaParasEmit e = {.path = "fuzz.pdf"};
  thema_parse_office(&n.base, s, size, THEMA_FORMAT_PDF, &e, &err);
  fuzz_check_sink(&n, &err);
  free(s);
  return 0;
}
