/*
 * fuzz_pattern.c — speaker patterns as a user writes them: the first line of
 * the input is a pattern (--speaker-pattern), the rest a transcript parsed
 * with it into the null sink, and the clock times of thema_turn_seconds on
 * every line. A pattern may be refused, never crash or leak.
 */
#include "fuzz_ingest.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  const char *nl = memchr(data, '\n', size);
  if (!nl) return 0;
  size_t plen = (size_t)(nl - (const char *)data);
  char *pattern = fuzz_cstr(data, plen);
  for (size_t i = 0; i < size; i++) { /* every line as a clock time */
    const char *e = memchr(data + i, '\n', size - i);
    size_t n = e ? (size_t)(e - (const char *)data) - i : size - i;
    double t = thema_turn_seconds((const char *)data + i, n);
    if (t < -1 || t != t) abort();
    i += n;
  }
  ThemaTurnPattern *p = NULL;
  ThemaError err = {0};
  ThemaInput in = {0};
  if (thema_turn_pattern_compile(pattern, &p, &err) == THEMA_OK &&
      fuzz_input(data + plen + 1, size - plen - 1, &in)) {
    ThemaSinkNull n;
    thema_sink_null_init(&n);
    ThemaError perr = {0};
    thema_parse_transcript(&n.base, "fuzz.txt", &in, p, &perr);
    fuzz_check_sink(&n, &perr);
    thema_input_free(&in);
  }
  thema_turn_pattern_free(p);
  free(pattern);
  return 0;
}
