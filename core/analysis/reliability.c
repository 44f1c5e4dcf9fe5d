/*
 * reliability.c — the agreement plugin's matrices and figures (see
 * reliability.h), built in two steps.
 *
 * While units arrive, the units of the current source wait in a buffer:
 * whether a coder covers them is known only when the source ends. Then each
 * unit keeps its source (binary: coverage is per source) or its row of
 * codes (nominal), every (unit, coder) application of a selected code is
 * filed under its code, and a unit on which the coders will disagree keeps
 * its text for the disagreement rows; the others keep none.
 *
 * At the end, each compared code's matrix is laid out in one reused array
 * (coverage as 0, applications as 1), measured, and its pairable units
 * appended to one pattern list, so that the pooled matrix, which stacks the
 * codes, is the whole list and each code is a slice of it: nothing is
 * measured twice and the pooled matrix is never built.
 *
 * The bootstraps (one per code and the pooled one) take nearly all the time
 * and do not depend on each other: each has its own generator, seeded alike,
 * and writes only its own figures. Slices of one length drawn from one seed
 * get the same draws, so the codes' slices (all of one length) are
 * resampled together in groups; the groups and the pooled slice run on a
 * few threads, largest first. The figures are the same bits whatever the
 * grouping and the number of threads.
 */
#include "analysis/reliability.h"

#include <assert.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/thema.h"

#define NONE UINT32_MAX

typedef struct App {
  uint32_t unit; /* unit index */
  int32_t coder; /* coder index */
} App;

typedef struct Code {
  int64_t id;   /* the store's id */
  char *path;   /* owned */
  int selected; /* passes the codes option */
  int compared; /* applied to a unit two coders cover (binary) or code (nominal) */
  App *apps;    /* binary: where it was applied, in unit order (owned) */
  size_t napps; /* entries of apps */
  size_t cap;   /* allocated */
  size_t first; /* its slice of the pattern list, once measured */
  size_t count; /* length of the slice */
} Code;

/* A unit of the current source, waiting for the source to end. */
typedef struct Pending {
  int64_t ordinal;   /* position in the source */
  size_t speaker_at; /* offset of the speaker label in the arena, or NONE */
  size_t text_at;    /* offset of the text in the arena */
  size_t text_len;   /* its length */
  size_t first;      /* binary: its applications in papps */
  size_t count;      /* their number */
} Pending;

/* The first conflicts of one coder, and how many it has. */
typedef struct Conflicts {
  ThemaRelConflict shown[THEMA_REL_CONFLICTS_SHOWN]; /* the first ones */
  int64_t n;                                         /* all of them */
} Conflicts;

struct ThemaReliability {
  ThemaRelOptions o; /* the options; codes copied below */
  char **select;     /* the codes option (owned copies) */
  int ncoders;       /* o.ncoders */
  /* codes by id: an open-addressing table of indices into codes */
  Code *codes;         /* every code seen (owned) */
  size_t ncodes_seen;  /* entries of codes */
  size_t codes_cap;    /* allocated */
  uint32_t *code_slot; /* the table */
  size_t ncode_slots;  /* its size, a power of two */
  /* sources kept */
  char **source_names;   /* owned */
  unsigned char *covers; /* nsources x ncoders: the coder coded in the source */
  size_t nsources;       /* sources kept */
  size_t sources_cap;    /* allocated */
  /* units kept */
  size_t nunits;             /* units kept */
  size_t units_cap;          /* allocated */
  uint32_t *unit_source;     /* binary: the source of each unit */
  uint32_t *unit_info;       /* each unit's index into segments, or NONE */
  int32_t *nominal;          /* nominal: nunits x ncoders code indices */
  ThemaRelSegment *segments; /* units that disagreements refer to (owned strings) */
  size_t nsegments;          /* entries of segments */
  size_t segments_cap;       /* allocated */
  /* the current source */
  char *cur_source;          /* its name (owned), NULL before the first unit */
  unsigned char *cur_covers; /* ncoders flags */
  Pending *pend;             /* its units */
  size_t npend;              /* entries of pend */
  size_t pend_cap;           /* allocated */
  App *papps;                /* binary: its units' applications (unit = code index) */
  size_t npapps;             /* entries of papps */
  size_t papps_cap;          /* allocated */
  int32_t *pvals;            /* nominal: npend x ncoders code indices */
  ThemaBuf arena;            /* speaker labels and texts of its units */
  Conflicts *conflicts;      /* nominal: per coder */
  /* the result */
  ThemaRelResult res;            /* what thema_reliability_finish returns */
  const char **sorted;           /* paths of the compared codes, in order */
  size_t *order;                 /* their indices into codes */
  ThemaRelFigures *by_code;      /* per compared code */
  ThemaRelFigures overall;       /* pooled or nominal */
  ThemaRelDisagreement *dis;     /* the disagreement rows */
  size_t ndis;                   /* entries of dis */
  size_t dis_cap;                /* allocated */
  int32_t *dis_values;           /* their values, ncoders each (owned) */
  const char **paths;            /* every code's path, by index */
  ThemaAlphaUnits units_pooled;  /* binary per code, and the pooled slice */
  ThemaAlphaUnits units_nominal; /* nominal matrix */
  int finished;                  /* thema_reliability_finish ran */
};

