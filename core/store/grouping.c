/*
 * grouping.c — groupings (grouping.h): the spec parsed and checked against
 * the store, the map from a segment's source or person to its groups, the
 * cursor that walks the segments of store/query.h and attaches those groups,
 * the labels a grouping can take, and the members of each group.
 *
 * The segments come from the one segments query with its filters, so a
 * grouping filtered by kind or source sees exactly the rows thema.segments
 * gives. The groups of a segment depend only on its source (source kinds),
 * on the organisation its speaker speaks for there (organisation kinds and
 * network: the segments' organisation_id, which a dated affiliation decides)
 * or on its speaker's person (role and person kinds); the maps are small (a
 * study has far fewer sources, organisations and persons than segments) and
 * are read once when the cursor opens, then looked up by binary search per
 * segment.
 */
#include "store/grouping.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/internal.h"
#include "text/text.h"

const char thema_grouping_kinds[] =
    "source, network, organisation, role, person, source.KEY, person.KEY, "
    "organisation.KEY";

/* The columns of table source a source.KEY grouping may name. */
static const char *const source_columns[] = {"kind", "genre",  "network", "title",
                                             "date", "format", NULL};

/* ---- parsing ---- */

/* The attribute keys the store holds for entity, plus extra (a NULL-ended
 * list of column names or NULL), as "a, b, c" into out. */
static int known_keys(ThemaStore *st, const char *entity, const char *const *extra,
                      ThemaBuf *out, ThemaError *err) {
  sqlite3_stmt *q = thema_store_stmt(
      st, "SELECT DISTINCT key FROM attribute WHERE entity = ? ORDER BY key", err);
  if (!q) return err->status;
  for (; extra && *extra; extra++)
    thema_buf_printf(out, "%s%s", out->len ? ", " : "", *extra);
  sqlite3_bind_text(q, 1, entity, -1, SQLITE_STATIC);
  while (sqlite3_step(q) == SQLITE_ROW)
    thema_buf_printf(out, "%s%s", out->len ? ", " : "",
                     (const char *)sqlite3_column_text(q, 0));
  sqlite3_reset(q);
  return THEMA_OK;
}

/* Whether some entity of that kind has attribute key. */
static int has_attribute(ThemaStore *st, const char *entity, const char *key, int *found,
                         ThemaError *err) {
  sqlite3_stmt *q = thema_store_stmt(
      st, "SELECT 1 FROM attribute WHERE entity = ? AND key = ? LIMIT 1", err);
  if (!q) return err->status;
  sqlite3_bind_text(q, 1, entity, -1, SQLITE_STATIC);
  sqlite3_bind_text(q, 2, key, -1, SQLITE_TRANSIENT);
  *found = sqlite3_step(q) == SQLITE_ROW;
  sqlite3_reset(q);
  return THEMA_OK;
}

