/*
 * tokens.h — word tokens for counting (frequencies, keyness, collocations,
 * term matrices), over utf8proc's Unicode tables. The matcher's words
 * (text.h, thema_text_next_word) are for patterns; these are for statistics
 * over spoken Dutch, French and English, where a token must be what a reader
 * counts as one word:
 *
 *  - a word is a run of letters, combining marks and digits that starts with
 *    a letter ("coördinatie", "covid19");
 *  - an apostrophe (' or ’) between letters stays inside: "da's", "z'n",
 *    "zo'n", "m'n", "d'r", "aujourd'hui", "don't";
 *  - a Dutch proclitic keeps its leading apostrophe: "'t", "'k", "'s", "'n",
 *    "'m" (' ’ or ‘), but only these one-letter forms, so that a quotation
 *    mark before a word is not taken for one;
 *  - a French elision is its own token: "l'école" is "l'" + "école", when the
 *    part before the apostrophe is c, d, j, l, m, n, s, t, qu, jusqu, lorsqu,
 *    puisqu or quoiqu and a vowel or h follows (Dutch "d'r", "m'n" have a
 *    consonant there and stay whole);
 *  - a hyphen (-, U+2010, U+2011) between letters or digits joins a
 *    compound: "Leuven-Hageland", "e-mail", "COVID-19", "2019-2020"; a hyphen
 *    before a space ("in- en uitstroom") is not part of the token;
 *  - a number starts with a digit and keeps "." or "," between digits and
 *    letters after it: "2.775", "6,1", "2de", "3e"; it has its own kind, so
 *    counts can leave numbers out;
 *  - between two tokens, anything but white space (punctuation, a symbol) or a
 *    line break is a phrase boundary: n-grams never cross one.
 *
 * Offsets are bytes and code points into the text; thema_tokens_fold gives
 * the form that is counted.
 */
#ifndef THEMA_TOKENS_H
#define THEMA_TOKENS_H

#include <stddef.h>
#include <stdint.h>

#include "base/thema.h"

typedef enum ThemaTokenKind {
  THEMA_TOKEN_WORD = 0,  /* starts with a letter (or is a proclitic) */
  THEMA_TOKEN_NUMBER = 1 /* starts with a digit */
} ThemaTokenKind;

typedef struct ThemaToken {
  size_t bstart, bstop; /* byte span [bstart, bstop) */
  size_t start, stop;   /* code-point span */
  int kind;             /* a ThemaTokenKind */
  int boundary;         /* 1: a phrase boundary lies between the previous token and this */
} ThemaToken;

/* Walks a text token by token; set up with thema_tokens_begin. */
typedef struct ThemaTokenScan {
  const char *s; /* the text, valid UTF-8 */
  size_t n;      /* its length in bytes */
  size_t byte;   /* where scanning resumes */
  size_t cp;     /* code points before byte */
} ThemaTokenScan;

void thema_tokens_begin(ThemaTokenScan *sc, const char *s, size_t n);
/* The next token: 1 and *t filled, or 0 at the end of the text. */
int thema_tokens_next(ThemaTokenScan *sc, ThemaToken *t);

/* Append the counted form of s[0..n) (a token's text) to out: Unicode full
 * case folding, NFC, and every apostrophe and hyphen written as ' and -
 * ("’T" -> "'t", "Straße" -> "strasse"). Accents stay: "één" is not "een". */
void thema_tokens_fold(ThemaBuf *out, const char *s, size_t n);

/* --- n-grams ---------------------------------------------------------------- */

enum { THEMA_NGRAM_MAX = 5 };

/* The last THEMA_NGRAM_MAX tokens of the current phrase, for n-grams: an
 * n-gram is n consecutive tokens of one phrase whose first and last tokens
 * may edge a phrase (not a stop word, a filler or a number: "raad van
 * bestuur" is a trigram, "van de raad" is not). Zero it to start. */
typedef struct ThemaNgramWindow {
  uint32_t id[THEMA_NGRAM_MAX]; /* the caller's term ids, oldest first */
  int edge[THEMA_NGRAM_MAX];    /* 1: that token may start or end an n-gram */
  int len;                      /* tokens in the window */
} ThemaNgramWindow;

/* Push a token (its id and whether it may edge an n-gram); boundary starts
 * a new phrase first (thema_ngram_push(..., t.boundary)). */
void thema_ngram_push(ThemaNgramWindow *w, uint32_t id, int edge, int boundary);
/* 1 when the n tokens that end with the last one pushed form an n-gram
 * (2 <= n <= THEMA_NGRAM_MAX); *ids then points at their n ids in order. */
int thema_ngram_get(const ThemaNgramWindow *w, int n, const uint32_t **ids);

#endif
