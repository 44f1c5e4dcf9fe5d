/*
 * fuzz_cases.c — cases files (speakers or organisations, with attribute
 * columns) on any text, into the null sink, which knows every source: the
 * "seen once" checks of a whole file run on every row.
 */
#include "fuzz_ingest.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  ThemaInput in = {0};
  if (!fuzz_input(data, size, &in)) return 0;
  ThemaSinkNull n;
  thema_sink_null_init(&n);
  ThemaError err = {0};
  thema_parse_cases(&n.base, "fuzz.csv", &in, &err);
  fuzz_check_sink(&n, &err);
  thema_input_free(&in);
  return 0;
}
