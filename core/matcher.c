/*
 * matcher.c — the deductive coding engine (see matcher.h for the rules).
 *
 * Per segment: fold the text once (case + accents), run the Aho-Corasick
 * automaton of all rule literals over it once, then for each code run only
 * the rules whose literals were seen: excludes first (a veto), then includes.
 * The accent-stripped text and the word list are built lazily, only when a
 * candidate rule needs them.
 */
#include "matcher.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rx.h"
#include "text.h"
#include "utf8.h"

/* ---- Aho-Corasick over bytes, with a dense transition table ---- */

typedef struct Automaton {
  int32_t (*next)[256];  /* next[state][byte]: the full transition function */
  int32_t *out;          /* literal ending at state, or -1 */
  int32_t *dict;         /* nearest suffix state with an output, or 0 */
  int32_t *fail;         /* failure links (build time) */
  int nstates, cap;
} Automaton;

static int ac_new_state(Automaton *a) {
  if (a->nstates == a->cap) {
    a->cap = a->cap ? a->cap * 2 : 64;
    a->next = thema_xrealloc(a->next, (size_t)a->cap * sizeof *a->next);
    a->out = thema_xrealloc(a->out, (size_t)a->cap * sizeof *a->out);
    a->dict = thema_xrealloc(a->dict, (size_t)a->cap * sizeof *a->dict);
    a->fail = thema_xrealloc(a->fail, (size_t)a->cap * sizeof *a->fail);
  }
  int s = a->nstates++;
  for (int b = 0; b < 256; b++) a->next[s][b] = -1;
  a->out[s] = -1;
  a->dict[s] = 0;
  a->fail[s] = 0;
  return s;
}

static void ac_add(Automaton *a, const char *lit, size_t n, int id) {
  if (a->nstates == 0) ac_new_state(a);
  int s = 0;
  for (size_t i = 0; i < n; i++) {
    unsigned char b = (unsigned char)lit[i];
    if (a->next[s][b] < 0) {
      int t = ac_new_state(a);
      a->next[s][b] = t;
    }
    s = a->next[s][b];
  }
  a->out[s] = id;
}

/* Breadth-first: failure links, dictionary links, and the missing
 * transitions filled in so that scanning is one lookup per byte. */
static void ac_build(Automaton *a) {
  if (a->nstates == 0) ac_new_state(a);
  int32_t *queue = thema_xmalloc((size_t)a->nstates * sizeof *queue);
  int head = 0, tail = 0;
  for (int b = 0; b < 256; b++) {
    int t = a->next[0][b];
    if (t < 0) {
      a->next[0][b] = 0;
    } else {
      a->fail[t] = 0;
      queue[tail++] = t;
    }
  }
  while (head < tail) {
    int s = queue[head++];
    int f = a->fail[s];
    a->dict[s] = a->out[f] >= 0 ? f : a->dict[f];
    for (int b = 0; b < 256; b++) {
      int t = a->next[s][b];
      if (t < 0) {
        a->next[s][b] = a->next[f][b];
      } else {
        a->fail[t] = a->next[f][b];
        queue[tail++] = t;
      }
    }
  }
  free(queue);
  free(a->fail);
  a->fail = NULL;
}

static void ac_free(Automaton *a) {
  free(a->next);
  free(a->out);
  free(a->dict);
  free(a->fail);
}

/* ---- rules ---- */

typedef struct Term {
  ThemaRx *rx;       /* the pattern, wrapped and flagged; NULL for a stem term */
  char *stem;        /* stem terms: the stem of the rule word */
  size_t stem_len;
  int fold;          /* matched against the accent-stripped text */
  int *lits;         /* literal ids; the term can only match if one occurs */
  int nlits;         /* 0: no prefilter, always run */
} Term;

typedef struct Rule {
  Term a, b;         /* b is used by NEAR rules only */
  int near;          /* 1 for "A NEAR/N B" */
  int distance;      /* N: words allowed between A and B */
} Rule;

typedef struct Code {
  char *path;
  Rule *inc, *exc;
  int ninc, nexc;
} Code;

