/*
 * test_csvread.c — the CSV reader (core/csvread.c): delimiter sniffing,
 * RFC 4180 quoting, the line each row starts on, strict errors that name the
 * file and line, and quoting for output.
 */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "text/csv.h"

/* Rows collected by the callback, each field list rendered as
 * "line:f1|f2|...", so a whole parse can be compared with one string. */
typedef struct Rows {
  ThemaBuf out;
  int nrows;
  int stop_after; /* return THEMA_EINPUT after this many rows (0: never) */
} Rows;

static int collect(const ThemaCsvRow *row, void *ud, ThemaError *err) {
  Rows *r = ud;
  thema_buf_printf(&r->out, "%ld:", row->line);
  for (int i = 0; i < row->n; i++) {
    if (i) thema_buf_putc(&r->out, '|');
    thema_buf_puts(&r->out, row->fields[i]);
  }
  thema_buf_putc(&r->out, '\n');
  r->nrows++;
  if (r->stop_after && r->nrows == r->stop_after)
    return thema_error_set(err, THEMA_EINPUT, "stopped by callback");
  return THEMA_OK;
}

/* Parse text (delimiter delim, 0 to sniff) and return the status; rows in *r. */
static int parse(const char *text, char delim, Rows *r, ThemaError *err) {
  return thema_csv_read("t.csv", text, strlen(text), delim, collect, r, err);
}

#define EXPECT_ROWS(text, delim, want)                                                     \
  do {                                                                                     \
    Rows r_ = {0};                                                                         \
    ThemaError e_ = {0};                                                                   \
    cr_assert_eq(parse(text, delim, &r_, &e_), THEMA_OK, "%s", e_.msg);                    \
    cr_expect_str_eq(thema_buf_str(&r_.out), want);                                        \
    thema_buf_free(&r_.out);                                                               \
  } while (0)

/* ---- sniffing ---- */

Test(csvread, sniff_table) {
  static const struct {
    const char *text;
    char want;
  } cases[] = {
      {"a,b,c\n1,2,3\n", ','},
      {"a;b;c\n1;2;3\n", ';'},
      {"a\tb\tc\n1\t2\t3\n", '\t'},
      {"gemeente;2019;2020\n\"Gent, stad\";1,5;2,5\n", ';'}, /* first line decides */
      {"\"a;b;c;d\",x,y\n", ','},       /* delimiters inside quotes don't count */
      {"\"multi\nline;;;;\",x\n", ','}, /* a quoted newline is not the line end */
      {"a;b\nc,d,e,f,g\n", ';'},        /* only the first line counts */
      {"single\n", ','},                /* no delimiter: ',' */
      {"", ','},
      {"a,b;c;d\n", ';'},
      {"a;b\tc\td\n", '\t'},
  };
  for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
    char got = thema_csv_sniff(cases[i].text, strlen(cases[i].text));
    cr_expect_eq(got, cases[i].want, "case %zu: sniffed '%c', expected '%c'", i, got,
                 cases[i].want);
  }
}

Test(csvread, read_sniffs_semicolon_and_tab) {
  EXPECT_ROWS("a;b\n1,5;2\n", 0, "1:a|b\n2:1,5|2\n");
  EXPECT_ROWS("a\tb\nx y\tz\n", 0, "1:a|b\n2:x y|z\n");
  EXPECT_ROWS("a,b\n1;2,3\n", 0, "1:a|b\n2:1;2|3\n");
}

Test(csvread, explicit_delimiter_overrides_sniffing) {
  /* The first line has more commas, but ';' was asked for. */
  EXPECT_ROWS("a,b,c;d\n1;2\n", ';', "1:a,b,c|d\n2:1|2\n");
}

/* ---- quoting ---- */

Test(csvread, quoted_field_keeps_delimiters) {
  EXPECT_ROWS("name,value\n\"Gent, stad\",3\n", ',', "1:name|value\n2:Gent, stad|3\n");
  EXPECT_ROWS("name;value\n\"a;b\";\"1,5\"\n", ';', "1:name|value\n2:a;b|1,5\n");
}

Test(csvread, doubled_quotes_are_one_quote) {
  EXPECT_ROWS("a,b\n\"he said \"\"ja\"\"\",x\n\"\"\"\",y\n", ',',
              "1:a|b\n2:he said \"ja\"|x\n3:\"|y\n");
}

Test(csvread, empty_fields_are_kept) {
  EXPECT_ROWS("a,b,c\n,,\n1,,3\n\"\",\"\",x\n", ',', "1:a|b|c\n2:||\n3:1||3\n4:||x\n");
}

Test(csvread, embedded_newline_row_line_is_where_it_starts) {
  /* The second field spans lines 2-3; the next row starts on line 4. */
  EXPECT_ROWS("a,b\n1,\"line one\nline two\"\n2,x\n", ',',
              "1:a|b\n2:1|line one\nline two\n4:2|x\n");
}

