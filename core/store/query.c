/*
 * query.c — the entities of the store as SELECTs with their filters and
 * their order, a builder that turns a C filter spec into one prepared
 * statement with bound values, and the cursor that streams its rows.
 *
 * Every listing has an ORDER BY, so the same store gives the same rows in
 * the same order. Filter values are always bound, never pasted into SQL.
 */
#include "store/query.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "store/internal.h"

struct ThemaCursor {
  sqlite3_stmt *stmt; /* owned; NULL once finished */
};

/* One filter key an entity accepts and the SQL condition it stands for;
 * "%s" in cond is replaced by the placeholders of the filter's values. */
typedef struct Filter {
  const char *key;  /* as given in a filter spec */
  const char *cond; /* SQL with one "%s" */
} Filter;

typedef struct Entity {
  const char *name;      /* "segments": thema.segments, thema.count_segments */
  const char *select;    /* columns AS their field names, FROM and JOINs */
  const char *count;     /* SELECT count(*) with the same FROM and JOINs */
  const char *order;     /* ORDER BY ... (deterministic) */
  const Filter *filters; /* accepted keys, ending in {NULL, NULL} */
  const char *attrs;     /* whose attributes the "attribute" filter reads, or NULL */
} Entity;

/* The attribute rows (alias a) of a row's source, segment, person and organisation. */
#define ATTRS_OF_SOURCE "(a.entity = 'source' AND a.entity_id = s.id)"
#define ATTRS_OF_PERSON                                                                    \
  "(a.entity = 'person' AND a.entity_id = p.id) OR"                                        \
  " (a.entity = 'organisation' AND a.entity_id = o.id)"
#define ATTRS_OF_ALL                                                                       \
  ATTRS_OF_SOURCE " OR (a.entity = 'segment' AND a.entity_id = g.id) OR " ATTRS_OF_PERSON
/* A speaker has no segment of its own. */
#define ATTRS_OF_SPEAKER ATTRS_OF_SOURCE " OR " ATTRS_OF_PERSON

#define IN_NETWORK(col)                                                                    \
  col " IN (SELECT m.organisation_id FROM membership m JOIN network n"                     \
      " ON n.id = m.network_id WHERE n.name IN (%s))"

static const Filter source_filters[] = {
    {"id", "s.id IN (%s)"},           {"name", "s.name IN (%s)"},
    {"kind", "s.kind IN (%s)"},       {"genre", "s.genre IN (%s)"},
    {"network", "s.network IN (%s)"}, {NULL, NULL}};

static const Filter segment_filters[] = {{"id", "g.id IN (%s)"},
                                         {"source", "s.name IN (%s)"},
                                         {"source_id", "s.id IN (%s)"},
                                         {"kind", "s.kind IN (%s)"},
                                         {"genre", "s.genre IN (%s)"},
                                         {"network", "s.network IN (%s)"},
                                         {"organisation", "o.name IN (%s)"},
                                         {"speaker", "sp.label IN (%s)"},
                                         {"person", "p.name IN (%s)"},
                                         {"role", "p.role IN (%s)"},
                                         {"section", "g.section IN (%s)"},
                                         {"member_of", IN_NETWORK("o.id")},
                                         {NULL, NULL}};

static const Filter speaker_filters[] = {{"source", "s.name IN (%s)"},
                                         {"label", "sp.label IN (%s)"},
                                         {"person", "p.name IN (%s)"},
                                         {"organisation", "o.name IN (%s)"},
                                         {"role", "p.role IN (%s)"},
                                         {"network", "s.network IN (%s)"},
                                         {NULL, NULL}};

static const Filter person_filters[] = {{"name", "p.name IN (%s)"},
                                        {"organisation", "o.name IN (%s)"},
                                        {"role", "p.role IN (%s)"},
                                        {"member_of", IN_NETWORK("o.id")},
                                        {NULL, NULL}};

static const Filter organisation_filters[] = {
    {"name", "o.name IN (%s)"}, {"network", IN_NETWORK("o.id")}, {NULL, NULL}};

static const Filter network_filters[] = {{"name", "n.name IN (%s)"}, {NULL, NULL}};

static const Filter indicator_filters[] = {{"name", "i.name IN (%s)"}, {NULL, NULL}};

