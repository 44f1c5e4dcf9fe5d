/*
 * summary.c — what `thema stats` prints: counts of what the store holds,
 * and per group of a grouping (store/grouping.h) its members, sources,
 * turns, words and speakers, and which members took part or not.
 *
 * Taking part is read from the grouping's own rows: a member organisation
 * is present when a segment of the group is spoken by one of its persons,
 * wherever that segment is. So Genk, a member of Limburg and of the
 * centrumsteden, is present in both when its respondent speaks in the
 * centrumsteden focus group: membership, not the source's front matter,
 * decides (source.network is the grouping that asks the other question).
 */
#include "store/summary.h"

#include <stdlib.h>
#include <string.h>

#include "store/internal.h"

/* Run a one-row, one-column query with an optional text parameter and append
 * the value (an integer count or a text list) to out. */
static int scalar(ThemaStore *st, const char *sql, const char *param, ThemaBuf *out,
                  ThemaError *err) {
  sqlite3_stmt *q = thema_store_stmt(st, sql, err);
  if (!q) return err->status;
  if (param) sqlite3_bind_text(q, 1, param, -1, SQLITE_TRANSIENT);
  thema_buf_reset(out);
  if (sqlite3_step(q) == SQLITE_ROW && sqlite3_column_type(q, 0) != SQLITE_NULL)
    thema_buf_puts(out, (const char *)sqlite3_column_text(q, 0));
  sqlite3_reset(q);
  if (!out->len) thema_buf_puts(out, "0");
  return THEMA_OK;
}

static const char *const totals[][2] = {
    {"sources", "SELECT count(*) || ' (' || sum(kind = 'transcript') || ' transcripts, ' ||"
                " sum(kind = 'document') || ' documents, ' || sum(kind = 'monitor') ||"
                " ' monitor tables)' FROM source HAVING count(*) > 0"},
    {"segments", "SELECT count(*) FROM segment"},
    {"speakers", "SELECT count(*) FROM speaker"},
    {"persons", "SELECT count(*) FROM person"},
    {"organisations", "SELECT count(*) FROM organisation"},
    {"networks", "SELECT count(*) FROM network"},
    {"indicators", "SELECT count(*) FROM indicator"},
    {"observations", "SELECT count(*) FROM observation"},
    {"codes", "SELECT count(*) FROM code"},
    {"codings", "SELECT count(*) FROM coding"},
    {"runs", "SELECT count(*) || ' (' || sum(status = 'ok') || ' ok, ' ||"
             " sum(status = 'failed') || ' failed)' FROM run HAVING count(*) > 0"},
};

static int each(ThemaStore *st, const char *const (*rows)[2], size_t n, const char *param,
                ThemaSummaryFn fn, void *ud, ThemaError *err) {
  ThemaBuf v = {0};
  for (size_t i = 0; i < n && !err->status; i++)
    if (!scalar(st, rows[i][1], param, &v, err)) fn(ud, rows[i][0], v.data);
  thema_buf_free(&v);
  return err->status;
}

int thema_summary_totals(ThemaStore *st, ThemaSummaryFn fn, void *ud, ThemaError *err) {
  return each(st, totals, sizeof totals / sizeof *totals, NULL, fn, ud, err);
}

/* ---- per group ---- */

/* Counts by key, sorted by key (bytewise) for lookup and for printing. */
typedef struct Tally {
  char **keys;     /* owned */
  int64_t *counts; /* by key */
  char **notes;    /* by key, owned, NULL entries allowed */
  size_t n, cap;   /* used, allocated */
} Tally;

/* The index of key in t, or where it would go (with *found 0). */
static size_t tally_find(const Tally *t, const char *key, int *found) {
  size_t lo = 0, hi = t->n;
  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    int c = strcmp(t->keys[mid], key);
    if (c == 0) {
      *found = 1;
      return mid;
    }
    if (c < 0)
      lo = mid + 1;
    else
      hi = mid;
  }
  *found = 0;
  return lo;
}

/* Add by to key's count; a note given replaces the key's note. */
static void tally_add(Tally *t, const char *key, int64_t by, const char *note) {
  int found;
  size_t i = tally_find(t, key, &found);
  if (!found) {
    if (t->n == t->cap) {
      t->cap = t->cap ? 2 * t->cap : 8;
      t->keys = thema_xrealloc(t->keys, t->cap * sizeof *t->keys);
      t->counts = thema_xrealloc(t->counts, t->cap * sizeof *t->counts);
      t->notes = thema_xrealloc(t->notes, t->cap * sizeof *t->notes);
    }
    memmove(t->keys + i + 1, t->keys + i, (t->n - i) * sizeof *t->keys);
    memmove(t->counts + i + 1, t->counts + i, (t->n - i) * sizeof *t->counts);
    memmove(t->notes + i + 1, t->notes + i, (t->n - i) * sizeof *t->notes);
    t->keys[i] = thema_xstrdup(key);
    t->counts[i] = 0;
    t->notes[i] = NULL;
    t->n++;
  }
  t->counts[i] += by;
  if (note) {
    free(t->notes[i]);
    t->notes[i] = thema_xstrdup(note);
  }
}

