/*
 * tokens.c — the token rules of tokens.h. Classes come from utf8proc's
 * general categories, with an ASCII fast path (most of a Dutch transcript);
 * folding goes through utf8proc_map only for tokens that are not ASCII.
 */
#include "text/tokens.h"

#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

#include "base/utf8.h"

/* What a code point is to the tokeniser. */
enum {
  C_PUNCT,  /* anything that is not part of a token nor white space: a boundary */
  C_SPACE,  /* white space: separates, no boundary */
  C_BREAK,  /* a line break: separates, a boundary */
  C_LETTER, /* L* */
  C_MARK,   /* M*: continues a token, never starts one */
  C_DIGIT,  /* N* */
  C_APOS,   /* ' ’ */
  C_OPEN,   /* ‘: an apostrophe only before a proclitic */
  C_HYPHEN  /* - U+2010 U+2011 */
};

/* The classes of ASCII (unlisted: C_PUNCT, which is 0). */
static const unsigned char ascii_class[128] = {
    ['a' ... 'z'] = C_LETTER, ['A' ... 'Z'] = C_LETTER, ['0' ... '9'] = C_DIGIT,
    ['\n'] = C_BREAK,         [' '] = C_SPACE,          ['\t'] = C_SPACE,
    ['\r'] = C_SPACE,         ['\f'] = C_SPACE,         ['\v'] = C_SPACE,
    ['\''] = C_APOS,          ['-'] = C_HYPHEN};

static int classify(int32_t c) {
  if (c < 0x80) return ascii_class[c];
  if (c == 0x2019) return C_APOS;
  if (c == 0x2018) return C_OPEN;
  if (c == 0x2010 || c == 0x2011) return C_HYPHEN;
  if (c == 0x2028 || c == 0x2029 || c == 0x85) return C_BREAK;
  utf8proc_category_t k = utf8proc_category(c);
  if (k >= UTF8PROC_CATEGORY_LU && k <= UTF8PROC_CATEGORY_LO) return C_LETTER;
  if (k >= UTF8PROC_CATEGORY_MN && k <= UTF8PROC_CATEGORY_ME) return C_MARK;
  if (k >= UTF8PROC_CATEGORY_ND && k <= UTF8PROC_CATEGORY_NO) return C_DIGIT;
  if (k >= UTF8PROC_CATEGORY_ZS && k <= UTF8PROC_CATEGORY_ZP) return C_SPACE;
  return C_PUNCT;
}

/* The code point at byte b (or -1 at the end) and its length. */
static int32_t at(const ThemaTokenScan *sc, size_t b, size_t *len) {
  if (b >= sc->n) {
    *len = 0;
    return -1;
  }
  unsigned char u = (unsigned char)sc->s[b];
  if (u < 0x80) {
    *len = 1;
    return u;
  }
  return thema_utf8_decode(sc->s + b, sc->n - b, len);
}

static int class_at(const ThemaTokenScan *sc, size_t b) {
  size_t l;
  int32_t c = at(sc, b, &l);
  return c < 0 ? C_SPACE : classify(c);
}

static int continues(int k) { return k == C_LETTER || k == C_MARK || k == C_DIGIT; }

/* A vowel or h, accents aside: what a French elision stands before. */
static int elides_before(int32_t c) {
  int32_t base = c < 0x80 ? c : (int32_t)utf8proc_tolower(c);
  if (base >= 0x80) {
    utf8proc_int32_t buf[4];
    if (utf8proc_decompose_char(base, buf, 4, UTF8PROC_DECOMPOSE, NULL) >= 1) base = buf[0];
  }
  base |= 0x20;
  return base == 'a' || base == 'e' || base == 'i' || base == 'o' || base == 'u' ||
         base == 'y' || base == 'h';
}

/* 1 when s[0..n) is a French word that elides its vowel (ASCII, any case). */
static int is_elided(const char *s, size_t n) {
  static const char *const forms[] = {"c",      "d",      "j",      "l",  "m",
                                      "n",      "s",      "t",      "qu", "jusqu",
                                      "lorsqu", "puisqu", "quoiqu", NULL};
  if (n > 6) return 0;
  char low[8];
  for (size_t i = 0; i < n; i++) {
    unsigned char u = (unsigned char)s[i];
    if (u >= 0x80) return 0;
    low[i] = (char)(u | 0x20);
  }
  for (const char *const *f = forms; *f; f++)
    if (strlen(*f) == n && memcmp(*f, low, n) == 0) return 1;
  return 0;
}

/* The length in bytes of a Dutch proclitic ('t 'k 's 'n 'm) at byte b, where
 * an apostrophe stands, or 0. */
static size_t proclitic_at(const ThemaTokenScan *sc, size_t b) {
  size_t la, ll;
  at(sc, b, &la);
  int32_t c = at(sc, b + la, &ll);
  if (c < 0 || c >= 0x80) return 0;
  int low = c | 0x20;
  if (low != 't' && low != 'k' && low != 's' && low != 'n' && low != 'm') return 0;
  int after = class_at(sc, b + la + ll);
  if (continues(after) || after == C_APOS || after == C_HYPHEN) return 0;
  return la + ll;
}

void thema_tokens_begin(ThemaTokenScan *sc, const char *s, size_t n) {
  memset(sc, 0, sizeof *sc);
  sc->s = s;
  sc->n = n;
}

