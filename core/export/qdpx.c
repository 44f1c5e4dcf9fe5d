/*
 * qdpx.c — the REFI-QDA project export: project.qde written with libxml2's
 * writer into a temporary file (streamed: a million codings never sit in
 * memory as XML), then zipped by libzip with the source texts (each read
 * from the store again as libzip writes it, so only one is in memory) as
 * sources/<GUID>.txt (UTF-8, no BOM, LF line ends: the offsets are code
 * points into exactly those bytes).
 *
 * How thema's entities become REFI-QDA elements (docs/exchange.md has the
 * table and what each direction loses):
 *   coder, run, memo author   User (a run is named by its plugin)
 *   code                      Code (nested; description, colour; memos as NoteRef)
 *   person, organisation      Case, their attributes as VariableValues; a person's
 *                             organisation, role and speaker labels and an
 *                             organisation's networks as Text variables
 *   transcript, document      TextSource with internal://GUID.txt; its kind, format
 *                             and front matter as VariableValues
 *   codings of one span       one PlainTextSelection with a Coding per code and coder
 *   memo                      Note (its text as PlainTextContent) and a NoteRef from
 *                             its target; a segment's memo hangs on a selection of
 *                             the segment; a coding's memo on the Coding
 * Monitor tables are no text sources and are left out.
 */
#include "export/qdpx.h"

#include <libxml/xmlwriter.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zip.h>

#include "base/fs.h"
#include "base/utf8.h"
#include "export/qdc.h"
#include "store/query.h"

#define X(s) ((const xmlChar *)(s))

/* Every zip entry's time: 2000-01-01 00:00 in MS-DOS form, never the clock. */
#define DOS_TIME 0
#define DOS_DATE ((20 << 9) | (1 << 5) | 1)

/* ---- small owned collections ---- */

typedef struct Pair {
  char *key, *value; /* owned */
} Pair;

typedef struct Pairs {
  Pair *p;    /* owned */
  int n, cap; /* used, allocated */
} Pairs;

static void pairs_add(Pairs *ps, const char *key, const char *value) {
  if (!value || !*value) return;
  if (ps->n == ps->cap) {
    ps->cap = ps->cap ? 2 * ps->cap : 8;
    ps->p = thema_xrealloc(ps->p, (size_t)ps->cap * sizeof *ps->p);
  }
  ps->p[ps->n++] = (Pair){thema_xstrdup(key), thema_xstrdup(value)};
}

static int by_key(const void *a, const void *b) {
  const Pair *x = a, *y = b;
  int c = strcmp(x->key, y->key);
  return c ? c : strcmp(x->value, y->value);
}

static void pairs_sort(Pairs *ps) {
  if (ps->n > 1) qsort(ps->p, (size_t)ps->n, sizeof *ps->p, by_key);
}

static void pairs_free(Pairs *ps) {
  for (int i = 0; i < ps->n; i++) {
    free(ps->p[i].key);
    free(ps->p[i].value);
  }
  free(ps->p);
  *ps = (Pairs){0};
}

/* The first value of key in ps (sorted or not), or NULL. */
static const char *pairs_get(const Pairs *ps, const char *key) {
  for (int i = 0; i < ps->n; i++)
    if (strcmp(ps->p[i].key, key) == 0) return ps->p[i].value;
  return NULL;
}

/* A named thing with its variables: a source or a case. */
typedef struct Item {
  int64_t id;  /* its row */
  char *name;  /* owned */
  Pairs vars;  /* variable name → value, sorted */
  Pairs refs;  /* a person's sources ("source" → name), sorted */
  char *memos; /* owned: a case's memos joined by blank lines, NULL for none */
} Item;

typedef struct Items {
  Item *v;    /* owned */
  int n, cap; /* used, allocated */
} Items;

static Item *items_add(Items *it, int64_t id, const char *name) {
  if (it->n == it->cap) {
    it->cap = it->cap ? 2 * it->cap : 16;
    it->v = thema_xrealloc(it->v, (size_t)it->cap * sizeof *it->v);
  }
  Item *x = &it->v[it->n++];
  memset(x, 0, sizeof *x);
  x->id = id;
  x->name = thema_xstrdup(name);
  return x;
}

static Item *items_find(Items *it, int64_t id) {
  for (int i = 0; i < it->n; i++)
    if (it->v[i].id == id) return &it->v[i];
  return NULL;
}

static Item *items_named(Items *it, const char *name) {
  for (int i = 0; i < it->n; i++)
    if (strcmp(it->v[i].name, name) == 0) return &it->v[i];
  return NULL;
}

static void items_free(Items *it) {
  for (int i = 0; i < it->n; i++) {
    free(it->v[i].name);
    pairs_free(&it->v[i].vars);
    pairs_free(&it->v[i].refs);
    free(it->v[i].memos);
  }
  free(it->v);
  *it = (Items){0};
}

