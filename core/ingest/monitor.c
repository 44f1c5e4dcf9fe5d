/*
 * ingest_monitor.c — monitor tables (CSV) into observations in long form:
 * case, indicator, period, value, unit. A table is wide (one column per
 * indicator or per period, after the case column) or long (columns case,
 * indicator, period, value and optionally unit). How to read a wide table is
 * declared in a sidecar "<file>.meta" or by command-line flags.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/hash.h"
#include "ingest/ingest.h"
#include "text/csv.h"
#include "text/number.h"

typedef struct Monitor {
  ThemaStore *st;
  const char *path;
  int64_t source_id;
  int long_form;
  int columns_are_periods; /* wide: header cells are periods (else indicators) */
  const char *period;      /* wide with indicator columns */
  const char *indicator;   /* wide with period columns; prefix otherwise */
  char **units;            /* per value column (nunits 1 = for all) */
  int nunits;
  char decimal;
  int case_col; /* wide: the case column */
  int col[5];   /* long: case, indicator, period, value, unit */
  const ThemaCsvRow *header_copy;
  char **header; /* header texts, owned */
  int width;
  ThemaImportResult *res;
} Monitor;

static int store_value(Monitor *m, const ThemaCsvRow *row, int col, const char *case_name,
                       const char *indicator, const char *period, const char *unit,
                       ThemaError *err) {
  const char *cell = row->fields[col];
  double v;
  int percent;
  int rc = thema_number_parse(cell, strlen(cell), m->decimal, &v, &percent);
  if (rc == THEMA_NUM_BAD)
    return thema_error_at(err, THEMA_EINPUT, m->path, row->line, col + 1,
                          "cannot read number '%s' in column '%s'; write numbers as "
                          "printed in Dutch (2.775 / 6,1 / 70%%) or set 'decimal: .' "
                          "in the .meta sidecar",
                          cell, m->header[col]);
  const char *u = percent ? "%" : (unit && *unit ? unit : NULL);
  char ind_name[1024];
  if (!m->long_form && !m->columns_are_periods && m->indicator && *m->indicator)
    snprintf(ind_name, sizeof ind_name, "%s: %s", m->indicator, indicator);
  else
    snprintf(ind_name, sizeof ind_name, "%s", indicator);
  int64_t ind_id;
  if (thema_store_ensure_name(m->st, "indicator", ind_name, &ind_id, err))
    return err->status;
  int64_t exists = 0;
  if (thema_store_exec_id(
          m->st, err, &exists,
          "SELECT line FROM observation WHERE source_id = ? AND indicator_id = ?"
          " AND case_name = ? AND period = ?",
          "iitt", m->source_id, ind_id, case_name, period))
    return err->status;
  if (exists)
    return thema_error_at(err, THEMA_EINPUT, m->path, row->line, col + 1,
                          "'%s' / '%s' / %s is given twice (first on line %lld); "
                          "remove one",
                          case_name, ind_name, period, (long long)exists);
  const char *sql =
      "INSERT INTO observation(source_id, indicator_id, case_name, period, value, raw,"
      " unit, line) VALUES (?,?,?,?,?,?,?,?)";
  if (rc == THEMA_NUM_MISSING)
    rc = thema_store_exec(m->st, err, sql, "iittntti", m->source_id, ind_id, case_name,
                          period, cell, u, (int64_t)row->line);
  else
    rc = thema_store_exec(m->st, err, sql, "iittdtti", m->source_id, ind_id, case_name,
                          period, v, cell, u, (int64_t)row->line);
  if (!rc) m->res->observations++;
  return rc;
}

static const char *unit_for(const Monitor *m, int value_index) {
  if (m->nunits == 0) return NULL;
  if (m->nunits == 1) return m->units[0];
  return m->units[value_index];
}

