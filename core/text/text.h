/*
 * text.h — text helpers shared by the matcher and the Lua bindings: accent
 * stripping per code point, word scanning, case folding for prefilters, and
 * Snowball stemming. Inputs are valid UTF-8 (validated at import).
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