/* A memo with its target resolved to names. */
typedef struct Memo {
  char *target;        /* source, segment, code, person, organisation, project; owned */
  char *key;           /* the target's name or path (the segment's source); owned */
  int64_t ordinal;     /* a segment's ordinal */
  int64_t start, stop; /* a segment's span */
  char *author, *text; /* owned; author NULL for none */
  char guid[37];       /* the Note's GUID */
  int index;           /* its place among the memos as stored */
} Memo;

/* What the writer needs while it writes. */
typedef struct Export {
  ThemaStore *st;
  xmlTextWriterPtr w;
  ThemaCodeTree codes;
  Pairs runs;          /* run id (decimal) → plugin */
  Pairs users;         /* user name → GUID, sorted by name */
  Items sources;       /* text sources, by name */
  Items orgs, persons; /* the cases, by name */
  Pairs variables;     /* variable name → GUID, sorted */
  Memo *memos;         /* owned, in memo order */
  int nmemos;
  Pairs coding_notes;      /* Note GUID → memo text of a coding, in document order */
  Pairs coding_note_users; /* Note GUID → author GUID ("" for none) */
  char **text_guids;       /* the sources' GUIDs, for their zip entries; owned */
  size_t *text_lens;       /* the bytes of their texts (0: no text) */
} Export;

static const char *user_guid(Export *x, const char *name) {
  return name ? pairs_get(&x->users, name) : NULL;
}

static char *col_dup(ThemaCursor *c, const char *name) {
  int i = thema_cursor_column(c, name);
  if (i < 0 || thema_cursor_type(c, i) == THEMA_VALUE_NULL) return NULL;
  return thema_xstrdup(thema_cursor_text(c, i, NULL));
}

static const char *col_text(ThemaCursor *c, const char *name) {
  int i = thema_cursor_column(c, name);
  if (i < 0 || thema_cursor_type(c, i) == THEMA_VALUE_NULL) return NULL;
  return thema_cursor_text(c, i, NULL);
}

static int64_t col_int(ThemaCursor *c, const char *name) {
  return thema_cursor_int(c, thema_cursor_column(c, name));
}

/* The attributes of entity name as variables of item. */
static int load_attributes(Export *x, const char *entity, Item *item, ThemaError *err) {
  ThemaValue key = {.type = THEMA_VALUE_INT, .i = item->id};
  ThemaCursor *c = NULL;
  if (thema_query_attributes(x->st, entity, &key, &c, err)) return err->status;
  int rc;
  while ((rc = thema_cursor_step(c, err)) == 1)
    pairs_add(&item->vars, col_text(c, "key"), col_text(c, "value"));
  thema_cursor_close(c);
  return rc < 0 ? err->status : THEMA_OK;
}

/* Memos by target (the project first), target name, segment, then as
 * stored: an order that survives a round trip, whatever the row ids. */
static int target_rank(const char *t) {
  static const char *const order[] = {"project", "source",       "segment",
                                      "code",    "organisation", "person"};
  for (int i = 0; i < 6; i++)
    if (strcmp(t, order[i]) == 0) return i;
  return 6;
}

static int by_target(const void *a, const void *b) {
  const Memo *x = a, *y = b;
  int c = target_rank(x->target) - target_rank(y->target);
  if (!c) c = strcmp(x->key ? x->key : "", y->key ? y->key : "");
  if (!c) c = (x->ordinal > y->ordinal) - (x->ordinal < y->ordinal);
  if (!c) c = x->index - y->index;
  return c;
}

