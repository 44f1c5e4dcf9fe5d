/*
 * test_document.c — the document importer (core/ingest_document.c):
 * paragraphs become segments, ATX and setext headings become their section
 * path, front matter fills the source row, offsets are code points, and a
 * document without a paragraph is refused without writing anything.
 */
#include "import_helpers.h"

static char *dir;
static ThemaStore *st;
static char last_path[600];

static void setup(void) { th_scratch_open(&dir, &st); }

static void teardown(void) { th_scratch_close(&dir, &st); }

TestSuite(document, .init = setup, .fini = teardown);

/* Write and import name as one command would: one transaction, committed on
 * success and rolled back on error. */
static int import_n(const char *name, const char *data, size_t n,
                    const ThemaImportOptions *opt, ThemaImportResult *res,
                    ThemaError *err) {
  return th_import_data(st, thema_import_document, dir, name, data, n, opt, res, err,
                        last_path, sizeof last_path);
}
#define IMPORT(name, lit, res, err) import_n(name, lit, sizeof(lit) - 1, NULL, res, err)
#define IMPORT_OK(name, lit, res)                                                          \
  do {                                                                                     \
    ThemaError e_ = {0};                                                                   \
    cr_assert_eq(IMPORT(name, lit, res, &e_), THEMA_OK, "%s", e_.msg);                     \
  } while (0)

/* The segments of the last source as "[section] text" lines (section "-"
 * when it is NULL), in order. */
static char *paragraphs(void) {
  return th_rows(st, "SELECT '[' || ifnull(section, '-') || '] ' || text FROM segment"
                     " WHERE source_id = (SELECT max(id) FROM source)"
                     " ORDER BY ordinal");
}

