/*
 * run.c — writes to table run, and only here, plus the two queries whose
 * hashes a run records: the lifecycle in lua/run.c comes through these
 * functions, so a run row has one shape wherever it is written.
 */
#include "store/run.h"

#include "base/hash.h"
#include "store/internal.h"

int thema_run_begin(ThemaStore *st, const ThemaRunRow *row, int64_t *id, ThemaError *err) {
  return thema_store_exec_id(
      st, err, id,
      "INSERT INTO run(plugin, version, params, input_hash, codebook_hash, started_at,"
      " status) VALUES (?,?,?,?,?,?,'running') RETURNING id",
      "tttttt", row->plugin, row->version, row->params, row->input_hash, row->codebook_hash,
      row->started_at);
}

int thema_run_finish(ThemaStore *st, int64_t id, const char *finished_at,
                     const char *input_hash, const char *codebook_hash, ThemaError *err) {
  return thema_store_exec(st, err,
                          "UPDATE run SET status = 'ok', finished_at = ?, input_hash = ?,"
                          " codebook_hash = ? WHERE id = ?",
                          "ttti", finished_at, input_hash, codebook_hash, id);
}

int thema_run_supersede(ThemaStore *st, const char *plugin, int64_t keep_run,
                        ThemaError *err) {
  return thema_store_exec(st, err,
                          "UPDATE run SET status = 'replaced' WHERE plugin = ? AND"
                          " status = 'ok' AND id <> ?",
                          "ti", plugin, keep_run);
}

int thema_run_add_failed(ThemaStore *st, const ThemaRunRow *row, ThemaError *err) {
  return thema_store_exec(
      st, err,
      "INSERT INTO run(plugin, version, params, started_at, finished_at,"
      " status, message) VALUES (?,?,?,?,?,'failed',?)",
      "tttttt", row->plugin, row->version, row->params, row->started_at, row->finished_at,
      row->message);
}

/* The SHA-256 hex of the one text value sql selects. */
static int hash_of(ThemaStore *st, const char *sql, char out[65], ThemaError *err) {
  sqlite3_stmt *q = thema_store_stmt(st, sql, err);
  if (!q) return err->status;
  int rc = sqlite3_step(q);
  if (rc == SQLITE_ROW)
    thema_hash_sha256(sqlite3_column_text(q, 0), (size_t)sqlite3_column_bytes(q, 0), out);
  sqlite3_reset(q);
  if (rc != SQLITE_ROW)
    return thema_error_set(err, THEMA_ERUNTIME, "%s: cannot hash a run's inputs: %s",
                           thema_store_path(st), sqlite3_errmsg(thema_store_db(st)));
  return THEMA_OK;
}

int thema_run_hash_inputs(ThemaStore *st, char input[65], char codebook[65],
                          ThemaError *err) {
  if (hash_of(st,
              "SELECT coalesce(group_concat(name || ':' || hash, '\n'), '') FROM"
              " (SELECT name, hash FROM source ORDER BY name)",
              input, err))
    return err->status;
  return hash_of(
      st,
      "SELECT coalesce(group_concat(x, '\n'), '') FROM (SELECT c.path || '|' ||"
      " coalesce(c.options, '') || '|' || coalesce((SELECT group_concat(kind || '=' || text,"
      " '|') FROM (SELECT kind, text FROM code_rule r WHERE r.code_id = c.id ORDER BY r.id)),"
      " '') AS x FROM code c ORDER BY c.path)",
      codebook, err);
}
