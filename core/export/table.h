/*
 * table.h — one writer for every table thema gives a user: CSV as RFC 4180
 * says, CSV for a spreadsheet (Excel in a Dutch or French locale: UTF-8 with
 * a BOM, ';' between cells, ',' as the decimal mark, CRLF), TSV, and xlsx
 * (libxlsxwriter, numbers as typed numeric cells). For a spreadsheet, a text
 * cell that would start a formula ('=', '+', '-', '@', tab, CR) is guarded
 * with a leading apostrophe, and a value longer than a cell may hold (32,767
 * characters) is cut with a marker saying how much was left out.
 */
#ifndef THEMA_EXPORT_TABLE_H
#define THEMA_EXPORT_TABLE_H

#include <stddef.h>

#include "base/thema.h"
#include "store/query.h"

typedef enum ThemaTableKind {
  THEMA_TABLE_CSV, /* RFC 4180, ',' and LF: for programs */
  THEMA_TABLE_TSV, /* tabs; tabs and newlines in values become spaces */
  THEMA_TABLE_XLSX /* a workbook of one sheet */
} ThemaTableKind;

typedef struct ThemaTableFormat {
  ThemaTableKind kind;
  int excel; /* CSV for a spreadsheet: BOM, ';', decimal ',', CRLF, guarded cells */
} ThemaTableFormat;

/* "csv", "tsv" or "xlsx", with excel for the spreadsheet dialect of CSV;
 * what is the name of the command, for the message. */
int thema_table_format(const char *name, int excel, const char *what, ThemaTableFormat *f,
                       ThemaError *err);

/* Excel's limit on a cell's characters; longer values are cut. */
#define THEMA_TABLE_CELL_MAX 32767

typedef struct ThemaTable ThemaTable;

/* A table writer. CSV and TSV go to out (the caller writes it where it
 * belongs, e.g. in blocks to a file); xlsx needs a path, written when the
 * table is closed, to a temporary name renamed into place. */
ThemaTable *thema_table_new(const ThemaTableFormat *f, ThemaBuf *out, const char *xlsx_path,
                            ThemaError *err);
void thema_table_text(ThemaTable *t, const char *s, size_t n);
void thema_table_number(ThemaTable *t, double v);
void thema_table_integer(ThemaTable *t, long long v);
/* A number given as its text ("0.25", "3"), written as given (the decimal
 * mark a comma in the spreadsheet dialect, never guarded), typed in xlsx. */
void thema_table_number_text(ThemaTable *t, const char *s, size_t n);
void thema_table_empty(ThemaTable *t);
void thema_table_end_row(ThemaTable *t);
/* The header row: the cursor's column names. */
void thema_table_header_of(ThemaTable *t, const ThemaCursor *c);
/* The cursor's current row, each value by its type. */
void thema_table_row_of(ThemaTable *t, const ThemaCursor *c);
/* Finish: for xlsx, write the workbook. Frees t. */
int thema_table_close(ThemaTable *t, ThemaError *err);
/* Give up: an xlsx file is not written. Frees t; NULL is allowed. */
void thema_table_abort(ThemaTable *t);

/* Every row of cursor c, with its header, as a table in format f at path
 * (NULL or "-": stdout; xlsx needs a file): streamed in 64 KB blocks through
 * base/outfile.h, so a file is whole or left as it was. The cursor is
 * stepped to its end, not closed. With user (a command's name), an error
 * while stepping is the user's statement's: an input error named so. */
int thema_table_write_cursor(ThemaCursor *c, const ThemaTableFormat *f, const char *path,
                             const char *user, ThemaError *err);

#endif
