/*
 * wordlists.h — the stop word and filler lists shipped with thema
 * (core/text/wordlists/, one .txt file a list, compiled in; their sources
 * are named in the README there), the languages they exist for, and the word sets a count
 * leaves out: a language's lists plus a study's own files. This module is
 * the one owner of those lists.
 */
#ifndef THEMA_WORDLISTS_H
#define THEMA_WORDLISTS_H

#include "base/thema.h"
#include "text/vocab.h"

/* The Snowball name of a language given by name or ISO 639-1 code ("nl",
 * "dutch" -> "dutch"; "es" -> "spanish"), or NULL when libstemmer has no
 * stemmer for it. */
const char *thema_lang_canonical(const char *lang);
/* The languages libstemmer knows, comma-separated (for error messages). */
const char *thema_lang_known(void);

/* The shipped stop words / fillers of a language (any spelling
 * thema_lang_canonical takes): a NULL-ended array, or NULL when thema ships
 * no such list for it. Static; never freed. */
const char *const *thema_wordlist_stopwords(const char *lang);
const char *const *thema_wordlist_fillers(const char *lang);
/* The languages with a stop word list, comma-separated. */
const char *thema_wordlist_stop_languages(void);

/* Add each word of a NULL-ended list to set, in its counted form
 * (thema_tokens_fold). */
void thema_wordlist_add(ThemaVocab *set, const char *const *words);
/* Add the words of a study's list file to set: one word a line, '#' starts a
 * comment, blank lines skipped; words are folded as tokens are. A missing or
 * unreadable file, invalid UTF-8 or a line of more than one token is an input
 * error naming the file and line. */
int thema_wordlist_read(ThemaVocab *set, const char *path, ThemaError *err);

#endif
