/*
 * test_qdpx.c — REFI-QDA exchange (export/qdpx.c, export/qdc.c, ingest/qdpx.c,
 * ingest/qdc.c, ingest/refi.c): the exports validate against the standard's
 * schemas (tests/fixtures/refi-qda/, checked here with libxml2's schema API),
 * carry code-point positions into exactly the bytes of their source files
 * and are byte-identical run after run; export, import into a fresh store
 * and export again gives the same file; every sample written by another
 * tool (ATLAS.ti, qc, Taguette) imports; files made here in the habits of
 * NVivo, MAXQDA and ATLAS.ti import with a warning naming each deviation;
 * and bad input is an input error naming file, element and line that
 * leaves the store as it was.
 */
#include <libxml/parser.h>
#include <libxml/xmlschemas.h>
#include <zip.h>

#include "base/fs.h"
#include "base/utf8.h"
#include "export/qdc.h"
#include "export/qdpx.h"
#include "import_helpers.h"
#include "store/memo.h"

static char *dir;
static ThemaStore *st;

static void setup(void) { th_scratch_open(&dir, &st); }
static void teardown(void) { th_scratch_close(&dir, &st); }
TestSuite(qdpx, .init = setup, .fini = teardown);

#define SAMPLES "tests/fixtures/refi-qda/samples"

/* ---- helpers ---- */

/* The entry name of the zip at path into out ("" when it is missing). */
static void unzip_entry(const char *path, const char *name, ThemaBuf *out) {
  int e = 0;
  zip_t *z = zip_open(path, ZIP_RDONLY, &e);
  cr_assert_not_null(z, "cannot open %s", path);
  zip_file_t *f = zip_fopen(z, name, 0);
  cr_assert_not_null(f, "%s has no %s", path, name);
  char block[4096];
  zip_int64_t n;
  while ((n = zip_fread(f, block, sizeof block)) > 0)
    thema_buf_append(out, block, (size_t)n);
  zip_fclose(f);
  zip_discard(z);
}

/* A zip at dir/name holding the entries names[i] with texts[i]. */
static char *make_zip(const char *name, const char *const *names, const char *const *texts,
                      int n) {
  char *p = malloc(strlen(dir) + strlen(name) + 2);
  sprintf(p, "%s/%s", dir, name);
  int e = 0;
  zip_t *z = zip_open(p, ZIP_CREATE | ZIP_TRUNCATE, &e);
  cr_assert_not_null(z);
  for (int i = 0; i < n; i++) {
    zip_source_t *s = zip_source_buffer(z, texts[i], strlen(texts[i]), 0);
    cr_assert(zip_file_add(z, names[i], s, 0) >= 0);
  }
  cr_assert_eq(zip_close(z), 0);
  return p;
}

/* Validate xml against the schema file; "" when valid, else the first error. */
static char first_error[512];
static void keep_error(void *ud, xmlErrorPtr e) {
  (void)ud;
  if (!first_error[0] && e)
    snprintf(first_error, sizeof first_error, "line %d: %s", e->line, e->message);
}
static void expect_valid(const char *xml, size_t n, const char *xsd) {
  first_error[0] = '\0';
  xmlSchemaParserCtxtPtr pc = xmlSchemaNewParserCtxt(xsd);
  xmlSchemaPtr schema = xmlSchemaParse(pc);
  cr_assert_not_null(schema, "%s does not load", xsd);
  xmlDocPtr doc = xmlReadMemory(xml, (int)n, "export", NULL, XML_PARSE_NONET);
  cr_assert_not_null(doc, "the export is not well-formed XML");
  xmlSchemaValidCtxtPtr vc = xmlSchemaNewValidCtxt(schema);
  xmlSchemaSetValidStructuredErrors(vc, keep_error, NULL);
  int rc = xmlSchemaValidateDoc(vc, doc);
  cr_expect_eq(rc, 0, "the export does not validate against %s: %s", xsd, first_error);
  xmlSchemaFreeValidCtxt(vc);
  xmlFreeDoc(doc);
  xmlSchemaFree(schema);
  xmlSchemaFreeParserCtxt(pc);
}