static void *grow(void *p, size_t *cap, size_t need, size_t size) {
  if (need <= *cap) return p;
  size_t c = *cap ? *cap : 16;
  while (c < need) c *= 2;
  *cap = c;
  return thema_xrealloc(p, c * size);
}

ThemaReliability *thema_reliability_new(const ThemaRelOptions *o) {
  ThemaReliability *r = thema_xcalloc(1, sizeof *r);
  r->o = *o;
  r->ncoders = o->ncoders;
  if (o->codes) {
    r->select = thema_xmalloc((size_t)(o->ncodes > 0 ? o->ncodes : 1) * sizeof *r->select);
    for (int i = 0; i < o->ncodes; i++) r->select[i] = thema_xstrdup(o->codes[i]);
  }
  r->o.codes = (const char *const *)r->select;
  r->cur_covers = thema_xcalloc((size_t)r->ncoders, 1);
  r->conflicts = thema_xcalloc((size_t)r->ncoders, sizeof *r->conflicts);
  return r;
}

/* ---- codes ---- */

static int selected(const ThemaReliability *r, const char *path) {
  if (!r->select) return 1;
  for (int i = 0; i < r->o.ncodes; i++) {
    size_t n = strlen(r->select[i]);
    if (strncmp(path, r->select[i], n) == 0 && (path[n] == '\0' || path[n] == '/'))
      return 1;
  }
  return 0;
}

static size_t id_hash(int64_t id, size_t n) {
  uint64_t h = (uint64_t)id * 0x9e3779b97f4a7c15u;
  return (size_t)(h >> 17) & (n - 1);
}

static void rehash_codes(ThemaReliability *r) {
  size_t n = r->ncode_slots ? 2 * r->ncode_slots : 64;
  free(r->code_slot);
  r->code_slot = thema_xmalloc(n * sizeof *r->code_slot);
  memset(r->code_slot, 0xff, n * sizeof *r->code_slot);
  r->ncode_slots = n;
  for (size_t c = 0; c < r->ncodes_seen; c++) {
    size_t i = id_hash(r->codes[c].id, n);
    while (r->code_slot[i] != NONE) i = (i + 1) & (n - 1);
    r->code_slot[i] = (uint32_t)c;
  }
}

static uint32_t code_index(ThemaReliability *r, int64_t id, const char *path) {
  if (2 * (r->ncodes_seen + 1) > r->ncode_slots) rehash_codes(r);
  size_t i = id_hash(id, r->ncode_slots);
  for (; r->code_slot[i] != NONE; i = (i + 1) & (r->ncode_slots - 1))
    if (r->codes[r->code_slot[i]].id == id) return r->code_slot[i];
  r->codes = grow(r->codes, &r->codes_cap, r->ncodes_seen + 1, sizeof *r->codes);
  Code *c = &r->codes[r->ncodes_seen];
  memset(c, 0, sizeof *c);
  c->id = id;
  c->path = thema_xstrdup(path);
  c->selected = selected(r, path);
  r->code_slot[i] = (uint32_t)r->ncodes_seen;
  return (uint32_t)r->ncodes_seen++;
}

/* ---- units ---- */

