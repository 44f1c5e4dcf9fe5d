/*
 * test_grouping.c — groupings (store/grouping.h) on a store of the shipped
 * study: specs parsed and refused with the known kinds and keys, segments
 * in several networks through membership, segments without a group kept
 * (never dropped from counts), the label filter, labels and members (who
 * belongs but did not speak), and every figure checked against SQL.
 */
#include "import_helpers.h"
#include "store/grouping.h"
#include "store/query.h"
#include "store/summary.h"

static char *dir;
static ThemaStore *st;

static const char *root(void) {
  const char *r = getenv("THEMA_ROOT");
  return r && *r ? r : ".";
}

static void import(ThImporter fn, const char *rel) {
  char path[1024];
  snprintf(path, sizeof path, "%s/corpora/leren-om-te-leren/%s", root(), rel);
  ThemaImportOptions opt = {0};
  ThemaImportResult res;
  ThemaError err = {0};
  cr_assert_eq(th_import(st, fn, path, &opt, &res, &err), THEMA_OK, "%s: %s", rel, err.msg);
}

/* The study's transcripts, two documents and its cases. */
static void setup(void) {
  th_scratch_open(&dir, &st);
  static const char *const transcripts[] = {"fg1-leuven-hageland", "fg2-centrumsteden",
                                            "fg3-limburg", "interview-agii",
                                            "interview-vvsg"};
  for (size_t i = 0; i < 5; i++) {
    char rel[128];
    snprintf(rel, sizeof rel, "transcripts/%s.txt", transcripts[i]);
    import(thema_import_transcript, rel);
  }
  import(thema_import_document, "documents/verkennend-gesprek.md");
  import(thema_import_cases, "organisations.csv");
  import(thema_import_cases, "cases.csv");
}

static void teardown(void) { th_scratch_close(&dir, &st); }

TestSuite(grouping, .init = setup, .fini = teardown);

static ThemaGrouping parse_ok(const char *spec) {
  ThemaGrouping g;
  ThemaError err = {0};
  cr_assert_eq(thema_grouping_parse(st, spec, &g, &err), THEMA_OK, "%s: %s", spec, err.msg);
  return g;
}

static ThemaValue text(const char *s) {
  return (ThemaValue){.type = THEMA_VALUE_TEXT, .s = s, .len = strlen(s)};
}

/* ---- parsing ---- */

Test(grouping, every_kind_parses) {
  static const struct {
    const char *spec;
    ThemaGroupingKind kind;
  } cases[] = {{"source", THEMA_GROUP_SOURCE},
               {"network", THEMA_GROUP_NETWORK},
               {"organisation", THEMA_GROUP_ORGANISATION},
               {"role", THEMA_GROUP_ROLE},
               {"person", THEMA_GROUP_PERSON},
               {"source.network", THEMA_GROUP_SOURCE_KEY},
               {"source.genre", THEMA_GROUP_SOURCE_KEY},
               {"person.function", THEMA_GROUP_PERSON_KEY},
               {"organisation.province", THEMA_GROUP_ORGANISATION_KEY},
               {"organisation.centrumstad", THEMA_GROUP_ORGANISATION_KEY}};
  for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
    ThemaGrouping g = parse_ok(cases[i].spec);
    cr_expect_eq(g.kind, cases[i].kind, "%s", cases[i].spec);
    cr_expect_str_eq(g.spec, cases[i].spec);
  }
  cr_expect_str_eq(parse_ok("organisation.province").key, "province");
  cr_expect_eq(parse_ok("source.network").column, 1);
}

Test(grouping, bad_specs_name_the_known_kinds_and_keys) {
  static const struct {
    const char *spec;
    const char *needles[3];
  } cases[] = {
      {"party", {"unknown grouping 'party'", "network, organisation, role", "source.KEY"}},
      {"", {"empty grouping", "organisation.KEY", NULL}},
      {"speaker.party", {"unknown grouping 'speaker.party'", "person.KEY", NULL}},
      {"organisation.party",
       {"grouping 'organisation.party'", "no organisation has the attribute 'party'",
        "known keys: centrumstad, province, type"}},
      {"person.party",
       {"no person has the attribute 'party'", "known keys: function", NULL}},
      {"source.party",
       {"no source has the attribute 'party'", "kind, genre, network", NULL}},
      {"organisation.", {"no organisation has the attribute ''", NULL, NULL}},
  };
  for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
    ThemaGrouping g;
    ThemaError err = {0};
    cr_expect_eq(thema_grouping_parse(st, cases[i].spec, &g, &err), THEMA_EINPUT, "%s",
                 cases[i].spec);
    for (int k = 0; k < 3 && cases[i].needles[k]; k++)
      th_contains(err.msg, cases[i].needles[k], cases[i].spec);
  }
}

