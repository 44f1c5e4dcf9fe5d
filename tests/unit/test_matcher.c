/*
 * test_matcher.c — the deductive coding engine (core/matcher.c): the rule
 * semantics of matcher.h case by case (case, whole words, Unicode words,
 * fold, stem, NEAR, exclusions, merging), then proof that the literal
 * prefilter never changes a result: every case, and a randomised set of
 * sentences against the study's codebook, is compared with an oracle that
 * matches each pattern with thema_rx directly, without any prefilter. Bad
 * rules and a runaway pattern must fail with a message, not a wrong answer
 * or a hang.
 *
 * Offsets in the tables are code points, stop exclusive.
 */
#include "base/utf8.h"
#include "deductive/matcher.h"
#include "helpers.h"
#include "ingest/codebook.h"
#include "text/rx.h"
#include "text/text.h"

TestSuite(matcher, .timeout = 120);

/* ---- building matchers from compact specs ---- */

#define MAXR 8

typedef struct Spec {
  const char *path;
  const char *options;
  const char *inc[MAXR]; /* NULL-terminated */
  const char *exc[MAXR];
} Spec;

static int count(const char *const *v) {
  int n = 0;
  while (n < MAXR && v[n]) n++;
  return n;
}

static ThemaMatcher *build(const Spec *specs, int n, ThemaError *err) {
  ThemaCodeSpec cs[32];
  cr_assert_leq(n, 32);
  for (int i = 0; i < n; i++)
    cs[i] = (ThemaCodeSpec){.path = specs[i].path ? specs[i].path : "x",
                            .options = specs[i].options,
                            .include = specs[i].inc,
                            .ninclude = count(specs[i].inc),
                            .exclude = specs[i].exc,
                            .nexclude = count(specs[i].exc),
                            .line = 10 + i};
  return thema_matcher_new(cs, n, "test", err);
}

/* Spans as "start-stop" words (with "path:" in front when several codes are
 * involved), in callback order. */
typedef struct Render {
  ThemaBuf out;
  const ThemaMatcher *m;
  int paths;
  int last_code;
  size_t last_start;
  int order_ok;
} Render;

static int render_hit(void *ud, int code, size_t start, size_t stop) {
  Render *r = ud;
  if (code < r->last_code || (code == r->last_code && start < r->last_start))
    r->order_ok = 0;
  r->last_code = code;
  r->last_start = start;
  if (r->out.len) thema_buf_putc(&r->out, ' ');
  if (r->paths) thema_buf_printf(&r->out, "%s:", thema_matcher_path(r->m, code));
  thema_buf_printf(&r->out, "%zu-%zu", start, stop);
  return 0;
}

/* Scan text; the caller frees the result. Fails the test on a scan error. */
static char *scan(ThemaMatcher *m, const char *text, int paths) {
  Render r = {.m = m, .paths = paths, .last_code = -1, .order_ok = 1};
  ThemaError err = {0};
  int rc = thema_matcher_scan(m, text, strlen(text), render_hit, &r, &err);
  cr_assert_eq(rc, THEMA_OK, "scan of '%s' failed: %s", text, err.msg);
  cr_expect(r.order_ok, "spans of '%s' not in order of code then start", text);
  char *s = strdup(thema_buf_str(&r.out));
  thema_buf_free(&r.out);
  return s;
}

/* ---- the oracle: every pattern on its own, straight through thema_rx ---- */

typedef struct CpSpan {
  size_t b, e;
} CpSpan;

typedef struct Spans {
  CpSpan *v;
  int n, cap;
} Spans;

static void spans_push(Spans *s, size_t b, size_t e) {
  if (s->n == s->cap) {
    s->cap = s->cap ? 2 * s->cap : 16;
    s->v = realloc(s->v, (size_t)s->cap * sizeof *s->v);
  }
  s->v[s->n].b = b;
  s->v[s->n].e = e;
  s->n++;
}

static int has_opt(const char *options, const char *opt) {
  if (!options) return 0;
  char buf[128];
  snprintf(buf, sizeof buf, "%s", options);
  for (char *save = NULL, *t = strtok_r(buf, " ,", &save); t;
       t = strtok_r(NULL, " ,", &save))
    if (!strcmp(t, opt)) return 1;
  return 0;
}