static int load(Export *x, ThemaError *err) {
  ThemaCursor *c = NULL;
  int rc;
  if (thema_code_tree_load(x->st, &x->codes, err)) return err->status;
  /* runs */
  if (thema_query_open(x->st, THEMA_RUNS, NULL, 0, &c, err)) return err->status;
  while ((rc = thema_cursor_step(c, err)) == 1) {
    char id[32];
    snprintf(id, sizeof id, "%lld", (long long)col_int(c, "id"));
    pairs_add(&x->runs, id, col_text(c, "plugin"));
  }
  thema_cursor_close(c);
  if (rc < 0) return err->status;
  /* users */
  if (thema_query_exchange_users(x->st, &c, err)) return err->status;
  while ((rc = thema_cursor_step(c, err)) == 1) {
    char guid[37];
    const char *name = thema_cursor_text(c, 0, NULL);
    thema_refi_guid(guid, "user", name, 0);
    pairs_add(&x->users, name, guid);
  }
  thema_cursor_close(c);
  if (rc < 0) return err->status;
  /* text sources with their columns and attributes as variables */
  ThemaValue monitor = {.type = THEMA_VALUE_TEXT, .s = "monitor", .len = 7};
  ThemaFilter not_monitor = {.key = "kind", .values = &monitor, .nvalues = 1, .negate = 1};
  if (thema_query_open(x->st, THEMA_SOURCES, &not_monitor, 1, &c, err)) return err->status;
  while ((rc = thema_cursor_step(c, err)) == 1) {
    Item *s = items_add(&x->sources, col_int(c, "id"), col_text(c, "name"));
    pairs_add(&s->vars, "source kind", col_text(c, "kind"));
    pairs_add(&s->vars, "format", col_text(c, "format"));
    pairs_add(&s->vars, "genre", col_text(c, "genre"));
    pairs_add(&s->vars, "title", col_text(c, "title"));
    pairs_add(&s->vars, "network", col_text(c, "network"));
    pairs_add(&s->vars, "date", col_text(c, "date"));
  }
  thema_cursor_close(c);
  if (rc < 0) return err->status;
  for (int i = 0; i < x->sources.n; i++)
    if (load_attributes(x, "source", &x->sources.v[i], err)) return err->status;
  /* organisations with their networks, persons with organisation and role */
  if (thema_query_open(x->st, THEMA_ORGANISATIONS, NULL, 0, &c, err)) return err->status;
  while ((rc = thema_cursor_step(c, err)) == 1) {
    Item *o = items_add(&x->orgs, col_int(c, "id"), col_text(c, "name"));
    const char *nets = col_text(c, "networks");
    if (nets) {
      /* one line per network: names may hold ';' */
      char *joined = thema_xstrdup(nets);
      for (char *p = joined; *p; p++)
        if (*p == ';') *p = '\n';
      pairs_add(&o->vars, "networks", joined);
      free(joined);
    }
  }
  thema_cursor_close(c);
  if (rc < 0) return err->status;
  for (int i = 0; i < x->orgs.n; i++)
    if (load_attributes(x, "organisation", &x->orgs.v[i], err)) return err->status;
  if (thema_query_open(x->st, THEMA_PERSONS, NULL, 0, &c, err)) return err->status;
  while ((rc = thema_cursor_step(c, err)) == 1) {
    Item *p = items_add(&x->persons, col_int(c, "id"), col_text(c, "name"));
    pairs_add(&p->vars, "organisation", col_text(c, "organisation"));
    pairs_add(&p->vars, "role", col_text(c, "role"));
  }
  thema_cursor_close(c);
  if (rc < 0) return err->status;
  for (int i = 0; i < x->persons.n; i++)
    if (load_attributes(x, "person", &x->persons.v[i], err)) return err->status;
  /* which person speaks where, under which label */
  if (thema_query_open(x->st, THEMA_SPEAKERS, NULL, 0, &c, err)) return err->status;
  ThemaBuf labels = {0};
  while ((rc = thema_cursor_step(c, err)) == 1) {
    const char *person = col_text(c, "person"), *source = col_text(c, "source");
    Item *p = person ? items_named(&x->persons, person) : NULL;
    if (!p || !items_named(&x->sources, source)) continue;
    thema_buf_reset(&labels);
    thema_buf_printf(&labels, "%s: %s", source, col_text(c, "label"));
    pairs_add(&p->refs, "speaker", labels.data);
    if (!pairs_get(&p->refs, source)) pairs_add(&p->refs, source, source);
  }
  thema_buf_free(&labels);
  thema_cursor_close(c);
  if (rc < 0) return err->status;
  for (int i = 0; i < x->persons.n; i++) {
    Item *p = &x->persons.v[i];
    ThemaBuf sp = {0};
    for (int k = 0; k < p->refs.n; k++)
      if (strcmp(p->refs.p[k].key, "speaker") == 0)
        thema_buf_printf(&sp, "%s%s", sp.len ? "\n" : "", p->refs.p[k].value);
    if (sp.len) pairs_add(&p->vars, "speakers", sp.data);
    thema_buf_free(&sp);
  }
  /* memos, their targets by name */
  if (thema_query_open(x->st, THEMA_MEMOS, NULL, 0, &c, err)) return err->status;
  int cap = 0;
  while ((rc = thema_cursor_step(c, err)) == 1) {
    if (x->nmemos == cap) {
      cap = cap ? 2 * cap : 16;
      x->memos = thema_xrealloc(x->memos, (size_t)cap * sizeof *x->memos);
    }
    Memo *m = &x->memos[x->nmemos++];
    memset(m, 0, sizeof *m);
    m->target = col_dup(c, "target");
    m->ordinal = col_int(c, "target_id"); /* the row id until resolved below */
    m->author = col_dup(c, "author");
    m->text = col_dup(c, "text");
  }
  thema_cursor_close(c);
  if (rc < 0) return err->status;
  for (int i = 0; i < x->nmemos; i++) {
    Memo *m = &x->memos[i];
    int64_t id = m->ordinal;
    m->ordinal = 0;
    Item *it = NULL;
    if (strcmp(m->target, "source") == 0 && (it = items_find(&x->sources, id)))
      m->key = thema_xstrdup(it->name);
    else if (strcmp(m->target, "person") == 0 && (it = items_find(&x->persons, id)))
      m->key = thema_xstrdup(it->name);
    else if (strcmp(m->target, "organisation") == 0 && (it = items_find(&x->orgs, id)))
      m->key = thema_xstrdup(it->name);
    else if (strcmp(m->target, "code") == 0) {
      for (int k = 0; k < x->codes.n; k++)
        if (x->codes.nodes[k].id == id) m->key = thema_xstrdup(x->codes.nodes[k].path);
    } else if (strcmp(m->target, "segment") == 0) {
      ThemaValue v = {.type = THEMA_VALUE_INT, .i = id};
      ThemaFilter f = {.key = "id", .values = &v, .nvalues = 1};
      if (thema_query_open(x->st, THEMA_SEGMENTS, &f, 1, &c, err)) return err->status;
      if ((rc = thema_cursor_step(c, err)) == 1 &&
          items_named(&x->sources, col_text(c, "source"))) {
        m->key = col_dup(c, "source");
        m->ordinal = col_int(c, "ordinal");
        m->start = col_int(c, "start");
        m->stop = col_int(c, "stop");
      }
      thema_cursor_close(c);
      if (rc < 0) return err->status;
    } else if (strcmp(m->target, "project") == 0)
      m->key = thema_xstrdup("");
    if (!m->key) continue; /* a memo on a monitor table: not exported */
    /* Fields apart by U+001F (unit separator), which no name holds. */
    ThemaBuf name = {0};
    thema_buf_printf(&name, "%s\x1f%s\x1f%lld\x1f%s", m->target, m->key,
                     (long long)m->ordinal, m->text);
    long same = 0;
    for (int k = 0; k < i; k++)
      if (x->memos[k].key && strcmp(x->memos[k].target, m->target) == 0 &&
          strcmp(x->memos[k].key, m->key) == 0 && x->memos[k].ordinal == m->ordinal &&
          strcmp(x->memos[k].text, m->text) == 0)
        same++;
    thema_refi_guid(m->guid, "note", name.data, same);
    thema_buf_free(&name);
  }
  for (int i = 0; i < x->nmemos; i++) x->memos[i].index = i;
  if (x->nmemos > 1) qsort(x->memos, (size_t)x->nmemos, sizeof *x->memos, by_target);
  return THEMA_OK;
}

