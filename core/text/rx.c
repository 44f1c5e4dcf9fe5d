/*
 * rx.c — a thin owner of a compiled PCRE2 pattern and its match data. One
 * ThemaRx is compiled once and matched many times; JIT is used when available
 * and the match limits bound the work any one match may do.
 *
 * Why a time budget as well: PCRE2's match and depth limits count the work
 * from one start position, and a search tries every start position in
 * turn. A pattern like a+a+[0-9] stays far under the limits at each one but
 * does work proportional to the rest of the subject at every one of them:
 * hours over one 1 MB segment. So a search advances through the subject in
 * windows of start positions (PCRE2's offset limit) and checks the
 * clock between windows: the search of one subject from its start stops
 * after THEMA_RX_BUDGET_MS with an error naming the pattern. Results are the
 * same as one unbounded call (long subjects go to the interpreter, see
 * RX_JIT_MAX; lookbehinds still see the text before a
 * window), except for \G, which would hold at each window's start.
 */
#include "text/rx.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* Start positions tried by one pcre2_match call: the window starts small
 * and doubles while windows are quick (ordinary text: the calls then cost
 * nothing), and halves when one is slow, so that the clock is read often
 * even where every start position costs much. */
#define RX_WINDOW_FIRST 64u
#define RX_WINDOW_MAX 65536u

/* Subjects longer than this are searched with a second compilation of the
 * pattern that calls back before every item (PCRE2_AUTO_CALLOUT), and the
 * callback looks at the clock: neither PCRE2's JIT nor its interpreter
 * counts the backtracking of a single repeat against the match limit, so
 * one start position of a+a+[0-9] costs time quadratic in the rest of the
 * subject (minutes over 1 MB) with no other chance to stop it. Up to this
 * length that worst case stays under a second, and the plain compilation
 * runs at full speed; beyond it, searches are a few times slower. */
#define RX_PLAIN_MAX ((size_t)64 << 10)

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
  char pattern[160];         /* the pattern (shortened), for the budget's message */
  const char *subject;       /* the subject being searched, for the budget */
  size_t subject_len;        /* its length */
  double began;              /* when its search from the start began (seconds) */
  char *source;              /* owned: the pattern, for the counted compilation */
  uint32_t opts;             /* its compile options */
  pcre2_code *counted;       /* the pattern with callouts, compiled on first need */
  unsigned long callouts;    /* callouts seen, to read the clock every few thousand */
  int over_budget;           /* the callout stopped the match */
};

