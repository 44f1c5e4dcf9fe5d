/*
 * test_dtm.c — the segment × term counter (core/analysis/dtm.c) and its
 * tables (core/analysis/corpus.c) on texts added by hand, without a store:
 * rows, document frequencies, groups, stems shown by their most frequent
 * form, n-grams, pairs, and the option errors.
 */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/corpus.h"
#include "analysis/dtm.h"

static ThemaDtm *counter(ThemaDtmOptions *o) {
  ThemaDtm *d = NULL;
  ThemaError err = {0};
  cr_assert_eq(thema_dtm_new(o, &d, &err), THEMA_OK, "%s", err.msg);
  return d;
}

static void add(ThemaDtm *d, int64_t id, const char *text, const char *group) {
  size_t len = group ? strlen(group) : 0;
  thema_dtm_add(d, id, text, strlen(text), group ? &group : NULL, &len, group ? 1 : 0);
}

/* The id of the term whose key is key. */
static int64_t term(const ThemaDtm *d, const char *key) {
  for (uint32_t i = 0; i < thema_dtm_nterms(d); i++) {
    ThemaTerm t;
    thema_dtm_term(d, i, &t);
    if (strcmp(t.key, key) == 0) return i;
  }
  return -1;
}

Test(dtm, rows_counts_and_groups) {
  ThemaDtmOptions o;
  thema_dtm_defaults(&o);
  o.keep_rows = 1;
  o.pairs = 1;
  ThemaDtm *d = counter(&o);
  add(d, 10, "De raad van bestuur. Raad, euh, raad!", "A");
  add(d, 11, "Het bestuur beslist.", "B");
  add(d, 12, "Euh ja.", NULL);
  thema_dtm_finish(d);
  cr_assert_eq(thema_dtm_nsegments(d), 3);
  cr_assert_eq(thema_dtm_nrows(d), 3);
  int64_t raad = term(d, "raad"), bestuur = term(d, "bestuur");
  ThemaTerm t;
  thema_dtm_term(d, (uint32_t)raad, &t);
  cr_assert_eq(t.count, 3);
  cr_assert_eq(t.docs, 1);
  thema_dtm_term(d, (uint32_t)bestuur, &t);
  cr_assert_eq(t.count, 2);
  cr_assert_eq(t.docs, 2);
  cr_assert_eq(thema_dtm_tokens(d, 1), 6, "raad x3, bestuur x2, beslist");
  int64_t seg;
  const uint32_t *terms, *counts;
  int nnz;
  thema_dtm_row(d, 0, &seg, &terms, &counts, &nnz);
  cr_assert_eq(seg, 10);
  cr_assert_eq(nnz, 2);
  cr_assert(terms[0] < terms[1], "ids increase along a row");
  thema_dtm_row(d, 2, &seg, &terms, &counts, &nnz);
  cr_assert_eq(nnz, 0, "fillers only: an empty row");
  cr_assert_eq(thema_dtm_ngroups(d), 2);
  int a = thema_dtm_group_find(d, "A");
  cr_assert_eq(thema_dtm_group_segments(d, a), 1);
  cr_assert_eq(thema_dtm_group_find(d, "C"), -1);
  int64_t *gc = calloc(thema_dtm_nterms(d), sizeof *gc);
  int64_t *gd = calloc(thema_dtm_nterms(d), sizeof *gd);
  thema_dtm_group_counts(d, thema_dtm_group_find(d, "B"), gc, gd);
  cr_assert_eq(gc[raad], 0);
  cr_assert_eq(gc[bestuur], 1);
  cr_assert_eq(gd[bestuur], 1);
  thema_dtm_group_counts(d, -1, gc, NULL);
  cr_assert_eq(gc[bestuur], 0, "no term in the segment of no group");
  free(gc);
  free(gd);
  /* pairs: "bestuur beslist" only ("raad van bestuur" has a stop word
   * between; "raad, euh, raad" has boundaries) */
  cr_assert_eq(thema_dtm_pair_total(d), 1);
  uint32_t x, y;
  int64_t c, xf, ys;
  thema_dtm_pair(d, 0, &x, &y, &c, &xf, &ys);
  cr_assert_eq(x, (uint32_t)bestuur);
  cr_assert_eq(c, 1);
  /* keyness of A against the rest: raad 3 of 4 against 0 of 2 */
  ThemaKeyRow *rows;
  int64_t n;
  ThemaError err = {0};
  cr_assert_eq(thema_corpus_keyness(d, a, THEMA_CORPUS_REST, 1, &rows, &n, &err), THEMA_OK);
  cr_assert_eq(rows[0].term, (uint32_t)raad);
  cr_assert_eq(rows[0].k.a, 3);
  cr_assert_eq(rows[0].k.n1, 4);
  cr_assert_eq(rows[0].k.n2, 2);
  free(rows);
  cr_assert_eq(thema_corpus_keyness(d, a, a, 1, &rows, &n, &err), THEMA_EINPUT);
  thema_dtm_free(d);
}

