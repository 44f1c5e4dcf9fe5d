/*
 * qdpx.c — REFI-QDA projects in: the .qdpx zip (libzip), its one .qde
 * (refi.h parses, repairs and validates it), and the text sources it holds.
 *
 * What becomes what (docs/exchange.md has the whole table):
 *   User              the coder of the codings it created (its name)
 *   Code              a manual code, nested as in the codebook
 *   TextSource        a source: its text normalised as every thema text is (no
 *                     BOM, LF line ends), positions mapped onto it exactly
 *   PlainTextSelection + Coding   one coding per segment the selection covers
 *   Case + VariableValue          a person or an organisation and its attributes
 *   Note              a memo on what refers to it (unreferenced: on the project)
 *
 * Segments. A source thema exported carries its kind and format as variables
 * and is segmented again by the same reader (transcript turns, document
 * paragraphs), so a round trip gives the same segments and codings. Any
 * other source is a transcript when most of its lines are speaker turns
 * ("Name: ..."), and otherwise a document with one segment per non-empty line
 * (a paragraph, as QDA tools write plain text).
 *
 * Positions. ATLAS.ti counts CRLF as one position and NVivo counts UTF-16
 * units (the origin attribute says which tool wrote the project); the others
 * count code points. A selection that does not fit its text is an error,
 * never clamped; one covering several segments becomes a coding of each
 * (clipped to it), one covering only the blank space between segments is
 * reported and not stored.
 */
#include "ingest/qdpx.h"

#include <ctype.h>
#include <libxml/tree.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <zip.h>

#include "base/fs.h"
#include "base/hash.h"
#include "base/utf8.h"
#include "ingest/keys.h"
#include "ingest/refi.h"
#include "ingest/turn.h"
#include "text/meta.h"

typedef enum Units {
  UNITS_CODEPOINTS, /* the standard: code points of the file's text */
  UNITS_UTF16,      /* NVivo: UTF-16 code units (.NET string indexes) */
  UNITS_CRLF_ONE    /* ATLAS.ti: code points, CRLF counted as one */
} Units;

typedef struct Note {
  char *text;   /* owned */
  char *author; /* owned, NULL for none */
  long line;    /* of its <Note> */
  int used;     /* 1 once something referred to it */
} Note;

typedef struct Qde {
  ThemaSink *sink;
  const char *path;            /* "FILE.qdpx:project.qde", for messages */
  const char *archive;         /* "FILE.qdpx" (or path), for the sources' paths */
  const ThemaRefiFiles *files; /* the internal files, or NULL */
  Units units;
  ThemaKeys users;   /* user GUID key → name */
  ThemaKeys codes;   /* code GUID key → path */
  ThemaKeys vars;    /* variable GUID key → name */
  ThemaKeys notes;   /* note GUID key → index into notev */
  Note *notev;       /* owned */
  size_t nnotes;     /* how many */
  ThemaKeys coders;  /* coders begun */
  ThemaKeys names;   /* source names given */
  ThemaKeys sources; /* source GUID key → name */
  char *default_user;
  long split, gaps;    /* selections across segments; between segments only */
  char gap_where[256]; /* the first one between segments */
  int warned_bom, warned_crlf, warned_path, warned_nouser, warned_whole, warned_units;
  char *origin;    /* Project/@origin, owned; NULL for none */
  long media;      /* picture, PDF, audio, video sources left out */
  long case_links; /* SourceRef/SelectionRef of cases not kept */
} Qde;

static long line_of(xmlNodePtr n) { return n ? xmlGetLineNo(n) : 0; }

static int64_t attr_int(xmlNodePtr n, const char *name) {
  char *v = thema_refi_attr(n, name);
  int64_t x = v ? strtoll(v, NULL, 10) : 0;
  xmlFree(v);
  return x;
}

static const char *lookup(const ThemaKeys *k, const char *guid) {
  char key[37];
  thema_refi_key(guid, key);
  ThemaKey *e = key[0] ? thema_keys_find(k, key, strlen(key)) : NULL;
  return e ? e->value : NULL;
}

static void remember(ThemaKeys *k, const char *guid, long line, const char *value) {
  char key[37];
  thema_refi_key(guid, key);
  if (key[0] && !thema_keys_find(k, key, strlen(key)))
    thema_keys_add(k, key, strlen(key), line, value);
}

/* ---- notes ---- */

/* The texts of the notes n's NoteRef children point to, joined by blank
 * lines into out (appended); each note is marked used. */
static int note_refs(Qde *q, xmlNodePtr n, ThemaBuf *out, const char **author,
                     ThemaError *err) {
  for (xmlNodePtr r = thema_refi_child(n, "NoteRef"); r;
       r = thema_refi_next(r, "NoteRef")) {
    char *t = thema_refi_attr(r, "targetGUID");
    const char *i = lookup(&q->notes, t);
    if (!i) {
      thema_error_at(err, THEMA_EINPUT, q->path, line_of(r), 0,
                     "<NoteRef targetGUID=\"%s\"> refers to no <Note> of the project", t);
      xmlFree(t);
      return err->status;
    }
    xmlFree(t);
    Note *note = &q->notev[strtoul(i, NULL, 10)];
    note->used = 1;
    if (author && !*author) *author = note->author;
    thema_buf_printf(out, "%s%s", out->len ? "\n\n" : "", note->text);
  }
  return THEMA_OK;
}

/* A memo on target key from n's Description and notes, when it has any. */
static int memo_of(Qde *q, xmlNodePtr n, const char *target, const char *key,
                   int64_t ordinal, ThemaError *err) {
  ThemaBuf text = {0};
  const char *author = NULL;
  char *desc = thema_refi_child_text(n, "Description");
  if (desc && *desc) thema_buf_puts(&text, desc);
  xmlFree(desc);
  if (!note_refs(q, n, &text, &author, err) && text.len) {
    ThemaMemoRec m = {.target = target,
                      .key = key,
                      .ordinal = ordinal,
                      .author = author,
                      .text = text.data};
    thema_sink_add_memo(q->sink, &m, err);
  }
  thema_buf_free(&text);
  return err->status;
}

/* ---- internal files ---- */

/* The file a plainTextPath names, appended to raw; *where is its name for
 * messages (owned by the caller). */