static int plain_word(const char *s) {
  if (!*s) return 0;
  for (const unsigned char *p = (const unsigned char *)s; *p; p++)
    if (!(*p >= 0x80 || (*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z'))) return 0;
  return 1;
}

/* A text as code points, with the accent-stripped form and, per byte of the
 * stripped form, the code point of the text it came from. */
typedef struct Subject {
  const char *text;
  size_t len, ncp;
  size_t *cp_of_byte; /* byte offset in text -> code point (len + 1 entries) */
  ThemaBuf stripped;
  size_t *cp_of_sbyte; /* byte offset in stripped -> code point of text */
  ThemaWord *words;
  int nwords;
} Subject;

static void subject_init(Subject *s, const char *text) {
  memset(s, 0, sizeof *s);
  s->text = text;
  s->len = strlen(text);
  s->cp_of_byte = calloc(s->len + 1, sizeof *s->cp_of_byte);
  s->cp_of_sbyte = calloc(4 * s->len + 1, sizeof *s->cp_of_sbyte);
  size_t cp = 0;
  for (size_t i = 0; i < s->len;) {
    size_t l;
    int32_t c = thema_utf8_decode(text + i, s->len - i, &l);
    for (size_t k = 0; k < l; k++) s->cp_of_byte[i + k] = cp;
    size_t before = s->stripped.len;
    int32_t base = thema_text_accent_base(c);
    if (base >= 0) thema_text_put_cp(&s->stripped, base);
    for (size_t k = before; k < s->stripped.len; k++) s->cp_of_sbyte[k] = cp;
    i += l;
    cp++;
  }
  s->ncp = cp;
  s->cp_of_byte[s->len] = cp;
  s->cp_of_sbyte[s->stripped.len] = cp;
  ThemaWordScan sc = {.s = text, .n = s->len};
  ThemaWord w;
  while (thema_text_next_word(&sc, &w)) {
    s->words = realloc(s->words, (size_t)(s->nwords + 1) * sizeof *s->words);
    s->words[s->nwords++] = w;
  }
}

static void subject_free(Subject *s) {
  free(s->cp_of_byte);
  free(s->cp_of_sbyte);
  thema_buf_free(&s->stripped);
  free(s->words);
}

static char *strip_str(const char *p) {
  ThemaBuf b = {0};
  size_t n = strlen(p);
  for (size_t i = 0; i < n;) {
    size_t l;
    int32_t base = thema_text_accent_base(thema_utf8_decode(p + i, n - i, &l));
    if (base >= 0) thema_text_put_cp(&b, base);
    i += l;
  }
  char *s = strdup(thema_buf_str(&b));
  thema_buf_free(&b);
  return s;
}

static ThemaStemmer *oracle_stemmer;

/* Every non-empty match of one pattern, as code-point spans of the text. */
static void oracle_term(const Subject *s, const char *pattern, const char *options,
                        Spans *out) {
  out->n = 0;
  if (has_opt(options, "stem") && plain_word(pattern)) {
    if (!oracle_stemmer) oracle_stemmer = thema_text_stemmer_new("dutch");
    size_t n;
    const char *st = thema_text_stemmer_stem(oracle_stemmer, pattern, strlen(pattern), &n);
    char *want = strndup(st, n);
    for (int i = 0; i < s->nwords; i++) {
      const ThemaWord *w = &s->words[i];
      st = thema_text_stemmer_stem(oracle_stemmer, s->text + w->bstart,
                                   w->bstop - w->bstart, &n);
      if (n == strlen(want) && !memcmp(st, want, n)) spans_push(out, w->start, w->stop);
    }
    free(want);
    return;
  }
  int fold = has_opt(options, "fold");
  char *p = fold ? strip_str(pattern) : strdup(pattern);
  ThemaBuf wrapped = {0};
  if (has_opt(options, "partial"))
    thema_buf_puts(&wrapped, p);
  else
    thema_buf_printf(&wrapped, "(?<!\\w)(?:%s)(?!\\w)", p);
  ThemaError err = {0};
  ThemaRx *rx =
      thema_rx_compile(thema_buf_str(&wrapped),
                       has_opt(options, "case") ? 0 : THEMA_RX_CASELESS, "oracle", &err);
  cr_assert_not_null(rx, "oracle: %s", err.msg);
  const char *subj = fold ? thema_buf_str(&s->stripped) : s->text;
  size_t len = fold ? s->stripped.len : s->len;
  size_t at = 0;
  PCRE2_SIZE *ov;
  while (at <= len && thema_rx_match(rx, subj, len, at, &ov, &err) == 1) {
    size_t b = ov[0], e = ov[1];
    if (e > b) {
      if (fold)
        spans_push(out, s->cp_of_sbyte[b], s->cp_of_sbyte[e]);
      else
        spans_push(out, s->cp_of_byte[b], s->cp_of_byte[e]);
    }
    at = e > b ? e : e + 1;
    while (at < len && ((unsigned char)subj[at] & 0xC0) == 0x80) at++;
  }
  cr_assert_eq(err.status, THEMA_OK, "oracle: %s", err.msg);
  thema_rx_free(rx);
  thema_buf_free(&wrapped);
  free(p);
}

/* Matches of one rule line (a pattern, or "A NEAR/N B"), appended to out. */
static void oracle_rule(const Subject *s, const char *rule, const char *options,
                        Spans *out) {
  const char *op = strstr(rule, " NEAR/");
  Spans a = {0}, b = {0};
  if (!op) {
    oracle_term(s, rule, options, &a);
    for (int i = 0; i < a.n; i++) spans_push(out, a.v[i].b, a.v[i].e);
    free(a.v);
    return;
  }
  char *left = strndup(rule, (size_t)(op - rule));
  char *end;
  long n = strtol(op + 6, &end, 10);
  oracle_term(s, left, options, &a);
  oracle_term(s, end + 1, options, &b);
  for (int i = 0; i < a.n; i++)
    for (int j = 0; j < b.n; j++) {
      CpSpan x = a.v[i], y = b.v[j];
      CpSpan first = x.b <= y.b ? x : y, second = x.b <= y.b ? y : x;
      if (second.b < first.e) continue;
      long between = 0;
      for (int k = 0; k < s->nwords; k++)
        between += s->words[k].start >= first.e && s->words[k].stop <= second.b;
      if (between <= n) spans_push(out, first.b, second.e > first.e ? second.e : first.e);
    }
  free(left);
  free(a.v);
  free(b.v);
}

static int cmp_cpspan(const void *x, const void *y) {
  const CpSpan *a = x, *b = y;
  if (a->b != b->b) return a->b < b->b ? -1 : 1;
  return a->e < b->e ? -1 : a->e > b->e;
}

/* The oracle's rendering of one text, in the same form as scan(). */
static char *oracle(const Spec *specs, int n, const char *text, int paths) {
  Subject s;
  subject_init(&s, text);
  ThemaBuf out = {0};
  for (int c = 0; c < n; c++) {
    Spans sp = {0};
    for (int i = 0; i < count(specs[c].exc) && !sp.n; i++)
      oracle_rule(&s, specs[c].exc[i], specs[c].options, &sp);
    if (sp.n) {
      free(sp.v);
      continue;
    }
    for (int i = 0; i < count(specs[c].inc); i++)
      oracle_rule(&s, specs[c].inc[i], specs[c].options, &sp);
    if (sp.n) qsort(sp.v, (size_t)sp.n, sizeof *sp.v, cmp_cpspan);
    int k = 0;
    while (k < sp.n) {
      size_t b = sp.v[k].b, e = sp.v[k].e;
      for (k++; k < sp.n && sp.v[k].b < e; k++)
        if (sp.v[k].e > e) e = sp.v[k].e;
      if (out.len) thema_buf_putc(&out, ' ');
      if (paths) thema_buf_printf(&out, "%s:", specs[c].path ? specs[c].path : "x");
      thema_buf_printf(&out, "%zu-%zu", b, e);
    }
    free(sp.v);
  }
  subject_free(&s);
  char *r = strdup(thema_buf_str(&out));
  thema_buf_free(&out);
  return r;
}

/* ---- the rule semantics, one code per case ---- */

typedef struct Case {
  const char *name;
  Spec spec;
  const char *text;
  const char *want; /* code-point spans, "" for none */
} Case;

/* NFD spellings: o + U+0308, e + U+0308. */
#define O_UML "o\xCC\x88"
#define E_UML "e\xCC\x88"

static const Case cases[] = {
    /* case */
    {"case-insensitive by default",
     {.inc = {"overleg"}},
     "Het OVERLEG en het Overleg",
     "4-11 19-26"},
    {"case-insensitive pattern in capitals",
     {.inc = {"AgII"}},
     "het agii en het AGII",
     "4-8 16-20"},
    {"option case: exact case only",
     {.options = "case", .inc = {"Overleg"}},
     "overleg, OVERLEG, Overleg",
     "18-25"},
    {"option case: lower-case pattern misses a capital",
     {.options = "case", .inc = {"overleg"}},
     "Overleg",
     ""},
    /* whole words */
    {"whole word: not inside a longer word", {.inc = {"overleg"}}, "het overlegmoment", ""},
    {"whole word: not at the end of a word", {.inc = {"leg"}}, "het overleg", ""},
    {"whole word: punctuation bounds a word", {.inc = {"overleg"}}, "(overleg)", "1-8"},
    {"whole word: \\w* extends the match",
     {.inc = {"overleg\\w*"}},
     "het overlegmoment",
     "4-17"},
    {"option partial: inside a longer word",
     {.options = "partial", .inc = {"overleg"}},
     "het overlegmoment",
     "4-11"},
    {"option partial: at the end of a word",
     {.options = "partial", .inc = {"leg"}},
     "het overleg",
     "8-11"},
    /* Unicode word characters */
    {"ë is a word character: idee is not a word of ideeën",
     {.inc = {"idee"}},
     "twee ideeën",
     ""},
    {"a word with ë, spans in code points",
     {.inc = {"ideeën"}},
     "Twee ideeën, één plan",
     "5-11"},
    {"ö inside a word", {.inc = {"coördinatie"}}, "De coördinatie loopt", "3-14"},
    {"ö is a word character: co is not a word", {.inc = {"co"}}, "De coördinatie", ""},
    {"code points after multibyte characters",
     {.inc = {"overleg"}},
     "één ëën overleg",
     "8-15"},
    {"without fold an accent must match", {.inc = {"coordinatie"}}, "De coördinatie", ""},
    {"without fold an NFD text does not match an NFC pattern",
     {.inc = {"coördinatie"}},
     "De co" O_UML "rdinatie",
     ""},
    /* fold */
    {"fold: an accent in the text is ignored",
     {.options = "fold", .inc = {"coordinatie"}},
     "De coördinatie loopt",
     "3-14"},
    {"fold: a capital with an accent",
     {.options = "fold", .inc = {"coordinatie"}},
     "Coördinatie.",
     "0-11"},
    {"fold: NFD text, spans count the combining mark",
     {.options = "fold", .inc = {"coordinatie"}},
     "co" O_UML "rdinatie",
     "0-12"},
    {"fold: NFD and NFC in one text keep original offsets",
     {.options = "fold", .inc = {"coordinatie"}},
     "NFD: co" O_UML "rdinatie, NFC: Coördinatie",
     "5-17 24-35"},
    {"fold: an accent in the pattern is ignored",
     {.options = "fold", .inc = {"coördinatie"}},
     "de coordinatie en de co" O_UML "rdinatie",
     "3-14 21-33"},
    {"fold: a match ending on an NFD letter includes its mark",
     {.options = "fold", .inc = {"idee\\w*"}},
     "twee idee" E_UML "n.",
     "5-12"},
    {"fold: still whole words",
     {.options = "fold", .inc = {"idee"}},
     "twee idee" E_UML "n",
     ""},
    {"fold: a multibyte text before the match",
     {.options = "fold", .inc = {"overleg"}},
     "één ëën overleg",
     "8-15"},
    /* stem (Snowball Dutch, libstemmer 2.x) */
    {"stem: gemeente matches gemeenten (stem gemeent)",
     {.options = "stem", .inc = {"gemeente"}},
     "twee gemeenten en de gemeente",
     "5-14 21-29"},
    {"stem: gemeentes keeps its own stem",
     {.options = "stem", .inc = {"gemeente"}},
     "drie gemeentes",
     ""},
    {"stem: leren matches leer (both stem ler)",
     {.options = "stem", .inc = {"leren"}},
     "Ik leer, hij leert, wij leren, geleerd.",
     "3-7 24-29"},
    {"stem: the rule word matches itself after vowel undoubling",
     {.options = "stem", .inc = {"maan"}},
     "De maan en de manen",
     "3-7 14-19"},
    {"stem: brood matches broden (stem brod)",
     {.options = "stem", .inc = {"broden"}},
     "Een brood, twee broden.",
     "4-9 16-22"},
    {"stem: heden becomes heid",
     {.options = "stem", .inc = {"schoonheden"}},
     "schoonheid en schoonheden",
     "0-10 14-25"},
    {"stem: case is folded", {.options = "stem", .inc = {"Gemeenten"}}, "GEMEENTE", "0-8"},
    {"stem: the word itself",
     {.options = "stem", .inc = {"praktijk"}},
     "goede praktijken, een praktijk",
     "6-16 22-30"},
    {"stem: not inside a longer word",
     {.options = "stem", .inc = {"gemeente"}},
     "gemeentehuis",
     ""},
    {"stem: a pattern that is not one plain word is a regex",
     {.options = "stem", .inc = {"leer\\w*"}},
     "leren en leert",
     "9-14"},
    {"stem: two words are a regex",
     {.options = "stem", .inc = {"goede praktijk"}},
     "goede praktijken, goede praktijk",
     "18-32"},
    /* NEAR */
    {"NEAR/3: three words between",
     {.inc = {"overleg NEAR/3 leren"}},
     "overleg is om te leren",
     "0-22"},
    {"NEAR/3: the other order",
     {.inc = {"overleg NEAR/3 leren"}},
     "leren kan in het overleg",
     "0-24"},
    {"NEAR/3: four words between is too far",
     {.inc = {"overleg NEAR/3 leren"}},
     "overleg is om te gaan leren",
     ""},
    {"NEAR/3: span from the first start to the last end",
     {.inc = {"overleg NEAR/3 leren"}},
     "Ja, het overleg, zeker leren!",
     "8-28"},
    {"NEAR/0: adjacent words", {.inc = {"overleg NEAR/0 leren"}}, "overleg leren", "0-13"},
    {"NEAR/0: one word between is too far",
     {.inc = {"overleg NEAR/0 leren"}},
     "overleg en leren",
     ""},
    {"NEAR/0: punctuation is not a word",
     {.inc = {"overleg NEAR/0 leren"}},
     "overleg, - leren",
     "0-16"},
    {"NEAR: only one side present", {.inc = {"overleg NEAR/5 leren"}}, "het overleg", ""},
    {"NEAR: one match cannot serve as both sides",
     {.inc = {"overleg NEAR/2 overleg"}},
     "het overleg",
     ""},
    {"NEAR: the same pattern twice needs two matches",
     {.inc = {"overleg NEAR/2 overleg"}},
     "overleg en overleg",
     "0-18"},
    {"NEAR: overlapping A and B are not a match",
     {.options = "partial", .inc = {"overleg NEAR/2 leg"}},
     "overleg",
     ""},
    {"NEAR: pairs that overlap merge",
     {.inc = {"overleg NEAR/1 leren"}},
     "leren overleg leren",
     "0-19"},
    {"NEAR: multi-word sides",
     {.inc = {"goede praktijk\\w* NEAR/2 andere gemeente\\w*"}},
     "goede praktijken uit andere gemeenten",
     "0-37"},
    {"NEAR with fold",
     {.options = "fold", .inc = {"coordinatie NEAR/2 netwerk"}},
     "de coördinatie van het netwerk",
     "3-30"},
    {"NEAR with stem",
     {.options = "stem", .inc = {"leren NEAR/2 gemeente"}},
     "ik leer veel van gemeenten",
     "3-26"},
    /* exclusions */
    {"exclude: vetoes the code for the whole segment",
     {.inc = {"overleg"}, .exc = {"verkiezing\\w*"}},
     "Het overleg. Na de verkiezingen niet meer.",
     ""},
    {"exclude: no exclude match, the include stands",
     {.inc = {"overleg"}, .exc = {"verkiezing\\w*"}},
     "Het overleg was goed.",
     "4-11"},
    {"exclude: whole words too",
     {.inc = {"overleg"}, .exc = {"verkiezing"}},
     "Het overleg na de verkiezingen",
     "4-11"},
    {"exclude: a NEAR exclusion",
     {.inc = {"agenda"}, .exc = {"agenda NEAR/3 politiek\\w*"}},
     "de agenda van de politieke partij",
     ""},
    {"exclude: with fold",
     {.options = "fold", .inc = {"overleg"}, .exc = {"cöordinatie"}},
     "overleg over coordinatie",
     ""},
    /* merging and order */
    {"two include patterns that overlap give one span",
     {.inc = {"goede praktijk\\w*", "praktijken uit"}},
     "goede praktijken uit Gent",
     "0-20"},
    {"a span inside another gives the outer span",
     {.inc = {"goede praktijken", "praktijken"}},
     "goede praktijken",
     "0-16"},
    {"adjacent spans stay separate",
     {.options = "partial", .inc = {"over", "leg"}},
     "overleg",
     "0-4 4-7"},
    {"several matches, in order",
     {.inc = {"overleg"}},
     "overleg, overleg en nog eens overleg",
     "0-7 9-16 29-36"},
    {"matches of several patterns, sorted by start",
     {.inc = {"leren", "overleg"}},
     "leren en overleg en leren",
     "0-5 9-16 20-25"},
    {"empty text", {.inc = {"overleg", "\\w+"}}, "", ""},
    {"a pattern that can match nothing codes nothing",
     {.inc = {"(?:overleg)?"}},
     "ja , nee",
     ""},
    {"a partial pattern that can match nothing codes nothing",
     {.options = "partial", .inc = {"x*"}},
     "ab",
     ""},
    /* patterns whose prefilter literal needs care */
    {"top-level alternation", {.inc = {"over\\w*|leren"}}, "overal leren", "0-6 7-12"},
    {"alternation with a one-letter branch",
     {.inc = {"a\\w*|bcd"}},
     "abc bcd xa",
     "0-3 4-7"},
    {"a group", {.inc = {"ag(?:ii|ll)"}}, "AgII en agll", "0-4 8-12"},
    {"a group after the literal", {.inc = {"het (?:agentschap|agii)"}}, "het AgII", "0-8"},
    {"a character class", {.inc = {"[bv]eleid"}}, "beleid en veleid", "0-6 10-16"},
    {"a quantifier on the last character", {.inc = {"overlegg?"}}, "het overleg", "4-11"},
    {"a quantifier on the last character, taken",
     {.inc = {"overlegg?"}},
     "overlegg, overleggen",
     "0-8"},
    {"a quantifier in the middle",
     {.inc = {"co+rdinatie"}},
     "cordinatie coordinatie",
     "0-10 11-22"},
    {"a plus on the last character",
     {.inc = {"overleg+"}},
     "overleg overleggg",
     "0-7 8-17"},
    {"no literal at all", {.inc = {"\\w+ing"}}, "vorming en opleiding", "0-7 11-20"},
    {"a counted quantifier is not a literal",
     {.inc = {"[a-z]{10,12}"}},
     "de coordinatie",
     "3-14"},
    {"a counted quantifier after an escape",
     {.inc = {"\\w{11}"}},
     "de coordinatie",
     "3-14"},
    {"a counted quantifier after a group",
     {.inc = {"(?:ab){10}"}},
     "abababababababababab",
     "0-20"},
    {"hex escapes are not literals", {.inc = {"\\x61\\x62"}}, "ab", "0-2"},
    {"a braced hex escape", {.inc = {"caf\\x{e9}"}}, "café", "0-4"},
    {"a named character", {.inc = {"caf\\N{U+00E9}"}}, "café", "0-4"},
    {"a back-reference by name",
     {.inc = {"(?<woord>\\w+) \\k<woord>"}},
     "heel heel goed",
     "0-9"},
    {"a back-reference by braced name",
     {.inc = {"(?<woord>\\w+) \\k{woord}"}},
     "zo zo",
     "0-5"},
    {"a relative back-reference", {.inc = {"(\\w+) \\g-1"}}, "zo zo", "0-5"},
    {"a numbered back-reference",
     {.inc = {"(\\w+)(\\w+)(\\w+)(\\w+)(\\w+)(\\w+)(\\w+)(\\w+)(\\w+)(\\w+)(\\w+) \\11"}},
     "abcdefghijk k",
     "0-13"},
    {"a quoted literal", {.inc = {"\\Qzo'n\\E"}}, "zo'n dienst", "0-4"},
    {"extended mode ignores spaces", {.inc = {"(?x) over leg"}}, "het overleg", "4-11"},
    {"an escaped space is a literal space",
     {.inc = {"goede\\ praktijk"}},
     "goede praktijk",
     "0-14"},
    {"an inline option", {.options = "case", .inc = {"(?i)overleg"}}, "OVERLEG", "0-7"},
    {"a lookahead's text is not required",
     {.inc = {"over(?!leg)\\w+"}},
     "overal overleg",
     "0-6"},
    {"a literal after an optional group",
     {.inc = {"(?:het )?overleg"}},
     "het overleg",
     "0-11"},
    {"a hyphen and an apostrophe",
     {.inc = {"een-op-een", "zo'n"}},
     "een-op-een, zo'n",
     "0-10 12-16"},
    /* required literal sets: groups, nesting, optional parts, lookarounds */
    {"a group of alternatives",
     {.inc = {"(?:meerwaarde|pluspunt\\w*|nuttig\\w*)"}},
     "een pluspunt, nuttige meerwaarde",
     "4-12 14-21 22-32"},
    {"nested alternation",
     {.inc = {"(?:goede (?:praktijk|voorbeeld)|beste praktijk)\\w*"}},
     "goede voorbeelden en beste praktijken",
     "0-17 21-37"},
    {"an optional group before a group of alternatives",
     {.inc = {"(?:het )?(?:wiel|warm water)"}},
     "het warm water en een wiel",
     "0-14 22-26"},
    {"an optional group holds no required literal",
     {.inc = {"(?:overleg)?\\w+ing"}},
     "vorming en overlegvorming",
     "0-7 11-25"},
    {"a repeated group", {.inc = {"(?:ab)+cd"}}, "ababcd abcd cd", "0-6 7-11"},
    {"a group with a counted minimum of zero",
     {.options = "partial", .inc = {"(?:overleg){0,2}en"}},
     "en overlegen",
     "0-2 3-12"},
    {"a lookbehind's text",
     {.inc = {"(?<=het )overleg"}},
     "het overleg, een overleg",
     "4-11"},
    {"a negative lookbehind",
     {.inc = {"(?<!niet )leren"}},
     "niet leren, wel leren",
     "16-21"},
    {"a negative lookahead's text is not required",
     {.inc = {"(?!niet)\\w+en"}},
     "leren",
     "0-5"},
    {"a lookahead holds the only literal",
     {.inc = {"(?=\\w*overleg)\\w+"}},
     "netwerkoverleg en overleg",
     "0-14 18-25"},
    {"an option group", {.inc = {"(?i:overleg)\\w*"}}, "OVERLEGMOMENT", "0-13"},
    {"a named group of alternatives",
     {.inc = {"(?<w>overleg|netwerk)\\w*"}},
     "netwerken en overleggen",
     "0-9 13-23"},
    {"a one-letter property is not a literal", {.inc = {"\\pLeren"}}, "heren", "0-5"},
    {"a quoted alternation is no alternation",
     {.inc = {"\\Qa|b\\E\\w*"}},
     "a|bcd b",
     "0-5"},
    {"a literal brace", {.inc = {"ab{cd"}}, "ab{cd", "0-5"},
    {"a verb ends the match early", {.inc = {"overleg(*ACCEPT)extra"}}, "overleg", "0-7"},
    {"a conditional group", {.inc = {"(ab)?(?(1)cd|efgh)"}}, "abcd efgh", "0-4 5-9"},
    {"a comment group", {.inc = {"(?#note)overleg"}}, "overleg", "0-7"},
    {"an empty alternative in a group",
     {.inc = {"(?:het|)overleg"}},
     "hetoverleg overleg",
     "0-10 11-18"},
    {"NEAR with groups on both sides",
     {.inc = {"(?:bel|mail)\\w* NEAR/3 (?:collega\\w*|elkaar)"}},
     "ik mail mijn collega's vaak",
     "3-20"},
    {"fold with a group of alternatives",
     {.options = "fold", .inc = {"(?:co\xC3\xB6rdinatie|samenwerking)\\w*"}},
     "Coordinatie en samenwerkingen",
     "0-11 15-29"},
    {"a Greek iota also matches U+0345, which folding drops",
     {.inc = {"\xCE\xB9\xCE\xB4\xCE\xB5\xCE\xB1"}},
     "\xCD\x85\xCE\xB4\xCE\xB5\xCE\xB1",
     "0-4"},
};

/* ---- the required literal sets themselves ---- */

/* In matcher.c for these tests (not part of matcher.h): the folded literal
 * set of a pattern, members sorted and joined by '|', "" when it has none. */

typedef struct LitCase {
  const char *pattern;
  const char *want;
} LitCase;

static const LitCase lit_cases[] = {
    /* runs of literal characters, folded */
    {"overleg", "overleg"},
    {"Co\xC3\xB6rdinatie", "coordinatie"},
    {"\xC3\x89\xC3\x89N keer", "een keer"},
    {"  overleg  ", "overleg"},
    {"een-op-een", "een-op-een"},
    {"zo'n", "zo'n"},
    /* alternation at any depth: the union */
    {"(?:meerwaarde|pluspunt\\w*|zinvol\\w*)", "meerwaarde|pluspunt|zinvol"},
    {"(?:a(?:bcd|efg)|hij(?:kl|mn))", "bcd|efg|hij"},
    {"(?<w>overleg|netwerk)\\w*", "netwerk|overleg"},
    {"(?P<n>abc)", "abc"},
    {"(?'n'abc)", "abc"},
    {"(?|abc|def)", "abc|def"},
    {"(?>abc|def)", "abc|def"},
    {"(?:leren|bijleren|geleerd)", "geleerd|leren"}, /* bijleren holds leren */
    /* a sequence: its best element */
    {"(?:veel|iets) van (?:elkaar|mekaar)", "van"}, /* fewer members */
    {"(?:abcd|efgh) ij", "abcd|efgh"},              /* 3 bytes or more first */
    {"ag(?:ii|ll)", "ag"},
    {"overleg (?:met|van) de schepen", "de schepen"},
    /* optional and repeated parts */
    {"(?:het )?overleg", "overleg"},
    {"(?:overleg)?", ""},
    {"(?:overleg)?+", ""},
    {"(?:overleg)??x", ""},
    {"(?:overleg)*xy", "xy"},
    {"(?:overleg){0,2}x", ""},
    {"(?:overleg){1,2}", "overleg"},
    {"(?:overleg)+", "overleg"},
    {"overlegg?", "overleg"},
    {"co+rdinatie", "rdinatie"},
    {"ab+cde", "cde"},
    {"ab{2}c", "ab"},
    {"x{2,}yz", "yz"},
    {"\\w{11}", ""},
    {"(?:a|bc)def", "def"},
    {"(?:abc|)def", "def"},
    /* lookarounds and option groups contribute nothing */
    {"(?=overleg)\\w+", ""},
    {"over(?!leg)\\w+", "over"},
    {"(?<=het )overleg", "overleg"},
    {"(?<!niet )(?:leren|leer)", "leer|leren"},
    {"(?i)overleg", "overleg"},
    {"(?i:overleg)", ""},
    {"(?#a(b)overleg", "overleg"},
    /* escapes and classes end a run, with their arguments */
    {"\\x61bc", "bc"},
    {"\\x{61}bcd", "bcd"},
    {"\\pLeren", "eren"},
    {"\\p{Lu}eren", "eren"},
    {"\\N{U+e9}abc", "abc"},
    {"\\k<w>abc", "abc"},
    {"\\g{-1}abc", "abc"},
    {"\\g-1abc", "abc"},
    {"\\12345abc", "abc"},
    {"\\cAbc", "bc"},
    {"\\(overleg\\)", "overleg"},
    {"\\Qab\\Ecdef", "cdef"},
    {"\\Qa|b(c\\E", ""},
    {"[bv]eleid", "eleid"},
    {"[[:alpha:]]{3}leg", "leg"},
    {"[]a]bcd", "bcd"},
    {"[^)]overleg", "overleg"},
    /* no set: too short, unknown or untrusted constructs */
    {"a|bcd", ""},
    {"abc|", ""},
    {"ab{cd", ""},
    {"[\\Q]\\E]abc", ""},
    {"abc(*ACCEPT)def", ""},
    {"(?(1)abc|def)", ""},
    {"(?1)overleg(x)", ""},
    {"(?x)over leg", ""},
    {"\xCE\xB9\xCE\xB4\xCE\xB5\xCE\xB1", ""},
    /* Found by fuzz_litset: option letters running to the end of the
     * pattern once made the scan for "(?x" read past its NUL. */
    {"(?e:e|lveits|wat|nog) (?vee", ""},
    {"abc(?i", ""},
};

Test(matcher, required_literal_sets) {
  for (size_t i = 0; i < sizeof lit_cases / sizeof *lit_cases; i++) {
    char *got = thema_matcher_literal_set(lit_cases[i].pattern);
    cr_expect_str_eq(got, lit_cases[i].want, "'%s' gave {%s}, want {%s}",
                     lit_cases[i].pattern, got, lit_cases[i].want);
    free(got);
  }
}

/* 64 members is the most a set may have; a longer literal is cut to its
 * first 64 bytes (whole characters). Past the cap the rule runs on every
 * segment and still matches what the oracle matches. */
Test(matcher, literal_sets_are_capped) {
  for (int n = 63; n <= 66; n++) {
    ThemaBuf p = {0}, text = {0};
    for (int k = 0; k < n; k++) {
      thema_buf_printf(&p, "%sw%02d\\w*", k ? "|" : "", k);
      thema_buf_printf(&text, "W%02dx ", k);
    }
    char *got = thema_matcher_literal_set(thema_buf_str(&p));
    int members = *got ? 1 : 0;
    for (const char *c = got; *c; c++) members += *c == '|';
    cr_expect_eq(members, n <= 64 ? n : 0, "%d alternatives: %d members", n, members);
    free(got);
    Spec spec = {.inc = {thema_buf_str(&p)}};
    ThemaError err = {0};
    ThemaMatcher *m = build(&spec, 1, &err);
    cr_assert_not_null(m, "%s", err.msg);
    char *a = scan(m, thema_buf_str(&text), 0),
         *b = oracle(&spec, 1, thema_buf_str(&text), 0);
    cr_expect_str_eq(a, b, "%d alternatives: matcher [%s], oracle [%s]", n, a, b);
    cr_expect_neq(*a, '\0');
    free(a);
    free(b);
    thema_matcher_free(m);
    thema_buf_free(&p);
    thema_buf_free(&text);
  }
  ThemaBuf longer = {0};
  for (int k = 0; k < 40; k++)
    thema_buf_puts(&longer, "\xC3\xA9"); /* é: 2 bytes, folds to 1 */
  for (int k = 0; k < 70; k++) thema_buf_putc(&longer, 'a');
  char *got = thema_matcher_literal_set(thema_buf_str(&longer));
  cr_expect_eq(strlen(got), 64, "{%s}", got);
  free(got);
  thema_buf_free(&longer);
}

/* The examples of docs/plugins.md §7.2 and §7.3, row by row: the guide
 * promises each of them. */
static const Case doc_cases[] = {
    {"doc 1", {.inc = {"leren"}}, "Wij LEREN van elkaar.", "4-9"},
    {"doc 2", {.options = "case", .inc = {"leren"}}, "Wij LEREN van elkaar.", ""},
    {"doc 3", {.inc = {"leren"}}, "Ze bijleren graag.", ""},
    {"doc 4", {.options = "partial", .inc = {"leren"}}, "Ze bijleren graag.", "6-11"},
    {"doc 5", {.inc = {"overleg"}}, "op het LID-overleg", "11-18"},
    {"doc 6", {.inc = {"overleg\\w*"}}, "het overlegplatform", "4-19"},
    {"doc 7", {.inc = {"netwerk|overleg"}}, "netwerking", ""},
    {"doc 8", {.inc = {"idee"}}, "nieuwe ideeën", ""},
    {"doc 9", {.inc = {"zo"}}, "zo'n netwerk", "0-2"},
    {"doc 10", {.inc = {"zo'n"}}, "zo’n netwerk", ""},
    {"doc 11", {.inc = {"zo['’]n"}}, "zo’n netwerk", "0-4"},
    {"doc 12", {.inc = {"één"}}, "ÉÉN keer", "0-3"},
    {"doc 13", {.inc = {"coordinatie"}}, "de coördinatie", ""},
    {"doc 14", {.options = "fold", .inc = {"coordinatie"}}, "de Coördinatie", "3-14"},
    {"doc 15", {.options = "fold", .inc = {"coördinatie"}}, "de coordinatie", "3-14"},
    {"doc 16", {.options = "fold case", .inc = {"Coordinatie"}}, "de coördinatie", ""},
    {"doc 17",
     {.options = "stem", .inc = {"samenwerking"}},
     "Samenwerken en samenwerkingen",
     "0-11 15-29"},
    {"doc 18", {.options = "stem", .inc = {"gemeente"}}, "gemeentes", ""},
    {"doc 7.1 (gemeentelijk)",
     {.options = "stem", .inc = {"gemeente"}},
     "gemeenten, gemeentelijk",
     "0-9 11-23"},
    {"doc 19", {.options = "stem", .inc = {"samen werken"}}, "samen werkten", ""},
    {"doc 20",
     {.inc = {"overleg NEAR/3 leren"}},
     "op het overleg kunnen we veel leren",
     "7-35"},
    {"doc 21",
     {.inc = {"overleg NEAR/3 leren"}},
     "op het overleg kunnen we echt veel leren",
     ""},
    {"doc 22", {.inc = {"overleg NEAR/3 leren"}}, "leren op het overleg", "0-20"},
    {"doc 23", {.inc = {"overleg NEAR/1 leren"}}, "overleg, 3 keer, leren", ""},
    {"doc 24", {.inc = {"netwerk NEAR/2 lerend netwerk"}}, "een lerend netwerk", ""},
    {"doc 25",
     {.inc = {"overleg"}, .exc = {"overleg met de schepen"}},
     "Na het overleg met de schepen volgde een overleg met collega's.",
     ""},
    {"doc 26", {.inc = {"lerend netwerk", "netwerk"}}, "een lerend netwerk", "4-18"},
    {"doc 27",
     {.options = "partial", .inc = {"samen", "werken"}},
     "samenwerken",
     "0-5 5-11"},
    {"doc 29", {.inc = {"leer"}}, "Ik leer, jij leert, wij leren: leer!", "3-7 31-35"},
    {"doc 7.3 maan", {.options = "stem", .inc = {"maan"}}, "de maan", "3-7"},
    {"doc 7.3 leren", {.options = "stem", .inc = {"leren"}}, "ik leer veel", "3-7"},
    {"doc 7.3 brood",
     {.options = "stem", .inc = {"brood"}},
     "broden en brood",
     "0-6 10-15"},
    {"doc 7.3 \\d{10}", {.inc = {"\\d{10}"}}, "bel 0471234567 nu", "4-14"},
    {"doc 7.3 \\w{12,}", {.inc = {"\\w{12,}"}}, "een samenwerkingsverband", "4-24"},
    {"doc 7.3 \\k<woord>", {.inc = {"(?<woord>\\w+) \\k<woord>"}}, "heel heel goed", "0-9"},
};

static void run_table(const Case *table, size_t n) {
  for (size_t i = 0; i < n; i++) {
    const Case *c = &table[i];
    ThemaError err = {0};
    ThemaMatcher *m = build(&c->spec, 1, &err);
    cr_assert_not_null(m, "%s: %s", c->name, err.msg);
    char *got = scan(m, c->text, 0);
    cr_expect_str_eq(got, c->want, "%s: '%s' gave [%s], want [%s]", c->name, c->text, got,
                     c->want);
    char *want = oracle(&c->spec, 1, c->text, 0);
    cr_expect_str_eq(got, want, "%s: matcher [%s], oracle [%s]", c->name, got, want);
    free(want);
    free(got);
    thema_matcher_free(m);
  }
}

Test(matcher, the_guides_examples) {
  run_table(doc_cases, sizeof doc_cases / sizeof *doc_cases);
  /* Row 28: several codes per segment. */
  Spec two[] = {{.path = "a", .inc = {"overleg"}}, {.path = "b", .inc = {"leren"}}};
  ThemaError err = {0};
  ThemaMatcher *m = build(two, 2, &err);
  cr_assert_not_null(m, "%s", err.msg);
  char *got = scan(m, "op het overleg leren we", 1);
  cr_expect_str_eq(got, "a:7-14 b:15-20");
  free(got);
  thema_matcher_free(m);
}

Test(matcher, rule_semantics_table) {
  for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
    const Case *c = &cases[i];
    ThemaError err = {0};
    ThemaMatcher *m = build(&c->spec, 1, &err);
    cr_assert_not_null(m, "%s: %s", c->name, err.msg);
    char *got = scan(m, c->text, 0);
    cr_expect_str_eq(got, c->want, "%s: '%s' gave [%s], want [%s]", c->name, c->text, got,
                     c->want);
    free(got);
    thema_matcher_free(m);
  }
}

/* The same cases through the oracle: what the prefilter lets through is
 * exactly what matching each pattern on its own finds. */
Test(matcher, prefilter_never_changes_a_result) {
  for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
    const Case *c = &cases[i];
    ThemaError err = {0};
    ThemaMatcher *m = build(&c->spec, 1, &err);
    cr_assert_not_null(m, "%s: %s", c->name, err.msg);
    char *got = scan(m, c->text, 0);
    char *want = oracle(&c->spec, 1, c->text, 0);
    cr_expect_str_eq(got, want, "%s: matcher [%s], oracle [%s]", c->name, got, want);
    free(got);
    free(want);
    thema_matcher_free(m);
  }
}

/* The oracle itself agrees with the hand-written expectations, so that the
 * differential tests below compare against something known to be right. */
Test(matcher, oracle_agrees_with_the_table) {
  for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
    char *want = oracle(&cases[i].spec, 1, cases[i].text, 0);
    cr_expect_str_eq(want, cases[i].want, "oracle on %s", cases[i].name);
    free(want);
  }
}

