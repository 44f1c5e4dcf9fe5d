/*
 * cases.c — cases: who speaks, for which organisation, in which networks.
 * Two CSV shapes, told apart by their header:
 *   speakers:      source,speaker[,person][,organisation][,role][,from][,to]
 *                  [,attribute...] (source "*": the speaker label in every
 *                  source; a row with from or to, ISO dates, is an
 *                  affiliation: the person's organisation in that period)
 *   organisations: organisation,network[,attribute...]
 * Extra columns become attributes of the person or the organisation. A file
 * is checked as a whole: a speaker mapped twice, a person or organisation
 * given two different values, or an unknown source is an error naming both
 * lines where that helps. Rows of one person with dates may name different
 * organisations (a party renamed or left mid-corpus), but their periods
 * must not overlap. What the file said before is remembered here, in
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
  ThemaKeys dated;     /* persons with dated rows; each key's index numbers the person */
  long *last_period;   /* by that index: the person's last period in periods, -1 none */
  size_t capdated;
  struct Period {    /* a dated row: a period of one person */
    char *from, *to; /* owned; NULL for open */
    char *org;       /* owned */
    long line;       /* where it was given */
    long prev;       /* the person's period before it, -1 for none */
  } * periods;
  size_t nperiods, capperiods;

  int c_source, c_speaker, c_person, c_org, c_role, c_network; /* columns, -1: absent */
  int c_from, c_to;                                            /* the same */
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
        i == c->c_role || i == c->c_network || i == c->c_from || i == c->c_to ||
        !*row->fields[i])
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

/* Whether s is an ISO date, YYYY-MM-DD. */
static int iso_date(const char *s) {
  for (int i = 0; i < 10; i++)
    if (i == 4 || i == 7 ? s[i] != '-' : (s[i] < '0' || s[i] > '9')) return 0;
  int month = (s[5] - '0') * 10 + (s[6] - '0'), day = (s[8] - '0') * 10 + (s[9] - '0');
  return s[10] == '\0' && month >= 1 && month <= 12 && day >= 1 && day <= 31;
}

/* The row's from/to cell at column col (-1: none): NULL when empty, else a
 * checked ISO date. */
static int date_cell(Cases *c, const ThemaCsvRow *row, int col, const char **out,
                     ThemaError *err) {
  *out = NULL;
  if (col < 0 || !*row->fields[col]) return THEMA_OK;
  if (!iso_date(row->fields[col]))
    return thema_error_at(err, THEMA_EINPUT, c->path, row->line, col + 1,
                          "'%s' is not a date; write %s as YYYY-MM-DD (e.g. 2019-05-26) or "
                          "leave it empty for an open period",
                          row->fields[col], c->header[col]);
  *out = row->fields[col];
  return THEMA_OK;
}

/* Periods [f1, t1] and [f2, t2] share a day; NULL is open. */
static int overlap(const char *f1, const char *t1, const char *f2, const char *t2) {
  return (!f1 || !t2 || strcmp(f1, t2) <= 0) && (!f2 || !t1 || strcmp(f2, t1) <= 0);
}

/* Remember person's period [from, to] with org on line, refusing one that
 * overlaps an earlier period of the same person; *first = 1 when it is the
 * person's first. */
