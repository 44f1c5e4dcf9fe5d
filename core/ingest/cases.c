/*
 * ingest_cases.c — cases: who speaks, for which organisation, in which
 * networks. Two CSV shapes, told apart by their header:
 *   speakers:      source,speaker[,person][,organisation][,role][,attribute...]
 *   organisations: organisation,network[,attribute...]
 * Extra columns become attributes of the person or the organisation. A file
 * is checked as a whole: a speaker mapped twice, a person or organisation
 * given two different values, or an unknown source is an error naming both
 * lines where that helps.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ingest/ingest.h"
#include "text/csv.h"

typedef struct Cases {
  ThemaStore *st;
  const char *path;
  int is_speakers;
  int c_source, c_speaker, c_person, c_org, c_role, c_network;
  char **header;
  int width;
  ThemaImportResult *res;
} Cases;

/* Remember key=value for this file; a different value seen before is an error
 * naming its line. Uses a TEMP table so a large file stays O(n log n). */
static int seen_once(Cases *c, const char *what, const char *key, const char *value,
                     long line, int must_be_new, ThemaError *err) {
  sqlite3_stmt *q =
      thema_store_stmt(c->st, "SELECT line, value FROM temp.cases_seen WHERE key = ?", err);
  if (!q) return err->status;
  char k[1024];
  snprintf(k, sizeof k, "%s\x1f%s", what, key);
  sqlite3_bind_text(q, 1, k, -1, SQLITE_TRANSIENT);
  if (sqlite3_step(q) == SQLITE_ROW) {
    /* An attribute key is "name\x1fcolumn"; show it as "name', column 'column". */
    char shown[1100];
    const char *sep = strchr(key, '\x1f');
    if (sep)
      snprintf(shown, sizeof shown, "%.*s', column '%s", (int)(sep - key), key, sep + 1);
    else
      snprintf(shown, sizeof shown, "%s", key);
    long first = sqlite3_column_int(q, 0);
    const char *old = (const char *)sqlite3_column_text(q, 1);
    int differs = strcmp(old ? old : "", value ? value : "") != 0;
    char oldv[512];
    snprintf(oldv, sizeof oldv, "%s", old ? old : "");
    sqlite3_reset(q);
    if (must_be_new)
      return thema_error_at(err, THEMA_EINPUT, c->path, line, 0,
                            "%s '%s' is already mapped on line %ld; map each "
                            "speaker once",
                            what, shown, first);
    if (differs)
      return thema_error_at(err, THEMA_EINPUT, c->path, line, 0,
                            "%s '%s' is given as '%s' here but as '%s' on line %ld; "
                            "make them agree",
                            what, shown, value ? value : "", oldv, first);
    return THEMA_OK;
  }
  sqlite3_reset(q);
  return thema_store_exec(c->st, err,
                          "INSERT INTO temp.cases_seen(key, line, value) VALUES (?,?,?)",
                          "tit", k, (int64_t)line, value ? value : "");
}

static int known_sources_hint(Cases *c, char *out, size_t n, ThemaError *err) {
  sqlite3_stmt *q = thema_store_stmt(
      c->st, "SELECT name FROM source WHERE kind = 'transcript' ORDER BY name LIMIT 8",
      err);
  if (!q) return err->status;
  size_t used = 0;
  out[0] = '\0';
  while (sqlite3_step(q) == SQLITE_ROW && used + 2 < n)
    used += (size_t)snprintf(out + used, n - used, "%s%s", used ? ", " : "",
                             (const char *)sqlite3_column_text(q, 0));
  sqlite3_reset(q);
  if (!used) snprintf(out, n, "none yet");
  return THEMA_OK;
}

static int set_attributes(Cases *c, const ThemaCsvRow *row, const char *entity, int64_t id,
                          const char *name, ThemaError *err) {
  for (int i = 0; i < row->n; i++) {
    if (i == c->c_source || i == c->c_speaker || i == c->c_person || i == c->c_org ||
        i == c->c_role || i == c->c_network || !*row->fields[i])
      continue;
    char key[1024];
    snprintf(key, sizeof key, "%s\x1f%s", name, c->header[i]);
    if (seen_once(c, entity, key, row->fields[i], row->line, 0, err) ||
        thema_store_exec(
            c->st, err,
            "INSERT INTO attribute(entity, entity_id, key, value) VALUES (?,?,?,?)"
            " ON CONFLICT DO UPDATE SET value = excluded.value",
            "titt", entity, id, c->header[i], row->fields[i]))
      return err->status;
  }
  return THEMA_OK;
}