int thema_grouping_parse(ThemaStore *st, const char *spec, ThemaGrouping *g,
                         ThemaError *err) {
  static const struct {
    const char *name;
    ThemaGroupingKind kind;
  } plain[] = {{"source", THEMA_GROUP_SOURCE},
               {"network", THEMA_GROUP_NETWORK},
               {"organisation", THEMA_GROUP_ORGANISATION},
               {"role", THEMA_GROUP_ROLE},
               {"person", THEMA_GROUP_PERSON}};
  static const struct {
    const char *entity;
    ThemaGroupingKind kind;
  } keyed[] = {{"source", THEMA_GROUP_SOURCE_KEY},
               {"person", THEMA_GROUP_PERSON_KEY},
               {"organisation", THEMA_GROUP_ORGANISATION_KEY}};
  memset(g, 0, sizeof *g);
  if (!spec || !*spec)
    return thema_error_set(err, THEMA_EINPUT, "empty grouping (known: %s)",
                           thema_grouping_kinds);
  if (strlen(spec) >= sizeof g->spec)
    return thema_error_set(err, THEMA_EINPUT, "grouping '%.40s...' is too long", spec);
  snprintf(g->spec, sizeof g->spec, "%s", spec);
  const char *dot = strchr(spec, '.');
  if (!dot) {
    for (size_t i = 0; i < sizeof plain / sizeof *plain; i++)
      if (strcmp(spec, plain[i].name) == 0) {
        g->kind = plain[i].kind;
        return THEMA_OK;
      }
    return thema_error_set(err, THEMA_EINPUT, "unknown grouping '%s' (known: %s)", spec,
                           thema_grouping_kinds);
  }
  /* The columns behind the plain kinds, named as attributes. */
  static const struct {
    const char *spec;
    ThemaGroupingKind kind;
  } aliases[] = {{"source.name", THEMA_GROUP_SOURCE},
                 {"person.name", THEMA_GROUP_PERSON},
                 {"person.role", THEMA_GROUP_ROLE},
                 {"person.organisation", THEMA_GROUP_ORGANISATION},
                 {"organisation.name", THEMA_GROUP_ORGANISATION},
                 {"organisation.network", THEMA_GROUP_NETWORK}};
  for (size_t i = 0; i < sizeof aliases / sizeof *aliases; i++)
    if (strcmp(spec, aliases[i].spec) == 0) {
      g->kind = aliases[i].kind;
      return THEMA_OK;
    }
  size_t n = (size_t)(dot - spec);
  const char *key = dot + 1;
  for (size_t i = 0; i < sizeof keyed / sizeof *keyed; i++) {
    const char *entity = keyed[i].entity;
    if (strlen(entity) != n || strncmp(spec, entity, n) != 0) continue;
    g->kind = keyed[i].kind;
    snprintf(g->key, sizeof g->key, "%s", key);
    if (g->kind == THEMA_GROUP_SOURCE_KEY)
      for (int c = 0; source_columns[c]; c++)
        if (strcmp(key, source_columns[c]) == 0) g->column = 1;
    int found = g->column;
    if (!found && *key && has_attribute(st, entity, key, &found, err)) return err->status;
    if (found) return THEMA_OK;
    ThemaBuf keys = {0};
    known_keys(st, entity, g->kind == THEMA_GROUP_SOURCE_KEY ? source_columns : NULL, &keys,
               err);
    thema_error_set(err, THEMA_EINPUT,
                    "grouping '%s': no %s has the attribute '%s' (known keys: %s); "
                    "import the attribute as a column of cases.csv or organisations.csv",
                    spec, entity, key, keys.len ? thema_buf_str(&keys) : "none");
    thema_buf_free(&keys);
    return err->status;
  }
  return thema_error_set(err, THEMA_EINPUT, "unknown grouping '%s' (known: %s)", spec,
                         thema_grouping_kinds);
}

/* What the groups of g depend on. */
enum { BY_PERSON, BY_SOURCE, BY_ORGANISATION };
static int keyed_by(const ThemaGrouping *g) {
  switch (g->kind) {
    case THEMA_GROUP_SOURCE:
    case THEMA_GROUP_SOURCE_KEY: return BY_SOURCE;
    case THEMA_GROUP_NETWORK:
    case THEMA_GROUP_ORGANISATION:
    case THEMA_GROUP_ORGANISATION_KEY: return BY_ORGANISATION;
    default: return BY_PERSON;
  }
}

/* Whether the statements of g bind ?1 to its key. */
static int binds_key(const ThemaGrouping *g) {
  return (g->kind == THEMA_GROUP_SOURCE_KEY && !g->column) ||
         g->kind == THEMA_GROUP_PERSON_KEY || g->kind == THEMA_GROUP_ORGANISATION_KEY;
}

#define NONEMPTY(col) " " col " IS NOT NULL AND " col " <> ''"

/* The SQL giving (source, organisation or person id, label) for every group
 * of g, ordered by id and label, into sql. */