static const Filter observation_filters[] = {
    {"indicator", "i.name IN (%s)"}, {"case", "b.case_name IN (%s)"},
    {"period", "b.period IN (%s)"},  {"source", "s.name IN (%s)"},
    {"unit", "b.unit IN (%s)"},      {NULL, NULL}};

static const Filter code_filters[] = {
    {"id", "c.id IN (%s)"},        {"path", "c.path IN (%s)"},
    {"name", "c.name IN (%s)"},    {"origin", "c.origin IN (%s)"},
    {"parent", "pc.path IN (%s)"}, {NULL, NULL}};

static const Filter coding_filters[] = {{"id", "k.id IN (%s)"},
                                        {"code", "c.path IN (%s)"},
                                        {"code_id", "c.id IN (%s)"},
                                        {"theme", "coalesce(pc.path, c.path) IN (%s)"},
                                        {"segment", "g.id IN (%s)"},
                                        {"source", "s.name IN (%s)"},
                                        {"run", "+k.run_id IN (%s)"},
                                        {"coder", "+k.coder IN (%s)"},
                                        {"plugin", "r.plugin IN (%s)"},
                                        {"network", "s.network IN (%s)"},
                                        {"speaker", "sp.label IN (%s)"},
                                        {"organisation", "o.name IN (%s)"},
                                        {NULL, NULL}};

static const Filter run_filters[] = {{"id", "r.id IN (%s)"},
                                     {"plugin", "r.plugin IN (%s)"},
                                     {"status", "r.status IN (%s)"},
                                     {NULL, NULL}};

static const Filter memo_filters[] = {{"target", "m.target IN (%s)"},
                                      {"target_id", "m.target_id IN (%s)"},
                                      {"author", "m.author IN (%s)"},
                                      {NULL, NULL}};

#define JOIN_SPEAKER_ORGANISATION                                                          \
  " LEFT JOIN organisation o ON o.id = " SPEAKER_ORGANISATION

#define SEGMENT_JOINS                                                                      \
  " FROM segment g JOIN source s ON s.id = g.source_id"                                    \
  " LEFT JOIN speaker sp ON sp.id = g.speaker_id LEFT JOIN person p ON p.id = sp.person_id" JOIN_SPEAKER_ORGANISATION

/* Codings are read source by source and segment by segment (CROSS JOIN fixes
 * that order), so their ORDER BY needs a sort within one segment only: memory
 * stays bounded however many codings a run has. The run and coder filters are
 * written +k.x so that the planner does not pick their indexes instead. */
#define CODING_JOINS                                                                                                  \
  " FROM source s CROSS JOIN segment g ON g.source_id = s.id"                                                         \
  " CROSS JOIN visible_coding k ON k.segment_id = g.id CROSS JOIN code c ON c.id = k.code_id"                         \
  " LEFT JOIN code pc ON pc.id = c.parent_id"                                                                         \
  " LEFT JOIN speaker sp ON sp.id = g.speaker_id LEFT JOIN person p ON p.id = sp.person_id" JOIN_SPEAKER_ORGANISATION \
  " LEFT JOIN run r ON r.id = k.run_id"