static int import(ThImporter fn, const char *path, ThemaImportResult *res,
                  ThemaError *err) {
  return th_import(st, fn, path, NULL, res, err);
}

static void import_ok(ThImporter fn, const char *path, ThemaImportResult *res) {
  ThemaError err = {0};
  cr_assert_eq(import(fn, path, res, &err), THEMA_OK, "%s", err.msg);
}

/* A small study: a transcript with é, 中 and an emoji before coded spans,
 * a document, cases, a codebook, codings by a coder, memos. */
static const char fg[] = "---\ntitle: Groep één\nkind: focusgroup\n---\n"
                         "R1: Café 中 😀 samen leren.\n\nR2: Wij leren van elkaar.\n";
static const char doc_md[] = "# Topics\n\nLeren van elkaar.\n\nSamen werken.\n";
static const char cases_csv[] = "source,speaker,person,organisation,role,function\n"
                                "fg,R1,P1,Diest,ambtenaar,integratie\n"
                                "fg,R2,P2,Leuven,schepen,\n";
static const char orgs_csv[] = "organisation,network,province\n"
                               "Diest,Hageland,Vlaams-Brabant\nLeuven,Hageland,\n";
static const char codebook_csv[] = "code,parent,description,include,exclude\n"
                                   "leren,,Theme: learning,,\n"
                                   "samen,leren,Learning together,samen,\n"
                                   "elkaar,leren,From one another,elkaar,\n";
static const char codings_csv[] = "source,segment,code,start,end,coder,memo\n"
                                  "fg,1,leren/samen,13,18,anna,twee woorden\n"
                                  "fg,1,leren/elkaar,13,18,anna,\n"
                                  "fg,2,leren/elkaar,39,45,bert,\n"
                                  "topics,1,leren/elkaar,19,25,anna,\n";

static void build_study(void) {
  ThemaImportResult res;
  char p[600];
  ThemaError err = {0};
  cr_assert_eq(th_import_data(st, thema_import_transcript, dir, "fg.txt", fg, sizeof fg - 1,
                              NULL, &res, &err, p, sizeof p),
               THEMA_OK, "%s", err.msg);
  cr_assert_eq(th_import_data(st, thema_import_document, dir, "topics.md", doc_md,
                              sizeof doc_md - 1, NULL, &res, &err, p, sizeof p),
               THEMA_OK, "%s", err.msg);
  cr_assert_eq(th_import_data(st, thema_import_cases, dir, "orgs.csv", orgs_csv,
                              sizeof orgs_csv - 1, NULL, &res, &err, p, sizeof p),
               THEMA_OK, "%s", err.msg);
  cr_assert_eq(th_import_data(st, thema_import_cases, dir, "cases.csv", cases_csv,
                              sizeof cases_csv - 1, NULL, &res, &err, p, sizeof p),
               THEMA_OK, "%s", err.msg);
  cr_assert_eq(th_import_data(st, thema_import_codebook, dir, "codebook.csv", codebook_csv,
                              sizeof codebook_csv - 1, NULL, &res, &err, p, sizeof p),
               THEMA_OK, "%s", err.msg);
  cr_assert_eq(th_import_data(st, thema_import_codings, dir, "codings.csv", codings_csv,
                              sizeof codings_csv - 1, NULL, &res, &err, p, sizeof p),
               THEMA_OK, "%s", err.msg);
  th_exec(st, "UPDATE code SET colour = '#3a7' WHERE path = 'leren/samen'");
  int64_t id;
  cr_assert_eq(thema_store_begin(st, &err), THEMA_OK);
  cr_assert_eq(thema_memo_add(st, "project", 0, "anna", "Over de studie.", &id, &err),
               THEMA_OK);
  cr_assert_eq(thema_memo_add(st, "code",
                              th_int(st, "SELECT id FROM code WHERE path='leren'"), "bert",
                              "Ruim thema.", &id, &err),
               THEMA_OK);
  cr_assert_eq(thema_memo_add(st, "segment",
                              th_int(st, "SELECT id FROM segment WHERE ordinal=2"
                                         " AND source_id=(SELECT id FROM source"
                                         " WHERE name='fg')"),
                              NULL, "Belangrijke beurt.", &id, &err),
               THEMA_OK);
  cr_assert_eq(thema_memo_add(st, "source",
                              th_int(st, "SELECT id FROM source WHERE name='topics'"),
                              "anna", "De topiclijst.", &id, &err),
               THEMA_OK);
  cr_assert_eq(thema_memo_add(st, "person",
                              th_int(st, "SELECT id FROM person WHERE name='P1'"), "anna",
                              "Spreekt veel.", &id, &err),
               THEMA_OK);
  cr_assert_eq(thema_store_commit(st, &err), THEMA_OK);
}

