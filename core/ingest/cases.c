/*
 * cases.c — cases: who speaks, for which organisation, in which networks.
 * Two CSV shapes, told apart by their header:
 *   speakers:      source,speaker[,person][,organisation][,role][,attribute...]
 *                  (source "*": the speaker label in every source)
 *   organisations: organisation,network[,attribute...]
 * Extra columns become attributes of the person or the organisation. A file
 * is checked as a whole: a speaker mapped twice, a person or organisation
 * given two different values, or an unknown source is an error naming both
 * lines where that helps. What the file said before is remembered here, in
 * memory and whole (keys of any length), not in the store.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ingest/ingest.h"
#include "ingest/keys.h"
#include "ingest/sniff.h"
#include "text/csv.h"

typedef struct Cases {
  ThemaSink *sink;     /* where the rows go */
  const char *path;    /* the file, for messages */
  int is_speakers;     /* a speakers file (else organisations) */
  char **header;       /* header texts, owned */
  int width;           /* header cells */
  long rows;           /* data rows read */
  ThemaKeys seen;      /* what the file said so far: key -> first line, value */
  ThemaBuf key;        /* scratch: a seen key */
  ThemaBuf shown;      /* scratch: how a key is named in a message */
  ThemaBuf text;       /* scratch: a person's default name, a seen value */
  const char **keys;   /* scratch: a row's attributes, width entries */
  const char **values; /* and their values */

  int c_source, c_speaker, c_person, c_org, c_role, c_network; /* columns, -1: absent */
} Cases;

/* Remember that what k1 [k2] (named `shown` in messages) is value on line;
 * with must_be_new, having seen it at all is the error, else a different
 * value seen before is. */
static int seen_once(Cases *c, const char *what, const char *k1, const char *k2,
                     const char *shown, const char *value, long line, int must_be_new,
                     ThemaError *err) {
  thema_buf_reset(&c->key);
  thema_keys_part(&c->key, what, strlen(what));
  thema_keys_part(&c->key, k1, strlen(k1));
  if (k2) thema_keys_part(&c->key, k2, strlen(k2));
  const ThemaKey *first = thema_keys_find(&c->seen, c->key.data, c->key.len);
  if (!first) {
    thema_keys_add(&c->seen, c->key.data, c->key.len, line, value);
    return THEMA_OK;
  }
  if (must_be_new)
    return thema_error_at(err, THEMA_EINPUT, c->path, line, 0,
                          "%s '%s' is already mapped on line %ld; map each "
                          "speaker once",
                          what, shown, first->line);
  if (strcmp(first->value, value) != 0)
    return thema_error_at(err, THEMA_EINPUT, c->path, line, 0,
                          "%s '%s' is given as '%s' here but as '%s' on line %ld; "
                          "make them agree",
                          what, shown, value, first->value, first->line);
  return THEMA_OK;
}

/* The row's extra columns as attributes of entity `name`, each checked
 * against what the file said before; *n of them in c->keys, c->values. */
static int attributes(Cases *c, const ThemaCsvRow *row, const char *entity,
                      const char *name, int *n, ThemaError *err) {
  *n = 0;
  for (int i = 0; i < row->n; i++) {
    if (i == c->c_source || i == c->c_speaker || i == c->c_person || i == c->c_org ||
        i == c->c_role || i == c->c_network || !*row->fields[i])
      continue;
    thema_buf_reset(&c->shown);
    thema_buf_printf(&c->shown, "%s', column '%s", name, c->header[i]);
    if (seen_once(c, entity, name, c->header[i], thema_buf_str(&c->shown), row->fields[i],
                  row->line, 0, err))
      return err->status;
    c->keys[*n] = c->header[i];
    c->values[*n] = row->fields[i];
    (*n)++;
  }
  return THEMA_OK;
}

static int unknown_source(Cases *c, const ThemaCsvRow *row, const char *source,
                          ThemaError *err) {
  ThemaBuf hint = {0};
  thema_sink_source_names(c->sink, "transcript", 8, &hint, err);
  thema_error_at(err, THEMA_EINPUT, c->path, row->line, c->c_source + 1,
                 "unknown source '%s'; import it first or fix the name "
                 "(sources: %s)",
                 source, hint.len ? hint.data : "none yet");
  thema_buf_free(&hint);
  return err->status;
}