static void map_sql(const ThemaGrouping *g, ThemaBuf *sql) {
  switch (g->kind) {
    case THEMA_GROUP_SOURCE: thema_buf_puts(sql, "SELECT id, name FROM source"); break;
    case THEMA_GROUP_SOURCE_KEY:
      if (g->column) /* g->key is one of source_columns: never user text */
        thema_buf_printf(sql, "SELECT id, %s FROM source WHERE %s IS NOT NULL AND %s <> ''",
                         g->key, g->key, g->key);
      else
        thema_buf_puts(sql, "SELECT entity_id, value FROM attribute WHERE entity = 'source'"
                            " AND key = ?1 AND" NONEMPTY("value"));
      break;
    case THEMA_GROUP_NETWORK:
      thema_buf_puts(sql, "SELECT m.organisation_id, n.name FROM membership m"
                          " JOIN network n ON n.id = m.network_id");
      break;
    case THEMA_GROUP_ORGANISATION:
      thema_buf_puts(sql, "SELECT id, name FROM organisation");
      break;
    case THEMA_GROUP_ROLE:
      thema_buf_puts(sql, "SELECT id, role FROM person WHERE" NONEMPTY("role"));
      break;
    case THEMA_GROUP_PERSON: thema_buf_puts(sql, "SELECT id, name FROM person"); break;
    case THEMA_GROUP_PERSON_KEY:
      thema_buf_puts(sql, "SELECT entity_id, value FROM attribute WHERE entity = 'person'"
                          " AND key = ?1 AND" NONEMPTY("value"));
      break;
    case THEMA_GROUP_ORGANISATION_KEY:
      thema_buf_puts(sql, "SELECT entity_id, value FROM attribute WHERE"
                          " entity = 'organisation' AND key = ?1 AND" NONEMPTY("value"));
      break;
  }
  thema_buf_puts(sql, " ORDER BY 1, 2");
}

/* A prepared, uncached statement for sql with g's key bound when it has
 * one; NULL with *err filled on failure. The caller finalizes it. */
static sqlite3_stmt *prepare(ThemaStore *st, const ThemaGrouping *g, const char *sql,
                             ThemaError *err) {
  sqlite3_stmt *q = NULL;
  if (sqlite3_prepare_v2(thema_store_db(st), sql, -1, &q, NULL) != SQLITE_OK) {
    thema_store_db_error(st, err, "internal grouping query error");
    sqlite3_finalize(q);
    return NULL;
  }
  if (binds_key(g)) sqlite3_bind_text(q, 1, g->key, -1, SQLITE_TRANSIENT);
  return q;
}

/* ---- the cursor ---- */

typedef struct MapEntry {
  int64_t id;  /* source or person id */
  char *label; /* owned */
} MapEntry;

typedef struct PersonEntry {
  char *name; /* owned */
  int64_t id; /* the person's row id */
} PersonEntry;

struct ThemaGroupCursor {
  ThemaCursor *segments; /* the segment rows */
  int owns_segments;     /* 1: closed with the cursor */
  int keyed_by;          /* map keyed by source, organisation or person id */
  MapEntry *map;         /* sorted by id, label */
  size_t nmap;           /* entries of map */
  PersonEntry *persons;  /* sorted by name */
  size_t npersons;       /* entries of persons */
  char **only;           /* the labels kept, sorted, or NULL for all */
  int nonly;             /* entries of only */
  int col[10];           /* column indices of the segments cursor, by Col */
  int have;              /* a segment is current */
  size_t next, end;      /* its groups still to give: map[next, end) */
  int nth;               /* rows given for the current segment */
  int64_t words;         /* words of the current segment */
  int64_t person_id;     /* its person */
};

enum {
  C_ID,
  C_SOURCE,
  C_SOURCE_ID,
  C_ORDINAL,
  C_SPEAKER,
  C_PERSON,
  C_ORG,
  C_ROLE,
  C_TEXT,
  C_ORG_ID
};
static const char *const col_names[] = {
    "id",     "source",       "source_id", "ordinal", "speaker",
    "person", "organisation", "role",      "text",    "organisation_id"};