/* ---- the cursor ---- */

/* Every row of grouping spec over the filters as "source:ordinal|group|nth" lines. */
static char *walk(const char *spec, const ThemaFilter *f, int nf, const char *const *only,
                  int nonly) {
  ThemaGrouping g = parse_ok(spec);
  ThemaGroupCursor *c = NULL;
  ThemaError err = {0};
  cr_assert_eq(thema_grouping_open(st, &g, f, nf, only, nonly, &c, &err), THEMA_OK, "%s",
               err.msg);
  ThemaGroupRow row;
  ThemaBuf b = {0};
  int rc;
  while ((rc = thema_grouping_step(c, &row, &err)) == 1)
    thema_buf_printf(&b, "%s:%lld|%s|%d\n", row.source, (long long)row.ordinal,
                     row.group ? row.group : "NULL", row.nth);
  cr_assert_eq(rc, 0, "%s", err.msg);
  thema_grouping_close(c);
  char *s = strdup(thema_buf_str(&b));
  thema_buf_free(&b);
  return s;
}

/* The same rows computed by SQL alone, for network through membership. */
static const char network_sql[] =
    "SELECT s.name || ':' || g.ordinal || '|' || coalesce(n.name, 'NULL') || '|' ||"
    " (row_number() OVER (PARTITION BY g.id ORDER BY n.name) - 1)"
    " FROM segment g JOIN source s ON s.id = g.source_id"
    " LEFT JOIN speaker sp ON sp.id = g.speaker_id LEFT JOIN person p ON p.id = sp.person_id"
    " LEFT JOIN membership m ON m.organisation_id = p.organisation_id"
    " LEFT JOIN network n ON n.id = m.network_id"
    " WHERE s.kind = 'transcript' ORDER BY s.name, g.ordinal, n.name";

Test(grouping, network_goes_through_membership_and_keeps_ungrouped_segments) {
  ThemaValue tr = text("transcript");
  ThemaFilter f = {.key = "kind", .values = &tr, .nvalues = 1};
  char *got = walk("network", &f, 1, NULL, 0);
  char *want = th_rows(st, network_sql);
  cr_expect_str_eq(got, want);
  /* R2.7 of Genk speaks in the centrumsteden group; Genk is in both networks */
  char *genk =
      th_text(st, "SELECT 'fg2-centrumsteden:' || g.ordinal FROM segment g"
                  " JOIN speaker sp ON sp.id = g.speaker_id WHERE sp.label = 'R2.7'"
                  " ORDER BY g.ordinal LIMIT 1");
  char line[128];
  snprintf(line, sizeof line, "%s|Centrumsteden|0\n%s|Limburg|1\n", genk, genk);
  th_contains(got, line, "network rows");
  /* the interviewer has no organisation: a NULL group, once */
  char *iv = th_text(st, "SELECT 'fg2-centrumsteden:' || g.ordinal FROM segment g"
                         " JOIN speaker sp ON sp.id = g.speaker_id JOIN source s"
                         " ON s.id = g.source_id WHERE sp.label = 'I'"
                         " AND s.name = 'fg2-centrumsteden' ORDER BY g.ordinal LIMIT 1");
  snprintf(line, sizeof line, "%s|NULL|0\n", iv);
  th_contains(got, line, "network rows");
  /* no segment dropped: one first row per transcript turn */
  long long firsts = 0;
  for (const char *p = got; (p = strstr(p, "|0\n")); p++) firsts++;
  cr_expect_eq(firsts, th_int(st, "SELECT count(*) FROM segment g JOIN source s"
                                  " ON s.id = g.source_id WHERE s.kind = 'transcript'"));
  free(genk);
  free(iv);
  free(got);
  free(want);
}

Test(grouping, only_keeps_the_named_groups) {
  const char *only[] = {"Limburg"};
  char *got = walk("network", NULL, 0, only, 1);
  th_lacks(got, "NULL", "Limburg rows");
  th_lacks(got, "Centrumsteden", "Limburg rows");
  long long n = 0;
  for (const char *p = got; (p = strchr(p, '\n')); p++) n++;
  cr_expect_eq(
      n, th_int(st, "SELECT count(*) FROM segment g JOIN speaker sp"
                    " ON sp.id = g.speaker_id JOIN person p ON p.id = sp.person_id"
                    " JOIN membership m ON m.organisation_id = p.organisation_id"
                    " JOIN network n ON n.id = m.network_id WHERE n.name = 'Limburg'"));
  free(got);
}