/* th_expect_slices_exact, and ordinals run 1..n without gaps. */
static void expect_slices_exact(void) {
  th_expect_slices_exact(st);
  cr_expect_eq(th_int(st, "SELECT count(*) FROM segment g WHERE ordinal !="
                          " (SELECT count(*) FROM segment h WHERE h.source_id = g.source_id"
                          " AND h.ordinal <= g.ordinal)"),
               0);
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
  TH_EXPECT_STR(paragraphs(),
                "[Inleiding] Eerste alinea\nover twee regels.\n"
                "[Inleiding > Achtergrond] Tweede alinea.\n"
                "[Inleiding > Achtergrond > Details] Derde alinea, direct onder de kop.\n"
                "[Inleiding > Aanpak] Vierde.\n"
                "[Methode] Vijfde.\n");
  cr_expect_eq(res.segments, 5);
  cr_expect_gt(res.source_id, 0);
  TH_EXPECT_STR(th_text(st, "SELECT name || '|' || kind || '|' || format FROM source"),
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
  TH_EXPECT_STR(paragraphs(), "[-] Een alinea zonder kop.\n[-] Nog een.\n[Kop] Daarna.\n");
  TH_EXPECT_STR(th_text(st, "SELECT format FROM source"), "txt");
}

/* A document and the "[section] text" lines of its paragraphs. */
typedef struct Paragraphs {
  const char *what, *name, *text, *want;
} Paragraphs;

static const Paragraphs paragraph_cases[] = {
    {"skipped levels are left out of the path", "skip.md",
     "# A\n### C\n\nTekst.\n## B\nMeer.\n", "[A > C] Tekst.\n[A > B] Meer.\n"},
    {"empty heading closes the section without a title", "emptyhead.md",
     "# A\n## B\n\nEen.\n##\n\nTwee.\n#\nDrie.\n", "[A > B] Een.\n[A] Twee.\n[-] Drie.\n"},
    {"setext headings open sections", "setext.md",
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
     "[Titel] Alinea een.\n"
     "[Titel > Deel] Alinea twee.\n"
     "[Tweede titel] Alinea drie.\n"},
    /* Bold and italic asterisks from a PDF conversion go; underscores stay, since
     * they are often part of a name (snake_case). */
    {"emphasis markers are stripped from headings", "bold.md",
     "# **Resultaten**\n\nTekst een.\n\n"
     "## *Deel* __twee__ ##\n\nTekst twee.\n\n"
     "**Setext vet**\n---\n\nTekst drie.\n",
     "[Resultaten] Tekst een.\n"
     "[Resultaten > Deel __twee__] Tekst twee.\n"
     "[Resultaten > Setext vet] Tekst drie.\n"},
    /* Only headings are cleaned: a paragraph is stored as written. */
    {"emphasis in paragraphs is kept", "em.md",
     "# Kop\n\nDit is **belangrijk** en _schuin_.\n",
     "[Kop] Dit is **belangrijk** en _schuin_.\n"},
    {"hashes that are no heading are text", "hash.md",
     "#hashtag zonder spatie\n\n####### zeven hekjes\n",
     "[-] #hashtag zonder spatie\n[-] ####### zeven hekjes\n"},
    {"a rule between paragraphs is no text", "rule.md", "Een.\n\n---\n\nTwee.\n",
     "[-] Een.\n[-] Twee.\n"},
    {"single paragraph without newline", "one.txt", "Alleen dit.", "[-] Alleen dit.\n"},
    /* Leading space of the first line and trailing space of the last are trimmed. */
    {"paragraph lines keep their indentation inside", "indent.txt",
     "   eerste regel  \n   tweede regel\t\n\n", "[-] eerste regel  \n   tweede regel\n"},
};

ParameterizedTestParameters(document, paragraphs_and_their_section_paths) {
  TH_ROW_PARAMS(paragraph_cases);
}

ParameterizedTest(size_t *row, document, paragraphs_and_their_section_paths) {
  const Paragraphs *c = &paragraph_cases[*row];
  ThemaImportResult res;
  ThemaError err = {0};
  cr_assert_eq(import_n(c->name, c->text, strlen(c->text), NULL, &res, &err), THEMA_OK,
               "%s: %s", c->what, err.msg);
  char *got = paragraphs();
  cr_expect_str_eq(got, c->want, "%s", c->what);
  free(got);
  expect_slices_exact();
}

Test(document, last_paragraph_without_final_newline_is_kept) {
  ThemaImportResult res;
  IMPORT_OK("nonl.md", "# Kop\n\nEen.\n\nTwee zonder regeleinde.", &res);
  TH_EXPECT_STR(paragraphs(), "[Kop] Een.\n[Kop] Twee zonder regeleinde.\n");
  cr_expect_eq(res.segments, 2);
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
  TH_EXPECT_STR(th_text(st, "SELECT title FROM source"), "Beleidsnota integratie");
  TH_EXPECT_STR(th_text(st, "SELECT date FROM source"), "2022-01-15");
  TH_EXPECT_STR(
      th_text(st, "SELECT value FROM attribute WHERE entity = 'source' AND key = 'auteur'"),
      "VVSG");
  cr_expect_eq(th_count(st, "attribute"), 1);
  TH_EXPECT_STR(th_text(st, "SELECT text FROM source"), "# Visie\n\nSamen leren.\n");
  TH_EXPECT_STR(paragraphs(), "[Visie] Samen leren.\n");
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
            "\xF0\x9F\x98\x80 Tweede \xE2\x80\x9C"
            "alinea\xE2\x80\x9D.\n",
            &res);
  TH_EXPECT_STR(paragraphs(),
                "[Co\xC3\xB6rdinatie \xE2\x80\x99t caf\xC3\xA9] De co\xC3\xB6rdinatie "
                "\xE2\x80\x99t caf\xC3\xA9.\n"
                "[Co\xC3\xB6rdinatie \xE2\x80\x99t caf\xC3\xA9] \xF0\x9F\x98\x80 Tweede "
                "\xE2\x80\x9C"
                "alinea\xE2\x80\x9D.\n");
  /* "# Coördinatie ’t café\n\n" is 21 + 2 code points, the paragraph 23. */
  cr_expect_eq(th_int(st, "SELECT start FROM segment WHERE ordinal = 1"), 23);
  cr_expect_eq(th_int(st, "SELECT end FROM segment WHERE ordinal = 1"), 23 + 23);
  cr_expect_eq(th_int(st, "SELECT start FROM segment WHERE ordinal = 2"), 23 + 23 + 2);
  expect_slices_exact();
}

