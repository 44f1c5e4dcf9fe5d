/*
 * fuzz_qde.c — REFI-QDA XML (ingest/refi.c, qdpx.c, qdc.c) on any bytes, as
 * a project.qde and as a .qdc codebook, into the null sink remembering the
 * segments it was given; every internal file a project asks for is one
 * small transcript, so selections and codings are read too.
 */
#include "fuzz_ingest.h"
#include "ingest/qdc.h"
#include "ingest/qdpx.h"

static int one_file(void *ud, const char *name, ThemaBuf *out, ThemaError *err) {
  (void)ud, (void)err;
  if (strstr(name, "missing")) return 0;
  thema_buf_puts(out, "R1: Caf\xC3\xA9 \xF0\x9F\x98\x80 leren.\r\n\r\nR2: Van elkaar.\n");
  return 1;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (size > FUZZ_INGEST_MAX) return 0;
  const char *xml = (const char *)data;
  ThemaRefiFiles files = {.read = one_file};
  for (int i = 0; i < 2; i++) {
    ThemaSinkNull n;
    thema_sink_null_init(&n);
    n.remember = 1;
    ThemaError err = {0};
    if (i == 0)
      thema_parse_qde(&n.base, "fuzz.qdpx:project.qde", xml, size, &files, &err);
    else
      thema_parse_qdc(&n.base, "fuzz.qdc", xml, size, &err);
    fuzz_check_sink(&n, &err);
  }
  return 0;
}
