/*
 * source.c — writes to tables source, speaker and segment, the source and
 * segment rows of table attribute and the full-text index segment_fts, and only here: every
 * importer reaches them through the ingest sink that calls these functions.
 */
#include "store/source.h"

#include <stdlib.h>
#include <string.h>

#include "base/utf8.h"
#include "store/internal.h"

int thema_source_register(ThemaStore *st, const ThemaSourceRow *row, int replace,
                          int64_t *id, int *state, ThemaError *err) {
  char *old_path = NULL;
  int64_t old_id = 0;
  *id = 0;
  *state = THEMA_SOURCE_NEW;
  sqlite3_stmt *q =
      thema_store_stmt(st, "SELECT id, hash, path FROM source WHERE name = ?", err);
  if (!q) goto done;
  sqlite3_bind_text(q, 1, row->name, -1, SQLITE_TRANSIENT);
  if (sqlite3_step(q) == SQLITE_ROW) {
    old_id = sqlite3_column_int64(q, 0);
    int same = strcmp((const char *)sqlite3_column_text(q, 1), row->hash) == 0;
    old_path = thema_xstrdup((const char *)sqlite3_column_text(q, 2));
    sqlite3_reset(q);
    if (same) {
      *state = THEMA_SOURCE_UNCHANGED;
      *id = old_id;
      goto done;
    }
    if (!replace) {
      thema_error_at(err, THEMA_EINPUT, row->path, 0, 0,
                     "source '%s' is already stored with different content "
                     "(imported from %s); pass --replace to replace it and its "
                     "codings, or rename the file",
                     row->name, old_path);
      goto done;
    }
    /* Delete segments explicitly so the FTS delete trigger sees each one. */
    if (thema_store_exec(st, err, "DELETE FROM segment WHERE source_id = ?", "i", old_id) ||
        thema_store_exec(st, err,
                         "DELETE FROM attribute WHERE entity = 'source' AND entity_id = ?",
                         "i", old_id) ||
        thema_store_exec(st, err, "DELETE FROM source WHERE id = ?", "i", old_id))
      goto done;
    *state = THEMA_SOURCE_REPLACED;
  }
  sqlite3_reset(q);
  char now[32];
  thema_store_now(now);
  /* The stored text is bound without a copy ('x'): it can be large. */
  thema_store_exec_id(
      st, err, id,
      "INSERT INTO source(name, kind, genre, title, network, date, format, path,"
      " hash, text, length, imported_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?) RETURNING id",
      "tttttttttxit", row->name, row->kind, row->genre, row->title, row->network, row->date,
      row->format, row->path, row->hash, row->text, row->len,
      (int64_t)thema_utf8_count(row->text, row->len), now);
done:
  free(old_path);
  return err->status;
}

int thema_source_attribute_add(ThemaStore *st, int64_t source_id, const char *key,
                               const char *value, ThemaError *err) {
  return thema_store_exec(st, err,
                          "INSERT INTO attribute(entity, entity_id, key, value)"
                          " VALUES ('source', ?, ?, ?)",
                          "itt", source_id, key, value);
}

int thema_source_index(ThemaStore *st, int64_t source_id, ThemaError *err) {
  return thema_store_exec(
      st, err,
      "INSERT INTO segment_fts(rowid, text) SELECT id, text FROM segment"
      " WHERE source_id = ? ORDER BY id",
      "i", source_id);
}

int thema_source_find(ThemaStore *st, const char *name, int64_t *id, ThemaError *err) {
  return thema_store_exec_id(st, err, id, "SELECT id FROM source WHERE name = ?", "t",
                             name);
}

