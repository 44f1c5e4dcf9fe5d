/*
 * test_number.c — numbers as printed in Flemish and Dutch monitor reports
 * (core/number.c): thousands groups, decimal comma, percent, missing values,
 * and the ambiguous forms that must be refused rather than guessed.
 */
#include <criterion/criterion.h>
#include <string.h>

#include "text/number.h"

typedef struct NumCase {
  const char *in;
  char decimal;
  int status;
  double value; /* exact expectation when status is OK */
  int percent;
} NumCase;

#define OK THEMA_NUM_OK
#define MISSING THEMA_NUM_MISSING
#define BAD THEMA_NUM_BAD

static const NumCase cases[] = {
    /* Dutch: '.' groups thousands, ',' is the decimal mark. */
    {"2.775", ',', OK, 2775, 0},
    {"18.047", ',', OK, 18047, 0},
    {"3.900", ',', OK, 3900, 0},
    {"6,1", ',', OK, 6.1, 0},
    {"30,3", ',', OK, 30.3, 0},
    {"0,1", ',', OK, 0.1, 0},
    {"-3,5", ',', OK, -3.5, 0},
    {"+7", ',', OK, 7, 0},
    {"1.234.567,89", ',', OK, 1234567.89, 0},
    {"12", ',', OK, 12, 0},
    {"0", ',', OK, 0, 0},
    {"123.456", ',', OK, 123456, 0},
    {"1 234", ',', OK, 1234, 0},
    {"1\xC2\xA0"
     "234",
     ',', OK, 1234, 0}, /* no-break space */
    {"1\xE2\x80\xAF"
     "234",
     ',', OK, 1234, 0}, /* narrow no-break space */
    {"12 345 678,5", ',', OK, 12345678.5, 0},
    {"  42  ", ',', OK, 42, 0},
    {"\t42\t", ',', OK, 42, 0},
    {"\xC2\xA0"
     "42",
     ',', OK, 42, 0}, /* leading no-break space */
    {"70%", ',', OK, 70, 1},
    {"4 %", ',', OK, 4, 1},
    {"4\xC2\xA0%", ',', OK, 4, 1},     /* no-break space before % */
    {"4\xE2\x80\xAF%", ',', OK, 4, 1}, /* narrow no-break space before % */
    {"42\xC2\xA0", ',', OK, 42, 0},    /* trailing no-break space */
    {"12,5%", ',', OK, 12.5, 1},
    {"-0,4 %", ',', OK, -0.4, 1},
    {"1.200%", ',', OK, 1200, 1},
    /* English: ',' groups thousands, '.' is the decimal mark. */
    {"2,775.5", '.', OK, 2775.5, 0},
    {"6.1", '.', OK, 6.1, 0},
    {"30.3", '.', OK, 30.3, 0},
    {"1,234,567.89", '.', OK, 1234567.89, 0},
    {"2,775", '.', OK, 2775, 0},
    {"70%", '.', OK, 70, 1},
    /* Missing. */
    {"", ',', MISSING, 0, 0},
    {"   ", ',', MISSING, 0, 0},
    {"-", ',', MISSING, 0, 0},
    {" - ", ',', MISSING, 0, 0},
    {"\xE2\x80\x93", ',', MISSING, 0, 0}, /* en dash */
    {"\xE2\x80\x94", ',', MISSING, 0, 0}, /* em dash */
    {"\xC2\xA0", ',', MISSING, 0, 0},     /* only a no-break space */
    {"-", '.', MISSING, 0, 0},
    /* Bad: ambiguous groups, stray characters, broken marks. */
    {"2.77", ',', BAD, 0, 0}, /* neither a thousands group nor a decimal */
    {"1.2345", ',', BAD, 0, 0},
    {"1234.567", ',', BAD, 0, 0}, /* first group longer than three */
    {".775", ',', BAD, 0, 0},
    {"1..234", ',', BAD, 0, 0},
    {"1.234.", ',', BAD, 0, 0},
    {",5", ',', BAD, 0, 0}, /* no integer part */
    {"5,", ',', BAD, 0, 0}, /* decimal mark without digits */
    {"abc", ',', BAD, 0, 0},
    {"12abc", ',', BAD, 0, 0},
    {"1,2,3", ',', BAD, 0, 0},
    {"1,2.3", ',', BAD, 0, 0},
    {"6,1", '.', BAD, 0, 0}, /* English: ',' groups, "1" is no group */
    {"2.775,5", '.', BAD, 0, 0},
    {"%", ',', BAD, 0, 0},
    {"+", ',', BAD, 0, 0},
    {"--5", ',', BAD, 0, 0},
    {"- 5", ',', BAD, 0, 0},
    {"5-", ',', BAD, 0, 0},
    {"5%%", ',', BAD, 0, 0},
    {"1e5", ',', BAD, 0, 0},
    {"0x10", ',', BAD, 0, 0},
    {"nan", ',', BAD, 0, 0},
    {"inf", ',', BAD, 0, 0},
    {"1 23", ',', BAD, 0, 0},
    {"\xE2\x80\x93"
     "5",
     ',', BAD, 0, 0},
};

Test(number, parse_table) {
  for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
    const NumCase *c = &cases[i];
    double v = -999;
    int pct = -1;
    int rc = thema_number_parse(c->in, strlen(c->in), c->decimal, &v, &pct);
    cr_expect_eq(rc, c->status, "'%s' (decimal '%c'): status %d, expected %d", c->in,
                 c->decimal, rc, c->status);
    if (rc != c->status) continue;
    if (c->status == OK) {
      /* Exact equality: "6,1" must be the double nearest 6.1, not 6.1000000001. */
      cr_expect(v == c->value, "'%s' (decimal '%c'): %.17g, expected %.17g", c->in,
                c->decimal, v, c->value);
      cr_expect_eq(pct, c->percent, "'%s': percent %d, expected %d", c->in, pct,
                   c->percent);
    }
  }
}

Test(number, outputs_are_reset_on_missing_and_bad) {
  double v = 5;
  int pct = 1;
  cr_assert_eq(thema_number_parse("", 0, ',', &v, &pct), MISSING);
  cr_expect(v == 0);
  cr_expect_eq(pct, 0);
  v = 5;
  pct = 1;
  cr_assert_eq(thema_number_parse("abc", 3, ',', &v, &pct), BAD);
  cr_expect_eq(pct, 0);
}

Test(number, reads_only_n_bytes) {
  double v = 0;
  int pct = 0;
  /* The bytes after n ("abc") are not part of the number. */
  cr_assert_eq(thema_number_parse("2.775abc", 5, ',', &v, &pct), OK);
  cr_assert(v == 2775);
  cr_assert_eq(thema_number_parse("70%", 2, ',', &v, &pct), OK);
  cr_assert(v == 70);
  cr_assert_eq(pct, 0);
}

Test(number, overlong_numeral_is_bad_not_an_overflow) {
  char big[200];
  memset(big, '9', sizeof big);
  double v = 0;
  int pct = 0;
  cr_assert_eq(thema_number_parse(big, sizeof big, ',', &v, &pct), BAD);
  /* A long fraction too. */
  char frac[200];
  memset(frac, '1', sizeof frac);
  frac[1] = ',';
  cr_assert_eq(thema_number_parse(frac, sizeof frac, ',', &v, &pct), BAD);
}