static int read_file(Qde *q, xmlNodePtr src, const char *what, const char *p, ThemaBuf *raw,
                     char **where, ThemaError *err) {
  const char *name = p;
  if (strncmp(p, "internal://", 11) == 0)
    name = p + 11;
  else if (strstr(p, "://")) {
    return thema_error_at(err, THEMA_EINPUT, q->path, line_of(src), 0,
                          "%s: plainTextPath '%s' points outside the project; export the "
                          "project with its sources inside the .qdpx",
                          what, p);
  } else if (!q->warned_path++)
    thema_sink_warn(q->sink,
                    "%s:%ld: plainTextPath '%s' lacks 'internal://'; read from the archive "
                    "(and so for every such path)",
                    q->path, line_of(src), p);
  ThemaBuf w = {0};
  thema_buf_printf(&w, "%s:%s", q->archive, name);
  *where = thema_xstrdup(w.data);
  thema_buf_free(&w);
  int found = q->files ? q->files->read(q->files->ud, name, raw, err) : 0;
  if (found < 0) return err->status;
  if (!found)
    return thema_error_at(err, THEMA_EINPUT, q->path, line_of(src), 0,
                          "%s: its file '%s' is missing from the archive", what, name);
  return THEMA_OK;
}

/* ---- texts and positions ---- */

typedef struct Text {
  ThemaBuf norm; /* the text as thema stores it */
  int64_t *map;  /* position (in the project's units) → code point of norm; owned */
  size_t nunits; /* positions in the text: map has nunits + 1 entries */
  size_t ncp;    /* code points of norm */
} Text;

static void text_free(Text *t) {
  thema_buf_free(&t->norm);
  free(t->map);
}

/* raw (BOM stripped) into t: CRLF and CR become LF; map follows q->units. */
static int normalise(Qde *q, const char *where, const char *raw, size_t n, Text *t,
                     ThemaError *err) {
  if (n >= 3 && memcmp(raw, "\xEF\xBB\xBF", 3) == 0) {
    if (!q->warned_bom++)
      thema_sink_warn(q->sink,
                      "%s: starts with a byte order mark; read without it, positions not "
                      "counting it (and so for every such file)",
                      where);
    raw += 3;
    n -= 3;
  }
  size_t ok = thema_utf8_valid_prefix(raw, n);
  if (ok != n || memchr(raw, '\0', n)) {
    size_t bad = ok != n ? ok : (size_t)((const char *)memchr(raw, '\0', n) - raw);
    long line = 1, col = 1;
    for (size_t i = 0; i < bad; i++) {
      if (raw[i] == '\n')
        line++, col = 1;
      else if (((unsigned char)raw[i] & 0xC0) != 0x80)
        col++;
    }
    return thema_error_at(err, THEMA_EINPUT, where, line, col,
                          ok != n ? "not valid UTF-8 (REFI-QDA text sources are UTF-8)"
                                  : "a NUL byte in a text source");
  }
  t->map = thema_xmalloc((n + 1) * sizeof *t->map);
  size_t unit = 0, cp = 0;
  int crlf = 0;
  for (size_t i = 0; i < n;) {
    size_t len;
    int32_t c = thema_utf8_decode(raw + i, n - i, &len);
    if (c == '\r') {
      int pair = i + 1 < n && raw[i + 1] == '\n';
      crlf |= 1;
      /* CR of a CRLF: one position of its own except for ATLAS.ti */
      if (!(pair && q->units == UNITS_CRLF_ONE)) t->map[unit++] = (int64_t)cp;
      if (!pair) {
        thema_buf_putc(&t->norm, '\n');
        cp++;
      }
      i += len;
      continue;
    }
    t->map[unit++] = (int64_t)cp;
    if (q->units == UNITS_UTF16 && c > 0xFFFF) t->map[unit++] = (int64_t)cp;
    thema_buf_append(&t->norm, raw + i, len);
    cp++;
    i += len;
  }
  t->map[unit] = (int64_t)cp;
  t->nunits = unit;
  t->ncp = cp;
  if (crlf && !q->warned_crlf++)
    thema_sink_warn(q->sink,
                    "%s: CRLF or CR line ends; stored with LF, positions mapped %s (and so "
                    "for every such file)",
                    where,
                    q->units == UNITS_CRLF_ONE ? "counting CRLF as one (ATLAS.ti)"
                                               : "counting CR and LF apart");
  if (!t->norm.data) thema_buf_puts(&t->norm, "");
  return THEMA_OK;
}

/* ---- segmenting a source ---- */

/* A sink between a reader and the real one: names the source, sets its
 * format and front matter from the project's variables, and keeps the
 * segments' spans for the codings. */
typedef struct Tap {
  ThemaSink base;        /* first */
  ThemaImportResult res; /* the tap's own counts (the inner sink's matter) */
  ThemaSink *inner;
  const char *name, *format;
  const ThemaMeta *meta;
  const char *text; /* the text given to the reader */
  int skipped;      /* 1 when the reader took front matter off the text */
  int unchanged;    /* 1 when the inner sink holds this source already */
  int begun;        /* 1 once the source was passed on */
  int64_t *spans;   /* start, end per segment; owned */
  size_t n, cap;
} Tap;

static int tap_begin(ThemaSink *s, const ThemaSourceRec *src, int *unchanged,
                     ThemaError *err) {
  Tap *t = (Tap *)s;
  if (src->text != t->text) {
    t->skipped = 1;
    return thema_error_set(err, THEMA_EINPUT, "front matter");
  }
  ThemaSourceRec rec = *src;
  rec.name = t->name;
  if (t->format) rec.format = t->format;
  rec.meta = t->meta;
  if (thema_sink_begin_source(t->inner, &rec, unchanged, err)) return err->status;
  t->begun = 1;
  t->unchanged = *unchanged;
  return THEMA_OK;
}

static int tap_segment(ThemaSink *s, const ThemaSegmentRec *seg, long speaker, int first,
                       ThemaError *err) {
  Tap *t = (Tap *)s;
  (void)speaker, (void)first;
  if (t->n == t->cap) {
    t->cap = t->cap ? 2 * t->cap : 64;
    t->spans = thema_xrealloc(t->spans, 2 * t->cap * sizeof *t->spans);
  }
  t->spans[2 * t->n] = (int64_t)seg->start;
  t->spans[2 * t->n + 1] = (int64_t)seg->end;
  t->n++;
  return thema_sink_add_segment(t->inner, seg, err);
}

static int tap_end(ThemaSink *s, ThemaError *err) {
  return thema_sink_end_source(((Tap *)s)->inner, err);
}

static int tap_other(ThemaSink *s, ThemaError *err) {
  return thema_sink_broken(s, err, "a reader of a text source emitted something else");
}
static int tap_observation(ThemaSink *s, const ThemaObservationRec *o, ThemaError *err) {
  (void)o;
  return tap_other(s, err);
}