int thema_source_names(ThemaStore *st, const char *kind, int limit, ThemaBuf *out,
                       ThemaError *err) {
  sqlite3_stmt *q = thema_store_stmt(
      st, "SELECT name FROM source WHERE kind = ? ORDER BY name LIMIT ?", err);
  if (!q) return err->status;
  sqlite3_bind_text(q, 1, kind, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int(q, 2, limit);
  for (int n = 0; sqlite3_step(q) == SQLITE_ROW; n++) {
    if (n) thema_buf_puts(out, ", ");
    thema_buf_puts(out, (const char *)sqlite3_column_text(q, 0));
  }
  sqlite3_reset(q);
  return THEMA_OK;
}

int thema_speaker_ensure(ThemaStore *st, int64_t source_id, const char *label, int64_t *id,
                         ThemaError *err) {
  if (thema_store_exec_id(st, err, id,
                          "SELECT id FROM speaker WHERE source_id = ? AND label = ?", "it",
                          source_id, label))
    return err->status;
  if (*id) return THEMA_OK;
  return thema_store_exec_id(
      st, err, id, "INSERT INTO speaker(source_id, label) VALUES (?, ?) RETURNING id", "it",
      source_id, label);
}

int thema_segment_add(ThemaStore *st, const ThemaSegmentRow *row, ThemaError *err) {
  return thema_store_exec(
      st, err,
      "INSERT INTO segment(source_id, ordinal, speaker_id, section, start, end,"
      " time_start, time_end, text) VALUES (?,?,?,?,?,?,?,?,?)",
      "iiItiiDDx", row->source_id, row->ordinal, row->speaker_id, row->section, row->start,
      row->end, row->time_start, row->time_end, row->text, row->len);
}

int thema_segment_attribute_set(ThemaStore *st, int64_t segment_id, const char *key,
                                const char *value, ThemaError *err) {
  return thema_store_exec(
      st, err,
      "INSERT INTO attribute(entity, entity_id, key, value)"
      " VALUES ('segment', ?, ?, ?) ON CONFLICT (entity, entity_id, key)"
      " DO UPDATE SET value = excluded.value",
      "itt", segment_id, key, value);
}

int thema_segment_find(ThemaStore *st, const char *source, int64_t ordinal, int64_t *id,
                       int64_t *start, int64_t *end, ThemaError *err) {
  *id = *start = *end = 0;
  sqlite3_stmt *q = thema_store_stmt(
      st,
      "SELECT g.id, g.start, g.end FROM segment g JOIN source s ON s.id = g.source_id"
      " WHERE s.name = ? AND g.ordinal = ?",
      err);
  if (!q) return err->status;
  sqlite3_bind_text(q, 1, source, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64(q, 2, ordinal);
  if (sqlite3_step(q) == SQLITE_ROW) {
    *id = sqlite3_column_int64(q, 0);
    *start = sqlite3_column_int64(q, 1);
    *end = sqlite3_column_int64(q, 2);
  }
  sqlite3_reset(q);
  return THEMA_OK;
}

int thema_segment_insert(ThemaStore *st, const ThemaSegmentRow *row, int64_t *id,
                         ThemaError *err) {
  return thema_store_exec_id(
      st, err, id,
      "INSERT INTO segment(source_id, ordinal, speaker_id, section, start, end,"
      " time_start, time_end, text) VALUES (?,?,?,?,?,?,?,?,?) RETURNING id",
      "iiItiiDDx", row->source_id, row->ordinal, row->speaker_id, row->section, row->start,
      row->end, row->time_start, row->time_end, row->text, row->len);
}

int thema_segment_swap_in(ThemaStore *st, int64_t source_id, ThemaError *err) {
  /* The old units go (their index rows with them, by trigger); the new ones,
   * written with negative ordinals, take their places and enter the index. */
  if (thema_store_exec(st, err, "DELETE FROM segment WHERE source_id = ? AND ordinal > 0",
                       "i", source_id) ||
      thema_store_exec(st, err,
                       "UPDATE segment SET ordinal = -ordinal WHERE source_id = ? AND"
                       " ordinal < 0",
                       "i", source_id))
    return err->status;
  return thema_source_index(st, source_id, err);
}

int thema_source_attribute_set(ThemaStore *st, int64_t source_id, const char *key,
                               const char *value, ThemaError *err) {
  return thema_store_exec(st, err,
                          "INSERT INTO attribute(entity, entity_id, key, value)"
                          " VALUES ('source', ?, ?, ?) ON CONFLICT (entity, entity_id, key)"
                          " DO UPDATE SET value = excluded.value",
                          "itt", source_id, key, value);
}