static int cmp_person(const void *a, const void *b) {
  return strcmp(((const PersonEntry *)a)->name, ((const PersonEntry *)b)->name);
}

static int load_map(ThemaStore *st, const ThemaGrouping *g, ThemaGroupCursor *c,
                    ThemaError *err) {
  ThemaBuf sql = {0};
  map_sql(g, &sql);
  sqlite3_stmt *q = prepare(st, g, thema_buf_str(&sql), err);
  thema_buf_free(&sql);
  if (!q) return err->status;
  size_t cap = 0;
  int rc;
  while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
    if (c->nmap == cap) {
      cap = cap ? 2 * cap : 64;
      c->map = thema_xrealloc(c->map, cap * sizeof *c->map);
    }
    c->map[c->nmap].id = sqlite3_column_int64(q, 0);
    c->map[c->nmap++].label = thema_xstrdup((const char *)sqlite3_column_text(q, 1));
  }
  if (rc != SQLITE_DONE) thema_store_db_error(st, err, "reading groups");
  sqlite3_finalize(q);
  if (err->status) return err->status;
  q = thema_store_stmt(st, "SELECT name, id FROM person ORDER BY name", err);
  if (!q) return err->status;
  cap = 0;
  while (sqlite3_step(q) == SQLITE_ROW) {
    if (c->npersons == cap) {
      cap = cap ? 2 * cap : 64;
      c->persons = thema_xrealloc(c->persons, cap * sizeof *c->persons);
    }
    c->persons[c->npersons].name = thema_xstrdup((const char *)sqlite3_column_text(q, 0));
    c->persons[c->npersons++].id = sqlite3_column_int64(q, 1);
  }
  sqlite3_reset(q);
  /* SQLite's BINARY order is strcmp's for UTF-8, but sort anyway: bsearch needs it. */
  if (c->npersons) qsort(c->persons, c->npersons, sizeof *c->persons, cmp_person);
  return THEMA_OK;
}

int thema_grouping_open_over(ThemaStore *st, const ThemaGrouping *g, ThemaCursor *segments,
                             const char *const *only, int nonly, ThemaGroupCursor **out,
                             ThemaError *err) {
  *out = NULL;
  ThemaGroupCursor *c = thema_xcalloc(1, sizeof *c);
  c->segments = segments;
  c->keyed_by = keyed_by(g);
  for (int i = 0; i < 10; i++) {
    c->col[i] = thema_cursor_column(segments, col_names[i]);
    if (c->col[i] < 0) {
      thema_error_set(err, THEMA_ERUNTIME, "internal: a segments cursor has no column %s",
                      col_names[i]);
      thema_grouping_close(c);
      return err->status;
    }
  }
  if (nonly > 0) {
    c->only = thema_xcalloc((size_t)nonly, sizeof *c->only);
    for (int i = 0; i < nonly; i++) c->only[i] = thema_xstrdup(only[i]);
    qsort(c->only, (size_t)nonly, sizeof *c->only, thema_cmp_str);
    c->nonly = nonly;
  }
  if (load_map(st, g, c, err)) {
    thema_grouping_close(c);
    return err->status;
  }
  *out = c;
  return THEMA_OK;
}

int thema_grouping_open(ThemaStore *st, const ThemaGrouping *g, const ThemaFilter *filters,
                        int nf, const char *const *only, int nonly, ThemaGroupCursor **out,
                        ThemaError *err) {
  ThemaCursor *segments = NULL;
  *out = NULL;
  if (thema_query_open(st, THEMA_SEGMENTS, filters, nf, &segments, err)) return err->status;
  if (thema_grouping_open_over(st, g, segments, only, nonly, out, err)) {
    thema_cursor_close(segments);
    return err->status;
  }
  (*out)->owns_segments = 1;
  return THEMA_OK;
}

