/*
 * test_tokens.c — the counting tokeniser (core/text/tokens.c), the n-gram
 * window, the vocabulary (core/text/vocab.c), the shipped word lists and a
 * study's own (core/text/wordlists.c), and Snowball stemming in several
 * languages (core/text/text.c). The table below is the contract of
 * tokens.h: each line a text and its tokens as counted, "#" before a
 * number and "|" where a phrase boundary falls.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "text/text.h"
#include "text/tokens.h"
#include "text/vocab.h"
#include "text/wordlists.h"

/* The tokens of s, folded, as one line. Caller frees. */
static char *render(const char *s) {
  ThemaBuf out = {0}, f = {0};
  ThemaTokenScan sc;
  ThemaToken t;
  thema_tokens_begin(&sc, s, strlen(s));
  int first = 1;
  while (thema_tokens_next(&sc, &t)) {
    if (!first) thema_buf_puts(&out, t.boundary ? " | " : " ");
    first = 0;
    if (t.kind == THEMA_TOKEN_NUMBER) thema_buf_putc(&out, '#');
    thema_buf_reset(&f);
    thema_tokens_fold(&f, s + t.bstart, t.bstop - t.bstart);
    thema_buf_append(&out, f.data, f.len);
  }
  thema_buf_free(&f);
  char *r = strdup(thema_buf_str(&out));
  thema_buf_free(&out);
  return r;
}

static const struct {
  const char *text, *tokens, *why;
} table[] = {
    {"De Coördinatie van het AgII", "de coördinatie van het agii",
     "diacritics kept, case folded"},
    {"ÉÉN café, één Straße", "één café | één strasse", "full case folding, NFC"},
    {"coo\xcc\x88rdinatie", "coördinatie", "a decomposed ö is composed"},
    {"Da's z'n werk, zo'n m'n d'r", "da's z'n werk | zo'n m'n d'r", "Dutch clitics whole"},
    {"Da’s z’n werk", "da's z'n werk", "typographic apostrophe, folded to '"},
    {"Ik heb 't gezegd, 'k weet 't", "ik heb 't gezegd | 'k weet 't", "proclitics"},
    {"’t Is ‘s avonds", "'t is 's avonds", "typographic proclitics, opening quote too"},
    {"Hij zei 'nooit' en 'tja'", "hij zei | nooit | en | tja", "quotes are not clitics"},
    {"Leuven-Hageland en e-mail", "leuven-hageland en e-mail", "hyphenated compounds"},
    {"sociaal‐economisch", "sociaal-economisch", "U+2010 hyphen, folded to -"},
    {"in- en uitstroom", "in | en uitstroom", "a dangling hyphen is not part of a word"},
    {"COVID-19 in 2019-2020", "covid-19 in #2019-2020", "compounds with digits"},
    {"2.775 leefloners, 6,1 % en 70%", "#2.775 leefloners | #6,1 | en #70",
     "numbers apart, with their separators"},
    {"de 2de en 3e keer", "de #2de en #3e keer", "ordinals are numbers"},
    {"covid19", "covid19", "a word may hold digits"},
    {"l'école et d'accord, qu'il", "l' école et d' accord | qu' il",
     "French elision split"},
    {"L’Europe aujourd'hui", "l' europe aujourd'hui",
     "typographic elision; aujourd'hui whole"},
    {"jusqu'à lorsqu'on", "jusqu' à lorsqu' on", "longer elided forms"},
    {"don't it's", "don't it's", "English contractions whole"},
    {"Samen met de CPAS — het OCMW", "samen met de cpas | het ocmw", "mixed NL/FR, a dash"},
    {"Ja.\nNee", "ja | nee", "sentence end and line break"},
    {"twee\twoorden  hier", "twee woorden hier", "white space is no boundary"},
    {"", "", "empty text"},
    {"... !? --", "", "punctuation only"},
    {"Ελλάδα και Россия", "ελλάδα και россия", "other scripts"},
    {"'", "", "a lone apostrophe"},
    {"x'", "x", "a trailing apostrophe"},
};

Test(tokens, table) {
  for (size_t i = 0; i < sizeof table / sizeof *table; i++) {
    char *got = render(table[i].text);
    cr_expect_str_eq(got, table[i].tokens, "%s: '%s' gave '%s'", table[i].why,
                     table[i].text, got);
    free(got);
  }
}

