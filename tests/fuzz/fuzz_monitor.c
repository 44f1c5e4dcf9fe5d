/*
 * fuzz_monitor.c — monitor tables with their sidecar, into the null sink.
 * An input "SIDECAR\n%%\nCSV" is a table with its .meta text; an input
 * without a "%%" line is read twice, declared by options: as a long table
 * and as a wide one with indicator columns.
 */
#include "fuzz_ingest.h"

static void parse(const ThemaInput *side, const ThemaInput *table,
                  const ThemaImportOptions *opt) {
  ThemaMonitorDecl decl = {0};
  ThemaSinkNull n;
  thema_sink_null_init(&n);
  ThemaError err = {0};
  if (!thema_monitor_declare("fuzz.csv", side, opt, &decl, &err))
    thema_parse_monitor(&n.base, "fuzz.csv", table, &decl, &err);
  thema_monitor_decl_free(&decl);
  fuzz_check_sink(&n, &err);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  const char *s = (const char *)data;
  size_t cut = size;
  for (size_t i = 0; i + 3 <= size; i++)
    if ((i == 0 || s[i - 1] == '\n') && memcmp(s + i, "%%\n", 3) == 0) {
      cut = i;
      break;
    }
  ThemaInput side = {0}, table = {0};
  if (cut < size) {
    /* a load refuses an empty sidecar as it refuses an empty table */
    if (fuzz_input(data, cut, &side) && fuzz_input(data + cut + 3, size - cut - 3, &table))
      parse(&side, &table, NULL);
  } else if (fuzz_input(data, size, &table)) {
    static const ThemaImportOptions as_long = {.form = "long"};
    static const ThemaImportOptions as_wide = {
        .columns = "indicator", .period = "2017", .units = "%; aantal"};
    parse(NULL, &table, &as_long);
    parse(NULL, &table, &as_wide);
  }
  thema_input_free(&side);
  thema_input_free(&table);
  return 0;
}