/* Indexed by ThemaEntity. */
static const Entity entities[THEMA_NENTITIES] = {
    {"sources",
     "SELECT s.id AS id, s.name AS name, s.kind AS kind, s.genre AS genre, s.title AS title,"
     " s.network AS network, s.date AS date, s.format AS format, s.path AS path,"
     " s.hash AS hash, s.length AS length FROM source s",
     "SELECT count(*) FROM source s", "ORDER BY s.name", source_filters, ATTRS_OF_SOURCE},
    {"segments",
     "SELECT g.id AS id, s.name AS source, s.id AS source_id, s.kind AS kind,"
     " s.genre AS genre, s.network AS network, g.ordinal AS ordinal, sp.label AS speaker, p.name AS person,"
     " o.name AS organisation, o.id AS organisation_id, p.role AS role, g.section AS section, g.start AS start,"
     " g.end AS stop, g.time_start AS time_start, g.time_end AS time_end, g.text AS text" SEGMENT_JOINS,
     "SELECT count(*)" SEGMENT_JOINS, "ORDER BY s.name, g.ordinal", segment_filters,
     ATTRS_OF_ALL},
    {"speakers",
     "SELECT sp.id AS id, s.name AS source, sp.label AS label, p.name AS person,"
     " o.name AS organisation, p.role AS role, s.network AS network,"
     " (SELECT count(*) FROM segment g WHERE g.speaker_id = sp.id) AS turns"
     " FROM speaker sp JOIN source s ON s.id = sp.source_id"
     " LEFT JOIN person p ON p.id = sp.person_id" JOIN_SPEAKER_ORGANISATION,
     "SELECT count(*) FROM speaker sp JOIN source s ON s.id = sp.source_id"
     " LEFT JOIN person p ON p.id = sp.person_id" JOIN_SPEAKER_ORGANISATION,
     "ORDER BY s.name, sp.label", speaker_filters, ATTRS_OF_SPEAKER},
    {"persons",
     "SELECT p.id AS id, p.name AS name, o.name AS organisation, p.role AS role"
     " FROM person p LEFT JOIN organisation o ON o.id = p.organisation_id",
     "SELECT count(*) FROM person p LEFT JOIN organisation o ON o.id = p.organisation_id",
     "ORDER BY p.name", person_filters, ATTRS_OF_PERSON},
    {"organisations",
     "SELECT o.id AS id, o.name AS name, (SELECT group_concat(name, ';') FROM (SELECT n.name"
     " FROM membership m JOIN network n ON n.id = m.network_id WHERE m.organisation_id = o.id"
     " ORDER BY n.name)) AS networks FROM organisation o",
     "SELECT count(*) FROM organisation o", "ORDER BY o.name", organisation_filters,
     "(a.entity = 'organisation' AND a.entity_id = o.id)"},
    {"networks",
     "SELECT n.id AS id, n.name AS name, (SELECT count(*) FROM membership m"
     " WHERE m.network_id = n.id) AS members FROM network n",
     "SELECT count(*) FROM network n", "ORDER BY n.name", network_filters, NULL},
    {"indicators", "SELECT i.id AS id, i.name AS name FROM indicator i",
     "SELECT count(*) FROM indicator i", "ORDER BY i.name", indicator_filters, NULL},
    {"observations",
     "SELECT b.id AS id, s.name AS source, i.name AS indicator, b.case_name AS \"case\","
     " b.period AS period, b.value AS value, b.raw AS raw, b.unit AS unit, b.line AS line"
     " FROM observation b JOIN indicator i ON i.id = b.indicator_id"
     " JOIN source s ON s.id = b.source_id",
     "SELECT count(*) FROM observation b JOIN indicator i ON i.id = b.indicator_id"
     " JOIN source s ON s.id = b.source_id",
     "ORDER BY s.name, b.line, b.id", observation_filters, NULL},
    {"codes",
     "SELECT c.id AS id, c.path AS path, c.name AS name, pc.path AS parent,"
     " c.origin AS origin, c.description AS description, c.options AS options,"
     " c.colour AS colour FROM code c LEFT JOIN code pc ON pc.id = c.parent_id",
     "SELECT count(*) FROM code c LEFT JOIN code pc ON pc.id = c.parent_id",
     "ORDER BY c.path", code_filters, NULL},
    {"codings",
     "SELECT k.id AS id, c.path AS code, k.segment_id AS segment, s.name AS source,"
     " g.ordinal AS ordinal, sp.label AS speaker, o.name AS organisation,"
     " s.network AS network, k.start AS start, k.end AS stop, k.run_id AS run,"
     " k.coder AS coder, k.weight AS weight, k.memo AS memo,"
     " substr(g.text, k.start - g.start + 1, k.end - k.start) AS text" CODING_JOINS,
     "SELECT count(*)" CODING_JOINS,
     "ORDER BY s.name, g.ordinal, k.start, k.end, c.path, k.id", coding_filters,
     ATTRS_OF_ALL},
    {"runs",
     "SELECT r.id AS id, r.plugin AS plugin, r.version AS version, r.params AS params,"
     " r.input_hash AS input_hash, r.codebook_hash AS codebook_hash,"
     " r.started_at AS started_at, r.finished_at AS finished_at, r.status AS status,"
     " r.message AS message FROM run r",
     "SELECT count(*) FROM run r", "ORDER BY r.id", run_filters, NULL},
    {"memos",
     "SELECT m.id AS id, m.target AS target, m.target_id AS target_id, m.author AS author,"
     " m.text AS text, m.created_at AS created_at FROM memo m",
     "SELECT count(*) FROM memo m", "ORDER BY m.id", memo_filters, NULL},
};

