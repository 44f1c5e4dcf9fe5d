/*
 * test_table.c — the table writer: plain CSV, the spreadsheet dialect (BOM,
 * ';', decimal comma, CRLF), formula guards, the cell limit, TSV, and a
 * workbook that is the same bytes twice.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

#include "base/utf8.h"
#include "export/table.h"
#include "helpers.h"

static char *render(int kind_excel) {
  ThemaTableFormat f;
  ThemaError err = {0};
  cr_assert_eq(thema_table_format(kind_excel == 2 ? "tsv" : "csv", kind_excel == 1, "test",
                                  &f, &err),
               THEMA_OK);
  ThemaBuf out = {0};
  ThemaTable *t = thema_table_new(&f, &out, NULL, &err);
  cr_assert(t);
  thema_table_text(t, "name", 4);
  thema_table_text(t, "share", 5);
  thema_table_end_row(t);
  thema_table_text(t, "=SUM(A1); \"x\"", 13);
  thema_table_number(t, 0.25);
  thema_table_end_row(t);
  thema_table_text(t, "a\tb\nc", 5);
  thema_table_integer(t, 12);
  thema_table_end_row(t);
  cr_assert_eq(thema_table_close(t, &err), THEMA_OK);
  return out.data;
}

Test(table, plain_csv) {
  char *s = render(0);
  cr_expect_str_eq(s, "name,share\n\"=SUM(A1); \"\"x\"\"\",0.25\n\"a\tb\nc\",12\n");
  free(s);
}

Test(table, excel_dialect) {
  char *s = render(1);
  cr_expect_str_eq(
      s, "\xEF\xBB\xBFname;share\r\n\"'=SUM(A1); \"\"x\"\"\";0,25\r\n\"a\tb\nc\";12\r\n");
  free(s);
}

Test(table, tsv_has_no_quoting) {
  char *s = render(2);
  cr_expect_str_eq(s, "name\tshare\n=SUM(A1); \"x\"\t0.25\na b c\t12\n");
  free(s);
}

Test(table, a_value_over_the_cell_limit_is_cut_with_a_marker) {
  ThemaTableFormat f;
  ThemaError err = {0};
  thema_table_format("csv", 1, "test", &f, &err);
  ThemaBuf out = {0}, big = {0};
  for (int i = 0; i < 40000; i++) thema_buf_puts(&big, "é");
  ThemaTable *t = thema_table_new(&f, &out, NULL, &err);
  thema_table_text(t, big.data, big.len);
  thema_table_end_row(t);
  thema_table_close(t, &err);
  cr_expect(strstr(out.data, " [cut: 7273 more characters]\r\n") != NULL);
  cr_expect_lt(thema_utf8_count(out.data, out.len), THEMA_TABLE_CELL_MAX + 10);
  thema_buf_free(&out);
  thema_buf_free(&big);
}

Test(table, xlsx_needs_a_file_and_repeats_itself) {
  ThemaTableFormat f;
  ThemaError err = {0};
  cr_assert_eq(thema_table_format("xlsx", 0, "test", &f, &err), THEMA_OK);
  ThemaBuf out = {0};
  cr_expect_null(thema_table_new(&f, &out, NULL, &err));
  cr_expect_eq(err.status, THEMA_EUSAGE);
  char *dir = th_tmpdir();
  char a[600], b[600];
  snprintf(a, sizeof a, "%s/a.xlsx", dir);
  snprintf(b, sizeof b, "%s/b.xlsx", dir);
  for (int k = 0; k < 2; k++) {
    ThemaError e = {0};
    ThemaTable *t = thema_table_new(&f, NULL, k ? b : a, &e);
    cr_assert(t, "%s", e.msg);
    thema_table_text(t, "n", 1);
    thema_table_end_row(t);
    thema_table_number(t, 3.5);
    thema_table_end_row(t);
    cr_assert_eq(thema_table_close(t, &e), THEMA_OK, "%s", e.msg);
  }
  char ha[65], hb[65];
  th_sha256sum(a, ha);
  th_sha256sum(b, hb);
  cr_expect_str_eq(ha, hb, "the same table, the same workbook");
  ThemaError e2 = {0};
  cr_expect_eq(thema_table_format("ods", 0, "test", &f, &e2), THEMA_EUSAGE);
  th_rm_rf(dir);
  free(dir);
}
