/*
 * sink_store.c — the store sink: every record an importer emits becomes rows
 * through the store's typed writers (store/source.h, case.h, observation.h,
 * code.h, coding.h), and every question it asks is answered from the store.
 * Row ids live here and nowhere else in ingest/.
 */
#include "ingest/sink_store.h"

#include <stdlib.h>
#include <string.h>

#include "base/fs.h"
#include "ingest/qdc.h"
#include "ingest/qdpx.h"
#include "store/case.h"
#include "store/code.h"
#include "store/coding.h"
#include "store/memo.h"
#include "store/observation.h"
#include "store/query.h"
#include "store/source.h"

/* Front matter keys with a column of their own; the rest become attributes. */
static const char *const source_columns[] = {"kind", "title", "network", "date"};

static int store_begin_source(ThemaSink *s, const ThemaSourceRec *src, int *unchanged,
                              ThemaError *err) {
  ThemaSinkStore *ss = (ThemaSinkStore *)s;
  const ThemaMeta *m = src->meta;
  char *name = src->name ? thema_xstrdup(src->name) : thema_fs_stem(src->path);
  ThemaSourceRow row = {.name = name,
                        .kind = src->kind,
                        .genre = thema_meta_get(m, "kind"),
                        .title = thema_meta_get(m, "title"),
                        .network = thema_meta_get(m, "network"),
                        .date = thema_meta_get(m, "date"),
                        .format = src->format,
                        .path = src->path,
                        .hash = src->hash,
                        .text = src->text,
                        .len = src->len};
  int state = THEMA_SOURCE_NEW;
  ss->nspeakers = 0;
  if (thema_source_register(ss->st, &row, ss->replace, &ss->source_id, &state, err))
    goto done;
  s->res->source_id = ss->source_id;
  if (state == THEMA_SOURCE_UNCHANGED) {
    *unchanged = 1;
    goto done;
  }
  s->res->replaced = state == THEMA_SOURCE_REPLACED;
  for (int i = 0; m && i < m->n; i++) {
    int is_column = 0;
    for (size_t c = 0; c < sizeof source_columns / sizeof *source_columns; c++)
      is_column |= strcmp(m->keys[i], source_columns[c]) == 0;
    if (!is_column &&
        thema_source_attribute_add(ss->st, ss->source_id, m->keys[i], m->values[i], err))
      goto done;
  }
done:
  free(name);
  return err->status;
}

static int store_add_segment(ThemaSink *s, const ThemaSegmentRec *seg, long speaker,
                             int first, ThemaError *err) {
  ThemaSinkStore *ss = (ThemaSinkStore *)s;
  int64_t speaker_id = 0;
  if (speaker >= 0 && first) {
    if (thema_speaker_ensure(ss->st, ss->source_id, seg->speaker, &speaker_id, err))
      return err->status;
    if ((size_t)speaker != ss->nspeakers)
      return thema_sink_broken(s, err, "speaker numbers out of order");
    if (ss->nspeakers == ss->capspeakers) {
      ss->capspeakers = ss->capspeakers ? 2 * ss->capspeakers : 16;
      ss->speakers = thema_xrealloc(ss->speakers, ss->capspeakers * sizeof *ss->speakers);
    }
    ss->speakers[ss->nspeakers++] = speaker_id;
  } else if (speaker >= 0) {
    if ((size_t)speaker >= ss->nspeakers)
      return thema_sink_broken(s, err, "a speaker number never seen");
    speaker_id = ss->speakers[speaker];
  }
  ThemaSegmentRow row = {.source_id = ss->source_id,
                         .ordinal = seg->ordinal,
                         .speaker_id = speaker_id,
                         .section = seg->section,
                         .start = (int64_t)seg->start,
                         .end = (int64_t)seg->end,
                         .time_start = seg->timed ? &seg->time_start : NULL,
                         .time_end = seg->timed ? &seg->time_end : NULL,
                         .text = seg->text,
                         .len = seg->len};
  if (seg->nattrs == 0) return thema_segment_add(ss->st, &row, err);
  int64_t id = 0;
  if (thema_segment_insert(ss->st, &row, &id, err)) return err->status;
  for (int i = 0; i < seg->nattrs; i++)
    if (thema_segment_attribute_set(ss->st, id, seg->attr_keys[i], seg->attr_values[i],
                                    err))
      return err->status;
  return THEMA_OK;
}

static int store_end_source(ThemaSink *s, ThemaError *err) {
  ThemaSinkStore *ss = (ThemaSinkStore *)s;
  /* A monitor table has no segments to index. */
  if (s->ordinal == 0) return THEMA_OK;
  return thema_source_index(ss->st, ss->source_id, err);
}

