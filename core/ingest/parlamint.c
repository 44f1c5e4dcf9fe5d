/*
 * parlamint.c — ParlaMint's sittings: its TEI files (tei.c), and its text
 * export, where each sitting is NAME.txt with one "utterance-id TAB text"
 * line per utterance and NAME-meta.tsv beside it with one row per
 * utterance: the sitting's title, date, body, term..., and the speaker's
 * name, party, gender, birth year, role, whether an MP or minister.
 *
 * One sitting is one transcript: a turn per utterance, labelled with the
 * speaker's name. Speakers become cases: after the source, each name is
 * mapped to the person of that name (one person across sittings), whose
 * organisation is the party (its abbreviation, as ParlaMint prints it) and
 * whose attributes are the other Speaker_ and Party_ columns (keys lower
 * case without "Speaker_": party, party_name, gender, birth, mp, minister,
 * id, party_status, party_orientation...). The sitting's columns of the
 * first row (body, term, session, meeting, sitting, subcorpus...) become
 * source attributes; Title and Date the source's title and date. "-" means
 * unknown, as in ParlaMint.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "base/fs.h"
#include "base/hash.h"
#include "ingest/keys.h"
#include "ingest/office.h"
#include "text/csv.h"

typedef struct Meta {
  const char *path; /* the -meta.tsv file */
  char **header;    /* column names; owned */
  int ncols;        /* columns */
  char ***rows;     /* rows[i][c]; owned */
  long *lines;      /* each row's line */
  size_t n, cap;    /* rows read and allocated */
  ThemaKeys ids;    /* utterance ID -> row (value: the row index as text) */
  int col_id;       /* the ID column */
} Meta;

static void meta_free(Meta *m) {
  for (int c = 0; c < m->ncols; c++) free(m->header[c]);
  free(m->header);
  for (size_t i = 0; i < m->n; i++) {
    for (int c = 0; c < m->ncols; c++) free(m->rows[i][c]);
    free(m->rows[i]);
  }
  free(m->rows);
  free(m->lines);
  thema_keys_clear(&m->ids);
}

static int meta_row(const ThemaCsvRow *row, void *ud, ThemaError *err) {
  Meta *m = ud;
  if (!m->header) {
    m->ncols = row->n;
    m->header = thema_xmalloc((size_t)row->n * sizeof *m->header);
    for (int c = 0; c < row->n; c++) m->header[c] = thema_xstrdup(row->fields[c]);
    m->col_id = thema_csv_column(row, "ID");
    if (m->col_id < 0)
      return thema_error_at(err, THEMA_EINPUT, m->path, row->line, 0,
                            "no ID column; ParlaMint's meta file starts "
                            "'Text_ID<TAB>ID<TAB>Title<TAB>Date...'");
    return THEMA_OK;
  }
  const char *id = row->fields[m->col_id];
  ThemaKey *k = thema_keys_find(&m->ids, id, strlen(id));
  if (k)
    return thema_error_at(err, THEMA_EINPUT, m->path, row->line, 0,
                          "utterance '%s' is given twice (first on line %ld)", id, k->line);
  if (m->n == m->cap) {
    m->cap = m->cap ? 2 * m->cap : 64;
    m->rows = thema_xrealloc(m->rows, m->cap * sizeof *m->rows);
    m->lines = thema_xrealloc(m->lines, m->cap * sizeof *m->lines);
  }
  char **r = thema_xmalloc((size_t)m->ncols * sizeof *r);
  for (int c = 0; c < m->ncols; c++) r[c] = thema_xstrdup(row->fields[c]);
  char index[32];
  snprintf(index, sizeof index, "%zu", m->n);
  thema_keys_add(&m->ids, id, strlen(id), row->line, index);
  m->lines[m->n] = row->line;
  m->rows[m->n++] = r;
  return THEMA_OK;
}

/* Row i's value of column name, NULL when absent, empty or "-". */
static const char *cell(const Meta *m, size_t i, const char *name) {
  for (int c = 0; c < m->ncols; c++)
    if (strcasecmp(m->header[c], name) == 0) {
      const char *v = m->rows[i][c];
      return *v && strcmp(v, "-") != 0 ? v : NULL;
    }
  return NULL;
}

/* Columns that describe the sitting (source attributes) and the speaker
 * (person attributes); the rest (ID, Text_ID, Lang...) are per utterance. */
static int sitting_column(const char *h) {
  static const char *const cols[] = {"Body",    "Term",      "Session", "Meeting",
                                     "Sitting", "Subcorpus", NULL};
  for (const char *const *c = cols; *c; c++)
    if (strcasecmp(h, *c) == 0) return 1;
  return 0;
}

typedef struct Utt {
  size_t row;        /* the meta row */
  size_t start, end; /* bytes of its text in the stored text */
  long line;         /* its line in the .txt */
} Utt;