Test(grouping, attribute_and_column_groupings_match_sql) {
  static const struct {
    const char *spec, *sql;
  } cases[] = {
      {"organisation.centrumstad",
       "SELECT s.name || ':' || g.ordinal || '|' || coalesce(a.value, 'NULL') || '|0'"
       " FROM segment g JOIN source s ON s.id = g.source_id"
       " LEFT JOIN speaker sp ON sp.id = g.speaker_id LEFT JOIN person p ON p.id = sp.person_id"
       " LEFT JOIN attribute a ON a.entity = 'organisation' AND a.entity_id ="
       " p.organisation_id AND a.key = 'centrumstad' ORDER BY s.name, g.ordinal"},
      {"source.network",
       "SELECT s.name || ':' || g.ordinal || '|' || coalesce(s.network, 'NULL') || '|0'"
       " FROM segment g JOIN source s ON s.id = g.source_id ORDER BY s.name, g.ordinal"},
      {"role",
       "SELECT s.name || ':' || g.ordinal || '|' || coalesce(p.role, 'NULL') || '|0'"
       " FROM segment g JOIN source s ON s.id = g.source_id"
       " LEFT JOIN speaker sp ON sp.id = g.speaker_id LEFT JOIN person p ON p.id = sp.person_id"
       " ORDER BY s.name, g.ordinal"},
      {"source",
       "SELECT s.name || ':' || g.ordinal || '|' || s.name || '|0'"
       " FROM segment g JOIN source s ON s.id = g.source_id ORDER BY s.name, g.ordinal"},
  };
  for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
    char *got = walk(cases[i].spec, NULL, 0, NULL, 0);
    char *want = th_rows(st, cases[i].sql);
    cr_expect_str_eq(got, want, "%s", cases[i].spec);
    free(got);
    free(want);
  }
}

Test(grouping, rows_carry_the_segment_and_its_speaker) {
  ThemaGrouping g = parse_ok("organisation");
  ThemaValue src = text("fg1-leuven-hageland");
  ThemaFilter f = {.key = "source", .values = &src, .nvalues = 1};
  ThemaGroupCursor *c = NULL;
  ThemaError err = {0};
  cr_assert_eq(thema_grouping_open(st, &g, &f, 1, NULL, 0, &c, &err), THEMA_OK, "%s",
               err.msg);
  ThemaGroupRow row;
  long long words = 0, rows = 0;
  while (thema_grouping_step(c, &row, &err) == 1) {
    rows++;
    words += row.words;
    cr_expect_eq(row.text_len, strlen(row.text));
    if (row.group) {
      cr_expect_str_eq(row.group, row.organisation);
      cr_expect_gt(row.person_id, 0);
      char sql[256];
      snprintf(sql, sizeof sql, "SELECT p.name FROM person p WHERE p.id = %lld",
               (long long)row.person_id);
      TH_EXPECT_STR(th_text(st, sql), row.person);
    } else {
      cr_expect_str_eq(row.speaker, "I");
    }
  }
  cr_expect_eq(err.status, THEMA_OK, "%s", err.msg);
  thema_grouping_close(c);
  cr_expect_eq(rows,
               th_int(st, "SELECT count(*) FROM segment g JOIN source s"
                          " ON s.id = g.source_id WHERE s.name = 'fg1-leuven-hageland'"));
  /* words are counted, not bytes or code points */
  cr_expect_gt(words, 100);
  cr_expect_lt(words,
               th_int(st, "SELECT sum(length(g.text)) FROM segment g JOIN source s"
                          " ON s.id = g.source_id WHERE s.name = 'fg1-leuven-hageland'") /
                   3);
}

Test(grouping, a_bad_segment_filter_is_a_usage_error) {
  ThemaGrouping g = parse_ok("network");
  ThemaValue v = text("x");
  ThemaFilter f = {.key = "colour", .values = &v, .nvalues = 1};
  ThemaGroupCursor *c = NULL;
  ThemaError err = {0};
  cr_expect_eq(thema_grouping_open(st, &g, &f, 1, NULL, 0, &c, &err), THEMA_EUSAGE);
  cr_expect_null(c);
  th_contains(err.msg, "unknown filter 'colour'", "message");
}

/* ---- labels and members ---- */