const char *thema_query_entity_name(ThemaEntity e) { return entities[e].name; }

/* " AND (cond)" for one filter, or " AND NOT coalesce(cond, 0)" when it is
 * negated, so that a NULL field counts as not matching. */
static int add_condition(const Entity *e, const ThemaFilter *f, ThemaBuf *sql,
                         ThemaError *err) {
  if (strcmp(f->key, "attribute") == 0 && e->attrs) {
    if (!f->attr || !*f->attr)
      return thema_error_set(
          err, THEMA_EUSAGE,
          "filter 'attribute' names its attribute: attribute = { party = "
          "\"...\" }");
    if (f->nvalues < 1)
      return thema_error_set(err, THEMA_EUSAGE, "filter 'attribute.%s' is an empty list",
                             f->attr);
    thema_buf_puts(sql, f->negate ? " AND NOT coalesce(" : " AND (");
    thema_buf_puts(sql,
                   "EXISTS (SELECT 1 FROM attribute a WHERE a.key = ? AND a.value IN (");
    for (int i = 0; i < f->nvalues; i++) thema_buf_puts(sql, i ? ", ?" : "?");
    thema_buf_printf(sql, ") AND (%s))", e->attrs);
    thema_buf_puts(sql, f->negate ? ", 0)" : ")");
    return THEMA_OK;
  }
  const Filter *known = e->filters;
  while (known->key && strcmp(known->key, f->key) != 0) known++;
  if (!known->key) {
    ThemaBuf keys = {0};
    for (const Filter *k = e->filters; k->key; k++)
      thema_buf_printf(&keys, "%s%s", k == e->filters ? "" : ", ", k->key);
    thema_error_set(err, THEMA_EUSAGE, "unknown filter '%s' (accepted: %s%s%s)", f->key,
                    thema_buf_str(&keys), e->attrs ? ", attribute" : "",
                    f->negate ? "" : ", except");
    thema_buf_free(&keys);
    return err->status;
  }
  if (f->nvalues < 1)
    return thema_error_set(err, THEMA_EUSAGE, "filter '%s' is an empty list", f->key);
  const char *hole = strstr(known->cond, "%s");
  thema_buf_puts(sql, f->negate ? " AND NOT coalesce(" : " AND (");
  thema_buf_append(sql, known->cond, (size_t)(hole - known->cond));
  for (int i = 0; i < f->nvalues; i++) thema_buf_puts(sql, i ? ", ?" : "?");
  thema_buf_puts(sql, hole + 2);
  thema_buf_puts(sql, f->negate ? ", 0)" : ")");
  return THEMA_OK;
}

static int bind_value(sqlite3_stmt *stmt, int col, const ThemaValue *v) {
  switch (v->type) {
    case THEMA_VALUE_INT: return sqlite3_bind_int64(stmt, col, v->i);
    case THEMA_VALUE_REAL: return sqlite3_bind_double(stmt, col, v->d);
    case THEMA_VALUE_TEXT:
      return sqlite3_bind_text64(stmt, col, v->s, v->len, SQLITE_TRANSIENT, SQLITE_UTF8);
    default: return sqlite3_bind_null(stmt, col);
  }
}

/* Prepare select + the filters' conditions + tail, with every value bound. */
static int build(ThemaStore *st, const Entity *e, const char *select, const char *tail,
                 const ThemaFilter *filters, int nf, sqlite3_stmt **out, ThemaError *err) {
  ThemaBuf sql = {0};
  sqlite3_stmt *stmt = NULL;
  *out = NULL;
  thema_buf_puts(&sql, select);
  thema_buf_puts(&sql, " WHERE 1");
  for (int i = 0; i < nf; i++)
    if (add_condition(e, &filters[i], &sql, err)) goto done;
  thema_buf_printf(&sql, " %s", tail);
  if (sqlite3_prepare_v2(thema_store_db(st), thema_buf_str(&sql), -1, &stmt, NULL) !=
      SQLITE_OK) {
    thema_store_db_error(st, err, "internal query error");
    goto done;
  }
  for (int i = 0, col = 1; i < nf; i++) {
    if (strcmp(filters[i].key, "attribute") == 0 &&
        sqlite3_bind_text(stmt, col++, filters[i].attr, -1, SQLITE_TRANSIENT) !=
            SQLITE_OK) {
      thema_store_db_error(st, err, "cannot bind a filter value");
      goto done;
    }
    for (int k = 0; k < filters[i].nvalues; k++, col++)
      if (bind_value(stmt, col, &filters[i].values[k]) != SQLITE_OK) {
        thema_store_db_error(st, err, "cannot bind a filter value");
        goto done;
      }
  }
  *out = stmt;
  stmt = NULL;
done:
  sqlite3_finalize(stmt);
  thema_buf_free(&sql);
  return err->status;
}