static const ThemaSinkOps tap_ops = {
    .begin_source = tap_begin,
    .add_segment = tap_segment,
    .end_source = tap_end,
    .add_observation = tap_observation,
};

static void tap_init(Tap *t, ThemaSink *inner, const char *name, const char *format,
                     const ThemaMeta *meta, const char *text) {
  memset(t, 0, sizeof *t);
  thema_sink_init(&t->base, &tap_ops, &t->res);
  t->inner = inner;
  t->name = name;
  t->format = format;
  t->meta = meta;
  t->text = text;
}

static void tap_free(Tap *t) {
  thema_sink_free(&t->base);
  free(t->spans);
}

/* Every non-empty line (trimmed) as a paragraph. */
static int segment_lines(Tap *t, const char *where, const ThemaInput *in, ThemaError *err) {
  const char *s = in->buf.data;
  size_t len = in->buf.len;
  ThemaSourceRec src = {.kind = "document",
                        .format = "txt",
                        .path = where,
                        .hash = in->hash,
                        .text = s,
                        .len = len};
  int unchanged = 0;
  if (thema_sink_begin_source(&t->base, &src, &unchanged, err) || unchanged)
    return err->status;
  ThemaUtf8Cursor cur = {0};
  long ordinal = 0;
  for (size_t ls = 0; ls <= len;) {
    const char *nl = memchr(s + ls, '\n', len - ls);
    size_t le = nl ? (size_t)(nl - s) : len, b = ls, e = le;
    while (b < e && (s[b] == ' ' || s[b] == '\t')) b++;
    while (e > b && (s[e - 1] == ' ' || s[e - 1] == '\t')) e--;
    if (b < e) {
      ThemaSegmentRec seg = {.ordinal = ++ordinal, .text = s + b, .len = e - b};
      seg.start = thema_utf8_cursor_advance(&cur, s, b);
      seg.end = thema_utf8_cursor_advance(&cur, s, e);
      if (thema_sink_add_segment(&t->base, &seg, err)) return err->status;
    }
    if (!nl) break;
    ls = le + 1;
  }
  return thema_sink_end_source(&t->base, err);
}

/* Whether in reads as a transcript; strict: with two turns or more, and
 * most lines starting one (what a text of another tool must show). */
static int reads_as_transcript(const ThemaInput *in, ThemaTurnPattern *pattern,
                               const char *where, int strict) {
  ThemaSinkNull null;
  ThemaError e = {0};
  thema_sink_null_init(&null);
  int ok = !thema_parse_transcript(&null.base, where, in, pattern, &e);
  long lines = 0;
  for (size_t i = 0, b = 0; i <= in->buf.len; i++)
    if (i == in->buf.len || in->buf.data[i] == '\n') {
      int blank = 1;
      for (size_t k = b; k < i; k++)
        blank &= in->buf.data[k] == ' ' || in->buf.data[k] == '\t';
      lines += !blank;
      b = i + 1;
    }
  ok = ok && null.text == in->buf.data &&
       (!strict || (null.res.segments >= 2 && 2 * null.res.segments >= lines));
  thema_sink_free(&null.base);
  return ok;
}

/* ---- one text source ---- */

typedef struct Vars {
  ThemaMeta meta; /* front matter for the reader; owned */
  char *kind;     /* "source kind": transcript or document; owned */
  char *format;   /* "format"; owned */
} Vars;

static void vars_free(Vars *v) {
  thema_meta_free(&v->meta);
  free(v->kind);
  free(v->format);
}

static void meta_add(ThemaMeta *m, const char *key, const char *value) {
  for (int i = 0; i < m->n; i++)
    if (strcmp(m->keys[i], key) == 0) return;
  m->keys = thema_xrealloc(m->keys, (size_t)(m->n + 1) * sizeof *m->keys);
  m->values = thema_xrealloc(m->values, (size_t)(m->n + 1) * sizeof *m->values);
  m->keys[m->n] = thema_xstrdup(key);
  m->values[m->n] = thema_xstrdup(value);
  m->n++;
}

/* The value of a <VariableValue> (whatever its type) and its variable's
 * name; both owned by the caller (xmlFree), NULL when unreadable. */
static int variable_value(Qde *q, xmlNodePtr vv, char **name, char **value,
                          ThemaError *err) {
  *name = *value = NULL;
  xmlNodePtr ref = thema_refi_child(vv, "VariableRef");
  char *t = ref ? thema_refi_attr(ref, "targetGUID") : NULL;
  const char *n = lookup(&q->vars, t);
  if (!n) {
    thema_error_at(err, THEMA_EINPUT, q->path, line_of(vv), 0,
                   "<VariableRef targetGUID=\"%s\"> refers to no <Variable> of the project",
                   t ? t : "");
    xmlFree(t);
    return err->status;
  }
  xmlFree(t);
  for (xmlNodePtr c = ref->next; c; c = c->next)
    if (c->type == XML_ELEMENT_NODE) {
      *value = (char *)xmlNodeGetContent(c);
      break;
    }
  *name = (char *)xmlStrdup((const xmlChar *)n);
  return THEMA_OK;
}

static int source_vars(Qde *q, xmlNodePtr src, Vars *v, ThemaError *err) {
  for (xmlNodePtr vv = thema_refi_child(src, "VariableValue"); vv;
       vv = thema_refi_next(vv, "VariableValue")) {
    char *name = NULL, *value = NULL;
    if (variable_value(q, vv, &name, &value, err)) return err->status;
    if (value && *value) {
      if (strcmp(name, "source kind") == 0) {
        free(v->kind);
        v->kind = thema_xstrdup(value);
      } else if (strcmp(name, "format") == 0) {
        free(v->format);
        v->format = thema_xstrdup(value);
      } else
        meta_add(&v->meta, strcmp(name, "genre") == 0 ? "kind" : name, value);
    }
    xmlFree(name);
    xmlFree(value);
  }
  return THEMA_OK;
}

/* A unique source name from name (or the file, or the GUID). */
static char *source_name(Qde *q, xmlNodePtr src, const char *file) {
  char *n = thema_refi_attr(src, "name");
  char *base = NULL;
  if (n && *n)
    base = thema_xstrdup(n);
  else if (file)
    base = thema_fs_stem(file);
  else {
    char *g = thema_refi_attr(src, "guid");
    base = thema_xstrdup(g ? g : "source");
    xmlFree(g);
  }
  xmlFree(n);
  ThemaBuf u = {0};
  thema_buf_puts(&u, base);
  for (int k = 2; thema_keys_find(&q->names, u.data, u.len); k++) {
    thema_buf_reset(&u);
    thema_buf_printf(&u, "%s (%d)", base, k);
  }
  if (strcmp(u.data, base) != 0)
    thema_sink_warn(q->sink, "%s:%ld: a second source named '%s'; stored as '%s'", q->path,
                    line_of(src), base, u.data);
  thema_keys_add(&q->names, u.data, u.len, line_of(src), NULL);
  free(base);
  char *out = thema_xstrdup(u.data);
  thema_buf_free(&u);
  return out;
}