static char *path_in(const char *name) {
  char *p = malloc(strlen(dir) + strlen(name) + 2);
  sprintf(p, "%s/%s", dir, name);
  return p;
}

static void slurp(const char *path, ThemaBuf *out) {
  ThemaError err = {0};
  cr_assert_eq(thema_fs_read(path, out, &err), THEMA_OK, "%s", err.msg);
}

/* ---- export ---- */

Test(qdpx, export_validates_and_positions_are_code_points_into_the_files) {
  build_study();
  char *qdpx = path_in("study.qdpx"), *qdc = path_in("study.qdc");
  ThemaError err = {0};
  cr_assert_eq(thema_export_qdpx(st, qdpx, &err), THEMA_OK, "%s", err.msg);
  cr_assert_eq(thema_export_qdc(st, qdc, &err), THEMA_OK, "%s", err.msg);
  ThemaBuf qde = {0}, book = {0}, txt = {0};
  unzip_entry(qdpx, "project.qde", &qde);
  expect_valid(qde.data, qde.len, "tests/fixtures/refi-qda/Project.xsd");
  slurp(qdc, &book);
  expect_valid(book.data, book.len, "tests/fixtures/refi-qda/Codebook.xsd");
  /* the transcript's file is its stored text, and "samen" starts at code
   * point 13 (after é, 中 and the emoji, each one position) */
  char guid[37], entry[64];
  thema_refi_guid(guid, "source", "fg", 0);
  snprintf(entry, sizeof entry, "sources/%s.txt", guid);
  unzip_entry(qdpx, entry, &txt);
  TH_EXPECT_STR(th_text(st, "SELECT text FROM source WHERE name = 'fg'"), txt.data);
  th_contains(qde.data, "startPosition=\"13\" endPosition=\"18\"", "project.qde");
  th_contains(qde.data, "name=\"samen\"", "the selection's name is its text");
  th_contains(qde.data, "plainTextPath=\"internal://", "project.qde");
  th_contains(qde.data, "color=\"#33AA77\"", "the colour as #RRGGBB");
  th_contains(qde.data, "<User guid=", "project.qde");
  th_contains(qde.data, "name=\"anna\"", "the coder is a user");
  th_contains(qde.data, "<TextValue>focusgroup</TextValue>", "front matter as a variable");
  th_contains(qde.data, "<TextValue>fg: R1</TextValue>", "a person's speaker label");
  th_contains(qde.data, "<Description>Spreekt veel.</Description>", "a person's memo");
  th_contains(qde.data, "<PlainTextContent>twee woorden</PlainTextContent>",
              "a coding's memo");
  th_contains(book.data, "<Description>Learning together</Description>", "study.qdc");
  th_lacks(qde.data, "2026-", "no time in the export");
  thema_buf_free(&qde);
  thema_buf_free(&book);
  thema_buf_free(&txt);
  free(qdpx);
  free(qdc);
}