/* Spans are bytes and code points of the original text. */
Test(tokens, offsets_in_bytes_and_code_points) {
  const char *s = "’t Coördinatie-plan";
  ThemaTokenScan sc;
  ThemaToken t;
  thema_tokens_begin(&sc, s, strlen(s));
  cr_assert(thema_tokens_next(&sc, &t));
  cr_assert_eq(t.bstart, 0);
  cr_assert_eq(t.bstop, 4); /* ’ is 3 bytes */
  cr_assert_eq(t.start, 0);
  cr_assert_eq(t.stop, 2);
  cr_assert(thema_tokens_next(&sc, &t));
  cr_assert_eq(t.bstart, 5);
  cr_assert_eq(t.bstop, strlen(s));
  cr_assert_eq(t.start, 3);
  cr_assert_eq(t.stop, 19);
  cr_assert_not(thema_tokens_next(&sc, &t));
}

/* n-grams: within a phrase, neither edge excluded; the window slides. */
Test(tokens, ngram_window) {
  ThemaNgramWindow w = {0};
  const uint32_t *ids;
  /* raad(1) van(2, a stop word) bestuur(3) | jaar(4) */
  thema_ngram_push(&w, 1, 1, 0);
  cr_assert_not(thema_ngram_get(&w, 2, &ids), "one token is no bigram");
  thema_ngram_push(&w, 2, 0, 0);
  cr_assert_not(thema_ngram_get(&w, 2, &ids), "'raad van' ends on a stop word");
  thema_ngram_push(&w, 3, 1, 0);
  cr_assert_not(thema_ngram_get(&w, 2, &ids), "'van bestuur' starts with one");
  cr_assert(thema_ngram_get(&w, 3, &ids));
  cr_assert_eq(ids[0], 1);
  cr_assert_eq(ids[1], 2);
  cr_assert_eq(ids[2], 3);
  thema_ngram_push(&w, 4, 1, 1);
  cr_assert_not(thema_ngram_get(&w, 2, &ids), "no n-gram across a boundary");
  for (uint32_t i = 5; i < 12; i++) thema_ngram_push(&w, i, 1, 0);
  cr_assert(thema_ngram_get(&w, THEMA_NGRAM_MAX, &ids));
  cr_assert_eq(ids[0], 12 - THEMA_NGRAM_MAX);
  cr_assert_eq(ids[THEMA_NGRAM_MAX - 1], 11);
  cr_assert_not(thema_ngram_get(&w, 1, &ids));
}

Test(tokens, vocab_interns_densely) {
  ThemaVocab *v = thema_vocab_new();
  int added;
  cr_assert_eq(thema_vocab_intern(v, "raad", 4, &added), 0);
  cr_assert(added);
  cr_assert_eq(thema_vocab_intern(v, "bestuur", 7, &added), 1);
  cr_assert_eq(thema_vocab_intern(v, "raad", 4, &added), 0);
  cr_assert_not(added);
  cr_assert_eq(thema_vocab_find(v, "bestuur", 7), 1);
  cr_assert_eq(thema_vocab_find(v, "bestuu", 6), -1);
  char key[32];
  for (int i = 0; i < 100000; i++) { /* through many growths */
    int n = snprintf(key, sizeof key, "w%d", i);
    cr_assert_eq(thema_vocab_intern(v, key, (size_t)n, NULL), (uint32_t)i + 2);
  }
  cr_assert_eq(thema_vocab_size(v), 100002);
  size_t len;
  cr_assert_str_eq(thema_vocab_str(v, 1, &len), "bestuur");
  cr_assert_eq(len, 7);
  cr_assert_str_eq(thema_vocab_str(v, 50001, NULL), "w49999");
  cr_assert_eq(thema_vocab_find(v, "w77777", 6), 77779);
  cr_assert_eq(thema_vocab_intern(v, "", 0, NULL), 100002, "the empty string is a key");
  thema_vocab_free(v);
}

Test(tokens, languages) {
  cr_assert_str_eq(thema_lang_canonical("nl"), "dutch");
  cr_assert_str_eq(thema_lang_canonical("dutch"), "dutch");
  cr_assert_str_eq(thema_lang_canonical("fr"), "french");
  cr_assert_str_eq(thema_lang_canonical("es"), "spanish");
  cr_assert_str_eq(thema_lang_canonical("porter"), "porter");
  cr_assert_null(thema_lang_canonical("klingon"));
  cr_assert_null(thema_lang_canonical(NULL));
  cr_assert(strstr(thema_lang_known(), "dutch, english"));
}

