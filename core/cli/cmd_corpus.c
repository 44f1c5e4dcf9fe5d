/*
 * cmd_corpus.c — familiarisation with the data: "freq", "keyness" and
 * "collocations". Each reads the selected segments once into a segment ×
 * term count (analysis/dtm), builds its table (analysis/corpus) and prints
 * it aligned, or as CSV with --format csv. The options they share (language,
 * stems, word lists, n-grams, selection) are parsed in one place here.
 */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/corpus.h"
#include "analysis/dtm.h"
#include "base/utf8.h"
#include "cli/cli.h"
#include "store/grouping.h"
#include "text/csv.h"
#include "text/wordlists.h"

enum { MAX_FILTERS = 16 };

/* What the three commands share. */
typedef struct CorpusArgs {
  const char *cmd;                  /* "freq", "keyness", "collocations" */
  ThemaDtmOptions o;                /* what is counted */
  ThemaVocab *leave_out;            /* a study's own lists, or NULL */
  ThemaFilter filters[MAX_FILTERS]; /* --where / --except */
  ThemaValue values[MAX_FILTERS];   /* their values */
  int nf;                           /* filters given */
  const char *by, *group, *against; /* --by, --group, --against */
  int64_t min_count, limit;         /* --min, --limit */
  int csv;                          /* --format csv */
} CorpusArgs;

static int parse_int(const char *cmd, const char *opt, const char *v, long lo, long hi,
                     long *out, ThemaError *err) {
  char *end;
  long n = v ? strtol(v, &end, 10) : 0;
  if (!v || *end || end == v || n < lo || n > hi)
    return thema_error_set(err, THEMA_EUSAGE, "%s: %s takes a whole number from %ld to %ld",
                           cmd, opt, lo, hi);
  *out = n;
  return THEMA_OK;
}

/* --where KEY=VALUE / --except KEY=VALUE: a segment filter of store/query.h. */
static int add_filter(CorpusArgs *a, const char *v, int negate, ThemaError *err) {
  const char *eq = v ? strchr(v, '=') : NULL;
  if (!eq || eq == v)
    return thema_error_set(err, THEMA_EUSAGE,
                           "%s: %s takes KEY=VALUE (e.g. role=respondent)", a->cmd,
                           negate ? "--except" : "--where");
  if (a->nf == MAX_FILTERS)
    return thema_error_set(err, THEMA_EUSAGE, "%s: at most %d filters", a->cmd,
                           MAX_FILTERS);
  static char keys[MAX_FILTERS][64];
  size_t kn = (size_t)(eq - v);
  if (kn >= sizeof keys[0])
    return thema_error_set(err, THEMA_EUSAGE, "%s: filter key too long", a->cmd);
  memcpy(keys[a->nf], v, kn);
  keys[a->nf][kn] = '\0';
  a->values[a->nf] =
      (ThemaValue){.type = THEMA_VALUE_TEXT, .s = eq + 1, .len = strlen(eq + 1)};
  a->filters[a->nf] = (ThemaFilter){
      .key = keys[a->nf], .values = &a->values[a->nf], .nvalues = 1, .negate = negate};
  a->nf++;
  return THEMA_OK;
}

/* --ngram N or N-M. */
static int parse_ngram(CorpusArgs *a, const char *v, ThemaError *err) {
  int lo, hi;
  char tail;
  if (v && sscanf(v, "%d-%d%c", &lo, &hi, &tail) == 2) {
  } else if (v && sscanf(v, "%d%c", &lo, &tail) == 1) {
    hi = lo;
  } else {
    return thema_error_set(err, THEMA_EUSAGE, "%s: --ngram takes N or N-M (e.g. 2 or 1-3)",
                           a->cmd);
  }
  if (lo < 1 || hi < lo || hi > THEMA_NGRAM_MAX)
    return thema_error_set(err, THEMA_EUSAGE, "%s: --ngram %s: sizes from 1 to %d, N <= M",
                           a->cmd, v, THEMA_NGRAM_MAX);
  a->o.ngram_min = lo;
  a->o.ngram_max = hi;
  return THEMA_OK;
}

