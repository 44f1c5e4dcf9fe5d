/*
 * fuzz_codebook_lua.c — Lua codebooks: any text evaluated as data in an
 * empty environment under the instruction limit, then resolved. Linked with
 * liblua (this target only).
 */
#include "fuzz_ingest.h"
#include "ingest/codebook.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (size > 4096) return 0; /* a longer chunk adds run time, not paths */
  ThemaInput in = {0};
  if (!fuzz_input(data, size, &in)) return 0;
  ThemaCodebook cb = {.path = thema_xstrdup("fuzz.lua")};
  ThemaError err = {0};
  if (thema_codebook_read_lua(&cb, in.buf.data, in.buf.len, &err) == THEMA_OK)
    thema_codebook_resolve(&cb, "entry", &err);
  thema_codebook_free(&cb);
  thema_input_free(&in);
  return 0;
}