Test(document, crlf_and_bom_are_tolerated) {
  ThemaImportResult res;
  IMPORT_OK("win.md", "\xEF\xBB\xBF# Kop\r\n\r\nRegel een\r\nregel twee\r\n", &res);
  TH_EXPECT_STR(paragraphs(), "[Kop] Regel een\nregel twee\n");
  cr_expect_eq(th_int(st, "SELECT instr(text, char(13)) FROM source"), 0);
  expect_slices_exact();
}

Test(document, reimport_unchanged_and_replace) {
  ThemaImportResult res;
  IMPORT_OK("doc.md", "# A\n\nOude tekst.\n", &res);
  IMPORT_OK("doc.md", "# A\n\nOude tekst.\n", &res);
  cr_expect_eq(res.unchanged, 1);
  cr_expect_eq(th_count(st, "segment"), 1);
  ThemaError err = {0};
  cr_assert_eq(IMPORT("doc.md", "# A\n\nNieuwe tekst.\n", &res, &err), THEMA_EINPUT);
  cr_expect(strstr(err.msg, "--replace") != NULL, "%s", err.msg);
  TH_EXPECT_STR(paragraphs(), "[A] Oude tekst.\n");
  ThemaImportOptions opt = {.replace = 1};
  ThemaError err2 = {0};
  static const char changed[] = "# A\n\nNieuwe tekst.\n";
  cr_assert_eq(import_n("doc.md", changed, sizeof changed - 1, &opt, &res, &err2), THEMA_OK,
               "%s", err2.msg);
  cr_expect_eq(res.replaced, 1);
  TH_EXPECT_STR(paragraphs(), "[A] Nieuwe tekst.\n");
  cr_expect_eq(
      th_int(st, "SELECT count(*) FROM segment_fts WHERE segment_fts MATCH 'oude'"), 0);
  cr_expect_eq(
      th_int(st, "SELECT count(*) FROM segment_fts WHERE segment_fts MATCH 'nieuwe'"), 1);
}

static const ErrCase err_cases[] = {
    EC("headings only", "heads.md", "# A\n## B\n\n### C\n", ": ", "no paragraph of text"),
    EC("setext heading only", "setext.md", "Titel\n=====\n", ": ", "no paragraph of text"),
    EC("front matter only", "fm.md", "---\ntitle: x\n---\n\n", ": ",
       "no paragraph of text"),
    EC("empty front matter only", "rules.md", "---\n\n---\n", ": ", "no paragraph of text"),
    EC("empty file", "empty.md", "", ": ", "file is empty"),
    EC("whitespace only", "blank.md", " \n\t\n", ": ", "file is empty"),
    EC("invalid UTF-8", "utf.md", "# Kop\n\nDe caf\xC3\xA9 \xE9\n",
       ":3:9: ", "invalid UTF-8"),
    EC("NUL byte", "nul.md", "Een\0twee\n", ":1:4: ", "NUL byte"),
    EC("unclosed front matter", "open.md", "---\ntitle: x\n\nTekst.\n",
       ":4:1: ", "expected 'key: value'"),
    EC("bad front-matter line", "bad.md", "---\nzomaar tekst\n---\nTekst.\n",
       ":2:1: ", "expected 'key: value'"),
};

Test(document, errors_name_the_file_and_write_nothing) {
  for (size_t i = 0; i < sizeof err_cases / sizeof *err_cases; i++) {
    const ErrCase *c = &err_cases[i];
    ThemaImportResult res;
    ThemaError err = {0};
    int rc = import_n(c->name, c->data, c->n, NULL, &res, &err);
    static const char *const tables[] = {"source", "segment", "attribute", NULL};
    th_expect_err_case(st, c, rc, &err, last_path, tables);
  }
}