/* ---- several codes ---- */

Test(matcher, several_codes_on_one_segment) {
  Spec specs[] = {
      {.path = "leren/overleg", .inc = {"overleg\\w*"}},
      {.path = "rol/agii", .inc = {"ag(?:ii|ll)", "het agentschap"}},
      {.path = "leren/netwerk", .inc = {"netwerk\\w*"}},
  };
  ThemaError err = {0};
  ThemaMatcher *m = build(specs, 3, &err);
  cr_assert_not_null(m, "%s", err.msg);
  cr_expect_eq(thema_matcher_ncodes(m), 3);
  cr_expect_str_eq(thema_matcher_path(m, 1), "rol/agii");
  char *got =
      scan(m, "Het agentschap organiseert het overleg, het AgII trekt het overleg.", 1);
  cr_expect_str_eq(got,
                   "leren/overleg:31-38 leren/overleg:59-66 rol/agii:0-14 rol/agii:44-48",
                   "%s", got);
  free(got);
  thema_matcher_free(m);
}

Test(matcher, an_exclusion_vetoes_only_its_own_code) {
  Spec specs[] = {
      {.path = "a", .inc = {"overleg"}, .exc = {"verkiezingen"}},
      {.path = "b", .inc = {"overleg"}},
      {.path = "c", .inc = {"verkiezingen"}, .exc = {"nooit"}},
  };
  ThemaError err = {0};
  ThemaMatcher *m = build(specs, 3, &err);
  cr_assert_not_null(m, "%s", err.msg);
  char *got = scan(m, "overleg na de verkiezingen", 1);
  cr_expect_str_eq(got, "b:0-7 c:14-26", "%s", got);
  free(got);
  /* The matcher is reused: the veto of one segment does not carry over. */
  got = scan(m, "overleg", 1);
  cr_expect_str_eq(got, "a:0-7 b:0-7", "%s", got);
  free(got);
  got = scan(m, "nooit verkiezingen, nooit overleg", 1);
  cr_expect_str_eq(got, "b:26-33", "%s", got);
  free(got);
  thema_matcher_free(m);
}

