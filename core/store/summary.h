/*
 * summary.h — the counts behind `thema stats`: totals of what the store
 * holds, and a block per group of a grouping (store/grouping.h): members,
 * sources, turns, words, speakers, the member organisations present and
 * absent (or the speakers' organisations), and the segments without a group.
 */
#ifndef THEMA_SUMMARY_H
#define THEMA_SUMMARY_H

#include "store/grouping.h"
#include "store/query.h"
#include "store/store.h"

/* Called once per figure: its label and its value as text. */
typedef void (*ThemaSummaryFn)(void *ud, const char *label, const char *value);
/* Called before a group's figures with its title ("network Limburg"). */
typedef void (*ThemaSummaryBlockFn)(void *ud, const char *title);

int thema_summary_totals(ThemaStore *st, ThemaSummaryFn fn, void *ud, ThemaError *err);

/* For each label of g (thema_grouping_labels, sorted) a block with the
 * figures of its segments among those matching filters:
 *   members   its sources, organisations and persons (thema_grouping_members)
 *   sources   the sources of its segments with their turns
 *   turns, words, speakers (distinct persons, "of N persons" members)
 *   present   member organisations with a person among the speakers of
 *             cases.csv in some source (the sources in brackets), quoted or
 *             not; silent: of those, the ones none of whose persons speaks in
 *             the group's segments; absent: the members not present
 *             (groupings with organisation members); otherwise
 *             `organisations`, the speakers' organisations with their turns,
 *             and for person groupings `silent`, members without a turn
 * then, when segments fell outside every group, a block "SPEC (none)" with
 * their turns, words, persons, unresolved speaker labels and the segments
 * without a speaker. */
int thema_summary_groups(ThemaStore *st, const ThemaGrouping *g, const ThemaFilter *filters,
                         int nf, ThemaSummaryBlockFn block, ThemaSummaryFn fn, void *ud,
                         ThemaError *err);

#endif
