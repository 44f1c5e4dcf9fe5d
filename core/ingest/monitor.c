/*
 * monitor.c — monitor tables (CSV) into observations in long form: case,
 * indicator, period, value, unit. A table is wide (one column per indicator
 * or per period, after the case column) or long (columns case, indicator,
 * period, value and optionally unit). How to read a wide table is declared
 * in a sidecar "<file>.meta" or by command-line flags (thema_monitor_declare);
 * the table is then read as declared (thema_parse_monitor).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/hash.h"
#include "ingest/ingest.h"
#include "ingest/keys.h"
#include "ingest/sniff.h"
#include "text/csv.h"
#include "text/number.h"

typedef struct Monitor {
  ThemaSink *sink;              /* where observations go */
  const char *path;             /* the table, for messages */
  const ThemaMonitorDecl *decl; /* how to read it */
  int case_col;                 /* wide: the case column */
  int col[5];                   /* long: case, indicator, period, value, unit */
  char **header;                /* header texts, owned */
  int width;                    /* header cells */
  ThemaKeys seen;               /* case, indicator, period of every value, with its line */
  ThemaBuf name;                /* scratch: an indicator's full name */
  ThemaBuf key;                 /* scratch: a seen key */
} Monitor;

static int store_value(Monitor *m, const ThemaCsvRow *row, int col, const char *case_name,
                       const char *indicator, const char *period, const char *unit,
                       ThemaError *err) {
  const ThemaMonitorDecl *d = m->decl;
  const char *cell = row->fields[col];
  double v;
  int percent;
  int rc = thema_number_parse(cell, strlen(cell), d->decimal, &v, &percent);
  if (rc == THEMA_NUM_BAD)
    return thema_error_at(err, THEMA_EINPUT, m->path, row->line, col + 1,
                          "cannot read number '%s' in column '%s'; write numbers as "
                          "printed in Dutch (2.775 / 6,1 / 70%%) or set 'decimal: .' "
                          "in the .meta sidecar",
                          cell, m->header[col]);
  thema_buf_reset(&m->name);
  if (!d->long_form && !d->columns_are_periods && d->indicator && *d->indicator)
    thema_buf_printf(&m->name, "%s: %s", d->indicator, indicator);
  else
    thema_buf_puts(&m->name, indicator);
  const char *ind_name = thema_buf_str(&m->name);
  /* One value per case, indicator and period: the source is new, so the
   * values seen in this file are all there are. */
  thema_buf_reset(&m->key);
  thema_keys_part(&m->key, case_name, strlen(case_name));
  thema_keys_part(&m->key, ind_name, m->name.len);
  thema_keys_part(&m->key, period, strlen(period));
  const ThemaKey *first = thema_keys_find(&m->seen, m->key.data, m->key.len);
  if (first)
    return thema_error_at(err, THEMA_EINPUT, m->path, row->line, col + 1,
                          "'%s' / '%s' / %s is given twice (first on line %ld); "
                          "remove one",
                          case_name, ind_name, period, first->line);
  thema_keys_add(&m->seen, m->key.data, m->key.len, row->line, NULL);
  ThemaObservationRec obs = {.case_name = case_name,
                             .indicator = ind_name,
                             .period = period,
                             .missing = rc == THEMA_NUM_MISSING,
                             .value = v,
                             .raw = cell,
                             .unit = percent ? "%" : (unit && *unit ? unit : NULL),
                             .line = row->line};
  return thema_sink_add_observation(m->sink, &obs, err);
}

static const char *unit_for(const ThemaMonitorDecl *d, int value_index) {
  if (d->nunits == 0) return NULL;
  if (d->nunits == 1) return d->units[0];
  return d->units[value_index];
}

static int on_header(Monitor *m, const ThemaCsvRow *row, ThemaError *err) {
  const ThemaMonitorDecl *d = m->decl;
  m->width = row->n;
  m->header = thema_xmalloc((size_t)row->n * sizeof *m->header);
  for (int i = 0; i < row->n; i++) m->header[i] = thema_xstrdup(row->fields[i]);
  if (d->long_form) {
    static const char *const names[5] = {"case", "indicator", "period", "value", "unit"};
    for (int k = 0; k < 5; k++) {
      m->col[k] = thema_csv_column(row, names[k]);
      if (m->col[k] < 0 && k < 4)
        return thema_error_at(err, THEMA_EINPUT, m->path, row->line, 0,
                              "a long-form table needs the columns case, indicator, "
                              "period, value (and may have unit); '%s' is missing",
                              names[k]);
    }
    if (d->nunits > 1)
      return thema_error_at(err, THEMA_EINPUT, m->path, row->line, 0,
                            "%d units are declared but a long-form table has one value "
                            "column; give one unit for all, or a unit column",
                            d->nunits);
    return THEMA_OK;
  }
  if (row->n < 2)
    return thema_error_at(err, THEMA_EINPUT, m->path, row->line, 0,
                          "a wide table needs a case column and at least one value "
                          "column; is the delimiter right?");
  if (d->nunits > 1 && d->nunits != row->n - 1)
    return thema_error_at(err, THEMA_EINPUT, m->path, row->line, 0,
                          "%d units are declared for %d value columns; give one "
                          "unit per value column or one for all",
                          d->nunits, row->n - 1);
  for (int c = 0; c < row->n; c++)
    if (c != m->case_col && !*row->fields[c])
      return thema_error_at(err, THEMA_EINPUT, m->path, row->line, c + 1,
                            "value column %d has no header; name the %s it holds", c + 1,
                            d->columns_are_periods ? "period" : "indicator");
  return THEMA_OK;
}