/* ---- writing project.qde ---- */

static int start(Export *x, const char *el) {
  return xmlTextWriterStartElement(x->w, X(el));
}
static int end(Export *x) { return xmlTextWriterEndElement(x->w); }
static int attr(Export *x, const char *name, const char *value) {
  return value ? xmlTextWriterWriteAttribute(x->w, X(name), X(value)) : 0;
}
static int attr_int(Export *x, const char *name, int64_t v) {
  char s[32];
  snprintf(s, sizeof s, "%lld", (long long)v);
  return attr(x, name, s);
}
static int element(Export *x, const char *el, const char *text) {
  return xmlTextWriterWriteElement(x->w, X(el), X(text));
}
/* <el targetGUID="guid"/> */
static int ref(Export *x, const char *el, const char *guid) {
  return start(x, el) < 0 || attr(x, "targetGUID", guid) < 0 || end(x) < 0 ? -1 : 0;
}

static void collect_variables(Export *x) {
  Items *all[] = {&x->sources, &x->orgs, &x->persons};
  for (size_t a = 0; a < sizeof all / sizeof *all; a++)
    for (int i = 0; i < all[a]->n; i++) {
      Item *it = &all[a]->v[i];
      pairs_sort(&it->vars);
      for (int k = 0; k < it->vars.n; k++)
        if (!pairs_get(&x->variables, it->vars.p[k].key)) {
          char guid[37];
          thema_refi_guid(guid, "variable", it->vars.p[k].key, 0);
          pairs_add(&x->variables, it->vars.p[k].key, guid);
        }
    }
  pairs_sort(&x->variables);
}

static int write_values(Export *x, const Pairs *vars) {
  for (int k = 0; k < vars->n; k++)
    if (start(x, "VariableValue") < 0 ||
        ref(x, "VariableRef", pairs_get(&x->variables, vars->p[k].key)) < 0 ||
        element(x, "TextValue", vars->p[k].value) < 0 || end(x) < 0)
      return -1;
  return 0;
}

/* NoteRefs of the memos on target key (ordinal for segments). */
static int write_note_refs(Export *x, const char *target, const char *key) {
  for (int i = 0; i < x->nmemos; i++) {
    Memo *m = &x->memos[i];
    if (m->key && strcmp(m->target, target) == 0 && strcmp(m->key, key) == 0 &&
        ref(x, "NoteRef", m->guid) < 0)
      return -1;
  }
  return 0;
}