static int parse(CorpusArgs *a, int argc, char **argv, ThemaError *err) {
  long n;
  for (int i = 1; i < argc && !err->status; i++) {
    const char *s = argv[i];
    if (thema_cli_is(s, "--lang") || thema_cli_is(s, "--language")) {
      a->o.language = thema_cli_value(argc, argv, &i, s, err);
    } else if (thema_cli_is(s, "--stem")) {
      a->o.stem = 1;
    } else if (thema_cli_is(s, "--no-stopwords")) {
      a->o.stopwords = 0;
    } else if (thema_cli_is(s, "--no-fillers")) {
      a->o.fillers = 0;
    } else if (thema_cli_is(s, "--numbers")) {
      a->o.numbers = 1;
    } else if (thema_cli_is(s, "--stopwords") || thema_cli_is(s, "--fillers")) {
      const char *path = thema_cli_value(argc, argv, &i, s, err);
      if (!path) break;
      if (!a->leave_out) a->leave_out = thema_vocab_new();
      thema_wordlist_read(a->leave_out, path, err);
    } else if (thema_cli_is(s, "--min")) {
      if (!parse_int(a->cmd, s, thema_cli_value(argc, argv, &i, s, err), 1, 1000000000, &n,
                     err))
        a->min_count = n;
    } else if (thema_cli_is(s, "--min-chars")) {
      if (!parse_int(a->cmd, s, thema_cli_value(argc, argv, &i, s, err), 1, 100, &n, err))
        a->o.min_chars = (int)n;
    } else if (thema_cli_is(s, "--limit")) {
      if (!parse_int(a->cmd, s, thema_cli_value(argc, argv, &i, s, err), 0, 1000000000, &n,
                     err))
        a->limit = n;
    } else if (thema_cli_is(s, "--ngram") && strcmp(a->cmd, "collocations") != 0) {
      parse_ngram(a, thema_cli_value(argc, argv, &i, s, err), err);
    } else if (thema_cli_is(s, "--where") || thema_cli_is(s, "--except")) {
      int negate = thema_cli_is(s, "--except");
      add_filter(a, thema_cli_value(argc, argv, &i, s, err), negate, err);
    } else if (thema_cli_is(s, "--by") && strcmp(a->cmd, "collocations") != 0) {
      a->by = thema_cli_value(argc, argv, &i, s, err);
    } else if (thema_cli_is(s, "--group") && strcmp(a->cmd, "keyness") == 0) {
      a->group = thema_cli_value(argc, argv, &i, s, err);
    } else if (thema_cli_is(s, "--against") && strcmp(a->cmd, "keyness") == 0) {
      a->against = thema_cli_value(argc, argv, &i, s, err);
    } else if (thema_cli_is(s, "--format")) {
      const char *f = thema_cli_value(argc, argv, &i, s, err);
      if (f && strcmp(f, "csv") == 0)
        a->csv = 1;
      else if (f && strcmp(f, "text") != 0)
        thema_error_set(err, THEMA_EUSAGE, "%s: --format is text or csv, not '%s'", a->cmd,
                        f);
    } else if (s[0] == '-' && s[1] == '-') {
      thema_error_set(err, THEMA_EUSAGE, "%s: unknown option '%s' (see thema %s --help)",
                      a->cmd, s, a->cmd);
    } else {
      thema_error_set(err, THEMA_EUSAGE, "%s: unexpected argument '%s'", a->cmd, s);
    }
  }
  a->o.leave_out = a->leave_out;
  return err->status;
}

/* Count the selection: grouped when --by is given. */
static int count(ThemaCli *cli, CorpusArgs *a, ThemaStore **st, ThemaDtm **d,
                 ThemaError *err) {
  ThemaGrouping g;
  if (thema_dtm_new(&a->o, d, err) || thema_cli_open(cli, THEMA_STORE_READONLY, st, err))
    return err->status;
  if (a->by) {
    if (thema_grouping_parse(*st, a->by, &g, err) ||
        thema_dtm_read_grouped(*d, *st, &g, a->filters, a->nf, err))
      return err->status;
  } else if (thema_dtm_read(*d, *st, a->filters, a->nf, err)) {
    return err->status;
  }
  if (thema_dtm_nsegments(*d) == 0)
    return thema_error_set(err, THEMA_EINPUT,
                           "%s: no segments match the selection; check --where/--except "
                           "(thema stats shows what the store holds)",
                           a->cmd);
  thema_dtm_finish(*d);
  return THEMA_OK;
}

