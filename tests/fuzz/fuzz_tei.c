/*
 * fuzz_tei.c — TEI transcripts (utterances, segments, editorial notes), into the null sink.
 */
#include "fuzz_ingest.h"
#include "ingest/office.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (size > FUZZ_INGEST_MAX) return 0;
  char *s = fuzz_cstr(data, size);
  ThemaSinkNull n;
  thema_sink_null_init(&n);
  ThemaError err = {0};
  thema_parse_tei(&n.base, "fuzz.xml", s, size,
                  "0000000000000000000000000000000000000000000000000000000000000000", &err);
  fuzz_check_sink(&n, &err);
  free(s);
  return 0;
}