static void keep_segment(ThemaReliability *r, size_t unit, const Pending *p) {
  r->segments = grow(r->segments, &r->segments_cap, r->nsegments + 1, sizeof *r->segments);
  ThemaRelSegment *s = &r->segments[r->nsegments];
  s->source = r->source_names[r->nsources - 1];
  s->ordinal = p->ordinal;
  s->speaker = p->speaker_at == NONE ? NULL : thema_xstrdup(r->arena.data + p->speaker_at);
  s->text = thema_xstrndup(r->arena.data + p->text_at, p->text_len);
  s->text_len = p->text_len;
  r->unit_info[unit] = (uint32_t)r->nsegments++;
}

/* Binary: whether the coders covering a unit (seen of them) disagree on a
 * code: some applied it and some did not. Applications imply coverage. */
static int binary_disagrees(const App *apps, size_t n, int seen) {
  if (seen < 2) return 0;
  for (size_t i = 0; i < n; i++) {
    int appliers = 0, first = 1;
    for (size_t k = 0; k < n; k++) {
      if (apps[k].unit != apps[i].unit) continue;
      if (k < i) first = 0;
      appliers++;
    }
    if (first && appliers < seen) return 1;
  }
  return 0;
}

/* The current source ends: keep it and its units if some coder covers it. */
static void flush_source(ThemaReliability *r) {
  if (!r->cur_source) return;
  int seen = 0;
  for (int j = 0; j < r->ncoders; j++) seen += r->cur_covers[j];
  if (seen > 0) {
    r->source_names =
        grow(r->source_names, &r->sources_cap, r->nsources + 1, sizeof *r->source_names);
    r->covers = thema_xrealloc(r->covers, r->sources_cap * (size_t)r->ncoders);
    r->source_names[r->nsources] = r->cur_source;
    memcpy(r->covers + r->nsources * (size_t)r->ncoders, r->cur_covers, (size_t)r->ncoders);
    r->nsources++;
    r->cur_source = NULL;
    size_t need = r->nunits + r->npend;
    if (need > r->units_cap) {
      size_t cap = r->units_cap ? r->units_cap : 1024;
      while (cap < need) cap *= 2;
      r->units_cap = cap;
      r->unit_info = thema_xrealloc(r->unit_info, cap * sizeof *r->unit_info);
      if (r->o.nominal)
        r->nominal =
            thema_xrealloc(r->nominal, cap * (size_t)r->ncoders * sizeof *r->nominal);
      else
        r->unit_source = thema_xrealloc(r->unit_source, cap * sizeof *r->unit_source);
    }
    for (size_t i = 0; i < r->npend; i++) {
      const Pending *p = &r->pend[i];
      size_t u = r->nunits++;
      r->unit_info[u] = NONE;
      int disagrees = 0;
      if (r->o.nominal) {
        const int32_t *row = r->pvals + i * (size_t)r->ncoders;
        memcpy(r->nominal + u * (size_t)r->ncoders, row, (size_t)r->ncoders * sizeof *row);
        int values = 0;
        for (int j = 0; j < r->ncoders; j++) values += row[j] >= 0;
        if (values >= 2) {
          for (int j = 0; j < r->ncoders; j++)
            if (row[j] >= 0) r->codes[row[j]].compared = 1;
          ThemaRelMatrix one = {row, 1, r->ncoders, 0};
          disagrees = thema_agreement_unit_disagrees(&one, 0);
        }
      } else {
        r->unit_source[u] = (uint32_t)(r->nsources - 1);
        const App *apps = r->papps + p->first;
        for (size_t k = 0; k < p->count; k++) {
          Code *c = &r->codes[apps[k].unit];
          c->apps = grow(c->apps, &c->cap, c->napps + 1, sizeof *c->apps);
          c->apps[c->napps++] = (App){(uint32_t)u, apps[k].coder};
          if (seen >= 2) c->compared = 1;
        }
        disagrees = binary_disagrees(apps, p->count, seen);
      }
      if (disagrees) keep_segment(r, u, p);
    }
  }
  free(r->cur_source);
  r->cur_source = NULL;
  memset(r->cur_covers, 0, (size_t)r->ncoders);
  r->npend = r->npapps = 0;
  thema_buf_reset(&r->arena);
}

static void conflict(ThemaReliability *r, int coder, int64_t ordinal, int32_t old,
                     int32_t now) {
  Conflicts *c = &r->conflicts[coder];
  if (c->n < THEMA_REL_CONFLICTS_SHOWN) {
    ThemaRelConflict *x = &c->shown[c->n];
    const char *a = r->codes[old].path, *b = r->codes[now].path;
    x->coder = coder;
    x->source = r->cur_source; /* kept by flush_source: the coder coded in it */
    x->ordinal = ordinal;
    x->code_lo = strcmp(b, a) < 0 ? b : a;
    x->code_hi = strcmp(b, a) < 0 ? a : b;
  }
  c->n++;
}