Test(dtm, stems_and_ngrams) {
  ThemaDtmOptions o;
  thema_dtm_defaults(&o);
  o.stem = 1;
  o.ngram_min = 1;
  o.ngram_max = 2;
  ThemaDtm *d = counter(&o);
  add(d, 1, "samenwerking samenwerking samenwerken lokale besturen", NULL);
  add(d, 2, "lokaal bestuur", NULL);
  thema_dtm_finish(d);
  ThemaTerm t;
  thema_dtm_term(d, (uint32_t)term(d, "samenwerk"), &t);
  cr_assert_eq(t.count, 3);
  cr_assert_str_eq(t.label, "samenwerking", "the most frequent form");
  const char **forms;
  int nf = thema_dtm_surfaces(d, (uint32_t)term(d, "samenwerk"), &forms);
  cr_assert_eq(nf, 2);
  cr_assert_str_eq(forms[0], "samenwerken");
  free(forms);
  ThemaBuf p = {0};
  thema_corpus_kwic_pattern(d, (uint32_t)term(d, "samenwerk"), &p);
  cr_assert_str_eq(thema_buf_str(&p), "(?<!\\w)(?:samenwerken|samenwerking)(?!\\w)");
  thema_buf_free(&p);
  int64_t bigram = term(d, "lokal bestur");
  cr_assert_geq(bigram, 0);
  thema_dtm_term(d, (uint32_t)bigram, &t);
  cr_assert_eq(t.n, 2);
  cr_assert_eq(t.count, 2, "both spellings are one stemmed bigram");
  cr_assert_eq(t.docs, 2);
  ThemaFreqRow *rows;
  int64_t n;
  thema_corpus_freq(d, NULL, NULL, 2, 0, &rows, &n);
  cr_assert_eq(rows[0].term, (uint32_t)term(d, "samenwerk"));
  free(rows);
  thema_dtm_free(d);
}

Test(dtm, option_errors) {
  ThemaDtmOptions o;
  ThemaDtm *d = NULL;
  ThemaError err = {0};
  thema_dtm_defaults(&o);
  o.language = "klingon";
  cr_assert_eq(thema_dtm_new(&o, &d, &err), THEMA_EINPUT);
  cr_assert(strstr(err.msg, "unknown language 'klingon'"), "%s", err.msg);
  thema_error_clear(&err);
  o.language = "es";
  cr_assert_eq(thema_dtm_new(&o, &d, &err), THEMA_EINPUT, "no Spanish stop words");
  thema_error_clear(&err);
  o.stopwords = 0;
  o.fillers = 0;
  cr_assert_eq(thema_dtm_new(&o, &d, &err), THEMA_OK, "Spanish without lists is fine");
  thema_dtm_free(d);
  thema_dtm_defaults(&o);
  o.ngram_min = 3;
  o.ngram_max = 2;
  cr_assert_eq(thema_dtm_new(&o, &d, &err), THEMA_EINPUT);
  cr_assert_null(d);
}
