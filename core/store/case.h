/*
 * case.h — the one writer of the cases: tables organisation, network,
 * membership and person, the person and organisation rows of table
 * attribute, a person's dated affiliations (table affiliation), and which
 * person a speaker label is (speaker.person_id).
 */
#ifndef THEMA_CASE_H
#define THEMA_CASE_H

#include <stdint.h>

#include "store/store.h"

/* The id of the row named name in table (organisation, network, indicator),
 * inserting it when missing; any other table is an internal error. */
int thema_store_ensure_name(ThemaStore *st, const char *table, const char *name,
                            int64_t *id, ThemaError *err);

/* The person named name, created or updated to organisation organisation_id
 * (0 for none) and role (NULL for none); its id in *id. */
int thema_person_ensure(ThemaStore *st, const char *name, int64_t organisation_id,
                        const char *role, int64_t *id, ThemaError *err);

/* The person named name, created when missing with no organisation; an
 * existing person is left as it is. */
int thema_person_find_or_add(ThemaStore *st, const char *name, int64_t *id,
                             ThemaError *err);

/* A person's organisation over time (table affiliation). */
typedef struct ThemaAffiliationRow {
  int64_t person_id, organisation_id;
  const char *role;       /* NULL for none */
  const char *valid_from; /* ISO date, inclusive; NULL for open */
  const char *valid_to;   /* ISO date, inclusive; NULL for open */
} ThemaAffiliationRow;

/* Drop every affiliation of person_id (a cases file restates them). */
int thema_affiliations_clear(ThemaStore *st, int64_t person_id, ThemaError *err);
/* Add one affiliation; with take_latest, the person's own organisation and
 * role become those of its latest affiliation (the one begun last). */
int thema_affiliation_add(ThemaStore *st, const ThemaAffiliationRow *row, int take_latest,
                          ThemaError *err);

/* Speaker speaker_id is person person_id. */
int thema_speaker_set_person(ThemaStore *st, int64_t speaker_id, int64_t person_id,
                             ThemaError *err);

/* Every speaker labelled label, in every source, is person person_id (one
 * person across the sittings of a parliament); *mapped is how many. */
int thema_speaker_set_person_by_label(ThemaStore *st, const char *label, int64_t person_id,
                                      int64_t *mapped, ThemaError *err);

/* Organisation organisation_id belongs to network network_id (once). */
int thema_membership_ensure(ThemaStore *st, int64_t organisation_id, int64_t network_id,
                            ThemaError *err);

/* Set attribute key of a person or an organisation (entity "person" or
 * "organisation") to value, replacing an earlier value. */
int thema_case_attribute_set(ThemaStore *st, const char *entity, int64_t id,
                             const char *key, const char *value, ThemaError *err);

#endif
