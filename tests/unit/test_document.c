/*
 * test_document.c — the document importer (core/ingest_document.c):
 * paragraphs become segments, ATX and setext headings become their section
 * path, front matter fills the source row, offsets are code points, and a
 * document without a paragraph is refused without writing anything.
 */
#include "helpers.h"
#include "ingest.h"

static char *dir;
static ThemaStore *st;
static char last_path[600];

static void setup(void) {
  dir = th_tmpdir();
  st = th_store(dir);
}

static void teardown(void) {
  thema_store_close(st);
  char cmd[600];
  snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
  cr_expect_eq(system(cmd), 0);
  free(dir);
}

TestSuite(document, .init = setup, .fini = teardown);

/* Write and import name as one command would: one transaction, committed on
 * success and rolled back on error. */
static int import_n(const char *name, const char *data, size_t n,
                    const ThemaImportOptions *opt, ThemaImportResult *res, ThemaError *err) {
  char *p = th_write(dir, name, data, n);
  snprintf(last_path, sizeof last_path, "%s", p);
  free(p);
  ThemaError terr = {0};
  cr_assert_eq(thema_store_begin(st, &terr), THEMA_OK, "%s", terr.msg);
  memset(res, 0, sizeof *res);
  int rc = thema_import_document(st, last_path, opt, res, err);
  cr_assert_eq(rc, err->status);
  if (rc == THEMA_OK)
    cr_assert_eq(thema_store_commit(st, &terr), THEMA_OK, "%s", terr.msg);
  else
    thema_store_rollback(st);
  return rc;
}
#define IMPORT(name, lit, res, err) import_n(name, lit, sizeof(lit) - 1, NULL, res, err)
#define IMPORT_OK(name, lit, res)                                                \
  do {                                                                           \
    ThemaError e_ = {0};                                                         \
    cr_assert_eq(IMPORT(name, lit, res, &e_), THEMA_OK, "%s", e_.msg);           \
  } while (0)

/* The segments of the last source as "[section] text" lines (section "-"
 * when it is NULL), in order. */
static char *paragraphs(void) {
  sqlite3_stmt *q = NULL;
  cr_assert_eq(sqlite3_prepare_v2(thema_store_db(st),
                                  "SELECT ifnull(section, '-'), text FROM segment"
                                  " WHERE source_id = (SELECT max(id) FROM source)"
                                  " ORDER BY ordinal",
                                  -1, &q, NULL),
               SQLITE_OK);
  ThemaBuf b = {0};
  while (sqlite3_step(q) == SQLITE_ROW)
    thema_buf_printf(&b, "[%s] %s\n", sqlite3_column_text(q, 0), sqlite3_column_text(q, 1));
  sqlite3_finalize(q);
  char *s = strdup(thema_buf_str(&b));
  thema_buf_free(&b);
  return s;
}

#define EXPECT_STR(expr, want)                    \
  do {                                            \
    char *s_ = (expr);                            \
    cr_expect_str_eq(s_ ? s_ : "(null)", want);   \
    free(s_);                                     \
  } while (0)

static void expect_slices_exact(void) {
  cr_expect_gt(th_int(st, "SELECT count(*) FROM segment"), 0);
  cr_expect_eq(th_int(st, "SELECT count(*) FROM segment g JOIN source s ON s.id = g.source_id"
                          " WHERE substr(s.text, g.start + 1, g.end - g.start) IS NOT g.text"
                          " OR g.end > s.length OR g.start > g.end"),
               0, "a segment's text is not its slice of the source text");
  cr_expect_eq(th_int(st, "SELECT count(*) FROM source WHERE length(text) != length"), 0);
  /* Ordinals run 1..n without gaps. */
  cr_expect_eq(th_int(st, "SELECT count(*) FROM segment g WHERE ordinal !="
                          " (SELECT count(*) FROM segment h WHERE h.source_id = g.source_id"
                          " AND h.ordinal <= g.ordinal)"),
               0);
}

static long long rows(const char *table) {
  char sql[100];
  snprintf(sql, sizeof sql, "SELECT count(*) FROM %s", table);
  return th_int(st, sql);
}