void thema_reliability_add(ThemaReliability *r, const ThemaRelUnit *u) {
  if (!r->cur_source || strcmp(r->cur_source, u->source) != 0) {
    flush_source(r);
    r->cur_source = thema_xstrdup(u->source);
  }
  size_t old_cap = r->pend_cap;
  r->pend = grow(r->pend, &r->pend_cap, r->npend + 1, sizeof *r->pend);
  if (r->o.nominal && r->pend_cap != old_cap)
    r->pvals =
        thema_xrealloc(r->pvals, r->pend_cap * (size_t)r->ncoders * sizeof *r->pvals);
  Pending *p = &r->pend[r->npend];
  p->ordinal = u->ordinal;
  p->speaker_at = NONE;
  if (u->speaker) {
    p->speaker_at = r->arena.len;
    thema_buf_puts(&r->arena, u->speaker);
    thema_buf_putc(&r->arena, '\0');
  }
  p->text_at = r->arena.len;
  p->text_len = u->text_len;
  thema_buf_append(&r->arena, u->text ? u->text : "", u->text ? u->text_len : 0);
  thema_buf_putc(&r->arena, '\0');
  p->first = r->npapps;
  p->count = 0;
  int32_t *row = NULL;
  if (r->o.nominal) {
    row = r->pvals + r->npend * (size_t)r->ncoders;
    for (int j = 0; j < r->ncoders; j++) row[j] = THEMA_AGREEMENT_MISSING;
  }
  for (size_t i = 0; i < u->ncodings; i++) {
    const ThemaRelCoding *k = &u->codings[i];
    assert(k->coder >= 0 && k->coder < r->ncoders);
    r->cur_covers[k->coder] = 1;
    uint32_t c = code_index(r, k->code_id, k->code);
    if (!r->codes[c].selected) continue;
    if (r->o.nominal) {
      if (row[k->coder] < 0)
        row[k->coder] = (int32_t)c;
      else if (row[k->coder] != (int32_t)c)
        conflict(r, k->coder, u->ordinal, row[k->coder], (int32_t)c);
      continue;
    }
    int dup = 0; /* the same code twice on a unit is one application */
    for (size_t a = p->first; a < r->npapps && !dup; a++)
      dup = r->papps[a].unit == c && r->papps[a].coder == k->coder;
    if (dup) continue;
    r->papps = grow(r->papps, &r->papps_cap, r->npapps + 1, sizeof *r->papps);
    r->papps[r->npapps++] = (App){c, k->coder};
    p->count++;
  }
  r->npend++;
}

/* ---- figures ---- */

static int npairs_of(int ncoders) { return ncoders * (ncoders - 1) / 2; }

/* Counts of one matrix, that add up over matrices. */
typedef struct Counts {
  ThemaPairCounts *pairs; /* per pair a < b */
  unsigned char *gave;    /* per coder */
  size_t units;           /* pairable units */
} Counts;

static void counts_init(Counts *c, int ncoders, int32_t ncategories) {
  int np = npairs_of(ncoders);
  c->pairs = thema_xmalloc((size_t)(np > 0 ? np : 1) * sizeof *c->pairs);
  for (int k = 0; k < np; k++) thema_agreement_pair_init(&c->pairs[k], ncategories);
  c->gave = thema_xcalloc((size_t)ncoders, 1);
  c->units = 0;
}

static void counts_free(Counts *c, int ncoders) {
  for (int k = 0; k < npairs_of(ncoders); k++) thema_agreement_pair_free(&c->pairs[k]);
  free(c->pairs);
  free(c->gave);
}

static void counts_add(Counts *c, const ThemaRelMatrix *m) {
  int k = 0;
  for (int a = 0; a < m->ncoders; a++)
    for (int b = a + 1; b < m->ncoders; b++)
      thema_agreement_pair_add(&c->pairs[k++], m, a, b);
  c->units += thema_agreement_pairable(m, c->gave);
}

static void counts_merge(Counts *into, const Counts *from, int ncoders) {
  for (int k = 0; k < npairs_of(ncoders); k++)
    thema_agreement_pair_merge(&into->pairs[k], &from->pairs[k]);
  for (int j = 0; j < ncoders; j++) into->gave[j] |= from->gave[j];
  into->units += from->units;
}

