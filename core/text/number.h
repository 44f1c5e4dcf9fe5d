/*
 * number.h — numbers as printed in Flemish and Dutch reports: "2.775"
 * (thousands), "6,1" (decimal), "70%", "-3,5"; "" and "-" are missing.
 */
#ifndef THEMA_NUMBER_H
#define THEMA_NUMBER_H

#include <stddef.h>

enum { THEMA_NUM_OK = 0, THEMA_NUM_MISSING = 1, THEMA_NUM_BAD = 2 };

/* Parse s[0..n) with decimal mark ',' (Dutch) or '.' (English); the other
 * mark (and spaces) may group thousands in groups of three. A trailing '%'
 * sets *percent. Returns THEMA_NUM_OK, _MISSING or _BAD. */
int thema_number_parse(const char *s, size_t n, char decimal, double *out, int *percent);

#endif