static int64_t tally_get(const Tally *t, const char *key) {
  int found;
  size_t i = tally_find(t, key, &found);
  return found ? t->counts[i] : -1;
}

static void tally_free(Tally *t) {
  for (size_t i = 0; i < t->n; i++) {
    free(t->keys[i]);
    free(t->notes[i]);
  }
  free(t->keys);
  free(t->counts);
  free(t->notes);
}

typedef struct Group {
  int64_t turns, words;       /* segments of the group and their words */
  int64_t unspoken;           /* of them, segments without a speaker */
  Tally sources;              /* turns by source */
  Tally persons;              /* turns by speaking person */
  Tally organisations;        /* turns by the speakers' organisations */
  Tally unresolved;           /* turns by speaker label without a person */
  Tally member_sources;       /* the members by kind: count 1 when present (a */
  Tally member_organisations; /* speaker of cases.csv in some source), with the */
  Tally member_persons;       /* sources as the note */
} Group;

typedef struct Groups {
  char **labels; /* sorted; owned */
  int n;         /* labels; groups[n] holds the segments without a group */
  Group *groups; /* n + 1 */
} Groups;

static Group *group_of(Groups *gs, const char *label) {
  if (!label) return &gs->groups[gs->n];
  char **hit =
      bsearch(&label, gs->labels, (size_t)gs->n, sizeof *gs->labels, thema_cmp_str);
  return hit ? &gs->groups[hit - gs->labels] : NULL;
}

static int add_member(void *ud, const ThemaGroupMember *m, ThemaError *err) {
  (void)err;
  Group *g = group_of(ud, m->group);
  if (!g) return 0; /* every member's group is a label; nothing else to count */
  Tally *t = m->kind[0] == 's'   ? &g->member_sources
             : m->kind[0] == 'o' ? &g->member_organisations
                                 : &g->member_persons;
  tally_add(t, m->name, m->present_in ? 1 : 0, m->present_in);
  return 0;
}

/* "n" or "n: a (3), b (1)" (with counts) or "n: a, b" (without). */
static void put_list(ThemaBuf *out, const Tally *t, int with_counts) {
  thema_buf_printf(out, "%zu", t->n);
  for (size_t i = 0; i < t->n; i++) {
    thema_buf_puts(out, i ? ", " : ": ");
    thema_buf_puts(out, t->keys[i]);
    if (with_counts) thema_buf_printf(out, " (%lld)", (long long)t->counts[i]);
  }
}

/* The members m that are present (a speaker of cases.csv somewhere) or not,
 * and of those present the ones who spoke in the group (turns) or not. */
enum { PRESENT, SILENT, ABSENT };

/* "n" or "n: a, b", with each member's sources after a PRESENT one. */
static size_t put_members(ThemaBuf *out, const Tally *m, const Tally *turns, int which) {
  size_t k = 0;
  ThemaBuf names = {0};
  for (size_t i = 0; i < m->n; i++) {
    int present = m->counts[i] > 0, spoke = tally_get(turns, m->keys[i]) > 0;
    if (which == PRESENT ? !present : which == SILENT ? !present || spoke : present)
      continue;
    thema_buf_puts(&names, k++ ? ", " : ": ");
    thema_buf_puts(&names, m->keys[i]);
    if (which == PRESENT && m->notes[i]) {
      thema_buf_puts(&names, " (");
      for (const char *c = m->notes[i]; *c; c++)
        if (*c == ';')
          thema_buf_puts(&names, ", ");
        else
          thema_buf_putc(&names, *c);
      thema_buf_putc(&names, ')');
    }
  }
  thema_buf_printf(out, "%zu", k);
  if (which == PRESENT) thema_buf_printf(out, " of %zu", m->n);
  thema_buf_puts(out, thema_buf_str(&names));
  thema_buf_free(&names);
  return k;
}