Test(qdpx, the_same_store_gives_the_same_bytes_and_a_round_trip_too) {
  build_study();
  const char *const subs[] = {"a", "b", "c"};
  for (int i = 0; i < 3; i++) {
    char *d = path_in(subs[i]);
    mkdir(d, 0755);
    free(d);
  }
  char *a = path_in("a/study.qdpx"), *b = path_in("b/study.qdpx"),
       *c = path_in("c/study.qdpx");
  ThemaError err = {0};
  cr_assert_eq(thema_export_qdpx(st, a, &err), THEMA_OK, "%s", err.msg);
  cr_assert_eq(thema_export_qdpx(st, b, &err), THEMA_OK, "%s", err.msg);
  ThemaBuf x = {0}, y = {0}, z = {0};
  slurp(a, &x);
  slurp(b, &y);
  cr_expect(x.len == y.len && memcmp(x.data, y.data, x.len) == 0, "two exports differ");
  /* into a fresh store and out again */
  char *fresh = path_in("fresh");
  mkdir(fresh, 0755);
  ThemaStore *st2 = th_store(fresh);
  ThemaImportResult res;
  ThemaError e2 = {0};
  cr_assert_eq(th_import(st2, thema_import_qdpx, a, NULL, &res, &e2), THEMA_OK, "%s",
               e2.msg);
  cr_expect_eq(res.sources, 2);
  cr_expect_eq(res.codings, 4);
  cr_expect_eq(res.codes, 3);
  cr_expect_eq(res.memos, 5);
  cr_expect_str_eq(res.warnings, "");
  TH_EXPECT_STR(
      th_rows(st2, "SELECT p.name, o.name, p.role FROM speaker s JOIN person p ON"
                   " p.id = s.person_id JOIN organisation o ON o.id = p.organisation_id"
                   " ORDER BY 1"),
      "P1|Diest|ambtenaar\nP2|Leuven|schepen\n");
  char *before =
      th_rows(st, "SELECT c.coder, k.path, c.start, c.end, ifnull(c.memo, '-')"
                  " FROM coding c JOIN code k ON k.id = c.code_id ORDER BY 1, 2, 3");
  TH_EXPECT_STR(th_rows(st2,
                        "SELECT c.coder, k.path, c.start, c.end, ifnull(c.memo, '-')"
                        " FROM coding c JOIN code k ON k.id = c.code_id ORDER BY 1, 2, 3"),
                before);
  free(before);
  /* the same project again: nothing doubles */
  cr_assert_eq(th_import(st2, thema_import_qdpx, a, NULL, &res, &e2), THEMA_OK, "%s",
               e2.msg);
  cr_expect_eq(th_count(st2, "memo"), 5);
  cr_expect_eq(th_count(st2, "coding"), 4);
  cr_expect_eq(th_count(st2, "source"), 2);
  cr_assert_eq(thema_export_qdpx(st2, c, &err), THEMA_OK, "%s", err.msg);
  slurp(c, &z);
  cr_expect(x.len == z.len && memcmp(x.data, z.data, x.len) == 0,
            "export -> import -> export differs");
  thema_store_close(st2);
  thema_buf_free(&x);
  thema_buf_free(&y);
  thema_buf_free(&z);
  free(a);
  free(b);
  free(c);
  free(fresh);
}