static char *labels(const char *spec) {
  ThemaGrouping g = parse_ok(spec);
  char **l = NULL;
  int n = 0;
  ThemaError err = {0};
  cr_assert_eq(thema_grouping_labels(st, &g, &l, &n, &err), THEMA_OK, "%s", err.msg);
  ThemaBuf b = {0};
  for (int i = 0; i < n; i++) thema_buf_printf(&b, "%s%s", i ? "," : "", l[i]);
  cr_expect_null(l[n]);
  thema_grouping_free_labels(l);
  char *s = strdup(thema_buf_str(&b));
  thema_buf_free(&b);
  return s;
}

Test(grouping, labels_are_every_value_sorted) {
  TH_EXPECT_STR(labels("network"), "Centrumsteden,Leuven-Hageland,Limburg");
  TH_EXPECT_STR(labels("organisation.centrumstad"), "ja,nee");
  TH_EXPECT_STR(labels("source.network"), "Centrumsteden,Leuven-Hageland,Limburg");
  TH_EXPECT_STR(labels("source.genre"), "document,focusgroup,interview");
  char *roles = labels("role");
  th_contains(roles, "integratieambtenaar,interviewer", "roles");
  free(roles);
}

static int collect(void *ud, const ThemaGroupMember *m, ThemaError *err) {
  (void)err;
  thema_buf_printf(ud, "%s|%s|%s|%s|%lld\n", m->group, m->kind, m->name,
                   m->organisation ? m->organisation : "-", (long long)m->turns);
  return 0;
}

static char *members(const char *spec) {
  ThemaGrouping g = parse_ok(spec);
  ThemaBuf b = {0};
  ThemaError err = {0};
  cr_assert_eq(thema_grouping_members(st, &g, collect, &b, &err), THEMA_OK, "%s", err.msg);
  char *s = strdup(thema_buf_str(&b));
  thema_buf_free(&b);
  return s;
}

Test(grouping, members_include_those_who_did_not_speak) {
  char *m = members("network");
  /* Aarschot and Tienen belong to Leuven-Hageland and nobody of theirs speaks */
  th_contains(m, "Leuven-Hageland|organisation|Aarschot|-|0\n", "members");
  th_contains(m, "Leuven-Hageland|organisation|Tienen|-|0\n", "members");
  /* Leuven's persons speak in two focus groups: all their turns count */
  char want[128];
  snprintf(want, sizeof want, "Leuven-Hageland|organisation|Leuven|-|%lld\n",
           th_int(st,
                  "SELECT count(*) FROM segment g JOIN speaker sp ON sp.id ="
                  " g.speaker_id JOIN person p ON p.id = sp.person_id JOIN organisation o"
                  " ON o.id = p.organisation_id WHERE o.name = 'Leuven'"));
  th_contains(m, want, "members");
  th_contains(m, "Limburg|organisation|Genk|-|", "members");
  th_contains(m, "Leuven-Hageland|person|FG2-R2|Leuven|", "members");
  /* organisations before persons within a group, each by name */
  cr_expect_lt(strstr(m, "Leuven-Hageland|organisation|Tienen"),
               strstr(m, "Leuven-Hageland|person|"));
  th_lacks(m, "INT-I", "network members");
  /* persons: one line per group membership */
  long long persons = 0;
  for (const char *p = m; (p = strstr(p, "|person|")); p++) persons++;
  cr_expect_eq(persons, th_int(st, "SELECT count(*) FROM person p JOIN membership m"
                                   " ON m.organisation_id = p.organisation_id"));
  free(m);
  char *s = members("source");
  th_contains(s, "fg1-leuven-hageland|source|fg1-leuven-hageland|-|", "source members");
  th_contains(s, "fg1-leuven-hageland|person|INT-I|-|", "source members");
  free(s);
  char *r = members("role");
  th_contains(r, "stagiair|person|FG1-R4|Diest|", "role members");
  free(r);
}

static int collect_present(void *ud, const ThemaGroupMember *m, ThemaError *err) {
  (void)err;
  if (strcmp(m->kind, "source") != 0)
    thema_buf_printf(ud, "%s|%s|%s\n", m->group, m->name,
                     m->present_in ? m->present_in : "-");
  return 0;
}

Test(grouping, members_say_where_they_are_speakers) {
  ThemaGrouping g = parse_ok("network");
  ThemaBuf b = {0};
  ThemaError err = {0};
  cr_assert_eq(thema_grouping_members(st, &g, collect_present, &b, &err), THEMA_OK, "%s",
               err.msg);
  const char *m = thema_buf_str(&b);
  /* Genk sat at the centrumsteden table, not at Limburg's: present, and where */
  th_contains(m, "Limburg|Genk|fg2-centrumsteden\n", "present");
  th_contains(m, "Centrumsteden|Leuven|fg1-leuven-hageland;fg2-centrumsteden\n", "present");
  /* at the Limburg table (bijlage 7) though never quoted */
  th_contains(m, "Limburg|Lanaken|fg3-limburg\n", "present");
  th_contains(m, "Limburg|Hasselt|-\n", "present");
  thema_buf_free(&b);
}

