/*
 * fuzz_codebook_csv.c — codebook CSV files: read, resolved (names, options,
 * parents, cycles) and, when they resolve, compiled into a matcher that
 * codes a fixed sentence. Refusing is fine; a crash, a leak or a matcher
 * from an unresolved codebook is not.
 */
#include "deductive/matcher.h"
#include "fuzz_ingest.h"
#include "ingest/codebook.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  ThemaInput in = {0};
  if (!fuzz_input(data, size, &in)) return 0;
  ThemaCodebook cb = {.path = thema_xstrdup("fuzz.csv")};
  ThemaError err = {0};
  if (thema_codebook_read_csv(&cb, in.buf.data, in.buf.len, &err) == THEMA_OK &&
      thema_codebook_resolve(&cb, "line", &err) == THEMA_OK) {
    int *index = NULL;
    ThemaMatcher *m = thema_codebook_compile(&cb, &index, &err);
    thema_matcher_free(m);
    free(index);
  }
  thema_codebook_free(&cb);
  thema_input_free(&in);
  return 0;
}