/* The first map entry with id, or nmap. */
static size_t lower_bound(const ThemaGroupCursor *c, int64_t id) {
  size_t lo = 0, hi = c->nmap;
  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    if (c->map[mid].id < id)
      lo = mid + 1;
    else
      hi = mid;
  }
  return lo;
}

static int64_t person_id_of(const ThemaGroupCursor *c, const char *name) {
  PersonEntry key = {.name = (char *)name};
  const PersonEntry *p =
      c->npersons ? bsearch(&key, c->persons, c->npersons, sizeof *c->persons, cmp_person)
                  : NULL;
  return p ? p->id : 0;
}

static int64_t count_words(const char *s, size_t n) {
  ThemaWordScan sc = {.s = s, .n = n};
  ThemaWord w;
  int64_t k = 0;
  while (thema_text_next_word(&sc, &w)) k++;
  return k;
}

/* The current segment's text column, or NULL when it is NULL. */
static const char *opt_text(const ThemaGroupCursor *c, int col) {
  int i = c->col[col];
  return thema_cursor_type(c->segments, i) == THEMA_VALUE_NULL
             ? NULL
             : thema_cursor_text(c->segments, i, NULL);
}

static void fill(const ThemaGroupCursor *c, ThemaGroupRow *row, const char *group) {
  const ThemaCursor *s = c->segments;
  memset(row, 0, sizeof *row);
  row->segment_id = thema_cursor_int(s, c->col[C_ID]);
  row->source_id = thema_cursor_int(s, c->col[C_SOURCE_ID]);
  row->source = thema_cursor_text(s, c->col[C_SOURCE], NULL);
  row->ordinal = thema_cursor_int(s, c->col[C_ORDINAL]);
  row->person_id = c->person_id;
  row->speaker = opt_text(c, C_SPEAKER);
  row->person = opt_text(c, C_PERSON);
  row->organisation = opt_text(c, C_ORG);
  row->role = opt_text(c, C_ROLE);
  row->text = thema_cursor_text(s, c->col[C_TEXT], &row->text_len);
  row->words = c->words;
  row->group = group;
  row->nth = c->nth;
}

static int kept(const ThemaGroupCursor *c, const char *label) {
  return !c->nonly ||
         bsearch(&label, c->only, (size_t)c->nonly, sizeof *c->only, thema_cmp_str) != NULL;
}

int thema_grouping_step(ThemaGroupCursor *c, ThemaGroupRow *row, ThemaError *err) {
  for (;;) {
    if (c->have) {
      while (c->next < c->end) {
        const char *label = c->map[c->next++].label;
        if (!kept(c, label)) continue;
        fill(c, row, label);
        c->nth++;
        return 1;
      }
      c->have = 0;
      if (c->nth == 0 && !c->nonly) { /* no group: one row saying so */
        fill(c, row, NULL);
        return 1;
      }
    }
    int rc = thema_cursor_step(c->segments, err);
    if (rc != 1) return rc;
    const char *person = opt_text(c, C_PERSON);
    c->person_id = person ? person_id_of(c, person) : 0;
    int64_t key = c->person_id;
    if (c->keyed_by == BY_SOURCE)
      key = thema_cursor_int(c->segments, c->col[C_SOURCE_ID]);
    else if (c->keyed_by == BY_ORGANISATION)
      key = thema_cursor_type(c->segments, c->col[C_ORG_ID]) == THEMA_VALUE_NULL
                ? 0
                : thema_cursor_int(c->segments, c->col[C_ORG_ID]);
    c->next = c->end = c->nmap;
    if (c->keyed_by == BY_SOURCE || key) {
      c->next = c->end = lower_bound(c, key);
      while (c->end < c->nmap && c->map[c->end].id == key) c->end++;
    }
    size_t len = 0;
    const char *text = thema_cursor_text(c->segments, c->col[C_TEXT], &len);
    c->words = count_words(text, len);
    c->nth = 0;
    c->have = 1;
  }
}

