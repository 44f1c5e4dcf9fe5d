/*
 * text.h — text helpers shared by the matcher and the Lua bindings: accent
 * stripping per code point (with a map back to the original), whole-string
 * normalisation and case folding, word scanning, case folding for
 * prefilters, and Snowball stemming. Inputs are valid UTF-8 (validated at
 * import, or by the binding that takes them).
 */
#ifndef THEMA_TEXT_H
#define THEMA_TEXT_H

#include <stddef.h>
#include <stdint.h>

#include "base/thema.h"

/* The code point standing for c once its accents are gone: the base of its
 * canonical decomposition when that is one code point, -1 when c is itself a
 * combining mark (dropped), c otherwise. */
int32_t thema_text_accent_base(int32_t c);

/* Append s[0..n) with accents stripped code point by code point
 * (thema_text_accent_base): case and everything else kept. */
void thema_text_strip_accents(ThemaBuf *out, const char *s, size_t n);

/* An accent-stripped copy of s[0..n) with its way back, for matching
 * without accents and reporting spans of the original. out (reset first)
 * gets the copy, as thema_text_strip_accents makes it; (*map)[b], for every
 * byte offset b of the copy, is the byte offset in s of the code point that
 * byte came from, and (*map)[out->len] is n. A match [b, e) of the copy is
 * therefore [(*map)[b], (*map)[e]) of s, and a dropped mark belongs to the
 * match that ends on its base letter. *map grows as needed (*cap counts its
 * entries); the caller owns out and *map (thema_buf_free, free) and may
 * reuse both. out->data is never NULL afterwards. */
void thema_text_strip_mapped(ThemaBuf *out, size_t **map, size_t *cap, const char *s,
                             size_t n);

/* Flags of thema_text_normalise. */
enum {
  THEMA_TEXT_CASEFOLD = 1, /* Unicode full case folding ("Straße" -> "strasse") */
  THEMA_TEXT_STRIPMARK = 2 /* drop combining marks ("coördinatie" -> "coordinatie") */
};

/* Append s[0..n) in NFC, after the THEMA_TEXT_* flags: the whole string at
 * once (utf8proc_map), so marks recompose with their letters, unlike the
 * code-point-wise stripping above. Fails with utf8proc's message ("text:
 * ...") on input it cannot map. */
int thema_text_normalise(ThemaBuf *out, const char *s, size_t n, int flags,
                         ThemaError *err);

/* Append the UTF-8 encoding of c to out. */
void thema_text_put_cp(ThemaBuf *out, int32_t c);

/* Append s[0..n) case-folded and with accents stripped: the form literal
 * prefilters compare (never shown to users). */
void thema_text_fold(ThemaBuf *out, const char *s, size_t n);

/* Walks a text word by word: letters and digits, with combining marks and an
 * apostrophe between letters ("’t", "zo'n") inside the word. Start zeroed
 * apart from s and n. */
typedef struct ThemaWordScan {
  const char *s; /* the text */
  size_t n;      /* its length in bytes */
  size_t byte;   /* where scanning resumes */
  size_t cp;     /* code points before byte */
} ThemaWordScan;

typedef struct ThemaWord {
  size_t bstart, bstop; /* byte span */
  size_t start, stop;   /* code-point span */
} ThemaWord;

/* The next word: 1 and *w filled, or 0 at the end. */
int thema_text_next_word(ThemaWordScan *sc, ThemaWord *w);

/* Snowball stemmers (libstemmer), one per language, created on demand. */
typedef struct ThemaStemmer ThemaStemmer;
/* NULL when libstemmer has no such language. Caller frees. */
ThemaStemmer *thema_text_stemmer_new(const char *language);
void thema_text_stemmer_free(ThemaStemmer *s);
/* The stem of word[0..n) (case-folded first), valid until the next call. */
const char *thema_text_stemmer_stem(ThemaStemmer *s, const char *word, size_t n,
                                    size_t *len);

#endif
