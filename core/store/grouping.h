/*
 * grouping.h — the one definition of a grouping: a way of splitting the
 * study's segments and cases for comparison. `stats --by`, every plugin's
 * tables and the report read groups through here, so the same spec gives
 * the same groups everywhere.
 *
 * A spec is one of
 *   source              the source a segment belongs to
 *   network             the networks of the speaker's organisation (through
 *                       membership: an organisation may be in several, so a
 *                       segment may fall in several groups)
 *   organisation        the speaker's organisation
 *   role                the speaker's role (person.role)
 *   person              the speaker (the resolved person)
 *   source.KEY          a source column (kind, genre, network, title, date,
 *                       format) or a source attribute
 *   person.KEY          a person attribute (function, party, ...)
 *   organisation.KEY    an attribute of the speaker's organisation
 *                       (province, centrumstad, party, ...)
 * and, as the same kinds, source.name, person.name, person.role,
 * person.organisation, organisation.name and organisation.network.
 *
 * A segment without a group (an interviewer with no organisation, a
 * document paragraph under a person grouping) is reported once with a NULL
 * group, never dropped: counts can say how much fell outside every group.
 */
#ifndef THEMA_GROUPING_H
#define THEMA_GROUPING_H

#include <stddef.h>
#include <stdint.h>

#include "store/query.h"
#include "store/store.h"

typedef enum ThemaGroupingKind {
  THEMA_GROUP_SOURCE,
  THEMA_GROUP_NETWORK,
  THEMA_GROUP_ORGANISATION,
  THEMA_GROUP_ROLE,
  THEMA_GROUP_PERSON,
  THEMA_GROUP_SOURCE_KEY,      /* source.KEY */
  THEMA_GROUP_PERSON_KEY,      /* person.KEY */
  THEMA_GROUP_ORGANISATION_KEY /* organisation.KEY */
} ThemaGroupingKind;

typedef struct ThemaGrouping {
  ThemaGroupingKind kind; /* what splits the segments */
  char spec[160];         /* the spec as given ("organisation.province") */
  char key[128];          /* the attribute or column key of the .KEY kinds, else "" */
  int column;             /* source.KEY: 1 when key is a column of source */
} ThemaGrouping;

/* The kinds a spec may name, for messages and help:
 * "source, network, organisation, role, person, source.KEY, person.KEY,
 * organisation.KEY". */
extern const char thema_grouping_kinds[];

/* Parse spec into *g, checking it against the store: an unknown kind, or an
 * attribute key no entity of that kind has, is an input error naming the
 * spec and the known kinds or keys. */
int thema_grouping_parse(ThemaStore *st, const char *spec, ThemaGrouping *g,
                         ThemaError *err);

/* One segment in one group. Strings are valid until the next step. */
typedef struct ThemaGroupRow {
  int64_t segment_id;       /* the segment's row id */
  int64_t source_id;        /* its source's row id */
  const char *source;       /* the source's name */
  int64_t ordinal;          /* the segment's position in its source */
  int64_t person_id;        /* the speaker's person, 0 when unresolved or none */
  const char *speaker;      /* the speaker label, NULL for document paragraphs */
  const char *person;       /* the person's name, or NULL */
  const char *organisation; /* the person's organisation, or NULL */
  const char *role;         /* the person's role, or NULL */
  const char *group;        /* the group's label, NULL: the segment has no group */
  const char *text;         /* the segment's text */
  size_t text_len;          /* its length in bytes */
  int64_t words;            /* words in text (text/ word scan: letters and digits) */
  int nth;                  /* 0 on a segment's first row, 1.. on its further groups */
} ThemaGroupRow;

/* A cursor over (segment, group) rows: the segments matching the filters
 * (the segment filters of store/query.h) in their order (source name,
 * ordinal), and within a segment its groups in label order (bytewise). */
typedef struct ThemaGroupCursor ThemaGroupCursor;

/* Open a cursor for grouping g over the segments matching filters (nf may be
 * 0). With nonly > 0 only rows whose group is one of only[] come (segments
 * without a group then do not). A bad filter is a usage error naming the
 * accepted keys. *out is owned by the caller: thema_grouping_close. */
int thema_grouping_open(ThemaStore *st, const ThemaGrouping *g, const ThemaFilter *filters,
                        int nf, const char *const *only, int nonly, ThemaGroupCursor **out,
                        ThemaError *err);
/* The same over a segments cursor the caller opened (thema_query_open with
 * THEMA_SEGMENTS) and keeps open while *out is used: it is borrowed. */
int thema_grouping_open_over(ThemaStore *st, const ThemaGrouping *g, ThemaCursor *segments,
                             const char *const *only, int nonly, ThemaGroupCursor **out,
                             ThemaError *err);
/* 1 and *row filled, 0 at the end, -1 with the error in *err. */
int thema_grouping_step(ThemaGroupCursor *c, ThemaGroupRow *row, ThemaError *err);
/* NULL is allowed. */
void thema_grouping_close(ThemaGroupCursor *c);

/* Every label grouping g can take in the store (whether or not anyone spoke
 * in it), sorted bytewise, into a NULL-terminated array owned by the caller
 * (thema_grouping_free_labels); *n says how many. */
int thema_grouping_labels(ThemaStore *st, const ThemaGrouping *g, char ***labels, int *n,
                          ThemaError *err);
void thema_grouping_free_labels(char **labels);

/* A member of a group: who belongs to it, whether they spoke or not. */
typedef struct ThemaGroupMember {
  const char *group;        /* the group's label */
  const char *kind;         /* "source", "organisation" or "person" */
  int64_t id;               /* its row id */
  const char *name;         /* its name */
  const char *organisation; /* a person's organisation, or NULL */
  const char *role;         /* a person's role, or NULL */
  int64_t turns;            /* segments in the whole store: of a source, spoken by a
                               person, or by an organisation's persons */
  const char *present_in;   /* the sources where a person (an organisation's persons)
                               is a speaker of cases.csv, whether quoted or not,
                               ';'-separated, sorted; NULL for none or a source */
} ThemaGroupMember;

/* Called once per member; a non-zero return stops the walk and is returned. */
typedef int (*ThemaGroupMemberFn)(void *ud, const ThemaGroupMember *m, ThemaError *err);

/* The members of every group of g, by group label, then kind (source,
 * organisation, person), then name. Who is a member:
 *   source, source.KEY        the sources, and the persons speaking in them
 *   network, organisation,
 *   organisation.KEY          the organisations, and their persons
 *   role, person, person.KEY  the persons
 * Strings are valid during the call only. */
int thema_grouping_members(ThemaStore *st, const ThemaGrouping *g, ThemaGroupMemberFn fn,
                           void *ud, ThemaError *err);

#endif