Test(qdpx, a_codebook_round_trips_through_qdc) {
  build_study();
  char *qdc = path_in("book.qdc"), *again = path_in("again.qdc");
  ThemaError err = {0};
  cr_assert_eq(thema_export_qdc(st, qdc, &err), THEMA_OK, "%s", err.msg);
  char *fresh = path_in("fresh");
  mkdir(fresh, 0755);
  ThemaStore *st2 = th_store(fresh);
  ThemaImportResult res;
  cr_assert_eq(th_import(st2, thema_import_qdc, qdc, NULL, &res, &err), THEMA_OK, "%s",
               err.msg);
  cr_expect_eq(res.codes, 3);
  TH_EXPECT_STR(
      th_rows(st2, "SELECT path, origin, description, colour FROM code ORDER BY path"),
      "leren|manual|Theme: learning|NULL\nleren/elkaar|manual|From one another|NULL\n"
      "leren/samen|manual|Learning together|#33AA77\n");
  cr_assert_eq(thema_export_qdc(st2, again, &err), THEMA_OK, "%s", err.msg);
  ThemaBuf x = {0}, y = {0};
  slurp(qdc, &x);
  slurp(again, &y);
  cr_expect(x.len == y.len && memcmp(x.data, y.data, x.len) == 0, "qdc round trip differs");
  thema_store_close(st2);
  thema_buf_free(&x);
  thema_buf_free(&y);
  free(qdc);
  free(again);
  free(fresh);
}

/* ---- the samples of other tools ---- */

Test(qdpx, atlas_ti_project_sample) {
  ThemaImportResult res;
  import_ok(thema_import_qdpx, SAMPLES "/atlasti-23.2.3-win_target-project.qdpx", &res);
  cr_expect_eq(res.codes, 3);
  TH_EXPECT_STR(th_rows(st, "SELECT path FROM code ORDER BY path"),
                "Commits\nCommits/2022-02-11T10:39:25Z cdbfd92\n"
                "Commits/2022-05-10T02:05:59Z 19e4dce\n");
}

Test(qdpx, atlas_ti_codebook_sample) {
  ThemaImportResult res;
  import_ok(thema_import_qdc, SAMPLES "/atlasti-win-23.4.0_codebook.qdc", &res);
  TH_EXPECT_STR(th_rows(st, "SELECT path, description, colour FROM code"),
                "code1|description|#46AA00\n");
  th_contains(res.warnings, "1 code set (code groups) not kept", "warnings");
}

Test(qdpx, taguette_codebook_sample_with_its_empty_sets) {
  ThemaImportResult res;
  import_ok(thema_import_qdc, SAMPLES "/taguette-1.5.2_codebook.qdc", &res);
  TH_EXPECT_STR(th_rows(st, "SELECT path FROM code ORDER BY path"),
                "interesting\ninteresting\\places\npeople\n");
  th_contains(res.warnings, ":2: empty <Sets/>", "warnings");
}

Test(qdpx, qc_project_sample_every_coding_on_its_line) {
  ThemaImportResult res;
  import_ok(thema_import_qdpx, SAMPLES "/qc-1.3.2_demo.qdpx", &res);
  cr_expect_eq(res.sources, 2);
  cr_expect_eq(res.codings, 205);
  th_contains(res.warnings, "plainTextPath 'board_2017.txt' lacks 'internal://'",
              "warnings");
  th_lacks(res.warnings, "across several segments", "warnings");
  TH_EXPECT_STR(th_rows(st, "SELECT DISTINCT coder FROM coding"), "cp\n");
  /* selection line:840 [51547, 51627) of board_2017: the coding is the
   * line's text (the same code points as the file's), within one segment */
  char *line =
      th_text(st, "SELECT substr(s.text, c.start + 1, c.end - c.start) FROM coding c"
                  " JOIN segment g ON g.id = c.segment_id JOIN source s ON"
                  " s.id = g.source_id WHERE s.name = 'board_2017' ORDER BY c.start"
                  " DESC LIMIT 1");
  ThemaBuf raw = {0};
  unzip_entry(SAMPLES "/qc-1.3.2_demo.qdpx", "sources/board_2017.txt", &raw);
  size_t b = thema_utf8_byte_offset(raw.data, raw.len, 51547);
  size_t e = thema_utf8_byte_offset(raw.data, raw.len, 51627);
  char *want = thema_xstrndup(raw.data + b, e - b);
  while (*want && strchr(" \n", want[strlen(want) - 1])) want[strlen(want) - 1] = '\0';
  cr_expect_str_eq(line, want);
  free(line);
  free(want);
  thema_buf_free(&raw);
  cr_expect_eq(th_int(st, "SELECT count(*) FROM coding WHERE start > end"), 0);
}

