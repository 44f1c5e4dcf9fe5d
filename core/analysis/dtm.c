/*
 * dtm.c — the counts of dtm.h. Each distinct folded surface form is looked
 * at once (stop and filler lists, stem, key) and its verdict cached by its
 * id, so the per-token work is a fold and one hash probe. A segment's term
 * ids are gathered, sorted and run-length coded into its row; document
 * frequencies come from the same runs. Pairs are keyed by the two term ids
 * as 8 bytes in a vocabulary of their own.
 */
#include "analysis/dtm.h"

#include <stdlib.h>
#include <string.h>

#include "text/text.h"
#include "text/tokens.h"
#include "text/wordlists.h"

enum { NOT_COUNTED = 1 }; /* SurfaceInfo.flags */

typedef struct SurfaceInfo {
  uint32_t key; /* the term id of its key */
  int flags;    /* NOT_COUNTED: left out as a word (still inside n-grams) */
} SurfaceInfo;

struct ThemaDtm {
  ThemaDtmOptions o;       /* the options, copied */
  ThemaStemmer *stemmer;   /* with o.stem */
  ThemaVocab *stop;        /* the folded words left out */
  ThemaVocab *surfaces;    /* folded surface forms (and n-gram surfaces with stems) */
  SurfaceInfo *sinfo;      /* per surface */
  int64_t *scount;         /* per surface: counted occurrences */
  size_t scap;             /* room in sinfo, scount */
  ThemaVocab *keys;        /* the terms' keys: term ids */
  int *kn;                 /* per term: words in it */
  int64_t *kcount, *kdocs; /* per term: occurrences, segments */
  uint32_t *klabel;        /* per term: the surface id shown (after finish) */
  uint32_t *kfirst;        /* per term: its first surface form (after finish) */
  uint32_t *snext;         /* per surface: the next of the same term (after finish) */
  size_t kcap;             /* room in the per-term arrays */
  int64_t tokens[THEMA_NGRAM_MAX + 1]; /* counted occurrences per term length */
  int64_t nsegments;                   /* segments added */
  ThemaVocab *groups;                  /* group labels */
  int64_t *gsegments;                  /* per group: segments */
  int gcap;                            /* room in gsegments */
  /* rows (keep_rows): CSR */
  int64_t *row_start;    /* nrows + 1 entries */
  int64_t *row_seg;      /* per row: the segment id */
  int64_t *row_gstart;   /* nrows + 1 entries into gids */
  int64_t nrows, rcap;   /* rows, room */
  uint32_t *col, *val;   /* the entries */
  int64_t nnz, ncap;     /* entries, room */
  int32_t *gids;         /* the groups of each row */
  int64_t ngids, gidcap; /* group entries, room */
  /* pairs */
  ThemaVocab *pairs;       /* 8-byte keys: first term, second term */
  int64_t *pcount;         /* per pair */
  size_t pcap;             /* room in pcount */
  int64_t *first, *second; /* per term: pairs with it first, second (sized kcap) */
  int64_t pair_total;      /* all pairs */
  /* scratch */
  uint32_t *doc;       /* the current segment's distinct term ids, first seen first */
  uint32_t *doccount;  /* their counts in it */
  uint32_t *docsorted; /* the ids sorted, for the row */
  size_t ndoc, doccap; /* used, room */
  int64_t *kmark;      /* per term: 1 + the segment it was last seen in */
  uint32_t *kslot;     /* per term: its place in doc when seen in this segment */
  ThemaBuf fold, gram, sgram; /* a folded token, an n-gram key, its surface */
};

void thema_dtm_defaults(ThemaDtmOptions *o) {
  memset(o, 0, sizeof *o);
  o->language = "dutch";
  o->stopwords = 1;
  o->fillers = 1;
  o->min_chars = 1;
  o->ngram_min = o->ngram_max = 1;
}

static void grow(void **p, size_t *cap, size_t need, size_t size) {
  if (need <= *cap) return;
  size_t c = *cap ? *cap : 1024;
  while (c < need) c *= 2;
  *p = thema_xrealloc(*p, c * size);
  memset((char *)*p + *cap * size, 0, (c - *cap) * size);
  *cap = c;
}