/* The coder of a coding: its user, the selection's, the project's. */
static const char *coder_of(Qde *q, xmlNodePtr coding, xmlNodePtr sel) {
  xmlNodePtr from[] = {coding, sel};
  for (int i = 0; i < 2; i++) {
    char *u = thema_refi_attr(from[i], "creatingUser");
    const char *name = u ? lookup(&q->users, u) : NULL;
    if (u && !name) {
      /* a user GUID that <Users> does not list: the GUID names the coder */
      remember(&q->users, u, line_of(from[i]), u);
      thema_sink_warn(q->sink,
                      "%s:%ld: user %s is not among <Users>; coder named by its GUID",
                      q->path, line_of(from[i]), u);
      name = lookup(&q->users, u);
    }
    xmlFree(u);
    if (name) return name;
  }
  if (q->default_user) return q->default_user;
  if (!q->warned_nouser++)
    thema_sink_warn(
        q->sink,
        "%s:%ld: codings without a user; stored as coder 'refi-qda' (and so for "
        "every such coding)",
        q->path, line_of(coding));
  return "refi-qda";
}

/* The segments (index range [*lo, *hi)) that [b, e) covers; a zero-length
 * span takes the segment it lies in. */
static void covered(const Tap *t, int64_t b, int64_t e, size_t *lo, size_t *hi) {
  size_t l = 0, h = t->n;
  while (l < h) { /* first segment ending after b (or at b, for an empty span) */
    size_t m = (l + h) / 2;
    if (t->spans[2 * m + 1] < b || (t->spans[2 * m + 1] == b && b != e))
      l = m + 1;
    else
      h = m;
  }
  *lo = l;
  size_t k = l;
  while (k < t->n && (t->spans[2 * k] < e || (b == e && t->spans[2 * k] <= b))) k++;
  *hi = k;
}

static int add_coding(Qde *q, const char *source, const Tap *t, size_t seg, int64_t b,
                      int64_t e, const char *code, const char *coder, const char *memo,
                      ThemaError *err) {
  size_t n = strlen(coder);
  if (!thema_keys_find(&q->coders, coder, n)) {
    thema_keys_add(&q->coders, coder, n, 0, NULL);
    if (thema_sink_begin_coder(q->sink, coder, err)) return err->status;
  }
  int64_t sb = t->spans[2 * seg], se = t->spans[2 * seg + 1], fb, fe;
  int found = 0;
  if (thema_sink_find_segment(q->sink, source, (int64_t)seg + 1, &found, &fb, &fe, err))
    return err->status;
  if (!found) return thema_sink_broken(q->sink, err, "a segment just stored is not found");
  ThemaCodingRec rec = {.source = source,
                        .ordinal = (int64_t)seg + 1,
                        .start = b > sb ? b : sb,
                        .end = e < se ? e : se,
                        .code = code,
                        .coder = coder,
                        .memo = memo && *memo ? memo : NULL};
  if (rec.end < rec.start) rec.end = rec.start;
  return thema_sink_add_coding(q->sink, &rec, err);
}

static int selection(Qde *q, const char *source, const Tap *t, const Text *text,
                     xmlNodePtr sel, ThemaError *err) {
  int64_t b = attr_int(sel, "startPosition"), e = attr_int(sel, "endPosition");
  char *g = thema_refi_attr(sel, "guid");
  ThemaBuf what = {0}, memo = {0};
  thema_buf_printf(&what, "<PlainTextSelection guid=\"%s\">", g ? g : "");
  xmlFree(g);
  if (b < 0 || e < b || (size_t)e > text->nunits) {
    thema_error_at(err, THEMA_EINPUT, q->path, line_of(sel), 0,
                   "%s of source '%s': positions %lld..%lld do not fit its text of %zu "
                   "characters%s; nothing is stored",
                   what.data, source, (long long)b, (long long)e, text->nunits,
                   e < b ? " (the end is before the start)" : "");
    goto done;
  }
  int64_t cb = text->map[b], ce = text->map[e];
  size_t lo, hi;
  covered(t, cb, ce, &lo, &hi);
  char *desc = thema_refi_child_text(sel, "Description");
  if (desc && *desc) thema_buf_puts(&memo, desc);
  xmlFree(desc);
  const char *author = NULL;
  if (note_refs(q, sel, &memo, &author, err)) goto done;
  xmlNodePtr coding = thema_refi_child(sel, "Coding");
  if (lo == hi) {
    if (!q->gaps++)
      snprintf(q->gap_where, sizeof q->gap_where, "%s:%ld: %s of source '%s' (%lld..%lld)",
               q->path, line_of(sel), what.data, source, (long long)b, (long long)e);
    goto done;
  }
  if (hi - lo > 1 && coding) q->split++;
  if (!coding) { /* an annotation only: a memo on the segment it starts in */
    if (memo.len) {
      ThemaMemoRec m = {.target = "segment",
                        .key = source,
                        .ordinal = (int64_t)lo + 1,
                        .author = author,
                        .text = memo.data};
      thema_sink_add_memo(q->sink, &m, err);
    }
    goto done;
  }
  for (; coding && !err->status; coding = thema_refi_next(coding, "Coding")) {
    xmlNodePtr cref = thema_refi_child(coding, "CodeRef");
    char *target = cref ? thema_refi_attr(cref, "targetGUID") : NULL;
    const char *code = lookup(&q->codes, target);
    if (!code) {
      thema_error_at(
          err, THEMA_EINPUT, q->path, line_of(coding), 0,
          "<CodeRef targetGUID=\"%s\"> in %s refers to no <Code> of the codebook",
          target ? target : "", what.data);
      xmlFree(target);
      goto done;
    }
    xmlFree(target);
    ThemaBuf cmemo = {0};
    const char *cauthor = NULL;
    if (!note_refs(q, coding, &cmemo, &cauthor, err)) {
      const char *coder = coder_of(q, coding, sel);
      for (size_t k = lo; k < hi && !err->status; k++)
        add_coding(q, source, t, k, cb, ce, code, coder, cmemo.len ? cmemo.data : memo.data,
                   err);
    }
    thema_buf_free(&cmemo);
  }
done:
  thema_buf_free(&what);
  thema_buf_free(&memo);
  return err->status;
}

