/*
 * matcher.c — the deductive coding engine (see matcher.h for the rules).
 *
 * Per segment: run the Aho-Corasick automaton of all rule literals once over
 * the text, folding it (case + accents) on the fly, then for each code run
 * only the rules whose literal sets were seen: excludes first (a veto), then
 * includes. The accent-stripped text and the word list are built lazily,
 * only when a candidate rule needs them.
 */
#include "deductive/matcher.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/utf8.h"
#include "text/rx.h"
#include "text/text.h"

/* ---- Aho-Corasick over bytes, with a dense transition table ----
 *
 * Bytes that occur in no literal all lead back to the root, so the table has
 * one column per byte that some literal uses plus column 0 for all others:
 * a few hundred KB rather than 1 KB per state, which keeps it in cache. An
 * entry is the next state's row offset (state * ncls), or ~row when a
 * literal ends at that state or at one of its suffixes: scanning is one
 * lookup per byte. */

typedef struct Automaton {
  int32_t (*trie)[256]; /* build time: trie[state][byte], -1 where missing */
  int32_t *out;         /* literal ending at state, or -1 */
  int32_t *dict;        /* nearest proper suffix state with an output, or 0 */
  int32_t *fail;        /* failure links (build time) */
  int nstates, cap;
  uint16_t cls[256]; /* byte -> column */
  int ncls;
  int32_t *next; /* next[row + column], as above */
} Automaton;

static int ac_new_state(Automaton *a) {
  if (a->nstates == a->cap) {
    a->cap = a->cap ? a->cap * 2 : 64;
    a->trie = thema_xrealloc(a->trie, (size_t)a->cap * sizeof *a->trie);
    a->out = thema_xrealloc(a->out, (size_t)a->cap * sizeof *a->out);
    a->dict = thema_xrealloc(a->dict, (size_t)a->cap * sizeof *a->dict);
    a->fail = thema_xrealloc(a->fail, (size_t)a->cap * sizeof *a->fail);
  }
  int s = a->nstates++;
  for (int b = 0; b < 256; b++) a->trie[s][b] = -1;
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
    if (a->trie[s][b] < 0) {
      int t = ac_new_state(a);
      a->trie[s][b] = t;
    }
    s = a->trie[s][b];
  }
  a->out[s] = id;
}

/* The columns, then breadth-first: failure links, dictionary links, and the
 * missing transitions filled in; last the entries become (flagged) rows. */
static void ac_build(Automaton *a) {
  if (a->nstates == 0) ac_new_state(a);
  memset(a->cls, 0, sizeof a->cls);
  a->ncls = 1;
  for (int b = 0; b < 256; b++)
    for (int s = 0; s < a->nstates && !a->cls[b]; s++)
      if (a->trie[s][b] >= 0) a->cls[b] = (uint16_t)a->ncls++;
  int nc = a->ncls;
  int32_t *g = thema_xmalloc((size_t)a->nstates * (size_t)nc * sizeof *g);
  for (int s = 0; s < a->nstates; s++) {
    g[(size_t)s * nc] = -1;
    for (int b = 0; b < 256; b++)
      if (a->cls[b]) g[(size_t)s * nc + a->cls[b]] = a->trie[s][b];
  }
  free(a->trie);
  a->trie = NULL;
  int32_t *queue = thema_xmalloc((size_t)a->nstates * sizeof *queue);
  int head = 0, tail = 0;
  for (int c = 0; c < nc; c++) {
    int t = g[c];
    if (t < 0) {
      g[c] = 0;
    } else {
      a->fail[t] = 0;
      queue[tail++] = t;
    }
  }
  while (head < tail) {
    int s = queue[head++];
    int f = a->fail[s];
    a->dict[s] = a->out[f] >= 0 ? f : a->dict[f];
    for (int c = 0; c < nc; c++) {
      int t = g[(size_t)s * nc + c];
      if (t < 0) {
        g[(size_t)s * nc + c] = g[(size_t)f * nc + c];
      } else {
        a->fail[t] = g[(size_t)f * nc + c];
        queue[tail++] = t;
      }
    }
  }
  free(queue);
  free(a->fail);
  a->fail = NULL;
  for (size_t i = 0; i < (size_t)a->nstates * nc; i++) {
    int32_t t = g[i], row = t * nc;
    g[i] = a->out[t] >= 0 || a->dict[t] ? ~row : row;
  }
  a->next = g;
}

