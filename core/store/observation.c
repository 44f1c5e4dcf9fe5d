/*
 * observation.c — writes to tables indicator and observation, and only here.
 */
#include "store/observation.h"

#include "store/case.h"

int thema_indicator_ensure(ThemaStore *st, const char *name, int64_t *id, ThemaError *err) {
  return thema_store_ensure_name(st, "indicator", name, id, err);
}

int thema_observation_add(ThemaStore *st, const ThemaObservationRow *row, ThemaError *err) {
  return thema_store_exec(
      st, err,
      "INSERT INTO observation(source_id, indicator_id, case_name, period, value, raw,"
      " unit, line) VALUES (?,?,?,?,?,?,?,?)",
      "iittDtti", row->source_id, row->indicator_id, row->case_name, row->period,
      row->value, row->raw, row->unit, row->line);
}