static int text_source(Qde *q, xmlNodePtr src, ThemaTurnPattern *pattern, ThemaError *err) {
  char *guid = thema_refi_attr(src, "guid"), *ptp = thema_refi_attr(src, "plainTextPath");
  char *content = thema_refi_child_text(src, "PlainTextContent");
  char *where = NULL, *name = NULL;
  ThemaBuf raw = {0}, what = {0};
  Text text = {0};
  Vars vars = {0};
  Tap tap;
  tap_init(&tap, q->sink, NULL, NULL, NULL, NULL);
  thema_buf_printf(&what, "<TextSource guid=\"%s\">", guid ? guid : "");
  if (content && ptp) {
    thema_error_at(
        err, THEMA_EINPUT, q->path, line_of(src), 0,
        "%s has both PlainTextContent and plainTextPath; the standard allows one",
        what.data);
    goto done;
  }
  if (content) {
    thema_buf_puts(&raw, content);
    where = thema_xstrdup(q->path);
  } else if (ptp) {
    if (read_file(q, src, what.data, ptp, &raw, &where, err)) goto done;
  } else {
    thema_error_at(err, THEMA_EINPUT, q->path, line_of(src), 0,
                   "%s has neither PlainTextContent nor plainTextPath", what.data);
    goto done;
  }
  name = source_name(q, src, ptp && !strstr(ptp, "://") ? ptp : NULL);
  remember(&q->sources, guid, line_of(src), name);
  if (normalise(q, where, raw.data ? raw.data : "", raw.len, &text, err) ||
      source_vars(q, src, &vars, err))
    goto done;
  if (q->units != UNITS_CODEPOINTS && !q->warned_units++)
    thema_sink_warn(q->sink, "%s: written by %s: positions read as %s", q->path, q->origin,
                    q->units == UNITS_UTF16
                        ? "UTF-16 units (as NVivo counts), not code points"
                        : "code points with CRLF as one (as ATLAS.ti counts)");
  ThemaInput in = {.buf = text.norm};
  thema_hash_sha256(raw.data ? raw.data : "", raw.len, in.hash);
  /* a source thema holds with this very text is kept, with its segments
   * (a project exported, coded elsewhere and brought back) */
  int same = 0;
  if (thema_sink_same_text(q->sink, name, text.norm.data, text.norm.len, &same, err))
    goto done;
  tap_init(&tap, q->sink, name, vars.format, &vars.meta, text.norm.data);
  if (same) tap.unchanged = 1;
  if (!same) {
    /* the reader: the one thema used, else what the text looks like */
    int transcript = vars.kind ? strcmp(vars.kind, "transcript") == 0
                               : reads_as_transcript(&in, pattern, where, 1);
    int document = vars.kind && strcmp(vars.kind, "document") == 0;
    if (vars.kind && transcript && !reads_as_transcript(&in, pattern, where, 0)) {
      thema_sink_warn(q->sink,
                      "%s: source '%s' was a transcript but its turns do not read with the "
                      "default speaker pattern; segmented by lines",
                      where, name);
      transcript = 0;
    }
    int segmented = 0;
    if (transcript || document) {
      if (transcript)
        thema_parse_transcript(&tap.base, where, &in, pattern, err);
      else
        thema_parse_document(&tap.base, where, &in,
                             vars.format && !strcmp(vars.format, "md"), err);
      if (err->status && !tap.begun) {
        /* the text starts like front matter (or is refused before anything
         * was stored): read it by lines */
        thema_sink_warn(q->sink,
                        "%s: source '%s' does not read as a %s; segmented by lines", where,
                        name, transcript ? "transcript" : "document");
        thema_error_clear(err);
      } else if (err->status)
        goto done;
      else
        segmented = 1;
    }
    if (!segmented && segment_lines(&tap, where, &in, err)) goto done;
  }
  if (tap.unchanged) { /* stored before: its segments are the store's */
    for (int64_t k = 1;; k++) {
      int found = 0;
      int64_t b = 0, e = 0;
      if (thema_sink_find_segment(q->sink, name, k, &found, &b, &e, err)) goto done;
      if (!found) break;
      if (tap.n == tap.cap) {
        tap.cap = tap.cap ? 2 * tap.cap : 64;
        tap.spans = thema_xrealloc(tap.spans, 2 * tap.cap * sizeof *tap.spans);
      }
      tap.spans[2 * tap.n] = b;
      tap.spans[2 * tap.n + 1] = e;
      tap.n++;
    }
  }
  q->sink->res->sources++;
  for (xmlNodePtr sel = thema_refi_child(src, "PlainTextSelection"); sel && !err->status;
       sel = thema_refi_next(sel, "PlainTextSelection"))
    selection(q, name, &tap, &text, sel, err);
  if (err->status) goto done;
  if (thema_refi_child(src, "Coding") && !q->warned_whole++)
    thema_sink_warn(q->sink,
                    "%s:%ld: codings of a whole source (not of a selection) are not kept",
                    q->path, line_of(src));
  memo_of(q, src, "source", name, 0, err);
done:
  tap_free(&tap);
  text_free(&text);
  vars_free(&vars);
  thema_buf_free(&raw);
  thema_buf_free(&what);
  xmlFree(guid);
  xmlFree(ptp);
  xmlFree(content);
  free(where);
  free(name);
  return err->status;
}

/* ---- the parts of the project ---- */

static int read_users(Qde *q, xmlNodePtr root) {
  xmlNodePtr users = thema_refi_child(root, "Users");
  for (xmlNodePtr u = thema_refi_child(users, "User"); u; u = thema_refi_next(u, "User")) {
    char *g = thema_refi_attr(u, "guid"), *n = thema_refi_attr(u, "name");
    /* a nameless user is named by its id, else by its GUID */
    char *id = n && *n ? NULL : thema_refi_attr(u, "id");
    remember(&q->users, g, line_of(u), n && *n ? n : id && *id ? id : g);
    xmlFree(g);
    xmlFree(n);
    xmlFree(id);
  }
  char *creator = thema_refi_attr(root, "creatingUserGUID");
  const char *name = creator ? lookup(&q->users, creator) : NULL;
  if (name) q->default_user = thema_xstrdup(name);
  xmlFree(creator);
  return THEMA_OK;
}