/* Room for term id k in every per-term array. */
static void term_room(ThemaDtm *d, size_t k) {
  if (k < d->kcap) return;
  size_t cap = d->kcap;
  grow((void **)&d->kn, &cap, k + 1, sizeof *d->kn);
  size_t c2 = d->kcap;
  grow((void **)&d->kcount, &c2, k + 1, sizeof *d->kcount);
  c2 = d->kcap;
  grow((void **)&d->kdocs, &c2, k + 1, sizeof *d->kdocs);
  c2 = d->kcap;
  grow((void **)&d->klabel, &c2, k + 1, sizeof *d->klabel);
  c2 = d->kcap;
  grow((void **)&d->kmark, &c2, k + 1, sizeof *d->kmark);
  c2 = d->kcap;
  grow((void **)&d->kslot, &c2, k + 1, sizeof *d->kslot);
  if (d->o.pairs) {
    c2 = d->kcap;
    grow((void **)&d->first, &c2, k + 1, sizeof *d->first);
    c2 = d->kcap;
    grow((void **)&d->second, &c2, k + 1, sizeof *d->second);
  }
  d->kcap = cap;
}

static uint32_t key_id(ThemaDtm *d, const char *s, size_t n, int words) {
  int added;
  uint32_t k = thema_vocab_intern(d->keys, s, n, &added);
  if (added) {
    term_room(d, k);
    d->kn[k] = words;
    d->klabel[k] = UINT32_MAX;
  }
  return k;
}

int thema_dtm_new(const ThemaDtmOptions *o, ThemaDtm **out, ThemaError *err) {
  *out = NULL;
  const char *lang = o->language ? o->language : "dutch";
  const char *canon = thema_lang_canonical(lang);
  if (!canon)
    return thema_error_set(err, THEMA_EINPUT, "unknown language '%s'; use one of: %s", lang,
                           thema_lang_known());
  if (o->stopwords && !thema_wordlist_stopwords(canon))
    return thema_error_set(err, THEMA_EINPUT,
                           "no stop word list for '%s' (have: %s); turn stop words off or "
                           "give a list of your own",
                           lang, thema_wordlist_stop_languages());
  if (o->ngram_min < 1 || o->ngram_max < o->ngram_min || o->ngram_max > THEMA_NGRAM_MAX)
    return thema_error_set(err, THEMA_EINPUT,
                           "n-gram sizes %d..%d: give 1 <= min <= max <= %d", o->ngram_min,
                           o->ngram_max, THEMA_NGRAM_MAX);
  ThemaDtm *d = thema_xcalloc(1, sizeof *d);
  d->o = *o;
  d->o.language = canon;
  if (o->stem) d->stemmer = thema_text_stemmer_new(canon);
  d->stop = thema_vocab_new();
  if (o->stopwords) thema_wordlist_add(d->stop, thema_wordlist_stopwords(canon));
  if (o->fillers) thema_wordlist_add(d->stop, thema_wordlist_fillers(canon));
  d->surfaces = thema_vocab_new();
  d->keys = thema_vocab_new();
  d->groups = thema_vocab_new();
  if (o->pairs) d->pairs = thema_vocab_new();
  if (o->keep_rows) {
    d->rcap = 1024;
    d->row_start = thema_xcalloc((size_t)d->rcap + 1, sizeof *d->row_start);
    d->row_gstart = thema_xcalloc((size_t)d->rcap + 1, sizeof *d->row_gstart);
    d->row_seg = thema_xcalloc((size_t)d->rcap, sizeof *d->row_seg);
  }
  *out = d;
  return THEMA_OK;
}

