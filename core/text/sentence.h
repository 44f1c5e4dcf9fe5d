/*
 * sentence.h — sentence boundaries by ICU's break iterator (Unicode UAX #29
 * with the language's rules and its list of abbreviations, so that "bv." or
 * "dhr." does not end a Dutch sentence), over UTF-8 without converting it.
 */
#ifndef THEMA_TEXT_SENTENCE_H
#define THEMA_TEXT_SENTENCE_H

#include <stddef.h>

#include "base/thema.h"

/* Called for each sentence s[b..e) (bytes; trailing blanks included, as ICU
 * gives them); a non-zero return stops the walk with that status. */
typedef int (*ThemaSentenceFn)(void *ud, size_t b, size_t e, ThemaError *err);

/* Walk the sentences of s[0..n) (valid UTF-8) in the language (an ISO 639
 * code such as "nl", "fr", "en"; NULL for the root rules). */
int thema_sentences(const char *s, size_t n, const char *language, ThemaSentenceFn fn,
                    void *ud, ThemaError *err);

#endif