static int code_notes(void *ud, xmlTextWriterPtr w, const ThemaCodeNode *code) {
  (void)w;
  return write_note_refs(ud, "code", code->path);
}

static int write_users(Export *x) {
  if (x->users.n == 0) return 0;
  if (start(x, "Users") < 0) return -1;
  for (int i = 0; i < x->users.n; i++)
    if (start(x, "User") < 0 || attr(x, "guid", x->users.p[i].value) < 0 ||
        attr(x, "name", x->users.p[i].key) < 0 || end(x) < 0)
      return -1;
  return end(x);
}

static int write_variables(Export *x) {
  if (x->variables.n == 0) return 0;
  if (start(x, "Variables") < 0) return -1;
  for (int i = 0; i < x->variables.n; i++)
    if (start(x, "Variable") < 0 || attr(x, "guid", x->variables.p[i].value) < 0 ||
        attr(x, "name", x->variables.p[i].key) < 0 ||
        attr(x, "typeOfVariable", "Text") < 0 || end(x) < 0)
      return -1;
  return end(x);
}

static int write_case(Export *x, const char *kind, Item *c) {
  char guid[37];
  thema_refi_guid(guid, kind, c->name, 0);
  ThemaBuf memo = {0};
  for (int i = 0; i < x->nmemos; i++)
    if (x->memos[i].key && strcmp(x->memos[i].target, kind) == 0 &&
        strcmp(x->memos[i].key, c->name) == 0)
      thema_buf_printf(&memo, "%s%s", memo.len ? "\n\n" : "", x->memos[i].text);
  int rc = start(x, "Case") < 0 || attr(x, "guid", guid) < 0 ||
           attr(x, "name", c->name) < 0 ||
           (memo.len && element(x, "Description", memo.data) < 0) ||
           write_values(x, &c->vars) < 0;
  thema_buf_free(&memo);
  for (int i = 0; !rc && i < c->refs.n; i++) {
    if (strcmp(c->refs.p[i].key, "speaker") == 0) continue;
    char sguid[37];
    thema_refi_guid(sguid, "source", c->refs.p[i].value, 0);
    rc = ref(x, "SourceRef", sguid) < 0;
  }
  return rc || end(x) < 0 ? -1 : 0;
}

static int write_cases(Export *x) {
  if (x->orgs.n + x->persons.n == 0) return 0;
  if (start(x, "Cases") < 0) return -1;
  for (int i = 0; i < x->orgs.n; i++)
    if (write_case(x, "organisation", &x->orgs.v[i]) < 0) return -1;
  for (int i = 0; i < x->persons.n; i++)
    if (write_case(x, "person", &x->persons.v[i]) < 0) return -1;
  return end(x);
}

/* At most 100 code points of a selection's text, as its name (what
 * QualCoder writes there; a reader compares it with the text). */
static char *short_name(const char *s, size_t len) {
  size_t cut = thema_utf8_byte_offset(s, len, 100);
  ThemaBuf b = {0};
  thema_buf_append(&b, s, cut);
  if (cut < len) thema_buf_puts(&b, "…");
  char *out = thema_xstrdup(thema_buf_str(&b));
  thema_buf_free(&b);
  return out;
}

/* The user a coding row is by: its coder, or its run's plugin. */
static const char *coding_user(Export *x, ThemaCursor *c) {
  int run = thema_cursor_column(c, "run");
  if (thema_cursor_type(c, run) != THEMA_VALUE_NULL)
    return pairs_get(&x->runs, thema_cursor_text(c, run, NULL));
  return col_text(c, "coder");
}