/* Everything but the bootstrap, which run_bootstraps adds. */
static void measure(const ThemaReliability *r, const Counts *c, const ThemaAlphaUnits *au,
                    size_t first, size_t count, ThemaRelFigures *f) {
  int np = npairs_of(r->ncoders);
  f->units = c->units;
  f->coders = 0;
  for (int j = 0; j < r->ncoders; j++) f->coders += c->gave[j];
  f->npairs = np;
  f->pairs = thema_xmalloc((size_t)(np > 0 ? np : 1) * sizeof *f->pairs);
  int k = 0;
  for (int a = 0; a < r->ncoders; a++) {
    for (int b = a + 1; b < r->ncoders; b++, k++) {
      f->pairs[k].a = a;
      f->pairs[k].b = b;
      thema_agreement_pair_figure(&c->pairs[k], &f->pairs[k]);
    }
  }
  thema_agreement_pair_means(f->pairs, np, &f->percent, &f->npercent, &f->kappa,
                             &f->nkappa);
  f->alpha_status = thema_agreement_alpha(au, first, count, &f->alpha);
  f->boot_status = f->alpha_status;
  f->first = first;
  f->count = count;
  f->au = au;
}

/* ---- the bootstraps, on a few threads ---- */

/* Up to this many slices of one length are resampled together: one set of
 * draws serves them all, and larger groups would leave threads idle. */
#define GROUP 8
#define MAX_THREADS 8

/* Figures whose slices have one length in one unit list, bootstrapped
 * together. */
typedef struct Job {
  ThemaRelFigures *f[GROUP]; /* the figures */
  size_t n;                  /* entries of f */
  size_t first[GROUP];       /* their slices */
  int status[GROUP];         /* their alpha's status (all OK) */
  double *alphas[GROUP];     /* room for every resample's alpha (owned) */
} Job;

/* A run of a job's resamples, from..from + n - 1, drawn from the state the
 * generator has after from x count outputs: the state it has unless an
 * earlier resample rejected a draw, which the check after the run sees. */
typedef struct Part {
  Job *job;            /* whose */
  int64_t from, n;     /* the resamples */
  int64_t used[GROUP]; /* alphas defined, per slice, stored from alphas + from */
  uint64_t outputs;    /* generator outputs used */
} Part;

typedef struct Pool {
  Part **parts;             /* costliest first */
  size_t nparts;            /* entries of parts */
  atomic_size_t next;       /* the next part to take */
  const ThemaRelOptions *o; /* samples, level, seed */
} Pool;

/* Resample part p from the state after `before` outputs of the seed. */
static void run_part(Part *p, const ThemaRelOptions *o, uint64_t before) {
  Job *j = p->job;
  double *at[GROUP];
  for (size_t k = 0; k < j->n; k++) at[k] = j->alphas[k] + p->from;
  ThemaPrng g;
  thema_prng_seed(&g, o->seed);
  thema_prng_skip(&g, before);
  p->outputs = thema_agreement_resample(j->f[0]->au, j->first, j->status, j->n,
                                        j->f[0]->count, p->n, &g, at, p->used);
}

static void *bootstrap_worker(void *arg) {
  Pool *pool = arg;
  for (;;) {
    size_t i = atomic_fetch_add(&pool->next, 1);
    if (i >= pool->nparts) return NULL;
    Part *p = pool->parts[i];
    run_part(p, pool->o, (uint64_t)p->from * p->job->f[0]->count);
  }
}

/* Longer slices first; among equal ones, those of one unit list together,
 * in the order of the figures. */
static int longer_first(const void *x, const void *y) {
  const ThemaRelFigures *a = *(ThemaRelFigures *const *)x,
                        *b = *(ThemaRelFigures *const *)y;
  if (a->count != b->count) return (a->count < b->count) - (a->count > b->count);
  if (a->au != b->au) return (a->au > b->au) - (a->au < b->au);
  return (a > b) - (a < b);
}

static size_t part_cost(const Part *p) {
  return (size_t)p->n * p->job->f[0]->count * (2 + p->job->n);
}

static int costlier_first(const void *x, const void *y) {
  const Part *p = *(Part *const *)x, *q = *(Part *const *)y;
  size_t a = part_cost(p), b = part_cost(q);
  if (a != b) return (a < b) - (a > b);
  return (p > q) - (p < q);
}

