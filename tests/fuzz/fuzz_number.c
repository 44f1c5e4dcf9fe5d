/*
 * fuzz_number.c — Dutch and English printed numbers on any bytes: a value is
 * OK, MISSING or BAD, and an OK value is a number.
 */
#include <math.h>

#include "fuzz.h"
#include "text/number.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  for (int d = 0; d < 2; d++) {
    double v = 0;
    int percent = 0;
    int rc = thema_number_parse((const char *)data, size, d ? '.' : ',', &v, &percent);
    if (rc == THEMA_NUM_OK && isnan(v)) abort();
    if (rc != THEMA_NUM_OK && rc != THEMA_NUM_MISSING && rc != THEMA_NUM_BAD) abort();
  }
  return 0;
}