static ThemaCursor *cursor_new(sqlite3_stmt *stmt) {
  ThemaCursor *c = thema_xmalloc(sizeof *c);
  c->stmt = stmt;
  return c;
}

int thema_query_open(ThemaStore *st, ThemaEntity e, const ThemaFilter *filters, int nf,
                     ThemaCursor **out, ThemaError *err) {
  sqlite3_stmt *stmt = NULL;
  *out = NULL;
  if (build(st, &entities[e], entities[e].select, entities[e].order, filters, nf, &stmt,
            err))
    return err->status;
  *out = cursor_new(stmt);
  return THEMA_OK;
}

int thema_query_count(ThemaStore *st, ThemaEntity e, const ThemaFilter *filters, int nf,
                      int64_t *count, ThemaError *err) {
  sqlite3_stmt *stmt = NULL;
  *count = 0;
  if (build(st, &entities[e], entities[e].count, "", filters, nf, &stmt, err))
    return err->status;
  int rc = sqlite3_step(stmt);
  if (rc == SQLITE_ROW)
    *count = sqlite3_column_int64(stmt, 0);
  else if (rc != SQLITE_DONE)
    thema_store_db_error(st, err, "count failed");
  sqlite3_finalize(stmt);
  return err->status;
}

/* A statement for sql with key bound to every parameter named ?1 (a text
 * or an integer), as a cursor. */
static int keyed(ThemaStore *st, const char *sql, const ThemaValue *key, ThemaCursor **out,
                 ThemaError *err) {
  sqlite3_stmt *stmt = NULL;
  *out = NULL;
  if (sqlite3_prepare_v2(thema_store_db(st), sql, -1, &stmt, NULL) != SQLITE_OK)
    return thema_store_db_error(st, err, "internal query error");
  if (bind_value(stmt, 1, key) != SQLITE_OK) {
    sqlite3_finalize(stmt);
    return thema_store_db_error(st, err, "cannot bind");
  }
  *out = cursor_new(stmt);
  return THEMA_OK;
}

int thema_query_source(ThemaStore *st, const ThemaValue *key, ThemaCursor **out,
                       ThemaError *err) {
  return keyed(st,
               "SELECT id, name, kind, genre, title, network, date, format, path, hash,"
               " length, text FROM source WHERE name = ?1 OR (typeof(?1) = 'integer'"
               " AND id = ?1)",
               key, out, err);
}

int thema_query_attributes(ThemaStore *st, const char *entity, const ThemaValue *key,
                           ThemaCursor **out, ThemaError *err) {
  /* One statement per entity: the table name cannot be a bound parameter. */
  static const char *const sql[][2] = {
      {"source", "SELECT a.key AS key, a.value AS value FROM attribute a JOIN source x"
                 " ON x.id = a.entity_id WHERE a.entity = 'source' AND (x.name = ?1 OR"
                 " (typeof(?1) = 'integer' AND x.id = ?1)) ORDER BY a.key"},
      {"person", "SELECT a.key AS key, a.value AS value FROM attribute a JOIN person x"
                 " ON x.id = a.entity_id WHERE a.entity = 'person' AND (x.name = ?1 OR"
                 " (typeof(?1) = 'integer' AND x.id = ?1)) ORDER BY a.key"},
      {"segment", "SELECT a.key AS key, a.value AS value FROM attribute a"
                  " WHERE a.entity = 'segment' AND a.entity_id = ?1 ORDER BY a.key"},
      {"organisation",
       "SELECT a.key AS key, a.value AS value FROM attribute a JOIN organisation x"
       " ON x.id = a.entity_id WHERE a.entity = 'organisation' AND (x.name = ?1 OR"
       " (typeof(?1) = 'integer' AND x.id = ?1)) ORDER BY a.key"},
  };
  for (size_t i = 0; i < sizeof sql / sizeof *sql; i++)
    if (strcmp(sql[i][0], entity) == 0) return keyed(st, sql[i][1], key, out, err);
  *out = NULL;
  return thema_error_set(err, THEMA_EUSAGE,
                         "no attributes for '%s' (source, segment, person or organisation)",
                         entity);
}