/* A job's parts, in order: check that each started where the one before it
 * ended (no rejected draw), redo the ones that did not, in order, then the
 * intervals from every part's alphas. */
static void finish_job(Job *j, Part *parts, size_t nparts, const ThemaRelOptions *o) {
  uint64_t before = 0;
  for (size_t i = 0; i < nparts; i++) {
    Part *p = &parts[i];
    if (before != (uint64_t)p->from * j->f[0]->count) run_part(p, o, before);
    before += p->outputs;
  }
  for (size_t k = 0; k < j->n; k++) {
    int64_t used = 0; /* the parts' alphas, moved together */
    for (size_t i = 0; i < nparts; i++) {
      memmove(j->alphas[k] + used, j->alphas[k] + parts[i].from,
              (size_t)parts[i].used[k] * sizeof *j->alphas[k]);
      used += parts[i].used[k];
    }
    ThemaRelFigures *f = j->f[k];
    f->boot_status =
        thema_agreement_interval(j->alphas[k], used, o->samples, o->level, &f->boot);
    free(j->alphas[k]);
  }
}

static void run_bootstraps(ThemaReliability *r) {
  size_t n = r->res.ncodes + 1;
  ThemaRelFigures **figs = thema_xmalloc(n * sizeof *figs);
  size_t nf = 0;
  for (size_t i = 0; i <= r->res.ncodes; i++) {
    ThemaRelFigures *f = i < r->res.ncodes ? &r->by_code[i] : &r->overall;
    if (f->alpha_status == THEMA_AGREEMENT_OK) figs[nf++] = f;
  }
  qsort(figs, nf, sizeof *figs, longer_first);
  Job *jobs = thema_xcalloc(nf, sizeof *jobs);
  size_t njobs = 0;
  for (size_t i = 0; i < nf; i++) {
    Job *last = njobs ? &jobs[njobs - 1] : NULL;
    if (!last || last->n == GROUP || last->f[0]->count != figs[i]->count ||
        last->f[0]->au != figs[i]->au)
      last = &jobs[njobs++];
    last->first[last->n] = figs[i]->first;
    last->status[last->n] = THEMA_AGREEMENT_OK;
    last->alphas[last->n] = thema_xmalloc((size_t)r->o.samples * sizeof(double));
    last->f[last->n++] = figs[i];
  }
  long t = r->o.threads;
  if (t <= 0) t = sysconf(_SC_NPROCESSORS_ONLN);
  if (t < 1) t = 1;
  if (t > MAX_THREADS) t = MAX_THREADS;
  /* each job in t parts of its resamples, so the longest slice is shared */
  int64_t per = t;
  if (per > r->o.samples) per = r->o.samples;
  Part *parts = thema_xcalloc(njobs * (size_t)per + 1, sizeof *parts);
  size_t nparts = 0;
  for (size_t i = 0; i < njobs; i++) {
    for (int64_t k = 0; k < per; k++) {
      Part *p = &parts[nparts++];
      p->job = &jobs[i];
      p->from = r->o.samples * k / per;
      p->n = r->o.samples * (k + 1) / per - p->from;
    }
  }
  /* the costliest parts first; finish_job reads them in their own order */
  Part **order = thema_xmalloc((nparts ? nparts : 1) * sizeof *order);
  for (size_t i = 0; i < nparts; i++) order[i] = &parts[i];
  qsort(order, nparts, sizeof *order, costlier_first);
  Pool pool = {order, nparts, 0, &r->o};
  if (t > (long)nparts) t = (long)nparts;
  pthread_t tid[MAX_THREADS];
  int started = 0;
  for (long i = 1; i < t; i++) /* a thread that cannot start leaves its share to us */
    if (pthread_create(&tid[started], NULL, bootstrap_worker, &pool) == 0) started++;
  bootstrap_worker(&pool);
  for (int i = 0; i < started; i++) pthread_join(tid[i], NULL);
  free(order);
  for (size_t i = 0; i < njobs; i++)
    finish_job(&jobs[i], parts + i * (size_t)per, (size_t)per, &r->o);
  free(parts);
  free(jobs);
  free(figs);
}