static const char *speaker_of(const Meta *m, size_t row) {
  const char *s = cell(m, row, "Speaker_name");
  if (!s) s = cell(m, row, "Speaker_ID");
  return s ? s : "unknown speaker";
}

/* The speaker rows: each label once, with the first row's attributes. */
static int emit_speakers(ThemaSink *sink, const char *path, const Meta *m, const Utt *u,
                         size_t nu, ThemaError *err) {
  ThemaKeys seen = {0};
  char *source = thema_fs_stem(path);
  const char **keys = thema_xmalloc((size_t)(m->ncols + 1) * sizeof *keys);
  const char **values = thema_xmalloc((size_t)(m->ncols + 1) * sizeof *values);
  char **owned = thema_xmalloc((size_t)(m->ncols + 1) * sizeof *owned);
  for (size_t i = 0; i < nu && !err->status; i++) {
    const char *label = speaker_of(m, u[i].row);
    if (thema_keys_find(&seen, label, strlen(label))) continue;
    thema_keys_add(&seen, label, strlen(label), 0, NULL);
    int na = 0;
    for (int c = 0; c < m->ncols; c++) {
      const char *h = m->header[c];
      int spk = strncasecmp(h, "Speaker_", 8) == 0,
          party = strncasecmp(h, "Party_", 6) == 0;
      if (!spk && !party) continue;
      if (strcasecmp(h, "Speaker_name") == 0 || strcasecmp(h, "Speaker_role") == 0)
        continue;
      const char *v = cell(m, u[i].row, h);
      if (!v) continue;
      char *k = thema_xstrdup(spk ? h + 8 : h);
      for (char *p = k; *p; p++)
        if (*p >= 'A' && *p <= 'Z') *p = (char)(*p - 'A' + 'a');
      owned[na] = k;
      keys[na] = k;
      values[na++] = v;
    }
    ThemaSpeakerRec rec = {.source = source,
                           .label = label,
                           .person = label,
                           .organisation = cell(m, u[i].row, "Speaker_party"),
                           .role = cell(m, u[i].row, "Speaker_role"),
                           .keys = keys,
                           .values = values,
                           .nattrs = na};
    thema_sink_add_speaker(sink, &rec, err);
    for (int a = 0; a < na; a++) free(owned[a]);
  }
  free(keys);
  free(values);
  free(owned);
  free(source);
  thema_keys_clear(&seen);
  return err->status;
}