void thema_grouping_close(ThemaGroupCursor *c) {
  if (!c) return;
  if (c->owns_segments) thema_cursor_close(c->segments);
  for (size_t i = 0; i < c->nmap; i++) free(c->map[i].label);
  free(c->map);
  for (size_t i = 0; i < c->npersons; i++) free(c->persons[i].name);
  free(c->persons);
  for (int i = 0; i < c->nonly; i++) free(c->only[i]);
  free(c->only);
  free(c);
}

/* ---- labels ---- */

static void labels_sql(const ThemaGrouping *g, ThemaBuf *sql) {
  switch (g->kind) {
    case THEMA_GROUP_SOURCE: thema_buf_puts(sql, "SELECT name FROM source"); break;
    case THEMA_GROUP_SOURCE_KEY:
      if (g->column)
        thema_buf_printf(sql,
                         "SELECT DISTINCT %s FROM source WHERE %s IS NOT NULL AND %s <> ''",
                         g->key, g->key, g->key);
      else
        thema_buf_puts(sql, "SELECT DISTINCT value FROM attribute WHERE entity = 'source'"
                            " AND key = ?1 AND" NONEMPTY("value"));
      break;
    case THEMA_GROUP_NETWORK: thema_buf_puts(sql, "SELECT name FROM network"); break;
    case THEMA_GROUP_ORGANISATION:
      thema_buf_puts(sql, "SELECT name FROM organisation");
      break;
    case THEMA_GROUP_ROLE:
      thema_buf_puts(sql, "SELECT DISTINCT role FROM person WHERE" NONEMPTY("role"));
      break;
    case THEMA_GROUP_PERSON: thema_buf_puts(sql, "SELECT name FROM person"); break;
    case THEMA_GROUP_PERSON_KEY:
      thema_buf_puts(sql, "SELECT DISTINCT value FROM attribute WHERE entity = 'person'"
                          " AND key = ?1 AND" NONEMPTY("value"));
      break;
    case THEMA_GROUP_ORGANISATION_KEY:
      thema_buf_puts(sql,
                     "SELECT DISTINCT value FROM attribute WHERE entity = 'organisation'"
                     " AND key = ?1 AND" NONEMPTY("value"));
      break;
  }
  thema_buf_puts(sql, " ORDER BY 1");
}

int thema_grouping_labels(ThemaStore *st, const ThemaGrouping *g, char ***labels, int *n,
                          ThemaError *err) {
  ThemaBuf sql = {0};
  labels_sql(g, &sql);
  sqlite3_stmt *q = prepare(st, g, thema_buf_str(&sql), err);
  thema_buf_free(&sql);
  *labels = NULL;
  *n = 0;
  if (!q) return err->status;
  size_t cap = 8;
  char **out = thema_xcalloc(cap, sizeof *out);
  int rc;
  while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
    if ((size_t)*n + 1 >= cap) {
      cap *= 2;
      out = thema_xrealloc(out, cap * sizeof *out);
    }
    out[(*n)++] = thema_xstrdup((const char *)sqlite3_column_text(q, 0));
    out[*n] = NULL;
  }
  if (rc != SQLITE_DONE) thema_store_db_error(st, err, "reading group labels");
  sqlite3_finalize(q);
  if (err->status) {
    thema_grouping_free_labels(out);
    *n = 0;
    return err->status;
  }
  *labels = out;
  return THEMA_OK;
}

void thema_grouping_free_labels(char **labels) {
  for (char **p = labels; p && *p; p++) free(*p);
  free(labels);
}

/* ---- members ---- */

/* The members of g as (label, k, id): k 0 a source, 1 an organisation, 2 a
 * person. UNION drops a person met twice (two labels in one source). */