Test(matcher, codes_without_rules_and_shared_literals) {
  /* Two codes sharing a literal, one code with no include rules at all. */
  Spec specs[] = {
      {.path = "a", .inc = {"overleg"}},
      {.path = "b"},
      {.path = "c", .options = "partial", .inc = {"overleg"}},
  };
  ThemaError err = {0};
  ThemaMatcher *m = build(specs, 3, &err);
  cr_assert_not_null(m, "%s", err.msg);
  char *got = scan(m, "overlegmoment en overleg", 1);
  cr_expect_str_eq(got, "a:17-24 c:0-7 c:17-24", "%s", got);
  free(got);
  thema_matcher_free(m);
}

static int stop_after_first(void *ud, int code, size_t start, size_t stop) {
  (void)code;
  (void)start;
  (void)stop;
  (*(int *)ud)++;
  return 42;
}

Test(matcher, a_non_zero_callback_result_stops_the_scan) {
  Spec spec = {.inc = {"overleg"}};
  ThemaError err = {0};
  ThemaMatcher *m = build(&spec, 1, &err);
  cr_assert_not_null(m, "%s", err.msg);
  int calls = 0;
  cr_expect_eq(thema_matcher_scan(m, "overleg overleg", 15, stop_after_first, &calls, &err),
               42);
  cr_expect_eq(calls, 1);
  cr_expect_eq(err.status, THEMA_OK);
  thema_matcher_free(m);
}