/* The selections of source s: one per coded span, its codings inside. */
static int write_selections(Export *x, const Item *s, ThemaError *err) {
  ThemaValue v = {.type = THEMA_VALUE_TEXT, .s = s->name, .len = strlen(s->name)};
  ThemaFilter f = {.key = "source", .values = &v, .nvalues = 1};
  ThemaCursor *c = NULL;
  if (thema_query_open(x->st, THEMA_CODINGS, &f, 1, &c, err)) return err->status;
  int rc, open = 0, failed = 0;
  int64_t cur_start = -1, cur_stop = -1;
  long in_group = 0;
  char sel[37];
  ThemaBuf key = {0};
  while (!failed && (rc = thema_cursor_step(c, err)) == 1) {
    int64_t b = col_int(c, "start"), e = col_int(c, "stop");
    const char *user = coding_user(x, c), *code = col_text(c, "code");
    if (!open || b != cur_start || e != cur_stop) {
      if (open && end(x) < 0) failed = 1;
      cur_start = b;
      cur_stop = e;
      in_group = 0;
      thema_buf_reset(&key);
      thema_buf_printf(&key, "%s\x1f%lld\x1f%lld", s->name, (long long)b, (long long)e);
      thema_refi_guid(sel, "selection", key.data, 0);
      size_t len;
      const char *text = thema_cursor_text(c, thema_cursor_column(c, "text"), &len);
      char *name = short_name(text, len);
      failed |= start(x, "PlainTextSelection") < 0 || attr(x, "guid", sel) < 0 ||
                attr(x, "name", name) < 0 || attr_int(x, "startPosition", b) < 0 ||
                attr_int(x, "endPosition", e) < 0 ||
                attr(x, "creatingUser", user_guid(x, user)) < 0;
      free(name);
      open = 1;
    }
    char guid[37], code_guid[37];
    thema_buf_reset(&key);
    thema_buf_printf(&key, "%s\x1f%s\x1f%s", sel, code, user ? user : "");
    thema_refi_guid(guid, "coding", key.data, in_group++);
    thema_refi_guid(code_guid, "code", code, 0);
    const char *memo = col_text(c, "memo");
    failed |= start(x, "Coding") < 0 || attr(x, "guid", guid) < 0 ||
              attr(x, "creatingUser", user_guid(x, user)) < 0 ||
              ref(x, "CodeRef", code_guid) < 0;
    if (memo && *memo) {
      char note[37];
      thema_refi_guid(note, "coding-note", guid, 0);
      failed |= ref(x, "NoteRef", note) < 0;
      pairs_add(&x->coding_notes, note, memo);
      pairs_add(&x->coding_note_users, note, user ? user_guid(x, user) : "-");
    }
    failed |= end(x) < 0;
  }
  if (open && !failed && end(x) < 0) failed = 1;
  thema_cursor_close(c);
  thema_buf_free(&key);
  /* A segment's memos: a selection of the whole segment, without codings. */
  for (int i = 0; !failed && i < x->nmemos; i++) {
    Memo *m = &x->memos[i];
    if (!m->key || strcmp(m->target, "segment") != 0 || strcmp(m->key, s->name) != 0)
      continue;
    char guid[37];
    thema_refi_guid(guid, "memo-selection", m->guid, 0);
    failed |= start(x, "PlainTextSelection") < 0 || attr(x, "guid", guid) < 0 ||
              attr_int(x, "startPosition", m->start) < 0 ||
              attr_int(x, "endPosition", m->stop) < 0 || ref(x, "NoteRef", m->guid) < 0 ||
              end(x) < 0;
  }
  if (failed && !err->status) thema_error_set(err, THEMA_ERUNTIME, "write failed");
  return err->status;
}

static int write_sources(Export *x, ThemaError *err) {
  if (x->sources.n == 0) return THEMA_OK;
  if (start(x, "Sources") < 0) return thema_error_set(err, THEMA_ERUNTIME, "write failed");
  size_t n = (size_t)x->sources.n;
  x->text_guids = thema_xcalloc(n, sizeof *x->text_guids);
  x->text_lens = thema_xcalloc(n, sizeof *x->text_lens);
  for (int i = 0; i < x->sources.n; i++) {
    Item *s = &x->sources.v[i];
    char guid[37], path[64];
    thema_refi_guid(guid, "source", s->name, 0);
    snprintf(path, sizeof path, "internal://%s.txt", guid);
    ThemaValue key = {.type = THEMA_VALUE_INT, .i = s->id};
    ThemaCursor *c = NULL;
    if (thema_query_source(x->st, &key, &c, err)) return err->status;
    int rc = thema_cursor_step(c, err);
    if (rc == 1) {
      size_t len;
      const char *text = thema_cursor_text(c, thema_cursor_column(c, "text"), &len);
      (void)text;
      x->text_lens[i] = len;
      x->text_guids[i] = thema_xstrdup(guid);
    }
    thema_cursor_close(c);
    if (rc < 0) return err->status;
    if (start(x, "TextSource") < 0 || attr(x, "guid", guid) < 0 ||
        attr(x, "name", s->name) < 0 || attr(x, "plainTextPath", path) < 0)
      return thema_error_set(err, THEMA_ERUNTIME, "write failed");
    if (write_selections(x, s, err)) return err->status;
    if (write_note_refs(x, "source", s->name) < 0 || write_values(x, &s->vars) < 0 ||
        end(x) < 0)
      return thema_error_set(err, THEMA_ERUNTIME, "write failed");
  }
  return end(x) < 0 ? thema_error_set(err, THEMA_ERUNTIME, "write failed") : THEMA_OK;
}

static int write_note(Export *x, const char *guid, const char *name, const char *user,
                      const char *text) {
  return start(x, "Note") < 0 || attr(x, "guid", guid) < 0 || attr(x, "name", name) < 0 ||
                 attr(x, "creatingUser", user) < 0 ||
                 element(x, "PlainTextContent", text) < 0 || end(x) < 0
             ? -1
             : 0;
}