static void members_sql(const ThemaGrouping *g, ThemaBuf *sql) {
  switch (g->kind) {
    case THEMA_GROUP_SOURCE:
    case THEMA_GROUP_SOURCE_KEY: {
      char label[200];
      if (g->kind == THEMA_GROUP_SOURCE)
        snprintf(label, sizeof label, "s.name");
      else if (g->column)
        snprintf(label, sizeof label, "s.%s", g->key);
      else
        snprintf(label, sizeof label,
                 "(SELECT a.value FROM attribute a WHERE a.entity = 'source'"
                 " AND a.entity_id = s.id AND a.key = ?1)");
      thema_buf_printf(
          sql,
          "SELECT %s AS label, 0 AS k, s.id AS id FROM source s"
          " UNION SELECT %s, 2, sp.person_id FROM speaker sp"
          " JOIN source s ON s.id = sp.source_id WHERE sp.person_id IS NOT NULL",
          label, label);
      break;
    }
    case THEMA_GROUP_NETWORK:
      thema_buf_puts(sql, "SELECT n.name AS label, 1 AS k, m.organisation_id AS id"
                          " FROM membership m JOIN network n ON n.id = m.network_id"
                          " UNION SELECT n.name, 2, p.id FROM person p JOIN membership m"
                          " ON m.organisation_id = p.organisation_id"
                          " JOIN network n ON n.id = m.network_id"
                          " UNION SELECT n.name, 2, af.person_id FROM affiliation af"
                          " JOIN membership m ON m.organisation_id = af.organisation_id"
                          " JOIN network n ON n.id = m.network_id");
      break;
    case THEMA_GROUP_ORGANISATION:
      thema_buf_puts(sql, "SELECT o.name AS label, 1 AS k, o.id AS id FROM organisation o"
                          " UNION SELECT o.name, 2, p.id FROM person p"
                          " JOIN organisation o ON o.id = p.organisation_id"
                          " UNION SELECT o.name, 2, af.person_id FROM affiliation af"
                          " JOIN organisation o ON o.id = af.organisation_id");
      break;
    case THEMA_GROUP_ORGANISATION_KEY:
      thema_buf_puts(sql,
                     "SELECT a.value AS label, 1 AS k, a.entity_id AS id FROM attribute a"
                     " WHERE a.entity = 'organisation' AND a.key = ?1"
                     " UNION SELECT a.value, 2, p.id FROM person p JOIN attribute a"
                     " ON a.entity = 'organisation' AND a.entity_id = p.organisation_id"
                     " AND a.key = ?1"
                     " UNION SELECT a.value, 2, af.person_id FROM affiliation af"
                     " JOIN attribute a ON a.entity = 'organisation'"
                     " AND a.entity_id = af.organisation_id AND a.key = ?1");
      break;
    case THEMA_GROUP_ROLE:
      thema_buf_puts(sql, "SELECT role AS label, 2 AS k, id FROM person");
      break;
    case THEMA_GROUP_PERSON:
      thema_buf_puts(sql, "SELECT name AS label, 2 AS k, id FROM person");
      break;
    case THEMA_GROUP_PERSON_KEY:
      thema_buf_puts(sql, "SELECT value AS label, 2 AS k, entity_id AS id FROM attribute"
                          " WHERE entity = 'person' AND key = ?1");
      break;
  }
}

