/*
 * query.h — reading the store: the entities (sources, segments, speakers,
 * persons, organisations, networks, indicators, observations, codes,
 * codings, runs, memos) filtered by a C filter spec, streamed through a
 * cursor in a fixed, deterministic order. The Lua API, the deductive
 * matcher, the command line and the exports all read through here, so the
 * same filter means the same rows everywhere.
 *
 * Rows are read column by column; a column's name is the entity's field name
 * (the Lua API's table keys). Codings are those the visible_coding view
 * shows: a human coder's, and those of runs that succeeded (or are running,
 * inside their own transaction).
 */
#ifndef THEMA_QUERY_H
#define THEMA_QUERY_H

#include <stddef.h>
#include <stdint.h>

#include "store/store.h"

typedef enum ThemaEntity {
  THEMA_SOURCES,
  THEMA_SEGMENTS,
  THEMA_SPEAKERS,
  THEMA_PERSONS,
  THEMA_ORGANISATIONS,
  THEMA_NETWORKS,
  THEMA_INDICATORS,
  THEMA_OBSERVATIONS,
  THEMA_CODES,
  THEMA_CODINGS,
  THEMA_RUNS,
  THEMA_MEMOS,
  THEMA_NENTITIES /* the number of entities, not one */
} ThemaEntity;

/* The entity's plural name ("segments"), as in thema.segments. */
const char *thema_query_entity_name(ThemaEntity e);

enum { THEMA_VALUE_NULL, THEMA_VALUE_INT, THEMA_VALUE_REAL, THEMA_VALUE_TEXT };

typedef struct ThemaValue {
  int type;      /* THEMA_VALUE_INT, _REAL or _TEXT */
  int64_t i;     /* the integer */
  double d;      /* the real number */
  const char *s; /* the text (borrowed for the call), not NUL-terminated */
  size_t len;    /* its length in bytes */
} ThemaValue;

/* One condition: the field key is one of values (any of them). With negate,
 * rows matching it are left out (a NULL field counts as not matching). The
 * key "attribute" with attr set matches rows whose source, speaker's person
 * or that person's organisation (what the entity has of them) carries the
 * attribute attr with one of the values. */
typedef struct ThemaFilter {
  const char *key;          /* one of the entity's filter keys */
  const ThemaValue *values; /* borrowed for the call */
  int nvalues;              /* at least 1 */
  int negate;               /* 1: leave the matches out ("except") */
  const char *attr;         /* key "attribute": the attribute's name (party, year) */
} ThemaFilter;

/* A row cursor over a prepared statement; owns the statement. */
typedef struct ThemaCursor ThemaCursor;

/* Open a cursor over entity e's rows matching every filter (nf may be 0).
 * An unknown key is a usage error naming the accepted ones. On success
 * *out is owned by the caller: release it with thema_cursor_close. */
int thema_query_open(ThemaStore *st, ThemaEntity e, const ThemaFilter *filters, int nf,
                     ThemaCursor **out, ThemaError *err);
/* The number of rows thema_query_open would give. */
int thema_query_count(ThemaStore *st, ThemaEntity e, const ThemaFilter *filters, int nf,
                      int64_t *count, ThemaError *err);

/* One source with its stored text: by name (a text key) or id (an integer).
 * *out is NULL when there is none; otherwise owned by the caller. */
int thema_query_source(ThemaStore *st, const ThemaValue *key, ThemaCursor **out,
                       ThemaError *err);
/* The attributes (key, value, by key) of a source, segment (by id), person or organisation
 * named or numbered key; entity is "source", "segment", "person" or "organisation". */
int thema_query_attributes(ThemaStore *st, const char *entity, const ThemaValue *key,
                           ThemaCursor **out, ThemaError *err);
/* The span (code points into the source text) of segment id: 1 and *start,
 * *end set, 0 when there is no such segment, -1 on an error in *err. */
int thema_query_segment_span(ThemaStore *st, int64_t id, int64_t *start, int64_t *end,
                             ThemaError *err);

/* The codings as `export codings` gives them: source, segment, speaker,
 * organisation, network, code, start, end, span_text, then the context —
 * `context` code points either side of the span within its segment (a column
 * "context"), the whole segment (THEMA_CONTEXT_SEGMENT: "segment_text") or
 * none (THEMA_CONTEXT_NONE) — then coder (a human coder, or plugin:NAME),
 * run (its id, empty for a human coder) and memo. Every visible coding,
 * source by source and segment by segment: memory stays bounded however
 * many codings there are. */
enum { THEMA_CONTEXT_NONE = -1, THEMA_CONTEXT_SEGMENT = -2 };
int thema_query_codings_table(ThemaStore *st, int context, ThemaCursor **out,
                              ThemaError *err);

/* Everyone a REFI-QDA project names as a user, in column "name", sorted and
 * once each: every human coder, the plugin of every run whose codings are
 * visible (a run is exported as the user its plugin names), every memo
 * author. */
int thema_query_exchange_users(ThemaStore *st, ThemaCursor **out, ThemaError *err);

/* One read-only SQL statement from the user (thema query): refused when it
 * would write, is a transaction control statement, or is more than one. */
int thema_query_user_sql(ThemaStore *st, const char *sql, ThemaCursor **out,
                         ThemaError *err);

/* 1 for a row, 0 at the end (the statement is then finished), or -1 with
 * the error in *err. */
int thema_cursor_step(ThemaCursor *c, ThemaError *err);
int thema_cursor_ncols(const ThemaCursor *c);
/* The column's name: the entity's field name. Valid while c is open. */
const char *thema_cursor_name(const ThemaCursor *c, int col);
/* The current row's value type in col: THEMA_VALUE_NULL, _INT, _REAL, _TEXT
 * (blobs read as text). */
int thema_cursor_type(const ThemaCursor *c, int col);
int64_t thema_cursor_int(const ThemaCursor *c, int col);
double thema_cursor_real(const ThemaCursor *c, int col);
/* The value as text ("" for NULL), valid until the next step; *len (may be
 * NULL) is its length in bytes. */
const char *thema_cursor_text(const ThemaCursor *c, int col, size_t *len);
/* The index of the column named name, or -1. */
int thema_cursor_column(const ThemaCursor *c, const char *name);
/* Finish and free the cursor; NULL is allowed. */
void thema_cursor_close(ThemaCursor *c);

#endif