/* --- tables ------------------------------------------------------------------ */

/* Cells of a table, row by row, printed aligned or as CSV. */
typedef struct Table {
  int ncols;    /* columns */
  char **cells; /* nrows * ncols, owned */
  size_t ncells, cap;
} Table;

static void cell(Table *t, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void cell(Table *t, const char *fmt, ...) {
  ThemaBuf b = {0};
  va_list ap;
  va_start(ap, fmt);
  char small[256];
  int n = vsnprintf(small, sizeof small, fmt, ap);
  va_end(ap);
  if (n >= (int)sizeof small) {
    va_start(ap, fmt);
    char *big = thema_xmalloc((size_t)n + 1);
    vsnprintf(big, (size_t)n + 1, fmt, ap);
    va_end(ap);
    thema_buf_puts(&b, big);
    free(big);
  } else {
    thema_buf_puts(&b, small);
  }
  if (t->ncells == t->cap) {
    t->cap = t->cap ? t->cap * 2 : 256;
    t->cells = thema_xrealloc(t->cells, t->cap * sizeof *t->cells);
  }
  t->cells[t->ncells++] = thema_xstrdup(thema_buf_str(&b));
  thema_buf_free(&b);
}

static void table_print(Table *t, int csv) {
  size_t nrows = t->ncells / (size_t)t->ncols;
  size_t *w = thema_xcalloc((size_t)t->ncols, sizeof *w);
  if (!csv)
    for (size_t i = 0; i < t->ncells; i++) {
      size_t cw = thema_utf8_count(t->cells[i], strlen(t->cells[i]));
      if (cw > w[i % (size_t)t->ncols]) w[i % (size_t)t->ncols] = cw;
    }
  ThemaBuf out = {0};
  for (size_t r = 0; r < nrows; r++) {
    for (int c = 0; c < t->ncols; c++) {
      const char *s = t->cells[r * (size_t)t->ncols + (size_t)c];
      if (csv) {
        if (c) thema_buf_putc(&out, ',');
        thema_csv_quote(&out, s, strlen(s), ',');
      } else {
        if (c) thema_buf_puts(&out, "  ");
        thema_buf_puts(&out, s);
        if (c + 1 < t->ncols)
          for (size_t k = thema_utf8_count(s, strlen(s)); k < w[c]; k++)
            thema_buf_putc(&out, ' ');
      }
    }
    thema_buf_putc(&out, '\n');
    thema_buf_flush(&out, stdout, 1 << 16);
  }
  thema_buf_flush(&out, stdout, 0);
  thema_buf_free(&out);
  free(w);
}

static void table_free(Table *t) {
  for (size_t i = 0; i < t->ncells; i++) free(t->cells[i]);
  free(t->cells);
}

static void header(Table *t, const char *const *names) {
  t->ncols = 0;
  for (const char *const *n = names; *n; n++) t->ncols++;
  for (const char *const *n = names; *n; n++) cell(t, "%s", *n);
}

static void kwic_cell(Table *t, const ThemaDtm *d, uint32_t term) {
  ThemaBuf p = {0};
  thema_corpus_kwic_pattern(d, term, &p);
  cell(t, "%s", thema_buf_str(&p));
  thema_buf_free(&p);
}

static void freq_rows(Table *t, const ThemaDtm *d, const CorpusArgs *a, const char *group,
                      const int64_t *counts, const int64_t *docs) {
  ThemaFreqRow *rows;
  int64_t n;
  thema_corpus_freq(d, counts, docs, a->min_count, a->limit, &rows, &n);
  for (int64_t i = 0; i < n; i++) {
    ThemaTerm term;
    thema_dtm_term(d, rows[i].term, &term);
    if (a->by) cell(t, "%s", group);
    cell(t, "%s", term.label);
    cell(t, "%d", term.n);
    cell(t, "%lld", (long long)rows[i].count);
    cell(t, "%.3f", rows[i].per_1000);
    cell(t, "%lld", (long long)rows[i].docs);
    if (a->o.stem) cell(t, "%s", term.key);
  }
  free(rows);
}

int thema_cmd_freq(ThemaCli *cli, int argc, char **argv, ThemaError *err) {
  CorpusArgs a = {.cmd = "freq", .min_count = 1, .limit = 50};
  thema_dtm_defaults(&a.o);
  ThemaStore *st = NULL;
  ThemaDtm *d = NULL;
  Table t = {0};
  int64_t *counts = NULL, *docs = NULL;
  if (parse(&a, argc, argv, err)) goto done;
  a.o.keep_rows = a.by != NULL;
  if (count(cli, &a, &st, &d, err)) goto done;
  const char *cols[] = {"group",    "term",     "n",    "count",
                        "per_1000", "segments", "stem", NULL};
  header(&t, a.by ? cols : cols + 1);
  if (!a.o.stem) { /* no stem column */
    free(t.cells[--t.ncells]);
    t.ncols--;
  }
  if (!a.by) {
    freq_rows(&t, d, &a, NULL, NULL, NULL);
  } else {
    int ng = thema_dtm_ngroups(d);
    uint32_t nt = thema_dtm_nterms(d);
    counts = thema_xmalloc((nt ? nt : 1) * sizeof *counts);
    docs = thema_xmalloc((nt ? nt : 1) * sizeof *docs);
    /* groups in label order, as the grouping lists them */
    char **labels = thema_xmalloc((size_t)(ng ? ng : 1) * sizeof *labels);
    for (int g = 0; g < ng; g++) labels[g] = (char *)thema_dtm_group_label(d, g);
    qsort(labels, (size_t)ng, sizeof *labels, thema_cmp_str);
    for (int g = 0; g < ng; g++) {
      thema_dtm_group_counts(d, thema_dtm_group_find(d, labels[g]), counts, docs);
      freq_rows(&t, d, &a, labels[g], counts, docs);
    }
    free(labels);
  }
  table_print(&t, a.csv);
done:
  free(counts);
  free(docs);
  table_free(&t);
  thema_dtm_free(d);
  thema_vocab_free(a.leave_out);
  thema_store_close(st);
  return err->status;
}

/* An input error for a group the grouping does not have in the selection. */
static int no_group(const ThemaDtm *d, const CorpusArgs *a, const char *label,
                    ThemaError *err) {
  ThemaBuf known = {0};
  int ng = thema_dtm_ngroups(d);
  char **labels = thema_xmalloc((size_t)(ng ? ng : 1) * sizeof *labels);
  for (int g = 0; g < ng; g++) labels[g] = (char *)thema_dtm_group_label(d, g);
  qsort(labels, (size_t)ng, sizeof *labels, thema_cmp_str);
  for (int g = 0; g < ng && known.len < 1500; g++)
    thema_buf_printf(&known, "%s%s", g ? ", " : "", labels[g]);
  free(labels);
  thema_error_set(err, THEMA_EINPUT,
                  "keyness: no group '%s' under --by %s in the selection (have: %s)", label,
                  a->by, ng ? thema_buf_str(&known) : "none");
  thema_buf_free(&known);
  return err->status;
}

int thema_cmd_keyness(ThemaCli *cli, int argc, char **argv, ThemaError *err) {
  CorpusArgs a = {.cmd = "keyness", .min_count = 3, .limit = 50};
  thema_dtm_defaults(&a.o);
  ThemaStore *st = NULL;
  ThemaDtm *d = NULL;
  ThemaKeyRow *rows = NULL;
  Table t = {0};
  if (parse(&a, argc, argv, err)) goto done;
  if (!a.by || !a.group) {
    thema_error_set(
        err, THEMA_EUSAGE,
        "usage: thema keyness --by GROUPING --group X [--against Y] (GROUPING: %s)",
        thema_grouping_kinds);
    goto done;
  }
  a.o.keep_rows = 1;
  if (count(cli, &a, &st, &d, err)) goto done;
  int target = thema_dtm_group_find(d, a.group), against = THEMA_CORPUS_REST;
  if (target < 0) {
    no_group(d, &a, a.group, err);
    goto done;
  }
  if (a.against && (against = thema_dtm_group_find(d, a.against)) < 0) {
    no_group(d, &a, a.against, err);
    goto done;
  }
  int64_t n;
  if (thema_corpus_keyness(d, target, against, a.min_count, &rows, &n, err)) goto done;
  const char *cols[] = {"term",
                        "n",
                        "target",
                        "reference",
                        "target_per_1000",
                        "reference_per_1000",
                        "g2",
                        "log_ratio",
                        "p",
                        "kwic",
                        NULL};
  header(&t, cols);
  int64_t shown = a.limit > 0 && n > a.limit ? a.limit : n;
  for (int64_t i = 0; i < shown; i++) {
    ThemaTerm term;
    const ThemaKeyness *k = &rows[i].k;
    thema_dtm_term(d, rows[i].term, &term);
    cell(&t, "%s", term.label);
    cell(&t, "%d", term.n);
    cell(&t, "%lld", (long long)k->a);
    cell(&t, "%lld", (long long)k->b);
    cell(&t, "%.3f", 1000.0 * (double)k->a / (double)k->n1);
    cell(&t, "%.3f", 1000.0 * (double)k->b / (double)k->n2);
    cell(&t, "%.3f", k->g2);
    cell(&t, "%.3f", k->log_ratio);
    cell(&t, "%.3g", k->p);
    kwic_cell(&t, d, rows[i].term);
  }
  if (!a.csv)
    printf("%s against %s (--by %s): %lld terms with at least %lld occurrences; G2 > 0: "
           "more in %s\n",
           a.group, a.against ? a.against : "the rest", a.by, (long long)n,
           (long long)a.min_count, a.group);
  table_print(&t, a.csv);
  if (!a.csv && shown > 0)
    printf("follow a row: thema kwic '<kwic>' (e.g. thema kwic '%s')\n",
           t.cells[(size_t)t.ncols * 2 - 1]);
done:
  free(rows);
  table_free(&t);
  thema_dtm_free(d);
  thema_vocab_free(a.leave_out);
  thema_store_close(st);
  return err->status;
}

int thema_cmd_collocations(ThemaCli *cli, int argc, char **argv, ThemaError *err) {
  CorpusArgs a = {.cmd = "collocations", .min_count = 3, .limit = 50};
  thema_dtm_defaults(&a.o);
  ThemaStore *st = NULL;
  ThemaDtm *d = NULL;
  ThemaCollocRow *rows = NULL;
  Table t = {0};
  if (parse(&a, argc, argv, err)) goto done;
  a.o.pairs = 1;
  if (count(cli, &a, &st, &d, err)) goto done;
  int64_t n;
  thema_corpus_collocations(d, a.min_count, &rows, &n);
  const char *cols[] = {"first", "second", "count", "first_count", "second_count",
                        "pmi",   "npmi",   "g2",    NULL};
  header(&t, cols);
  int64_t shown = a.limit > 0 && n > a.limit ? a.limit : n;
  for (int64_t i = 0; i < shown; i++) {
    ThemaTerm x, y;
    thema_dtm_term(d, rows[i].x, &x);
    thema_dtm_term(d, rows[i].y, &y);
    cell(&t, "%s", x.label);
    cell(&t, "%s", y.label);
    cell(&t, "%lld", (long long)rows[i].count);
    cell(&t, "%lld", (long long)rows[i].x_first);
    cell(&t, "%lld", (long long)rows[i].y_second);
    cell(&t, "%.3f", rows[i].assoc.pmi);
    cell(&t, "%.3f", rows[i].assoc.npmi);
    cell(&t, "%.3f", rows[i].assoc.g2);
  }
  if (!a.csv)
    printf("%lld word pairs seen at least %lld times, of %lld adjacent pairs\n",
           (long long)n, (long long)a.min_count, (long long)thema_dtm_pair_total(d));
  table_print(&t, a.csv);
done:
  free(rows);
  table_free(&t);
  thema_dtm_free(d);
  thema_vocab_free(a.leave_out);
  thema_store_close(st);
  return err->status;
}
