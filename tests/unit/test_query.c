/*
 * test_query.c — the store's queries from C (store/query.h): filters with
 * their values bound, negation, counts equal to listings, errors that name
 * the accepted keys, the codings the visible_coding view shows; and the Lua
 * getters built on them raising (not returning nothing) when the store
 * cannot answer.
 */
#include "helpers.h"
#include "lua/bind.h"
#include "lua/ctx.h"
#include "lua_helpers.h"
#include "store/query.h"

static char *dir;
static ThemaStore *st;

/* Two sources, three segments (one without a speaker), one person each. */
static void setup(void) {
  th_scratch_open(&dir, &st);
  th_exec(
      st,
      "INSERT INTO source(id, name, kind, network, format, path, hash, text, length,"
      " imported_at) VALUES"
      " (1, 'a', 'transcript', 'Limburg', 'txt', 'a.txt', 'h', 'R1: een twee', 12, 't'),"
      " (2, 'b', 'document', NULL, 'md', 'b.md', 'h', 'drie', 4, 't');"
      "INSERT INTO organisation(id, name) VALUES (1, 'Genk'), (2, 'Diest');"
      "INSERT INTO person(id, name, organisation_id, role) VALUES (1, 'p1', 1, 'ambt');"
      "INSERT INTO speaker(id, source_id, label, person_id) VALUES (1, 1, 'R1', 1);"
      "INSERT INTO segment(id, source_id, ordinal, speaker_id, start, end, text) VALUES"
      " (1, 1, 1, 1, 4, 7, 'een'), (2, 1, 2, 1, 8, 12, 'twee'),"
      " (3, 2, 1, NULL, 0, 4, 'drie');"
      "INSERT INTO code(id, name, path, origin) VALUES (1, 'c', 'c', 'manual');"
      "INSERT INTO run(id, plugin, started_at, status) VALUES (1, 'p', 't', 'ok'),"
      " (2, 'p', 't', 'failed');"
      "INSERT INTO coding(code_id, segment_id, start, end, run_id, coder) VALUES"
      " (1, 1, 4, 7, 1, NULL), (1, 2, 8, 12, 2, NULL), (1, 3, 0, 4, NULL, 'anna');");
}

static void teardown(void) { th_scratch_close(&dir, &st); }

TestSuite(query, .init = setup, .fini = teardown);

static ThemaValue text(const char *s) {
  return (ThemaValue){.type = THEMA_VALUE_TEXT, .s = s, .len = strlen(s)};
}

/* The ids of entity e for the filters, as "1,2,3", and their count. */
static char *ids(ThemaEntity e, const ThemaFilter *f, int nf, int64_t *count) {
  ThemaError err = {0};
  ThemaCursor *c = NULL;
  cr_assert_eq(thema_query_open(st, e, f, nf, &c, &err), THEMA_OK, "%s", err.msg);
  int id = thema_cursor_column(c, "id");
  ThemaBuf b = {0};
  while (thema_cursor_step(c, &err) == 1)
    thema_buf_printf(&b, "%s%lld", b.len ? "," : "", (long long)thema_cursor_int(c, id));
  cr_assert_eq(err.status, THEMA_OK, "%s", err.msg);
  thema_cursor_close(c);
  cr_assert_eq(thema_query_count(st, e, f, nf, count, &err), THEMA_OK, "%s", err.msg);
  char *s = strdup(thema_buf_str(&b));
  thema_buf_free(&b);
  return s;
}

#define EXPECT_IDS(e, f, nf, want, want_count)                                             \
  do {                                                                                     \
    int64_t n_;                                                                            \
    char *got_ = ids(e, f, nf, &n_);                                                       \
    cr_expect_str_eq(got_, want);                                                          \
    cr_expect_eq(n_, want_count, "count %lld for '%s'", (long long)n_, want);              \
    free(got_);                                                                            \
  } while (0)

Test(query, filters_select_and_counts_agree) {
  EXPECT_IDS(THEMA_SEGMENTS, NULL, 0, "1,2,3", 3);
  ThemaValue a = text("a");
  ThemaFilter by_source = {.key = "source", .values = &a, .nvalues = 1};
  EXPECT_IDS(THEMA_SEGMENTS, &by_source, 1, "1,2", 2);
  ThemaValue both[] = {text("a"), text("b")};
  ThemaFilter either = {.key = "source", .values = both, .nvalues = 2};
  EXPECT_IDS(THEMA_SEGMENTS, &either, 1, "1,2,3", 3);
  ThemaValue two = {.type = THEMA_VALUE_INT, .i = 2};
  ThemaFilter f[] = {{.key = "source", .values = &a, .nvalues = 1},
                     {.key = "ordinal_is_not_a_key", .values = &two, .nvalues = 1}};
  ThemaError err = {0};
  ThemaCursor *c = NULL;
  cr_expect_eq(thema_query_open(st, THEMA_SEGMENTS, f, 2, &c, &err), THEMA_EUSAGE);
  cr_expect_null(c);
  cr_expect(strstr(err.msg,
                   "unknown filter 'ordinal_is_not_a_key' (accepted: id, source,") != NULL,
            "%s", err.msg);
  cr_expect(strstr(err.msg, ", except)") != NULL, "%s", err.msg);
}