static double now_seconds(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

ThemaRx *thema_rx_compile(const char *pattern, int flags, const char *what,
                          ThemaError *err) {
  /* \C could end a match inside a character and break code-point offsets. */
  uint32_t opts = PCRE2_UTF | PCRE2_UCP | PCRE2_NEVER_BACKSLASH_C | PCRE2_USE_OFFSET_LIMIT;
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
  rx->source = thema_xstrdup(pattern);
  rx->opts = opts;
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
  size_t plen = strlen(pattern);
  if (plen < sizeof rx->pattern) {
    memcpy(rx->pattern, pattern, plen + 1);
  } else { /* cut at a character boundary, and say so */
    size_t cut = sizeof rx->pattern - 4;
    while (cut && ((unsigned char)pattern[cut] & 0xC0) == 0x80) cut--;
    snprintf(rx->pattern, sizeof rx->pattern, "%.*s...", (int)cut, pattern);
  }
  return rx;
}

void thema_rx_free(ThemaRx *rx) {
  if (!rx) return;
  pcre2_match_data_free(rx->md);
  pcre2_match_context_free(rx->mctx);
  pcre2_code_free(rx->code);
  pcre2_code_free(rx->counted);
  free(rx->source);
  free(rx);
}

/* The callout of the counted compilation: every 4096 items, the clock. */
static int budget_callout(pcre2_callout_block *cb, void *data) {
  (void)cb;
  ThemaRx *rx = data;
  if (++rx->callouts % 4096 == 0 &&
      (now_seconds() - rx->began) * 1000 > THEMA_RX_BUDGET_MS) {
    rx->over_budget = 1;
    return PCRE2_ERROR_CALLOUT;
  }
  return 0;
}

/* The compilation to search subject with: the counted one for long ones. */
static pcre2_code *code_for(ThemaRx *rx, size_t len) {
  if (len <= RX_PLAIN_MAX) return rx->code;
  if (!rx->counted) {
    int code;
    PCRE2_SIZE off;
    rx->counted = pcre2_compile((PCRE2_SPTR)rx->source, PCRE2_ZERO_TERMINATED,
                                rx->opts | PCRE2_AUTO_CALLOUT, &code, &off, NULL);
    if (!rx->counted) return NULL; /* compiled once already: cannot happen */
    if (!getenv("THEMA_NO_JIT")) pcre2_jit_compile(rx->counted, PCRE2_JIT_COMPLETE);
  }
  pcre2_set_callout(rx->mctx, budget_callout, rx);
  return rx->counted;
}

/* Set err from PCRE2's error code rc. */
static int match_error(ThemaRx *rx, int rc, ThemaError *err) {
  PCRE2_UCHAR msg[256];
  pcre2_get_error_message(rc, msg, sizeof msg);
  thema_error_set(err, THEMA_ERUNTIME, "%s: matching failed: %s", rx->what, (char *)msg);
  return -1;
}

int thema_rx_match(ThemaRx *rx, const char *subject, size_t len, size_t start,
                   PCRE2_SIZE **ov, ThemaError *err) {
  /* Subjects are validated UTF-8 at import, so skip PCRE2's own check. */
  uint32_t opts = PCRE2_NO_UTF_CHECK | (rx->anchored ? PCRE2_ANCHORED : 0);
  /* The budget runs per subject: from its start, or from the first search
   * of a subject after another one. */
  if (start == 0 || subject != rx->subject || len != rx->subject_len) {
    rx->subject = subject;
    rx->subject_len = len;
    rx->began = now_seconds();
  }
  if (start > len) return 0;
  pcre2_code *code = code_for(rx, len);
  if (!code) return match_error(rx, PCRE2_ERROR_NOMEMORY, err);
  rx->over_budget = 0;
  size_t window = RX_WINDOW_FIRST;
  double t0 = now_seconds();
  for (size_t from = start;;) {
    size_t last = rx->anchored || len - from <= window ? len : from + window;
    pcre2_set_offset_limit(rx->mctx, last >= len ? PCRE2_UNSET : last);
    int rc = pcre2_match(code, (PCRE2_SPTR)subject, len, from, opts, rx->md, rx->mctx);
    if (rc >= 0) {
      *ov = pcre2_get_ovector_pointer(rx->md);
      return 1;
    }
    if (rc != PCRE2_ERROR_NOMATCH && !rx->over_budget) return match_error(rx, rc, err);
    if (last >= len && !rx->over_budget) return 0;
    double t1 = now_seconds();
    if (t1 - t0 < 0.001 && window < RX_WINDOW_MAX) window *= 2;
    if (t1 - t0 > 0.02 && window > 1) window /= 2;
    t0 = t1;
    if (rx->over_budget || (t1 - rx->began) * 1000 > THEMA_RX_BUDGET_MS) {
      thema_error_set(err, THEMA_ERUNTIME,
                      "%s: pattern '%s' gave up after %d s on a text of %zu bytes (the "
                      "budget of one pattern over one segment); patterns whose repeats "
                      "can match the same letters, like a+a+, backtrack over long texts: "
                      "make them unambiguous",
                      rx->what, rx->pattern, THEMA_RX_BUDGET_MS / 1000, len);
      return -1;
    }
    /* the next window starts after the last start position tried */
    from = last + 1;
    while (from < len && ((unsigned char)subject[from] & 0xC0) == 0x80) from++;
  }
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