int thema_query_segment_span(ThemaStore *st, int64_t id, int64_t *start, int64_t *end,
                             ThemaError *err) {
  sqlite3_stmt *q =
      thema_store_stmt(st, "SELECT start, end FROM segment WHERE id = ?", err);
  if (!q) return -1;
  sqlite3_bind_int64(q, 1, id);
  int found = sqlite3_step(q) == SQLITE_ROW;
  if (found) {
    *start = sqlite3_column_int64(q, 0);
    *end = sqlite3_column_int64(q, 1);
  }
  sqlite3_reset(q);
  return found;
}

int thema_query_exchange_users(ThemaStore *st, ThemaCursor **out, ThemaError *err) {
  static const char sql[] =
      "SELECT name FROM (SELECT DISTINCT k.coder AS name FROM visible_coding k"
      " WHERE k.run_id IS NULL UNION SELECT r.plugin FROM run r WHERE r.status IN ('ok',"
      " 'running') AND EXISTS (SELECT 1 FROM coding k WHERE k.run_id = r.id) UNION"
      " SELECT m.author FROM memo m WHERE m.author IS NOT NULL) ORDER BY name";
  sqlite3_stmt *stmt = NULL;
  *out = NULL;
  if (sqlite3_prepare_v2(thema_store_db(st), sql, -1, &stmt, NULL) != SQLITE_OK)
    return thema_store_db_error(st, err, "internal query error");
  *out = cursor_new(stmt);
  return THEMA_OK;
}

int thema_query_user_sql(ThemaStore *st, const char *sql, ThemaCursor **out,
                         ThemaError *err) {
  sqlite3 *db = thema_store_db(st);
  sqlite3_stmt *q = NULL;
  const char *tail = NULL;
  *out = NULL;
  if (sqlite3_prepare_v2(db, sql, -1, &q, &tail) != SQLITE_OK)
    return thema_error_set(err, THEMA_EINPUT, "query: %s", sqlite3_errmsg(db));
  while (tail && (*tail == ' ' || *tail == '\n' || *tail == '\t' || *tail == ';')) tail++;
  if (!q || (tail && *tail)) {
    sqlite3_finalize(q);
    return thema_error_set(err, THEMA_EINPUT, "query: give exactly one SQL statement");
  }
  /* BEGIN, COMMIT and friends count as read-only to SQLite but are no query. */
  static const char *const control[] = {"BEGIN",     "COMMIT",  "END", "ROLLBACK",
                                        "SAVEPOINT", "RELEASE", NULL};
  const char *first = sql;
  while (*first == ' ' || *first == '\n' || *first == '\t') first++;
  int is_control = 0;
  for (int k = 0; control[k]; k++)
    is_control |= strncasecmp(first, control[k], strlen(control[k])) == 0;
  if (!sqlite3_stmt_readonly(q) || is_control) {
    sqlite3_finalize(q);
    return thema_error_set(err, THEMA_EINPUT,
                           "query: only read-only statements are allowed (SELECT, WITH, "
                           "read-only PRAGMA); change the store through thema commands");
  }
  *out = cursor_new(q);
  return THEMA_OK;
}