Test(csvread, embedded_newline_in_first_field_row_line_is_where_it_starts) {
  /* The first field opens on line 2 and closes on line 4: the row is line 2. */
  EXPECT_ROWS("a,b\n\"one\ntwo\nthree\",x\ny,z\n", ',',
              "1:a|b\n2:one\ntwo\nthree|x\n5:y|z\n");
}

Test(csvread, crlf_line_ends) {
  EXPECT_ROWS("a,b\r\n1,2\r\n3,4\r\n", ',', "1:a|b\n2:1|2\n3:3|4\n");
}

Test(csvread, last_row_without_newline) { EXPECT_ROWS("a,b\n1,2", ',', "1:a|b\n2:1|2\n"); }

Test(csvread, blank_lines_are_skipped_but_counted) {
  EXPECT_ROWS("a,b\n\n1,2\n\n\n3,4\n", ',', "1:a|b\n3:1|2\n6:3|4\n");
}

Test(csvread, utf8_fields_pass_through) {
  EXPECT_ROWS("gemeente;co\xC3\xB6rdinatie\nSint-Ni\xC3\xABn;ja\n", 0,
              "1:gemeente|co\xC3\xB6rdinatie\n2:Sint-Ni\xC3\xABn|ja\n");
}

Test(csvread, header_only_is_one_row) { EXPECT_ROWS("a,b,c\n", ',', "1:a|b|c\n"); }

/* ---- errors ---- */

Test(csvread, ragged_row_names_file_line_and_header_width) {
  Rows r = {0};
  ThemaError err = {0};
  cr_assert_eq(parse("a,b,c\n1,2,3\n4,5\n6,7,8\n", ',', &r, &err), THEMA_EINPUT);
  cr_expect(strstr(err.msg, "t.csv:3:") == err.msg, "%s", err.msg);
  cr_expect(strstr(err.msg, "row has 2 fields") != NULL, "%s", err.msg);
  cr_expect(strstr(err.msg, "header has 3") != NULL, "%s", err.msg);
  /* The rows before it were delivered, nothing after it. */
  cr_expect_str_eq(thema_buf_str(&r.out), "1:a|b|c\n2:1|2|3\n");
  thema_buf_free(&r.out);
}

Test(csvread, too_many_fields_is_ragged_too) {
  Rows r = {0};
  ThemaError err = {0};
  cr_assert_eq(parse("a;b\n1;2;3\n", 0, &r, &err), THEMA_EINPUT);
  cr_expect(strstr(err.msg, "t.csv:2:") == err.msg, "%s", err.msg);
  cr_expect(strstr(err.msg, "row has 3 fields but the header has 2") != NULL, "%s",
            err.msg);
  thema_buf_free(&r.out);
}

Test(csvread, ragged_row_after_multiline_field_names_its_start) {
  Rows r = {0};
  ThemaError err = {0};
  cr_assert_eq(parse("a,b,c\n1,\"x\ny\"\n", ',', &r, &err), THEMA_EINPUT);
  cr_expect(strstr(err.msg, "t.csv:2:") == err.msg, "%s", err.msg);
  cr_expect(strstr(err.msg, "row has 2 fields but the header has 3") != NULL, "%s",
            err.msg);
  thema_buf_free(&r.out);
}

Test(csvread, unbalanced_quote_names_the_line_where_the_row_starts) {
  Rows r = {0};
  ThemaError err = {0};
  cr_assert_eq(parse("a,b\n1,2\n3,\"never closed\nmore\nand more\n", ',', &r, &err),
               THEMA_EINPUT);
  cr_expect(strstr(err.msg, "t.csv:3:") == err.msg, "%s", err.msg);
  cr_expect(strstr(err.msg, "unbalanced quote") != NULL, "%s", err.msg);
  thema_buf_free(&r.out);
}

Test(csvread, unbalanced_quote_in_first_field_names_the_line_where_the_row_starts) {
  Rows r = {0};
  ThemaError err = {0};
  cr_assert_eq(parse("a,b\n\"never closed,x\nmore\nand more\n", ',', &r, &err),
               THEMA_EINPUT);
  cr_expect(strstr(err.msg, "t.csv:2:") == err.msg, "%s", err.msg);
  cr_expect(strstr(err.msg, "unbalanced quote") != NULL, "%s", err.msg);
  thema_buf_free(&r.out);
}

Test(csvread, strict_stray_quote_in_unquoted_field) {
  Rows r = {0};
  ThemaError err = {0};
  cr_assert_eq(parse("a,b\n1,2\n3,4 \"inch\"\n", ',', &r, &err), THEMA_EINPUT);
  cr_expect(strstr(err.msg, "t.csv:3:") == err.msg, "%s", err.msg);
  cr_expect(strstr(err.msg, "malformed CSV") != NULL, "%s", err.msg);
  cr_expect(strstr(err.msg, "doubled") != NULL, "%s", err.msg);
  thema_buf_free(&r.out);
}