Test(matcher, a_matcher_without_codes_scans_to_nothing) {
  ThemaError err = {0};
  ThemaMatcher *m = thema_matcher_new(NULL, 0, "empty", &err);
  cr_assert_not_null(m, "%s", err.msg);
  cr_expect_eq(thema_matcher_ncodes(m), 0);
  char *got = scan(m, "overleg", 1);
  cr_expect_str_eq(got, "");
  free(got);
  thema_matcher_free(m);
}

/* Scanning many segments with one matcher gives each the same answer as a
 * fresh matcher: no state leaks from one segment into the next. */
Test(matcher, segments_are_independent) {
  Spec spec = {.options = "fold",
               .inc = {"coordinatie NEAR/2 overleg", "idee\\w*"},
               .exc = {"nooit"}};
  const char *texts[] = {"coördinatie van het overleg",
                         "nooit ideeën",
                         "ideeën",
                         "co" O_UML "rdinatie en overleg",
                         "",
                         "overleg"};
  ThemaError err = {0};
  ThemaMatcher *shared = build(&spec, 1, &err);
  cr_assert_not_null(shared, "%s", err.msg);
  for (int round = 0; round < 3; round++)
    for (size_t i = 0; i < sizeof texts / sizeof *texts; i++) {
      ThemaMatcher *fresh = build(&spec, 1, &err);
      char *a = scan(shared, texts[i], 0), *b = scan(fresh, texts[i], 0);
      cr_expect_str_eq(a, b, "'%s': reused [%s], fresh [%s]", texts[i], a, b);
      free(a);
      free(b);
      thema_matcher_free(fresh);
    }
  thema_matcher_free(shared);
}