int thema_grouping_members(ThemaStore *st, const ThemaGrouping *g, ThemaGroupMemberFn fn,
                           void *ud, ThemaError *err) {
  ThemaBuf sql = {0};
  /* Turns and the sources where they sit at the table, per person and per
   * organisation, each aggregated once (the speaker table has no index on
   * person_id: one correlated subquery per member would be quadratic). */
  thema_buf_puts(&sql, "WITH m(label, k, id) AS (");
  members_sql(g, &sql);
  thema_buf_puts(
      &sql,
      /* an organisation's: the one each speaker speaks for in that source */
      "), at_table(person_id, organisation_id, source) AS (SELECT DISTINCT sp.person_id,"
      "  " SPEAKER_ORGANISATION
      ", s.name FROM speaker sp JOIN person p ON p.id = sp.person_id"
      "  JOIN source s ON s.id = sp.source_id),"
      " person_turns(id, turns) AS (SELECT sp.person_id, count(*) FROM segment x"
      "  JOIN speaker sp ON sp.id = x.speaker_id WHERE sp.person_id IS NOT NULL"
      "  GROUP BY sp.person_id),"
      " org_turns(id, turns) AS (SELECT org, count(*) FROM (SELECT " SPEAKER_ORGANISATION
      "  AS org FROM segment x JOIN source s ON s.id = x.source_id"
      "  JOIN speaker sp ON sp.id = x.speaker_id JOIN person p ON p.id = sp.person_id)"
      "  WHERE org IS NOT NULL GROUP BY org),"
      " source_turns(id, turns) AS (SELECT source_id, count(*) FROM segment GROUP BY source_id),"
      /* group_concat follows the order of the ordered subquery it reads */
      " person_at(id, sources) AS (SELECT person_id, group_concat(source, ';') FROM (SELECT"
      "  DISTINCT person_id, source FROM at_table ORDER BY person_id, source)"
      "  GROUP BY person_id),"
      " org_at(id, sources) AS (SELECT organisation_id, group_concat(source, ';') FROM (SELECT"
      "  DISTINCT organisation_id, source FROM at_table WHERE organisation_id IS NOT NULL"
      "  ORDER BY organisation_id, source) GROUP BY organisation_id)"
      " SELECT m.label, m.k, m.id, coalesce(s.name, o.name, p.name), po.name, p.role,"
      " coalesce(CASE m.k WHEN 0 THEN st.turns WHEN 1 THEN ot.turns ELSE pt.turns END, 0),"
      " CASE m.k WHEN 1 THEN oa.sources WHEN 2 THEN pa.sources END"
      " FROM m LEFT JOIN source s ON m.k = 0 AND s.id = m.id"
      " LEFT JOIN organisation o ON m.k = 1 AND o.id = m.id"
      " LEFT JOIN person p ON m.k = 2 AND p.id = m.id"
      " LEFT JOIN organisation po ON po.id = p.organisation_id"
      " LEFT JOIN source_turns st ON m.k = 0 AND st.id = m.id"
      " LEFT JOIN org_turns ot ON m.k = 1 AND ot.id = m.id"
      " LEFT JOIN person_turns pt ON m.k = 2 AND pt.id = m.id"
      " LEFT JOIN org_at oa ON m.k = 1 AND oa.id = m.id"
      " LEFT JOIN person_at pa ON m.k = 2 AND pa.id = m.id"
      " WHERE m.label IS NOT NULL AND m.label <> ''"
      " ORDER BY m.label, m.k, 4, m.id");
  sqlite3_stmt *q = prepare(st, g, thema_buf_str(&sql), err);
  thema_buf_free(&sql);
  if (!q) return err->status;
  static const char *const kinds[] = {"source", "organisation", "person"};
  int rc, stop = 0;
  while (!stop && (rc = sqlite3_step(q)) == SQLITE_ROW) {
    ThemaGroupMember m = {
        .group = (const char *)sqlite3_column_text(q, 0),
        .kind = kinds[sqlite3_column_int(q, 1)],
        .id = sqlite3_column_int64(q, 2),
        .name = (const char *)sqlite3_column_text(q, 3),
        .organisation = (const char *)sqlite3_column_text(q, 4),
        .role = (const char *)sqlite3_column_text(q, 5),
        .turns = sqlite3_column_int64(q, 6),
        .present_in = (const char *)sqlite3_column_text(q, 7),
    };
    stop = fn(ud, &m, err);
  }
  if (!stop && rc != SQLITE_DONE) thema_store_db_error(st, err, "reading group members");
  sqlite3_finalize(q);
  return stop ? stop : err->status;
}