static int read_notes(Qde *q, xmlNodePtr root, ThemaError *err) {
  xmlNodePtr notes = thema_refi_child(root, "Notes");
  for (xmlNodePtr n = thema_refi_child(notes, "Note"); n && !err->status;
       n = thema_refi_next(n, "Note")) {
    char *g = thema_refi_attr(n, "guid"), *ptp = thema_refi_attr(n, "plainTextPath");
    char *content = thema_refi_child_text(n, "PlainTextContent");
    char *user = thema_refi_attr(n, "creatingUser"), *where = NULL;
    ThemaBuf raw = {0};
    Text text = {0};
    if (content)
      thema_buf_puts(&raw, content);
    else if (ptp)
      read_file(q, n, "<Note>", ptp, &raw, &where, err);
    if (!err->status && !normalise(q, where ? where : q->path, raw.data ? raw.data : "",
                                   raw.len, &text, err)) {
      char idx[32];
      snprintf(idx, sizeof idx, "%zu", q->nnotes);
      q->notev = thema_xrealloc(q->notev, (q->nnotes + 1) * sizeof *q->notev);
      const char *author = user ? lookup(&q->users, user) : NULL;
      q->notev[q->nnotes++] = (Note){.text = thema_xstrdup(thema_buf_str(&text.norm)),
                                     .author = author ? thema_xstrdup(author) : NULL,
                                     .line = line_of(n)};
      remember(&q->notes, g, line_of(n), idx);
    }
    text_free(&text);
    thema_buf_free(&raw);
    free(where);
    xmlFree(g);
    xmlFree(ptp);
    xmlFree(content);
    xmlFree(user);
  }
  return err->status;
}

static int code_seen(void *ud, const char *key, const char *path, ThemaError *err) {
  Qde *q = ud;
  (void)err;
  if (key[0] && !thema_keys_find(&q->codes, key, strlen(key)))
    thema_keys_add(&q->codes, key, strlen(key), 0, path);
  return THEMA_OK;
}

/* The memos (NoteRefs, and a Description only for... none: a code's
 * Description is its description) of every code under parent. */
static int code_memos(Qde *q, xmlNodePtr parent, ThemaError *err) {
  for (xmlNodePtr c = thema_refi_child(parent, "Code"); c && !err->status;
       c = thema_refi_next(c, "Code")) {
    char *g = thema_refi_attr(c, "guid");
    const char *path = lookup(&q->codes, g);
    xmlFree(g);
    ThemaBuf text = {0};
    const char *author = NULL;
    if (path && !note_refs(q, c, &text, &author, err) && text.len) {
      ThemaMemoRec m = {.target = "code", .key = path, .author = author, .text = text.data};
      thema_sink_add_memo(q->sink, &m, err);
    }
    thema_buf_free(&text);
    code_memos(q, c, err);
  }
  return err->status;
}

static int read_variables(Qde *q, xmlNodePtr root) {
  xmlNodePtr vars = thema_refi_child(root, "Variables");
  for (xmlNodePtr v = thema_refi_child(vars, "Variable"); v;
       v = thema_refi_next(v, "Variable")) {
    char *g = thema_refi_attr(v, "guid"), *n = thema_refi_attr(v, "name");
    remember(&q->vars, g, line_of(v), n);
    xmlFree(g);
    xmlFree(n);
  }
  return THEMA_OK;
}

/* Lines of s as a list (owned strings), trimmed, without empty ones. */
static int split_lines(const char *s, char ***out) {
  int n = 0;
  *out = NULL;
  for (const char *p = s; p && *p;) {
    const char *e = strchr(p, '\n');
    size_t len = e ? (size_t)(e - p) : strlen(p);
    size_t b = 0;
    while (b < len && isspace((unsigned char)p[b])) b++;
    while (len > b && isspace((unsigned char)p[len - 1])) len--;
    if (len > b) {
      *out = thema_xrealloc(*out, (size_t)(n + 1) * sizeof **out);
      (*out)[n++] = thema_xstrndup(p + b, len - b);
    }
    p = e ? e + 1 : p + strlen(p);
  }
  return n;
}

static void free_list(char **v, int n) {
  for (int i = 0; i < n; i++) free(v[i]);
  free(v);
}

/* Cases: organisations (a name another case gives as its organisation)
 * first, then persons with their speaker labels. */
static int read_cases(Qde *q, xmlNodePtr root, ThemaError *err) {
  xmlNodePtr cases = thema_refi_child(root, "Cases");
  if (!cases) return THEMA_OK;
  ThemaKeys orgs = {0};
  for (int pass = 0; pass < 3 && !err->status; pass++) {
    for (xmlNodePtr c = thema_refi_child(cases, "Case"); c && !err->status;
         c = thema_refi_next(c, "Case")) {
      char *name = thema_refi_attr(c, "name");
      if (!name || !*name) {
        char *g = thema_refi_attr(c, "guid");
        xmlFree(name);
        name = (char *)xmlStrdup((const xmlChar *)(g ? g : "case"));
        xmlFree(g);
      }
      /* an organisation: another case's organisation, one with networks, or
       * one thema exported as an organisation (its GUID says so) */
      char mine[37], *guid = thema_refi_attr(c, "guid");
      thema_refi_guid(mine, "organisation", name, 0);
      int is_org = thema_keys_find(&orgs, name, strlen(name)) != NULL ||
                   (guid && strcasecmp(guid, mine) == 0);
      xmlFree(guid);
      char **keys = NULL, **values = NULL, **nets = NULL, **speakers = NULL;
      int n = 0, nnets = 0, nspeakers = 0;
      char *organisation = NULL, *role = NULL;
      for (xmlNodePtr vv = thema_refi_child(c, "VariableValue"); vv && !err->status;
           vv = thema_refi_next(vv, "VariableValue")) {
        char *vn = NULL, *value = NULL;
        if (variable_value(q, vv, &vn, &value, err)) break;
        if (value && *value) {
          if (strcmp(vn, "organisation") == 0 && !is_org) {
            free(organisation);
            organisation = thema_xstrdup(value);
          } else if (strcmp(vn, "role") == 0 && !is_org) {
            free(role);
            role = thema_xstrdup(value);
          } else if (strcmp(vn, "networks") == 0) {
            free_list(nets, nnets);
            nnets = split_lines(value, &nets);
            is_org = 1;
          } else if (strcmp(vn, "speakers") == 0 && !is_org)
            nspeakers = split_lines(value, &speakers);
          else {
            keys = thema_xrealloc(keys, (size_t)(n + 1) * sizeof *keys);
            values = thema_xrealloc(values, (size_t)(n + 1) * sizeof *values);
            keys[n] = thema_xstrdup(vn);
            values[n++] = thema_xstrdup(value);
          }
        }
        xmlFree(vn);
        xmlFree(value);
      }
      if (pass == 0 && organisation &&
          !thema_keys_find(&orgs, organisation, strlen(organisation)))
        thema_keys_add(&orgs, organisation, strlen(organisation), line_of(c), NULL);
      /* pass 1: organisations; pass 2: persons */
      if (!err->status && ((pass == 1 && is_org) || (pass == 2 && !is_org))) {
        ThemaCaseRec rec = {.name = name,
                            .is_organisation = is_org,
                            .organisation = organisation,
                            .role = role,
                            .networks = (const char *const *)nets,
                            .nnetworks = nnets,
                            .keys = (const char *const *)keys,
                            .values = (const char *const *)values,
                            .nattrs = n};
        thema_sink_add_case(q->sink, &rec, err);
        for (int k = 0; k < nspeakers && !err->status; k++) {
          char *colon = strstr(speakers[k], ": ");
          int found = 0;
          if (!colon) continue;
          *colon = '\0';
          if (thema_sink_find_source(q->sink, speakers[k], &found, err) || !found) continue;
          ThemaSpeakerRec sp = {.source = speakers[k],
                                .label = colon + 2,
                                .person = name,
                                .organisation = organisation,
                                .role = role,
                                .keys = (const char *const *)keys,
                                .values = (const char *const *)values,
                                .nattrs = n};
          thema_sink_add_speaker(q->sink, &sp, err);
        }
        if (!err->status) memo_of(q, c, is_org ? "organisation" : "person", name, 0, err);
        if (!nspeakers)
          for (xmlNodePtr r = c->children; r; r = r->next)
            q->case_links += r->type == XML_ELEMENT_NODE &&
                             (!xmlStrcmp(r->name, (const xmlChar *)"SourceRef") ||
                              !xmlStrcmp(r->name, (const xmlChar *)"SelectionRef"));
      }
      free_list(keys, n);
      free_list(values, n);
      free_list(nets, nnets);
      free_list(speakers, nspeakers);
      free(organisation);
      free(role);
      xmlFree(name);
    }
  }
  thema_keys_clear(&orgs);
  return err->status;
}