static void report_group(const Group *g, ThemaSummaryFn fn, void *ud) {
  ThemaBuf v = {0};
  const char *sep = "";
  if (g->member_sources.n) {
    thema_buf_printf(&v, "%zu source%s", g->member_sources.n,
                     g->member_sources.n == 1 ? "" : "s");
    sep = ", ";
  }
  if (g->member_organisations.n) {
    thema_buf_printf(&v, "%s%zu organisation%s", sep, g->member_organisations.n,
                     g->member_organisations.n == 1 ? "" : "s");
    sep = ", ";
  }
  if (g->member_persons.n)
    thema_buf_printf(&v, "%s%zu person%s", sep, g->member_persons.n,
                     g->member_persons.n == 1 ? "" : "s");
  fn(ud, "members", v.len ? v.data : "none");
  thema_buf_reset(&v);
  put_list(&v, &g->sources, 1);
  fn(ud, "sources", v.data);
  thema_buf_reset(&v);
  thema_buf_printf(&v, "%lld", (long long)g->turns);
  fn(ud, "turns", v.data);
  thema_buf_reset(&v);
  thema_buf_printf(&v, "%lld", (long long)g->words);
  fn(ud, "words", v.data);
  thema_buf_reset(&v);
  thema_buf_printf(&v, "%zu", g->persons.n);
  if (g->member_persons.n) thema_buf_printf(&v, " of %zu persons", g->member_persons.n);
  fn(ud, "speakers", v.data);
  static const char *const labels[] = {"present", "silent", "absent"};
  if (g->member_organisations.n) {
    for (int w = PRESENT; w <= ABSENT; w++) {
      thema_buf_reset(&v);
      put_members(&v, &g->member_organisations, &g->organisations, w);
      fn(ud, labels[w], v.data);
    }
  } else {
    thema_buf_reset(&v);
    put_list(&v, &g->organisations, 1);
    fn(ud, "organisations", v.data);
    if (g->member_persons.n && !g->member_sources.n) {
      thema_buf_reset(&v);
      put_members(&v, &g->member_persons, &g->persons, SILENT);
      fn(ud, "silent", v.data);
    }
  }
  thema_buf_free(&v);
}

static void report_ungrouped(const Group *g, ThemaSummaryFn fn, void *ud) {
  ThemaBuf v = {0};
  thema_buf_printf(&v, "%lld", (long long)g->turns);
  fn(ud, "turns", v.data);
  thema_buf_reset(&v);
  thema_buf_printf(&v, "%lld", (long long)g->words);
  fn(ud, "words", v.data);
  thema_buf_reset(&v);
  put_list(&v, &g->persons, 1);
  fn(ud, "persons", v.data);
  thema_buf_reset(&v);
  put_list(&v, &g->unresolved, 1);
  fn(ud, "unresolved", v.data);
  thema_buf_reset(&v);
  thema_buf_printf(&v, "%lld", (long long)g->unspoken);
  fn(ud, "no speaker", v.data);
  thema_buf_free(&v);
}

int thema_summary_groups(ThemaStore *st, const ThemaGrouping *g, const ThemaFilter *filters,
                         int nf, ThemaSummaryBlockFn block, ThemaSummaryFn fn, void *ud,
                         ThemaError *err) {
  Groups gs = {0};
  ThemaGroupCursor *c = NULL;
  if (thema_grouping_labels(st, g, &gs.labels, &gs.n, err)) return err->status;
  gs.groups = thema_xcalloc((size_t)gs.n + 1, sizeof *gs.groups);
  if (thema_grouping_members(st, g, add_member, &gs, err) ||
      thema_grouping_open(st, g, filters, nf, NULL, 0, &c, err))
    goto done;
  ThemaGroupRow row;
  int rc;
  while ((rc = thema_grouping_step(c, &row, err)) == 1) {
    Group *grp = group_of(&gs, row.group);
    if (!grp) continue;
    grp->turns++;
    grp->words += row.words;
    tally_add(&grp->sources, row.source, 1, NULL);
    if (row.person) tally_add(&grp->persons, row.person, 1, NULL);
    if (row.organisation) tally_add(&grp->organisations, row.organisation, 1, NULL);
    if (row.speaker && !row.person) tally_add(&grp->unresolved, row.speaker, 1, NULL);
    if (!row.speaker) grp->unspoken++;
  }
  if (rc < 0) goto done;
  ThemaBuf title = {0};
  for (int i = 0; i < gs.n; i++) {
    thema_buf_reset(&title);
    thema_buf_printf(&title, "%s %s", g->spec, gs.labels[i]);
    block(ud, title.data);
    report_group(&gs.groups[i], fn, ud);
  }
  if (gs.groups[gs.n].turns) {
    thema_buf_reset(&title);
    thema_buf_printf(&title, "%s (none)", g->spec);
    block(ud, title.data);
    report_ungrouped(&gs.groups[gs.n], fn, ud);
  }
  thema_buf_free(&title);
done:
  thema_grouping_close(c);
  for (int i = 0; gs.groups && i <= gs.n; i++) {
    Group *x = &gs.groups[i];
    Tally *all[] = {&x->sources,       &x->persons,        &x->organisations,
                    &x->unresolved,    &x->member_sources, &x->member_organisations,
                    &x->member_persons};
    for (size_t k = 0; k < sizeof all / sizeof *all; k++) tally_free(all[k]);
  }
  free(gs.groups);
  thema_grouping_free_labels(gs.labels);
  return err->status;
}
