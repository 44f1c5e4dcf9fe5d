/*
 * fuzz_csv.c — the CSV reader (libcsv) on any bytes: every delimiter, with
 * and without sniffing. It may reject input, never crash or leak.
 */
#include "fuzz.h"
#include "text/csv.h"

static int count_row(const ThemaCsvRow *row, void *ud, ThemaError *err) {
  (void)err;
  *(long *)ud += row->n;
  return THEMA_OK;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  static const char delims[] = {0, ',', ';', '\t'};
  for (size_t i = 0; i < sizeof delims; i++) {
    ThemaError err = {0};
    long fields = 0;
    thema_csv_read("fuzz.csv", (const char *)data, size, delims[i], count_row, &fields,
                   &err);
  }
  return 0;
}
