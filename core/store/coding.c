/*
 * coding.c — writes to table coding, and only here: the deductive matcher,
 * the Lua API, the codings importer and the run lifecycle all come through
 * these functions, so they cannot disagree on what a coding row is.
 */
#include "store/coding.h"

static int64_t changes_into(ThemaStore *st, int64_t *deleted) {
  int64_t n = thema_store_changes(st);
  if (deleted) *deleted = n;
  return n;
}

int thema_coding_add(ThemaStore *st, const ThemaCodingRow *row, int64_t *id,
                     ThemaError *err) {
  /* A pass storing many codings wants no id back: RETURNING costs a row's
   * result for every insert. */
  if (!id)
    return thema_store_exec(
        st, err,
        "INSERT INTO coding(code_id, segment_id, start, end, run_id, coder, weight, memo)"
        " VALUES (?,?,?,?,?,?,?,?)",
        "iiiiItDt", row->code_id, row->segment_id, row->start, row->end, row->run_id,
        row->coder, row->weight, row->memo);
  return thema_store_exec_id(
      st, err, id,
      "INSERT INTO coding(code_id, segment_id, start, end, run_id, coder, weight, memo)"
      " VALUES (?,?,?,?,?,?,?,?) RETURNING id",
      "iiiiItDt", row->code_id, row->segment_id, row->start, row->end, row->run_id,
      row->coder, row->weight, row->memo);
}

int thema_coding_delete_run(ThemaStore *st, int64_t run_id, int64_t *deleted,
                            ThemaError *err) {
  if (thema_store_exec(st, err, "DELETE FROM coding WHERE run_id = ?", "i", run_id))
    return err->status;
  changes_into(st, deleted);
  return THEMA_OK;
}

int thema_coding_delete_coder(ThemaStore *st, const char *coder, int human_only,
                              int64_t *deleted, ThemaError *err) {
  if (thema_store_exec(st, err,
                       human_only ? "DELETE FROM coding WHERE coder = ? AND run_id IS NULL"
                                  : "DELETE FROM coding WHERE coder = ?",
                       "t", coder))
    return err->status;
  changes_into(st, deleted);
  return THEMA_OK;
}

int thema_coding_delete_superseded(ThemaStore *st, const char *plugin, int64_t keep_run,
                                   ThemaError *err) {
  return thema_store_exec(st, err,
                          "DELETE FROM coding WHERE run_id IN (SELECT id FROM run WHERE"
                          " plugin = ? AND status = 'ok' AND id <> ?)",
                          "ti", plugin, keep_run);
}

int thema_coding_move(ThemaStore *st, int64_t coding_id, int64_t segment_id,
                      ThemaError *err) {
  return thema_store_exec(st, err, "UPDATE coding SET segment_id = ? WHERE id = ?", "ii",
                          segment_id, coding_id);
}
