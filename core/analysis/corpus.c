/*
 * corpus.c — the tables of corpus.h: filter, score with analysis/keyness,
 * sort with a total order (ties broken by label bytes) so that the same
 * counts always give the same rows.
 */
#include "analysis/corpus.h"

#include <stdlib.h>
#include <string.h>

/* qsort has no context argument: the dtm being sorted. */
static const ThemaDtm *sort_dtm;

static int cmp_labels(uint32_t a, uint32_t b) {
  ThemaTerm ta, tb;
  thema_dtm_term(sort_dtm, a, &ta);
  thema_dtm_term(sort_dtm, b, &tb);
  int c = strcmp(ta.label, tb.label);
  return c ? c : strcmp(ta.key, tb.key);
}

static int cmp_freq(const void *pa, const void *pb) {
  const ThemaFreqRow *a = pa, *b = pb;
  if (a->count != b->count) return a->count > b->count ? -1 : 1;
  return cmp_labels(a->term, b->term);
}

void thema_corpus_freq(const ThemaDtm *d, const int64_t *counts, const int64_t *docs,
                       int64_t min_count, int64_t limit, ThemaFreqRow **rows,
                       int64_t *nrows) {
  uint32_t nt = thema_dtm_nterms(d);
  int64_t tokens[THEMA_NGRAM_MAX + 1] = {0};
  for (uint32_t i = 0; i < nt; i++) {
    ThemaTerm t;
    thema_dtm_term(d, i, &t);
    tokens[t.n] += counts ? counts[i] : t.count;
  }
  ThemaFreqRow *out = thema_xmalloc((nt ? nt : 1) * sizeof *out);
  int64_t n = 0;
  if (min_count < 1) min_count = 1;
  for (uint32_t i = 0; i < nt; i++) {
    ThemaTerm t;
    thema_dtm_term(d, i, &t);
    int64_t c = counts ? counts[i] : t.count;
    if (c < min_count) continue;
    out[n].term = i;
    out[n].count = c;
    out[n].docs = docs ? docs[i] : t.docs;
    out[n].per_1000 = 1000.0 * (double)c / (double)tokens[t.n];
    n++;
  }
  sort_dtm = d;
  qsort(out, (size_t)n, sizeof *out, cmp_freq);
  if (limit > 0 && n > limit) n = limit;
  *rows = out;
  *nrows = n;
}

static int cmp_key(const void *pa, const void *pb) {
  const ThemaKeyRow *a = pa, *b = pb;
  if (a->k.g2 != b->k.g2) return a->k.g2 > b->k.g2 ? -1 : 1;
  return cmp_labels(a->term, b->term);
}

int thema_corpus_keyness(const ThemaDtm *d, int target, int against, int64_t min_count,
                         ThemaKeyRow **rows, int64_t *nrows, ThemaError *err) {
  *rows = NULL;
  *nrows = 0;
  int ng = thema_dtm_ngroups(d);
  if (target < 0 || target >= ng ||
      (against != THEMA_CORPUS_REST && (against < 0 || against >= ng)))
    return thema_error_set(err, THEMA_EINPUT, "keyness: no such group");
  if (target == against)
    return thema_error_set(err, THEMA_EINPUT,
                           "keyness: group '%s' against itself; give another group or none "
                           "(the rest)",
                           thema_dtm_group_label(d, target));
  uint32_t nt = thema_dtm_nterms(d);
  int64_t *a = thema_xmalloc((nt ? nt : 1) * sizeof *a);
  int64_t *b = thema_xmalloc((nt ? nt : 1) * sizeof *b);
  thema_dtm_group_counts(d, target, a, NULL);
  if (against == THEMA_CORPUS_REST) {
    for (uint32_t i = 0; i < nt; i++) {
      ThemaTerm t;
      thema_dtm_term(d, i, &t);
      b[i] = t.count - a[i];
    }
  } else {
    thema_dtm_group_counts(d, against, b, NULL);
  }
  int64_t n1[THEMA_NGRAM_MAX + 1] = {0}, n2[THEMA_NGRAM_MAX + 1] = {0};
  int *lens = thema_xmalloc((nt ? nt : 1) * sizeof *lens);
  for (uint32_t i = 0; i < nt; i++) {
    ThemaTerm t;
    thema_dtm_term(d, i, &t);
    lens[i] = t.n;
    n1[t.n] += a[i];
    n2[t.n] += b[i];
  }
  int64_t s1 = 0, s2 = 0;
  for (int k = 1; k <= THEMA_NGRAM_MAX; k++) {
    s1 += n1[k];
    s2 += n2[k];
  }
  int rc = THEMA_OK;
  if (s1 == 0 || s2 == 0) {
    rc = thema_error_set(err, THEMA_EINPUT,
                         "keyness: no counted terms in %s; choose groups that have text",
                         s1 == 0 ? "the target group" : "the reference");
    goto done;
  }
  ThemaKeyRow *out = thema_xmalloc((nt ? nt : 1) * sizeof *out);
  int64_t n = 0;
  if (min_count < 1) min_count = 1;
  for (uint32_t i = 0; i < nt; i++) {
    if (a[i] + b[i] < min_count) continue;
    out[n].term = i;
    thema_keyness(a[i], b[i], n1[lens[i]], n2[lens[i]], &out[n].k);
    n++;
  }
  sort_dtm = d;
  qsort(out, (size_t)n, sizeof *out, cmp_key);
  *rows = out;
  *nrows = n;
done:
  free(a);
  free(b);
  free(lens);
  return rc;
}

