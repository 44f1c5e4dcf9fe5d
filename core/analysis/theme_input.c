/*
 * theme_input.c — selection, tokens and the TF-IDF matrix of a theme pass
 * (see theme_input.h).
 *
 * Memory: one hash of distinct surface forms (each stemmed once, when first
 * seen), one of terms, and the per-segment counts as a CSR built row by row;
 * the segment texts are never kept.
 */
#include "analysis/theme_input.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "text/rx.h"
#include "text/text.h"
#include "text/tokens.h"
#include "text/wordlists.h"

const char *const thema_theme_procedural_default =
    "^\\W*(ik (open|sluit|schors|heropen) de (vergadering|zitting|openbare zitting)"
    "|de (vergadering|zitting) (is|wordt) (geopend|gesloten|geschorst|hervat)"
    "|we (gaan over|stemmen|gaan stemmen) (tot de stemming|over)"
    "|wie is (er )?(voor|tegen)|wie onthoudt zich|(de )?stemming\\b"
    "|i (declare|call) the (meeting|sitting) (open|closed|to order)"
    "|the (meeting|sitting) is (open|closed|adjourned|suspended)"
    "|all (those )?in favou?r|the motion is (carried|adopted|rejected))";

/* A growing array of T. */
#define GROW(ptr, cap, need)                                                               \
  do {                                                                                     \
    if ((size_t)(need) > (cap)) {                                                          \
      size_t c_ = (cap) ? (cap) : 1024;                                                    \
      while (c_ < (size_t)(need)) c_ *= 2;                                                 \
      (ptr) = thema_xrealloc((ptr), c_ * sizeof *(ptr));                                   \
      (cap) = c_;                                                                          \
    }                                                                                      \
  } while (0)

static int in_list(const char *s, size_t n, const char *const *list, int count) {
  for (int i = 0; i < count; i++)
    if (strlen(list[i]) == n && memcmp(list[i], s, n) == 0) return 1;
  return 0;
}

/* Everything the pass accumulates before pruning. */
typedef struct Build {
  ThemaVocab *surfaces; /* folded surface forms */
  int32_t *surf_term;   /* per surface: its term, -1 when left out */
  int64_t *surf_count;  /* per surface: occurrences */
  size_t surf_cap;
  ThemaVocab *raw_terms; /* terms before pruning */
  int64_t *df;           /* per raw term */
  int32_t *last_row;     /* per raw term: the last row counting it */
  int32_t *slot;         /* per raw term: its place in the current row */
  size_t term_cap;
  /* the rows: raw term ids and counts */
  int64_t *rowptr;
  size_t row_cap;
  int32_t *col;
  double *val;
  size_t nz_cap;
  int64_t nnz;
  int32_t *seq; /* content tokens (raw terms), -1 between phrases */
  int64_t *seq_ptr;
  size_t seq_cap, seqptr_cap;
  int64_t nseq;
} Build;

/* The raw term of a folded surface form, interning both when new. */
static int32_t surface_term(Build *b, ThemaVocab *skip, ThemaStemmer *stemmer, int stem,
                            const char *f, size_t n) {
  int added = 0;
  uint32_t sid = thema_vocab_intern(b->surfaces, f, n, &added);
  if (added) {
    GROW(b->surf_term, b->surf_cap, (size_t)sid + 1);
    b->surf_count = thema_xrealloc(b->surf_count, b->surf_cap * sizeof *b->surf_count);
    b->surf_count[sid] = 0;
    int32_t term = -1;
    if (thema_vocab_find(skip, f, n) < 0) {
      const char *t = f;
      size_t tn = n;
      if (stem && stemmer) t = thema_text_stemmer_stem(stemmer, f, n, &tn);
      int tadded = 0;
      uint32_t tid = thema_vocab_intern(b->raw_terms, t, tn, &tadded);
      if (tadded) {
        size_t old = b->term_cap;
        GROW(b->df, b->term_cap, (size_t)tid + 1);
        if (b->term_cap != old) {
          b->last_row = thema_xrealloc(b->last_row, b->term_cap * sizeof *b->last_row);
          b->slot = thema_xrealloc(b->slot, b->term_cap * sizeof *b->slot);
        }
        b->df[tid] = 0;
        b->last_row[tid] = -1;
      }
      term = (int32_t)tid;
    }
    b->surf_term[sid] = term;
  }
  b->surf_count[sid]++;
  return b->surf_term[sid];
}

static const int64_t *sort_ids; /* the ids the comparator reads (single-threaded use) */
static int by_segment_id(const void *a, const void *b) {
  int64_t x = sort_ids[*(const int32_t *)a], y = sort_ids[*(const int32_t *)b];
  return (x > y) - (x < y);
}

