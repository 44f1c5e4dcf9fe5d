/*
 * fuzz_transcript.c — plain transcripts (front matter, turns, timestamps)
 * on any text, with the default speaker pattern and with a
 * --speaker-pattern for "hh.mm Name (Party):" minutes, into the null sink.
 * It may reject input, never crash, leak or break the sink's contract.
 */
#include "fuzz_ingest.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  static ThemaTurnPattern *patterns[2];
  if (!patterns[0]) {
    ThemaError err = {0};
    if (thema_turn_pattern_compile(NULL, &patterns[0], &err) ||
        thema_turn_pattern_compile("(?<ts>\\d\\d\\.\\d\\d) (?<label>[^:]+?):", &patterns[1],
                                   &err))
      abort();
  }
  ThemaInput in = {0};
  if (!fuzz_input(data, size, &in)) return 0;
  for (int i = 0; i < 2; i++) {
    ThemaSinkNull n;
    thema_sink_null_init(&n);
    ThemaError err = {0};
    thema_parse_transcript(&n.base, "fuzz.txt", &in, patterns[i], &err);
    fuzz_check_sink(&n, &err);
  }
  thema_input_free(&in);
  return 0;
}