static int on_row(const ThemaCsvRow *row, void *ud, ThemaError *err) {
  Monitor *m = ud;
  if (!m->header) {
    m->width = row->n;
    m->header = thema_xmalloc((size_t)row->n * sizeof *m->header);
    for (int i = 0; i < row->n; i++) m->header[i] = thema_xstrdup(row->fields[i]);
    if (m->long_form) {
      static const char *const names[5] = {"case", "indicator", "period", "value", "unit"};
      for (int k = 0; k < 5; k++) {
        m->col[k] = thema_csv_column(row, names[k]);
        if (m->col[k] < 0 && k < 4)
          return thema_error_at(err, THEMA_EINPUT, m->path, row->line, 0,
                                "a long-form table needs the columns case, indicator, "
                                "period, value (and may have unit); '%s' is missing",
                                names[k]);
      }
      if (m->nunits > 1)
        return thema_error_at(err, THEMA_EINPUT, m->path, row->line, 0,
                              "%d units are declared but a long-form table has one value "
                              "column; give one unit for all, or a unit column",
                              m->nunits);
    } else {
      if (row->n < 2)
        return thema_error_at(err, THEMA_EINPUT, m->path, row->line, 0,
                              "a wide table needs a case column and at least one value "
                              "column; is the delimiter right?");
      if (m->nunits > 1 && m->nunits != row->n - 1)
        return thema_error_at(err, THEMA_EINPUT, m->path, row->line, 0,
                              "%d units are declared for %d value columns; give one "
                              "unit per value column or one for all",
                              m->nunits, row->n - 1);
      for (int c = 0; c < row->n; c++)
        if (c != m->case_col && !*row->fields[c])
          return thema_error_at(err, THEMA_EINPUT, m->path, row->line, c + 1,
                                "value column %d has no header; name the %s it holds",
                                c + 1, m->columns_are_periods ? "period" : "indicator");
    }
    return THEMA_OK;
  }
  m->res->rows++;
  if (m->long_form) {
    /* The row's own unit, else the one declared for the table. */
    const char *unit = m->col[4] >= 0 ? row->fields[m->col[4]] : NULL;
    if (!unit || !*unit) unit = unit_for(m, 0);
    return store_value(m, row, m->col[3], row->fields[m->col[0]], row->fields[m->col[1]],
                       row->fields[m->col[2]], unit, err);
  }
  const char *case_name = row->fields[m->case_col];
  if (!*case_name)
    return thema_error_at(err, THEMA_EINPUT, m->path, row->line, m->case_col + 1,
                          "empty case name in column '%s'", m->header[m->case_col]);
  for (int c = 0, vi = 0; c < row->n; c++) {
    if (c == m->case_col) continue;
    const char *head = m->header[c];
    int rc =
        m->columns_are_periods
            ? store_value(m, row, c, case_name, m->indicator, head, unit_for(m, vi), err)
            : store_value(m, row, c, case_name, head, m->period, unit_for(m, vi), err);
    if (rc) return rc;
    vi++;
  }
  return THEMA_OK;
}

/* Line and column (1-based) of key's value in the sidecar text, so that an
 * error in a declaration points at it; 0, 0 when the key is not there. */
static void sidecar_pos(const ThemaInput *side, const char *key, long *line, long *col) {
  *line = *col = 0;
  const char *s = side->buf.data;
  size_t len = side->buf.len, klen = strlen(key);
  long lineno = 1;
  for (size_t i = 0; s && i < len; lineno++) {
    const char *nl = memchr(s + i, '\n', len - i);
    size_t e = nl ? (size_t)(nl - s) : len, b = i;
    while (b < e && (s[b] == ' ' || s[b] == '\t')) b++;
    if (e - b > klen && memcmp(s + b, key, klen) == 0 && s[b + klen] == ':') {
      size_t v = b + klen + 1;
      while (v < e && (s[v] == ' ' || s[v] == '\t')) v++;
      *line = lineno;
      *col = (long)thema_utf8_count(s + i, v - i) + 1;
      return;
    }
    i = e + 1;
  }
}

/* A declared value that is not one of the allowed ones: from an option the
 * message names the option, from the sidecar it points at the sidecar line. */
static int bad_setting(ThemaError *err, const char *path, const char *meta_path,
                       const ThemaInput *side, const char *key, int from_option,
                       const char *allowed, const char *value) {
  if (from_option)
    return thema_error_at(err, THEMA_EINPUT, path, 0, 0, "--%s must be %s, not '%s'", key,
                          allowed, value);
  long line, col;
  sidecar_pos(side, key, &line, &col);
  return thema_error_at(err, THEMA_EINPUT, meta_path, line, col, "%s must be %s, not '%s'",
                        key, allowed, value);
}

/* The source hash covers how the table is read, not only its bytes: a fixed
 * sidecar or other options make a different table, which re-import must not
 * call unchanged. Without a sidecar or options the hash is the file's own. */
static void hash_declaration(ThemaInput *text, const ThemaInput *side, int has_side,
                             const ThemaImportOptions *opt) {
  const char *fields[6] = {opt->form,      opt->columns, opt->period,
                           opt->indicator, opt->units,   opt->decimal};
  int any = has_side;
  for (int i = 0; i < 6; i++) any |= fields[i] != NULL;
  if (!any) return;
  ThemaBuf b = {0};
  thema_buf_printf(&b, "%s\n%s\n", text->hash, has_side ? side->hash : "");
  for (int i = 0; i < 6; i++)
    thema_buf_printf(&b, "%d:%s\n", fields[i] != NULL, fields[i] ? fields[i] : "");
  thema_hash_sha256(b.data, b.len, text->hash);
  thema_buf_free(&b);
}