static int write_notes(Export *x) {
  int any = x->coding_notes.n > 0;
  for (int i = 0; i < x->nmemos; i++)
    any |= x->memos[i].key && strcmp(x->memos[i].target, "person") != 0 &&
           strcmp(x->memos[i].target, "organisation") != 0;
  if (!any) return 0;
  if (start(x, "Notes") < 0) return -1;
  ThemaBuf name = {0};
  int rc = 0;
  for (int i = 0; !rc && i < x->nmemos; i++) {
    Memo *m = &x->memos[i];
    /* A case's memos are its Description: a Case has no NoteRef. */
    if (!m->key || strcmp(m->target, "person") == 0 ||
        strcmp(m->target, "organisation") == 0)
      continue;
    thema_buf_reset(&name);
    if (strcmp(m->target, "project") == 0)
      thema_buf_puts(&name, "memo on the project");
    else if (strcmp(m->target, "segment") == 0)
      thema_buf_printf(&name, "memo on %s, segment %lld", m->key, (long long)m->ordinal);
    else
      thema_buf_printf(&name, "memo on %s %s", m->target, m->key);
    rc = write_note(x, m->guid, name.data, user_guid(x, m->author), m->text);
  }
  for (int i = 0; !rc && i < x->coding_notes.n; i++) {
    const char *user = x->coding_note_users.p[i].value;
    rc = write_note(x, x->coding_notes.p[i].key, "memo on a coding",
                    strcmp(user, "-") ? user : NULL, x->coding_notes.p[i].value);
  }
  thema_buf_free(&name);
  return rc || end(x) < 0 ? -1 : 0;
}

static int write_project(Export *x, const char *name, ThemaError *err) {
  if (xmlTextWriterStartDocument(x->w, "1.0", "UTF-8", NULL) < 0 ||
      start(x, "Project") < 0 || attr(x, "xmlns", "urn:QDA-XML:project:1.0") < 0 ||
      attr(x, "name", name) < 0 || attr(x, "origin", "thema " THEMA_VERSION) < 0 ||
      write_users(x) < 0)
    return thema_error_set(err, THEMA_ERUNTIME, "write failed");
  if (x->codes.n &&
      (start(x, "CodeBook") < 0 ||
       thema_qdc_write_codes(x->w, &x->codes, code_notes, x) < 0 || end(x) < 0))
    return thema_error_set(err, THEMA_ERUNTIME, "write failed");
  if (write_variables(x) < 0 || write_cases(x) < 0)
    return thema_error_set(err, THEMA_ERUNTIME, "write failed");
  if (write_sources(x, err)) return err->status;
  if (write_notes(x) < 0 || write_note_refs(x, "project", "") < 0 ||
      xmlTextWriterEndDocument(x->w) < 0)
    return thema_error_set(err, THEMA_ERUNTIME, "write failed");
  return THEMA_OK;
}

static void export_free(Export *x) {
  if (x->w) xmlFreeTextWriter(x->w);
  for (int i = 0; x->text_guids && i < x->sources.n; i++) free(x->text_guids[i]);
  free(x->text_guids);
  free(x->text_lens);

  thema_code_tree_free(&x->codes);
  pairs_free(&x->runs);
  pairs_free(&x->users);
  items_free(&x->sources);
  items_free(&x->orgs);
  items_free(&x->persons);
  pairs_free(&x->variables);
  for (int i = 0; i < x->nmemos; i++) {
    free(x->memos[i].target);
    free(x->memos[i].key);
    free(x->memos[i].author);
    free(x->memos[i].text);
  }
  free(x->memos);
  pairs_free(&x->coding_notes);
  pairs_free(&x->coding_note_users);
}

/* A source's text as a zip source that reads it from the store when libzip
 * writes the entry, and frees it right after. */
typedef struct LazyText {
  ThemaStore *st;
  int64_t id;       /* the source */
  zip_uint64_t len; /* its text's bytes */
  char *text;       /* while open; owned */
  zip_uint64_t off; /* bytes given */
  zip_error_t error;
} LazyText;

