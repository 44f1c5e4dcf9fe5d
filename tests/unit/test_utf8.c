/*
 * test_utf8.c — UTF-8 validation, code-point counting, byte/code-point
 * conversion, decoding and the forward cursor (core/utf8.c).
 */
#include <criterion/criterion.h>
#include <string.h>

#include "base/utf8.h"

typedef struct PrefixCase {
  const char *name;
  const char *s;
  size_t n;     /* bytes of s */
  size_t valid; /* expected valid prefix */
} PrefixCase;

#define PC(name, lit, valid)                                                               \
  { name, lit, sizeof(lit) - 1, valid }

static const PrefixCase prefix_cases[] = {
    PC("empty", "", 0),
    PC("ascii", "Dus ik zeg: ja", 14),
    PC("2-byte e-diaeresis", "co\xC3\xB6rdinatie", 12),
    PC("3-byte right quote", "\xE2\x80\x99t", 4),
    PC("4-byte emoji",
       "a\xF0\x9F\x98\x80"
       "b",
       6),
    PC("U+007F last 1-byte", "\x7F", 1),
    PC("U+0080 first 2-byte", "\xC2\x80", 2),
    PC("U+07FF last 2-byte", "\xDF\xBF", 2),
    PC("U+0800 first 3-byte", "\xE0\xA0\x80", 3),
    PC("U+D7FF before surrogates", "\xED\x9F\xBF", 3),
    PC("U+E000 after surrogates", "\xEE\x80\x80", 3),
    PC("U+FFFF", "\xEF\xBF\xBF", 3),
    PC("U+10000 first 4-byte", "\xF0\x90\x80\x80", 4),
    PC("U+10FFFF last code point", "\xF4\x8F\xBF\xBF", 4),
    PC("overlong 2-byte slash", "ab\xC0\xAF", 2),
    PC("overlong 2-byte C1", "\xC1\xBF", 0),
    PC("overlong 3-byte", "x\xE0\x80\xAF", 1),
    PC("overlong 3-byte U+07FF", "\xE0\x9F\xBF", 0),
    PC("overlong 4-byte", "\xF0\x80\x80\xAF", 0),
    PC("overlong 4-byte U+FFFF", "\xF0\x8F\xBF\xBF", 0),
    PC("high surrogate U+D800", "ok\xED\xA0\x80", 2),
    PC("low surrogate U+DFFF", "\xED\xBF\xBF", 0),
    PC("above U+10FFFF", "\xF4\x90\x80\x80", 0),
    PC("F5 lead byte", "\xF5\x80\x80\x80", 0),
    PC("5-byte lead F8", "\xF8\x88\x80\x80\x80", 0),
    PC("FF byte", "abc\xFF", 3),
    PC("FE byte", "\xFE", 0),
    PC("lone continuation byte",
       "a\x80"
       "b",
       1),
    PC("truncated 2-byte at end", "caf\xC3", 3),
    PC("truncated 3-byte at end", "a\xE2\x80", 1),
    PC("truncated 4-byte at end", "\xF0\x9F\x98", 0),
    PC("lead byte followed by ASCII",
       "\xC3"
       "A",
       0),
    PC("3-byte with bad second continuation",
       "\xE2\x80"
       "A",
       0),
    PC("valid then invalid", "\xC3\xB6\xC3\xB6\x80", 4),
};

Test(utf8, valid_prefix_table) {
  for (size_t i = 0; i < sizeof prefix_cases / sizeof *prefix_cases; i++) {
    const PrefixCase *c = &prefix_cases[i];
    cr_expect_eq(thema_utf8_valid_prefix(c->s, c->n), c->valid,
                 "%s: valid prefix %zu, expected %zu", c->name,
                 thema_utf8_valid_prefix(c->s, c->n), c->valid);
  }
}

Test(utf8, valid_prefix_stops_at_n_not_at_nul) {
  /* A NUL is a valid code point; the length, not the terminator, bounds it. */
  cr_assert_eq(thema_utf8_valid_prefix("a\0b", 3), 3);
  /* Only n bytes are examined: a bad byte beyond n does not count. */
  cr_assert_eq(thema_utf8_valid_prefix("ab\xFF", 2), 2);
  /* A multi-byte sequence cut by n is invalid at its start. */
  cr_assert_eq(thema_utf8_valid_prefix("a\xC3\xB6", 2), 1);
}

Test(utf8, count_code_points) {
  static const struct {
    const char *s;
    size_t n, count;
  } cases[] = {
      {"", 0, 0},
      {"abc", 3, 3},
      {"co\xC3\xB6rdinatie", 12, 11},
      {"co\xC3\xB6rdinatie \xE2\x80\x99t caf\xC3\xA9", 22, 19},
      {"\xF0\x9F\x98\x80\xF0\x9F\x98\x80", 8, 2},
      {"a\xE2\x82\xAC"
       "b",
       5, 3},
  };
  for (size_t i = 0; i < sizeof cases / sizeof *cases; i++)
    cr_expect_eq(thema_utf8_count(cases[i].s, cases[i].n), cases[i].count,
                 "case %zu: %zu code points, expected %zu", i,
                 thema_utf8_count(cases[i].s, cases[i].n), cases[i].count);
}

/* "a" U+00E9 U+20AC U+1F600 "b": code points start at bytes 0 1 3 6 10. */
static const char mixed[] = "a\xC3\xA9\xE2\x82\xAC\xF0\x9F\x98\x80"
                            "b";