int thema_parse_parlamint(ThemaSink *sink, const char *path, const ThemaInput *txt,
                          const char *meta_path, const ThemaInput *meta, ThemaError *err) {
  Meta m = {.path = meta_path};
  ThemaBuf text = {0};
  ThemaMeta smeta = {0};
  Utt *u = NULL;
  size_t nu = 0, cap = 0;
  ThemaUtf8Cursor cursor = {0};
  int unchanged = 0;
  if (thema_csv_read(meta_path, meta->buf.data, meta->buf.len, '\t', meta_row, &m, err))
    goto done;
  if (!m.header) {
    thema_error_at(err, THEMA_EINPUT, meta_path, 0, 0, "the meta file is empty");
    goto done;
  }
  const char *s = txt->buf.data;
  size_t len = txt->buf.len;
  long line = 1;
  for (size_t ls = 0; ls < len; line++) {
    const char *nl = memchr(s + ls, '\n', len - ls);
    size_t le = nl ? (size_t)(nl - s) : len;
    size_t next = nl ? le + 1 : len;
    if (le == ls) {
      ls = next;
      continue;
    }
    const char *tab = memchr(s + ls, '\t', le - ls);
    if (!tab) {
      thema_error_at(err, THEMA_EINPUT, path, line, 0,
                     "expected 'utterance-id<TAB>text' as in ParlaMint's text export");
      goto done;
    }
    size_t idn = (size_t)(tab - (s + ls));
    ThemaKey *k = thema_keys_find(&m.ids, s + ls, idn);
    if (!k) {
      thema_error_at(
          err, THEMA_EINPUT, path, line, 0,
          "utterance '%.*s' is not in %s; is that the meta file of this sitting?", (int)idn,
          s + ls, meta_path);
      goto done;
    }
    size_t row = (size_t)strtoul(k->value, NULL, 10);
    size_t tb = (size_t)(tab - s) + 1, te = le;
    while (tb < te && (s[tb] == ' ' || s[tb] == '\t')) tb++;
    while (te > tb && (s[te - 1] == ' ' || s[te - 1] == '\t')) te--;
    if (tb == te) {
      ls = next;
      continue;
    }
    if (nu == cap) {
      cap = cap ? 2 * cap : 64;
      u = thema_xrealloc(u, cap * sizeof *u);
    }
    if (text.len) thema_buf_putc(&text, '\n');
    thema_buf_printf(&text, "%s: ", speaker_of(&m, row));
    u[nu].row = row;
    u[nu].start = text.len;
    thema_buf_append(&text, s + tb, te - tb);
    u[nu].end = text.len;
    u[nu++].line = line;
    ls = next;
  }
  if (nu == 0) {
    thema_error_at(err, THEMA_EINPUT, path, 0, 0, "no utterance with text found");
    goto done;
  }
  /* The sitting from the first utterance's row. */
  const char *keys[] = {"title", "date"}, *cols[] = {"Title", "Date"};
  for (int i = 0; i < 2; i++) {
    const char *v = cell(&m, u[0].row, cols[i]);
    if (!v) continue;
    smeta.keys = thema_xrealloc(smeta.keys, (size_t)(smeta.n + 1) * sizeof(char *));
    smeta.values = thema_xrealloc(smeta.values, (size_t)(smeta.n + 1) * sizeof(char *));
    smeta.keys[smeta.n] = thema_xstrdup(keys[i]);
    smeta.values[smeta.n++] = thema_xstrdup(v);
  }
  for (int c = 0; c < m.ncols; c++) {
    const char *v = cell(&m, u[0].row, m.header[c]);
    if (!v || !sitting_column(m.header[c])) continue;
    smeta.keys = thema_xrealloc(smeta.keys, (size_t)(smeta.n + 1) * sizeof(char *));
    smeta.values = thema_xrealloc(smeta.values, (size_t)(smeta.n + 1) * sizeof(char *));
    char *k = thema_xstrdup(m.header[c]);
    for (char *p = k; *p; p++)
      if (*p >= 'A' && *p <= 'Z') *p = (char)(*p - 'A' + 'a');
    smeta.keys[smeta.n] = k;
    smeta.values[smeta.n++] = thema_xstrdup(v);
  }
  /* The content is both files: a corrected meta file is a changed source. */
  char both[130], hash[65];
  snprintf(both, sizeof both, "%s%s", txt->hash, meta->hash);
  thema_hash_sha256(both, strlen(both), hash);
  ThemaSourceRec src = {.kind = "transcript",
                        .format = "parlamint",
                        .path = path,
                        .hash = hash,
                        .text = text.data,
                        .len = text.len,
                        .meta = &smeta};
  if (thema_sink_begin_source(sink, &src, &unchanged, err) || unchanged) goto done;
  for (size_t i = 0; i < nu; i++) {
    ThemaSegmentRec seg = {.ordinal = (long)i + 1,
                           .speaker = speaker_of(&m, u[i].row),
                           .section = cell(&m, u[i].row, "Agenda"),
                           .start =
                               thema_utf8_cursor_advance(&cursor, text.data, u[i].start),
                           .end = thema_utf8_cursor_advance(&cursor, text.data, u[i].end),
                           .text = text.data + u[i].start,
                           .len = u[i].end - u[i].start};
    if (thema_sink_add_segment(sink, &seg, err)) goto done;
  }
  if (!thema_sink_end_source(sink, err)) emit_speakers(sink, path, &m, u, nu, err);
done:
  meta_free(&m);
  thema_buf_free(&text);
  thema_meta_free(&smeta);
  free(u);
  return err->status;
}

/* NAME.txt -> NAME-meta.tsv; owned by the caller. */
static char *meta_path_of(const char *path) {
  size_t n = strlen(path);
  if (n > 4 && strcasecmp(path + n - 4, ".txt") == 0) n -= 4;
  char *out = thema_xmalloc(n + 10);
  memcpy(out, path, n);
  memcpy(out + n, "-meta.tsv", 10);
  return out;
}

int thema_read_parlamint(ThemaSink *sink, const char *path, const ThemaImportOptions *opt,
                         ThemaError *err) {
  (void)opt;
  ThemaSniff sn;
  ThemaInput txt = {0}, meta = {0};
  ThemaBuf raw = {0};
  char *meta_path = NULL;
  if (thema_sniff_require(path, "parlamint", &sn, err)) goto done;
  if (sn.format == THEMA_FORMAT_TEI) {
    char hash[65];
    if (thema_fs_read(path, &raw, err)) goto done;
    thema_hash_sha256(thema_buf_str(&raw), raw.len, hash);
    thema_parse_tei(sink, path, thema_buf_str(&raw), raw.len, hash, err);
    goto done;
  }
  meta_path = meta_path_of(path);
  FILE *probe = fopen(meta_path, "rb");
  if (!probe) {
    thema_error_at(
        err, THEMA_EINPUT, path, 0, 0,
        "its meta file %s is missing; ParlaMint's text export has a NAME-meta.tsv "
        "beside each NAME.txt: put it there (or import the sitting's TEI .xml)",
        meta_path);
    goto done;
  }
  fclose(probe);
  if (thema_sniff_require(meta_path, "parlamint", NULL, err) ||
      thema_input_load(path, &txt, err) || thema_input_load(meta_path, &meta, err))
    goto done;
  thema_parse_parlamint(sink, path, &txt, meta_path, &meta, err);
done:
  thema_input_free(&txt);
  thema_input_free(&meta);
  thema_buf_free(&raw);
  free(meta_path);
  return err->status;
}