static int stop_at_second(void *ud, const ThemaGroupMember *m, ThemaError *err) {
  (void)m;
  (void)err;
  return ++*(int *)ud == 2 ? 7 : 0;
}

Test(grouping, a_callback_can_stop_the_walk) {
  ThemaGrouping g = parse_ok("organisation");
  int seen = 0;
  ThemaError err = {0};
  cr_expect_eq(thema_grouping_members(st, &g, stop_at_second, &seen, &err), 7);
  cr_expect_eq(seen, 2);
}

Test(grouping, column_names_are_the_plain_kinds) {
  cr_expect_eq(parse_ok("person.role").kind, THEMA_GROUP_ROLE);
  cr_expect_eq(parse_ok("organisation.network").kind, THEMA_GROUP_NETWORK);
  cr_expect_eq(parse_ok("person.organisation").kind, THEMA_GROUP_ORGANISATION);
  cr_expect_str_eq(parse_ok("person.role").spec, "person.role");
  cr_expect_str_eq(parse_ok("person.role").key, "");
}

/* ---- the summary of stats --by ---- */

static void block(void *ud, const char *title) { thema_buf_printf(ud, "[%s]\n", title); }
static void figure(void *ud, const char *label, const char *value) {
  thema_buf_printf(ud, "%s=%s\n", label, value);
}

Test(grouping, stats_blocks_say_who_was_present_silent_and_absent) {
  ThemaGrouping g = parse_ok("network");
  ThemaValue tr = text("transcript");
  ThemaFilter f = {.key = "kind", .values = &tr, .nvalues = 1};
  ThemaBuf b = {0};
  ThemaError err = {0};
  cr_assert_eq(thema_summary_groups(st, &g, &f, 1, block, figure, &b, &err), THEMA_OK, "%s",
               err.msg);
  const char *out = thema_buf_str(&b);
  const char *lim = strstr(out, "[network Limburg]\n");
  cr_assert_not_null(lim, "%s", out);
  th_contains(lim, "members=15 organisations, 9 persons\n", "Limburg");
  th_contains(lim,
              "present=8 of 15: Dilsen-Stokkem (fg3-limburg), Genk (fg2-centrumsteden),",
              "Limburg");
  th_contains(lim, "silent=2: Heusden-Zolder, Lanaken\n", "Limburg");
  th_contains(lim,
              "absent=7: Beringen, Bilzen, Ham, Hasselt, Houthalen-Helchteren, Maaseik, "
              "Sint-Truiden\n",
              "Limburg");
  char want[128];
  snprintf(want, sizeof want, "turns=%lld\n",
           th_int(st,
                  "SELECT count(DISTINCT g.id) FROM segment g JOIN speaker sp ON sp.id ="
                  " g.speaker_id JOIN person p ON p.id = sp.person_id JOIN membership m"
                  " ON m.organisation_id = p.organisation_id JOIN network n"
                  " ON n.id = m.network_id WHERE n.name = 'Limburg'"));
  th_contains(lim, want, "Limburg");
  /* the segments outside every network, last */
  const char *none = strstr(out, "[network (none)]\n");
  cr_assert_not_null(none, "%s", out);
  cr_expect_null(strstr(none + 1, "[network "), "(none) comes last");
  th_contains(none, "INT-I (", "(none)");
  thema_buf_free(&b);
}

Test(grouping, stats_by_source_lists_the_speakers_organisations) {
  ThemaGrouping g = parse_ok("source.network");
  ThemaBuf b = {0};
  ThemaError err = {0};
  cr_assert_eq(thema_summary_groups(st, &g, NULL, 0, block, figure, &b, &err), THEMA_OK,
               "%s", err.msg);
  const char *out = thema_buf_str(&b);
  th_contains(out, "[source.network Leuven-Hageland]\nmembers=1 source, 5 persons\n",
              "stats");
  th_contains(out, "organisations=3: Diest (9), Landen (3), Leuven (5)\n", "stats");
  /* documents have no network in their front matter and no speaker */
  th_contains(out, "[source.network (none)]\n", "stats");
  th_contains(out, "no speaker=7\n", "stats"); /* verkennend-gesprek's paragraphs */
  thema_buf_free(&b);
}