/* ---- the habits of NVivo, ATLAS.ti and MAXQDA (NOTES.md) ---- */

#define G(n) "00000000-0000-4000-8000-0000000000" #n
#define USERS "<Users><User guid=\"" G(01) "\" name=\"nina\"/></Users>"
#define CODES                                                                              \
  "<CodeBook><Codes><Code guid=\"" G(02) "\" name=\"leren\" isCodable=\"true\"/></Codes>"  \
                                         "</CodeBook>"
#define CODING                                                                             \
  "<Coding guid=\"" G(03) "\" creatingUser=\"" G(01) "\"><CodeRef targetGUID=\"" G(        \
      02) "\"/></Coding>"
/* A project of origin ORIGIN with one text source and one selection. */
#define PROJECT(ns, origin, path, b, e, inner, tail)                                       \
  "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<Project " ns                               \
  " name=\"t\" origin=\"" origin "\">\n" USERS CODES "\n<Sources><TextSource guid=\"" G(   \
      04) "\" name=\"int1\""                                                               \
          " plainTextPath=\"" path "\">\n<PlainTextSelection guid=\"" G(                   \
              05) "\" startPosition=\"" b "\" endPosition=\"" e "\">" inner                \
                  "</PlainTextSelection>\n</TextSource></Sources>" tail "</Project>\n"
#define NS "xmlns=\"urn:QDA-XML:project:1.0\""

/* The codings as "coder|code|span text" lines. */
static char *coded(void) {
  return th_rows(
      st, "SELECT c.coder, k.path, substr(s.text, c.start + 1, c.end - c.start)"
          " FROM coding c JOIN code k ON k.id = c.code_id JOIN segment g"
          " ON g.id = c.segment_id JOIN source s ON s.id = g.source_id ORDER BY c.id");
}

Test(qdpx, nvivo_utf16_positions_bom_crlf_and_a_capital_sources_folder) {
  /* UTF-16 units, BOM not counted, CR and LF apart: "Wij leren" is 16..25 */
  const char *names[] = {"project.qde", "Sources/" G(04) ".txt"};
  const char *texts[] = {"\xEF\xBB\xBF" PROJECT(NS, "NVivo 12.6 (Windows)",
                                                "internal://" G(04) ".txt", "16", "25",
                                                CODING, ""),
                         "\xEF\xBB\xBFI: Hallo \xF0\x9F\x98\x80\r\nR: Wij leren\r\n"};
  char *p = make_zip("nvivo.qdpx", names, texts, 2);
  ThemaImportResult res;
  import_ok(thema_import_qdpx, p, &res);
  TH_EXPECT_STR(coded(), "nina|leren|Wij leren\n");
  TH_EXPECT_STR(th_rows(st, "SELECT label FROM speaker ORDER BY id"), "I\nR\n");
  th_contains(res.warnings, "UTF-16 units", "warnings");
  th_contains(res.warnings, "project.qde: starts with a byte order mark", "warnings");
  th_contains(res.warnings, "byte order mark", "warnings");
  th_contains(res.warnings, "CRLF or CR line ends", "warnings");
  th_contains(res.warnings, "rather than 'sources/'", "warnings");
  free(p);
}