/* ---- bad rules ---- */

typedef struct BadCase {
  const char *name;
  Spec spec;
  const char *want[5]; /* substrings of the message */
} BadCase;

static const BadCase bad_cases[] = {
    {"unclosed group",
     {.path = "theme/x", .inc = {"(overleg"}},
     {"book.csv:", "code 'theme/x'", "invalid pattern '(overleg'",
      "missing closing parenthesis", "at offset 8"}},
    {"unclosed class in an exclusion",
     {.path = "theme/y", .inc = {"ok"}, .exc = {"[abc"}},
     {"book.csv:", "code 'theme/y'", "'[abc'", "missing terminating ] for character class",
      "at offset 4"}},
    {"nothing to repeat",
     {.path = "t/z", .inc = {"fine", "*overleg"}},
     {"book.csv:", "code 't/z'", "quantifier does not follow a repeatable item",
      "at offset 0"}},
    {"fold: the offset is in the pattern as written",
     {.path = "f", .options = "fold", .inc = {"coördinatie("}},
     {"code 'f'", "'coördinatie('", "missing closing parenthesis", "at offset 13"}},
    {"stem: a non-word pattern is still checked",
     {.path = "s", .options = "stem", .inc = {"leren|("}},
     {"code 's'", "missing closing parenthesis"}},
    {"NEAR without a number",
     {.path = "n", .inc = {"a NEAR/x b"}},
     {"book.csv:", "code 'n'", "NEAR needs a word distance"}},
    {"NEAR with a negative number",
     {.path = "n", .inc = {"a NEAR/-1 b"}},
     {"code 'n'", "NEAR needs a word distance"}},
    {"NEAR beyond 1000 words",
     {.path = "n", .inc = {"a NEAR/1001 b"}},
     {"code 'n'", "NEAR needs a word distance"}},
    {"NEAR with a number glued to a word",
     {.path = "n", .inc = {"a NEAR/3b c"}},
     {"code 'n'", "NEAR needs a word distance"}},
    {"NEAR without a left side",
     {.path = "n", .inc = {"NEAR/3 b"}},
     {"book.csv:", "code 'n'", "NEAR needs a pattern on each side"}},
    {"NEAR without a right side",
     {.path = "n", .inc = {"a NEAR/3 "}},
     {"code 'n'", "NEAR needs a pattern on each side"}},
    {"NEAR without a right side or space",
     {.path = "n", .inc = {"a NEAR/3"}},
     {"code 'n'", "NEAR"}},
    {"NEAR with a bad right side",
     {.path = "n", .inc = {"a NEAR/3 (b"}},
     {"code 'n'", "'(b'", "missing closing parenthesis", "at offset 2"}},
    {"NEAR with a bad left side in an exclusion",
     {.path = "n", .inc = {"a"}, .exc = {"[ NEAR/3 b"}},
     {"code 'n'", "'['", "missing terminating ]"}},
};

Test(matcher, bad_rules_fail_with_a_message_naming_book_code_line_and_offset) {
  for (size_t i = 0; i < sizeof bad_cases / sizeof *bad_cases; i++) {
    const BadCase *c = &bad_cases[i];
    ThemaCodeSpec cs = {.path = c->spec.path,
                        .options = c->spec.options,
                        .include = c->spec.inc,
                        .ninclude = count(c->spec.inc),
                        .exclude = c->spec.exc,
                        .nexclude = count(c->spec.exc),
                        .line = 7};
    ThemaError err = {0};
    ThemaMatcher *m = thema_matcher_new(&cs, 1, "book.csv", &err);
    cr_expect_null(m, "%s: compiled", c->name);
    thema_matcher_free(m);
    cr_expect_eq(err.status, THEMA_EINPUT, "%s: status %d", c->name, err.status);
    cr_expect(strstr(err.msg, "book.csv:7:") != NULL, "%s: no line in '%s'", c->name,
              err.msg);
    for (int k = 0; k < 5 && c->want[k]; k++)
      cr_expect(strstr(err.msg, c->want[k]) != NULL, "%s: '%s' lacks '%s'", c->name,
                err.msg, c->want[k]);
  }
}

Test(matcher, a_bad_rule_names_its_own_line) {
  const char *inc[] = {"overleg", "netwerk\\w*", "(kapot"};
  const long inc_lines[] = {12, 13, 14};
  const char *exc[] = {"[stuk"};
  const long exc_lines[] = {20};
  ThemaCodeSpec ok = {
      .path = "a/b", .include = inc, .include_lines = inc_lines, .ninclude = 2, .line = 11};
  ThemaCodeSpec bad_inc = ok;
  bad_inc.ninclude = 3;
  ThemaCodeSpec bad_exc = ok;
  bad_exc.exclude = exc;
  bad_exc.exclude_lines = exc_lines;
  bad_exc.nexclude = 1;
  ThemaError err = {0};
  ThemaCodeSpec two[] = {ok, bad_inc};
  two[0].path = "a/first";
  cr_expect_null(thema_matcher_new(two, 2, "cb.csv", &err));
  cr_expect(strstr(err.msg, "cb.csv:14: code 'a/b': invalid pattern '(kapot'") != NULL,
            "%s", err.msg);
  thema_error_clear(&err);
  cr_expect_null(thema_matcher_new(&bad_exc, 1, "cb.csv", &err));
  cr_expect(strstr(err.msg, "cb.csv:20: code 'a/b'") != NULL, "%s", err.msg);
}

/* A catastrophic pattern on a long text fails with the match limit instead
 * of running for hours (the suite's timeout would catch a hang). */
Test(matcher, the_match_limit_is_an_error_not_a_hang) {
  Spec spec = {.path = "runaway", .options = "partial", .inc = {"(a+)+$"}};
  ThemaError err = {0};
  ThemaMatcher *m = build(&spec, 1, &err);
  cr_assert_not_null(m, "%s", err.msg);
  size_t n = 5000;
  char *text = malloc(n + 2);
  memset(text, 'a', n);
  text[n] = '!';
  text[n + 1] = '\0';
  Render r = {.m = m, .last_code = -1, .order_ok = 1};
  int rc = thema_matcher_scan(m, text, n + 1, render_hit, &r, &err);
  cr_expect_eq(rc, THEMA_ERUNTIME, "rc %d: %s", rc, err.msg);
  cr_expect_eq(err.status, THEMA_ERUNTIME);
  cr_expect(strstr(err.msg, "code 'runaway'") != NULL, "%s", err.msg);
  cr_expect(strstr(err.msg, "limit") != NULL, "%s", err.msg);
  cr_expect_eq(r.out.len, 0, "spans reported before the error: %s", thema_buf_str(&r.out));
  thema_buf_free(&r.out);
  free(text);
  thema_matcher_free(m);
}