static zip_int64_t lazy_cb(void *ud, void *data, zip_uint64_t len, zip_source_cmd_t cmd) {
  LazyText *t = ud;
  switch (cmd) {
    case ZIP_SOURCE_OPEN: {
      ThemaValue key = {.type = THEMA_VALUE_INT, .i = t->id};
      ThemaCursor *c = NULL;
      ThemaError err = {0};
      size_t n = 0;
      if (!thema_query_source(t->st, &key, &c, &err) && thema_cursor_step(c, &err) == 1) {
        const char *text = thema_cursor_text(c, thema_cursor_column(c, "text"), &n);
        t->text = thema_xstrndup(text, n);
      }
      thema_cursor_close(c);
      if (!t->text || n != t->len) {
        zip_error_set(&t->error, ZIP_ER_READ, 0);
        return -1;
      }
      t->off = 0;
      return 0;
    }
    case ZIP_SOURCE_READ: {
      zip_uint64_t k = t->len - t->off < len ? t->len - t->off : len;
      memcpy(data, t->text + t->off, k);
      t->off += k;
      return (zip_int64_t)k;
    }
    case ZIP_SOURCE_CLOSE:
      free(t->text);
      t->text = NULL;
      return 0;
    case ZIP_SOURCE_STAT: {
      zip_stat_t *zs = data;
      zip_stat_init(zs);
      zs->size = t->len;
      zs->valid |= ZIP_STAT_SIZE;
      return sizeof *zs;
    }
    case ZIP_SOURCE_ERROR: return zip_error_to_data(&t->error, data, len);
    case ZIP_SOURCE_FREE:
      free(t->text);
      zip_error_fini(&t->error);
      free(t);
      return 0;
    case ZIP_SOURCE_SUPPORTS:
      return zip_source_make_command_bitmap(ZIP_SOURCE_OPEN, ZIP_SOURCE_READ,
                                            ZIP_SOURCE_CLOSE, ZIP_SOURCE_STAT,
                                            ZIP_SOURCE_ERROR, ZIP_SOURCE_FREE, -1);
    default: zip_error_set(&t->error, ZIP_ER_OPNOTSUPP, 0); return -1;
  }
}

static zip_source_t *lazy_text(zip_t *z, ThemaStore *st, int64_t id, size_t len) {
  LazyText *t = thema_xcalloc(1, sizeof *t);
  t->st = st;
  t->id = id;
  t->len = len;
  zip_error_init(&t->error);
  zip_source_t *src = zip_source_function(z, lazy_cb, t);
  if (!src) {
    zip_error_fini(&t->error);
    free(t);
  }
  return src;
}

/* Add one entry with the fixed time and plain file permissions. */
static int zip_entry(zip_t *z, const char *name, zip_source_t *src) {
  if (!src) return -1;
  zip_int64_t i = zip_file_add(z, name, src, ZIP_FL_ENC_UTF_8);
  if (i < 0) {
    zip_source_free(src);
    return -1;
  }
  /* Deflate at level 1: on a project of 50,000 codings it takes half the
   * CPU time of the default level for an archive a quarter larger. */
  return zip_set_file_compression(z, (zip_uint64_t)i, ZIP_CM_DEFLATE, 1) < 0 ||
                 zip_file_set_dostime(z, (zip_uint64_t)i, DOS_TIME, DOS_DATE, 0) < 0 ||
                 zip_file_set_external_attributes(z, (zip_uint64_t)i, 0, ZIP_OPSYS_UNIX,
                                                  0100644u << 16) < 0
             ? -1
             : 0;
}

int thema_export_qdpx(ThemaStore *st, const char *path, ThemaError *err) {
  Export x = {.st = st};
  ThemaBuf qde = {0};
  zip_t *z = NULL;
  char *name = thema_fs_stem(path);
  int fd = -1;
  thema_buf_printf(&qde, "%s.qde.XXXXXX", path);
  if (load(&x, err)) goto done;
  collect_variables(&x);
  if ((fd = mkstemp(qde.data)) < 0) {
    thema_error_set(err, THEMA_EINPUT, "%s: cannot write next to it", path);
    goto done;
  }
  close(fd);
  x.w = xmlNewTextWriterFilename(qde.data, 0);
  if (!x.w) {
    thema_error_set(err, THEMA_EINPUT, "%s: cannot write", qde.data);
    goto done;
  }
  xmlTextWriterSetIndent(x.w, 1);
  xmlTextWriterSetIndentString(x.w, X(" "));
  if (write_project(&x, name, err)) goto done;
  xmlFreeTextWriter(x.w);
  x.w = NULL;
  int zerr = 0;
  z = zip_open(path, ZIP_CREATE | ZIP_TRUNCATE, &zerr);
  if (!z) {
    thema_error_set(err, THEMA_EINPUT, "%s: cannot create the zip archive", path);
    goto done;
  }
  if (zip_entry(z, "project.qde", zip_source_file(z, qde.data, 0, -1)) < 0) goto zip_failed;
  for (int i = 0; i < x.sources.n; i++) {
    if (!x.text_guids[i]) continue;
    char entry[64];
    snprintf(entry, sizeof entry, "sources/%s.txt", x.text_guids[i]);
    zip_source_t *src = lazy_text(z, st, x.sources.v[i].id, x.text_lens[i]);
    if (zip_entry(z, entry, src) < 0) goto zip_failed;
  }
  if (zip_close(z) < 0) goto zip_failed;
  z = NULL;
  goto done;
zip_failed:
  thema_error_set(err, THEMA_ERUNTIME, "%s: %s", path, zip_strerror(z));
done:
  if (z) zip_discard(z);
  if (x.w) {
    xmlFreeTextWriter(x.w);
    x.w = NULL;
  }
  if (fd >= 0) unlink(qde.data);
  export_free(&x);
  thema_buf_free(&qde);
  free(name);
  return err->status;
}