void thema_dtm_free(ThemaDtm *d) {
  if (!d) return;
  thema_text_stemmer_free(d->stemmer);
  thema_vocab_free(d->stop);
  thema_vocab_free(d->surfaces);
  thema_vocab_free(d->keys);
  thema_vocab_free(d->groups);
  thema_vocab_free(d->pairs);
  free(d->sinfo);
  free(d->scount);
  free(d->kn);
  free(d->kcount);
  free(d->kdocs);
  free(d->klabel);
  free(d->kfirst);
  free(d->snext);
  free(d->gsegments);
  free(d->row_start);
  free(d->row_seg);
  free(d->row_gstart);
  free(d->col);
  free(d->val);
  free(d->gids);
  free(d->pcount);
  free(d->first);
  free(d->second);
  free(d->doc);
  free(d->doccount);
  free(d->docsorted);
  free(d->kmark);
  free(d->kslot);
  thema_buf_free(&d->fold);
  thema_buf_free(&d->gram);
  thema_buf_free(&d->sgram);
  free(d);
}

/* The verdict on a new surface form s (id sid), of token kind kind. */
static void judge(ThemaDtm *d, uint32_t sid, const char *s, size_t n, int kind,
                  size_t chars) {
  size_t cap = d->scap;
  grow((void **)&d->sinfo, &cap, sid + 1, sizeof *d->sinfo);
  size_t c2 = d->scap;
  grow((void **)&d->scount, &c2, sid + 1, sizeof *d->scount);
  d->scap = cap;
  SurfaceInfo *si = &d->sinfo[sid];
  si->flags = 0;
  if ((kind == THEMA_TOKEN_NUMBER && !d->o.numbers) || (int)chars < d->o.min_chars ||
      thema_vocab_find(d->stop, s, n) >= 0 ||
      (d->o.leave_out && thema_vocab_find(d->o.leave_out, s, n) >= 0))
    si->flags = NOT_COUNTED;
  if (d->stemmer && kind == THEMA_TOKEN_WORD) {
    size_t len;
    const char *stem = thema_text_stemmer_stem(d->stemmer, s, n, &len);
    si->key = key_id(d, stem, len, 1);
  } else {
    si->key = key_id(d, s, n, 1);
  }
}

/* One more occurrence of term k in the current segment (number nsegments). */
static void doc_push(ThemaDtm *d, uint32_t k) {
  if (d->kmark[k] == d->nsegments + 1) {
    d->doccount[d->kslot[k]]++;
    return;
  }
  if (d->ndoc == d->doccap) {
    d->doccap = d->doccap ? d->doccap * 2 : 256;
    d->doc = thema_xrealloc(d->doc, d->doccap * sizeof *d->doc);
    d->doccount = thema_xrealloc(d->doccount, d->doccap * sizeof *d->doccount);
    d->docsorted = thema_xrealloc(d->docsorted, d->doccap * sizeof *d->docsorted);
  }
  d->kmark[k] = d->nsegments + 1;
  d->kslot[k] = (uint32_t)d->ndoc;
  d->doc[d->ndoc] = k;
  d->doccount[d->ndoc++] = 1;
}

/* Count the n-gram of surfaces ids[0..n). */
static void count_ngram(ThemaDtm *d, const uint32_t *ids, int n) {
  thema_buf_reset(&d->gram);
  for (int i = 0; i < n; i++) {
    size_t len;
    const char *k = thema_vocab_str(d->keys, d->sinfo[ids[i]].key, &len);
    if (i) thema_buf_putc(&d->gram, ' ');
    thema_buf_append(&d->gram, k, len);
  }
  uint32_t key = key_id(d, thema_buf_str(&d->gram), d->gram.len, n);
  doc_push(d, key);
  d->tokens[n]++;
  if (!d->stemmer) return; /* the surface is the key */
  thema_buf_reset(&d->sgram);
  for (int i = 0; i < n; i++) {
    size_t len;
    const char *s = thema_vocab_str(d->surfaces, ids[i], &len);
    if (i) thema_buf_putc(&d->sgram, ' ');
    thema_buf_append(&d->sgram, s, len);
  }
  int added;
  uint32_t sid =
      thema_vocab_intern(d->surfaces, thema_buf_str(&d->sgram), d->sgram.len, &added);
  if (added) {
    size_t cap = d->scap;
    grow((void **)&d->sinfo, &cap, sid + 1, sizeof *d->sinfo);
    size_t c2 = d->scap;
    grow((void **)&d->scount, &c2, sid + 1, sizeof *d->scount);
    d->scap = cap;
    d->sinfo[sid].key = key;
    d->sinfo[sid].flags = 0;
  }
  d->scount[sid]++;
}