typedef struct Span {
  size_t b, e;       /* byte offsets in the original text */
} Span;

struct ThemaMatcher {
  Code *codes;
  int ncodes;
  Automaton ac;
  char **lits;        /* distinct folded literals, by id */
  int nlits;
  uint32_t *seen;     /* seen[id] == gen when literal id occurs in this segment */
  uint32_t gen;
  ThemaStemmer *stemmer;  /* created when a code uses `stem` */
  /* per-segment scratch */
  ThemaBuf folded;    /* case- and accent-folded text, for the automaton */
  ThemaBuf stripped;  /* accent-stripped text, for `fold` rules */
  size_t *smap;       /* stripped byte offset -> original byte offset */
  size_t smap_cap;
  int have_stripped;
  ThemaWord *words;   /* words of the text, for NEAR and stem rules */
  char **stems;       /* their stems, computed on demand */
  size_t *stem_lens;
  int nwords, words_cap, have_words;
  Span *spans, *a_spans, *b_spans;
  int nspans, cap_spans, na, cap_a, nb, cap_b;
};

static int has_option(const char *options, const char *opt) {
  if (!options) return 0;
  size_t n = strlen(opt);
  for (const char *p = options; (p = strstr(p, opt)) != NULL; p += n)
    if ((p == options || p[-1] == ' ' || p[-1] == ',') &&
        (p[n] == '\0' || p[n] == ' ' || p[n] == ','))
      return 1;
  return 0;
}

static int literal_id(ThemaMatcher *m, const char *lit, size_t n) {
  for (int i = 0; i < m->nlits; i++)
    if (strlen(m->lits[i]) == n && memcmp(m->lits[i], lit, n) == 0) return i;
  m->lits = thema_xrealloc(m->lits, (size_t)(m->nlits + 1) * sizeof *m->lits);
  m->lits[m->nlits] = thema_xstrndup(lit, n);
  ac_add(&m->ac, lit, n, m->nlits);
  return m->nlits++;
}

/* The longest run of literal characters every match of one alternative must
 * contain; conservative: anything unusual ends a run. */