Test(document, paragraphs_with_atx_section_paths) {
  ThemaImportResult res;
  IMPORT_OK("rapport.md",
            "# Inleiding\n"
            "\n"
            "Eerste alinea\n"
            "over twee regels.\n"
            "\n"
            "## Achtergrond\n"
            "\n"
            "Tweede alinea.\n"
            "### Details ###\n"
            "Derde alinea, direct onder de kop.\n"
            "## Aanpak\n"
            "\n"
            "Vierde.\n"
            "\n"
            "# Methode\n"
            "\n"
            "Vijfde.\n",
            &res);
  EXPECT_STR(paragraphs(),
             "[Inleiding] Eerste alinea\nover twee regels.\n"
             "[Inleiding > Achtergrond] Tweede alinea.\n"
             "[Inleiding > Achtergrond > Details] Derde alinea, direct onder de kop.\n"
             "[Inleiding > Aanpak] Vierde.\n"
             "[Methode] Vijfde.\n");
  cr_expect_eq(res.segments, 5);
  cr_expect_gt(res.source_id, 0);
  EXPECT_STR(th_text(st, "SELECT name || '|' || kind || '|' || format FROM source"),
             "rapport|document|md");
  /* Document segments have no speaker and no times. */
  cr_expect_eq(th_int(st, "SELECT count(*) FROM segment WHERE speaker_id IS NULL"
                          " AND time_start IS NULL"),
               5);
  expect_slices_exact();
}

Test(document, text_before_any_heading_has_no_section) {
  ThemaImportResult res;
  IMPORT_OK("plain.txt", "Een alinea zonder kop.\n\nNog een.\n# Kop\nDaarna.\n", &res);
  EXPECT_STR(paragraphs(), "[-] Een alinea zonder kop.\n[-] Nog een.\n[Kop] Daarna.\n");
  EXPECT_STR(th_text(st, "SELECT format FROM source"), "txt");
}

Test(document, skipped_levels_are_left_out_of_the_path) {
  ThemaImportResult res;
  IMPORT_OK("skip.md", "# A\n### C\n\nTekst.\n## B\nMeer.\n", &res);
  EXPECT_STR(paragraphs(), "[A > C] Tekst.\n[A > B] Meer.\n");
}

Test(document, empty_heading_closes_the_section_without_a_title) {
  ThemaImportResult res;
  IMPORT_OK("emptyhead.md", "# A\n## B\n\nEen.\n##\n\nTwee.\n#\nDrie.\n", &res);
  EXPECT_STR(paragraphs(), "[A > B] Een.\n[A] Twee.\n[-] Drie.\n");
}

Test(document, setext_headings) {
  ThemaImportResult res;
  IMPORT_OK("setext.md",
            "Titel\n"
            "=====\n"
            "\n"
            "Alinea een.\n"
            "\n"
            "Deel\n"
            "----\n"
            "\n"
            "Alinea twee.\n"
            "\n"
            "Tweede titel\n"
            "===\n"
            "Alinea drie.\n",
            &res);
  EXPECT_STR(paragraphs(),
             "[Titel] Alinea een.\n"
             "[Titel > Deel] Alinea twee.\n"
             "[Tweede titel] Alinea drie.\n");
  expect_slices_exact();
}

/* Bold and italic asterisks from a PDF conversion go; underscores stay, since
 * they are often part of a name (snake_case). */
Test(document, emphasis_markers_are_stripped_from_headings) {
  ThemaImportResult res;
  IMPORT_OK("bold.md",
            "# **Resultaten**\n\nTekst een.\n\n"
            "## *Deel* __twee__ ##\n\nTekst twee.\n\n"
            "**Setext vet**\n---\n\nTekst drie.\n",
            &res);
  EXPECT_STR(paragraphs(),
             "[Resultaten] Tekst een.\n"
             "[Resultaten > Deel __twee__] Tekst twee.\n"
             "[Resultaten > Setext vet] Tekst drie.\n");
}

Test(document, emphasis_in_paragraphs_is_kept) {
  /* Only headings are cleaned: a paragraph is stored as written. */
  ThemaImportResult res;
  IMPORT_OK("em.md", "# Kop\n\nDit is **belangrijk** en _schuin_.\n", &res);
  EXPECT_STR(paragraphs(), "[Kop] Dit is **belangrijk** en _schuin_.\n");
  expect_slices_exact();
}