static int store_add_observation(ThemaSink *s, const ThemaObservationRec *obs,
                                 ThemaError *err) {
  ThemaSinkStore *ss = (ThemaSinkStore *)s;
  ThemaObservationRow row = {.source_id = ss->source_id,
                             .case_name = obs->case_name,
                             .period = obs->period,
                             .value = obs->missing ? NULL : &obs->value,
                             .raw = obs->raw,
                             .unit = obs->unit,
                             .line = obs->line};
  if (thema_indicator_ensure(ss->st, obs->indicator, &row.indicator_id, err))
    return err->status;
  return thema_observation_add(ss->st, &row, err);
}

static int store_find_source(ThemaSink *s, const char *name, int *found, ThemaError *err) {
  int64_t id = 0;
  if (thema_source_find(((ThemaSinkStore *)s)->st, name, &id, err)) return err->status;
  *found = id != 0;
  return THEMA_OK;
}

static int store_source_names(ThemaSink *s, const char *kind, int limit, ThemaBuf *out,
                              ThemaError *err) {
  return thema_source_names(((ThemaSinkStore *)s)->st, kind, limit, out, err);
}

static int set_attributes(ThemaStore *st, const char *entity, int64_t id,
                          const char *const *keys, const char *const *values, int n,
                          ThemaError *err) {
  for (int i = 0; i < n; i++)
    if (thema_case_attribute_set(st, entity, id, keys[i], values[i], err))
      return err->status;
  return THEMA_OK;
}

/* The person of a speakers row, with its organisation: its own (an undated
 * row) or one affiliation of it (a dated row). */
static int person_of(ThemaStore *st, const ThemaSpeakerRec *rec, int64_t *person_id,
                     ThemaError *err) {
  int64_t org_id = 0;
  if (rec->organisation &&
      thema_store_ensure_name(st, "organisation", rec->organisation, &org_id, err))
    return err->status;
  if (!rec->dated)
    return thema_person_ensure(st, rec->person, org_id, rec->role, person_id, err);
  ThemaAffiliationRow row = {.organisation_id = org_id,
                             .role = rec->role,
                             .valid_from = rec->valid_from,
                             .valid_to = rec->valid_to};
  if (thema_person_find_or_add(st, rec->person, &row.person_id, err) ||
      (rec->first_dated && thema_affiliations_clear(st, row.person_id, err)) ||
      thema_affiliation_add(st, &row, !rec->keep_own, err))
    return err->status;
  *person_id = row.person_id;
  return THEMA_OK;
}

static int store_add_speaker(ThemaSink *s, const ThemaSpeakerRec *rec, ThemaError *err) {
  ThemaStore *st = ((ThemaSinkStore *)s)->st;
  int64_t source_id = 0, person_id = 0, speaker_id = 0;
  if (strcmp(rec->source, "*") == 0) { /* the label in every source */
    int64_t mapped = 0;
    if (person_of(st, rec, &person_id, err) ||
        thema_speaker_set_person_by_label(st, rec->label, person_id, &mapped, err))
      return err->status;
    if (!mapped)
      return thema_error_set(
          err, THEMA_EINPUT,
          "no source has a speaker '%s'; import the sources first, or fix "
          "the label",
          rec->label);
    return set_attributes(st, "person", person_id, rec->keys, rec->values, rec->nattrs,
                          err);
  }
  if (thema_source_find(st, rec->source, &source_id, err)) return err->status;
  if (!source_id)
    return thema_sink_broken(s, err, "a speaker of a source that was not found");
  if (person_of(st, rec, &person_id, err) ||
      thema_speaker_ensure(st, source_id, rec->label, &speaker_id, err) ||
      thema_speaker_set_person(st, speaker_id, person_id, err))
    return err->status;
  return set_attributes(st, "person", person_id, rec->keys, rec->values, rec->nattrs, err);
}

static int store_add_organisation(ThemaSink *s, const ThemaOrganisationRec *rec,
                                  ThemaError *err) {
  ThemaStore *st = ((ThemaSinkStore *)s)->st;
  int64_t org_id = 0, net_id = 0;
  if (thema_store_ensure_name(st, "organisation", rec->name, &org_id, err) ||
      (rec->network &&
       (thema_store_ensure_name(st, "network", rec->network, &net_id, err) ||
        thema_membership_ensure(st, org_id, net_id, err))))
    return err->status;
  return set_attributes(st, "organisation", org_id, rec->keys, rec->values, rec->nattrs,
                        err);
}

static int store_find_segment(ThemaSink *s, const char *source, int64_t ordinal, int *found,
                              int64_t *start, int64_t *end, ThemaError *err) {
  ThemaSinkStore *ss = (ThemaSinkStore *)s;
  free(ss->segment_source);
  ss->segment_source = thema_xstrdup(source);
  ss->segment_ordinal = ordinal;
  if (thema_segment_find(ss->st, source, ordinal, &ss->segment_id, start, end, err))
    return err->status;
  *found = ss->segment_id != 0;
  return THEMA_OK;
}