Test(csvread, strict_text_after_closing_quote) {
  Rows r = {0};
  ThemaError err = {0};
  cr_assert_eq(parse("a,b\n\"x\"y,2\n", ',', &r, &err), THEMA_EINPUT);
  cr_expect(strstr(err.msg, "t.csv:2:") == err.msg, "%s", err.msg);
  cr_expect(strstr(err.msg, "malformed CSV") != NULL, "%s", err.msg);
  thema_buf_free(&r.out);
}

Test(csvread, empty_file_has_no_header) {
  static const char *const texts[] = {"", "\n", "\n\n\n"};
  for (size_t i = 0; i < 3; i++) {
    Rows r = {0};
    ThemaError err = {0};
    cr_expect_eq(parse(texts[i], 0, &r, &err), THEMA_EINPUT, "case %zu", i);
    cr_expect(strstr(err.msg, "t.csv: ") == err.msg, "case %zu: %s", i, err.msg);
    cr_expect(strstr(err.msg, "empty") != NULL, "case %zu: %s", i, err.msg);
    cr_expect_eq(r.nrows, 0);
    thema_buf_free(&r.out);
  }
}

Test(csvread, callback_error_stops_reading_and_is_returned) {
  Rows r = {.stop_after = 2};
  ThemaError err = {0};
  cr_assert_eq(parse("a,b\n1,2\n3,4\n5,6\n", ',', &r, &err), THEMA_EINPUT);
  cr_expect_eq(r.nrows, 2);
  cr_expect_str_eq(err.msg, "stopped by callback");
  thema_buf_free(&r.out);
}

/* ---- columns ---- */

Test(csvread, column_lookup_is_case_insensitive) {
  char *f[] = {"Source", "speaker", "PERSON"};
  ThemaCsvRow h = {.fields = f, .n = 3, .line = 1};
  cr_expect_eq(thema_csv_column(&h, "source"), 0);
  cr_expect_eq(thema_csv_column(&h, "SPEAKER"), 1);
  cr_expect_eq(thema_csv_column(&h, "person"), 2);
  cr_expect_eq(thema_csv_column(&h, "role"), -1);
  cr_expect_eq(thema_csv_column(&h, "pers"), -1);
}

/* ---- quoting for output ---- */

Test(csvread, quote_only_when_needed) {
  static const struct {
    const char *in;
    char delim;
    const char *want;
  } cases[] = {
      {"plain", ',', "plain"},
      {"", ',', ""},
      {"a,b", ',', "\"a,b\""},
      {"a,b", ';', "a,b"},
      {"a;b", ';', "\"a;b\""},
      {"a\tb", '\t', "\"a\tb\""},
      {"say \"ja\"", ',', "\"say \"\"ja\"\"\""},
      {"two\nlines", ',', "\"two\nlines\""},
      {"cr\r", ',', "\"cr\r\""},
      {"co\xC3\xB6rdinatie", ',', "co\xC3\xB6rdinatie"},
  };
  for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
    ThemaBuf b = {0};
    thema_csv_quote(&b, cases[i].in, strlen(cases[i].in), cases[i].delim);
    cr_expect_str_eq(thema_buf_str(&b), cases[i].want, "case %zu", i);
    thema_buf_free(&b);
  }
}

Test(csvread, quote_round_trips_through_the_reader) {
  static const char *const fields[] = {
      "plain", "Gent, stad", "say \"ja\"", "two\nlines",
      "",      "\"",         ";",          "\xE2\x80\x99t caf\xC3\xA9",
  };
  enum { N = sizeof fields / sizeof *fields };
  static const char delims[] = {',', ';', '\t'};
  for (size_t d = 0; d < sizeof delims; d++) {
    ThemaBuf csv = {0};
    for (int row = 0; row < 2; row++) { /* the same row as header and data */
      for (int i = 0; i < N; i++) {
        if (i) thema_buf_putc(&csv, delims[d]);
        thema_csv_quote(&csv, fields[i], strlen(fields[i]), delims[d]);
      }
      thema_buf_putc(&csv, '\n');
    }
    Rows r = {0};
    ThemaError err = {0};
    cr_assert_eq(thema_csv_read("rt.csv", csv.data, csv.len, delims[d], collect, &r, &err),
                 THEMA_OK, "delimiter '%c': %s", delims[d], err.msg);
    ThemaBuf want = {0};
    for (int row = 0; row < 2; row++) {
      thema_buf_printf(&want, "%d:", row == 0 ? 1 : 3); /* row 1 spans two lines */
      for (int i = 0; i < N; i++) {
        if (i) thema_buf_putc(&want, '|');
        thema_buf_puts(&want, fields[i]);
      }
      thema_buf_putc(&want, '\n');
    }
    cr_expect_eq(r.nrows, 2);
    cr_expect_str_eq(thema_buf_str(&r.out), thema_buf_str(&want), "delimiter '%c'",
                     delims[d]);
    thema_buf_free(&want);
    thema_buf_free(&r.out);
    thema_buf_free(&csv);
  }
}