Test(qdpx, atlas_ti_counts_crlf_as_one_and_names_its_qde_after_the_project) {
  const char *names[] = {"Studie.qde", "sources/" G(04) ".txt"};
  const char *texts[] = {PROJECT(NS, "ATLAS.ti Windows 23.2", "internal://" G(04) ".txt",
                                 "12", "18", CODING, ""),
                         "Eerste lijn\r\nTweede lijn\r\n"};
  char *p = make_zip("atlas.qdpx", names, texts, 2);
  ThemaImportResult res;
  import_ok(thema_import_qdpx, p, &res);
  TH_EXPECT_STR(coded(), "nina|leren|Tweede\n");
  TH_EXPECT_STR(th_rows(st, "SELECT ordinal, text FROM segment ORDER BY ordinal"),
                "1|Eerste lijn\n2|Tweede lijn\n");
  th_contains(res.warnings, "'Studie.qde', not 'project.qde'", "warnings");
  th_contains(res.warnings, "CRLF as one", "warnings");
  free(p);
}

Test(qdpx, maxqda_memos_variables_bare_paths_empty_sets_and_an_old_namespace) {
  const char *names[] = {"project.qde", "sources/int1.txt"};
  const char *texts[] = {
      PROJECT("xmlns=\"urn:QDA-XML:project:1:0\"", "MAXQDA 2022", "int1.txt", "7", "24",
              "<Description>Opening</Description>", "<Sets/><Links/>"),
      "Vraag: hoe leren jullie?\nAntwoord: van elkaar, samen.\nVraag: meer?\n"};
  char *p = make_zip("maxqda.qdpx", names, texts, 2);
  ThemaImportResult res;
  import_ok(thema_import_qdpx, p, &res);
  TH_EXPECT_STR(th_rows(st, "SELECT m.target, g.ordinal, m.text FROM memo m JOIN segment g"
                            " ON g.id = m.target_id"),
                "segment|1|Opening\n");
  TH_EXPECT_STR(th_rows(st, "SELECT kind, format FROM source"), "transcript|txt\n");
  th_contains(res.warnings, "namespace urn:QDA-XML:project:1:0 read as", "warnings");
  th_contains(res.warnings, "empty <Sets/>", "warnings");
  th_contains(res.warnings, "empty <Links/>", "warnings");
  th_contains(res.warnings, "lacks 'internal://'", "warnings");
  free(p);
}

Test(qdpx, a_text_that_starts_like_front_matter_is_read_by_lines) {
  const char *names[] = {"project.qde", "sources/" G(04) ".txt"};
  const char *texts[] = {
      PROJECT(NS, "QualCoder 3.5", "internal://" G(04) ".txt", "4", "9", CODING, ""),
      "---\nEerste\n---\nTweede\n"};
  char *p = make_zip("front.qdpx", names, texts, 2);
  ThemaImportResult res;
  import_ok(thema_import_qdpx, p, &res);
  TH_EXPECT_STR(th_text(st, "SELECT text FROM source"), "---\nEerste\n---\nTweede\n");
  TH_EXPECT_STR(coded(), "nina|leren|Eerst\n");
  free(p);
}

Test(qdpx, a_selection_across_segments_is_a_coding_of_each) {
  /* lines 0..11 and 12..23: a selection 7..18 codes both, clipped */
  const char *names[] = {"project.qde", "sources/" G(04) ".txt"};
  const char *texts[] = {
      PROJECT(NS, "QualCoder 3.5", "internal://" G(04) ".txt", "7", "18", CODING, ""),
      "Eerste lijn\nTweede lijn\n"};
  char *p = make_zip("split.qdpx", names, texts, 2);
  ThemaImportResult res;
  import_ok(thema_import_qdpx, p, &res);
  TH_EXPECT_STR(coded(), "nina|leren|lijn\nnina|leren|Tweede\n");
  th_contains(res.warnings, "1 selection across several segments", "warnings");
  free(p);
}

/* ---- bad input: an input error naming file, element and line; nothing stored ---- */

typedef struct Bad {
  const char *what, *qde, *txt; /* qde NULL: no .qde at all */
  const char *needle;
} Bad;