Test(document, hashes_that_are_no_heading_are_text) {
  ThemaImportResult res;
  IMPORT_OK("hash.md", "#hashtag zonder spatie\n\n####### zeven hekjes\n", &res);
  EXPECT_STR(paragraphs(), "[-] #hashtag zonder spatie\n[-] ####### zeven hekjes\n");
}

Test(document, a_rule_between_paragraphs_is_no_text) {
  ThemaImportResult res;
  IMPORT_OK("rule.md", "Een.\n\n---\n\nTwee.\n", &res);
  EXPECT_STR(paragraphs(), "[-] Een.\n[-] Twee.\n");
}

Test(document, last_paragraph_without_final_newline_is_kept) {
  ThemaImportResult res;
  IMPORT_OK("nonl.md", "# Kop\n\nEen.\n\nTwee zonder regeleinde.", &res);
  EXPECT_STR(paragraphs(), "[Kop] Een.\n[Kop] Twee zonder regeleinde.\n");
  cr_expect_eq(res.segments, 2);
  expect_slices_exact();
}

Test(document, single_paragraph_without_newline) {
  ThemaImportResult res;
  IMPORT_OK("one.txt", "Alleen dit.", &res);
  EXPECT_STR(paragraphs(), "[-] Alleen dit.\n");
}

Test(document, paragraph_lines_keep_their_indentation_inside) {
  ThemaImportResult res;
  IMPORT_OK("indent.txt", "   eerste regel  \n   tweede regel\t\n\n", &res);
  /* Leading space of the first line and trailing space of the last are trimmed. */
  EXPECT_STR(paragraphs(), "[-] eerste regel  \n   tweede regel\n");
  expect_slices_exact();
}

Test(document, front_matter_fills_the_source_row) {
  ThemaImportResult res;
  IMPORT_OK("beleid.md",
            "---\n"
            "title: Beleidsnota integratie\n"
            "date: 2022-01-15\n"
            "auteur: VVSG\n"
            "---\n"
            "# Visie\n"
            "\n"
            "Samen leren.\n",
            &res);
  EXPECT_STR(th_text(st, "SELECT title FROM source"), "Beleidsnota integratie");
  EXPECT_STR(th_text(st, "SELECT date FROM source"), "2022-01-15");
  EXPECT_STR(th_text(st, "SELECT value FROM attribute WHERE entity = 'source' AND key = 'auteur'"),
             "VVSG");
  cr_expect_eq(rows("attribute"), 1);
  EXPECT_STR(th_text(st, "SELECT text FROM source"), "# Visie\n\nSamen leren.\n");
  EXPECT_STR(paragraphs(), "[Visie] Samen leren.\n");
  expect_slices_exact();
}

Test(document, offsets_are_code_points) {
  ThemaImportResult res;
  IMPORT_OK("nl.md",
            "---\ntitle: Co\xC3\xB6rdinatie\n---\n"
            "# Co\xC3\xB6rdinatie \xE2\x80\x99t caf\xC3\xA9\n"
            "\n"
            "De co\xC3\xB6rdinatie \xE2\x80\x99t caf\xC3\xA9.\n"
            "\n"
            "\xF0\x9F\x98\x80 Tweede \xE2\x80\x9C" "alinea\xE2\x80\x9D.\n",
            &res);
  EXPECT_STR(paragraphs(),
             "[Co\xC3\xB6rdinatie \xE2\x80\x99t caf\xC3\xA9] De co\xC3\xB6rdinatie \xE2\x80\x99t "
             "caf\xC3\xA9.\n"
             "[Co\xC3\xB6rdinatie \xE2\x80\x99t caf\xC3\xA9] \xF0\x9F\x98\x80 Tweede "
             "\xE2\x80\x9C" "alinea\xE2\x80\x9D.\n");
  /* "# Coördinatie ’t café\n\n" is 21 + 2 code points, the paragraph 23. */
  cr_expect_eq(th_int(st, "SELECT start FROM segment WHERE ordinal = 1"), 23);
  cr_expect_eq(th_int(st, "SELECT end FROM segment WHERE ordinal = 1"), 23 + 23);
  cr_expect_eq(th_int(st, "SELECT start FROM segment WHERE ordinal = 2"), 23 + 23 + 2);
  expect_slices_exact();
}