static void count_pair(ThemaDtm *d, uint32_t x, uint32_t y) {
  uint32_t k[2] = {x, y};
  uint32_t id = thema_vocab_intern(d->pairs, (const char *)k, sizeof k, NULL);
  grow((void **)&d->pcount, &d->pcap, id + 1, sizeof *d->pcount);
  d->pcount[id]++;
  d->first[x]++;
  d->second[y]++;
  d->pair_total++;
}

static int cmp_u32(const void *a, const void *b) {
  uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
  return x < y ? -1 : x > y;
}

void thema_dtm_add(ThemaDtm *d, int64_t segment_id, const char *text, size_t n,
                   const char *const *group_labels, const size_t *label_lens, int ngroups) {
  ThemaTokenScan sc;
  ThemaToken t;
  ThemaNgramWindow w = {0};
  int64_t prev = -1; /* the previous token's surface, when counted and adjacent */
  d->ndoc = 0;
  thema_tokens_begin(&sc, text, n);
  while (thema_tokens_next(&sc, &t)) {
    thema_buf_reset(&d->fold);
    thema_tokens_fold(&d->fold, text + t.bstart, t.bstop - t.bstart);
    int added;
    uint32_t sid =
        thema_vocab_intern(d->surfaces, thema_buf_str(&d->fold), d->fold.len, &added);
    if (added) judge(d, sid, d->fold.data, d->fold.len, t.kind, t.stop - t.start);
    int counted = !(d->sinfo[sid].flags & NOT_COUNTED);
    if (counted && d->o.ngram_min == 1) {
      d->scount[sid]++;
      d->tokens[1]++;
      doc_push(d, d->sinfo[sid].key);
    }
    if (d->o.ngram_max > 1) {
      thema_ngram_push(&w, sid, counted, t.boundary);
      const uint32_t *ids;
      for (int k = d->o.ngram_min < 2 ? 2 : d->o.ngram_min; k <= d->o.ngram_max; k++)
        if (thema_ngram_get(&w, k, &ids)) count_ngram(d, ids, k);
    }
    if (d->o.pairs) {
      if (counted && prev >= 0 && !t.boundary)
        count_pair(d, d->sinfo[prev].key, d->sinfo[sid].key);
      prev = counted ? (int64_t)sid : -1;
    }
  }
  for (size_t i = 0; i < d->ndoc; i++) {
    d->kcount[d->doc[i]] += d->doccount[i];
    d->kdocs[d->doc[i]]++;
  }
  if (d->o.keep_rows) {
    if (d->nrows == d->rcap) {
      d->rcap *= 2;
      d->row_start =
          thema_xrealloc(d->row_start, ((size_t)d->rcap + 1) * sizeof *d->row_start);
      d->row_gstart =
          thema_xrealloc(d->row_gstart, ((size_t)d->rcap + 1) * sizeof *d->row_gstart);
      d->row_seg = thema_xrealloc(d->row_seg, (size_t)d->rcap * sizeof *d->row_seg);
    }
    if (d->ndoc) memcpy(d->docsorted, d->doc, d->ndoc * sizeof *d->doc);
    qsort(d->docsorted, d->ndoc, sizeof *d->docsorted, cmp_u32);
    while (d->nnz + (int64_t)d->ndoc > d->ncap) {
      d->ncap = d->ncap ? d->ncap * 2 : 4096;
      d->col = thema_xrealloc(d->col, (size_t)d->ncap * sizeof *d->col);
      d->val = thema_xrealloc(d->val, (size_t)d->ncap * sizeof *d->val);
    }
    for (size_t i = 0; i < d->ndoc; i++) {
      uint32_t k = d->docsorted[i];
      d->col[d->nnz] = k;
      d->val[d->nnz] = d->doccount[d->kslot[k]];
      d->nnz++;
    }
  }
  for (int g = 0; g < ngroups; g++) {
    int added;
    uint32_t gid = thema_vocab_intern(d->groups, group_labels[g], label_lens[g], &added);
    size_t cap = (size_t)d->gcap;
    grow((void **)&d->gsegments, &cap, gid + 1, sizeof *d->gsegments);
    d->gcap = (int)cap;
    d->gsegments[gid]++;
    if (d->o.keep_rows) {
      if (d->ngids == d->gidcap) {
        d->gidcap = d->gidcap ? d->gidcap * 2 : 1024;
        d->gids = thema_xrealloc(d->gids, (size_t)d->gidcap * sizeof *d->gids);
      }
      d->gids[d->ngids++] = (int32_t)gid;
    }
  }
  if (d->o.keep_rows) {
    d->row_seg[d->nrows] = segment_id;
    d->nrows++;
    d->row_start[d->nrows] = d->nnz;
    d->row_gstart[d->nrows] = d->ngids;
  }
  d->nsegments++;
}