int thema_tokens_next(ThemaTokenScan *sc, ThemaToken *t) {
  int boundary = 0;
  size_t l;
  const unsigned char *u = (const unsigned char *)sc->s;
  for (;;) {                                         /* to the start of the next token */
    while (sc->byte < sc->n && u[sc->byte] < 0x80) { /* ASCII, inline */
      int k = ascii_class[u[sc->byte]];
      if (k == C_LETTER || k == C_DIGIT || k == C_APOS) break;
      if (k != C_SPACE) boundary = 1;
      sc->byte++;
      sc->cp++;
    }
    int32_t c = at(sc, sc->byte, &l);
    if (c < 0) return 0;
    int k = classify(c);
    if (k == C_LETTER || k == C_DIGIT) break;
    if ((k == C_APOS || k == C_OPEN) && proclitic_at(sc, sc->byte)) break;
    if (k != C_SPACE) boundary = 1;
    sc->byte += l;
    sc->cp++;
  }
  t->bstart = sc->byte;
  t->start = sc->cp;
  t->boundary = boundary;
  int32_t first = at(sc, sc->byte, &l);
  int kfirst = classify(first);
  if (kfirst == C_APOS || kfirst == C_OPEN) { /* a proclitic: two code points */
    t->kind = THEMA_TOKEN_WORD;
    sc->byte += proclitic_at(sc, sc->byte);
    sc->cp += 2;
    goto end;
  }
  t->kind = kfirst == C_DIGIT ? THEMA_TOKEN_NUMBER : THEMA_TOKEN_WORD;
  sc->byte += l;
  sc->cp++;
  for (;;) {
    while (sc->byte < sc->n && u[sc->byte] < 0x80 && continues(ascii_class[u[sc->byte]])) {
      sc->byte++; /* ASCII letters and digits, inline */
      sc->cp++;
    }
    int32_t c = at(sc, sc->byte, &l);
    if (c < 0) break;
    int k = classify(c);
    if (continues(k)) {
      sc->byte += l;
      sc->cp++;
      continue;
    }
    size_t l2;
    int32_t next = at(sc, sc->byte + l, &l2);
    int knext = next < 0 ? C_SPACE : classify(next);
    if (k == C_APOS && knext == C_LETTER && t->kind == THEMA_TOKEN_WORD) {
      if (is_elided(sc->s + t->bstart, sc->byte - t->bstart) && elides_before(next)) {
        sc->byte += l; /* "l'" ends here; "école" is the next token */
        sc->cp++;
        break;
      }
    } else if (k == C_HYPHEN && (knext == C_LETTER || knext == C_DIGIT)) {
      /* a compound */
    } else if ((c == '.' || c == ',') && t->kind == THEMA_TOKEN_NUMBER &&
               knext == C_DIGIT) {
      /* 2.775, 6,1 */
    } else {
      break;
    }
    sc->byte += l + l2;
    sc->cp += 2;
  }
end:
  t->bstop = sc->byte;
  t->stop = sc->cp;
  return 1;
}

void thema_tokens_fold(ThemaBuf *out, const char *s, size_t n) {
  size_t i = 0;
  while (i < n && (unsigned char)s[i] < 0x80) i++;
  if (i == n) { /* ASCII: lower case is the whole story */
    thema_buf_append(out, s, n);
    char *d = out->data + out->len - n;
    for (i = 0; i < n; i++)
      if (d[i] >= 'A' && d[i] <= 'Z') d[i] = (char)(d[i] + 32);
    return;
  }
  utf8proc_uint8_t *mapped = NULL;
  utf8proc_ssize_t m =
      utf8proc_map((const utf8proc_uint8_t *)s, (utf8proc_ssize_t)n, &mapped,
                   UTF8PROC_STABLE | UTF8PROC_COMPOSE | UTF8PROC_CASEFOLD);
  const char *src = m >= 0 ? (const char *)mapped : s;
  size_t len = m >= 0 ? (size_t)m : n;
  for (size_t j = 0; j < len;) {
    size_t l;
    int32_t c = thema_utf8_decode(src + j, len - j, &l);
    if (c == 0x2019 || c == 0x2018)
      thema_buf_putc(out, '\'');
    else if (c == 0x2010 || c == 0x2011)
      thema_buf_putc(out, '-');
    else
      thema_buf_append(out, src + j, l);
    j += l;
  }
  free(mapped);
}

void thema_ngram_push(ThemaNgramWindow *w, uint32_t id, int edge, int boundary) {
  if (boundary) w->len = 0;
  if (w->len == THEMA_NGRAM_MAX) {
    memmove(w->id, w->id + 1, (THEMA_NGRAM_MAX - 1) * sizeof *w->id);
    memmove(w->edge, w->edge + 1, (THEMA_NGRAM_MAX - 1) * sizeof *w->edge);
    w->len--;
  }
  w->id[w->len] = id;
  w->edge[w->len] = edge;
  w->len++;
}

int thema_ngram_get(const ThemaNgramWindow *w, int n, const uint32_t **ids) {
  if (n < 2 || n > w->len) return 0;
  int first = w->len - n;
  if (!w->edge[first] || !w->edge[w->len - 1]) return 0;
  *ids = w->id + first;
  return 1;
}