Test(document, crlf_and_bom_are_tolerated) {
  ThemaImportResult res;
  IMPORT_OK("win.md", "\xEF\xBB\xBF# Kop\r\n\r\nRegel een\r\nregel twee\r\n", &res);
  EXPECT_STR(paragraphs(), "[Kop] Regel een\nregel twee\n");
  cr_expect_eq(th_int(st, "SELECT instr(text, char(13)) FROM source"), 0);
  expect_slices_exact();
}

Test(document, reimport_unchanged_and_replace) {
  ThemaImportResult res;
  IMPORT_OK("doc.md", "# A\n\nOude tekst.\n", &res);
  IMPORT_OK("doc.md", "# A\n\nOude tekst.\n", &res);
  cr_expect_eq(res.unchanged, 1);
  cr_expect_eq(rows("segment"), 1);
  ThemaError err = {0};
  cr_assert_eq(IMPORT("doc.md", "# A\n\nNieuwe tekst.\n", &res, &err), THEMA_EINPUT);
  cr_expect(strstr(err.msg, "--replace") != NULL, "%s", err.msg);
  EXPECT_STR(paragraphs(), "[A] Oude tekst.\n");
  ThemaImportOptions opt = {.replace = 1};
  ThemaError err2 = {0};
  static const char changed[] = "# A\n\nNieuwe tekst.\n";
  cr_assert_eq(import_n("doc.md", changed, sizeof changed - 1, &opt, &res, &err2), THEMA_OK,
               "%s", err2.msg);
  cr_expect_eq(res.replaced, 1);
  EXPECT_STR(paragraphs(), "[A] Nieuwe tekst.\n");
  cr_expect_eq(th_int(st, "SELECT count(*) FROM segment_fts WHERE segment_fts MATCH 'oude'"), 0);
  cr_expect_eq(th_int(st, "SELECT count(*) FROM segment_fts WHERE segment_fts MATCH 'nieuwe'"),
               1);
}

typedef struct ErrCase {
  const char *what, *name, *data;
  size_t n;
  const char *where, *needle;
} ErrCase;

#define EC(what, name, lit, where, needle) {what, name, lit, sizeof(lit) - 1, where, needle}

static const ErrCase err_cases[] = {
    EC("headings only", "heads.md", "# A\n## B\n\n### C\n", ": ", "no paragraph of text"),
    EC("setext heading only", "setext.md", "Titel\n=====\n", ": ", "no paragraph of text"),
    EC("front matter only", "fm.md", "---\ntitle: x\n---\n\n", ": ", "no paragraph of text"),
    EC("empty front matter only", "rules.md", "---\n\n---\n", ": ", "no paragraph of text"),
    EC("empty file", "empty.md", "", ": ", "file is empty"),
    EC("whitespace only", "blank.md", " \n\t\n", ": ", "file is empty"),
    EC("invalid UTF-8", "utf.md", "# Kop\n\nDe caf\xC3\xA9 \xE9\n", ":3:9: ", "invalid UTF-8"),
    EC("NUL byte", "nul.md", "Een\0twee\n", ":1:4: ", "NUL byte"),
    EC("unclosed front matter", "open.md", "---\ntitle: x\n\nTekst.\n", ":4:1: ",
       "expected 'key: value'"),
    EC("bad front-matter line", "bad.md", "---\nzomaar tekst\n---\nTekst.\n", ":2:1: ",
       "expected 'key: value'"),
};

Test(document, errors_name_the_file_and_write_nothing) {
  for (size_t i = 0; i < sizeof err_cases / sizeof *err_cases; i++) {
    const ErrCase *c = &err_cases[i];
    ThemaImportResult res;
    ThemaError err = {0};
    int rc = import_n(c->name, c->data, c->n, NULL, &res, &err);
    cr_expect_eq(rc, THEMA_EINPUT, "%s: status %d (%s)", c->what, rc, err.msg);
    char want[800];
    snprintf(want, sizeof want, "%s%s", last_path, c->where);
    cr_expect(strncmp(err.msg, want, strlen(want)) == 0, "%s: message '%s' should start '%s'",
              c->what, err.msg, want);
    cr_expect(strstr(err.msg, c->needle) != NULL, "%s: message '%s' lacks '%s'", c->what,
              err.msg, c->needle);
    static const char *const tables[] = {"source", "segment", "attribute"};
    for (size_t t = 0; t < 3; t++)
      cr_expect_eq(rows(tables[t]), 0, "%s: %s rows left after rollback", c->what, tables[t]);
  }
}
