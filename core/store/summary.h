/*
 * summary.h — the counts behind `thema stats`: totals of what the store
 * holds and a block per network (sources, turns, speakers, persons, member
 * organisations present and absent, others taking part).
 */
#ifndef THEMA_SUMMARY_H
#define THEMA_SUMMARY_H

#include "store/store.h"

/* Called once per figure: its label and its value as text. */
typedef void (*ThemaSummaryFn)(void *ud, const char *label, const char *value);

int thema_summary_totals(ThemaStore *st, ThemaSummaryFn fn, void *ud, ThemaError *err);
/* The networks (of organisations, or named by a source), sorted, each
 * followed by a newline, appended to names; *count says how many. */
int thema_summary_networks(ThemaStore *st, ThemaBuf *names, int *count, ThemaError *err);
int thema_summary_network(ThemaStore *st, const char *network, ThemaSummaryFn fn, void *ud,
                          ThemaError *err);

#endif