Test(query, a_negated_filter_leaves_out_its_matches_and_null_fields_count_as_no_match) {
  ThemaValue r1 = text("R1");
  ThemaFilter not_r1 = {.key = "speaker", .values = &r1, .nvalues = 1, .negate = 1};
  /* segment 3 has no speaker: NULL is not 'R1', so it stays */
  EXPECT_IDS(THEMA_SEGMENTS, &not_r1, 1, "3", 1);
  ThemaValue genk = text("Genk");
  ThemaFilter not_genk = {
      .key = "organisation", .values = &genk, .nvalues = 1, .negate = 1};
  EXPECT_IDS(THEMA_SEGMENTS, &not_genk, 1, "3", 1);
}

Test(query, an_empty_value_list_is_an_error) {
  ThemaFilter f = {.key = "source", .values = NULL, .nvalues = 0};
  ThemaError err = {0};
  int64_t n = -1;
  cr_expect_eq(thema_query_count(st, THEMA_SEGMENTS, &f, 1, &n, &err), THEMA_EUSAGE);
  cr_expect_str_eq(err.msg, "filter 'source' is an empty list");
}

Test(query, values_are_bound_never_pasted) {
  ThemaValue evil = text("a') OR 1 OR ('");
  ThemaFilter f = {.key = "source", .values = &evil, .nvalues = 1};
  EXPECT_IDS(THEMA_SEGMENTS, &f, 1, "", 0);
}

Test(query, codings_are_those_of_the_visible_coding_view) {
  /* the failed run's coding (segment 2) is never listed or counted */
  int64_t n;
  char *got = ids(THEMA_CODINGS, NULL, 0, &n);
  cr_expect_eq(n, 2);
  free(got);
  ThemaValue two = {.type = THEMA_VALUE_INT, .i = 2};
  ThemaFilter f = {.key = "run", .values = &two, .nvalues = 1};
  EXPECT_IDS(THEMA_CODINGS, &f, 1, "", 0);
  ThemaCursor *c = NULL;
  ThemaError err = {0};
  cr_assert_eq(thema_query_codings_table(st, 40, &c, &err), THEMA_OK, "%s", err.msg);
  int rows = 0;
  while (thema_cursor_step(c, &err) == 1) rows++;
  thema_cursor_close(c);
  cr_expect_eq(rows, 2, "the export shows what the listing shows");
}

Test(query, every_entity_has_a_name_and_answers_without_filters) {
  for (int e = 0; e < THEMA_NENTITIES; e++) {
    cr_expect_not_null(thema_query_entity_name((ThemaEntity)e));
    int64_t n = -1;
    ThemaError err = {0};
    cr_expect_eq(thema_query_count(st, (ThemaEntity)e, NULL, 0, &n, &err), THEMA_OK,
                 "%s: %s", thema_query_entity_name((ThemaEntity)e), err.msg);
    cr_expect_geq(n, 0);
  }
}

Test(query, user_sql_is_one_read_only_statement) {
  ThemaCursor *c = NULL;
  ThemaError err = {0};
  cr_expect_eq(thema_query_user_sql(st, "DELETE FROM segment", &c, &err), THEMA_EINPUT);
  cr_expect(strstr(err.msg, "only read-only statements") != NULL, "%s", err.msg);
  thema_error_clear(&err);
  cr_expect_eq(thema_query_user_sql(st, "SELECT 1; SELECT 2", &c, &err), THEMA_EINPUT);
  thema_error_clear(&err);
  cr_expect_eq(thema_query_user_sql(st, "BEGIN", &c, &err), THEMA_EINPUT);
  thema_error_clear(&err);
  cr_assert_eq(thema_query_user_sql(st, "SELECT count(*) AS n FROM segment", &c, &err),
               THEMA_OK);
  cr_expect_str_eq(thema_cursor_name(c, 0), "n");
  cr_expect_eq(thema_cursor_step(c, &err), 1);
  cr_expect_eq(thema_cursor_int(c, 0), 3);
  cr_expect_eq(thema_cursor_step(c, &err), 0);
  thema_cursor_close(c);
}

/* ---- the Lua getters on a store that cannot answer ---- */

static ThemaLuaCtx ctx;

static void bind_store_only(lua_State *L) { thema_bind_store(L); }

/* Today's getters go through the store's checked statements: a query that
 * cannot be prepared raises, where it once bound and stepped a NULL
 * statement and returned an empty answer. */
Test(query, getters_raise_when_the_store_cannot_answer) {
  lua_State *L = th_lua_open(bind_store_only, "thema_bind_store", TH_LUA_PRELUDE);
  ctx = (ThemaLuaCtx){.st = st};
  thema_ctx_set(L, &ctx);
  th_lua_run(L, "eq(thema.get_source('a').name, 'a', 'a source by name')\n"
                "eq(thema.get_attributes('source', 'a').x, nil, 'no attributes')\n"
                "eq(#thema.members('Limburg'), 0, 'no members')\n");
  th_exec(st, "ALTER TABLE attribute RENAME TO attribute_gone;"
              " ALTER TABLE membership RENAME TO membership_gone;");
  th_lua_run(L, "fails(function() return thema.get_attributes('source', 'a') end,"
                " 'no such table')\n"
                "fails(function() return thema.members('Limburg') end, 'no such table')\n");
  th_exec(st, "ALTER TABLE source RENAME TO source_gone");
  th_lua_run(L, "fails(function() return thema.get_source('a') end, 'no such table')\n");
  lua_close(L);
}