static char **split_units(const char *s, int *n) {
  char **out = NULL;
  *n = 0;
  if (!s || !*s) return NULL;
  for (const char *p = s;;) {
    const char *semi = strchr(p, ';');
    size_t len = semi ? (size_t)(semi - p) : strlen(p);
    while (len && (*p == ' ' || *p == '\t')) {
      p++;
      len--;
    }
    while (len && (p[len - 1] == ' ' || p[len - 1] == '\t')) len--;
    out = thema_xrealloc(out, (size_t)(*n + 1) * sizeof *out);
    out[(*n)++] = thema_xstrndup(p, len);
    if (!semi) break;
    p = semi + 1;
  }
  return out;
}

int thema_import_monitor(ThemaStore *st, const char *path, const ThemaImportOptions *opt,
                         ThemaImportResult *res, ThemaError *err) {
  static const ThemaImportOptions none = {0};
  if (!opt) opt = &none;
  ThemaInput text = {0}, side = {0};
  ThemaMeta meta = {0};
  Monitor m = {.st = st, .path = path, .res = res, .decimal = ','};
  char *meta_path = thema_xmalloc(strlen(path) + 6);
  sprintf(meta_path, "%s.meta", path);
  FILE *probe = fopen(meta_path, "rb");
  int has_side = probe != NULL;
  if (probe) {
    fclose(probe);
    if (thema_input_load(meta_path, &side, err) ||
        thema_meta_parse_lines(meta_path, side.buf.data, side.buf.len, 1, &meta, err))
      goto done;
  }
  const char *form = opt->form ? opt->form : thema_meta_get(&meta, "form");
  const char *columns = opt->columns ? opt->columns : thema_meta_get(&meta, "columns");
  const char *decimal = opt->decimal ? opt->decimal : thema_meta_get(&meta, "decimal");
  m.period = opt->period ? opt->period : thema_meta_get(&meta, "period");
  m.indicator = opt->indicator ? opt->indicator : thema_meta_get(&meta, "indicator");
  m.units =
      split_units(opt->units ? opt->units : thema_meta_get(&meta, "units"), &m.nunits);
  if (form && strcmp(form, "wide") && strcmp(form, "long")) {
    bad_setting(err, path, meta_path, &side, "form", opt->form != NULL, "'wide' or 'long'",
                form);
    goto done;
  }
  m.long_form = form && strcmp(form, "long") == 0;
  if (columns && strcmp(columns, "indicator") && strcmp(columns, "period")) {
    bad_setting(err, path, meta_path, &side, "columns", opt->columns != NULL,
                "'indicator' or 'period'", columns);
    goto done;
  }
  m.columns_are_periods = columns && strcmp(columns, "period") == 0;
  if (decimal && strcmp(decimal, ",") && strcmp(decimal, ".")) {
    bad_setting(err, path, meta_path, &side, "decimal", opt->decimal != NULL, "',' or '.'",
                decimal);
    goto done;
  }
  if (decimal) m.decimal = decimal[0];
  if (!m.long_form && !columns) {
    thema_error_at(err, THEMA_EINPUT, path, 0, 0,
                   "say how to read this wide table: add 'columns: indicator' (with "
                   "'period: ...') or 'columns: period' (with 'indicator: ...') to "
                   "%s, or pass --columns, or 'form: long'",
                   meta_path);
    goto done;
  }
  if (!m.long_form && !m.columns_are_periods && !m.period) {
    thema_error_at(err, THEMA_EINPUT, path, 0, 0,
                   "the value columns are indicators, so the table needs its period: "
                   "add 'period: 2017' to %s or pass --period",
                   meta_path);
    goto done;
  }
  if (!m.long_form && m.columns_are_periods && !m.indicator) {
    thema_error_at(err, THEMA_EINPUT, path, 0, 0,
                   "the value columns are periods, so the table needs its indicator: "
                   "add 'indicator: ...' to %s or pass --indicator",
                   meta_path);
    goto done;
  }
  if (thema_input_load(path, &text, err)) goto done;
  hash_declaration(&text, &side, has_side, opt);
  ThemaSourceInfo info = {.kind = "monitor",
                          .format = "csv",
                          .path = path,
                          .text = &text,
                          .meta = &meta,
                          .stored = text.buf.data,
                          .stored_len = text.buf.len};
  if (thema_source_register(st, &info, opt->replace, res, err) || res->unchanged) goto done;
  m.source_id = res->source_id;
  if (thema_csv_read(path, text.buf.data, text.buf.len, 0, on_row, &m, err)) goto done;
  if (res->observations == 0)
    thema_error_at(err, THEMA_EINPUT, path, 0, 0, "no data rows under the header");
done:
  for (int i = 0; m.header && i < m.width; i++) free(m.header[i]);
  free(m.header);
  for (int i = 0; i < m.nunits; i++) free(m.units[i]);
  free(m.units);
  free(meta_path);
  thema_meta_free(&meta);
  thema_input_free(&text);
  thema_input_free(&side);
  return err->status;
}
