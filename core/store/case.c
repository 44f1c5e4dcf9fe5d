/*
 * case.c — writes to tables organisation, network, membership and person,
 * the case rows of table attribute and speaker.person_id, and only here.
 * The named tables (organisation, network, indicator) share one
 * find-or-create.
 */
#include "store/case.h"

#include <string.h>

int thema_store_ensure_name(ThemaStore *st, const char *table, const char *name,
                            int64_t *id, ThemaError *err) {
  /* Table names come from the core, never from input: one cached pair each. */
  static const char *const tables[][3] = {
      {"organisation", "SELECT id FROM organisation WHERE name = ?",
       "INSERT INTO organisation(name) VALUES (?) RETURNING id"},
      {"network", "SELECT id FROM network WHERE name = ?",
       "INSERT INTO network(name) VALUES (?) RETURNING id"},
      {"indicator", "SELECT id FROM indicator WHERE name = ?",
       "INSERT INTO indicator(name) VALUES (?) RETURNING id"},
  };
  for (size_t i = 0; i < sizeof tables / sizeof tables[0]; i++) {
    if (strcmp(tables[i][0], table) != 0) continue;
    if (thema_store_exec_id(st, err, id, tables[i][1], "t", name) != THEMA_OK)
      return err->status;
    if (*id) return THEMA_OK;
    return thema_store_exec_id(st, err, id, tables[i][2], "t", name);
  }
  return thema_error_set(err, THEMA_ERUNTIME, "internal: no named table %s", table);
}

int thema_person_ensure(ThemaStore *st, const char *name, int64_t organisation_id,
                        const char *role, int64_t *id, ThemaError *err) {
  return thema_store_exec_id(
      st, err, id,
      "INSERT INTO person(name, organisation_id, role) VALUES (?,?,?)"
      " ON CONFLICT(name) DO UPDATE SET organisation_id = excluded.organisation_id,"
      " role = excluded.role RETURNING id",
      "tIt", name, organisation_id, role);
}

int thema_speaker_set_person(ThemaStore *st, int64_t speaker_id, int64_t person_id,
                             ThemaError *err) {
  return thema_store_exec(st, err, "UPDATE speaker SET person_id = ? WHERE id = ?", "ii",
                          person_id, speaker_id);
}

int thema_speaker_set_person_by_label(ThemaStore *st, const char *label, int64_t person_id,
                                      int64_t *mapped, ThemaError *err) {
  if (thema_store_exec(st, err, "UPDATE speaker SET person_id = ? WHERE label = ?", "it",
                       person_id, label))
    return err->status;
  *mapped = thema_store_changes(st);
  return THEMA_OK;
}

int thema_membership_ensure(ThemaStore *st, int64_t organisation_id, int64_t network_id,
                            ThemaError *err) {
  return thema_store_exec(st, err,
                          "INSERT OR IGNORE INTO membership(organisation_id, network_id)"
                          " VALUES (?,?)",
                          "ii", organisation_id, network_id);
}

int thema_case_attribute_set(ThemaStore *st, const char *entity, int64_t id,
                             const char *key, const char *value, ThemaError *err) {
  return thema_store_exec(
      st, err,
      "INSERT INTO attribute(entity, entity_id, key, value) VALUES (?,?,?,?)"
      " ON CONFLICT DO UPDATE SET value = excluded.value",
      "titt", entity, id, key, value);
}