static const Bad bad[] = {
    {"not XML", "<Project xmlns=\"urn:QDA-XML:project:1.0\" name=\"t\"><Users>", "x",
     "project.qde:1:"},
    {"not valid",
     PROJECT(NS, "X", "internal://" G(04) ".txt", "0", "1", "<Coding guid=\"" G(03) "\"/>",
             ""),
     "abc\n", "does not follow the REFI-QDA schema"},
    {"selection beyond its text",
     PROJECT(NS, "X", "internal://" G(04) ".txt", "2", "99", CODING, ""), "abc\n",
     "positions 2..99 do not fit its text of 4 characters"},
    {"code reference to nothing",
     PROJECT(NS, "X", "internal://" G(04) ".txt", "0", "3",
             "<Coding guid=\"" G(03) "\"><CodeRef targetGUID=\"" G(99) "\"/></Coding>", ""),
     "abc\n", "refers to no <Code>"},
    {"source file missing",
     PROJECT(NS, "X", "internal://" G(06) ".txt", "0", "3", CODING, ""), "abc\n",
     "is missing from the archive"},
    {"no .qde", NULL, "abc\n", "no .qde project file"},
    {"a source outside the archive",
     PROJECT(NS, "X", "absolute:///C:/data/int1.txt", "0", "3", CODING, ""), "abc\n",
     "points outside the project"},
};

static const char *const tables[] = {"source", "segment", "code",
                                     "coding", "memo",    "person"};

ParameterizedTestParameters(qdpx, bad_input) { TH_ROW_PARAMS(bad); }

ParameterizedTest(size_t *row, qdpx, bad_input) {
  const Bad *b = &bad[*row];
  const char *names[] = {b->qde ? "project.qde" : "sources/x.txt", "sources/" G(04) ".txt"};
  const char *texts[] = {b->qde ? b->qde : "x", b->txt};
  char *p = make_zip("bad.qdpx", names, texts, 2);
  ThemaImportResult res;
  ThemaError err = {0};
  cr_expect_eq(import(thema_import_qdpx, p, &res, &err), THEMA_EINPUT, "%s: %s", b->what,
               err.msg);
  cr_expect(strncmp(err.msg, p, strlen(p)) == 0, "%s: names the file: %s", b->what,
            err.msg);
  cr_expect(strstr(err.msg, b->needle) != NULL, "%s: '%s' in: %s", b->what, b->needle,
            err.msg);
  if (b->qde && *row > 0)
    cr_expect(strstr(err.msg, "project.qde:") != NULL, "%s: names the .qde and line: %s",
              b->what, err.msg);
  for (size_t i = 0; i < sizeof tables / sizeof *tables; i++)
    cr_expect_eq(th_count(st, tables[i]), 0, "%s: %s left rows", b->what, tables[i]);
  free(p);
}

Test(qdpx, a_corrupt_zip_is_an_input_error) {
  char *p = TH_WRITE(dir, "bad.qdpx", "PK\x03\x04 not really a zip");
  ThemaImportResult res;
  ThemaError err = {0};
  cr_expect_eq(import(thema_import_qdpx, p, &res, &err), THEMA_EINPUT, "%s", err.msg);
  th_contains(err.msg, "not a readable zip archive", "error");
  th_contains(err.msg, p, "error");
  free(p);
}

Test(qdpx, a_qdc_that_is_not_a_codebook) {
  char *p =
      TH_WRITE(dir, "x.qdc", "<Project xmlns=\"urn:QDA-XML:project:1.0\" name=\"x\"/>");
  ThemaImportResult res;
  ThemaError err = {0};
  cr_expect_eq(import(thema_import_qdc, p, &res, &err), THEMA_EINPUT, "%s", err.msg);
  th_contains(err.msg, "the root element is <Project>, not <CodeBook>", "error");
  free(p);
}