static int speaker_row(Cases *c, const ThemaCsvRow *row, ThemaError *err) {
  const char *source = row->fields[c->c_source];
  const char *label = row->fields[c->c_speaker];
  if (!*source || !*label)
    return thema_error_at(err, THEMA_EINPUT, c->path, row->line, 0,
                          "source and speaker must not be empty");
  int64_t source_id;
  if (thema_store_exec_id(c->st, err, &source_id, "SELECT id FROM source WHERE name = ?",
                          "t", source))
    return err->status;
  if (!source_id) {
    char hint[512];
    known_sources_hint(c, hint, sizeof hint, err);
    return thema_error_at(err, THEMA_EINPUT, c->path, row->line, c->c_source + 1,
                          "unknown source '%s'; import it first or fix the name "
                          "(sources: %s)",
                          source, hint);
  }
  char key[1024];
  snprintf(key, sizeof key, "%s %s", source, label);
  if (seen_once(c, "speaker", key, "", row->line, 1, err)) return err->status;
  const char *org = c->c_org >= 0 ? row->fields[c->c_org] : "";
  const char *role = c->c_role >= 0 ? row->fields[c->c_role] : "";
  const char *person =
      c->c_person >= 0 && *row->fields[c->c_person] ? row->fields[c->c_person] : key;
  char person_value[1024];
  snprintf(person_value, sizeof person_value, "organisation '%s', role '%s'", org, role);
  if (seen_once(c, "person", person, person_value, row->line, 0, err)) return err->status;
  int64_t org_id = 0, person_id = 0, speaker_id = 0;
  if (*org && thema_store_ensure_name(c->st, "organisation", org, &org_id, err))
    return err->status;
  if (thema_store_exec_id(
          c->st, err, &person_id,
          "INSERT INTO person(name, organisation_id, role) VALUES (?,?,?)"
          " ON CONFLICT(name) DO UPDATE SET organisation_id = excluded.organisation_id,"
          " role = excluded.role RETURNING id",
          "tIt", person, org_id, *role ? role : NULL) ||
      thema_speaker_id(c->st, source_id, label, &speaker_id, err) ||
      thema_store_exec(c->st, err, "UPDATE speaker SET person_id = ? WHERE id = ?", "ii",
                       person_id, speaker_id))
    return err->status;
  return set_attributes(c, row, "person", person_id, person, err);
}

static int organisation_row(Cases *c, const ThemaCsvRow *row, ThemaError *err) {
  const char *org = row->fields[c->c_org];
  const char *network = row->fields[c->c_network];
  if (!*org)
    return thema_error_at(err, THEMA_EINPUT, c->path, row->line, c->c_org + 1,
                          "organisation must not be empty");
  int64_t org_id, net_id;
  if (thema_store_ensure_name(c->st, "organisation", org, &org_id, err)) return err->status;
  if (*network) {
    char key[1024];
    snprintf(key, sizeof key, "%s in %s", org, network);
    if (seen_once(c, "membership", key, "", row->line, 0, err) ||
        thema_store_ensure_name(c->st, "network", network, &net_id, err) ||
        thema_store_exec(c->st, err,
                         "INSERT OR IGNORE INTO membership(organisation_id, network_id)"
                         " VALUES (?,?)",
                         "ii", org_id, net_id))
      return err->status;
  }
  return set_attributes(c, row, "organisation", org_id, org, err);
}

static int on_row(const ThemaCsvRow *row, void *ud, ThemaError *err) {
  Cases *c = ud;
  if (c->header) {
    c->res->rows++;
    return c->is_speakers ? speaker_row(c, row, err) : organisation_row(c, row, err);
  }
  c->width = row->n;
  c->header = thema_xmalloc((size_t)row->n * sizeof *c->header);
  for (int i = 0; i < row->n; i++) c->header[i] = thema_xstrdup(row->fields[i]);
  c->c_source = thema_csv_column(row, "source");
  c->c_speaker = thema_csv_column(row, "speaker");
  c->c_person = thema_csv_column(row, "person");
  c->c_org = thema_csv_column(row, "organisation");
  c->c_role = thema_csv_column(row, "role");
  c->c_network = thema_csv_column(row, "network");
  if (c->c_speaker >= 0 && c->c_source >= 0) {
    c->is_speakers = 1;
    c->c_network = -1;
    return THEMA_OK;
  }
  if (c->c_org >= 0 && c->c_network >= 0 && c->c_speaker < 0) {
    c->c_source = c->c_person = c->c_role = -1;
    return THEMA_OK;
  }
  return thema_error_at(err, THEMA_EINPUT, c->path, row->line, 0,
                        "unrecognised cases header; expected "
                        "'source,speaker[,person][,organisation][,role],...' or "
                        "'organisation,network,...'");
}

int thema_import_cases(ThemaStore *st, const char *path, const ThemaImportOptions *opt,
                       ThemaImportResult *res, ThemaError *err) {
  (void)opt;
  ThemaInput text = {0};
  Cases c = {.st = st, .path = path, .res = res};
  if (thema_store_exec(st, err,
                       "CREATE TEMP TABLE IF NOT EXISTS cases_seen"
                       "(key TEXT PRIMARY KEY, line INTEGER, value TEXT)",
                       "") ||
      thema_store_exec(st, err, "DELETE FROM temp.cases_seen", ""))
    goto done;
  if (thema_input_load(path, &text, err)) goto done;
  if (thema_csv_read(path, text.buf.data, text.buf.len, 0, on_row, &c, err)) goto done;
  if (res->rows == 0)
    thema_error_at(err, THEMA_EINPUT, path, 0, 0, "no data rows under the header");
done:
  for (int i = 0; c.header && i < c.width; i++) free(c.header[i]);
  free(c.header);
  thema_input_free(&text);
  return err->status;
}
