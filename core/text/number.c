/*
 * number.c — reads numbers the way monitor reports print them. Strict on
 * purpose: "2.77" with a Dutch decimal comma is neither a thousands group nor
 * a decimal, so it is an error rather than a silent 2.77 or 277.
 */
#include "text/number.h"

#include <stdlib.h>
#include <string.h>

static int is_space(const char *s, size_t n, size_t i, size_t *len) {
  if (s[i] == ' ' || s[i] == '\t') {
    *len = 1;
    return 1;
  }
  /* no-break space U+00A0 and narrow no-break space U+202F */
  if (i + 1 < n && (unsigned char)s[i] == 0xC2 && (unsigned char)s[i + 1] == 0xA0) {
    *len = 2;
    return 1;
  }
  if (i + 2 < n && memcmp(s + i, "\xE2\x80\xAF", 3) == 0) {
    *len = 3;
    return 1;
  }
  return 0;
}

/* Length of the space (as is_space) that ends s[b..e), 0 when none. */
static size_t trailing_space(const char *s, size_t b, size_t e) {
  if (e > b && (s[e - 1] == ' ' || s[e - 1] == '\t')) return 1;
  if (e - b >= 2 && (unsigned char)s[e - 2] == 0xC2 && (unsigned char)s[e - 1] == 0xA0)
    return 2;
  if (e - b >= 3 && memcmp(s + e - 3, "\xE2\x80\xAF", 3) == 0) return 3;
  return 0;
}

int thema_number_parse(const char *s, size_t n, char decimal, double *out, int *percent) {
  size_t b = 0, e = n, sl;
  while (b < e && is_space(s, e, b, &sl)) b += sl;
  while (e > b && (sl = trailing_space(s, b, e))) e -= sl;
  *percent = 0;
  *out = 0;
  if (b == e) return THEMA_NUM_MISSING;
  if ((e - b == 1 && s[b] == '-') ||
      (e - b == 3 && (memcmp(s + b, "\xE2\x80\x93", 3) == 0 || /* en dash */
                      memcmp(s + b, "\xE2\x80\x94", 3) == 0))) /* em dash */
    return THEMA_NUM_MISSING;
  if (s[e - 1] == '%') {
    *percent = 1;
    e--;
    while (e > b && (sl = trailing_space(s, b, e))) e -= sl;
  }
  /* Copy the digits into a plain C-locale numeral and let strtod round it
   * correctly: summing digit * 0.1 would be off by an ulp ("30,3"). */
  char numeral[64];
  size_t nl = 0;
  char group = decimal == ',' ? '.' : ',';
  if (b < e && (s[b] == '-' || s[b] == '+')) numeral[nl++] = s[b++];
  int digits = 0, in_group = 0, grouped = 0;
  size_t i = b;
  for (; i < e; i++) {
    char c = s[i];
    if (c >= '0' && c <= '9') {
      if (nl + 2 >= sizeof numeral) return THEMA_NUM_BAD;
      numeral[nl++] = c;
      digits++;
      in_group++;
    } else if (c == group || is_space(s, e, i, &sl)) {
      /* the first group has 1-3 digits, every later one exactly 3 */
      if (in_group == 0 || in_group > 3 || (grouped && in_group != 3)) return THEMA_NUM_BAD;
      grouped = 1;
      in_group = 0;
      if (c != group) i += sl - 1;
    } else {
      break;
    }
  }
  if (!digits || (grouped && in_group != 3)) return THEMA_NUM_BAD;
  if (i < e && s[i] == decimal) {
    int frac = 0;
    numeral[nl++] = '.';
    for (i++; i < e && s[i] >= '0' && s[i] <= '9'; i++, frac++) {
      if (nl + 1 >= sizeof numeral) return THEMA_NUM_BAD;
      numeral[nl++] = s[i];
    }
    if (!frac) return THEMA_NUM_BAD;
  }
  if (i != e) return THEMA_NUM_BAD;
  numeral[nl] = '\0';
  *out = strtod(numeral, NULL);
  return THEMA_NUM_OK;
}