int thema_dtm_read(ThemaDtm *d, ThemaStore *st, const ThemaFilter *filters, int nf,
                   ThemaError *err) {
  ThemaCursor *c = NULL;
  int rc = thema_query_open(st, THEMA_SEGMENTS, filters, nf, &c, err);
  if (rc != THEMA_OK) return rc;
  rc = thema_dtm_read_cursor(d, c, err);
  thema_cursor_close(c);
  return rc;
}

int thema_dtm_read_cursor(ThemaDtm *d, ThemaCursor *c, ThemaError *err) {
  int cid = thema_cursor_column(c, "id"), ctext = thema_cursor_column(c, "text");
  int step;
  while ((step = thema_cursor_step(c, err)) == 1) {
    size_t len;
    const char *text = thema_cursor_text(c, ctext, &len);
    thema_dtm_add(d, thema_cursor_int(c, cid), text, len, NULL, NULL, 0);
  }
  return step < 0 ? err->status : THEMA_OK;
}

/* A segment read from a grouping cursor, kept until its last group is seen. */
typedef struct Pending {
  int64_t id;        /* the segment id, -1: none */
  ThemaBuf text;     /* its text */
  ThemaBuf labels;   /* its group labels, one after another */
  size_t *lens;      /* their lengths */
  const char **ptrs; /* pointers into labels, made at flush */
  int n, cap;        /* labels, room */
} Pending;

static void flush(ThemaDtm *d, Pending *p) {
  if (p->id < 0) return;
  size_t at = 0;
  for (int i = 0; i < p->n; i++) {
    p->ptrs[i] = thema_buf_str(&p->labels) + at;
    at += p->lens[i];
  }
  thema_dtm_add(d, p->id, thema_buf_str(&p->text), p->text.len, p->ptrs, p->lens, p->n);
  p->id = -1;
  p->n = 0;
  thema_buf_reset(&p->text);
  thema_buf_reset(&p->labels);
}

static int read_groups(ThemaDtm *d, ThemaGroupCursor *c, ThemaError *err);

int thema_dtm_read_grouped(ThemaDtm *d, ThemaStore *st, const ThemaGrouping *g,
                           const ThemaFilter *filters, int nf, ThemaError *err) {
  ThemaGroupCursor *c = NULL;
  int rc = thema_grouping_open(st, g, filters, nf, NULL, 0, &c, err);
  if (rc != THEMA_OK) return rc;
  rc = read_groups(d, c, err);
  thema_grouping_close(c);
  return rc;
}

int thema_dtm_read_grouped_over(ThemaDtm *d, ThemaStore *st, const ThemaGrouping *g,
                                ThemaCursor *segments, ThemaError *err) {
  ThemaGroupCursor *c = NULL;
  int rc = thema_grouping_open_over(st, g, segments, NULL, 0, &c, err);
  if (rc != THEMA_OK) return rc;
  rc = read_groups(d, c, err);
  thema_grouping_close(c);
  return rc;
}