static void qde_free(Qde *q) {
  thema_keys_clear(&q->users);
  thema_keys_clear(&q->codes);
  thema_keys_clear(&q->vars);
  thema_keys_clear(&q->notes);
  thema_keys_clear(&q->coders);
  thema_keys_clear(&q->names);
  thema_keys_clear(&q->sources);
  for (size_t i = 0; i < q->nnotes; i++) {
    free(q->notev[i].text);
    free(q->notev[i].author);
  }
  free(q->notev);
  free(q->default_user);
  xmlFree(q->origin);
}

typedef struct EachSource {
  Qde *q;
  ThemaTurnPattern *pattern;
} EachSource;

static int one_source(void *ud, xmlNodePtr s, ThemaError *err) {
  EachSource *e = ud;
  if (xmlStrcmp(s->name, (const xmlChar *)"TextSource") == 0)
    return text_source(e->q, s, e->pattern, err);
  e->q->media++;
  return THEMA_OK;
}

/* The project read from in (as often as needed) into sink. */
static int parse_project(ThemaSink *sink, const char *path, ThemaRefiInput *in,
                         const ThemaRefiFiles *files, ThemaError *err) {
  ThemaRefiProject project = {0};
  ThemaTurnPattern *pattern = NULL;
  Qde q = {.sink = sink, .path = path, .files = files};
  char *archive = thema_xstrdup(path);
  char *colon = strrchr(archive, ':');
  if (colon && colon != archive) *colon = '\0';
  q.archive = archive;
  if (thema_refi_open_project(sink, path, in, &project, err) ||
      thema_turn_pattern_compile(NULL, &pattern, err))
    goto done;
  xmlNodePtr root = xmlDocGetRootElement(project.doc);
  q.origin = thema_refi_attr(root, "origin");
  if (q.origin && strncasecmp(q.origin, "NVivo", 5) == 0) q.units = UNITS_UTF16;
  if (q.origin && strncasecmp(q.origin, "ATLAS.ti", 8) == 0) q.units = UNITS_CRLF_ONE;
  xmlNodePtr book = thema_refi_child(root, "CodeBook");
  if (read_users(&q, root) || read_notes(&q, root, err) ||
      (book &&
       thema_refi_codes(sink, path, thema_refi_child(book, "Codes"), code_seen, &q, err)) ||
      (book && code_memos(&q, thema_refi_child(book, "Codes"), err)) ||
      read_variables(&q, root))
    goto done;
  EachSource each = {.q = &q, .pattern = pattern};
  if (thema_refi_each_source(&project, one_source, &each, err)) goto done;
  if (err->status || read_cases(&q, root, err) || memo_of(&q, root, "project", "", 0, err))
    goto done;
  long unused = 0;
  for (size_t i = 0; i < q.nnotes && !err->status; i++) {
    if (q.notev[i].used) continue;
    unused++;
    ThemaMemoRec m = {.target = "project",
                      .key = "",
                      .author = q.notev[i].author,
                      .text = q.notev[i].text};
    thema_sink_add_memo(sink, &m, err);
  }
  if (err->status) goto done;
  if (unused)
    thema_sink_warn(sink,
                    "%s: %ld note%s that nothing refers to (or only a <Link>) kept as "
                    "memos on the project",
                    path, unused, unused == 1 ? "" : "s");
  if (q.split)
    thema_sink_warn(sink,
                    "%s: %ld selection%s across several segments: each became one "
                    "coding per segment it covers",
                    path, q.split, q.split == 1 ? "" : "s");
  if (q.gaps)
    thema_sink_warn(sink,
                    "%s: %ld selection%s only over blank space between segments, not "
                    "stored; the first: %s",
                    path, q.gaps, q.gaps == 1 ? "" : "s", q.gap_where);
  if (q.media)
    thema_sink_warn(sink,
                    "%s: %ld picture, PDF, audio or video source%s not imported: thema "
                    "reads text sources",
                    path, q.media, q.media == 1 ? "" : "s");
  if (q.case_links)
    thema_sink_warn(sink,
                    "%s: %ld links from cases to sources or selections not kept: a "
                    "person is linked to a source through a speaker label",
                    path, q.case_links);
  if (thema_refi_child(root, "Sets") || thema_refi_child(root, "Links") ||
      thema_refi_child(root, "Graphs"))
    thema_sink_warn(
        sink, "%s: sets, links and graphs have no counterpart in thema; not kept", path);
done:
  thema_turn_pattern_free(pattern);
  thema_refi_project_free(&project);
  qde_free(&q);
  free(archive);
  return err->status;
}

