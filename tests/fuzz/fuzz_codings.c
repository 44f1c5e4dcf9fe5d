/*
 * fuzz_codings.c — human codings files on any text, into the null sink
 * (every source has segments 1..1000 of 100 code points each), with and
 * without a --coder.
 */
#include "fuzz_ingest.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  ThemaInput in = {0};
  if (!fuzz_input(data, size, &in)) return 0;
  static const char *const coders[2] = {NULL, "fuzz"};
  for (int i = 0; i < 2; i++) {
    ThemaSinkNull n;
    thema_sink_null_init(&n);
    ThemaError err = {0};
    thema_parse_codings(&n.base, "fuzz.csv", &in, coders[i], &err);
    fuzz_check_sink(&n, &err);
  }
  thema_input_free(&in);
  return 0;
}