static void ac_free(Automaton *a) {
  free(a->trie);
  free(a->next);
  free(a->out);
  free(a->dict);
  free(a->fail);
}

/* ---- rules ---- */

typedef struct Term {
  ThemaRx *rx; /* the pattern, wrapped and flagged; NULL for a stem term */
  char *stem;  /* stem terms: the stem of the rule word */
  size_t stem_len;
  int fold;  /* matched against the accent-stripped text */
  int *lits; /* literal ids; the term can only match if one occurs */
  int nlits; /* 0: no prefilter, always run */
} Term;

typedef struct Rule {
  Term a, b;    /* b is used by NEAR rules only */
  int near;     /* 1 for "A NEAR/N B" */
  int distance; /* N: words allowed between A and B */
} Rule;

typedef struct Code {
  char *path;
  Rule *inc, *exc;
  int ninc, nexc;
} Code;

typedef struct Span {
  size_t b, e; /* byte offsets in the original text */
} Span;

struct ThemaMatcher {
  Code *codes;
  int ncodes;
  Automaton ac;
  char **lits; /* distinct folded literals, by id */
  int nlits;
  uint32_t *seen; /* seen[id] == gen when literal id occurs in this segment */
  uint32_t gen;
  ThemaStemmer *stemmer; /* created when a code uses `stem` */
  /* per-segment scratch */
  ThemaBuf folded;   /* one folded non-ASCII character, for the automaton */
  ThemaBuf stripped; /* accent-stripped text, for `fold` rules */
  size_t *smap;      /* stripped byte offset -> original byte offset */
  size_t smap_cap;
  int have_stripped;
  ThemaWord *words; /* words of the text, for NEAR and stem rules */
  char **stems;     /* their stems, computed on demand */
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

/* Whether the automaton can take literals of `bytes` more bytes: beyond
 * AC_MAX_STATES states (a codebook far larger than any study's) terms are
 * left unprefiltered, which keeps the table's row offsets in an int32. */
#define AC_MAX_STATES (1 << 18)
static int ac_room(const ThemaMatcher *m, size_t bytes) {
  return (size_t)m->ac.nstates + bytes <= AC_MAX_STATES;
}

static int literal_id(ThemaMatcher *m, const char *lit, size_t n) {
  for (int i = 0; i < m->nlits; i++)
    if (strlen(m->lits[i]) == n && memcmp(m->lits[i], lit, n) == 0) return i;
  m->lits = thema_xrealloc(m->lits, (size_t)(m->nlits + 1) * sizeof *m->lits);
  m->lits[m->nlits] = thema_xstrndup(lit, n);
  ac_add(&m->ac, lit, n, m->nlits);
  return m->nlits++;
}

/* ---- required literal sets ----
 *
 * For each pattern a set of folded literals with this invariant:
 *
 *   every match of the pattern contains one member of the set, as folded
 *   text (thema_text_fold of the segment).
 *
 * A rule is then tried only in segments where the automaton saw a member.
 * The set comes from a small recursive descent over the pattern:
 *   alternation  A|B|C   the union of the alternatives' sets; none when one
 *                        alternative has none;
 *   sequence     X Y Z   the best set of one element: a run of literal
 *                        characters, or a group that must match;
 *   group        (...)   its alternation's set; nothing when it may match
 *                        zero times (?, *, {0,...}), nor for lookarounds,
 *                        option groups and comments.
 * Classes, escapes, '.', anchors and quantified characters end a run. A
 * construct the descent does not know (conditionals, verbs, callouts, a '{'
 * that is no plain quantifier, \Q in a class) leaves the pattern without a
 * set: unprefiltered is always correct. Members are at least LIT_MIN folded
 * bytes (at most LIT_LONG); a set over LIT_MAX members is dropped. */

#define LIT_MIN 2
#define LIT_MAX 64
#define LIT_LONG 64 /* longer members are cut: a prefix is required too */

typedef struct LitSet {
  char **s; /* folded members, none a substring of another */
  int n;    /* 0: no set (nothing is promised) */
} LitSet;

static void ls_free(LitSet *l) {
  for (int i = 0; i < l->n; i++) free(l->s[i]);
  free(l->s);
  l->s = NULL;
  l->n = 0;
}

/* Add x. A member that contains another adds nothing (a text holding it
 * holds the other too), so of two such members only the shorter is kept. */
static void ls_add(LitSet *l, const char *x) {
  for (int i = 0; i < l->n; i++)
    if (strstr(x, l->s[i])) return;
  int k = 0;
  for (int i = 0; i < l->n; i++) {
    if (strstr(l->s[i], x))
      free(l->s[i]);
    else
      l->s[k++] = l->s[i];
  }
  l->s = thema_xrealloc(l->s, (size_t)(k + 1) * sizeof *l->s);
  l->s[k++] = thema_xstrdup(x);
  l->n = k;
}

static size_t ls_shortest(const LitSet *l) {
  size_t m = (size_t)-1;
  for (int i = 0; i < l->n; i++)
    if (strlen(l->s[i]) < m) m = strlen(l->s[i]);
  return m;
}

/* Whether a is a better filter than b: shortest member of 3 bytes or more,
 * then fewer members, then a longer shortest member. */
static int ls_better(const LitSet *a, const LitSet *b) {
  if (!a->n) return 0;
  if (!b->n) return 1;
  size_t ma = ls_shortest(a), mb = ls_shortest(b);
  if ((ma >= 3) != (mb >= 3)) return ma >= 3;
  if (a->n != b->n) return a->n < b->n;
  return ma > mb;
}

/* Keep the better of *best and *cand in *best; cand is consumed. */
static void ls_offer(LitSet *best, LitSet *cand) {
  if (ls_better(cand, best)) {
    ls_free(best);
    *best = *cand;
    *cand = (LitSet){0};
  } else {
    ls_free(cand);
  }
}

typedef struct LitParse {
  const char *p;
  size_t n, i; /* the pattern and the parse position */
  int bad;     /* met something it does not know: no set at all */
} LitParse;

/* The letters of inline options, as in (?i) and (?-i:...). */
static const char option_letters[] =
    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ^-";

static int lp_at(const LitParse *lp, size_t k) {
  return lp->i + k < lp->n ? lp->p[lp->i + k] : '\0';
}

/* A quantifier at the position: consumed with its lazy or possessive mark,
 * *min its least count. Returns 0 (nothing consumed) when there is none. */
static int lp_quantifier(LitParse *lp, long *min) {
  char c = (char)lp_at(lp, 0);
  if (c == '?' || c == '*' || c == '+') {
    *min = c == '+';
    lp->i++;
  } else if (c == '{') {
    /* only {n} {n,} {n,m} {,m}: their digits are never literal */
    size_t j = lp->i + 1, d0 = j;
    long lo = 0;
    while (j < lp->n && lp->p[j] >= '0' && lp->p[j] <= '9') {
      if (lo < 1000000) lo = lo * 10 + (lp->p[j] - '0');
      j++;
    }
    int digits = j > d0;
    if (j < lp->n && lp->p[j] == ',') {
      size_t d1 = ++j;
      while (j < lp->n && lp->p[j] >= '0' && lp->p[j] <= '9') j++;
      digits |= j > d1;
    }
    if (!digits || j >= lp->n || lp->p[j] != '}') {
      lp->bad = 1; /* a literal '{', or a form this parser does not know */
      return 0;
    }
    *min = lo;
    lp->i = j + 1;
  } else {
    return 0;
  }
  if (lp_at(lp, 0) == '?' || lp_at(lp, 0) == '+') lp->i++;
  return 1;
}

/* Skip to just after the first `close` at or after the position. */
static void lp_skip_past(LitParse *lp, char close) {
  while (lp->i < lp->n && lp->p[lp->i] != close) lp->i++;
  if (lp->i < lp->n)
    lp->i++;
  else
    lp->bad = 1;
}

/* An escape, the position on its backslash: consumed with its argument
 * (\x{e9} \xe9 \pL \p{Lu} \N{U+e9} \o{..} \k<n> \g{-1} \g-1 \12 \cA \Q..\E). */
static void lp_escape(LitParse *lp) {
  lp->i++;
  char e = (char)lp_at(lp, 0);
  if (!e) {
    lp->bad = 1;
    return;
  }
  lp->i++;
  char a = (char)lp_at(lp, 0);
  if ((unsigned char)e >= 0x80) { /* an escaped non-ASCII character */
    while (lp->i < lp->n && ((unsigned char)lp->p[lp->i] & 0xC0) == 0x80) lp->i++;
  } else if (e == 'Q') {
    const char *end = strstr(lp->p + lp->i, "\\E");
    lp->i = end && (size_t)(end - lp->p) < lp->n ? (size_t)(end - lp->p) + 2 : lp->n;
  } else if (strchr("xopPNgk", e) && a == '{') {
    lp_skip_past(lp, '}');
  } else if ((e == 'g' || e == 'k') && (a == '<' || a == '\'')) {
    lp->i++;
    lp_skip_past(lp, a == '<' ? '>' : '\'');
  } else if (e == 'x') {
    for (int k = 0; k < 2 && lp_at(lp, 0) && strchr("0123456789abcdefABCDEF", lp_at(lp, 0));
         k++)
      lp->i++;
  } else if (e == 'p' || e == 'P' || e == 'c') {
    if (a) lp->i++;
  } else if (e == 'g' || (e >= '0' && e <= '9')) {
    if (e == 'g' && (a == '-' || a == '+')) lp->i++;
    while (lp_at(lp, 0) >= '0' && lp_at(lp, 0) <= '9') lp->i++;
  }
}

/* A character class, the position on its '['. */
static void lp_class(LitParse *lp) {
  lp->i++;
  if (lp_at(lp, 0) == '^') lp->i++;
  if (lp_at(lp, 0) == ']') lp->i++; /* a leading ']' is a member */
  while (lp->i < lp->n && lp->p[lp->i] != ']') {
    if (lp->p[lp->i] == '\\') {
      if (lp_at(lp, 1) == 'Q') {
        lp->bad = 1;
        return;
      }
      lp->i += 2;
    } else if (lp->p[lp->i] == '[' && lp_at(lp, 1) == ':') { /* [:alpha:] */
      size_t j = lp->i + 2;
      while (j < lp->n && (lp->p[j] == '^' || (lp->p[j] >= 'a' && lp->p[j] <= 'z'))) j++;
      lp->i = j + 1 < lp->n && lp->p[j] == ':' && lp->p[j + 1] == ']' ? j + 2 : lp->i + 1;
    } else {
      lp->i++;
    }
  }
  if (lp->i < lp->n)
    lp->i++;
  else
    lp->bad = 1;
}

static void lp_alternation(LitParse *lp, LitSet *out);

/* A group, the position on its '('; *out gets its set when it has one. */
static void lp_group(LitParse *lp, LitSet *out) {
  lp->i++;
  int keep = 1;
  if (lp_at(lp, 0) == '*') { /* (*VERB), (*pla:...), ...: (*ACCEPT) ends a match early */
    lp->bad = 1;
    return;
  }
  if (lp_at(lp, 0) == '?') {
    char k = (char)lp_at(lp, 1), k2 = (char)lp_at(lp, 2);
    if (k == ':' || k == '|' || k == '>') { /* non-capturing, branch reset, atomic */
      lp->i += 2;
    } else if (k == '=' || k == '!' || (k == '<' && (k2 == '=' || k2 == '!'))) {
      lp->i += k == '<' ? 3 : 2; /* a lookaround: its text is looked at, not required */
      keep = 0;
    } else if (k == '<' || k == '\'' || (k == 'P' && k2 == '<')) { /* a named group */
      lp->i += k == 'P' ? 3 : 2;
      lp_skip_past(lp, k == '\'' ? '\'' : '>');
    } else if (k == '#') { /* a comment runs to the first ')' */
      lp_skip_past(lp, ')');
      return;
    } else if (k && strchr(option_letters, k)) {
      /* options: (?i) sets them and adds nothing (nor do (?R) and (?C)),
       * (?i:...) is a group with them */
      lp->i += 1;
      while (lp_at(lp, 0) && strchr(option_letters, lp_at(lp, 0))) lp->i++;
      if (lp_at(lp, 0) == ')') {
        lp->i++;
        return;
      }
      if (lp_at(lp, 0) != ':') {
        lp->bad = 1; /* (?P=name), (?-1), ...: not something it knows */
        return;
      }
      lp->i++;
      keep = 0;
    } else { /* conditionals, calls, callouts */
      lp->bad = 1;
      return;
    }
  }
  LitSet body = {0};
  lp_alternation(lp, &body);
  if (lp_at(lp, 0) == ')')
    lp->i++;
  else
    lp->bad = 1;
  if (keep && !lp->bad) {
    ls_free(out);
    *out = body;
  } else {
    ls_free(&body);
  }
}

static int lp_literal_char(unsigned char c) {
  return c >= 0x80 || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
         (c >= '0' && c <= '9') || c == ' ' || c == '-' || c == '\'';
}

/* A run of literal characters as a candidate set of one member, folded,
 * without bordering spaces. */
static void lp_flush(ThemaBuf *run, LitSet *best) {
  size_t b = 0, e = run->len;
  while (b < e && run->data[b] == ' ') b++;
  while (e > b && run->data[e - 1] == ' ') e--;
  ThemaBuf folded = {0};
  thema_text_fold(&folded, run->data ? run->data + b : "", e - b);
  /* A caseless Greek iota also matches U+0345, a combining mark that folding
   * drops: such a run promises nothing about the folded text. */
  if (folded.len >= LIT_MIN && !strstr(folded.data, "\xCE\xB9")) {
    size_t cut = folded.len;
    if (cut > LIT_LONG) /* at a character boundary */
      for (cut = LIT_LONG; ((unsigned char)folded.data[cut] & 0xC0) == 0x80; cut--) {}
    folded.data[cut] = '\0';
    LitSet one = {0};
    ls_add(&one, folded.data);
    ls_offer(best, &one);
  }
  thema_buf_free(&folded);
  thema_buf_reset(run);
}

/* A sequence, up to '|', ')' or the end: *best gets the best element's set. */
static void lp_sequence(LitParse *lp, LitSet *best) {
  ThemaBuf run = {0};
  while (!lp->bad && lp->i < lp->n && lp->p[lp->i] != '|' && lp->p[lp->i] != ')') {
    unsigned char c = (unsigned char)lp->p[lp->i];
    long min = 1;
    if (lp_literal_char(c)) {
      size_t start = lp->i++;
      while (c >= 0x80 && lp->i < lp->n && ((unsigned char)lp->p[lp->i] & 0xC0) == 0x80)
        lp->i++;
      size_t stop = lp->i;
      int repeated = lp_quantifier(lp, &min);
      if (min > 0) thema_buf_append(&run, lp->p + start, stop - start);
      if (repeated) lp_flush(&run, best); /* "ab+c": "ab" then "c" */
      continue;
    }
    lp_flush(&run, best);
    LitSet sub = {0};
    if (c == '(')
      lp_group(lp, &sub);
    else if (c == '\\')
      lp_escape(lp);
    else if (c == '[')
      lp_class(lp);
    else if (c == '?' || c == '*' || c == '+' || c == '{')
      lp->bad = 1; /* nothing to repeat */
    else
      lp->i++; /* '.', '^', '$', punctuation */
    if (lp_quantifier(lp, &min) && min < 1) ls_free(&sub);
    ls_offer(best, &sub);
  }
  lp_flush(&run, best);
  thema_buf_free(&run);
}

static void lp_alternation(LitParse *lp, LitSet *out) {
  int whole = 1; /* every alternative so far has a set */
  for (;;) {
    LitSet alt = {0};
    lp_sequence(lp, &alt);
    if (!alt.n) whole = 0;
    for (int k = 0; whole && k < alt.n; k++) ls_add(out, alt.s[k]);
    if (out->n > LIT_MAX) whole = 0;
    if (!whole) ls_free(out);
    ls_free(&alt);
    if (lp->bad || lp_at(lp, 0) != '|') return;
    lp->i++;
  }
}

/* Whether p sets option x (or xx) anywhere, as in "(?x)" or "(?ix:": then
 * spaces and '#' comments are not literal, so no literal can be trusted. */
static int sets_extended(const char *p) {
  /* q never passes the terminating NUL: the option letters stop at it. */
  for (const char *q = strstr(p, "(?"); q; q = strstr(q, "(?")) {
    int escaped = q > p && q[-1] == '\\';
    q += 2;
    if (escaped) continue;
    for (; *q && strchr(option_letters, *q); q++)
      if (*q == 'x') return 1;
  }
  return 0;
}

/* The required literal set of pattern p into *out: 1, or 0 when p has none. */
static int literal_set(const char *p, LitSet *out) {
  *out = (LitSet){0};
  if (sets_extended(p)) return 0;
  LitParse lp = {.p = p, .n = strlen(p)};
  lp_alternation(&lp, out);
  if (lp.bad || lp.i != lp.n) ls_free(out);
  return out->n > 0;
}

static void term_literals(ThemaMatcher *m, Term *t, const char *p) {
  LitSet set;
  literal_set(p, &set);
  size_t bytes = 0;
  for (int k = 0; k < set.n; k++) bytes += strlen(set.s[k]);
  if (set.n && ac_room(m, bytes)) {
    t->lits = thema_xmalloc((size_t)set.n * sizeof *t->lits);
    for (int k = 0; k < set.n; k++)
      t->lits[t->nlits++] = literal_id(m, set.s[k], strlen(set.s[k]));
  }
  ls_free(&set);
}

char *thema_matcher_literal_set(const char *p) {
  LitSet set;
  literal_set(p, &set);
  if (set.n) qsort(set.s, (size_t)set.n, sizeof *set.s, thema_cmp_str);
  ThemaBuf out = {0};
  for (int k = 0; k < set.n; k++) thema_buf_printf(&out, "%s%s", k ? "|" : "", set.s[k]);
  ls_free(&set);
  char *s = thema_xstrdup(thema_buf_str(&out));
  thema_buf_free(&out);
  return s;
}

static int is_plain_word(const char *s) {
  if (!*s) return 0;
  for (const unsigned char *p = (const unsigned char *)s; *p; p++)
    if (!(*p >= 0x80 || (*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z'))) return 0;
  return 1;
}

static int compile_term(ThemaMatcher *m, Term *t, const char *pattern, const char *options,
                        const char *what, const char *code, long line, ThemaError *err) {
  char where[512];
  snprintf(where, sizeof where, "%s:%ld: code '%s'", what, line, code);
  t->fold = has_option(options, "fold");
  if (has_option(options, "stem") && is_plain_word(pattern)) {
    if (!m->stemmer && !(m->stemmer = thema_text_stemmer_new("dutch")))
      return thema_error_set(err, THEMA_ERUNTIME, "the Dutch Snowball stemmer is missing");
    size_t len;
    const char *st = thema_text_stemmer_stem(m->stemmer, pattern, strlen(pattern), &len);
    t->stem = thema_xstrndup(st, len);
    t->stem_len = len;
    /* Snowball changes only the last letters of a word: it deletes endings,
     * "heden" becomes "heid" and "maan" becomes "man". Every word with this
     * stem starts with the stem less its last two letters; that is the
     * literal (the whole stem would miss "leer" for "leren", stem "ler"). */
    size_t cps = thema_utf8_count(t->stem, len);
    ThemaBuf folded = {0};
    thema_text_fold(&folded, t->stem,
                    cps > 2 ? thema_utf8_byte_offset(t->stem, len, cps - 2) : 0);
    if (folded.len >= 2 && ac_room(m, folded.len)) {
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
  if (t->fold)
    thema_text_strip_accents(&p, pattern, strlen(pattern));
  else
    thema_buf_puts(&p, pattern);
  term_literals(m, t, thema_buf_str(&p));
  ThemaBuf wrapped = {0};
  if (has_option(options, "partial"))
    thema_buf_puts(&wrapped, thema_buf_str(&p));
  else
    thema_buf_printf(&wrapped, "(?<!\\w)(?:%s)(?!\\w)", thema_buf_str(&p));
  t->rx = thema_rx_compile(thema_buf_str(&wrapped),
                           has_option(options, "case") ? 0 : THEMA_RX_CASELESS, where, err);
  thema_buf_free(&p);
  thema_buf_free(&wrapped);
  return t->rx ? THEMA_OK : err->status;
}

static int compile_rule(ThemaMatcher *m, Rule *r, const char *line_text,
                        const char *options, const char *what, const char *code, long line,
                        ThemaError *err) {
  /* "A NEAR/N B" — the operator stands between spaces. */
  const char *op = strstr(line_text, " NEAR/");
  if (!op && strncmp(line_text, "NEAR/", 5) == 0)
    return thema_error_set(err, THEMA_EINPUT,
                           "%s:%ld: code '%s': NEAR needs a pattern on each side", what,
                           line, code);
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
    for (int i = 0; i < code->ninc; i++) {
      term_free(&code->inc[i].a);
      term_free(&code->inc[i].b);
    }
    for (int i = 0; i < code->nexc; i++) {
      term_free(&code->exc[i].a);
      term_free(&code->exc[i].b);
    }
    free(code->inc);
    free(code->exc);
    free(code->path);
  }
  free(m->codes);
  ac_free(&m->ac);
  for (int i = 0; i < m->nlits; i++) free(m->lits[i]);
  free(m->lits);
  free(m->seen);
  thema_text_stemmer_free(m->stemmer);
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
  ThemaMatcher *m = thema_xcalloc(1, sizeof *m);
  m->codes = thema_xcalloc((size_t)ncodes, sizeof *m->codes);
  for (int c = 0; c < ncodes; c++) {
    const ThemaCodeSpec *s = &codes[c];
    Code *code = &m->codes[c];
    m->ncodes = c + 1;
    code->path = thema_xstrdup(s->path);
    code->inc = thema_xcalloc((size_t)s->ninclude, sizeof *code->inc);
    code->exc = thema_xcalloc((size_t)s->nexclude, sizeof *code->exc);
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
  m->seen = thema_xcalloc((size_t)m->nlits, sizeof *m->seen);
  return m;
fail:
  /* the rule being compiled counts as present so that its parts are freed */
  if (m->ncodes) {
    Code *code = &m->codes[m->ncodes - 1];
    if (code->ninc < codes[m->ncodes - 1].ninclude)
      code->ninc++;
    else if (code->nexc < codes[m->ncodes - 1].nexclude)
      code->nexc++;
  }
  thema_matcher_free(m);
  return NULL;
}

int thema_matcher_ncodes(const ThemaMatcher *m) { return m->ncodes; }
const char *thema_matcher_path(const ThemaMatcher *m, int code) {
  return m->codes[code].path;
}

/* ---- scanning ---- */

typedef struct Scan {
  ThemaMatcher *m;
  const char *text;
  size_t len;
  ThemaError *err;
} Scan;

static void build_stripped(ThemaMatcher *m, const char *s, size_t n) {
  thema_text_strip_mapped(&m->stripped, &m->smap, &m->smap_cap, s, n);
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
        const char *st = thema_text_stemmer_stem(m->stemmer, sc->text + w->bstart,
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

/* One automaton step on byte b from row: the literals ending here are seen. */
static inline int32_t ac_step(ThemaMatcher *m, int32_t row, unsigned char b) {
  row = m->ac.next[row + m->ac.cls[b]];
  if (row < 0) {
    row = ~row;
    int32_t s = row / m->ac.ncls;
    for (int32_t t = m->ac.out[s] >= 0 ? s : m->ac.dict[s]; t; t = m->ac.dict[t])
      m->seen[m->ac.out[t]] = m->gen;
  }
  return row;
}

/* Mark the literals that occur in the folded text: the automaton reads
 * thema_text_fold(text) without building it, ASCII lower-cased in place and
 * each other character folded on its own (folding is per code point). */
static void mark_literals(ThemaMatcher *m, const char *text, size_t len) {
  const unsigned char *s = (const unsigned char *)text;
  int32_t row = 0;
  for (size_t i = 0; i < len;) {
    if (s[i] < 0x80) {
      row = ac_step(m, row, s[i] >= 'A' && s[i] <= 'Z' ? s[i] + 32 : s[i]);
      i++;
      continue;
    }
    size_t l;
    thema_utf8_decode(text + i, len - i, &l);
    thema_buf_reset(&m->folded);
    thema_text_fold(&m->folded, text + i, l);
    for (size_t k = 0; k < m->folded.len; k++)
      row = ac_step(m, row, (unsigned char)m->folded.data[k]);
    i += l;
  }
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
  if (m->nlits) mark_literals(m, text, len);
  ThemaUtf8Cursor cur = {0};
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
      size_t cb = thema_utf8_cursor_advance(&cur, text, m->spans[i].b);
      size_t ce = thema_utf8_cursor_advance(&cur, text, m->spans[i].e);
      int rc = fn(ud, c, cb, ce);
      if (rc) return rc;
    }
  }
  return THEMA_OK;
}