Test(utf8, byte_offset_of_each_code_point) {
  size_t n = sizeof mixed - 1;
  cr_assert_eq(n, 11);
  static const size_t want[] = {0, 1, 3, 6, 10, 11, 11, 11};
  static const size_t cps[] = {0, 1, 2, 3, 4, 5, 6, 1000};
  for (size_t i = 0; i < sizeof want / sizeof *want; i++)
    cr_expect_eq(thema_utf8_byte_offset(mixed, n, cps[i]), want[i],
                 "code point %zu: byte %zu, expected %zu", cps[i],
                 thema_utf8_byte_offset(mixed, n, cps[i]), want[i]);
  cr_expect_eq(thema_utf8_byte_offset("", 0, 0), 0);
}

Test(utf8, byte_offset_and_count_are_inverse) {
  size_t n = sizeof mixed - 1;
  for (size_t cp = 0; cp <= 5; cp++) {
    size_t b = thema_utf8_byte_offset(mixed, n, cp);
    cr_expect_eq(thema_utf8_count(mixed, b), cp, "code point %zu", cp);
  }
}

Test(utf8, decode_each_length) {
  static const struct {
    const char *s;
    size_t n;
    int32_t cp;
    size_t len;
  } cases[] = {
      {"a", 1, 0x61, 1},
      {"\xC3\xA9", 2, 0xE9, 2},
      {"\xDF\xBF", 2, 0x7FF, 2},
      {"\xE2\x82\xAC", 3, 0x20AC, 3},
      {"\xE2\x80\x99", 3, 0x2019, 3},
      {"\xF0\x9F\x98\x80", 4, 0x1F600, 4},
      {"\xF4\x8F\xBF\xBF", 4, 0x10FFFF, 4},
      {"\xC3\xA9xyz", 5, 0xE9, 2}, /* only the first code point */
  };
  for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
    size_t len = 99;
    int32_t cp = thema_utf8_decode(cases[i].s, cases[i].n, &len);
    cr_expect_eq(cp, cases[i].cp, "case %zu: U+%04X, expected U+%04X", i, (unsigned)cp,
                 (unsigned)cases[i].cp);
    cr_expect_eq(len, cases[i].len, "case %zu: length %zu, expected %zu", i, len,
                 cases[i].len);
  }
}

Test(utf8, decode_bad_input_has_length_one) {
  static const struct {
    const char *s;
    size_t n;
  } cases[] = {
      {"\xE2\x82", 2},             /* truncated 3-byte */
      {"\xF0\x9F\x98", 3},         /* truncated 4-byte */
      {"\xC3", 1},                 /* truncated 2-byte */
      {"\x80", 1},                 /* stray continuation */
      {"\xFF", 1},                 /* never valid */
      {"\xF8\x88\x80\x80\x80", 5}, /* 5-byte form */
      {"\xC3"
       "A",
       2}, /* lead byte followed by ASCII */
      {"\xE2\x80"
       "A",
       3}, /* 3-byte form cut by ASCII */
      {"\xF0\x9F"
       "ab",
       4}, /* 4-byte form cut by ASCII */
  };
  for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
    size_t len = 99;
    thema_utf8_decode(cases[i].s, cases[i].n, &len);
    cr_expect_eq(len, 1, "case %zu: length %zu, expected 1", i, len);
  }
}

Test(utf8, cursor_walks_forward) {
  ThemaUtf8Cursor c = {0};
  static const size_t bytes[] = {0, 1, 3, 6, 10, 11};
  static const size_t cps[] = {0, 1, 2, 3, 4, 5};
  for (size_t i = 0; i < 6; i++) {
    cr_expect_eq(thema_utf8_cursor_advance(&c, mixed, bytes[i]), cps[i], "byte %zu",
                 bytes[i]);
    cr_expect_eq(c.byte, bytes[i]);
    cr_expect_eq(c.cp, cps[i]);
  }
}

Test(utf8, cursor_skips_ahead_and_repeats) {
  ThemaUtf8Cursor c = {0};
  cr_assert_eq(thema_utf8_cursor_advance(&c, mixed, 6), 3);
  cr_assert_eq(thema_utf8_cursor_advance(&c, mixed, 6), 3, "same offset twice");
  cr_assert_eq(thema_utf8_cursor_advance(&c, mixed, 11), 5);
}

Test(utf8, cursor_restarts_on_smaller_offset) {
  ThemaUtf8Cursor c = {0};
  cr_assert_eq(thema_utf8_cursor_advance(&c, mixed, 10), 4);
  cr_assert_eq(thema_utf8_cursor_advance(&c, mixed, 3), 2, "restart from the beginning");
  cr_assert_eq(c.byte, 3);
  cr_assert_eq(thema_utf8_cursor_advance(&c, mixed, 0), 0);
  cr_assert_eq(thema_utf8_cursor_advance(&c, mixed, 6), 3, "forward again after restart");
}

Test(utf8, cursor_agrees_with_count_on_every_boundary) {
  const char *t = "co\xC3\xB6rdinatie \xE2\x80\x99t caf\xC3\xA9 \xF0\x9F\x98\x80!";
  size_t n = strlen(t);
  ThemaUtf8Cursor c = {0};
  for (size_t b = 0; b <= n; b++) {
    if (b < n && ((unsigned char)t[b] & 0xC0) == 0x80) continue;
    cr_expect_eq(thema_utf8_cursor_advance(&c, t, b), thema_utf8_count(t, b), "byte %zu",
                 b);
  }
}