/* Rows of (segment, group) into one row per segment. */
static int read_groups(ThemaDtm *d, ThemaGroupCursor *c, ThemaError *err) {
  Pending p = {.id = -1};
  ThemaGroupRow row;
  int step;
  while ((step = thema_grouping_step(c, &row, err)) == 1) {
    if (row.nth == 0) {
      flush(d, &p);
      p.id = row.segment_id;
      thema_buf_append(&p.text, row.text, row.text_len);
    }
    if (!row.group) continue;
    if (p.n == p.cap) {
      p.cap = p.cap ? p.cap * 2 : 4;
      p.lens = thema_xrealloc(p.lens, (size_t)p.cap * sizeof *p.lens);
      p.ptrs = thema_xrealloc(p.ptrs, (size_t)p.cap * sizeof *p.ptrs);
    }
    p.lens[p.n++] = strlen(row.group);
    thema_buf_puts(&p.labels, row.group);
  }
  if (step == 0) flush(d, &p);
  thema_buf_free(&p.text);
  thema_buf_free(&p.labels);
  free(p.lens);
  free(p.ptrs);
  return step < 0 ? err->status : THEMA_OK;
}

void thema_dtm_finish(ThemaDtm *d) {
  uint32_t nk = thema_vocab_size(d->keys);
  int64_t *best = thema_xcalloc(nk ? nk : 1, sizeof *best);
  for (uint32_t k = 0; k < nk; k++) d->klabel[k] = UINT32_MAX;
  uint32_t ns = thema_vocab_size(d->surfaces);
  free(d->kfirst);
  free(d->snext);
  d->kfirst = thema_xmalloc((nk ? nk : 1) * sizeof *d->kfirst);
  d->snext = thema_xmalloc((ns ? ns : 1) * sizeof *d->snext);
  memset(d->kfirst, 0xff, (nk ? nk : 1) * sizeof *d->kfirst);
  for (uint32_t s = ns; s-- > 0;) { /* lists in surface order */
    if (d->scount[s] == 0) continue;
    d->snext[s] = d->kfirst[d->sinfo[s].key];
    d->kfirst[d->sinfo[s].key] = s;
  }
  for (uint32_t s = 0; s < ns; s++) {
    uint32_t k = d->sinfo[s].key;
    if (d->scount[s] == 0) continue;
    if (d->klabel[k] == UINT32_MAX || d->scount[s] > best[k] ||
        (d->scount[s] == best[k] &&
         strcmp(thema_vocab_str(d->surfaces, s, NULL),
                thema_vocab_str(d->surfaces, d->klabel[k], NULL)) < 0)) {
      d->klabel[k] = s;
      best[k] = d->scount[s];
    }
  }
  free(best);
}

uint32_t thema_dtm_nterms(const ThemaDtm *d) { return thema_vocab_size(d->keys); }

void thema_dtm_term(const ThemaDtm *d, uint32_t id, ThemaTerm *t) {
  t->key = thema_vocab_str(d->keys, id, NULL);
  t->label = d->stemmer && d->klabel[id] != UINT32_MAX
                 ? thema_vocab_str(d->surfaces, d->klabel[id], NULL)
                 : t->key;
  t->n = d->kn[id];
  t->count = d->kcount[id];
  t->docs = d->kdocs[id];
}

int thema_dtm_surfaces(const ThemaDtm *d, uint32_t id, const char ***forms) {
  int n = 0;
  if (!d->stemmer) {
    *forms = thema_xmalloc(sizeof **forms);
    (*forms)[n++] = thema_vocab_str(d->keys, id, NULL);
    return n;
  }
  for (uint32_t s = d->kfirst[id]; s != UINT32_MAX; s = d->snext[s]) n++;
  *forms = thema_xmalloc((size_t)(n ? n : 1) * sizeof **forms);
  n = 0;
  for (uint32_t s = d->kfirst[id]; s != UINT32_MAX; s = d->snext[s])
    (*forms)[n++] = thema_vocab_str(d->surfaces, s, NULL);
  qsort(*forms, (size_t)n, sizeof **forms, thema_cmp_str);
  return n;
}

