/*
 * fuzz_subtitle.c — WebVTT and SRT on any text (each input read as both),
 * into the null sink: cues, voice tags, entities, "Name:" payloads.
 */
#include "fuzz_ingest.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  static ThemaTurnPattern *pattern;
  if (!pattern) {
    ThemaError err = {0};
    if (thema_turn_pattern_compile(NULL, &pattern, &err)) abort();
  }
  ThemaInput in = {0};
  if (!fuzz_input(data, size, &in)) return 0;
  for (int is_vtt = 0; is_vtt < 2; is_vtt++) {
    ThemaSinkNull n;
    thema_sink_null_init(&n);
    ThemaError err = {0};
    thema_parse_subtitle(&n.base, is_vtt ? "fuzz.vtt" : "fuzz.srt", &in, is_vtt, pattern,
                         &err);
    fuzz_check_sink(&n, &err);
  }
  thema_input_free(&in);
  return 0;
}
