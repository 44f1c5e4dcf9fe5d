/*
 * fuzz_meta.c — front matter and sidecar "key: value" files on any bytes.
 */
#include "fuzz.h"
#include "text/meta.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  ThemaMeta meta = {0};
  ThemaError err = {0};
  size_t body = 0;
  long body_line = 0;
  thema_meta_parse_front("fuzz.txt", (const char *)data, size, &meta, &body, &body_line,
                         &err);
  if (body > size) abort();
  thema_meta_free(&meta);
  ThemaError err2 = {0};
  thema_meta_parse_lines("fuzz.meta", (const char *)data, size, 1, &meta, &err2);
  thema_meta_free(&meta);
  return 0;
}
