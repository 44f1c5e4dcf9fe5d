/*
 * rx.c — a thin owner of a compiled PCRE2 pattern and its match data. One
 * ThemaRx is compiled once and matched many times; JIT is used when available
 * and the match limits bound the work any one match may do.
 */
#include "text/rx.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Limits chosen so an ordinary pattern never meets them on a long segment,
 * while catastrophic backtracking fails within a fraction of a second. */
#define RX_MATCH_LIMIT 10000000u
#define RX_DEPTH_LIMIT 100000u

struct ThemaRx {
  pcre2_code *code;          /* the compiled pattern */
  pcre2_match_data *md;      /* ovector storage, reused per match */
  pcre2_match_context *mctx; /* carries the match limits */
  int anchored;              /* THEMA_RX_ANCHORED was asked for */
  char what[128];            /* names the pattern in error messages */
};

ThemaRx *thema_rx_compile(const char *pattern, int flags, const char *what,
                          ThemaError *err) {
  /* \C could end a match inside a character and break code-point offsets. */
  uint32_t opts = PCRE2_UTF | PCRE2_UCP | PCRE2_NEVER_BACKSLASH_C;
  if (flags & THEMA_RX_CASELESS) opts |= PCRE2_CASELESS;
  if (flags & THEMA_RX_MULTILINE) opts |= PCRE2_MULTILINE;
  if (flags & THEMA_RX_DUPNAMES) opts |= PCRE2_DUPNAMES;
  int code;
  PCRE2_SIZE off;
  pcre2_code *re =
      pcre2_compile((PCRE2_SPTR)pattern, PCRE2_ZERO_TERMINATED, opts, &code, &off, NULL);
  if (!re) {
    PCRE2_UCHAR msg[256];
    pcre2_get_error_message(code, msg, sizeof msg);
    thema_error_set(err, THEMA_EINPUT, "%s: invalid pattern '%s': %s at offset %zu", what,
                    pattern, (char *)msg, (size_t)off);
    return NULL;
  }
  ThemaRx *rx = thema_xcalloc(1, sizeof *rx);
  rx->code = re;
  /* JIT unless THEMA_NO_JIT is set: valgrind cannot follow JIT-generated
   * code and reports false errors in it (make valgrind sets it). Without JIT
   * PCRE2 falls back to its interpreter with the same results. */
  static int no_jit = -1;
  if (no_jit < 0) no_jit = getenv("THEMA_NO_JIT") != NULL;
  if (!no_jit) pcre2_jit_compile(re, PCRE2_JIT_COMPLETE);
  rx->md = pcre2_match_data_create_from_pattern(re, NULL);
  rx->mctx = pcre2_match_context_create(NULL);
  if (!rx->md || !rx->mctx) abort();
  pcre2_set_match_limit(rx->mctx, RX_MATCH_LIMIT);
  pcre2_set_depth_limit(rx->mctx, RX_DEPTH_LIMIT);
  rx->anchored = (flags & THEMA_RX_ANCHORED) != 0;
  snprintf(rx->what, sizeof rx->what, "%s", what);
  return rx;
}

void thema_rx_free(ThemaRx *rx) {
  if (!rx) return;
  pcre2_match_data_free(rx->md);
  pcre2_match_context_free(rx->mctx);
  pcre2_code_free(rx->code);
  free(rx);
}

int thema_rx_match(ThemaRx *rx, const char *subject, size_t len, size_t start,
                   PCRE2_SIZE **ov, ThemaError *err) {
  /* Subjects are validated UTF-8 at import, so skip PCRE2's own check. */
  uint32_t opts = PCRE2_NO_UTF_CHECK | (rx->anchored ? PCRE2_ANCHORED : 0);
  int rc = pcre2_match(rx->code, (PCRE2_SPTR)subject, len, start, opts, rx->md, rx->mctx);
  if (rc == PCRE2_ERROR_NOMATCH) return 0;
  if (rc < 0) {
    PCRE2_UCHAR msg[256];
    pcre2_get_error_message(rc, msg, sizeof msg);
    thema_error_set(err, THEMA_ERUNTIME, "%s: matching failed: %s", rx->what, (char *)msg);
    return -1;
  }
  *ov = pcre2_get_ovector_pointer(rx->md);
  return 1;
}

int thema_rx_group(const ThemaRx *rx, const char *name) {
  int n = pcre2_substring_number_from_name(rx->code, (PCRE2_SPTR)name);
  return n < 0 ? -1 : n;
}

int thema_rx_group_set(const ThemaRx *rx, const char *name, const PCRE2_SIZE *ov) {
  PCRE2_SPTR first, last;
  int size = pcre2_substring_nametable_scan(rx->code, (PCRE2_SPTR)name, &first, &last);
  if (size < 0) return -1;
  /* Each entry: the group number in two bytes, then the name. */
  for (PCRE2_SPTR e = first; e <= last; e += size) {
    int g = (e[0] << 8) | e[1];
    if (ov[2 * g] != PCRE2_UNSET) return g;
  }
  return -1;
}

int thema_rx_groups(const ThemaRx *rx) {
  uint32_t n = 0;
  pcre2_pattern_info(rx->code, PCRE2_INFO_CAPTURECOUNT, &n);
  return (int)n;
}
