/*
 * text.c — accent stripping (with its byte map), normalisation, folding,
 * word scanning and stemming, over utf8proc (Unicode tables) and libstemmer
 * (Snowball): both well kept, and far more correct than hand-written tables.
 */
#include "text/text.h"

#include <libstemmer.h>
#include <stdlib.h>
#include <utf8proc.h>

#include "base/utf8.h"

int32_t thema_text_accent_base(int32_t c) {
  if (c < 0x80) return c;
  utf8proc_int32_t buf[8];
  utf8proc_ssize_t n =
      utf8proc_decompose_char(c, buf, 8, UTF8PROC_DECOMPOSE | UTF8PROC_STRIPMARK, NULL);
  if (n == 0) return -1;
  if (n == 1) return buf[0];
  return c;
}

void thema_text_put_cp(ThemaBuf *out, int32_t c) {
  utf8proc_uint8_t enc[4];
  utf8proc_ssize_t k = utf8proc_encode_char(c, enc);
  thema_buf_append(out, (const char *)enc, (size_t)k);
}

void thema_text_strip_accents(ThemaBuf *out, const char *s, size_t n) {
  for (size_t i = 0; i < n;) {
    size_t l;
    int32_t base = thema_text_accent_base(thema_utf8_decode(s + i, n - i, &l));
    if (base >= 0) thema_text_put_cp(out, base);
    i += l;
  }
}

/* Room for at least need entries in *map. */
static void map_reserve(size_t **map, size_t *cap, size_t need) {
  if (*cap >= need) return;
  size_t grown = *cap * 2;
  *cap = grown > need ? grown : need;
  *map = thema_xrealloc(*map, *cap * sizeof **map);
}

void thema_text_strip_mapped(ThemaBuf *out, size_t **map, size_t *cap, const char *s,
                             size_t n) {
  thema_buf_reset(out);
  map_reserve(map, cap, n + 1); /* enough unless stripping lengthens the text */
  for (size_t i = 0; i < n;) {
    size_t j = i;
    while (j < n && (unsigned char)s[j] < 0x80) j++;
    if (j > i) { /* ASCII has no accents: copied as it is */
      size_t before = out->len;
      thema_buf_append(out, s + i, j - i);
      map_reserve(map, cap, out->len + 1);
      for (size_t k = 0; k < j - i; k++) (*map)[before + k] = i + k;
      i = j;
      continue;
    }
    size_t l;
    int32_t base = thema_text_accent_base(thema_utf8_decode(s + i, n - i, &l));
    size_t before = out->len;
    if (base >= 0) thema_text_put_cp(out, base);
    map_reserve(map, cap, out->len + 1);
    for (size_t k = before; k < out->len; k++) (*map)[k] = i;
    i += l;
  }
  (*map)[out->len] = n;
  thema_buf_putc(out, '\0'); /* so that data is set even for an empty text */
  out->len--;
}

int thema_text_normalise(ThemaBuf *out, const char *s, size_t n, int flags,
                         ThemaError *err) {
  utf8proc_option_t options = UTF8PROC_STABLE | UTF8PROC_COMPOSE;
  if (flags & THEMA_TEXT_CASEFOLD) options |= UTF8PROC_CASEFOLD;
  if (flags & THEMA_TEXT_STRIPMARK) options |= UTF8PROC_STRIPMARK;
  utf8proc_uint8_t *mapped = NULL;
  utf8proc_ssize_t m =
      utf8proc_map((const utf8proc_uint8_t *)s, (utf8proc_ssize_t)n, &mapped, options);
  if (m < 0) return thema_error_set(err, THEMA_EINPUT, "text: %s", utf8proc_errmsg(m));
  thema_buf_append(out, (const char *)mapped, (size_t)m);
  free(mapped);
  return THEMA_OK;
}

void thema_text_fold(ThemaBuf *out, const char *s, size_t n) {
  for (size_t i = 0; i < n;) {
    unsigned char b = (unsigned char)s[i];
    if (b < 0x80) { /* ASCII fast path: most of a Dutch text */
      thema_buf_putc(out, (char)(b >= 'A' && b <= 'Z' ? b + 32 : b));
      i++;
      continue;
    }
    size_t l;
    int32_t c = thema_utf8_decode(s + i, n - i, &l);
    i += l;
    utf8proc_int32_t buf[8];
    utf8proc_ssize_t k = utf8proc_decompose_char(
        c, buf, 8, UTF8PROC_DECOMPOSE | UTF8PROC_STRIPMARK | UTF8PROC_CASEFOLD, NULL);
    for (utf8proc_ssize_t j = 0; j < k && k > 0; j++) thema_text_put_cp(out, buf[j]);
    if (k < 0) thema_text_put_cp(out, c);
  }
}