static int cmp_colloc(const void *pa, const void *pb) {
  const ThemaCollocRow *a = pa, *b = pb;
  if (a->assoc.g2 != b->assoc.g2) return a->assoc.g2 > b->assoc.g2 ? -1 : 1;
  if (a->count != b->count) return a->count > b->count ? -1 : 1;
  int c = cmp_labels(a->x, b->x);
  return c ? c : cmp_labels(a->y, b->y);
}

void thema_corpus_collocations(const ThemaDtm *d, int64_t min_count, ThemaCollocRow **rows,
                               int64_t *nrows) {
  int64_t np = thema_dtm_npairs(d), total = thema_dtm_pair_total(d);
  ThemaCollocRow *out = thema_xmalloc((size_t)(np ? np : 1) * sizeof *out);
  int64_t n = 0;
  if (min_count < 1) min_count = 1;
  for (int64_t i = 0; i < np; i++) {
    ThemaCollocRow *r = &out[n];
    thema_dtm_pair(d, i, &r->x, &r->y, &r->count, &r->x_first, &r->y_second);
    if (r->count < min_count) continue;
    thema_assoc(r->count, r->x_first, r->y_second, total, &r->assoc);
    n++;
  }
  sort_dtm = d;
  qsort(out, (size_t)n, sizeof *out, cmp_colloc);
  *rows = out;
  *nrows = n;
}

/* Append word w[0..n) with PCRE2's metacharacters escaped and apostrophes
 * and hyphens written as classes of their spellings. */
static void put_literal(ThemaBuf *out, const char *w, size_t n) {
  for (size_t i = 0; i < n; i++) {
    char c = w[i];
    if (c == '\'')
      thema_buf_puts(out, "['\xe2\x80\x99\xe2\x80\x98]");
    else if (c == '-')
      thema_buf_puts(out, "[-\xe2\x80\x90\xe2\x80\x91]");
    else {
      if (strchr("\\^$.|?*+()[]{}/#", c)) thema_buf_putc(out, '\\');
      thema_buf_putc(out, c);
    }
  }
}

void thema_corpus_kwic_pattern(const ThemaDtm *d, uint32_t term, ThemaBuf *out) {
  const char **forms;
  int n = thema_dtm_surfaces(d, term, &forms);
  thema_buf_puts(out, n > 1 ? "(?<!\\w)(?:" : "(?<!\\w)");
  for (int i = 0; i < n; i++) {
    if (i) thema_buf_putc(out, '|');
    for (const char *w = forms[i]; *w;) {
      size_t k = strcspn(w, " ");
      put_literal(out, w, k);
      w += k;
      if (*w == ' ') {
        thema_buf_puts(out, "\\s+");
        w++;
      }
    }
  }
  thema_buf_puts(out, n > 1 ? ")(?!\\w)" : "(?!\\w)");
  free(forms);
}