static int add_period(Cases *c, const char *person, const char *org, const char *from,
                      const char *to, long line, int *first, ThemaError *err) {
  size_t n = strlen(person);
  ThemaKey *k = thema_keys_find(&c->dated, person, n);
  *first = k == NULL;
  if (!k) {
    k = thema_keys_add(&c->dated, person, n, line, NULL);
    if (k->index >= c->capdated) {
      c->capdated = c->capdated ? 2 * c->capdated : 64;
      c->last_period = thema_xrealloc(c->last_period, c->capdated * sizeof *c->last_period);
    }
    c->last_period[k->index] = -1;
  }
  for (long i = c->last_period[k->index]; i >= 0; i = c->periods[i].prev) {
    const struct Period *p = &c->periods[i];
    if (overlap(p->from, p->to, from, to))
      return thema_error_at(err, THEMA_EINPUT, c->path, line, 0,
                            "person '%s' is with '%s' from %s to %s here, which overlaps "
                            "line %ld ('%s' from %s to %s); make the periods follow each "
                            "other (to is the last day, inclusive)",
                            person, org, from ? from : "the start", to ? to : "the end",
                            p->line, p->org, p->from ? p->from : "the start",
                            p->to ? p->to : "the end");
  }
  if (c->nperiods == c->capperiods) {
    c->capperiods = c->capperiods ? 2 * c->capperiods : 64;
    c->periods = thema_xrealloc(c->periods, c->capperiods * sizeof *c->periods);
  }
  c->periods[c->nperiods] =
      (struct Period){from ? thema_xstrdup(from) : NULL, to ? thema_xstrdup(to) : NULL,
                      thema_xstrdup(org), line, c->last_period[k->index]};
  c->last_period[k->index] = (long)c->nperiods++;
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
  int nattrs = 0, first_dated = 0;
  const char *from = NULL, *to = NULL;
  if (date_cell(c, row, c->c_from, &from, err) || date_cell(c, row, c->c_to, &to, err))
    goto done;
  int dated = from || to;
  if (dated && !*org) {
    thema_error_at(err, THEMA_EINPUT, c->path, row->line, 0,
                   "a row with from or to gives the organisation of that period; fill in "
                   "organisation or leave the dates empty");
    goto done;
  }
  if (from && to && strcmp(from, to) > 0) {
    thema_error_at(err, THEMA_EINPUT, c->path, row->line, c->c_to + 1,
                   "the period ends (%s) before it begins (%s); swap from and to", to,
                   from);
    goto done;
  }
  /* Dated rows may map a speaker again, to the same person; the person's
   * undated organisation and role are checked to agree as before. */
  thema_buf_reset(&c->text);
  thema_buf_printf(&c->text, "organisation '%s', role '%s'", org, role);
  if (dated ? seen_once(c, "dated speaker", source, label, both.data, person, row->line, 0,
                        err)
            : seen_once(c, "speaker", source, label, both.data, "", row->line, 1, err) ||
                  seen_once(c, "person", person, NULL, person, thema_buf_str(&c->text),
                            row->line, 0, err))
    goto done;
  if (dated && add_period(c, person, org, from, to, row->line, &first_dated, err))
    goto done;
  if (!attributes(c, row, "person", person, &nattrs, err)) {
    /* Has the file given this person an undated row (so far)? */
    thema_buf_reset(&c->key);
    thema_keys_part(&c->key, "person", 6);
    thema_keys_part(&c->key, person, strlen(person));
    int keep_own = thema_keys_find(&c->seen, c->key.data, c->key.len) != NULL;
    ThemaSpeakerRec rec = {.source = source,
                           .label = label,
                           .person = person,
                           .organisation = *org ? org : NULL,
                           .role = *role ? role : NULL,
                           .keys = c->keys,
                           .values = c->values,
                           .nattrs = nattrs,
                           .dated = dated,
                           .valid_from = from,
                           .valid_to = to,
                           .first_dated = first_dated,
                           .keep_own = keep_own};
    if (thema_sink_add_speaker(c->sink, &rec, err) == THEMA_EINPUT && everywhere) {
      char why[sizeof err->msg];
      thema_error_at(err, THEMA_EINPUT, c->path, row->line, 0, "%s",
                     thema_error_take(err, why));
    }
  }
done:
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
  c->c_from = thema_csv_column(row, "from");
  c->c_to = thema_csv_column(row, "to");
  if (c->c_speaker >= 0 && c->c_source >= 0) {
    c->is_speakers = 1;
    c->c_network = -1;
    return THEMA_OK;
  }
  if (c->c_org >= 0 && c->c_network >= 0 && c->c_speaker < 0) {
    c->c_source = c->c_person = c->c_role = c->c_from = c->c_to = -1;
    return THEMA_OK;
  }
  return thema_error_at(
      err, THEMA_EINPUT, c->path, row->line, 0,
      "unrecognised cases header; expected "
      "'source,speaker[,person][,organisation][,role][,from][,to],...' or "
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
  thema_keys_clear(&c.dated);
  for (size_t i = 0; i < c.nperiods; i++) {
    free(c.periods[i].from);
    free(c.periods[i].to);
    free(c.periods[i].org);
  }
  free(c.periods);
  free(c.last_period);
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
