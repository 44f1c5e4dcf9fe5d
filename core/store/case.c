/*
 * case.c — writes to tables organisation, network, membership, person and
 * affiliation,
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

int thema_person_find_or_add(ThemaStore *st, const char *name, int64_t *id,
                             ThemaError *err) {
  return thema_store_exec_id(st, err, id,
                             "INSERT INTO person(name) VALUES (?)"
                             " ON CONFLICT(name) DO UPDATE SET name = name RETURNING id",
                             "t", name);
}

int thema_affiliations_clear(ThemaStore *st, int64_t person_id, ThemaError *err) {
  return thema_store_exec(st, err, "DELETE FROM affiliation WHERE person_id = ?", "i",
                          person_id);
}

int thema_affiliation_add(ThemaStore *st, const ThemaAffiliationRow *row, int take_latest,
                          ThemaError *err) {
  if (thema_store_exec(
          st, err,
          "INSERT INTO affiliation(person_id, organisation_id, role, valid_from,"
          " valid_to) VALUES (?,?,?,?,?)",
          "iittt", row->person_id, row->organisation_id, row->role, row->valid_from,
          row->valid_to))
    return err->status;
  if (!take_latest) return THEMA_OK;
  /* Latest: begun last; an open start counts as the earliest. */
  return thema_store_exec(
      st, err,
      "UPDATE person SET (organisation_id, role) = (SELECT organisation_id, role"
      " FROM affiliation WHERE person_id = ?1 ORDER BY valid_from IS NOT NULL DESC,"
      " valid_from DESC, id DESC LIMIT 1) WHERE id = ?1",
      "i", row->person_id);
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