static void add_disagreement(ThemaReliability *r, int code, size_t unit,
                             const int32_t *values) {
  size_t old_cap = r->dis_cap;
  r->dis = grow(r->dis, &r->dis_cap, r->ndis + 1, sizeof *r->dis);
  if (r->dis_cap != old_cap)
    r->dis_values =
        thema_xrealloc(r->dis_values, r->dis_cap * (size_t)r->ncoders * sizeof *values);
  memcpy(r->dis_values + r->ndis * (size_t)r->ncoders, values,
         (size_t)r->ncoders * sizeof *values);
  r->dis[r->ndis].code = code;
  r->dis[r->ndis].segment = r->unit_info[unit];
  r->dis[r->ndis].values = NULL; /* set once dis_values stops moving */
  r->ndis++;
}

static int by_path(const void *x, const void *y) {
  const Code *const *a = x, *const *b = y;
  return strcmp((*a)->path, (*b)->path);
}

/* The compared codes in byte order of their paths (as Lua's sort of strings
 * orders them in the C locale). */
static void compared_codes(ThemaReliability *r) {
  size_t k = r->ncodes_seen ? r->ncodes_seen : 1;
  const Code **list = thema_xmalloc(k * sizeof *list);
  size_t n = 0;
  for (size_t c = 0; c < r->ncodes_seen; c++)
    if (r->codes[c].compared) list[n++] = &r->codes[c];
  qsort(list, n, sizeof *list, by_path);
  r->order = thema_xmalloc(k * sizeof *r->order);
  for (size_t i = 0; i < n; i++) r->order[i] = (size_t)(list[i] - r->codes);
  free(list);
  r->sorted = thema_xmalloc((n ? n : 1) * sizeof *r->sorted);
  for (size_t i = 0; i < n; i++) r->sorted[i] = r->codes[r->order[i]].path;
  r->res.ncodes = n;
  r->by_code = thema_xcalloc(n, sizeof *r->by_code);
}

static void finish_binary(ThemaReliability *r) {
  size_t nu = r->nunits, J = (size_t)r->ncoders;
  int32_t *values = thema_xmalloc((nu ? nu : 1) * J * sizeof *values);
  for (size_t u = 0; u < nu; u++) {
    const unsigned char *cov = r->covers + r->unit_source[u] * J;
    for (size_t j = 0; j < J; j++) values[u * J + j] = cov[j] ? 0 : THEMA_AGREEMENT_MISSING;
  }
  ThemaRelMatrix m = {values, nu, r->ncoders, 2};
  Counts pooled;
  counts_init(&pooled, r->ncoders, 2);
  Counts *per = thema_xmalloc((r->res.ncodes ? r->res.ncodes : 1) * sizeof *per);
  for (size_t i = 0; i < r->res.ncodes; i++) {
    Code *c = &r->codes[r->order[i]];
    for (size_t a = 0; a < c->napps; a++)
      values[c->apps[a].unit * J + c->apps[a].coder] = 1;
    counts_init(&per[i], r->ncoders, 2);
    counts_add(&per[i], &m);
    counts_merge(&pooled, &per[i], r->ncoders);
    c->first = r->units_pooled.nunits;
    c->count = thema_agreement_units_add(&r->units_pooled, &m);
    for (size_t u = 0; u < nu; u++)
      if (r->unit_info[u] != NONE && thema_agreement_unit_disagrees(&m, u))
        add_disagreement(r, (int)i, u, values + u * J);
    for (size_t a = 0; a < c->napps; a++)
      values[c->apps[a].unit * J + c->apps[a].coder] = 0;
  }
  free(values);
  for (size_t i = 0; i < r->res.ncodes; i++) {
    const Code *c = &r->codes[r->order[i]];
    measure(r, &per[i], &r->units_pooled, c->first, c->count, &r->by_code[i]);
    counts_free(&per[i], r->ncoders);
  }
  free(per);
  measure(r, &pooled, &r->units_pooled, 0, r->units_pooled.nunits, &r->overall);
  counts_free(&pooled, r->ncoders);
}