int64_t thema_dtm_tokens(const ThemaDtm *d, int n) {
  return n >= 1 && n <= THEMA_NGRAM_MAX ? d->tokens[n] : 0;
}

int64_t thema_dtm_nsegments(const ThemaDtm *d) { return d->nsegments; }

int thema_dtm_ngroups(const ThemaDtm *d) { return (int)thema_vocab_size(d->groups); }

const char *thema_dtm_group_label(const ThemaDtm *d, int g) {
  return thema_vocab_str(d->groups, (uint32_t)g, NULL);
}

int thema_dtm_group_find(const ThemaDtm *d, const char *label) {
  return (int)thema_vocab_find(d->groups, label, strlen(label));
}

int64_t thema_dtm_group_segments(const ThemaDtm *d, int g) {
  return g >= 0 && g < thema_dtm_ngroups(d) ? d->gsegments[g] : 0;
}

int thema_dtm_row_in(const ThemaDtm *d, int64_t r, int g) {
  for (int64_t i = d->row_gstart[r]; i < d->row_gstart[r + 1]; i++)
    if (d->gids[i] == g) return 1;
  return 0;
}

void thema_dtm_group_counts(const ThemaDtm *d, int g, int64_t *counts, int64_t *docs) {
  memset(counts, 0, thema_dtm_nterms(d) * sizeof *counts);
  if (docs) memset(docs, 0, thema_dtm_nterms(d) * sizeof *docs);
  for (int64_t r = 0; r < d->nrows; r++) {
    int in = g >= 0 ? thema_dtm_row_in(d, r, g) : d->row_gstart[r] == d->row_gstart[r + 1];
    if (!in) continue;
    for (int64_t i = d->row_start[r]; i < d->row_start[r + 1]; i++) {
      counts[d->col[i]] += d->val[i];
      if (docs) docs[d->col[i]]++;
    }
  }
}

int64_t thema_dtm_nrows(const ThemaDtm *d) { return d->nrows; }

void thema_dtm_row(const ThemaDtm *d, int64_t r, int64_t *segment_id,
                   const uint32_t **terms, const uint32_t **counts, int *nnz) {
  *segment_id = d->row_seg[r];
  *terms = d->col + d->row_start[r];
  *counts = d->val + d->row_start[r];
  *nnz = (int)(d->row_start[r + 1] - d->row_start[r]);
}

int64_t thema_dtm_npairs(const ThemaDtm *d) {
  return d->pairs ? thema_vocab_size(d->pairs) : 0;
}

void thema_dtm_pair(const ThemaDtm *d, int64_t i, uint32_t *x, uint32_t *y, int64_t *count,
                    int64_t *x_first, int64_t *y_second) {
  uint32_t k[2];
  memcpy(k, thema_vocab_str(d->pairs, (uint32_t)i, NULL), sizeof k);
  *x = k[0];
  *y = k[1];
  *count = d->pcount[i];
  *x_first = d->first[k[0]];
  *y_second = d->second[k[1]];
}

int64_t thema_dtm_pair_total(const ThemaDtm *d) { return d->pair_total; }

size_t thema_dtm_bytes(const ThemaDtm *d) {
  size_t b = thema_vocab_bytes(d->surfaces) + thema_vocab_bytes(d->keys) +
             thema_vocab_bytes(d->stop) + thema_vocab_bytes(d->groups);
  b += d->scap * (sizeof *d->sinfo + sizeof *d->scount);
  b += d->kcap * (sizeof *d->kn + 3 * sizeof *d->kcount);
  b += (size_t)d->ncap * 8 + (size_t)d->rcap * 24 + (size_t)d->gidcap * 4;
  if (d->pairs) b += thema_vocab_bytes(d->pairs) + d->pcap * 8 + d->kcap * 16;
  return b;
}