int thema_parse_qde(ThemaSink *sink, const char *path, const char *xml, size_t n,
                    const ThemaRefiFiles *files, ThemaError *err) {
  ThemaRefiInput in;
  ThemaRefiMemory mem;
  thema_refi_input_memory(&in, &mem, xml, n);
  return parse_project(sink, path, &in, files, err);
}

/* ---- the zip ---- */

typedef struct Zip {
  zip_t *z;
  const char *path; /* the .qdpx */
  int warned_folder;
  ThemaSink *sink;
} Zip;

static int zip_read_entry(Zip *zp, zip_uint64_t i, const char *name, ThemaBuf *out,
                          ThemaError *err) {
  zip_stat_t st;
  zip_file_t *f = NULL;
  if (zip_stat_index(zp->z, i, 0, &st) != 0 || !(f = zip_fopen_index(zp->z, i, 0)))
    return thema_error_set(err, THEMA_EINPUT, "%s: cannot open '%s' in the archive: %s",
                           zp->path, name, zip_strerror(zp->z));
  char block[1 << 16];
  zip_int64_t got;
  while ((got = zip_fread(f, block, sizeof block)) > 0)
    thema_buf_append(out, block, (size_t)got);
  if (got < 0)
    thema_error_set(err, THEMA_EINPUT, "%s: '%s' in the archive is damaged: %s", zp->path,
                    name, zip_file_strerror(f));
  zip_fclose(f);
  return err->status;
}

static int zip_files_read(void *ud, const char *name, ThemaBuf *out, ThemaError *err) {
  Zip *zp = ud;
  zip_int64_t n = zip_get_num_entries(zp->z, 0);
  const char *base = strrchr(name, '/') ? strrchr(name, '/') + 1 : name;
  /* sources/NAME as written; else any folder's NAME, case aside */
  zip_int64_t best = -1;
  for (zip_int64_t i = 0; i < n; i++) {
    const char *e = zip_get_name(zp->z, (zip_uint64_t)i, 0);
    if (!e) continue;
    const char *eb = strrchr(e, '/') ? strrchr(e, '/') + 1 : e;
    if (strcasecmp(eb, base) != 0) continue;
    if (strncmp(e, "sources/", 8) == 0 && strcmp(eb, base) == 0) {
      best = i;
      break;
    }
    if (best < 0) best = i;
  }
  if (best < 0) return 0;
  const char *e = zip_get_name(zp->z, (zip_uint64_t)best, 0);
  if (strncmp(e, "sources/", 8) != 0 && !zp->warned_folder++)
    thema_sink_warn(zp->sink,
                    "%s: source files in '%.*s' rather than 'sources/' (and so for "
                    "every such file)",
                    zp->path, (int)(strrchr(e, '/') ? strrchr(e, '/') - e + 1 : 0), e);
  return zip_read_entry(zp, (zip_uint64_t)best, e, out, err) ? -1 : 1;
}

/* The .qde entry as a project input: decompressed again on every pass. */
typedef struct ZipEntry {
  Zip *zp;
  zip_uint64_t index;
  const char *name;
  zip_file_t *f;
  ThemaRefiInput *in;
} ZipEntry;

static int entry_rewind(void *ud) {
  ZipEntry *e = ud;
  if (e->f) zip_fclose(e->f);
  e->f = zip_fopen_index(e->zp->z, e->index, 0);
  if (e->f) return 0;
  snprintf(e->in->failure, sizeof e->in->failure, "%s: cannot open '%s' in the archive: %s",
           e->zp->path, e->name, zip_strerror(e->zp->z));
  return -1;
}

static int entry_read(void *ud, char *buf, int len) {
  ZipEntry *e = ud;
  zip_int64_t got = e->f ? zip_fread(e->f, buf, (zip_uint64_t)len) : -1;
  if (got >= 0) return (int)got;
  snprintf(e->in->failure, sizeof e->in->failure, "%s: '%s' in the archive is damaged: %s",
           e->zp->path, e->name, e->f ? zip_file_strerror(e->f) : "not open");
  return -1;
}

int thema_read_qdpx(ThemaSink *sink, const char *path, const ThemaImportOptions *opt,
                    ThemaError *err) {
  (void)opt;
  int zerr = 0;
  Zip zp = {.path = path, .sink = sink};
  ThemaBuf where = {0};
  zp.z = zip_open(path, ZIP_RDONLY | ZIP_CHECKCONS, &zerr);
  if (!zp.z) {
    zip_error_t ze;
    zip_error_init_with_code(&ze, zerr);
    thema_error_set(err, THEMA_EINPUT,
                    "%s: not a readable zip archive (%s); a .qdpx is a zip holding "
                    "project.qde and sources/",
                    path, zip_error_strerror(&ze));
    zip_error_fini(&ze);
    return err->status;
  }
  zip_int64_t n = zip_get_num_entries(zp.z, 0), found = -1;
  int many = 0;
  for (zip_int64_t i = 0; i < n; i++) {
    const char *e = zip_get_name(zp.z, (zip_uint64_t)i, 0);
    size_t len = e ? strlen(e) : 0;
    if (!e || strchr(e, '/') || len < 4 || strcasecmp(e + len - 4, ".qde") != 0) continue;
    if (found >= 0) many = 1;
    found = i;
  }
  if (found < 0 || many) {
    thema_error_set(
        err, THEMA_EINPUT, "%s: %s; a .qdpx holds exactly one .qde at its root", path,
        many ? "more than one .qde file" : "no .qde project file in the archive");
    goto done;
  }
  const char *qname = zip_get_name(zp.z, (zip_uint64_t)found, 0);
  if (strcmp(qname, "project.qde") != 0)
    thema_sink_warn(sink, "%s: the project file is '%s', not 'project.qde'; read", path,
                    qname);
  thema_buf_printf(&where, "%s:%s", path, qname);
  ThemaRefiInput in = {0};
  ZipEntry entry = {.zp = &zp, .index = (zip_uint64_t)found, .name = qname, .in = &in};
  in.ud = &entry;
  in.rewind = entry_rewind;
  in.read = entry_read;
  ThemaRefiFiles files = {.ud = &zp, .read = zip_files_read};
  parse_project(sink, where.data, &in, &files, err);
  if (entry.f) zip_fclose(entry.f);
done:
  zip_discard(zp.z);
  thema_buf_free(&where);
  return err->status;
}