static int speaker_row(Cases *c, const ThemaCsvRow *row, ThemaError *err) {
  const char *source = row->fields[c->c_source];
  const char *label = row->fields[c->c_speaker];
  if (!*source || !*label)
    return thema_error_at(err, THEMA_EINPUT, c->path, row->line, 0,
                          "source and speaker must not be empty");
  /* Source "*": the label in every source (a member of parliament across
   * the sittings), whose person is by default the label itself. */
  int everywhere = strcmp(source, "*") == 0, found = 0;
  if (!everywhere && thema_sink_find_source(c->sink, source, &found, err))
    return err->status;
  if (!everywhere && !found) return unknown_source(c, row, source, err);
  /* "source label": how a speaker is named, and a person's name by default. */
  ThemaBuf both = {0};
  thema_buf_printf(&both, everywhere ? "%.0s%s" : "%s %s", source, label);
  const char *org = c->c_org >= 0 ? row->fields[c->c_org] : "";
  const char *role = c->c_role >= 0 ? row->fields[c->c_role] : "";
  const char *person =
      c->c_person >= 0 && *row->fields[c->c_person] ? row->fields[c->c_person] : both.data;
  int nattrs = 0;
  thema_buf_reset(&c->text);
  thema_buf_printf(&c->text, "organisation '%s', role '%s'", org, role);
  if (!seen_once(c, "speaker", source, label, both.data, "", row->line, 1, err) &&
      !seen_once(c, "person", person, NULL, person, thema_buf_str(&c->text), row->line, 0,
                 err) &&
      !attributes(c, row, "person", person, &nattrs, err)) {
    ThemaSpeakerRec rec = {.source = source,
                           .label = label,
                           .person = person,
                           .organisation = *org ? org : NULL,
                           .role = *role ? role : NULL,
                           .keys = c->keys,
                           .values = c->values,
                           .nattrs = nattrs};
    if (thema_sink_add_speaker(c->sink, &rec, err) == THEMA_EINPUT && everywhere) {
      char why[sizeof err->msg];
      snprintf(why, sizeof why, "%s", err->msg);
      thema_error_clear(err);
      thema_error_at(err, THEMA_EINPUT, c->path, row->line, 0, "%s", why);
    }
  }
  thema_buf_free(&both);
  return err->status;
}

static int organisation_row(Cases *c, const ThemaCsvRow *row, ThemaError *err) {
  const char *org = row->fields[c->c_org];
  const char *network = row->fields[c->c_network];
  if (!*org)
    return thema_error_at(err, THEMA_EINPUT, c->path, row->line, c->c_org + 1,
                          "organisation must not be empty");
  int nattrs = 0;
  if (attributes(c, row, "organisation", org, &nattrs, err)) return err->status;
  ThemaOrganisationRec rec = {.name = org,
                              .network = *network ? network : NULL,
                              .keys = c->keys,
                              .values = c->values,
                              .nattrs = nattrs};
  return thema_sink_add_organisation(c->sink, &rec, err);
}

static int on_header(Cases *c, const ThemaCsvRow *row, ThemaError *err) {
  c->width = row->n;
  c->header = thema_xmalloc((size_t)row->n * sizeof *c->header);
  c->keys = thema_xmalloc((size_t)row->n * sizeof *c->keys);
  c->values = thema_xmalloc((size_t)row->n * sizeof *c->values);
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

static int on_row(const ThemaCsvRow *row, void *ud, ThemaError *err) {
  Cases *c = ud;
  if (!c->header) return on_header(c, row, err);
  c->rows++;
  thema_sink_count_row(c->sink);
  return c->is_speakers ? speaker_row(c, row, err) : organisation_row(c, row, err);
}

int thema_parse_cases(ThemaSink *sink, const char *path, const ThemaInput *in,
                      ThemaError *err) {
  Cases c = {.sink = sink, .path = path};
  if (thema_csv_read(path, in->buf.data, in->buf.len, 0, on_row, &c, err)) goto done;
  if (c.rows == 0)
    thema_error_at(err, THEMA_EINPUT, path, 0, 0, "no data rows under the header");
done:
  for (int i = 0; c.header && i < c.width; i++) free(c.header[i]);
  free(c.header);
  free(c.keys);
  free(c.values);
  thema_keys_clear(&c.seen);
  thema_buf_free(&c.key);
  thema_buf_free(&c.shown);
  thema_buf_free(&c.text);
  return err->status;
}

int thema_read_cases(ThemaSink *sink, const char *path, const ThemaImportOptions *opt,
                     ThemaError *err) {
  (void)opt;
  ThemaInput in = {0};
  if (!thema_sniff_require(path, "cases", NULL, err) && !thema_input_load(path, &in, err))
    thema_parse_cases(sink, path, &in, err);
  thema_input_free(&in);
  return err->status;
}