static int store_begin_coder(ThemaSink *s, const char *coder, ThemaError *err) {
  return thema_coding_delete_coder(((ThemaSinkStore *)s)->st, coder, 1, NULL, err);
}

static int store_add_coding(ThemaSink *s, const ThemaCodingRec *rec, ThemaError *err) {
  ThemaSinkStore *ss = (ThemaSinkStore *)s;
  /* The importer asks for the segment first; its id is kept from then. */
  if (!ss->segment_id || !ss->segment_source || ss->segment_ordinal != rec->ordinal ||
      strcmp(ss->segment_source, rec->source) != 0)
    return thema_sink_broken(s, err, "a coding of a segment that was not found first");
  ThemaCodingRow row = {.segment_id = ss->segment_id,
                        .start = rec->start,
                        .end = rec->end,
                        .coder = rec->coder,
                        .memo = rec->memo};
  if (thema_code_ensure(ss->st, rec->code, "manual", &row.code_id, err)) return err->status;
  return thema_coding_add(ss->st, &row, NULL, err);
}

static int store_add_code(ThemaSink *s, const ThemaCodeRec *rec, ThemaError *err) {
  ThemaStore *st = ((ThemaSinkStore *)s)->st;
  int64_t id = 0;
  if (thema_code_ensure(st, rec->path, "manual", &id, err)) return err->status;
  if (!rec->description && !rec->colour) return THEMA_OK;
  return thema_code_set_details(st, id, rec->description, NULL, rec->colour, err);
}

static int store_add_case(ThemaSink *s, const ThemaCaseRec *rec, ThemaError *err) {
  ThemaStore *st = ((ThemaSinkStore *)s)->st;
  int64_t id = 0, org_id = 0, net_id = 0;
  if (rec->is_organisation) {
    if (thema_store_ensure_name(st, "organisation", rec->name, &id, err))
      return err->status;
    for (int i = 0; i < rec->nnetworks; i++)
      if (thema_store_ensure_name(st, "network", rec->networks[i], &net_id, err) ||
          thema_membership_ensure(st, id, net_id, err))
        return err->status;
    return set_attributes(st, "organisation", id, rec->keys, rec->values, rec->nattrs, err);
  }
  if ((rec->organisation &&
       thema_store_ensure_name(st, "organisation", rec->organisation, &org_id, err)) ||
      thema_person_ensure(st, rec->name, org_id, rec->role, &id, err))
    return err->status;
  return set_attributes(st, "person", id, rec->keys, rec->values, rec->nattrs, err);
}

/* The id of the person named name, 0 when there is none. */
static int find_person(ThemaStore *st, const char *name, int64_t *id, ThemaError *err) {
  ThemaValue v = {.type = THEMA_VALUE_TEXT, .s = name, .len = strlen(name)};
  ThemaFilter f = {.key = "name", .values = &v, .nvalues = 1};
  ThemaCursor *c = NULL;
  *id = 0;
  if (thema_query_open(st, THEMA_PERSONS, &f, 1, &c, err)) return err->status;
  if (thema_cursor_step(c, err) == 1)
    *id = thema_cursor_int(c, thema_cursor_column(c, "id"));
  thema_cursor_close(c);
  return err->status;
}

static int store_add_memo(ThemaSink *s, const ThemaMemoRec *rec, ThemaError *err) {
  ThemaStore *st = ((ThemaSinkStore *)s)->st;
  int64_t id = 0, b = 0, e = 0, memo_id = 0;
  const char *t = rec->target;
  int rc = THEMA_OK;
  if (strcmp(t, "source") == 0)
    rc = thema_source_find(st, rec->key, &id, err);
  else if (strcmp(t, "segment") == 0)
    rc = thema_segment_find(st, rec->key, rec->ordinal, &id, &b, &e, err);
  else if (strcmp(t, "code") == 0)
    rc = thema_code_find(st, rec->key, &id, err);
  else if (strcmp(t, "person") == 0)
    rc = find_person(st, rec->key, &id, err);
  else if (strcmp(t, "organisation") == 0)
    rc = thema_store_ensure_name(st, "organisation", rec->key, &id, err);
  if (rc) return err->status;
  if (strcmp(t, "project") != 0 && !id)
    return thema_sink_broken(s, err, "a memo on something not imported");
  /* The same memo on the same target is kept once: importing a project
   * again does not double its notes. */
  ThemaValue v[2] = {{.type = THEMA_VALUE_TEXT, .s = t, .len = strlen(t)},
                     {.type = THEMA_VALUE_INT, .i = id}};
  ThemaFilter f[2] = {{.key = "target", .values = &v[0], .nvalues = 1},
                      {.key = "target_id", .values = &v[1], .nvalues = 1}};
  ThemaCursor *c = NULL;
  int same = 0, step;
  if (thema_query_open(st, THEMA_MEMOS, f, strcmp(t, "project") == 0 ? 1 : 2, &c, err))
    return err->status;
  while (!same && (step = thema_cursor_step(c, err)) == 1)
    same =
        strcmp(thema_cursor_text(c, thema_cursor_column(c, "text"), NULL), rec->text) == 0;
  thema_cursor_close(c);
  if (err->status || same) return err->status;
  return thema_memo_add(st, t, id, rec->author, rec->text, &memo_id, err);
}

