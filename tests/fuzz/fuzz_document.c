/*
 * fuzz_document.c — documents (front matter, paragraphs, ATX and setext
 * headings) on any text, into the null sink.
 */
#include "fuzz_ingest.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  ThemaInput in = {0};
  if (!fuzz_input(data, size, &in)) return 0;
  ThemaSinkNull n;
  thema_sink_null_init(&n);
  ThemaError err = {0};
  thema_parse_document(&n.base, "fuzz.md", &in, 1, &err);
  fuzz_check_sink(&n, &err);
  thema_input_free(&in);
  return 0;
}
