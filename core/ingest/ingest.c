/*
 * ingest.c — what the importers share: loading a file as normalised UTF-8,
 * front matter and sidecar "key: value" files, registering a source by name
 * and content hash, speaker rows, and byte-to-code-point conversion.
 */
#include "ingest/ingest.h"

#include <stdlib.h>
#include <string.h>

#include "base/hash.h"
#include "base/utf8.h"

/* Front matter keys with a column of their own; the rest become attributes. */
static const char *const source_columns[] = {"kind", "title", "network", "date"};

int thema_source_register(ThemaStore *st, const ThemaSourceInfo *info, int replace,
                          ThemaImportResult *res, ThemaError *err) {
  char *name = thema_fs_stem(info->path);
  int64_t old_id = 0;
  sqlite3_stmt *q =
      thema_store_stmt(st, "SELECT id, hash, path FROM source WHERE name = ?", err);
  if (!q) goto done;
  sqlite3_bind_text(q, 1, name, -1, SQLITE_TRANSIENT);
  if (sqlite3_step(q) == SQLITE_ROW) {
    old_id = sqlite3_column_int64(q, 0);
    int same = strcmp((const char *)sqlite3_column_text(q, 1), info->text->hash) == 0;
    char *old_path = thema_xstrdup((const char *)sqlite3_column_text(q, 2));
    sqlite3_reset(q);
    if (same) {
      res->unchanged = 1;
      res->source_id = old_id;
    } else if (!replace) {
      thema_error_at(err, THEMA_EINPUT, info->path, 0, 0,
                     "source '%s' is already stored with different content "
                     "(imported from %s); pass --replace to replace it and its "
                     "codings, or rename the file",
                     name, old_path);
    }
    free(old_path);
    if (same || err->status) goto done;
    /* Delete segments explicitly so the FTS delete trigger sees each one. */
    if (thema_store_exec(st, err, "DELETE FROM segment WHERE source_id = ?", "i",
                         (int64_t)old_id) ||
        thema_store_exec(st, err,
                         "DELETE FROM attribute WHERE entity = 'source' AND entity_id = ?",
                         "i", (int64_t)old_id) ||
        thema_store_exec(st, err, "DELETE FROM source WHERE id = ?", "i", (int64_t)old_id))
      goto done;
    res->replaced = 1;
  }
  sqlite3_reset(q);
  const ThemaMeta *m = info->meta;
  char now[32];
  thema_store_now(now);
  /* The stored text is bound without a copy ('s'): it can be large. */
  if (thema_store_exec_id(
          st, err, &res->source_id,
          "INSERT INTO source(name, kind, genre, title, network, date, format, path,"
          " hash, text, length, imported_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?) RETURNING id",
          "tttttttttsit", name, info->kind, thema_meta_get(m, "kind"),
          thema_meta_get(m, "title"), thema_meta_get(m, "network"),
          thema_meta_get(m, "date"), info->format, info->path, info->text->hash,
          info->stored, (int64_t)thema_utf8_count(info->stored, info->stored_len), now))
    goto done;
  for (int i = 0; m && i < m->n; i++) {
    int is_column = 0;
    for (size_t c = 0; c < sizeof source_columns / sizeof *source_columns; c++)
      is_column |= strcmp(m->keys[i], source_columns[c]) == 0;
    if (!is_column &&
        thema_store_exec(st, err,
                         "INSERT INTO attribute(entity, entity_id, key, value)"
                         " VALUES ('source', ?, ?, ?)",
                         "itt", res->source_id, m->keys[i], m->values[i]))
      goto done;
  }
done:
  free(name);
  return err->status;
}

int thema_source_index(ThemaStore *st, int64_t source_id, ThemaError *err) {
  return thema_store_exec(
      st, err,
      "INSERT INTO segment_fts(rowid, text) SELECT id, text FROM segment"
      " WHERE source_id = ? ORDER BY id",
      "i", source_id);
}

int thema_speaker_id(ThemaStore *st, int64_t source_id, const char *label, int64_t *id,
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
