/*
 * rx.h — PCRE2 patterns compiled once with UTF and UCP on and JIT where the
 * platform has it, with match limits so that a pathological pattern fails
 * with an error instead of hanging. Offsets here are bytes; callers convert.
 */
#ifndef THEMA_RX_H
#define THEMA_RX_H

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>
#include <stddef.h>

#include "base/thema.h"

typedef struct ThemaRx ThemaRx;

enum {
  THEMA_RX_CASELESS = 1,  /* case-insensitive (Unicode case folding) */
  THEMA_RX_ANCHORED = 2,  /* match only at the start offset */
  THEMA_RX_MULTILINE = 4, /* ^ and $ at line boundaries */
  THEMA_RX_DUPNAMES = 8   /* a group name may stand for several groups */
};

/* Compile pattern; on error *err says "what: message at offset N" and NULL is
 * returned. The caller owns the result and frees it with thema_rx_free. */
ThemaRx *thema_rx_compile(const char *pattern, int flags, const char *what,
                          ThemaError *err);
void thema_rx_free(ThemaRx *rx);

/* The time one pattern may spend searching one subject (a segment), from
 * its start through every later call that goes on in the same subject; then
 * thema_rx_match fails with an error naming the pattern (rx.c says why). */
#define THEMA_RX_BUDGET_MS 2000

/* Search subject[0..len) from byte offset start. The subject must be valid
 * UTF-8 (stored texts are validated at import; bindings check Lua strings):
 * PCRE2's own check is skipped for speed. Returns 1 on a match (with
 * ovector pairs in *ov, valid until the next call on rx), 0 on no match, -1
 * on a matching error (match limit, bad UTF, the time budget) described in
 * *err. */
int thema_rx_match(ThemaRx *rx, const char *subject, size_t len, size_t start,
                   PCRE2_SIZE **ov, ThemaError *err);

/* Number of the named group, or -1 when the pattern has no such name. */
int thema_rx_group(const ThemaRx *rx, const char *name);
/* The first group called name that took part in the match whose ovector is
 * ov (of this pattern), or -1; with THEMA_RX_DUPNAMES a name may stand for
 * several groups, one per alternative. */
int thema_rx_group_set(const ThemaRx *rx, const char *name, const PCRE2_SIZE *ov);
/* Number of capturing groups. */
int thema_rx_groups(const ThemaRx *rx);

#endif