/* ASCII letters and digits: the categories below, without the table look-up
 * (most of a Dutch text is ASCII). */
static int ascii_alnum(int32_t c) {
  return ((c | 0x20) >= 'a' && (c | 0x20) <= 'z') || (c >= '0' && c <= '9');
}

static int starts_word(int32_t c) {
  if (c < 0x80) return ascii_alnum(c);
  utf8proc_category_t k = utf8proc_category(c);
  return (k >= UTF8PROC_CATEGORY_LU && k <= UTF8PROC_CATEGORY_LO) ||
         (k >= UTF8PROC_CATEGORY_ND && k <= UTF8PROC_CATEGORY_NO);
}

static int continues_word(int32_t c) {
  if (c < 0x80) return ascii_alnum(c);
  utf8proc_category_t k = utf8proc_category(c);
  return k >= UTF8PROC_CATEGORY_LU && k <= UTF8PROC_CATEGORY_NO; /* L*, M*, N* */
}

static int is_apostrophe(int32_t c) { return c == '\'' || c == 0x2019; }

/* The code point at byte b of s[0..n), ASCII without a call. */
static inline int32_t decode_at(const char *s, size_t n, size_t b, size_t *len) {
  unsigned char u = (unsigned char)s[b];
  if (u < 0x80) {
    *len = 1;
    return u;
  }
  return thema_utf8_decode(s + b, n - b, len);
}

int thema_text_next_word(ThemaWordScan *sc, ThemaWord *w) {
  size_t l;
  while (sc->byte < sc->n) {
    int32_t c = decode_at(sc->s, sc->n, sc->byte, &l);
    if (starts_word(c)) break;
    sc->byte += l;
    sc->cp++;
  }
  if (sc->byte >= sc->n) return 0;
  w->bstart = sc->byte;
  w->start = sc->cp;
  decode_at(sc->s, sc->n, sc->byte, &l);
  sc->byte += l;
  sc->cp++;
  while (sc->byte < sc->n) {
    int32_t c = decode_at(sc->s, sc->n, sc->byte, &l);
    if (continues_word(c)) {
      sc->byte += l;
      sc->cp++;
      continue;
    }
    if (!is_apostrophe(c) || sc->byte + l >= sc->n) break;
    size_t l2;
    int32_t next = decode_at(sc->s, sc->n, sc->byte + l, &l2);
    if (!starts_word(next)) break;
    sc->byte += l + l2;
    sc->cp += 2;
  }
  w->bstop = sc->byte;
  w->stop = sc->cp;
  return 1;
}

struct ThemaStemmer {
  struct sb_stemmer *sb; /* libstemmer's state */
  ThemaBuf folded;       /* the word, case-folded, before stemming */
};

ThemaStemmer *thema_text_stemmer_new(const char *language) {
  struct sb_stemmer *sb = sb_stemmer_new(language, "UTF_8");
  if (!sb) return NULL;
  ThemaStemmer *s = thema_xcalloc(1, sizeof *s);
  s->sb = sb;
  return s;
}

void thema_text_stemmer_free(ThemaStemmer *s) {
  if (!s) return;
  sb_stemmer_delete(s->sb);
  thema_buf_free(&s->folded);
  free(s);
}

const char *thema_text_stemmer_stem(ThemaStemmer *s, const char *word, size_t n,
                                    size_t *len) {
  /* Snowball expects lower case; fold case but keep accents (the Dutch
   * stemmer handles its own diacritics). */
  thema_buf_reset(&s->folded);
  utf8proc_uint8_t *mapped = NULL;
  utf8proc_ssize_t m = utf8proc_map((const utf8proc_uint8_t *)word, (utf8proc_ssize_t)n,
                                    &mapped, UTF8PROC_CASEFOLD | UTF8PROC_COMPOSE);
  if (m >= 0)
    thema_buf_append(&s->folded, (const char *)mapped, (size_t)m);
  else
    thema_buf_append(&s->folded, word, n);
  free(mapped);
  const sb_symbol *out = sb_stemmer_stem(
      s->sb, (const sb_symbol *)thema_buf_str(&s->folded), (int)s->folded.len);
  if (!out) abort();
  *len = (size_t)sb_stemmer_length(s->sb);
  return (const char *)out;
}