/* ---- the study's codebook against the oracle ---- */

static const char *root(void) {
  const char *r = getenv("THEMA_ROOT");
  return r && *r ? r : ".";
}

typedef struct Study {
  ThemaCodebook cb;
  Spec *specs;
  int n;
} Study;

static void study_load(Study *s) {
  char path[1024];
  snprintf(path, sizeof path, "%s/corpora/leren-om-te-leren/codebook.csv", root());
  ThemaError err = {0};
  cr_assert_eq(thema_codebook_load(path, &s->cb, &err), THEMA_OK, "%s", err.msg);
  s->specs = calloc((size_t)s->cb.n, sizeof *s->specs);
  s->n = 0;
  for (int i = 0; i < s->cb.n; i++) {
    const ThemaCbCode *c = &s->cb.codes[i];
    if (!c->include.n) continue;
    cr_assert_lt(c->include.n, MAXR, "%s has too many rules for the test", c->path);
    cr_assert_lt(c->exclude.n, MAXR, "%s has too many rules for the test", c->path);
    Spec *sp = &s->specs[s->n++];
    sp->path = c->path;
    sp->options = c->options;
    for (int k = 0; k < c->include.n; k++) sp->inc[k] = c->include.items[k];
    for (int k = 0; k < c->exclude.n; k++) sp->exc[k] = c->exclude.items[k];
  }
  cr_assert_gt(s->n, 10);
}

static void study_free(Study *s) {
  free(s->specs);
  thema_codebook_free(&s->cb);
}

static uint32_t rng = 20240607u;
static uint32_t next_rand(void) {
  rng = rng * 1664525u + 1013904223u;
  return rng >> 8;
}

/* Accented letters spelled NFD: the fold paths and offset maps get exercised. */
static void to_nfd(ThemaBuf *out, const char *w) {
  static const struct {
    const char *nfc, *nfd;
  } map[] = {{"ë", "e\xCC\x88"},
             {"ö", "o\xCC\x88"},
             {"é", "e\xCC\x81"},
             {"ï", "i\xCC\x88"},
             {"è", "e\xCC\x80"}};
  for (const char *p = w; *p;) {
    int done = 0;
    for (size_t k = 0; k < sizeof map / sizeof *map && !done; k++)
      if (!strncmp(p, map[k].nfc, strlen(map[k].nfc))) {
        thema_buf_puts(out, map[k].nfd);
        p += strlen(map[k].nfc);
        done = 1;
      }
    if (!done) thema_buf_putc(out, *p++);
  }
}

/* Words of the codebook's examples, plus spellings the examples lack. */
static char **vocabulary(const Study *s, int *nwords) {
  static const char *extra[] = {"coördinatie",
                                "Coördinatie",
                                "COÖRDINATIE",
                                "coordinator",
                                "coördinator",
                                "ideeën",
                                "AgII",
                                "agll",
                                "VVSG",
                                "overleg",
                                "overlegmoment",
                                "netwerkoverleg",
                                "leren",
                                "leert",
                                "geleerd",
                                "gemeenten",
                                "gemeente",
                                "stad",
                                "steden",
                                "centrumsteden",
                                "agenda",
                                "politieke",
                                "niet",
                                "nie",
                                "zomaar",
                                "klakkeloos",
                                "kopiëren",
                                "copy-paste",
                                "copy paste",
                                "context",
                                "situatie",
                                "eigen",
                                "onze",
                                "één",
                                "hé",
                                "zo'n",
                                "da's",
                                "’t",
                                "cijfers",
                                "monitor",
                                "zeggen",
                                "weinig",
                                "nuance",
                                "draagvlak",
                                "schepen",
                                "achter",
                                "trekker",
                                "kar",
                                "trekken",
                                "naar",
                                "de",
                                "het",
                                "een",
                                "en",
                                "van",
                                "in",
                                "op",
                                "met",
                                "dat",
                                "is",
                                "ge",
                                "we",
                                "ze",
                                "wat",
                                "ook",
                                "maar",
                                "nog",
                                "al",
                                "er",
                                "verder",
                                "staan",
                                "jaren",
                                "ervaring",
                                "expertise",
                                "verloren",
                                "personeelsverloop",
                                "kleine",
                                "grote",
                                "omvang",
                                "eenmansdienst",
                                "voorbeeld",
                                "goede",
                                "praktijk",
                                "praktijken",
                                "uitwisselen",
                                "uitwisseling",
                                "informeel",
                                "bellen",
                                "collega",
                                "collega's",
                                "studiedag",
                                "vorming",
                                "agentschap",
                                "consulent",
                                "OCMW",
                                "VDAB"};
  int cap = 4096, n = 0;
  char **v = malloc((size_t)cap * sizeof *v);
  for (size_t k = 0; k < sizeof extra / sizeof *extra; k++) v[n++] = strdup(extra[k]);
  for (int i = 0; i < s->cb.n; i++) {
    const ThemaCbCode *c = &s->cb.codes[i];
    const ThemaList *lists[2] = {&c->match, &c->nomatch};
    for (int l = 0; l < 2; l++)
      for (int j = 0; j < lists[l]->n; j++) {
        char *copy = strdup(lists[l]->items[j]);
        char *save = NULL;
        for (char *t = strtok_r(copy, " ", &save); t && n < cap;
             t = strtok_r(NULL, " ", &save))
          v[n++] = strdup(t);
        free(copy);
      }
  }
  *nwords = n;
  return v;
}

static char *sentence(char **vocab, int nvocab) {
  static const char *punct[] = {",", ".", "?", "!", " -", ":", "…", " (", ")", ";"};
  ThemaBuf b = {0};
  int words = 3 + (int)(next_rand() % 28);
  for (int w = 0; w < words; w++) {
    const char *word = vocab[next_rand() % (uint32_t)nvocab];
    if (w) thema_buf_putc(&b, (next_rand() % 23) ? ' ' : '\n');
    uint32_t shape = next_rand() % 16;
    if (shape == 0) {
      for (const char *p = word; *p; p++)
        thema_buf_putc(&b, *p >= 'a' && *p <= 'z' ? (char)(*p - 32) : *p);
    } else if (shape == 1 && word[0] >= 'a' && word[0] <= 'z') {
      thema_buf_putc(&b, (char)(word[0] - 32));
      thema_buf_puts(&b, word + 1);
    } else if (shape == 2) {
      to_nfd(&b, word);
    } else {
      thema_buf_puts(&b, word);
    }
    if (next_rand() % 7 == 0) thema_buf_puts(&b, punct[next_rand() % 10]);
  }
  char *s = strdup(thema_buf_str(&b));
  thema_buf_free(&b);
  return s;
}

/* The study's codebook, every code (fold, NEAR and exclusions included) on
 * its own examples and on 300 generated sentences: the matcher and the
 * prefilter-free oracle agree on every span. */
Test(matcher, study_codebook_matches_the_oracle_on_random_sentences) {
  Study s;
  study_load(&s);
  ThemaError err = {0};
  ThemaMatcher *m = build(s.specs, s.n, &err);
  cr_assert_not_null(m, "%s", err.msg);
  int nvocab;
  char **vocab = vocabulary(&s, &nvocab);
  int texts = 0, nonempty = 0;
  ThemaBuf all = {0};
  /* First every example sentence of the codebook, then generated ones. */
  char **examples = NULL;
  int nexamples = 0;
  for (int i = 0; i < s.cb.n; i++) {
    const ThemaList *l[2] = {&s.cb.codes[i].match, &s.cb.codes[i].nomatch};
    for (int k = 0; k < 2; k++)
      for (int j = 0; j < l[k]->n; j++) {
        examples = realloc(examples, (size_t)(nexamples + 1) * sizeof *examples);
        examples[nexamples++] = l[k]->items[j];
      }
  }
  cr_assert_gt(nexamples, 50);
  for (int i = 0; i < nexamples + 300; i++) {
    char *text = i < nexamples ? strdup(examples[i]) : sentence(vocab, nvocab);
    texts++;
    char *got = scan(m, text, 1), *want = oracle(s.specs, s.n, text, 1);
    cr_expect_str_eq(got, want, "text '%s':\nmatcher %s\noracle  %s", text, got, want);
    nonempty += *got != '\0';
    thema_buf_printf(&all, " %s", want);
    free(got);
    free(want);
    free(text);
  }
  /* Not a vacuous comparison: many texts are coded, and by every code. */
  cr_expect_gt(nonempty, texts / 5, "only %d of %d texts coded", nonempty, texts);
  for (int c = 0; c < s.n; c++) {
    char needle[200];
    snprintf(needle, sizeof needle, " %s:", s.specs[c].path);
    cr_expect(strstr(thema_buf_str(&all), needle) != NULL, "%s never coded",
              s.specs[c].path);
  }
  thema_buf_free(&all);
  free(examples);
  for (int i = 0; i < nvocab; i++) free(vocab[i]);
  free(vocab);
  thema_matcher_free(m);
  study_free(&s);
}