static void finish_nominal(ThemaReliability *r) {
  size_t nu = r->nunits, J = (size_t)r->ncoders;
  ThemaRelMatrix nom = {r->nominal, nu, r->ncoders, (int32_t)r->ncodes_seen};
  Counts counts;
  counts_init(&counts, r->ncoders, nom.ncategories);
  counts_add(&counts, &nom);
  size_t count = thema_agreement_units_add(&r->units_nominal, &nom);
  for (size_t u = 0; u < nu; u++)
    if (r->unit_info[u] != NONE && thema_agreement_unit_disagrees(&nom, u))
      add_disagreement(r, -1, u, r->nominal + u * J);
  measure(r, &counts, &r->units_nominal, 0, count, &r->overall);
  counts_free(&counts, r->ncoders);

  int32_t *values = thema_xmalloc((nu ? nu : 1) * J * sizeof *values);
  ThemaRelMatrix m = {values, nu, r->ncoders, 2};
  for (size_t i = 0; i < r->res.ncodes; i++) {
    int32_t code = (int32_t)r->order[i];
    for (size_t x = 0; x < nu * J; x++)
      values[x] = r->nominal[x] < 0 ? THEMA_AGREEMENT_MISSING : r->nominal[x] == code;
    Counts per;
    counts_init(&per, r->ncoders, 2);
    counts_add(&per, &m);
    size_t first = r->units_pooled.nunits;
    size_t n = thema_agreement_units_add(&r->units_pooled, &m);
    measure(r, &per, &r->units_pooled, first, n, &r->by_code[i]);
    counts_free(&per, r->ncoders);
  }
  free(values);
}

const ThemaRelResult *thema_reliability_finish(ThemaReliability *r) {
  if (r->finished) return &r->res;
  r->finished = 1;
  flush_source(r);
  ThemaRelResult *res = &r->res;
  res->nunits = r->nunits;
  for (int j = 0; j < r->ncoders; j++) {
    const Conflicts *c = &r->conflicts[j];
    res->nconflicts += c->n;
    for (int64_t k = 0; k < c->n && k < THEMA_REL_CONFLICTS_SHOWN; k++)
      if (res->nconflicts_shown < THEMA_REL_CONFLICTS_SHOWN)
        res->conflicts[res->nconflicts_shown++] = c->shown[k];
  }
  r->paths = thema_xmalloc((r->ncodes_seen ? r->ncodes_seen : 1) * sizeof *r->paths);
  for (size_t c = 0; c < r->ncodes_seen; c++) r->paths[c] = r->codes[c].path;
  res->code_paths = r->paths;
  if (res->nconflicts > 0) return res;
  compared_codes(r);
  if (r->o.nominal)
    finish_nominal(r);
  else
    finish_binary(r);
  run_bootstraps(r);
  /* the pairable units are measured: give their memory back before the
   * caller turns the result into its own values */
  thema_agreement_units_free(&r->units_pooled);
  thema_agreement_units_free(&r->units_nominal);
  for (size_t i = 0; i < r->res.ncodes; i++) r->by_code[i].au = NULL;
  r->overall.au = NULL;
  for (size_t i = 0; i < r->ndis; i++)
    r->dis[i].values = r->dis_values + i * (size_t)r->ncoders;
  res->codes = r->sorted;
  res->by_code = r->by_code;
  res->overall = &r->overall;
  res->ndisagreements = r->ndis;
  res->disagreements = r->dis;
  res->nsegments = r->nsegments;
  res->segments = r->segments;
  return res;
}

void thema_reliability_free(ThemaReliability *r) {
  if (!r) return;
  for (int i = 0; r->select && i < r->o.ncodes; i++) free(r->select[i]);
  free(r->select);
  for (size_t c = 0; c < r->ncodes_seen; c++) {
    free(r->codes[c].path);
    free(r->codes[c].apps);
  }
  free(r->codes);
  free(r->code_slot);
  for (size_t s = 0; s < r->nsources; s++) free(r->source_names[s]);
  free(r->source_names);
  free(r->covers);
  free(r->unit_source);
  free(r->unit_info);
  free(r->nominal);
  for (size_t s = 0; s < r->nsegments; s++) {
    free((char *)r->segments[s].speaker);
    free((char *)r->segments[s].text);
  }
  free(r->segments);
  free(r->cur_source);
  free(r->cur_covers);
  free(r->pend);
  free(r->papps);
  free(r->pvals);
  thema_buf_free(&r->arena);
  free(r->conflicts);
  free(r->sorted);
  free(r->order);
  for (size_t i = 0; r->by_code && i < r->res.ncodes; i++) free(r->by_code[i].pairs);
  free(r->by_code);
  free(r->overall.pairs);
  free(r->dis);
  free(r->dis_values);
  free(r->paths);
  thema_agreement_units_free(&r->units_pooled);
  thema_agreement_units_free(&r->units_nominal);
  free(r);
}