/* The columns DESIGN §5 fixes for `export codings`, in that order. */
int thema_query_codings_table(ThemaStore *st, int context, ThemaCursor **out,
                              ThemaError *err) {
  /* The span with `context` code points either side, cut at the segment's
   * ends; or the whole segment; or nothing. */
  static const char head[] =
      "SELECT s.name AS source, g.ordinal AS segment, coalesce(sp.label, '') AS speaker,"
      " coalesce(o.name, '') AS organisation,"
      " coalesce((SELECT group_concat(name, ';') FROM (SELECT n.name FROM membership m"
      "  JOIN network n ON n.id = m.network_id WHERE m.organisation_id = o.id"
      "  ORDER BY n.name)), '') AS network,"
      " c.path AS code, k.start AS start, k.end AS \"end\","
      " substr(g.text, k.start - g.start + 1, k.end - k.start) AS span_text,";
  static const char tail[] =
      " coalesce(k.coder, 'plugin:' || r.plugin) AS coder, k.run_id AS run, k.memo AS memo"
      " FROM source s CROSS JOIN segment g ON g.source_id = s.id"
      " CROSS JOIN visible_coding k ON k.segment_id = g.id CROSS JOIN code c ON c.id = k.code_id"
      " LEFT JOIN speaker sp ON sp.id = g.speaker_id"
      " LEFT JOIN person p ON p.id = sp.person_id" JOIN_SPEAKER_ORGANISATION
      " LEFT JOIN run r ON r.id = k.run_id"
      " ORDER BY s.name, g.ordinal, k.start, k.end, c.path, k.id";
  ThemaBuf sql = {0};
  thema_buf_puts(&sql, head);
  if (context == THEMA_CONTEXT_SEGMENT)
    thema_buf_puts(&sql, " g.text AS segment_text,");
  else if (context >= 0)
    thema_buf_puts(&sql, " substr(g.text, max(1, k.start - g.start + 1 - ?1),"
                         " k.end - k.start + ?1 + min(?1, k.start - g.start)) AS context,");
  thema_buf_puts(&sql, tail);
  sqlite3_stmt *stmt = NULL;
  *out = NULL;
  int rc = sqlite3_prepare_v2(thema_store_db(st), sql.data, -1, &stmt, NULL);
  thema_buf_free(&sql);
  if (rc != SQLITE_OK) return thema_store_db_error(st, err, "internal query error");
  if (context >= 0) sqlite3_bind_int(stmt, 1, context);
  *out = cursor_new(stmt);
  return THEMA_OK;
}

/* ---- the cursor ---- */

int thema_cursor_step(ThemaCursor *c, ThemaError *err) {
  if (!c->stmt) return 0;
  int rc = sqlite3_step(c->stmt);
  if (rc == SQLITE_ROW) return 1;
  if (rc != SQLITE_DONE)
    thema_error_set(err, THEMA_ERUNTIME, "%s", sqlite3_errmsg(sqlite3_db_handle(c->stmt)));
  sqlite3_finalize(c->stmt);
  c->stmt = NULL;
  return rc == SQLITE_DONE ? 0 : -1;
}

int thema_cursor_ncols(const ThemaCursor *c) {
  return c->stmt ? sqlite3_column_count(c->stmt) : 0;
}

const char *thema_cursor_name(const ThemaCursor *c, int col) {
  return sqlite3_column_name(c->stmt, col);
}

int thema_cursor_type(const ThemaCursor *c, int col) {
  switch (sqlite3_column_type(c->stmt, col)) {
    case SQLITE_INTEGER: return THEMA_VALUE_INT;
    case SQLITE_FLOAT: return THEMA_VALUE_REAL;
    case SQLITE_NULL: return THEMA_VALUE_NULL;
    default: return THEMA_VALUE_TEXT;
  }
}

int64_t thema_cursor_int(const ThemaCursor *c, int col) {
  return sqlite3_column_int64(c->stmt, col);
}

double thema_cursor_real(const ThemaCursor *c, int col) {
  return sqlite3_column_double(c->stmt, col);
}

const char *thema_cursor_text(const ThemaCursor *c, int col, size_t *len) {
  const char *s = (const char *)sqlite3_column_text(c->stmt, col);
  if (len) *len = s ? (size_t)sqlite3_column_bytes(c->stmt, col) : 0;
  return s ? s : "";
}

int thema_cursor_column(const ThemaCursor *c, const char *name) {
  for (int i = 0; c->stmt && i < sqlite3_column_count(c->stmt); i++)
    if (strcmp(sqlite3_column_name(c->stmt, i), name) == 0) return i;
  return -1;
}

void thema_cursor_close(ThemaCursor *c) {
  if (!c) return;
  sqlite3_finalize(c->stmt);
  free(c);
}