/* Generated patterns of every shape the prefilter parses, on generated
 * texts, with each option: matcher and oracle agree. */
Test(matcher, generated_patterns_match_the_oracle) {
  static const char *patterns[] = {
      "overleg",
      "overleg\\w*",
      "\\w*overleg",
      "over\\w*|leren",
      "a\\w*|bcd",
      "ag(?:ii|ll)",
      "[bv]eleid",
      "overlegg?",
      "\\w+ing",
      "co+rdinatie",
      "(?:het )?overleg",
      "overleg(?:len)?",
      "\\w{11}",
      "[a-z]{10,12}",
      "goede praktijk\\w*",
      "eigen (?:context|situatie)",
      "niet (?:\\w+ ){0,2}vergelijkbaar",
      "zo'n",
      "een-op-een",
      "(?i)AgII",
      "idee\\w*",
      "coördinatie",
      "coordinatie",
      "gemeente",
      "leren",
      "\\bda'?s\\b",
      "(?:\\w+ ){0,3}leren",
      "\\x{e9}\\w*",
      "ov[e]rleg",
      "o\\w+g",
      "(?<w>\\w+) \\k<w>",
      "[[:alpha:]]{3}leg",
      "overleg NEAR/2 leren",
      "leren NEAR/0 \\w+",
      "coordinatie NEAR/4 netwerk\\w*",
      "ag(?:ii|ll) NEAR/3 overleg",
      "(?:meerwaarde|pluspunt\\w*|nuttig\\w*)",
      "(?:het )?(?:wiel|warm water)",
      "(?<=het )overleg",
      "(?<!niet )leren",
      "\\pLeren",
      "(?:over|neder)leg(?:gen)?",
      "(?:ag(?:ii|ll)|het agentschap)",
      "(?:co)+rdinatie",
      "(?:goede|eigen) (?:praktijk|context)\\w*",
      "(?:idee|plan)(?:\\w+)? NEAR/2 (?:goede|eigen)",
  };
  static const char *options[] = {NULL,   "case",         "partial",   "fold",
                                  "stem", "fold partial", "fold case", "stem fold"};
  static const char *words[] = {"overleg",
                                "Overleg",
                                "OVERLEG",
                                "overlegmoment",
                                "netwerkoverleg",
                                "overleggen",
                                "overlegg",
                                "leren",
                                "Leren",
                                "leer",
                                "geleerd",
                                "beleid",
                                "veleid",
                                "vorming",
                                "opleiding",
                                "coördinatie",
                                "co" O_UML "rdinatie",
                                "coordinatie",
                                "Coördinatie",
                                "cordinatie",
                                "cooordinatie",
                                "AgII",
                                "agll",
                                "agentschap",
                                "bcd",
                                "abc",
                                "a",
                                "ideeën",
                                "idee" E_UML "n",
                                "idee",
                                "gemeente",
                                "gemeenten",
                                "gemeentes",
                                "goede",
                                "praktijk",
                                "praktijken",
                                "eigen",
                                "context",
                                "situatie",
                                "niet",
                                "zo",
                                "vergelijkbaar",
                                "zo'n",
                                "een-op-een",
                                "da's",
                                "das",
                                "café",
                                "éénmaal",
                                "netwerk",
                                "netwerken",
                                "het",
                                "heel",
                                ",",
                                ".",
                                "-",
                                "(",
                                ")",
                                "’",
                                "'",
                                "2019",
                                "x",
                                "pluspunt",
                                "nuttige",
                                "meerwaarde",
                                "wiel",
                                "warm",
                                "water",
                                "heren",
                                "nederleg",
                                "nederleggen",
                                "coco",
                                "plan",
                                "agentschap"};
  int nw = sizeof words / sizeof *words;
  int compared = 0, nonempty = 0;
  for (size_t p = 0; p < sizeof patterns / sizeof *patterns; p++)
    for (size_t o = 0; o < sizeof options / sizeof *options; o++) {
      Spec spec = {.options = options[o], .inc = {patterns[p]}};
      ThemaError err = {0};
      ThemaMatcher *m = build(&spec, 1, &err);
      cr_assert_not_null(m, "%s [%s]: %s", patterns[p], options[o], err.msg);
      for (int t = 0; t < 40; t++) {
        ThemaBuf b = {0};
        int n = 1 + (int)(next_rand() % 12);
        for (int k = 0; k < n; k++) {
          if (k && next_rand() % 4) thema_buf_putc(&b, ' ');
          thema_buf_puts(&b, words[next_rand() % (uint32_t)nw]);
        }
        char *got = scan(m, thema_buf_str(&b), 0),
             *want = oracle(&spec, 1, thema_buf_str(&b), 0);
        cr_expect_str_eq(got, want, "pattern '%s' [%s] on '%s': matcher [%s], oracle [%s]",
                         patterns[p], options[o] ? options[o] : "", thema_buf_str(&b), got,
                         want);
        compared++;
        nonempty += *want != '\0';
        free(got);
        free(want);
        thema_buf_free(&b);
      }
      thema_matcher_free(m);
    }
  cr_expect_gt(nonempty, compared / 10, "only %d of %d texts matched", nonempty, compared);
}

/* For stem rules the prefilter literal comes from the stem, which need not
 * be a substring of the word ("leer" and "leren" stem to "ler"). Every word
 * of the study's transcripts and documents, grouped by stem: a stem rule
 * made of any one word of a group finds every word of it. */
typedef struct StemGroup {
  char *stem;
  char **words;
  int n;
} StemGroup;

Test(matcher, a_stem_rule_finds_every_word_with_its_stem) {
  char cmd[1200];
  snprintf(
      cmd, sizeof cmd,
      "cat '%s'/corpora/leren-om-te-leren/transcripts/* '%s'/corpora/leren-om-te-leren/documents/*",
      root(), root());
  FILE *f = popen(cmd, "r");
  cr_assert_not_null(f);
  ThemaBuf all = {0};
  char chunk[4096];
  size_t k;
  while ((k = fread(chunk, 1, sizeof chunk, f)) > 0) thema_buf_append(&all, chunk, k);
  pclose(f);
  cr_assert_gt(all.len, 10000);
  ThemaStemmer *st = thema_text_stemmer_new("dutch");
  StemGroup *groups = NULL;
  int ngroups = 0, nwords = 0;
  ThemaWordScan sc = {.s = all.data, .n = all.len};
  ThemaWord w;
  while (thema_text_next_word(&sc, &w)) {
    char *word = strndup(all.data + w.bstart, w.bstop - w.bstart);
    size_t n;
    const char *stem =
        plain_word(word) ? thema_text_stemmer_stem(st, word, strlen(word), &n) : NULL;
    int g = 0;
    while (stem && g < ngroups &&
           (strlen(groups[g].stem) != n || memcmp(groups[g].stem, stem, n)))
      g++;
    int dup = 0;
    for (int j = 0; stem && g < ngroups && j < groups[g].n && !dup; j++)
      dup = !strcmp(groups[g].words[j], word);
    if (!stem || dup) {
      free(word);
      continue;
    }
    if (g == ngroups) {
      groups = realloc(groups, (size_t)(ngroups + 1) * sizeof *groups);
      groups[ngroups++] = (StemGroup){.stem = strndup(stem, n)};
    }
    groups[g].words = realloc(groups[g].words, (size_t)(groups[g].n + 1) * sizeof(char *));
    groups[g].words[groups[g].n++] = word;
    nwords++;
  }
  cr_assert_gt(nwords, 1000);
  int rules = 0, multi = 0;
  for (int g = 0; g < ngroups; g++) {
    ThemaBuf text = {0};
    for (int j = 0; j < groups[g].n; j++)
      thema_buf_printf(&text, "%s%s", j ? ", " : "", groups[g].words[j]);
    multi += groups[g].n > 1;
    for (int r = 0; r < groups[g].n; r++) {
      Spec spec = {.options = "stem", .inc = {groups[g].words[r]}};
      ThemaError err = {0};
      ThemaMatcher *m = build(&spec, 1, &err);
      cr_assert_not_null(m, "%s", err.msg);
      char *got = scan(m, thema_buf_str(&text), 0);
      int spans = *got ? 1 : 0;
      for (const char *p = got; *p; p++) spans += *p == ' ';
      cr_expect_eq(spans, groups[g].n, "stem rule '%s' (stem %s) on '%s' found only [%s]",
                   groups[g].words[r], groups[g].stem, thema_buf_str(&text), got);
      rules++;
      free(got);
      thema_matcher_free(m);
    }
    thema_buf_free(&text);
  }
  cr_expect_gt(multi, 100, "only %d stems with several words", multi);
  for (int g = 0; g < ngroups; g++) {
    for (int j = 0; j < groups[g].n; j++) free(groups[g].words[j]);
    free(groups[g].words);
    free(groups[g].stem);
  }
  free(groups);
  thema_text_stemmer_free(st);
  thema_buf_free(&all);
}