static void longest_literal(const char *p, size_t n, ThemaBuf *best) {
  ThemaBuf run = {0};
  thema_buf_reset(best);
  for (size_t i = 0; i <= n; i++) {
    char c = i < n ? p[i] : '\0';
    int literal = i < n && ((unsigned char)c >= 0x80 || (c >= 'a' && c <= 'z') ||
                            (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                            c == ' ' || c == '-' || c == '\'');
    if (literal) {
      /* a quantifier after this character makes it optional or repeated */
      size_t l = 1;
      if ((unsigned char)c >= 0x80)
        while (i + l < n && ((unsigned char)p[i + l] & 0xC0) == 0x80) l++;
      char q = i + l < n ? p[i + l] : '\0';
      if (q == '?' || q == '*' || q == '{') {
        if (run.len > best->len) { thema_buf_reset(best); thema_buf_append(best, run.data, run.len); }
        thema_buf_reset(&run);
        i += l - 1;
        continue;
      }
      thema_buf_append(&run, p + i, l);
      i += l - 1;
      if (q == '+') {
        if (run.len > best->len) { thema_buf_reset(best); thema_buf_append(best, run.data, run.len); }
        thema_buf_reset(&run);
      }
      continue;
    }
    if (run.len > best->len) { thema_buf_reset(best); thema_buf_append(best, run.data, run.len); }
    thema_buf_reset(&run);
    if (c == '\\' && i + 1 < n) {
      /* the escape and its argument: \x{e9} \xe9 \N{U+e9} \k<name> \g{-1} \12 \cA */
      char e = p[++i];
      if (i + 1 < n && p[i + 1] == '{') {
        while (i < n && p[i] != '}') i++;
      } else if ((e == 'k' || e == 'g') && i + 1 < n && (p[i + 1] == '<' || p[i + 1] == '\'')) {
        char close = p[i + 1] == '<' ? '>' : '\'';
        for (i += 2; i < n && p[i] != close; i++) {}
      } else if (e == 'x') {
        for (int k = 0; k < 2 && i + 1 < n && strchr("0123456789abcdefABCDEF", p[i + 1]); k++) i++;
      } else if ((e >= '0' && e <= '9') || e == 'g') {
        if (e == 'g' && i + 1 < n && (p[i + 1] == '-' || p[i + 1] == '+')) i++;
        while (i + 1 < n && p[i + 1] >= '0' && p[i + 1] <= '9') i++;
      } else if (e == 'c' && i + 1 < n) {
        i++;
      }
    } else if (c == '{') { /* a counted quantifier: its digits are no literal */
      while (i < n && p[i] != '}') i++;
    } else if (c == '[') {
      i++;
      if (i < n && p[i] == '^') i++;
      if (i < n && p[i] == ']') i++;
      while (i < n && p[i] != ']') i += p[i] == '\\' ? 2 : 1;
    } else if (c == '(') {
      int depth = 1;
      for (i++; i < n && depth; i++) {
        if (p[i] == '\\') i++;
        else if (p[i] == '(') depth++;
        else if (p[i] == ')') depth--;
      }
      i--;
      if (i + 1 < n && (p[i + 1] == '?' || p[i + 1] == '*' || p[i + 1] == '+')) i++;
      else if (i + 1 < n && p[i + 1] == '{')
        for (i++; i < n && p[i] != '}'; i++) {}
    }
  }
  thema_buf_free(&run);
  /* trim the spaces and hyphens that border a run: they are not informative */
  while (best->len && (best->data[best->len - 1] == ' ')) best->len--;
  if (best->data) best->data[best->len] = '\0';
}

/* Whether p sets option x (or xx) anywhere, as in "(?x)" or "(?ix:": then
 * spaces and '#' comments are not literal, so no literal can be trusted. */
static int sets_extended(const char *p) {
  for (const char *q = strstr(p, "(?"); q; q = strstr(q + 1, "(?")) {
    if (q > p && q[-1] == '\\') continue;
    for (q += 2; *q && strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ^-", *q); q++)
      if (*q == 'x') return 1;
  }
  return 0;
}

/* Literals for pattern p: one per top-level alternative, or none at all when
 * some alternative has no literal of at least two bytes. */
static void term_literals(ThemaMatcher *m, Term *t, const char *p) {
  if (sets_extended(p)) return;
  size_t n = strlen(p);
  int depth = 0;
  size_t start = 0;
  ThemaBuf lit = {0}, folded = {0};
  int ok = 1;
  for (size_t i = 0; i <= n && ok; i++) {
    char c = i < n ? p[i] : '|';
    if (c == '\\' && i + 1 < n) { i++; continue; }
    if (c == '[') {
      for (i++; i < n && p[i] != ']'; i++) if (p[i] == '\\') i++;
      continue;
    }
    if (c == '(') depth++;
    else if (c == ')') depth--;
    else if (c == '|' && depth == 0) {
      longest_literal(p + start, i - start, &lit);
      thema_buf_reset(&folded);
      thema_text_fold(&folded, thema_buf_str(&lit), lit.len);
      if (folded.len < 2) {
        ok = 0;
        break;
      }
      t->lits = thema_xrealloc(t->lits, (size_t)(t->nlits + 1) * sizeof *t->lits);
      t->lits[t->nlits++] = literal_id(m, folded.data, folded.len);
      start = i + 1;
    }
  }
  if (!ok || depth != 0) {
    free(t->lits);
    t->lits = NULL;
    t->nlits = 0;
  }
  thema_buf_free(&lit);
  thema_buf_free(&folded);
}

static int is_plain_word(const char *s) {
  if (!*s) return 0;
  for (const unsigned char *p = (const unsigned char *)s; *p; p++)
    if (!(*p >= 0x80 || (*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z'))) return 0;
  return 1;
}

static void strip_accents(const char *s, ThemaBuf *out) {
  size_t n = strlen(s);
  for (size_t i = 0; i < n;) {
    size_t l;
    int32_t c = thema_utf8_decode(s + i, n - i, &l);
    int32_t base = thema_text_accent_base(c);
    if (base >= 0) thema_text_put_cp(out, base);
    i += l;
  }
}

static int compile_term(ThemaMatcher *m, Term *t, const char *pattern, const char *options,
                        const char *what, const char *code, long line, ThemaError *err) {
  char where[512];
  snprintf(where, sizeof where, "%s:%ld: code '%s'", what, line, code);
  t->fold = has_option(options, "fold");
  if (has_option(options, "stem") && is_plain_word(pattern)) {
    if (!m->stemmer && !(m->stemmer = thema_stemmer_new("dutch")))
      return thema_error_set(err, THEMA_ERUNTIME, "the Dutch Snowball stemmer is missing");
    size_t len;
    const char *st = thema_stemmer_stem(m->stemmer, pattern, strlen(pattern), &len);
    t->stem = thema_xstrndup(st, len);
    t->stem_len = len;
    /* Snowball changes only the last letters of a word: it deletes endings,
     * "heden" becomes "heid" and "maan" becomes "man". Every word with this
     * stem starts with the stem less its last two letters; that is the
     * literal (the whole stem would miss "leer" for "leren", stem "ler"). */
    size_t cps = thema_utf8_count(t->stem, len);
    ThemaBuf folded = {0};
    thema_text_fold(&folded, t->stem, cps > 2 ? thema_utf8_byte_offset(t->stem, len, cps - 2) : 0);
    if (folded.len >= 2) {
      t->lits = thema_xmalloc(sizeof *t->lits);
      t->lits[0] = literal_id(m, folded.data, folded.len);
      t->nlits = 1;
    }
    thema_buf_free(&folded);
    return THEMA_OK;
  }
  /* Validate the pattern as written, so PCRE2's offset refers to it. */
  ThemaRx *check = thema_rx_compile(pattern, 0, where, err);
  if (!check) return err->status;
  thema_rx_free(check);
  ThemaBuf p = {0};
  if (t->fold) strip_accents(pattern, &p);
  else thema_buf_puts(&p, pattern);
  term_literals(m, t, thema_buf_str(&p));
  ThemaBuf wrapped = {0};
  if (has_option(options, "partial")) thema_buf_puts(&wrapped, thema_buf_str(&p));
  else thema_buf_printf(&wrapped, "(?<!\\w)(?:%s)(?!\\w)", thema_buf_str(&p));
  t->rx = thema_rx_compile(thema_buf_str(&wrapped),
                           has_option(options, "case") ? 0 : THEMA_RX_CASELESS, where, err);
  thema_buf_free(&p);
  thema_buf_free(&wrapped);
  return t->rx ? THEMA_OK : err->status;
}

static int compile_rule(ThemaMatcher *m, Rule *r, const char *line_text, const char *options,
                        const char *what, const char *code, long line, ThemaError *err) {
  /* "A NEAR/N B" — the operator stands between spaces. */
  const char *op = strstr(line_text, " NEAR/");
  if (!op && strncmp(line_text, "NEAR/", 5) == 0)
    return thema_error_set(err, THEMA_EINPUT,
                           "%s:%ld: code '%s': NEAR needs a pattern on each side", what, line,
                           code);
  if (op) {
    char *end;
    long n = strtol(op + 6, &end, 10);
    if (end == op + 6 || (*end != ' ' && *end != '\0') || n < 0 || n > 1000)
      return thema_error_set(err, THEMA_EINPUT,
                             "%s:%ld: code '%s': NEAR needs a word distance, as in "
                             "'overleg NEAR/5 leren'",
                             what, line, code);
    char *a = thema_xstrndup(line_text, (size_t)(op - line_text));
    const char *b = *end ? end + 1 : end;
    while (*b == ' ') b++;
    r->near = 1;
    r->distance = (int)n;
    int rc = !*a || !*b
                 ? thema_error_set(err, THEMA_EINPUT,
                                   "%s:%ld: code '%s': NEAR needs a pattern on each side",
                                   what, line, code)
                 : compile_term(m, &r->a, a, options, what, code, line, err) ||
                       compile_term(m, &r->b, b, options, what, code, line, err);
    free(a);
    return rc ? err->status : THEMA_OK;
  }
  return compile_term(m, &r->a, line_text, options, what, code, line, err);
}

static void term_free(Term *t) {
  thema_rx_free(t->rx);
  free(t->stem);
  free(t->lits);
}

void thema_matcher_free(ThemaMatcher *m) {
  if (!m) return;
  for (int c = 0; c < m->ncodes; c++) {
    Code *code = &m->codes[c];
    for (int i = 0; i < code->ninc; i++) { term_free(&code->inc[i].a); term_free(&code->inc[i].b); }
    for (int i = 0; i < code->nexc; i++) { term_free(&code->exc[i].a); term_free(&code->exc[i].b); }
    free(code->inc);
    free(code->exc);
    free(code->path);
  }
  free(m->codes);
  ac_free(&m->ac);
  for (int i = 0; i < m->nlits; i++) free(m->lits[i]);
  free(m->lits);
  free(m->seen);
  thema_stemmer_free(m->stemmer);
  thema_buf_free(&m->folded);
  thema_buf_free(&m->stripped);
  free(m->smap);
  free(m->words);
  for (int i = 0; i < m->words_cap; i++) free(m->stems ? m->stems[i] : NULL);
  free(m->stems);
  free(m->stem_lens);
  free(m->spans);
  free(m->a_spans);
  free(m->b_spans);
  free(m);
}

ThemaMatcher *thema_matcher_new(const ThemaCodeSpec *codes, int ncodes, const char *what,
                                ThemaError *err) {
  ThemaMatcher *m = calloc(1, sizeof *m);
  if (!m) abort();
  m->codes = calloc((size_t)(ncodes ? ncodes : 1), sizeof *m->codes);
  if (!m->codes) abort();
  for (int c = 0; c < ncodes; c++) {
    const ThemaCodeSpec *s = &codes[c];
    Code *code = &m->codes[c];
    m->ncodes = c + 1;
    code->path = thema_xstrdup(s->path);
    code->inc = calloc((size_t)(s->ninclude ? s->ninclude : 1), sizeof *code->inc);
    code->exc = calloc((size_t)(s->nexclude ? s->nexclude : 1), sizeof *code->exc);
    if (!code->inc || !code->exc) abort();
    for (int i = 0; i < s->ninclude; i++, code->ninc++)
      if (compile_rule(m, &code->inc[i], s->include[i], s->options, what, s->path,
                       s->include_lines ? s->include_lines[i] : s->line, err))
        goto fail;
    for (int i = 0; i < s->nexclude; i++, code->nexc++)
      if (compile_rule(m, &code->exc[i], s->exclude[i], s->options, what, s->path,
                       s->exclude_lines ? s->exclude_lines[i] : s->line, err))
        goto fail;
  }
  ac_build(&m->ac);
  m->seen = calloc((size_t)(m->nlits ? m->nlits : 1), sizeof *m->seen);
  if (!m->seen) abort();
  return m;
fail:
  /* the rule being compiled counts as present so that its parts are freed */
  if (m->ncodes) {
    Code *code = &m->codes[m->ncodes - 1];
    if (code->ninc < codes[m->ncodes - 1].ninclude) code->ninc++;
    else if (code->nexc < codes[m->ncodes - 1].nexclude) code->nexc++;
  }
  thema_matcher_free(m);
  return NULL;
}

int thema_matcher_ncodes(const ThemaMatcher *m) { return m->ncodes; }
const char *thema_matcher_path(const ThemaMatcher *m, int code) { return m->codes[code].path; }

/* ---- scanning ---- */

typedef struct Scan {
  ThemaMatcher *m;
  const char *text;
  size_t len;
  ThemaError *err;
} Scan;

static void build_stripped(ThemaMatcher *m, const char *s, size_t n) {
  thema_buf_reset(&m->stripped);
  if (m->smap_cap < n + 1) {
    m->smap_cap = n + 1;
    m->smap = thema_xrealloc(m->smap, m->smap_cap * sizeof *m->smap * 4);
  }
  for (size_t i = 0; i < n;) {
    size_t l;
    int32_t c = thema_utf8_decode(s + i, n - i, &l);
    int32_t base = thema_text_accent_base(c);
    size_t before = m->stripped.len;
    if (base >= 0) thema_text_put_cp(&m->stripped, base);
    for (size_t k = before; k < m->stripped.len; k++) m->smap[k] = i;
    i += l;
  }
  m->smap[m->stripped.len] = n;
  thema_buf_putc(&m->stripped, '\0');
  m->stripped.len--;
  m->have_stripped = 1;
}

static void build_words(ThemaMatcher *m, const char *s, size_t n) {
  ThemaWordScan sc = {.s = s, .n = n};
  ThemaWord w;
  m->nwords = 0;
  while (thema_text_next_word(&sc, &w)) {
    if (m->nwords == m->words_cap) {
      int cap = m->words_cap ? m->words_cap * 2 : 64;
      m->words = thema_xrealloc(m->words, (size_t)cap * sizeof *m->words);
      m->stems = thema_xrealloc(m->stems, (size_t)cap * sizeof *m->stems);
      m->stem_lens = thema_xrealloc(m->stem_lens, (size_t)cap * sizeof *m->stem_lens);
      for (int i = m->words_cap; i < cap; i++) m->stems[i] = NULL;
      m->words_cap = cap;
    }
    free(m->stems[m->nwords]);
    m->stems[m->nwords] = NULL;
    m->words[m->nwords++] = w;
  }
  m->have_words = 1;
}

static int term_candidate(const ThemaMatcher *m, const Term *t) {
  if (t->nlits == 0) return 1;
  for (int i = 0; i < t->nlits; i++)
    if (m->seen[t->lits[i]] == m->gen) return 1;
  return 0;
}

static void push_span(Span **arr, int *n, int *cap, size_t b, size_t e) {
  if (*n == *cap) {
    *cap = *cap ? *cap * 2 : 16;
    *arr = thema_xrealloc(*arr, (size_t)*cap * sizeof **arr);
  }
  (*arr)[*n].b = b;
  (*arr)[*n].e = e;
  (*n)++;
}

/* All matches of t, as byte spans of the original text, into arr. */
static int term_matches(Scan *sc, const Term *t, Span **arr, int *n, int *cap) {
  ThemaMatcher *m = sc->m;
  *n = 0;
  if (t->stem) {
    if (!m->have_words) build_words(m, sc->text, sc->len);
    for (int i = 0; i < m->nwords; i++) {
      ThemaWord *w = &m->words[i];
      if (!m->stems[i]) {
        size_t len;
        const char *st = thema_stemmer_stem(m->stemmer, sc->text + w->bstart,
                                            w->bstop - w->bstart, &len);
        m->stems[i] = thema_xstrndup(st, len);
        m->stem_lens[i] = len;
      }
      if (m->stem_lens[i] == t->stem_len && memcmp(m->stems[i], t->stem, t->stem_len) == 0)
        push_span(arr, n, cap, w->bstart, w->bstop);
    }
    return THEMA_OK;
  }
  const char *subject = sc->text;
  size_t len = sc->len;
  if (t->fold) {
    if (!m->have_stripped) build_stripped(m, sc->text, sc->len);
    subject = m->stripped.data ? m->stripped.data : "";
    len = m->stripped.len;
  }
  size_t at = 0;
  PCRE2_SIZE *ov;
  int rc;
  while (at <= len && (rc = thema_rx_match(t->rx, subject, len, at, &ov, sc->err)) == 1) {
    size_t b = ov[0], e = ov[1];
    if (e > b) /* an empty match codes nothing */
      push_span(arr, n, cap, t->fold ? m->smap[b] : b, t->fold ? m->smap[e] : e);
    at = e > b ? e : e + 1;
    while (at < len && ((unsigned char)subject[at] & 0xC0) == 0x80) at++;
  }
  return rc < 0 ? sc->err->status : THEMA_OK;
}

/* Words strictly between byte offsets from and to. */
static int words_between(ThemaMatcher *m, size_t from, size_t to) {
  int count = 0;
  for (int i = 0; i < m->nwords; i++)
    if (m->words[i].bstart >= from && m->words[i].bstop <= to) count++;
  return count;
}

/* Matches of rule r into m->spans (appended). */
static int rule_matches(Scan *sc, const Rule *r) {
  ThemaMatcher *m = sc->m;
  if (!term_candidate(m, &r->a) || (r->near && !term_candidate(m, &r->b))) return THEMA_OK;
  if (term_matches(sc, &r->a, &m->a_spans, &m->na, &m->cap_a)) return sc->err->status;
  if (!r->near) {
    for (int i = 0; i < m->na; i++)
      push_span(&m->spans, &m->nspans, &m->cap_spans, m->a_spans[i].b, m->a_spans[i].e);
    return THEMA_OK;
  }
  if (!m->na) return THEMA_OK;
  if (term_matches(sc, &r->b, &m->b_spans, &m->nb, &m->cap_b)) return sc->err->status;
  if (!m->nb) return THEMA_OK;
  if (!m->have_words) build_words(m, sc->text, sc->len);
  for (int i = 0; i < m->na; i++)
    for (int j = 0; j < m->nb; j++) {
      Span a = m->a_spans[i], b = m->b_spans[j];
      const Span *first = a.b <= b.b ? &a : &b, *second = a.b <= b.b ? &b : &a;
      if (second->b < first->e) continue; /* overlapping: not two terms */
      if (words_between(m, first->e, second->b) <= r->distance)
        push_span(&m->spans, &m->nspans, &m->cap_spans, first->b,
                  second->e > first->e ? second->e : first->e);
    }
  return THEMA_OK;
}

static int cmp_span(const void *x, const void *y) {
  const Span *a = x, *b = y;
  if (a->b != b->b) return a->b < b->b ? -1 : 1;
  return a->e < b->e ? -1 : a->e > b->e;
}

int thema_matcher_scan(ThemaMatcher *m, const char *text, size_t len, ThemaMatchFn fn,
                       void *ud, ThemaError *err) {
  Scan sc = {.m = m, .text = text, .len = len, .err = err};
  m->have_stripped = 0;
  m->have_words = 0;
  if (++m->gen == 0) { /* wrapped: clear once every 4 billion segments */
    memset(m->seen, 0, (size_t)(m->nlits ? m->nlits : 1) * sizeof *m->seen);
    m->gen = 1;
  }
  if (m->nlits) {
    thema_buf_reset(&m->folded);
    thema_text_fold(&m->folded, text, len);
    const unsigned char *s = (const unsigned char *)thema_buf_str(&m->folded);
    int32_t state = 0;
    for (size_t i = 0; i < m->folded.len; i++) {
      state = m->ac.next[state][s[i]];
      for (int32_t t = m->ac.out[state] >= 0 ? state : m->ac.dict[state]; t;
           t = m->ac.dict[t])
        m->seen[m->ac.out[t]] = m->gen;
    }
  }
  ThemaCpCursor cur = {0};
  for (int c = 0; c < m->ncodes; c++) {
    Code *code = &m->codes[c];
    m->nspans = 0;
    for (int i = 0; i < code->nexc && !m->nspans; i++)
      if (rule_matches(&sc, &code->exc[i])) return err->status;
    if (m->nspans) continue; /* vetoed */
    for (int i = 0; i < code->ninc; i++)
      if (rule_matches(&sc, &code->inc[i])) return err->status;
    if (!m->nspans) continue;
    qsort(m->spans, (size_t)m->nspans, sizeof *m->spans, cmp_span);
    int out = 0;
    for (int i = 1; i < m->nspans; i++) {
      if (m->spans[i].b < m->spans[out].e) {
        if (m->spans[i].e > m->spans[out].e) m->spans[out].e = m->spans[i].e;
      } else {
        m->spans[++out] = m->spans[i];
      }
    }
    for (int i = 0; i <= out; i++) {
      size_t cb = thema_cp_advance(&cur, text, m->spans[i].b);
      size_t ce = thema_cp_advance(&cur, text, m->spans[i].e);
      int rc = fn(ud, c, cb, ce);
      if (rc) return rc;
    }
  }
  return THEMA_OK;
}