static int on_row(const ThemaCsvRow *row, void *ud, ThemaError *err) {
  Monitor *m = ud;
  const ThemaMonitorDecl *d = m->decl;
  if (!m->header) return on_header(m, row, err);
  thema_sink_count_row(m->sink);
  if (d->long_form) {
    /* The row's own unit, else the one declared for the table. */
    const char *unit = m->col[4] >= 0 ? row->fields[m->col[4]] : NULL;
    if (!unit || !*unit) unit = unit_for(d, 0);
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
        d->columns_are_periods
            ? store_value(m, row, c, case_name, d->indicator, head, unit_for(d, vi), err)
            : store_value(m, row, c, case_name, head, d->period, unit_for(d, vi), err);
    if (rc) return rc;
    vi++;
  }
  return THEMA_OK;
}

/* Line and column (1-based) of key's value in the sidecar text, so that an
 * error in a declaration points at it; 0, 0 when the key is not there. */
static void sidecar_pos(const ThemaInput *side, const char *key, long *line, long *col) {
  *line = *col = 0;
  if (!side) return;
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
/* The keys a sidecar may hold: how to read the table, then what describes
 * it (kept as the source's attributes). A typo must not pass silently:
 * 'decimals: .' would leave English decimals read as thousands. */
static const char *const sidecar_keys[] = {
    "form",   "columns",     "decimal", "period", "indicator", "units", "title",
    "source", "description", "url",     "date",   "licence",   "note",  NULL};

static int check_sidecar_keys(const char *meta_path, const ThemaInput *side,
                              const ThemaMeta *meta, ThemaError *err) {
  for (int i = 0; i < meta->n; i++) {
    const char *key = meta->keys[i];
    int known = strncmp(key, "x-", 2) == 0 && key[2];
    for (const char *const *k = sidecar_keys; !known && *k; k++)
      known = strcmp(key, *k) == 0;
    if (known) continue;
    long line, col;
    sidecar_pos(side, key, &line, &col);
    const char *near = thema_nearest(key, sidecar_keys);
    return thema_error_at(err, THEMA_EINPUT, meta_path, line, 0,
                          "unknown key '%s'%s%s%s; a sidecar takes form, columns, decimal, "
                          "period, indicator, units, and title, source, description, url, "
                          "date, licence, note to describe the table (any other attribute "
                          "as 'x-NAME: value')",
                          key, near ? " (did you mean '" : "", near ? near : "",
                          near ? "'?)" : "");
  }
  return THEMA_OK;
}

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
static void declare_salt(ThemaMonitorDecl *d, const ThemaInput *side,
                         const ThemaImportOptions *opt) {
  const char *fields[6] = {opt->form,      opt->columns, opt->period,
                           opt->indicator, opt->units,   opt->decimal};
  int any = side != NULL;
  for (int i = 0; i < 6; i++) any |= fields[i] != NULL;
  d->salted = any;
  if (!any) return;
  thema_buf_printf(&d->salt, "\n%s\n", side ? side->hash : "");
  for (int i = 0; i < 6; i++)
    thema_buf_printf(&d->salt, "%d:%s\n", fields[i] != NULL, fields[i] ? fields[i] : "");
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

int thema_monitor_declare(const char *path, const ThemaInput *side,
                          const ThemaImportOptions *opt, ThemaMonitorDecl *decl,
                          ThemaError *err) {
  static const ThemaImportOptions none = {0};
  if (!opt) opt = &none;
  ThemaMonitorDecl *d = decl;
  ThemaMeta *meta = &d->meta;
  d->meta_path = thema_xmalloc(strlen(path) + 6);
  sprintf(d->meta_path, "%s.meta", path);
  d->decimal = ',';
  if (side &&
      thema_meta_parse_lines(d->meta_path, side->buf.data, side->buf.len, 1, meta, err))
    return err->status;
  if (side && check_sidecar_keys(d->meta_path, side, meta, err)) return err->status;
  const char *form = opt->form ? opt->form : thema_meta_get(meta, "form");
  const char *columns = opt->columns ? opt->columns : thema_meta_get(meta, "columns");
  const char *decimal = opt->decimal ? opt->decimal : thema_meta_get(meta, "decimal");
  d->period = opt->period ? opt->period : thema_meta_get(meta, "period");
  d->indicator = opt->indicator ? opt->indicator : thema_meta_get(meta, "indicator");
  d->units =
      split_units(opt->units ? opt->units : thema_meta_get(meta, "units"), &d->nunits);
  if (form && strcmp(form, "wide") && strcmp(form, "long"))
    return bad_setting(err, path, d->meta_path, side, "form", opt->form != NULL,
                       "'wide' or 'long'", form);
  d->long_form = form && strcmp(form, "long") == 0;
  if (columns && strcmp(columns, "indicator") && strcmp(columns, "period"))
    return bad_setting(err, path, d->meta_path, side, "columns", opt->columns != NULL,
                       "'indicator' or 'period'", columns);
  d->columns_are_periods = columns && strcmp(columns, "period") == 0;
  if (decimal && strcmp(decimal, ",") && strcmp(decimal, "."))
    return bad_setting(err, path, d->meta_path, side, "decimal", opt->decimal != NULL,
                       "',' or '.'", decimal);
  if (decimal) d->decimal = decimal[0];
  if (!d->long_form && !columns)
    return thema_error_at(err, THEMA_EINPUT, path, 0, 0,
                          "say how to read this wide table: add 'columns: indicator' (with "
                          "'period: ...') or 'columns: period' (with 'indicator: ...') to "
                          "%s, or pass --columns, or 'form: long'",
                          d->meta_path);
  if (!d->long_form && !d->columns_are_periods && !d->period)
    return thema_error_at(
        err, THEMA_EINPUT, path, 0, 0,
        "the value columns are indicators, so the table needs its period: "
        "add 'period: 2017' to %s or pass --period",
        d->meta_path);
  if (!d->long_form && d->columns_are_periods && !d->indicator)
    return thema_error_at(
        err, THEMA_EINPUT, path, 0, 0,
        "the value columns are periods, so the table needs its indicator: "
        "add 'indicator: ...' to %s or pass --indicator",
        d->meta_path);
  declare_salt(d, side, opt);
  return THEMA_OK;
}

void thema_monitor_decl_free(ThemaMonitorDecl *decl) {
  for (int i = 0; i < decl->nunits; i++) free(decl->units[i]);
  free(decl->units);
  free(decl->meta_path);
  thema_meta_free(&decl->meta);
  thema_buf_free(&decl->salt);
}

int thema_parse_monitor(ThemaSink *sink, const char *path, const ThemaInput *in,
                        const ThemaMonitorDecl *decl, ThemaError *err) {
  Monitor m = {.sink = sink, .path = path, .decl = decl};
  long before = sink->res->observations;
  char hash[65];
  int unchanged = 0;
  snprintf(hash, sizeof hash, "%s", in->hash);
  if (decl->salted) {
    ThemaBuf b = {0};
    thema_buf_puts(&b, in->hash);
    thema_buf_append(&b, decl->salt.data, decl->salt.len);
    thema_hash_sha256(b.data, b.len, hash);
    thema_buf_free(&b);
  }
  ThemaSourceRec src = {.kind = "monitor",
                        .format = "csv",
                        .path = path,
                        .hash = hash,
                        .text = in->buf.data,
                        .len = in->buf.len,
                        .meta = &decl->meta};
  if (thema_sink_begin_source(sink, &src, &unchanged, err) || unchanged) goto done;
  if (thema_csv_read(path, in->buf.data, in->buf.len, 0, on_row, &m, err)) goto done;
  if (sink->res->observations == before)
    thema_error_at(err, THEMA_EINPUT, path, 0, 0, "no data rows under the header");
  else
    thema_sink_end_source(sink, err);
done:
  for (int i = 0; m.header && i < m.width; i++) free(m.header[i]);
  free(m.header);
  thema_keys_clear(&m.seen);
  thema_buf_free(&m.name);
  thema_buf_free(&m.key);
  return err->status;
}

int thema_read_monitor(ThemaSink *sink, const char *path, const ThemaImportOptions *opt,
                       ThemaError *err) {
  ThemaInput in = {0}, side = {0};
  ThemaMonitorDecl decl = {0};
  ThemaBuf meta_path = {0};
  thema_buf_printf(&meta_path, "%s.meta", path);
  FILE *probe = fopen(meta_path.data, "rb");
  int has_side = probe != NULL;
  if (probe) fclose(probe);
  /* The declaration first: a bad one is reported before the table is read. */
  if (thema_sniff_require(path, "monitor", NULL, err) ||
      (has_side && thema_input_load(meta_path.data, &side, err)) ||
      thema_monitor_declare(path, has_side ? &side : NULL, opt, &decl, err) ||
      thema_input_load(path, &in, err))
    goto done;
  thema_parse_monitor(sink, path, &in, &decl, err);
done:
  thema_monitor_decl_free(&decl);
  thema_buf_free(&meta_path);
  thema_input_free(&in);
  thema_input_free(&side);
  return err->status;
}