static int store_same_text(ThemaSink *s, const char *name, const char *text, size_t len,
                           int *same, ThemaError *err) {
  ThemaValue key = {.type = THEMA_VALUE_TEXT, .s = name, .len = strlen(name)};
  ThemaCursor *c = NULL;
  if (thema_query_source(((ThemaSinkStore *)s)->st, &key, &c, err)) return err->status;
  int rc = thema_cursor_step(c, err);
  if (rc == 1) {
    size_t n = 0;
    const char *stored = thema_cursor_text(c, thema_cursor_column(c, "text"), &n);
    *same = n == len && memcmp(stored, text, n) == 0;
  }
  thema_cursor_close(c);
  return rc < 0 ? err->status : THEMA_OK;
}

static void store_release(ThemaSink *s) {
  ThemaSinkStore *ss = (ThemaSinkStore *)s;
  free(ss->speakers);
  free(ss->segment_source);
  ss->speakers = NULL;
  ss->segment_source = NULL;
}

static const ThemaSinkOps store_ops = {
    .begin_source = store_begin_source,
    .add_segment = store_add_segment,
    .end_source = store_end_source,
    .add_observation = store_add_observation,
    .find_source = store_find_source,
    .source_names = store_source_names,
    .add_speaker = store_add_speaker,
    .add_organisation = store_add_organisation,
    .find_segment = store_find_segment,
    .begin_coder = store_begin_coder,
    .add_coding = store_add_coding,
    .add_code = store_add_code,
    .add_case = store_add_case,
    .add_memo = store_add_memo,
    .same_text = store_same_text,
    .release = store_release,
};

void thema_sink_store_init(ThemaSinkStore *s, ThemaStore *st, int replace,
                           ThemaImportResult *res) {
  memset(s, 0, sizeof *s);
  thema_sink_init(&s->base, &store_ops, res);
  s->st = st;
  s->replace = replace;
}

int thema_import_with(ThemaReader reader, ThemaStore *st, const char *path,
                      const ThemaImportOptions *opt, ThemaImportResult *res,
                      ThemaError *err) {
  ThemaSinkStore sink;
  thema_sink_store_init(&sink, st, opt && opt->replace, res);
  reader(&sink.base, path, opt, err);
  thema_sink_free(&sink.base);
  return err->status;
}

int thema_import_transcript(ThemaStore *st, const char *path, const ThemaImportOptions *opt,
                            ThemaImportResult *res, ThemaError *err) {
  return thema_import_with(thema_read_transcript, st, path, opt, res, err);
}

int thema_import_document(ThemaStore *st, const char *path, const ThemaImportOptions *opt,
                          ThemaImportResult *res, ThemaError *err) {
  return thema_import_with(thema_read_document, st, path, opt, res, err);
}

int thema_import_monitor(ThemaStore *st, const char *path, const ThemaImportOptions *opt,
                         ThemaImportResult *res, ThemaError *err) {
  return thema_import_with(thema_read_monitor, st, path, opt, res, err);
}

int thema_import_cases(ThemaStore *st, const char *path, const ThemaImportOptions *opt,
                       ThemaImportResult *res, ThemaError *err) {
  return thema_import_with(thema_read_cases, st, path, opt, res, err);
}

int thema_import_codings(ThemaStore *st, const char *path, const ThemaImportOptions *opt,
                         ThemaImportResult *res, ThemaError *err) {
  return thema_import_with(thema_read_codings, st, path, opt, res, err);
}

int thema_import_qdpx(ThemaStore *st, const char *path, const ThemaImportOptions *opt,
                      ThemaImportResult *res, ThemaError *err) {
  return thema_import_with(thema_read_qdpx, st, path, opt, res, err);
}

int thema_import_qdc(ThemaStore *st, const char *path, const ThemaImportOptions *opt,
                     ThemaImportResult *res, ThemaError *err) {
  return thema_import_with(thema_read_qdc, st, path, opt, res, err);
}