int thema_theme_input_read(ThemaCursor *cur, const ThemaSelectRule *rule,
                           const ThemaTermOptions *opt, ThemaThemeInput *out,
                           ThemaError *err) {
  memset(out, 0, sizeof *out);
  const char *lang = thema_lang_canonical(opt->language ? opt->language : "dutch");
  if (!lang)
    return thema_error_set(err, THEMA_EUSAGE, "unknown language '%s'; known: %s",
                           opt->language, thema_lang_known());
  int status = THEMA_OK;
  Build b = {0};
  ThemaRx *proc = NULL;
  ThemaStemmer *stemmer = opt->stem ? thema_text_stemmer_new(lang) : NULL;
  ThemaVocab *skip = thema_vocab_new();
  ThemaBuf fold = {0}, key = {0};
  size_t row_cap = 0, meta_cap = 0;
  const char *const *sw = thema_wordlist_stopwords(lang);
  const char *const *fl = thema_wordlist_fillers(lang);
  if (sw) thema_wordlist_add(skip, sw);
  if (fl) thema_wordlist_add(skip, fl);
  if (opt->extra_words) thema_wordlist_add(skip, opt->extra_words);
  for (int i = 0; i < opt->nword_files; i++)
    if (thema_wordlist_read(skip, opt->word_files[i], err)) {
      status = err->status;
      goto done;
    }
  if (rule->procedural && *rule->procedural) {
    proc = thema_rx_compile(rule->procedural, THEMA_RX_CASELESS, "procedural pattern", err);
    if (!proc) {
      status = err->status ? err->status : THEMA_EINPUT;
      goto done;
    }
  }
  b.surfaces = thema_vocab_new();
  b.raw_terms = thema_vocab_new();
  out->sources = thema_vocab_new();
  out->speakers = thema_vocab_new();
  int c_id = thema_cursor_column(cur, "id"), c_src = thema_cursor_column(cur, "source");
  int c_spk = thema_cursor_column(cur, "speaker"),
      c_role = thema_cursor_column(cur, "role");
  int c_text = thema_cursor_column(cur, "text");
  GROW(b.rowptr, b.row_cap, 1);
  b.rowptr[0] = 0;
  GROW(b.seq_ptr, b.seqptr_cap, 1);
  b.seq_ptr[0] = 0;
  int32_t row = 0;
  for (;;) {
    int r = thema_cursor_step(cur, err);
    if (r < 0) {
      status = err->status;
      goto done;
    }
    if (r == 0) break;
    out->counts_by.read++;
    size_t ln = 0, rn = 0, tn = 0;
    const char *label = thema_cursor_text(cur, c_spk, &ln);
    if (thema_cursor_type(cur, c_spk) != THEMA_VALUE_NULL &&
        in_list(label, ln, rule->exclude_speakers, rule->nexclude_speakers)) {
      out->counts_by.speaker++;
      continue;
    }
    const char *role = thema_cursor_text(cur, c_role, &rn);
    if (thema_cursor_type(cur, c_role) != THEMA_VALUE_NULL &&
        in_list(role, rn, rule->exclude_roles, rule->nexclude_roles)) {
      out->counts_by.role++;
      continue;
    }
    const char *text = thema_cursor_text(cur, c_text, &tn);
    if (proc) {
      PCRE2_SIZE *ov;
      int m = thema_rx_match(proc, text, tn, 0, &ov, err);
      if (m < 0) {
        status = err->status;
        goto done;
      }
      if (m > 0) {
        out->counts_by.procedural++;
        continue;
      }
    }
    /* tokens of this turn, counted into a provisional row */
    int64_t row_start = b.nnz, seq_start = b.nseq;
    int content = 0;
    ThemaTokenScan sc;
    ThemaToken tok;
    thema_tokens_begin(&sc, text, tn);
    int gap = 1;
    while (thema_tokens_next(&sc, &tok)) {
      if (tok.boundary) gap = 1;
      if (tok.kind != THEMA_TOKEN_WORD || tok.stop - tok.start < 2) {
        gap = 1;
        continue;
      }
      thema_buf_reset(&fold);
      thema_tokens_fold(&fold, text + tok.bstart, tok.bstop - tok.bstart);
      int32_t t =
          surface_term(&b, skip, stemmer, opt->stem, thema_buf_str(&fold), fold.len);
      if (t < 0) {
        gap = 1;
        continue;
      }
      content++;
      if (gap && b.nseq > seq_start) {
        GROW(b.seq, b.seq_cap, b.nseq + 1);
        b.seq[b.nseq++] = -1;
      }
      gap = 0;
      GROW(b.seq, b.seq_cap, b.nseq + 1);
      b.seq[b.nseq++] = t;
      if (b.last_row[t] == row) {
        b.val[b.slot[t]] += 1;
      } else {
        GROW(b.col, b.nz_cap, b.nnz + 1);
        b.val = thema_xrealloc(b.val, b.nz_cap * sizeof *b.val);
        b.last_row[t] = row;
        b.slot[t] = (int32_t)(b.nnz - 0);
        b.col[b.nnz] = t;
        b.val[b.nnz] = 1;
        b.nnz++;
      }
    }
    if (content < rule->min_words) { /* too short: undo the row */
      for (int64_t p = row_start; p < b.nnz; p++) b.last_row[b.col[p]] = -1;
      b.nnz = row_start;
      b.nseq = seq_start;
      out->counts_by.short_turns++;
      continue;
    }
    for (int64_t p = row_start; p < b.nnz; p++) b.df[b.col[p]]++;
    GROW(b.rowptr, b.row_cap, (size_t)row + 2);
    b.rowptr[row + 1] = b.nnz;
    GROW(b.seq_ptr, b.seqptr_cap, (size_t)row + 2);
    b.seq_ptr[row + 1] = b.nseq;
    size_t need = (size_t)row + 1;
    if (need > meta_cap) {
      meta_cap = meta_cap ? meta_cap * 2 : 1024;
      out->segment_id = thema_xrealloc(out->segment_id, meta_cap * sizeof *out->segment_id);
      out->source = thema_xrealloc(out->source, meta_cap * sizeof *out->source);
      out->speaker = thema_xrealloc(out->speaker, meta_cap * sizeof *out->speaker);
    }
    size_t sn = 0;
    const char *src = thema_cursor_text(cur, c_src, &sn);
    out->segment_id[row] = thema_cursor_int(cur, c_id);
    out->source[row] = (int32_t)thema_vocab_intern(out->sources, src, sn, NULL);
    if (thema_cursor_type(cur, c_spk) == THEMA_VALUE_NULL) {
      out->speaker[row] = -1;
    } else {
      thema_buf_reset(&key);
      thema_buf_append(&key, src, sn);
      thema_buf_putc(&key, '\x1f');
      thema_buf_append(&key, label, ln);
      out->speaker[row] =
          (int32_t)thema_vocab_intern(out->speakers, key.data, key.len, NULL);
    }
    row++;
  }
  (void)row_cap;
  out->n = row;
  out->counts_by.kept = row;

  /* prune: min_df <= df <= max_df * n; columns renumbered in term order */
  uint32_t nraw = thema_vocab_size(b.raw_terms);
  int32_t *newcol = thema_xmalloc(((size_t)nraw + 1) * sizeof *newcol);
  double max_df = opt->max_df > 0 && opt->max_df <= 1 ? opt->max_df : 1;
  int64_t lo = opt->min_df > 1 ? opt->min_df : 1;
  double hi = max_df * row;
  int32_t m = 0;
  out->terms = thema_vocab_new();
  for (uint32_t t = 0; t < nraw; t++) {
    if (b.df[t] >= lo && (double)b.df[t] <= hi + 1e-9) {
      size_t len;
      const char *s = thema_vocab_str(b.raw_terms, t, &len);
      thema_vocab_intern(out->terms, s, len, NULL);
      newcol[t] = m++;
    } else {
      newcol[t] = -1;
    }
  }
  out->df = thema_xcalloc((size_t)m + 1, sizeof *out->df);
  for (uint32_t t = 0; t < nraw; t++)
    if (newcol[t] >= 0) out->df[newcol[t]] = b.df[t];
  /* surface forms: the most frequent surface of each kept term (ties: the
   * first in byte order) */
  out->surface = thema_xcalloc((size_t)m + 1, sizeof *out->surface);
  int64_t *best = thema_xcalloc((size_t)m + 1, sizeof *best);
  for (uint32_t s = 0; s < thema_vocab_size(b.surfaces); s++) {
    int32_t t = b.surf_term[s];
    if (t < 0 || newcol[t] < 0) continue;
    int32_t c = newcol[t];
    const char *form = thema_vocab_str(b.surfaces, s, NULL);
    if (b.surf_count[s] > best[c] ||
        (b.surf_count[s] == best[c] && strcmp(form, out->surface[c]) < 0)) {
      free(out->surface[c]);
      out->surface[c] = thema_xstrdup(form);
      best[c] = b.surf_count[s];
    }
  }
  free(best);
  /* the pruned matrices: counts, then TF-IDF; columns sorted within rows */
  ThemaCsr *C = &out->counts, *T = &out->tfidf;
  C->nrows = T->nrows = row;
  C->ncols = T->ncols = m;
  C->rowptr = thema_xmalloc(((size_t)row + 1) * sizeof *C->rowptr);
  int64_t kept_nz = 0;
  for (int64_t p = 0; p < b.nnz; p++) kept_nz += newcol[b.col[p]] >= 0;
  C->col = thema_xmalloc((size_t)(kept_nz ? kept_nz : 1) * sizeof *C->col);
  C->val = thema_xmalloc((size_t)(kept_nz ? kept_nz : 1) * sizeof *C->val);
  int64_t at = 0;
  C->rowptr[0] = 0;
  for (int32_t i = 0; i < row; i++) {
    int64_t start = at;
    for (int64_t p = b.rowptr[i]; p < b.rowptr[i + 1]; p++) {
      int32_t c = newcol[b.col[p]];
      if (c < 0) continue;
      /* insertion into the sorted row: rows are short */
      int64_t q = at++;
      while (q > start && C->col[q - 1] > c) {
        C->col[q] = C->col[q - 1];
        C->val[q] = C->val[q - 1];
        q--;
      }
      C->col[q] = c;
      C->val[q] = b.val[p];
    }
    C->rowptr[i + 1] = at;
  }
  T->rowptr = thema_xmalloc(((size_t)row + 1) * sizeof *T->rowptr);
  memcpy(T->rowptr, C->rowptr, ((size_t)row + 1) * sizeof *T->rowptr);
  T->col = thema_xmalloc((size_t)(kept_nz ? kept_nz : 1) * sizeof *T->col);
  memcpy(T->col, C->col, (size_t)kept_nz * sizeof *T->col);
  T->val = thema_xmalloc((size_t)(kept_nz ? kept_nz : 1) * sizeof *T->val);
  for (int64_t p = 0; p < kept_nz; p++)
    T->val[p] = C->val[p] * (log((1.0 + row) / (1.0 + (double)out->df[C->col[p]])) + 1.0);
  thema_csr_normalise_rows(T);
  /* token sequences in the new columns; a dropped term breaks the phrase */
  out->seq = thema_xmalloc((size_t)(b.nseq ? b.nseq : 1) * sizeof *out->seq);
  out->seq_ptr = thema_xmalloc(((size_t)row + 1) * sizeof *out->seq_ptr);
  out->seq_ptr[0] = 0;
  int64_t sq = 0;
  for (int32_t i = 0; i < row; i++) {
    for (int64_t p = b.seq_ptr[i]; p < b.seq_ptr[i + 1]; p++)
      out->seq[sq++] = b.seq[p] < 0 ? -1 : newcol[b.seq[p]];
    out->seq_ptr[i + 1] = sq;
  }
  free(newcol);
  out->by_id = thema_xmalloc(((size_t)row + 1) * sizeof *out->by_id);
  for (int32_t i = 0; i < row; i++) out->by_id[i] = i;
  sort_ids = out->segment_id;
  qsort(out->by_id, (size_t)row, sizeof *out->by_id, by_segment_id);
  sort_ids = NULL;
done:
  thema_rx_free(proc);
  thema_text_stemmer_free(stemmer);
  thema_vocab_free(skip);
  thema_vocab_free(b.surfaces);
  thema_vocab_free(b.raw_terms);
  free(b.surf_term);
  free(b.surf_count);
  free(b.df);
  free(b.last_row);
  free(b.slot);
  free(b.rowptr);
  free(b.col);
  free(b.val);
  free(b.seq);
  free(b.seq_ptr);
  thema_buf_free(&fold);
  thema_buf_free(&key);
  if (status) thema_theme_input_free(out);
  return status;
}

void thema_theme_input_free(ThemaThemeInput *in) {
  free(in->segment_id);
  free(in->source);
  free(in->speaker);
  thema_vocab_free(in->sources);
  thema_vocab_free(in->speakers);
  thema_csr_free(&in->tfidf);
  thema_csr_free(&in->counts);
  if (in->surface) {
    uint32_t m = in->terms ? thema_vocab_size(in->terms) : 0;
    for (uint32_t j = 0; j < m; j++) free(in->surface[j]);
  }
  free(in->surface);
  thema_vocab_free(in->terms);
  free(in->df);
  free(in->seq);
  free(in->seq_ptr);
  free(in->by_id);
  memset(in, 0, sizeof *in);
}

int32_t thema_theme_input_row(const ThemaThemeInput *in, int64_t segment_id) {
  int32_t lo = 0, hi = in->n - 1;
  while (lo <= hi) {
    int32_t mid = lo + (hi - lo) / 2;
    int64_t v = in->segment_id[in->by_id[mid]];
    if (v == segment_id) return in->by_id[mid];
    if (v < segment_id)
      lo = mid + 1;
    else
      hi = mid - 1;
  }
  return -1;
}
