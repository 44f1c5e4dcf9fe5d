/*
 * fuzz_litset.c — the required-literal extraction of the deductive matcher
 * on any pattern text, and (for patterns PCRE2 accepts) compiling and
 * scanning a rule built from it: codebook patterns are untrusted input.
 */
#include "deductive/matcher.h"
#include "fuzz.h"

static int ignore(void *ud, int code, size_t start, size_t stop) {
  (void)ud, (void)code, (void)start, (void)stop;
  return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (size > 4096) return 0;
  char *pattern = fuzz_cstr(data, size);
  free(thema_matcher_literal_set(pattern));
  const char *include[] = {pattern};
  ThemaCodeSpec spec = {.path = "fuzz/code", .include = include, .ninclude = 1};
  ThemaError err = {0};
  ThemaMatcher *m = thema_matcher_new(&spec, 1, "fuzz", &err);
  if (m) {
    static const char text[] = "De gemeente Leuven werkt samen met Diest; één café, "
                               "politiek draagvlak en 12,5 % nieuwkomers.";
    ThemaError serr = {0};
    thema_matcher_scan(m, text, sizeof text - 1, ignore, NULL, &serr);
    thema_matcher_free(m);
  }
  free(pattern);
  return 0;
}
