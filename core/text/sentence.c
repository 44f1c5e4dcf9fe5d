/*
 * sentence.c — ICU's sentence break iterator over a UTF-8 UText: boundaries
 * come back as byte offsets of the original text, so no UTF-16 copy and no
 * offset mapping are needed. "@ss=standard" turns on the locale's sentence
 * break suppressions (abbreviations).
 */
#include "text/sentence.h"

#include <stdio.h>
#include <unicode/ubrk.h>
#include <unicode/utext.h>

int thema_sentences(const char *s, size_t n, const char *language, ThemaSentenceFn fn,
                    void *ud, ThemaError *err) {
  if (n > INT32_MAX)
    return thema_error_set(err, THEMA_EINPUT, "a text of %zu bytes is too long to split",
                           n);
  char locale[64];
  snprintf(locale, sizeof locale, "%s@ss=standard", language && *language ? language : "");
  UErrorCode uerr = U_ZERO_ERROR;
  UText *ut = utext_openUTF8(NULL, s, (int64_t)n, &uerr);
  UBreakIterator *bi = ubrk_open(UBRK_SENTENCE, locale, NULL, 0, &uerr);
  if (U_SUCCESS(uerr)) ubrk_setUText(bi, ut, &uerr);
  if (U_FAILURE(uerr)) {
    if (bi) ubrk_close(bi);
    utext_close(ut);
    return thema_error_set(err, THEMA_ERUNTIME, "sentence boundaries (%s): %s", locale,
                           u_errorName(uerr));
  }
  int rc = THEMA_OK;
  int32_t b = ubrk_first(bi);
  for (int32_t e = ubrk_next(bi); e != UBRK_DONE && !rc; b = e, e = ubrk_next(bi))
    rc = fn(ud, (size_t)b, (size_t)e, err);
  ubrk_close(bi);
  utext_close(ut);
  return rc;
}