static int in_list(const char *const *list, const char *w) {
  for (; list && *list; list++)
    if (strcmp(*list, w) == 0) return 1;
  return 0;
}

Test(tokens, shipped_lists) {
  cr_assert(in_list(thema_wordlist_stopwords("nl"), "het"));
  cr_assert(in_list(thema_wordlist_stopwords("dutch"), "'t"));
  cr_assert(in_list(thema_wordlist_stopwords("fr"), "avec"));
  cr_assert(in_list(thema_wordlist_stopwords("fr"), "l'"));
  cr_assert(in_list(thema_wordlist_stopwords("en"), "the"));
  cr_assert(in_list(thema_wordlist_stopwords("de"), "und"));
  cr_assert_null(thema_wordlist_stopwords("es"));
  const char *flemish[] = {"euh", "allez", "hé", "ja", "enfin", "ge", "da", "amai", NULL};
  for (const char **w = flemish; *w; w++)
    cr_assert(in_list(thema_wordlist_fillers("nl"), *w), "%s", *w);
  const char *english[] = {"uh", "um", "yeah", NULL};
  for (const char **w = english; *w; w++)
    cr_assert(in_list(thema_wordlist_fillers("en"), *w), "%s", *w);
  cr_assert(in_list(thema_wordlist_fillers("fr"), "euh"));
  cr_assert_null(thema_wordlist_fillers("de"));
}

/* A study's own list: folded like tokens; bad lines named. */
Test(tokens, study_list_file) {
  char dir[] = "/tmp/thema-tokens-XXXXXX";
  cr_assert_not_null(mkdtemp(dir));
  char path[128];
  snprintf(path, sizeof path, "%s/fillers.txt", dir);
  FILE *f = fopen(path, "w");
  fputs("# mine\nZeker\n\n  Awel  \r\n’T\n", f);
  fclose(f);
  ThemaVocab *set = thema_vocab_new();
  ThemaError err = {0};
  cr_assert_eq(thema_wordlist_read(set, path, &err), THEMA_OK, "%s", err.msg);
  cr_assert_eq(thema_vocab_size(set), 3);
  cr_assert_geq(thema_vocab_find(set, "zeker", 5), 0);
  cr_assert_geq(thema_vocab_find(set, "awel", 4), 0);
  cr_assert_geq(thema_vocab_find(set, "'t", 2), 0);
  f = fopen(path, "w");
  fputs("ok\ntwee woorden\n", f);
  fclose(f);
  cr_assert_eq(thema_wordlist_read(set, path, &err), THEMA_EINPUT);
  cr_assert(strstr(err.msg, "fillers.txt:2"), "%s", err.msg);
  cr_assert(strstr(err.msg, "not one word"), "%s", err.msg);
  f = fopen(path, "w");
  fputs("ok\n\xff\n", f);
  fclose(f);
  thema_error_clear(&err);
  cr_assert_eq(thema_wordlist_read(set, path, &err), THEMA_EINPUT);
  cr_assert(strstr(err.msg, ":2"), "%s", err.msg);
  thema_error_clear(&err);
  snprintf(path, sizeof path, "%s/missing.txt", dir);
  cr_assert_neq(thema_wordlist_read(set, path, &err), THEMA_OK);
  thema_vocab_free(set);
  char cmd[160];
  snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
  cr_assert_eq(system(cmd), 0);
}

/* Snowball in the language asked for, not Dutch only. */
Test(tokens, stemming_per_language) {
  static const struct {
    const char *lang, *word, *stem;
  } cases[] = {
      {"dutch", "samenwerkingen", "samenwerk"}, {"nl", "gemeenten", "gemeent"},
      {"french", "communes", "commun"},         {"fr", "coopération", "cooper"},
      {"english", "networks", "network"},       {"en", "learning", "learn"},
      {"german", "Gemeinden", "gemeind"},       {"es", "municipios", "municipi"},
  };
  for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
    ThemaStemmer *st = thema_text_stemmer_new(cases[i].lang);
    cr_assert_not_null(st, "%s", cases[i].lang);
    size_t len;
    const char *s = thema_text_stemmer_stem(st, cases[i].word, strlen(cases[i].word), &len);
    cr_expect(len == strlen(cases[i].stem) && memcmp(s, cases[i].stem, len) == 0,
              "%s %s: got %.*s, want %s", cases[i].lang, cases[i].word, (int)len, s,
              cases[i].stem);
    thema_text_stemmer_free(st);
  }
  cr_assert_null(thema_text_stemmer_new("klingon"));
}
